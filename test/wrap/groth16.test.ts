/**
 * Groth16 keys, proofs and encodings: the dev setup's .zkey must be accepted by snarkjs's prover
 * and its proofs by snarkjs's and @noble/curves' verifiers; corrupted proofs, wrong public inputs
 * and malformed files must be rejected.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { expect } from "chai";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { ZkmipsError } from "../../src/errors.ts";
import { parseBinFile, section } from "../../src/wrap/groth16/binfile.ts";
import { devSetup } from "../../src/wrap/groth16/dev-setup.ts";
import { Q, R, rootOfUnity } from "../../src/wrap/groth16/fr.ts";
import {
  PROOF_BYTES_LENGTH,
  bytesToHex,
  decodeProofBytes,
  encodeProofBytes,
  verifierSelector,
  vkeyWords,
  type Groth16Proof,
} from "../../src/wrap/groth16/proof-bytes.ts";
import {
  parseGroth16ProofFile,
  readGroth16ProofFile,
  writeGroth16ProofFile,
} from "../../src/wrap/groth16/proof-file.ts";
import { proveGroth16, verifyGroth16, verifyGroth16Noble } from "../../src/wrap/groth16/prove.ts";
import { R1csFile } from "../../src/wrap/groth16/r1cs-file.ts";
import { verifyGroth16ProofFile } from "../../src/wrap/groth16/verify-file.ts";
import { setupGroth16 } from "../../src/wrap/groth16/setup.ts";
import { loadSnarkjs, releaseSnarkjsCurves, type SnarkjsVkey } from "../../src/wrap/groth16/snarkjs.ts";
import { generateSolidityVerifier } from "../../src/wrap/groth16/solidity.ts";
import { TEST_OUT, compileCircuit, witness, writeChain, type CompiledCircuit } from "./groth16-support.ts";

// snarkjs keeps its curve worker threads alive; release them so mocha can exit.
after(releaseSnarkjsCurves);

const stubInput = (programVKey: bigint, digest: bigint) => ({
  programVKey,
  publicValuesDigest: digest,
  k: 5n,
});

async function devKey(c: CompiledCircuit, name: string): Promise<{ zkey: string; vkey: SnarkjsVkey }> {
  const zkey = `${TEST_OUT}/${name}.dev.zkey`;
  await devSetup(c.r1cs, zkey, { threads: 1 });
  const vkey = await (await loadSnarkjs()).zKey.exportVerificationKey(zkey);
  return { zkey, vkey };
}

function flipWord(p: Groth16Proof, which: "a.y" | "c.x"): Groth16Proof {
  const q: Groth16Proof = structuredClone(p);
  if (which === "a.y") q.a[1] ^= 1n;
  else q.c[0] ^= 1n;
  return q;
}

describe("Groth16 dev setup (snarkjs-compatible .zkey)", function () {
  this.timeout(120_000);
  let stub: CompiledCircuit;
  let stubKey: { zkey: string; vkey: SnarkjsVkey };

  before(async () => {
    stub = compileCircuit("statement_stub");
    stubKey = await devKey(stub, "statement_stub");
  });

  it("uses ffjavascript's roots of unity (snarkjs's FFT domains)", async () => {
    const ff = (await import("ffjavascript" as string)) as {
      buildBn128(single: boolean): Promise<{ Fr: { w: unknown[]; toObject(x: unknown): bigint } }>;
    };
    const curve = await ff.buildBn128(true);
    for (const k of [1, 3, 10, 21, 28]) expect(rootOfUnity(k)).to.equal(curve.Fr.toObject(curve.Fr.w[k]));
  });

  it("two public inputs: snarkjs proves with the key and snarkjs and noble accept the proof", async () => {
    const w = await witness(stub, stubInput(0xabcn, 12345n));
    const { proof, publicSignals } = await proveGroth16(stubKey.zkey, w);
    expect(publicSignals).to.deep.equal([0xabcn, 12345n]);
    expect(await verifyGroth16(stubKey.vkey, publicSignals, proof)).to.equal(true);
    expect(verifyGroth16Noble(stubKey.vkey, publicSignals, proof)).to.equal(true);
  });

  it("one public output: snarkjs fullProve with the key is accepted", async () => {
    const c = compileCircuit("one_output");
    const { zkey, vkey } = await devKey(c, "one_output");
    const sj = await loadSnarkjs();
    const res = await sj.groth16.fullProve({ x: 3 }, c.wasm, zkey);
    expect(res.publicSignals).to.deep.equal(["35"]);
    expect(await sj.groth16.verify(vkey, res.publicSignals, res.proof)).to.equal(true);
  });

  it("rejects a proof whose a.y or c.x coordinate is flipped (snarkjs and noble)", async () => {
    const w = await witness(stub, stubInput(7n, 8n));
    const { proof, publicSignals } = await proveGroth16(stubKey.zkey, w);
    for (const which of ["a.y", "c.x"] as const) {
      const bad = flipWord(proof, which);
      expect(await verifyGroth16(stubKey.vkey, publicSignals, bad), which).to.equal(false);
      expect(verifyGroth16Noble(stubKey.vkey, publicSignals, bad), which).to.equal(false);
    }
  });

  it("rejects a valid proof presented with another public input or an aliased one (pub + r)", async () => {
    const w = await witness(stub, stubInput(7n, 8n));
    const { proof } = await proveGroth16(stubKey.zkey, w);
    for (const pubs of [
      [7n, 9n],
      [8n, 7n],
      [7n + R, 8n],
    ]) {
      expect(await verifyGroth16(stubKey.vkey, pubs, proof)).to.equal(false);
      expect(verifyGroth16Noble(stubKey.vkey, pubs, proof)).to.equal(false);
    }
  });

  it("a fresh dev key does not accept proofs made with another dev key (independent toxic waste)", async () => {
    const other = await devKey(stub, "statement_stub_other");
    const w = await witness(stub, stubInput(1n, 2n));
    const { proof, publicSignals } = await proveGroth16(stubKey.zkey, w);
    expect(await verifyGroth16(other.vkey, publicSignals, proof)).to.equal(false);
  });

  it("works for an R1CS written without circom, proved from raw wire values (2^6 domain)", async () => {
    const c = writeChain(`${TEST_OUT}/chain`, 6, 9n);
    const zkey = `${TEST_OUT}/chain/chain_6.zkey`;
    await devSetup(c.r1cs, zkey, { threads: 1 });
    const vkey = await (await loadSnarkjs()).zKey.exportVerificationKey(zkey);
    const { proof, publicSignals } = await proveGroth16(zkey, c.witness);
    expect(publicSignals).to.deep.equal([c.witness[1], 9n]);
    expect(await verifyGroth16(vkey, publicSignals, proof)).to.equal(true);
    const wrong = [...c.witness];
    wrong[5] = wrong[5]! + 1n; // breaks a constraint: the proof must not verify
    const bad = await proveGroth16(zkey, wrong);
    expect(await verifyGroth16(vkey, bad.publicSignals, bad.proof)).to.equal(false);
  });

  it("rejects a key whose H section was corrupted: the proof no longer verifies", async () => {
    const bytes = new Uint8Array(fs.readFileSync(stubKey.zkey));
    const file = parseBinFile(bytes, "zkey", "test");
    const h = section(file, 9, "test");
    // Replace H_0 by H_1: both valid curve points, so the prover runs but the proof is wrong.
    bytes.copyWithin(h.offset, h.offset + 64, h.offset + 128);
    const bad = `${TEST_OUT}/statement_stub.badH.zkey`;
    fs.writeFileSync(bad, bytes);
    const w = await witness(stub, stubInput(3n, 4n));
    const { proof, publicSignals } = await proveGroth16(bad, w);
    expect(await verifyGroth16(stubKey.vkey, publicSignals, proof)).to.equal(false);
  });
});

describe("Groth16 ceremony path (snarkjs powers of tau, tiny ptau made in the test)", function () {
  this.timeout(180_000);
  const ptau = `${TEST_OUT}/test_pow6_final.ptau`;
  let stub: CompiledCircuit;

  before(async () => {
    stub = compileCircuit("statement_stub");
    if (fs.existsSync(ptau)) return;
    const sj = await loadSnarkjs();
    const curve = await sj.curves.getCurveFromName("bn128");
    await sj.powersOfTau.newAccumulator(curve, 6, `${TEST_OUT}/pow6_0.ptau`);
    await sj.powersOfTau.contribute(
      `${TEST_OUT}/pow6_0.ptau`,
      `${TEST_OUT}/pow6_1.ptau`,
      "test",
      "test entropy",
    );
    await sj.powersOfTau.preparePhase2(`${TEST_OUT}/pow6_1.ptau`, `${ptau}.tmp`);
    fs.renameSync(`${ptau}.tmp`, ptau);
  });

  it("writes the same coefficient section and header counts as snarkjs's zkey new", async () => {
    const sj = await loadSnarkjs();
    const ceremony = `${TEST_OUT}/statement_stub.ceremony.zkey`;
    await sj.zKey.newZKey(stub.r1cs, ptau, ceremony);
    const dev = `${TEST_OUT}/statement_stub.devcmp.zkey`;
    await devSetup(stub.r1cs, dev, { threads: 1 });
    const a = parseBinFile(new Uint8Array(fs.readFileSync(ceremony)), "zkey", "snarkjs");
    const b = parseBinFile(new Uint8Array(fs.readFileSync(dev)), "zkey", "dev");
    const sec = (f: typeof a, id: number) => {
      const s = section(f, id, "t");
      return Buffer.from(f.bytes.subarray(s.offset, s.offset + s.size));
    };
    expect(sec(b, 4).equals(sec(a, 4))).to.equal(true);
    expect(sec(b, 2).subarray(0, 84).equals(sec(a, 2).subarray(0, 84))).to.equal(true); // q, r, nVars, nPublic, domain
    for (const id of [3, 5, 6, 7, 8, 9])
      expect(section(b, id, "t").size, `section ${id}`).to.equal(section(a, id, "t").size);
  });

  it("setupGroth16 --ptau --contribute: the contributed key proves and verifies; its vkey rejects a dev-key proof", async () => {
    const root = `${TEST_OUT}/cache-ceremony`;
    fs.rmSync(root, { recursive: true, force: true });
    const res = await setupGroth16({
      r1cs: stub.r1cs,
      mode: "ceremony",
      ptau,
      contribute: true,
      cacheRoot: root,
    });
    expect(res.meta.mode).to.equal("ceremony");
    expect(res.meta.setupId).to.match(/^ptau-[0-9a-f]{16}-c$/);
    const w = await witness(stub, stubInput(21n, 22n));
    const { proof, publicSignals } = await proveGroth16(res.paths.zkey, w);
    expect(await verifyGroth16(res.vkey, publicSignals, proof)).to.equal(true);
    expect(verifyGroth16Noble(res.vkey, publicSignals, proof)).to.equal(true);
    const devRes = await setupGroth16({ r1cs: stub.r1cs, mode: "dev", cacheRoot: root, threads: 1 });
    const devProof = await proveGroth16(devRes.paths.zkey, w);
    expect(await verifyGroth16(devRes.vkey, devProof.publicSignals, devProof.proof)).to.equal(true);
    expect(await verifyGroth16(res.vkey, devProof.publicSignals, devProof.proof)).to.equal(false);
  });

  it("rejects a ptau that is not prepared for phase 2 with a one-line error", async () => {
    const err = await setupGroth16({
      r1cs: stub.r1cs,
      mode: "ceremony",
      ptau: `${TEST_OUT}/pow6_1.ptau`,
      cacheRoot: `${TEST_OUT}/cache-bad`,
    }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ZkmipsError);
    expect((err as Error).message).to.match(/not prepared/i);
  });
});

describe("Groth16 artifact cache", function () {
  this.timeout(60_000);
  it("reuses a complete cached key and refuses a cached key whose zkey changed", async () => {
    const stub = compileCircuit("statement_stub");
    const root = `${TEST_OUT}/cache-dev`;
    fs.rmSync(root, { recursive: true, force: true });
    const first = await setupGroth16({ r1cs: stub.r1cs, mode: "dev", cacheRoot: root, threads: 1 });
    expect(first.reused).to.equal(false);
    expect(fs.readFileSync(first.paths.verifier, "utf8")).to.contain(`contract ${first.meta.contractName} {`);
    const second = await setupGroth16({ r1cs: stub.r1cs, mode: "dev", cacheRoot: root, threads: 1 });
    expect(second.reused).to.equal(true);
    expect(second.meta.selector).to.equal(first.meta.selector);
    fs.appendFileSync(first.paths.zkey, "x");
    const err = await setupGroth16({ r1cs: stub.r1cs, mode: "dev", cacheRoot: root }).catch(
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(ZkmipsError);
    expect((err as Error).message).to.contain("does not match its recorded hash");
  });
});

describe("proofBytes and the verifier selector", () => {
  const proof: Groth16Proof = {
    a: [1n, 2n],
    b: [
      [3n, 4n],
      [5n, 6n],
    ],
    c: [7n, Q - 1n],
  };

  it("encodes selector || a.x a.y b.x1 b.x0 b.y1 b.y0 c.x c.y (260 bytes) and decodes it back", () => {
    const b = encodeProofBytes("0xdeadBEEF", proof);
    expect(b.length).to.equal(PROOF_BYTES_LENGTH);
    expect(bytesToHex(b.subarray(0, 4))).to.equal("0xdeadbeef");
    const word = (i: number) => BigInt(bytesToHex(b.subarray(4 + 32 * i, 36 + 32 * i)));
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(word)).to.deep.equal([1n, 2n, 4n, 3n, 6n, 5n, 7n, Q - 1n]);
    expect(decodeProofBytes(b)).to.deep.equal({ selector: "0xdeadbeef", proof });
    expect(decodeProofBytes(bytesToHex(b)).proof).to.deep.equal(proof);
  });

  it("decodeProofBytes rejects wrong lengths, non-hex text and words >= q with ZkmipsError", () => {
    const b = encodeProofBytes("0x01020304", proof);
    const bad: (Uint8Array | string)[] = [
      b.subarray(0, 259),
      new Uint8Array(261),
      new Uint8Array(0),
      "0x" + "zz".repeat(260),
      "deadbeef",
      "0x123",
    ];
    const overQ = Uint8Array.from(b);
    overQ.fill(0xff, 4 + 32 * 7, 4 + 32 * 8);
    bad.push(overQ);
    for (const x of bad) expect(() => decodeProofBytes(x)).to.throw(ZkmipsError);
    expect(() => encodeProofBytes("0x123", proof)).to.throw(ZkmipsError);
  });

  it("selector = bytes4(keccak256(the generated verifier's constants in declaration order))", async () => {
    const stub = compileCircuit("statement_stub");
    const zkey = `${TEST_OUT}/statement_stub.sel.zkey`;
    await devSetup(stub.r1cs, zkey, { threads: 1 });
    const sol = await generateSolidityVerifier(zkey, "SelectorCheck");
    const constants = [...sol.matchAll(/uint256 constant (\w+)\s*=\s*(\d+);/g)]
      .filter((m) => m[1] !== "r" && m[1] !== "q")
      .map((m) => BigInt(m[2]!));
    const vkey = await (await loadSnarkjs()).zKey.exportVerificationKey(zkey);
    expect(constants).to.deep.equal(vkeyWords(vkey));
    const packed = Buffer.concat(constants.map((x) => Buffer.from(x.toString(16).padStart(64, "0"), "hex")));
    expect(verifierSelector(vkey)).to.equal(bytesToHex(keccak_256(packed).subarray(0, 4)));
  });

  it("the committed Solidity fixture verifier matches the committed fixture key", async () => {
    const sol = await generateSolidityVerifier(
      "circuits/test-groth16/fixture/statement_stub.zkey",
      "Groth16VerifierStatementStub",
    );
    expect(sol).to.equal(fs.readFileSync("contracts/generated/Groth16VerifierStatementStub.sol", "utf8"));
  });
});

describe("proof.groth16.json", () => {
  const proofBytes = bytesToHex(
    encodeProofBytes("0x0a0b0c0d", {
      a: [1n, 2n],
      b: [
        [3n, 4n],
        [5n, 6n],
      ],
      c: [7n, 8n],
    }),
  );
  const good = {
    version: 1,
    shapeId: "s16",
    selector: "0x0a0b0c0d",
    programVKey: `0x${"11".repeat(32)}`,
    publicValues: "0x0102",
    proofBytes,
  };

  it("round-trips through write and read", () => {
    const p = `${TEST_OUT}/proof.groth16.json`;
    fs.mkdirSync(TEST_OUT, { recursive: true });
    writeGroth16ProofFile(p, good as never);
    expect(readGroth16ProofFile(p)).to.deep.equal(good);
  });

  it("rejects a missing field, an extra field, a selector mismatch and short proofBytes", () => {
    const { shapeId: _s, ...missing } = good;
    for (const bad of [
      missing,
      { ...good, extra: 1 },
      { ...good, selector: "0x0a0b0c0e" },
      { ...good, proofBytes: proofBytes.slice(0, -2) },
      { ...good, version: 2 },
      { ...good, programVKey: "0x11" },
    ]) {
      expect(() => parseGroth16ProofFile(bad)).to.throw(ZkmipsError);
    }
  });

  it("reports a file that is not JSON as a ZkmipsError", () => {
    const p = `${TEST_OUT}/not-json.groth16.json`;
    fs.writeFileSync(p, "{");
    expect(() => readGroth16ProofFile(p)).to.throw(ZkmipsError, /not JSON/);
  });
});

describe("R1CS reader", () => {
  it("rejects truncated files, a foreign magic and another prime with ZkmipsError", () => {
    const stub = compileCircuit("statement_stub");
    const bytes = new Uint8Array(fs.readFileSync(stub.r1cs));
    const ok = R1csFile.parse(bytes, "ok");
    expect(ok.header).to.include({ nPublic: 2, nConstraints: 3 });
    expect(() => R1csFile.parse(bytes.subarray(0, bytes.length - 5), "t")).to.throw(ZkmipsError);
    expect(() => R1csFile.parse(bytes.subarray(0, 8), "t")).to.throw(ZkmipsError);
    const magic = Uint8Array.from(bytes);
    magic[0] = 0x78;
    expect(() => R1csFile.parse(magic, "t")).to.throw(ZkmipsError, /magic/);
    const file = parseBinFile(bytes, "r1cs", "t");
    const h = section(file, 1, "t");
    const prime = Uint8Array.from(bytes);
    prime[h.offset + 4]! ^= 1;
    expect(() => R1csFile.parse(prime, "t")).to.throw(ZkmipsError, /BN254/);
  });

  it("rejects a constraint that names a wire beyond nWires", () => {
    const stub = compileCircuit("statement_stub");
    const bytes = Uint8Array.from(fs.readFileSync(stub.r1cs));
    const file = parseBinFile(bytes, "r1cs", "t");
    const c = section(file, 2, "t");
    file.view.setUint32(c.offset + 4, 1000, true); // first term's wire id
    expect(() => R1csFile.parse(bytes, "t").forEachTerm(() => {})).to.throw(ZkmipsError, /wire 1000/);
  });
});

describe("zkmips setup (CLI)", function () {
  this.timeout(120_000);
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ["bin/zkmips.js", "setup", ...args], { encoding: "utf8", timeout: 100_000 });

  it("refuses an ambiguous mode with one error line and exit code 1", () => {
    const r = run("--dev", "--ptau", "x.ptau", "--r1cs", "x.r1cs");
    expect(r.status).to.equal(1);
    expect(r.stderr.trim().split("\n")).to.have.length(1);
    expect(r.stderr).to.match(/^zkmips: error: choose exactly one of --dev and --ptau/);
  });

  it("--dev writes the key, verifier and selector, with the not-for-production banner", () => {
    const stub = compileCircuit("statement_stub");
    const root = `${TEST_OUT}/cache-cli`;
    fs.rmSync(root, { recursive: true, force: true });
    const r = run("--dev", "--r1cs", stub.r1cs, "--cache", root, "--threads", "1");
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stderr).to.contain("NOT FOR PRODUCTION");
    const selector = /selector\s+(0x[0-9a-f]{8})/.exec(r.stdout)?.[1];
    const dir = fs.readdirSync(`${root}/groth16`)[0]!;
    const meta = JSON.parse(fs.readFileSync(`${root}/groth16/${dir}/dev/meta.json`, "utf8")) as {
      selector: string;
    };
    expect(meta.selector).to.equal(selector);
  });
});

describe("verifyGroth16ProofFile (off-chain check of proof.groth16.json)", function () {
  this.timeout(60_000);
  const sample = JSON.parse(fs.readFileSync("circuits/test-groth16/fixture/sample-proof.json", "utf8")) as {
    selector: string;
    programVKey: string;
    publicValues: string;
    proofBytes: string;
  };
  const vkey = JSON.parse(fs.readFileSync("circuits/test-groth16/fixture/vkey.json", "utf8")) as SnarkjsVkey;
  const file = parseGroth16ProofFile({
    version: 1,
    shapeId: "stub",
    selector: sample.selector,
    programVKey: sample.programVKey,
    publicValues: sample.publicValues,
    proofBytes: sample.proofBytes,
  });

  it("accepts the committed fixture proof", async () => {
    const v = await verifyGroth16ProofFile(file, vkey);
    expect(v.ok).to.equal(true);
  });

  it("names the failed check: changed publicValues -> pairing, another key -> selector", async () => {
    const changed = { ...file, publicValues: file.publicValues.slice(0, -2) + "00" };
    const v1 = await verifyGroth16ProofFile(changed, vkey, { noble: false });
    expect(v1).to.include({ ok: false, failed: "pairing" });
    const otherKey = await devKey(compileCircuit("statement_stub"), "statement_stub_sel2");
    const v2 = await verifyGroth16ProofFile(file, otherKey.vkey);
    expect(v2).to.include({ ok: false, failed: "selector" });
  });
});
