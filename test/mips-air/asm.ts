/**
 * Hand-written programs for AIR tests: the executor tests' instruction encoder, and a helper that
 * turns a list of words into a ProgramImage at 0x400000 with $sp at 0x7EFFF000.
 */
import type { ProgramImage } from "../../src/mips/air/tables.ts";
import { asm as base } from "../mips/asm.ts";

/** The executor tests' encoder (test/mips/asm.ts) plus `li` (lui + ori). */
export const asm = {
  ...base,
  li: (rt: number, v: number): number[] => [base.lui(rt, v >>> 16), base.ori(rt, rt, v & 0xffff)],
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
  words.set(37 * 4, 0x7e80_0000); // mmap cursor: the stack bottom
  return { entry: CODE_BASE, words, code: [[CODE_BASE, CODE_BASE + 4 * code.length]], brkStart: BRK };
}

/** exit_group(code) */
export const exitSeq = (code: number): number[] => [
  asm.addiu(4, 0, code),
  asm.addiu(2, 0, 4246),
  asm.syscall(),
];
