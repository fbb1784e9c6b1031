/**
 * ALU chips on 4-byte words: AddSub (addu, subu, addiu, negu), Bitwise (and, or, xor, nor, andi,
 * ori, xori, lui) and Lt (slt, sltu, slti, sltiu).
 *
 * Each row reads A = reg[a] (ts clk), B = reg[b] (ts clk+1) and writes D = reg[d] (ts clk+3). The
 * second operand is y = B + imm bytewise: the ROM sets b = $zero for immediate forms and imm = 0 for
 * register forms, so at most one term is nonzero per byte.
 */
import { type Expr, constant, sum } from "../../../stark/expr.ts";
import { inv } from "../../../field/koalabear.ts";
import { ByteOp, CLK_STEP } from "../buses.ts";
import { AddSubOp, BitwiseOp, Family, LtOp } from "../decode.ts";
import {
  type ChipCtx,
  accessColumns,
  accessConstraints,
  bytesOf,
  fillAccess,
  type Witness,
} from "../gadgets.ts";
import { type FillEnv, type InstrChip, type Step, baseConstraints, baseLayout, fillBase } from "../instr.ts";

/** The three register accesses of an ALU-shaped row. */
function aluAccessColumns(L: ReturnType<typeof baseLayout>): void {
  accessColumns(L, "A", false);
  accessColumns(L, "B", false);
  accessColumns(L, "D", true);
}
function aluAccessConstraints(cx: ChipCtx): void {
  const isReal = cx.c("is_real");
  const clk = cx.c("clk");
  accessConstraints(cx, "A", cx.c("a"), clk, isReal, false);
  accessConstraints(cx, "B", cx.c("b"), clk.add(1), isReal, false);
  accessConstraints(cx, "D", cx.c("d"), clk.add(3), isReal, true);
}
/** Reads A and B; returns [x, y] with y = B + imm. */
function aluRead(w: Witness, row: number, s: Step, env: FillEnv): [number, number] {
  const x = fillAccess(w, row, "A", env.mem, env.lk, s.dec.a, s.clk, undefined, false);
  const b = fillAccess(w, row, "B", env.mem, env.lk, s.dec.b, s.clk + 1, undefined, false);
  return [x, (b + s.dec.imm) >>> 0];
}
const aluWrite = (w: Witness, row: number, s: Step, env: FillEnv, r: number): void => {
  fillAccess(w, row, "D", env.mem, env.lk, s.dec.d, s.clk + 3, r, true);
};

export class AddSubChip implements InstrChip {
  readonly name = "AddSub";
  readonly family = Family.AddSub;
  readonly clkStep = CLK_STEP;
  readonly layout = baseLayout(["is_add", "is_sub", "is_addt", "is_subt"]);
  constructor() {
    aluAccessColumns(this.layout);
    this.layout.addN("carry", 4);
    for (const n of ["sx", "sy", "sr", "same", "flip"]) this.layout.add(n);
  }
  define(cx: ChipCtx): void {
    baseConstraints(
      cx,
      this.family,
      [
        ["is_add", AddSubOp.addu],
        ["is_sub", AddSubOp.subu],
        ["is_addt", AddSubOp.add],
        ["is_subt", AddSubOp.sub],
      ],
      cx.c("npc").add(4),
      this.clkStep,
    );
    aluAccessConstraints(cx);
    const isReal = cx.c("is_real");
    const s = cx.c("is_sub").add(cx.c("is_subt"));
    const x = cx.cs("A_v", 4);
    const imm = cx.cs("imm", 4);
    const y = cx.cs("B_v", 4).map((b, i) => b.add(imm[i]));
    const r = cx.cs("D_v", 4);
    const c = cx.cs("carry", 4);
    // add: x + y = r (+ 2^32 carry); sub: r + y = x. lhs_i + y_i + c_{i-1} = rhs_i + 256 c_i.
    for (let i = 0; i < 4; i++) {
      cx.bool(`carry${i}`, c[i]);
      const lhs = x[i].add(s.mul(r[i].sub(x[i])));
      const rhs = r[i].add(s.mul(x[i].sub(r[i])));
      const cin = i === 0 ? constant(0) : c[i - 1];
      cx.zero(`byte ${i} sum`, lhs.add(y[i]).add(cin).sub(rhs).sub(c[i].mul(256)));
    }
    for (const ri of r) cx.u8(ri, isReal);
    // add/addi/sub trap on signed overflow, so a valid run has none: for add, the operands' signs
    // agree and the result's differs; for sub, the operands' signs differ and the result's differs
    // from x's.
    const [sx, sy, sr, same, flip] = ["sx", "sy", "sr", "same", "flip"].map((n) => cx.c(n));
    cx.byte(ByteOp.MSB, x[3], 0, sx, isReal);
    cx.byte(ByteOp.MSB, y[3], 0, sy, isReal);
    cx.byte(ByteOp.MSB, r[3], 0, sr, isReal);
    cx.zero("same = [sx = sy] (0 on padding)", same.sub(isReal.sub(sx).sub(sy).add(sx.mul(sy).mul(2))));
    cx.zero("flip = sr xor sx", flip.sub(sr.add(sx).sub(sr.mul(sx).mul(2))));
    cx.zero("add does not overflow", cx.c("is_addt").mul(same).mul(flip));
    cx.zero("sub does not overflow", cx.c("is_subt").mul(constant(1).sub(same)).mul(flip));
  }
  fill(w: Witness, row: number, s: Step, env: FillEnv): number {
    const op = s.dec.op;
    const sub = op === AddSubOp.subu || op === AddSubOp.sub;
    fillBase(w, row, s, ["is_add", "is_sub", "is_addt", "is_subt"][op], env);
    const [x, y] = aluRead(w, row, s, env);
    const r = (sub ? x - y : x + y) >>> 0;
    // Carries of lhs + y = rhs bytewise.
    const [l, rh] = sub ? [r, x] : [x, r];
    const lb = bytesOf(l);
    const yb = bytesOf(y);
    let cin = 0;
    for (let i = 0; i < 4; i++) {
      const t = lb[i] + yb[i] + cin;
      cin = t >> 8;
      w.set(`carry${i}`, row, cin);
    }
    void rh;
    aluWrite(w, row, s, env, r);
    for (const b of bytesOf(r)) env.lk.u8(b);
    const [sx, sy, sr] = [x, y, r].map((v) => v >>> 31);
    w.set("sx", row, sx);
    w.set("sy", row, sy);
    w.set("sr", row, sr);
    w.set("same", row, sx === sy ? 1 : 0);
    w.set("flip", row, sr ^ sx);
    for (const v of [x, y, r]) env.lk.byteOp(ByteOp.MSB, v >>> 24);
    return s.npc + 4;
  }
}

