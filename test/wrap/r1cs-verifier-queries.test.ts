import { expect } from "chai";
import { P } from "../../src/field/koalabear.ts";
import { decodeProof, encodeProof, prove, setup, verify } from "../../src/stark/index.ts";
import type { StarkProof } from "../../src/stark/proof.ts";
import { emitOodCheck } from "../../src/wrap/circuit/ood-check.ts";
import { emitQueryPhase } from "../../src/wrap/circuit/queries.ts";
import { Builder } from "../../src/wrap/r1cs/builder.ts";
import { R } from "../../src/wrap/r1cs/field.ts";
import { KoalaBear } from "../../src/wrap/r1cs/gadgets/koalabear.ts";
import { TEST_OPTIONS, type Instance, fibonacci, multiset, rangeLookup } from "../stark/airs.ts";
import { snarkjsAccepts, terminateCurves } from "./r1cs-helpers.ts";

interface Proven {
  inst: Instance;
  vkey: bigint;
  proof: StarkProof;
}

async function proveInstance(inst: Instance): Promise<Proven> {
  const pk = await setup(inst.air, TEST_OPTIONS);
  const { bytes } = await prove(pk, inst.traces, inst.publicInputs, { selfCheck: true });
  verify(inst.air, pk.vkey, inst.publicInputs, bytes, TEST_OPTIONS);
  return { inst, vkey: pk.vkey, proof: decodeProof(inst.air, TEST_OPTIONS, bytes).proof };
}

function circuit(b: Builder, pr: Proven, proof: StarkProof): void {
  const vk = b.publicInput(pr.vkey);
  const pubWires = pr.inst.publicInputs.map((v) => b.publicInput(BigInt(v)));
  const f = new KoalaBear(b);
  const inp = { logHeights: proof.logHeights, proof };
  const ood = emitOodCheck(
    b,
    pr.inst.air,
    TEST_OPTIONS,
    vk,
    pubWires.map((w) => f.canonical(w)),
    inp,
  );
  emitQueryPhase(b, pr.inst.air, TEST_OPTIONS, vk, ood, inp);
}

/** Asserts: the TS verifier rejects `forged` naming `check`, and the circuit is unsatisfied at `label`. */
async function bothReject(pr: Proven, forged: StarkProof, check: RegExp, label: string): Promise<void> {
  expect(() =>
    verify(pr.inst.air, pr.vkey, pr.inst.publicInputs, encodeProof(pr.inst.air, forged), TEST_OPTIONS),
  ).to.throw(check);
  const b = new Builder({ mode: "both" });
  circuit(b, pr, forged);
  const res = b.check(b.witness());
  expect(res.ok).to.equal(false);
  expect(res.failed?.label).to.contain(label);
}

