/**
 * The relayer's real-mode path between two spawned chains, with a TEST DOUBLE in place of the
 * (tens of minutes) STARK and Groth16 stages: `testDoubleStages` runs the real preflight-free
 * guest execution, returns a placeholder STARK file, and "wraps" it into 260 random proof bytes
 * that the Groth16VerifierStub test double behind the real gateway and MipsVerifierGroth16 is told
 * to accept. What is tested is the relayer: the STARK proof is kept in SQLite before the wrap
 * and the final proof before submitting, so a crash at either point never proves twice; a missing
 * gateway route is named; a preflight refusal stops everything. Real proving: real.full.test.ts.
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { writeDeployment } from "../../src/bridge/deploy.ts";
import { Contract, hexlify, keccak256 } from "ethers";
import { groth16Prover, stagedProver, type ProverStages } from "../../src/bridge/prover.ts";
import { runStorageGuest } from "../../src/bridge/guest.ts";
import { Relayer, type FaultPoint, type RelayerEvent } from "../../src/bridge/relayer.ts";
import { RelayerStore } from "../../src/bridge/store.ts";
import { ZkmipsError } from "../../src/errors.ts";
import {
  encodeProofBytes,
  fromSnarkjsProof,
  publicValuesDigest,
} from "../../src/wrap/groth16/proof-bytes.ts";
import { loadSnarkjs, releaseSnarkjsCurves } from "../../src/wrap/groth16/snarkjs.ts";
import { STUB_SELECTOR, deployStack, startChains, type Chains, type Stack } from "./two-chains.ts";

const run = promisify(execFile);

interface Calls {
  preflight: number;
  stark: number;
  wrap: number;
}

/**
 * TEST DOUBLE of the real prover's stages (src/bridge/prover.ts `realStages`): the guest really
 * runs, but no STARK or Groth16 proof is made; the "proof" is accepted only because the double
 * configures the Groth16VerifierStub test double for exactly these bytes.
 */
function testDoubleStages(s: Stack, calls: Calls, selector = STUB_SELECTOR): ProverStages {
  return {
    async preflight(input) {
      calls.preflight++;
      const r = runStorageGuest(input);
      return { cycles: r.cycles, executeSeconds: r.seconds, shapeId: "test-double-shape" };
    },
    async stark(input) {
      calls.stark++;
      const r = runStorageGuest(input);
      const file = new TextEncoder().encode("TEST DOUBLE, NOT A STARK PROOF");
      return { file, publicValues: r.publicValues, cycles: r.cycles, proveMs: 1 };
    },
    async wrap(stark) {
      calls.wrap++;
      const words = randomBytes(256);
      const stub = s.groth16Stub!;
      await (
        await stub.setExpected(
          keccak256(words),
          BigInt(s.programVKey),
          publicValuesDigest(stark.publicValues),
        )
      ).wait();
      const proofBytes = new Uint8Array(260);
      proofBytes.set(Buffer.from(selector.slice(2), "hex"), 0);
      proofBytes.set(words, 4);
      return { proofBytes, setupSeconds: 0, wrapSeconds: 0.001, shapeId: "test-double-shape", selector };
    },
  };
}

const FIXTURE = "circuits/test-groth16/fixture";

/** A real snarkjs Groth16 proof from the committed statement-stub key (it accepts any statement). */
async function statementStubProofBytes(
  s: Stack,
  publicValues: Uint8Array,
  selector: string,
): Promise<Uint8Array> {
  const sj = await loadSnarkjs();
  const { proof } = await sj.groth16.fullProve(
    { programVKey: BigInt(s.programVKey), publicValuesDigest: publicValuesDigest(publicValues), k: 3n },
    `${FIXTURE}/statement_stub.wasm`,
    `${FIXTURE}/statement_stub.zkey`,
  );
  return encodeProofBytes(selector, fromSnarkjsProof(proof));
}

