/**
 * FRI folding shared by prover and verifier.
 *
 * A layer holds f on a bit-reversed coset; the 2^s entries of coset j are f at
 * x_j * w_a^bitrev(t), t < a = 2^s. Writing f(x) = sum_k x^k f_k(x^a), the folded value is
 * sum_k beta^k f_k(x_j^a) = sum_k c_k (beta / x_j)^k where c = IDFT_a(values in natural order).
 * For a = 2 that is (v0 + v1)/2 + beta (v0 - v1) / (2 x_j).
 */
import { type Ext, EXT_ZERO, eadd, emul, escale, fromBase } from "../field/ext4.ts";
import { inv, mul, pow, rootOfUnity } from "../field/koalabear.ts";
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
