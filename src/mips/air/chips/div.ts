/**
 * Div chip: div, divu. hi = remainder, lo = quotient, with the executor's convention for the
 * unpredictable cases: a zero divisor, and INT_MIN / -1 for div, divide by 1 instead.
 *
 * A = rs = x (clk), B = rt = y (clk+1), H = hi (clk+2, write r), L = lo (clk+3, write q).
 * y' = 1 when y = 0 (or div with x = INT_MIN, y = -1), else y. For div the signs sx, sy of x and y'
 * select absolute values ax = |x|, ay = |y'| (conditional negations); then ax = aq·ay + ar with
 * aq·ay < 2^32 (the product's high bytes are 0), ar < ay, and q = ±aq (sign sx xor sy),
 * r = ±ar (sign sx): truncating division, remainder with the sign of x. divu has no signs.
 */
import { type Expr, constant, sum } from "../../../stark/expr.ts";
import { P, inv as finv } from "../../../field/koalabear.ts";
import { ByteOp, CLK_STEP } from "../buses.ts";
import { DivOp, Family, REG_HI, REG_LO } from "../decode.ts";
import {
  type ChipCtx,
  type Witness,
  accessColumns,
  accessConstraints,
  bytesOf,
  fillAccess,
} from "../gadgets.ts";
import { type FillEnv, type InstrChip, type Step, baseConstraints, baseLayout, fillBase } from "../instr.ts";

const NEGS = ["ax", "ay", "q", "r"];
/** Equality flags: y = 0, x = INT_MIN, y = -1. */
const EQS: readonly (readonly [string, string, number[]])[] = [
  ["yz", "B_v", [0, 0, 0, 0]],
  ["xm", "A_v", [0, 0, 0, 0x80]],
  ["ym", "B_v", [255, 255, 255, 255]],
];

