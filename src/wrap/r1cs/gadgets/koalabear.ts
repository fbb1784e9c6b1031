/**
 * KoalaBear (p = 2^31 − 2^24 + 1) arithmetic emulated in BN254 R1CS with lazy reduction.
 *
 * Invariant (what makes every bound below reviewable): an emulated value `{ lc, bound }`
 * is an LC whose field value, read as an integer in [0, r), is an integer x with
 * 0 ≤ x ≤ bound, and bound ≤ MAX_BOUND = 2^250 < r/8. The value it stands for is x mod p.
 * - add: x + y ≤ A + B; mul: x·y ≤ A·B (one row). Both stay below r, so no wrap-around.
 * - sub: x + (k·p − y) with k·p ≥ B, so the result is ≥ 0 and ≤ A + k·p.
 * - An operation whose result bound would pass MAX_BOUND first reduces its larger operand.
 * - reduce: witness rem as 31 bits checked ≤ p − 1 and q < 2^qBits (qBits = bitlen(⌊B/p⌋))
 *   with bit 0 implied by x = p·q + rem. p·q + rem < p·2^qBits ≤ 2B + 2p < r, so the field equation
 *   is an integer equation and rem = x mod p. Cost qBits + 31 + 3 rows.
 * - assertZeroMod: x = p·q with q < 2^qBits, q's bit 0 implied by x·p⁻¹ − Σ_{i≥1} 2^i q_i
 *   (p·q < r as above). Cost qBits rows — cheaper than reducing both sides of an equality.
 * - Values read from outside (proof openings, hints claiming canonical form) go through
 *   `canonical`: 31 bits + (≤ p − 1) = 34 rows, once per value.
 */
import { ZkmipsError } from "../../../errors.ts";
import type { Builder, Lc } from "../builder.ts";
import { finv } from "../field.ts";
import { assertBitsLeConst, num2bits, witnessBits } from "./bits.ts";

export const KB_P = 0x7f000001n;
export const MAX_BOUND = 1n << 250n;
/** Bound of a `committed31` value (2^31 − 1 ≥ p − 1). */
export const COMMITTED_BOUND = (1n << 31n) - 1n;
const P_INV_R = finv(KB_P);

export interface Kb {
  readonly lc: Lc;
  /** Static upper bound of the integer value (see module invariant). */
  readonly bound: bigint;
}

const bitlen = (x: bigint): number => x.toString(2).length - (x === 0n ? 1 : 0);

export class KoalaBear {
  /** Number of reductions performed (for cost reports). */
  reductions = 0;
  constructor(readonly b: Builder) {}

  constant(k: bigint | number): Kb {
    const v = ((BigInt(k) % KB_P) + KB_P) % KB_P;
    return { lc: this.b.constant(v), bound: v };
  }

  /**
   * A value from outside the circuit (an input wire or an LC of them) checked to be canonical
   * (< p): 34 rows.
   */
  canonical(x: Lc): Kb {
    const b = this.b;
    return b.scope("kb.canonical", () => {
      const bits = num2bits(b, x, 31);
      assertBitsLeConst(b, bits, KB_P - 1n);
      return { lc: x, bound: KB_P - 1n };
    });
  }

  /**
   * A KoalaBear value sent by the STARK prover (query openings, OOD openings, cumulative sums,
   * final polynomial): checked < 2^31 only (31 rows), not < p; like every emulated value it
   * stands for x mod p. Sound (Fiat-Shamir in the random-oracle model) because each such value
   * is only (1) packed 8 per element into a Merkle leaf or the transcript — injective on
   * 31-bit values, so a root or a challenge still binds one integer vector, hence one F_p
   * vector (x mod p) — and (2) used in arithmetic mod p. A prover that sends v + p instead of
   * v < 2^24 gets another hash input for the same F_p message, i.e. one more random-oracle
   * query, which the Fiat-Shamir bound (q·ε) already counts; it cannot change any value the
   * checks use. The TS verifier still rejects such proofs (canonical decoding, DESIGN). Not
   * for statement values (public inputs): those use `canonical`.
   */
  committed31(x: Lc): Kb {
    const b = this.b;
    return b.scope("kb.committed31", () => {
      num2bits(b, x, 31);
      return { lc: x, bound: COMMITTED_BOUND };
    });
  }

  /** A canonical witness computed by `compute` (only run when values are computed). */
  hintCanonical(compute: () => bigint, tag: string): Kb {
    return this.canonical(this.b.hint(compute, tag));
  }

  private ensure(bound: bigint, what: string): void {
    if (bound > MAX_BOUND) throw new ZkmipsError(`koalabear: ${what} bound exceeds 2^250 after reduction`);
  }

  add(x: Kb, y: Kb): Kb {
    if (x.bound + y.bound > MAX_BOUND) return this.add(...this.reduceLarger(x, y));
    return { lc: this.b.add(x.lc, y.lc), bound: x.bound + y.bound };
  }

  /** Σ k_i·x_i for small nonnegative constants k_i (< 2^32), reducing terms when needed. */
  linear(terms: readonly (readonly [bigint, Kb])[]): Kb {
    for (const [k] of terms)
      if (k < 0n || k >= 1n << 32n) throw new RangeError("koalabear: linear expects 0 ≤ k < 2^32");
    let total = terms.reduce((s, [k, x]) => s + k * x.bound, 0n);
    let ts = terms.slice();
    while (total > MAX_BOUND) {
      let worst = 0;
      ts.forEach(([k, x], i) => {
        if (k * x.bound > ts[worst][0] * ts[worst][1].bound) worst = i;
      });
      ts = ts.map((t, i) => (i === worst ? ([t[0], this.reduce(t[1])] as const) : t));
      total = ts.reduce((s, [k, x]) => s + k * x.bound, 0n);
    }
    return { lc: this.b.sum(ts.map(([k, x]) => [k, x.lc] as const)), bound: total };
  }

