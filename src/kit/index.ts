/**
 * Hardhat kit for application developers: fixtures that deploy the verifier stack or the mock
 * verifier, and `proveForTest`, which runs (mock) or proves and wraps (real) a guest with a
 * content-addressed proof cache under `.zkmips/proof-cache/`, so repeated test runs do not
 * re-prove. The key is sha256 over (kit prover version, mode, ELF, input, hints).
 *
 * @example
 *   const { ethers } = await network.create();
 *   const { address } = await deployMockVerifier(ethers);
 *   const app = await ethers.deployContract("ProvenFibonacci", [address, vkey]);
 *   const p = await proveForTest(elf, input, { mock: true });
 *   await app.submit(p.publicValues, p.proofBytes);
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getBytes, hexlify, type BaseContract, type Signer } from "ethers";
import { ZkmipsError } from "../errors.ts";
import { CycleLimitError, execute, loadElf, type ExecutionResult } from "../mips/index.ts";
import { MAX_CYCLES } from "../mips/air/witness.ts";

/** Bump when anything that changes proofs changes (it is part of every cache key). */
export const KIT_PROVER_VERSION = "zkmips-kit-4";

/** What the kit needs from Hardhat's `ethers` (network.create()).ethers. */
export interface KitEthers {
  deployContract(name: string, args?: unknown[]): Promise<BaseContract>;
}

export interface DeployedContract {
  contract: BaseContract;
  address: string;
}

async function deployed(ethers: KitEthers, name: string, args: unknown[] = []): Promise<DeployedContract> {
  const contract = await ethers.deployContract(name, args);
  await contract.waitForDeployment();
  return { contract, address: await contract.getAddress() };
}

/** MipsMockVerifier: accepts an empty proof for any statement (tests only; proves nothing). */
export function deployMockVerifier(ethers: KitEthers): Promise<DeployedContract> {
  return deployed(ethers, "MipsMockVerifier");
}

export interface VerifierStack {
  gateway: DeployedContract;
  groth16Verifier: DeployedContract | { address: string };
  adapter: DeployedContract;
  selector: string;
}

/**
 * MipsVerifierGateway (owned by the first signer) routed to MipsVerifierGroth16 over a
 * generated Groth16 verifier: the one at `groth16Verifier`, or a fresh deployment of the
 * generated contract `groth16Contract` (default: the committed statement verifier).
 */
export async function deployVerifierStack(
  ethers: KitEthers & { getSigners(): Promise<Signer[]> },
  opts: {
    selector: string;
    groth16Verifier?: string;
    groth16Contract?: string;
    /** A generated verifier file outside Hardhat's sources (e.g. `TestProof.groth16.verifierSol`). */
    verifierSol?: string;
    contractName?: string;
  },
): Promise<VerifierStack> {
  if (!/^0x[0-9a-fA-F]{8}$/.test(opts.selector)) {
    throw new ZkmipsError(`deployVerifierStack: selector must be 4 bytes of hex, got ${opts.selector}`);
  }
  const [owner] = await ethers.getSigners();
  let g16: DeployedContract | { address: string };
  if (opts.groth16Verifier !== undefined) g16 = { address: opts.groth16Verifier };
  else if (opts.verifierSol !== undefined) {
    if (opts.contractName === undefined)
      throw new ZkmipsError("deployVerifierStack: verifierSol needs contractName");
    if (!existsSync(opts.verifierSol))
      throw new ZkmipsError(
        `deployVerifierStack: the Groth16 verifier ${opts.verifierSol} does not exist`,
        "run proveForTest in real mode again (it sets the key up and writes the verifier)",
      );
    // Compiled with the npm solc and the settings of hardhat.config.ts (Hardhat's build does not see the cache).
    const { compileSolidity, deploy } = await import("../bridge/artifacts.ts");
    const d = await deploy(
      owner,
      opts.contractName,
      [],
      compileSolidity(opts.verifierSol, opts.contractName),
    );
    g16 = { contract: d.contract, address: d.address };
  } else g16 = await deployed(ethers, opts.groth16Contract ?? "Groth16VerifierStatementStub");
  const adapter = await deployed(ethers, "MipsVerifierGroth16", [g16.address, opts.selector]);
  const gateway = await deployed(ethers, "MipsVerifierGateway", [await owner.getAddress()]);
  const gw = gateway.contract as unknown as { addRoute(a: string): Promise<{ wait(): Promise<unknown> }> };
  await (await gw.addRoute(adapter.address)).wait();
  return { gateway, groth16Verifier: g16, adapter, selector: opts.selector.toLowerCase() };
}

