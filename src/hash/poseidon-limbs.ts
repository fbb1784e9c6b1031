/**
 * BN254 elements as 8 little-endian u32 limbs (the layout of `poseidonBatch` and the row
 * hashes), and conversions to and from bigint.
 */
import { BN254_R } from "./poseidon-reference.ts";

export const LIMBS_PER_ELEMENT = 8;

/** Reads the element at limb offset `at` (8 limbs). */
export function limbsToBigint(limbs: Uint32Array, at = 0): bigint {
  let x = 0n;
  for (let i = LIMBS_PER_ELEMENT - 1; i >= 0; i--) x = (x << 32n) | BigInt(limbs[at + i]);
  return x;
}

/** Writes `x` (0 <= x < 2^256) as 8 limbs at offset `at`. */
export function bigintToLimbs(x: bigint, out: Uint32Array = new Uint32Array(8), at = 0): Uint32Array {
  for (let i = 0; i < LIMBS_PER_ELEMENT; i++) {
    out[at + i] = Number(x & 0xffffffffn);
    x >>= 32n;
  }
  return out;
}

/** True when the 8 limbs at `at` encode a value < r (canonical BN254 scalar). */
export function limbsCanonical(limbs: Uint32Array, at = 0): boolean {
  return limbsToBigint(limbs, at) < BN254_R;
}
