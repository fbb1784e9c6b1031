/**
 * KoalaBear prime field, p = 2^31 - 2^24 + 1 = 0x7F000001, on plain JS numbers in [0, p).
 *
 * A product of two elements is < 2^62 and does not fit a double's 53-bit mantissa, so
 * `mul` splits one factor into 16-bit halves: a*bh < 2^46 and (a*bh mod p)*2^16 + a*bl < 2^48,
 * both exact; each reduction uses a floating quotient estimate corrected by one step.
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

export function mul(a: number, b: number): number {
  const bh = b >>> 16;
  const bl = b & 0xffff;
  let t = a * bh;
  t -= Math.floor(t * INV_P) * P;
  // t is now in (-p, 2p); the sum below stays < 2^49 either way.
  let r = t * 65536 + a * bl;
  r -= Math.floor(r * INV_P) * P;
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
