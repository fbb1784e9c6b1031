/**
 * Degree-4 extension of KoalaBear, F[x]/(x^4 - 3). An element is four base coefficients
 * (c0 + c1 x + c2 x^2 + c3 x^3). `Ext` tuples serve cold paths (verifier, transcript);
 * hot loops inline the same formulas over Uint32Array with stride 4.
 */
import { P, add, sub, mul, inv as baseInv, neg as baseNeg } from "./koalabear.ts";

export type Ext = readonly [number, number, number, number];
export const W = 3;
export const EXT_ZERO: Ext = [0, 0, 0, 0];
export const EXT_ONE: Ext = [1, 0, 0, 0];

export const fromBase = (a: number): Ext => [a, 0, 0, 0];
export const isZero = (a: Ext): boolean => a[0] === 0 && a[1] === 0 && a[2] === 0 && a[3] === 0;
export const eq = (a: Ext, b: Ext): boolean =>
  a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];

export function eadd(a: Ext, b: Ext): Ext {
  return [add(a[0], b[0]), add(a[1], b[1]), add(a[2], b[2]), add(a[3], b[3])];
}
export function esub(a: Ext, b: Ext): Ext {
  return [sub(a[0], b[0]), sub(a[1], b[1]), sub(a[2], b[2]), sub(a[3], b[3])];
}
export function eneg(a: Ext): Ext {
  return [baseNeg(a[0]), baseNeg(a[1]), baseNeg(a[2]), baseNeg(a[3])];
}
export function escale(a: Ext, s: number): Ext {
  return [mul(a[0], s), mul(a[1], s), mul(a[2], s), mul(a[3], s)];
}

export function emul(a: Ext, b: Ext): Ext {
  const [a0, a1, a2, a3] = a;
  const [b0, b1, b2, b3] = b;
  // x^4 = W: terms of degree 4..6 fold back multiplied by W.
  const c0 = add(mul(a0, b0), mul(W, add(add(mul(a1, b3), mul(a2, b2)), mul(a3, b1))));
  const c1 = add(add(mul(a0, b1), mul(a1, b0)), mul(W, add(mul(a2, b3), mul(a3, b2))));
  const c2 = add(add(add(mul(a0, b2), mul(a1, b1)), mul(a2, b0)), mul(W, mul(a3, b3)));
  const c3 = add(add(mul(a0, b3), mul(a1, b2)), add(mul(a2, b1), mul(a3, b0)));
  return [c0, c1, c2, c3];
}

export function epow(a: Ext, e: number | bigint): Ext {
  let exp = BigInt(e);
  let base = a;
  let acc: Ext = EXT_ONE;
  while (exp > 0n) {
    if (exp & 1n) acc = emul(acc, base);
    base = emul(base, base);
    exp >>= 1n;
  }
  return acc;
}

/**
 * Inverse via the norm to the quadratic subfield F[y]/(y^2 - 3) (y = x^2):
 * a = A + xB with A, B in F(y); a * (A - xB) = A^2 - y B^2 lies in F(y); invert that.
 */
export function einv(a: Ext): Ext {
  const [a0, a1, a2, a3] = a;
  // conj = a0 - a1 x + a2 x^2 - a3 x^3
  const conj: Ext = [a0, baseNeg(a1), a2, baseNeg(a3)];
  const n = emul(a, conj); // = n0 + n2 x^2
  const n0 = n[0];
  const n2 = n[2];
  // (n0 + n2 y)^-1 = (n0 - n2 y) / (n0^2 - 3 n2^2)
  const d = sub(mul(n0, n0), mul(W, mul(n2, n2)));
  const dInv = baseInv(d);
  const m: Ext = [mul(n0, dInv), 0, mul(baseNeg(n2), dInv), 0];
  return emul(conj, m);
}

/** Inverts a list of extension elements with one field inversion; zeros stay zero. */
export function ebatchInverse(values: Ext[]): Ext[] {
  const out: Ext[] = new Array(values.length);
  let acc: Ext = EXT_ONE;
  const prefix: Ext[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    prefix[i] = acc;
    if (!isZero(values[i])) acc = emul(acc, values[i]);
  }
  let accInv = einv(acc);
  for (let i = values.length - 1; i >= 0; i--) {
    if (isZero(values[i])) {
      out[i] = EXT_ZERO;
      continue;
    }
    out[i] = emul(accInv, prefix[i]);
    accInv = emul(accInv, values[i]);
  }
  return out;
}

export function isCanonical(a: Ext): boolean {
  return a.every((c) => Number.isInteger(c) && c >= 0 && c < P);
}

/** In place over a flat array of extension elements (4 values each); zeros stay zero. */
export function ebatchInverseFlat(values: Uint32Array): Uint32Array {
  const n = values.length / 4;
  const prefix = new Uint32Array(values.length);
  let acc: Ext = EXT_ONE;
  for (let i = 0; i < n; i++) {
    prefix[4 * i] = acc[0];
    prefix[4 * i + 1] = acc[1];
    prefix[4 * i + 2] = acc[2];
    prefix[4 * i + 3] = acc[3];
    const v: Ext = [values[4 * i], values[4 * i + 1], values[4 * i + 2], values[4 * i + 3]];
    if (!isZero(v)) acc = emul(acc, v);
  }
  let accInv = einv(acc);
  for (let i = n - 1; i >= 0; i--) {
    const v: Ext = [values[4 * i], values[4 * i + 1], values[4 * i + 2], values[4 * i + 3]];
    if (isZero(v)) continue;
    const r = emul(accInv, [prefix[4 * i], prefix[4 * i + 1], prefix[4 * i + 2], prefix[4 * i + 3]]);
    values.set(r, 4 * i);
    accInv = emul(accInv, v);
  }
  return values;
}

export function getExt(a: Uint32Array, i: number): Ext {
  return [a[4 * i], a[4 * i + 1], a[4 * i + 2], a[4 * i + 3]];
}

/** The basis element x^e (e < 4). */
export function basis(e: number): Ext {
  const r = [0, 0, 0, 0];
  r[e] = 1;
  return r as unknown as Ext;
}
