/**
 * The degree-4 extension F_p[x]/(x^4 − 3) over emulated KoalaBear (same basis and W as
 * src/field/ext4.ts). Coefficients are lazy `Kb` values: a product is 16 rows and each output
 * coefficient Σ_{i+j=k} a_i·b_j + 3·Σ_{i+j=k+4} a_i·b_j has bound ≤ 4·3·A·B; nothing is
 * reduced until a bound would pass 2^250 or the caller asks (`reduce`).
 */
import type { Builder, Lc } from "../builder.ts";
import { KB_P, KoalaBear, modPowP, type Kb } from "./koalabear.ts";

export const EXT_W = 3n;
export type KbExt = readonly [Kb, Kb, Kb, Kb];

export class KoalaBearExt {
  readonly f: KoalaBear;
  constructor(readonly b: Builder) {
    this.f = new KoalaBear(b);
  }

  constant(c: readonly (bigint | number)[]): KbExt {
    return [0, 1, 2, 3].map((i) => this.f.constant(c[i] ?? 0)) as unknown as KbExt;
  }

  fromBase(x: Kb): KbExt {
    const z = this.f.constant(0);
    return [x, z, z, z];
  }

  /** Four canonical coefficients from outside (34 rows each). */
  canonical(xs: readonly Lc[]): KbExt {
    return xs.map((x) => this.f.canonical(x)) as unknown as KbExt;
  }

  /** Four coefficients sent by the prover, each checked < 2^31 (`KoalaBear.committed31`). */
  committed31(xs: readonly Lc[]): KbExt {
    return xs.map((x) => this.f.committed31(x)) as unknown as KbExt;
  }

  add(x: KbExt, y: KbExt): KbExt {
    return x.map((a, i) => this.f.add(a, y[i])) as unknown as KbExt;
  }

  sub(x: KbExt, y: KbExt): KbExt {
    return x.map((a, i) => this.f.sub(a, y[i])) as unknown as KbExt;
  }

  neg(x: KbExt): KbExt {
    return x.map((a) => this.f.neg(a)) as unknown as KbExt;
  }

  mulBase(x: KbExt, s: Kb): KbExt {
    return x.map((a) => this.f.mul(a, s)) as unknown as KbExt;
  }

  mulConst(x: KbExt, k: bigint): KbExt {
    return x.map((a) => this.f.mulConst(a, k)) as unknown as KbExt;
  }

  /** x·y: 16 rows (fewer with constant coefficients), lazy output. */
  mul(x: KbExt, y: KbExt): KbExt {
    const f = this.f;
    let xs = x.slice();
    let ys = y.slice();
    const maxB = (v: Kb[]): bigint => v.reduce((m, a) => (a.bound > m ? a.bound : m), 0n);
    // Bound of an output coefficient: at most 4 products, the wrapped ones scaled by W = 3.
    while (12n * maxB(xs) * maxB(ys) > 1n << 250n) {
      if (maxB(xs) >= maxB(ys)) xs = xs.map((a) => f.reduce(a));
      else ys = ys.map((a) => f.reduce(a));
    }
    const out: Kb[] = [];
    for (let k = 0; k < 4; k++) {
      const terms: [bigint, Kb][] = [];
      for (let i = 0; i < 4; i++) {
        const j = k - i;
        if (j >= 0) terms.push([1n, f.mul(xs[i], ys[j])]);
        else terms.push([EXT_W, f.mul(xs[i], ys[j + 4])]);
      }
      out.push(f.linear(terms));
    }
    return out as unknown as KbExt;
  }

  reduce(x: KbExt): KbExt {
    return x.map((a) => this.f.reduce(a)) as unknown as KbExt;
  }

  assertEqual(x: KbExt, y: KbExt): void {
    x.forEach((a, i) => this.f.assertEqual(a, y[i]));
  }

  /** Inverse via a canonical hint w and the check x·w ≡ 1. */
  inverse(x: KbExt): KbExt {
    const b = this.b;
    return b.scope("ext.inverse", () => {
      const vals = b.hints(4, () => extInverse(x.map((a) => this.f.value(a))), "ext.inverse");
      const w = this.canonical(vals);
      this.assertEqual(this.mul(x, w), this.constant([1]));
      return w;
    });
  }

  value(x: KbExt): bigint[] {
    return x.map((a) => this.f.value(a));
  }
}

function extMulPlain(a: readonly bigint[], c: readonly bigint[]): bigint[] {
  const out = [0n, 0n, 0n, 0n];
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++) {
      const k = i + j;
      if (k < 4) out[k] += a[i] * c[j];
      else out[k - 4] += EXT_W * a[i] * c[j];
    }
  return out.map((v) => v % KB_P);
}

/** Inverse in F_p[x]/(x^4 − 3) by exponentiation to p^4 − 2 (witness side only). */
export function extInverse(a: readonly bigint[]): bigint[] {
  let e = KB_P ** 4n - 2n;
  let r = [1n, 0n, 0n, 0n];
  let base = a.map((v) => v % KB_P);
  while (e > 0n) {
    if (e & 1n) r = extMulPlain(r, base);
    base = extMulPlain(base, base);
    e >>= 1n;
  }
  return r;
}

export { modPowP };
