/**
 * The Fiat-Shamir transcript of `src/hash/transcript.ts` replayed in-circuit: the same
 * Poseidon chain, and challenges read from the squeezed element's bits through
 * Num2Bits_strict (so the prover cannot use the bits of s + r), 64-bit windows, base
 * challenges w mod p (a reduction with a 33-bit quotient), extension challenges from two
 * squeezes, query indices as the low bits of windows, and the grinding check.
 */
import type { Builder, Lc } from "../builder.ts";
import { R, finv } from "../field.ts";
import { assertBitsLeConst, num2bits, num2bitsStrict, recompose } from "./bits.ts";
import { COMMITTED_BOUND, KoalaBear, type Kb } from "./koalabear.ts";
import type { KbExt } from "./koalabear-ext.ts";
import { packValues } from "./merkle.ts";
import { poseidon } from "./poseidon.ts";

const CHUNK = 15;

export class TranscriptCircuit {
  private state: Lc;
  private pending: Lc[] = [];
  readonly f: KoalaBear;

  constructor(readonly b: Builder) {
    this.state = b.zero;
    this.f = new KoalaBear(b);
  }

  /** Absorbs a BN254 element (e.g. a Merkle root). */
  absorbElement(x: Lc): void {
    this.pending.push(x);
  }

  /** Absorbs canonical KoalaBear values, packed 8 per element (one packing per call). */
  absorbValues(values: readonly Lc[]): void {
    if (values.length > 0) this.pending.push(...packValues(this.b, values));
  }

  /**
   * Absorbs extension values: values below 2^31 (canonical ones, and proof values checked
   * only < 2^31 by `committed31`) as they are — packing is injective on 31-bit values — and
   * larger lazy ones reduced first. A proof value v ≥ p is absorbed as v, not v mod p: the
   * encoding the prover chose is what the challenges bind, while every check uses v mod p;
   * see KoalaBear.committed31 for why that keeps Fiat-Shamir sound.
   */
  absorbExts(values: readonly KbExt[]): void {
    this.absorbValues(
      values.flatMap((e) => e.map((c) => (c.bound <= COMMITTED_BOUND ? c : this.f.reduce(c)).lc)),
    );
  }

  squeeze(): Lc {
    const b = this.b;
    return b.scope("transcript.squeeze", () => {
      if (this.pending.length === 0) this.state = poseidon(b, [this.state]);
      for (let i = 0; i < this.pending.length; i += CHUNK) {
        this.state = poseidon(b, [this.state, ...this.pending.slice(i, i + CHUNK)]);
      }
      this.pending = [];
      return this.state;
    });
  }

  /** The 254 bits of a fresh squeeze (unique decomposition). */
  squeezeBits(): Lc[] {
    const s = this.squeeze();
    return this.b.scope("transcript.bits", () => num2bitsStrict(this.b, s));
  }

  private windowMod(bits: readonly Lc[], k: number): Kb {
    const w = recompose(this.b, bits.slice(64 * k, 64 * k + 64));
    return this.f.reduce({ lc: w, bound: (1n << 64n) - 1n });
  }

  challengeBase(): Kb {
    return this.windowMod(this.squeezeBits(), 0);
  }

  challengeExt(): KbExt {
    const a = this.squeezeBits();
    const c = this.squeezeBits();
    return [this.windowMod(a, 0), this.windowMod(a, 1), this.windowMod(c, 0), this.windowMod(c, 1)];
  }

  /** `count` query indices as little-endian bit vectors of length logN (two per squeeze). */
  queryIndexBits(count: number, logN: number): Lc[][] {
    if (logN > 32) throw new RangeError("queryIndexBits: logN must be ≤ 32");
    const out: Lc[][] = [];
    while (out.length < count) {
      const bits = this.squeezeBits();
      out.push(bits.slice(0, logN));
      if (out.length < count) out.push(bits.slice(64, 64 + logN));
    }
    return out;
  }

  /**
   * Verifier side of grinding: Poseidon(2)(squeeze, nonce) has its low `bits` bits zero, then
   * the nonce is absorbed. The nonce is range-checked to 32 bits as the proof format has it.
   */
  checkGrind(bits: number, nonce: Lc): void {
    const b = this.b;
    const s = this.squeeze();
    b.scope("transcript.grind", () => {
      num2bits(b, nonce, 32);
      if (bits > 0) assertLowBitsZero(b, poseidon(b, [s, nonce]), bits);
    });
    this.absorbElement(nonce);
  }
}

/**
 * Constrains the canonical integer of x to have its low `k` bits zero: x = 2^k·y with y's
 * 254 − k bits and y ≤ ⌊(r − 1)/2^k⌋ (so 2^k·y is the canonical x, no alias).
 */
export function assertLowBitsZero(b: Builder, x: Lc, k: number): void {
  const y = b.scale(x, finv(1n << BigInt(k)));
  const bits = num2bits(b, y, 254 - k);
  assertBitsLeConst(b, bits, (R - 1n) >> BigInt(k));
}
