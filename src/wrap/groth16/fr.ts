/**
 * BN254 scalar field Fr with BigInt: the cold-path arithmetic of the dev setup (one pass over
 * the R1CS terms and the Lagrange evaluations; the heavy work is the curve arithmetic).
 * Roots of unity follow ffjavascript (generator 5 of the 2^28 subgroup), so evaluation domains
 * match snarkjs's FFTs.
 */
import { randomBytes } from "node:crypto";

export const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
export const Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
/** 2-adicity of r - 1. */
export const TWO_ADICITY = 28;
/** Montgomery R^2 mod r for 256-bit limbs: snarkjs stores zkey coefficients as c·R^2. */
export const MONT_R2 = (1n << 512n) % R;

export const mod = (a: bigint): bigint => {
  const x = a % R;
  return x < 0n ? x + R : x;
};

export function pow(b: bigint, e: bigint): bigint {
  let r = 1n;
  let x = mod(b);
  while (e > 0n) {
    if (e & 1n) r = (r * x) % R;
    x = (x * x) % R;
    e >>= 1n;
  }
  return r;
}

export const inv = (a: bigint): bigint => {
  if (mod(a) === 0n) throw new Error("inverse of zero");
  return pow(a, R - 2n);
};

/** Primitive 2^k-th root of unity, as ffjavascript's `Fr.w[k]`. */
export function rootOfUnity(k: number): bigint {
  if (k > TWO_ADICITY) throw new Error(`no 2^${k}-th root of unity in Fr`);
  let w = pow(5n, (R - 1n) >> BigInt(TWO_ADICITY));
  for (let i = TWO_ADICITY; i > k; i--) w = (w * w) % R;
  return w;
}

/** In-place batch inversion (Montgomery's trick); all inputs must be non-zero. */
export function batchInvert(xs: bigint[]): void {
  const n = xs.length;
  if (n === 0) return;
  const prefix = new Array<bigint>(n);
  let acc = 1n;
  for (let i = 0; i < n; i++) {
    prefix[i] = acc;
    acc = (acc * xs[i]!) % R;
  }
  let invAcc = inv(acc);
  for (let i = n - 1; i >= 0; i--) {
    const x = xs[i]!;
    xs[i] = (invAcc * prefix[i]!) % R;
    invAcc = (invAcc * x) % R;
  }
}

/** A uniformly random non-zero field element from the OS CSPRNG (rejection sampling). */
export function randomNonZero(): bigint {
  for (;;) {
    const b = randomBytes(32);
    b[31]! &= 0x3f; // 254 bits: accepted with probability r / 2^254 ≈ 0.76
    const x = readLE(b, 0);
    if (x !== 0n && x < R) return x;
  }
}

export function readLE(bytes: Uint8Array, off: number): bigint {
  const v = new DataView(bytes.buffer, bytes.byteOffset + off, 32);
  return (
    v.getBigUint64(0, true) |
    (v.getBigUint64(8, true) << 64n) |
    (v.getBigUint64(16, true) << 128n) |
    (v.getBigUint64(24, true) << 192n)
  );
}

const M64 = (1n << 64n) - 1n;
export function writeLE(bytes: Uint8Array, off: number, x: bigint): void {
  const v = new DataView(bytes.buffer, bytes.byteOffset + off, 32);
  v.setBigUint64(0, x & M64, true);
  v.setBigUint64(8, (x >> 64n) & M64, true);
  v.setBigUint64(16, (x >> 128n) & M64, true);
  v.setBigUint64(24, x >> 192n, true);
}

/** 32-byte little-endian encoding of many scalars, as the fixed-base pool takes them. */
export function scalarsToLE(xs: readonly bigint[]): Uint8Array {
  const out = new Uint8Array(xs.length * 32);
  for (let i = 0; i < xs.length; i++) writeLE(out, i * 32, xs[i]!);
  return out;
}