const INV16 = inv(16);

const LT_SEL: readonly (readonly [string, number])[] = Object.entries(LtOp).map(
  ([n, op]) => [`is_${n}`, op] as const,
);

const BITWISE_SEL: readonly (readonly [string, number, number])[] = [
  ["is_and", BitwiseOp.and, ByteOp.AND],
  ["is_or", BitwiseOp.or, ByteOp.OR],
  ["is_xor", BitwiseOp.xor, ByteOp.XOR],
  ["is_nor", BitwiseOp.nor, ByteOp.NOR],
];

export class BitwiseChip implements InstrChip {
  readonly name = "Bitwise";
  readonly family = Family.Bitwise;
  readonly clkStep = CLK_STEP;
  readonly layout = baseLayout(BITWISE_SEL.map((s) => s[0]));
  constructor() {
    aluAccessColumns(this.layout);
    for (const n of ["xl", "yl", "rl"]) this.layout.addN(n, 4);
  }
  define(cx: ChipCtx): void {
    baseConstraints(
      cx,
      this.family,
      BITWISE_SEL.map(([n, op]) => [n, op] as const),
      cx.c("npc").add(4),
      this.clkStep,
    );
    aluAccessConstraints(cx);
    let byteOp = constant(0);
    for (const [n, , bop] of BITWISE_SEL) byteOp = byteOp.add(cx.c(n).mul(bop));
    const x = cx.cs("A_v", 4);
    const imm = cx.cs("imm", 4);
    const y = cx.cs("B_v", 4).map((b, i) => b.add(imm[i]));
    const r = cx.cs("D_v", 4);
    const [xl, yl, rl] = ["xl", "yl", "rl"].map((n) => cx.cs(n, 4));
    // Nibble-wise: the table only holds nibbles, so the low nibbles and the high parts (v - lo) / 16
    // are nibbles, which also range-checks x_i, y_i and r_i as bytes.
    const hi = (v: Expr, lo: Expr): Expr => v.sub(lo).mul(INV16);
    for (let i = 0; i < 4; i++) {
      cx.byte(byteOp, xl[i], yl[i], rl[i], cx.c("is_real"));
      cx.byte(byteOp, hi(x[i], xl[i]), hi(y[i], yl[i]), hi(r[i], rl[i]), cx.c("is_real"));
    }
  }
  fill(w: Witness, row: number, s: Step, env: FillEnv): number {
    const sel = BITWISE_SEL.find(([, op]) => op === s.dec.op)!;
    fillBase(w, row, s, sel[0], env);
    const [x, y] = aluRead(w, row, s, env);
    const r =
      (s.dec.op === BitwiseOp.and
        ? x & y
        : s.dec.op === BitwiseOp.or
          ? x | y
          : s.dec.op === BitwiseOp.xor
            ? x ^ y
            : ~(x | y)) >>> 0;
    aluWrite(w, row, s, env, r);
    const xb = bytesOf(x);
    const yb = bytesOf(y);
    w.setN(
      "xl",
      row,
      xb.map((v) => v & 15),
    );
    w.setN(
      "yl",
      row,
      yb.map((v) => v & 15),
    );
    w.setN(
      "rl",
      row,
      bytesOf(r).map((v) => v & 15),
    );
    for (let i = 0; i < 4; i++) env.lk.bitwise(sel[2], xb[i], yb[i]);
    return s.npc + 4;
  }
}

