/**
 * What the transcript absorbs before the first commitment: domain tag, proof options, AIR
 * identity (name, version, table count), table heights, programVKey and all public inputs.
 * Prover and verifier call the same function, so they cannot drift apart.
 */
import { Transcript, tagElement } from "../hash/transcript.ts";
import type { AirDefinition } from "./air.ts";
import type { ProofOptions } from "./options.ts";

export const DOMAIN_TAG = "zkmips-stark-v1";

export function absorbStatement(
  tr: Transcript,
  air: AirDefinition,
  o: ProofOptions,
  logHeights: readonly number[],
  vkey: bigint,
  publicInputs: readonly number[],
): void {
  tr.absorbElement(tagElement(DOMAIN_TAG));
  tr.absorbValues([o.logBlowup, o.numQueries, o.grindingBits, o.logFoldingArity, o.logFinalPolyLen]);
  tr.absorbElement(tagElement(air.name));
  tr.absorbValues([air.version, air.tables.length, ...logHeights]);
  tr.absorbElement(vkey);
  tr.absorbValues([publicInputs.length, ...publicInputs]);
}
