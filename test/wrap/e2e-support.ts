/**
 * Shared by the end-to-end wrap tests: compiles a generated Groth16 verifier (written at test
 * time, so Hardhat's build does not see it) with the npm solc 0.8.28, deploys it with ethers,
 * wraps it in MipsVerifierGroth16 behind a MipsVerifierGateway, and runs the on-chain checks
 * (accept + the six rejections) of a proof.groth16.json.
 */
import { expect } from "chai";
import type { Groth16ProofFile } from "../../src/wrap/groth16/proof-file.ts";
// The same solc and settings as hardhat.config.ts.
import { compileSolidity } from "../../src/bridge/artifacts.ts";

export function calldataCost(data: string): number {
  const b = Buffer.from(data.slice(2), "hex");
  return b.reduce((s, x) => s + (x === 0 ? 4 : 16), 0);
}

// Hardhat's ethers object and contracts, loosely typed (the test only calls their ABI).
/* eslint-disable @typescript-eslint/no-explicit-any */
type Ethers = any;
type Contract = any;

export interface Deployed {
  verifier: Contract;
  wrapper: Contract;
  gateway: Contract;
}

export async function deployStack(
  ethers: Ethers,
  verifierSol: string,
  contractName: string,
  selector: string,
) {
  const { abi, bytecode } = compileSolidity(verifierSol, contractName);
  const [signer] = await ethers.getSigners();
  const factory = new ethers.ContractFactory(abi, bytecode, signer);
  const verifier = await factory.deploy();
  await verifier.waitForDeployment();
  const wrapper = await ethers.deployContract("MipsVerifierGroth16", [await verifier.getAddress(), selector]);
  const gateway = await ethers.deployContract("MipsVerifierGateway", [signer.address]);
  await (await gateway.addRoute(await wrapper.getAddress())).wait();
  return { verifier, wrapper, gateway } as Deployed;
}

export interface GasFigures {
  gasUsed: number;
  execution: number;
}

/**
 * Runs the on-chain acceptance and the rejections against a fresh stack; returns the gas of
 * `verifyProof` through the gateway (a transaction; execution = gasUsed − 21,000 − calldata).
 */
export async function checkOnChain(ethers: Ethers, d: Deployed, f: Groth16ProofFile): Promise<GasFigures> {
  const { gateway, wrapper } = d;
  await gateway.verifyProof(f.programVKey, f.publicValues, f.proofBytes);
  const tx = await gateway.verifyProof.send(f.programVKey, f.publicValues, f.proofBytes);
  const receipt = await tx.wait();
  const gasUsed = Number(receipt.gasUsed);
  const execution = gasUsed - 21_000 - calldataCost(tx.data);

  // wrong programVKey
  const otherVKey = "0x" + ((BigInt(f.programVKey) + 1n) % 2n ** 252n).toString(16).padStart(64, "0");
  await expect(gateway.verifyProof(otherVKey, f.publicValues, f.proofBytes)).to.be.revertedWithCustomError(
    wrapper,
    "InvalidProof",
  );
  // changed public values (one bit; and one byte appended)
  const pv = ethers.getBytes(f.publicValues) as Uint8Array;
  const flippedPv = Uint8Array.from(pv);
  flippedPv[0] ^= 1;
  await expect(gateway.verifyProof(f.programVKey, flippedPv, f.proofBytes)).to.be.revertedWithCustomError(
    wrapper,
    "InvalidProof",
  );
  await expect(
    gateway.verifyProof(f.programVKey, Uint8Array.from([...pv, 0]), f.proofBytes),
  ).to.be.revertedWithCustomError(wrapper, "InvalidProof");
  // flipped proof byte (in every one of the eight words)
  const proof = ethers.getBytes(f.proofBytes) as Uint8Array;
  for (let word = 0; word < 8; word++) {
    const bad = Uint8Array.from(proof);
    bad[4 + 32 * word + 31] ^= 1;
    await expect(gateway.verifyProof(f.programVKey, f.publicValues, bad)).to.be.revertedWithCustomError(
      wrapper,
      "InvalidProof",
    );
  }
  // wrong selector: no route at the gateway, WrongVerifierSelector at the wrapper itself
  const badSel = Uint8Array.from(proof);
  badSel[0] ^= 0xff;
  await expect(gateway.verifyProof(f.programVKey, f.publicValues, badSel))
    .to.be.revertedWithCustomError(gateway, "RouteNotFound")
    .withArgs(ethers.hexlify(badSel.slice(0, 4)));
  await expect(wrapper.verifyProof(f.programVKey, f.publicValues, badSel)).to.be.revertedWithCustomError(
    wrapper,
    "WrongVerifierSelector",
  );
  // truncated bytes
  await expect(gateway.verifyProof(f.programVKey, f.publicValues, proof.slice(0, 259)))
    .to.be.revertedWithCustomError(wrapper, "InvalidProofLength")
    .withArgs(260, 259);
  await expect(gateway.verifyProof(f.programVKey, f.publicValues, proof.slice(0, 3)))
    .to.be.revertedWithCustomError(gateway, "ProofTooShort")
    .withArgs(3);
  // frozen route (last: it disables the stack)
  await (await gateway.freezeRoute(f.selector)).wait();
  await expect(gateway.verifyProof(f.programVKey, f.publicValues, f.proofBytes))
    .to.be.revertedWithCustomError(gateway, "RouteIsFrozen")
    .withArgs(f.selector);
  return { gasUsed, execution };
}
