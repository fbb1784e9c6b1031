/**
 * Tracing mode: runs the interpreter one instruction at a time and records, in columnar typed
 * arrays, one row per executed instruction with every register and memory access it makes, in
 * the shape a memory-argument AIR consumes (registers live at addresses 0-31, hi = 32, lo = 33,
 * UserLocal = 34; memory words at their byte address, always >= 0x1000).
 *
 * Access slots per row: 0-3 registers, 4 the memory word. Slot s of row `clk` happens at timestamp
 * 8 * clk + s + 1; syscall rows put all their accesses in `extra` at timestamp 8 * clk + 6.
 * Timestamp 0 is the initial image. A read has value === prevValue; a write records the value
 * before (prevValue) and after (value). `prevClk` is the timestamp of the previous access to the
 * same address (0 if none).
 */
import type { Cpu } from "./cpu.ts";
import { Op } from "./decode.ts";
import { MAX_ADDR, PAGE_SHIFT, PAGE_WORDS, REG_ULR } from "./layout.ts";
import type { LinuxSyscalls } from "./syscalls.ts";

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

// Register operand sources for access descriptors.
const RS = 1;
const RT = 2;
const RD = 3;
const HI = 4;
const LO = 5;
const RA = 6;
const ULR = 7;
const W = 8; // flag: write
const M_READ = 1;
const M_WRITE = 2;

/** Per op class: up to 4 register specs (source | W) and a memory kind. */
const REGS: number[][] = [];
const MEMK: number[] = [];
function def(ops: Op[], regs: number[], mem = 0): void {
  for (const op of ops) {
    REGS[op] = regs;
    MEMK[op] = mem;
  }
}
def([Op.INVALID, Op.SYSCALL, Op.BREAK, Op.NOP, Op.J], []);
def([Op.SLL, Op.SRL, Op.SRA, Op.ROTR, Op.WSBH, Op.SEB, Op.SEH], [RT, RD | W]);
def(
  [Op.SLLV, Op.SRLV, Op.SRAV, Op.ROTRV, Op.MOVZ, Op.MOVN, Op.ADD, Op.ADDU, Op.SUB, Op.SUBU],
  [RS, RT, RD | W],
);
def([Op.AND, Op.OR, Op.XOR, Op.NOR, Op.SLT, Op.SLTU, Op.MUL], [RS, RT, RD | W]);
def([Op.JR], [RS]);
def([Op.JALR], [RS, RD | W]);
def([Op.MFHI], [HI, RD | W]);
def([Op.MFLO], [LO, RD | W]);
def([Op.MTHI], [RS, HI | W]);
def([Op.MTLO], [RS, LO | W]);
def([Op.MULT, Op.MULTU, Op.DIV, Op.DIVU, Op.MADD, Op.MADDU, Op.MSUB, Op.MSUBU], [RS, RT, HI | W, LO | W]);
def([Op.TGE, Op.TGEU, Op.TLT, Op.TLTU, Op.TEQ, Op.TNE, Op.BEQ, Op.BNE, Op.BEQL, Op.BNEL], [RS, RT]);
def([Op.TGEI, Op.TGEIU, Op.TLTI, Op.TLTIU, Op.TEQI, Op.TNEI], [RS]);
def([Op.BLTZ, Op.BGEZ, Op.BLTZL, Op.BGEZL, Op.BLEZ, Op.BGTZ, Op.BLEZL, Op.BGTZL], [RS]);
def([Op.BLTZAL, Op.BGEZAL, Op.BLTZALL, Op.BGEZALL], [RS, RA | W]);
def([Op.JAL], [RA | W]);
def([Op.ADDI, Op.ADDIU, Op.SLTI, Op.SLTIU, Op.ANDI, Op.ORI, Op.XORI, Op.EXT, Op.INS], [RS, RT | W]);
def([Op.CLZ, Op.CLO], [RS, RD | W]);
def([Op.LUI], [RT | W]);
def([Op.RDHWR], [ULR, RT | W]);
def([Op.LB, Op.LH, Op.LW, Op.LBU, Op.LHU, Op.LL, Op.LWL, Op.LWR], [RS, RT | W], M_READ);
def([Op.SB, Op.SH, Op.SW, Op.SWL, Op.SWR], [RS, RT], M_WRITE);
def([Op.SC], [RS, RT | W], M_WRITE);

/** Registers a syscall row records (read before, value after): v0, a0-a3, sp, UserLocal. */
const SYSCALL_REGS = [2, 4, 5, 6, 7, 29, REG_ULR];

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

