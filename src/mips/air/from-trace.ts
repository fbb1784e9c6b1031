/**
 * Adapts the executor's tracing-mode output (src/mips/trace.ts) to what the witness generator
 * needs: the executed pcs, each syscall's result registers (v0, a3 after the call), the fd-0/fd-4
 * bytes consumed, the public values and the exit code. Everything else the chips recompute from the
 * program image and the memory timeline, and the witness generator cross-checks the next pcs.
 */
import type { ExecutionTrace } from "../trace.ts";
import type { ExecutionSummary } from "./witness.ts";

export function summaryFromTrace(t: ExecutionTrace): ExecutionSummary {
  const syscalls: { v0: number; a3: number }[] = [];
  const e = t.extra;
  let j = 0;
  for (let row = 0; row < t.rows; row++) {
    const w = t.instruction[row];
    if (w >>> 26 !== 0 || (w & 63) !== 12) continue; // syscall (any code field)
    let v0 = 0;
    let a3 = 0;
    while (j < e.row.length && e.row[j] < row) j++;
    for (let k = j; k < e.row.length && e.row[k] === row; k++) {
      if (e.addr[k] === 2) v0 = e.value[k];
      if (e.addr[k] === 7) a3 = e.value[k];
    }
    syscalls.push({ v0, a3 });
  }
  return {
    pcs: t.pc,
    syscalls,
    input: t.input,
    hints: t.hints,
    exitCode: t.exitCode,
    publicValues: t.publicValues,
    finalImage: t.finalImage,
  };
}
