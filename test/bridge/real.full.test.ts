/**
 * [full] The two-chain demo in REAL mode, end to end: preflight (the storage-proof guest's wrap
 * circuit at mips-s16 and the onchain profile: 3,856,174 constraints) → MIPS STARK (onchain
 * profile, padded to the preflight's shape) → Groth16 wrap (dev key from the .zkmips cache, dev
 * setup on first use: NOT for production) → MipsVerifierGateway → MipsVerifierGroth16 → generated
 * verifier of the shape → StateInbox.submit → executeMessage. One Groth16 route in the destination's
 * deployment file means the relayer's proof had the preflight's shape (a different shape would
 * have needed a second key and route).
 * Run alone on a quiet machine (peak ~15 GB): ZKMIPS_FULL=1 npx hardhat test mocha
 * test/bridge/real.full.test.ts (first run includes the dev setup of the shape's circuit).
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { formatDemoReport, runDemo } from "../../src/bridge/demo.ts";
import { describeFull } from "../support/full.ts";
import { closeHashPool } from "../../src/hash/sponge.ts";
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

  it("relays 3 messages with a real proof verified on chain and executes them", async () => {
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
