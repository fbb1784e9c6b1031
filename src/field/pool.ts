/**
 * A small worker pool for the prover's field work (both cores): LDEs of column groups and row
 * reductions, over SharedArrayBuffer-backed matrices so nothing large is copied. Workers start
 * on first use (ZKMIPS_FIELD_THREADS overrides the count), are unref'd, and produce exactly the
 * results of the single-thread functions in wasm.ts / prover.ts (tested).
 */
import { WorkerPool } from "../util/worker-pool.ts";
import { wasmReduceRows } from "./wasm.ts";

export type FieldTask =
  | {
      readonly kind: "lde";
      readonly columns: Uint32Array[];
      readonly logBlowup: number;
      readonly shift: number;
      readonly out: SharedArrayBuffer;
      readonly width: number;
      readonly col0: number;
    }
  | {
      readonly kind: "reduce";
      readonly matrix: SharedArrayBuffer;
      readonly width: number;
      readonly row0: number;
      readonly rows: number;
      readonly coef: Uint32Array;
      readonly out: SharedArrayBuffer;
      readonly accumulate: boolean;
    };

const pool = new WorkerPool<FieldTask>(new URL("./worker.ts", import.meta.url), "field worker");

/** A Uint32Array on a SharedArrayBuffer. */
export function sharedU32(len: number): Uint32Array {
  return new Uint32Array(new SharedArrayBuffer(4 * len));
}

/** Row-major LDE of columns (as prover.ldeColumns), computed by the workers into shared memory. */
export async function parallelLdeColumns(
  columns: readonly Uint32Array[],
  logBlowup: number,
  shift: number,
): Promise<Uint32Array> {
  const w = columns.length;
  if (w === 0) return new Uint32Array(0);
  const size = columns[0].length << logBlowup;
  const out = sharedU32(size * w);
  const per = Math.ceil(w / pool.size);
  const jobs: Promise<void>[] = [];
  for (let k = 0; k * per < w; k++) {
    const col0 = k * per;
    jobs.push(
      pool.run(k, {
        kind: "lde",
        columns: columns.slice(col0, col0 + per).map((c) => Uint32Array.from(c)),
        logBlowup,
        shift,
        out: out.buffer as SharedArrayBuffer,
        width: w,
        col0,
      }),
    );
  }
  await Promise.all(jobs);
  return out;
}

/**
 * out[i] (+)= sum_c m[i][c] coef[c] (as wasmReduceRows); rows are split over the workers when
 * `m` and `out` live in shared memory, otherwise this runs on the calling thread.
 */
export async function parallelReduceRows(
  m: Uint32Array,
  rows: number,
  width: number,
  coef: Uint32Array,
  out: Uint32Array,
  accumulate: boolean,
): Promise<void> {
  const shared =
    m.buffer instanceof SharedArrayBuffer &&
    out.buffer instanceof SharedArrayBuffer &&
    m.byteOffset === 0 &&
    out.byteOffset === 0;
  if (!shared || rows < 4096) {
    wasmReduceRows(m, rows, width, coef, out, accumulate);
    return;
  }
  const per = Math.ceil(rows / pool.size);
  const jobs: Promise<void>[] = [];
  for (let k = 0; k * per < rows; k++) {
    const row0 = k * per;
    jobs.push(
      pool.run(k, {
        kind: "reduce",
        matrix: m.buffer as SharedArrayBuffer,
        width,
        row0,
        rows: Math.min(per, rows - row0),
        coef: Uint32Array.from(coef),
        out: out.buffer as SharedArrayBuffer,
        accumulate,
      }),
    );
  }
  await Promise.all(jobs);
}

/** Terminates the pool (a later call starts a new one). */
export async function closeFieldPool(): Promise<void> {
  await pool.close();
}

/** Starts the workers now (they load while the caller does other work). */
export function warmFieldPool(): void {
  pool.start();
}
