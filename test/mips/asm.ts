/**
 * A tiny MIPS32r2 encoder and ELF builder for executor unit tests: encode instructions by
 * name, wrap them in a minimal ELF (text at 0x400000, optional data segment) and run them.
 */
import { loadElf, type MipsProgram } from "../../src/mips/index.ts";
import { createMachine } from "../../src/mips/execute.ts";
import type { Cpu } from "../../src/mips/cpu.ts";

export const TEXT = 0x400000;
export const DATA = 0x500000;

const R = (rs: number, rt: number, rd: number, sa: number, fn: number): number =>
  ((rs << 21) | (rt << 16) | (rd << 11) | (sa << 6) | fn) >>> 0;
const I = (op: number, rs: number, rt: number, imm: number): number =>
  ((op << 26) | (rs << 21) | (rt << 16) | (imm & 0xffff)) >>> 0;
const S2 = (rs: number, rt: number, rd: number, sa: number, fn: number): number =>
  ((0x1c << 26) | R(rs, rt, rd, sa, fn)) >>> 0;
const S3 = (rs: number, rt: number, rd: number, sa: number, fn: number): number =>
  ((0x1f << 26) | R(rs, rt, rd, sa, fn)) >>> 0;

/** Instruction encoders (register numbers, immediates; branch offsets in instructions). */
export const asm = {
  nop: (): number => 0,
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
  movz: (rd: number, rs: number, rt: number) => R(rs, rt, rd, 0, 0xa),
  movn: (rd: number, rs: number, rt: number) => R(rs, rt, rd, 0, 0xb),
  syscall: () => 0xc,
  break: () => 0xd,
  sync: () => 0xf,
  mfhi: (rd: number) => R(0, 0, rd, 0, 0x10),
  mthi: (rs: number) => R(rs, 0, 0, 0, 0x11),
  mflo: (rd: number) => R(0, 0, rd, 0, 0x12),
  mtlo: (rs: number) => R(rs, 0, 0, 0, 0x13),
  mult: (rs: number, rt: number) => R(rs, rt, 0, 0, 0x18),
  multu: (rs: number, rt: number) => R(rs, rt, 0, 0, 0x19),
  div: (rs: number, rt: number) => R(rs, rt, 0, 0, 0x1a),
  divu: (rs: number, rt: number) => R(rs, rt, 0, 0, 0x1b),
  add: (rd: number, rs: number, rt: number) => R(rs, rt, rd, 0, 0x20),
  addu: (rd: number, rs: number, rt: number) => R(rs, rt, rd, 0, 0x21),
  sub: (rd: number, rs: number, rt: number) => R(rs, rt, rd, 0, 0x22),
  subu: (rd: number, rs: number, rt: number) => R(rs, rt, rd, 0, 0x23),
  and: (rd: number, rs: number, rt: number) => R(rs, rt, rd, 0, 0x24),
  or: (rd: number, rs: number, rt: number) => R(rs, rt, rd, 0, 0x25),
  xor: (rd: number, rs: number, rt: number) => R(rs, rt, rd, 0, 0x26),
  nor: (rd: number, rs: number, rt: number) => R(rs, rt, rd, 0, 0x27),
  slt: (rd: number, rs: number, rt: number) => R(rs, rt, rd, 0, 0x2a),
  sltu: (rd: number, rs: number, rt: number) => R(rs, rt, rd, 0, 0x2b),
  tge: (rs: number, rt: number) => R(rs, rt, 0, 0, 0x30),
  tgeu: (rs: number, rt: number) => R(rs, rt, 0, 0, 0x31),
  tlt: (rs: number, rt: number) => R(rs, rt, 0, 0, 0x32),
  tltu: (rs: number, rt: number) => R(rs, rt, 0, 0, 0x33),
  teq: (rs: number, rt: number) => R(rs, rt, 0, 0, 0x34),
  tne: (rs: number, rt: number) => R(rs, rt, 0, 0, 0x36),
  bltz: (rs: number, off: number) => I(1, rs, 0, off),
  bgez: (rs: number, off: number) => I(1, rs, 1, off),
  bltzl: (rs: number, off: number) => I(1, rs, 2, off),
  bgezl: (rs: number, off: number) => I(1, rs, 3, off),
  tgei: (rs: number, imm: number) => I(1, rs, 8, imm),
  tgeiu: (rs: number, imm: number) => I(1, rs, 9, imm),
  tlti: (rs: number, imm: number) => I(1, rs, 10, imm),
  tltiu: (rs: number, imm: number) => I(1, rs, 11, imm),
  teqi: (rs: number, imm: number) => I(1, rs, 12, imm),
  tnei: (rs: number, imm: number) => I(1, rs, 14, imm),
  bltzal: (rs: number, off: number) => I(1, rs, 0x10, off),
  bgezal: (rs: number, off: number) => I(1, rs, 0x11, off),
  j: (target: number) => ((2 << 26) | ((target >>> 2) & 0x3ffffff)) >>> 0,
  jal: (target: number) => ((3 << 26) | ((target >>> 2) & 0x3ffffff)) >>> 0,
  beq: (rs: number, rt: number, off: number) => I(4, rs, rt, off),
  bne: (rs: number, rt: number, off: number) => I(5, rs, rt, off),
  blez: (rs: number, off: number) => I(6, rs, 0, off),
  bgtz: (rs: number, off: number) => I(7, rs, 0, off),
  beql: (rs: number, rt: number, off: number) => I(0x14, rs, rt, off),
  bnel: (rs: number, rt: number, off: number) => I(0x15, rs, rt, off),
  addi: (rt: number, rs: number, imm: number) => I(8, rs, rt, imm),
  addiu: (rt: number, rs: number, imm: number) => I(9, rs, rt, imm),
  slti: (rt: number, rs: number, imm: number) => I(0xa, rs, rt, imm),
  sltiu: (rt: number, rs: number, imm: number) => I(0xb, rs, rt, imm),
  andi: (rt: number, rs: number, imm: number) => I(0xc, rs, rt, imm),
  ori: (rt: number, rs: number, imm: number) => I(0xd, rs, rt, imm),
  xori: (rt: number, rs: number, imm: number) => I(0xe, rs, rt, imm),
  lui: (rt: number, imm: number) => I(0xf, 0, rt, imm),
  madd: (rs: number, rt: number) => S2(rs, rt, 0, 0, 0),
  maddu: (rs: number, rt: number) => S2(rs, rt, 0, 0, 1),
  mul: (rd: number, rs: number, rt: number) => S2(rs, rt, rd, 0, 2),
  msub: (rs: number, rt: number) => S2(rs, rt, 0, 0, 4),
  msubu: (rs: number, rt: number) => S2(rs, rt, 0, 0, 5),
  clz: (rd: number, rs: number) => S2(rs, rd, rd, 0, 0x20),
  clo: (rd: number, rs: number) => S2(rs, rd, rd, 0, 0x21),
  ext: (rt: number, rs: number, pos: number, size: number) => S3(rs, rt, size - 1, pos, 0),
  ins: (rt: number, rs: number, pos: number, size: number) => S3(rs, rt, pos + size - 1, pos, 4),
  wsbh: (rd: number, rt: number) => S3(0, rt, rd, 2, 0x20),
  seb: (rd: number, rt: number) => S3(0, rt, rd, 0x10, 0x20),
  seh: (rd: number, rt: number) => S3(0, rt, rd, 0x18, 0x20),
  rdhwr: (rt: number) => S3(0, rt, 29, 0, 0x3b),
  lb: (rt: number, off: number, base: number) => I(0x20, base, rt, off),
  lh: (rt: number, off: number, base: number) => I(0x21, base, rt, off),
  lwl: (rt: number, off: number, base: number) => I(0x22, base, rt, off),
  lw: (rt: number, off: number, base: number) => I(0x23, base, rt, off),
  lbu: (rt: number, off: number, base: number) => I(0x24, base, rt, off),
  lhu: (rt: number, off: number, base: number) => I(0x25, base, rt, off),
  lwr: (rt: number, off: number, base: number) => I(0x26, base, rt, off),
  sb: (rt: number, off: number, base: number) => I(0x28, base, rt, off),
  sh: (rt: number, off: number, base: number) => I(0x29, base, rt, off),
  swl: (rt: number, off: number, base: number) => I(0x2a, base, rt, off),
  sw: (rt: number, off: number, base: number) => I(0x2b, base, rt, off),
  swr: (rt: number, off: number, base: number) => I(0x2e, base, rt, off),
  ll: (rt: number, off: number, base: number) => I(0x30, base, rt, off),
  pref: (hint: number, off: number, base: number) => I(0x33, base, hint, off),
  sc: (rt: number, off: number, base: number) => I(0x38, base, rt, off),
};

