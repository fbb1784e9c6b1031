/**
 * `zkmips deploy` through the CLI on two spawned chains: the source and destination files it
 * writes are enough for `zkmips relay` to deliver a message (the path a new user follows).
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { AbiCoder, Contract, type TransactionResponse } from "ethers";
import { loadArtifact } from "../../src/bridge/artifacts.ts";
import { devWallet } from "../../src/bridge/nodes.ts";
import { startChains, type Chains } from "./two-chains.ts";

const run = promisify(execFile);

describe("zkmips deploy", function () {
  this.timeout(300_000);
  let c: Chains;
  before(async () => {
    c = await startChains();
  });
  after(() => c?.stop());

  it("deploys both stacks over --rpc, records them, and zkmips relay delivers with those files", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "zkmips-deploy-"));
    const user = devWallet(2, c.src.provider);
    await run("npx", ["zkmips", "deploy", "--rpc", c.src.url, "--role", "source", "--deployments-dir", dir]);
    const srcFile = path.join(dir, "31337.json");
    const out = await run("npx", [
      "zkmips",
      "deploy",
      "--rpc",
      c.dst.url,
      "--role",
      "destination",
      "--mock",
      "--source-deployment",
      srcFile,
      "--committee",
      devWallet(1).address,
      "--counter-sender",
      user.address,
      "--program-vkey",
      "0x" + "00".repeat(31) + "07",
      "--deployments-dir",
      dir,
    ]);
    expect(out.stdout).to.match(/StateInbox\s+0x[0-9a-fA-F]{40}/);
    const src = JSON.parse(readFileSync(srcFile, "utf8"));
    const dst = JSON.parse(readFileSync(path.join(dir, "31338.json"), "utf8"));
    expect(dst.inbox.sourceOutbox).to.equal(src.contracts.MessageOutbox.address);
    expect(dst.inbox.programVKey).to.equal("0x" + "00".repeat(31) + "07");
    const inbox = new Contract(
      dst.contracts.StateInbox.address,
      loadArtifact("StateInbox").abi,
      c.dst.provider,
    );
    expect(await inbox.SOURCE_OUTBOX()).to.equal(src.contracts.MessageOutbox.address);
    expect(await inbox.VERIFIER()).to.equal(dst.contracts.MipsMockVerifier.address);

    const outbox = new Contract(src.contracts.MessageOutbox.address, loadArtifact("MessageOutbox").abi, user);
    const counter = dst.contracts.BridgedCounter.address;
    const data = "0x7cf5dab0" + AbiCoder.defaultAbiCoder().encode(["uint256"], [41]).slice(2);
    await ((await outbox.sendMessage(31338n, counter, data)) as TransactionResponse).wait();
    await run("npx", [
      "zkmips",
      "relay",
      "--source-rpc",
      c.src.url,
      "--dest-rpc",
      c.dst.url,
      "--deployment",
      path.join(dir, "31338.json"),
      "--mock",
      "--once",
      "--db",
      path.join(dir, "relayer.sqlite"),
    ]);
    const count = new Contract(counter, ["function count() view returns (uint256)"], c.dst.provider);
    expect(await count.count()).to.equal(41n);
    const st = await run("npx", [
      "zkmips",
      "status",
      "--deployment",
      path.join(dir, "31338.json"),
      "--rpc",
      c.dst.url,
    ]);
    expect(st.stdout).to.match(/messages relayed\s+1\n/);
    expect(st.stdout).to.match(/updates\s+1\n/);
    expect(st.stdout).to.match(/WARNING\s+mock verifier/);
    const ss = await run("npx", ["zkmips", "status", "--deployment", srcFile, "--rpc", c.src.url]);
    expect(ss.stdout).to.match(/messages\s+1\n/);
  });

  it("refuses --groth16-verifier without --selector, in one line", async () => {
    // (A non-mock destination without a verifier runs the real-mode preflight: real.full.test.ts.)
    const err = await run("npx", [
      "zkmips",
      "deploy",
      "--rpc",
      c.dst.url,
      "--source-deployment",
      "x.json",
      "--committee",
      devWallet(1).address,
      "--groth16-verifier",
      devWallet(1).address,
    ]).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).to.equal(1);
    const lines = (err as { stderr: string }).stderr.split("\n").filter((l) => l.startsWith("zkmips:"));
    expect(lines).to.deep.equal(["zkmips: error: --groth16-verifier and --selector go together"]);
  });
});