  /** x − y as x + (k·p − y), k·p ≥ bound(y). */
  sub(x: Kb, y: Kb): Kb {
    const k = (y.bound + KB_P - 1n) / KB_P;
    const bound = x.bound + k * KB_P;
    if (bound > MAX_BOUND) return this.sub(...this.reduceLarger(x, y));
    return { lc: this.b.addConst(this.b.sub(x.lc, y.lc), k * KB_P), bound };
  }

  neg(y: Kb): Kb {
    return this.sub(this.constant(0), y);
  }

  /** x·y: one row (none when either is constant). */
  mul(x: Kb, y: Kb): Kb {
    if (x.bound * y.bound > MAX_BOUND) return this.mul(...this.reduceLarger(x, y));
    return { lc: this.b.mul(x.lc, y.lc), bound: x.bound * y.bound };
  }

  /** x·k for a constant 0 ≤ k < p: no row. */
  mulConst(x: Kb, k: bigint): Kb {
    if (k < 0n || k >= KB_P) throw new RangeError("koalabear: mulConst expects 0 ≤ k < p");
    if (x.bound * k > MAX_BOUND) return this.mulConst(this.reduce(x), k);
    return { lc: this.b.scale(x.lc, k), bound: x.bound * k };
  }

  private reduceLarger(x: Kb, y: Kb): [Kb, Kb] {
    const [rx, ry] = x.bound >= y.bound ? [this.reduce(x), y] : [x, this.reduce(y)];
    if (rx.bound === x.bound && ry.bound === y.bound) this.ensure(x.bound + y.bound, "operand");
    return [rx, ry];
  }

  /** The canonical representative x mod p (module comment: qBits + 34 rows). */
  reduce(x: Kb): Kb {
    if (x.bound < KB_P) return x;
    const b = this.b;
    this.reductions++;
    return b.scope("kb.reduce", () => {
      const qBits = bitlen(x.bound / KB_P);
      // rem: 31 wire bits (its LC stays 31 terms long whatever x is); q's bit 0 is implied by
      // q = (x − rem)·p⁻¹, so the long LC of x only appears in q0's boolean row.
      const { bits: remBits, value: rem } = witnessBits(b, 31, () => b.value(x.lc) % KB_P, "kb.reduce.rem");
      assertBitsLeConst(b, remBits, KB_P - 1n);
      const qHigh = b.hints(
        qBits - 1,
        () => {
          const v = b.value(x.lc) / KB_P;
          return Array.from({ length: qBits - 1 }, (_, i) => (v >> BigInt(i + 1)) & 1n);
        },
        "kb.reduce.q",
      );
      qHigh.forEach((bit) => b.assertBoolean(bit));
      const q0 = b.sum([
        [P_INV_R, x.lc],
        [-P_INV_R, rem],
        ...qHigh.map((h, i) => [-(1n << BigInt(i + 1)), h] as const),
      ]);
      b.assertBoolean(q0);
      return { lc: rem, bound: KB_P - 1n };
    });
  }

  /** Constrains x ≡ 0 (mod p): qBits rows. */
  assertZeroMod(x: Kb): void {
    const b = this.b;
    if (!x.lc.nonConst) {
      if (b.computesValues && b.value(x.lc) % KB_P !== 0n)
        throw new Error("koalabear: constant is not 0 mod p");
      return;
    }
    b.scope("kb.assertZeroMod", () => {
      const qBits = Math.max(1, bitlen(x.bound / KB_P));
      const high = b.hints(
        qBits - 1,
        () => {
          const v = b.value(x.lc) / KB_P;
          return Array.from({ length: qBits - 1 }, (_, i) => (v >> BigInt(i + 1)) & 1n);
        },
        "kb.assertZeroMod.q",
      );
      // q = x·p⁻¹ (mod r); its bit 0 is what remains after the higher bits.
      const q0 = b.sum([[P_INV_R, x.lc], ...high.map((h, i) => [-(1n << BigInt(i + 1)), h] as const)]);
      b.assertBoolean(q0);
      high.forEach((h) => b.assertBoolean(h));
    });
  }

  /** Constrains x ≡ y (mod p). */
  assertEqual(x: Kb, y: Kb): void {
    this.assertZeroMod(this.sub(x, y));
  }

  /** Inverse of x (x ≢ 0): a canonical hint w with x·w ≡ 1; 34 + 1 + ~64 rows. */
  inverse(x: Kb): Kb {
    const b = this.b;
    return b.scope("kb.inverse", () => {
      const w = this.hintCanonical(() => modPowP(b.value(x.lc) % KB_P, KB_P - 2n), "kb.inverse");
      this.assertEqual(this.mul(x, w), this.constant(1));
      return w;
    });
  }

  /** Value of x mod p (when values are computed). */
  value(x: Kb): bigint {
    return this.b.value(x.lc) % KB_P;
  }
}

export function modPowP(a: bigint, e: bigint): bigint {
  let r = 1n;
  let base = a % KB_P;
  let k = e;
  while (k > 0n) {
    if (k & 1n) r = (r * base) % KB_P;
    base = (base * base) % KB_P;
    k >>= 1n;
  }
  return r;
}
