/**
 * Witness generation: replays an execution (the pcs the executor ran and the syscall results it
 * produced) through the chips, which compute every column from the program image and the running
 * memory timeline, and cross-checks every next pc against the executor's. An instruction or syscall
 * without a chip stops with a ZkmipsError naming it: the prover never proves what it cannot check.
 */
import { ZkmipsError } from "../../errors.ts";
import { TS_DIFF_BITS } from "./buses.ts";
import { type Decoded, decodeInstruction, isUnsupported } from "./decode.ts";
import { LookupCounts, MemoryTimeline, Witness } from "./gadgets.ts";
import type { FillEnv, Step } from "./instr.ts";
import type { MipsMachine } from "./machine.ts";
import { SyscallChip, UnsupportedSyscall } from "./chips/syscall.ts";
import { fillByteTable, fillMemFinal, fillProgramTable, publicInputs, PV_MAX } from "./tables.ts";

/** What the witness generator needs from an execution. */
export interface ExecutionSummary {
  /**
   * pc of every executed instruction, in order (the last one is the exit syscall). When absent
   * (tests only), the chips' own next pcs are followed and write/read results come from the model
   * "write returns a2, read returns min(a2, bytes left)".
   */
  readonly pcs?: Uint32Array;
  /** Per executed syscall, in order: the result registers (unused for exit). */
  readonly syscalls: readonly { readonly v0: number; readonly a3: number }[];
  /** Bytes consumed from fd 0 and fd 4, in order of the reads. */
  readonly input: Uint8Array;
  readonly hints: Uint8Array;
  readonly exitCode: number;
  readonly publicValues: Uint8Array;
}

export interface MipsWitness {
  /** Main columns per table, in table order. */
  readonly traces: { main: Uint32Array[] }[];
  readonly publicInputs: number[];
  readonly exitCode: number;
  readonly publicValues: Uint8Array;
  readonly rowsPerTable: Map<string, number>;
  readonly cycles: number;
}

/** Largest run one proof covers: every chip table must fit 2^20 rows and timestamps 2^23. */
export const MAX_CYCLES = 1 << 20;

const nextPow2 = (n: number): number => {
  let h = 4;
  while (h < n) h *= 2;
  return h;
};

function describe(
  pc: number,
  word: number,
  d: Decoded | { name: string; unsupported?: string } | null,
): string {
  return `pc 0x${pc.toString(16).padStart(8, "0")} (word 0x${(word >>> 0).toString(16).padStart(8, "0")}${d ? `, ${d.name}` : ""})`;
}

