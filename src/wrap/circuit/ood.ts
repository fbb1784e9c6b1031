/**
 * Out-of-domain evaluation of an AIR's constraint expressions as R1CS rows: the circuit
 * counterpart of `src/stark/ood.ts` (`evalExt`), walking the same DAG (`topoOrder`, memoized
 * by node id) in emulated F_p[x]/(x^4 − 3) arithmetic, plus the per-table OOD check of
 * `src/stark/verifier.ts`: Σ_k alpha^k·C_k(z) = Z_H(z)·Σ_j z^(jn)·Q_j(z).
 *
 * Values are tracked as constant / base / extension so that a product costs 0 rows with a
 * constant, 4 with a base value (public inputs) and 16 with two extension values.
 * Not done here: replaying the transcript to derive z and alpha (gadgets/transcript.ts has
 * the pieces), Merkle/FRI checks, LogUp global constraints with `inv` are supported but
 * only tested through the unit tests of the extension inverse.
 */
import type { Expr } from "../../stark/expr.ts";
import { topoOrder } from "../../stark/expr.ts";
import type { Builder } from "../r1cs/builder.ts";
import { KB_P, type Kb } from "../r1cs/gadgets/koalabear.ts";
import { EXT_W, KoalaBearExt, type KbExt } from "../r1cs/gadgets/koalabear-ext.ts";

/**
 * Reduce an extension value of the walk once when at least SHARED_USES nodes read it and its
 * bound exceeds SHARED_BOUND (2^64: every product of two canonical extension values, 12·(p−1)²
 * ≈ 2^65.6, qualifies). Tuned with bench/wrap-profile.ts (3 and 2^64 beat 2, 4, 5 and 2^40–2^120).
 */
const SHARED_USES = 3;
const SHARED_BOUND = 1n << 64n;

/** A value during the walk. */
export type OodValue =
  | { readonly kind: "const"; readonly c: bigint }
  | { readonly kind: "base"; readonly v: Kb }
  | { readonly kind: "ext"; readonly v: KbExt };

export interface OodCircuitEnv {
  column(group: "pre" | "main" | "aux", index: number, next: boolean): KbExt;
  selector(which: "first" | "last" | "transition"): KbExt;
  pub(index: number): Kb;
  chal(index: number): KbExt;
  cumSum(table: number): KbExt;
}

export class OodEmitter {
  readonly e: KoalaBearExt;
  /** x → [x, x^2, x^4, …] (reduced), shared by every table's Z_H and selectors. */
  private readonly squares = new WeakMap<KbExt, KbExt[]>();
  /** x → its two-level powers (`blockPowers`), shared by every table's quotient check. */
  private readonly powers = new WeakMap<KbExt, BlockPowers>();
  /** zeta → selectors by "logN:wInv" (tables of equal height share them). */
  private readonly selectorCache = new WeakMap<KbExt, Map<string, Selectors>>();
  constructor(readonly b: Builder) {
    this.e = new KoalaBearExt(b);
  }

  /**
   * Powers of x in two levels, x^k = lo[k mod B]·hi[⌊k/B⌋] (all reduced), for sums of up to
   * `n` terms: B + n/B powers instead of n (the Keccak table has 3,700+ constraints). The
   * first call for x fixes B = 2^⌈log2 √n⌉ (call it with the largest n first); later calls
   * extend hi as needed.
   */
  blockPowers(x: KbExt, n: number): BlockPowers {
    const e = this.e;
    let p = this.powers.get(x);
    if (!p) {
      const block = 2 ** Math.ceil(Math.log2(Math.sqrt(Math.max(n, 2))));
      const lo: KbExt[] = [e.constant([1]), e.reduce(x)];
      while (lo.length < block) lo.push(e.reduce(e.mul(lo[lo.length - 1], lo[1])));
      p = { block, lo, hi: [e.constant([1]), e.reduce(e.mul(lo[block - 1], lo[1]))] };
      this.powers.set(x, p);
    }
    while (p.hi.length * p.block < n) p.hi.push(e.reduce(e.mul(p.hi[p.hi.length - 1], p.hi[1])));
    return p;
  }

  toExt(x: OodValue): KbExt {
    if (x.kind === "ext") return x.v;
    if (x.kind === "base") return this.e.fromBase(x.v);
    return this.e.constant([x.c]);
  }

