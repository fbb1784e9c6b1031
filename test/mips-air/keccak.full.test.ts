/**
 * [full] The wrap circuit generator on the AIR with the Keccak tables: its constraints come from the
 * same expressions, so emitting the statement circuit (compile mode: rows only, no proof) covers the
 * new tables' constraints, LogUp interactions and ~2,657 more opened columns. ~20 s unloaded, 1.1 GB.
 */
import { expect } from "chai";
import { describeFull } from "../support/full.ts";
import type { ProofOptions } from "../../src/stark/options.ts";
import { buildMachine } from "../../src/mips/air/machine.ts";
import { Builder } from "../../src/wrap/r1cs/builder.ts";
import { emitWrapStatement, mipsLayout } from "../../src/wrap/statement.ts";

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
    // 2,657 more opened columns (DEEP claims, canonical checks) and the tables' OOD constraints
    expect(full - lean).to.be.greaterThan(1_000_000);
  });
});