export class LtChip implements InstrChip {
  readonly name = "Lt";
  readonly family = Family.Lt;
  readonly clkStep = CLK_STEP;
  readonly layout = baseLayout(LT_SEL.map(([n]) => n));
  constructor() {
    aluAccessColumns(this.layout);
    this.layout.addN("diff", 4);
    this.layout.addN("borrow", 4);
    for (const n of ["sx", "sy", "sxy", "dinv"]) this.layout.add(n);
  }
  define(cx: ChipCtx): void {
    baseConstraints(cx, this.family, LT_SEL, cx.c("npc").add(4), this.clkStep);
    aluAccessConstraints(cx);
    const isReal = cx.c("is_real");
    const x = cx.cs("A_v", 4);
    const imm = cx.cs("imm", 4);
    const y = cx.cs("B_v", 4).map((b, i) => b.add(imm[i]));
    const d = cx.cs("diff", 4);
    const br = cx.cs("borrow", 4);
    // x - y = diff - 2^32 borrow3: x_i - y_i - borrow_{i-1} + 256 borrow_i = diff_i.
    for (let i = 0; i < 4; i++) {
      cx.bool(`borrow${i}`, br[i]);
      const bin = i === 0 ? constant(0) : br[i - 1];
      cx.zero(`byte ${i} difference`, x[i].sub(y[i]).sub(bin).add(br[i].mul(256)).sub(d[i]));
    }
    const sx = cx.c("sx");
    const sy = cx.c("sy");
    cx.byte(ByteOp.MSB, x[3], 0, sx, isReal);
    cx.byte(ByteOp.MSB, y[3], 0, sy, isReal);
    for (const di of d) cx.u8(di, isReal);
    cx.zero("sxy = sx xor sy", cx.c("sxy").sub(sx.add(sy).sub(sx.mul(sy).mul(2))));
    // x <s y  <=>  (x <u y) xor sign(x) xor sign(y).
    const ltu = br[3];
    const sel = (n: string) => cx.c(`is_${n}`);
    const signed = sel("slt").add(sel("tge")).add(sel("tlt"));
    const wgt = signed.mul(cx.c("sxy"));
    const res = ltu.add(wgt).sub(ltu.mul(wgt).mul(2));
    const r = cx.cs("D_v", 4);
    cx.zero("result = lt", r[0].sub(res));
    for (let i = 1; i < 4; i++) cx.zero(`result byte ${i} = 0`, r[i]);
    // Traps stop the run, so a valid run never meets a trap condition.
    cx.zero("tge/tgeu: x < y", sel("tge").add(sel("tgeu")).mul(constant(1).sub(r[0])));
    cx.zero("tlt/tltu: x >= y", sel("tlt").add(sel("tltu")).mul(r[0]));
    // x = y exactly when the difference bytes sum to 0 (sum <= 1020, no wrap).
    const dsum = sum(d);
    const dinv = cx.c("dinv");
    cx.zero("teq: x != y", sel("teq").mul(dsum.mul(dinv).sub(1)));
    cx.zero("dinv = 0 unless teq", constant(1).sub(sel("teq")).mul(dinv));
    cx.zero("tne: x = y", sel("tne").mul(dsum));
  }
  fill(w: Witness, row: number, s: Step, env: FillEnv): number {
    const op = s.dec.op;
    const signed = op === LtOp.slt || op === LtOp.tge || op === LtOp.tlt;
    fillBase(w, row, s, LT_SEL.find(([, o]) => o === op)![0], env);
    const [x, y] = aluRead(w, row, s, env);
    const xb = bytesOf(x);
    const yb = bytesOf(y);
    let bin = 0;
    const db: number[] = [];
    for (let i = 0; i < 4; i++) {
      let t = xb[i] - yb[i] - bin;
      bin = t < 0 ? 1 : 0;
      if (t < 0) t += 256;
      db.push(t);
      w.set(`borrow${i}`, row, bin);
    }
    w.setN("diff", row, db);
    const sx = xb[3] >> 7;
    const sy = yb[3] >> 7;
    w.set("sx", row, sx);
    w.set("sy", row, sy);
    w.set("sxy", row, sx ^ sy);
    env.lk.byteOp(ByteOp.MSB, xb[3]);
    env.lk.byteOp(ByteOp.MSB, yb[3]);
    for (const b of db) env.lk.u8(b);
    const dsum = db.reduce((a, b) => a + b, 0);
    if (op === LtOp.teq && dsum !== 0) w.set("dinv", row, inv(dsum));
    const r = signed ? (x | 0) < (y | 0) : x < y;
    aluWrite(w, row, s, env, r ? 1 : 0);
    return s.npc + 4;
  }
}
