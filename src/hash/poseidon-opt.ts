/**
 * The optimized form of circomlib's Poseidon (the one circomlib's `poseidon.circom` and
 * circomlibjs's `poseidon_opt.js` compute): round constants folded through the linear layer,
 * a pre-multiplied matrix `P` before the partial rounds, and per-partial-round sparse
 * matrices `S`, so a partial round costs ~2t multiplications instead of t^2. It is the same
 * function as {@link poseidonReference}; the constants come from circomlibjs's
 * `poseidon_constants_opt.json`. The accessor is exported so an R1CS builder can mirror
 * exactly the schedule that the fast hash uses.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { BN254_R, POSEIDON_MAX_INPUTS } from "./poseidon-reference.ts";

export const N_ROUNDS_F = 8;
const N_ROUNDS_P = [56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68] as const;

/**
 * Optimized-form constants for t = n + 1. Schedule (all indices as in circomlibjs):
 * 1. state[i] += C[i];
 * 2. full rounds r = 0..2: state = pow5(state); state[i] += C[(r+1)t + i]; state = M^T state
 *    (i.e. state'[i] = sum_j M[j][i] state[j]);
 * 3. full round 3: pow5; state[i] += C[4t + i]; state'[i] = sum_j P[j][i] state[j];
 * 4. partial rounds r = 0..partialRounds-1: s0 = pow5(state[0]) + C[5t + r];
 *    state'[0] = sum_j S[(2t-1)r + j] * (j = 0 ? s0 : state[j]);
 *    state'[k] = state[k] + s0 * S[(2t-1)r + t + k - 1] for k = 1..t-1;
 * 5. full rounds r = 0..2: pow5; state[i] += C[5t + partialRounds + r t + i]; M^T;
 * 6. last full round: pow5; M^T (no constant). Output state[0].
 */
export interface PoseidonOptConstants {
  readonly t: number;
  readonly partialRounds: number;
  readonly C: readonly bigint[];
  readonly S: readonly bigint[];
  readonly M: readonly (readonly bigint[])[];
  readonly P: readonly (readonly bigint[])[];
}

let cache: PoseidonOptConstants[] | undefined;

function load(): PoseidonOptConstants[] {
  if (cache) return cache;
  const require = createRequire(import.meta.url);
  // circomlibjs's exports map hides src/, so locate the JSON next to its entry point.
  const file = join(dirname(require.resolve("circomlibjs")), "..", "src", "poseidon_constants_opt.json");
  const raw = JSON.parse(readFileSync(file, "utf8")) as {
    C: string[][];
    S: string[][];
    M: string[][][];
    P: string[][][];
  };
  const big = (x: string): bigint => BigInt(x);
  cache = raw.C.map((c, k) =>
    Object.freeze({
      t: k + 2,
      partialRounds: N_ROUNDS_P[k],
      C: Object.freeze(c.map(big)),
      S: Object.freeze(raw.S[k].map(big)),
      M: Object.freeze(raw.M[k].map((row) => Object.freeze(row.map(big)))),
      P: Object.freeze(raw.P[k].map((row) => Object.freeze(row.map(big)))),
    }),
  );
  return cache;
}

/** Optimized-form constants for `n` inputs (t = n + 1), see {@link PoseidonOptConstants}. */
export function poseidonOptConstants(n: number): PoseidonOptConstants {
  if (!Number.isInteger(n) || n < 1 || n > POSEIDON_MAX_INPUTS) {
    throw new RangeError(`poseidon: expected 1..${POSEIDON_MAX_INPUTS} inputs, got ${n}`);
  }
  return load()[n - 1];
}

const mod = (a: bigint): bigint => a % BN254_R;
const pow5 = (a: bigint): bigint => {
  const a2 = mod(a * a);
  return mod(mod(a2 * a2) * a);
};

/**
 * BigInt Poseidon in the optimized form: same output as `poseidonReference`, about 2x fewer
 * multiplications. The plain-JS fallback of the fast hash.
 *
 * @example poseidonOptBigint([1n, 2n]) === poseidonReference([1n, 2n])
 */
export function poseidonOptBigint(inputs: readonly bigint[]): bigint {
  const { t, partialRounds: nP, C, S, M, P } = poseidonOptConstants(inputs.length);
  for (const x of inputs)
    if (x < 0n || x >= BN254_R) throw new RangeError("poseidon: input is not a field element");
  let s = [0n, ...inputs].map((a, i) => a + C[i]);
  const mixT = (m: readonly (readonly bigint[])[], v: bigint[]): bigint[] =>
    v.map((_, i) => mod(v.reduce((acc, a, j) => acc + m[j][i] * a, 0n)));
  for (let r = 0; r < N_ROUNDS_F / 2; r++) {
    s = s.map((a, i) => pow5(a) + C[(r + 1) * t + i]);
    s = mixT(r === N_ROUNDS_F / 2 - 1 ? P : M, s);
  }
  const base = (N_ROUNDS_F / 2 + 1) * t;
  for (let r = 0; r < nP; r++) {
    const s0 = mod(pow5(s[0]) + C[base + r]);
    const o = (2 * t - 1) * r;
    let acc = S[o] * s0;
    for (let j = 1; j < t; j++) acc += S[o + j] * s[j];
    for (let k = 1; k < t; k++) s[k] = mod(s[k] + s0 * S[o + t + k - 1]);
    s[0] = mod(acc);
  }
  for (let r = 0; r < N_ROUNDS_F / 2; r++) {
    const last = r === N_ROUNDS_F / 2 - 1;
    s = s.map((a, i) => pow5(a) + (last ? 0n : C[base + nP + r * t + i]));
    if (last) return mod(s.reduce((acc, a, j) => acc + M[j][0] * a, 0n));
    s = mixT(M, s);
  }
  throw new Error("unreachable");
}
