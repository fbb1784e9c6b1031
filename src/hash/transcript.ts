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
import { LIMBS } from "./merkle.ts";

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
    const nonce = searchNonce(s, bits, (inputs, count) => poseidonBatch(2, inputs, count), 1024);
    if (typeof nonce !== "number") throw new Error("unreachable");
    this.absorbElement(BigInt(nonce));
    return nonce;
  }

  /** As `grind`, hashing candidate nonces with an async batch hasher (e.g. worker threads). */
  async grindAsync(
    bits: number,
    batch: (n: number, inputs: Uint32Array, count: number) => Promise<Uint32Array>,
  ): Promise<number> {
    const s = this.squeeze();
    const nonce = await searchNonceAsync(s, bits, (inputs, count) => batch(2, inputs, count), 16384);
    this.absorbElement(BigInt(nonce));
    return nonce;
  }

  /** Verifier side of `grind`: checks the nonce and absorbs it. */
  checkGrind(bits: number, nonce: number): boolean {
    const s = this.squeeze();
    // Without grinding the prover sends nonce 0 (the first candidate), so the encoding stays unique.
    if (bits === 0 && nonce !== 0) return false;
    if (bits > 0) {
      const h = poseidon([s, BigInt(nonce)]);
      if ((h & ((1n << BigInt(bits)) - 1n)) !== 0n) return false;
    }
    this.absorbElement(BigInt(nonce));
    return true;
  }
}

function nonceInputs(s: bigint, base: number, count: number): Uint32Array {
  const input = new Uint32Array(count * 2 * LIMBS);
  const sLimbs = new Uint32Array(LIMBS);
  let x = s;
  for (let i = 0; i < LIMBS; i++) {
    sLimbs[i] = Number(x & 0xffffffffn);
    x >>= 32n;
  }
  for (let j = 0; j < count; j++) {
    input.set(sLimbs, 2 * j * LIMBS);
    input[(2 * j + 1) * LIMBS] = (base + j) >>> 0;
  }
  return input;
}

/** First j with the low `bits` bits of the j-th digest zero (bits <= 30: one limb decides). */
function firstHit(out: Uint32Array, count: number, bits: number): number {
  const mask = bits === 0 ? 0 : (1 << bits) - 1;
  for (let j = 0; j < count; j++) if ((out[j * LIMBS] & mask) === 0) return j;
  return -1;
}

function searchNonce(
  s: bigint,
  bits: number,
  hash: (inputs: Uint32Array, count: number) => Uint32Array,
  batch: number,
): number {
  for (let base = 0; base < 2 ** 32; base += batch) {
    const j = firstHit(hash(nonceInputs(s, base, batch), batch), batch, bits);
    if (j >= 0) return base + j;
  }
  throw new Error("transcript: no grinding nonce below 2^32");
}

async function searchNonceAsync(
  s: bigint,
  bits: number,
  hash: (inputs: Uint32Array, count: number) => Promise<Uint32Array>,
  batch: number,
): Promise<number> {
  for (let base = 0; base < 2 ** 32; base += batch) {
    const j = firstHit(await hash(nonceInputs(s, base, batch), batch), batch, bits);
    if (j >= 0) return base + j;
  }
  throw new Error("transcript: no grinding nonce below 2^32");
}
