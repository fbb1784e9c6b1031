/**
 * Example of an application's Hardhat test written with the kit (src/kit): ProvenFibonacci
 * against the mock verifier with guest runs from proveForTest, whose cache makes the second run
 * free; and the Groth16 verifier stack fixture.
 */
import { expect } from "chai";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { network } from "hardhat";
import {
  KIT_PROVER_VERSION,
  deployMockVerifier,
  deployVerifierStack,
  proofCacheKey,
  proveForTest,
} from "../../src/kit/index.ts";
import { ZkmipsError } from "../../src/errors.ts";

const { ethers, networkHelpers } = await network.create();
const ELF = new Uint8Array(readFileSync("guests/fibonacci/fibonacci.elf"));
const VKEY = "0x" + "00".repeat(31) + "2a";

function u32(n: number): Uint8Array {
  return new Uint8Array(Uint32Array.of(n).buffer);
}

function fib(n: number): bigint {
  let [a, b] = [0n, 1n];
  for (let i = 0; i < n; i++) [a, b] = [b, (a + b) & ((1n << 64n) - 1n)];
  return a;
}

async function refusal(p: Promise<unknown>): Promise<ZkmipsError> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(ZkmipsError);
    return e as ZkmipsError;
  }
  throw new Error("expected a ZkmipsError");
}

async function appFixture() {
  const { address } = await deployMockVerifier(ethers);
  const app = await ethers.deployContract("ProvenFibonacci", [address, VKEY]);
  return { app };
}

