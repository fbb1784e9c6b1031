import { expect } from "chai";
import type { Ext } from "../../src/field/ext4.ts";
import { P } from "../../src/field/koalabear.ts";
import { decodeProof, encodeProof, prove, setup, verify } from "../../src/stark/index.ts";
import { nextColumns } from "../../src/stark/next-columns.ts";
import { type StarkProof, openingLengths } from "../../src/stark/proof.ts";
import { emitFriChecks } from "../../src/wrap/circuit/fri.ts";
import { emitOodCheck } from "../../src/wrap/circuit/ood-check.ts";
import { emitQueryPhase } from "../../src/wrap/circuit/queries.ts";
import { emitStarkVerifier } from "../../src/wrap/circuit/stark-verifier.ts";
import { Builder } from "../../src/wrap/r1cs/builder.ts";
import { KoalaBear } from "../../src/wrap/r1cs/gadgets/koalabear.ts";
import { TEST_OPTIONS, type Instance, nextCounter, rangeLookup } from "../stark/airs.ts";
import { expectRejected } from "../stark/soundness.ts";
import { terminateCurves } from "./r1cs-helpers.ts";

const bump = (x: Ext): Ext => [(x[0] + 1) % P, x[1], x[2], x[3]];

interface Proven {
  inst: Instance;
  vkey: bigint;
  proof: StarkProof;
}

function emit(pr: Proven, proof: StarkProof | undefined, mode: "both" | "compile"): Builder {
  const b = new Builder({ mode });
  const w = proof ? { vkey: pr.vkey, publicInputs: pr.inst.publicInputs, proof } : undefined;
  emitStarkVerifier(b, pr.inst.air, TEST_OPTIONS, pr.proof.logHeights, w);
  return b;
}

/** The forged proof is rejected by the TS verifier (ood-constraints) and by the circuit's rows. */
function expectBothReject(pr: Proven, forged: StarkProof, table: string): void {
  const bytes = encodeProof(pr.inst.air, forged);
  expectRejected(
    () => verify(pr.inst.air, pr.vkey, pr.inst.publicInputs, bytes, TEST_OPTIONS),
    ["ood-constraints"],
  );
  const b = emit(pr, forged, "both");
  const res = b.check(b.witness());
  expect(res.ok).to.equal(false);
  expect(res.failed?.label).to.contain(`ood.table.${table}`);
}

describe("circuit: zeta*omega openings of the next-row columns only (proof format v2)", () => {
  after(terminateCurves);
  const proven = new Map<string, Proven>();
  before(async () => {
    for (const inst of [nextCounter(), rangeLookup()]) {
      const pk = await setup(inst.air, TEST_OPTIONS);
      const { bytes } = await prove(pk, inst.traces, inst.publicInputs);
      verify(inst.air, pk.vkey, inst.publicInputs, bytes, TEST_OPTIONS);
      proven.set(inst.air.name, {
        inst,
        vkey: pk.vkey,
        proof: decodeProof(inst.air, TEST_OPTIONS, bytes).proof,
      });
    }
  });

  it("the whole emitted verifier accepts the honest proofs (next-row subsets of pre, main and aux); compile mode has the same shape", () => {
    for (const pr of proven.values()) {
      const b = emit(pr, pr.proof, "both");
      const res = b.check(b.witness());
      expect(res.ok, res.failed?.label).to.equal(true);
      const c = emit(pr, undefined, "compile");
      expect(c.nConstraints).to.equal(b.nConstraints);
      expect(c.nWires).to.equal(b.nWires);
    }
  });

  it("rejects a changed zeta*omega opening of a main and of a preprocessed next-row column", () => {
    const pr = proven.get("next-counter")!;
    const t = pr.inst.air.tables[0];
    expect(nextColumns(t).main).to.deep.equal([0]);
    const op = pr.proof.openings[0];
    expectBothReject(
      pr,
      { ...pr.proof, openings: [{ ...op, main: [op.main[0], [bump(op.main[1][0])]] }] },
      "counter",
    );
    expectBothReject(
      pr,
      { ...pr.proof, openings: [{ ...op, pre: [op.pre[0], [bump(op.pre[1][0])]] }] },
      "counter",
    );
  });

  it("rejects a changed zeta*omega opening of the LogUp running sum", () => {
    const pr = proven.get("range-lookup")!;
    const op = pr.proof.openings[1];
    expect(op.aux[1]).to.have.length(4);
    const forged: StarkProof = {
      ...pr.proof,
      openings: [
        pr.proof.openings[0],
        { ...op, aux: [op.aux[0], [op.aux[1][0], bump(op.aux[1][1]), ...op.aux[1].slice(2)]] },
      ],
    };
    expectBothReject(pr, forged, "values");
  });

  it("witnesses exactly the values the proof carries: the OOD range checks cover sum(openingLengths) + cumulative sums + final polynomial", () => {
    const one = new Builder({ mode: "compile" });
    new KoalaBear(one).committed31(one.privateInput(undefined));
    const perValue = one.nConstraints;
    for (const pr of proven.values()) {
      const { air } = pr.inst;
      const b = emit(pr, undefined, "compile");
      let rows = 0;
      for (let i = 0; i < b.nConstraints; i++) if (b.rowLabel(i).startsWith("kb.committed31")) rows++;
      let values = air.tables.filter((t) => t.auxWidth > 0).length + pr.proof.finalPoly.length;
      air.tables.forEach((_, i) => (values += openingLengths(air, i).reduce((a, c) => a + c, 0)));
      expect(rows).to.equal(4 * perValue * values);
      // Fewer than one value per column and point: the columns not read at next have no z·w value.
      const everyColumn = air.tables.reduce(
        (a, t) => a + 2 * (t.preWidth + t.mainWidth + 4 * t.auxWidth) + 4 * t.quotientChunks,
        0,
      );
      const opened = air.tables.reduce((a, _, i) => a + openingLengths(air, i).reduce((x, y) => x + y, 0), 0);
      expect(opened).to.be.below(everyColumn);
    }
  });

  it("with Merkle rows omitted, a changed query value of a next-row or other column fails the DEEP/first-fold check", () => {
    const pr = proven.get("next-counter")!;
    const main = 1; // round trees: pre, main, quot
    for (const col of [0, 1]) {
      const q = pr.proof.queries[2];
      const rounds = q.rounds.map((rd, k) =>
        k === main ? { ...rd, rows: rd.rows.map((r) => r.map((v, c) => (c === col ? (v + 1) % P : v))) } : rd,
      );
      const forged = {
        ...pr.proof,
        queries: pr.proof.queries.map((qq, i) => (i === 2 ? { ...qq, rounds } : qq)),
      };
      const b = new Builder({ mode: "both" });
      const vk = b.publicInput(pr.vkey);
      const f = new KoalaBear(b);
      const pubs = pr.inst.publicInputs.map((v) => f.canonical(b.publicInput(BigInt(v))));
      const inp = { logHeights: forged.logHeights, proof: forged };
      const ood = emitOodCheck(b, pr.inst.air, TEST_OPTIONS, vk, pubs, inp);
      const qp = emitQueryPhase(b, pr.inst.air, TEST_OPTIONS, vk, ood, inp, false);
      emitFriChecks(b, pr.inst.air, TEST_OPTIONS, ood, qp, forged.logHeights);
      const res = b.check(b.witness());
      expect(res.ok, `column ${col}`).to.equal(false);
      expect(res.failed?.label).to.contain("query2/deep/fri-fold0");
    }
  });
});
