/**
 * DEEP combination and FRI folding checks of `src/stark/verifier.ts` as R1CS rows, after
 * `emitQueryPhase`: per query the reduced openings RO_h(x) per LDE height (x from the index
 * bits), then every FRI round's consistency (opened coset value = current value), the fold
 * by 2^step with beta, the roll-in of shorter heights, and the final polynomial at the final
 * point. Domain points are products of bit-selected constants (bit-reversed exponents).
 */
import { inv, mul, pow, rootOfUnity } from "../../field/koalabear.ts";
import { reverseBits } from "../../field/ntt.ts";
import type { AirDefinition } from "../../stark/air.ts";
import { SHIFT, friSchedule } from "../../stark/domain.ts";
import type { ProofOptions } from "../../stark/options.ts";
import { nextColumns } from "../../stark/next-columns.ts";
import { proofShape } from "../../stark/proof.ts";
import type { Builder, Lc } from "../r1cs/builder.ts";
import { COMMITTED_BOUND, KB_P, type Kb } from "../r1cs/gadgets/koalabear.ts";
import type { KbExt, KoalaBearExt } from "../r1cs/gadgets/koalabear-ext.ts";
import type { OodCheckResult } from "./ood-check.ts";
import type { QueryPhaseResult } from "./queries.ts";

/**
 * shift·w^bitrev(idx) with w = rootOfUnity(logW) and idx given by its m little-endian bits:
 * bitrev(idx) = Σ_k idx_k·2^(m−1−k), so the point is shift·Π_k c_k^idx_k with
 * c_k = w^(2^(m−1−k)). Bits are taken in pairs: (b0, b1) selects one of the four canonical
 * constants 1, c0, c1, c0·c1 mod p by an LC with one product b0·b1, so every factor is ≤ p − 1
 * and there are half as many factors to multiply and reduce. A domain point of a bit-reversed
 * domain of size 2^m is logW = m. `inverse` gives 1/x the same way (inverted constants).
 */
export function domainPointBits(
  e: KoalaBearExt,
  logW: number,
  bits: readonly Lc[],
  shift: number,
  inverse = false,
): Kb {
  const f = e.f;
  const b = e.b;
  // 1/x = shift⁻¹·Π_k (c_k⁻¹)^idx_k: the same selection with inverted constants, no inverse row.
  const w = inverse ? inv(rootOfUnity(logW)) : rootOfUnity(logW);
  const m = bits.length;
  const c = (k: number): bigint => BigInt(pow(w, 2 ** (m - 1 - k)));
  let acc: Kb = f.constant(inverse ? inv(shift) : shift);
  for (let k = 0; k < m; k += 2) {
    let factor: Kb;
    if (k + 1 < m) {
      const [c0, c1] = [c(k), c(k + 1)];
      const v11 = (c0 * c1) % KB_P;
      const both = b.mul(bits[k], bits[k + 1]);
      const lc = b.sum(
        [
          [c0 - 1n, bits[k]],
          [c1 - 1n, bits[k + 1]],
          [v11 - c0 - c1 + 1n, both],
        ],
        1n,
      );
      factor = { lc, bound: [1n, c0, c1, v11].reduce((x, y) => (x > y ? x : y)) };
    } else {
      const ck = c(k);
      factor = { lc: b.addConst(b.scale(bits[k], ck - 1n), 1n), bound: ck > 1n ? ck : 1n };
    }
    acc = f.mul(acc, factor);
  }
  return f.reduce(acc);
}

/**
 * Powers of α_F in two levels, α^c = lo[c mod B]·hi[⌊c/B⌋]: B + W/B reduced powers instead
 * of W (the Keccak table is 2,600+ columns wide), B = 2^⌈log2 √(W + 1)⌉ (64 for the MIPS AIR;
 * 4 for the small test AIRs, so tests cover several blocks). The verifier's
 * `reduce(vals) = Σ_c α^c·vals[c]` becomes Σ_j hi[j]·(Σ_i lo[i]·vals[Bj + i]): the same sum,
 * plus one lazy extension product per block after the first.
 */
interface AlphaPowers {
  readonly block: number;
  readonly lo: readonly KbExt[];
  readonly hi: KbExt[];
}

function blocked<T>(
  e: KoalaBearExt,
  ap: AlphaPowers,
  vals: readonly T[],
  inner: (lo: KbExt, v: T, c: number) => KbExt,
): KbExt {
  const B = ap.block;
  let acc = e.constant([0]);
  for (let j = 0; j * B < vals.length; j++) {
    let blk = e.constant([0]);
    for (let i = 0; i < B && j * B + i < vals.length; i++)
      blk = e.add(blk, inner(ap.lo[i], vals[j * B + i], i));
    acc = e.add(acc, j === 0 ? blk : e.mul(ap.hi[j], blk));
  }
  return acc;
}

