/**
 * [full] The two-chain demo in REAL mode, end to end: storage-proof guest → MIPS STARK (default
 * options) → Groth16 wrap (dev key from the .zkmips cache, dev setup on first use: NOT for
 * production) → MipsVerifierGateway → MipsVerifierGroth16 → generated verifier of the shape →
 * StateInbox.submit → executeMessage.
 * BLOCKED today (pending, with the reason in the title): the storage-proof guest needs the Keccak
 * tables (2,630 columns), which put its wrap circuit at ~6.4M constraints, over the 2^22 cap, and its
 * STARK at the onchain profile (blowup 64) padded to mips-s16 was never measured (memory). Remove
 * `BLOCKED` (it.skip → it) once `realModePreflight` accepts the guest; the tests then fail with the
 * refusal line if a prerequisite is missing.
 * Run alone on a quiet machine: ZKMIPS_FULL=1 npx mocha test/bridge/real.full.test.ts
 * (first run includes the dev setup of the shape's circuit: ~10+ min and ~13 GB at 2^22).
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { formatDemoReport, runDemo } from "../../src/bridge/demo.ts";
import { describeFull } from "../support/full.ts";
import { storageProofElf } from "../../src/bridge/guest.ts";
import { realModePreflight } from "../../src/bridge/preflight.ts";
import { realStages } from "../../src/bridge/prover.ts";
import { sampleGuestInput } from "../../src/bridge/sample-input.ts";
import { closeHashPool } from "../../src/hash/sponge.ts";
import { vkeyOfElf } from "../../src/mips/air/pipeline.ts";
import { mipsWrapInput } from "../../src/wrap/mips.ts";
import { shapeId } from "../../src/wrap/wrap.ts";
import { findShape } from "../../src/wrap/shapes.ts";
import { profileByName } from "../../src/stark/options.ts";
import { expectCliRefusal, type CliResult } from "./cli-refusal.ts";

const run = promisify(execFile);

describeFull("bridge demo in real mode (STARK → Groth16 → gateway → inbox)", function () {
  this.timeout(3 * 3600_000);
  after(closeHashPool); // the prover's worker pools would keep mocha alive

  it("zkmips deploy (real) refuses in its preflight before it touches the RPC", async () => {
    // Heavy only because the preflight emits the wrap circuit to count it (~1 min).
    const cli = await run("npx", [
      "zkmips",
      "deploy",
      "--role",
      "destination",
      "--rpc",
      "http://127.0.0.1:9",
      "--source-deployment",
      "deployments/31337.json",
      "--committee",
      "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
      "--max-constraints",
      "1000000",
    ]).catch((err: CliResult) => err);
    expectCliRefusal(cli as CliResult);
  });

  const BLOCKED = "BLOCKED (storage-proof wrap circuit ~6.4M constraints > 2^22): ";
  it.skip(
    BLOCKED + "the preflight's wrap shape is the shape of the real STARK proof of the same input",
    async () => {
      // Runs even while the circuit is over the cap: the preflight's refusal names the shape id.
      const input = await sampleGuestInput(
        [1, 2, 3].map((i) => ({
          target: "0x" + "c0".repeat(20),
          payload: "0x7cf5dab0" + i.toString(16).padStart(64, "0"),
        })),
        31338n,
      );
      let preflightShape: string;
      try {
        preflightShape = (
          await realModePreflight(storageProofElf(), input, { what: "the storage-proof guest" })
        ).shapeId;
      } catch (e) {
        const m = /shape (\S+) has [\d,]+ constraints/.exec((e as Error).message);
        if (m === null) throw e;
        preflightShape = m[1];
      }
      const shapeName = preflightShape.split(":")[0];
      const options = profileByName(findShape(shapeName).profile).options;
      const pre = { cycles: 0, executeSeconds: 0, shapeId: preflightShape, shapeName, options };
      const t0 = performance.now();
      const stark = await realStages().stark(input, pre);
      console.log(
        `      STARK: ${stark.cycles} cycles, ${((performance.now() - t0) / 1000).toFixed(1)} s, ${stark.file.length} bytes`,
      );
      const w = await mipsWrapInput(stark.file, await vkeyOfElf(storageProofElf(), options), options, {
        requireShape: true,
      });
      expect(shapeId(w.shape)).to.equal(preflightShape);
    },
  );

  it.skip(BLOCKED + "relays 3 messages with a real proof verified on chain and executes them", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "zkmips-real-demo-"));
    const t0 = performance.now();
    const r = await runDemo({
      mock: false,
      messages: 3,
      deploymentsDir: dir,
      progress: (l) => console.log(`      ${l}`),
    });
    console.log(formatDemoReport(r).replace(/^/gm, "      "));
    console.log(`      wall ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    expect(r.mode).to.equal("groth16");
    expect(r.messages).to.equal(3);
    expect(r.counterValue).to.equal(6n);
    expect(r.proveSeconds).to.be.greaterThan(0);
    expect(r.wrapSeconds).to.be.greaterThan(0);
    expect(r.groth16?.selector).to.match(/^0x[0-9a-f]{8}$/);
    expect(r.groth16!.constraints).to.be.at.most(1 << 22);
    // A Groth16 check costs ~200k gas on top of the inbox's own work.
    expect(r.gasSubmit > 250_000n).to.equal(true);
    const dst = JSON.parse(readFileSync(path.join(dir, "31338.json"), "utf8"));
    expect(dst.mode).to.equal("groth16");
    expect(dst.contracts.MipsVerifierGateway.address).to.equal(r.destination.verifier);
    expect(dst.groth16).to.have.length(1);
    expect(dst.groth16[0]).to.deep.include({
      selector: r.groth16!.selector,
      shapeId: r.groth16!.shapeId,
      verifier: r.groth16!.verifier,
      adapter: r.groth16!.adapter,
    });
  });
});
