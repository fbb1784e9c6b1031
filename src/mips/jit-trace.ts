/**
 * Tracing mode's block compiler. Like fast mode (jit.ts) it compiles straight-line runs of
 * instructions (up to a branch plus its delay slot) into JS functions; each compiled instruction
 * also writes what only the running block knows into the trace columns: the value and previous
 * value of each register access, the memory word's address and values, and the next pcs after
 * a branch. Everything static (pc, instruction, flags, register addresses, the next pcs of
 * straight-line rows) sits in column-wise per-block templates, and `expandBlock` (one generic,
 * quickly optimised function) completes the rows from them, with the previous timestamps from
 * `regTs` and the paged `memTs`. Keeping the generated code close to fast mode's keeps V8's
 * compile time per block small (fully inlined row writes made TurboFan spend ~0.2 s per block).
 *
 * Which accesses a row records comes from the same descriptors as the reference tracer
 * (trace-access.ts); test/mips/trace.test.ts compares both traces column by column.
 * A store into the text ends the block after that instruction (`ex[0]` = rows executed) so the
 * rest runs with the re-decoded code.
 */
import type { Cpu } from "./cpu.ts";
import { Op } from "./decode.ts";
import { BRANCH_COND, emit, mul64, type FaultFn } from "./jit.ts";
import { hex } from "./layout.ts";
import {
  COL_INS,
  COL_NNPC,
  COL_NPC,
  COL_PC,
  COL_SLOT,
  MEMKIND,
  M_WRITE,
  NREGS,
  SRC,
  WRITES,
  regIndex,
} from "./trace-access.ts";

/** Rows per traced block. */
export const MAX_TRACE_BLOCK = 64;

/** A compiled traced block: executes its rows (unless it throws) and returns the next pc. */
export type TraceBlockFn = (
  r: Int32Array,
  pages: (Int32Array | undefined)[],
  zero: Int32Array,
  cpu: Cpu,
  f: FaultFn,
  cols: Uint32Array[],
  i: number,
  ex: Int32Array,
) => number;

export interface TraceBlock {
  run: TraceBlockFn;
  /** Rows (instructions) of the block. */
  len: number;
  /** Static columns of the block's rows (nextPc and nextNextPc of the rows before a branch). */
  tPc: Uint32Array;
  tIns: Uint32Array;
  tFl: Uint16Array;
  tNpc: Uint32Array;
  tNnpc: Uint32Array;
  /** Register addresses per slot s < nmax, the most register slots any row uses. */
  tA: Uint32Array[];
  nmax: number;
  /**
   * Per row k and slot s < 4 at 4k + s: the register whose timestamp the slot reads (tRd) and
   * writes (tWr), and the slot's timestamp minus 8 * (first row). Unused slots read register 40
   * (timestamp always 0) and write register 41 (never read), so the loop has no branches.
   */
  tRd: Int32Array;
  tWr: Int32Array;
  tOff: Int32Array;
  /** Rows (within the block) with a memory access. */
  memRows: Int32Array;
  /**
   * Entries so far in which the recorder ran the reference path instead (see TraceOptions.useAfter).
   * Shared, like the block, by every machine of the process.
   */
  seen: number;
}

// Template layout per row.
const T_PC = 0;
const T_NPC = 1;
const T_NNPC = 2;
const T_WORD = 3;
const T_FLAGS = 4;
/** 1: the block writes nextPc and nextNextPc itself (branch and delay-slot rows). */
const T_DYN = 5;
const T_NREGS = 6;
const T_MEM = 7;
/** Register slot s: index at T_REG + 2s, write flag at T_REG + 2s + 1. */
const T_REG = 8;
const STRIDE = 16;

interface Fields {
  op: number;
  rs: number;
  rt: number;
  rd: number;
  imm: number;
}

