/**
 * `npm run bench:exec`: instructions per second of the executor's fast mode and tracing mode on
 * bigloop (~50M instructions) and the keccak guest, and of qemu-mipsel on the same ELFs.
 * Tracing figures include building the finished columns (`finish`); the reference tracing path
 * (one interpreter step per row) is shown for comparison, with the trace's bytes per row.
 * Last line: {"mips_per_s", "trace_rows_per_s", "qemu_ratio"} (qemu_ratio = qemu speed / ours).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { execute, loadElf, type MipsProgram } from "../src/mips/index.ts";
import { createMachine } from "../src/mips/execute.ts";
import { TraceRecorder, type ExecutionTrace } from "../src/mips/trace.ts";

const root = new URL("..", import.meta.url).pathname;
/** Rows traced per run (compiled tracing path), and for the reference path (one step per row). */
const TRACE_ROWS = 3_000_000;
const REF_ROWS = 1_000_000;

function fast(p: MipsProgram, input: Uint8Array, runs = 3): { cycles: number; perS: number } {
  let best = 0;
  let cycles = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    cycles = execute(p, { input, stdout: () => {} }).cycles;
    best = Math.max(best, cycles / ((performance.now() - t0) / 1000));
  }
  return { cycles, perS: best };
}

interface Traced {
  /** Rows per second recording and building the columns (`run` + `finish`), and `run` alone. */
  perS: number;
  runPerS: number;
  /** Bytes of the finished trace's typed arrays per row, and resident memory growth per row. */
  bytes: number;
  rss: number;
  /** perS of the first run (blocks compiled and optimised by V8 during it; later runs reuse them). */
  firstPerS: number;
}

/** Bytes of every typed array in the trace, per row. */
function traceBytes(t: ExecutionTrace): number {
  let b = 0;
  const add = (o: object): void => {
    for (const v of Object.values(o)) {
      if (ArrayBuffer.isView(v)) b += v.byteLength;
      else if (v && typeof v === "object") add(v);
    }
  };
  add(t);
  return b / t.rows;
}

/** Best of `runs` traced runs over the first `maxRows` rows (with the first run's speed). */
function traced(p: MipsProgram, input: Uint8Array, maxRows: number, reference: boolean, runs = 3): Traced {
  let best: Traced | undefined;
  for (let k = 0; k < runs; k++) {
    const { cpu, sys } = createMachine(p, {
      input,
      hints: new Uint8Array(0),
      stdout: () => {},
      stderr: () => {},
    });
    const rss0 = process.memoryUsage().rss;
    const rec = new TraceRecorder(cpu, sys, { reference });
    const t0 = performance.now();
    rec.run(maxRows);
    const t1 = performance.now();
    const t = rec.finish(new Uint8Array(0), new Uint8Array(0), p.entry);
    const t2 = performance.now();
    const r: Traced = {
      perS: t.rows / ((t2 - t0) / 1000),
      runPerS: t.rows / ((t1 - t0) / 1000),
      bytes: traceBytes(t),
      rss: (process.memoryUsage().rss - rss0) / t.rows,
      firstPerS: best?.firstPerS ?? t.rows / ((t2 - t0) / 1000),
    };
    if (!best || r.perS > best.perS) best = r;
    else best.rss = Math.max(best.rss, r.rss);
  }
  return best!;
}

function qemu(elf: string, input: Uint8Array, cycles: number): number | undefined {
  if (spawnSync("qemu-mipsel", ["--version"]).status !== 0) return undefined;
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = spawnSync("qemu-mipsel", [elf], { input, stdio: ["pipe", "ignore", "ignore", "pipe", "pipe"] });
    if (r.status !== 0) return undefined;
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return cycles / best;
}

const M = (x: number): string => (x / 1e6).toFixed(1) + "M";
const results: Record<string, { fast: number; trace: Traced; qemu?: number; cycles: number }> = {};
const keccakInput = new Uint8Array(200_000).map((_, i) => i * 7);
const guests: [string, Uint8Array][] = [
  ["guests/bigloop/bigloop.elf", new Uint8Array(0)],
  ["guests/keccak/keccak.elf", keccakInput],
];
for (const [rel, input] of guests) {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(root + rel);
  } catch {
    console.log(`${rel}: missing, skipped`);
    continue;
  }
  const p = loadElf(bytes);
  const f = fast(p, input);
  const t = traced(p, input, Math.min(TRACE_ROWS, f.cycles), false);
  const ref = traced(p, input, Math.min(REF_ROWS, f.cycles), true, 1);
  const q = qemu(root + rel, input, f.cycles);
  results[rel] = { fast: f.perS, trace: t, qemu: q, cycles: f.cycles };
  console.log(
    `${rel}: ${f.cycles} instructions; fast ${M(f.perS)} instr/s; ` +
      `tracing ${M(t.perS)} rows/s incl. columns (run alone ${M(t.runPerS)}; first run ${M(t.firstPerS)}; ` +
      `reference path ${M(ref.perS)}); ` +
      `trace ${t.bytes.toFixed(0)} B/row (resident growth ${t.rss.toFixed(0)} B/row)` +
      (q
        ? `; qemu-mipsel ${M(q)} instr/s (x${(q / f.perS).toFixed(1)} faster, includes its start-up)`
        : "; qemu-mipsel not available"),
  );
}
const main = results["guests/bigloop/bigloop.elf"] ?? Object.values(results)[0];
console.log(
  JSON.stringify({
    mips_per_s: Math.round(main.fast),
    trace_rows_per_s: Math.round(main.trace.perS),
    qemu_ratio: main.qemu ? Number((main.qemu / main.fast).toFixed(2)) : null,
  }),
);
