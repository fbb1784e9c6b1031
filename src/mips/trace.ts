/**
 * Tracing mode: records, in columnar typed arrays, one row per executed instruction with every
 * register and memory access it makes, in the shape a memory-argument AIR consumes (registers
 * live at addresses 0-31, hi = 32, lo = 33, UserLocal = 34; memory words at their byte address,
 * always >= 0x1000). Two paths write the same rows: the reference path (`step`: one interpreter
 * step, accesses snapshotted from the descriptors in trace-access.ts) and compiled traced blocks
 * (jit-trace.ts) for code that proved hot; syscalls and cold code always take the reference path.
 *
 * Access slots per row: 0-3 registers, 4 the memory word. Slot s of row `clk` happens at timestamp
 * 8 * clk + s + 1; syscall rows put all their accesses in `extra` at timestamp 8 * clk + 6.
 * Timestamp 0 is the initial image. A read has value === prevValue; a write records the value
 * before (prevValue) and after (value). `prevClk` is the timestamp of the previous access to the
 * same address (0 if none).
 */
import type { Cpu } from "./cpu.ts";
import { Op } from "./decode.ts";
import { COMPILE_AFTER, fail } from "./jit.ts";
import { compileTraceBlock, expandBlock, type TraceBlock } from "./jit-trace.ts";
import { MAX_ADDR, PAGE_SHIFT, PAGE_WORDS, REG_ULR } from "./layout.ts";
import type { LinuxSyscalls } from "./syscalls.ts";
import {
  COL_INS,
  COL_NNPC,
  COL_NPC,
  COL_PC,
  COL_SLOT,
  MAX_TRACE_ROWS,
  MEMKIND,
  NCOLS,
  NREGS,
  SRC,
  SYSCALL_REGS,
  WRITES,
  regIndex,
} from "./trace-access.ts";

const OP_SYSCALL = Op.SYSCALL as number;
// Module-local copies of imported values used per row: tsx compiles imported bindings to getters.
const COMPILE_AFTER_ = COMPILE_AFTER;
const fail_ = fail;
const expand_ = expandBlock;
const compile_ = compileTraceBlock;
const NREGS_ = NREGS;
const SRC_ = SRC;
const WRITES_ = WRITES;
const MEMKIND_ = MEMKIND;
const regIndex_ = regIndex;
const C_PC = COL_PC;
const C_NPC = COL_NPC;
const C_NNPC = COL_NNPC;
const C_INS = COL_INS;
const C_SLOT = COL_SLOT;

/** Columns of one access slot. */
export interface AccessColumns {
  addr: Uint32Array;
  value: Uint32Array;
  prevValue: Uint32Array;
  prevClk: Uint32Array;
}

/** Everything a proof of the execution needs. All row columns have length `rows`. */
export interface ExecutionTrace {
  rows: number;
  /** Row index (0, 1, 2, ...); the timestamp base of the row's accesses is 8 * clk. */
  clk: Uint32Array;
  pc: Uint32Array;
  /** pc of the next executed instruction. */
  nextPc: Uint32Array;
  /** The instruction after that (differs from nextPc + 4 when a branch was taken). */
  nextNextPc: Uint32Array;
  instruction: Uint32Array;
  /** Bit s: slot s holds an access; bit 8 + s: that access is a write. */
  accessFlags: Uint16Array;
  /** Slots 0-3: registers; slot 4: memory (word-aligned byte address). Unused slots hold zeros. */
  slots: readonly [AccessColumns, AccessColumns, AccessColumns, AccessColumns, AccessColumns];
  /** Accesses of syscall rows: `row` gives the row; timestamp 8 * row + 6; `write` 1 for writes. */
  extra: AccessColumns & { row: Uint32Array; write: Uint8Array };
  /** Every nonzero word (and register) before the first instruction, sorted by address. */
  initialImage: { addr: Uint32Array; value: Uint32Array };
  /** Final value and last access timestamp of every accessed address, sorted by address. */
  finalImage: { addr: Uint32Array; value: Uint32Array; lastClk: Uint32Array };
  entry: number;
  /** fd-0 bytes consumed, fd-4 bytes consumed, fd-3 bytes written. */
  input: Uint8Array;
  hints: Uint8Array;
  publicValues: Uint8Array;
  exitCode: number;
}

