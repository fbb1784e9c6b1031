/**
 * Poseidon over the BN254 scalar field exactly as circomlib's `Poseidon(n)` template and
 * circomlibjs define it (t = n + 1, 8 full rounds, x^5 S-box, capacity element 0 first).
 * Plain BigInt code: the reference that the fast implementation is tested against, and the
 * path for cold uses. Constants come from circomlibjs's `poseidon_constants.json`.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export const BN254_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

const N_ROUNDS_F = 8;
const N_ROUNDS_P = [56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68] as const;

/** Largest number of inputs of one Poseidon call (t = 17). */
export const POSEIDON_MAX_INPUTS = N_ROUNDS_P.length;

interface WidthConstants {
  readonly roundConstants: readonly bigint[];
  readonly mds: readonly (readonly bigint[])[];
  readonly partialRounds: number;
}

let constantsByWidth: WidthConstants[] | undefined;

function loadConstants(): WidthConstants[] {
  if (constantsByWidth) return constantsByWidth;
  const require = createRequire(import.meta.url);
  // circomlibjs's exports map hides src/, so locate the JSON next to its entry point.
  const file = join(dirname(require.resolve("circomlibjs")), "..", "src", "poseidon_constants.json");
  const raw = JSON.parse(readFileSync(file, "utf8")) as { C: string[][]; M: string[][][] };
  constantsByWidth = raw.C.map((c, k) =>
    Object.freeze({
      roundConstants: Object.freeze(c.map((x) => BigInt(x))),
      mds: Object.freeze(raw.M[k].map((row) => Object.freeze(row.map((x) => BigInt(x))))),
      partialRounds: N_ROUNDS_P[k],
    }),
  );
  return constantsByWidth;
}

/** Round constants, MDS matrix and partial-round count for `n` inputs (t = n + 1). */
export function poseidonConstants(n: number): WidthConstants {
  if (!Number.isInteger(n) || n < 1 || n > POSEIDON_MAX_INPUTS) {
    throw new RangeError(`poseidon: expected 1..${POSEIDON_MAX_INPUTS} inputs, got ${n}`);
  }
  return loadConstants()[n - 1];
}

const mod = (a: bigint): bigint => a % BN254_R;
const pow5 = (a: bigint): bigint => {
  const a2 = mod(a * a);
  return mod(mod(a2 * a2) * a);
};

/**
 * circomlib `Poseidon(inputs.length)`: returns state[0] after the permutation of
 * [0, ...inputs]. Every input must be a canonical field element (< BN254_R).
 *
 * @example poseidonReference([1n, 2n]) // 0x115cc0f5e7d690413df64c6b9662e9cf2a3617f2743245519e19607a4417189a
 */
export function poseidonReference(inputs: readonly bigint[]): bigint {
  const { roundConstants, mds, partialRounds } = poseidonConstants(inputs.length);
  for (const x of inputs)
    if (x < 0n || x >= BN254_R) throw new RangeError("poseidon: input is not a field element");
  const t = inputs.length + 1;
  let state = [0n, ...inputs];
  const rounds = N_ROUNDS_F + partialRounds;
  for (let r = 0; r < rounds; r++) {
    state = state.map((a, i) => a + roundConstants[r * t + i]);
    const full = r < N_ROUNDS_F / 2 || r >= N_ROUNDS_F / 2 + partialRounds;
    if (full) state = state.map(pow5);
    else state[0] = pow5(state[0]);
    state = mds.map((row) => mod(row.reduce((acc, m, j) => acc + m * state[j], 0n)));
  }
  return state[0];
}
