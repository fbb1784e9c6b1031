/**
 * Shift chip: sll, srl, sra, rotr and their variable forms (sllv, srlv, srav, rotrv); nop is sll.
 *
 * A = value (rt), B = amount register (rs; $zero for constant forms), imm0 = constant amount.
 * s = (B0 + imm0) mod 32 with B0 + imm0 = s + 32u, s < 32, u < 8. Every shift is a left shift of
 * z (= x, or ~x for a negative sra) inside a 64-bit window by t = s (sll) or t = 32 - s (others),
 * split as t = 8q + r with one-hot q in 0..4 and r in 0..7:
 *   z_i * 2^r = lo_i + 256 hi_i (bytes),  w_k = lo_k + hi_{k-1}  (the 5 bytes of z << r),
 *   O_j = sum_q [q] w_{j-q}  (the 8 bytes of z << t),
 *   sll = O[0..4), srl/sra = O[4..8), rotr = O[0..4) + O[4..8); sra complements back when negative.
 */
import { type Expr, constant, sum } from "../../../stark/expr.ts";
import { inv as finv } from "../../../field/koalabear.ts";
import { ByteOp, CLK_STEP } from "../buses.ts";
import { Family, ShiftOp } from "../decode.ts";
import {
  accessColumns,
  accessConstraints,
  bytesOf,
  fillAccess,
  type ChipCtx,
  type Witness,
} from "../gadgets.ts";
import { type FillEnv, type InstrChip, type Step, baseConstraints, baseLayout, fillBase } from "../instr.ts";

const SHIFT_SEL: readonly (readonly [string, number])[] = [
  ["is_sll", ShiftOp.sll],
  ["is_srl", ShiftOp.srl],
  ["is_sra", ShiftOp.sra],
  ["is_rotr", ShiftOp.rotr],
  ["is_ins", ShiftOp.ins],
  ["is_ext", ShiftOp.ext],
];
const BF_COLS = ["RM", "YM", "Rl", "Ml", "RMl", "Yl", "YMl"];

