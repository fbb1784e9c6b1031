/**
 * `zkmips demo --mock` end to end (two spawned chains; CI): the relayed messages are executed on
 * the destination and both deployment files are written. Real mode's refusals are tested in
 * preflight.test.ts, the real run itself in real.full.test.ts.
 */
import { expect } from "chai";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { formatDemoReport, runDemo } from "../../src/bridge/demo.ts";

describe("zkmips demo", function () {
  this.timeout(300_000);

  it("--mock relays messages between two local chains and writes both deployment files", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "zkmips-demo-"));
    const r = await runDemo({ mock: true, messages: 4, deploymentsDir: dir });
    expect(r.mode).to.equal("mock");
    expect(r.messages).to.equal(4);
    expect(r.counterValue).to.equal(1n + 2n + 3n + 4n);
    expect(r.cycles).to.be.within(10_000, 3_000_000); // ~40k with the keccak-f precompile
    expect(r.gasSubmit > 100_000n && r.gasExecute > 0n).to.equal(true);
    const src = JSON.parse(readFileSync(path.join(dir, "31337.json"), "utf8"));
    const dst = JSON.parse(readFileSync(path.join(dir, "31338.json"), "utf8"));
    expect(src.contracts.MessageOutbox.address).to.equal(r.source.outbox);
    expect(dst.contracts.StateInbox.address).to.equal(r.destination.inbox);
    expect(dst.mode).to.equal("mock");
    expect(dst.inbox.sourceOutbox).to.equal(r.source.outbox);
    const text = formatDemoReport(r);
    expect(text).to.match(/MOCK MODE/);
    expect(text).to.match(/BridgedCounter.count\(\) on the destination = 10/);
  });
});
