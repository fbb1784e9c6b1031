/**
 * Poseidon-BN254 benchmark: permutations per second of the WASM implementation and of
 * circomlibjs's `buildPoseidon` on the same inputs in the same run, ns per Montgomery
 * multiplication, and row-hashing throughput (hashRows, hashRowsParallel) for 2^16 rows x 100
 * values. Per-permutation figures are the best CPU time of interleaved repetitions (the
 * machine is shared); row hashing reports wall and CPU time. The last line is one JSON object.
 *
 * Usage: npm run bench:poseidon [-- --rows-log 16 --width 100]
 */
import { availableParallelism } from "node:os";
import { buildPoseidon } from "circomlibjs";
import { poseidonBatch } from "../src/hash/poseidon.ts";
import { wasmKernelNanos, wasmMulNanos } from "../src/hash/poseidon-wasm.ts";
import { limbsToBigint } from "../src/hash/poseidon-limbs.ts";
import { BN254_R } from "../src/hash/poseidon-reference.ts";
import { closeHashPool, hashRows, hashRowsParallel } from "../src/hash/sponge.ts";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function randomLimbs(count: number, seed: number): Uint32Array {
  const out = new Uint32Array(count * 8);
  let x = seed;
  for (let i = 0; i < out.length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x;
  }
  for (let i = 7; i < out.length; i += 8) out[i] &= 0x0fffffff; // < 2^252 < r
  return out;
}

/**
 * Best CPU time per item (seconds) over `reps` runs of fn() that processes `items` items.
 * CPU time of this process, not wall time: on a shared machine wall time mostly measures the
 * other processes. Both sides of a comparison are single-threaded (circomlibjs is built with
 * ffjavascript's singleThread option).
 */
function best(reps: number, items: number, fn: () => void): number {
  let t = Infinity;
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    t = Math.min(t, (c.user + c.system) / 1e6);
  }
  return t / items;
}

async function main(): Promise<void> {
  const lib = await buildPoseidon();
  const perms: Record<string, { fast: number; circomlibjs: number; ratio: number }> = {};
  for (const n of [2, 16]) {
    const count = n === 2 ? 2000 : 300;
    const inputs = randomLimbs(count * n, n);
    const asBig = Array.from({ length: count }, (_, c) =>
      Array.from({ length: n }, (_, i) => limbsToBigint(inputs, (c * n + i) * 8) % BN254_R),
    );
    const out = poseidonBatch(n, inputs, count);
    for (let c = 0; c < count; c += 17)
      if (limbsToBigint(out, c * 8) !== lib.F.toObject(lib(asBig[c])))
        throw new Error(`bench: fast Poseidon(${n}) disagrees with circomlibjs`);
    // Interleaved repetitions, best of each: both sides see the same machine load.
    let fast = Infinity;
    let slow = Infinity;
    for (let r = 0; r < 20; r++) {
      fast = Math.min(
        fast,
        best(5, count, () => poseidonBatch(n, inputs, count)),
      );
      slow = Math.min(
        slow,
        best(1, count, () => {
          for (const xs of asBig) lib(xs);
        }),
      );
    }
    perms[`p${n}`] = { fast: 1 / fast, circomlibjs: 1 / slow, ratio: slow / fast };
    console.log(
      `Poseidon(${n}): fast ${(1 / fast).toFixed(0)} perms/s (${(fast * 1e6).toFixed(1)} us), ` +
        `circomlibjs ${(1 / slow).toFixed(0)} perms/s (${(slow * 1e6).toFixed(1)} us), ratio ${(slow / fast).toFixed(2)}x`,
    );
  }

  let mulLatency = Infinity;
  for (let i = 0; i < 10; i++) mulLatency = Math.min(mulLatency, wasmMulNanos(200_000));
  const k = { mulAdd: Infinity, dot17: Infinity, sqr: Infinity };
  for (let i = 0; i < 10; i++) {
    const m = wasmKernelNanos(5000);
    k.mulAdd = Math.min(k.mulAdd, m.mulAdd);
    k.dot17 = Math.min(k.dot17, m.dot17);
    k.sqr = Math.min(k.sqr, m.sqr);
  }
  console.log(
    `field mul (WASM Montgomery, 9x29-bit limbs, CPU ns per lane of the 2-lane kernels): ` +
      `${mulLatency.toFixed(1)} ns dependent, ` +
      `${k.mulAdd.toFixed(1)} ns independent multiply-add, ${k.sqr.toFixed(1)} ns squaring, ` +
      `${k.dot17.toFixed(0)} ns per 17-term dot product (${(k.dot17 / 17).toFixed(1)} ns/term)`,
  );

  const rows = 1 << arg("rows-log", 16);
  const width = arg("width", 100);
  const matrix = new Uint32Array(rows * width);
  for (let i = 0; i < matrix.length; i++) matrix[i] = (Math.imul(i, 2654435761) >>> 1) & 0x7fffffff;
  const permsPerRow = Math.ceil(Math.max(0, Math.ceil(width / 8) - 16) / 15) + 1;
  await hashRowsParallel(matrix, width, Math.min(rows, 4096)); // start the pool
  let t0 = process.hrtime.bigint();
  const pc0 = process.cpuUsage(); // includes the worker threads (same process)
  const par = await hashRowsParallel(matrix, width, rows);
  const parallelSec = Number(process.hrtime.bigint() - t0) / 1e9;
  const parallelCpuSec = process.cpuUsage(pc0).user / 1e6;
  t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const single = hashRows(matrix, width, rows);
  const singleSec = Number(process.hrtime.bigint() - t0) / 1e9;
  const singleCpuSec = process.cpuUsage(cpu0).user / 1e6;
  await closeHashPool();
  if (!par.every((x, i) => x === single[i])) throw new Error("bench: hashRowsParallel != hashRows");
  const threads = Number(process.env.ZKMIPS_HASH_THREADS) || availableParallelism();
  console.log(
    `hashRows ${rows} x ${width}: 1 thread ${singleSec.toFixed(2)} s wall, ${singleCpuSec.toFixed(2)} s CPU ` +
      `(${(rows / singleSec).toFixed(0)} rows/s); ` +
      `hashRowsParallel (${threads} workers) ${parallelSec.toFixed(2)} s wall, ${parallelCpuSec.toFixed(2)} s CPU ` +
      `(${(rows / parallelSec).toFixed(0)} rows/s, ` +
      `${((rows * permsPerRow) / parallelSec).toFixed(0)} perms/s), speedup ${(singleSec / parallelSec).toFixed(2)}x`,
  );

  console.log(
    JSON.stringify({
      poseidon2: perms.p2,
      poseidon16: perms.p16,
      mulNs: { dependent: mulLatency, mulAdd: k.mulAdd, sqr: k.sqr, dot17PerTerm: k.dot17 / 17 },
      hashRows: {
        rows,
        width,
        threads,
        singleSec,
        singleCpuSec,
        parallelSec,
        rowsPerSec: rows / parallelSec,
      },
    }),
  );
}

await main();
