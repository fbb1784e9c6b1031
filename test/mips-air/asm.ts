/**
 * A tiny MIPS32 encoder for AIR tests (hand-written programs without a compiler), and a helper that
 * turns a list of words into a ProgramImage at 0x400000 with $sp at 0x7EFFF000.
 */
import type { ProgramImage } from "../../src/mips/air/tables.ts";

const R = (rs: number, rt: number, rd: number, sa: number, funct: number): number =>
  ((rs << 21) | (rt << 16) | (rd << 11) | (sa << 6) | funct) >>> 0;
const I = (op: number, rs: number, rt: number, imm: number): number =>
  ((op << 26) | (rs << 21) | (rt << 16) | (imm & 0xffff)) >>> 0;

export const asm = {
  nop: (): number => 0,
  addu: (rd: number, rs: number, rt: number) => R(rs, rt, rd, 0, 33),
  subu: (rd: number, rs: number, rt: number) => R(rs, rt, rd, 0, 35),
  and: (rd: number, rs: number, rt: number) => R(rs, rt, rd, 0, 36),
  or: (rd: number, rs: number, rt: number) => R(rs, rt, rd, 0, 37),
  xor: (rd: number, rs: number, rt: number) => R(rs, rt, rd, 0, 38),
  nor: (rd: number, rs: number, rt: number) => R(rs, rt, rd, 0, 39),
  slt: (rd: number, rs: number, rt: number) => R(rs, rt, rd, 0, 42),
  sltu: (rd: number, rs: number, rt: number) => R(rs, rt, rd, 0, 43),
  sll: (rd: number, rt: number, sa: number) => R(0, rt, rd, sa, 0),
  srl: (rd: number, rt: number, sa: number) => R(0, rt, rd, sa, 2),
  rotr: (rd: number, rt: number, sa: number) => R(1, rt, rd, sa, 2),
  sra: (rd: number, rt: number, sa: number) => R(0, rt, rd, sa, 3),
  sllv: (rd: number, rt: number, rs: number) => R(rs, rt, rd, 0, 4),
  srlv: (rd: number, rt: number, rs: number) => R(rs, rt, rd, 0, 6),
  rotrv: (rd: number, rt: number, rs: number) => R(rs, rt, rd, 1, 6),
  srav: (rd: number, rt: number, rs: number) => R(rs, rt, rd, 0, 7),
  jr: (rs: number) => R(rs, 0, 0, 0, 8),
  jalr: (rd: number, rs: number) => R(rs, 0, rd, 0, 9),
  syscall: () => 12,
  addiu: (rt: number, rs: number, imm: number) => I(9, rs, rt, imm),
  slti: (rt: number, rs: number, imm: number) => I(10, rs, rt, imm),
  sltiu: (rt: number, rs: number, imm: number) => I(11, rs, rt, imm),
  andi: (rt: number, rs: number, imm: number) => I(12, rs, rt, imm),
  ori: (rt: number, rs: number, imm: number) => I(13, rs, rt, imm),
  xori: (rt: number, rs: number, imm: number) => I(14, rs, rt, imm),
  lui: (rt: number, imm: number) => I(15, 0, rt, imm),
  beq: (rs: number, rt: number, off: number) => I(4, rs, rt, off),
  bne: (rs: number, rt: number, off: number) => I(5, rs, rt, off),
  blez: (rs: number, off: number) => I(6, rs, 0, off),
  bgtz: (rs: number, off: number) => I(7, rs, 0, off),
  bltz: (rs: number, off: number) => I(1, rs, 0, off),
  bgez: (rs: number, off: number) => I(1, rs, 1, off),
  bgezal: (rs: number, off: number) => I(1, rs, 17, off),
  j: (target: number) => ((2 << 26) | ((target >>> 2) & 0x3ffffff)) >>> 0,
  jal: (target: number) => ((3 << 26) | ((target >>> 2) & 0x3ffffff)) >>> 0,
  lw: (rt: number, off: number, base: number) => I(35, base, rt, off),
  lb: (rt: number, off: number, base: number) => I(32, base, rt, off),
  lbu: (rt: number, off: number, base: number) => I(36, base, rt, off),
  lh: (rt: number, off: number, base: number) => I(33, base, rt, off),
  lhu: (rt: number, off: number, base: number) => I(37, base, rt, off),
  sw: (rt: number, off: number, base: number) => I(43, base, rt, off),
  sb: (rt: number, off: number, base: number) => I(40, base, rt, off),
  sh: (rt: number, off: number, base: number) => I(41, base, rt, off),
  /** li reg, value (lui + ori). */
  li: (rt: number, v: number): number[] => [I(15, 0, rt, v >>> 16), I(13, rt, rt, v & 0xffff)],
};

export const CODE_BASE = 0x400000;
export const DATA_BASE = 0x10000000;
export const SP = 0x7eff_f000;
/** Initial break of test images (above the data words). */
export const BRK = 0x1001_0000;

/** Code at 0x400000, optional data words at 0x10000000, $sp set. */
export function image(code: readonly number[], data: readonly number[] = []): ProgramImage {
  const words = new Map<number, number>();
  code.forEach((w, i) => words.set(CODE_BASE + 4 * i, w >>> 0));
  data.forEach((w, i) => words.set(DATA_BASE + 4 * i, w >>> 0));
  words.set(29 * 4, SP);
  words.set(36 * 4, BRK);
  return { entry: CODE_BASE, words, code: [[CODE_BASE, CODE_BASE + 4 * code.length]], brkStart: BRK };
}

/** exit_group(code) */
export const exitSeq = (code: number): number[] => [
  asm.addiu(4, 0, code),
  asm.addiu(2, 0, 4246),
  asm.syscall(),
];
