/**
 * Radix-2 NTT over KoalaBear on Uint32Array, twiddles precomputed per size and cached.
 *
 * - `dft` / `idft`: natural order in and out (evaluations at w^i, w = rootOfUnity(log n)).
 * - `cosetLdeBitrev`: trace evaluations over the subgroup H (natural order) to evaluations
 *   over the coset shift*H' (|H'| = n * 2^logBlowup) in BIT-REVERSED order: index i holds the
 *   value at shift * w'^bitrev(i). In that order x and -x are neighbours and every
 *   folding coset of FRI is a run of consecutive indices.
 * The multiplication is inlined in the butterflies (same method as `koalabear.mul`). This is
 * the plain reference; `wasm.ts` has the fast path used by the prover.
 */
import { P, mul, pow, inv, rootOfUnity } from "./koalabear.ts";

const INV_P = 1 / P;
const twiddleCache = new Map<number, Uint32Array>();

/** w^i for i < n/2, w a primitive n-th root of unity (inverse root when `inverse`). */
function twiddles(logN: number, inverse: boolean): Uint32Array {
  const key = inverse ? -logN - 1 : logN;
  let t = twiddleCache.get(key);
  if (t) return t;
  const n = 1 << logN;
  const w = inverse ? inv(rootOfUnity(logN)) : rootOfUnity(logN);
  t = new Uint32Array(Math.max(1, n >>> 1));
  t[0] = 1;
  for (let i = 1; i < n >>> 1; i++) t[i] = mul(t[i - 1], w);
  twiddleCache.set(key, t);
  return t;
}

export function log2Exact(n: number): number {
  const l = Math.round(Math.log2(n));
  if (n < 1 || 2 ** l !== n) throw new RangeError(`expected a power of two, got ${n}`);
  return l;
}

export function reverseBits(i: number, logN: number): number {
  let r = 0;
  for (let k = 0; k < logN; k++) {
    r = (r << 1) | ((i >>> k) & 1);
  }
  return r >>> 0;
}

/** Permutes `a` into bit-reversed order in place. */
export function bitReversePermute(a: Uint32Array | Int32Array): void {
  const n = a.length;
  const logN = log2Exact(n);
  for (let i = 0; i < n; i++) {
    const j = reverseBits(i, logN);
    if (j > i) {
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}

/** Decimation-in-time butterflies: bit-reversed input, natural output. */
function ditFromBitrev(a: Uint32Array, tw: Uint32Array): void {
  const n = a.length;
  for (let half = 1; half < n; half <<= 1) {
    const step = n / (2 * half);
    for (let start = 0; start < n; start += 2 * half) {
      for (let j = 0; j < half; j++) {
        const w = tw[j * step];
        const i0 = start + j;
        const i1 = i0 + half;
        const u = a[i0];
        const b = a[i1];
        // v = b * w mod p (see koalabear.mul)
        const q = Math.floor(b * w * INV_P);
        let v = (Math.imul(b, w) - Math.imul(q, P)) | 0;
        if (v < 0) v += P;
        else if (v >= P) v -= P;
        const s = u + v;
        a[i0] = s >= P ? s - P : s;
        const d = u - v;
        a[i1] = d < 0 ? d + P : d;
      }
    }
  }
}

/** Decimation-in-frequency butterflies: natural input, bit-reversed output. */
function difToBitrev(a: Uint32Array, tw: Uint32Array): void {
  const n = a.length;
  for (let half = n >>> 1; half >= 1; half >>>= 1) {
    const step = n / (2 * half);
    for (let start = 0; start < n; start += 2 * half) {
      for (let j = 0; j < half; j++) {
        const w = tw[j * step];
        const i0 = start + j;
        const i1 = i0 + half;
        const u = a[i0];
        const b = a[i1];
        const s = u + b;
        a[i0] = s >= P ? s - P : s;
        let d = u - b;
        if (d < 0) d += P;
        const q = Math.floor(d * w * INV_P);
        let v = (Math.imul(d, w) - Math.imul(q, P)) | 0;
        if (v < 0) v += P;
        else if (v >= P) v -= P;
        a[i1] = v;
      }
    }
  }
}

/** In place: coefficients (natural) -> evaluations at w^i (natural). */
export function dft(a: Uint32Array): Uint32Array {
  const logN = log2Exact(a.length);
  bitReversePermute(a);
  ditFromBitrev(a, twiddles(logN, false));
  return a;
}

/** In place: evaluations at w^i (natural) -> coefficients (natural). */
export function idft(a: Uint32Array): Uint32Array {
  const logN = log2Exact(a.length);
  bitReversePermute(a);
  ditFromBitrev(a, twiddles(logN, true));
  const nInv = inv(a.length % P);
  for (let i = 0; i < a.length; i++) a[i] = mul(a[i], nInv);
  return a;
}

/** In place: coefficients (natural) -> evaluations at w^bitrev(i). */
export function dftToBitrev(a: Uint32Array): Uint32Array {
  difToBitrev(a, twiddles(log2Exact(a.length), false));
  return a;
}

/**
 * Coefficients (any length <= n*2^logBlowup) -> evaluations over shift*H' in bit-reversed order.
 */
export function coeffsToCosetBitrev(coeffs: Uint32Array, logSize: number, shift: number): Uint32Array {
  const out = new Uint32Array(1 << logSize);
  let s = 1;
  for (let i = 0; i < coeffs.length; i++) {
    out[i] = mul(coeffs[i], s);
    s = mul(s, shift);
  }
  return dftToBitrev(out);
}

/** Evaluations over H (natural, length n) -> evaluations over shift*H' (bit-reversed, n*2^logBlowup). */
export function cosetLdeBitrev(evals: Uint32Array, logBlowup: number, shift: number): Uint32Array {
  const coeffs = idft(Uint32Array.from(evals));
  return coeffsToCosetBitrev(coeffs, log2Exact(evals.length) + logBlowup, shift);
}

/** Evaluations over shift*H (natural order) -> coefficients (natural). */
export function cosetIdft(evals: Uint32Array, shift: number): Uint32Array {
  const c = idft(evals);
  const sInv = inv(shift);
  let s = 1;
  for (let i = 0; i < c.length; i++) {
    c[i] = mul(c[i], s);
    s = mul(s, sInv);
  }
  return c;
}

export { pow };
