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
        const p0 = ptr + ((<usize>(start + j)) << 2);
        const p1 = p0 + ((<usize>half) << 2);
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
        const p0 = ptr + ((<usize>(start + j)) << 2);
        const p1 = p0 + ((<usize>half) << 2);
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
      const a = ptr + ((<usize>i) << 2);
      const b = ptr + ((<usize>j) << 2);
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
    const o = (<usize>i) << 2;
    store<u32>(ptr + o, mont(load<u32>(ptr + o), load<u32>(f + o)));
  }
}

/** a[i] = a[i] * c for i < n (c in Montgomery form). */
export function mulScalar(ptr: usize, n: u32, c: u32): void {
  for (let i: u32 = 0; i < n; i++) {
    const o = (<usize>i) << 2;
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
    let s0: u64 = 0,
      s1: u64 = 0,
      s2: u64 = 0,
      s3: u64 = 0;
    const row = m + ((<usize>i * <usize>width) << 2);
    for (let c: u32 = 0; c < width; c++) {
      const v = load<u32>(row + ((<usize>c) << 2));
      const cp = coef + ((<usize>c) << 4);
      s0 += mont(v, load<u32>(cp));
      s1 += mont(v, load<u32>(cp, 4));
      s2 += mont(v, load<u32>(cp, 8));
      s3 += mont(v, load<u32>(cp, 12));
    }
    const op = out + ((<usize>i) << 4);
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

// ---- Element-wise vector kernels over Montgomery-form values (constraint evaluation) ----
// Base vectors hold n values; extension vectors hold 4n values (coefficients interleaved).

const R2: u32 = 0x17f7efe4; // (2^32)^2 mod p = 2^64 mod p; mont(x, R2) = x * 2^32 mod p
const W_MONT: u32 = 0x05fffffa; // 3 * 2^32 mod p

export function vToMont(o: usize, n: u32): void {
  for (let i: u32 = 0; i < n; i++) {
    const q = o + ((<usize>i) << 2);
    store<u32>(q, mont(load<u32>(q), R2));
  }
}

export function vFromMont(o: usize, n: u32): void {
  for (let i: u32 = 0; i < n; i++) {
    const q = o + ((<usize>i) << 2);
    store<u32>(q, mont(load<u32>(q), 1));
  }
}

export function vFill(o: usize, v: u32, n: u32): void {
  for (let i: u32 = 0; i < n; i++) store<u32>(o + ((<usize>i) << 2), v);
}

export function vAdd(o: usize, a: usize, b: usize, n: u32): void {
  for (let i: u32 = 0; i < n; i++) {
    const k = (<usize>i) << 2;
    store<u32>(o + k, addp(load<u32>(a + k), load<u32>(b + k)));
  }
}

export function vSub(o: usize, a: usize, b: usize, n: u32): void {
  for (let i: u32 = 0; i < n; i++) {
    const k = (<usize>i) << 2;
    store<u32>(o + k, subp(load<u32>(a + k), load<u32>(b + k)));
  }
}

export function vNeg(o: usize, a: usize, n: u32): void {
  for (let i: u32 = 0; i < n; i++) {
    const k = (<usize>i) << 2;
    store<u32>(o + k, subp(0, load<u32>(a + k)));
  }
}

export function vMul(o: usize, a: usize, b: usize, n: u32): void {
  for (let i: u32 = 0; i < n; i++) {
    const k = (<usize>i) << 2;
    store<u32>(o + k, mont(load<u32>(a + k), load<u32>(b + k)));
  }
}

/** Base vector a -> extension vector o (o must not alias a). */
export function vLift(o: usize, a: usize, n: u32): void {
  for (let i: u32 = 0; i < n; i++) {
    const q = o + ((<usize>i) << 4);
    store<u32>(q, load<u32>(a + ((<usize>i) << 2)));
    store<u32>(q, 0, 4);
    store<u32>(q, 0, 8);
    store<u32>(q, 0, 12);
  }
}

/** Extension times base: o may alias a. */
export function eMulB(o: usize, a: usize, b: usize, n: u32): void {
  for (let i: u32 = 0; i < n; i++) {
    const s = load<u32>(b + ((<usize>i) << 2));
    const p = a + ((<usize>i) << 4);
    const q = o + ((<usize>i) << 4);
    const a0 = load<u32>(p),
      a1 = load<u32>(p, 4),
      a2 = load<u32>(p, 8),
      a3 = load<u32>(p, 12);
    store<u32>(q, mont(a0, s));
    store<u32>(q, mont(a1, s), 4);
    store<u32>(q, mont(a2, s), 8);
    store<u32>(q, mont(a3, s), 12);
  }
}

/** Extension times extension in F[x]/(x^4 - 3): o may alias a or b. */
export function eMul(o: usize, a: usize, b: usize, n: u32): void {
  for (let i: u32 = 0; i < n; i++) {
    const p = a + ((<usize>i) << 4);
    const r = b + ((<usize>i) << 4);
    const q = o + ((<usize>i) << 4);
    const a0 = load<u32>(p),
      a1 = load<u32>(p, 4),
      a2 = load<u32>(p, 8),
      a3 = load<u32>(p, 12);
    const b0 = load<u32>(r),
      b1 = load<u32>(r, 4),
      b2 = load<u32>(r, 8),
      b3 = load<u32>(r, 12);
    // Sums of up to 4 reduced products (< 4p < 2^33) kept in u64, reduced once.
    const c0 =
      <u64>mont(a0, b0) +
      <u64>mont(W_MONT, <u32>((<u64>mont(a1, b3) + <u64>mont(a2, b2) + <u64>mont(a3, b1)) % P));
    const c1 =
      <u64>mont(a0, b1) +
      <u64>mont(a1, b0) +
      <u64>mont(W_MONT, <u32>((<u64>mont(a2, b3) + <u64>mont(a3, b2)) % P));
    const c2 = <u64>mont(a0, b2) + <u64>mont(a1, b1) + <u64>mont(a2, b0) + <u64>mont(W_MONT, mont(a3, b3));
    const c3 = <u64>mont(a0, b3) + <u64>mont(a1, b2) + <u64>mont(a2, b1) + <u64>mont(a3, b0);
    store<u32>(q, <u32>(c0 % P));
    store<u32>(q, <u32>(c1 % P), 4);
    store<u32>(q, <u32>(c2 % P), 8);
    store<u32>(q, <u32>(c3 % P), 12);
  }
}

/** Nonzero test: returns the first i < n with a[i] != 0 (stride words per element), or -1. */
export function vFirstNonzero(a: usize, n: u32, stride: u32): i32 {
  for (let i: u32 = 0; i < n; i++) {
    const p = a + ((<usize>i * <usize>stride) << 2);
    for (let k: u32 = 0; k < stride; k++) if (load<u32>(p + ((<usize>k) << 2)) != 0) return <i32>i;
  }
  return -1;
}

/** acc (extension) += c (base) * (a0 + a1 x + a2 x^2 + a3 x^3), all Montgomery form. */
export function eAxpyB(acc: usize, c: usize, a0: u32, a1: u32, a2: u32, a3: u32, n: u32): void {
  for (let i: u32 = 0; i < n; i++) {
    const s = load<u32>(c + ((<usize>i) << 2));
    const q = acc + ((<usize>i) << 4);
    store<u32>(q, addp(load<u32>(q), mont(s, a0)));
    store<u32>(q, addp(load<u32>(q, 4), mont(s, a1)), 4);
    store<u32>(q, addp(load<u32>(q, 8), mont(s, a2)), 8);
    store<u32>(q, addp(load<u32>(q, 12), mont(s, a3)), 12);
  }
}

/** acc (extension) += c (extension) * (a0 + a1 x + a2 x^2 + a3 x^3), all Montgomery form. */
export function eAxpyE(acc: usize, c: usize, a0: u32, a1: u32, a2: u32, a3: u32, n: u32): void {
  const w1 = mont(W_MONT, a1),
    w2 = mont(W_MONT, a2),
    w3 = mont(W_MONT, a3);
  for (let i: u32 = 0; i < n; i++) {
    const p = c + ((<usize>i) << 4);
    const q = acc + ((<usize>i) << 4);
    const c0 = load<u32>(p),
      c1 = load<u32>(p, 4),
      c2 = load<u32>(p, 8),
      c3 = load<u32>(p, 12);
    const r0 =
      <u64>load<u32>(q) + <u64>mont(c0, a0) + <u64>mont(c1, w3) + <u64>mont(c2, w2) + <u64>mont(c3, w1);
    const r1 =
      <u64>load<u32>(q, 4) + <u64>mont(c0, a1) + <u64>mont(c1, a0) + <u64>mont(c2, w3) + <u64>mont(c3, w2);
    const r2 =
      <u64>load<u32>(q, 8) + <u64>mont(c0, a2) + <u64>mont(c1, a1) + <u64>mont(c2, a0) + <u64>mont(c3, w3);
    const r3 =
      <u64>load<u32>(q, 12) + <u64>mont(c0, a3) + <u64>mont(c1, a2) + <u64>mont(c2, a1) + <u64>mont(c3, a0);
    store<u32>(q, <u32>(r0 % P));
    store<u32>(q, <u32>(r1 % P), 4);
    store<u32>(q, <u32>(r2 % P), 8);
    store<u32>(q, <u32>(r3 % P), 12);
  }
}

function powMont(a: u32, e: u32): u32 {
  let acc: u32 = mont(1, R2); // 1 in Montgomery form
  let b = a;
  while (e != 0) {
    if (e & 1) acc = mont(acc, b);
    b = mont(b, b);
    e >>= 1;
  }
  return acc;
}

/**
 * In place: inverts n extension elements given in canonical form (zeros stay zero), using
 * prefix products in `scratch` (16 n bytes) and one inversion through the norm to
 * F_p[y]/(y^2 - 3): a^-1 = conj(a) / (a conj(a)), conj(a) = a0 - a1 x + a2 x^2 - a3 x^3.
 */
export function eBatchInverse(ptr: usize, n: u32, scratch: usize): void {
  const one = mont(1, R2);
  let c0 = one,
    c1: u32 = 0,
    c2: u32 = 0,
    c3: u32 = 0;
  vToMont(ptr, 4 * n);
  for (let i: u32 = 0; i < n; i++) {
    const p = ptr + ((<usize>i) << 4);
    const s = scratch + ((<usize>i) << 4);
    store<u32>(s, c0);
    store<u32>(s, c1, 4);
    store<u32>(s, c2, 8);
    store<u32>(s, c3, 12);
    const a0 = load<u32>(p),
      a1 = load<u32>(p, 4),
      a2 = load<u32>(p, 8),
      a3 = load<u32>(p, 12);
    if ((a0 | a1 | a2 | a3) == 0) continue;
    store<u32>(ACC, c0);
    store<u32>(ACC, c1, 4);
    store<u32>(ACC, c2, 8);
    store<u32>(ACC, c3, 12);
    eMul(ACC, ACC, p, 1);
    c0 = load<u32>(ACC);
    c1 = load<u32>(ACC, 4);
    c2 = load<u32>(ACC, 8);
    c3 = load<u32>(ACC, 12);
  }
  // Invert (c0..c3): conj, norm n0 + n2 x^2, then (n0 - n2 x^2) / (n0^2 - 3 n2^2).
  store<u32>(ACC, c0);
  store<u32>(ACC, c1, 4);
  store<u32>(ACC, c2, 8);
  store<u32>(ACC, c3, 12);
  store<u32>(CONJ, c0);
  store<u32>(CONJ, subp(0, c1), 4);
  store<u32>(CONJ, c2, 8);
  store<u32>(CONJ, subp(0, c3), 12);
  eMul(NORM, ACC, CONJ, 1);
  const n0 = load<u32>(NORM);
  const n2 = load<u32>(NORM, 8);
  const d = subp(mont(n0, n0), mont(W_MONT, mont(n2, n2)));
  const dInv = powMont(d, P32 - 2);
  store<u32>(NORM, mont(n0, dInv));
  store<u32>(NORM, 0, 4);
  store<u32>(NORM, mont(subp(0, n2), dInv), 8);
  store<u32>(NORM, 0, 12);
  eMul(ACC, CONJ, NORM, 1); // ACC = total^-1
  for (let i: i32 = <i32>n - 1; i >= 0; i--) {
    const p = ptr + ((<usize>i) << 4);
    const a0 = load<u32>(p),
      a1 = load<u32>(p, 4),
      a2 = load<u32>(p, 8),
      a3 = load<u32>(p, 12);
    if ((a0 | a1 | a2 | a3) == 0) continue;
    store<u32>(TMP, a0);
    store<u32>(TMP, a1, 4);
    store<u32>(TMP, a2, 8);
    store<u32>(TMP, a3, 12);
    eMul(p, ACC, scratch + ((<usize>i) << 4), 1);
    eMul(ACC, ACC, TMP, 1);
  }
  vFromMont(ptr, 4 * n);
}

// Fixed 16-byte cells below the host's region (the host starts allocating at 64 KiB).
const ACC: usize = 1024;
const CONJ: usize = 1040;
const NORM: usize = 1056;
const TMP: usize = 1072;

const T1: usize = 1088;
const T2: usize = 1104;
const T3: usize = 1120;

/**
 * DEEP combination (see src/stark/deep.ts), canonical in and out:
 * acc[i] += off * ([rT[i] - cZ + a2W (rQ[i] - cQ)] * invZ[i] + (rT[i] - cZn) * invZn[i]).
 * `consts` holds cZ, cQ, cZn (canonical) then a2W, off (Montgomery), 4 values each; invZ and
 * invZn are converted to Montgomery form in place.
 */
export function deepCombine(
  acc: usize,
  rT: usize,
  rQ: usize,
  invZ: usize,
  invZn: usize,
  n: u32,
  consts: usize,
  hasOff: u32,
): void {
  vToMont(invZ, 4 * n);
  vToMont(invZn, 4 * n);
  const a2W = consts + 48;
  const off = consts + 64;
  for (let i: u32 = 0; i < n; i++) {
    const q = (<usize>i) << 4;
    for (let k: usize = 0; k < 16; k += 4)
      store<u32>(T1 + k, subp(load<u32>(rQ + q + k), load<u32>(consts + 16 + k)));
    eMul(T2, T1, a2W, 1);
    for (let k: usize = 0; k < 16; k += 4)
      store<u32>(T1 + k, addp(subp(load<u32>(rT + q + k), load<u32>(consts + k)), load<u32>(T2 + k)));
    eMul(T3, T1, invZ + q, 1);
    for (let k: usize = 0; k < 16; k += 4)
      store<u32>(T1 + k, subp(load<u32>(rT + q + k), load<u32>(consts + 32 + k)));
    eMul(T2, T1, invZn + q, 1);
    for (let k: usize = 0; k < 16; k += 4) store<u32>(T1 + k, addp(load<u32>(T3 + k), load<u32>(T2 + k)));
    if (hasOff) eMul(T1, T1, off, 1);
    for (let k: usize = 0; k < 16; k += 4)
      store<u32>(acc + q + k, addp(load<u32>(acc + q + k), load<u32>(T1 + k)));
  }
}
