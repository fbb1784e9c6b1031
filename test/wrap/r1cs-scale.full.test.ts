/**
 * Scale figures of the R1CS builder (ZKMIPS_FULL=1): 1M rows of two workloads — Poseidon(16)
 * chains (long LCs, ~37 terms per row) and emulated KoalaBear sums of products with a
 * reduction each (short LCs) — built in compile mode (rows), prove mode (witness only),
 * written as .r1cs/.wtns, and the KoalaBear file pair checked by snarkjs. Prints rows/s,
 * heap, RSS and file sizes (noisy on a shared 2-core machine).
 */
import { expect } from "chai";
import { statSync } from "node:fs";
import { Builder, type Mode } from "../../src/wrap/r1cs/builder.ts";
import { writeR1cs, writeWtns } from "../../src/wrap/r1cs/files.ts";
import { KoalaBear } from "../../src/wrap/r1cs/gadgets/koalabear.ts";
import { poseidon } from "../../src/wrap/r1cs/gadgets/poseidon.ts";
import { describeFull } from "../support/full.ts";
import { terminateCurves, tmpFile, wtnsCheck } from "./r1cs-helpers.ts";

const TARGET = 1_000_000;

function poseidonChain(b: Builder): void {
  let xs = Array.from({ length: 16 }, (_, i) => b.privateInput(b.computesValues ? BigInt(i + 1) : undefined));
  while (b.nConstraints < TARGET) xs = [poseidon(b, xs), ...xs.slice(0, 15)];
}

function koalabearSums(b: Builder): void {
  const f = new KoalaBear(b);
  const xs = Array.from({ length: 8 }, (_, i) =>
    f.canonical(b.privateInput(b.computesValues ? BigInt(i + 12345) : undefined)),
  );
  for (let i = 0; b.nConstraints < TARGET; i++) {
    xs[i % 8] = f.reduce(f.linear(xs.map((x, j) => [1n, f.mul(x, xs[(j + 1) % 8])] as const)));
  }
}

function measure(name: string, mode: Mode, circuit: (b: Builder) => void): { b: Builder; file: string } {
  global.gc?.();
  const h0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const b = new Builder({ mode });
  circuit(b);
  const secs = (performance.now() - t0) / 1000;
  const mem = process.memoryUsage();
  const file = tmpFile(mode === "compile" ? `${name}.r1cs` : `${name}.wtns`);
  const t1 = performance.now();
  if (mode === "compile") writeR1cs(b, file);
  else writeWtns(b.witness(), file);
  const wsecs = (performance.now() - t1) / 1000;
  console.log(
    `      ${name} ${mode}: ${b.nConstraints} rows, ${b.nWires} wires, ${secs.toFixed(1)} s ` +
      `(${Math.round(b.nConstraints / secs)} rows/s), heap +${((mem.heapUsed - h0) / 2 ** 20).toFixed(0)} MiB, ` +
      `rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB` +
      (b.store ? `, ${b.store.nTerms} terms, store ${(b.store.byteSize / 2 ** 20).toFixed(0)} MiB` : "") +
      `; wrote ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB in ${wsecs.toFixed(1)} s`,
  );
  return { b, file };
}

describeFull("r1cs builder at 1M rows", () => {
  after(terminateCurves);

  it("builds, writes and witnesses 1M rows of Poseidon(16) chains", () => {
    const c = measure("poseidon16", "compile", poseidonChain);
    const p = measure("poseidon16", "prove", poseidonChain);
    expect(p.b.nConstraints).to.equal(c.b.nConstraints);
    expect(p.b.nWires).to.equal(c.b.nWires);
  });

  it("builds 1M rows of KoalaBear arithmetic and snarkjs accepts the files (rejects a tampered witness)", async () => {
    const c = measure("koalabear", "compile", koalabearSums);
    const p = measure("koalabear", "prove", koalabearSums);
    expect(p.b.nWires).to.equal(c.b.nWires);
    const t0 = performance.now();
    expect(await wtnsCheck(c.file, p.file)).to.equal(true);
    console.log(`      snarkjs wtns check: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const w = p.b.witness();
    w[w.length - 1] = w[w.length - 1] + 1n; // the last wire: a boolean of the last reduction
    const bad = tmpFile("koalabear-bad.wtns");
    writeWtns(w, bad);
    expect(await wtnsCheck(c.file, bad)).to.equal(false);
  });
});