  add(x: OodValue, y: OodValue, sign: 1 | -1): OodValue {
    const f = this.e.f;
    if (x.kind === "const" && y.kind === "const")
      return { kind: "const", c: (x.c + (sign === 1 ? y.c : KB_P - y.c)) % KB_P };
    if (x.kind !== "ext" && y.kind !== "ext") {
      const a = x.kind === "base" ? x.v : f.constant(x.c);
      const c = y.kind === "base" ? y.v : f.constant((y as { c: bigint }).c);
      return { kind: "base", v: sign === 1 ? f.add(a, c) : f.sub(a, c) };
    }
    const a = this.toExt(x);
    const c = this.toExt(y);
    return { kind: "ext", v: sign === 1 ? this.e.add(a, c) : this.e.sub(a, c) };
  }

  mul(x: OodValue, y: OodValue): OodValue {
    const f = this.e.f;
    if (x.kind === "const" && y.kind === "const") return { kind: "const", c: (x.c * y.c) % KB_P };
    if (y.kind === "const") return this.mul(y, x);
    if (x.kind === "const") {
      if (y.kind === "base") return { kind: "base", v: f.mulConst(y.v, x.c) };
      return { kind: "ext", v: this.e.mulConst(y.v as KbExt, x.c) };
    }
    if (x.kind === "base" && y.kind === "base") return { kind: "base", v: f.mul(x.v, y.v) };
    if (x.kind === "base") return { kind: "ext", v: this.e.mulBase(y.v as KbExt, x.v) };
    if (y.kind === "base") return { kind: "ext", v: this.e.mulBase(x.v, y.v) };
    return { kind: "ext", v: this.e.mul(x.v, y.v) };
  }

  /** Every expression's value at the OOD point (as `evalExt`), extension-valued. */
  evaluate(exprs: readonly Expr[], env: OodCircuitEnv): KbExt[] {
    return this.b.scope("ood.eval", () => {
      const val = new Map<number, OodValue>();
      const get = (x: Expr): OodValue => val.get(x.id) as OodValue;
      const order = topoOrder(exprs);
      const uses = new Map<number, number>();
      const use = (x: Expr): void => void uses.set(x.id, (uses.get(x.id) ?? 0) + 1);
      for (const e of order) {
        const n = e.node;
        if (n.op === "add" || n.op === "sub" || n.op === "mul") {
          use(n.a);
          use(n.b);
        } else if (n.op === "neg" || n.op === "inv") use(n.a);
      }
      for (const e of order) {
        const n = e.node;
        let r: OodValue;
        switch (n.op) {
          case "const":
            r = { kind: "const", c: BigInt(n.value) };
            break;
          case "col":
            r = { kind: "ext", v: env.column(n.group, n.index, n.next) };
            break;
          case "pub":
            r = { kind: "base", v: env.pub(n.index) };
            break;
          case "chal":
            r = { kind: "ext", v: env.chal(n.index) };
            break;
          case "cumSum":
            r = { kind: "ext", v: env.cumSum(n.table) };
            break;
          case "sel":
            r = { kind: "ext", v: env.selector(n.which) };
            break;
          case "add":
            r = this.add(get(n.a), get(n.b), 1);
            break;
          case "sub":
            r = this.add(get(n.a), get(n.b), -1);
            break;
          case "mul":
            r = this.mul(get(n.a), get(n.b));
            break;
          case "neg":
            r = this.add({ kind: "const", c: 0n }, get(n.a), -1);
            break;
          case "inv":
            r = { kind: "ext", v: this.e.inverse(this.toExt(get(n.a))) };
            break;
        }
        // A lazy value read by several nodes is reduced once here rather than carrying its large
        // bound into every consumer (each later product, reduction and equality check costs
        // rows per bit of bound). Measured on the MIPS AIR: −7% of the whole circuit.
        if (
          r.kind === "ext" &&
          (uses.get(e.id) ?? 0) >= SHARED_USES &&
          r.v.some((c) => c.bound > SHARED_BOUND)
        )
          r = { kind: "ext", v: this.e.reduce(r.v) };
        val.set(e.id, r);
      }
      return exprs.map((x) => this.toExt(get(x)));
    });
  }