/** Flattened descriptors: source and write flag of register spec k of op at [op * 4 + k]. */
const SRC = new Uint8Array(256 * 4);
const WRITES = new Uint8Array(256 * 4);
const NREGS = new Uint8Array(256);
const MEMKIND = new Uint8Array(256);
REGS.forEach((specs, op) => {
  NREGS[op] = specs.length;
  MEMKIND[op] = MEMK[op];
  specs.forEach((sp, k) => {
    SRC[op * 4 + k] = sp & 7;
    WRITES[op * 4 + k] = sp & W ? 1 : 0;
  });
});
const OP_SYSCALL = Op.SYSCALL as number;

/** Largest trace: timestamps 8 * clk + 6 must fit in 32 bits. */
export const MAX_TRACE_ROWS = 2 ** 29 - 1;

/** Fields per row in the interleaved buffers. */
const ROW_FIELDS = 5; // pc, nextPc, nextNextPc, instruction, (unused)
const ACC_FIELDS = 20; // 5 slots x (addr, value, prevValue, prevClk)
const CHUNK = 1 << 16;

export class TraceRecorder {
  rows = 0;
  /** Rows are stored in chunks of CHUNK rows (no copying as the trace grows). */
  private rowChunks: Uint32Array[] = [];
  private accChunks: Uint32Array[] = [];
  private flagChunks: Uint16Array[] = [];
  private rowBuf = new Uint32Array(0);
  private accBuf = new Uint32Array(0);
  private flags = new Uint16Array(0);
  private extraCap = 256;
  private extraRows = 0;
  private extra = {
    ...newSlot(this.extraCap),
    row: new Uint32Array(this.extraCap),
    write: new Uint8Array(this.extraCap),
  };
  /** Last access timestamp per register and per memory word (paged like Memory). */
  private readonly regTs = new Uint32Array(64);
  private readonly memTs: (Uint32Array | undefined)[] = new Array(MAX_ADDR >>> PAGE_SHIFT);
  private readonly initial: { addr: Uint32Array; value: Uint32Array };

  constructor(
    private readonly cpu: Cpu,
    private readonly sys: LinuxSyscalls,
  ) {
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
    let p = this.memTs[pn];
    if (p === undefined) {
      p = new Uint32Array(1024);
      this.memTs[pn] = p;
    }
    return p;
  }

