/**
 * SHA-256 over a variable-length byte message with the padding done in-circuit.
 *
 * Words are 32 boolean LCs, bit i worth 2^i. XOR of three bits costs 2 rows (1 when one input
 * is a constant, e.g. the zero bits of SHR), Ch 1 row, Maj 2 rows per bit. Additions mod 2^32
 * are symbolic sums decomposed once into 32 + carry bits; unlike circomlib only the new `a`
 * and `e` of each round (and the schedule words) are decomposed, T1/T2 stay symbolic.
 * Rows per 64-byte block: 64 rounds × (64 + 32 + 64 + 64 + 35 + 35) + 48 schedule words ×
 * (61 + 54 + 34) + 8 × 33 ≈ 26.2k (circomlib Sha256: 29,725 for one block at --O2).
 *
 * Variable length (L ≤ maxLen bytes, L private): a one-hot vector eq_i = [i = L] (maxLen + 1
 * boolean rows, Σ i·eq_i = L), from which [i < L] = Σ_{j>i} eq_j and "block j is the last
 * one" = Σ_{L ∈ [64j − 8, 64j + 55]} eq_L are free sums. Padded byte i = [i < L]·m_i +
 * 0x80·eq_i + (length byte if in the last block's final 8 bytes): 1 product + 8 bits. Every
 * block up to the maximum is compressed; the digest is selected by the last-block flags.
 */
import type { Builder, Lc } from "../builder.ts";
import { num2bits, recompose } from "./bits.ts";

const K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
].map(BigInt);
const H0 = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
].map(BigInt);

/** A 32-bit word as boolean LCs, bit i worth 2^i. */
export type Word = readonly Lc[];

function constWord(b: Builder, x: bigint): Word {
  return Array.from({ length: 32 }, (_, i) => b.constant((x >> BigInt(i)) & 1n));
}

function xor2(b: Builder, x: Lc, y: Lc): Lc {
  // x + y − 2xy: free when either is a constant (mul folds).
  return b.sub(b.add(x, y), b.scale(b.mul(x, y), 2n));
}

function rotr(w: Word, n: number): Word {
  return w.map((_, i) => w[(i + n) % 32]);
}

function shr(b: Builder, w: Word, n: number): Word {
  return w.map((_, i) => (i + n < 32 ? w[i + n] : b.zero));
}

function xor3w(b: Builder, x: Word, y: Word, z: Word): Word {
  return x.map((xi, i) => xor2(b, xi, xor2(b, y[i], z[i])));
}

function ch(b: Builder, e: Word, f: Word, g: Word): Word {
  return e.map((ei, i) => b.add(b.mul(ei, b.sub(f[i], g[i])), g[i]));
}

function maj(b: Builder, x: Word, y: Word, z: Word): Word {
  return x.map((xi, i) => {
    const mid = b.mul(y[i], z[i]);
    return b.add(b.mul(xi, b.sub(b.add(y[i], z[i]), b.scale(mid, 2n))), mid);
  });
}

const wordValue = (b: Builder, w: Word): Lc => recompose(b, w);

/** (Σ words + constant) mod 2^32 as a new bit word: 32 + carry-bit rows. */
function addMod32(b: Builder, words: readonly Word[], constant = 0n): Word {
  const max = BigInt(words.length) * 0xffffffffn + constant;
  const nBits = max.toString(2).length;
  const s = b.sum(
    words.map((w) => [1n, wordValue(b, w)] as const),
    constant,
  );
  if (!s.nonConst) return constWord(b, b.constValue(s) & 0xffffffffn);
  return num2bits(b, s, nBits, "high").slice(0, 32);
}

/** One compression of `state` with a 16-word block (all as bit words). */
export function sha256Compress(b: Builder, state: readonly Word[], block: readonly Word[]): Word[] {
  return b.scope("sha256.compress", () => {
    const w: Word[] = block.slice();
    for (let t = 16; t < 64; t++) {
      const s0 = xor3w(b, rotr(w[t - 15], 7), rotr(w[t - 15], 18), shr(b, w[t - 15], 3));
      const s1 = xor3w(b, rotr(w[t - 2], 17), rotr(w[t - 2], 19), shr(b, w[t - 2], 10));
      w.push(addMod32(b, [s1, w[t - 7], s0, w[t - 16]]));
    }
    let [a, bb, c, d, e, f, g, h] = state;
    for (let t = 0; t < 64; t++) {
      const S1 = xor3w(b, rotr(e, 6), rotr(e, 11), rotr(e, 25));
      const S0 = xor3w(b, rotr(a, 2), rotr(a, 13), rotr(a, 22));
      const chv = ch(b, e, f, g);
      const mj = maj(b, a, bb, c);
      const t1 = [h, S1, chv, w[t]];
      const newE = addMod32(b, [d, ...t1], K[t]);
      const newA = addMod32(b, [...t1, S0, mj], K[t]);
      [h, g, f, e, d, c, bb, a] = [g, f, e, newE, c, bb, a, newA];
    }
    return [a, bb, c, d, e, f, g, h].map((x, i) => addMod32(b, [state[i], x]));
  });
}

