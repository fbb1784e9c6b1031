/**
 * Proof options (every security knob) and the security estimate derived from them.
 *
 * Conjectured security (Winterfell's formula): min(numQueries * logBlowup + grindingBits,
 * fieldBits - log2(largest LDE domain), hashBits), with fieldBits = 124 (|F_p^4| ~ 2^124)
 * and hashBits = 127 (collision resistance of Poseidon-BN254 with a 254-bit output).
 * Proven security (list decoding up to the Johnson bound, as Winterfell's
 * `proven_security`, from the BCIKS20 proximity-gaps bound): for the best m >= 3,
 * min(numQueries * -log2(sqrt(rho) * (1 + 1/(2m))) + grindingBits,
 *     fieldBits - log2((m + 1/2)^7 / (3 rho^(3/2)) * D^2), hashBits), rho = 1/blowup,
 * D = largest LDE domain.
 *
 * Profiles: the named option sets a verifier accepts (DEFAULT for general use, ONCHAIN for proofs
 * that are wrapped into Groth16: fewer queries at a larger blowup, so the wrap circuit stays under
 * 2^22 constraints at the same security). A verifier never takes options from a proof: it is given
 * one profile, or matches the proof's options against this allow-list (`profileOfOptions`).
 */
import { ZkmipsError } from "../errors.ts";
import { TWO_ADICITY } from "../field/koalabear.ts";

export interface ProofOptions {
  /** log2 of the LDE blowup (rate 2^-logBlowup). */
  readonly logBlowup: number;
  readonly numQueries: number;
  /** Proof-of-work bits required before query indices are drawn. */
  readonly grindingBits: number;
  /** log2 of the maximum FRI folding arity (1 = arity 2). */
  readonly logFoldingArity: number;
  /** log2 of the maximum number of coefficients of the final FRI polynomial. */
  readonly logFinalPolyLen: number;
}

export const DEFAULT_OPTIONS: ProofOptions = Object.freeze({
  logBlowup: 3,
  numQueries: 28,
  grindingBits: 16,
  logFoldingArity: 2,
  logFinalPolyLen: 3,
});

/**
 * The on-chain profile: blowup 64, 14 queries. The wrap circuit's cost is per query (~130-270k
 * constraints each), so halving the queries brings the MIPS wrap circuit under 2^22 (fibonacci,
 * mips-s12: 3.66M vs 5.42M at DEFAULT_OPTIONS) at the same 100 conjectured bits (14 * 6 + 16);
 * proving costs ~8x more per row. Tables are limited to 2^18 rows (maxLogHeight: 2^24 LDE).
 */
export const ONCHAIN_OPTIONS: ProofOptions = Object.freeze({
  logBlowup: 6,
  numQueries: 14,
  grindingBits: 16,
  logFoldingArity: 2,
  logFinalPolyLen: 3,
});

export type ProfileName = "default" | "onchain";

export interface OptionsProfile {
  readonly name: ProfileName;
  readonly options: ProofOptions;
  readonly description: string;
}

/** The allow-list: every option set a verifier accepts (each >= 100 conjectured bits, tested). */
export const PROFILES: readonly OptionsProfile[] = Object.freeze([
  { name: "default", options: DEFAULT_OPTIONS, description: "blowup 8, 28 queries (fast proving)" },
  {
    name: "onchain",
    options: ONCHAIN_OPTIONS,
    description: "blowup 64, 14 queries (Groth16 wrap under 2^22 constraints; tables <= 2^18 rows)",
  },
]);

export const PROFILE_NAMES: readonly string[] = PROFILES.map((p) => p.name);

/** The profile named `name`; a one-line ZkmipsError for any other name. */
export function profileByName(name: string): OptionsProfile {
  const p = PROFILES.find((x) => x.name === name);
  if (!p)
    throw new ZkmipsError(
      `unknown proof profile "${name}"`,
      `profiles: ${PROFILES.map((x) => `${x.name} (${x.description})`).join(", ")}`,
    );
  return p;
}

/** The allow-listed profile whose options equal `o`, or undefined. */
export function profileOfOptions(
  o: ProofOptions,
  allowed: readonly OptionsProfile[] = PROFILES,
): OptionsProfile | undefined {
  return allowed.find((p) => optionsEqual(p.options, o));
}

export const MAX_LOG_HEIGHT = 20;

/** Tallest table (log2) at these options: 2^20, and the LDE must fit the field's 2^24 subgroup. */
export function maxLogHeight(o: ProofOptions): number {
  return Math.min(MAX_LOG_HEIGHT, TWO_ADICITY - o.logBlowup);
}

export function validateOptions(o: ProofOptions): ProofOptions {
  const check = (name: keyof ProofOptions, lo: number, hi: number): void => {
    const v = o[name];
    if (!Number.isInteger(v) || v < lo || v > hi)
      throw new ZkmipsError(`proof options: "${name}" must be an integer in [${lo}, ${hi}], got ${v}`);
  };
  check("logBlowup", 1, 6);
  check("numQueries", 1, 255);
  check("grindingBits", 0, 30);
  check("logFoldingArity", 1, 4);
  check("logFinalPolyLen", 0, 10);
  return Object.freeze({ ...o });
}

export function optionsEqual(a: ProofOptions, b: ProofOptions): boolean {
  return (
    a.logBlowup === b.logBlowup &&
    a.numQueries === b.numQueries &&
    a.grindingBits === b.grindingBits &&
    a.logFoldingArity === b.logFoldingArity &&
    a.logFinalPolyLen === b.logFinalPolyLen
  );
}

export const FIELD_BITS = 124;
export const HASH_BITS = 127;

export interface SecurityReport {
  readonly conjectured: number;
  readonly proven: number;
}

/** Security in bits for proofs whose tallest table has 2^logMaxHeight rows (default: maxLogHeight). */
export function securityBits(o: ProofOptions, logMaxHeight = maxLogHeight(o)): SecurityReport {
  const logD = logMaxHeight + o.logBlowup;
  const query = o.numQueries * o.logBlowup + o.grindingBits;
  const conjectured = Math.min(query, FIELD_BITS - logD, HASH_BITS);
  const rho = 2 ** -o.logBlowup;
  let proven = 0;
  for (let m = 3; m <= 64; m++) {
    const perQuery = -Math.log2(Math.sqrt(rho) * (1 + 1 / (2 * m)));
    const q = o.numQueries * perQuery + o.grindingBits;
    const field = FIELD_BITS - Math.log2((m + 0.5) ** 7 / (3 * rho ** 1.5)) - 2 * logD;
    proven = Math.max(proven, Math.min(q, field, HASH_BITS));
  }
  return { conjectured: Math.floor(conjectured), proven: Math.floor(proven) };
}
