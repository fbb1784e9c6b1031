import { expect } from "chai";
import { merkleCommit, merkleOpen, type MatrixData } from "../../src/hash/merkle.ts";
import { hashValues as hashValuesTs } from "../../src/hash/sponge.ts";
import { poseidonReference } from "../../src/hash/poseidon-reference.ts";
import { Transcript } from "../../src/hash/transcript.ts";
import type { Builder, Lc } from "../../src/wrap/r1cs/builder.ts";
import { R } from "../../src/wrap/r1cs/field.ts";
import { KB_P } from "../../src/wrap/r1cs/gadgets/koalabear.ts";
import { hashValues, merkleVerify } from "../../src/wrap/r1cs/gadgets/merkle.ts";
import { TranscriptCircuit } from "../../src/wrap/r1cs/gadgets/transcript.ts";
import { build, snarkjsAccepts, tamperAt, terminateCurves } from "./r1cs-helpers.ts";

function matrix(width: number, height: number, seed: number): MatrixData {
  const values = new Uint32Array(width * height);
  let s = seed;
  for (let i = 0; i < values.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    values[i] = s % Number(KB_P);
  }
  return { values, width, height };
}

const bitsOf = (x: number, n: number): bigint[] => Array.from({ length: n }, (_, i) => BigInt((x >>> i) & 1));

async function expectRejected(b: Builder, label?: string): Promise<void> {
  const res = b.check(b.witness());
  expect(res.ok, "builder check").to.equal(false);
  if (label) expect(res.failed?.label).to.contain(label);
  expect(await snarkjsAccepts(b, b.witness()), "snarkjs wtns check").to.equal(false);
}

describe("gadgets: Merkle paths and transcript (mirroring src/hash)", () => {
  after(terminateCurves);

  it("hashValues equals src/hash/sponge.ts for 1, 8, 9, 128, 130 values", () => {
    for (const n of [1, 8, 9, 128, 130]) {
      const m = matrix(n, 1, n);
      const b = build((bb) => {
        const h = hashValues(
          bb,
          Array.from(m.values, (v) => bb.privateInput(BigInt(v))),
        );
        expect(bb.value(h), `n=${n}`).to.equal(hashValuesTs(m.values));
      });
      expect(b.check(b.witness()).ok).to.equal(true);
    }
  });

  // Mixed heights: 16 rows (width 3 and 9), 4 rows (width 2), so an injection at level 2.
  const mats = [matrix(3, 16, 1), matrix(2, 4, 2), matrix(9, 16, 3)];
  const shapes = mats.map((m) => ({ width: m.width, height: m.height }));

  const circuit =
    (root: bigint, index: number, opening: { rows: Uint32Array[]; path: bigint[] }) =>
    (bb: Builder): void => {
      const r = bb.publicInput(root);
      const bits = bitsOf(index, 4).map((v) => bb.privateInput(v));
      bits.forEach((x) => bb.assertBoolean(x));
      const rows = opening.rows.map((row) => Array.from(row, (v) => bb.privateInput(BigInt(v))));
      const path = opening.path.map((p) => bb.privateInput(p));
      merkleVerify(bb, r, shapes, bits, rows, path);
    };

  it("accepts merkleOpen's opening of a mixed-height commitment at every index", async () => {
    const tree = await merkleCommit(mats);
    for (let index = 0; index < 16; index += 5) {
      const b = build(circuit(tree.root, index, merkleOpen(tree, index)));
      expect(b.check(b.witness()).ok, `index ${index}`).to.equal(true);
      if (index === 0) expect(await snarkjsAccepts(b, b.witness())).to.equal(true);
    }
  });

  it("rejects a changed sibling, a changed opened value and a wrong index", async () => {
    const tree = await merkleCommit(mats);
    const op = merkleOpen(tree, 6);
    const badPath = { rows: op.rows, path: op.path.map((p, i) => (i === 1 ? (p + 1n) % R : p)) };
    await expectRejected(build(circuit(tree.root, 6, badPath)), "merkleVerify");
    const badRows = {
      rows: op.rows.map((r, i) => (i === 1 ? r.map((v, j) => (j === 0 ? (v + 1) % Number(KB_P) : v)) : r)),
      path: op.path,
    };
    await expectRejected(build(circuit(tree.root, 6, badRows)), "merkleVerify");
    await expectRejected(build(circuit(tree.root, 7, op)), "merkleVerify");
  });

  it("replays the TS transcript: base and extension challenges, query indices, grinding", async () => {
    const t = new Transcript();
    t.absorbElement(123456789n);
    t.absorbValues([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const alpha = t.challengeBase();
    t.absorbElement(42n);
    const beta = t.challengeExt();
    const nonce = t.grind(4);
    const idx = t.queryIndices(3, 10);
    let got: { alpha?: Lc; beta?: Lc[]; idx?: Lc[][] } = {};
    const circuitT = (n: number) => (bb: Builder) => {
      const tc = new TranscriptCircuit(bb);
      tc.absorbElement(bb.privateInput(123456789n));
      tc.absorbValues([1, 2, 3, 4, 5, 6, 7, 8, 9].map((v) => bb.privateInput(BigInt(v))));
      const a = tc.challengeBase();
      tc.absorbElement(bb.constant(42n));
      const e = tc.challengeExt();
      tc.checkGrind(4, bb.privateInput(BigInt(n)));
      got = { alpha: a.lc, beta: e.map((c) => c.lc), idx: tc.queryIndexBits(3, 10) };
    };
    const b = build(circuitT(nonce));
    expect(b.value(got.alpha as Lc)).to.equal(BigInt(alpha));
    expect((got.beta as Lc[]).map((x) => b.value(x))).to.deep.equal(beta.map(BigInt));
    const idxVals = (got.idx as Lc[][]).map((bits) =>
      bits.reduce((s, x, i) => s + (b.value(x) << BigInt(i)), 0n),
    );
    expect(idxVals).to.deep.equal(idx.map(BigInt));
    expect(b.check(b.witness()).ok).to.equal(true);
    expect(await snarkjsAccepts(b, b.witness())).to.equal(true);
    // a nonce that does not grind (the honest one + 1 has low bits zero with probability 1/16)
    let bad = nonce + 1;
    const t2 = new Transcript();
    t2.absorbElement(123456789n);
    t2.absorbValues([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    t2.challengeBase();
    t2.absorbElement(42n);
    t2.challengeExt();
    const s2 = t2.squeeze();
    while ((poseidonReference([s2, BigInt(bad)]) & 15n) === 0n) bad++;
    await expectRejected(build(circuitT(bad)), "transcript.grind");
  });

  it("rejects a challenge derived from the aliased bits of the squeezed element", async () => {
    const circuitA = (bb: Builder) => {
      const tc = new TranscriptCircuit(bb);
      tc.absorbElement(bb.privateInput(5n));
      tc.challengeBase();
    };
    const honest = build(circuitA);
    expect(honest.check(honest.witness()).ok).to.equal(true);
    const t = new Transcript();
    t.absorbElement(5n);
    const sq = t.squeeze();
    expect(sq + R < 1n << 254n).to.equal(true);
    const alias = tamperAt("num2bits", (h) => h.map((_, i) => ((sq + R) >> BigInt(i)) & 1n));
    const b = build(circuitA, alias);
    expect(alias.hits).to.equal(1);
    await expectRejected(b, "transcript.bits");
  });
});
