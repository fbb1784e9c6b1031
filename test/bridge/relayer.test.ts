/**
 * The relayer between two spawned Hardhat nodes in mock mode: messages relayed and executed
 * exactly once, also across crashes injected at every point between its transactions and its
 * database writes, confirmations and reorgs, bounded retries, and one-line RPC errors.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { Relayer, type FaultPoint, type RelayerEvent } from "../../src/bridge/relayer.ts";
import { isTransient, probeRpc, withRetry } from "../../src/bridge/rpc.ts";
import { ZkmipsError } from "../../src/errors.ts";
import { deployStack, startChains, type Chains, type Stack } from "./two-chains.ts";

const run = promisify(execFile);

/** A fault hook that crashes the `nth` time `point` is reached. */
function crashAt(point: FaultPoint, nth = 1): (p: FaultPoint) => void {
  let seen = 0;
  return (p) => {
    if (p === point && ++seen === nth) throw new Error(`injected crash ${point}`);
  };
}

async function relayOnce(s: Stack, extra: Parameters<Stack["relayerOptions"]>[0] = {}) {
  const events: RelayerEvent[] = [];
  const r = await Relayer.open(s.relayerOptions({ log: (e) => events.push(e), ...extra }));
  try {
    const report = await r.step();
    return { report, events, status: r.status() };
  } finally {
    r.close();
  }
}

/** Every sent message executed exactly once: count, one Incremented event each, inbox status. */
async function expectExactlyOnce(s: Stack, by: number[]): Promise<void> {
  expect(await s.counter.count()).to.equal(BigInt(by.reduce((a, b) => a + b, 0)));
  const events = await s.counter.queryFilter(s.counter.filters.Incremented());
  expect(events.map((e) => Number((e as unknown as { args: [string, bigint] }).args[1]))).to.deep.equal(by);
  expect(await s.inbox.messageCount()).to.equal(BigInt(by.length));
  const failed = await s.inbox.queryFilter(s.inbox.filters.MessageFailed());
  expect(failed).to.have.length(0);
}

