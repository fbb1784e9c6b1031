/**
 * Fiat-Shamir transcript over Poseidon-BN254 (circomlib-compatible), designed so a circuit
 * can replay it with Poseidon and Num2Bits_strict only.
 *
 * State: one BN254 element s (initially 0) and a list of pending absorbed elements.
 * - absorb: BN254 elements are queued as they are; KoalaBear values are queued packed 8 per
 *   element (`packValues`, one call = one packing).
 * - squeeze: if elements are pending, s = Poseidon(1 + c)(s, chunk) for consecutive chunks of
 *   at most 15 pending elements; otherwise s = Poseidon(1)(s). The output is the new s.
 * - challenges: the low 128 bits of a squeezed element form two 64-bit windows w0, w1
 *   (statistical distance from uniform < 2^128 / r < 2^-125). A base challenge is w0 mod p
 *   (bias < p / 2^64 < 2^-33 per value); an extension challenge takes w0, w1 of two
 *   squeezes (4 coefficients); a query index is the low `logN` bits of one window
 *   (two indices per squeeze). No rejection sampling.
 * - grinding: flush (squeeze); the nonce n must make the low `bits` bits of
 *   Poseidon(2)(s, n) zero (low bits, not top bits: the top bits of a value mod r are biased);
 *   then n is absorbed.
 */
import { P } from "../field/koalabear.ts";
import type { Ext } from "../field/ext4.ts";
import { poseidon, poseidonBatch } from "./poseidon.ts";
import { packValues } from "./sponge.ts";
import { BN254_R } from "./poseidon-reference.ts";
import { LIMBS, limbsToBigint } from "./merkle.ts";

const MASK64 = (1n << 64n) - 1n;
const CHUNK = 15;

/** Encodes an ASCII tag (at most 31 bytes) as a BN254 element (big-endian bytes). */
export function tagElement(tag: string): bigint {
  if (tag.length > 31) throw new RangeError("transcript tag longer than 31 bytes");
  let x = 0n;
  for (let i = 0; i < tag.length; i++) x = (x << 8n) | BigInt(tag.charCodeAt(i) & 0xff);
  return x;
}

export class Transcript {
  private state = 0n;
  private pending: bigint[] = [];

  absorbElement(x: bigint): void {
    if (x < 0n || x >= BN254_R) throw new RangeError("transcript: element not in the BN254 field");
    this.pending.push(x);
  }

  absorbElements(xs: readonly bigint[]): void {
    for (const x of xs) this.absorbElement(x);
  }

  /** Absorbs KoalaBear values (each < p), packed 8 per element. Nothing for an empty list. */
  absorbValues(values: ArrayLike<number>): void {
    if (values.length === 0) return;
    for (const e of packValues(values)) this.pending.push(e);
  }

  absorbExts(values: readonly Ext[]): void {
    this.absorbValues(values.flatMap((e) => [...e]));
  }

  squeeze(): bigint {
    if (this.pending.length === 0) {
      this.state = poseidon([this.state]);
    } else {
      for (let i = 0; i < this.pending.length; i += CHUNK) {
        this.state = poseidon([this.state, ...this.pending.slice(i, i + CHUNK)]);
      }
      this.pending = [];
    }
    return this.state;
  }

  challengeBase(): number {
    return Number((this.squeeze() & MASK64) % BigInt(P));
  }

  challengeExt(): Ext {
    const a = this.squeeze();
    const b = this.squeeze();
    const p = BigInt(P);
    return [
      Number((a & MASK64) % p),
      Number(((a >> 64n) & MASK64) % p),
      Number((b & MASK64) % p),
      Number(((b >> 64n) & MASK64) % p),
    ];
  }

  /** `count` indices in [0, 2^logN), logN <= 32. */
  queryIndices(count: number, logN: number): number[] {
    const mask = (1n << BigInt(logN)) - 1n;
    const out: number[] = [];
    while (out.length < count) {
      const s = this.squeeze();
      out.push(Number(s & mask));
      if (out.length < count) out.push(Number((s >> 64n) & mask));
    }
    return out;
  }

  /** Finds the grinding nonce (prover side) and absorbs it. */
  grind(bits: number): number {
    const s = this.squeeze();
    if (bits === 0) {
      this.absorbElement(0n);
      return 0;
    }
    const mask = (1 << bits) - 1;
    const batch = 1024;
    const input = new Uint32Array(batch * 2 * LIMBS);
    const sLimbs = new Uint32Array(LIMBS);
    let x = s;
    for (let i = 0; i < LIMBS; i++) {
      sLimbs[i] = Number(x & 0xffffffffn);
      x >>= 32n;
    }
    for (let base = 0; base < 2 ** 32; base += batch) {
      for (let j = 0; j < batch; j++) {
        input.set(sLimbs, 2 * j * LIMBS);
        input[(2 * j + 1) * LIMBS] = (base + j) >>> 0;
      }
      const out = poseidonBatch(2, input, batch);
      for (let j = 0; j < batch; j++) {
        if ((out[j * LIMBS] & mask) === 0) {
          const nonce = base + j;
          if (Number(limbsToBigint(out, j * LIMBS) & BigInt(mask)) !== 0) continue;
          this.absorbElement(BigInt(nonce));
          return nonce;
        }
      }
    }
    throw new Error("transcript: no grinding nonce below 2^32");
  }

  /** Verifier side of `grind`: checks the nonce and absorbs it. */
  checkGrind(bits: number, nonce: number): boolean {
    const s = this.squeeze();
    if (bits > 0) {
      const h = poseidon([s, BigInt(nonce)]);
      if ((h & ((1n << BigInt(bits)) - 1n)) !== 0n) return false;
    }
    this.absorbElement(BigInt(nonce));
    return true;
  }
}
