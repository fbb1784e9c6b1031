/**
 * AssemblyScript: the Poseidon-BN254 permutation in the optimized (sparse partial round) form,
 * over the Montgomery kernels of `field.ts` (R = 2^261). Compiled by `scripts/build-wasm.sh`.
 * With the two-lane kernels (LANES = 2) every element slot holds two independent elements and
 * permuteBatch runs two calls at once; the round logic below is the same for one or two lanes.
 *
 * Memory: [scratch (this module) | constants and I/O (placed by the JS host above heapBase())].
 * Constants for width t, in Montgomery form, 72 bytes each, at `consts`:
 *   C (8t + nP) | S ((2t - 1) nP) | M^T (t x t, row i = column i of M) | P^T (t x t) |
 *   negA(M^T) (t) | negA(P^T) (t), where negA(row) = -sum_k row[2k] row[2k+1] (for dotWino) |
 *   partial-round blocks (see permute).
 *
 * Bounds (rho = R / p ~ 169.3; a Montgomery product of values < a p and < b p is < (ab/rho + 1) p,
 * and adding c through the high columns adds c):
 * - start: x + C < 2p. pow5 of x < 30p: x^2 < 6.4p, x^4 < 1.3p, x^5 < 1.3p; + C < 2.3p.
 * - Winograd matvec (dotWino) of a state < 2.3p: pair sums < 3.3p, 8 pairs + 1 term give
 *   < 0.6p after reduction, + p, + negA (< p) + NB (< 8p): < 10.6p. NB = 8p - B, B < 1.3p.
 * - partial rounds: s_k starts < 10.6p and each block of 4 rounds adds < (4 * 2.3 / rho + 1) p,
 *   so over <= 18 blocks s_k < 30p; a round's dot (<= 20 terms, a_r < 2.3p) is < 4p.
 * - the last round's single dot of values < 1.3p is < 1.2p; leaving Montgomery form gives <= p.
 * Every value stays < 30p < 169p < 2^261 (9 limbs of 29 bits), every limb is normalized
 * (< 2^29) except the pair sums (< 2^30, accounted for in dotWino), and pow5 inputs are < 30p
 * (the bound above needs < ~100p), so no reduction other than Montgomery's is needed; the
 * output is brought to [0, p) once at the end.
 */
import {
  ELEM,
  FIELD_END,
  LANES,
  MASK,
  P8_LIMBS,
  P_LIMBS,
  dot,
  dotAdd,
  dotWino,
  mulAddMont,
  mulMont,
  sqrMont,
} from "./field";

const BASE: usize = FIELD_END;
/** R^2 mod p (Montgomery form of R); written by the host. */
const R2: usize = BASE;
/** The integer 1 (to leave Montgomery form); written by the host. */
const ONE: usize = BASE + ELEM;
const X2: usize = BASE + 2 * ELEM;
const X4: usize = BASE + 3 * ELEM;
const X: usize = BASE + 4 * ELEM;
const T: usize = BASE + 5 * ELEM;
const NB: usize = BASE + 6 * ELEM;
/** Partial rounds are processed in blocks of this many rounds (the host lays out constants to match). */
const BLOCK = 4;
// A state buffer holds t <= 17 elements and then the BLOCK partial-round S-box outputs.
const STATE_A: usize = BASE + 7 * ELEM;
const STATE_B: usize = STATE_A + (17 + BLOCK) * ELEM;
const END: usize = STATE_B + (17 + BLOCK) * ELEM;

/** Where the host may start placing constants and buffers. */
export function heapBase(): usize {
  return (END + 4095) & ~(<usize>4095);
}

export function r2Ptr(): usize {
  return R2;
}

export function onePtr(): usize {
  return ONE;
}

// Limb k of lane `lane` of the element at ptr: a u64 (LANES = 1) or a u32 of a lane pair
// (LANES = 2, see field.ts). LANES is a compile-time constant, so the branches fold away.
function getLimb(ptr: usize, k: i32, lane: i32): u64 {
  if (LANES == 1) return load<u64>(ptr + ((<usize>k) << 3));
  return <u64>load<u32>(ptr + ((<usize>k) << 3) + ((<usize>lane) << 2));
}

function setLimb(ptr: usize, k: i32, lane: i32, v: u64): void {
  if (LANES == 1) store<u64>(ptr + ((<usize>k) << 3), v);
  else store<u32>(ptr + ((<usize>k) << 3) + ((<usize>lane) << 2), <u32>v);
}

