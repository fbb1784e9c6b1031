/**
 * Per-instruction tests from hand-encoded words: each case states the expected registers and,
 * when qemu-mipsel is installed, also checks that qemu computes the same register dump.
 */
import { expect } from "chai";
import { MipsFault, execute } from "../../src/mips/index.ts";
import { DATA, TEXT, asm, exit, li, program, u32 } from "./asm.ts";
import { runDump, type Dump } from "./qemu.ts";

const T0 = 8,
  T1 = 9,
  T2 = 10,
  T3 = 11,
  T4 = 12,
  T5 = 13,
  T6 = 14,
  T7 = 15,
  S0 = 16,
  S1 = 17,
  RA = 31;

/** Runs the words, checks `expected` registers (and hi/lo), and compares with qemu when present. */
function check(
  words: number[],
  expected: Partial<Record<number | "hi" | "lo", number>>,
  data?: Uint8Array,
): Dump {
  const { zk, qemu } = runDump(words, data ? { data } : {});
  for (const [k, v] of Object.entries(expected)) {
    const got = k === "hi" ? zk.hi : k === "lo" ? zk.lo : zk.regs.get(Number(k));
    expect(got, `register ${k}`).to.equal(u32(v!));
  }
  if (qemu)
    expect(Buffer.from(zk.raw).toString("hex"), "register dump equals qemu-mipsel's").to.equal(
      Buffer.from(qemu.raw).toString("hex"),
    );
  return zk;
}

function fault(words: number[], data?: Uint8Array): MipsFault {
  try {
    execute(program([...words, ...exit(0)], data ? { data } : {}));
  } catch (e) {
    if (e instanceof MipsFault) return e;
    throw e;
  }
  throw new Error("expected a MipsFault");
}

function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

