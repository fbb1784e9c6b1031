/**
 * End to end with the MIPS machine (ZKMIPS_FULL=1): guests/fibonacci (n = 3) → MIPS STARK →
 * wrap statement circuit (mipsLayout: exitCode = 0, PV_MAX bytes + masks) → dev Groth16 →
 * generated verifier + MipsVerifierGroth16 + gateway on Hardhat.
 *
 * The STARK is padded to the mips-s12 shape (src/wrap/shapes.ts) and made at ONCHAIN_OPTIONS (blowup
 * 64, 14 queries, 16 grinding bits: >= 100 conjectured bits), the profile the shapes are wrapped at:
 * its circuit is under the 2^22 cap (3,166,160 constraints at proof format v2), where DEFAULT_OPTIONS' is not. The second
 * test shows that `zkmips wrap` refuses a DEFAULT_OPTIONS proof.
 * Run: ZKMIPS_FULL=1 npx hardhat test mocha test/wrap/e2e.full.test.ts (7.5 min with the dev key cached in
 * .zkmips, + ~6 min for a cold 2^22 dev setup at low load; 13.7 GB peak RSS)
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { expect } from "chai";
import { network } from "hardhat";
import { proveElf, vkeyOfElf } from "../../src/mips/air/pipeline.ts";
import { closeHashPool } from "../../src/hash/sponge.ts";
import { MAX_WRAP_CONSTRAINTS } from "../../src/wrap/wrap.ts";
import { ONCHAIN_OPTIONS } from "../../src/stark/options.ts";
import { releaseSnarkjsCurves } from "../../src/wrap/groth16/snarkjs.ts";
import { verifyGroth16ProofFile } from "../../src/wrap/groth16/verify-file.ts";
import { mipsWrapInput } from "../../src/wrap/mips.ts";
import { shapeChooser } from "../../src/wrap/shapes.ts";
import { proveWrap, setupWrap } from "../../src/wrap/wrap.ts";
import { describeFull } from "../support/full.ts";
import { checkOnChain, deployStack } from "./e2e-support.ts";
import { tmpFile } from "./r1cs-helpers.ts";

const { ethers } = await network.create();

const ELF = "guests/fibonacci/fibonacci.elf";

describeFull("wrap end to end with the MIPS machine (fibonacci guest)", function () {
  this.timeout(4 * 3600_000);
  after(async () => {
    await closeHashPool();
    await releaseSnarkjsCurves();
  });

  // ~25 min at load 10 (2^22 dev setup, snarkjs prove at 2^22), ~13 GB peak RSS.
  it("MIPS STARK (on-chain profile, padded to mips-s12) → Groth16 → gateway verifyProof; bad inputs revert", async () => {
    const elf = fs.readFileSync(ELF);
    const t0 = performance.now();
    const vkey = await vkeyOfElf(elf, ONCHAIN_OPTIONS);
    const p = await proveElf(elf, {
      input: Uint8Array.from([10, 0, 0, 0]),
      options: ONCHAIN_OPTIONS,
      padTo: shapeChooser("auto", ONCHAIN_OPTIONS).padTo,
    });
    const starkS = (performance.now() - t0) / 1000;
    const inp = await mipsWrapInput(p.file, vkey, ONCHAIN_OPTIONS, { requireShape: true });
    expect(inp.shape.name).to.equal("mips-s12");
    const t1 = performance.now();
    const { circuit, key } = await setupWrap(inp.shape, {
      mode: "dev",
      log: (l) => console.log(`      ${l}`),
    });
    const setupS = (performance.now() - t1) / 1000;
    expect(circuit.rows).to.be.at.most(MAX_WRAP_CONSTRAINTS);
    const r = await proveWrap(inp.shape, key, inp.witness);
    expect((await verifyGroth16ProofFile(r.file, key.vkey)).ok).to.equal(true);
    const d = await deployStack(ethers, key.paths.verifier, key.meta.contractName, key.meta.selector);
    const gas = await checkOnChain(ethers, d, r.file);
    console.log(
      `      MIPS shape ${r.file.shapeId}: STARK ${p.stats.cycles} cycles proved in ${starkS.toFixed(1)} s (incl. vkey); ` +
        `${circuit.rows} constraints (build ${circuit.buildSeconds.toFixed(1)} s), ` +
        `setup ${setupS.toFixed(1)} s${key.reused ? " (cached)" : ""}, witness ${r.witnessSeconds.toFixed(1)} s, ` +
        `Groth16 prove ${r.proveSeconds.toFixed(1)} s; gas ${gas.gasUsed} (tx), ${gas.execution} execution`,
    );
  });

  it("zkmips wrap refuses a DEFAULT_OPTIONS MIPS proof (its circuit exceeds 2^22 constraints)", () => {
    const proof = tmpFile("fib.proof");
    const input = tmpFile("n.bin");
    fs.writeFileSync(input, Uint8Array.from([3, 0, 0, 0]));
    execFileSync("npx", ["zkmips", "prove", ELF, "--input", input, "-o", proof], { stdio: "pipe" });
    let err = "";
    try {
      execFileSync("npx", ["zkmips", "wrap", proof, "--elf", ELF, "-o", tmpFile("x.json")], {
        stdio: "pipe",
      });
    } catch (e) {
      err = String((e as { stderr: Buffer }).stderr);
    }
    // Refused for its profile (the shapes are wrapped at the on-chain profile) or, before that check,
    // for its size (DEFAULT_OPTIONS' circuit is over 2^22).
    expect(err).to.match(
      /is wrapped at the onchain proof profile|has \d+ constraints, more than the limit 4194304/,
    );
  });
});
