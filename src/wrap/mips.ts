/**
 * The MIPS machine's wrap shape from a `zkmips prove` proof file: the AIR for the proof's
 * Program-table height (its constraints do not depend on the program, as in verifyMips), the
 * table heights read from the STARK proof, DEFAULT_OPTIONS and `mipsLayout`.
 *
 * Shapes: `zkmips prove` pads to a default shape (src/wrap/shapes.ts); the shape is recognised
 * from the proof's heights and named in the shape id. With `requireShape` (what `zkmips wrap` does
 * unless --natural-heights) a proof at heights that are no default shape is refused with the list
 * of shapes and why it is none of them; otherwise its own heights make its own circuit, key and
 * verifier contract. Prove with `padTo: shapeChooser().padTo` (src/wrap/shapes.ts) to get a shape.
 * With `requireShape` the proof must also be at the shape's profile (mips-s12/s16/s18: ONCHAIN_OPTIONS).
 * See docs/wrap.md.
 */
import { ZkmipsError } from "../errors.ts";
import { buildMachine } from "../mips/air/machine.ts";
import { decodeProofFile, verifyMips } from "../mips/air/prove.ts";
import type { ProgramImage } from "../mips/air/tables.ts";
import {
  DEFAULT_OPTIONS,
  type ProofOptions,
  optionsEqual,
  profileByName,
  profileOfOptions,
} from "../stark/options.ts";
import { decodeProof } from "../stark/proof.ts";
import { mipsLayout, type StatementWitness } from "./statement.ts";
import type { WrapShape } from "./wrap.ts";
import { DEFAULT_SHAPES, explainNoShape, shapeOfHeights } from "./shapes.ts";

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
  config: { requireShape?: boolean } = {},
): Promise<MipsWrapInput> {
  const st = await verifyMips(file, { vkey }, options);
  if (st.exitCode !== 0)
    throw new ZkmipsError(
      `the guest exited with code ${st.exitCode}; only exit code 0 can be wrapped (the circuit constrains it)`,
    );
  const d = decodeProofFile(file);
  const placeholder: ProgramImage = { entry: 0, words: new Map(), code: [], brkStart: 0 };
  const air = buildMachine(placeholder, 1 << d.programLogHeight, d).air;
  const { proof } = decodeProof(air, options, d.stark);
  const heights = Object.fromEntries(air.tables.map((t, i) => [t.name, proof.logHeights[i]]));
  const named = shapeOfHeights(heights);
  if (!named && config.requireShape)
    throw new ZkmipsError(
      `the proof's table heights are none of the default shapes (${DEFAULT_SHAPES.map((s) => s.id).join(", ")}): ${explainNoShape(heights)}`,
      "prove with `zkmips prove` (it pads to the smallest shape that fits) or --shape ID; or wrap at its own heights with --natural-heights (its own circuit and key)",
    );
  if (named && config.requireShape && !optionsEqual(profileByName(named.profile).options, options))
    throw new ZkmipsError(
      `shape ${named.id} is wrapped at the ${named.profile} proof profile, this proof is at ${profileOfOptions(options)?.name ?? "other"} options`,
      `prove with \`zkmips prove --profile ${named.profile}\``,
    );
  return {
    shape: { name: named?.id, air, options, logHeights: proof.logHeights, layout: mipsLayout },
    witness: { vkey, publicValues: d.publicValues, proof },
    exitCode: st.exitCode,
  };
}