export interface Sha256VarResult {
  /** Digest words H0..H7 (each < 2^32), big-endian order as in the standard. */
  readonly words: Lc[];
  /** Number of compressions performed (= maximum block count). */
  readonly blocks: number;
}

/** Maximum number of blocks for messages of at most `maxLen` bytes. */
export const sha256MaxBlocks = (maxLen: number): number => Math.floor((maxLen + 8) / 64) + 1;

/**
 * SHA-256 of the first `length` bytes of `msg` (msg.length = maxLen; bytes at positions
 * ≥ length are ignored and unconstrained). `length` must be ≤ maxLen (enforced). Bytes below
 * `length` are constrained to 0..255.
 */
export function sha256Var(b: Builder, msg: readonly Lc[], length: Lc): Sha256VarResult {
  const maxLen = msg.length;
  const nBlocks = sha256MaxBlocks(maxLen);
  return b.scope("sha256", () => {
    // eq[i] = [i = L] for i = 0..maxLen; eq[0] is implied by Σ eq = 1.
    const eqHigh = b.hints(
      maxLen,
      () => {
        const L = Number(b.value(length));
        return Array.from({ length: maxLen }, (_, i) => (i + 1 === L ? 1n : 0n));
      },
      "sha256.eq",
    );
    const eq = [b.sub(b.one, b.sum(eqHigh.map((x) => [1n, x] as const))), ...eqHigh];
    eq.forEach((x) => b.assertBoolean(x));
    b.assertEqual(b.sum(eq.map((x, i) => [BigInt(i), x] as const)), length);
    // lt[i] = [i < L] = Σ_{j>i} eq[j]
    const lt: Lc[] = new Array(maxLen);
    let acc = b.zero;
    for (let i = maxLen - 1; i >= 0; i--) {
      acc = b.add(acc, eq[i + 1]);
      lt[i] = acc;
    }
    const isLast = Array.from({ length: nBlocks }, (_, j) =>
      b.sum(eq.flatMap((x, L) => (L >= 64 * j - 8 && L <= 64 * j + 55 ? [[1n, x] as const] : []))),
    );
    // Bits of 8·L for the length field (L < 2^lenBits).
    const lenBits = Math.max(1, maxLen.toString(2).length);
    const Lbits = num2bits(b, length, lenBits);
    const bitLenBits: Lc[] = [b.zero, b.zero, b.zero, ...Lbits]; // 8L, little-endian bits
    const lengthByte = (k: number): Lc | undefined => {
      // byte k (0 = most significant) of the 64-bit big-endian 8L
      const lo = 8 * (7 - k);
      if (lo >= bitLenBits.length) return undefined;
      return b.sum(bitLenBits.slice(lo, lo + 8).map((x, i) => [1n << BigInt(i), x] as const));
    };
    const paddedBits: Lc[][] = [];
    for (let i = 0; i < 64 * nBlocks; i++) {
      const terms: (readonly [bigint, Lc])[] = [];
      if (i < maxLen) terms.push([1n, b.mul(lt[i], msg[i])]);
      if (i <= maxLen) terms.push([0x80n, eq[i]]);
      const o = i % 64;
      if (o >= 56) {
        const lb = lengthByte(o - 56);
        if (lb) terms.push([1n, b.mul(isLast[Math.floor(i / 64)], lb)]);
      }
      const byte = b.sum(terms);
      paddedBits.push(terms.length === 0 ? Array.from({ length: 8 }, () => b.zero) : num2bits(b, byte, 8));
    }
    let state: Word[] = H0.map((h) => constWord(b, h));
    const outs: Lc[][] = [];
    for (let j = 0; j < nBlocks; j++) {
      const block: Word[] = [];
      for (let t = 0; t < 16; t++) {
        const base = 64 * j + 4 * t;
        // big-endian bytes: word bit i is bit (i mod 8) of byte 3 − ⌊i/8⌋
        block.push(Array.from({ length: 32 }, (_, i) => paddedBits[base + 3 - Math.floor(i / 8)][i % 8]));
      }
      state = sha256Compress(b, state, block);
      outs.push(state.map((w) => wordValue(b, w)));
    }
    const words = Array.from({ length: 8 }, (_, w) =>
      b.sum(outs.map((o, j) => [1n, b.mul(isLast[j], o[w])] as const)),
    );
    return { words, blocks: nBlocks };
  });
}

/**
 * The 256-bit digest (big-endian words) masked to its low 253 bits, as one field element:
 * Σ_w word_w·2^(32(7−w)) minus word 0's top three bits. 32 rows (bits of word 0).
 */
export function digestMasked253(b: Builder, words: readonly Lc[]): Lc {
  const top = num2bits(b, words[0], 32);
  const terms: (readonly [bigint, Lc])[] = words.map((w, i) => [1n << BigInt(32 * (7 - i)), w] as const);
  for (let k = 29; k < 32; k++) terms.push([-(1n << BigInt(224 + k)), top[k]]);
  return b.sum(terms);
}