export class ShiftChip implements InstrChip {
  readonly name = "Shift";
  readonly family = Family.Shift;
  readonly clkStep = CLK_STEP;
  readonly layout = baseLayout(SHIFT_SEL.map((s) => s[0]));
  constructor() {
    const L = this.layout;
    accessColumns(L, "A", false);
    accessColumns(L, "B", false);
    accessColumns(L, "D", true);
    for (const n of ["s", "u", "sx", "neg"]) L.add(n);
    L.addN("z", 4);
    L.addN("lo", 4);
    L.addN("hi", 4);
    L.addN("q", 5);
    L.addN("r", 8);
    L.addN("R", 4);
    for (const n of BF_COLS) L.addN(n, 4);
  }
  define(cx: ChipCtx): void {
    baseConstraints(cx, this.family, SHIFT_SEL, cx.c("npc").add(4), this.clkStep);
    const isReal = cx.c("is_real");
    const clk = cx.c("clk");
    accessConstraints(cx, "A", cx.c("a"), clk, isReal, false);
    accessConstraints(cx, "B", cx.c("b"), clk.add(1), isReal, false);
    accessConstraints(cx, "D", cx.c("d"), clk.add(3), isReal, true);
    const x = cx.cs("A_v", 4);
    const s = cx.c("s");
    const u = cx.c("u");
    const isIns = cx.c("is_ins");
    const isExt = cx.c("is_ext");
    const isBf = isIns.add(isExt);
    // Amount: B0 + imm0 for shifts; the static position (ROM target) for ins/ext (imm is the mask).
    const amount = cx
      .c("B_v0")
      .add(constant(1).sub(isBf).mul(cx.c("imm0")))
      .add(isBf.mul(cx.c("target")));
    cx.zero("amount = s + 32u", amount.sub(s).sub(u.mul(32)));
    cx.bits(s, 5, isReal);
    cx.bits(u, 3, isReal);
    // The other amount bytes are ignored by the architecture; imm1..3 are 0 in the ROM for shifts.
    const q = cx.cs("q", 5);
    const r = cx.cs("r", 8);
    q.forEach((e, i) => cx.bool(`q${i}`, e));
    r.forEach((e, i) => cx.bool(`r${i}`, e));
    cx.zero("one q", sum(q).sub(isReal));
    cx.zero("one r", sum(r).sub(isReal));
    const t = sum(q.map((e, i) => e.mul(8 * i))).add(sum(r.map((e, i) => e.mul(i))));
    this.bitFieldConstraints(cx, isBf);
    const isSll = cx.c("is_sll").add(isIns);
    const right = cx.c("is_srl").add(cx.c("is_sra")).add(cx.c("is_rotr")).add(isExt);
    cx.zero(
      "t = s (sll) or 32 - s (right shifts, rotate)",
      isSll.mul(t.sub(s)).add(right.mul(t.add(s).sub(32))),
    );
    const sx = cx.c("sx");
    const neg = cx.c("neg");
    cx.byte(ByteOp.MSB, x[3], 0, sx, isReal);
    cx.zero("neg = sra and x < 0", neg.sub(cx.c("is_sra").mul(sx)));
    const z = cx.cs("z", 4);
    for (let i = 0; i < 4; i++)
      cx.zero(`z${i} = x${i} or its complement`, z[i].sub(x[i]).sub(neg.mul(constant(255).sub(x[i].mul(2)))));
    const pow = sum(r.map((e, i) => e.mul(1 << i)));
    const lo = cx.cs("lo", 4);
    const hi = cx.cs("hi", 4);
    for (let i = 0; i < 4; i++) {
      cx.zero(`z${i} * 2^r = lo + 256 hi`, z[i].mul(pow).sub(lo[i]).sub(hi[i].mul(256)));
      cx.u8(lo[i], isReal);
      cx.u8(hi[i], isReal);
    }
    const wb = (k: number) => (k < 4 ? lo[k] : constant(0)).add(k >= 1 && k <= 4 ? hi[k - 1] : constant(0));
    const O = (j: number) =>
      sum(q.map((qe, qi) => (j - qi >= 0 && j - qi <= 4 ? qe.mul(wb(j - qi)) : constant(0))));
    const R = cx.cs("R", 4);
    const dv = cx.cs("D_v", 4);
    for (let j = 0; j < 4; j++) {
      const sel = isSll
        .mul(O(j))
        .add(
          cx
            .c("is_srl")
            .add(cx.c("is_sra"))
            .add(isExt)
            .mul(O(j + 4)),
        )
        .add(cx.c("is_rotr").mul(O(j).add(O(j + 4))));
      cx.zero(`R${j}`, R[j].sub(sel));
      // shifts: R (complemented back for a negative sra); ins: (R & M) | (Y & ~M); ext: R & M.
      cx.zero(
        `result byte ${j}`,
        dv[j]
          .sub(R[j])
          .sub(neg.mul(constant(255).sub(R[j].mul(2))))
          .sub(isBf.mul(cx.c(`RM${j}`).sub(R[j])))
          .sub(isIns.mul(cx.c(`YM${j}`))),
      );
    }
  }
  /** Nibble-wise RM = R & M and YM = Y & ~M (M = imm, Y = old rd) for ins/ext; all zero otherwise. */
  private bitFieldConstraints(cx: ChipCtx, isBf: Expr): void {
    const inv16 = finv(16);
    const hi = (v: Expr, lo: Expr): Expr => v.sub(lo).mul(inv16);
    for (const n of BF_COLS)
      for (let j = 0; j < 4; j++)
        cx.zero(
          `${n}${j} = 0 unless ins/ext`,
          constant(1)
            .sub(isBf)
            .mul(cx.c(`${n}${j}`)),
        );
    for (let j = 0; j < 4; j++) {
      const [R, M, RM, Y, YM] = ["R", "imm", "RM", "D_p", "YM"].map((n) => cx.c(`${n}${j}`));
      const [Rl, Ml, RMl, Yl, YMl] = ["Rl", "Ml", "RMl", "Yl", "YMl"].map((n) => cx.c(`${n}${j}`));
      cx.byte(ByteOp.AND, Rl, Ml, RMl, isBf);
      cx.byte(ByteOp.AND, hi(R, Rl), hi(M, Ml), hi(RM, RMl), isBf);
      cx.byte(ByteOp.AND, Yl, constant(15).sub(Ml), YMl, isBf);
      cx.byte(ByteOp.AND, hi(Y, Yl), constant(15).sub(hi(M, Ml)), hi(YM, YMl), isBf);
    }
  }
  fill(w: Witness, row: number, st: Step, env: FillEnv): number {
    const op = st.dec.op;
    fillBase(w, row, st, SHIFT_SEL[op][0], env);
    const x = fillAccess(w, row, "A", env.mem, env.lk, st.dec.a, st.clk, undefined, false);
    const b = fillAccess(w, row, "B", env.mem, env.lk, st.dec.b, st.clk + 1, undefined, false);
    const bf = op === ShiftOp.ins || op === ShiftOp.ext;
    const amt = (b & 255) + (bf ? st.dec.target : st.dec.imm & 255);
    const s = amt & 31;
    const u = amt >> 5;
    w.set("s", row, s);
    w.set("u", row, u);
    env.lk.bits(s, 5);
    env.lk.bits(u, 3);
    const xb = bytesOf(x);
    const sx = xb[3] >> 7;
    const neg = op === ShiftOp.sra ? sx : 0;
    w.set("sx", row, sx);
    w.set("neg", row, neg);
    env.lk.byteOp(ByteOp.MSB, xb[3]);
    const zb = xb.map((v) => (neg ? 255 - v : v));
    w.setN("z", row, zb);
    const t = op === ShiftOp.sll || op === ShiftOp.ins ? s : 32 - s;
    const qv = t >> 3;
    const rv = t & 7;
    w.set(`q${qv}`, row, 1);
    w.set(`r${rv}`, row, 1);
    const lo = zb.map((v) => (v << rv) & 255);
    const hi = zb.map((v) => (v << rv) >> 8);
    w.setN("lo", row, lo);
    w.setN("hi", row, hi);
    lo.forEach((l, i) => {
      env.lk.u8(l);
      env.lk.u8(hi[i]);
    });
    const wbytes = [0, 1, 2, 3, 4].map((k) => (k < 4 ? lo[k] : 0) + (k >= 1 ? hi[k - 1] : 0));
    const O = (j: number) => (j - qv >= 0 && j - qv <= 4 ? wbytes[j - qv] : 0);
    const R = [0, 1, 2, 3].map((j) =>
      op === ShiftOp.sll || op === ShiftOp.ins ? O(j) : op === ShiftOp.rotr ? O(j) + O(j + 4) : O(j + 4),
    );
    w.setN("R", row, R);
    let res = R.map((v) => (neg ? 255 - v : v));
    const M = bytesOf(st.dec.imm);
    const Y = bytesOf(env.mem.peek(st.dec.d));
    if (bf) {
      const RM = R.map((v, j) => v & M[j]);
      const YM = Y.map((v, j) => v & ~M[j] & 255);
      const cols: Record<string, number[]> = { RM, YM, Rl: R, Ml: M, RMl: RM, Yl: Y, YMl: YM };
      for (const n of BF_COLS)
        w.setN(n, row, n === "RM" || n === "YM" ? cols[n] : cols[n].map((v) => v & 15));
      for (let j = 0; j < 4; j++) {
        env.lk.bitwise(ByteOp.AND, R[j], M[j]);
        env.lk.byteOp(ByteOp.AND, Y[j] & 15, 15 - (M[j] & 15));
        env.lk.byteOp(ByteOp.AND, Y[j] >> 4, 15 - (M[j] >> 4));
      }
      res = op === ShiftOp.ins ? RM.map((v, j) => v | YM[j]) : RM;
    }
    const result = (res[0] | (res[1] << 8) | (res[2] << 16) | (res[3] << 24)) >>> 0;
    const m32 = st.dec.imm >>> 0;
    const expect =
      [
        () => x << s,
        () => x >>> s,
        () => x >> s,
        () => (x >>> s) | (x << (32 - s)),
        () => (env.mem.peek(st.dec.d) & ~m32) | ((x << s) & m32),
        () => (x >>> s) & m32,
      ][op]() >>> 0;
    if (result !== expect) throw new Error(`shift witness mismatch at pc 0x${st.pc.toString(16)}`);
    fillAccess(w, row, "D", env.mem, env.lk, st.dec.d, st.clk + 3, result, true);
    return st.npc + 4;
  }
}
