/** Comparators and selection: IsZero, IsEqual, LessThan (circomlib semantics), Mux1. */
import type { Builder, Lc } from "../builder.ts";
import { isZeroLc, num2bits } from "./bits.ts";

/** 1 if x = 0 else 0. 2 rows. */
export function isZero(b: Builder, x: Lc): Lc {
  return isZeroLc(b, x);
}

/** 1 if x = y else 0. 2 rows. */
export function isEqual(b: Builder, x: Lc, y: Lc): Lc {
  return isZeroLc(b, b.sub(x, y));
}

/**
 * circomlib `LessThan(n)`: 1 if x < y else 0, for x, y < 2^n (the caller must guarantee it:
 * like circomlib, larger inputs give meaningless results). n + 1 boolean rows + 1 linear.
 */
export function lessThan(b: Builder, x: Lc, y: Lc, n: number): Lc {
  if (n < 1 || n > 252) throw new RangeError(`lessThan: n must be 1..252, got ${n}`);
  return b.scope(`lessThan${n}`, () => {
    const bits = num2bits(b, b.addConst(b.sub(x, y), 1n << BigInt(n)), n + 1);
    return b.sub(b.one, bits[n]);
  });
}

/** sel ? a : c, for boolean `sel` (1 row: c + sel·(a − c)). */
export function select(b: Builder, sel: Lc, a: Lc, c: Lc): Lc {
  return b.add(c, b.mul(sel, b.sub(a, c)));
}