function grow<T extends Uint32Array | Uint16Array | Uint8Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

function newSlot(n: number): AccessColumns {
  return {
    addr: new Uint32Array(n),
    value: new Uint32Array(n),
    prevValue: new Uint32Array(n),
    prevClk: new Uint32Array(n),
  };
}

export { MAX_TRACE_ROWS } from "./trace-access.ts";

/**
 * Row columns are allocated for the expected number of rows (the cycle limit when it is at most
 * INITIAL_CAP_MAX, else INITIAL_CAP_UNKNOWN) and doubled when full. Fresh typed arrays are zero and the OS maps their pages
 * lazily, so capacity that is never written costs address space, not memory, and rows are written
 * exactly once (no chunk-to-column copy: the first write to fresh memory is the dominant cost).
 */
const INITIAL_CAP_MIN = 1 << 12;
const INITIAL_CAP_MAX = 1 << 22;
/** First allocation when the cycle limit is larger than INITIAL_CAP_MAX (or none): 25 MB. */
const INITIAL_CAP_UNKNOWN = 1 << 18;

export interface TraceOptions {
  /** Record with the reference path only (one interpreter step per row), no compiled blocks. */
  reference?: boolean;
  /** Compile a block when execution has entered it this many times (default COMPILE_AFTER; tests use 1). */
  compileAfter?: number;
  /**
   * Run a compiled block only after its start was reached this many more times (default
   * USE_AFTER; tests use 0). V8 optimises a function after ~3,000 calls; until then a block runs
   * ~3x slower than the reference path, so only blocks that proved hot are worth it.
   */
  useAfter?: number;
}

/** Default of TraceOptions.useAfter. */
export const USE_AFTER = 3000;

export class TraceRecorder {
  rows = 0;
  /** Row columns (NCOLS, see trace-access.ts) and access flags, `cap` rows each. */
  private cols: Uint32Array[] = [];
  private fl = new Uint16Array(0);
  private cap = 0;
  private extraCap = 256;
  private extraRows = 0;
  private extra = {
    ...newSlot(this.extraCap),
    row: new Uint32Array(this.extraCap),
    write: new Uint8Array(this.extraCap),
  };
  /** Last access timestamp per register and per memory word (paged like Memory). */
  private readonly regTs = new Uint32Array(64);
  private readonly memTs = new Array<Uint32Array | undefined>(MAX_ADDR >>> PAGE_SHIFT).fill(undefined);
  private readonly initial: { addr: Uint32Array; value: Uint32Array };
  private readonly reference: boolean;
  private readonly compileAfter: number;
  private readonly useAfter: number;
  /** Register indices and values before the instruction, for `step`. */
  private readonly stepIdx = new Int32Array(4);
  private readonly stepPrev = new Int32Array(4);
  /** Rows run by a compiled block that ended early (after a store into the text), else 0. */
  private readonly ex = new Int32Array(1);
  private readonly tsPage = (pn: number): Uint32Array => {
    const p = new Uint32Array(PAGE_WORDS);
    this.memTs[pn] = p;
    return p;
  };

  constructor(
    private readonly cpu: Cpu,
    private readonly sys: LinuxSyscalls,
    options: TraceOptions = {},
  ) {
    this.reference = options.reference ?? false;
    this.compileAfter = Math.min(Math.max(options.compileAfter ?? COMPILE_AFTER_, 1), 255);
    this.useAfter = options.useAfter ?? USE_AFTER;
    const addrs: number[] = [];
    const values: number[] = [];
    for (let i = 0; i <= REG_ULR; i++) {
      if (cpu.r[i] !== 0) {
        addrs.push(i);
        values.push(cpu.r[i] >>> 0);
      }
    }
    cpu.mem.forEachNonzero((a, w) => {
      addrs.push(a);
      values.push(w >>> 0);
    });
    this.initial = { addr: Uint32Array.from(addrs), value: Uint32Array.from(values) };
  }

