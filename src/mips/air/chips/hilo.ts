/**
 * HiLo chip: mult, multu, madd, maddu, msub, msubu, mul, mfhi, mflo, mthi, mtlo (div/divu are not
 * proven yet).
 *
 * Accesses: A = reg[a] (clk), B = reg[b] (clk+1), H = hi (clk+2, write), L = reg[d] (clk+3, write);
 * the ROM sets d = lo for the 64-bit forms, rd for mul/mfhi/mflo, hi/lo for mthi/mtlo.
 * The unsigned product x·y = sum p_k 256^k comes from the byte convolution with carries
 * (carry_k = cl_k + 256 ch_k < 2^10). Signed forms subtract sx·y + sy·x from the high word
 * (q = P_hi - t, bytewise with borrows in {0,1,2}). madd/msub add/subtract Q = (P_lo, q) to/from
 * (hi, lo) over 64 bits; mult writes Q; mul writes P_lo to rd and keeps hi; moves copy A.
 */
import { type Expr, constant, sum } from "../../../stark/expr.ts";
import { ByteOp, CLK_STEP } from "../buses.ts";
import { Family, HiLoOp } from "../decode.ts";
import {
  accessColumns,
  accessConstraints,
  bytesOf,
  fillAccess,
  type ChipCtx,
  type Witness,
} from "../gadgets.ts";
import { type FillEnv, type InstrChip, type Step, baseConstraints, baseLayout, fillBase } from "../instr.ts";
import { REG_HI } from "../decode.ts";

const SEL: readonly (readonly [string, number])[] = Object.entries(HiLoOp).map(
  ([n, op]) => [`is_${n}`, op] as const,
);

