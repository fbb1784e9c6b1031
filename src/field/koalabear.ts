/**
 * KoalaBear prime field, p = 2^31 - 2^24 + 1 = 0x7F000001, on plain JS numbers in [0, p).
 *
 * A product of two elements is < 2^62 and does not fit a double's 53-bit mantissa: `mul`
 * takes the quotient from the (inexact) float product and the remainder from exact 32-bit
 * integer arithmetic (see there). Hot loops use the WASM kernels in `wasm.ts`.
 * Two-adicity 24 (p - 1 = 2^24 * 127); 3 generates the multiplicative group.
 */

export const P = 0x7f000001;
export const TWO_ADICITY = 24;
export const GENERATOR = 3;
const INV_P = 1 / P;

/** Reduces an integer 0 <= x < 2^52 modulo p. */
export function reduce(x: number): number {
  let r = x - Math.floor(x * INV_P) * P;
  if (r < 0) r += P;
  else if (r >= P) r -= P;
  return r;
}

export function add(a: number, b: number): number {
  const s = a + b;
  return s >= P ? s - P : s;
}

export function sub(a: number, b: number): number {
  const s = a - b;
  return s < 0 ? s + P : s;
}

export function neg(a: number): number {
  return a === 0 ? 0 : P - a;
}

/**
 * a*b mod p. The float quotient estimate q = floor(a*b/p) is off by at most one, and only
 * when a*b/p is within 2^-20 of an integer, so a*b - q*p lies in (-2^12, p + 2^12): its low
 * 32 bits, computed exactly with Math.imul, read as a signed int32 give it exactly.
 */
export function mul(a: number, b: number): number {
  const q = Math.floor(a * b * INV_P);
  let r = (Math.imul(a, b) - Math.imul(q, P)) | 0;
  if (r < 0) r += P;
  else if (r >= P) r -= P;
  return r;
}

export function pow(a: number, e: number | bigint): number {
  let exp = BigInt(e);
  let base = a;
  let acc = 1;
  while (exp > 0n) {
    if (exp & 1n) acc = mul(acc, base);
    base = mul(base, base);
    exp >>= 1n;
  }
  return acc;
}

/** Multiplicative inverse (Fermat); inv(0) = 0, callers that care check for zero first. */
export function inv(a: number): number {
  return pow(a, P - 2);
}

/** Canonical element from any integer (number or bigint, possibly negative). */
export function fromInt(x: number | bigint): number {
  const r = BigInt(x) % BigInt(P);
  return Number(r < 0n ? r + BigInt(P) : r);
}

/** Inverts every element in place (Montgomery's trick); zeros are left as zeros. */
export function batchInverse(values: Uint32Array): Uint32Array {
  const n = values.length;
  const prefix = new Uint32Array(n);
  let acc = 1;
  for (let i = 0; i < n; i++) {
    prefix[i] = acc;
    if (values[i] !== 0) acc = mul(acc, values[i]);
  }
  let accInv = inv(acc);
  for (let i = n - 1; i >= 0; i--) {
    const v = values[i];
    if (v === 0) continue;
    values[i] = mul(accInv, prefix[i]);
    accInv = mul(accInv, v);
  }
  return values;
}

/** A primitive 2^logN-th root of unity. */
export function rootOfUnity(logN: number): number {
  if (logN < 0 || logN > TWO_ADICITY) throw new RangeError(`no 2^${logN}-th root of unity in KoalaBear`);
  return pow(GENERATOR, (P - 1) / 2 ** logN);
}
