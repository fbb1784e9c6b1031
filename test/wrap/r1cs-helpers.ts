/**
 * Test support for the R1CS builder: snarkjs's own readers and checkers (loaded through
 * require: snarkjs ships no types), circom2 compilation of `circuits/test/*.circom` into the
 * git-ignored `.zkmips/` with a content-hash cache, and tamper helpers.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Builder, type TamperHook } from "../../src/wrap/r1cs/builder.ts";
import { writeR1cs, writeWtns } from "../../src/wrap/r1cs/files.ts";

interface Logger {
  info(m: string): void;
  warn(m: string): void;
  error(m: string): void;
  debug(m: string): void;
}
interface SnarkjsApi {
  r1cs: { info(path: string, logger?: Logger): Promise<R1csInfo> };
  wtns: {
    check(r1cs: string, wtns: string, logger: Logger): Promise<boolean>;
    calculate(input: Record<string, unknown>, wasm: string, wtns: string): Promise<void>;
    exportJson(wtns: string): Promise<bigint[]>;
  };
}
export interface R1csInfo {
  nVars: number;
  nConstraints: number;
  nPubInputs: number;
  nOutputs: number;
  nPrvInputs: number;
  nLabels: number;
  constraints?: Record<string, bigint>[][];
}

const require = createRequire(import.meta.url);
export const snarkjs = require("snarkjs") as SnarkjsApi;

const silent: Logger = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };

export const REPO = join(import.meta.dirname, "..", "..");
export const TMP = join(REPO, ".zkmips", "test-r1cs");
mkdirSync(TMP, { recursive: true });

let counter = 0;
/** A fresh path under `.zkmips/test-r1cs`. */
export function tmpFile(name: string): string {
  return join(TMP, `${process.pid}-${counter++}-${name}`);
}

export async function wtnsCheck(r1cs: string, wtns: string): Promise<boolean> {
  return snarkjs.wtns.check(r1cs, wtns, silent);
}

export async function r1csInfo(r1cs: string): Promise<R1csInfo> {
  return snarkjs.r1cs.info(r1cs);
}

/** Writes the builder's r1cs and a witness, then asks snarkjs whether the witness satisfies it. */
export async function snarkjsAccepts(b: Builder, witness: readonly bigint[]): Promise<boolean> {
  const r = tmpFile("c.r1cs");
  const w = tmpFile("w.wtns");
  writeR1cs(b, r);
  writeWtns(witness, w);
  return wtnsCheck(r, w);
}

export type Circuit = (b: Builder) => void;

/** Builds `circuit` in "both" mode with an optional tamper hook. */
export function build(circuit: Circuit, tamper?: TamperHook): Builder {
  const b = new Builder({ mode: "both", tamper });
  circuit(b);
  return b;
}

/** Tamper hook replacing the `nth` (0-based) hint tagged `tag` with `f(honest)`. */
export function tamperAt(
  tag: string,
  f: (honest: bigint[]) => bigint[],
  nth = 0,
): TamperHook & { hits: number } {
  let seen = 0;
  const hook = ((t: string, honest: bigint[]) => {
    if (t !== tag) return honest;
    if (seen++ !== nth) return honest;
    hook.hits++;
    return f(honest);
  }) as TamperHook & { hits: number };
  hook.hits = 0;
  return hook;
}

export interface CircomArtifacts {
  r1cs: string;
  wasm: string;
  dir: string;
  sym: string;
}

/**
 * Compiles `circuits/test/<name>.circom` with circom2 (from the repo root: its WASI sandbox
 * only sees the working directory), cached by the source's hash under `.zkmips/circom/`.
 */
export function compileCircom(name: string, flags: readonly string[] = ["--O2"]): CircomArtifacts {
  const src = join("circuits", "test", `${name}.circom`);
  const hash = createHash("sha256")
    .update(readFileSync(join(REPO, src)))
    .update(flags.join(" "))
    .digest("hex")
    .slice(0, 16);
  const rel = join(".zkmips", "circom", `${name}-${hash}`);
  const dir = join(REPO, rel);
  const r1cs = join(dir, `${name}.r1cs`);
  const sym = join(dir, `${name}.sym`);
  const wasm = join(dir, `${name}_js`, `${name}.wasm`);
  if (!existsSync(r1cs) || !existsSync(wasm) || !existsSync(sym)) {
    mkdirSync(dir, { recursive: true });
    execFileSync(
      "npx",
      ["circom2", src, "--r1cs", "--wasm", "--sym", ...flags, "-l", "node_modules", "-o", rel],
      {
        cwd: REPO,
        stdio: "pipe",
      },
    );
  }
  return { r1cs, wasm, dir, sym };
}

/** Wire index of a circom signal (e.g. "main.out[3]") from the .sym file; -1 if optimized away. */
export function circomWire(art: CircomArtifacts, name: string): number {
  for (const line of readFileSync(art.sym, "utf8").split("\n")) {
    const parts = line.split(",");
    if (parts[3] === name) return Number(parts[1]);
  }
  throw new Error(`no signal ${name} in ${art.sym}`);
}

/** circom's witness for `input` (wire 0 = 1, then outputs, public inputs, private inputs). */
export async function circomWitness(art: CircomArtifacts, input: Record<string, unknown>): Promise<bigint[]> {
  const w = tmpFile("circom.wtns");
  await snarkjs.wtns.calculate(input, art.wasm, w);
  return snarkjs.wtns.exportJson(w);
}

/** Writes `witness` as .wtns and runs snarkjs's check against a circom-compiled r1cs. */
export async function circomAccepts(art: CircomArtifacts, witness: readonly bigint[]): Promise<boolean> {
  const w = tmpFile("circom-t.wtns");
  writeWtns(witness, w);
  return wtnsCheck(art.r1cs, w);
}

/** Stops ffjavascript's worker threads so mocha can exit. */
export async function terminateCurves(): Promise<void> {
  const g = globalThis as unknown as Record<string, { terminate?: () => Promise<void> } | undefined>;
  for (const k of ["curve_bn128", "curve_bls12381"]) {
    const c = g[k];
    if (c?.terminate) await c.terminate();
    g[k] = undefined;
  }
}
