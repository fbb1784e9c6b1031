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
      asm.add(24, 8, 9), // no overflow: positive + negative
      asm.sub(24, 8, 8),
      asm.addi(24, 8, 0x7fff),
      asm.teq(8, 9), // not equal: no trap
      asm.tne(8, 8), // equal: no trap
      asm.tge(9, 8), // x < y signed: no trap
      asm.tgeu(8, 9), // x < y unsigned
      asm.tlt(8, 9), // x >= y signed
      asm.tltu(9, 8),
      asm.teqi(8, 5),
      asm.tnei(0, 0), // equal: no trap
      0x0000000f, // sync
      ...exitSeq(7),
    ];
    const { w, fail } = run(code, [0, 0x80ff7f01, 0x1234, 0]);
    expect(fail, JSON.stringify(fail)).to.equal(null);
    expect(w.exitCode).to.equal(7);
  });

  it("satisfies the AIR for hi/lo multiplies, moves, conditional moves, ext/ins, lwl/lwr/swl/swr, ll/sc, seb/seh/wsbh, div/divu (incl. zero divisor, INT_MIN / -1) and clz/clo", () => {
    const code = [
      ...asm.li(8, 0x89abcdef),
      ...asm.li(9, 0xfedc1234),
      ...asm.li(10, 77),
      asm.mult(8, 9),
      asm.mfhi(11),
      asm.mflo(12),
      asm.multu(8, 9),
      asm.mfhi(11),
      asm.madd(8, 9),
      asm.maddu(8, 10),
      asm.msub(9, 10),
      asm.msubu(8, 9),
      asm.mul(13, 8, 9),
      asm.mthi(10),
      asm.mtlo(9),
      asm.mfhi(11),
      asm.mflo(12),
      asm.movz(14, 8, 0), // rt = $0: moves
      asm.movz(14, 9, 10), // rt != 0: keeps
      asm.movn(15, 8, 10), // moves
      asm.movn(15, 9, 0), // keeps
      asm.ext(16, 8, 4, 12),
      asm.ext(16, 9, 0, 32),
      asm.ext(16, 9, 31, 1),
      asm.ins(15, 8, 4, 12),
      asm.ins(15, 9, 0, 32),
      asm.ins(15, 9, 31, 1),
      asm.ins(0, 9, 3, 3),
      ...asm.li(20, DATA_BASE),
      ...[0, 1, 2, 3].flatMap((o) => [
        asm.lwl(21, 4 + o, 20),
        asm.lwr(21, 4 + o, 20),
        asm.swl(9, 8 + o, 20),
        asm.swr(8, 12 + o, 20),
      ]),
      asm.ll(22, 4, 20),
      asm.sc(22, 16, 20),
      asm.seb(23, 9),
      asm.seh(23, 9),
      asm.wsbh(23, 8),
      asm.seb(0, 9), // into $zero
      ...[0, 1, 0x80000000, 0xffffffff, 0x00012345, 0xff7fffff].flatMap((v) => [
        ...asm.li(24, v),
        asm.clz(25, 24),
        asm.clo(25, 24),
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
        asm.div(24, 25),
        asm.mfhi(11),
        asm.divu(24, 25),
        asm.mflo(12),
      ]),
      ...exitSeq(0),
    ];
    const { fail } = run(code, [0, 0x80ff7f01, 0x44332211, 0x88776655, 0]);
    expect(fail, JSON.stringify(fail)).to.equal(null);
  });
});
