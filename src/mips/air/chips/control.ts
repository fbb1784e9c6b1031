/**
 * Control flow: Branch (beq, bne, blez, bgtz, bltz, bgez and the linking bltzal/bgezal) and Jump
 * (j, jal, jr, jalr). Delay slots follow from the state (pc, nextPc): a row executing `pc` hands on
 * (nextPc, nextNextPc), so the delay slot at nextPc always runs before the target.
 *
 * Both chips write D = imm, the link value pc + 8 that the ROM stores (or 0 into the sink register
 * when nothing links). Branch equality: S = sum (x_i - y_i)^2 < 2^18 is zero exactly when the words
 * are equal; neq = S * inv with (1 - neq) S = 0 forces neq = [S != 0] (and 0 on padding rows).
 */
import { constant, sum } from "../../../stark/expr.ts";
import { ByteOp, CLK_STEP } from "../buses.ts";
import { BranchOp, Family, JumpOp } from "../decode.ts";
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

const BRANCH_SEL: readonly (readonly [string, number])[] = [
  ["is_beq", BranchOp.beq],
  ["is_bne", BranchOp.bne],
  ["is_blez", BranchOp.blez],
  ["is_bgtz", BranchOp.bgtz],
  ["is_bltz", BranchOp.bltz],
  ["is_bgez", BranchOp.bgez],
  ["is_beql", BranchOp.beql],
  ["is_bnel", BranchOp.bnel],
  ["is_blezl", BranchOp.blezl],
  ["is_bgtzl", BranchOp.bgtzl],
  ["is_bltzl", BranchOp.bltzl],
  ["is_bgezl", BranchOp.bgezl],
];

export class BranchChip implements InstrChip {
  readonly name = "Branch";
  readonly family = Family.Branch;
  readonly clkStep = CLK_STEP;
  readonly layout = baseLayout(BRANCH_SEL.map((s) => s[0]));
  constructor() {
    accessColumns(this.layout, "A", false);
    accessColumns(this.layout, "B", false);
    accessColumns(this.layout, "D", true);
    for (const n of ["neq", "inv", "sx", "taken"]) this.layout.add(n);
  }
  define(cx: ChipCtx): void {
    const taken = cx.c("taken");
    const npc = cx.c("npc");
    // A not-taken branch-likely nullifies its delay slot: the successor state is (pc+8, pc+12).
    const likely = ["beql", "bnel", "blezl", "bgtzl", "bltzl", "bgezl"].map((n) => cx.c(`is_${n}`));
    const skip = sum(likely).mul(constant(1).sub(taken)).mul(4);
    baseConstraints(
      cx,
      this.family,
      BRANCH_SEL,
      taken.mul(cx.c("target")).add(constant(1).sub(taken).mul(npc.add(4).add(skip))),
      this.clkStep,
      undefined,
      npc.add(skip),
    );
    const isReal = cx.c("is_real");
    const clk = cx.c("clk");
    accessConstraints(cx, "A", cx.c("a"), clk, isReal, false);
    accessConstraints(cx, "B", cx.c("b"), clk.add(1), isReal, false);
    accessConstraints(cx, "D", cx.c("d"), clk.add(3), isReal, true);
    const x = cx.cs("A_v", 4);
    const y = cx.cs("B_v", 4);
    let S = constant(0);
    for (let i = 0; i < 4; i++) S = S.add(x[i].sub(y[i]).mul(x[i].sub(y[i])));
    const neq = cx.c("neq");
    const sx = cx.c("sx");
    cx.zero("neq = S * inv", S.mul(cx.c("inv")).sub(neq));
    cx.zero("S = 0 when neq = 0", constant(1).sub(neq).mul(S));
    cx.byte(ByteOp.MSB, x[3], 0, sx, isReal);
    const eq = isReal.sub(neq);
    const sel = (n: string) => cx.c(`is_${n}`).add(cx.c(`is_${n}l`));
    const t = sel("beq")
      .mul(eq)
      .add(sel("bne").mul(neq))
      .add(sel("blez").mul(sx.add(eq)))
      .add(sel("bgtz").mul(isReal.sub(sx).sub(eq)))
      .add(sel("bltz").mul(sx))
      .add(sel("bgez").mul(isReal.sub(sx)));
    cx.zero("taken", taken.sub(t));
    const imm = cx.cs("imm", 4);
    const dv = cx.cs("D_v", 4);
    for (let i = 0; i < 4; i++) cx.zero(`link byte ${i}`, dv[i].sub(imm[i]));
  }
  fill(w: Witness, row: number, s: Step, env: FillEnv): number {
    const sel = BRANCH_SEL.find(([, op]) => op === s.dec.op)!;
    fillBase(w, row, s, sel[0], env);
    const x = fillAccess(w, row, "A", env.mem, env.lk, s.dec.a, s.clk, undefined, false);
    const y = fillAccess(w, row, "B", env.mem, env.lk, s.dec.b, s.clk + 1, undefined, false);
    fillAccess(w, row, "D", env.mem, env.lk, s.dec.d, s.clk + 3, s.dec.imm, true);
    const xb = bytesOf(x);
    const yb = bytesOf(y);
    let S = 0;
    for (let i = 0; i < 4; i++) S += (xb[i] - yb[i]) ** 2;
    w.set("neq", row, S === 0 ? 0 : 1);
    w.set("inv", row, S === 0 ? 0 : finv(S % P));
    const sx = xb[3] >> 7;
    w.set("sx", row, sx);
    env.lk.byteOp(ByteOp.MSB, xb[3]);
    const xs = x | 0;
    const taken = [x === y, x !== y, xs <= 0, xs > 0, xs < 0, xs >= 0][s.dec.op % 6];
    w.set("taken", row, taken ? 1 : 0);
    if (s.dec.op >= 6 && !taken) {
      s.nextPcOverride = s.npc + 4;
      return s.npc + 8;
    }
    return taken ? s.dec.target : s.npc + 4;
  }
}