describe("kit: an app's Hardhat test with the mock verifier and the proof cache", () => {
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), "zkmips-proof-cache-"));

  it("proves fib(n) for ProvenFibonacci in mock mode; a repeated request comes from the cache", async () => {
    const { app } = await networkHelpers.loadFixture(appFixture);
    for (const n of [10, 90]) {
      const first = await proveForTest(ELF, u32(n), { mock: true, cacheDir });
      expect(first.cached).to.equal(false);
      expect(first.proofBytes.length).to.equal(0);
      const again = await proveForTest(ELF, u32(n), { mock: true, cacheDir });
      expect(again.cached).to.equal(true);
      expect(again.publicValues).to.deep.equal(first.publicValues);
      await app.submit(again.publicValues, again.proofBytes);
      expect(await app.fibonacci(n)).to.equal(fib(n));
    }
    expect(readdirSync(cacheDir).filter((f) => f.endsWith(".json"))).to.have.length(2);
  });

  it("keys the cache by ELF, input, hints and mode", () => {
    const base = proofCacheKey(ELF, u32(5), "mock");
    const otherElf = ELF.slice();
    otherElf[otherElf.length - 1] ^= 1;
    expect(proofCacheKey(ELF, u32(5), "mock")).to.equal(base);
    expect(proofCacheKey(otherElf, u32(5), "mock")).to.not.equal(base);
    expect(proofCacheKey(ELF, u32(6), "mock")).to.not.equal(base);
    expect(proofCacheKey(ELF, u32(5), "groth16")).to.not.equal(base);
    expect(proofCacheKey(ELF, u32(5), "mock", Uint8Array.of(1))).to.not.equal(base);
    // Length-prefixed parts: moving a byte from the ELF to the input changes the key.
    expect(proofCacheKey(Uint8Array.of(1, 2), Uint8Array.of(3), "mock")).to.not.equal(
      proofCacheKey(Uint8Array.of(1), Uint8Array.of(2, 3), "mock"),
    );
  });

  it("recomputes an entry written by another prover version instead of trusting it", async () => {
    const key = proofCacheKey(ELF, u32(7), "mock");
    const file = path.join(cacheDir, `${key}.json`);
    const bogus = {
      version: KIT_PROVER_VERSION + "-old",
      mode: "mock",
      publicValues: "0x00",
      proofBytes: "0x",
      exitCode: 0,
      cycles: 1,
    };
    writeFileSync(file, JSON.stringify(bogus));
    const p = await proveForTest(ELF, u32(7), { mock: true, cacheDir });
    expect(p.cached).to.equal(false);
    expect(p.publicValues.length).to.equal(12);
    expect(JSON.parse(readFileSync(file, "utf8")).version).to.equal(KIT_PROVER_VERSION);
  });

  it("mock mode proves nothing: a tampered fib value is accepted through the mock verifier", async () => {
    // Mock mode proves nothing: a changed value is accepted by the mock verifier. This is
    // what the kit's docs warn about; real mode is needed for soundness.
    const { app } = await networkHelpers.loadFixture(appFixture);
    const p = await proveForTest(ELF, u32(12), { mock: true, cacheDir });
    const forged = p.publicValues.slice();
    forged[4] ^= 1;
    await app.submit(forged, "0x");
    expect(await app.fibonacci(12)).to.not.equal(fib(12));
  });

  it("takes the ELF's path; a missing or malformed ELF is one ZkmipsError line", async () => {
    const p = await proveForTest("guests/fibonacci/fibonacci.elf", u32(10), { mock: true, cacheDir });
    expect(p.key).to.equal(proofCacheKey(ELF, u32(10), "mock"));
    const missing = await refusal(proveForTest("guests/nope/nope.elf", u32(1), { mock: true, cacheDir }));
    expect(missing.message).to.equal("proveForTest: cannot read the guest ELF guests/nope/nope.elf: ENOENT");
    const junk = await refusal(proveForTest(Uint8Array.of(1, 2, 3), u32(1), { mock: false, cacheDir }));
    expect(junk.message).to.match(/^malformed guest ELF: file is 3 bytes/);
  });

  it("real mode refuses a guest that exits non-zero before proving anything, quoting its error", async function () {
    // Proving takes minutes: a refusal after the prover would time this test out.
    this.timeout(20_000);
    const logs: string[] = [];
    const e = await refusal(
      proveForTest(ELF, new Uint8Array(0), { mock: false, cacheDir, log: (l) => logs.push(l) }),
    );
    expect(e.message).to.equal(
      "proveForTest: the guest exits with status 2 on this input (fibonacci: expected n as a 4-byte little-endian u32 on the input); only status 0 can be proven (nothing was proven)",
    );
    expect(logs).to.deep.equal([]);
    expect(
      existsSync(path.join(cacheDir, `${proofCacheKey(ELF, new Uint8Array(0), "groth16")}.json`)),
    ).to.equal(false);
    // Mock mode reports the exit code instead (the app test may check how a failed run is handled).
    const m = await proveForTest(ELF, new Uint8Array(0), { mock: true, cacheDir });
    expect(m.exitCode).to.equal(2);
  });

  it("recomputes a corrupt or malformed cache entry and says so through log", async () => {
    const key = proofCacheKey(ELF, u32(8), "mock");
    const file = path.join(cacheDir, `${key}.json`);
    const good = {
      version: KIT_PROVER_VERSION,
      mode: "mock",
      publicValues: "0x",
      proofBytes: "0x",
      exitCode: 0,
    };
    for (const [content, why] of [
      ["{ truncated", /unreadable/],
      ["null", /not a JSON object/],
      [JSON.stringify({ ...good, cycles: 1, publicValues: "0xzz" }), /malformed/],
      [JSON.stringify(good), /malformed/], // no cycles
      [JSON.stringify({ ...good, cycles: 1, mode: "groth16" }), /mode groth16, not mock/],
    ] as const) {
      writeFileSync(file, content);
      const logs: string[] = [];
      const p = await proveForTest(ELF, u32(8), { mock: true, cacheDir, log: (l) => logs.push(l) });
      expect(p.cached).to.equal(false);
      expect(p.publicValues.length).to.equal(12);
      expect(logs).to.have.length(1);
      expect(logs[0]).to.match(why);
      expect((await proveForTest(ELF, u32(8), { mock: true, cacheDir })).cached).to.equal(true);
    }
  });

  it("a real-mode cache hit needs its verifier file: a hit while it exists, recomputed when it is gone", async function () {
    this.timeout(20_000);
    // The empty input makes fibonacci exit 2, so a recomputation stops at the refusal, before proving.
    const none = new Uint8Array(0);
    const file = path.join(cacheDir, `${proofCacheKey(ELF, none, "groth16")}.json`);
    const verifierSol = path.join(cacheDir, "Verifier.sol");
    writeFileSync(verifierSol, "// stand-in\n");
    const entry = {
      version: KIT_PROVER_VERSION,
      mode: "groth16",
      publicValues: "0x0a",
      proofBytes: "0x" + "11".repeat(260),
      exitCode: 0,
      cycles: 5,
      groth16: { selector: "0x12345678", verifierSol, contractName: "V", shapeId: "s", programVKey: VKEY },
    };
    writeFileSync(file, JSON.stringify(entry));
    const hit = await proveForTest(ELF, none, { mock: false, cacheDir });
    expect(hit.cached).to.equal(true);
    expect(hit.groth16).to.deep.equal(entry.groth16);
    expect(hit.proofBytes.length).to.equal(260);
    rmSync(verifierSol);
    const logs: string[] = [];
    const e = await refusal(proveForTest(ELF, none, { mock: false, cacheDir, log: (l) => logs.push(l) }));
    expect(logs[0]).to.match(/its verifier .*Verifier\.sol is gone$/);
    expect(e.message).to.match(/^proveForTest: the guest exits with status 2/);
    const d = await refusal(
      deployVerifierStack(ethers, { selector: "0x12345678", verifierSol, contractName: "V" }),
    );
    expect(d.message).to.match(/^deployVerifierStack: the Groth16 verifier .* does not exist$/);
  });

  it("deployVerifierStack compiles a generated verifier file (solc) and a real Groth16 proof passes", async () => {
    // The committed statement-stub key's generated verifier and its sample proof (real Groth16,
    // the stand-in circuit accepts any statement): what a real-mode TestProof.groth16 points at.
    const sample = JSON.parse(readFileSync("circuits/test-groth16/fixture/sample-proof.json", "utf8")) as {
      selector: string;
      programVKey: string;
      publicValues: string;
      proofBytes: string;
    };
    const stack = await deployVerifierStack(ethers, {
      selector: sample.selector,
      verifierSol: "contracts/generated/Groth16VerifierStatementStub.sol",
      contractName: "Groth16VerifierStatementStub",
    });
    const gateway = await ethers.getContractAt("MipsVerifierGateway", stack.gateway.address);
    await gateway.verifyProof(sample.programVKey, sample.publicValues, sample.proofBytes);
    const adapter = await ethers.getContractAt("MipsVerifierGroth16", stack.adapter.address);
    await expect(
      gateway.verifyProof(sample.programVKey, sample.publicValues + "00", sample.proofBytes),
    ).to.be.revertedWithCustomError(adapter, "InvalidProof");
  });

  it("deployVerifierStack routes the selector through the gateway to MipsVerifierGroth16", async () => {
    const stack = await deployVerifierStack(ethers, { selector: "0x1234abcd" });
    const gateway = await ethers.getContractAt("MipsVerifierGateway", stack.gateway.address);
    expect(await gateway.getVerifier("0x1234abcd")).to.equal(stack.adapter.address);
    const adapter = await ethers.getContractAt("MipsVerifierGroth16", stack.adapter.address);
    expect(await adapter.GROTH16_VERIFIER()).to.equal(stack.groth16Verifier.address);
    await expect(
      gateway.verifyProof(VKEY, "0x", "0x1234abcd" + "00".repeat(256)),
    ).to.be.revertedWithCustomError(adapter, "InvalidProof");
    await expect(gateway.verifyProof(VKEY, "0x", "0xdeadbeef")).to.be.revertedWithCustomError(
      gateway,
      "RouteNotFound",
    );
  });
});
