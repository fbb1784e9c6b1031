import { expect } from "chai";
import fc from "fast-check";
import { type Ext, getExt } from "../../src/field/ext4.ts";
import { P, mul, pow } from "../../src/field/koalabear.ts";
import { foldCoset, foldLayer } from "../../src/stark/fri.ts";
import { cosetBases } from "../../src/stark/prover.ts";
import { bitReversePermute, cosetIdft } from "../../src/field/ntt.ts";

describe("FRI folding", () => {
  const felt = fc.integer({ min: 0, max: P - 1 });
  it("the prover's layer fold equals the verifier's per-coset fold for arities 2, 4, 8, 16", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 3 }),
        fc.array(felt, { minLength: 4, maxLength: 4 }),
        felt,
        (step, extra, beta, s0) => {
          const shift = s0 === 0 ? 3 : s0;
          const logS = step + extra;
          const layer = Uint32Array.from({ length: 4 << logS }, (_, i) => (i * 2654435761 + s0) % P);
          const b = beta as unknown as Ext;
          const folded = foldLayer(layer, logS, shift, b, step);
          const xs = cosetBases(logS, step, shift);
          const a = 1 << step;
          for (let j = 0; j < 1 << extra; j++) {
            const vals: Ext[] = [];
            for (let t = 0; t < a; t++) vals.push(getExt(layer, j * a + t));
            expect([...getExt(folded, j)]).to.deep.equal([...foldCoset(vals, xs[j], b, step)]);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("folds a low-degree polynomial into a low-degree polynomial", () => {
    // f of degree < 8 on a coset of 64 points, folded by 4: the result has degree < 2, so the
    // values at x and -x (pairs in bit-reversed order) determine a line.
    const logS = 6;
    const coeffs = [5, 7, 11, 13, 17, 19, 23, 29];
    const layer = new Uint32Array(4 << logS);
    const w = pow(3, (P - 1) / 64);
    for (let i = 0; i < 64; i++) {
      let rev = 0;
      for (let k = 0; k < logS; k++) rev |= ((i >> k) & 1) << (logS - 1 - k);
      const x = mul(3, pow(w, rev));
      let acc = 0;
      for (let k = coeffs.length - 1; k >= 0; k--) acc = (mul(acc, x) + coeffs[k]) % P;
      layer[4 * i] = acc;
    }
    const folded = foldLayer(layer, logS, 3, [2, 0, 0, 0], 2);
    // The folded layer lives on the coset 3^4 * <w^4> (16 points): its interpolant must have
    // degree < 2, and equal f_0 + 2 f_1 + 4 f_2 + 8 f_3 with f_k(y) = c_k + c_(k+4) y.
    const vals = new Uint32Array(16).map((_, i) => folded[4 * i]);
    bitReversePermute(vals);
    const c = cosetIdft(vals, 81);
    expect([...c]).to.deep.equal([
      (5 + 2 * 7 + 4 * 11 + 8 * 13) % P,
      (17 + 2 * 19 + 4 * 23 + 8 * 29) % P,
      ...new Array(14).fill(0),
    ]);
    expect([...folded.filter((_, i) => i % 4 !== 0)].every((v) => v === 0)).to.equal(true);
  });
});
