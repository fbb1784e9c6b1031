/**
 * The part every instruction chip shares (there is no separate CPU table): one row per executed
 * instruction with the machine state (clk, pc, nextPc) received on the STATE bus and the successor
 * (clk + step, nextPc, nextNextPc) sent back, the instruction fetched from the program ROM with the
 * chip's family hard-coded in the tuple (so a chip can only execute instructions the ROM decodes
 * for it), and the ROM fields a/b/d (register keys), imm (4 bytes) and target as columns.
 *
 * Padding rows are all zero: `is_real` = 0 turns every interaction off and every selector must sum
 * to `is_real`, so a padding row can neither fetch, access memory nor move the state.
 */
import { type Expr, type ExprLike, constant } from "../../stark/expr.ts";
import { Bus } from "./buses.ts";
import type { Decoded, Family } from "./decode.ts";
import {
  type ChipCtx,
  Layout,
  type LookupCounts,
  type MemoryTimeline,
  type Witness,
  bytesOf,
} from "./gadgets.ts";

/** One executed instruction as the witness generator sees it. */
export interface Step {
  clk: number;
  pc: number;
  npc: number;
  /** The pc after npc, as the executor's trace says (checked against what the chip computes). */
  nnpc: number;
  word: number;
  dec: Decoded;
  /** Set by a chip whose successor pc is not npc (a not-taken branch-likely skips its delay slot). */
  nextPcOverride?: number;
  /** Syscall result registers as the executor set them (v0, a3), for the syscall chip. */
  sys?: { v0: number; a3: number };
}

export interface FillEnv {
  mem: MemoryTimeline;
  lk: LookupCounts;
  /** Public values written so far (fd 3). */
  pv: number[];
  /** True for word keys inside executable segments (the ROM is immutable: stores there are refused). */
  isCode: (key: number) => boolean;
}

export interface InstrChip {
  readonly name: string;
  readonly family: Family;
  readonly layout: Layout;
  /** Clock ticks consumed per row. */
  readonly clkStep: number;
  define(cx: ChipCtx): void;
  /**
   * Several chips may execute one family (e.g. Syscall and SysMisc): the witness generator gives a
   * step to the first chip of its family whose `handles` returns true, else to the one without it.
   */
  handles?(env: FillEnv): boolean;
  /** Fills row `row` for step `s`; returns the next-next pc the chip computed. */
  fill(w: Witness, row: number, s: Step, env: FillEnv): number;
}

/** Columns every instruction chip starts with. */
export function baseLayout(opSelectors: readonly string[]): Layout {
  const L = new Layout();
  for (const n of ["is_real", "clk", "pc", "npc", "a", "b", "d", "target"]) L.add(n);
  L.addN("imm", 4);
  for (const s of opSelectors) L.add(s);
  return L;
}

/**
 * Base constraints. `ops` maps selector column names to their op index in the ROM; the selectors are
 * boolean and sum to is_real. `nnpc` is the successor's nextPc; `clkNext` the successor's clock (a
 * number means clk + number); `stateOut` the multiplicity of the successor state (is_real unless the
 * instruction halts).
 */
export function baseConstraints(
  cx: ChipCtx,
  family: Family,
  ops: readonly (readonly [string, number])[],
  nnpc: ExprLike,
  clkNext: number | Expr,
  stateOut?: Expr,
  outPc?: Expr,
): void {
  const isReal = cx.c("is_real");
  cx.bool("is_real", isReal);
  let selSum: Expr = constant(0);
  let op: Expr = constant(0);
  for (const [name, code] of ops) {
    cx.bool(name, cx.c(name));
    selSum = selSum.add(cx.c(name));
    op = op.add(cx.c(name).mul(code));
  }
  cx.zero("op selectors sum to is_real", selSum.sub(isReal));
  const clk = cx.c("clk");
  cx.t.receive(Bus.STATE, [clk, cx.c("pc"), cx.c("npc")], isReal);
  cx.t.send(
    Bus.STATE,
    [typeof clkNext === "number" ? clk.add(clkNext) : clkNext, outPc ?? cx.c("npc"), nnpc],
    stateOut ?? isReal,
  );
  cx.t.send(
    Bus.PROGRAM,
    [cx.c("pc"), family, op, cx.c("a"), cx.c("b"), cx.c("d"), ...cx.cs("imm", 4), cx.c("target")],
    isReal,
  );
}

export function fillBase(w: Witness, row: number, s: Step, opSelector: string, env: FillEnv): void {
  w.set("is_real", row, 1);
  w.set("clk", row, s.clk);
  w.set("pc", row, s.pc);
  w.set("npc", row, s.npc);
  w.set("a", row, s.dec.a);
  w.set("b", row, s.dec.b);
  w.set("d", row, s.dec.d);
  w.set("target", row, s.dec.target);
  w.setN("imm", row, bytesOf(s.dec.imm));
  w.set(opSelector, row, 1);
  env.lk.fetch(s.pc);
}
