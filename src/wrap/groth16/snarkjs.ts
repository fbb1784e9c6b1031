/**
 * Typed facade over the untyped snarkjs 0.7.6 and ffjavascript packages: only the calls this
 * project makes, with the shapes they really return. Loaded lazily (snarkjs pulls in workers).
 */

/** A Groth16 proof as snarkjs prints it (decimal strings; projective coordinates). */
export interface SnarkjsProof {
  pi_a: string[];
  pi_b: string[][];
  pi_c: string[];
  protocol: string;
  curve: string;
}

/** snarkjs's Groth16 verification key JSON. */
export interface SnarkjsVkey {
  protocol: "groth16";
  curve: string;
  nPublic: number;
  vk_alpha_1: string[];
  vk_beta_2: string[][];
  vk_gamma_2: string[][];
  vk_delta_2: string[][];
  vk_alphabeta_12?: unknown;
  IC: string[][];
}

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export interface SnarkjsApi {
  groth16: {
    prove(
      zkey: string,
      wtns: string | Uint8Array,
      logger?: Logger,
    ): Promise<{ proof: SnarkjsProof; publicSignals: string[] }>;
    fullProve(
      input: Record<string, unknown>,
      wasm: string,
      zkey: string,
      logger?: Logger,
    ): Promise<{ proof: SnarkjsProof; publicSignals: string[] }>;
    verify(vk: SnarkjsVkey, publicSignals: string[], proof: SnarkjsProof, logger?: Logger): Promise<boolean>;
  };
  zKey: {
    newZKey(r1cs: string, ptau: string, zkey: string, logger?: Logger): Promise<unknown>;
    contribute(
      zkeyOld: string,
      zkeyNew: string,
      name: string,
      entropy: string,
      logger?: Logger,
    ): Promise<unknown>;
    exportVerificationKey(zkey: string, logger?: Logger): Promise<SnarkjsVkey>;
    exportSolidityVerifier(zkey: string, templates: { groth16: string }, logger?: Logger): Promise<string>;
  };
  powersOfTau: {
    newAccumulator(curve: unknown, power: number, ptau: string, logger?: Logger): Promise<unknown>;
    contribute(
      oldPtau: string,
      newPtau: string,
      name: string,
      entropy: string,
      logger?: Logger,
    ): Promise<unknown>;
    preparePhase2(oldPtau: string, newPtau: string, logger?: Logger): Promise<unknown>;
  };
  wtns: {
    calculate(
      input: Record<string, unknown>,
      wasm: string,
      wtns: string | { type: "mem"; data?: Uint8Array },
    ): Promise<void>;
  };
  curves: { getCurveFromName(name: string): Promise<unknown> };
}

// A module name held in a variable keeps TypeScript from requiring declaration files.
const SNARKJS = "snarkjs";
let cached: Promise<SnarkjsApi> | undefined;

export function loadSnarkjs(): Promise<SnarkjsApi> {
  cached ??= import(SNARKJS) as Promise<SnarkjsApi>;
  return cached;
}

/** ffjavascript pieces used by the dev setup (bn128 WASM engine). */
export interface FfCurve {
  tm: { code: Uint8Array; pG1gen: number; pG2gen: number };
  terminate(): Promise<void>;
}
const FFJS = "ffjavascript";
export async function buildBn128SingleThread(): Promise<FfCurve> {
  const ff = (await import(FFJS)) as { buildBn128(singleThread: boolean): Promise<FfCurve> };
  return ff.buildBn128(true);
}

/** Terminates snarkjs's shared curve worker threads so that a CLI process can exit. */
export async function releaseSnarkjsCurves(): Promise<void> {
  const g = globalThis as { curve_bn128?: { terminate(): Promise<void> } | null };
  if (g.curve_bn128) await g.curve_bn128.terminate();
}