/** Σ_c α^c·vals[c] for base values: 4 rows each (+16 per block), lazy (the verifier's `reduce`). */
function reduceBase(e: KoalaBearExt, ap: AlphaPowers, vals: readonly Kb[]): KbExt {
  return blocked(e, ap, vals, (lo, v) => e.mulBase(lo, v));
}

/** Σ_c α^c·vals[c] for extension values (16 rows each, lazy). */
function reduceExt(e: KoalaBearExt, ap: AlphaPowers, vals: readonly KbExt[]): KbExt {
  return blocked(e, ap, vals, (lo, v, i) => (i === 0 ? v : e.mul(lo, v)));
}

/** Selects vals[index] (index bits little-endian) by a mux tree: (a − 1)·4 rows. */
function selectExt(b: Builder, vals: readonly KbExt[], bits: readonly Lc[]): KbExt {
  let layer = vals.slice();
  for (const bit of bits) {
    const next: KbExt[] = [];
    for (let i = 0; i < layer.length; i += 2) {
      const [x, y] = [layer[i], layer[i + 1]];
      next.push(
        x.map((c, k) => {
          const lc = b.add(c.lc, b.mul(bit, b.sub(y[k].lc, c.lc)));
          return { lc, bound: c.bound > y[k].bound ? c.bound : y[k].bound };
        }) as unknown as KbExt,
      );
    }
    layer = next;
  }
  return layer[0];
}

/** x^k by square-and-multiply, reduced after every product (≈ 2·log2 k products). */
function powExt(e: KoalaBearExt, x: KbExt, k: number): KbExt {
  let r: KbExt | undefined;
  let sq = x;
  for (let kk = k; kk > 0; kk >>= 1) {
    if (kk & 1) r = r ? e.reduce(e.mul(r, sq)) : sq;
    if (kk > 1) sq = e.reduce(e.mul(sq, sq));
  }
  return r ?? e.constant([1]);
}

/**
 * The reduced opening of one LDE height h at a query, kept as a fraction: with the tables of
 * that height t (in AIR order), off_t = α^(Σ_{s<t} (2W_s + Q_s)), and x the query's point,
 *   RO_h(x) = Σ_t off_t·[(rT_t − cZ_t + α^(2W_t)(rQ_t − cQ_t))/(x − ζ) + α^(W_t)(rN_t − cZn_t)/(x − ζω_h)]
 *           = (A·(x − ζω_h) + B·(x − ζ)) / ((x − ζ)(x − ζω_h)),
 *   A = Σ_t (u_t·rT_t + v_t·rQ_t) − cA,  B = Σ_t w_t·rN_t − cB,
 * (rN_t = Σ_k α^k·T_(N_k) over the next-row columns N = nextColumns(t).trace, whose z·w
 * openings give cZn_t; a table without next-row columns adds nothing to B),
 * with u_t = s·off_t, v_t = s·off_t·α^(2W_t), w_t = s·off_t·α^(W_t), cA = Σ_t (u_t·cZ_t + v_t·cQ_t),
 * cB = Σ_t w_t·cZn_t all query-independent (s = β_r^(2^step) when this height rolls in after
 * FRI round r, else 1). This is exactly the TS verifier's sum, regrouped (ζω_h depends on h only).
 */
interface HeightTerms {
  readonly tables: readonly {
    readonly ti: number;
    readonly u: KbExt;
    readonly v: KbExt;
    readonly w: KbExt;
  }[];
  readonly cA: KbExt;
  readonly cB: KbExt;
  readonly zNext: KbExt;
}

/** A value RO·s kept as n/d (no inverse in the circuit; every use multiplies through by d). */
interface Frac {
  readonly n: KbExt;
  readonly d: KbExt;
}

