import { expect } from "chai";
import { createHash } from "node:crypto";
import type { Builder, Lc } from "../../src/wrap/r1cs/builder.ts";
import { R } from "../../src/wrap/r1cs/field.ts";
import { digestMasked253, sha256MaxBlocks, sha256Var } from "../../src/wrap/r1cs/gadgets/sha256.ts";
import {
  build,
  circomWitness,
  compileCircom,
  r1csInfo,
  snarkjsAccepts,
  tamperAt,
  terminateCurves,
} from "./r1cs-helpers.ts";

const sha = (m: Uint8Array): Buffer => createHash("sha256").update(m).digest();
const words = (d: Buffer): bigint[] => Array.from({ length: 8 }, (_, i) => BigInt(d.readUInt32BE(4 * i)));

function bytes(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 131 + seed * 17 + ((i * i) >> 3)) & 0xff);
}

/** Circuit: digest words of msg[0..len) with maxLen bytes, asserted equal to public `expected` words. */
const circuit =
  (msg: Uint8Array, maxLen: number, expected: bigint[], out?: { words?: Lc[] }) =>
  (b: Builder): void => {
    const pub = expected.map((w) => b.publicInput(w));
    const m = Array.from({ length: maxLen }, (_, i) => b.privateInput(i < msg.length ? BigInt(msg[i]) : 0n));
    const res = sha256Var(b, m, b.privateInput(BigInt(msg.length)));
    res.words.forEach((w, i) => b.assertEqual(w, pub[i]));
    if (out) out.words = res.words;
  };

describe("gadgets: SHA-256 over a variable-length message", () => {
  after(terminateCurves);

  it("equals node:crypto for lengths around every padding boundary (maxLen 120, 3 blocks)", async () => {
    const maxLen = 120;
    expect(sha256MaxBlocks(maxLen)).to.equal(3);
    for (const len of [0, 1, 55, 56, 63, 64, 119, 120]) {
      const msg = bytes(len, len);
      const out: { words?: Lc[] } = {};
      const b = build(circuit(msg, maxLen, words(sha(msg)), out));
      expect(
        (out.words as Lc[]).map((w) => b.value(w)),
        `len ${len}`,
      ).to.deep.equal(words(sha(msg)));
      expect(b.check(b.witness()).ok, `len ${len}`).to.equal(true);
    }
  });

  it("costs fewer rows per block than circomlib Sha256 and matches its digest", async () => {
    const art = compileCircom("sha256_440");
    const msg = bytes(55, 3);
    const inBits = Array.from(msg).flatMap((x) =>
      Array.from({ length: 8 }, (_, k) => String((x >> (7 - k)) & 1)),
    );
    const cw = await circomWitness(art, { in: inBits });
    const digestBits = cw.slice(1, 257);
    const circomDigest = Buffer.alloc(32);
    digestBits.forEach((bit, i) => {
      if (bit === 1n) circomDigest[i >> 3] |= 0x80 >> (i & 7);
    });
    expect(circomDigest.equals(sha(msg))).to.equal(true);
    const b = build(circuit(msg, 55, words(sha(msg))));
    expect(b.check(b.witness()).ok).to.equal(true);
    expect(await snarkjsAccepts(b, b.witness())).to.equal(true);
    const theirs = (await r1csInfo(art.r1cs)).nConstraints;
    // ours includes in-circuit padding for any length ≤ 55 and the byte range checks
    expect(b.nConstraints).to.be.below(theirs);
  });

  it("rejects a wrong digest (one public word off by one), in check and snarkjs", async () => {
    const msg = bytes(10, 1);
    const wrong = words(sha(msg));
    wrong[7] = (wrong[7] + 1n) % R;
    const b = build(circuit(msg, 20, wrong));
    expect(b.check(b.witness()).ok).to.equal(false);
    expect(await snarkjsAccepts(b, b.witness())).to.equal(false);
  });

  it("rejects a length one-hot that points at another length than the private length", async () => {
    const msg = bytes(10, 2);
    const shifted = tamperAt("sha256.eq", (eq) => eq.map((_, i) => (i + 1 === 11 ? 1n : 0n)));
    const b = build(circuit(msg, 20, words(sha(msg))), shifted);
    const res = b.check(b.witness());
    expect(res.ok).to.equal(false);
    expect(await snarkjsAccepts(b, b.witness())).to.equal(false);
  });

  it("rejects a message byte ≥ 256 below the length", async () => {
    const b = build((bb) => {
      const m = [bb.privateInput(300n), bb.privateInput(1n)];
      sha256Var(bb, m, bb.privateInput(2n));
    });
    const res = b.check(b.witness());
    expect(res.ok).to.equal(false);
    expect(res.failed?.label).to.contain("sha256/num2bits8");
  });

  it("rejects a length above maxLen", () => {
    const b = build((bb) => {
      const m = [bb.privateInput(1n), bb.privateInput(1n)];
      sha256Var(bb, m, bb.privateInput(3n));
    });
    expect(b.check(b.witness()).ok).to.equal(false);
  });

  it("masks the digest to 253 bits as the contracts do", () => {
    const msg = bytes(33, 9);
    const d = sha(msg);
    const want = BigInt("0x" + d.toString("hex")) & ((1n << 253n) - 1n);
    const b = build((bb) => {
      const m = Array.from(msg, (x) => bb.privateInput(BigInt(x)));
      const res = sha256Var(bb, m, bb.privateInput(BigInt(msg.length)));
      expect(bb.value(digestMasked253(bb, res.words))).to.equal(want);
    });
    expect(b.check(b.witness()).ok).to.equal(true);
  });
});
