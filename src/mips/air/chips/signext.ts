/**
 * SignExt chip: seb (rd = sign-extended byte 0 of rt), seh (sign-extended half 0), wsbh (swap the
 * bytes inside each halfword). A = rt (clk), D = rd (clk+3, write); s0, s1 = top bits of bytes 0, 1.
 */
import { CLK_STEP, ByteOp } from "../buses.ts";
import { Family, SignExtOp } from "../decode.ts";
import {
  accessColumns,
  accessConstraints,
  bytesOf,
  fillAccess,
  type ChipCtx,
  type Witness,
} from "../gadgets.ts";
import { type FillEnv, type InstrChip, type Step, baseConstraints, baseLayout, fillBase } from "../instr.ts";

const SEL: readonly (readonly [string, number])[] = [
  ["is_seb", SignExtOp.seb],
  ["is_seh", SignExtOp.seh],
  ["is_wsbh", SignExtOp.wsbh],
];

export class SignExtChip implements InstrChip {
  readonly name = "SignExt";
  readonly family = Family.SignExt;
  readonly clkStep = CLK_STEP;
  readonly layout = baseLayout(SEL.map((s) => s[0]));
  constructor() {
    accessColumns(this.layout, "A", false);
    accessColumns(this.layout, "D", true);
    this.layout.add("s0");
    this.layout.add("s1");
  }
  define(cx: ChipCtx): void {
    baseConstraints(cx, this.family, SEL, cx.c("npc").add(4), this.clkStep);
    const isReal = cx.c("is_real");
    accessConstraints(cx, "A", cx.c("a"), cx.c("clk"), isReal, false);
    accessConstraints(cx, "D", cx.c("d"), cx.c("clk").add(3), isReal, true);
    const x = cx.cs("A_v", 4);
    const r = cx.cs("D_v", 4);
    const [s0, s1] = [cx.c("s0"), cx.c("s1")];
    cx.byte(ByteOp.MSB, x[0], 0, s0, isReal);
    cx.byte(ByteOp.MSB, x[1], 0, s1, isReal);
    const [seb, seh, wsbh] = SEL.map(([n]) => cx.c(n));
    const f0 = s0.mul(255);
    const f1 = s1.mul(255);
    cx.zero("byte 0", r[0].sub(seb.add(seh).mul(x[0])).sub(wsbh.mul(x[1])));
    cx.zero("byte 1", r[1].sub(seb.mul(f0)).sub(seh.mul(x[1])).sub(wsbh.mul(x[0])));
    cx.zero("byte 2", r[2].sub(seb.mul(f0)).sub(seh.mul(f1)).sub(wsbh.mul(x[3])));
    cx.zero("byte 3", r[3].sub(seb.mul(f0)).sub(seh.mul(f1)).sub(wsbh.mul(x[2])));
  }
  fill(w: Witness, row: number, s: Step, env: FillEnv): number {
    const op = s.dec.op;
    fillBase(w, row, s, SEL[op][0], env);
    const x = fillAccess(w, row, "A", env.mem, env.lk, s.dec.a, s.clk, undefined, false);
    const xb = bytesOf(x);
    w.set("s0", row, xb[0] >> 7);
    w.set("s1", row, xb[1] >> 7);
    env.lk.byteOp(ByteOp.MSB, xb[0]);
    env.lk.byteOp(ByteOp.MSB, xb[1]);
    const r =
      op === SignExtOp.seb
        ? (xb[0] << 24) >> 24
        : op === SignExtOp.seh
          ? ((x & 0xffff) << 16) >> 16
          : (xb[1] | (xb[0] << 8) | (xb[3] << 16) | (xb[2] << 24)) >>> 0;
    fillAccess(w, row, "D", env.mem, env.lk, s.dec.d, s.clk + 3, r >>> 0, true);
    return s.npc + 4;
  }
}