export function generateWitness(m: MipsMachine, run: ExecutionSummary): MipsWitness {
  const follow = run.pcs === undefined;
  const cycles = run.pcs?.length ?? MAX_CYCLES;
  if (cycles > MAX_CYCLES)
    throw new ZkmipsError(
      `the run takes ${cycles} cycles, more than the ${MAX_CYCLES} one proof covers`,
      "prove a shorter run",
    );
  if (run.publicValues.length > PV_MAX)
    throw new ZkmipsError(
      `the guest wrote ${run.publicValues.length} public-values bytes, more than PV_MAX = ${PV_MAX}`,
    );
  const image = new Map<number, number>();
  for (const [addr, word] of m.program.words) image.set(addr / 4, word);
  const code = m.program.code.map(([s, e]) => [s / 4, e / 4] as const);
  const env: FillEnv = {
    mem: new MemoryTimeline(image),
    lk: new LookupCounts(),
    pv: [],
    isCode: (key) => code.some(([s, e]) => key >= s && key < e),
  };
  const chipWit = new Map(m.chips.map((c) => [c, new Witness(c.layout, 1024)]));
  const ioWit = new Witness(m.io.layout, 1024);
  let inPos = 0;
  let hintPos = 0;
  let sysIndex = 0;
  let clk = 1;
  let pc = m.program.entry;
  let npc = (pc + 4) >>> 0;
  let cyclesDone = cycles;
  let exitCode = -1;
  for (let i = 0; i < cycles; i++) {
    if (run.pcs && run.pcs[i] !== pc)
      throw new Error(
        `trace pc 0x${run.pcs[i].toString(16)} at step ${i} differs from the AIR's 0x${pc.toString(16)}`,
      );
    const word = m.program.words.get(pc) ?? 0;
    const dec = m.decoded.get(pc);
    if (!dec) {
      const d = decodeInstruction(word, pc);
      const cls = d && isUnsupported(d) ? d.unsupported : "an instruction";
      throw new ZkmipsError(
        `cannot prove ${describe(pc, word, d)}: ${cls} has no AIR chip yet`,
        "see docs/mips-air.md for the proven instruction set",
      );
    }
    const chip = m.chipOfFamily.get(dec.family)!;
    const w = chipWit.get(chip)!;
    const row = w.addRow();
    const step: Step = { clk, pc, npc, nnpc: 0, word, dec };
    if (chip instanceof SyscallChip) {
      step.sys = run.syscalls[sysIndex++];
      if (!step.sys && follow) {
        const fd = env.mem.peek(4);
        const a2 = env.mem.peek(6);
        const left = fd === 4 ? run.hints.length - hintPos : run.input.length - inPos;
        step.sys = { v0: env.mem.peek(2) === 4003 ? Math.min(a2, left) : a2, a3: 0 };
      }
    }
    let nnpc: number;
    try {
      nnpc = chip.fill(w, row, step, env);
    } catch (e) {
      if (e instanceof UnsupportedSyscall)
        throw new ZkmipsError(`cannot prove ${e.message}`, "see docs/mips-air.md for the proven syscalls");
      throw e;
    }
    if (nnpc === 0 && chip instanceof SyscallChip) exitCode = env.mem.peek(4) & 255;
    let extra = 0;
    if (chip instanceof SyscallChip && chip.pendingIo) {
      const req = chip.pendingIo;
      const fd = env.mem.peek(4);
      const src = fd === 4 ? run.hints : run.input;
      const start = fd === 4 ? hintPos : inPos;
      m.io.fill(ioWit, req, env, (k) => src[start + k]);
      if (req.kind === 2) {
        if (fd === 4) hintPos += req.bytes.length;
        else inPos += req.bytes.length;
      }
      extra = req.bytes.length;
      chip.pendingIo = null;
    }
    clk += chip.clkStep + extra;
    if (clk >= 1 << (TS_DIFF_BITS - 1))
      throw new ZkmipsError(
        `the run needs more than 2^${TS_DIFF_BITS - 1} clock ticks`,
        "prove a shorter run",
      );
    if (follow && nnpc === 0 && chip instanceof SyscallChip) {
      cyclesDone = i + 1;
      break;
    }
    if (i === cycles - 1) {
      if (nnpc !== 0)
        throw new ZkmipsError("the run did not end with an exit syscall", "only complete runs are proven");
      break;
    }
    pc = step.nextPcOverride ?? npc;
    npc = nnpc >>> 0;
  }
  if (exitCode < 0)
    throw new ZkmipsError("the run did not end with an exit syscall", "only complete runs are proven");
  const pv = Uint8Array.from(env.pv);
  if (!follow) {
    if (pv.length !== run.publicValues.length || pv.some((b, i) => b !== run.publicValues[i]))
      throw new Error("public values recomputed by the AIR differ from the executor's");
    if (exitCode !== run.exitCode)
      throw new Error(
        `exit code ${exitCode} recomputed by the AIR differs from the executor's ${run.exitCode}`,
      );
  }
  const final = fillMemFinal(env.mem.entries(), new Set(image.keys()), env.lk);
  const traces: { main: Uint32Array[] }[] = [];
  const rowsPerTable = new Map<string, number>();
  for (const t of m.air.tables) {
    if (t.name === "Program") {
      traces.push({ main: fillProgramTable(m.programHeight, m.rowOfPc as Map<number, number>, env.lk) });
      rowsPerTable.set(t.name, m.programHeight);
    } else if (t.name === "Byte") {
      traces.push({ main: fillByteTable(env.lk) });
      rowsPerTable.set(t.name, 256);
    } else if (t.name === "MemFinal") {
      traces.push({ main: final.finish(nextPow2(final.rows)) });
      rowsPerTable.set(t.name, final.rows);
    } else if (t.name === "Io") {
      traces.push({ main: ioWit.finish(nextPow2(ioWit.rows)) });
      rowsPerTable.set(t.name, ioWit.rows);
    } else {
      const chip = m.chips.find((c) => c.name === t.name)!;
      const w = chipWit.get(chip)!;
      traces.push({ main: w.finish(nextPow2(w.rows)) });
      rowsPerTable.set(t.name, w.rows);
    }
  }
  return {
    traces,
    publicInputs: publicInputs(exitCode, pv),
    exitCode,
    publicValues: pv,
    rowsPerTable,
    cycles: cyclesDone,
  };
}
