/**
 * Worker pool for the quotient's constraint evaluation (prove({ parallel: true })): the point
 * range is split over the workers, which read the LDE matrices from shared memory (other
 * inputs are copied) and write the combined values into a shared output.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { EvalInputs } from "./compile.ts";
import { type Expr, toPlain } from "./expr.ts";

interface PoolWorker {
  readonly worker: Worker;
  readonly pending: Map<number, { resolve: () => void; reject: (e: Error) => void }>;
}

let pool: PoolWorker[] | undefined;
let nextId = 0;

function getPool(): PoolWorker[] {
  if (pool) return pool;
  const env = Number(process.env.ZKMIPS_FIELD_THREADS);
  const count = Number.isInteger(env) && env > 0 ? env : Math.max(1, availableParallelism());
  const url = new URL("./eval-worker.ts", import.meta.url);
  pool = Array.from({ length: count }, () => {
    const worker = new Worker(url, { execArgv: ["--import", "tsx"] });
    const pw: PoolWorker = { worker, pending: new Map() };
    worker.on("message", (m: { id: number; error?: string }) => {
      const p = pw.pending.get(m.id);
      pw.pending.delete(m.id);
      if (pw.pending.size === 0) worker.unref();
      if (!p) return;
      if (m.error) p.reject(new Error(`evaluation worker: ${m.error}`));
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

/** Same result as BlockEvaluator.run(inputs, 0, count, "combine", alphaPows, out). */
export async function parallelCombine(
  exprs: readonly Expr[],
  inputs: EvalInputs,
  count: number,
  alphaPows: Uint32Array,
): Promise<Uint32Array> {
  const out = new Uint32Array(new SharedArrayBuffer(16 * count));
  const workers = getPool();
  const dag = toPlain(exprs);
  // Block-aligned ranges (1024 points per block inside the evaluator).
  const per = Math.ceil(count / workers.length / 1024) * 1024;
  const jobs: Promise<void>[] = [];
  for (let k = 0; k * per < count; k++) {
    const w = workers[k];
    const start = k * per;
    const end = Math.min(count, start + per);
    const id = nextId++;
    jobs.push(
      new Promise<void>((resolve, reject) => {
        w.pending.set(id, { resolve, reject });
        w.worker.ref();
        w.worker.postMessage({ id, task: { dag, inputs, start, end, alphaPows, out: out.buffer } });
      }),
    );
  }
  await Promise.all(jobs);
  return out;
}

/** Starts the workers now (they load while the caller does other work). */
export function warmEvalPool(): void {
  getPool();
}
