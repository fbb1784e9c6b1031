/**
 * The wrap statement layer's own constraints, on a real Fibonacci STARK proof: each test
 * corrupts exactly one witness value and requires the circuit check to fail at the named row.
 * The layout here is `wordsLayout(3)` widened to PV_MAX 16 (len 12), so there are bytes past
 * the length.
 */
import { expect } from "chai";
import { decodeProof, prove, setup } from "../../src/stark/index.ts";
import { Builder } from "../../src/wrap/r1cs/builder.ts";
import {
  type StatementLayout,
  emitWrapStatement,
  wordsLayout,
  wordsPublicValues,
} from "../../src/wrap/statement.ts";
import { publicValuesDigest } from "../../src/wrap/groth16/proof-bytes.ts";
import { TEST_OPTIONS, fibonacci } from "../stark/airs.ts";

const inner = wordsLayout(3);
/** words3 with 4 spare bytes: len must be 12, bytes 12..15 must be 0. */
const wide: StatementLayout = { ...inner, name: "words3-wide", pvMax: 16 };

describe("wrap statement layer (2 public inputs, private public-values bytes)", function () {
  this.timeout(120_000);
  let b: Builder;
  let honest: bigint[];
  const pv = (() => {
    const inst = fibonacci();
    return { inst, bytes: wordsPublicValues(inst.publicInputs) };
  })();

  before(async () => {
    const { inst, bytes } = pv;
    const pk = await setup(inst.air, TEST_OPTIONS);
    const proof = decodeProof(
      inst.air,
      TEST_OPTIONS,
      (await prove(pk, inst.traces, inst.publicInputs, {})).bytes,
    ).proof;
    b = new Builder({ mode: "both" });
    emitWrapStatement(b, inst.air, TEST_OPTIONS, proof.logHeights, wide, {
      vkey: pk.vkey,
      publicValues: bytes,
      proof,
    });
    honest = b.witness();
  });

  // wires: 0 = 1, 1 = programVKey, 2 = digest, 3 = len, 4.. = bytes
  const BYTE = (i: number) => 4 + i;
  const corrupt = (wire: number, f: (x: bigint) => bigint) => {
    const w = honest.slice();
    w[wire] = f(w[wire]);
    return b.check(w);
  };

  it("accepts the honest witness; public inputs are exactly [programVKey, sha256(pv) & (2^253-1)]", () => {
    expect(b.nPublic).to.equal(2);
    expect(honest[2]).to.equal(publicValuesDigest(pv.bytes));
    expect(b.check(honest).ok).to.equal(true);
  });

  it("rejects a digest public input that is not the SHA-256 of the bytes", () => {
    const r = corrupt(2, (x) => x + 1n);
    expect(r.ok).to.equal(false);
    expect(r.failed!.label).to.match(/^statement\.digest/);
  });

  it("rejects a non-zero byte past the length", () => {
    const r = corrupt(BYTE(13), () => 7n);
    expect(r.ok).to.equal(false);
    expect(r.failed!.label).to.match(/^statement\.bytes/);
  });

  it("rejects a byte ≥ 256 even when it leaves the STARK word unchanged (b0 + 256, b1 − 1)", () => {
    const w = honest.slice();
    const j = [0, 1, 2, 4, 5, 6, 8, 9, 10].find((i) => w[BYTE(i + 1)] > 0n)!;
    w[BYTE(j)] += 256n;
    w[BYTE(j + 1)] -= 1n;
    const r = b.check(w);
    expect(r.ok).to.equal(false);
    expect(r.failed!.label).to.match(/^statement\.bytes/);
  });

  it("rejects a length other than the one the bytes were hashed with", () => {
    const r = corrupt(3, () => 13n);
    expect(r.ok).to.equal(false);
  });
});