/** `li rt, value` as lui + ori. */
export function li(rt: number, value: number): number[] {
  return [asm.lui(rt, value >>> 16), asm.ori(rt, rt, value & 0xffff)];
}

/** exit(code) via syscall 4001. */
export function exit(code: number): number[] {
  return [asm.addiu(4, 0, code), asm.addiu(2, 0, 4001), asm.syscall()];
}

export interface ElfOptions {
  /** Bytes of a writable data segment at DATA. */
  data?: Uint8Array;
  /** Header field overrides for malformed-ELF tests. */
  patch?: (view: DataView, bytes: Uint8Array) => void;
}

/** Builds an ELF32 LE MIPS ET_EXEC with the words at TEXT (entry) and optional data at DATA. */
export function buildElf(words: readonly number[], opts: ElfOptions = {}): Uint8Array {
  const text = new Uint8Array(words.length * 4);
  const tv = new DataView(text.buffer);
  words.forEach((w, i) => tv.setUint32(i * 4, w >>> 0, true));
  const data = opts.data ?? new Uint8Array(0);
  const phnum = data.length ? 2 : 1;
  // file offsets congruent to the addresses modulo the page size, as loaders (qemu) require
  const textOff = 0x1000;
  const dataOff = Math.ceil((textOff + text.length) / 0x1000) * 0x1000;
  const bytes = new Uint8Array(data.length ? dataOff + data.length : textOff + text.length);
  const v = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
  v.setUint16(16, 2, true); // ET_EXEC
  v.setUint16(18, 8, true); // EM_MIPS
  v.setUint32(20, 1, true);
  v.setUint32(24, TEXT, true); // entry
  v.setUint32(28, 52, true); // phoff
  v.setUint32(36, 0x70001000, true); // mips32r2, o32
  v.setUint16(40, 52, true);
  v.setUint16(42, 32, true);
  v.setUint16(44, phnum, true);
  const ph = (i: number, off: number, vaddr: number, size: number, flags: number): void => {
    const o = 52 + i * 32;
    v.setUint32(o, 1, true);
    v.setUint32(o + 4, off, true);
    v.setUint32(o + 8, vaddr, true);
    v.setUint32(o + 12, vaddr, true);
    v.setUint32(o + 16, size, true);
    v.setUint32(o + 20, size, true);
    v.setUint32(o + 24, flags, true);
    v.setUint32(o + 28, 0x1000, true);
  };
  ph(0, textOff, TEXT, text.length, 5);
  if (data.length) ph(1, dataOff, DATA, data.length, 6);
  bytes.set(text, textOff);
  if (data.length) bytes.set(data, dataOff);
  opts.patch?.(v, bytes);
  return bytes;
}

export function program(words: readonly number[], opts: ElfOptions = {}): MipsProgram {
  return loadElf(buildElf(words, opts));
}

/** Runs `steps` instructions (or until exit) and returns the CPU for inspection. */
export function runSteps(
  words: readonly number[],
  steps: number,
  opts: ElfOptions & { input?: Uint8Array } = {},
): Cpu {
  const { cpu } = createMachine(program(words, opts), {
    input: opts.input ?? new Uint8Array(0),
    hints: new Uint8Array(0),
    stdout: () => {},
    stderr: () => {},
  });
  cpu.run(steps);
  return cpu;
}

/** Runs the words followed by nothing: executes exactly words.length instructions. */
export function runAll(words: readonly number[], opts: ElfOptions = {}): Cpu {
  return runSteps(words, words.length, opts);
}

export const u32 = (x: number): number => x >>> 0;
