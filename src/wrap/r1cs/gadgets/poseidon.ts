/**
 * circomlib `Poseidon(n)` (n = 1..16) as builder rows, in the optimized schedule of
 * `src/hash/poseidon-opt.ts` (sparse partial-round matrices keep every LC at most ~2t terms
 * long). Only S-boxes cost rows: x^5 = 3 products, and S-boxes of constants fold away, so
 * the count is 3·(8t + partialRounds) − 3 — 240 for n = 2, 609 for n = 16, as circomlib.
 */
import { N_ROUNDS_F, poseidonOptConstants } from "../../../hash/poseidon-opt.ts";
import { type Builder, type Lc, type RowTemplate, recordTemplate } from "../builder.ts";

function pow5(b: Builder, x: Lc): Lc {
  const x2 = b.mul(x, x);
  const x4 = b.mul(x2, x2);
  return b.mul(x4, x);
}

/** Σ_j m[j][i]·v[j] for every i (M^T·v, the orientation circomlibjs stores). */
function mixT(b: Builder, m: readonly (readonly bigint[])[], v: readonly Lc[]): Lc[] {
  return v.map((_, i) => b.sum(v.map((x, j) => [m[j][i], x] as const)));
}

/**
 * Poseidon hash of `inputs` (1..16 LCs), bit-exact with circomlib and `poseidonReference`.
 *
 * @example const h = poseidon(b, [x, y]); // 240 rows
 */
export function poseidon(b: Builder, inputs: readonly Lc[]): Lc {
  const n = inputs.length;
  const { C } = poseidonOptConstants(n);
  return b.scope(`poseidon${n}`, () => {
    // First S-box layer on the inputs (their LCs appear in these rows); the capacity element
    // is a constant, so its S-box folds away.
    const first = [b.zero, ...inputs].map((a, i) => pow5(b, b.addConst(a, C[i])));
    const wires = first.slice(1).map((x) => x.wire);
    // In compile mode the rest is replayed from a template recorded once per width: same
    // rows, no LC arithmetic. It needs the S-box outputs to be increasing fresh wires.
    if (b.mode === "compile" && wires.every((w, i) => w >= 0 && (i === 0 || w > wires[i - 1]))) {
      return b.instantiate(template(n), wires)[0];
    }
    return rest(b, n, first);
  });
}

/** Everything after the first S-box layer. `first[0]` is the capacity element's constant. */
function rest(b: Builder, n: number, first: readonly Lc[]): Lc {
  const { t, partialRounds: nP, C, S, M, P } = poseidonOptConstants(n);
  const half = N_ROUNDS_F / 2;
  let s: Lc[] = first.map((a, i) => b.addConst(a, C[t + i]));
  s = mixT(b, half === 1 ? P : M, s);
  for (let r = 1; r < half; r++) {
    s = s.map((a, i) => b.addConst(pow5(b, a), C[(r + 1) * t + i]));
    s = mixT(b, r === half - 1 ? P : M, s);
  }
  const base = (half + 1) * t;
  for (let r = 0; r < nP; r++) {
    const s0 = b.addConst(pow5(b, s[0]), C[base + r]);
    const o = (2 * t - 1) * r;
    const acc = b.sum([[S[o], s0], ...s.slice(1).map((x, j) => [S[o + j + 1], x] as const)]);
    for (let k = 1; k < t; k++) s[k] = b.lin2(1n, s[k], S[o + t + k - 1], s0);
    s[0] = acc;
  }
  for (let r = 0; r < half - 1; r++) {
    s = s.map((a, i) => b.addConst(pow5(b, a), C[base + nP + r * t + i]));
    s = mixT(b, M, s);
  }
  s = s.map((a) => pow5(b, a));
  return b.sum(s.map((x, j) => [M[j][0], x] as const));
}

const templates = new Map<number, RowTemplate>();

function template(n: number): RowTemplate {
  let tpl = templates.get(n);
  if (!tpl) {
    const { C } = poseidonOptConstants(n);
    tpl = recordTemplate(n, (tb, xs) => {
      // the capacity element's first S-box output is the constant C[0]^5
      const c0 = tb.constant(C[0] ** 5n);
      return [rest(tb, n, [c0, ...xs])];
    });
    templates.set(n, tpl);
  }
  return tpl;
}