/** Loads the compiler handles: [alignment mask, JS for the loaded value, kind in fault messages]. */
const LOADS: Partial<Record<number, [number, string, string]>> = {
  [Op.LB]: [0, "(w << (24 - ((a & 3) << 3))) >> 24", "byte"],
  [Op.LBU]: [0, "(w >>> ((a & 3) << 3)) & 255", "byte"],
  [Op.LH]: [1, "(w << (16 - ((a & 2) << 3))) >> 16", "halfword"],
  [Op.LHU]: [1, "(w >>> ((a & 2) << 3)) & 0xffff", "halfword"],
  [Op.LW]: [3, "w", "word"],
  [Op.LL]: [3, "w", "word"],
};
/** Stores: [alignment mask, JS that updates p[wi] from the old word w and the register value v]. */
const STORES: Partial<Record<number, [number, string]>> = {
  [Op.SW]: [3, "p[wi] = v;"],
  [Op.SC]: [3, "p[wi] = v;"],
  [Op.SB]: [0, "const sh = (a & 3) << 3; p[wi] = (w & ~(255 << sh)) | ((v & 255) << sh);"],
  [Op.SH]: [1, "const sh = (a & 2) << 3; p[wi] = (w & ~(0xffff << sh)) | ((v & 0xffff) << sh);"],
  [Op.SWL]: [0, "const sh = 24 - ((a & 3) << 3); p[wi] = (w & ~(-1 >>> sh)) | (v >>> sh);"],
  [Op.SWR]: [0, "const sh = (a & 3) << 3; p[wi] = (w & ~(-1 << sh)) | (v << sh);"],
};

function isBranchOp(op: number): boolean {
  return BRANCH_COND[op] !== undefined || op === Op.J || op === Op.JAL || op === Op.JR || op === Op.JALR;
}

/** True when `Gen.row` can compile this (non-branch) instruction. */
function compilable(x: Fields, pc: number): boolean {
  if (isBranchOp(x.op)) return false;
  if (x.op === Op.RDHWR || x.op === Op.LWL || x.op === Op.LWR) return true;
  if (LOADS[x.op] || STORES[x.op]) return true;
  return emit(x.op, x.rs, x.rt, x.rd, x.imm, pc, 0) !== undefined;
}

/** Code generator state for one block. */
class Gen {
  readonly cols = new Set<number>();
  readonly tmpl: number[] = [];

  constructor(
    readonly textBase: number,
    readonly textBytes: number,
  ) {}

  /** `col[j] = expr;` (j = i + k, the row, is declared at the start of each row's code) */
  put(c: number, expr: string): string {
    this.cols.add(c);
    return `c${c}[j] = ${expr};`;
  }

