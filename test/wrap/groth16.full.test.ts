/**
 * Heavy Groth16 cases (ZKMIPS_FULL=1): a dev key for a 2^14-domain circuit written directly as
 * .r1cs (not by circom), proved by snarkjs from wire values and checked by both verifiers.
 */
import { expect } from "chai";
import { devSetup } from "../../src/wrap/groth16/dev-setup.ts";
import { proveGroth16, verifyGroth16, verifyGroth16Noble } from "../../src/wrap/groth16/prove.ts";
import { loadSnarkjs, releaseSnarkjsCurves } from "../../src/wrap/groth16/snarkjs.ts";
import { describeFull } from "../support/full.ts";
import { TEST_OUT, writeChain } from "./groth16-support.ts";

describeFull("Groth16 dev setup at 2^14 (full)", function () {
  this.timeout(900_000);
  after(releaseSnarkjsCurves);

  it("a 16,381-constraint chain: snarkjs proves from wire values, snarkjs and noble verify, a wrong output is rejected", async () => {
    const c = writeChain(`${TEST_OUT}/full`, 14, 5n);
    const zkey = `${TEST_OUT}/full/chain_14.zkey`;
    const st = await devSetup(c.r1cs, zkey);
    expect(st.domainSize).to.equal(1 << 14);
    const vkey = await (await loadSnarkjs()).zKey.exportVerificationKey(zkey);
    const { proof, publicSignals } = await proveGroth16(zkey, c.witness);
    expect(publicSignals).to.deep.equal([c.witness[1], 5n]);
    expect(await verifyGroth16(vkey, publicSignals, proof)).to.equal(true);
    expect(verifyGroth16Noble(vkey, publicSignals, proof)).to.equal(true);
    expect(await verifyGroth16(vkey, [publicSignals[0]! + 1n, 5n], proof)).to.equal(false);
  });
});