  private memTsPage(addr: number): Uint32Array {
    const pn = addr >>> 12;
    return this.memTs[pn] ?? this.tsPage(pn);
  }

  /** Makes room for `n` more rows; `expected` sizes the first allocation. */
  private reserve(n: number, expected = 0): void {
    const need = this.rows + n;
    if (need <= this.cap) return;
    if (need > MAX_TRACE_ROWS) throw new Error(`trace longer than ${MAX_TRACE_ROWS} rows`);
    const cap =
      this.cap === 0
        ? Math.max(
            need,
            expected <= INITIAL_CAP_MAX ? Math.max(expected, INITIAL_CAP_MIN) : INITIAL_CAP_UNKNOWN,
          )
        : Math.min(Math.max(need, this.cap * 2), MAX_TRACE_ROWS);
    // one column at a time, so the old and new copies of only one column coexist
    for (let c = 0; c < NCOLS; c++) {
      const col = new Uint32Array(cap);
      if (this.rows > 0) col.set(this.cols[c].subarray(0, this.rows));
      this.cols[c] = col;
    }
    const fl = new Uint16Array(cap);
    if (this.rows > 0) fl.set(this.fl.subarray(0, this.rows));
    this.fl = fl;
    this.cap = cap;
  }

  private pushExtra(
    row: number,
    addr: number,
    prev: number,
    value: number,
    write: boolean,
    prevTs: number,
  ): void {
    if (this.extraRows === this.extraCap) {
      const n = this.extraCap * 2;
      const e = this.extra;
      this.extra = {
        addr: grow(e.addr, n),
        value: grow(e.value, n),
        prevValue: grow(e.prevValue, n),
        prevClk: grow(e.prevClk, n),
        row: grow(e.row, n),
        write: grow(e.write, n),
      };
      this.extraCap = n;
    }
    const e = this.extra;
    const i = this.extraRows++;
    e.row[i] = row;
    e.addr[i] = addr;
    e.prevValue[i] = prev;
    e.value[i] = value;
    e.prevClk[i] = prevTs;
    e.write[i] = write ? 1 : 0;
  }

  /** Syscall rows: every register and memory word the call touches goes to `extra`. */
  private syscallRow(row: number): boolean {
    const cpu = this.cpu;
    const r = cpu.r;
    const regTs = this.regTs;
    const sysPrev = SYSCALL_REGS.map((i) => r[i]);
    const ts = row * 8 + 6;
    const seen = new Map<number, number>(); // addr -> extra index within this row
    this.sys.observer = (addr, prev, value) => {
      const j = seen.get(addr);
      if (j !== undefined) {
        this.extra.value[j] = value >>> 0;
        if (value !== prev) this.extra.write[j] = 1;
        return;
      }
      const p = this.memTsPage(addr);
      const i = (addr >>> 2) & 1023;
      seen.set(addr, this.extraRows);
      this.pushExtra(row, addr, prev >>> 0, value >>> 0, value !== prev, p[i]);
      p[i] = ts;
    };
    let halted: boolean;
    try {
      halted = cpu.run(cpu.cycles + 1);
    } finally {
      this.sys.observer = undefined;
    }
    SYSCALL_REGS.forEach((idx, k) => {
      this.pushExtra(row, idx, sysPrev[k] >>> 0, r[idx] >>> 0, r[idx] !== sysPrev[k], regTs[idx]);
      regTs[idx] = ts;
    });
    return halted;
  }

