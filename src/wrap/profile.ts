/**
 * Which proof profile (src/stark/options.ts: default, onchain) a MIPS proof is checked at. The
 * verifier never uses options read from a proof: the caller names a profile, or ("auto") the
 * options the proof claims are looked up in the allow-list and the proof is then verified with
 * that profile's options. Used by `zkmips verify`, `zkmips wrap` and `zkmips vkey`.
 */
import { ZkmipsError } from "../errors.ts";
import { decodeProofFile } from "../mips/air/prove.ts";
import { type OptionsProfile, PROFILES, type ProofOptions, profileByName } from "../stark/options.ts";
import { profileOfProof } from "../stark/proof.ts";

/** `--profile` help text: the names and what each is for. */
export const PROFILE_HELP = PROFILES.map((p) => `${p.name} (${p.description})`).join(", ");

/** The profile a MIPS proof file is verified at: `choice` by name, or "auto" (matched, allow-list only). */
export function mipsProofProfile(file: Uint8Array, choice: string = "auto"): OptionsProfile {
  const d = decodeProofFile(file);
  return choice === "auto" ? profileOfProof(d.stark) : profileByName(choice);
}

/** The options part of a wrap shape id (`b6q14g16a2f3`, as `shapeId` writes it). */
export function optionsTag(o: ProofOptions): string {
  return `b${o.logBlowup}q${o.numQueries}g${o.grindingBits}a${o.logFoldingArity}f${o.logFinalPolyLen}`;
}

/** The profile named by the last field of a wrap shape id (proof.groth16.json's shapeId). */
export function profileOfShapeId(shapeId: string): OptionsProfile {
  const tag = shapeId.split(":").pop();
  const p = PROFILES.find((x) => optionsTag(x.options) === tag);
  if (!p)
    throw new ZkmipsError(
      `shape ${shapeId}: its STARK options ${tag} are none of the profiles (${PROFILES.map((x) => `${x.name} = ${optionsTag(x.options)}`).join(", ")})`,
      "pass --vkey instead of --elf",
    );
  return p;
}