export class HiLoChip implements InstrChip {
  readonly name = "HiLo";
  readonly family = Family.HiLo;
  readonly clkStep = CLK_STEP;
  readonly layout = baseLayout(SEL.map((s) => s[0]));
  constructor() {
    const L = this.layout;
    accessColumns(L, "A", false);
    accessColumns(L, "B", false);
    accessColumns(L, "H", true);
    accessColumns(L, "L", true);
    L.addN("p", 8);
    L.addN("cl", 7);
    L.addN("ch", 7);
    for (const n of ["sx", "sy"]) L.add(n);
    L.addN("q", 4);
    L.addN("bor", 4);
    L.addN("cc", 8);
  }
  define(cx: ChipCtx): void {
    baseConstraints(cx, this.family, SEL, cx.c("npc").add(4), this.clkStep);
    const isReal = cx.c("is_real");
    const clk = cx.c("clk");
    accessConstraints(cx, "A", cx.c("a"), clk, isReal, false);
    accessConstraints(cx, "B", cx.c("b"), clk.add(1), isReal, false);
    accessConstraints(cx, "H", REG_HI, clk.add(2), isReal, true);
    accessConstraints(cx, "L", cx.c("d"), clk.add(3), isReal, true);
    const s = (n: string) => cx.c(`is_${n}`);
    const isSigned = s("mult").add(s("madd")).add(s("msub"));
    const isAcc = s("madd").add(s("maddu")).add(s("msub")).add(s("msubu"));
    const isSubAcc = s("msub").add(s("msubu"));
    const is64 = s("mult").add(s("multu"));
    const isMove = s("mfhi").add(s("mflo")).add(s("mthi")).add(s("mtlo"));
    const x = cx.cs("A_v", 4);
    const y = cx.cs("B_v", 4);
    const p = cx.cs("p", 8);
    const cl = cx.cs("cl", 7);
    const ch = cx.cs("ch", 7);
    const carry = (k: number): Expr => (k < 0 || k > 6 ? constant(0) : cl[k].add(ch[k].mul(256)));
    for (let k = 0; k < 8; k++) {
      const conv = sum([0, 1, 2, 3].filter((i) => k - i >= 0 && k - i < 4).map((i) => x[i].mul(y[k - i])));
      cx.zero(
        `product byte ${k}`,
        conv
          .add(carry(k - 1))
          .sub(p[k])
          .sub(carry(k).mul(256)),
      );
      cx.u8(p[k], isReal);
      if (k < 7) {
        cx.u8(cl[k], isReal);
        cx.bits(ch[k], 2, isReal);
      }
    }
    const sx = cx.c("sx");
    const sy = cx.c("sy");
    cx.byte(ByteOp.MSB, x[3], 0, sx, isReal);
    cx.byte(ByteOp.MSB, y[3], 0, sy, isReal);
    const q = cx.cs("q", 4);
    const bor = cx.cs("bor", 4);
    for (let i = 0; i < 4; i++) {
      const t = isSigned.mul(sx.mul(y[i]).add(sy.mul(x[i])));
      const bin = i ? bor[i - 1] : constant(0);
      cx.zero(`signed high byte ${i}`, p[4 + i].sub(t).sub(bin).add(bor[i].mul(256)).sub(q[i]));
      cx.zero(`borrow ${i} in {0,1,2}`, bor[i].mul(bor[i].sub(1)).mul(bor[i].sub(2)));
      cx.u8(q[i], isReal);
    }
    const Q = [...p.slice(0, 4), ...q];
    const acc = [...cx.cs("L_p", 4), ...cx.cs("H_p", 4)];
    const out = [...cx.cs("L_v", 4), ...cx.cs("H_v", 4)];
    const cc = cx.cs("cc", 8);
    for (let k = 0; k < 8; k++) {
      cx.bool(`cc${k}`, cc[k]);
      cx.zero(`cc${k} = 0 unless madd/msub`, constant(1).sub(isAcc).mul(cc[k]));
      const lhs = acc[k].add(isSubAcc.mul(out[k].sub(acc[k])));
      const rhs = out[k].add(isSubAcc.mul(acc[k].sub(out[k])));
      const cin = k ? cc[k - 1] : constant(0);
      cx.zero(`accumulate byte ${k}`, isAcc.mul(lhs.add(Q[k]).add(cin).sub(rhs).sub(cc[k].mul(256))));
      cx.zero(`mult byte ${k}`, is64.mul(out[k].sub(Q[k])));
      cx.u8(out[k], isReal);
    }
    const Hv = cx.cs("H_v", 4);
    const Hp = cx.cs("H_p", 4);
    const Lv = cx.cs("L_v", 4);
    for (let i = 0; i < 4; i++) {
      cx.zero(`mul/moves keep hi byte ${i}`, s("mul").add(isMove).mul(Hv[i].sub(Hp[i])));
      cx.zero(`mul byte ${i}`, s("mul").mul(Lv[i].sub(p[i])));
      cx.zero(`move byte ${i}`, isMove.mul(Lv[i].sub(x[i])));
    }
  }
  fill(w: Witness, row: number, st: Step, env: FillEnv): number {
    const op = st.dec.op;
    const name = SEL.find(([, o]) => o === op)![0].slice(3);
    fillBase(w, row, st, `is_${name}`, env);
    const x = fillAccess(w, row, "A", env.mem, env.lk, st.dec.a, st.clk, undefined, false);
    const y = fillAccess(w, row, "B", env.mem, env.lk, st.dec.b, st.clk + 1, undefined, false);
    const xb = bytesOf(x);
    const yb = bytesOf(y);
    const p: number[] = [];
    let carry = 0;
    for (let k = 0; k < 8; k++) {
      let conv = carry;
      for (let i = 0; i < 4; i++) if (k - i >= 0 && k - i < 4) conv += xb[i] * yb[k - i];
      p.push(conv & 255);
      carry = Math.floor(conv / 256);
      if (k < 7) {
        w.set(`cl${k}`, row, carry & 255);
        w.set(`ch${k}`, row, carry >> 8);
        env.lk.u8(carry & 255);
        env.lk.bits(carry >> 8, 2);
      }
      env.lk.u8(p[k]);
    }
    w.setN("p", row, p);
    const sx = xb[3] >> 7;
    const sy = yb[3] >> 7;
    w.set("sx", row, sx);
    w.set("sy", row, sy);
    env.lk.byteOp(ByteOp.MSB, xb[3]);
    env.lk.byteOp(ByteOp.MSB, yb[3]);
    const signed = name === "mult" || name === "madd" || name === "msub";
    const q: number[] = [];
    let bin = 0;
    for (let i = 0; i < 4; i++) {
      const t = signed ? sx * yb[i] + sy * xb[i] : 0;
      let v = p[4 + i] - t - bin;
      let b = 0;
      while (v < 0) {
        v += 256;
        b++;
      }
      q.push(v);
      w.set(`bor${i}`, row, b);
      bin = b;
      env.lk.u8(v);
    }
    w.setN("q", row, q);
    const Q =
      BigInt((p[0] | (p[1] << 8) | (p[2] << 16) | (p[3] << 24)) >>> 0) +
      (BigInt((q[0] | (q[1] << 8) | (q[2] << 16) | (q[3] << 24)) >>> 0) << 32n);
    const Qlo = Number(Q & 0xffffffffn) >>> 0;
    const hiPrev = env.mem.peek(REG_HI);
    const loKeyPrev = env.mem.peek(st.dec.d);
    const acc = (BigInt(hiPrev) << 32n) | BigInt(loKeyPrev);
    let hi = hiPrev;
    let lo = 0;
    const M64 = (1n << 64n) - 1n;
    if (name === "mult" || name === "multu") {
      hi = Number(Q >> 32n);
      lo = Qlo;
    } else if (name === "madd" || name === "maddu" || name === "msub" || name === "msubu") {
      const sub = name.startsWith("msub");
      const out = sub ? (acc - Q) & M64 : (acc + Q) & M64;
      hi = Number(out >> 32n);
      lo = Number(out & 0xffffffffn);
      // Carries of lhs + Q = rhs.
      const lhs = sub ? out : acc;
      let c = 0;
      for (let k = 0; k < 8; k++) {
        const t = Number((lhs >> BigInt(8 * k)) & 255n) + Number((Q >> BigInt(8 * k)) & 255n) + c;
        c = t >> 8;
        w.set(`cc${k}`, row, c);
      }
    } else if (name === "mul") lo = Qlo;
    else lo = x;
    fillAccess(w, row, "H", env.mem, env.lk, REG_HI, st.clk + 2, hi >>> 0, true);
    fillAccess(w, row, "L", env.mem, env.lk, st.dec.d, st.clk + 3, lo >>> 0, true);
    for (const b of [...bytesOf(lo >>> 0), ...bytesOf(hi >>> 0)]) env.lk.u8(b);
    return st.npc + 4;
  }
}
