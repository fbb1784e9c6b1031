/**
 * MovCond chip: movz (rd = rs if rt == 0) and movn (rd = rs if rt != 0); otherwise rd keeps its value.
 * A = rs (clk), B = rt (clk+1), D = rd (clk+3, write). S = sum B_i^2 < 2^18 is zero exactly when
 * rt = 0; neq = S·inv with (1 - neq)·S = 0 forces neq = [rt != 0] (and 0 on padding rows).
 */
import { constant, sum } from "../../../stark/expr.ts";
import { CLK_STEP } from "../buses.ts";
import { Family, MovCondOp } from "../decode.ts";
import {
  accessColumns,
  accessConstraints,
  bytesOf,
  fillAccess,
  type ChipCtx,
  type Witness,
} from "../gadgets.ts";
import { type FillEnv, type InstrChip, type Step, baseConstraints, baseLayout, fillBase } from "../instr.ts";
import { P, inv as finv } from "../../../field/koalabear.ts";

export class MovCondChip implements InstrChip {
  readonly name = "MovCond";
  readonly family = Family.MovCond;
  readonly clkStep = CLK_STEP;
  readonly layout = baseLayout(["is_movz", "is_movn"]);
  constructor() {
    accessColumns(this.layout, "A", false);
    accessColumns(this.layout, "B", false);
    accessColumns(this.layout, "D", true);
    this.layout.add("neq");
    this.layout.add("inv");
  }
  define(cx: ChipCtx): void {
    baseConstraints(
      cx,
      this.family,
      [
        ["is_movz", MovCondOp.movz],
        ["is_movn", MovCondOp.movn],
      ],
      cx.c("npc").add(4),
      this.clkStep,
    );
    const isReal = cx.c("is_real");
    const clk = cx.c("clk");
    accessConstraints(cx, "A", cx.c("a"), clk, isReal, false);
    accessConstraints(cx, "B", cx.c("b"), clk.add(1), isReal, false);
    accessConstraints(cx, "D", cx.c("d"), clk.add(3), isReal, true);
    const b = cx.cs("B_v", 4);
    const S = sum(b.map((v) => v.mul(v)));
    const neq = cx.c("neq");
    cx.zero("neq = S * inv", S.mul(cx.c("inv")).sub(neq));
    cx.zero("S = 0 when neq = 0", constant(1).sub(neq).mul(S));
    const move = cx.c("is_movz").mul(isReal.sub(neq)).add(cx.c("is_movn").mul(neq));
    const x = cx.cs("A_v", 4);
    const dv = cx.cs("D_v", 4);
    const dp = cx.cs("D_p", 4);
    for (let i = 0; i < 4; i++) cx.zero(`result byte ${i}`, dv[i].sub(dp[i]).sub(move.mul(x[i].sub(dp[i]))));
  }
  fill(w: Witness, row: number, s: Step, env: FillEnv): number {
    const movn = s.dec.op === MovCondOp.movn;
    fillBase(w, row, s, movn ? "is_movn" : "is_movz", env);
    const x = fillAccess(w, row, "A", env.mem, env.lk, s.dec.a, s.clk, undefined, false);
    const y = fillAccess(w, row, "B", env.mem, env.lk, s.dec.b, s.clk + 1, undefined, false);
    let S = 0;
    for (const v of bytesOf(y)) S += v * v;
    w.set("neq", row, S === 0 ? 0 : 1);
    w.set("inv", row, S === 0 ? 0 : finv(S % P));
    const move = movn ? y !== 0 : y === 0;
    const old = env.mem.peek(s.dec.d);
    fillAccess(w, row, "D", env.mem, env.lk, s.dec.d, s.clk + 3, move ? x : old, true);
    return s.npc + 4;
  }
}