export class JumpChip implements InstrChip {
  readonly name = "Jump";
  readonly family = Family.Jump;
  readonly clkStep = CLK_STEP;
  readonly layout = baseLayout(["is_j", "is_jr"]);
  constructor() {
    accessColumns(this.layout, "A", false);
    accessColumns(this.layout, "D", true);
  }
  define(cx: ChipCtx): void {
    const x = cx.cs("A_v", 4);
    const xWord = x[0]
      .add(x[1].mul(256))
      .add(x[2].mul(65536))
      .add(x[3].mul(1 << 24));
    baseConstraints(
      cx,
      this.family,
      [
        ["is_j", JumpOp.j],
        ["is_jr", JumpOp.jr],
      ],
      cx
        .c("is_jr")
        .mul(xWord)
        .add(cx.c("is_j").mul(cx.c("target"))),
      this.clkStep,
    );
    const isReal = cx.c("is_real");
    accessConstraints(cx, "A", cx.c("a"), cx.c("clk"), isReal, false);
    accessConstraints(cx, "D", cx.c("d"), cx.c("clk").add(3), isReal, true);
    // A register target is a pc below 0x7F000000 < p, so its field value is the address itself.
    cx.u8(constant(0x7e).sub(x[3]), isReal);
    const imm = cx.cs("imm", 4);
    const dv = cx.cs("D_v", 4);
    for (let i = 0; i < 4; i++) cx.zero(`link byte ${i}`, dv[i].sub(imm[i]));
  }
  fill(w: Witness, row: number, s: Step, env: FillEnv): number {
    const jr = s.dec.op === JumpOp.jr;
    fillBase(w, row, s, jr ? "is_jr" : "is_j", env);
    const x = fillAccess(w, row, "A", env.mem, env.lk, s.dec.a, s.clk, undefined, false);
    fillAccess(w, row, "D", env.mem, env.lk, s.dec.d, s.clk + 3, s.dec.imm, true);
    const x3 = x >>> 24;
    if (x3 > 0x7e) throw new Error(`jump to 0x${x.toString(16)} outside the address range`);
    env.lk.u8(0x7e - x3);
    return jr ? x : s.dec.target;
  }
}
