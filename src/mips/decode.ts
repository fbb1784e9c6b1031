/**
 * Instruction decoding: maps a MIPS32r2 word to an operation class and pre-computed operands,
 * packed in two int32s so that the executor decodes each text word once:
 *   w0  = class | rs << 8 | rt << 16 | rd << 24     (register indices; a written $zero becomes REG_SINK)
 *   imm = extended immediate, shift amount, absolute branch/jump target or ext/ins mask.
 * Anything not in the supported set decodes to INVALID (the executor faults when it runs it).
 */
import { REG_SINK } from "./layout.ts";

/** Operation classes (dense, for a jump-table switch). */
export const enum Op {
  INVALID = 0,
  SLL,
  SRL,
  SRA,
  ROTR,
  SLLV,
  SRLV,
  SRAV,
  ROTRV,
  JR,
  JALR,
  MOVZ,
  MOVN,
  SYSCALL,
  BREAK,
  NOP,
  MFHI,
  MTHI,
  MFLO,
  MTLO,
  MULT,
  MULTU,
  DIV,
  DIVU,
  ADD,
  ADDU,
  SUB,
  SUBU,
  AND,
  OR,
  XOR,
  NOR,
  SLT,
  SLTU,
  TGE,
  TGEU,
  TLT,
  TLTU,
  TEQ,
  TNE,
  TGEI,
  TGEIU,
  TLTI,
  TLTIU,
  TEQI,
  TNEI,
  BLTZ,
  BGEZ,
  BLTZL,
  BGEZL,
  BLTZAL,
  BGEZAL,
  BLTZALL,
  BGEZALL,
  J,
  JAL,
  BEQ,
  BNE,
  BLEZ,
  BGTZ,
  BEQL,
  BNEL,
  BLEZL,
  BGTZL,
  ADDI,
  ADDIU,
  SLTI,
  SLTIU,
  ANDI,
  ORI,
  XORI,
  LUI,
  MADD,
  MADDU,
  MUL,
  MSUB,
  MSUBU,
  CLZ,
  CLO,
  EXT,
  INS,
  WSBH,
  SEB,
  SEH,
  RDHWR,
  LB,
  LH,
  LWL,
  LW,
  LBU,
  LHU,
  LWR,
  SB,
  SH,
  SWL,
  SW,
  SWR,
  LL,
  SC,
  COUNT,
}

/** Mnemonics indexed by Op (for messages and docs). */
export const OP_NAMES: readonly string[] = (
  "invalid sll srl sra rotr sllv srlv srav rotrv jr jalr movz movn syscall break nop " +
  "mfhi mthi mflo mtlo mult multu div divu add addu sub subu and or xor nor slt sltu " +
  "tge tgeu tlt tltu teq tne tgei tgeiu tlti tltiu teqi tnei " +
  "bltz bgez bltzl bgezl bltzal bgezal bltzall bgezall j jal beq bne blez bgtz beql bnel blezl bgtzl " +
  "addi addiu slti sltiu andi ori xori lui madd maddu mul msub msubu clz clo ext ins wsbh seb seh rdhwr " +
  "lb lh lwl lw lbu lhu lwr sb sh swl sw swr ll sc"
).split(" ");

/** True for instructions that have a delay slot. */
export function isBranch(op: number): boolean {
  return (op >= Op.BLTZ && op <= Op.BGTZL) || op === Op.JR || op === Op.JALR;
}

const REGIMM: Record<number, Op> = {
  0x00: Op.BLTZ,
  0x01: Op.BGEZ,
  0x02: Op.BLTZL,
  0x03: Op.BGEZL,
  0x08: Op.TGEI,
  0x09: Op.TGEIU,
  0x0a: Op.TLTI,
  0x0b: Op.TLTIU,
  0x0c: Op.TEQI,
  0x0e: Op.TNEI,
  0x10: Op.BLTZAL,
  0x11: Op.BGEZAL,
  0x12: Op.BLTZALL,
  0x13: Op.BGEZALL,
  0x1f: Op.NOP, // synci: no caches to synchronise
};

const LOADS: Record<number, Op> = {
  0x20: Op.LB,
  0x21: Op.LH,
  0x23: Op.LW,
  0x24: Op.LBU,
  0x25: Op.LHU,
  0x30: Op.LL,
};
const STORES: Record<number, Op> = {
  0x28: Op.SB,
  0x29: Op.SH,
  0x2a: Op.SWL,
  0x2b: Op.SW,
  0x2e: Op.SWR,
  0x38: Op.SC,
};
const MULDIV = [Op.MULT, Op.MULTU, Op.DIV, Op.DIVU];
const TRAPS = [Op.TGE, Op.TGEU, Op.TLT, Op.TLTU, Op.TEQ, Op.INVALID, Op.TNE];
const BEQS = [Op.BEQ, Op.BNE, Op.BEQL, Op.BNEL];
const BLEZS = [Op.BLEZ, Op.BGTZ, Op.BLEZL, Op.BGTZL];
const MADDS = [Op.MADD, Op.MADDU, 0, 0, Op.MSUB, Op.MSUBU];

