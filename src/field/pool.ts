/**
 * A small worker pool for the prover's field work (both cores): LDEs of column groups and row
 * reductions, over SharedArrayBuffer-backed matrices so nothing large is copied. Workers start
 * on first use (ZKMIPS_FIELD_THREADS overrides the count), are unref'd, and produce exactly the
 * results of the single-thread functions in wasm.ts / prover.ts (tested).
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
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

interface PoolWorker {
  readonly worker: Worker;
  pending: Map<number, { resolve: () => void; reject: (e: Error) => void }>;
}

let pool: PoolWorker[] | undefined;
let nextId = 0;

function threads(): number {
  const env = Number(process.env.ZKMIPS_FIELD_THREADS);
  return Number.isInteger(env) && env > 0 ? env : Math.max(1, availableParallelism());
}

function getPool(): PoolWorker[] {
  if (pool) return pool;
  const url = new URL("./worker.ts", import.meta.url);
  pool = Array.from({ length: threads() }, () => {
    const worker = new Worker(url, { execArgv: ["--import", "tsx"] });
    const pw: PoolWorker = { worker, pending: new Map() };
    worker.on("message", (m: { id: number; error?: string }) => {
      const p = pw.pending.get(m.id);
      pw.pending.delete(m.id);
      if (pw.pending.size === 0) worker.unref();
      if (!p) return;
      if (m.error) p.reject(new Error(`field worker: ${m.error}`));
      else p.resolve();
    });
    worker.on("error", (e) => {
      for (const p of pw.pending.values()) p.reject(e);
      pw.pending.clear();
      pool = undefined;
    });
    worker.unref();
    return pw;
  });
  return pool;
}

function submit(w: PoolWorker, task: FieldTask): Promise<void> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    w.pending.set(id, { resolve, reject });
    w.worker.ref();
    w.worker.postMessage({ id, task });
  });
}

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
  const workers = getPool();
  const per = Math.ceil(w / workers.length);
  const jobs: Promise<void>[] = [];
  for (let k = 0; k * per < w; k++) {
    const col0 = k * per;
    jobs.push(
      submit(workers[k], {
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
  const workers = getPool();
  const per = Math.ceil(rows / workers.length);
  const jobs: Promise<void>[] = [];
  for (let k = 0; k * per < rows; k++) {
    const row0 = k * per;
    jobs.push(
      submit(workers[k], {
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
  const p = pool;
  pool = undefined;
  if (p) await Promise.all(p.map((w) => w.worker.terminate()));
}

/** Starts the workers now (they load while the caller does other work). */
export function warmFieldPool(): void {
  getPool();
}