describe("relayer (two local chains, mock mode)", function () {
  this.timeout(300_000);
  let c: Chains;
  before(async () => {
    c = await startChains();
  });
  after(() => c?.stop());

  it("relays a proven update, executes every message once, and a second round does nothing", async () => {
    const s = await deployStack(c);
    await s.send(1, 2, 3);
    const first = await relayOnce(s);
    expect(first.report.submitted?.messages).to.equal(3);
    expect(first.report.submitted!.cycles).to.be.greaterThan(10_000);
    expect(first.report.executed).to.equal(3);
    const second = await relayOnce(s);
    expect(second.report.submitted).to.equal(undefined);
    expect(second.report.executed).to.equal(0);
    expect(await s.inbox.updateCount()).to.equal(1n);
    await expectExactlyOnce(s, [1, 2, 3]);
    expect(second.status.messages.executed).to.equal(3);
    expect(second.status.proofs.map((p) => p.status)).to.deep.equal(["accepted"]);
  });

  it("chains a second update to the first for messages sent later", async () => {
    const s = await deployStack(c);
    await s.send(1);
    await relayOnce(s);
    await s.send(10, 20);
    const r = await relayOnce(s);
    expect(r.report.submitted?.updateId).to.equal(1);
    expect(await s.inbox.updateCount()).to.equal(2n);
    await expectExactlyOnce(s, [1, 10, 20]);
  });

  it("splits a backlog larger than one update's message limit over several rounds", async () => {
    const s = await deployStack(c);
    await s.send(1, 2, 3, 4, 5); // one block each
    const sizes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await relayOnce(s, { maxMessages: 2 });
      sizes.push(r.report.submitted?.messages ?? 0);
    }
    expect(sizes).to.deep.equal([2, 2, 1, 0]);
    expect(await s.inbox.updateCount()).to.equal(3n);
    await expectExactlyOnce(s, [1, 2, 3, 4, 5]);
  });

  it("runs continuously: relays messages sent while it watches, skips messages for other chains", async () => {
    const s = await deployStack(c);
    const events: RelayerEvent[] = [];
    const r = await Relayer.open(s.relayerOptions({ log: (e) => events.push(e) }));
    const ac = new AbortController();
    const loop = r.run({ intervalMs: 100, signal: ac.signal });
    try {
      await s.send(2);
      // A message for another destination chain is chained and proven, but not executed here.
      await (await s.outbox.sendMessage(999n, s.outboxAddr, "0x")).wait();
      await s.send(3);
      const deadline = Date.now() + 60_000;
      while ((await s.counter.count()) !== 5n && Date.now() < deadline)
        await new Promise((res) => setTimeout(res, 200));
    } finally {
      ac.abort();
      await loop;
      r.close();
    }
    expect(await s.counter.count()).to.equal(5n);
    expect(await s.inbox.messageCount()).to.equal(3n);
    const again = await relayOnce(s);
    expect(again.status.messages).to.deep.include({ executed: 2, foreign: 1, failed: 0, sent: 0 });
    expect(events.filter((e) => e.event === "step").length).to.be.greaterThan(1);
  });

  const crashes: [FaultPoint, number, string][] = [
    ["after-prove", 1, "after proving, before submitting"],
    ["after-submit-sent", 1, "after the submit transaction was sent, before it was recorded"],
    ["after-submit-mined", 1, "after the submit was mined, before it was recorded"],
    ["after-message-sent", 2, "in the middle of message execution (second message sent, not recorded)"],
  ];
  for (const [point, nth, what] of crashes) {
    it(`loses and duplicates nothing when it crashes ${what} and restarts`, async () => {
      const s = await deployStack(c);
      await s.send(1, 2, 4);
      let crashed: Error | undefined;
      try {
        await relayOnce(s, { fault: crashAt(point, nth) });
      } catch (e) {
        crashed = e as Error;
      }
      expect(crashed?.message).to.equal(`injected crash ${point}`);
      const restart = await relayOnce(s);
      if (point === "after-prove") {
        // The recorded proof is reused, not recomputed.
        expect(restart.events.some((e) => e.event === "proving")).to.equal(false);
        expect(restart.report.submitted?.messages).to.equal(3);
      } else {
        expect(restart.report.submitted).to.equal(undefined);
      }
      if (point === "after-message-sent") {
        expect(restart.events.filter((e) => e.event === "message_already_done")).to.have.length(1);
      }
      expect(await s.inbox.updateCount()).to.equal(1n);
      await expectExactlyOnce(s, [1, 2, 4]);
      const again = await relayOnce(s);
      expect(again.report.executed + (again.report.submitted ? 1 : 0)).to.equal(0);
    });
  }

  it("survives two crashes in a row (after proving, then after the submit was sent)", async () => {
    const s = await deployStack(c);
    await s.send(5, 6);
    await relayOnce(s, { fault: crashAt("after-prove") }).catch(() => {});
    await relayOnce(s, { fault: crashAt("after-submit-sent") }).catch(() => {});
    await relayOnce(s);
    await expectExactlyOnce(s, [5, 6]);
  });

  it("relays only blocks at least --confirmations deep and survives a reorg above that depth", async () => {
    const s = await deployStack(c);
    const snapshot = (await c.src.provider.send("evm_snapshot", [])) as string;
    await s.send(100); // will be reorged away
    const early = await relayOnce(s, { confirmations: 2 });
    expect(early.report.submitted).to.equal(undefined);
    expect(await c.src.provider.send("evm_revert", [snapshot])).to.equal(true);
    await s.send(7);
    const young = await relayOnce(s, { confirmations: 2 });
    expect(young.report.submitted).to.equal(undefined);
    await c.src.provider.send("hardhat_mine", ["0x2"]);
    const r = await relayOnce(s, { confirmations: 2 });
    expect(r.report.submitted?.messages).to.equal(1);
    await expectExactlyOnce(s, [7]);
  });

  it("drops a recorded proof whose source block was reorged away and relays the canonical chain", async () => {
    const s = await deployStack(c);
    const snapshot = (await c.src.provider.send("evm_snapshot", [])) as string;
    await s.send(100);
    await relayOnce(s, { fault: crashAt("after-prove") }).catch(() => {});
    await c.src.provider.send("evm_revert", [snapshot]);
    await s.send(7);
    const r = await relayOnce(s);
    expect(r.events.some((e) => e.event === "update_reorged")).to.equal(true);
    await expectExactlyOnce(s, [7]);
  });

  it("refuses a database that belongs to another inbox", async () => {
    const a = await deployStack(c);
    const b = await deployStack(c);
    await relayOnce(a);
    const err = await Relayer.open(b.relayerOptions({ dbPath: a.dbPath })).then(
      (r) => (r.close(), null),
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(ZkmipsError);
    expect((err as Error).message).to.match(/belongs to/);
  });

  it("zkmips relay --once relays with the CLI, and relay status reports the database", async () => {
    const s = await deployStack(c);
    await s.send(3, 4);
    const { writeDeployment } = await import("../../src/bridge/deploy.ts");
    const { mkdtempSync } = await import("node:fs");
    const dir = mkdtempSync("/tmp/zkmips-dep-");
    const dest = {
      chainId: "31338",
      role: "destination" as const,
      mode: "mock" as const,
      deployer: "",
      contracts: { StateInbox: { address: s.inboxAddr, txHash: "", blockNumber: 0, gasUsed: "0" } },
      inbox: {
        sourceChainId: "31337",
        sourceOutbox: s.outboxAddr,
        programVKey: "0x01",
        initialBlockNumber: "0",
        committee: [(await import("../../src/bridge/nodes.ts")).devWallet(1).address],
        threshold: 1,
      },
      updatedAt: "",
    };
    const file = writeDeployment(dest, dir);
    const db = `${dir}/relayer.sqlite`;
    const args = [
      "zkmips",
      "relay",
      "--source-rpc",
      c.src.url,
      "--dest-rpc",
      c.dst.url,
      "--deployment",
      file,
    ];
    const out = await run("npx", [...args, "--mock", "--once", "--db", db]);
    const lines = out.stderr.split("\n").filter((l) => l.startsWith("{"));
    expect(lines.length).to.be.greaterThan(3);
    for (const l of lines) expect(() => JSON.parse(l)).to.not.throw();
    expect(out.stderr).to.not.match(/ExperimentalWarning/);
    await expectExactlyOnce(s, [3, 4]);
    const status = await run("npx", ["zkmips", "relay", "status", "--db", db]);
    expect(status.stdout).to.match(/2 executed/);
    expect(status.stdout).to.match(/accepted \(inbox update 0\)/);
  });

  it("fails with one clear line for an unreachable RPC URL", async () => {
    for (const url of ["http://127.0.0.1:9", "http://no-such-host.invalid:8545", "nonsense"]) {
      const err = await probeRpc(url, "--source-rpc", 2000).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ZkmipsError);
      expect((err as Error).message).to.match(/^cannot reach --source-rpc at /);
    }
    const cli = await run("npx", [
      "zkmips",
      "relay",
      "--source-rpc",
      "http://127.0.0.1:9",
      "--dest-rpc",
      c.dst.url,
      "--deployment",
      "deployments/none.json",
      "--mock",
    ]).catch((e: { code: number; stderr: string }) => e);
    expect((cli as { code: number }).code).to.equal(1);
    const errLines = (cli as { stderr: string }).stderr.split("\n").filter((l) => l.startsWith("zkmips:"));
    expect(errLines).to.have.length(1);
    expect(errLines[0]).to.match(/^zkmips: error: cannot reach --source-rpc at http:\/\/127.0.0.1:9 /);
    expect((cli as { stderr: string }).stderr).to.not.match(/\n\s+at /);
  });
});

