/**
 * DEEP quotients (prover side). For table t with trace columns T (pre | main | aux base
 * columns concatenated, width W) and quotient columns Q (width 4D), alpha = alpha_F:
 *   R_T(x) = sum_c alpha^c T_c(x),  R_Q(x) = sum_c alpha^c Q_c(x)
 *   RO_t(x) = [R_T(x) - R_T(z) + alpha^(2W) (R_Q(x) - R_Q(z))] / (x - z)
 *           + alpha^W [R_N(x) - R_N(z w_t)] / (x - z w_t)
 * with R_N(x) = sum_k alpha^k T_(N_k)(x) over the columns read at the next row only
 * (N = nextColumns(t).trace, next-columns.ts; no z w_t term when N is empty),
 * and for each LDE height h: RO_h = sum over tables t of height h (in table order) of
 * alpha^(off_t) RO_t, off_t = sum of (2W + 4D) over the earlier tables of that height.
 *
 * 1/(x - z) for z in the extension and x in the base field is computed as C(x) / m(x), where
 * m is the minimal polynomial of z (base coefficients, degree 4) and C(x) = m(x) / (x - z) =
 * prod over the other conjugates (x - z^(p^k)): only m(x) needs a (base-field) batch inversion.
 */
import { type Ext, EXT_ZERO, eadd, emul, epow, eneg, eq, fromBase } from "../field/ext4.ts";
import { P, add, inv, mul, sub } from "../field/koalabear.ts";

/** Coefficients (low to high) of prod_i (x - r_i) over the extension. */
function polyFromRoots(roots: readonly Ext[]): Ext[] {
  let c: Ext[] = [fromBase(1)];
  for (const r of roots) {
    const next: Ext[] = new Array(c.length + 1).fill(EXT_ZERO);
    for (let i = 0; i < c.length; i++) {
      next[i + 1] = eadd(next[i + 1], c[i]);
      next[i] = eadd(next[i], emul(eneg(r), c[i]));
    }
    c = next;
  }
  return c;
}

/**
 * scale / (x_i - z) for every x_i (base field), as a flat extension array. Requires z outside
 * the base field's x values (z not in F_p, or at least no x_i = z).
 */
export function invDifferences(xs: Uint32Array, z: Ext, scale: Ext): Uint32Array {
  const pBig = BigInt(P);
  const conj: Ext[] = [z];
  for (let k = 1; k < 4; k++) conj.push(epow(conj[k - 1], pBig));
  const isBase = z[1] === 0 && z[2] === 0 && z[3] === 0;
  const n = xs.length;
  const out = new Uint32Array(4 * n);
  if (isBase || eq(conj[1], z) || eq(conj[2], z)) {
    // z lies in a subfield (probability ~2^-62): fall back to a plain batch inversion.
    const d: Ext[] = [];
    for (let i = 0; i < n; i++) d.push([sub(xs[i], z[0]), sub(0, z[1]), sub(0, z[2]), sub(0, z[3])]);
    let acc: Ext = fromBase(1);
    const pre: Ext[] = [];
    for (const v of d) {
      pre.push(acc);
      acc = emul(acc, v);
    }
    let ai = epow(acc, pBig ** 4n - 2n);
    for (let i = n - 1; i >= 0; i--) {
      out.set(emul(emul(ai, pre[i]), scale), 4 * i);
      ai = emul(ai, d[i]);
    }
    return out;
  }
  const m = polyFromRoots(conj).map((e) => e[0]); // base coefficients m0..m4 (m4 = 1)
  const cp = polyFromRoots(conj.slice(1)).map((e) => emul(e, scale)); // c0..c3
  const mv = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const x = xs[i];
    mv[i] = add(mul(add(mul(add(mul(add(x, m[3]), x), m[2]), x), m[1]), x), m[0]);
  }
  // batch inversion of mv (never zero: x in F_p is not a root of an irreducible quartic)
  const prefix = new Uint32Array(n);
  let acc = 1;
  for (let i = 0; i < n; i++) {
    prefix[i] = acc;
    acc = mul(acc, mv[i]);
  }
  let accInv = inv(acc);
  for (let i = n - 1; i >= 0; i--) {
    const v = mv[i];
    mv[i] = mul(accInv, prefix[i]);
    accInv = mul(accInv, v);
  }
  const [c0, c1, c2, c3] = cp;
  for (let i = 0; i < n; i++) {
    const x = xs[i];
    const r = mv[i];
    for (let k = 0; k < 4; k++) {
      const h = add(mul(add(mul(add(mul(c3[k], x), c2[k]), x), c1[k]), x), c0[k]);
      out[4 * i + k] = mul(h, r);
    }
  }
  return out;
}

/** a * b for extension elements stored flat (4 values each) — allocation-free helper. */
export function emulFlat(
  a: Uint32Array,
  ai: number,
  b: Uint32Array,
  bi: number,
  out: Uint32Array,
  oi: number,
): void {
  const a0 = a[ai],
    a1 = a[ai + 1],
    a2 = a[ai + 2],
    a3 = a[ai + 3];
  const b0 = b[bi],
    b1 = b[bi + 1],
    b2 = b[bi + 2],
    b3 = b[bi + 3];
  out[oi] = add(mul(a0, b0), mul(3, add(add(mul(a1, b3), mul(a2, b2)), mul(a3, b1))));
  out[oi + 1] = add(add(mul(a0, b1), mul(a1, b0)), mul(3, add(mul(a2, b3), mul(a3, b2))));
  out[oi + 2] = add(add(add(mul(a0, b2), mul(a1, b1)), mul(a2, b0)), mul(3, mul(a3, b3)));
  out[oi + 3] = add(add(mul(a0, b3), mul(a1, b2)), add(mul(a2, b1), mul(a3, b0)));
}

/**
 * acc += [rT - cZ + a2W (rQ - cQ)] * invZ + (rT - cZn) * invZnScaled, then the table's
 * contribution is multiplied by alphaOff. All arrays flat extension arrays of one length.
 */
export function combineDeep(
  acc: Uint32Array,
  rT: Uint32Array,
  rQ: Uint32Array,
  cZ: Ext,
  cQ: Ext,
  cZn: Ext,
  a2W: Ext,
  invZ: Uint32Array,
  invZnScaled: Uint32Array,
  alphaOff: Ext,
): void {
  const n = acc.length / 4;
  const tmp = new Uint32Array(4);
  const t2 = new Uint32Array(4);
  const t3 = new Uint32Array(4);
  const aw = Uint32Array.from(a2W);
  const off = Uint32Array.from(alphaOff);
  const offIsOne = eq(alphaOff, fromBase(1));
  for (let i = 0; i < n; i++) {
    const o = 4 * i;
    for (let k = 0; k < 4; k++) tmp[k] = sub(rQ[o + k], cQ[k]);
    emulFlat(tmp, 0, aw, 0, t2, 0);
    for (let k = 0; k < 4; k++) tmp[k] = add(sub(rT[o + k], cZ[k]), t2[k]);
    emulFlat(tmp, 0, invZ, o, t2, 0);
    for (let k = 0; k < 4; k++) tmp[k] = sub(rT[o + k], cZn[k]);
    emulFlat(tmp, 0, invZnScaled, o, t3, 0);
    for (let k = 0; k < 4; k++) t2[k] = add(t2[k], t3[k]);
    if (!offIsOne) {
      emulFlat(t2, 0, off, 0, t3, 0);
      for (let k = 0; k < 4; k++) acc[o + k] = add(acc[o + k], t3[k]);
    } else {
      for (let k = 0; k < 4; k++) acc[o + k] = add(acc[o + k], t2[k]);
    }
  }
}
