/**
 * The kit's real path end to end (ZKMIPS_FULL=1): `proveForTest(fibonacci, n = 10, { mock: false })`
 * proves at the on-chain profile padded to mips-s12, wraps with the dev Groth16 key (cached in
 * .zkmips, shared with test/wrap/e2e.full.test.ts), and `deployVerifierStack` deploys that key's
 * generated verifier behind the gateway; ProvenFibonacci accepts the proof and stores fib(10); the
 * same request again is a cache hit with identical bytes; one tampered public-value byte and one
 * tampered proof byte are rejected by the real verifier.
 * Run: ZKMIPS_FULL=1 npx hardhat test mocha test/bridge/kit-example.full.test.ts
 * (figures in docs/bridge.md, Hardhat kit).
 */
import { expect } from "chai";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { network } from "hardhat";
import { deployVerifierStack, proveForTest } from "../../src/kit/index.ts";
import { describeFull } from "../support/full.ts";

const { ethers } = await network.create();
const ELF = new Uint8Array(readFileSync("guests/fibonacci/fibonacci.elf"));
const N = 10;
const FIB_10 = 55n;

describeFull("kit: proveForTest real mode → deployVerifierStack → ProvenFibonacci", function () {
  this.timeout(3 * 3600_000);
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), "zkmips-kit-full-"));
  const input = new Uint8Array(Uint32Array.of(N).buffer);

  it("a real proof of fib(10) is accepted through the gateway, cached, and tampering is rejected", async () => {
    const t0 = performance.now();
    const p = await proveForTest(ELF, input, {
      mock: false,
      cacheDir,
      log: (l) => console.log(`      ${((performance.now() - t0) / 1000).toFixed(0)} s: ${l}`),
    });
    const proveS = (performance.now() - t0) / 1000;
    expect(p.cached).to.equal(false);
    expect(p.mode).to.equal("groth16");
    expect(p.exitCode).to.equal(0);
    expect(p.proofBytes.length).to.equal(260);
    const g = p.groth16!;
    expect(g.shapeId).to.match(/^mips-s12/);
    expect(ethers.hexlify(p.proofBytes.slice(0, 4))).to.equal(g.selector);

    const stack = await deployVerifierStack(ethers, { ...g });
    const app = await ethers.deployContract("ProvenFibonacci", [stack.gateway.address, g.programVKey]);
    const adapter = await ethers.getContractAt("MipsVerifierGroth16", stack.adapter.address);

    // One byte of fib(10) changed: the digest no longer matches the proof's public input.
    const forgedPv = p.publicValues.slice();
    forgedPv[4] ^= 1;
    await expect(app.submit(forgedPv, p.proofBytes)).to.be.revertedWithCustomError(adapter, "InvalidProof");
    // One byte of the proof's C point changed (past the selector).
    const forgedProof = p.proofBytes.slice();
    forgedProof[4 + 6 * 32 + 17] ^= 1;
    await expect(app.submit(p.publicValues, forgedProof)).to.be.revertedWithCustomError(
      adapter,
      "InvalidProof",
    );
    expect(await app.isProven(N)).to.equal(false);

    const receipt = await (await app.submit(p.publicValues, p.proofBytes)).wait();
    expect(await app.isProven(N)).to.equal(true);
    expect(await app.fibonacci(N)).to.equal(FIB_10);

    const t1 = performance.now();
    const again = await proveForTest(ELF, input, { mock: false, cacheDir });
    const hitS = (performance.now() - t1) / 1000;
    expect(again.cached).to.equal(true);
    expect(again.key).to.equal(p.key);
    expect(again.publicValues).to.deep.equal(p.publicValues);
    expect(again.proofBytes).to.deep.equal(p.proofBytes);
    expect(again.groth16).to.deep.equal(p.groth16);
    expect(hitS).to.be.below(2);
    console.log(
      `      ${p.cycles} cycles, shape ${g.shapeId}: proveForTest (STARK + wrap) ${proveS.toFixed(1)} s; ` +
        `cache hit ${(hitS * 1000).toFixed(1)} ms; submit gas ${receipt!.gasUsed}`,
    );
  });
});
