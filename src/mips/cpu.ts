/**
 * The MIPS32r2 interpreter core. The executable segments are decoded once into a typed array
 * (see decode.ts); `run` is one hot loop with a switch over operation classes that keeps pc, npc
 * and the cycle count in locals and touches only typed arrays (no allocation, no BigInt).
 * Registers: r[0..31] GPRs, r[32] hi, r[33] lo, r[34] UserLocal (TLS pointer), r[63] the sink for
 * writes to $zero.
 * Operation classes appear as literals (see Op in decode.ts) so that V8 compiles the switch to a
 * jump table; hi = r[32], lo = r[33], UserLocal = r[34].
 * Delay slots: after an instruction at `cur`, pc = npc and npc = npc + 4 unless a branch set it.
 */
import { decodeInto } from "./decode.ts";
import { MipsFault } from "./fault.ts";
import { BlockCache, runCompiled } from "./jit.ts";
import type { TraceBlock } from "./jit-trace.ts";
import { PAGE_SHIFT, hex } from "./layout.ts";
import { Memory } from "./memory.ts";

/** Handles the `syscall` instruction; may set `cpu.halted`. */
export interface SyscallHandler {
  handle(cpu: Cpu): void;
}

const TWO32 = 4294967296;

export class Cpu {
  readonly r = new Int32Array(64);
  pc: number;
  npc: number;
  /** Instructions executed so far. */
  cycles = 0;
  /** Cycle number of the last branch whose delay slot is pending (detects branches in slots). */
  lastBranch = -2;
  halted = false;
  exitCode = 0;
  /** Address of the syscall instruction being handled (for fault messages). */
  syscallPc = 0;
  /** Pre-decoded span of the executable segments. */
  readonly textBase: number;
  readonly textBytes: number;
  readonly code: Int32Array;
  private readonly scratch = new Int32Array(2);
  /** Compiled blocks of fast mode (jit.ts). */
  readonly blocks: BlockCache;
  /** Compiled blocks of tracing mode (jit-trace.ts). */
  readonly traceBlocks: BlockCache<TraceBlock>;

  constructor(
    readonly mem: Memory,
    entry: number,
    text: { base: number; bytes: number },
    public syscalls: SyscallHandler,
  ) {
    this.pc = entry;
    this.npc = (entry + 4) | 0;
    this.textBase = text.base;
    this.textBytes = text.bytes;
    this.code = new Int32Array(text.bytes >>> 1);
    for (let a = 0; a < text.bytes; a += 4) this.redecode(text.base + a);
    this.blocks = new BlockCache(text.bytes >>> 2);
    this.traceBlocks = new BlockCache<TraceBlock>(text.bytes >>> 2);
  }

  /** A store hit the text: re-decode the word and drop compiled blocks. */
  textWritten(addr: number): void {
    this.redecode(addr);
    this.blocks.clear();
    this.traceBlocks.clear();
  }

  /** Fast mode: compiled blocks plus the interpreter; returns true when halted. */
  runFast(limit: number): boolean {
    return runCompiled(this, limit);
  }

  /** Re-decodes the text word at `addr` (after a store into the text). */
  redecode(addr: number): void {
    const off = (addr - this.textBase) & ~3;
    decodeInto(this.mem.readWord(this.textBase + off), this.textBase + off, this.scratch);
    this.code[off >>> 1] = this.scratch[0];
    this.code[(off >>> 1) + 1] = this.scratch[1];
  }

  /** Re-decodes any text words in [addr, addr + len) (after a syscall wrote memory). */
  invalidate(addr: number, len: number): void {
    const lo = Math.max(addr, this.textBase);
    const hi = Math.min(addr + len, this.textBase + this.textBytes);
    for (let a = lo & ~3; a < hi; a += 4) this.redecode(a);
    if (lo < hi) {
      this.blocks.clear();
      this.traceBlocks.clear();
    }
  }

  /** The instruction word at `pc` (0 when pc is not a readable, aligned address). */
  wordAt(pc: number): number {
    const p = this.mem.pages[pc >>> PAGE_SHIFT];
    return p === undefined || pc & 3 ? 0 : p[(pc >>> 2) & 1023] >>> 0;
  }

  /** Packed class word of the instruction at `pc` (decoding outside the text span). */
  classAt(pc: number): number {
    const off = (pc - this.textBase) | 0;
    if (off >>> 0 < this.textBytes && (off & 3) === 0) return this.code[off >> 1];
    decodeInto(this.wordAt(pc), pc, this.scratch);
    return this.scratch[0];
  }

