/**
 * The generated snarkjs Solidity verifier of a dev-setup key (committed fixture:
 * contracts/generated/Groth16VerifierStatementStub.sol) against real proofs, directly and
 * through MipsVerifierGroth16. Run: npx hardhat test mocha test/wrap/groth16-solidity.test.ts
 */
import fs from "node:fs";
import { expect } from "chai";
import { network } from "hardhat";
import {
  bytesToHex,
  decodeProofBytes,
  encodeProofBytes,
  proofWords,
  publicValuesDigest,
} from "../../src/wrap/groth16/proof-bytes.ts";
import { proveGroth16 } from "../../src/wrap/groth16/prove.ts";
import { R } from "../../src/wrap/groth16/fr.ts";
import { FIXTURE_CONTRACT, FIXTURE_DIR } from "./groth16-fixture.ts";
import { witness } from "./groth16-support.ts";

const { ethers } = await network.create();

interface Sample {
  selector: string;
  programVKey: string;
  publicValues: string;
  publicSignals: string[];
  proofBytes: string;
}
const sample = JSON.parse(fs.readFileSync(`${FIXTURE_DIR}/sample-proof.json`, "utf8")) as Sample;
const circuit = { r1cs: "", wasm: `${FIXTURE_DIR}/statement_stub.wasm` };
const zkey = `${FIXTURE_DIR}/statement_stub.zkey`;

type Words = ReturnType<typeof proofWords>;
const args = (w: Words, pub: bigint[]) =>
  [
    [w[0], w[1]],
    [
      [w[2], w[3]],
      [w[4], w[5]],
    ],
    [w[6], w[7]],
    pub,
  ] as const;

function calldataCost(data: string): number {
  const b = Buffer.from(data.slice(2), "hex");
  return b.reduce((s, x) => s + (x === 0 ? 4 : 16), 0);
}

describe("Groth16 Solidity verifier (snarkjs template, dev-setup key)", () => {
  const { proof } = decodeProofBytes(sample.proofBytes);
  const pub = sample.publicSignals.map(BigInt);

  async function deploy() {
    return ethers.deployContract(FIXTURE_CONTRACT);
  }

  it("accepts the committed sample proof and reports verifyProof gas", async () => {
    const v = await deploy();
    expect(await v.verifyProof(...args(proofWords(proof), pub))).to.equal(true);
    const tx = await v.verifyProof.send(...args(proofWords(proof), pub));
    const receipt = await tx.wait();
    const gasUsed = Number(receipt!.gasUsed);
    const execution = gasUsed - 21_000 - calldataCost(tx.data);
    console.log(`      verifyProof gas: ${gasUsed} in a transaction, ${execution} without base and calldata`);
    expect(execution).to.be.below(230_000);
  });

  it("accepts a fresh proof for a random statement, directly and through MipsVerifierGroth16", async () => {
    const v = await deploy();
    const programVKey = BigInt(bytesToHex(ethers.randomBytes(31)));
    const publicValues = ethers.randomBytes(100);
    const digest = publicValuesDigest(publicValues);
    const w = await witness(circuit, { programVKey, publicValuesDigest: digest, k: 11n });
    const res = await proveGroth16(zkey, w);
    expect(res.publicSignals).to.deep.equal([programVKey, digest]);
    expect(await v.verifyProof(...args(proofWords(res.proof), res.publicSignals))).to.equal(true);
    const wrapper = await ethers.deployContract("MipsVerifierGroth16", [
      await v.getAddress(),
      sample.selector,
    ]);
    const bytes = encodeProofBytes(sample.selector, res.proof);
    const vkeyWord = `0x${programVKey.toString(16).padStart(64, "0")}`;
    await wrapper.verifyProof(vkeyWord, publicValues, bytes);
    const flipped = Uint8Array.from(publicValues);
    flipped[0]! ^= 1;
    await expect(wrapper.verifyProof(vkeyWord, flipped, bytes)).to.be.revertedWithCustomError(
      wrapper,
      "InvalidProof",
    );
  });

  it("rejects a proof whose c.y word has one bit flipped", async () => {
    const v = await deploy();
    const w = proofWords(proof);
    w[7] ^= 1n;
    expect(await v.verifyProof(...args(w, pub))).to.equal(false);
  });

  it("rejects a proof whose b.x0 word has one bit flipped", async () => {
    const v = await deploy();
    const w = proofWords(proof);
    w[3] ^= 1n;
    expect(await v.verifyProof(...args(w, pub))).to.equal(false);
  });

  it("rejects the sample proof for another programVKey", async () => {
    const v = await deploy();
    expect(await v.verifyProof(...args(proofWords(proof), [pub[0]! + 1n, pub[1]!]))).to.equal(false);
  });

  it("rejects a public input equal to the scalar field modulus (no aliasing of pub + r)", async () => {
    const v = await deploy();
    expect(await v.verifyProof(...args(proofWords(proof), [pub[0]! + R, pub[1]!]))).to.equal(false);
  });
});
