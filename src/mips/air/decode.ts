/**
 * Static decoder of MIPS32r2 instruction words into the fields the program ROM commits to.
 *
 * Every instruction is normalised to one chip family, an operation index inside that family and
 * three register-file addresses (two reads `a`, `b` and one write `d`) plus a 32-bit immediate and a
 * static target. Writes to `$zero` are redirected to the sink register {@link REG_SINK}, so the value
 * at address 0 can never change; operands that an instruction does not read are `$zero` (value 0), so
 * an I-type chip computes `b + imm` uniformly. The decoder never executes anything: the same fields are
 * produced by `zkmips vkey` without running the program. Which words are valid instructions at all is
 * decided by the executor's decoder (`../decode.ts`), so the ROM never holds a word the executor faults on.
 */
import { decodeInto } from "../decode.ts";

/** Register-file addresses in the memory argument (word keys below the first data key 0x400). */
export const REG_HI = 32;
export const REG_LO = 33;
/** Destination of every write to `$zero`; never read by any instruction. */
export const REG_SINK = 34;
/** Number of bytes written to fd 3 so far (the public-values cursor). */
export const REG_PV_CURSOR = 35;
/** The program break (brk state), initialised to the end of the image. */
export const REG_BRK = 36;
/** The mmap cursor (lowest mapped address), initialised to the stack bottom (chips/sysmisc.ts). */
export const REG_MMAP = 37;
/** The virtual clock's seconds and nanoseconds (zero-initialised; chips/sysmisc.ts). */
export const REG_CLOCK_S = 38;
export const REG_CLOCK_NS = 39;
/** UserLocal (the thread pointer set by set_thread_area; the executor's register 34). */
export const REG_USER_LOCAL = 40;
/** Number of register-file keys; memory word keys (byte address / 4) start at 0x400. */
export const REG_COUNT = 41;

/** Chip families. The numeric value is what the ROM stores and what each chip hard-codes. */
export enum Family {
  AddSub = 1,
  Bitwise = 2,
  Lt = 3,
  Branch = 4,
  Jump = 5,
  Mem = 6,
  Syscall = 7,
  Shift = 8,
  HiLo = 9,
  MovCond = 10,
  SignExt = 11,
  Div = 12,
  Clz = 13,
}

/** Operations per family (index = value sent in the ROM tuple). */
export const AddSubOp = { addu: 0, subu: 1, add: 2, sub: 3 } as const;
export const BitwiseOp = { and: 0, or: 1, xor: 2, nor: 3 } as const;
export const LtOp = { sltu: 0, slt: 1, tgeu: 2, tge: 3, tltu: 4, tlt: 5, teq: 6, tne: 7 } as const;
export const BranchOp = {
  beq: 0,
  bne: 1,
  blez: 2,
  bgtz: 3,
  bltz: 4,
  bgez: 5,
  beql: 6,
  bnel: 7,
  blezl: 8,
  bgtzl: 9,
  bltzl: 10,
  bgezl: 11,
} as const;
export const JumpOp = { j: 0, jr: 1 } as const;
export const ShiftOp = { sll: 0, srl: 1, sra: 2, rotr: 3, ins: 4, ext: 5 } as const;
export const HiLoOp = {
  mult: 0,
  multu: 1,
  madd: 2,
  maddu: 3,
  msub: 4,
  msubu: 5,
  mul: 6,
  mfhi: 7,
  mflo: 8,
  mthi: 9,
  mtlo: 10,
} as const;
export const ClzOp = { clz: 0, clo: 1 } as const;
export const DivOp = { div: 0, divu: 1 } as const;
export const MovCondOp = { movz: 0, movn: 1 } as const;
export const MemOp = {
  lw: 0,
  sw: 1,
  lb: 2,
  lbu: 3,
  sb: 4,
  lh: 5,
  lhu: 6,
  sh: 7,
  lwl: 8,
  lwr: 9,
  swl: 10,
  swr: 11,
  sc: 12,
} as const;
export const SignExtOp = { seb: 0, seh: 1, wsbh: 2 } as const;

/** A decoded instruction: what the ROM row for its pc holds. */
export interface Decoded {
  /** Mnemonic, for error messages and docs. */
  name: string;
  family: Family;
  op: number;
  /** First read register address. */
  a: number;
  /** Second read register address ($zero when unused). */
  b: number;
  /** Written register address ({@link REG_SINK} when nothing is written). */
  d: number;
  /** 32-bit immediate (already sign/zero-extended or shifted as the operation needs; link value pc+8 for calls). */
  imm: number;
  /** Static branch/jump target (0 when none). */
  target: number;
}

/** An instruction class with no chip yet (the prover refuses such traces). */
export interface Unsupported {
  name: string;
  unsupported: string;
}

