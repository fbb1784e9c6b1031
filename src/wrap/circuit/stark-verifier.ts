/**
 * The whole emitted STARK verifier (OOD check, query phase, DEEP/FRI) behind one entry point,
 * and the two files Groth16 needs: `.r1cs` from the shape alone, `.wtns` from proof bytes.
 * Public inputs (in order): vkey, then the STARK public inputs (each range-checked < p).
 * The MIPS statement (public-values digest, exitCode = 0) is not wired here yet.
 *
 * @example
 * writeStarkVerifierR1cs(air, options, [16], "v.r1cs");
 * writeStarkVerifierWtns(air, options, vkey, publicInputs, proofBytes, "v.wtns");
 */
import type { AirDefinition } from "../../stark/air.ts";
import type { ProofOptions } from "../../stark/options.ts";
import { decodeProof, type StarkProof } from "../../stark/proof.ts";
import { Builder, type Lc } from "../r1cs/builder.ts";
import { writeR1cs, writeWtns } from "../r1cs/files.ts";
import { type Kb, KoalaBear } from "../r1cs/gadgets/koalabear.ts";
import { emitFriChecks } from "./fri.ts";
import { emitOodCheck } from "./ood-check.ts";
import { emitQueryPhase } from "./queries.ts";

export interface StarkWitnessInputs {
  readonly vkey: bigint;
  readonly publicInputs: readonly number[];
  readonly proof: StarkProof;
}

/** Emits the verifier for `logHeights` into `b`; `w` gives the values (prove/both modes). */
export function emitStarkVerifier(
  b: Builder,
  air: AirDefinition,
  o: ProofOptions,
  logHeights: readonly number[],
  w?: StarkWitnessInputs,
): void {
  if (b.computesValues && !w) throw new Error("emitStarkVerifier: values needed in this mode");
  if (w && w.proof.logHeights.some((h, i) => h !== logHeights[i]))
    throw new Error("emitStarkVerifier: the proof's heights differ from the circuit's");
  const vk = b.publicInput(w?.vkey);
  const pubWires = Array.from({ length: air.numPublicInputs }, (_, i) =>
    b.publicInput(w ? BigInt(w.publicInputs[i]) : undefined),
  );
  const f = new KoalaBear(b);
  const pubs = pubWires.map((x) => f.canonical(x));
  emitStarkVerifierWith(b, air, o, logHeights, vk, pubs, w?.proof);
}

/**
 * The verifier with caller-made statement wires: `vk` and `pubs` (canonical KoalaBear values,
 * e.g. private wires the caller constrains; src/wrap/statement.ts) instead of public inputs.
 */
export function emitStarkVerifierWith(
  b: Builder,
  air: AirDefinition,
  o: ProofOptions,
  logHeights: readonly number[],
  vk: Lc,
  pubs: readonly Kb[],
  proof?: StarkProof,
): void {
  if (b.computesValues && !proof) throw new Error("emitStarkVerifierWith: proof needed in this mode");
  if (pubs.length !== air.numPublicInputs) throw new Error("emitStarkVerifierWith: wrong public input count");
  if (proof && proof.logHeights.some((h, i) => h !== logHeights[i]))
    throw new Error("emitStarkVerifierWith: the proof's heights differ from the circuit's");
  const inp = { logHeights, proof };
  const ood = emitOodCheck(b, air, o, vk, pubs, inp);
  const qp = emitQueryPhase(b, air, o, vk, ood, inp);
  emitFriChecks(b, air, o, ood, qp, logHeights);
}

/** Writes the verifier's `.r1cs` (no proof needed); returns the row count. */
export function writeStarkVerifierR1cs(
  air: AirDefinition,
  o: ProofOptions,
  logHeights: readonly number[],
  path: string,
): number {
  const b = new Builder({ mode: "compile" });
  emitStarkVerifier(b, air, o, logHeights);
  writeR1cs(b, path);
  return b.nConstraints;
}

/** Decodes `proofBytes` and writes the witness `.wtns` for the circuit of its heights. */
export function writeStarkVerifierWtns(
  air: AirDefinition,
  o: ProofOptions,
  vkey: bigint,
  publicInputs: readonly number[],
  proofBytes: Uint8Array,
  path: string,
): { logHeights: number[]; wires: number } {
  const { proof } = decodeProof(air, o, proofBytes);
  const b = new Builder({ mode: "prove" });
  emitStarkVerifier(b, air, o, proof.logHeights, { vkey, publicInputs, proof });
  writeWtns(b.witness(), path);
  return { logHeights: proof.logHeights, wires: b.nWires };
}
