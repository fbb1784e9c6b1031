/**
 * The compiled tracing path (jit-trace.ts) records exactly the trace of the reference path (one
 * interpreter step per row): every column of every row, the syscall accesses, the images and the
 * outputs, on every guest ELF in guests/ (blocks compiled on first entry, so nearly every row of
 * a guest goes through compiled code), on self-modifying code and at a cycle limit inside a block.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { loadElf, type ExecutionTrace, type MipsProgram } from "../../src/mips/index.ts";
import { createMachine } from "../../src/mips/execute.ts";
import { TraceRecorder } from "../../src/mips/trace.ts";
import { TEXT, asm, exit, li, program } from "./asm.ts";

const guestsDir = new URL("../../guests/", import.meta.url).pathname;

function elfs(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...elfs(p));
    else if (e.name.endsWith(".elf")) out.push(p);
  }
  return out.sort();
}

type Outcome =
  { trace: ExecutionTrace; halted: boolean; cycles: number } | { error: string; cycles: number; pc: number };

function record(
  p: MipsProgram,
  input: Uint8Array,
  hints: Uint8Array,
  limit: number,
  reference: boolean,
): Outcome {
  const { cpu, sys } = createMachine(p, { input, hints, stdout: () => {}, stderr: () => {} });
  const rec = new TraceRecorder(cpu, sys, { reference, compileAfter: 1, useAfter: 0 });
  try {
    const halted = rec.run(limit);
    const trace = rec.finish(input.subarray(0, sys.inputPos), hints.subarray(0, sys.hintsPos), p.entry);
    return { trace, halted, cycles: cpu.cycles };
  } catch (e) {
    return { error: (e as Error).message, cycles: cpu.cycles, pc: cpu.pc };
  }
}

/** Every column of `b` equals `a`'s; names the first differing column and row. */
function expectSameTrace(a: ExecutionTrace, b: ExecutionTrace): void {
  expect(b.rows, "rows").to.equal(a.rows);
  const cols: [string, ArrayLike<number>, ArrayLike<number>][] = [
    ["clk", a.clk, b.clk],
    ["pc", a.pc, b.pc],
    ["nextPc", a.nextPc, b.nextPc],
    ["nextNextPc", a.nextNextPc, b.nextNextPc],
    ["instruction", a.instruction, b.instruction],
    ["accessFlags", a.accessFlags, b.accessFlags],
  ];
  for (let s = 0; s < 5; s++) {
    for (const f of ["addr", "value", "prevValue", "prevClk"] as const) {
      cols.push([`slots[${s}].${f}`, a.slots[s][f], b.slots[s][f]]);
    }
  }
  for (const f of ["row", "addr", "value", "prevValue", "prevClk", "write"] as const) {
    cols.push([`extra.${f}`, a.extra[f], b.extra[f]]);
  }
  cols.push(
    ["initialImage.addr", a.initialImage.addr, b.initialImage.addr],
    ["initialImage.value", a.initialImage.value, b.initialImage.value],
    ["finalImage.addr", a.finalImage.addr, b.finalImage.addr],
    ["finalImage.value", a.finalImage.value, b.finalImage.value],
    ["finalImage.lastClk", a.finalImage.lastClk, b.finalImage.lastClk],
    ["input", a.input, b.input],
    ["hints", a.hints, b.hints],
    ["publicValues", a.publicValues, b.publicValues],
  );
  for (const [name, x, y] of cols) {
    expect(y.length, `${name}.length`).to.equal(x.length);
    for (let i = 0; i < x.length; i++) {
      if (x[i] !== y[i]) {
        const where =
          i < a.rows ? ` (pc 0x${a.pc[i].toString(16)}, instruction 0x${a.instruction[i].toString(16)})` : "";
        expect.fail(`${name}[${i}]${where}: compiled ${y[i]}, reference ${x[i]}`);
      }
    }
  }
  expect(b.entry).to.equal(a.entry);
  expect(b.exitCode).to.equal(a.exitCode);
}