describe("circuit: transcript to query indices and the Merkle openings of every query", () => {
  after(terminateCurves);

  for (const [name, make] of [
    ["fibonacci", () => fibonacci()],
    ["rangeLookup", () => rangeLookup()],
    ["multiset", () => multiset()],
  ] as const) {
    describe(name, () => {
      let pr: Proven;
      before(async () => {
        pr = await proveInstance(make());
      });

      it("is satisfied by the proof the TS verifier accepts; compile mode has the same shape", async () => {
        const b = new Builder({ mode: "both" });
        circuit(b, pr, pr.proof);
        const res = b.check(b.witness());
        expect(res.ok, res.failed?.label).to.equal(true);
        const c = new Builder({ mode: "compile" });
        const shapeOnly = (bb: Builder) => {
          const vk = bb.publicInput();
          const pubs = pr.inst.publicInputs.map(() => bb.publicInput());
          const f = new KoalaBear(bb);
          const inp = { logHeights: pr.proof.logHeights };
          const ood = emitOodCheck(
            bb,
            pr.inst.air,
            TEST_OPTIONS,
            vk,
            pubs.map((w) => f.canonical(w)),
            inp,
          );
          emitQueryPhase(bb, pr.inst.air, TEST_OPTIONS, vk, ood, inp);
        };
        shapeOnly(c);
        expect(c.nConstraints).to.equal(b.nConstraints);
        expect(c.nWires).to.equal(b.nWires);
        if (name === "fibonacci") expect(await snarkjsAccepts(b, b.witness())).to.equal(true);
        console.log(`      ${name}: ${b.nConstraints} rows (${TEST_OPTIONS.numQueries} queries)`);
      });

      it("rejects a changed main-trace value in a query opening (TS: merkle-main)", async () => {
        const q = pr.proof.queries[2];
        const k = pr.inst.air.tables.some((t) => t.preWidth > 0) ? 1 : 0; // main tree index
        const ti = pr.proof.queries[2].rounds[k].rows.findIndex((r) => r.length > 0);
        const rows = q.rounds[k].rows.map((r, i) =>
          i === ti ? r.map((v, c) => (c === 0 ? (v + 1) % P : v)) : r,
        );
        const rounds = q.rounds.map((rd, i) => (i === k ? { ...rd, rows } : rd));
        const forged = {
          ...pr.proof,
          queries: pr.proof.queries.map((qq, i) => (i === 2 ? { ...qq, rounds } : qq)),
        };
        await bothReject(pr, forged, /merkle-main/, "query2/merkle-main");
      });

      it("rejects a changed FRI layer sibling (TS: fri-merkle)", async () => {
        const q = pr.proof.queries[0];
        const fri = q.fri.map((op, r) =>
          r === 0 ? { ...op, path: op.path.map((x, l) => (l === 0 ? (x + 1n) % R : x)) } : op,
        );
        const forged = {
          ...pr.proof,
          queries: pr.proof.queries.map((qq, i) => (i === 0 ? { ...qq, fri } : qq)),
        };
        await bothReject(pr, forged, /fri-merkle/, "query0/fri-merkle0");
      });

      it("rejects a proof-of-work nonce that does not grind (TS: pow)", async () => {
        let nonce = pr.proof.powNonce + 1;
        // find a nonce the TS verifier rejects
        for (; ; nonce++) {
          try {
            verify(
              pr.inst.air,
              pr.vkey,
              pr.inst.publicInputs,
              encodeProof(pr.inst.air, { ...pr.proof, powNonce: nonce }),
              TEST_OPTIONS,
            );
          } catch (err) {
            if (/\(pow\)/.test((err as Error).message)) break;
          }
        }
        await bothReject(pr, { ...pr.proof, powNonce: nonce }, /\(pow\)/, "transcript.grind");
      });
    });
  }

  it("rejects an opened value + 2^31 with the next value − 1 (same packed Merkle leaf element, so only the 31-bit check catches it)", async () => {
    const pr = await proveInstance(multiset());
    const q = pr.proof.queries[1];
    const k = 0; // main tree (no preprocessed columns)
    const ti = q.rounds[k].rows.findIndex((r) => r.length >= 2 && r[1] > 0);
    expect(ti).to.be.at.least(0);
    // values 0 and 1 of the row share one packed element e = v0 + v1·2^31 + …
    const rows = q.rounds[k].rows.map((r, i) =>
      i === ti ? r.map((v, c) => (c === 0 ? v + 2 ** 31 : c === 1 ? v - 1 : v)) : r,
    );
    const rounds = q.rounds.map((rd, i) => (i === k ? { ...rd, rows } : rd));
    const forged = {
      ...pr.proof,
      queries: pr.proof.queries.map((qq, i) => (i === 1 ? { ...qq, rounds } : qq)),
    };
    const b = new Builder({ mode: "both" });
    circuit(b, pr, forged);
    const res = b.check(b.witness());
    expect(res.ok).to.equal(false);
    expect(res.failed?.label).to.match(/^query1\/kb\.committed31/);
    // the Merkle leaf is unchanged: the packed element is the same integer
    const pack = (r: ArrayLike<number>): bigint => BigInt(r[0]) + (BigInt(r[1]) << 31n);
    expect(pack(rows[ti])).to.equal(pack(q.rounds[k].rows[ti]));
  });
});
