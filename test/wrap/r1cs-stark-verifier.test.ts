import { expect } from "chai";
import { prove, setup, verify } from "../../src/stark/index.ts";
import { writeStarkVerifierR1cs, writeStarkVerifierWtns } from "../../src/wrap/circuit/stark-verifier.ts";
import { TEST_OPTIONS, fibonacci } from "../stark/airs.ts";
import { r1csInfo, terminateCurves, tmpFile, wtnsCheck } from "./r1cs-helpers.ts";

describe("circuit: the whole STARK verifier as .r1cs + .wtns files", () => {
  after(terminateCurves);

  it("snarkjs accepts the witness of a proof the TS verifier accepts, and rejects another statement's", async () => {
    const inst = fibonacci();
    const pk = await setup(inst.air, TEST_OPTIONS);
    const { bytes } = await prove(pk, inst.traces, inst.publicInputs, { selfCheck: true });
    verify(inst.air, pk.vkey, inst.publicInputs, bytes, TEST_OPTIONS);
    const r1cs = tmpFile("stark.r1cs");
    const rows = writeStarkVerifierR1cs(inst.air, TEST_OPTIONS, [6], r1cs);
    const info = await r1csInfo(r1cs);
    expect(info.nConstraints).to.equal(rows);
    expect(info.nPubInputs).to.equal(1 + inst.publicInputs.length);
    const wtns = tmpFile("stark.wtns");
    const { wires } = writeStarkVerifierWtns(inst.air, TEST_OPTIONS, pk.vkey, inst.publicInputs, bytes, wtns);
    expect(wires).to.equal(info.nVars);
    expect(await wtnsCheck(r1cs, wtns)).to.equal(true);
    // Same proof, claimed for another final value: the witness exists but violates the circuit.
    const bad = tmpFile("stark-bad.wtns");
    const other = [inst.publicInputs[0], inst.publicInputs[1], (inst.publicInputs[2] + 1) % 0x7f000001];
    expect(() => verify(inst.air, pk.vkey, other, bytes, TEST_OPTIONS)).to.throw(/STARK proof rejected/);
    writeStarkVerifierWtns(inst.air, TEST_OPTIONS, pk.vkey, other, bytes, bad);
    expect(await wtnsCheck(r1cs, bad)).to.equal(false);
  });
});