export function emitFriChecks(
  b: Builder,
  air: AirDefinition,
  o: ProofOptions,
  ood: OodCheckResult,
  qp: QueryPhaseResult,
  logHeights: readonly number[],
): void {
  const e = ood.em.e;
  const sched = friSchedule(logHeights, o);
  const shape = proofShape(air, o, logHeights);
  const treeIndex = (name: string): number => shape.trees.findIndex((t) => t.name === name);
  const zeta = e.reduce(ood.zeta);
  const betas = qp.betas.map((beta) => e.reduce(beta));
  // s for the height that rolls in after FRI round r (logS_r − step_r), 1 for the top height.
  const rollScale = new Map<number, KbExt>();
  sched.steps.forEach((step, r) =>
    rollScale.set(sched.layerLogSizes[r] - step, powExt(e, betas[r], 1 << step)),
  );

  const alphaF = b.scope("deep.claims", () => e.reduce(qp.alphaF));
  const maxWidth = Math.max(
    1,
    ...air.tables.map((t) => Math.max(t.preWidth + t.mainWidth + 4 * t.auxWidth, 4 * t.quotientChunks)),
  );
  // α^0..α^(B−1) and α^(Bj) for Bj ≤ the widest table, canonical.
  const block = 2 ** Math.ceil(Math.log2(Math.sqrt(maxWidth + 1)));
  const ap: AlphaPowers = b.scope("deep.claims", () => {
    const lo: KbExt[] = [e.constant([1]), alphaF];
    while (lo.length < block) lo.push(e.reduce(e.mul(lo[lo.length - 1], alphaF)));
    const hi: KbExt[] = [e.constant([1]), e.reduce(e.mul(lo[block - 1], alphaF))];
    while (hi.length <= Math.floor(maxWidth / block)) hi.push(e.reduce(e.mul(hi[hi.length - 1], hi[1])));
    return { block, lo, hi };
  });
  const terms = b.scope("deep.claims", () => {
    const apow = (k: number): KbExt => {
      const [i, j] = [k % block, Math.floor(k / block)];
      if (j >= ap.hi.length) return powExt(e, alphaF, k);
      return i === 0 ? ap.hi[j] : j === 0 ? ap.lo[i] : e.reduce(e.mul(ap.lo[i], ap.hi[j]));
    };
    const byHeight = new Map<number, { tables: HeightTerms["tables"][number][]; cA: KbExt; cB: KbExt }>();
    const offs = new Map<number, KbExt | undefined>();
    air.tables.forEach((t, ti) => {
      const op = ood.openings[ti];
      const W = t.preWidth + t.mainWidth + 4 * t.auxWidth;
      const Q = 4 * t.quotientChunks;
      const logL = logHeights[ti] + o.logBlowup;
      const s = rollScale.get(logL);
      // off·s (undefined = 1)
      const prev = offs.get(logL);
      const off = prev ?? s;
      const scaled = (k: KbExt): KbExt => (off ? e.reduce(e.mul(off, k)) : k);
      const aW = apow(W);
      const a2W = e.reduce(e.mul(aW, aW));
      const u = off ?? e.constant([1]);
      const v = scaled(a2W);
      const w = scaled(aW);
      offs.set(logL, e.reduce(e.mul(u, e.reduce(e.mul(a2W, apow(Q))))));
      const cZ = e.reduce(reduceExt(e, ap, [...op.pre[0], ...op.main[0], ...op.aux[0]]));
      const cZn = e.reduce(reduceExt(e, ap, [...op.pre[1], ...op.main[1], ...op.aux[1]]));
      const cQ = e.reduce(reduceExt(e, ap, op.quot));
      const g = byHeight.get(logL) ?? { tables: [], cA: e.constant([0]), cB: e.constant([0]) };
      g.tables.push({ ti, u, v, w });
      g.cA = e.add(g.cA, e.add(e.mul(u, cZ), e.mul(v, cQ)));
      g.cB = e.add(g.cB, e.mul(w, cZn));
      byHeight.set(logL, g);
    });
    const out = new Map<number, HeightTerms>();
    for (const [logL, g] of byHeight) {
      const ti = g.tables[0].ti;
      const zNext = e.reduce(e.mulConst(zeta, BigInt(rootOfUnity(logHeights[ti]))));
      out.set(logL, { tables: g.tables, cA: e.reduce(g.cA), cB: e.reduce(g.cB), zNext });
    }
    return out;
  });

  qp.indexBits.forEach((bits, qi) => {
    b.scope(`query${qi}/deep`, () => {
      const rowsOf = (name: string, ti: number): Kb[] => {
        const k = treeIndex(name);
        return k < 0 ? [] : qp.rows[qi][k][ti].map((lc) => ({ lc, bound: COMMITTED_BOUND }));
      };
      const fracs = new Map<number, Frac>();
      for (const [logL, h] of terms) {
        const x = e.fromBase(domainPointBits(e, logL, bits.slice(sched.logMax - logL), SHIFT));
        let A = e.neg(h.cA);
        let B = e.neg(h.cB);
        for (const { ti, u, v, w } of h.tables) {
          const row = [...rowsOf("pre", ti), ...rowsOf("main", ti), ...rowsOf("aux", ti)];
          const rT = reduceBase(e, ap, row);
          const rQ = reduceBase(e, ap, rowsOf("quot", ti));
          A = e.add(A, e.add(e.mul(u, rT), e.mul(v, rQ)));
          const next = nextColumns(air.tables[ti]).trace;
          if (next.length > 0)
            B = e.add(
              B,
              e.mul(
                w,
                reduceBase(
                  e,
                  ap,
                  next.map((c) => row[c]),
                ),
              ),
            );
        }
        const xz = e.sub(x, zeta);
        const xzn = e.sub(x, h.zNext);
        fracs.set(logL, { n: e.add(e.mul(A, xzn), e.mul(B, xz)), d: e.mul(xz, xzn) });
      }
      // cur = fold + roll (either may be absent), fold kept as a·fold (foldCosetScaled); a
      // check "lhs = cur" is a·lhs ≡ a·fold, times roll's d when a roll-in is pending.
      const assertCur = (
        lhs: KbExt,
        fold: { v: KbExt; a: number } | undefined,
        roll: Frac | undefined,
      ): void => {
        const a = BigInt(fold?.a ?? 1);
        const diff = fold ? e.sub(e.mulConst(lhs, a), fold.v) : lhs;
        if (!roll) e.assertEqual(diff, e.constant([0]));
        else e.assertEqual(e.mul(roll.d, diff), e.mulConst(roll.n, a));
      };
      let fold: { v: KbExt; a: number } | undefined;
      let roll: Frac | undefined = fracs.get(sched.logMax);
      let shift = SHIFT;
      sched.steps.forEach((step, r) => {
        b.scope(`fri-fold${r}`, () => {
          const logS = sched.layerLogSizes[r];
          const a = 1 << step;
          const qrBits = bits.slice(sched.logMax - logS);
          const row = qp.friRows[qi][r];
          const vals: KbExt[] = [];
          for (let t = 0; t < a; t++)
            vals.push(
              [0, 1, 2, 3].map((k) => ({ lc: row[4 * t + k], bound: COMMITTED_BOUND })) as unknown as KbExt,
            );
          assertCur(selectExt(b, vals, qrBits.slice(0, step)), fold, roll);
          // 1/x_j, x_j = shift · w_S^bitrev(j, logS − step)
          const xInv = domainPointBits(e, logS, qrBits.slice(step), shift, true);
          fold = { v: foldCosetScaled(e, vals, step, betas[r], xInv), a };
          roll = fracs.get(logS - step);
          shift = pow(shift, a);
        });
      });
      b.scope("fri-final", () => {
        const finalShift = pow(SHIFT, 2 ** (sched.logMax - sched.logFinal));
        const xf = domainPointBits(e, sched.logFinal, bits.slice(sched.logMax - sched.logFinal), finalShift);
        let acc = e.constant([0]);
        for (let i = qp.finalPoly.length - 1; i >= 0; i--) acc = e.add(e.mulBase(acc, xf), qp.finalPoly[i]);
        assertCur(acc, fold, roll);
      });
    });
  });
}