function crashAt(point: FaultPoint): (p: FaultPoint) => void {
  return (p) => {
    if (p === point) throw new Error(`injected crash ${point}`);
  };
}

async function relayOnce(s: Stack, calls: Calls, extra: Parameters<Stack["relayerOptions"]>[0] = {}) {
  const events: RelayerEvent[] = [];
  const r = await Relayer.open(
    s.relayerOptions({
      prover: stagedProver(testDoubleStages(s, calls)),
      log: (e) => events.push(e),
      ...extra,
    }),
  );
  try {
    return { report: await r.step(), events, status: r.status() };
  } finally {
    r.close();
  }
}

async function expectDelivered(s: Stack, by: number[]): Promise<void> {
  expect(await s.counter.count()).to.equal(BigInt(by.reduce((a, b) => a + b, 0)));
  const events = await s.counter.queryFilter(s.counter.filters.Incremented());
  expect(events).to.have.length(by.length);
  expect(await s.inbox.updateCount()).to.equal(1n);
}

describe("relayer in real mode (test-double prover stages, real gateway route)", function () {
  this.timeout(300_000);
  let c: Chains;
  before(async () => {
    c = await startChains();
  });
  after(() => c?.stop());

  it("submits a 260-byte proof through the gateway route and records its details", async () => {
    const s = await deployStack(c, { groth16: true });
    await s.send(1, 2);
    const calls = { preflight: 0, stark: 0, wrap: 0 };
    const r = await relayOnce(s, calls);
    expect(r.report.submitted?.messages).to.equal(2);
    expect(r.report.submitted?.selector).to.equal(STUB_SELECTOR);
    expect(calls).to.deep.equal({ preflight: 1, stark: 1, wrap: 1 });
    const [row] = r.status.proofs;
    expect(row.proof.length).to.equal(260);
    expect(row.details).to.deep.include({
      mode: "groth16",
      selector: STUB_SELECTOR,
      shapeId: "test-double-shape",
    });
    expect(r.events.map((e) => e.event)).to.include.members(["preflight_ok", "stark_proved", "wrapped"]);
    await expectDelivered(s, [1, 2]);
  });

  it("deploys a generated snarkjs verifier with the local solc and a real Groth16 proof passes it to the inbox", async () => {
    // The committed statement-stub key (circuits/test-groth16/fixture) has the wrap circuit's two
    // public inputs but accepts any values: its proofs are real Groth16 proofs, only the STARK
    // link is missing. Everything on chain is the real-mode stack as `zkmips deploy` builds it.
    const { selector } = JSON.parse(readFileSync(`${FIXTURE}/sample-proof.json`, "utf8")) as {
      selector: string;
    };
    const s = await deployStack(c, {
      groth16Key: {
        verifierSol: "contracts/generated/Groth16VerifierStatementStub.sol",
        contractName: "Groth16VerifierStatementStub",
        selector,
        shapeId: "statement-stub-fixture",
      },
    });
    expect(s.destFile.mode).to.equal("groth16");
    expect(s.destFile.groth16).to.have.length(1);
    expect(s.destFile.groth16![0]).to.deep.include({ selector, shapeId: "statement-stub-fixture" });
    expect(s.destFile.contracts.Groth16VerifierStatementStub.address).to.equal(
      s.destFile.groth16![0].verifier,
    );
    await s.send(8, 9);
    const calls = { preflight: 0, stark: 0, wrap: 0 };
    const stages = testDoubleStages(s, calls);
    stages.wrap = async (stark) => {
      calls.wrap++;
      return {
        proofBytes: await statementStubProofBytes(s, stark.publicValues, selector),
        setupSeconds: 0,
        wrapSeconds: 1,
        shapeId: "statement-stub-fixture",
        selector,
      };
    };
    try {
      const r = await relayOnce(s, calls, { prover: stagedProver(stages) });
      expect(r.report.submitted?.messages).to.equal(2);
      expect(r.report.submitted!.gasUsed > 200_000n).to.equal(true);
      console.log(
        `      submit with a Groth16 proof: ${r.report.submitted!.gasUsed} gas; executeMessage x2: ${r.report.gasExecute} gas`,
      );
      await expectDelivered(s, [8, 9]);
      // zkmips status reads the route back from the gateway, with the recorded shape.
      const dir = mkdtempSync(path.join(os.tmpdir(), "zkmips-real-dep-"));
      const file = writeDeployment(s.destFile, dir);
      const st = await run("npx", ["zkmips", "status", "--deployment", file, "--rpc", c.dst.url]);
      expect(st.stdout).to.match(new RegExp(`route ${selector}\\s+active shape statement-stub-fixture\\n`));
      expect(st.stdout).to.match(/chain\s+31338 \(destination, groth16\)/);
    } finally {
      await releaseSnarkjsCurves();
    }
  });

  it("keeps the STARK proof when it crashes before the wrap, and the restart only wraps", async () => {
    const s = await deployStack(c, { groth16: true });
    await s.send(3, 4);
    const calls = { preflight: 0, stark: 0, wrap: 0 };
    const err = await relayOnce(s, calls, { fault: crashAt("after-stark") }).catch((e: Error) => e);
    expect((err as Error).message).to.equal("injected crash after-stark");
    expect(calls).to.deep.equal({ preflight: 1, stark: 1, wrap: 0 });
    const store = new RelayerStore(s.dbPath);
    expect(store.starkCount()).to.equal(1);
    store.close();
    const restart = await relayOnce(s, calls);
    expect(calls).to.deep.equal({ preflight: 2, stark: 1, wrap: 1 });
    expect(restart.events.some((e) => e.event === "stark_reused")).to.equal(true);
    expect(restart.status.proofs[0].details?.starkReused).to.equal(true);
    await expectDelivered(s, [3, 4]);
  });

  it("submits the recorded Groth16 proof after a crash before submitting, proving nothing again", async () => {
    const s = await deployStack(c, { groth16: true });
    await s.send(5);
    const calls = { preflight: 0, stark: 0, wrap: 0 };
    await relayOnce(s, calls, { fault: crashAt("after-prove") }).catch(() => {});
    expect(calls).to.deep.equal({ preflight: 1, stark: 1, wrap: 1 });
    const restart = await relayOnce(s, calls);
    expect(calls).to.deep.equal({ preflight: 1, stark: 1, wrap: 1 });
    expect(restart.report.submitted?.messages).to.equal(1);
    await expectDelivered(s, [5]);
  });

  it("names the missing gateway route instead of submitting, and keeps the proof for later", async () => {
    const s = await deployStack(c, { groth16: true });
    await s.send(6);
    const calls = { preflight: 0, stark: 0, wrap: 0 };
    const prover = stagedProver(testDoubleStages(s, calls, "0xdeadbeef"));
    const err = await relayOnce(s, calls, { prover }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ZkmipsError);
    expect((err as Error).message).to.match(
      /^the verifier gateway 0x[0-9a-fA-F]{40} has no route for selector 0xdeadbeef \(wrap shape test-double-shape\)$/,
    );
    const store = new RelayerStore(s.dbPath);
    expect(store.proofs().map((p) => p.status)).to.deep.equal(["proved"]);
    store.close();
    expect(await s.inbox.updateCount()).to.equal(0n);
  });

  it("zkmips deploy --role route adds a cached key's verifier to the gateway, then the proof goes through", async () => {
    const s = await deployStack(c, { groth16: true });
    await s.send(10);
    const calls = { preflight: 0, stark: 0, wrap: 0 };
    const { selector } = JSON.parse(readFileSync(`${FIXTURE}/sample-proof.json`, "utf8")) as {
      selector: string;
    };
    // A key directory as the Groth16 cache lays it out (meta.json + Verifier.sol), for the
    // committed statement-stub key.
    const keyDir = mkdtempSync(path.join(os.tmpdir(), "zkmips-key-"));
    copyFileSync("contracts/generated/Groth16VerifierStatementStub.sol", path.join(keyDir, "Verifier.sol"));
    writeFileSync(
      path.join(keyDir, "meta.json"),
      JSON.stringify({
        version: 1,
        circuitId: "statementstub",
        setupId: "dev",
        mode: "dev",
        r1csSha256: "00",
        zkeySha256: "00",
        selector,
        contractName: "Groth16VerifierStatementStub",
        nConstraints: 1,
        nPublic: 2,
        domainSize: 4,
        createdAt: new Date().toISOString(),
        setupSeconds: 0,
      }),
    );
    const stages = testDoubleStages(s, calls, selector);
    stages.wrap = async (stark) => {
      calls.wrap++;
      const proofBytes = await statementStubProofBytes(s, stark.publicValues, selector);
      return { proofBytes, setupSeconds: 0, wrapSeconds: 1, shapeId: "other-shape", selector };
    };
    try {
      // No route for this key yet: the relayer names it and keeps the proof.
      const err = await relayOnce(s, calls, { prover: stagedProver(stages) }).catch((e: Error) => e);
      expect((err as Error).message).to.match(
        new RegExp(`no route for selector ${selector} \\(wrap shape other-shape\\)`),
      );
      const dir = mkdtempSync(path.join(os.tmpdir(), "zkmips-route-"));
      const file = writeDeployment(s.destFile, dir);
      const out = await run("npx", [
        "zkmips",
        "deploy",
        "--role",
        "route",
        "--rpc",
        c.dst.url,
        "--deployment",
        file,
        "--groth16-key",
        keyDir,
        "--shape-id",
        "other-shape",
      ]);
      expect(out.stdout).to.match(
        new RegExp(`^route ${selector} -> 0x[0-9a-fA-F]{40} \\(verifier 0x[0-9a-fA-F]{40}\\); wrote `),
      );
      const updated = JSON.parse(readFileSync(file, "utf8")) as typeof s.destFile;
      expect(updated.groth16!.map((r) => r.selector)).to.deep.equal([STUB_SELECTOR, selector]);
      expect(updated.groth16![1]).to.deep.include({ shapeId: "other-shape", setup: "dev", keyDir });
      // The recorded proof is submitted now, without proving again.
      const r = await relayOnce(s, calls, { prover: stagedProver(stages) });
      expect(r.report.submitted?.messages).to.equal(1);
      expect(calls).to.deep.equal({ preflight: 1, stark: 1, wrap: 1 });
      await expectDelivered(s, [10]);
    } finally {
      await releaseSnarkjsCurves();
    }
  });

  it("refuses with the preflight's line before proving when the guest cannot be proven (real stages)", async () => {
    const s = await deployStack(c, { groth16: true });
    await s.send(7);
    // The real prover with today's modules, but PV_MAX forced to 256: the refusal path of the
    // relayer does not depend on which prerequisite is missing.
    const prover = groth16Prover({ limits: { pvMax: 256 } });
    const events: RelayerEvent[] = [];
    const r = await Relayer.open(s.relayerOptions({ prover, log: (e) => events.push(e) }));
    const err = await r.step().catch((e: unknown) => e);
    const status = r.status();
    r.close();
    // (The prover loads the preflight lazily, so its ZkmipsError class may be another module instance.)
    expect((err as Error).constructor.name).to.equal("ZkmipsError");
    expect((err as Error).message).to.equal(
      "real mode: the storage-proof guest writes 384 public bytes, the MIPS AIR commits at most 256 (PV_MAX)",
    );
    expect(status.proofs).to.have.length(0);
    expect(events.some((e) => e.event === "stark_proving")).to.equal(false);
    expect(await s.inbox.updateCount()).to.equal(0n);
    expect(
      hexlify(
        await new Contract(
          s.inboxAddr,
          ["function accumulator() view returns (bytes32)"],
          c.dst.provider,
        ).accumulator(),
      ),
    ).to.equal("0x" + "00".repeat(32));
  });
});
