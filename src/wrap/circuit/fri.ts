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
import { proofShape } from "../../stark/proof.ts";
import type { Builder, Lc } from "../r1cs/builder.ts";
import { KB_P, type Kb } from "../r1cs/gadgets/koalabear.ts";
import type { KbExt, KoalaBearExt } from "../r1cs/gadgets/koalabear-ext.ts";
import type { OodCheckResult } from "./ood-check.ts";
import type { QueryPhaseResult } from "./queries.ts";

/**
 * shift·w^bitrev(idx) with w = rootOfUnity(logW) and idx given by its m little-endian bits:
 * bitrev(idx) = Σ_k idx_k·2^(m−1−k), so the point is shift·Π_k c_k^idx_k with
 * c_k = w^(2^(m−1−k)). Bits are taken in pairs: (b0, b1) selects one of the four canonical
 * constants 1, c0, c1, c0·c1 mod p by an LC with one product b0·b1, so every factor is ≤ p − 1
 * and there are half as many factors to multiply and reduce. A domain point of a bit-reversed
 * domain of size 2^m is logW = m.
 */
export function domainPointBits(e: KoalaBearExt, logW: number, bits: readonly Lc[], shift: number): Kb {
  const f = e.f;
  const b = e.b;
  const w = rootOfUnity(logW);
  const m = bits.length;
  const c = (k: number): bigint => BigInt(pow(w, 2 ** (m - 1 - k)));
  let acc: Kb = f.constant(shift);
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

/** Σ_c pows[c]·vals[c] for base values (4 rows each) — `reduce` of the verifier. */
function reduceBase(e: KoalaBearExt, pows: readonly KbExt[], vals: readonly Kb[]): KbExt {
  let acc = e.constant([0]);
  vals.forEach((v, c) => (acc = e.add(acc, e.mulBase(pows[c], v))));
  return acc;
}

function reduceExt(e: KoalaBearExt, pows: readonly KbExt[], vals: readonly KbExt[]): KbExt {
  let acc = e.constant([0]);
  vals.forEach((v, c) => (acc = e.add(acc, c === 0 ? v : e.mul(pows[c], v))));
  return acc;
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

function powExt(e: KoalaBearExt, x: KbExt, k: number): KbExt {
  let r = e.constant([1]);
  for (let i = 0; i < k; i++) r = e.mul(r, x);
  return r;
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
  const f = e.f;
  const sched = friSchedule(logHeights, o);
  const shape = proofShape(air, o, logHeights);
  const treeIndex = (name: string): number => shape.trees.findIndex((t) => t.name === name);
  const alphaF = e.reduce(qp.alphaF);
  const maxWidth = Math.max(
    1,
    ...air.tables.map((t) => Math.max(t.preWidth + t.mainWidth + 4 * t.auxWidth, 4 * t.quotientChunks)),
  );
  const pows: KbExt[] = [e.constant([1])];
  for (let i = 1; i < maxWidth; i++) pows.push(e.reduce(e.mul(pows[i - 1], alphaF)));
  const zeta = e.reduce(ood.zeta);

  // Per table, query-independent: the claimed values and the powers of alpha_F.
  const perTable = air.tables.map((t, ti) => {
    const op = ood.openings[ti];
    const W = t.preWidth + t.mainWidth + 4 * t.auxWidth;
    const Q = 4 * t.quotientChunks;
    return b.scope("deep.claims", () => ({
      W,
      Q,
      cZ: e.reduce(reduceExt(e, pows, [...op.pre[0], ...op.main[0], ...op.aux[0]])),
      cZn: e.reduce(reduceExt(e, pows, [...op.pre[1], ...op.main[1], ...op.aux[1]])),
      cQ: e.reduce(reduceExt(e, pows, op.quot)),
      a2W: e.reduce(powExt(e, alphaF, 2 * W)),
      aW: e.reduce(powExt(e, alphaF, W)),
      aOff: e.reduce(powExt(e, alphaF, 2 * W + Q)),
      zNext: e.mulConst(zeta, BigInt(rootOfUnity(logHeights[ti]))),
    }));
  });
  const betaPow = qp.betas.map((beta, r) => e.reduce(powExt(e, e.reduce(beta), 1 << sched.steps[r])));

  qp.indexBits.forEach((bits, qi) => {
    b.scope(`query${qi}/deep`, () => {
      const ro = new Map<number, KbExt>();
      const offs = new Map<number, KbExt>();
      const rowsOf = (name: string, ti: number): Kb[] => {
        const k = treeIndex(name);
        return k < 0 ? [] : qp.rows[qi][k][ti].map((lc) => ({ lc, bound: 0x7f000000n }));
      };
      air.tables.forEach((t, ti) => {
        const c = perTable[ti];
        const logL = logHeights[ti] + o.logBlowup;
        const x = domainPointBits(e, logL, bits.slice(sched.logMax - logL), SHIFT);
        const xe = e.fromBase(x);
        const invZ = e.inverse(e.sub(xe, zeta));
        const invZn = e.inverse(e.sub(xe, c.zNext));
        const rT = reduceBase(e, pows, [...rowsOf("pre", ti), ...rowsOf("main", ti), ...rowsOf("aux", ti)]);
        const rQ = reduceBase(e, pows, rowsOf("quot", ti));
        const atZ = e.add(e.sub(rT, c.cZ), e.mul(c.a2W, e.sub(rQ, c.cQ)));
        const term = e.add(e.mul(atZ, invZ), e.mul(c.aW, e.mul(e.sub(rT, c.cZn), invZn)));
        const off = offs.get(logL) ?? e.constant([1]);
        const prev = ro.get(logL);
        const add = e.mul(off, term);
        ro.set(logL, prev ? e.add(prev, add) : add);
        offs.set(logL, e.mul(off, c.aOff));
      });
      let cur = ro.get(sched.logMax) as KbExt;
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
              [0, 1, 2, 3].map((k) => ({ lc: row[4 * t + k], bound: 0x7f000000n })) as unknown as KbExt,
            );
          e.assertEqual(selectExt(b, vals, qrBits.slice(0, step)), cur);
          // x_j = shift · w_S^bitrev(j, logS − step)
          const xjFull = domainPointBits(e, logS, qrBits.slice(step), shift);
          const rInv = f.inverse(xjFull);
          // canonical r keeps r^k small (r^3 ≤ 2^101), so c_k·r^k needs no further reduction
          const rr = e.reduce(e.mulBase(qp.betas[r], rInv));
          const wInv = inv(rootOfUnity(step));
          const aInv = BigInt(inv(a));
          const u = Array.from({ length: a }, (_, k) => vals[reverseBits(k, step)]);
          let acc = e.constant([0]);
          let rk = e.constant([1]);
          for (let k = 0; k < a; k++) {
            const wk = pow(wInv, k);
            let ck = e.constant([0]);
            let w = 1;
            for (let t = 0; t < a; t++) {
              ck = e.add(ck, e.mulConst(u[t], BigInt(w)));
              w = mul(w, wk);
            }
            acc = e.add(acc, e.mul(e.mulConst(ck, aInv), rk));
            if (k + 1 < a) rk = e.mul(rk, rr);
          }
          cur = acc;
          const roll = ro.get(logS - step);
          if (roll) cur = e.add(cur, e.mul(betaPow[r], roll));
          shift = pow(shift, a);
        });
      });
      b.scope("fri-final", () => {
        const finalShift = pow(SHIFT, 2 ** (sched.logMax - sched.logFinal));
        const xf = domainPointBits(e, sched.logFinal, bits.slice(sched.logMax - sched.logFinal), finalShift);
        let acc = e.constant([0]);
        for (let i = qp.finalPoly.length - 1; i >= 0; i--) acc = e.add(e.mulBase(acc, xf), qp.finalPoly[i]);
        e.assertEqual(acc, cur);
      });
    });
  });
}
