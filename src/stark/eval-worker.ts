/**
 * Worker thread of eval-pool.ts: evaluates a range of points of a constraint DAG with the
 * block evaluator, writing into a shared output.
 */
import { parentPort } from "node:worker_threads";
import type { EvalInputs } from "./compile.ts";
import { BlockEvaluator } from "./evaluator.ts";
import { type PlainNode, fromPlain } from "./expr.ts";

interface EvalTask {
  readonly dag: { nodes: PlainNode[]; roots: number[] };
  readonly inputs: EvalInputs;
  readonly start: number;
  readonly end: number;
  readonly alphaPows: Uint32Array;
  readonly out: SharedArrayBuffer;
}

parentPort!.on("message", (msg: { id: number; task: EvalTask }) => {
  try {
    const { dag, inputs, start, end, alphaPows, out } = msg.task;
    const ev = new BlockEvaluator(fromPlain(dag));
    const res = new Uint32Array(4 * (end - start));
    // Evaluate [start, end) into a local array indexed from 0, then copy into place.
    ev.run(inputs, start, end, "combine", alphaPows, res, start);
    new Uint32Array(out, 16 * start, 4 * (end - start)).set(res);
    parentPort!.postMessage({ id: msg.id });
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, error: (e as Error).message });
  }
});