  /**
   * Row k: the instruction at `pc` (word `word`, decoded `x`). `exec` overrides the executed code
   * (branches); `npc`/`nnpc` are JS expressions when the block writes the next pcs, else numbers.
   * `earlyExit`: a store into the text ends the block after this row.
   */
  row(
    k: number,
    pc: number,
    word: number,
    x: Fields,
    npc: number | string,
    nnpc: number | string,
    exec?: string,
    earlyExit = false,
  ): string {
    const op = x.op;
    const n = NREGS[op];
    const memKind = MEMKIND[op];
    const t = new Array<number>(STRIDE).fill(0);
    t[T_PC] = pc;
    t[T_WORD] = word | 0;
    t[T_NREGS] = n;
    t[T_MEM] = memKind;
    let flags = 0;
    let s = `{const j = i + ${k};`;
    let rec = ""; // value and prevValue of each register slot ($zero: both 0, the columns' initial value)
    for (let j = 0; j < n; j++) {
      const idx = regIndex(SRC[op * 4 + j], word);
      const w = WRITES[op * 4 + j];
      t[T_REG + 2 * j] = idx;
      t[T_REG + 2 * j + 1] = w;
      flags |= (1 << j) | (w << (8 + j));
      if (idx === 0) continue;
      s += `const q${j} = r[${idx}];`;
      const c = COL_SLOT + 4 * j;
      rec += this.put(c + 1, w ? `r[${idx}]` : `q${j}`) + this.put(c + 2, `q${j}`);
    }
    if (memKind !== 0) flags |= memKind === M_WRITE ? 16 | 4096 : 16;
    t[T_FLAGS] = flags;
    if (typeof npc === "number" && typeof nnpc === "number") {
      t[T_NPC] = npc;
      t[T_NNPC] = nnpc;
    } else {
      t[T_DYN] = 1;
    }
    this.tmpl.push(...t);
    const F = (reason: string): string => `f(cpu, ${k}, ${pc}, ${reason})`;
    const M = COL_SLOT + 16; // memory slot: addr, value, prevValue at M, M + 1, M + 2
    let tail = "";
    const ld = LOADS[op];
    const st = STORES[op];
    if (ld || op === Op.LWL || op === Op.LWR) {
      const align = ld ? ld[0] : 0;
      let set: string;
      if (ld) set = `r[${x.rt}] = ${ld[1]};`;
      else if (x.rt === 0) set = "";
      else if (op === Op.LWL)
        set = `const sh = 24 - ((a & 3) << 3); r[${x.rt}] = (w << sh) | (r[${x.rt}] & ((1 << sh) - 1));`;
      else set = `const sh = (a & 3) << 3; r[${x.rt}] = (w >>> sh) | (r[${x.rt}] & ~(-1 >>> sh));`;
      exec =
        `const a = (r[${x.rs}] + ${x.imm}) | 0;` +
        (align ? `if (a & ${align}) ${F(`"unaligned ${ld![2]} load from " + hex(a)`)};` : "") +
        `const p = pages[a >>> 12]; if (p === undefined) ${F(`"load from invalid address " + hex(a)`)};` +
        `const w = p[(a >>> 2) & 1023];` +
        this.put(M, "a & -4") +
        this.put(M + 1, "w") +
        this.put(M + 2, "w") +
        set;
    } else if (st) {
      exec =
        `const a = (r[${x.rs}] + ${x.imm}) | 0;` +
        (st[0] ? `if (a & ${st[0]}) ${F(`"unaligned store to " + hex(a)`)};` : "") +
        `let p = pages[a >>> 12]; if (p === undefined) ${F(`"store to invalid address " + hex(a)`)};` +
        `if (p === zero) p = cpu.mem.alloc(a >>> 12);` +
        `const wi = (a >>> 2) & 1023; const w = p[wi]; const v = r[${x.rt}]; ${st[1]}` +
        this.put(M, "a & -4") +
        this.put(M + 1, "p[wi]") +
        this.put(M + 2, "w") +
        (op === Op.SC && x.rt !== 0 ? `r[${x.rt}] = 1;` : "");
      const hit = `((a - ${this.textBase}) >>> 0) < ${this.textBytes}`;
      tail = earlyExit
        ? `if (${hit}) { cpu.textWritten(a); ex[0] = ${k + 1}; return ${(pc + 4) | 0}; }`
        : `if (${hit}) cpu.textWritten(a);`;
    } else if (memKind !== 0) {
      throw new Error(`jit-trace: no memory code for class ${op}`);
    } else if (exec === undefined) {
      exec = op === Op.RDHWR ? `r[${x.rt}] = r[34];` : emit(op, x.rs, x.rt, x.rd, x.imm, pc, k);
      if (exec === undefined) throw new Error(`jit-trace: class ${op} is not compilable`);
    }
    s += exec;
    s += rec;
    if (t[T_DYN]) s += this.put(COL_NPC, String(npc)) + this.put(COL_NNPC, String(nnpc));
    return s + tail + "}";
  }
}

