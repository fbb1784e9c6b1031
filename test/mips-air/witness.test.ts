import { expect } from "chai";
import { buildMachine } from "../../src/mips/air/machine.ts";
import { generateWitness } from "../../src/mips/air/witness.ts";
import { checkWitness } from "../../src/mips/air/check.ts";
import { asm, image, exitSeq, DATA_BASE } from "./asm.ts";

const run = (code: number[], data: number[] = [], input = new Uint8Array()) => {
  const m = buildMachine(image(code, data));
  const w = generateWitness(m, {
    syscalls: [],
    input,
    hints: new Uint8Array(),
    exitCode: 0,
    publicValues: new Uint8Array(),
  });
  return { m, w, fail: checkWitness(m.air, w.traces, w.publicInputs, m.constraintNames) };
};

describe("MIPS AIR witness", () => {
  it("satisfies the AIR for ALU, shifts, branches, jumps, loads/stores and syscalls", () => {
    const code = [
      ...asm.li(8, 0x12345678),
      ...asm.li(9, 0xfffffff0),
      asm.addu(10, 8, 9),
      asm.subu(11, 8, 9),
      asm.addiu(12, 9, -5),
      asm.and(13, 8, 9),
      asm.or(13, 8, 9),
      asm.xor(13, 8, 9),
      asm.nor(13, 8, 9),
      asm.andi(13, 9, 0xff0f),
      asm.xori(13, 9, 0xff0f),
      asm.slt(14, 9, 8),
      asm.sltu(14, 9, 8),
      asm.slti(14, 9, -1),
      asm.sltiu(14, 8, -1),
      asm.sll(15, 8, 4),
      asm.srl(15, 9, 31),
      asm.sra(15, 9, 3),
      asm.rotr(15, 8, 8),
      asm.sllv(15, 8, 9),
      asm.srav(15, 9, 8),
      asm.rotrv(15, 8, 9),
      asm.srlv(15, 9, 0),
      asm.nop(),
      ...asm.li(16, DATA_BASE),
      asm.lw(17, 4, 16),
      asm.lb(18, 7, 16),
      asm.lbu(18, 7, 16),
      asm.lh(18, 6, 16),
      asm.lhu(18, 2, 16),
      asm.sw(8, 8, 16),
      asm.sb(9, 9, 16),
      asm.sh(9, 14, 16),
      asm.lw(17, 12, 16),
      asm.beq(8, 8, 2), // taken
      asm.addiu(19, 0, 1), // delay slot
      asm.addiu(19, 0, 2), // skipped
      asm.bne(8, 8, 2), // not taken
      asm.nop(),
      asm.bltz(9, 1),
      asm.nop(),
      asm.bgezal(8, 1),
      asm.nop(),
      asm.jal(0x400000 + 4 * 50), // 46
      asm.nop(),
      asm.j(0x400000 + 4 * 52), // 48
      asm.nop(),
      asm.jr(31), // 50: returns to 48
      asm.nop(),
      // 52
      (8 << 21) | (9 << 16) | (24 << 11) | 32, // add (no overflow: positive + negative)
      (8 << 21) | (8 << 16) | (24 << 11) | 34, // sub
      ((8 << 26) | (8 << 21) | (24 << 16) | 0x7fff) >>> 0, // addi
      (8 << 21) | (9 << 16) | 52, // teq (not equal: no trap)
      (8 << 21) | (8 << 16) | 54, // tne (equal: no trap)
      (9 << 21) | (8 << 16) | 48, // tge (x < y signed: no trap)
      (8 << 21) | (9 << 16) | 49, // tgeu (x < y unsigned)
      (8 << 21) | (9 << 16) | 50, // tlt (x >= y signed)
      (9 << 21) | (8 << 16) | 51, // tltu
      ((1 << 26) | (8 << 21) | (12 << 16) | 5) >>> 0, // teqi 5
      ((1 << 26) | (0 << 21) | (14 << 16) | 0) >>> 0, // tnei $zero, 0 (equal: no trap)
      0x0000000f, // sync
      ...exitSeq(7),
    ];
    const { w, fail } = run(code, [0, 0x80ff7f01, 0x1234, 0]);
    expect(fail, JSON.stringify(fail)).to.equal(null);
    expect(w.exitCode).to.equal(7);
  });

  it("satisfies the AIR for hi/lo multiplies, moves, conditional moves, ext/ins, lwl/lwr/swl/swr, ll/sc, seb/seh/wsbh, div/divu (incl. zero divisor, INT_MIN / -1) and clz/clo", () => {
    const R = (rs: number, rt: number, rd: number, funct: number) =>
      ((rs << 21) | (rt << 16) | (rd << 11) | funct) >>> 0;
    const ext = (rt: number, rs: number, pos: number, size: number) =>
      ((31 << 26) | (rs << 21) | (rt << 16) | ((size - 1) << 11) | (pos << 6)) >>> 0;
    const ins = (rt: number, rs: number, pos: number, size: number) =>
      ((31 << 26) | (rs << 21) | (rt << 16) | ((pos + size - 1) << 11) | (pos << 6) | 4) >>> 0;
    const I = (op: number, rs: number, rt: number, imm: number) =>
      ((op << 26) | (rs << 21) | (rt << 16) | (imm & 0xffff)) >>> 0;
    const SE = (rt: number, rd: number, sa: number) =>
      ((31 << 26) | (rt << 16) | (rd << 11) | (sa << 6) | 32) >>> 0;
    const S2 = (rs: number, rt: number, rd: number, funct: number) =>
      ((28 << 26) | (rs << 21) | (rt << 16) | (rd << 11) | funct) >>> 0;
    const code = [
      ...asm.li(8, 0x89abcdef),
      ...asm.li(9, 0xfedc1234),
      ...asm.li(10, 77),
      R(8, 9, 0, 24), // mult
      R(0, 0, 11, 16), // mfhi
      R(0, 0, 12, 18), // mflo
      R(8, 9, 0, 25), // multu
      R(0, 0, 11, 16),
      S2(8, 9, 0, 0), // madd
      S2(8, 10, 0, 1), // maddu
      S2(9, 10, 0, 4), // msub
      S2(8, 9, 0, 5), // msubu
      S2(8, 9, 13, 2), // mul
      R(10, 0, 0, 17), // mthi
      R(9, 0, 0, 19), // mtlo
      R(0, 0, 11, 16),
      R(0, 0, 12, 18),
      R(8, 0, 14, 10), // movz (rt = $0: moves)
      R(9, 10, 14, 10), // movz (rt != 0: keeps)
      R(8, 10, 15, 11), // movn (moves)
      R(9, 0, 15, 11), // movn (keeps)
      ext(16, 8, 4, 12),
      ext(16, 9, 0, 32),
      ext(16, 9, 31, 1),
      ins(15, 8, 4, 12),
      ins(15, 9, 0, 32),
      ins(15, 9, 31, 1),
      ins(0, 9, 3, 3),
      ...asm.li(20, DATA_BASE),
      ...[0, 1, 2, 3].flatMap((o) => [
        I(34, 20, 21, 4 + o),
        I(38, 20, 21, 4 + o),
        I(42, 20, 9, 8 + o),
        I(46, 20, 8, 12 + o),
      ]),
      I(48, 20, 22, 4), // ll
      I(56, 20, 22, 16), // sc
      SE(9, 23, 16), // seb
      SE(9, 23, 24), // seh
      SE(8, 23, 2), // wsbh
      SE(9, 0, 16), // seb into $zero
      ...[0, 1, 0x80000000, 0xffffffff, 0x00012345, 0xff7fffff].flatMap((v) => [
        ...asm.li(24, v),
        S2(24, 25, 25, 32),
        S2(24, 25, 25, 33),
      ]),
      ...[
        [0x89abcdef, 0x1234],
        [0x89abcdef, 0xffffedcc],
        [0x7fffffff, 7],
        [-7, 2],
        [7, -2],
        [0x80000000, 0xffffffff],
        [5, 0],
        [0, 3],
        [0xffffffff, 0xffffffff],
      ].flatMap(([u, v]) => [
        ...asm.li(24, u >>> 0),
        ...asm.li(25, v >>> 0),
        R(24, 25, 0, 26),
        R(0, 0, 11, 16),
        R(24, 25, 0, 27),
        R(0, 0, 12, 18),
      ]),
      ...exitSeq(0),
    ];
    const { fail } = run(code, [0, 0x80ff7f01, 0x44332211, 0x88776655, 0]);
    expect(fail, JSON.stringify(fail)).to.equal(null);
  });
});
