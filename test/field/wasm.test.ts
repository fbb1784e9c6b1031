import { expect } from "chai";
import fc from "fast-check";
import { P, mul, add } from "../../src/field/koalabear.ts";
import { coeffsToCosetBitrev, cosetLdeBitrev, dft, idft } from "../../src/field/ntt.ts";
import {
  wasmCoeffsToCosetBitrev,
  wasmCosetLdeBitrev,
  wasmDeepCombine,
  wasmDft,
  wasmExtBatchInverse,
  wasmIdft,
  wasmReduceRows,
} from "../../src/field/wasm.ts";
import { combineDeep, invDifferences } from "../../src/stark/deep.ts";
import { type Ext, einv, emul, esub, fromBase } from "../../src/field/ext4.ts";

const felt = fc.integer({ min: 0, max: P - 1 });

describe("KoalaBear WASM kernels agree with the TypeScript reference", () => {
  it("dft, idft, coset LDE and coefficient evaluation", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(felt, { minLength: 256, maxLength: 256 }),
        felt,
        (logN, logB, vals, shiftRaw) => {
          const shift = shiftRaw === 0 ? 3 : shiftRaw;
          const a = Uint32Array.from(vals.slice(0, 1 << logN));
          expect(wasmDft(Uint32Array.from(a))).to.deep.equal(dft(Uint32Array.from(a)));
          expect(wasmIdft(Uint32Array.from(a))).to.deep.equal(idft(Uint32Array.from(a)));
          expect(wasmCosetLdeBitrev(a, logB, shift)).to.deep.equal(cosetLdeBitrev(a, logB, shift));
          expect(wasmCoeffsToCosetBitrev(a, logN + logB, shift)).to.deep.equal(
            coeffsToCosetBitrev(a, logN + logB, shift),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it("row reduction with extension coefficients", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 7 }),
        fc.array(felt, { minLength: 100, maxLength: 100 }),
        (rows, width, vals) => {
          const m = Uint32Array.from({ length: rows * width }, (_, i) => vals[i % 100]);
          const coef = Uint32Array.from({ length: 4 * width }, (_, i) => vals[(7 * i + 3) % 100]);
          const out = new Uint32Array(4 * rows).fill(5);
          wasmReduceRows(m, rows, width, coef, out, true);
          for (let r = 0; r < rows; r++)
            for (let k = 0; k < 4; k++) {
              let s = 5;
              for (let c = 0; c < width; c++) s = add(s, mul(m[r * width + c], coef[4 * c + k]));
              expect(out[4 * r + k]).to.equal(s);
            }
        },
      ),
      { numRuns: 40 },
    );
  });

  it("batch inversion of extension elements", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(felt, felt, felt, felt), { maxLength: 40 }), fc.boolean(), (xs, zero) => {
        const list = xs.map((x) => x as unknown as Ext);
        if (zero && list.length > 0) list[list.length >> 1] = [0, 0, 0, 0];
        const flat = Uint32Array.from(list.flatMap((x) => [...x]));
        wasmExtBatchInverse(flat);
        list.forEach((x, i) => {
          const expected = x.every((v) => v === 0) ? [0, 0, 0, 0] : [...einv(x)];
          expect([...flat.subarray(4 * i, 4 * i + 4)]).to.deep.equal(expected);
        });
      }),
      { numRuns: 100 },
    );
  });

  it("DEEP combination matches the TypeScript version", () => {
    fc.assert(
      fc.property(fc.array(felt, { minLength: 64, maxLength: 64 }), fc.boolean(), (v, unitOff) => {
        const n = 9;
        const arr = (k: number) => Uint32Array.from({ length: 4 * n }, (_, i) => v[(i * 3 + k) % 64]);
        const e = (k: number): Ext => [v[k], v[k + 1], v[k + 2], v[k + 3]];
        const off: Ext = unitOff ? [1, 0, 0, 0] : e(20);
        const a = arr(1);
        const b = Uint32Array.from(a);
        combineDeep(a, arr(2), arr(3), e(0), e(4), e(8), e(12), arr(4), arr(5), off);
        wasmDeepCombine(b, arr(2), arr(3), e(0), e(4), e(8), e(12), arr(4), arr(5), off);
        expect(b).to.deep.equal(a);
      }),
      { numRuns: 100 },
    );
  });

  it("1/(x - z) through the minimal polynomial of z equals direct inversion", () => {
    fc.assert(
      fc.property(
        fc.array(felt, { minLength: 5, maxLength: 5 }),
        fc.tuple(felt, felt, felt, felt),
        fc.tuple(felt, felt, felt, felt),
        (xs, z, s) => {
          const out = invDifferences(Uint32Array.from(xs), z as Ext, s as Ext);
          xs.forEach((x, i) => {
            const expected = emul(einv(esub(fromBase(x), z as Ext)), s as Ext);
            expect([...out.subarray(4 * i, 4 * i + 4)]).to.deep.equal([...expected]);
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
