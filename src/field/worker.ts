/**
 * Worker thread of the field pool (pool.ts): runs WASM LDEs and row reductions on slices of
 * shared (SharedArrayBuffer-backed) matrices, writing results into shared outputs.
 */
import { parentPort } from "node:worker_threads";
import { wasmCosetLdeBitrev, wasmReduceRows } from "./wasm.ts";
import type { FieldTask } from "./pool.ts";

parentPort!.on("message", (msg: { id: number; task: FieldTask }) => {
  try {
    run(msg.task);
    parentPort!.postMessage({ id: msg.id });
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, error: (e as Error).message });
  }
});

function run(task: FieldTask): void {
  if (task.kind === "lde") {
    const { columns, logBlowup, shift, out, width, col0 } = task;
    const dst = new Uint32Array(out);
    const GROUP = 16;
    for (let j0 = 0; j0 < columns.length; j0 += GROUP) {
      const ldes = columns.slice(j0, j0 + GROUP).map((c) => wasmCosetLdeBitrev(c, logBlowup, shift));
      const size = ldes[0].length;
      const g = ldes.length;
      for (let i = 0; i < size; i++) {
        const o = i * width + col0 + j0;
        for (let k = 0; k < g; k++) dst[o + k] = ldes[k][i];
      }
    }
  } else {
    const { matrix, width, row0, rows, coef, out, accumulate } = task;
    const m = new Uint32Array(matrix, 4 * row0 * width, rows * width);
    const o = new Uint32Array(out, 16 * row0, 4 * rows);
    const res = accumulate ? Uint32Array.from(o) : new Uint32Array(4 * rows);
    wasmReduceRows(m, rows, width, coef, res, accumulate);
    o.set(res);
  }
}
