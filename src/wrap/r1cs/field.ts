/**
 * Arithmetic modulo the BN254 scalar field order r, the field every R1CS wire lives in.
 * Plain BigInt: the builder only touches it for coefficients and witness values.
 */
import { BN254_R } from "../../hash/poseidon-reference.ts";

export const R = BN254_R;

/** Canonical representative in [0, r). */
export function fmod(a: bigint): bigint {
  const m = a % R;
  return m < 0n ? m + R : m;
}

/** Inverse modulo r (extended Euclid); 0 has no inverse and returns 0, as circom's `1/0` hints do. */
export function finv(a: bigint): bigint {
  let t = 0n;
  let newT = 1n;
  let rr = R;
  let newR = fmod(a);
  if (newR === 0n) return 0n;
  while (newR !== 0n) {
    const q = rr / newR;
    [t, newT] = [newT, t - q * newT];
    [rr, newR] = [newR, rr - q * newR];
  }
  return t < 0n ? t + R : t;
}
