/**
 * Evaluation domains and the FRI folding schedule.
 *
 * Every LDE is over the coset g*H' (g = 3, |H'| = n * blowup) stored in bit-reversed
 * order: index i holds the value at g * w^bitrev(i). FRI folds by arity 2^s: the 2^s
 * consecutive entries a*j..a*j+a-1 are the coset x_j * <w_a> (entry t at x_j * w_a^bitrev(t)),
 * and the folded value sits at index j of the next layer, whose shift is the old shift^a.
 */
import { GENERATOR, mul, pow, rootOfUnity } from "../field/koalabear.ts";
import { reverseBits } from "../field/ntt.ts";
import type { ProofOptions } from "./options.ts";

export const SHIFT = GENERATOR;

/** shift * w^bitrev(index) in a domain of size 2^logSize. */
export function domainPoint(logSize: number, index: number, shift: number): number {
  return mul(shift, pow(rootOfUnity(logSize), reverseBits(index, logSize)));
}

/** All points of the bit-reversed coset domain. */
export function domainPoints(logSize: number, shift: number): Uint32Array {
  const n = 1 << logSize;
  const w = rootOfUnity(logSize);
  const nat = new Uint32Array(n);
  let x = shift;
  for (let i = 0; i < n; i++) {
    nat[i] = x;
    x = mul(x, w);
  }
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = nat[reverseBits(i, logSize)];
  return out;
}

export interface FriSchedule {
  /** log2 of the largest LDE domain (first FRI layer). */
  readonly logMax: number;
  /** log2 folding factor of each round. */
  readonly steps: readonly number[];
  /** log2 size of the layer before each round. */
  readonly layerLogSizes: readonly number[];
  /** log2 size of the final layer; the final polynomial has 2^(logFinal - logBlowup) coefficients. */
  readonly logFinal: number;
  readonly finalPolyLen: number;
}

/** Schedule from the table heights: never fold past a table's LDE size, where it is rolled in. */
export function friSchedule(logHeights: readonly number[], o: ProofOptions): FriSchedule {
  const ldeLogs = [...new Set(logHeights.map((h) => h + o.logBlowup))].sort((a, b) => b - a);
  const logMax = ldeLogs[0];
  const logFinalCoeffs = Math.min(o.logFinalPolyLen, Math.min(...logHeights));
  const logFinal = logFinalCoeffs + o.logBlowup;
  const steps: number[] = [];
  const layerLogSizes: number[] = [];
  let s = logMax;
  while (s > logFinal) {
    const nextStop = Math.max(logFinal, ...ldeLogs.filter((l) => l < s));
    const step = Math.min(o.logFoldingArity, s - nextStop);
    layerLogSizes.push(s);
    steps.push(step);
    s -= step;
  }
  return { logMax, steps, layerLogSizes, logFinal, finalPolyLen: 1 << logFinalCoeffs };
}

export { pow, mul };