  fault(reason: string, pc: number): MipsFault {
    return new MipsFault(reason, pc >>> 0, this.wordAt(pc));
  }

  /**
   * Runs until the guest exits or `cycles` reaches `limit`; returns true when halted. With
   * `blockExit`, also returns after the delay slot of a taken or not-taken branch (a block start).
   */
  run(limit: number, blockExit = false): boolean {
    const r = this.r;
    const mem = this.mem;
    const pages = mem.pages;
    const zero = mem.zero;
    const code = this.code;
    const tb = this.textBase;
    const tlen = this.textBytes;
    const scratch = this.scratch;
    let pc = this.pc;
    let npc = this.npc;
    let cycles = this.cycles;
    let lastBranch = this.lastBranch;
    let cur = pc;
    const start = cycles;
    try {
      while (cycles < limit) {
        if (blockExit && cycles === lastBranch + 1 && cycles !== start) break;
        cycles++;
        cur = pc;
        const off = (pc - tb) | 0;
        let w0: number;
        let imm: number;
        if (off >>> 0 < tlen && (off & 3) === 0) {
          w0 = code[off >> 1];
          imm = code[(off >> 1) + 1];
        } else {
          if (pc & 3) throw this.fault("instruction fetch from an unaligned address", pc);
          const p = pages[pc >>> 12];
          if (p === undefined) throw this.fault(`instruction fetch outside guest memory`, pc);
          decodeInto(p[(pc >>> 2) & 1023], pc, scratch);
          w0 = scratch[0];
          imm = scratch[1];
        }
        pc = npc;
        npc = (npc + 4) | 0;
        const rs = (w0 >>> 8) & 255;
        const rt = (w0 >>> 16) & 255;
        const rd = w0 >>> 24;
        switch (w0 & 255) {
          case 1: // SLL
            r[rd] = r[rt] << imm;
            break;
          case 2: // SRL
            r[rd] = r[rt] >>> imm;
            break;
          case 3: // SRA
            r[rd] = r[rt] >> imm;
            break;
          case 4: // ROTR
            r[rd] = (r[rt] >>> imm) | (r[rt] << (32 - imm));
            break;
          case 5: // SLLV
            r[rd] = r[rt] << r[rs];
            break;
          case 6: // SRLV
            r[rd] = r[rt] >>> r[rs];
            break;
          case 7: // SRAV
            r[rd] = r[rt] >> r[rs];
            break;
          case 8: {
            // ROTRV
            const s = r[rs] & 31;
            r[rd] = (r[rt] >>> s) | (r[rt] << (32 - s));
            break;
          }
          case 9: // JR
            if (lastBranch === cycles - 1) throw this.fault("jump in a branch delay slot", cur);
            lastBranch = cycles;
            npc = r[rs];
            break;
          case 10: {
            // JALR
            if (lastBranch === cycles - 1) throw this.fault("jump in a branch delay slot", cur);
            lastBranch = cycles;
            const t = r[rs];
            r[rd] = (cur + 8) | 0;
            npc = t;
            break;
          }
          case 11: // MOVZ
            if (r[rt] === 0) r[rd] = r[rs];
            break;
          case 12: // MOVN
            if (r[rt] !== 0) r[rd] = r[rs];
            break;
          case 13: // SYSCALL
            this.pc = pc;
            this.npc = npc;
            this.cycles = cycles;
            this.lastBranch = lastBranch;
            this.syscallPc = cur;
            this.syscalls.handle(this);
            if (this.halted) return true;
            break;
          case 14: // BREAK
            throw this.fault("break instruction", cur);
          case 15: // NOP
            break;
          case 16: // MFHI
            r[rd] = r[32];
            break;
          case 17: // MTHI
            r[32] = r[rs];
            break;
          case 18: // MFLO
            r[rd] = r[33];
            break;
          case 19: // MTLO
            r[33] = r[rs];
            break;
          case 20: // MULT
          case 21: // MULTU
          case 72: // MADD
          case 73: // MADDU
          case 75: // MSUB
          case 76: {
            // MSUBU
            // 64-bit product without BigInt: a*b = ah*bh*2^32 + t with t = (ah*bl + al*bh)*2^16 + al*bl,
            // |t| < 2^49, exact in a double.
            const op = w0 & 255;
            const signed = op === 20 /* MULT */ || op === 72 /* MADD */ || op === 75; /* MSUB */
            const a = r[rs];
            const b = r[rt];
            const ah = signed ? a >> 16 : a >>> 16;
            const bh = signed ? b >> 16 : b >>> 16;
            const al = a & 0xffff;
            const bl = b & 0xffff;
            const t = (ah * bl + al * bh) * 65536 + al * bl;
            const plo = Math.imul(a, b);
            const phi = (ah * bh + Math.floor(t / TWO32)) | 0;
            if (op === 20 /* MULT */ || op === 21 /* MULTU */) {
              r[32] = phi;
              r[33] = plo;
            } else if (op === 72 /* MADD */ || op === 73 /* MADDU */) {
              const lo = (r[33] >>> 0) + (plo >>> 0);
              r[33] = lo | 0;
              r[32] = (r[32] + phi + (lo >= TWO32 ? 1 : 0)) | 0;
            } else {
              const lo = (r[33] >>> 0) - (plo >>> 0);
              r[33] = lo | 0;
              r[32] = (r[32] - phi - (lo < 0 ? 1 : 0)) | 0;
            }
            break;
          }
          case 22: {
            // DIV
            // Division by zero and INT_MIN / -1 are UNPREDICTABLE; like qemu, divide by 1 instead.
            const a = r[rs];
            let b = r[rt];
            if (b === 0 || (b === -1 && a === -2147483648)) b = 1;
            r[33] = (a / b) | 0;
            r[32] = (a % b) | 0;
            break;
          }
          case 23: {
            // DIVU
            const a = r[rs] >>> 0;
            let b = r[rt] >>> 0;
            if (b === 0) b = 1;
            r[33] = (a / b) >>> 0;
            r[32] = a % b;
            break;
          }
          case 24: {
            // ADD
            const s = r[rs] + r[rt];
            if (s > 2147483647 || s < -2147483648) throw this.fault("integer overflow (add)", cur);
            r[rd] = s;
            break;
          }
          case 25: // ADDU
            r[rd] = r[rs] + r[rt];
            break;
          case 26: {
            // SUB
            const s = r[rs] - r[rt];
            if (s > 2147483647 || s < -2147483648) throw this.fault("integer overflow (sub)", cur);
            r[rd] = s;
            break;
          }
          case 27: // SUBU
            r[rd] = r[rs] - r[rt];
            break;
          case 28: // AND
            r[rd] = r[rs] & r[rt];
            break;
          case 29: // OR
            r[rd] = r[rs] | r[rt];
            break;
          case 30: // XOR
            r[rd] = r[rs] ^ r[rt];
            break;
          case 31: // NOR
            r[rd] = ~(r[rs] | r[rt]);
            break;
          case 32: // SLT
            r[rd] = r[rs] < r[rt] ? 1 : 0;
            break;
          case 33: // SLTU
            r[rd] = r[rs] >>> 0 < r[rt] >>> 0 ? 1 : 0;
            break;
          case 34: // TGE
            if (r[rs] >= r[rt]) throw this.fault("trap (tge)", cur);
            break;
          case 35: // TGEU
            if (r[rs] >>> 0 >= r[rt] >>> 0) throw this.fault("trap (tgeu)", cur);
            break;
          case 36: // TLT
            if (r[rs] < r[rt]) throw this.fault("trap (tlt)", cur);
            break;
          case 37: // TLTU
            if (r[rs] >>> 0 < r[rt] >>> 0) throw this.fault("trap (tltu)", cur);
            break;
          case 38: // TEQ
            if (r[rs] === r[rt])
              throw this.fault("trap (teq; integer division by zero when after a div)", cur);
            break;
          case 39: // TNE
            if (r[rs] !== r[rt]) throw this.fault("trap (tne)", cur);
            break;
          case 40: // TGEI
            if (r[rs] >= imm) throw this.fault("trap (tgei)", cur);
            break;
          case 41: // TGEIU
            if (r[rs] >>> 0 >= imm >>> 0) throw this.fault("trap (tgeiu)", cur);
            break;
          case 42: // TLTI
            if (r[rs] < imm) throw this.fault("trap (tlti)", cur);
            break;
          case 43: // TLTIU
            if (r[rs] >>> 0 < imm >>> 0) throw this.fault("trap (tltiu)", cur);
            break;
          case 44: // TEQI
            if (r[rs] === imm) throw this.fault("trap (teqi)", cur);
            break;
          case 45: // TNEI
            if (r[rs] !== imm) throw this.fault("trap (tnei)", cur);
            break;
          case 46: // BLTZ
          case 47: // BGEZ
          case 50: // BLTZAL
          case 51: // BGEZAL
          case 56: // BEQ
          case 57: // BNE
          case 58: // BLEZ
          case 59: {
            // BGTZ
            if (lastBranch === cycles - 1) throw this.fault("branch in a branch delay slot", cur);
            lastBranch = cycles;
            const op = w0 & 255;
            const v = r[rs];
            let taken: boolean;
            if (op === 56 /* BEQ */) taken = v === r[rt];
            else if (op === 57 /* BNE */) taken = v !== r[rt];
            else if (op === 58 /* BLEZ */) taken = v <= 0;
            else if (op === 59 /* BGTZ */) taken = v > 0;
            else if (op === 46 /* BLTZ */ || op === 50 /* BLTZAL */) taken = v < 0;
            else taken = v >= 0;
            if (op === 50 /* BLTZAL */ || op === 51 /* BGEZAL */) r[31] = (cur + 8) | 0;
            if (taken) npc = imm;
            break;
          }
          case 48: // BLTZL
          case 49: // BGEZL
          case 52: // BLTZALL
          case 53: // BGEZALL
          case 60: // BEQL
          case 61: // BNEL
          case 62: // BLEZL
          case 63: {
            // BGTZL
            if (lastBranch === cycles - 1) throw this.fault("branch in a branch delay slot", cur);
            const op = w0 & 255;
            const v = r[rs];
            let taken: boolean;
            if (op === 60 /* BEQL */) taken = v === r[rt];
            else if (op === 61 /* BNEL */) taken = v !== r[rt];
            else if (op === 62 /* BLEZL */) taken = v <= 0;
            else if (op === 63 /* BGTZL */) taken = v > 0;
            else if (op === 48 /* BLTZL */ || op === 52 /* BLTZALL */) taken = v < 0;
            else taken = v >= 0;
            if (op === 52 /* BLTZALL */ || op === 53 /* BGEZALL */) r[31] = (cur + 8) | 0;
            if (taken) {
              lastBranch = cycles;
              npc = imm;
            } else {
              // not taken: the delay slot is nullified
              pc = npc;
              npc = (npc + 4) | 0;
            }
            break;
          }
          case 54: // J
            if (lastBranch === cycles - 1) throw this.fault("jump in a branch delay slot", cur);
            lastBranch = cycles;
            npc = imm;
            break;
          case 55: // JAL
            if (lastBranch === cycles - 1) throw this.fault("jump in a branch delay slot", cur);
            lastBranch = cycles;
            r[31] = (cur + 8) | 0;
            npc = imm;
            break;
          case 64: {
            // ADDI
            const s = r[rs] + imm;
            if (s > 2147483647 || s < -2147483648) throw this.fault("integer overflow (addi)", cur);
            r[rt] = s;
            break;
          }
          case 65: // ADDIU
            r[rt] = r[rs] + imm;
            break;
          case 66: // SLTI
            r[rt] = r[rs] < imm ? 1 : 0;
            break;
          case 67: // SLTIU
            r[rt] = r[rs] >>> 0 < imm >>> 0 ? 1 : 0;
            break;
          case 68: // ANDI
            r[rt] = r[rs] & imm;
            break;
          case 69: // ORI
            r[rt] = r[rs] | imm;
            break;
          case 70: // XORI
            r[rt] = r[rs] ^ imm;
            break;
          case 71: // LUI
            r[rt] = imm;
            break;
          case 74: // MUL
            r[rd] = Math.imul(r[rs], r[rt]);
            break;
          case 77: // CLZ
            r[rd] = Math.clz32(r[rs]);
            break;
          case 78: // CLO
            r[rd] = Math.clz32(~r[rs]);
            break;
          case 79: // EXT
            r[rt] = (r[rs] >>> rd) & imm;
            break;
          case 80: // INS
            if (rt !== 0) r[rt] = (r[rt] & ~imm) | ((r[rs] << rd) & imm);
            break;
          case 81: {
            // WSBH
            const v = r[rt];
            r[rd] = ((v & 0x00ff00ff) << 8) | ((v >>> 8) & 0x00ff00ff);
            break;
          }
          case 82: // SEB
            r[rd] = (r[rt] << 24) >> 24;
            break;
          case 83: // SEH
            r[rd] = (r[rt] << 16) >> 16;
            break;
          case 84: // RDHWR
            r[rt] = r[34];
            break;
          case 85: {
            // LB
            const a = (r[rs] + imm) | 0;
            const p = pages[a >>> 12];
            if (p === undefined) throw this.fault(`load from invalid address ${hex(a)}`, cur);
            r[rt] = (p[(a >>> 2) & 1023] << (24 - ((a & 3) << 3))) >> 24;
            break;
          }
          case 89: {
            // LBU
            const a = (r[rs] + imm) | 0;
            const p = pages[a >>> 12];
            if (p === undefined) throw this.fault(`load from invalid address ${hex(a)}`, cur);
            r[rt] = (p[(a >>> 2) & 1023] >>> ((a & 3) << 3)) & 255;
            break;
          }
          case 86: {
            // LH
            const a = (r[rs] + imm) | 0;
            if (a & 1) throw this.fault(`unaligned halfword load from ${hex(a)}`, cur);
            const p = pages[a >>> 12];
            if (p === undefined) throw this.fault(`load from invalid address ${hex(a)}`, cur);
            r[rt] = (p[(a >>> 2) & 1023] << (16 - ((a & 2) << 3))) >> 16;
            break;
          }
          case 90: {
            // LHU
            const a = (r[rs] + imm) | 0;
            if (a & 1) throw this.fault(`unaligned halfword load from ${hex(a)}`, cur);
            const p = pages[a >>> 12];
            if (p === undefined) throw this.fault(`load from invalid address ${hex(a)}`, cur);
            r[rt] = (p[(a >>> 2) & 1023] >>> ((a & 2) << 3)) & 0xffff;
            break;
          }
          case 88: // LW
          case 97: {
            // LL
            const a = (r[rs] + imm) | 0;
            if (a & 3) throw this.fault(`unaligned word load from ${hex(a)}`, cur);
            const p = pages[a >>> 12];
            if (p === undefined) throw this.fault(`load from invalid address ${hex(a)}`, cur);
            r[rt] = p[(a >>> 2) & 1023];
            break;
          }
          case 87: {
            // LWL
            const a = (r[rs] + imm) | 0;
            const p = pages[a >>> 12];
            if (p === undefined) throw this.fault(`load from invalid address ${hex(a)}`, cur);
            const sh = 24 - ((a & 3) << 3);
            if (rt !== 0) r[rt] = (p[(a >>> 2) & 1023] << sh) | (r[rt] & ((1 << sh) - 1));
            break;
          }
          case 91: {
            // LWR
            const a = (r[rs] + imm) | 0;
            const p = pages[a >>> 12];
            if (p === undefined) throw this.fault(`load from invalid address ${hex(a)}`, cur);
            const sh = (a & 3) << 3;
            if (rt !== 0) r[rt] = (p[(a >>> 2) & 1023] >>> sh) | (r[rt] & ~(-1 >>> sh));
            break;
          }
          case 92: // SB
          case 93: // SH
          case 95: // SW
          case 94: // SWL
          case 96: // SWR
          case 98: {
            // SC
            const op = w0 & 255;
            const a = (r[rs] + imm) | 0;
            if (op === 93 /* SH */ ? a & 1 : op === 95 /* SW */ || op === 98 /* SC */ ? a & 3 : 0) {
              throw this.fault(`unaligned store to ${hex(a)}`, cur);
            }
            let p = pages[a >>> 12];
            if (p === undefined) throw this.fault(`store to invalid address ${hex(a)}`, cur);
            if (p === zero) p = mem.alloc(a >>> 12);
            const i = (a >>> 2) & 1023;
            const v = r[rt];
            if (op === 95 /* SW */) p[i] = v;
            else if (op === 92 /* SB */) {
              const sh = (a & 3) << 3;
              p[i] = (p[i] & ~(255 << sh)) | ((v & 255) << sh);
            } else if (op === 93 /* SH */) {
              const sh = (a & 2) << 3;
              p[i] = (p[i] & ~(0xffff << sh)) | ((v & 0xffff) << sh);
            } else if (op === 94 /* SWL */) {
              const sh = 24 - ((a & 3) << 3);
              p[i] = (p[i] & ~(-1 >>> sh)) | (v >>> sh);
            } else if (op === 96 /* SWR */) {
              const sh = (a & 3) << 3;
              p[i] = (p[i] & ~(-1 << sh)) | (v << sh);
            } else {
              // sc: single-threaded and without interrupts, it always succeeds (as in Cannon)
              p[i] = v;
              if (rt !== 0) r[rt] = 1;
            }
            if ((a - tb) >>> 0 < tlen) this.textWritten(a);
            break;
          }
          default:
            throw this.fault("unsupported or reserved instruction", cur);
        }
      }
    } catch (e) {
      // report the faulting instruction as current
      this.pc = cur;
      this.cycles = cycles;
      throw e;
    }
    this.pc = pc;
    this.npc = npc;
    this.cycles = cycles;
    this.lastBranch = lastBranch;
    return false;
  }
}