/** Compiles the traced block starting at text index `start`; undefined when its first instruction cannot be. */
export function compileTraceBlock(cpu: Cpu, start: number): TraceBlock | undefined {
  const code = cpu.code;
  const n = cpu.textBytes >>> 2;
  const tb = cpu.textBase;
  const g = new Gen(tb, cpu.textBytes);
  const fields = (j: number): Fields => {
    const w0 = code[j * 2];
    return { op: w0 & 255, rs: (w0 >>> 8) & 255, rt: (w0 >>> 16) & 255, rd: w0 >>> 24, imm: code[j * 2 + 1] };
  };
  const wordAt = (pc: number): number => cpu.mem.readWord(pc) >>> 0;
  const parts: string[] = [];
  let len = 0;
  let end = "";
  for (let j = start; j < n && len < MAX_TRACE_BLOCK - 1; j++) {
    const pc = (tb + j * 4) | 0;
    const x = fields(j);
    if (isBranchOp(x.op)) {
      if (j + 1 >= n) break;
      const y = fields(j + 1);
      if (!compilable(y, pc + 4)) break;
      const op = x.op;
      const link = (reg: number): string => `r[${reg}] = ${(pc + 8) | 0};`;
      let exec: string;
      const cond = BRANCH_COND[op];
      if (cond) {
        const al = op === Op.BLTZAL || op === Op.BGEZAL;
        exec = `nn = (${cond(x.rs, x.rt)}) ? ${x.imm} : ${(pc + 8) | 0}; ${al ? link(31) : ""}`;
      } else if (op === Op.J || op === Op.JAL) {
        exec = `nn = ${x.imm}; ${op === Op.JAL ? link(31) : ""}`;
      } else {
        exec = `nn = r[${x.rs}]; ${op === Op.JALR ? link(x.rd) : ""}`;
      }
      const branchRow = g.row(len, pc, wordAt(pc), x, String((pc + 4) | 0), "nn", exec);
      const slotRow = g.row(len + 1, pc + 4, wordAt(pc + 4), y, "nn", "(nn + 4) | 0");
      end = `{ let nn = 0; ${branchRow} ${slotRow} return nn; }`;
      len += 2;
      break;
    }
    if (!compilable(x, pc)) break;
    parts.push(g.row(len, pc, wordAt(pc), x, (pc + 4) | 0, (pc + 8) | 0, undefined, true));
    len++;
  }
  if (len === 0) return undefined;
  if (!end) end = `return ${(tb + (start + len) * 4) | 0};`;
  const decl = [...g.cols].map((c) => `const c${c} = cols[${c}];`).join("");
  const src =
    `return function tblock_${hex(tb + start * 4)}(r, pages, zero, cpu, f, cols, i, ex) {\n` +
    `${decl}\n${parts.join("\n")}\n${end}\n};`;
  const key = src + g.tmpl.join(",");
  let b = compiled.get(key);
  if (b === undefined) {
    const run = new Function("hex", "mul64", src)(hex, mul64) as TraceBlockFn;
    b = { run, len, seen: 0, ...columnTemplates(g.tmpl, len) };
    if (compiled.size >= MAX_CACHED) compiled.clear();
    compiled.set(key, b);
  }
  return b;
}

/**
 * Compiled blocks by source and template, shared by all machines of the process: the functions
 * hold no state, and reusing them keeps V8's optimised code (a new function would be
 * interpreted, then optimised, again). Bounded; cleared when full.
 */
const compiled = new Map<string, TraceBlock>();
const MAX_CACHED = 2_000;

// Module-local copies: tsx compiles imported bindings to getter calls, too slow for the loop below.
const C_PC = COL_PC;
const C_NPC = COL_NPC;
const C_NNPC = COL_NNPC;
const C_INS = COL_INS;
const C_SLOT = COL_SLOT;

/** Dummy registers of unused slots in the timestamp loop (see TraceBlock.tRd). */
const NO_READ = 40;
const NO_WRITE = 41;

/** Column-wise templates from the row-wise one the generator built. */
function columnTemplates(t: number[], len: number): Omit<TraceBlock, "run" | "len" | "seen"> {
  let nmax = 0;
  let nStatic = 0;
  const memRows: number[] = [];
  for (let k = 0; k < len; k++) {
    const o = k * STRIDE;
    nmax = Math.max(nmax, t[o + T_NREGS]);
    if (t[o + T_DYN] === 0) nStatic = k + 1;
    if (t[o + T_MEM] !== 0) memRows.push(k);
  }
  const col = (f: (o: number) => number, n = len): Uint32Array =>
    Uint32Array.from({ length: n }, (_, k) => f(k * STRIDE));
  const tRd = new Int32Array(4 * len).fill(NO_READ);
  const tWr = new Int32Array(4 * len).fill(NO_WRITE);
  const tOff = new Int32Array(4 * len);
  for (let k = 0; k < len; k++) {
    const o = k * STRIDE;
    for (let s = 0; s < t[o + T_NREGS]; s++) {
      tRd[4 * k + s] = tWr[4 * k + s] = t[o + T_REG + 2 * s];
      tOff[4 * k + s] = 8 * k + s + 1;
    }
  }
  return {
    tPc: col((o) => t[o + T_PC]),
    tIns: col((o) => t[o + T_WORD]),
    tFl: Uint16Array.from(col((o) => t[o + T_FLAGS])),
    tNpc: col((o) => t[o + T_NPC], nStatic),
    tNnpc: col((o) => t[o + T_NNPC], nStatic),
    tA: Array.from({ length: nmax }, (_, s) => col((o) => (s < t[o + T_NREGS] ? t[o + T_REG + 2 * s] : 0))),
    nmax,
    tRd,
    tWr,
    tOff,
    memRows: Int32Array.from(memRows),
  };
}

