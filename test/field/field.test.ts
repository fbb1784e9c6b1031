import { expect } from "chai";
import fc from "fast-check";
import { P, add, batchInverse, inv, mul, pow, rootOfUnity, sub } from "../../src/field/koalabear.ts";
import { type Ext, EXT_ONE, eadd, ebatchInverse, einv, emul, eq, epow } from "../../src/field/ext4.ts";
import {
  coeffsToCosetBitrev,
  cosetIdft,
  cosetLdeBitrev,
  dft,
  idft,
  reverseBits,
} from "../../src/field/ntt.ts";

const Pn = BigInt(P);
const felt = fc.integer({ min: 0, max: P - 1 });
const ext = fc.tuple(felt, felt, felt, felt) as fc.Arbitrary<Ext>;

/** Reference extension multiplication with BigInt and schoolbook reduction by x^4 = 3. */
function extMulRef(a: Ext, b: Ext): Ext {
  const c = new Array<bigint>(7).fill(0n);
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) c[i + j] += BigInt(a[i]) * BigInt(b[j]);
  for (let k = 6; k >= 4; k--) c[k - 4] += 3n * c[k];
  return [0, 1, 2, 3].map((i) => Number(c[i] % Pn)) as unknown as Ext;
}

/** O(n^2) DFT with BigInt: evaluations of coeffs at shift * w^i. */
function naiveDft(coeffs: readonly number[], w: number, shift = 1): number[] {
  return coeffs.map((_, i) => {
    const x = BigInt(mul(shift, pow(w, i)));
    let acc = 0n;
    for (let k = coeffs.length - 1; k >= 0; k--) acc = (acc * x + BigInt(coeffs[k])) % Pn;
    return Number(acc);
  });
}

describe("KoalaBear field", () => {
  it("mul, add, sub agree with BigInt arithmetic", () => {
    fc.assert(
      fc.property(felt, felt, (a, b) => {
        expect(mul(a, b)).to.equal(Number((BigInt(a) * BigInt(b)) % Pn));
        expect(add(a, b)).to.equal(Number((BigInt(a) + BigInt(b)) % Pn));
        expect(sub(a, b)).to.equal(Number((BigInt(a) - BigInt(b) + Pn) % Pn));
      }),
      { numRuns: 5000 },
    );
    expect(mul(P - 1, P - 1)).to.equal(1);
  });

  it("inverts every nonzero element, also in batches", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: P - 1 }), (a) => mul(a, inv(a)) === 1));
    fc.assert(
      fc.property(fc.array(felt, { maxLength: 50 }), (xs) => {
        const out = batchInverse(Uint32Array.from(xs));
        xs.forEach((x, i) => expect(out[i]).to.equal(x === 0 ? 0 : inv(x)));
      }),
    );
  });

  it("has roots of unity of every order up to 2^24 and 3 as a generator", () => {
    expect(pow(rootOfUnity(24), 1 << 23)).to.equal(P - 1);
    expect(pow(rootOfUnity(1), 1)).to.equal(P - 1);
    expect(pow(3, (P - 1) / 2)).to.equal(P - 1);
    expect(pow(3, (P - 1) / 127)).to.not.equal(1);
  });
});

describe("degree-4 extension x^4 - 3", () => {
  it("multiplication matches the schoolbook reference", () => {
    fc.assert(
      fc.property(ext, ext, (a, b) => eq(emul(a, b), extMulRef(a, b))),
      { numRuns: 2000 },
    );
  });
  it("is a field: inverses exist and distribute", () => {
    fc.assert(
      fc.property(ext, ext, ext, (a, b, c) => {
        if (a.some((x) => x !== 0)) expect(eq(emul(a, einv(a)), EXT_ONE)).to.equal(true);
        expect(eq(emul(a, eadd(b, c)), eadd(emul(a, b), emul(a, c)))).to.equal(true);
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.array(ext, { maxLength: 20 }), (xs) => {
        const inv = ebatchInverse(xs);
        xs.forEach((x, i) => {
          if (x.some((v) => v !== 0)) expect(eq(emul(x, inv[i]), EXT_ONE)).to.equal(true);
        });
      }),
    );
  });
  it("x^4 - 3 is irreducible: Frobenius x^(p^4) = x and x^(p^2) != x", () => {
    const x: Ext = [0, 1, 0, 0];
    expect(eq(epow(x, Pn ** 4n), x)).to.equal(true);
    expect(eq(epow(x, Pn ** 2n), x)).to.equal(false);
  });
});

describe("NTT", () => {
  const sizes = fc.integer({ min: 0, max: 7 });
  it("dft matches the naive O(n^2) transform and idft inverts it", () => {
    fc.assert(
      fc.property(sizes, fc.array(felt, { minLength: 128, maxLength: 128 }), (logN, vals) => {
        const n = 1 << logN;
        const coeffs = vals.slice(0, n);
        const fast = dft(Uint32Array.from(coeffs));
        expect([...fast]).to.deep.equal(naiveDft(coeffs, rootOfUnity(logN)));
        expect([...idft(fast)]).to.deep.equal(coeffs);
      }),
      { numRuns: 40 },
    );
  });
  it("coset LDE in bit-reversed order evaluates the interpolant at shift * w^bitrev(i)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(felt, { minLength: 32, maxLength: 32 }),
        (logN, logB, vals) => {
          const n = 1 << logN;
          const evals = vals.slice(0, n);
          const coeffs = [...idft(Uint32Array.from(evals))];
          const lde = cosetLdeBitrev(Uint32Array.from(evals), logB, 3);
          const logL = logN + logB;
          const w = rootOfUnity(logL);
          for (let i = 0; i < lde.length; i++) {
            const x = BigInt(mul(3, pow(w, reverseBits(i, logL))));
            let acc = 0n;
            for (let k = coeffs.length - 1; k >= 0; k--) acc = (acc * x + BigInt(coeffs[k])) % Pn;
            expect(lde[i]).to.equal(Number(acc));
          }
          // cosetIdft undoes a coset evaluation (natural order).
          const nat = naiveDft([...coeffs, ...new Array(n).fill(0)], rootOfUnity(logN + 1), 3);
          expect([...cosetIdft(Uint32Array.from(nat), 3)].slice(0, n)).to.deep.equal(coeffs);
          expect(coeffsToCosetBitrev(Uint32Array.from(coeffs), logL, 3)).to.deep.equal(lde);
        },
      ),
      { numRuns: 30 },
    );
  });
});
