/**
 * Example of an application's Hardhat test written with the kit (src/kit): ProvenFibonacci
 * against the mock verifier with guest runs from proveForTest, whose cache makes the second run
 * free; and the Groth16 verifier stack fixture.
 */
import { expect } from "chai";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { network } from "hardhat";
import {
  KIT_PROVER_VERSION,
  deployMockVerifier,
  deployVerifierStack,
  proofCacheKey,
  proveForTest,
} from "../../src/kit/index.ts";

const { ethers, networkHelpers } = await network.create();
const ELF = new Uint8Array(readFileSync("guests/fibonacci/fibonacci.elf"));
const VKEY = "0x" + "00".repeat(31) + "2a";

function u32(n: number): Uint8Array {
  return new Uint8Array(Uint32Array.of(n).buffer);
}

function fib(n: number): bigint {
  let [a, b] = [0n, 1n];
  for (let i = 0; i < n; i++) [a, b] = [b, (a + b) & ((1n << 64n) - 1n)];
  return a;
}

async function appFixture() {
  const { address } = await deployMockVerifier(ethers);
  const app = await ethers.deployContract("ProvenFibonacci", [address, VKEY]);
  return { app };
}

describe("kit: an app's Hardhat test with the mock verifier and the proof cache", () => {
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), "zkmips-proof-cache-"));

  it("proves fib(n) for ProvenFibonacci in mock mode; a repeated request comes from the cache", async () => {
    const { app } = await networkHelpers.loadFixture(appFixture);
    for (const n of [10, 90]) {
      const first = await proveForTest(ELF, u32(n), { mock: true, cacheDir });
      expect(first.cached).to.equal(false);
      expect(first.proofBytes.length).to.equal(0);
      const again = await proveForTest(ELF, u32(n), { mock: true, cacheDir });
      expect(again.cached).to.equal(true);
      expect(again.publicValues).to.deep.equal(first.publicValues);
      await app.submit(again.publicValues, again.proofBytes);
      expect(await app.fibonacci(n)).to.equal(fib(n));
    }
    expect(readdirSync(cacheDir).filter((f) => f.endsWith(".json"))).to.have.length(2);
  });

  it("keys the cache by ELF, input, hints and mode", () => {
    const base = proofCacheKey(ELF, u32(5), "mock");
    const otherElf = ELF.slice();
    otherElf[otherElf.length - 1] ^= 1;
    expect(proofCacheKey(ELF, u32(5), "mock")).to.equal(base);
    expect(proofCacheKey(otherElf, u32(5), "mock")).to.not.equal(base);
    expect(proofCacheKey(ELF, u32(6), "mock")).to.not.equal(base);
    expect(proofCacheKey(ELF, u32(5), "groth16")).to.not.equal(base);
    expect(proofCacheKey(ELF, u32(5), "mock", Uint8Array.of(1))).to.not.equal(base);
    // Length-prefixed parts: moving a byte from the ELF to the input changes the key.
    expect(proofCacheKey(Uint8Array.of(1, 2), Uint8Array.of(3), "mock")).to.not.equal(
      proofCacheKey(Uint8Array.of(1), Uint8Array.of(2, 3), "mock"),
    );
  });

  it("recomputes an entry written by another prover version instead of trusting it", async () => {
    const key = proofCacheKey(ELF, u32(7), "mock");
    const file = path.join(cacheDir, `${key}.json`);
    const bogus = {
      version: KIT_PROVER_VERSION + "-old",
      mode: "mock",
      publicValues: "0x00",
      proofBytes: "0x",
      exitCode: 0,
      cycles: 1,
    };
    writeFileSync(file, JSON.stringify(bogus));
    const p = await proveForTest(ELF, u32(7), { mock: true, cacheDir });
    expect(p.cached).to.equal(false);
    expect(p.publicValues.length).to.equal(12);
    expect(JSON.parse(readFileSync(file, "utf8")).version).to.equal(KIT_PROVER_VERSION);
  });

  it("mock mode proves nothing: a tampered fib value is accepted through the mock verifier", async () => {
    // Mock mode proves nothing: a changed value is accepted by the mock verifier. This is
    // what the kit's docs warn about; real mode is needed for soundness.
    const { app } = await networkHelpers.loadFixture(appFixture);
    const p = await proveForTest(ELF, u32(12), { mock: true, cacheDir });
    const forged = p.publicValues.slice();
    forged[4] ^= 1;
    await app.submit(forged, "0x");
    expect(await app.fibonacci(12)).to.not.equal(fib(12));
  });

  it("deployVerifierStack compiles a generated verifier file (solc) and a real Groth16 proof passes", async () => {
    // The committed statement-stub key's generated verifier and its sample proof (real Groth16,
    // the stand-in circuit accepts any statement): what a real-mode TestProof.groth16 points at.
    const sample = JSON.parse(readFileSync("circuits/test-groth16/fixture/sample-proof.json", "utf8")) as {
      selector: string;
      programVKey: string;
      publicValues: string;
      proofBytes: string;
    };
    const stack = await deployVerifierStack(ethers, {
      selector: sample.selector,
      verifierSol: "contracts/generated/Groth16VerifierStatementStub.sol",
      contractName: "Groth16VerifierStatementStub",
    });
    const gateway = await ethers.getContractAt("MipsVerifierGateway", stack.gateway.address);
    await gateway.verifyProof(sample.programVKey, sample.publicValues, sample.proofBytes);
    const adapter = await ethers.getContractAt("MipsVerifierGroth16", stack.adapter.address);
    await expect(
      gateway.verifyProof(sample.programVKey, sample.publicValues + "00", sample.proofBytes),
    ).to.be.revertedWithCustomError(adapter, "InvalidProof");
  });

  it("deployVerifierStack routes the selector through the gateway to MipsVerifierGroth16", async () => {
    const stack = await deployVerifierStack(ethers, { selector: "0x1234abcd" });
    const gateway = await ethers.getContractAt("MipsVerifierGateway", stack.gateway.address);
    expect(await gateway.getVerifier("0x1234abcd")).to.equal(stack.adapter.address);
    const adapter = await ethers.getContractAt("MipsVerifierGroth16", stack.adapter.address);
    expect(await adapter.GROTH16_VERIFIER()).to.equal(stack.groth16Verifier.address);
    await expect(
      gateway.verifyProof(VKEY, "0x", "0x1234abcd" + "00".repeat(256)),
    ).to.be.revertedWithCustomError(adapter, "InvalidProof");
    await expect(gateway.verifyProof(VKEY, "0x", "0xdeadbeef")).to.be.revertedWithCustomError(
      gateway,
      "RouteNotFound",
    );
  });
});