describe("relayer RPC retries", () => {
  it("retries transient errors with doubling delays and gives up after the bound", async () => {
    const delays: number[] = [];
    let calls = 0;
    const ok = await withRetry(
      async () => {
        if (++calls < 3) throw Object.assign(new Error("down"), { code: "NETWORK_ERROR" });
        return 42;
      },
      { baseMs: 5, onRetry: (_, d) => delays.push(d) },
    );
    expect(ok).to.equal(42);
    expect(delays).to.deep.equal([5, 10]);
    calls = 0;
    const err = await withRetry(
      async () => {
        calls++;
        throw Object.assign(new Error("down"), { code: "SERVER_ERROR" });
      },
      { attempts: 4, baseMs: 1 },
    ).catch((e: unknown) => e);
    expect((err as Error).message).to.equal("down");
    expect(calls).to.equal(4);
  });

  it("does not retry a revert", async () => {
    let calls = 0;
    await withRetry(async () => {
      calls++;
      throw Object.assign(new Error("reverted"), { code: "CALL_EXCEPTION" });
    }).catch(() => {});
    expect(calls).to.equal(1);
    expect(isTransient({ code: "CALL_EXCEPTION" })).to.equal(false);
    expect(isTransient({ cause: { code: "ECONNREFUSED" } })).to.equal(true);
  });
});
