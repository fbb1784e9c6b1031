/**
 * Shared helpers for the Groth16 tests and the fixture script: compile the circom test circuits
 * under circuits/test-groth16/ with the npm circom2 (from the repo root, relative paths: its
 * WASI sandbox only sees the working directory) into .zkmips/test-groth16/.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { loadSnarkjs } from "../../src/wrap/groth16/snarkjs.ts";

export const TEST_OUT = ".zkmips/test-groth16";

export interface CompiledCircuit {
  r1cs: string;
  wasm: string;
}

/** Compiles `circuits/test-groth16/<name>.circom` (or an instantiating file already under TEST_OUT). */
export function compileCircuit(
  name: string,
  source = `circuits/test-groth16/${name}.circom`,
): CompiledCircuit {
  const r1cs = path.join(TEST_OUT, `${name}.r1cs`);
  const wasm = path.join(TEST_OUT, `${name}_js`, `${name}.wasm`);
  const stamp = `${r1cs}.src`;
  const src = fs.readFileSync(source, "utf8");
  if (
    fs.existsSync(r1cs) &&
    fs.existsSync(wasm) &&
    fs.existsSync(stamp) &&
    fs.readFileSync(stamp, "utf8") === src
  ) {
    return { r1cs, wasm };
  }
  fs.mkdirSync(TEST_OUT, { recursive: true });
  const circom = path.join("node_modules", ".bin", "circom2");
  execFileSync(circom, [source, "--r1cs", "--wasm", "-l", "node_modules", "-o", TEST_OUT], { stdio: "pipe" });
  fs.writeFileSync(stamp, src);
  return { r1cs, wasm };
}

/** Computes a witness with the circuit's WASM and returns the .wtns bytes. */
export async function witness(c: CompiledCircuit, input: Record<string, unknown>): Promise<Uint8Array> {
  const sj = await loadSnarkjs();
  const out: { type: "mem"; data?: Uint8Array } = { type: "mem" };
  await sj.wtns.calculate(input, c.wasm, out);
  return out.data!;
}
