/**
 * AssemblyScript kernels for KoalaBear (p = 0x7F000001): NTT butterflies, point-wise
 * products and row reductions. Compiled by `scripts/build-field-wasm.sh`.
 *
 * Values in memory are canonical u32 (< p); multipliers passed in tables (twiddles, factors,
 * coefficients) are in Montgomery form (x * 2^32 mod p), so mont(a, bR) = a*b mod p, canonical.
 * Bounds: t = a*b < 2^62, m*p < 2^63, so t + m*p < 2^64; (t + m*p) >> 32 < 2p, one subtraction.
 * The host owns the memory layout and passes byte offsets.
 */

const P: u64 = 0x7f000001;
const P32: u32 = 0x7f000001;
const PINV_NEG: u32 = 0x7effffff;

function mont(a: u32, b: u32): u32 {
  const t: u64 = <u64>a * <u64>b;
  const m: u32 = <u32>t * PINV_NEG;
  const u: u64 = (t + <u64>m * P) >> 32;
  return u >= P ? <u32>(u - P) : <u32>u;
}

function addp(a: u32, b: u32): u32 {
  const s = a + b;
  return s >= P32 ? s - P32 : s;
}

function subp(a: u32, b: u32): u32 {
  return a >= b ? a - b : a + P32 - b;
}

/** In place: natural-order input, bit-reversed output; tw[j] = w^j R (j < n/2). */
export function dif(ptr: usize, logN: u32, tw: usize): void {
  const n: u32 = 1 << logN;
  for (let half: u32 = n >> 1; half >= 1; half >>= 1) {
    const step: u32 = n / (half << 1);
    for (let start: u32 = 0; start < n; start += half << 1) {
      for (let j: u32 = 0; j < half; j++) {
        const w = load<u32>(tw + ((<usize>(j * step)) << 2));
        const p0 = ptr + (<usize>(start + j) << 2);
        const p1 = p0 + (<usize>half << 2);
        const u = load<u32>(p0);
        const v = load<u32>(p1);
        store<u32>(p0, addp(u, v));
        store<u32>(p1, mont(subp(u, v), w));
      }
    }
  }
}

/** In place: bit-reversed input, natural-order output. */
export function dit(ptr: usize, logN: u32, tw: usize): void {
  const n: u32 = 1 << logN;
  for (let half: u32 = 1; half < n; half <<= 1) {
    const step: u32 = n / (half << 1);
    for (let start: u32 = 0; start < n; start += half << 1) {
      for (let j: u32 = 0; j < half; j++) {
        const w = load<u32>(tw + ((<usize>(j * step)) << 2));
        const p0 = ptr + (<usize>(start + j) << 2);
        const p1 = p0 + (<usize>half << 2);
        const u = load<u32>(p0);
        const v = mont(load<u32>(p1), w);
        store<u32>(p0, addp(u, v));
        store<u32>(p1, subp(u, v));
      }
    }
  }
}

/** In place bit-reversal permutation of n = 2^logN values. */
export function bitrev(ptr: usize, logN: u32): void {
  const n: u32 = 1 << logN;
  if (logN == 0) return;
  for (let i: u32 = 0; i < n; i++) {
    const j: u32 = reverseBits(i) >>> (32 - logN);
    if (j > i) {
      const a = ptr + (<usize>i << 2);
      const b = ptr + (<usize>j << 2);
      const t = load<u32>(a);
      store<u32>(a, load<u32>(b));
      store<u32>(b, t);
    }
  }
}

function reverseBits(x: u32): u32 {
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  x = ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
  return (x >>> 16) | (x << 16);
}

/** a[i] = a[i] * f[i] for i < n (f in Montgomery form). */
export function mulPointwise(ptr: usize, n: u32, f: usize): void {
  for (let i: u32 = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<u32>(ptr + o, mont(load<u32>(ptr + o), load<u32>(f + o)));
  }
}

/** a[i] = a[i] * c for i < n (c in Montgomery form). */
export function mulScalar(ptr: usize, n: u32, c: u32): void {
  for (let i: u32 = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<u32>(ptr + o, mont(load<u32>(ptr + o), c));
  }
}

/**
 * out[4i + k] (+)= sum_c m[i*width + c] * coef[4c + k] (coef: extension elements in
 * Montgomery form). Each product is reduced (< p); width <= 2^32 / ... sums of < 2^32 terms
 * of < 2^31 fit u64.
 */
export function reduceRows(m: usize, rows: u32, width: u32, coef: usize, out: usize, accumulate: u32): void {
  for (let i: u32 = 0; i < rows; i++) {
    let s0: u64 = 0, s1: u64 = 0, s2: u64 = 0, s3: u64 = 0;
    const row = m + ((<usize>i * <usize>width) << 2);
    for (let c: u32 = 0; c < width; c++) {
      const v = load<u32>(row + (<usize>c << 2));
      const cp = coef + (<usize>c << 4);
      s0 += mont(v, load<u32>(cp));
      s1 += mont(v, load<u32>(cp, 4));
      s2 += mont(v, load<u32>(cp, 8));
      s3 += mont(v, load<u32>(cp, 12));
    }
    const op = out + (<usize>i << 4);
    if (accumulate) {
      s0 += load<u32>(op);
      s1 += load<u32>(op, 4);
      s2 += load<u32>(op, 8);
      s3 += load<u32>(op, 12);
    }
    store<u32>(op, <u32>(s0 % P));
    store<u32>(op, <u32>(s1 % P), 4);
    store<u32>(op, <u32>(s2 % P), 8);
    store<u32>(op, <u32>(s3 % P), 12);
  }
}
