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

describe("zkmips demo report (real mode)", () => {
  it("prints cycles, STARK and wrap times, setup separately, gas, addresses, selector and shape", () => {
    const a = (n: number): string => "0x" + String(n).repeat(40);
    const text = formatDemoReport({
      mode: "groth16",
      source: { chainId: 31337n, url: "http://127.0.0.1:1", outbox: a(1) },
      destination: {
        chainId: 31338n,
        url: "http://127.0.0.1:2",
        verifier: a(2),
        oracle: a(3),
        inbox: a(4),
        counter: a(5),
      },
      programVKey: "0x" + "ab".repeat(32),
      messages: 3,
      blockNumber: 5,
      cycles: 37452,
      executeSeconds: 0.05,
      proveSeconds: 460.2,
      wrapSeconds: 240.5,
      gasSend: 1n,
      gasSubmit: 400133n,
      gasExecute: 243051n,
      groth16: {
        selector: "0x7ab38083",
        shapeId: "mips-s16:x",
        verifier: a(6),
        adapter: a(7),
        constraints: 4000000,
        setupSeconds: 650.1,
        keyReused: false,
      },
      counterValue: 6n,
      deploymentFiles: [],
      totalSeconds: 1400,
    });
    expect(text).to.match(/REAL MODE/);
    expect(text).to.match(/guest: 37,452 cycles/);
    expect(text).to.match(/proving: STARK 460\.2 s, wrap: 240\.5 s \(witness \+ Groth16 prove\)/);
    expect(text).to.match(
      /Groth16 key: dev setup 650\.1 s \(DEV KEY, NOT FOR PRODUCTION\), circuit 4,000,000 constraints/,
    );
    expect(text).to.match(/selector 0x7ab38083 {2}shape mips-s16:x/);
    expect(text).to.match(/gas: sendMessage x3 1, submit 400133, executeMessage x3 243051/);
    expect(text).to.include(`    MipsVerifierGateway     ${a(2)}`);
    expect(text).to.include(`    Groth16 verifier        ${a(6)}`);
    expect(text).to.include(`    MipsVerifierGroth16     ${a(7)}`);
  });
});