/** 8 little-endian u32 words -> 9 limbs of 29 bits (one lane). */
function fromU32(dst: usize, src: usize, lane: i32): void {
  for (let k = 0; k < 9; k++) {
    const bit = k * 29;
    const w = bit >> 5;
    const s = bit & 31;
    let v: u64 = (<u64>load<u32>(src + ((<usize>w) << 2))) >> s;
    if (w + 1 < 8) v |= (<u64>load<u32>(src + ((<usize>(w + 1)) << 2))) << (32 - s);
    setLimb(dst, k, lane, v & MASK);
  }
}

/** 9 normalized limbs of a value < 2^256 (one lane) -> 8 little-endian u32 words. */
function toU32(dst: usize, src: usize, lane: i32): void {
  let acc: u64 = 0;
  let bits = 0;
  let w = 0;
  for (let k = 0; k < 9; k++) {
    acc |= getLimb(src, k, lane) << bits;
    bits += 29;
    while (bits >= 32 && w < 8) {
      store<u32>(dst + ((<usize>w) << 2), <u32>acc);
      acc >>= 32;
      bits -= 32;
      w++;
    }
  }
}

/** x := x - p if x >= p (one lane, normalized); returns true if it subtracted. */
function subPIfGe(x: usize, lane: i32): bool {
  let borrow: i64 = 0;
  for (let k = 0; k < 9; k++) {
    const v: i64 = <i64>getLimb(x, k, lane) - <i64>unchecked(P_LIMBS[k]) + borrow;
    borrow = v >> 29;
    store<u64>(T + ((<usize>k) << 3), <u64>(v & (<i64>MASK)));
  }
  if (borrow != 0) return false;
  for (let k = 0; k < 9; k++) setLimb(x, k, lane, load<u64>(T + ((<usize>k) << 3)));
  return true;
}

/** Winograd's pairing pays off from this width on (see dotWino in field.ts). */
const WINO_MIN_T = 6;

/** nxt = mat * cur for a t x t row-major matrix; negA holds its rows' Winograd constants. */
function matvec(nxt: usize, mat: usize, negA: usize, cur: usize, t: i32): void {
  const tu = <usize>t;
  if (t >= WINO_MIN_T) {
    // NB = 8p - sum_k cur[2k] cur[2k+1] (the sum is < 4p, see the bounds above).
    dot(X, cur, cur + ELEM, t >> 1, 2 * ELEM);
    for (let lane = 0; lane < LANES; lane++) {
      let borrow: i64 = 0;
      for (let k = 0; k < 9; k++) {
        const v: i64 = <i64>unchecked(P8_LIMBS[k]) - <i64>getLimb(X, k, lane) + borrow;
        borrow = v >> 29;
        setLimb(NB, k, lane, <u64>(v & (<i64>MASK)));
      }
    }
    for (let i: usize = 0; i < tu; i++)
      dotWino(nxt + i * ELEM, mat + i * tu * ELEM, cur, t, negA + i * ELEM, NB);
  } else {
    for (let i: usize = 0; i < tu; i++) dot(nxt + i * ELEM, mat + i * tu * ELEM, cur, t, ELEM);
  }
}

function pow5AddInPlace(x: usize, c: usize): void {
  sqrMont(X2, x);
  sqrMont(X4, X2);
  mulAddMont(x, X4, x, c);
}