  private newChunk(): void {
    this.rowBuf = new Uint32Array(CHUNK * ROW_FIELDS);
    this.accBuf = new Uint32Array(CHUNK * ACC_FIELDS);
    this.flags = new Uint16Array(CHUNK);
    this.rowChunks.push(this.rowBuf);
    this.accChunks.push(this.accBuf);
    this.flagChunks.push(this.flags);
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

  /** Runs until the guest halts or `limit` cycles; returns true when halted. */
  run(limit: number): boolean {
    const cpu = this.cpu;
    const r = cpu.r;
    const regTs = this.regTs;
    const pages = cpu.mem.pages;
    const code = cpu.code;
    const tb = cpu.textBase;
    const tlen = cpu.textBytes;
    let i0 = 0,
      i1 = 0,
      i2 = 0,
      i3 = 0;
    let p0 = 0,
      p1 = 0,
      p2 = 0,
      p3 = 0;
    while (cpu.cycles < limit) {
      const row = this.rows;
      if (row >= MAX_TRACE_ROWS) throw new Error(`trace longer than ${MAX_TRACE_ROWS} rows`);
      if ((row & (CHUNK - 1)) === 0) this.newChunk();
      const pc = cpu.pc;
      const off = (pc - tb) | 0;
      const op = off >>> 0 < tlen && (off & 3) === 0 ? code[off >> 1] & 255 : cpu.classAt(pc) & 255;
      const page = pages[pc >>> 12];
      const word = page === undefined || pc & 3 ? 0 : page[(pc >>> 2) & 1023] >>> 0;
      if (op === OP_SYSCALL) {
        const rb = (row & (CHUNK - 1)) * ROW_FIELDS;
        const halted = this.syscallRow(row);
        const rowBuf = this.rowBuf;
        rowBuf[rb] = pc;
        rowBuf[rb + 1] = cpu.pc;
        rowBuf[rb + 2] = cpu.npc;
        rowBuf[rb + 3] = word;
        this.rows++;
        if (halted) return true;
        continue;
      }
      const nregs = NREGS[op];
      const base4 = op * 4;
      // snapshot the registers before
      for (let k = 0; k < nregs; k++) {
        const src = SRC[base4 + k];
        const idx =
          src === RS
            ? (word >>> 21) & 31
            : src === RT
              ? (word >>> 16) & 31
              : src === RD
                ? (word >>> 11) & 31
                : src === HI
                  ? 32
                  : src === LO
                    ? 33
                    : src === RA
                      ? 31
                      : 34;
        const v = r[idx];
        if (k === 0) {
          i0 = idx;
          p0 = v;
        } else if (k === 1) {
          i1 = idx;
          p1 = v;
        } else if (k === 2) {
          i2 = idx;
          p2 = v;
        } else {
          i3 = idx;
          p3 = v;
        }
      }
      const memKind = MEMKIND[op];
      let maddr = 0;
      let mprev = 0;
      if (memKind !== 0) {
        maddr = ((r[(word >>> 21) & 31] + ((word << 16) >> 16)) & ~3) >>> 0;
        const p = pages[maddr >>> 12];
        mprev = p === undefined ? 0 : p[(maddr >>> 2) & 1023];
      }
      const halted = cpu.run(cpu.cycles + 1);
      const rowBuf = this.rowBuf;
      const acc = this.accBuf;
      const rb = (row & (CHUNK - 1)) * ROW_FIELDS;
      rowBuf[rb] = pc;
      rowBuf[rb + 1] = cpu.pc;
      rowBuf[rb + 2] = cpu.npc;
      rowBuf[rb + 3] = word;
      const ab = (row & (CHUNK - 1)) * ACC_FIELDS;
      const ts0 = row * 8 + 1;
      let flags = 0;
      for (let k = 0; k < nregs; k++) {
        const idx = k === 0 ? i0 : k === 1 ? i1 : k === 2 ? i2 : i3;
        const prev = k === 0 ? p0 : k === 1 ? p1 : k === 2 ? p2 : p3;
        const w = WRITES[base4 + k];
        const o = ab + k * 4;
        acc[o] = idx;
        acc[o + 1] = w ? r[idx] : prev;
        acc[o + 2] = prev;
        acc[o + 3] = regTs[idx];
        regTs[idx] = ts0 + k;
        flags |= (1 << k) | (w << (8 + k));
      }
      if (memKind !== 0) {
        const p = this.memTsPage(maddr);
        const i = (maddr >>> 2) & 1023;
        const o = ab + 16;
        acc[o] = maddr;
        acc[o + 1] = memKind === M_WRITE ? pages[maddr >>> 12]![i] : mprev;
        acc[o + 2] = mprev;
        acc[o + 3] = p[i];
        p[i] = ts0 + 4;
        flags |= memKind === M_WRITE ? 16 | 4096 : 16;
      }
      this.flags[row & (CHUNK - 1)] = flags;
      this.rows++;
      if (halted) return true;
    }
    return false;
  }

  /** The finished trace (call after `run` returned true). */
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
    const col = (chunks: Uint32Array[], stride: number, field: number): Uint32Array => {
      const out = new Uint32Array(n);
      for (let i = 0; i < n; i++) out[i] = chunks[i >>> 16][(i & (CHUNK - 1)) * stride + field];
      return out;
    };
    const flags = new Uint16Array(n);
    this.flagChunks.forEach((f, c) => flags.set(f.subarray(0, Math.min(CHUNK, n - c * CHUNK)), c * CHUNK));
    const s = [0, 1, 2, 3, 4].map((k) => ({
      addr: col(this.accChunks, ACC_FIELDS, k * 4),
      value: col(this.accChunks, ACC_FIELDS, k * 4 + 1),
      prevValue: col(this.accChunks, ACC_FIELDS, k * 4 + 2),
      prevClk: col(this.accChunks, ACC_FIELDS, k * 4 + 3),
    }));
    const cut = (c: AccessColumns): AccessColumns => ({
      addr: c.addr.slice(0, m),
      value: c.value.slice(0, m),
      prevValue: c.prevValue.slice(0, m),
      prevClk: c.prevClk.slice(0, m),
    });
    return {
      rows: n,
      clk: Uint32Array.from({ length: n }, (_, i) => i),
      pc: col(this.rowChunks, ROW_FIELDS, 0),
      nextPc: col(this.rowChunks, ROW_FIELDS, 1),
      nextNextPc: col(this.rowChunks, ROW_FIELDS, 2),
      instruction: col(this.rowChunks, ROW_FIELDS, 3),
      accessFlags: flags,
      slots: [s[0], s[1], s[2], s[3], s[4]],
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
