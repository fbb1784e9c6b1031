import { expect } from "chai";
import fc from "fast-check";
import { buildPoseidon } from "circomlibjs";
import { closeHashPool, poseidon, poseidonBatch, poseidonBatchParallel } from "../../src/hash/poseidon.ts";
import { poseidonOptBigint, poseidonOptConstants } from "../../src/hash/poseidon-opt.ts";
import { BN254_R, POSEIDON_MAX_INPUTS, poseidonReference } from "../../src/hash/poseidon-reference.ts";
import { bigintToLimbs, limbsToBigint } from "../../src/hash/poseidon-limbs.ts";

const fieldElement = fc.bigInt({ min: 0n, max: BN254_R - 1n });
/** Edge values: 0, 1, r - 1, powers of two near limb boundaries. */
const edgeElement = fc.constantFrom(
  0n,
  1n,
  BN254_R - 1n,
  BN254_R - 2n,
  (1n << 253n) - 1n,
  1n << 29n,
  (1n << 32n) - 1n,
);
const element = fc.oneof(fieldElement, edgeElement);

function limbsOf(xs: readonly bigint[]): Uint32Array {
  const out = new Uint32Array(xs.length * 8);
  xs.forEach((x, i) => bigintToLimbs(x, out, i * 8));
  return out;
}

describe("Poseidon-BN254 fast implementation", () => {
  it("optimized-form BigInt Poseidon equals the reference for every width", () => {
    for (let n = 1; n <= POSEIDON_MAX_INPUTS; n++) {
      const xs = Array.from({ length: n }, (_, i) => BigInt(i + 7) ** 40n % BN254_R);
      expect(poseidonOptBigint(xs), `width ${n}`).to.equal(poseidonReference(xs));
    }
  });

  it("exports optimized constants of the documented shape", () => {
    for (let n = 1; n <= POSEIDON_MAX_INPUTS; n++) {
      const k = poseidonOptConstants(n);
      const t = n + 1;
      expect(k.t).to.equal(t);
      expect(k.C.length).to.equal(8 * t + k.partialRounds);
      expect(k.S.length).to.equal((2 * t - 1) * k.partialRounds);
      expect(k.M.length).to.equal(t);
      expect(k.P.length).to.equal(t);
    }
  });

  it("poseidon equals circomlibjs for every width 1..16", async () => {
    const lib = await buildPoseidon();
    for (let n = 1; n <= POSEIDON_MAX_INPUTS; n++) {
      const xs = Array.from({ length: n }, (_, i) => (BigInt(i + 3) ** 77n + BigInt(n)) % BN254_R);
      expect(poseidon(xs), `width ${n}`).to.equal(lib.F.toObject(lib(xs)));
    }
  });

  it("poseidon equals the reference on random inputs of every width", () => {
    fc.assert(
      fc.property(fc.array(element, { minLength: 1, maxLength: 16 }), (xs) => {
        expect(poseidon(xs)).to.equal(poseidonReference(xs));
      }),
      { numRuns: 60 },
    );
  });

  it("poseidonBatch equals per-call poseidon, in canonical limbs", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 16 })
          .chain((n) =>
            fc.tuple(
              fc.constant(n),
              fc.array(fc.array(element, { minLength: n, maxLength: n }), { minLength: 0, maxLength: 5 }),
            ),
          ),
        ([n, calls]) => {
          const out = poseidonBatch(n, limbsOf(calls.flat()), calls.length);
          expect(out.length).to.equal(calls.length * 8);
          calls.forEach((xs, c) => {
            const h = limbsToBigint(out, c * 8);
            expect(h).to.equal(poseidonReference(xs));
          });
        },
      ),
      { numRuns: 40 },
    );
  });

  it("poseidonBatch handles batches larger than one internal chunk", () => {
    const count = 5000;
    const xs = Array.from({ length: count * 2 }, (_, i) => (BigInt(i) * 0x9e3779b97f4a7c15n) % BN254_R);
    const out = poseidonBatch(2, limbsOf(xs), count);
    for (const c of [0, 1, 2047, 2048, 4095, 4096, count - 1])
      expect(limbsToBigint(out, c * 8), `call ${c}`).to.equal(poseidonReference([xs[2 * c], xs[2 * c + 1]]));
  });

  it("poseidonBatchParallel returns exactly poseidonBatch's output", async () => {
    after(() => closeHashPool());
    for (const [n, count] of [
      [2, 3000],
      [16, 200],
      [3, 4],
    ]) {
      const xs = Array.from({ length: n * count }, (_, i) => (BigInt(i + n) ** 9n * 0x1234567n) % BN254_R);
      const inputs = limbsOf(xs);
      expect(await poseidonBatchParallel(n, inputs, count), `n=${n}`).to.deep.equal(
        poseidonBatch(n, inputs, count),
      );
    }
  });

  it("pairs calls two by two and handles an odd tail (the WASM module runs two lanes)", () => {
    for (const count of [1, 2, 3, 7]) {
      const xs = Array.from({ length: 3 * count }, (_, i) => BN254_R - 1n - BigInt(i) * 0x1000000001n);
      const out = poseidonBatch(3, limbsOf(xs), count);
      for (let c = 0; c < count; c++)
        expect(limbsToBigint(out, c * 8), `count ${count}, call ${c}`).to.equal(
          poseidonReference(xs.slice(3 * c, 3 * c + 3)),
        );
    }
  });

  it("names the call whose input is not canonical, in either lane", () => {
    for (const bad of [0, 1, 2]) {
      const xs = [1n, 2n, 3n, 4n, 5n, 6n];
      xs[2 * bad + 1] = BN254_R + 5n;
      expect(() => poseidonBatch(2, limbsOf(xs), 3)).to.throw(new RegExp(`call ${bad} has an input`));
    }
  });

  it("rejects bad widths, short inputs and non-canonical inputs", () => {
    expect(() => poseidonBatch(0, new Uint32Array(0), 0)).to.throw(/1..16/);
    expect(() => poseidonBatch(17, new Uint32Array(17 * 8), 1)).to.throw(/1..16/);
    expect(() => poseidonBatch(2, new Uint32Array(15), 1)).to.throw(/need 16 limbs/);
    expect(() => poseidonBatch(1, limbsOf([BN254_R]), 1)).to.throw(/field element|canonical/);
    expect(() => poseidon([BN254_R])).to.throw(/field element/);
    expect(() => poseidon([])).to.throw(/1..16/);
  });
});
