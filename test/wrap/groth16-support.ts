/**
 * Shared helpers for the Groth16 tests and the fixture script: compile the circom test circuits
 * under circuits/test-groth16/ with the npm circom2 (from the repo root, relative paths: its
 * WASI sandbox only sees the working directory) into .zkmips/test-groth16/.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { R, writeLE } from "../../src/wrap/groth16/fr.ts";
import { loadSnarkjs } from "../../src/wrap/groth16/snarkjs.ts";
import { encodeWtns } from "../../src/wrap/groth16/wtns.ts";

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

/**
 * Writes a benchmark circuit directly as .r1cs + .wtns: 2^k - 3 constraints (domain 2^k), chain s_(i+1) = s_i^2 + i; wires: 0 = one, 1 = last (output), 2 = seed (public input), 3.. = s_1..s_(n-1). */
export function writeChain(
  dir: string,
  k: number,
  seed: bigint,
): { r1cs: string; wtns: string; nConstraints: number; witness: bigint[] } {
  const n = 2 ** k - 3;
  const nWires = n + 2;
  const wire = (i: number): number => (i === 0 ? 2 : i === n ? 1 : i + 2); // s_i -> wire
  const termBytes = (terms: [number, bigint][]): number => 4 + terms.length * 36;
  let size = 0;
  const cons: [number, bigint][][][] = [];
  for (let i = 0; i < n; i++) {
    const a: [number, bigint][] = [[wire(i), 1n]];
    const c: [number, bigint][] =
      i === 0
        ? [[wire(1), 1n]]
        : [
            [wire(i + 1), 1n],
            [0, R - BigInt(i)],
          ];
    cons.push([a, a, c]);
    size += termBytes(a) * 2 + termBytes(c);
  }
  const headerSize = 4 + 32 + 4 * 4 + 8 + 4;
  const buf = new Uint8Array(12 + 12 + headerSize + 12 + size + 12 + nWires * 8);
  const v = new DataView(buf.buffer);
  let p = 0;
  const u32 = (x: number): void => {
    v.setUint32(p, x, true);
    p += 4;
  };
  const u64 = (x: number): void => {
    v.setBigUint64(p, BigInt(x), true);
    p += 8;
  };
  buf.set([0x72, 0x31, 0x63, 0x73]); // "r1cs"
  p = 4;
  u32(1);
  u32(3);
  u32(1);
  u64(headerSize);
  u32(32);
  writeLE(buf, p, R);
  p += 32;
  u32(nWires);
  u32(1); // public outputs
  u32(1); // public inputs
  u32(0); // private inputs
  u64(nWires);
  u32(n);
  u32(2);
  u64(size);
  for (const con of cons) {
    for (const terms of con) {
      u32(terms.length);
      for (const [w, coef] of terms) {
        u32(w);
        writeLE(buf, p, coef);
        p += 32;
      }
    }
  }
  u32(3);
  u64(nWires * 8);
  for (let i = 0; i < nWires; i++) u64(i);

  const w = new Array<bigint>(nWires).fill(0n);
  w[0] = 1n;
  let s = seed;
  for (let i = 0; i < n; i++) {
    w[wire(i)] = s;
    s = (s * s + BigInt(i)) % R;
  }
  w[wire(n)] = s;
  const wt = encodeWtns(w);
  fs.mkdirSync(dir, { recursive: true });
  const r1cs = `${dir}/chain_${k}.r1cs`;
  const wtns = `${dir}/chain_${k}.wtns`;
  fs.writeFileSync(r1cs, buf);
  fs.writeFileSync(wtns, wt);
  return { r1cs, wtns, nConstraints: n, witness: w };
}