/** Completes rows [row0, row0 + n) that block `b` wrote: static columns, previous timestamps. */
export function expandBlock(
  b: TraceBlock,
  n: number,
  row0: number,
  cols: Uint32Array[],
  fl: Uint16Array,
  regTs: Uint32Array,
  memTs: (Uint32Array | undefined)[],
  tsPage: (pn: number) => Uint32Array,
): void {
  const nmax = b.nmax;
  if (n === b.len) {
    cols[C_PC].set(b.tPc, row0);
    cols[C_INS].set(b.tIns, row0);
    fl.set(b.tFl, row0);
    cols[C_NPC].set(b.tNpc, row0);
    cols[C_NNPC].set(b.tNnpc, row0);
    for (let s = 0; s < nmax; s++) cols[C_SLOT + 4 * s].set(b.tA[s], row0);
  } else {
    // a block that ended early (store into the text): n rows, none of them a branch or delay slot
    const cPc = cols[C_PC];
    const cIns = cols[C_INS];
    const cNpc = cols[C_NPC];
    const cNnpc = cols[C_NNPC];
    for (let k = 0; k < n; k++) {
      cPc[row0 + k] = b.tPc[k];
      cIns[row0 + k] = b.tIns[k];
      fl[row0 + k] = b.tFl[k];
      cNpc[row0 + k] = b.tNpc[k];
      cNnpc[row0 + k] = b.tNnpc[k];
      for (let s = 0; s < nmax; s++) cols[C_SLOT + 4 * s][row0 + k] = b.tA[s][k];
    }
  }
  const T0 = row0 * 8;
  const tRd = b.tRd;
  const tWr = b.tWr;
  const tOff = b.tOff;
  const k0 = cols[C_SLOT + 3];
  const k1 = cols[C_SLOT + 7];
  const k2 = cols[C_SLOT + 11];
  const k3 = cols[C_SLOT + 15];
  for (let k = 0, o = 0; k < n; k++, o += 4) {
    const row = row0 + k;
    k0[row] = regTs[tRd[o]];
    regTs[tWr[o]] = T0 + tOff[o];
    if (nmax > 1) {
      k1[row] = regTs[tRd[o + 1]];
      regTs[tWr[o + 1]] = T0 + tOff[o + 1];
      if (nmax > 2) {
        k2[row] = regTs[tRd[o + 2]];
        regTs[tWr[o + 2]] = T0 + tOff[o + 2];
        if (nmax > 3) {
          k3[row] = regTs[tRd[o + 3]];
          regTs[tWr[o + 3]] = T0 + tOff[o + 3];
        }
      }
    }
  }
  const memRows = b.memRows;
  if (memRows.length > 0) {
    const mA = cols[C_SLOT + 16];
    const mK = cols[C_SLOT + 19];
    for (let j = 0; j < memRows.length; j++) {
      const k = memRows[j];
      if (k >= n) break;
      const row = row0 + k;
      const a = mA[row];
      const pn = a >>> 12;
      const p = memTs[pn] ?? tsPage(pn);
      const wi = (a >>> 2) & 1023;
      mK[row] = p[wi];
      p[wi] = T0 + 8 * k + 5;
    }
  }
}