function pack(op: Op, rs: number, rt: number, rd: number): number {
  return op | (rs << 8) | (rt << 16) | (rd << 24);
}

/** A destination register index: writes to $zero go to the sink. */
function dst(r: number): number {
  return r === 0 ? REG_SINK : r;
}

/**
 * Decodes `word` located at `pc` into `out[0]` (packed class and registers) and `out[1]` (imm).
 */
export function decodeInto(word: number, pc: number, out: Int32Array): void {
  const opc = word >>> 26;
  const rs = (word >>> 21) & 31;
  const rt = (word >>> 16) & 31;
  const rd = (word >>> 11) & 31;
  const sa = (word >>> 6) & 31;
  const fn = word & 63;
  const simm = (word << 16) >> 16;
  const branchTarget = (pc + 4 + (simm << 2)) | 0;
  let w0 = Op.INVALID as number;
  let imm = 0;
  const r3 = sa === 0 ? pack(0, rs, rt, dst(rd)) : Op.INVALID;
  switch (opc) {
    case 0: // SPECIAL
      switch (fn) {
        case 0x00:
          if (rs === 0) {
            w0 = pack(Op.SLL, 0, rt, dst(rd));
            imm = sa;
          }
          break;
        case 0x02:
          if (rs === 0 || rs === 1) {
            w0 = pack(rs ? Op.ROTR : Op.SRL, 0, rt, dst(rd));
            imm = sa;
          }
          break;
        case 0x03:
          if (rs === 0) {
            w0 = pack(Op.SRA, 0, rt, dst(rd));
            imm = sa;
          }
          break;
        case 0x04:
          if (r3) w0 = r3 | Op.SLLV;
          break;
        case 0x06:
          if (sa === 0 || sa === 1) w0 = pack(sa ? Op.ROTRV : Op.SRLV, rs, rt, dst(rd));
          break;
        case 0x07:
          if (r3) w0 = r3 | Op.SRAV;
          break;
        case 0x08:
          if (rt === 0 && rd === 0 && (sa & 15) === 0) w0 = pack(Op.JR, rs, 0, 0);
          break;
        case 0x09:
          if (rt === 0 && (sa & 15) === 0) w0 = pack(Op.JALR, rs, 0, dst(rd));
          break;
        case 0x0a:
          if (r3) w0 = r3 | Op.MOVZ;
          break;
        case 0x0b:
          if (r3) w0 = r3 | Op.MOVN;
          break;
        case 0x0c:
          w0 = Op.SYSCALL;
          break;
        case 0x0d:
          w0 = Op.BREAK;
          break;
        case 0x0f:
          w0 = Op.NOP; // sync
          break;
        case 0x10:
          if (rs === 0 && rt === 0 && sa === 0) w0 = pack(Op.MFHI, 0, 0, dst(rd));
          break;
        case 0x11:
          if (rt === 0 && rd === 0 && sa === 0) w0 = pack(Op.MTHI, rs, 0, 0);
          break;
        case 0x12:
          if (rs === 0 && rt === 0 && sa === 0) w0 = pack(Op.MFLO, 0, 0, dst(rd));
          break;
        case 0x13:
          if (rt === 0 && rd === 0 && sa === 0) w0 = pack(Op.MTLO, rs, 0, 0);
          break;
        case 0x18:
        case 0x19:
        case 0x1a:
        case 0x1b:
          if (rd === 0 && sa === 0) w0 = pack(MULDIV[fn - 0x18], rs, rt, 0);
          break;
        case 0x20:
          if (r3) w0 = r3 | Op.ADD;
          break;
        case 0x21:
          if (r3) w0 = r3 | Op.ADDU;
          break;
        case 0x22:
          if (r3) w0 = r3 | Op.SUB;
          break;
        case 0x23:
          if (r3) w0 = r3 | Op.SUBU;
          break;
        case 0x24:
          if (r3) w0 = r3 | Op.AND;
          break;
        case 0x25:
          if (r3) w0 = r3 | Op.OR;
          break;
        case 0x26:
          if (r3) w0 = r3 | Op.XOR;
          break;
        case 0x27:
          if (r3) w0 = r3 | Op.NOR;
          break;
        case 0x2a:
          if (r3) w0 = r3 | Op.SLT;
          break;
        case 0x2b:
          if (r3) w0 = r3 | Op.SLTU;
          break;
        case 0x30:
        case 0x31:
        case 0x32:
        case 0x33:
        case 0x34:
        case 0x36:
          // the 10-bit code field (rd, sa) is ignored, as hardware does
          w0 = pack(TRAPS[fn - 0x30], rs, rt, 0);
          break;
      }
      break;
    case 1: {
      // REGIMM

      const op = REGIMM[rt];
      if (op !== undefined) {
        w0 = pack(op, rs, 0, 0);
        imm = op >= Op.TGEI && op <= Op.TNEI ? simm : branchTarget;
      }
      break;
    }
    case 2:
    case 3:
      w0 = opc === 2 ? Op.J : Op.JAL;
      imm = ((pc + 4) & 0xf0000000) | ((word & 0x3ffffff) << 2) | 0;
      break;
    case 4:
    case 5:
    case 0x14:
    case 0x15:
      w0 = pack(BEQS[(opc & 1) | ((opc >> 3) & 2)], rs, rt, 0);
      imm = branchTarget;
      break;
    case 6:
    case 7:
    case 0x16:
    case 0x17:
      if (rt === 0) {
        w0 = pack(BLEZS[(opc & 1) | ((opc >> 3) & 2)], rs, 0, 0);
        imm = branchTarget;
      }
      break;
    case 8:
      {
        w0 = pack(Op.ADDI, rs, dst(rt), 0);
        imm = simm;
      }
      break;
    case 9:
      {
        w0 = pack(Op.ADDIU, rs, dst(rt), 0);
        imm = simm;
      }
      break;
    case 0x0a:
      {
        w0 = pack(Op.SLTI, rs, dst(rt), 0);
        imm = simm;
      }
      break;
    case 0x0b:
      {
        w0 = pack(Op.SLTIU, rs, dst(rt), 0);
        imm = simm;
      }
      break;
    case 0x0c:
      {
        w0 = pack(Op.ANDI, rs, dst(rt), 0);
        imm = word & 0xffff;
      }
      break;
    case 0x0d:
      {
        w0 = pack(Op.ORI, rs, dst(rt), 0);
        imm = word & 0xffff;
      }
      break;
    case 0x0e:
      {
        w0 = pack(Op.XORI, rs, dst(rt), 0);
        imm = word & 0xffff;
      }
      break;
    case 0x0f:
      if (rs === 0) {
        w0 = pack(Op.LUI, 0, dst(rt), 0);
        imm = word << 16;
      }
      break;
    case 0x1c: // SPECIAL2
      if (sa !== 0) break;
      if ((fn === 0 || fn === 1 || fn === 4 || fn === 5) && rd === 0) {
        w0 = pack(MADDS[fn], rs, rt, 0);
      } else if (fn === 2) {
        w0 = pack(Op.MUL, rs, rt, dst(rd));
      } else if ((fn === 0x20 || fn === 0x21) && rt === rd) {
        // clz/clo encode rd twice (rt must equal rd)
        w0 = pack(fn === 0x20 ? Op.CLZ : Op.CLO, rs, 0, dst(rd));
      }
      break;
    case 0x1f: // SPECIAL3
      if (fn === 0x00) {
        // ext rt, rs, pos, size: pos = sa, size = rd + 1
        const size = rd + 1;
        if (sa + size <= 32) {
          w0 = pack(Op.EXT, rs, dst(rt), sa);
          imm = size === 32 ? -1 : (1 << size) - 1;
        }
      } else if (fn === 0x04) {
        // ins rt, rs, pos, size: lsb = sa, msb = rd; rt is read and written (kept raw)
        if (rd >= sa) {
          const size = rd - sa + 1;
          w0 = pack(Op.INS, rs, rt, sa);
          imm = (size === 32 ? -1 : ((1 << size) - 1) << sa) | 0;
        }
      } else if (fn === 0x20 && rs === 0) {
        if (sa === 0x02) w0 = pack(Op.WSBH, 0, rt, dst(rd));
        else if (sa === 0x10) w0 = pack(Op.SEB, 0, rt, dst(rd));
        else if (sa === 0x18) w0 = pack(Op.SEH, 0, rt, dst(rd));
      } else if (fn === 0x3b && rs === 0 && sa === 0 && rd === 29) {
        // rdhwr rt, $29 (UserLocal: the TLS pointer set by set_thread_area)
        w0 = pack(Op.RDHWR, 0, dst(rt), 29);
      }
      break;
    case 0x20:
    case 0x21:
    case 0x23:
    case 0x24:
    case 0x25:
    case 0x30:
      w0 = pack(LOADS[opc], rs, dst(rt), 0);
      imm = simm;
      break;
    case 0x22:
    case 0x26:
      // lwl/lwr read rt too: keep the raw index
      w0 = pack(opc === 0x22 ? Op.LWL : Op.LWR, rs, rt, 0);
      imm = simm;
      break;
    case 0x28:
    case 0x29:
    case 0x2a:
    case 0x2b:
    case 0x2e:
    case 0x38:
      w0 = pack(STORES[opc], rs, rt, 0);
      imm = simm;
      break;
    case 0x33:
      w0 = Op.NOP; // pref
      break;
  }
  out[0] = w0;
  out[1] = imm;
}