const scratch = new Int32Array(2);
const dst = (r: number): number => (r === 0 ? REG_SINK : r);
const sext16 = (x: number): number => ((x << 16) >> 16) >>> 0;

function mk(
  name: string,
  family: Family,
  op: number,
  a: number,
  b: number,
  d: number,
  imm = 0,
  target = 0,
): Decoded {
  return { name, family, op, a, b, d: dst(d), imm: imm >>> 0, target: target >>> 0 };
}

const unsup = (name: string, cls: string): Unsupported => ({ name, unsupported: cls });

/**
 * Decodes the word at `pc`. Returns null for words that are not valid MIPS32r2 integer
 * instructions (the executor faults on those, so they never execute in a valid trace).
 *
 * @example decodeInstruction(0x24020fa6, 0x400000) // addiu $v0, $zero, 4006 → AddSub/addu, imm 4006
 */
export function decodeInstruction(word: number, pc: number): Decoded | Unsupported | null {
  const w = word >>> 0;
  // Validity (reserved fields included) is the executor's: a word it faults on is never in the ROM.
  decodeInto(w, pc, scratch);
  if ((scratch[0] & 255) === 0) return null;
  const opc = w >>> 26;
  const rs = (w >>> 21) & 31;
  const rt = (w >>> 16) & 31;
  const rd = (w >>> 11) & 31;
  const sa = (w >>> 6) & 31;
  const funct = w & 63;
  const imm = w & 0xffff;
  const brTarget = (pc + 4 + (sext16(imm) << 2)) >>> 0;
  const link = (pc + 8) >>> 0;
  switch (opc) {
    case 0:
      switch (funct) {
        case 0:
          return mk(w === 0 ? "nop" : "sll", Family.Shift, ShiftOp.sll, rt, 0, rd, sa);
        case 2:
          return rs === 1
            ? mk("rotr", Family.Shift, ShiftOp.rotr, rt, 0, rd, sa)
            : rs === 0
              ? mk("srl", Family.Shift, ShiftOp.srl, rt, 0, rd, sa)
              : null;
        case 3:
          return mk("sra", Family.Shift, ShiftOp.sra, rt, 0, rd, sa);
        case 4:
          return mk("sllv", Family.Shift, ShiftOp.sll, rt, rs, rd);
        case 6:
          return sa === 1
            ? mk("rotrv", Family.Shift, ShiftOp.rotr, rt, rs, rd)
            : sa === 0
              ? mk("srlv", Family.Shift, ShiftOp.srl, rt, rs, rd)
              : null;
        case 7:
          return mk("srav", Family.Shift, ShiftOp.sra, rt, rs, rd);
        case 8:
          return mk("jr", Family.Jump, JumpOp.jr, rs, 0, 0, link);
        case 9:
          return mk("jalr", Family.Jump, JumpOp.jr, rs, 0, rd, link);
        case 10:
          return mk("movz", Family.MovCond, MovCondOp.movz, rs, rt, rd);
        case 11:
          return mk("movn", Family.MovCond, MovCondOp.movn, rs, rt, rd);
        case 12:
          return mk("syscall", Family.Syscall, 0, 2, 4, 2);
        case 13:
          return unsup("break", "break (always stops with an error)");
        case 15:
          return mk("sync", Family.Shift, ShiftOp.sll, 0, 0, 0); // no effect on one core: a nop
        case 16:
          return mk("mfhi", Family.HiLo, HiLoOp.mfhi, REG_HI, 0, rd);
        case 17:
          return mk("mthi", Family.HiLo, HiLoOp.mthi, rs, 0, REG_HI);
        case 18:
          return mk("mflo", Family.HiLo, HiLoOp.mflo, REG_LO, 0, rd);
        case 19:
          return mk("mtlo", Family.HiLo, HiLoOp.mtlo, rs, 0, REG_LO);
        case 24:
          return mk("mult", Family.HiLo, HiLoOp.mult, rs, rt, REG_LO);
        case 25:
          return mk("multu", Family.HiLo, HiLoOp.multu, rs, rt, REG_LO);
        case 26:
          return mk("div", Family.Div, DivOp.div, rs, rt, REG_LO);
        case 27:
          return mk("divu", Family.Div, DivOp.divu, rs, rt, REG_LO);
        case 32:
          return mk("add", Family.AddSub, AddSubOp.add, rs, rt, rd);
        case 34:
          return mk("sub", Family.AddSub, AddSubOp.sub, rs, rt, rd);
        case 33:
          return mk("addu", Family.AddSub, AddSubOp.addu, rs, rt, rd);
        case 35:
          return mk("subu", Family.AddSub, AddSubOp.subu, rs, rt, rd);
        case 36:
          return mk("and", Family.Bitwise, BitwiseOp.and, rs, rt, rd);
        case 37:
          return mk("or", Family.Bitwise, BitwiseOp.or, rs, rt, rd);
        case 38:
          return mk("xor", Family.Bitwise, BitwiseOp.xor, rs, rt, rd);
        case 39:
          return mk("nor", Family.Bitwise, BitwiseOp.nor, rs, rt, rd);
        case 42:
          return mk("slt", Family.Lt, LtOp.slt, rs, rt, rd);
        case 43:
          return mk("sltu", Family.Lt, LtOp.sltu, rs, rt, rd);
        case 48:
          return mk("tge", Family.Lt, LtOp.tge, rs, rt, 0);
        case 49:
          return mk("tgeu", Family.Lt, LtOp.tgeu, rs, rt, 0);
        case 50:
          return mk("tlt", Family.Lt, LtOp.tlt, rs, rt, 0);
        case 51:
          return mk("tltu", Family.Lt, LtOp.tltu, rs, rt, 0);
        case 52:
          return mk("teq", Family.Lt, LtOp.teq, rs, rt, 0);
        case 54:
          return mk("tne", Family.Lt, LtOp.tne, rs, rt, 0);
        default:
          return null;
      }
    case 1:
      switch (rt) {
        case 0:
          return mk("bltz", Family.Branch, BranchOp.bltz, rs, 0, 0, 0, brTarget);
        case 1:
          return mk("bgez", Family.Branch, BranchOp.bgez, rs, 0, 0, 0, brTarget);
        case 16:
          return mk("bltzal", Family.Branch, BranchOp.bltz, rs, 0, 31, link, brTarget);
        case 17:
          return mk("bgezal", Family.Branch, BranchOp.bgez, rs, 0, 31, link, brTarget);
        case 2:
          return mk("bltzl", Family.Branch, BranchOp.bltzl, rs, 0, 0, 0, brTarget);
        case 3:
          return mk("bgezl", Family.Branch, BranchOp.bgezl, rs, 0, 0, 0, brTarget);
        case 18:
          return mk("bltzall", Family.Branch, BranchOp.bltzl, rs, 0, 31, link, brTarget);
        case 19:
          return mk("bgezall", Family.Branch, BranchOp.bgezl, rs, 0, 31, link, brTarget);
        case 8:
          return mk("tgei", Family.Lt, LtOp.tge, rs, 0, 0, sext16(imm));
        case 9:
          return mk("tgeiu", Family.Lt, LtOp.tgeu, rs, 0, 0, sext16(imm));
        case 10:
          return mk("tlti", Family.Lt, LtOp.tlt, rs, 0, 0, sext16(imm));
        case 11:
          return mk("tltiu", Family.Lt, LtOp.tltu, rs, 0, 0, sext16(imm));
        case 12:
          return mk("teqi", Family.Lt, LtOp.teq, rs, 0, 0, sext16(imm));
        case 14:
          return mk("tnei", Family.Lt, LtOp.tne, rs, 0, 0, sext16(imm));
        default:
          return null;
      }
    case 2:
    case 3: {
      const t = (((pc + 4) & 0xf0000000) | ((w & 0x3ffffff) << 2)) >>> 0;
      return opc === 2
        ? mk("j", Family.Jump, JumpOp.j, 0, 0, 0, link, t)
        : mk("jal", Family.Jump, JumpOp.j, 0, 0, 31, link, t);
    }
    case 4:
      return mk("beq", Family.Branch, BranchOp.beq, rs, rt, 0, 0, brTarget);
    case 5:
      return mk("bne", Family.Branch, BranchOp.bne, rs, rt, 0, 0, brTarget);
    case 6:
      return rt === 0 ? mk("blez", Family.Branch, BranchOp.blez, rs, 0, 0, 0, brTarget) : null;
    case 7:
      return rt === 0 ? mk("bgtz", Family.Branch, BranchOp.bgtz, rs, 0, 0, 0, brTarget) : null;
    case 8:
      return mk("addi", Family.AddSub, AddSubOp.add, rs, 0, rt, sext16(imm));
    case 9:
      return mk("addiu", Family.AddSub, AddSubOp.addu, rs, 0, rt, sext16(imm));
    case 10:
      return mk("slti", Family.Lt, LtOp.slt, rs, 0, rt, sext16(imm));
    case 11:
      return mk("sltiu", Family.Lt, LtOp.sltu, rs, 0, rt, sext16(imm));
    case 12:
      return mk("andi", Family.Bitwise, BitwiseOp.and, rs, 0, rt, imm);
    case 13:
      return mk("ori", Family.Bitwise, BitwiseOp.or, rs, 0, rt, imm);
    case 14:
      return mk("xori", Family.Bitwise, BitwiseOp.xor, rs, 0, rt, imm);
    case 15:
      return mk("lui", Family.Bitwise, BitwiseOp.or, 0, 0, rt, imm << 16);
    case 20:
      return mk("beql", Family.Branch, BranchOp.beql, rs, rt, 0, 0, brTarget);
    case 21:
      return mk("bnel", Family.Branch, BranchOp.bnel, rs, rt, 0, 0, brTarget);
    case 22:
      return rt === 0 ? mk("blezl", Family.Branch, BranchOp.blezl, rs, 0, 0, 0, brTarget) : null;
    case 23:
      return rt === 0 ? mk("bgtzl", Family.Branch, BranchOp.bgtzl, rs, 0, 0, 0, brTarget) : null;
    case 28:
      if (funct === 32) return mk("clz", Family.Clz, ClzOp.clz, rs, 0, rd);
      if (funct === 33) return mk("clo", Family.Clz, ClzOp.clo, rs, 0, rd);
      if (funct === 0) return mk("madd", Family.HiLo, HiLoOp.madd, rs, rt, REG_LO);
      if (funct === 1) return mk("maddu", Family.HiLo, HiLoOp.maddu, rs, rt, REG_LO);
      if (funct === 2) return mk("mul", Family.HiLo, HiLoOp.mul, rs, rt, rd);
      if (funct === 4) return mk("msub", Family.HiLo, HiLoOp.msub, rs, rt, REG_LO);
      if (funct === 5) return mk("msubu", Family.HiLo, HiLoOp.msubu, rs, rt, REG_LO);
      return null;
    case 31:
      if (funct === 0) {
        // ext rt, rs, pos, size: rt = (rs >>> pos) & (2^size - 1); size = rd + 1, pos = sa.
        const size = rd + 1;
        if (sa + size > 32) return null;
        const mask = size === 32 ? 0xffffffff : (1 << size) - 1;
        return mk("ext", Family.Shift, ShiftOp.ext, rs, 0, rt, mask, sa);
      }
      if (funct === 4) {
        // ins rt, rs, pos, size: rt = (rt & ~M) | ((rs << pos) & M), M = (2^size - 1) << pos; rd = pos + size - 1.
        if (rd < sa) return null;
        const size = rd - sa + 1;
        const mask = (size === 32 ? 0xffffffff : ((1 << size) - 1) << sa) >>> 0;
        return mk("ins", Family.Shift, ShiftOp.ins, rs, 0, rt, mask, sa);
      }
      if (funct === 32 && sa === 16) return mk("seb", Family.SignExt, SignExtOp.seb, rt, 0, rd);
      if (funct === 32 && sa === 24) return mk("seh", Family.SignExt, SignExtOp.seh, rt, 0, rd);
      if (funct === 32 && sa === 2) return mk("wsbh", Family.SignExt, SignExtOp.wsbh, rt, 0, rd);
      return null;
    case 32:
      return mk("lb", Family.Mem, MemOp.lb, rs, 0, rt, sext16(imm));
    case 33:
      return mk("lh", Family.Mem, MemOp.lh, rs, 0, rt, sext16(imm));
    case 35:
      return mk("lw", Family.Mem, MemOp.lw, rs, 0, rt, sext16(imm));
    case 36:
      return mk("lbu", Family.Mem, MemOp.lbu, rs, 0, rt, sext16(imm));
    case 37:
      return mk("lhu", Family.Mem, MemOp.lhu, rs, 0, rt, sext16(imm));
    case 40:
      return mk("sb", Family.Mem, MemOp.sb, rs, rt, 0, sext16(imm));
    case 41:
      return mk("sh", Family.Mem, MemOp.sh, rs, rt, 0, sext16(imm));
    case 43:
      return mk("sw", Family.Mem, MemOp.sw, rs, rt, 0, sext16(imm));
    case 34:
      return mk("lwl", Family.Mem, MemOp.lwl, rs, 0, rt, sext16(imm));
    case 38:
      return mk("lwr", Family.Mem, MemOp.lwr, rs, 0, rt, sext16(imm));
    case 42:
      return mk("swl", Family.Mem, MemOp.swl, rs, rt, 0, sext16(imm));
    case 46:
      return mk("swr", Family.Mem, MemOp.swr, rs, rt, 0, sext16(imm));
    case 48:
      // ll is an aligned word load (single-threaded: no reservation to track).
      return mk("ll", Family.Mem, MemOp.lw, rs, 0, rt, sext16(imm));
    case 56:
      // sc always succeeds (single thread, as the executor): store rt, then rt = 1.
      return mk("sc", Family.Mem, MemOp.sc, rs, rt, rt, sext16(imm));
    case 51:
      return mk("pref", Family.Shift, ShiftOp.sll, 0, 0, 0); // a hint without architectural effect: a nop
    default:
      return null;
  }
}

export const isUnsupported = (d: Decoded | Unsupported): d is Unsupported => "unsupported" in d;