  /**
   * Reference path: executes one instruction in the interpreter and records its row from the
   * access descriptors (snapshots before and after). Returns true when the guest halted.
   */
  private step(): boolean {
    this.reserve(1);
    const cpu = this.cpu;
    const r = cpu.r;
    const regTs = this.regTs;
    const pages = cpu.mem.pages;
    const cols = this.cols;
    const row = this.rows;
    const pc = cpu.pc;
    const off = (pc - cpu.textBase) | 0;
    const op =
      off >>> 0 < cpu.textBytes && (off & 3) === 0 ? cpu.code[off >> 1] & 255 : cpu.classAt(pc) & 255;
    const page = pages[pc >>> 12];
    const word = page === undefined || pc & 3 ? 0 : page[(pc >>> 2) & 1023] >>> 0;
    let halted: boolean;
    if (op === OP_SYSCALL) {
      halted = this.syscallRow(row);
    } else {
      const nregs = NREGS_[op];
      const base4 = op * 4;
      const idx = this.stepIdx;
      const prev = this.stepPrev;
      for (let k = 0; k < nregs; k++) {
        idx[k] = regIndex_(SRC_[base4 + k], word);
        prev[k] = r[idx[k]];
      }
      const memKind = MEMKIND_[op];
      let maddr = 0;
      let mprev = 0;
      if (memKind !== 0) {
        maddr = ((r[(word >>> 21) & 31] + ((word << 16) >> 16)) & ~3) >>> 0;
        const p = pages[maddr >>> 12];
        mprev = p === undefined ? 0 : p[(maddr >>> 2) & 1023];
      }
      halted = cpu.run(cpu.cycles + 1);
      const ts0 = row * 8 + 1;
      let flags = 0;
      for (let k = 0; k < nregs; k++) {
        const w = WRITES_[base4 + k];
        const c = C_SLOT + 4 * k;
        cols[c][row] = idx[k];
        cols[c + 1][row] = w ? r[idx[k]] : prev[k];
        cols[c + 2][row] = prev[k];
        cols[c + 3][row] = regTs[idx[k]];
        regTs[idx[k]] = ts0 + k;
        flags |= (1 << k) | (w << (8 + k));
      }
      if (memKind !== 0) {
        const p = this.memTsPage(maddr);
        const i = (maddr >>> 2) & 1023;
        const c = C_SLOT + 16;
        cols[c][row] = maddr;
        cols[c + 1][row] = memKind === 2 /* M_WRITE */ ? pages[maddr >>> 12]![i] : mprev;
        cols[c + 2][row] = mprev;
        cols[c + 3][row] = p[i];
        p[i] = ts0 + 4;
        flags |= memKind === 2 /* M_WRITE */ ? 16 | 4096 : 16;
      }
      this.fl[row] = flags;
    }
    cols[C_PC][row] = pc;
    cols[C_NPC][row] = cpu.pc;
    cols[C_NNPC][row] = cpu.npc;
    cols[C_INS][row] = word;
    this.rows = row + 1;
    return halted;
  }

  /** Runs until the guest halts or `limit` cycles; returns true when halted. */
  run(limit: number): boolean {
    const cpu = this.cpu;
    this.reserve(1, limit - cpu.cycles);
    if (this.reference) {
      while (cpu.cycles < limit) if (this.step()) return true;
      return false;
    }
    const cache = cpu.traceBlocks;
    const blocks = cache.fns;
    const counts = cache.counts;
    const r = cpu.r;
    const pages = cpu.mem.pages;
    const zero = cpu.mem.zero;
    const tb = cpu.textBase;
    const tlen = cpu.textBytes;
    const regTs = this.regTs;
    const memTs = this.memTs;
    const tsPage = this.tsPage;
    const ex = this.ex;
    const compileAfter = this.compileAfter;
    const useAfter = this.useAfter;
    // Blocks start where fast mode's do: at the first pc, after a block, after a branch's delay
    // slot and after an instruction that cannot start a block (a syscall, ...).
    let boundary = true;
    for (;;) {
      const cycles = cpu.cycles;
      if (cycles >= limit) return false;
      const pc = cpu.pc;
      const off = (pc - tb) | 0;
      let b: TraceBlock | null | undefined = undefined;
      if (boundary && cpu.npc === ((pc + 4) | 0) && off >>> 0 < tlen && (off & 3) === 0) {
        const idx = off >> 2;
        b = blocks[idx];
        if (b === undefined && ++counts[idx] >= compileAfter) b = blocks[idx] = compile_(cpu, idx) ?? null;
        if (b && b.seen < useAfter) {
          b.seen++;
        } else if (b && cycles + b.len <= limit) {
          this.reserve(b.len);
          const row = this.rows;
          const next = b.run(r, pages, zero, cpu, fail_, this.cols, row, ex);
          let n = b.len;
          if (ex[0] !== 0) {
            n = ex[0];
            ex[0] = 0;
          }
          expand_(b, n, row, this.cols, this.fl, regTs, memTs, tsPage);
          this.rows = row + n;
          cpu.cycles = cycles + n;
          cpu.pc = next;
          cpu.npc = (next + 4) | 0;
          cpu.lastBranch = -2;
          continue;
        }
      }
      const delaySlot = cpu.lastBranch === cycles;
      if (this.step()) return true;
      boundary = delaySlot || b === null;
    }
  }

