/**
 * `npm run bench:stark`: synthetic AIR (100 columns, degree-3 transition constraint on every
 * column) at 2^16 and 2^18 rows with the default options (blowup 8), proved with row hashing on
 * worker threads. Prints prove time per phase, verify time, proof size, peak RSS, Poseidon
 * permutations/s (fast vs circomlibjs) and NTT 2^20 time; the last line is one JSON object.
 * Usage: tsx bench/stark.ts [logRows...]   (default 16 18)
 */
import { performance } from "node:perf_hooks";
import { mul, add, P } from "../src/field/koalabear.ts";
import { dft } from "../src/field/ntt.ts";
import { wasmDft } from "../src/field/wasm.ts";
import { poseidon, poseidonBatch } from "../src/hash/poseidon.ts";
import { closeHashPool } from "../src/hash/sponge.ts";
import {
  AirBuilder,
  DEFAULT_OPTIONS,
  type AirDefinition,
  prove,
  securityBits,
  setup,
  verify,
} from "../src/stark/index.ts";

const WIDTH = 100;

function syntheticAir(): AirDefinition {
  const b = new AirBuilder("bench-synthetic", 1, 1);
  const t = b.addTable({ name: "synthetic", mainWidth: WIDTH });
  // x_c' = x_c * x_{c+1} * x_{c+2} + c + 1 (indices mod WIDTH): degree 3, every column constrained.
  for (let c = 0; c < WIDTH; c++) {
    t.assertTransition(
      t.next(c).sub(
        t
          .main(c)
          .mul(t.main((c + 1) % WIDTH))
          .mul(t.main((c + 2) % WIDTH))
          .add(c + 1),
      ),
    );
  }
  t.assertFirst(t.main(0).sub(b.pub(0)));
  return b.build();
}

function syntheticTrace(logN: number): Uint32Array[] {
  const n = 1 << logN;
  const cols = Array.from({ length: WIDTH }, () => new Uint32Array(n));
  for (let c = 0; c < WIDTH; c++) cols[c][0] = (c * 7919 + 3) % P;
  for (let i = 1; i < n; i++) {
    for (let c = 0; c < WIDTH; c++) {
      const x = mul(mul(cols[c][i - 1], cols[(c + 1) % WIDTH][i - 1]), cols[(c + 2) % WIDTH][i - 1]);
      cols[c][i] = add(x, c + 1);
    }
  }
  return cols;
}

function permsPerSecond(n: number, count: number, fn: () => void): number {
  const t0 = performance.now();
  fn();
  return (count / (performance.now() - t0)) * 1000;
}

async function main(): Promise<void> {
  const logs = process.argv
    .slice(2)
    .map(Number)
    .filter((x) => x > 0);
  const sizes = logs.length ? logs : [16, 18];
  const result: Record<string, unknown> = {
    options: DEFAULT_OPTIONS,
    security: securityBits(DEFAULT_OPTIONS),
  };

  // NTT 2^20 (one core).
  const a = new Uint32Array(1 << 20).map((_, i) => (i * 2654435761) % P);
  wasmDft(a);
  const t0 = performance.now();
  wasmDft(a);
  result.ntt2_20Ms = Math.round(performance.now() - t0);
  const t1 = performance.now();
  dft(a);
  result.ntt2_20JsMs = Math.round(performance.now() - t1);
  console.log(`NTT 2^20: ${result.ntt2_20Ms} ms (WASM), ${result.ntt2_20JsMs} ms (TypeScript reference)`);

  // Poseidon(16): fast batch vs circomlibjs.
  const count = 2000;
  const inputs = new Uint32Array(16 * 8 * count).map((_, i) => (i % 8 === 7 ? 0 : i * 31));
  const fast = permsPerSecond(16, count, () => poseidonBatch(16, inputs, count));
  const { buildPoseidon } = await import("circomlibjs");
  const ref = await buildPoseidon();
  const args = Array.from({ length: 16 }, (_, i) => BigInt(i + 1));
  const slowCount = 300;
  const slow = permsPerSecond(16, slowCount, () => {
    for (let i = 0; i < slowCount; i++) ref(args);
  });
  void poseidon;
  result.poseidon16PermsPerSec = Math.round(fast);
  result.circomlibjsPoseidon16PermsPerSec = Math.round(slow);
  result.poseidonRatio = Math.round((fast / slow) * 10) / 10;
  console.log(
    `Poseidon(16): fast ${Math.round(fast)}/s, circomlibjs ${Math.round(slow)}/s, ratio ${result.poseidonRatio}`,
  );

  const air = syntheticAir();
  const pk = await setup(air, DEFAULT_OPTIONS);
  const runs: Record<string, unknown>[] = [];
  for (const logN of sizes) {
    const cols = syntheticTrace(logN);
    const phases: Record<string, number> = {};
    let peak = process.memoryUsage().rss;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
    const tp = performance.now();
    const { bytes } = await prove(pk, [{ main: cols }], [cols[0][0]], {
      selfCheck: false,
      parallel: true,
      onPhase: (name, ms) => (phases[name] = Math.round((phases[name] ?? 0) + ms)),
    });
    const proveMs = Math.round(performance.now() - tp);
    clearInterval(timer);
    const tv = performance.now();
    verify(air, pk.vkey, [cols[0][0]], bytes, DEFAULT_OPTIONS);
    const verifyMs = Math.round(performance.now() - tv);
    const run = {
      rows: 1 << logN,
      columns: WIDTH,
      proveMs,
      phases,
      verifyMs,
      proofBytes: bytes.length,
      peakRssMiB: Math.round(peak / 2 ** 20),
    };
    console.log(
      `${WIDTH} x 2^${logN}: prove ${proveMs} ms ${JSON.stringify(phases)}, verify ${verifyMs} ms, proof ${bytes.length} B, peak RSS ${run.peakRssMiB} MiB`,
    );
    runs.push(run);
  }
  result.runs = runs;
  await closeHashPool();
  console.log(JSON.stringify(result));
}

await main();