export class DivChip implements InstrChip {
  readonly name = "Div";
  readonly family = Family.Div;
  readonly clkStep = CLK_STEP;
  readonly layout = baseLayout(["is_div", "is_divu"]);
  constructor() {
    const L = this.layout;
    accessColumns(L, "A", false);
    accessColumns(L, "B", false);
    accessColumns(L, "H", true);
    accessColumns(L, "L", true);
    for (const [z] of EQS) {
      L.add(z);
      L.add(`${z}_inv`);
    }
    for (const n of ["sp", "one", "mx", "my", "sx", "sy", "sq"]) L.add(n);
    for (const n of ["yy", "aq", "ar", "p", "sc", "lb", "ld"]) L.addN(n, 4);
    L.addN("cl", 7);
    L.addN("ch", 7);
    for (const n of NEGS) {
      L.addN(`${n}_o`, 4);
      L.addN(`${n}_c`, 4);
    }
  }
  /** flag = [v == c] via S = sum (v_i - c_i)^2 < 2^18: S·inv = is_real - flag, flag·S = 0. */
  private eqFlag(cx: ChipCtx, name: string, v: Expr[], c: number[], isReal: Expr): Expr {
    const S = sum(v.map((e, i) => e.sub(c[i]).mul(e.sub(c[i]))));
    const f = cx.c(name);
    cx.bool(name, f);
    cx.zero(`${name}: S * inv = is_real - flag`, S.mul(cx.c(`${name}_inv`)).sub(isReal.sub(f)));
    cx.zero(`${name}: flag * S = 0`, f.mul(S));
    return f;
  }
  /** out = s ? -in : in (mod 2^32): out_i = in_i + s(255 - 2 in_i) + cin_i - 256 c_i, cin_0 = s. */
  private condNeg(cx: ChipCtx, name: string, inp: Expr[], s: Expr, isReal: Expr): Expr[] {
    const o = cx.cs(`${name}_o`, 4);
    const c = cx.cs(`${name}_c`, 4);
    for (let i = 0; i < 4; i++) {
      cx.bool(`${name}_c${i}`, c[i]);
      const cin = i === 0 ? s : c[i - 1];
      cx.zero(
        `${name} byte ${i}`,
        o[i]
          .sub(inp[i])
          .sub(s.mul(constant(255).sub(inp[i].mul(2))))
          .sub(cin)
          .add(c[i].mul(256)),
      );
      cx.u8(o[i], isReal);
    }
    return o;
  }
  define(cx: ChipCtx): void {
    baseConstraints(
      cx,
      this.family,
      [
        ["is_div", DivOp.div],
        ["is_divu", DivOp.divu],
      ],
      cx.c("npc").add(4),
      this.clkStep,
    );
    const isReal = cx.c("is_real");
    const clk = cx.c("clk");
    const isDiv = cx.c("is_div");
    accessConstraints(cx, "A", cx.c("a"), clk, isReal, false);
    accessConstraints(cx, "B", cx.c("b"), clk.add(1), isReal, false);
    accessConstraints(cx, "H", REG_HI, clk.add(2), isReal, true);
    accessConstraints(cx, "L", REG_LO, clk.add(3), isReal, true);
    const x = cx.cs("A_v", 4);
    const y = cx.cs("B_v", 4);
    const [yz, xm, ym] = EQS.map(([n, src, c]) => this.eqFlag(cx, n, cx.cs(src, 4), c, isReal));
    const [sp, one, mx, my, sx, sy, sq] = ["sp", "one", "mx", "my", "sx", "sy", "sq"].map((n) => cx.c(n));
    cx.zero("sp = div and x = INT_MIN and y = -1", sp.sub(isDiv.mul(xm).mul(ym)));
    cx.zero("one = [y = 0] + sp", one.sub(yz).sub(sp));
    const yy = cx.cs("yy", 4);
    for (let i = 0; i < 4; i++)
      cx.zero(`y' byte ${i}`, yy[i].sub(y[i]).sub(one.mul(constant(i === 0 ? 1 : 0).sub(y[i]))));
    cx.byte(ByteOp.MSB, x[3], 0, mx, isReal);
    cx.byte(ByteOp.MSB, yy[3], 0, my, isReal);
    cx.zero("sx = div · msb(x)", sx.sub(isDiv.mul(mx)));
    cx.zero("sy = div · msb(y')", sy.sub(isDiv.mul(my)));
    cx.zero("sq = sx xor sy", sq.sub(sx.add(sy).sub(sx.mul(sy).mul(2))));
    const ax = this.condNeg(cx, "ax", x, sx, isReal);
    const ay = this.condNeg(cx, "ay", yy, sy, isReal);
    const aq = cx.cs("aq", 4);
    const ar = cx.cs("ar", 4);
    for (let i = 0; i < 4; i++) {
      cx.u8(aq[i], isReal);
      cx.u8(ar[i], isReal);
    }
    // aq · ay = p (4 bytes; the high half of the product is 0).
    const p = cx.cs("p", 4);
    const cl = cx.cs("cl", 7);
    const ch = cx.cs("ch", 7);
    const carry = (k: number): Expr => (k < 0 || k > 6 ? constant(0) : cl[k].add(ch[k].mul(256)));
    for (let k = 0; k < 8; k++) {
      const conv = sum([0, 1, 2, 3].filter((i) => k - i >= 0 && k - i < 4).map((i) => aq[i].mul(ay[k - i])));
      cx.zero(
        `product byte ${k}`,
        conv
          .add(carry(k - 1))
          .sub(k < 4 ? p[k] : 0)
          .sub(carry(k).mul(256)),
      );
      if (k < 4) cx.u8(p[k], isReal);
      if (k < 7) {
        cx.u8(cl[k], isReal);
        cx.bits(ch[k], 2, isReal);
      }
    }
    // ax = p + ar without carry out.
    const sc = cx.cs("sc", 4);
    for (let i = 0; i < 4; i++) {
      cx.bool(`sc${i}`, sc[i]);
      cx.zero(
        `dividend byte ${i}`,
        p[i]
          .add(ar[i])
          .add(i ? sc[i - 1] : 0)
          .sub(ax[i])
          .sub(sc[i].mul(256)),
      );
    }
    cx.zero("no carry out of p + ar", sc[3]);
    // ar < ay: the borrow out of ar - ay is 1.
    const lb = cx.cs("lb", 4);
    const ld = cx.cs("ld", 4);
    for (let i = 0; i < 4; i++) {
      cx.bool(`lb${i}`, lb[i]);
      cx.zero(
        `ar - ay byte ${i}`,
        ar[i]
          .sub(ay[i])
          .sub(i ? lb[i - 1] : 0)
          .add(lb[i].mul(256))
          .sub(ld[i]),
      );
      cx.u8(ld[i], isReal);
    }
    cx.zero("remainder < divisor", isReal.sub(lb[3]));
    const q = this.condNeg(cx, "q", aq, sq, isReal);
    const r = this.condNeg(cx, "r", ar, sx, isReal);
    const Lv = cx.cs("L_v", 4);
    const Hv = cx.cs("H_v", 4);
    for (let i = 0; i < 4; i++) {
      cx.zero(`lo = quotient byte ${i}`, Lv[i].sub(q[i]));
      cx.zero(`hi = remainder byte ${i}`, Hv[i].sub(r[i]));
    }
  }
  fill(w: Witness, row: number, st: Step, env: FillEnv): number {
    const isDiv = st.dec.op === DivOp.div;
    fillBase(w, row, st, isDiv ? "is_div" : "is_divu", env);
    const x = fillAccess(w, row, "A", env.mem, env.lk, st.dec.a, st.clk, undefined, false);
    const y = fillAccess(w, row, "B", env.mem, env.lk, st.dec.b, st.clk + 1, undefined, false);
    const setEq = (name: string, v: number, c: number[]) => {
      const S = bytesOf(v).reduce((acc, b, i) => acc + (b - c[i]) ** 2, 0);
      w.set(name, row, S === 0 ? 1 : 0);
      if (S !== 0) w.set(`${name}_inv`, row, finv(S % P));
      return S === 0;
    };
    const yz = setEq("yz", y, EQS[0][2]);
    const xm = setEq("xm", x, EQS[1][2]);
    const ym = setEq("ym", y, EQS[2][2]);
    const sp = isDiv && xm && ym;
    w.set("sp", row, sp ? 1 : 0);
    w.set("one", row, yz || sp ? 1 : 0);
    const yy = yz || sp ? 1 : y >>> 0;
    w.setN("yy", row, bytesOf(yy));
    const mx = x >>> 31;
    const my = yy >>> 31;
    w.set("mx", row, mx);
    w.set("my", row, my);
    env.lk.byteOp(ByteOp.MSB, x >>> 24);
    env.lk.byteOp(ByteOp.MSB, yy >>> 24);
    const sx = isDiv ? mx : 0;
    const sy = isDiv ? my : 0;
    w.set("sx", row, sx);
    w.set("sy", row, sy);
    w.set("sq", row, sx ^ sy);
    const neg = (name: string, v: number, s: number): number => {
      const out = s ? (-v | 0) >>> 0 : v >>> 0;
      const ib = bytesOf(v >>> 0);
      let cin = s;
      for (let i = 0; i < 4; i++) {
        const t = s ? 255 - ib[i] + cin : ib[i];
        const c = s ? t >> 8 : 0;
        w.set(`${name}_o${i}`, row, t & 255);
        w.set(`${name}_c${i}`, row, c);
        env.lk.u8(t & 255);
        cin = c;
      }
      return out;
    };
    const ax = neg("ax", x, sx);
    const ay = neg("ay", yy, sy);
    const aq = Math.floor(ax / ay) >>> 0;
    const ar = (ax % ay) >>> 0;
    w.setN("aq", row, bytesOf(aq));
    w.setN("ar", row, bytesOf(ar));
    for (const b of [...bytesOf(aq), ...bytesOf(ar)]) env.lk.u8(b);
    const qb = bytesOf(aq);
    const yb = bytesOf(ay);
    let carry = 0;
    const p: number[] = [];
    for (let k = 0; k < 8; k++) {
      let conv = carry;
      for (let i = 0; i < 4; i++) if (k - i >= 0 && k - i < 4) conv += qb[i] * yb[k - i];
      if (k < 4) {
        p.push(conv & 255);
        env.lk.u8(conv & 255);
      }
      carry = Math.floor(conv / 256);
      if (k < 7) {
        w.set(`cl${k}`, row, carry & 255);
        w.set(`ch${k}`, row, carry >> 8);
        env.lk.u8(carry & 255);
        env.lk.bits(carry >> 8, 2);
      }
    }
    w.setN("p", row, p);
    const rb = bytesOf(ar);
    let c = 0;
    for (let i = 0; i < 4; i++) {
      c = (p[i] + rb[i] + c) >> 8;
      w.set(`sc${i}`, row, c);
    }
    const ab = bytesOf(ay);
    let bin = 0;
    for (let i = 0; i < 4; i++) {
      let t = rb[i] - ab[i] - bin;
      bin = t < 0 ? 1 : 0;
      if (t < 0) t += 256;
      w.set(`ld${i}`, row, t);
      w.set(`lb${i}`, row, bin);
      env.lk.u8(t);
    }
    const q = neg("q", aq, sx ^ sy);
    const r = neg("r", ar, sx);
    fillAccess(w, row, "H", env.mem, env.lk, REG_HI, st.clk + 2, r, true);
    fillAccess(w, row, "L", env.mem, env.lk, REG_LO, st.clk + 3, q, true);
    return st.npc + 4;
  }
}
