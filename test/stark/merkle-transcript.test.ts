import { expect } from "chai";
import fc from "fast-check";
import {
  type MatrixData,
  limbsToBigint,
  merkleCommit,
  merkleOpen,
  merkleVerify,
  packRows,
} from "../../src/hash/merkle.ts";
import { hashValues, packValues } from "../../src/hash/sponge.ts";
import { poseidon } from "../../src/hash/poseidon.ts";
import { Transcript } from "../../src/hash/transcript.ts";
import { P } from "../../src/field/koalabear.ts";

function matrix(width: number, height: number, seed: number): MatrixData {
  const values = new Uint32Array(width * height).map((_, i) => (i * 2654435761 + seed * 97) % P);
  return { values, width, height };
}

describe("mixed-height Merkle commitment", () => {
  const mats = [matrix(3, 16, 1), matrix(0, 8, 2), matrix(17, 4, 3), matrix(2, 16, 4), matrix(1, 2, 5)];
  const shapes = mats.map((m) => ({ width: m.width, height: m.height }));

  it("opens every index of every matrix with one path and verifies", async () => {
    const tree = await merkleCommit(mats);
    expect(tree.logHeight).to.equal(4);
    for (let i = 0; i < 16; i++) {
      const op = merkleOpen(tree, i);
      expect(op.path.length).to.equal(4);
      expect([...op.rows[2]]).to.deep.equal([...mats[2].values.subarray((i >> 2) * 17, ((i >> 2) + 1) * 17)]);
      expect(merkleVerify(tree.root, shapes, i, op)).to.equal(true);
    }
  });

  it("rejects a changed value in any matrix, a wrong path or index, and wrong shapes", async () => {
    const tree = await merkleCommit(mats);
    const op = merkleOpen(tree, 5);
    for (const k of [0, 2, 3, 4]) {
      const rows = op.rows.map((r) => Uint32Array.from(r));
      rows[k][0] = (rows[k][0] + 1) % P;
      expect(merkleVerify(tree.root, shapes, 5, { rows, path: op.path })).to.equal(false);
    }
    const path = [...op.path];
    path[3] += 1n;
    expect(merkleVerify(tree.root, shapes, 5, { rows: op.rows, path })).to.equal(false);
    expect(merkleVerify(tree.root, shapes, 4, op)).to.equal(false);
    expect(merkleVerify(tree.root, shapes, 16, op)).to.equal(false);
    expect(
      merkleVerify(
        tree.root,
        shapes.map((s, i) => (i === 4 ? { width: 1, height: 4 } : s)),
        5,
        op,
      ),
    ).to.equal(false);
  });

  it("computes the documented node formula", async () => {
    const a = matrix(1, 2, 7);
    const b = matrix(1, 1, 8);
    const tree = await merkleCommit([a, b]);
    // Rows of at most 8 values are their own (packed) digests.
    const h = (v: number) => BigInt(v);
    const node = poseidon([poseidon([h(a.values[0]), h(a.values[1])]), h(b.values[0])]);
    expect(tree.root).to.equal(node);
    const wide = matrix(9, 2, 9);
    const t2 = await merkleCommit([wide]);
    const leaf = (r: number) => hashValues(wide.values.subarray(9 * r, 9 * r + 9));
    expect(t2.root).to.equal(poseidon([leaf(0), leaf(1)]));
  });

  it("packs narrow rows exactly as the sponge does", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: P - 1 }), { minLength: 1, maxLength: 8 }), (vals) => {
        const limbs = packRows(Uint32Array.from(vals), vals.length, 1);
        expect(limbsToBigint(limbs, 0)).to.equal(packValues(vals)[0]);
      }),
    );
  });
});

describe("Poseidon transcript", () => {
  it("is deterministic and sensitive to every absorbed value", () => {
    const run = (x: number) => {
      const t = new Transcript();
      t.absorbElement(5n);
      t.absorbValues([1, 2, x]);
      return [t.challengeExt(), t.challengeBase(), t.queryIndices(5, 10)];
    };
    expect(run(3)).to.deep.equal(run(3));
    expect(run(3)).to.not.deep.equal(run(4));
    const [, , idx] = run(3) as [unknown, unknown, number[]];
    expect(idx.every((i) => i >= 0 && i < 1024)).to.equal(true);
  });

  it("grinding produces a nonce that the verifier side accepts, and rejects others", () => {
    const prover = new Transcript();
    prover.absorbElement(123n);
    const nonce = prover.grind(8);
    const ok = new Transcript();
    ok.absorbElement(123n);
    expect(ok.checkGrind(8, nonce)).to.equal(true);
    expect(ok.challengeBase()).to.equal(prover.challengeBase());
    let rejected = 0;
    for (let n = nonce + 1; n < nonce + 20; n++) {
      const t = new Transcript();
      t.absorbElement(123n);
      if (!t.checkGrind(8, n)) rejected++;
    }
    expect(rejected).to.be.at.least(17);
    const none = new Transcript();
    expect(none.grind(0)).to.equal(0);
    expect(new Transcript().checkGrind(0, 0)).to.equal(true);
    expect(new Transcript().checkGrind(0, 1)).to.equal(false);
  });
});