describe("MIPS executor: instructions", () => {
  it("sign-extends immediates and loaded bytes/halves, zero-extends logical immediates", () => {
    const data = new Uint8Array(0x1000);
    data.set([0x80, 0xff, 0x7f, 0x00], 0);
    check(
      [
        asm.addiu(T0, 0, -1),
        asm.andi(T1, T0, 0xffff),
        asm.ori(T2, 0, 0x8000),
        asm.slti(T3, 0, -1),
        asm.sltiu(T4, 0, -1), // 0 < 0xffffffff unsigned
        ...li(S0, DATA),
        asm.lb(T5, 0, S0),
        asm.lbu(T6, 0, S0),
        asm.lh(T7, 0, S0),
        asm.lhu(S1, 0, S0),
        asm.lb(1, 2, S0),
        asm.lui(3, 0x8000),
      ],
      {
        [T0]: -1,
        [T1]: 0xffff,
        [T2]: 0x8000,
        [T3]: 0,
        [T4]: 1,
        [T5]: -128,
        [T6]: 0x80,
        [T7]: 0xffffff80,
        [S1]: 0xff80,
        1: 0x7f,
        3: 0x80000000,
      },
      data,
    );
  });

  it("shifts by 0 and 31, variable shifts use the low 5 bits, rotates", () => {
    check(
      [
        ...li(T0, 0x80000001),
        asm.sll(T1, T0, 0),
        asm.sll(T2, T0, 31),
        asm.srl(T3, T0, 31),
        asm.sra(T4, T0, 31),
        asm.sra(T5, T0, 0),
        asm.addiu(1, 0, 33),
        asm.sllv(T6, T0, 1),
        asm.srlv(T7, T0, 1),
        asm.srav(S0, T0, 1),
        asm.rotr(S1, T0, 1),
        asm.rotr(18, T0, 0),
        asm.rotrv(19, T0, 1),
        asm.rotr(20, T0, 31),
      ],
      {
        [T1]: 0x80000001,
        [T2]: 0x80000000,
        [T3]: 1,
        [T4]: -1,
        [T5]: 0x80000001,
        [T6]: 2,
        [T7]: 0x40000000,
        [S0]: 0xc0000000,
        [S1]: 0xc0000000,
        18: 0x80000001,
        19: 0xc0000000,
        20: 3,
      },
    );
  });

  it("mult/multu/madd/maddu/msub/msubu/mul match 64-bit BigInt arithmetic, including carries", () => {
    const next = rng(12345);
    const edge = [0, 1, -1, 0x7fffffff, 0x80000000, 0xffff, 0x10000, 0xffffffff];
    for (let i = 0; i < 12; i++) {
      const a = i < edge.length ? edge[i] : next();
      const b = i < edge.length ? edge[(i * 3 + 1) % edge.length] : next();
      const hi0 = i < 4 ? 0xffffffff : next();
      const lo0 = i < 4 ? 0xffffffff : next();
      const sa = BigInt.asIntN(32, BigInt(a));
      const sb = BigInt.asIntN(32, BigInt(b));
      const ua = BigInt(u32(a));
      const ub = BigInt(u32(b));
      const acc = (BigInt(u32(hi0)) << 32n) | BigInt(u32(lo0));
      const m64 = (x: bigint): [number, number] => [
        Number(BigInt.asUintN(64, x) >> 32n),
        Number(BigInt.asUintN(32, x)),
      ];
      const cases: [number, bigint, boolean][] = [
        [asm.mult(T0, T1), sa * sb, false],
        [asm.multu(T0, T1), ua * ub, false],
        [asm.madd(T0, T1), acc + sa * sb, true],
        [asm.maddu(T0, T1), acc + ua * ub, true],
        [asm.msub(T0, T1), acc - sa * sb, true],
        [asm.msubu(T0, T1), acc - ua * ub, true],
      ];
      for (const [op, want, accumulates] of cases) {
        const [hi, lo] = m64(want);
        const pre = accumulates ? [...li(T2, hi0), ...li(T3, lo0), asm.mthi(T2), asm.mtlo(T3)] : [];
        check([...li(T0, a), ...li(T1, b), ...pre, op], { hi, lo });
      }
      check([...li(T0, a), ...li(T1, b), asm.mul(T2, T0, T1)], { [T2]: Number(BigInt.asUintN(32, sa * sb)) });
    }
  });

  it("div/divu give C semantics, and like qemu divide by 1 for x/0 and INT_MIN/-1", () => {
    check([...li(T0, -7), ...li(T1, 2), asm.div(T0, T1)], { lo: -3, hi: -1 });
    check([...li(T0, -7), ...li(T1, 2), asm.divu(T0, T1)], { lo: 0x7ffffffc, hi: 1 });
    check([...li(T0, 1234), asm.div(T0, 0)], { lo: 1234, hi: 0 });
    check([...li(T0, 1234), asm.divu(T0, 0)], { lo: 1234, hi: 0 });
    check([...li(T0, 0x80000000), asm.addiu(T1, 0, -1), asm.div(T0, T1)], { lo: 0x80000000, hi: 0 });
  });

  it("clz/clo of 0, all-ones and one bit; movn/movz; seb/seh/wsbh; writes to $zero are discarded", () => {
    check(
      [
        asm.clz(T0, 0),
        asm.addiu(T1, 0, -1),
        asm.clz(T2, T1),
        asm.clo(T3, T1),
        asm.clo(T4, 0),
        ...li(T5, 0x00012345),
        asm.clz(T6, T5),
        asm.addiu(T7, 0, 7),
        asm.movz(T7, T5, T1), // not moved (t1 != 0)
        asm.addiu(S0, 0, 9),
        asm.movn(S0, T5, T1), // moved
        ...li(S1, 0x1234f080),
        asm.seb(18, S1),
        asm.seh(19, S1),
        asm.wsbh(20, S1),
        asm.addiu(0, 0, 5),
        asm.addu(21, 0, 0),
      ],
      {
        [T0]: 32,
        [T2]: 0,
        [T3]: 32,
        [T4]: 0,
        [T6]: 15,
        [T7]: 7,
        [S0]: 0x12345,
        18: 0xffffff80,
        19: 0xfffff080,
        20: 0x341280f0,
        21: 0,
      },
    );
  });

  it("ext/ins at the edge positions (pos 0 size 32, pos 31 size 1)", () => {
    check(
      [
        ...li(T0, 0xdeadbeef),
        asm.ext(T1, T0, 0, 32),
        asm.ext(T2, T0, 31, 1),
        asm.ext(T3, T0, 4, 8),
        ...li(T4, 0x12345678),
        asm.addu(T5, T4, 0),
        asm.ins(T5, T0, 0, 32),
        asm.addu(T6, T4, 0),
        asm.ins(T6, T0, 31, 1),
        asm.addu(T7, T4, 0),
        asm.ins(T7, T0, 8, 8),
      ],
      { [T1]: 0xdeadbeef, [T2]: 1, [T3]: 0xee, [T5]: 0xdeadbeef, [T6]: 0x92345678, [T7]: 0x1234ef78 },
    );
  });

  it("lwl/lwr/swl/swr at every byte offset; lwr+lwl and swr+swl move unaligned words", () => {
    const data = new Uint8Array(0x1000);
    for (let i = 0; i < 16; i++) data[i] = 0x10 + i;
    for (let k = 0; k < 4; k++) {
      const words = [...li(S0, DATA), ...li(T0, 0xaabbccdd)];
      words.push(asm.addu(T1, T0, 0), asm.lwl(T1, k, S0), asm.addu(T2, T0, 0), asm.lwr(T2, k, S0));
      words.push(asm.lwr(T3, 4 + k, S0), asm.lwl(T3, 4 + k + 3, S0));
      words.push(asm.swl(T0, 16 + k, S0), asm.lw(T4, 16, S0), asm.swr(T0, 20 + k, S0), asm.lw(T5, 20, S0));
      words.push(
        asm.swr(T0, 24 + k, S0),
        asm.swl(T0, 24 + k + 3, S0),
        asm.lw(T6, 24, S0),
        asm.lw(T7, 28, S0),
      );
      const mem = Buffer.from(data);
      const w = (o: number): number => mem.readUInt32LE(o);
      // reference: byte-level semantics of little-endian MIPS
      const lwl = (old: number): number =>
        k === 3 ? w(0) : u32((w(0) << (24 - 8 * k)) | (old & ((1 << (24 - 8 * k)) - 1)));
      const lwr = (old: number): number =>
        k === 0 ? w(0) : u32((w(0) >>> (8 * k)) | (old & ~(0xffffffff >>> (8 * k))));
      const un = mem.readUInt32LE(4 + k);
      const store = Buffer.alloc(16);
      store.writeUInt32LE(0xaabbccdd, 8 + k);
      check(
        words,
        {
          [T1]: lwl(0xaabbccdd),
          [T2]: lwr(0xaabbccdd),
          [T3]: un,
          [T4]: u32(
            k === 3 ? 0xaabbccdd : (0 & ~(0xffffffff >>> (24 - 8 * k))) | (0xaabbccdd >>> (24 - 8 * k)),
          ),
          [T5]: u32(0xaabbccdd << (8 * k)),
          [T6]: store.readUInt32LE(8),
          [T7]: store.readUInt32LE(12),
        },
        data,
      );
    }
  });

  it("ll/sc: ll loads, sc stores and reports success; pref, sync and rdhwr $29", () => {
    check(
      [
        ...li(S0, DATA),
        ...li(T0, 77),
        asm.sw(T0, 0, S0),
        asm.ll(T1, 0, S0),
        asm.addiu(T1, T1, 1),
        asm.sc(T1, 0, S0),
        asm.lw(T2, 0, S0),
        asm.pref(0, 0, S0),
        asm.sync(),
        ...li(4, 0x7000),
        asm.addiu(2, 0, 4283), // set_thread_area
        asm.syscall(),
        asm.rdhwr(T3),
      ],
      { [T1]: 1, [T2]: 78, [T3]: 0x7000 },
    );
  });

  it("executes delay slots after jumps and branches; links pc+8 even when a branch is not taken", () => {
    const base = TEXT + 8; // after li(T0, ...)
    const d = check(
      [
        ...li(T0, -5),
        asm.bgezal(T0, 100), // not taken, still links
        asm.addiu(T1, 0, 1), // delay slot runs
        asm.addu(S0, RA, 0),
        asm.beq(0, 0, 2), // taken
        asm.addiu(T2, 0, 2), // delay slot runs
        asm.addiu(T3, 0, 3), // skipped
        asm.bne(0, 0, 5), // not taken
        asm.addiu(T4, 0, 4), // delay slot
        asm.jal(TEXT + 4 * 15), // 10
        asm.addiu(T5, 0, 5), // 11: delay slot of jal
        asm.nop(),
        asm.nop(),
        asm.addiu(T6, 0, 99), // 14: skipped
        asm.addu(S1, RA, 0), // 15: jal target; then the dump
      ],
      { [T1]: 1, [S0]: base + 8, [T2]: 2, [T3]: 0, [T4]: 4, [T5]: 5, [T6]: 0 },
    );
    expect(d.regs.get(S1)).to.equal(TEXT + 4 * 12);
  });

  it("jalr writes the link to any rd and jumps after the delay slot", () => {
    check(
      [
        ...li(1, TEXT + 4 * 6),
        asm.jalr(18, 1),
        asm.addiu(T0, 0, 1),
        asm.addiu(T1, 0, 1),
        asm.nop(),
        asm.nop(),
        asm.addiu(T2, 0, 2),
      ],
      { 18: TEXT + 4 * 4, [T0]: 1, [T1]: 0, [T2]: 2 },
    );
  });

  it("branch-likely: the delay slot runs when taken and is nullified when not", () => {
    check(
      [
        asm.beql(0, 0, 2),
        asm.addiu(T0, 0, 1),
        asm.addiu(T1, 0, 1),
        asm.bnel(0, 0, 2),
        asm.addiu(T2, 0, 1),
        asm.addiu(T3, 0, 1),
      ],
      { [T0]: 1, [T1]: 0, [T2]: 0, [T3]: 1 },
    );
  });

  it("faults on a branch in a delay slot, naming the pc and the word", () => {
    const f = fault([asm.beq(0, 0, 4), asm.beq(0, 0, 4), asm.nop()]);
    expect(f.pc).to.equal(TEXT + 4);
    expect(f.message)
      .to.match(/0x00400004/)
      .and.match(/0x10000004/);
  });

  it("faults on overflow in add/addi/sub but not in addu/addiu/subu", () => {
    for (const op of [asm.add(T1, T0, T0), asm.addi(T1, T0, 0x7fff), asm.sub(T1, 0, T2)]) {
      const f = fault([...li(T0, 0x7fffffff), ...li(T2, 0x80000000), op]);
      expect(f.pc).to.equal(TEXT + 16);
      expect(f.word).to.equal(op);
      expect(f.message).to.match(/overflow/);
    }
    check([...li(T0, 0x7fffffff), asm.addu(T1, T0, T0), asm.addiu(T2, T0, 1), asm.subu(T3, 0, T0)], {
      [T1]: -2,
      [T2]: 0x80000000,
      [T3]: -0x7fffffff,
    });
  });

  it("faults on unaligned lh/lw/sh/sw and on accesses outside [0x1000, 0x7F000000)", () => {
    const cases: [number[], RegExp][] = [
      [[...li(S0, DATA + 1), asm.lh(T0, 0, S0)], /unaligned halfword load from 0x00500001/],
      [[...li(S0, DATA + 2), asm.lw(T0, 0, S0)], /unaligned word load from 0x00500002/],
      [[...li(S0, DATA + 1), asm.sh(T0, 0, S0)], /unaligned store to 0x00500001/],
      [[...li(S0, DATA + 2), asm.sw(T0, 0, S0)], /unaligned store to 0x00500002/],
      [[asm.lw(T0, 0xffc, 0)], /load from invalid address 0x00000ffc/],
      [[...li(S0, 0x7f000000), asm.sw(T0, 0, S0)], /store to invalid address 0x7f000000/],
      [[...li(S0, 0x80000000), asm.lbu(T0, 0, S0)], /load from invalid address 0x80000000/],
    ];
    for (const [words, re] of cases) {
      const f = fault(words, new Uint8Array(0x1000));
      expect(f.message).to.match(re);
      expect(f.pc).to.equal(TEXT + 4 * (words.length - 1));
    }
  });

  it("faults on traps, break and unsupported encodings (COP1, reserved)", () => {
    const cases: [number, RegExp][] = [
      [asm.teq(0, 0), /trap \(teq/],
      [asm.tne(T0, 0), /trap \(tne\)/],
      [asm.tge(0, 0), /trap \(tge\)/],
      [asm.tgeu(0, 0), /trap \(tgeu\)/],
      [asm.tlt(0, T0), /trap \(tlt\)/],
      [asm.tltu(0, T0), /trap \(tltu\)/],
      [asm.teqi(T0, 1), /trap \(teqi\)/],
      [asm.tnei(0, 1), /trap \(tnei\)/],
      [asm.tgei(T0, 1), /trap \(tgei\)/],
      [asm.tgeiu(T0, 1), /trap \(tgeiu\)/],
      [asm.tlti(0, 1), /trap \(tlti\)/],
      [asm.tltiu(0, 1), /trap \(tltiu\)/],
      [asm.break(), /break/],
      [0x44000000, /unsupported or reserved instruction/], // mfc1
      [0x0000003f, /unsupported or reserved instruction/], // SPECIAL funct 0x3f
    ];
    for (const [op, re] of cases) {
      const f = fault([asm.addiu(T0, 0, 1), op]);
      expect(f.message).to.match(re);
      expect(f.pc).to.equal(TEXT + 4);
      expect(f.word).to.equal(op);
    }
    // traps that do not fire
    check(
      [asm.addiu(T0, 0, 1), asm.teq(T0, 0), asm.tne(0, 0), asm.tlt(T0, 0), asm.teqi(0, 1), asm.tgei(0, 1)],
      { [T0]: 1 },
    );
  });

  it("faults on an instruction fetch from an unaligned or invalid address", () => {
    expect(fault([...li(1, TEXT + 2), asm.jr(1), asm.nop()]).message).to.match(/unaligned/);
    const f = fault([...li(1, 0x800), asm.jr(1), asm.nop()]);
    expect(f.pc).to.equal(0x800);
    expect(f.message).to.match(/outside guest memory/);
  });
});
