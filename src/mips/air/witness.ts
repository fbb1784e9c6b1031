/**
 * Witness generation: replays an execution (the pcs the executor ran and the syscall results it
 * produced) through the chips, which compute every column from the program image and the running
 * memory timeline, and cross-checks every next pc against the executor's. An instruction or syscall
 * without a chip stops with a ZkmipsError naming it: the prover never proves what it cannot check.
 */
import { ZkmipsError } from "../../errors.ts";
import { TS_DIFF_BITS } from "./buses.ts";
import { type Decoded, Family, REG_USER_LOCAL, decodeInstruction, isUnsupported } from "./decode.ts";
import { LookupCounts, MemoryTimeline, Witness } from "./gadgets.ts";
import type { FillEnv, Step } from "./instr.ts";
import type { MipsMachine } from "./machine.ts";
import { SyscallChip, UnsupportedSyscall } from "./chips/syscall.ts";
import { fillKeccak } from "./chips/keccak.ts";
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
  /**
   * The executor's final value of every address it accessed (registers 0-33, memory words at byte
   * addresses), when known: checked against the AIR's memory after the run, so chips that compute
   * what a syscall writes (SysMisc) cannot silently disagree with the executor.
   */
  readonly finalImage?: { readonly addr: Uint32Array; readonly value: Uint32Array };
}

export interface MipsWitness {
  /** Main columns per table, in table order. */
  readonly traces: { main: Uint32Array[] }[];
  readonly publicInputs: number[];
  readonly exitCode: number;
  readonly publicValues: Uint8Array;
  readonly rowsPerTable: Map<string, number>;
  /** log2 heights before padding (the next power of two of each table's rows, at least 4). */
  readonly naturalLogHeights: Readonly<Record<string, number>>;
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

/**
 * Table heights to pad to (log2, by table name; absent tables keep their natural height), or a
 * function choosing them from the natural log2 heights (e.g. the smallest shape that fits). Padding
 * rows are zero rows, as for the natural power-of-two padding. Program and Byte cannot change height.
 */
export type PadTo =
  | Readonly<Record<string, number>>
  | ((natural: Readonly<Record<string, number>>) => Readonly<Record<string, number>> | undefined);

export interface WitnessOptions {
  padTo?: PadTo;
}

export function generateWitness(
  m: MipsMachine,
  run: ExecutionSummary,
  opts: WitnessOptions = {},
): MipsWitness {
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
  const keccakWit = new Witness(m.keccak.layout, 24);
  const keccakMemWit = new Witness(m.keccakMem.layout, 32);
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
    const chip =
      m.chips.find((c) => c.family === dec.family && c.handles?.(env)) ?? m.chipOfFamily.get(dec.family)!;
    const w = chipWit.get(chip)!;
    const row = w.addRow();
    const step: Step = { clk, pc, npc, nnpc: 0, word, dec };
    if (dec.family === Family.Syscall) {
      step.sys = run.syscalls[sysIndex++];
      if (!step.sys && follow && chip instanceof SyscallChip) {
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
    if (chip instanceof SyscallChip && chip.pendingKeccak) {
      if (!m.hasKeccak)
        throw new ZkmipsError(
          `cannot prove the keccakf call at pc 0x${pc.toString(16)}: this AIR has no Keccak tables`,
        );
      fillKeccak(m.keccak, m.keccakMem, keccakWit, keccakMemWit, chip.pendingKeccak, env);
      chip.pendingKeccak = null;
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
  const fin = run.finalImage;
  for (let i = 0; fin && i < fin.addr.length; i++) {
    const a = fin.addr[i];
    if (a === 0 || (a > 34 && a < 0x1000)) continue; // $zero: no AIR key
    const air = env.mem.peek(a === 34 ? REG_USER_LOCAL : a < 0x1000 ? a : a >>> 2); // 34: UserLocal
    if (air !== fin.value[i] >>> 0)
      throw new Error(
        `final value at address 0x${a.toString(16)}: the executor has 0x${fin.value[i].toString(16)}, the AIR 0x${air.toString(16)}`,
      );
  }
  if (!follow) {
    if (pv.length !== run.publicValues.length || pv.some((b, i) => b !== run.publicValues[i]))
      throw new Error("public values recomputed by the AIR differ from the executor's");
    if (exitCode !== run.exitCode)
      throw new Error(
        `exit code ${exitCode} recomputed by the AIR differs from the executor's ${run.exitCode}`,
      );
  }
  const final = fillMemFinal(env.mem.entries(), new Set(image.keys()), env.lk);
  // Per table: rows used, the natural height (fixed for Program/Byte) and how to fill it at a height.
  const parts = m.air.tables.map((t) => {
    if (t.name === "Program")
      return {
        rows: m.programHeight,
        natural: m.programHeight,
        fill: (h: number) => fillProgramTable(h, m.rowOfPc as Map<number, number>, env.lk),
      };
    if (t.name === "Byte") return { rows: 256, natural: 256, fill: () => fillByteTable(env.lk) };
    const w =
      t.name === "MemFinal"
        ? final
        : t.name === "Io"
          ? ioWit
          : t.name === "Keccak"
            ? keccakWit
            : t.name === "KeccakMem"
              ? keccakMemWit
              : chipWit.get(m.chips.find((c) => c.name === t.name)!)!;
    return { rows: w.rows, natural: nextPow2(w.rows), fill: (h: number) => w.finish(h) };
  });
  const naturalLog = Object.fromEntries(m.air.tables.map((t, i) => [t.name, Math.log2(parts[i].natural)]));
  const target = typeof opts.padTo === "function" ? opts.padTo(naturalLog) : opts.padTo;
  const heights = parts.map((p, i) => {
    const name = m.air.tables[i].name;
    const lg = target?.[name];
    if (lg === undefined) return p.natural;
    if ((name === "Program" || name === "Byte") && 1 << lg !== p.natural)
      throw new ZkmipsError(
        `cannot pad table ${name} to 2^${lg} rows: its height is fixed at 2^${Math.log2(p.natural)} (part of the program's vkey)`,
      );
    if (!Number.isInteger(lg) || lg < 2 || lg > 20)
      throw new ZkmipsError(`cannot pad table ${name} to 2^${lg} rows: log2 heights are 2..20`);
    if (p.rows > 1 << lg)
      throw new ZkmipsError(
        `table ${name} has ${p.rows} rows, more than the 2^${lg} it is padded to`,
        "pick a larger shape",
      );
    return 1 << lg;
  });
  const unknown = Object.keys(target ?? {}).filter((n) => !m.tableIndex.has(n));
  if (unknown.length > 0) throw new Error(`padTo names unknown tables: ${unknown.join(", ")}`);
  const traces = parts.map((p, i) => ({ main: p.fill(heights[i]) }));
  const rowsPerTable = new Map(m.air.tables.map((t, i) => [t.name, parts[i].rows]));
  return {
    traces,
    publicInputs: publicInputs(exitCode, pv),
    exitCode,
    publicValues: pv,
    rowsPerTable,
    naturalLogHeights: naturalLog,
    cycles: cyclesDone,
  };
}
