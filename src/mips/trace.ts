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
import { MAX_ADDR, PAGE_SHIFT, PAGE_WORDS, REG_HI, REG_LO, REG_ULR } from "./layout.ts";
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
function growSlot(s: AccessColumns, n: number): AccessColumns {
  return {
    addr: grow(s.addr, n),
    value: grow(s.value, n),
    prevValue: grow(s.prevValue, n),
    prevClk: grow(s.prevClk, n),
  };
}
function cutSlot(s: AccessColumns, n: number): AccessColumns {
  return {
    addr: s.addr.slice(0, n),
    value: s.value.slice(0, n),
    prevValue: s.prevValue.slice(0, n),
    prevClk: s.prevClk.slice(0, n),
  };
}

/** Largest trace: timestamps 8 * clk + 6 must fit in 32 bits. */
export const MAX_TRACE_ROWS = 2 ** 29 - 1;

export class TraceRecorder {
  rows = 0;
  private cap = 1024;
  private clk = new Uint32Array(this.cap);
  private pc = new Uint32Array(this.cap);
  private nextPc = new Uint32Array(this.cap);
  private nextNextPc = new Uint32Array(this.cap);
  private instr = new Uint32Array(this.cap);
  private flags = new Uint16Array(this.cap);
  private slots: AccessColumns[] = [0, 1, 2, 3, 4].map(() => newSlot(this.cap));
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
  private readonly regIdx = new Int32Array(4);
  private readonly regPrev = new Int32Array(4);

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
    const pn = addr >>> PAGE_SHIFT;
    let p = this.memTs[pn];
    if (p === undefined) {
      p = new Uint32Array(PAGE_WORDS);
      this.memTs[pn] = p;
    }
    return p;
  }

  private growRows(): void {
    const n = this.cap * 2;
    this.clk = grow(this.clk, n);
    this.pc = grow(this.pc, n);
    this.nextPc = grow(this.nextPc, n);
    this.nextNextPc = grow(this.nextNextPc, n);
    this.instr = grow(this.instr, n);
    this.flags = grow(this.flags, n);
    this.slots = this.slots.map((s) => growSlot(s, n));
    this.cap = n;
  }

  private pushExtra(
    row: number,
    addr: number,
    prev: number,
    value: number,
    write: boolean,
    ts: number,
    prevTs: number,
  ): void {
    if (this.extraRows === this.extraCap) {
      const n = this.extraCap * 2;
      this.extra = {
        ...growSlot(this.extra, n),
        row: grow(this.extra.row, n),
        write: grow(this.extra.write, n),
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
    void ts;
  }

  /** Runs until the guest halts or `limit` cycles; returns true when halted. */
  run(limit: number): boolean {
    const cpu = this.cpu;
    const r = cpu.r;
    const regTs = this.regTs;
    const regIdx = this.regIdx;
    const regPrev = this.regPrev;
    while (cpu.cycles < limit) {
      const row = this.rows;
      if (row >= MAX_TRACE_ROWS) throw new Error(`trace longer than ${MAX_TRACE_ROWS} rows`);
      if (row === this.cap) this.growRows();
      const pc = cpu.pc;
      const word = cpu.wordAt(pc);
      const op = cpu.classAt(pc) & 255;
      const base = row * 8 + 1;
      // registers: snapshot before
      const specs = REGS[op];
      let nregs = 0;
      for (let k = 0; k < specs.length; k++) {
        const src = specs[k] & 7;
        const idx =
          src === RS
            ? (word >>> 21) & 31
            : src === RT
              ? (word >>> 16) & 31
              : src === RD
                ? (word >>> 11) & 31
                : src === HI
                  ? REG_HI
                  : src === LO
                    ? REG_LO
                    : src === RA
                      ? 31
                      : REG_ULR;
        regIdx[k] = idx;
        regPrev[k] = r[idx];
        nregs++;
      }
      const memKind = MEMK[op];
      let maddr = 0;
      let mprev = 0;
      if (memKind !== 0) {
        maddr = ((r[(word >>> 21) & 31] + ((word << 16) >> 16)) & ~3) >>> 0;
        const p = cpu.mem.pages[maddr >>> PAGE_SHIFT];
        mprev = p === undefined ? 0 : p[(maddr >>> 2) & 1023];
      }
      let sysPrev: number[] | undefined;
      const extraStart = this.extraRows;
      if (op === Op.SYSCALL) {
        sysPrev = SYSCALL_REGS.map((i) => r[i]);
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
          this.pushExtra(row, addr, prev >>> 0, value >>> 0, value !== prev, ts, p[i]);
          p[i] = ts;
        };
      }
      const halted = cpu.run(cpu.cycles + 1);
      // the row
      this.clk[row] = row;
      this.pc[row] = pc;
      this.nextPc[row] = cpu.pc;
      this.nextNextPc[row] = cpu.npc;
      this.instr[row] = word;
      let flags = 0;
      const slots = this.slots;
      for (let k = 0; k < nregs; k++) {
        const idx = regIdx[k];
        const s = slots[k];
        const write = (specs[k] & W) !== 0;
        const ts = base + k;
        s.addr[row] = idx;
        s.prevValue[row] = regPrev[k];
        s.value[row] = write ? r[idx] : regPrev[k];
        s.prevClk[row] = regTs[idx];
        regTs[idx] = ts;
        flags |= (1 << k) | (write ? 256 << k : 0);
      }
      if (memKind !== 0) {
        const s = slots[4];
        const p = this.memTsPage(maddr);
        const i = (maddr >>> 2) & 1023;
        s.addr[row] = maddr;
        s.prevValue[row] = mprev;
        s.value[row] = memKind === M_WRITE ? cpu.mem.readWord(maddr) : mprev;
        s.prevClk[row] = p[i];
        p[i] = base + 4;
        flags |= memKind === M_WRITE ? 16 | 4096 : 16;
      }
      this.flags[row] = flags;
      if (sysPrev) {
        this.sys.observer = undefined;
        const ts = row * 8 + 6;
        SYSCALL_REGS.forEach((idx, k) => {
          this.pushExtra(row, idx, sysPrev[k] >>> 0, r[idx] >>> 0, r[idx] !== sysPrev[k], ts, regTs[idx]);
          regTs[idx] = ts;
        });
        void extraStart;
      }
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
    const s = this.slots.map((x) => cutSlot(x, n));
    return {
      rows: n,
      clk: this.clk.slice(0, n),
      pc: this.pc.slice(0, n),
      nextPc: this.nextPc.slice(0, n),
      nextNextPc: this.nextNextPc.slice(0, n),
      instruction: this.instr.slice(0, n),
      accessFlags: this.flags.slice(0, n),
      slots: [s[0], s[1], s[2], s[3], s[4]],
      extra: { ...cutSlot(e, m), row: e.row.slice(0, m), write: e.write.slice(0, m) },
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