function expectSameOutcome(ref: Outcome, fast: Outcome): void {
  if ("error" in ref) {
    expect(fast, "both paths fault").to.have.property("error");
    expect(fast).to.deep.equal(ref);
    return;
  }
  expect(fast, ref.halted ? "the compiled path halts too" : "").to.not.have.property("error");
  const f = fast as Exclude<Outcome, { error: string }>;
  expect([f.halted, f.cycles]).to.deep.equal([ref.halted, ref.cycles]);
  expectSameTrace(ref.trace, f.trace);
}

/** Inputs for guests that expect particular ones; others read "zkmips trace" (or nothing). */
const INPUTS: Record<string, [Uint8Array, Uint8Array?]> = {
  bigloop: [Uint8Array.of(0x10, 0x27, 0, 0)],
  fibonacci: [Uint8Array.of(30, 0, 0, 0)],
  isqrt: [Uint8Array.of(100, 0, 0, 0, 0, 0, 0, 0), Uint8Array.of(10, 0, 0, 0)],
  keccakf: [Uint8Array.of(20, 0, 0, 0)],
};
const LIMIT = 1_500_000;

describe("MIPS tracing: compiled path == reference path", function () {
  this.timeout(120_000);
  for (const path of elfs(guestsDir)) {
    const rel = path.slice(guestsDir.length);
    it(`${rel}: the same trace, column by column`, () => {
      const p = loadElf(readFileSync(path));
      const [input, hints] = INPUTS[rel.split("/")[0]] ?? [new TextEncoder().encode("zkmips trace\n")];
      const h = hints ?? new Uint8Array(0);
      expectSameOutcome(record(p, input, h, LIMIT, true), record(p, input, h, LIMIT, false));
    });
  }

  it("a store into the text inside a compiled block: the next instruction runs (and is traced) re-decoded", () => {
    // t0 = encoding of `addiu t1, zero, 7`; store it over the `addiu t1, zero, 1` two instructions on
    const target = TEXT + 4 * 6;
    const words = [
      ...li(8, asm.addiu(9, 0, 7)), // 2 words
      ...li(10, target), // 2 words
      asm.sw(8, 0, 10),
      asm.addiu(11, 0, 3),
      asm.addiu(9, 0, 1), // overwritten before it runs
      asm.addu(4, 9, 11),
      ...exit(0),
    ];
    const p = program(words);
    const none = new Uint8Array(0);
    const ref = record(p, none, none, 1000, true);
    const fast = record(p, none, none, 1000, false);
    expectSameOutcome(ref, fast);
    const t = (fast as { trace: ExecutionTrace }).trace;
    expect(t.instruction[6]).to.equal(asm.addiu(9, 0, 7));
    expect(t.slots[2].value[7], "a0 = 7 + 3").to.equal(10);
  });

  it("stops at cycle limits inside compiled blocks at the same rows and continues identically (columns grow)", () => {
    const p = loadElf(readFileSync(join(guestsDir, "sha256/sha256.elf")));
    const input = new TextEncoder().encode("abc".repeat(400));
    const none = new Uint8Array(0);
    const traces = [true, false].map((reference) => {
      const { cpu, sys } = createMachine(p, { input, hints: none, stdout: () => {}, stderr: () => {} });
      const rec = new TraceRecorder(cpu, sys, { reference, compileAfter: 2, useAfter: 3 });
      const stops: number[] = [];
      // the first limit sizes the columns (4096 rows); later ones make them grow
      for (const limit of [1, 37, 5001, 12345, 60000, Number.MAX_SAFE_INTEGER]) {
        const halted = rec.run(limit);
        stops.push(cpu.cycles);
        if (halted) break;
      }
      return { stops, trace: rec.finish(input.subarray(0, sys.inputPos), none, p.entry) };
    });
    expect(traces[1].stops).to.deep.equal(traces[0].stops);
    expect(traces[0].stops.slice(0, 5)).to.deep.equal([1, 37, 5001, 12345, 60000]);
    expect(traces[0].trace.rows).to.be.greaterThan(60000);
    expectSameTrace(traces[0].trace, traces[1].trace);
  });
});
