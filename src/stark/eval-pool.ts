/**
 * Worker pool for the quotient's constraint evaluation (prove({ parallel: true })): the point
 * range is split over the workers, which read the LDE matrices from shared memory (other
 * inputs are copied) and write the combined values into a shared output.
 */
import { WorkerPool } from "../util/worker-pool.ts";
import type { EvalInputs } from "./compile.ts";
import { type Expr, toPlain } from "./expr.ts";

interface EvalTask {
  readonly dag: ReturnType<typeof toPlain>;
  readonly inputs: EvalInputs;
  readonly start: number;
  readonly end: number;
  readonly alphaPows: Uint32Array;
  readonly out: ArrayBufferLike;
}

const pool = new WorkerPool<EvalTask>(new URL("./eval-worker.ts", import.meta.url), "evaluation worker");

/** Same result as BlockEvaluator.run(inputs, 0, count, "combine", alphaPows, out). */
export async function parallelCombine(
  exprs: readonly Expr[],
  inputs: EvalInputs,
  count: number,
  alphaPows: Uint32Array,
): Promise<Uint32Array> {
  const out = new Uint32Array(new SharedArrayBuffer(16 * count));
  const dag = toPlain(exprs);
  // Block-aligned ranges (1024 points per block inside the evaluator).
  const per = Math.ceil(count / pool.size / 1024) * 1024;
  const jobs: Promise<void>[] = [];
  for (let k = 0; k * per < count; k++) {
    const start = k * per;
    const end = Math.min(count, start + per);
    jobs.push(pool.run(k, { dag, inputs, start, end, alphaPows, out: out.buffer }));
  }
  await Promise.all(jobs);
  return out;
}

/** Starts the workers now (they load while the caller does other work). */
export function warmEvalPool(): void {
  pool.start();
}
