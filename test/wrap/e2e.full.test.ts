/**
 * End to end with the MIPS machine (ZKMIPS_FULL=1): guests/fibonacci (n = 3) → MIPS STARK →
 * wrap statement circuit (mipsLayout: exitCode = 0, PV_MAX bytes + masks) → dev Groth16 →
 * generated verifier + MipsVerifierGroth16 + gateway on Hardhat.
 *
 * The STARK here is padded to the mips-s12 shape (src/wrap/shapes.ts) and uses WRAP_SMALL_OPTIONS
 * (blowup 4, 2 queries, no grinding: a few bits of security, NOT sound) because at DEFAULT_OPTIONS
 * the smallest shape's circuit is still over the 2^22 cap (5.9M constraints at PV_MAX 384, see
 * docs/wrap.md). The second test shows that `zkmips wrap` refuses the DEFAULT_OPTIONS proof with the
 * size in the message.
 * Run: ZKMIPS_FULL=1 npx hardhat test mocha test/wrap/e2e.full.test.ts (~15 min, 12.7 GB peak RSS)
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { expect } from "chai";
import { network } from "hardhat";
import { proveElf, vkeyOfElf } from "../../src/mips/air/pipeline.ts";
import { closeHashPool } from "../../src/hash/sponge.ts";
import type { ProofOptions } from "../../src/stark/options.ts";
import { releaseSnarkjsCurves } from "../../src/wrap/groth16/snarkjs.ts";
import { verifyGroth16ProofFile } from "../../src/wrap/groth16/verify-file.ts";
import { mipsWrapInput } from "../../src/wrap/mips.ts";
import { shapeChooser } from "../../src/wrap/shapes.ts";
import { proveWrap, setupWrap } from "../../src/wrap/wrap.ts";
import { describeFull } from "../support/full.ts";
import { checkOnChain, deployStack } from "./e2e-support.ts";
import { tmpFile } from "./r1cs-helpers.ts";

const { ethers } = await network.create();

/** Insecure STARK options that bring the MIPS verifier circuit under 2^22 constraints. */
const WRAP_SMALL_OPTIONS: ProofOptions = {
  logBlowup: 2,
  numQueries: 2,
  grindingBits: 0,
  logFoldingArity: 2,
  logFinalPolyLen: 1,
};
const ELF = "guests/fibonacci/fibonacci.elf";

describeFull("wrap end to end with the MIPS machine (fibonacci guest)", function () {
  this.timeout(4 * 3600_000);
  after(async () => {
    await closeHashPool();
    await releaseSnarkjsCurves();
  });

  // ~15 min here (2^22 dev setup 10-11 min, snarkjs prove ~4 min), peak RSS 12.7 GB.
  it("MIPS STARK (2-query options) → Groth16 → gateway verifyProof; bad inputs revert", async () => {
    const elf = fs.readFileSync(ELF);
    const vkey = await vkeyOfElf(elf, WRAP_SMALL_OPTIONS);
    const p = await proveElf(elf, {
      input: Uint8Array.from([3, 0, 0, 0]),
      options: WRAP_SMALL_OPTIONS,
      padTo: shapeChooser().padTo,
    });
    const inp = await mipsWrapInput(p.file, vkey, WRAP_SMALL_OPTIONS, { requireShape: true });
    expect(inp.shape.name).to.equal("mips-s12");
    const t0 = performance.now();
    const { circuit, key } = await setupWrap(inp.shape, {
      mode: "dev",
      log: (l) => console.log(`      ${l}`),
    });
    const setupS = (performance.now() - t0) / 1000;
    const r = await proveWrap(inp.shape, key, inp.witness);
    expect((await verifyGroth16ProofFile(r.file, key.vkey)).ok).to.equal(true);
    const d = await deployStack(ethers, key.paths.verifier, key.meta.contractName, key.meta.selector);
    const gas = await checkOnChain(ethers, d, r.file);
    console.log(
      `      MIPS shape ${r.file.shapeId}: ${circuit.rows} constraints (build ${circuit.buildSeconds.toFixed(1)} s), ` +
        `setup ${setupS.toFixed(1)} s${key.reused ? " (cached)" : ""}, witness ${r.witnessSeconds.toFixed(1)} s, ` +
        `Groth16 prove ${r.proveSeconds.toFixed(1)} s; gas ${gas.gasUsed} (tx), ${gas.execution} execution`,
    );
  });

  it("zkmips wrap refuses a DEFAULT_OPTIONS MIPS proof: its circuit exceeds 2^22 constraints", () => {
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
    expect(err).to.match(/has \d+ constraints, more than the limit 4194304/);
  });
});
