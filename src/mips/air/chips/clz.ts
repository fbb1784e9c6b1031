/**
 * Clz chip: clz (leading zeros of rs), clo (leading ones = leading zeros of ~rs).
 * A = rs (clk), D = rd (clk+3, write). z = x or ~x bytewise; a one-hot lead_j picks the highest
 * nonzero byte j (bytes above it sum to 0, byte j has an inverse), or all_zero when z = 0; the
 * count inside byte j comes from the byte table's CLZ8: n = 8 (3 - j) + clz8(z_j), or 32.
 */
import { type Expr, constant, sum } from "../../../stark/expr.ts";
import { P, inv as finv } from "../../../field/koalabear.ts";
import { ByteOp, CLK_STEP } from "../buses.ts";
import { ClzOp, Family } from "../decode.ts";
import {
  type ChipCtx,
  type Witness,
  accessColumns,
  accessConstraints,
  bytesOf,
  fillAccess,
} from "../gadgets.ts";
import { type FillEnv, type InstrChip, type Step, baseConstraints, baseLayout, fillBase } from "../instr.ts";

export class ClzChip implements InstrChip {
  readonly name = "Clz";
  readonly family = Family.Clz;
  readonly clkStep = CLK_STEP;
  readonly layout = baseLayout(["is_clz", "is_clo"]);
  constructor() {
    accessColumns(this.layout, "A", false);
    accessColumns(this.layout, "D", true);
    this.layout.addN("z", 4);
    this.layout.addN("lead", 4);
    for (const n of ["all_zero", "sbyte", "sinv", "c8"]) this.layout.add(n);
  }
  define(cx: ChipCtx): void {
    baseConstraints(
      cx,
      this.family,
      [
        ["is_clz", ClzOp.clz],
        ["is_clo", ClzOp.clo],
      ],
      cx.c("npc").add(4),
      this.clkStep,
    );
    const isReal = cx.c("is_real");
    accessConstraints(cx, "A", cx.c("a"), cx.c("clk"), isReal, false);
    accessConstraints(cx, "D", cx.c("d"), cx.c("clk").add(3), isReal, true);
    const x = cx.cs("A_v", 4);
    const z = cx.cs("z", 4);
    const lead = cx.cs("lead", 4);
    const [allZero, sbyte, sinv, c8] = ["all_zero", "sbyte", "sinv", "c8"].map((n) => cx.c(n));
    const isClo = cx.c("is_clo");
    for (let i = 0; i < 4; i++)
      cx.zero(
        `z${i} = x${i} or its complement`,
        z[i].sub(x[i]).sub(isClo.mul(constant(255).sub(x[i].mul(2)))),
      );
    lead.forEach((l, j) => cx.bool(`lead${j}`, l));
    cx.bool("all_zero", allZero);
    cx.zero("one lead byte or all zero", sum(lead).add(allZero).sub(isReal));
    // Bytes above the lead byte are zero (sums of bytes < 1024 cannot wrap).
    const above = (j: number): Expr => sum(z.slice(j + 1));
    cx.zero(
      "bytes above the lead are zero",
      sum(lead.map((l, j) => l.mul(above(j)))).add(allZero.mul(above(-1))),
    );
    cx.zero("selected byte", sbyte.sub(sum(lead.map((l, j) => l.mul(z[j])))));
    cx.zero("lead byte is nonzero", sum(lead).mul(sbyte.mul(sinv).sub(1)));
    cx.zero("sinv = 0 when all zero", allZero.mul(sinv));
    cx.byte(ByteOp.CLZ8, sbyte, 0, c8, sum(lead));
    cx.zero("c8 = 0 when all zero", allZero.mul(c8));
    const n = sum(lead.map((l, j) => l.mul(8 * (3 - j))))
      .add(c8)
      .add(allZero.mul(32));
    const r = cx.cs("D_v", 4);
    cx.zero("count", r[0].sub(n));
    for (let i = 1; i < 4; i++) cx.zero(`count byte ${i} = 0`, r[i]);
  }
  fill(w: Witness, row: number, s: Step, env: FillEnv): number {
    const clo = s.dec.op === ClzOp.clo;
    fillBase(w, row, s, clo ? "is_clo" : "is_clz", env);
    const x = fillAccess(w, row, "A", env.mem, env.lk, s.dec.a, s.clk, undefined, false);
    const z = clo ? ~x >>> 0 : x;
    const zb = bytesOf(z);
    w.setN("z", row, zb);
    let n = 32;
    if (z === 0) w.set("all_zero", row, 1);
    else {
      let j = 3;
      while (zb[j] === 0) j--;
      w.set(`lead${j}`, row, 1);
      w.set("sbyte", row, zb[j]);
      w.set("sinv", row, finv(zb[j] % P));
      const c8 = Math.clz32(zb[j]) - 24;
      w.set("c8", row, c8);
      env.lk.byteOp(ByteOp.CLZ8, zb[j]);
      n = 8 * (3 - j) + c8;
    }
    if (n !== Math.clz32(z)) throw new Error("clz witness mismatch");
    fillAccess(w, row, "D", env.mem, env.lk, s.dec.d, s.clk + 3, n, true);
    return s.npc + 4;
  }
}