/** Runs the rounds on `st` (t elements, Montgomery, initial constants already added); returns the buffer holding state[0]. */
function permute(t: i32, nP: i32, consts: usize, st: usize, tmp: usize): usize {
  const tu = <usize>t;
  const cB = consts;
  const sB = cB + <usize>(8 * t + nP) * ELEM;
  const mB = sB + <usize>((2 * t - 1) * nP) * ELEM;
  const pB = mB + tu * tu * ELEM;
  const naM = pB + tu * tu * ELEM;
  const naP = naM + tu * ELEM;
  let cur = st;
  let nxt = tmp;
  for (let r = 0; r < 4; r++) {
    const cr = cB + <usize>((r + 1) * t) * ELEM;
    for (let i: usize = 0; i < tu; i++) pow5AddInPlace(cur + i * ELEM, cr + i * ELEM);
    if (r == 3) matvec(nxt, pB, naP, cur, t);
    else matvec(nxt, mB, naM, cur, t);
    const s = cur;
    cur = nxt;
    nxt = s;
  }
  // Partial rounds, in blocks of m <= BLOCK rounds r0..r0+m-1. With a_r = pow5(s0) + c_r, the
  // sparse round sets s0 = w_r . (a_r, s_1..s_t-1) and s_k += a_r v_r,k. Inside a block the s_k
  // stay at their block-start values and round r0+j's dot also takes a_r0..a_r0+j-1 with
  // constants U_i,j = sum_k w_j,k v_i,k; at the block's end s_k += sum_j a_r0+j v_r0+j,k as one
  // m-term dot (one reduction instead of m). Constants per block: for j < m the row
  // (w_j, U_0,j..U_j-1,j) of t + j elements, then for k = 1..t-1 the m values v_r0+j,k.
  // Bounds: a block adds < (2.3m/rho + 1)p < 1.06p to s_k, so s_k < 30p over <= 18 blocks,
  // and a round's dot is < ((2.3 * 4 + 16 * 30) / rho + 1) p < 4p.
  const cp = cB + <usize>(5 * t) * ELEM;
  let blk = naP + tu * ELEM;
  const acc = cur + tu * ELEM; // a_r0.. after the state
  for (let r0 = 0; r0 < nP; r0 += BLOCK) {
    const m = min(BLOCK, nP - r0);
    for (let j = 0; j < m; j++) {
      pow5AddInPlace(cur, cp + <usize>(r0 + j) * ELEM);
      memory.copy(acc + <usize>j * ELEM, cur, ELEM);
      dot(T, blk, cur, t + j, ELEM);
      blk += <usize>(t + j) * ELEM;
      memory.copy(cur, T, ELEM);
    }
    for (let k: usize = 1; k < tu; k++) {
      dotAdd(cur + k * ELEM, blk, acc, m, cur + k * ELEM);
      blk += <usize>m * ELEM;
    }
  }
  const cf = cp + <usize>nP * ELEM;
  for (let r = 0; r < 3; r++) {
    const cr = cf + <usize>(r * t) * ELEM;
    for (let i: usize = 0; i < tu; i++) pow5AddInPlace(cur + i * ELEM, cr + i * ELEM);
    matvec(nxt, mB, naM, cur, t);
    const s = cur;
    cur = nxt;
    nxt = s;
  }
  for (let i: usize = 0; i < tu; i++) {
    const x = cur + i * ELEM;
    sqrMont(X2, x);
    sqrMont(X4, X2);
    mulMont(x, X4, x);
  }
  dot(nxt, mB, cur, t, ELEM); // only state[0] is output
  return nxt;
}

/**
 * `count` Poseidon(t - 1) calls: inputs are (t - 1) elements of 8 u32 words each per call,
 * outputs 8 words per call (canonical). LANES calls run side by side. Returns -1, or the index
 * of a call with an input >= p.
 */
export function permuteBatch(t: i32, nP: i32, consts: usize, inPtr: usize, outPtr: usize, count: i32): i32 {
  const n = <usize>(t - 1);
  for (let c = 0; c < count; c += LANES) {
    memory.copy(STATE_A, consts, ELEM); // capacity 0 + C[0]
    for (let i: usize = 1; i <= n; i++) {
      for (let lane = 0; lane < LANES; lane++) {
        const cc = min(c + lane, count - 1); // an odd tail repeats the last call
        fromU32(X, inPtr + ((<usize>cc * n + i - 1) << 5), lane);
        if (subPIfGe(X, lane)) return cc;
      }
      mulAddMont(STATE_A + i * ELEM, X, R2, consts + i * ELEM);
    }
    const res = permute(t, nP, consts, STATE_A, STATE_B);
    mulMont(X, res, ONE);
    for (let lane = 0; lane < LANES && c + lane < count; lane++) {
      subPIfGe(X, lane);
      toU32(outPtr + ((<usize>(c + lane)) << 5), X, lane);
    }
  }
  return -1;
}

/** Calls side by side in permuteBatch (the host duplicates constants across lanes). */
export function lanes(): i32 {
  return LANES;
}

/** Benchmark helper: x := x * x / R, `count` times, on the element at `x`. */
export function mulLoop(x: usize, count: i32): void {
  for (let i = 0; i < count; i++) mulMont(x, x, x);
}

/**
 * Benchmark helper on the state buffers: kind 0 = 16 independent multiply-adds (throughput),
 * 1 = one 17-term dot product, 2 = 16 independent squarings; repeated `count` times.
 */
export function benchKernel(kind: i32, count: i32): void {
  for (let i = 0; i < count; i++) {
    if (kind == 0) {
      for (let k: usize = 1; k < 17; k++)
        mulAddMont(STATE_A + k * ELEM, STATE_A, STATE_B + k * ELEM, STATE_A + k * ELEM);
    } else if (kind == 1) {
      dot(STATE_B, STATE_B, STATE_A, 17, ELEM);
    } else {
      for (let k: usize = 0; k < 16; k++) sqrMont(STATE_B + k * ELEM, STATE_A + k * ELEM);
    }
  }
}
