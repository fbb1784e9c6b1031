/**
 * The MIPS machine's wrap shape from a `zkmips prove` proof file: the AIR for the proof's
 * Program-table height (its constraints do not depend on the program, as in verifyMips), the
 * table heights read from the STARK proof, DEFAULT_OPTIONS and `mipsLayout`.
 *
 * Shapes: the MIPS prover has no fixed-shape padding yet, so a MIPS shape is the tuple of the
 * proof's actual log2 table heights (the shape id lists them); each distinct tuple needs its
 * own circuit, key and verifier contract. See docs/wrap.md.
 */
import { ZkmipsError } from "../errors.ts";
import { buildMachine } from "../mips/air/machine.ts";
import { decodeProofFile, verifyMips } from "../mips/air/prove.ts";
import type { ProgramImage } from "../mips/air/tables.ts";
import { DEFAULT_OPTIONS, type ProofOptions } from "../stark/options.ts";
import { decodeProof } from "../stark/proof.ts";
import { mipsLayout, type StatementWitness } from "./statement.ts";
import type { WrapShape } from "./wrap.ts";

export interface MipsWrapInput {
  shape: WrapShape;
  witness: StatementWitness;
  exitCode: number;
}

/**
 * Checks the proof with the TS verifier against `vkey` (clear error first, before minutes of
 * circuit work), refuses a non-zero exit code, and returns the shape and the witness inputs.
 */
export async function mipsWrapInput(
  file: Uint8Array,
  vkey: bigint,
  options: ProofOptions = DEFAULT_OPTIONS,
): Promise<MipsWrapInput> {
  const st = await verifyMips(file, { vkey }, options);
  if (st.exitCode !== 0)
    throw new ZkmipsError(
      `the guest exited with code ${st.exitCode}; only exit code 0 can be wrapped (the circuit constrains it)`,
    );
  const d = decodeProofFile(file);
  const placeholder: ProgramImage = { entry: 0, words: new Map(), code: [], brkStart: 0 };
  const air = buildMachine(placeholder, 1 << d.programLogHeight).air;
  const { proof } = decodeProof(air, options, d.stark);
  return {
    shape: { air, options, logHeights: proof.logHeights, layout: mipsLayout },
    witness: { vkey, publicValues: d.publicValues, proof },
    exitCode: st.exitCode,
  };
}