  /** x^(2^k) by k squarings (reduced; the chain is shared by every call with the same x). */
  powPow2(x: KbExt, k: number): KbExt {
    const e = this.e;
    let c = this.squares.get(x);
    if (!c) {
      c = [e.reduce(x)];
      this.squares.set(x, c);
    }
    while (c.length <= k) c.push(e.reduce(e.mul(c[c.length - 1], c[c.length - 1])));
    return c[k];
  }

  /**
   * Z_H(z) = z^n − 1 and the Lagrange selectors of `src/stark/verifier.ts`:
   * first = Z_H/(n(z − 1)), last = w⁻¹·Z_H/(n(z − w⁻¹)), transition = 1 − last.
   * `wInv` is the inverse of the n-th root of unity used by the STARK (a constant).
   */
  selectors(zeta: KbExt, logN: number, wInv: bigint): Selectors {
    const e = this.e;
    let cache = this.selectorCache.get(zeta);
    if (!cache) {
      cache = new Map();
      this.selectorCache.set(zeta, cache);
    }
    const key = `${logN}:${wInv}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const sel = this.b.scope("ood.selectors", () => {
      const n = 1n << BigInt(logN);
      const nInv = modPow(n, KB_P - 2n);
      const zn = this.powPow2(zeta, logN);
      const one = e.constant([1]);
      const zh = e.sub(zn, one);
      const zm1 = e.sub(zeta, one);
      const zml = e.sub(zeta, e.constant([wInv]));
      const first = e.mulConst(e.mul(zh, e.inverse(zm1)), nInv);
      const last = e.mulConst(e.mul(zh, e.inverse(zml)), (nInv * wInv) % KB_P);
      return { zn, zh, first, last, transition: e.sub(one, last) };
    });
    cache.set(key, sel);
    return sel;
  }

  /** Σ_e x^e·list[4j + e] for extension-valued openings of base columns (free: x^e shifts). */
  auxExt(list: readonly KbExt[], j: number): KbExt {
    let acc = this.e.constant([0]);
    for (let k = 0; k < 4; k++) acc = this.e.add(acc, this.shiftX(list[4 * j + k], k));
    return acc;
  }

  /** a·x^k in F_p[x]/(x^4 − W): coefficients rotate, the wrapped ones times W (no rows). */
  shiftX(a: KbExt, k: number): KbExt {
    const f = this.e.f;
    const out: Kb[] = [];
    for (let i = 0; i < 4; i++) {
      const src = i - k;
      out.push(src >= 0 ? a[src] : f.mulConst(a[src + 4], EXT_W));
    }
    return out as unknown as KbExt;
  }

  /**
   * Constrains Σ_k alpha^k·values[k] = zh·Σ_j zn^j·quotChunks[j]. The powers of alpha are
   * reduced once and shared by all tables (`blockPowers`): the sum is
   * Σ_j hi[j]·(Σ_i lo[i]·values[Bj + i]), one lazy product per term and per block.
   */
  assertQuotient(
    values: readonly KbExt[],
    alpha: KbExt,
    zh: KbExt,
    zn: KbExt,
    quotChunks: readonly KbExt[],
  ): void {
    const e = this.e;
    this.b.scope("ood.quotient", () => {
      const { block, lo, hi } = this.blockPowers(alpha, values.length);
      let combined = e.constant([0]);
      for (let j = 0; j * block < values.length; j++) {
        let blk = e.constant([0]);
        for (let i = 0; i < block && j * block + i < values.length; i++) {
          const v = values[j * block + i];
          blk = e.add(blk, i === 0 ? v : e.mul(v, lo[i]));
        }
        combined = e.add(combined, j === 0 ? blk : e.mul(blk, hi[j]));
      }
      let q = e.constant([0]);
      let zjn = e.constant([1]);
      quotChunks.forEach((c, j) => {
        q = e.add(q, j === 0 ? c : e.mul(c, zjn));
        if (j + 1 < quotChunks.length) zjn = e.mul(zjn, zn);
      });
      e.assertEqual(combined, e.mul(zh, q));
    });
  }
}

export interface BlockPowers {
  readonly block: number;
  readonly lo: readonly KbExt[];
  readonly hi: KbExt[];
}

export interface Selectors {
  readonly zn: KbExt;
  readonly zh: KbExt;
  readonly first: KbExt;
  readonly last: KbExt;
  readonly transition: KbExt;
}

function modPow(a: bigint, e: bigint): bigint {
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
