/**
 * [full] The wrap circuit generator on the AIR with the Keccak tables: its constraints come from the
 * same expressions. Compile mode counts the rows the new tables add; "both" mode checks that the
 * circuit accepts a real MIPS proof of a keccakf call (insecure 2-query options: ~3.4M rows, ~1 min,
 * 1.2 GB) and rejects it with one Keccak column's out-of-domain opening changed.
 */
import { expect } from "chai";
import { describeFull } from "../support/full.ts";
import type { ProofOptions } from "../../src/stark/options.ts";
import { buildMachine } from "../../src/mips/air/machine.ts";
import { Builder } from "../../src/wrap/r1cs/builder.ts";
import { emitWrapStatement, mipsLayout, type StatementWitness } from "../../src/wrap/statement.ts";
import { randomBytes } from "node:crypto";
import { mipsWrapInput } from "../../src/wrap/mips.ts";
import { mipsSetup, proveMips } from "../../src/mips/air/prove.ts";
import { programImage } from "../../src/mips/air/program.ts";
import { summaryFromTrace } from "../../src/mips/air/from-trace.ts";
import { execute } from "../../src/mips/index.ts";
import { SYS_KECCAKF } from "../../src/mips/syscalls.ts";
import { P } from "../../src/field/koalabear.ts";
import type { Ext } from "../../src/field/ext4.ts";
import { DATA, asm, li, program } from "../mips/asm.ts";

describeFull("MIPS AIR keccak-f precompile: wrap circuit", function () {
  this.timeout(600_000);
  it("the wrap circuit emits the Keccak tables' constraints (compile mode, 2 queries, small heights)", () => {
    const options: ProofOptions = {
      logBlowup: 2,
      numQueries: 2,
      grindingBits: 0,
      logFoldingArity: 2,
      logFinalPolyLen: 1,
    };
    const placeholder = { entry: 0, words: new Map<number, number>(), code: [], brkStart: 0 };
    const count = (keccak: boolean): number => {
      const air = buildMachine(placeholder, 1 << 8, { keccak }).air;
      const heights = air.tables.map((t) => t.fixedLogHeight ?? 5);
      const b = new Builder({ mode: "compile" });
      emitWrapStatement(b, air, options, heights, mipsLayout);
      return b.nConstraints;
    };
    const lean = count(false);
    const full = count(true);
    // 515 more main columns (+ LogUp and quotient columns: DEEP claims, canonical checks) and the
    // tables' OOD constraints
    expect(full - lean).to.be.greaterThan(100_000);
  });

  it("the wrap circuit accepts a real proof of a keccakf call and rejects a changed Keccak opening", async () => {
    const options: ProofOptions = {
      logBlowup: 2,
      numQueries: 2,
      grindingBits: 0,
      logFoldingArity: 2,
      logFinalPolyLen: 1,
    };
    // keccakf(DATA), write(3, DATA, 8), exit_group(0)
    const code = [
      ...li(4, DATA),
      ...li(2, SYS_KECCAKF),
      asm.syscall(),
      ...li(4, 3),
      ...li(5, DATA),
      ...li(6, 8),
      ...li(2, 4004),
      asm.syscall(),
      ...li(4, 0),
      ...li(2, 4246),
      asm.syscall(),
    ];
    const prog = program(code, { data: new Uint8Array(randomBytes(200)) });
    const prover = await mipsSetup(programImage(prog), options);
    const proof = await proveMips(prover, summaryFromTrace(execute(prog, { trace: true }).trace!));
    const { shape, witness } = await mipsWrapInput(proof.file, prover.pk.vkey, options);
    const k = shape.air.tables.findIndex((t) => t.name === "Keccak");
    expect(k).to.be.at.least(0);
    const check = (wit: StatementWitness) => {
      const b = new Builder({ mode: "both" });
      emitWrapStatement(b, shape.air, shape.options, shape.logHeights, shape.layout, wit);
      return b.check(b.witness()).ok;
    };
    expect(check(witness)).to.equal(true);
    const o = witness.proof.openings;
    const at = o[k].main[0];
    const bumped: Ext = [(at[100][0] + 1) % P, at[100][1], at[100][2], at[100][3]];
    const openings = o.map((t, i) =>
      i === k
        ? { ...t, main: [[...at.slice(0, 100), bumped, ...at.slice(101)], [...t.main[1]]] as [Ext[], Ext[]] }
        : t,
    );
    expect(check({ ...witness, proof: { ...witness.proof, openings } })).to.equal(false);
  });
});
