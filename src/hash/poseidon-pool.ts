/**
 * A reusable pool of worker threads for row hashing. Workers start on first use, one per
 * available core; they are unref'd while idle, so an idle pool never keeps the process alive,
 * and `closeHashPool` terminates them. Jobs are row ranges: the rows are copied (transferred)
 * to a worker, which returns their hashes.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { LIMBS_PER_ELEMENT } from "./poseidon-limbs.ts";

interface Job {
  readonly id: number;
  readonly matrix: Uint32Array<ArrayBuffer>;
  readonly width: number;
  readonly rows: number;
  readonly resolve: (hashes: Uint32Array<ArrayBuffer>) => void;
  readonly reject: (err: Error) => void;
}

interface WorkerReply {
  readonly id: number;
  readonly hashes?: Uint32Array<ArrayBuffer>;
  readonly error?: string;
}

interface PoolWorker {
  readonly worker: Worker;
  job: Job | undefined;
}

/** Below this many values a call is hashed on the calling thread (messaging would dominate). */
const MIN_PARALLEL_VALUES = 1 << 14;
/** Chunks per worker: small enough to balance load on a busy machine. */
const CHUNKS_PER_WORKER = 4;

let pool: PoolWorker[] | undefined;
const queue: Job[] = [];
let nextId = 0;

function workerCount(): number {
  const env = Number(process.env.ZKMIPS_HASH_THREADS);
  return Number.isInteger(env) && env > 0 ? env : Math.max(1, availableParallelism());
}

function failAll(err: Error): void {
  for (const w of pool ?? []) {
    w.job?.reject(err);
    w.job = undefined;
    void w.worker.terminate();
  }
  pool = undefined;
  for (const job of queue.splice(0)) job.reject(err);
}

function startPool(): PoolWorker[] {
  const url = new URL("./poseidon-worker.ts", import.meta.url);
  const workers = Array.from({ length: workerCount() }, (): PoolWorker => {
    const worker = new Worker(url, { execArgv: ["--import", "tsx"] });
    const pw: PoolWorker = { worker, job: undefined };
    worker.on("message", (reply: WorkerReply) => {
      const job = pw.job;
      pw.job = undefined;
      if (job && job.id === reply.id) {
        if (reply.hashes) job.resolve(reply.hashes);
        else job.reject(new Error(reply.error ?? "hash worker failed"));
      }
      dispatch();
    });
    worker.on("error", (err) => failAll(err));
    worker.on("exit", (code) => {
      if (pool?.includes(pw)) failAll(new Error(`hash worker exited with code ${code}`));
    });
    worker.unref();
    return pw;
  });
  return workers;
}

function dispatch(): void {
  if (!pool) return;
  for (const pw of pool) {
    if (pw.job) continue;
    const job = queue.shift();
    if (!job) {
      pw.worker.unref();
      continue;
    }
    pw.job = job;
    pw.worker.ref();
    pw.worker.postMessage({ id: job.id, matrix: job.matrix, width: job.width, rows: job.rows }, [
      job.matrix.buffer,
    ]);
  }
}

/**
 * Hashes rows on the pool; `hashRowsSync` is used on the calling thread for small inputs.
 */
export async function hashRowsInPool(
  matrix: Uint32Array,
  width: number,
  rows: number,
  hashRowsSync: (m: Uint32Array, w: number, r: number) => Uint32Array,
): Promise<Uint32Array> {
  const threads = workerCount();
  if (rows * width < MIN_PARALLEL_VALUES || threads === 1 || rows < 2)
    return hashRowsSync(matrix, width, rows);
  pool ??= startPool();
  const chunks = Math.min(rows, pool.length * CHUNKS_PER_WORKER);
  const per = Math.ceil(rows / chunks);
  const out = new Uint32Array(rows * LIMBS_PER_ELEMENT);
  const parts: Promise<void>[] = [];
  for (let r0 = 0; r0 < rows; r0 += per) {
    const n = Math.min(per, rows - r0);
    const slice = matrix.slice(r0 * width, (r0 + n) * width);
    parts.push(
      new Promise<Uint32Array<ArrayBuffer>>((resolve, reject) =>
        queue.push({ id: nextId++, matrix: slice, width, rows: n, resolve, reject }),
      ).then((hashes) => out.set(hashes, r0 * LIMBS_PER_ELEMENT)),
    );
  }
  dispatch();
  await Promise.all(parts);
  return out;
}

/** Terminates the pool's workers (a later call starts a new pool). */
export async function closeHashPool(): Promise<void> {
  const workers = pool;
  pool = undefined;
  if (!workers) return;
  for (const job of queue.splice(0)) job.reject(new Error("hash pool closed"));
  await Promise.all(workers.map((w) => w.worker.terminate()));
}
