/**
 * What each instruction class accesses in the trace (shared by the reference tracer in trace.ts
 * and the traced-block compiler in jit-trace.ts, so both record exactly the same slots), and the
 * column layout of the trace's row buffers.
 */
import { Op } from "./decode.ts";
import { REG_ULR } from "./layout.ts";

// Register operand sources of the access descriptors.
export const RS = 1;
export const RT = 2;
export const RD = 3;
export const HI = 4;
export const LO = 5;
export const RA = 6;
export const ULR = 7;
const W = 8; // flag: write
export const M_READ = 1;
export const M_WRITE = 2;

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

/** Flattened descriptors: source and write flag of register spec k of op at [op * 4 + k]. */
export const SRC = new Uint8Array(256 * 4);
export const WRITES = new Uint8Array(256 * 4);
export const NREGS = new Uint8Array(256);
export const MEMKIND = new Uint8Array(256);
REGS.forEach((specs, op) => {
  NREGS[op] = specs.length;
  MEMKIND[op] = MEMK[op];
  specs.forEach((sp, k) => {
    SRC[op * 4 + k] = sp & 7;
    WRITES[op * 4 + k] = sp & W ? 1 : 0;
  });
});

/** Register-file index (trace address) that operand source `src` names in instruction `word`. */
export function regIndex(src: number, word: number): number {
  return src === RS
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
              : REG_ULR;
}

/** Registers a syscall row records (read before, value after): v0, a0-a3, sp, UserLocal. */
export const SYSCALL_REGS = [2, 4, 5, 6, 7, 29, REG_ULR];

/** Largest trace: timestamps 8 * clk + 6 must fit in 32 bits. */
export const MAX_TRACE_ROWS = 2 ** 29 - 1;

/**
 * Row columns (Uint32Array each): pc, nextPc, nextNextPc, instruction, then per access slot s
 * (0-3 registers, 4 memory) addr, value, prevValue, prevClk at COL_SLOT + 4 * s + field. The
 * access flags are a separate Uint16Array.
 */
export const COL_PC = 0;
export const COL_NPC = 1;
export const COL_NNPC = 2;
export const COL_INS = 3;
export const COL_SLOT = 4;
export const NCOLS = 24;
