import { expect } from "chai";
import { P } from "../../src/field/koalabear.ts";
import { decodeProof, encodeProof, prove, setup, verify } from "../../src/stark/index.ts";
import type { StarkProof } from "../../src/stark/proof.ts";
import { emitOodCheck } from "../../src/wrap/circuit/ood-check.ts";
import { Builder } from "../../src/wrap/r1cs/builder.ts";
import { KoalaBear } from "../../src/wrap/r1cs/gadgets/koalabear.ts";
import { TEST_OPTIONS, type Instance, multiset, rangeLookup } from "../stark/airs.ts";
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

function circuit(b: Builder, pr: Proven, proof: StarkProof, pubs = pr.inst.publicInputs): void {
  const vk = b.publicInput(pr.vkey);
  const pubWires = pubs.map((v) => b.publicInput(BigInt(v)));
  const f = new KoalaBear(b);
  emitOodCheck(
    b,
    pr.inst.air,
    TEST_OPTIONS,
    vk,
    pubWires.map((w) => f.canonical(w)),
    { logHeights: proof.logHeights, proof },
  );
}

function bump(x: readonly number[]): [number, number, number, number] {
  return [(x[0] + 1) % P, x[1], x[2], x[3]];
}

describe("circuit: OOD check with LogUp, preprocessed columns and mixed heights (test/stark/airs.ts)", () => {
  after(terminateCurves);

  for (const [name, make] of [
    ["rangeLookup", () => rangeLookup()],
    ["multiset", () => multiset()],
  ] as const) {
    describe(name, () => {
      let pr: Proven;
      before(async () => {
        pr = await proveInstance(make());
      });

      it("is satisfied by the proof the TS verifier accepts (snarkjs too)", async () => {
        const b = new Builder({ mode: "both" });
        circuit(b, pr, pr.proof);
        const res = b.check(b.witness());
        expect(res.ok, res.failed?.label).to.equal(true);
        expect(await snarkjsAccepts(b, b.witness())).to.equal(true);
        console.log(`      ${name}: ${b.nConstraints} rows`);
      });

      it("rejects a changed aux (LogUp) opening at z, as the TS verifier", async () => {
        const op = pr.proof.openings[0];
        const forged: StarkProof = {
          ...pr.proof,
          openings: [
            { ...op, aux: [[bump(op.aux[0][0]), ...op.aux[0].slice(1)], op.aux[1]] },
            ...pr.proof.openings.slice(1),
          ],
        };
        expect(() =>
          verify(pr.inst.air, pr.vkey, pr.inst.publicInputs, encodeProof(pr.inst.air, forged), TEST_OPTIONS),
        ).to.throw(/ood-constraints/);
        const b = new Builder({ mode: "both" });
        circuit(b, pr, forged);
        const res = b.check(b.witness());
        expect(res.ok).to.equal(false);
        expect(res.failed?.label).to.contain("ood.quotient");
        expect(await snarkjsAccepts(b, b.witness())).to.equal(false);
      });

      it("rejects a changed cumulative sum, as the TS verifier", () => {
        const forged: StarkProof = {
          ...pr.proof,
          cumSums: [bump(pr.proof.cumSums[0]), ...pr.proof.cumSums.slice(1)],
        };
        expect(() =>
          verify(pr.inst.air, pr.vkey, pr.inst.publicInputs, encodeProof(pr.inst.air, forged), TEST_OPTIONS),
        ).to.throw(/STARK proof rejected/);
        const b = new Builder({ mode: "both" });
        circuit(b, pr, forged);
        expect(b.check(b.witness()).ok).to.equal(false);
      });
    });
  }

  it("multiset: rejects a changed public input (public bus term no longer balances)", async () => {
    const pr = await proveInstance(multiset());
    const pubs = [(pr.inst.publicInputs[0] + 1) % P];
    const b = new Builder({ mode: "both" });
    circuit(b, pr, pr.proof, pubs);
    expect(b.check(b.witness()).ok).to.equal(false);
  });
});
