import { expect } from "chai";
import { decodeProof, prove, setup, verify } from "../../src/stark/index.ts";
import { emitFriChecks } from "../../src/wrap/circuit/fri.ts";
import { emitOodCheck } from "../../src/wrap/circuit/ood-check.ts";
import { emitQueryPhase } from "../../src/wrap/circuit/queries.ts";
import { Builder } from "../../src/wrap/r1cs/builder.ts";
import { KoalaBear } from "../../src/wrap/r1cs/gadgets/koalabear.ts";
import { TEST_OPTIONS, fibonacci, multiset, rangeLookup } from "../stark/airs.ts";
import { terminateCurves } from "./r1cs-helpers.ts";

import type { StarkProof } from "../../src/stark/proof.ts";
import { P } from "../../src/field/koalabear.ts";
import type { Instance } from "../stark/airs.ts";

function emitAll(b: Builder, inst: Instance, vkey: bigint, proof: StarkProof, merkle = true): number {
  const vk = b.publicInput(vkey);
  const pubs = inst.publicInputs.map((v) => b.publicInput(BigInt(v)));
  const f = new KoalaBear(b);
  const inp = { logHeights: proof.logHeights, proof };
  const ood = emitOodCheck(
    b,
    inst.air,
    TEST_OPTIONS,
    vk,
    pubs.map((w) => f.canonical(w)),
    inp,
  );
  const qp = emitQueryPhase(b, inst.air, TEST_OPTIONS, vk, ood, inp, merkle);
  const before = b.nConstraints;
  emitFriChecks(b, inst.air, TEST_OPTIONS, ood, qp, proof.logHeights);
  return before;
}

const bump = (v: number): number => (v + 1) % P;

describe("circuit: DEEP and FRI fold checks, isolated (Merkle rows omitted)", () => {
  after(terminateCurves);
  let inst: Instance;
  let vkey: bigint;
  let proof: StarkProof;
  before(async () => {
    inst = fibonacci();
    const pk = await setup(inst.air, TEST_OPTIONS);
    const { bytes } = await prove(pk, inst.traces, inst.publicInputs, { selfCheck: true });
    vkey = pk.vkey;
    proof = decodeProof(inst.air, TEST_OPTIONS, bytes).proof;
  });

  it("without Merkle rows the honest proof still satisfies every DEEP/FRI row", () => {
    const b = new Builder({ mode: "both" });
    emitAll(b, inst, vkey, proof, false);
    expect(b.check(b.witness()).ok).to.equal(true);
  });

  it("rejects a changed main-trace value at a query in the DEEP/first-fold check", () => {
    const q = proof.queries[1];
    const rounds = q.rounds.map((rd, k) =>
      k === 0 ? { ...rd, rows: rd.rows.map((r) => r.map((v, c) => (c === 1 ? bump(v) : v))) } : rd,
    );
    const forged = { ...proof, queries: proof.queries.map((qq, i) => (i === 1 ? { ...qq, rounds } : qq)) };
    const b = new Builder({ mode: "both" });
    emitAll(b, inst, vkey, forged, false);
    const res = b.check(b.witness());
    expect(res.ok).to.equal(false);
    expect(res.failed?.label).to.contain("query1/deep/fri-fold0");
  });

  it("rejects a changed FRI layer value in a later round's fold check or the final check", () => {
    const q = proof.queries[3];
    const last = q.fri.length - 1;
    const fri = q.fri.map((op, r) =>
      r === last ? { ...op, rows: op.rows.map((row) => row.map((v) => bump(v))) } : op,
    );
    const forged = { ...proof, queries: proof.queries.map((qq, i) => (i === 3 ? { ...qq, fri } : qq)) };
    const b = new Builder({ mode: "both" });
    emitAll(b, inst, vkey, forged, false);
    const res = b.check(b.witness());
    expect(res.ok).to.equal(false);
    expect(res.failed?.label).to.match(/query3\/deep\/(fri-fold|fri-final)/);
  });
});

describe("circuit: DEEP of a shorter table (rolled into a later FRI round), isolated", () => {
  after(terminateCurves);

  it("rejects a changed value of the shorter table at a query in the roll-in check of a later round", async () => {
    const inst = multiset();
    const pk = await setup(inst.air, TEST_OPTIONS);
    const { bytes } = await prove(pk, inst.traces, inst.publicInputs, { selfCheck: true });
    const proof = decodeProof(inst.air, TEST_OPTIONS, bytes).proof;
    const [h0, h1] = proof.logHeights;
    expect(h0).to.not.equal(h1);
    const shorter = h0 < h1 ? 0 : 1;
    const q = proof.queries[2];
    const rounds = q.rounds.map((rd, k) =>
      k === 0
        ? {
            ...rd,
            rows: rd.rows.map((r, ti) => (ti === shorter ? r.map((v, c) => (c === 0 ? bump(v) : v)) : r)),
          }
        : rd,
    );
    const forged = { ...proof, queries: proof.queries.map((qq, i) => (i === 2 ? { ...qq, rounds } : qq)) };
    const honest = new Builder({ mode: "both" });
    emitAll(honest, inst, pk.vkey, proof, false);
    expect(honest.check(honest.witness()).ok).to.equal(true);
    const b = new Builder({ mode: "both" });
    emitAll(b, inst, pk.vkey, forged, false);
    const res = b.check(b.witness());
    expect(res.ok).to.equal(false);
    // not the first fold (that checks the tallest height only): a later round or the final check
    expect(res.failed?.label).to.match(/query2\/deep\/(fri-fold[1-9]|fri-final)/);
  });
});

describe("circuit: DEEP and FRI fold checks on real proofs", () => {
  after(terminateCurves);
  for (const [name, make] of [
    ["fibonacci", () => fibonacci()],
    ["rangeLookup", () => rangeLookup()],
    ["multiset", () => multiset()],
  ] as const) {
    it(`${name}: the whole emitted verifier is satisfied by the proof the TS verifier accepts`, async () => {
      const inst = make();
      const pk = await setup(inst.air, TEST_OPTIONS);
      const { bytes } = await prove(pk, inst.traces, inst.publicInputs, { selfCheck: true });
      verify(inst.air, pk.vkey, inst.publicInputs, bytes, TEST_OPTIONS);
      const proof = decodeProof(inst.air, TEST_OPTIONS, bytes).proof;
      const b = new Builder({ mode: "both" });
      const vk = b.publicInput(pk.vkey);
      const pubs = inst.publicInputs.map((v) => b.publicInput(BigInt(v)));
      const f = new KoalaBear(b);
      const inp = { logHeights: proof.logHeights, proof };
      const ood = emitOodCheck(
        b,
        inst.air,
        TEST_OPTIONS,
        vk,
        pubs.map((w) => f.canonical(w)),
        inp,
      );
      const qp = emitQueryPhase(b, inst.air, TEST_OPTIONS, vk, ood, inp);
      const before = b.nConstraints;
      emitFriChecks(b, inst.air, TEST_OPTIONS, ood, qp, proof.logHeights);
      const res = b.check(b.witness());
      expect(res.ok, res.failed?.label).to.equal(true);
      console.log(`      ${name}: ${b.nConstraints} rows, of which DEEP/FRI ${b.nConstraints - before}`);
    });
  }
});
