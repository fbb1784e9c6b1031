/**
 * `zkmips demo --mock` end to end (two spawned chains; CI): the relayed messages are executed on
 * the destination and both deployment files are written. Without --mock the demo refuses to
 * start, naming why real proving is unavailable, and never submits a fake proof.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { formatDemoReport, runDemo } from "../../src/bridge/demo.ts";
import { ZkmipsError } from "../../src/errors.ts";

const run = promisify(execFile);

describe("zkmips demo", function () {
  this.timeout(300_000);

  it("--mock relays messages between two local chains and writes both deployment files", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "zkmips-demo-"));
    const r = await runDemo({ mock: true, messages: 4, deploymentsDir: dir });
    expect(r.mode).to.equal("mock");
    expect(r.messages).to.equal(4);
    expect(r.counterValue).to.equal(1n + 2n + 3n + 4n);
    expect(r.cycles).to.be.within(300_000, 3_000_000);
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

  it("without --mock refuses clearly instead of faking a proof", async () => {
    const err = await runDemo({ mock: false }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ZkmipsError);
    expect((err as Error).message).to.match(/real proving of state updates is not available/);
    const cli = await run("npx", ["zkmips", "demo"]).catch((e: { code: number; stderr: string }) => e);
    expect((cli as { code: number }).code).to.equal(1);
    expect((cli as { stderr: string }).stderr).to.match(/zkmips: error: real proving .* --mock/);
  });
});
