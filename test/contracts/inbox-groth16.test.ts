/**
 * StateInbox behind the real verifier path (gateway -> MipsVerifierGroth16 -> snarkjs Groth16
 * verifier), with proofs made at test time by snarkjs from the committed dev-key fixture of
 * the wrap statement (circuits/test-groth16/fixture: the stand-in circuit has the same two
 * public inputs as the STARK wrap circuit and accepts any values for them).
 */
import { expect } from "chai";
import fs from "node:fs";
import { network } from "hardhat";
import {
  COMMITTEE_ATTESTATION_TYPES,
  ZERO_HASH,
  committeeDomain,
  encodeStatePublicValues,
  type StateUpdate,
} from "../../src/bridge/public-values.ts";
import {
  encodeProofBytes,
  fromSnarkjsProof,
  publicValuesDigest,
} from "../../src/wrap/groth16/proof-bytes.ts";
import { loadSnarkjs, releaseSnarkjsCurves } from "../../src/wrap/groth16/snarkjs.ts";
import { flipByte, gasOf, randomHex, randomVKey } from "./support.ts";

const FIXTURE = "circuits/test-groth16/fixture";
const { selector } = JSON.parse(fs.readFileSync(`${FIXTURE}/sample-proof.json`, "utf8")) as {
  selector: string;
};
const { ethers } = await network.create();
const { chainId: DEST } = await ethers.provider.getNetwork();
const SOURCE = 4242n;

/** A real Groth16 proof (proofBytes) of the statement (programVKey, publicValues). */
async function prove(programVKey: string, publicValues: Uint8Array): Promise<string> {
  const sj = await loadSnarkjs();
  const { proof } = await sj.groth16.fullProve(
    { programVKey: BigInt(programVKey), publicValuesDigest: publicValuesDigest(publicValues), k: 3n },
    `${FIXTURE}/statement_stub.wasm`,
    `${FIXTURE}/statement_stub.zkey`,
  );
  return ethers.hexlify(encodeProofBytes(selector, fromSnarkjsProof(proof)));
}

describe("StateInbox with the real Groth16 verifier path (dev-key fixture)", () => {
  after(releaseSnarkjsCurves);

  it("accepts an update only with a proof of its exact public values and programVKey", async () => {
    const [owner, member] = await ethers.getSigners();
    const groth16 = await ethers.deployContract("Groth16VerifierStatementStub");
    const wrapper = await ethers.deployContract("MipsVerifierGroth16", [
      await groth16.getAddress(),
      selector,
    ]);
    const gateway = await ethers.deployContract("MipsVerifierGateway", [owner.address]);
    await gateway.addRoute(await wrapper.getAddress());
    const oracle = await ethers.deployContract("CommitteeBlockHashOracle", [
      owner.address,
      [member.address],
      1,
    ]);
    const vkey = randomVKey();
    const outbox = ethers.getAddress(randomHex(20));
    const inbox = await ethers.deployContract("StateInbox", [
      {
        verifier: await gateway.getAddress(),
        programVKey: vkey,
        sourceChainId: SOURCE,
        sourceOutbox: outbox,
        oracle: await oracle.getAddress(),
        initialBlockNumber: 10n,
        initialAccumulator: ZERO_HASH,
        initialCount: 0n,
        owner: owner.address,
        guardian: owner.address,
      },
    ]);
    const u: StateUpdate = {
      sourceChainId: SOURCE,
      destChainId: DEST,
      sourceOutbox: outbox,
      prevBlockNumber: 10n,
      prevAccumulator: ZERO_HASH,
      prevCount: 0n,
      blockNumber: 20n,
      blockHash: randomHex(32),
      newAccumulator: randomHex(32),
      newCount: 1n,
      messagesRoot: randomHex(32),
    };
    const sig = await member.signTypedData(
      committeeDomain(DEST, await oracle.getAddress()),
      COMMITTEE_ATTESTATION_TYPES,
      { chainId: SOURCE, blockNumber: u.blockNumber, blockHash: u.blockHash },
    );
    await oracle.attest(SOURCE, u.blockNumber, u.blockHash, [sig]);
    const pv = encodeStatePublicValues(u);
    const proofBytes = await prove(vkey, pv);

    // A proof of other public values, or for another program, or with one flipped byte fails.
    const other = encodeStatePublicValues({ ...u, newCount: 2n });
    await expect(inbox.submit(pv, await prove(vkey, other))).to.be.revertedWithCustomError(
      wrapper,
      "InvalidProof",
    );
    await expect(inbox.submit(pv, await prove(randomVKey(), pv))).to.be.revertedWithCustomError(
      wrapper,
      "InvalidProof",
    );
    await expect(inbox.submit(pv, flipByte(proofBytes, 100))).to.be.revertedWithCustomError(
      wrapper,
      "InvalidProof",
    );

    const tx = await inbox.submit(pv, proofBytes);
    const gas = await gasOf(tx);
    console.log(`      gas: StateInbox.submit through gateway + Groth16 (real pairing, 1 message) = ${gas}`);
    expect(await inbox.messageCount()).to.equal(1n);
    await expect(inbox.submit(pv, proofBytes)).to.be.revertedWithCustomError(inbox, "StaleUpdate");
  });
});
