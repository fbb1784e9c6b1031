/**
 * The verification path an application uses, with a real snarkjs Groth16 verifier: the
 * committed wrap-statement stand-in fixture (circuits/test-groth16/fixture, DEV key, generated
 * contracts/generated/Groth16VerifierStatementStub.sol). Reports gas per path.
 */
import { expect } from "chai";
import fs from "node:fs";
import { network } from "hardhat";
import { flipByte, gasOf, randomVKey } from "./support.ts";

interface Sample {
  selector: string;
  programVKey: string;
  publicValues: string;
  proofBytes: string;
}

const sample = JSON.parse(
  fs.readFileSync("circuits/test-groth16/fixture/sample-proof.json", "utf8"),
) as Sample;
const { ethers, networkHelpers } = await network.create();

/** Intrinsic calldata gas (EIP-2028): 4 per zero byte, 16 per non-zero byte. */
function calldataGas(data: string): bigint {
  let g = 0n;
  for (let i = 2; i < data.length; i += 2) g += data.slice(i, i + 2) === "00" ? 4n : 16n;
  return g;
}

async function deployReal() {
  const [owner] = await ethers.getSigners();
  const groth16 = await ethers.deployContract("Groth16VerifierStatementStub");
  const wrapper = await ethers.deployContract("MipsVerifierGroth16", [
    await groth16.getAddress(),
    sample.selector,
  ]);
  const gateway = await ethers.deployContract("MipsVerifierGateway", [owner.address]);
  await gateway.addRoute(await wrapper.getAddress());
  return { groth16, wrapper, gateway };
}

describe("verification paths with a real Groth16 verifier (dev-key fixture)", () => {
  it("accepts the sample proof through the gateway within 230k execution gas, and reports each path", async () => {
    const { groth16, wrapper, gateway } = await networkHelpers.loadFixture(deployReal);
    const [signer] = await ethers.getSigners();
    const args = [sample.programVKey, sample.publicValues, sample.proofBytes] as const;
    await gateway.verifyProof(...args);
    const words = Array.from({ length: 8 }, (_, i) =>
      BigInt("0x" + sample.proofBytes.slice(10 + 64 * i, 74 + 64 * i)),
    );
    const rawData = groth16.interface.encodeFunctionData("verifyProof", [
      [words[0], words[1]],
      [
        [words[2], words[3]],
        [words[4], words[5]],
      ],
      [words[6], words[7]],
      [BigInt(sample.programVKey), await wrapper.publicValuesDigest(sample.publicValues)],
    ]);
    const data = wrapper.interface.encodeFunctionData("verifyProof", args);
    const paths = [
      ["snarkjs Groth16 verifier alone", await groth16.getAddress(), rawData],
      ["MipsVerifierGroth16.verifyProof", await wrapper.getAddress(), data],
      ["MipsVerifierGateway.verifyProof", await gateway.getAddress(), data],
    ] as const;
    const exec: bigint[] = [];
    for (const [name, to, d] of paths) {
      // A transaction (not eth_estimateGas, which adds the 63/64 call reserve) measures gas used.
      const used = await gasOf(await signer.sendTransaction({ to, data: d }));
      exec.push(used - 21_000n - calldataGas(d));
      console.log(
        `      gas: ${name}: ${used} per transaction, ${exec[exec.length - 1]} without base and calldata`,
      );
    }
    expect(exec[2]).to.be.lessThanOrEqual(230_000n);
    expect(exec[2] > exec[1] && exec[1] > exec[0]).to.equal(true);
  });

  it("rejects through the gateway: another vkey, changed public values, a flipped proof byte", async () => {
    const { wrapper, gateway } = await networkHelpers.loadFixture(deployReal);
    const { programVKey, publicValues, proofBytes } = sample;
    await expect(gateway.verifyProof(randomVKey(), publicValues, proofBytes)).to.be.revertedWithCustomError(
      wrapper,
      "InvalidProof",
    );
    await expect(
      gateway.verifyProof(programVKey, flipByte(publicValues, 0), proofBytes),
    ).to.be.revertedWithCustomError(wrapper, "InvalidProof");
    for (const word of [0, 2, 3, 7]) {
      await expect(
        gateway.verifyProof(programVKey, publicValues, flipByte(proofBytes, 4 + 32 * word + 31)),
      ).to.be.revertedWithCustomError(wrapper, "InvalidProof");
    }
  });

  it("rejects through the gateway: truncated bytes, unknown selector, frozen route", async () => {
    const { wrapper, gateway } = await networkHelpers.loadFixture(deployReal);
    const { programVKey, publicValues, proofBytes } = sample;
    await expect(gateway.verifyProof(programVKey, publicValues, proofBytes.slice(0, -64)))
      .to.be.revertedWithCustomError(wrapper, "InvalidProofLength")
      .withArgs(260, 228);
    await expect(
      gateway.verifyProof(programVKey, publicValues, flipByte(proofBytes, 0)),
    ).to.be.revertedWithCustomError(gateway, "RouteNotFound");
    await gateway.freezeRoute(sample.selector);
    await expect(gateway.verifyProof(programVKey, publicValues, proofBytes))
      .to.be.revertedWithCustomError(gateway, "RouteIsFrozen")
      .withArgs(sample.selector);
  });
});
