/**
 * Bit gadgets: boolean witness bits, Num2Bits, Num2Bits_strict (bits of an r-sized value
 * with the alias check bits ≤ r − 1) and constant comparisons on bit vectors. Bits are
 * little-endian (bit 0 first), as circomlib.
 */
import type { Builder, Lc } from "../builder.ts";
import { R, finv } from "../field.ts";

/**
 * `n` boolean witness bits of `compute()` and their recomposition Σ 2^i·b_i (an LC, no row).
 * Cost: n rows. The value is < 2^n by construction, so no separate range check is needed.
 */
export function witnessBits(
  b: Builder,
  n: number,
  compute: () => bigint,
  tag: string,
): { bits: Lc[]; value: Lc } {
  const bits = b.hints(
    n,
    () => {
      const x = compute();
      return Array.from({ length: n }, (_, i) => (x >> BigInt(i)) & 1n);
    },
    tag,
  );
  for (const bit of bits) b.assertBoolean(bit);
  return { bits, value: recompose(b, bits) };
}

/** Σ 2^i·bits[i] (no row). */
export function recompose(b: Builder, bits: readonly Lc[]): Lc {
  return b.sum(bits.map((x, i) => [1n << BigInt(i), x] as const));
}

/**
 * circomlib `Num2Bits(n)`: the n bits of `x`, constraining x = Σ 2^i·b_i, so x < 2^n.
 * One bit is not a wire but what the others leave of x (as circom --O2 substitutes it), so
 * the recomposition costs no row: n boolean rows in all. That bit is an LC as long as x:
 * `implied` picks which — "low" (bit 0, as circom) or "high" (bit n − 1, for carries that are
 * discarded, so long LCs do not propagate). For n ≥ 254 the decomposition can alias (x + r
 * has the same bits): use `num2bitsStrict`.
 */
export function num2bits(b: Builder, x: Lc, n: number, implied: "low" | "high" = "low"): Lc[] {
  if (n < 1 || n > 254) throw new RangeError(`num2bits: n must be 1..254, got ${n}`);
  return b.scope(`num2bits${n}`, () => {
    const skip = implied === "low" ? 0 : n - 1;
    const idx = Array.from({ length: n }, (_, i) => i).filter((i) => i !== skip);
    const wires = b.hints(
      n - 1,
      () => {
        const v = b.value(x);
        return idx.map((i) => (v >> BigInt(i)) & 1n);
      },
      "num2bits",
    );
    const invPow = finv(1n << BigInt(skip));
    const implicit = b.scale(
      b.sum([[1n, x], ...wires.map((h, k) => [-(1n << BigInt(idx[k])), h] as const)]),
      invPow,
    );
    const bits: Lc[] = new Array(n);
    bits[skip] = implicit;
    idx.forEach((i, k) => (bits[i] = wires[k]));
    for (const bit of bits) b.assertBoolean(bit);
    return bits;
  });
}

/** Constrains x < 2^n (n ≤ 252). Cost as `num2bits`. */
export function rangeCheck(b: Builder, x: Lc, n: number): void {
  if (n > 252) throw new RangeError(`rangeCheck: n must be ≤ 252, got ${n}`);
  num2bits(b, x, n);
}

/**
 * Constrains the integer Σ 2^i·bits[i] ≤ c, for boolean `bits`, scanning from the top with a
 * "prefix equals c so far" flag `eq`: in a run where c has zeros the bits must be zero while
 * eq = 1 (one row: eq·Σbits = 0, the sum of booleans vanishes only if every bit does); a run
 * of ones keeps eq only if all its bits are one. Trailing ones of c need nothing.
 */
export function assertBitsLeConst(b: Builder, bits: readonly Lc[], c: bigint): void {
  const n = bits.length;
  if (c >= 1n << BigInt(n)) return;
  if (c < 0n) throw new RangeError("assertBitsLeConst: negative bound");
  const cb = (i: number): number => Number((c >> BigInt(i)) & 1n);
  // Lowest position of a zero bit of c: below it nothing constrains the bits.
  let lowestZero = -1;
  for (let i = 0; i < n; i++) {
    if (cb(i) === 0) {
      lowestZero = i;
      break;
    }
  }
  b.scope("bitsLeConst", () => {
    let eq: Lc = b.one;
    let i = n - 1;
    while (i >= 0 && i >= lowestZero) {
      const bit = cb(i);
      const run: Lc[] = [];
      while (i >= 0 && cb(i) === bit) run.push(bits[i--]);
      if (bit === 0) {
        const s = b.sum(run.map((x) => [1n, x] as const));
        if (!eq.nonConst) b.assertZero(s);
        else b.assertMul(eq, s, b.zero);
      } else if (i >= lowestZero) {
        eq = b.mul(eq, allOnes(b, run));
      }
    }
  });
}

/** 1 if every boolean in `xs` is 1, else 0: a product chain (k − 1 rows) or IsZero(k − Σ) (2 rows). */
export function allOnes(b: Builder, xs: readonly Lc[]): Lc {
  if (xs.length <= 3) return xs.reduce((acc, x) => b.mul(acc, x), b.one);
  const k = BigInt(xs.length);
  const missing = b.sum(
    xs.map((x) => [-1n, x] as const),
    k,
  );
  return isZeroLc(b, missing);
}

/** 1 if x = 0 else 0 (circomlib IsZero: 2 rows). */
export function isZeroLc(b: Builder, x: Lc): Lc {
  return b.scope("isZero", () => {
    const inv = b.hint(() => {
      const v = b.value(x);
      return finv(v);
    }, "isZero.inv");
    const out = b.sub(b.one, b.mul(x, inv));
    b.assertMul(x, out, b.zero);
    return out;
  });
}

/**
 * circomlib `Num2Bits_strict`: the 254 bits of any field element, with the alias check
 * Σ 2^i·b_i ≤ r − 1 so that x has exactly one decomposition.
 */
export function num2bitsStrict(b: Builder, x: Lc): Lc[] {
  return b.scope("num2bitsStrict", () => {
    // The implied bit is the top one: callers use the low bits (windows, indices), which
    // then stay single wires.
    const bits = num2bits(b, x, 254, "high");
    assertBitsLeConst(b, bits, R - 1n);
    return bits;
  });
}