/**
 * a·foldCoset of src/stark/fri.ts (scaled by the arity a, so no a⁻¹ constant inflates the
 * bounds): with u_t the coset values in natural order, a·c_k = Σ_t u_t·w^(−tk) and the result
 * Σ_k a·c_k·(β/x_j)^k. For a = 2 that is (u_0 + u_1) + ((u_0 − u_1)·x_j⁻¹)·β with no reduction
 * (u_0 − u_1 ≤ 2^32, ·x⁻¹ ≤ 2^63, ·β ≤ 2^98 lazily).
 */
function foldCosetScaled(
  e: KoalaBearExt,
  vals: readonly KbExt[],
  step: number,
  beta: KbExt,
  xInv: Kb,
): KbExt {
  const a = 1 << step;
  const u = Array.from({ length: a }, (_, k) => vals[reverseBits(k, step)]);
  if (a === 2) return e.add(e.add(u[0], u[1]), e.mul(e.mulBase(e.sub(u[0], u[1]), xInv), beta));
  const wInv = inv(rootOfUnity(step));
  const coef = (k: number): KbExt => {
    const wk = pow(wInv, k);
    let ck = e.constant([0]);
    let w = 1;
    for (let t = 0; t < a; t++) {
      ck = e.add(ck, e.mulConst(u[t], BigInt(w)));
      w = mul(w, wk);
    }
    return ck;
  };
  const rr = e.reduce(e.mulBase(beta, xInv));
  let acc = coef(0);
  let rk = rr;
  for (let k = 1; k < a; k++) {
    acc = e.add(acc, e.mul(coef(k), rk));
    if (k + 1 < a) rk = e.reduce(e.mul(rk, rr));
  }
  return acc;
}