export interface TestProof {
  publicValues: Uint8Array;
  /** Empty in mock mode; selector || Groth16 proof (260 bytes) in real mode. */
  proofBytes: Uint8Array;
  exitCode: number;
  cycles: number;
  mode: "mock" | "groth16";
  /** True when the result came from the cache. */
  cached: boolean;
  key: string;
  /** Real mode: the Groth16 key's verifier to deploy (`deployVerifierStack({ ...groth16 })`). */
  groth16?: KitGroth16Verifier;
}

export interface KitGroth16Verifier {
  selector: string;
  verifierSol: string;
  contractName: string;
  shapeId: string;
  /** The programVKey the proof is for (on-chain profile, 0x + 64 hex): what the app contract stores. */
  programVKey: string;
}

export interface ProveForTestOptions {
  mock: boolean;
  hints?: Uint8Array;
  /** Default: <cwd>/.zkmips/proof-cache */
  cacheDir?: string;
  /** Real mode: log lines of the prover and the wrap. */
  log?: (line: string) => void;
}

/** The cache key of a proof request. */
export function proofCacheKey(
  elf: Uint8Array,
  input: Uint8Array,
  mode: string,
  hints: Uint8Array = new Uint8Array(0),
): string {
  const h = createHash("sha256");
  for (const part of [
    new TextEncoder().encode(KIT_PROVER_VERSION),
    new TextEncoder().encode(mode),
    elf,
    input,
    hints,
  ]) {
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(part.length));
    h.update(len).update(part);
  }
  return h.digest("hex");
}

interface CacheEntry {
  version: string;
  mode: "mock" | "groth16";
  publicValues: string;
  proofBytes: string;
  exitCode: number;
  cycles: number;
  groth16?: KitGroth16Verifier;
}

const HEX = /^0x([0-9a-f]{2})*$/i;

/** The entry in `file` if it is a well-formed entry of this kit version and mode, else the reason not. */
function readCacheEntry(file: string, mode: "mock" | "groth16"): CacheEntry | string {
  let e: Partial<CacheEntry>;
  try {
    e = JSON.parse(readFileSync(file, "utf8")) as Partial<CacheEntry>;
  } catch (err) {
    return `unreadable (${(err as Error).message.split("\n")[0]})`;
  }
  if (typeof e !== "object" || e === null) return "not a JSON object";
  if (e.version !== KIT_PROVER_VERSION) return `written by kit version ${String(e.version)}`;
  if (e.mode !== mode) return `mode ${String(e.mode)}, not ${mode}`;
  const g = e.groth16;
  const ok =
    typeof e.publicValues === "string" &&
    HEX.test(e.publicValues) &&
    typeof e.proofBytes === "string" &&
    HEX.test(e.proofBytes) &&
    Number.isInteger(e.exitCode) &&
    Number.isInteger(e.cycles) &&
    (mode === "mock"
      ? g === undefined
      : typeof g === "object" &&
        g !== null &&
        [g.selector, g.verifierSol, g.contractName, g.shapeId, g.programVKey].every(
          (x) => typeof x === "string",
        ));
  if (!ok) return "malformed";
  // A real proof is only usable with its key's verifier (a deleted key cache makes it stale).
  if (g !== undefined && !existsSync(g.verifierSol)) return `its verifier ${g.verifierSol} is gone`;
  return e as CacheEntry;
}

/**
 * Runs the guest as the prover would (cycle limit MAX_CYCLES); in real mode refuses a run that
 * cannot be wrapped (non-zero exit) before anything is proven.
 */
function runGuest(elf: Uint8Array, input: Uint8Array, o: ProveForTestOptions): ExecutionResult {
  const program = loadElf(elf);
  let run: ExecutionResult;
  try {
    run = execute(program, { input, hints: o.hints, maxCycles: MAX_CYCLES, stdout: () => {} });
  } catch (e) {
    if (e instanceof CycleLimitError)
      throw new ZkmipsError(
        `proveForTest: the guest runs more than ${MAX_CYCLES} cycles, one proof covers at most ${MAX_CYCLES} (MAX_CYCLES)`,
        "prove a shorter run",
      );
    throw e;
  }
  if (!o.mock && run.exitCode !== 0) {
    const why = new TextDecoder().decode(run.stderr).trim().split("\n").pop();
    throw new ZkmipsError(
      `proveForTest: the guest exits with status ${run.exitCode} on this input${why ? ` (${why})` : ""}; only status 0 can be proven (nothing was proven)`,
      "fix the input, or use { mock: true } to test the app's handling of the run without a proof",
    );
  }
  return run;
}

