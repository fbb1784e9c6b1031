/**
 * End to end, CI size: a real STARK (the rangeLookup test AIR: a preprocessed table, so a
 * non-trivial programVKey, and LogUp) → the wrap statement circuit (2 public inputs, the
 * public values private and hashed with SHA-256 in-circuit) → dev-setup Groth16 key →
 * snarkjs proof → proof.groth16.json → the generated Solidity verifier behind
 * MipsVerifierGroth16 and MipsVerifierGateway on Hardhat.
 * The MIPS machine's circuit is too large for CI: see e2e.full.test.ts and docs/wrap.md.
 * Run: npx hardhat test mocha test/wrap/e2e.test.ts
 */
import { execFileSync } from "node:child_process";
import { expect } from "chai";
import { network } from "hardhat";
import { decodeProof, prove, setup, verify } from "../../src/stark/index.ts";
import { readGroth16ProofFile, writeGroth16ProofFile } from "../../src/wrap/groth16/proof-file.ts";
import { releaseSnarkjsCurves } from "../../src/wrap/groth16/snarkjs.ts";
import { verifyGroth16ProofFile } from "../../src/wrap/groth16/verify-file.ts";
import { Builder } from "../../src/wrap/r1cs/builder.ts";
import { emitWrapStatement, wordsLayout, wordsPublicValues } from "../../src/wrap/statement.ts";
import { verifyWrappedFile } from "../../src/wrap/verify-wrapped.ts";
import { type WrapShape, buildWrapCircuit, proveWrap, setupWrap } from "../../src/wrap/wrap.ts";
import { TEST_OPTIONS, rangeLookup } from "../stark/airs.ts";
import { checkOnChain, deployStack } from "./e2e-support.ts";
import { tmpFile } from "./r1cs-helpers.ts";

const { ethers } = await network.create();

async function expectReject(p: Promise<unknown>, re: RegExp): Promise<void> {
  let msg = "";
  await p.catch((e: Error) => (msg = e.message));
  expect(msg).to.match(re);
}

describe("wrap end to end (toy AIR STARK → Groth16 → Solidity gateway)", function () {
  this.timeout(900_000);
  const inst = rangeLookup();
  let shape: WrapShape;
  let vkey: bigint;
  let starkBytes: Uint8Array;
  const pv = wordsPublicValues(inst.publicInputs);

  before(async () => {
    const pk = await setup(inst.air, TEST_OPTIONS);
    starkBytes = (await prove(pk, inst.traces, inst.publicInputs, {})).bytes;
    verify(inst.air, pk.vkey, inst.publicInputs, starkBytes, TEST_OPTIONS);
    vkey = pk.vkey;
    const { proof } = decodeProof(inst.air, TEST_OPTIONS, starkBytes);
    shape = { air: inst.air, options: TEST_OPTIONS, logHeights: proof.logHeights, layout: wordsLayout(1) };
  });
  after(releaseSnarkjsCurves);

  it("the statement circuit has exactly the two public inputs and rejects other public values or vkey", () => {
    const { proof } = decodeProof(inst.air, TEST_OPTIONS, starkBytes);
    const run = (publicValues: Uint8Array, k: bigint) => {
      const b = new Builder({ mode: "both" });
      emitWrapStatement(b, inst.air, TEST_OPTIONS, shape.logHeights, shape.layout, {
        vkey: k,
        publicValues,
        proof,
      });
      return { b, r: b.check(b.witness()) };
    };
    const honest = run(pv, vkey);
    expect(honest.r.ok).to.equal(true);
    expect(honest.b.nPublic).to.equal(2);
    const other = Uint8Array.from(pv);
    other[0] ^= 1;
    expect(run(other, vkey).r.ok).to.equal(false);
    expect(run(pv, vkey + 1n).r.ok).to.equal(false);
  });

  it("wraps the STARK, verifies off-chain and on-chain through the gateway; six kinds of bad input revert", async () => {
    const t0 = performance.now();
    const { circuit, key } = await setupWrap(shape, { mode: "dev" });
    const setupS = (performance.now() - t0) / 1000;
    const { file, witnessSeconds, proveSeconds } = await proveWrap(shape, key, {
      vkey,
      publicValues: pv,
      proof: decodeProof(inst.air, TEST_OPTIONS, starkBytes).proof,
    });
    const path = tmpFile("e2e.groth16.json");
    writeGroth16ProofFile(path, file);
    const back = readGroth16ProofFile(path);
    expect(back.proofBytes.length).to.equal(2 + 2 * 260);
    const v = await verifyGroth16ProofFile(back, key.vkey);
    expect(v.ok).to.equal(true);
    const otherPv = Uint8Array.from(pv);
    otherPv[0] ^= 1;
    const flipped = { ...back, publicValues: "0x" + Buffer.from(otherPv).toString("hex") };
    const bad = await verifyGroth16ProofFile(flipped, key.vkey);
    expect(bad.ok).to.equal(false);

    // zkmips verify's Groth16 path: key found by selector in .zkmips, programVKey checked
    expect((await verifyWrappedFile(path, { vkey })).shapeId).to.equal(file.shapeId);
    await expectReject(verifyWrappedFile(path, { vkey: vkey + 1n }), /programVKey/);
    const cli = execFileSync("npx", ["zkmips", "verify", path, "--json"], { encoding: "utf8" });
    expect(JSON.parse(cli.trim().split("\n").pop()!)).to.include({ valid: true, groth16: true });

    const d = await deployStack(ethers, key.paths.verifier, key.meta.contractName, key.meta.selector);
    const gas = await checkOnChain(ethers, d, back);
    console.log(
      `      shape ${file.shapeId}: ${circuit.rows} constraints (domain 2^${Math.log2(key.meta.domainSize)}), ` +
        `setup ${setupS.toFixed(1)} s${key.reused ? " (cached)" : ""}, witness ${witnessSeconds.toFixed(1)} s, ` +
        `Groth16 prove ${proveSeconds.toFixed(1)} s; gateway verifyProof gas ${gas.gasUsed} (tx), ${gas.execution} execution`,
    );
    expect(gas.execution).to.be.below(260_000);
  });
  it("holds a cached circuit to the caller's constraint limit (a lower limit refuses it, naming its size)", () => {
    const { rows } = buildWrapCircuit(shape); // cached by the test above (or emitted now)
    expect(buildWrapCircuit(shape).reused).to.equal(true);
    expect(() => buildWrapCircuit(shape, { maxConstraints: rows - 1 })).to.throw(
      new RegExp(`has ${rows} constraints, more than the limit ${rows - 1}$`),
    );
    expect(buildWrapCircuit(shape, { maxConstraints: rows }).rows).to.equal(rows);
  });
});
