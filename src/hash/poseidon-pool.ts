/**
 * A reusable pool of worker threads for hashing. Workers start on first use, one per
 * available core (ZKMIPS_HASH_THREADS overrides); they are unref'd while idle, so an idle pool
 * never keeps the process alive, and `closeHashPool` terminates them. A job is a range of rows
 * (hashRows) or of independent Poseidon calls (poseidonBatch): its input is copied to a worker,
 * which transfers the hashes back.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { LIMBS_PER_ELEMENT } from "./poseidon-limbs.ts";

/** What a worker is asked to do (see poseidon-worker.ts). */
export type HashRequest =
  | {
      readonly kind: "rows";
      readonly matrix: Uint32Array<ArrayBuffer>;
      readonly width: number;
      readonly rows: number;
    }
  | {
      readonly kind: "batch";
      readonly n: number;
      readonly inputs: Uint32Array<ArrayBuffer>;
      readonly count: number;
    };

interface Job {
  readonly id: number;
  readonly request: HashRequest;
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
/** Below this many Poseidon inputs a batch is hashed on the calling thread. */
const MIN_PARALLEL_CALL_INPUTS = 1 << 10;
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
    const buffer = job.request.kind === "rows" ? job.request.matrix.buffer : job.request.inputs.buffer;
    pw.worker.postMessage({ id: job.id, request: job.request }, [buffer]);
  }
}

/**
 * Splits `items` items into chunks, runs `request(from, to)` for each on the pool and writes each
 * chunk's hashes (8 limbs per item) into one array.
 */
async function runChunked(
  items: number,
  request: (from: number, to: number) => HashRequest,
): Promise<Uint32Array> {
  pool ??= startPool();
  const chunks = Math.min(items, pool.length * CHUNKS_PER_WORKER);
  const per = Math.ceil(items / chunks);
  const out = new Uint32Array(items * LIMBS_PER_ELEMENT);
  const parts: Promise<void>[] = [];
  for (let from = 0; from < items; from += per) {
    const req = request(from, Math.min(items, from + per));
    parts.push(
      new Promise<Uint32Array<ArrayBuffer>>((resolve, reject) =>
        queue.push({ id: nextId++, request: req, resolve, reject }),
      ).then((hashes) => out.set(hashes, from * LIMBS_PER_ELEMENT)),
    );
  }
  dispatch();
  await Promise.all(parts);
  return out;
}

/** Hashes rows on the pool; `hashRowsSync` is used on the calling thread for small inputs. */
export async function hashRowsInPool(
  matrix: Uint32Array,
  width: number,
  rows: number,
  hashRowsSync: (m: Uint32Array, w: number, r: number) => Uint32Array,
): Promise<Uint32Array> {
  if (rows * width < MIN_PARALLEL_VALUES || workerCount() === 1 || rows < 2)
    return hashRowsSync(matrix, width, rows);
  return runChunked(rows, (from, to) => ({
    kind: "rows",
    matrix: matrix.slice(from * width, to * width),
    width,
    rows: to - from,
  }));
}

/** count Poseidon(n) calls on the pool; `batchSync` is used on the calling thread for small inputs. */
export async function poseidonBatchInPool(
  n: number,
  inputs: Uint32Array,
  count: number,
  batchSync: (n: number, inputs: Uint32Array, count: number) => Uint32Array,
): Promise<Uint32Array> {
  if (count * n < MIN_PARALLEL_CALL_INPUTS || workerCount() === 1 || count < 2)
    return batchSync(n, inputs, count);
  const per = n * LIMBS_PER_ELEMENT;
  return runChunked(count, (from, to) => ({
    kind: "batch",
    n,
    inputs: inputs.slice(from * per, to * per),
    count: to - from,
  }));
}

/** Terminates the pool's workers (a later call starts a new pool). */
export async function closeHashPool(): Promise<void> {
  const workers = pool;
  pool = undefined;
  if (!workers) return;
  for (const job of queue.splice(0)) job.reject(new Error("hash pool closed"));
  await Promise.all(workers.map((w) => w.worker.terminate()));
}