  /** The finished trace (call after `run` returned true); the recorder hands its columns over. */
  finish(input: Uint8Array, hints: Uint8Array, entry: number): ExecutionTrace {
    const n = this.rows;
    const fa: number[] = [];
    const fv: number[] = [];
    const ft: number[] = [];
    for (let i = 0; i <= REG_ULR; i++) {
      if (this.regTs[i] !== 0) {
        fa.push(i);
        fv.push(this.cpu.r[i] >>> 0);
        ft.push(this.regTs[i]);
      }
    }
    for (let pn = 0; pn < this.memTs.length; pn++) {
      const p = this.memTs[pn];
      if (p === undefined) continue;
      for (let i = 0; i < PAGE_WORDS; i++) {
        if (p[i] === 0) continue;
        const a = (pn << PAGE_SHIFT) + i * 4;
        fa.push(a);
        fv.push(this.cpu.mem.readWord(a) >>> 0);
        ft.push(p[i]);
      }
    }
    const e = this.extra;
    const m = this.extraRows;
    // Views of the row columns when they are mostly full (a copy would touch fresh memory again).
    const fit = <T extends Uint32Array | Uint16Array>(a: T): T =>
      (a.length === n ? a : n * 8 < a.length ? a.slice(0, n) : a.subarray(0, n)) as T;
    if (this.cap === 0) this.reserve(0, INITIAL_CAP_MIN);
    const cols = this.cols.map(fit);
    const flags = fit(this.fl);
    this.cols = [];
    this.fl = new Uint16Array(0);
    this.cap = 0;
    const slot = (s: number): AccessColumns => ({
      addr: cols[COL_SLOT + 4 * s],
      value: cols[COL_SLOT + 4 * s + 1],
      prevValue: cols[COL_SLOT + 4 * s + 2],
      prevClk: cols[COL_SLOT + 4 * s + 3],
    });
    const cut = (c: AccessColumns): AccessColumns => ({
      addr: c.addr.slice(0, m),
      value: c.value.slice(0, m),
      prevValue: c.prevValue.slice(0, m),
      prevClk: c.prevClk.slice(0, m),
    });
    const clk = new Uint32Array(n);
    for (let i = 0; i < n; i++) clk[i] = i;
    return {
      rows: n,
      clk,
      pc: cols[COL_PC],
      nextPc: cols[COL_NPC],
      nextNextPc: cols[COL_NNPC],
      instruction: cols[COL_INS],
      accessFlags: flags,
      slots: [slot(0), slot(1), slot(2), slot(3), slot(4)],
      extra: { ...cut(e), row: e.row.slice(0, m), write: e.write.slice(0, m) },
      initialImage: this.initial,
      finalImage: { addr: Uint32Array.from(fa), value: Uint32Array.from(fv), lastClk: Uint32Array.from(ft) },
      entry,
      input: input.slice(),
      hints: hints.slice(),
      publicValues: this.sys.publicValues.bytes(),
      exitCode: this.cpu.exitCode,
    };
  }
}
