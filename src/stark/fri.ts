/**
 * FRI folding shared by prover and verifier.
 *
 * A layer holds f on a bit-reversed coset; the 2^s entries of coset j are f at
 * x_j * w_a^bitrev(t), t < a = 2^s. Writing f(x) = sum_k x^k f_k(x^a), the folded value is
 * sum_k beta^k f_k(x_j^a) = sum_k c_k (beta / x_j)^k where c = IDFT_a(values in natural order).
 * For a = 2 that is (v0 + v1)/2 + beta (v0 - v1) / (2 x_j).
 */
import { type Ext, EXT_ZERO, eadd, emul, escale, fromBase } from "../field/ext4.ts";
import { add, batchInverse, inv, mul, pow, rootOfUnity, sub } from "../field/koalabear.ts";
import { reverseBits } from "../field/ntt.ts";

export function foldCoset(values: readonly Ext[], xj: number, beta: Ext, logA: number): Ext {
  const a = 1 << logA;
  const wInv = inv(rootOfUnity(logA));
  const aInv = inv(a);
  const u: Ext[] = new Array(a);
  for (let k = 0; k < a; k++) u[k] = values[reverseBits(k, logA)];
  const r = emul(beta, fromBase(inv(xj)));
  let acc: Ext = EXT_ZERO;
  let rk: Ext = fromBase(1);
  for (let k = 0; k < a; k++) {
    let ck: Ext = EXT_ZERO;
    const wk = pow(wInv, k);
    let w = 1;
    for (let t = 0; t < a; t++) {
      ck = eadd(ck, escale(u[t], w));
      w = mul(w, wk);
    }
    acc = eadd(acc, emul(escale(ck, aInv), rk));
    rk = emul(rk, r);
  }
  return acc;
}

/** Evaluates a polynomial with extension coefficients at a base point (Horner). */
export function evalPolyAtBase(coeffs: readonly Ext[], x: number): Ext {
  let acc: Ext = EXT_ZERO;
  for (let i = coeffs.length - 1; i >= 0; i--) acc = eadd(escale(acc, x), coeffs[i]);
  return acc;
}

/**
 * Folds a whole layer (flat extension values, bit-reversed coset of size 2^logS with the
 * given shift) by 2^step with challenge beta: `step` successive folds by 2 with beta,
 * beta^2, beta^4, ... (folding by 4 with beta equals folding by 2 with beta then beta^2).
 * Each fold by 2 maps the pair (2j, 2j+1) at x_j, -x_j to (v0 + v1)/2 + beta (v0 - v1)/(2 x_j).
 */
export function foldLayer(
  layer: Uint32Array,
  logS: number,
  shift: number,
  beta: Ext,
  step: number,
): Uint32Array {
  let cur = layer;
  let b = beta;
  let s = shift;
  for (let t = 0; t < step; t++) {
    const logSize = logS - t;
    const half = 1 << (logSize - 1);
    // 1/(2 x_j), x_j = s * w^bitrev_{half}(j)
    const w = rootOfUnity(logSize);
    const nat = new Uint32Array(half);
    let x = mul(2, s);
    for (let k = 0; k < half; k++) {
      nat[k] = x;
      x = mul(x, w);
    }
    batchInverse(nat);
    const logHalf = logSize - 1;
    const next = new Uint32Array(4 * half);
    const inv2 = inv(2);
    const [b0, b1, b2, b3] = b;
    for (let j = 0; j < half; j++) {
      const ix = nat[reverseBits(j, logHalf)];
      const p = 8 * j;
      // d = (v0 - v1) / (2x), e = (v0 + v1) / 2
      const d0 = mul(sub(cur[p], cur[p + 4]), ix);
      const d1 = mul(sub(cur[p + 1], cur[p + 5]), ix);
      const d2 = mul(sub(cur[p + 2], cur[p + 6]), ix);
      const d3 = mul(sub(cur[p + 3], cur[p + 7]), ix);
      const o = 4 * j;
      next[o] = add(
        mul(add(cur[p], cur[p + 4]), inv2),
        add(mul(d0, b0), mul(3, add(add(mul(d1, b3), mul(d2, b2)), mul(d3, b1)))),
      );
      next[o + 1] = add(
        mul(add(cur[p + 1], cur[p + 5]), inv2),
        add(add(mul(d0, b1), mul(d1, b0)), mul(3, add(mul(d2, b3), mul(d3, b2)))),
      );
      next[o + 2] = add(
        mul(add(cur[p + 2], cur[p + 6]), inv2),
        add(add(add(mul(d0, b2), mul(d1, b1)), mul(d2, b0)), mul(3, mul(d3, b3))),
      );
      next[o + 3] = add(
        mul(add(cur[p + 3], cur[p + 7]), inv2),
        add(add(mul(d0, b3), mul(d1, b2)), add(mul(d2, b1), mul(d3, b0))),
      );
    }
    cur = next;
    b = emul(b, b);
    s = mul(s, s);
  }
  return cur;
}