async function realProof(
  elf: Uint8Array,
  input: Uint8Array,
  o: ProveForTestOptions,
): Promise<Omit<TestProof, "cached" | "key">> {
  const { proveElf, vkeyOfElf } = await import("../mips/air/pipeline.ts");
  const { mipsWrapInput } = await import("../wrap/mips.ts");
  const { setupWrap, proveWrap } = await import("../wrap/wrap.ts");
  const { closeHashPool } = await import("../hash/sponge.ts");
  const { releaseSnarkjsCurves } = await import("../wrap/groth16/snarkjs.ts");
  try {
    // The on-chain profile, padded to the smallest default shape that can be wrapped at it, so
    // tests of one program share one wrap key (the same proofs `zkmips prove --profile onchain` makes).
    const { shapeChooser } = await import("../wrap/shapes.ts");
    const { ONCHAIN_OPTIONS } = await import("../stark/options.ts");
    const padTo = shapeChooser("auto", ONCHAIN_OPTIONS).padTo;
    o.log?.("proving the STARK at the on-chain profile, padded to the smallest default shape");
    const proof = await proveElf(elf, { input, hints: o.hints, padTo, options: ONCHAIN_OPTIONS });
    const vkey = await vkeyOfElf(elf, ONCHAIN_OPTIONS);
    const w = await mipsWrapInput(proof.file, vkey, ONCHAIN_OPTIONS, { requireShape: true });
    o.log?.(`Groth16 dev key of ${w.shape.name}: reused from the cache, or set up now (minutes)`);
    const { key } = await setupWrap(w.shape, { mode: "dev", log: o.log });
    o.log?.(
      `Groth16 dev key ${key.paths.dir} (${key.reused ? "cached" : `set up in ${key.meta.setupSeconds.toFixed(0)} s`})`,
    );
    const r = await proveWrap(w.shape, key, w.witness, o.log);
    return {
      publicValues: proof.publicValues,
      proofBytes: getBytes(r.file.proofBytes),
      exitCode: proof.exitCode,
      cycles: proof.stats.cycles,
      mode: "groth16",
      groth16: {
        selector: key.meta.selector,
        verifierSol: path.resolve(key.paths.verifier),
        contractName: key.meta.contractName,
        shapeId: r.file.shapeId,
        programVKey: r.file.programVKey,
      },
    };
  } finally {
    await closeHashPool();
    await releaseSnarkjsCurves();
  }
}

/**
 * Runs (mock) or proves and wraps (real, dev Groth16 key: NOT for production) `elf` (its bytes,
 * or the path of the ELF file) on `input`, reusing a cached result for the same ELF, input,
 * hints, mode and kit version. A cache entry that is unreadable, malformed, of another kit
 * version or whose verifier is gone is recomputed and overwritten (logged through `log`).
 * Real mode executes the guest first and refuses a non-zero exit before proving anything.
 */
export async function proveForTest(
  elf: Uint8Array | string,
  input: Uint8Array,
  o: ProveForTestOptions,
): Promise<TestProof> {
  const elfBytes = typeof elf === "string" ? readElf(elf) : elf;
  const mode = o.mock ? "mock" : "groth16";
  const key = proofCacheKey(elfBytes, input, mode, o.hints);
  const dir = o.cacheDir ?? path.join(process.cwd(), ".zkmips", "proof-cache");
  const file = path.join(dir, `${key}.json`);
  if (existsSync(file)) {
    const e = readCacheEntry(file, mode);
    if (typeof e !== "string") {
      return {
        publicValues: getBytes(e.publicValues),
        proofBytes: getBytes(e.proofBytes),
        exitCode: e.exitCode,
        cycles: e.cycles,
        mode,
        cached: true,
        key,
        groth16: e.groth16,
      };
    }
    o.log?.(`proof cache: recomputing ${file}: ${e}`);
  }
  const run = runGuest(elfBytes, input, o);
  const r: Omit<TestProof, "cached" | "key"> = o.mock
    ? {
        publicValues: run.publicValues,
        proofBytes: new Uint8Array(0),
        exitCode: run.exitCode,
        cycles: run.cycles,
        mode,
      }
    : await realProof(elfBytes, input, o);
  const entry: CacheEntry = {
    version: KIT_PROVER_VERSION,
    mode,
    publicValues: hexlify(r.publicValues),
    proofBytes: hexlify(r.proofBytes),
    exitCode: r.exitCode,
    cycles: r.cycles,
    groth16: r.groth16,
  };
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, JSON.stringify(entry) + "\n");
    renameSync(tmp, file);
  } catch (err) {
    throw new ZkmipsError(
      `proveForTest: cannot write the proof cache entry ${file}: ${(err as Error).message.split("\n")[0]}`,
      "make the cache directory writable or pass another cacheDir",
    );
  }
  return { ...r, cached: false, key };
}

function readElf(file: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(file));
  } catch (err) {
    throw new ZkmipsError(
      `proveForTest: cannot read the guest ELF ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      "build the guest first (guests/build.sh) or pass the ELF's bytes",
    );
  }
}
