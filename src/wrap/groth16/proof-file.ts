/**
 * `proof.groth16.json`: what `zkmips wrap` writes and `zkmips verify` / the relayer read.
 * `{version: 1, shapeId, selector, programVKey, publicValues, proofBytes}`, all byte strings
 * as 0x-prefixed lowercase-or-uppercase hex; `proofBytes` as defined in proof-bytes.ts.
 */
import fs from "node:fs";
import { z } from "zod";
import { ZkmipsError } from "../../errors.ts";
import { PROOF_BYTES_LENGTH, decodeProofBytes } from "./proof-bytes.ts";

const hex = (what: string, bytes?: number) =>
  z
    .string()
    .regex(bytes === undefined ? /^0x([0-9a-fA-F]{2})*$/ : new RegExp(`^0x[0-9a-fA-F]{${2 * bytes}}$`), {
      message: `${what} must be 0x-prefixed hex${bytes === undefined ? "" : ` of ${bytes} bytes`}`,
    });

export const Groth16ProofFileSchema = z
  .object({
    version: z.literal(1),
    shapeId: z.string().min(1),
    selector: hex("selector", 4),
    programVKey: hex("programVKey", 32),
    publicValues: hex("publicValues"),
    proofBytes: hex("proofBytes", PROOF_BYTES_LENGTH),
  })
  .strict()
  .refine((f) => f.proofBytes.slice(0, 10).toLowerCase() === f.selector.toLowerCase(), {
    message: "proofBytes must start with selector",
    path: ["proofBytes"],
  });

export type Groth16ProofFile = z.infer<typeof Groth16ProofFileSchema>;

/** Validates (schema + strict proofBytes decoding) and returns the parsed file. */
export function parseGroth16ProofFile(json: unknown, where = "proof.groth16.json"): Groth16ProofFile {
  const r = Groth16ProofFileSchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new ZkmipsError(`${where}: ${i.path.join(".") || "(root)"}: ${i.message}`);
  }
  decodeProofBytes(r.data.proofBytes);
  return r.data;
}

export function readGroth16ProofFile(path: string): Groth16ProofFile {
  let text: string;
  try {
    text = fs.readFileSync(path, "utf8");
  } catch (e) {
    throw new ZkmipsError(`cannot read ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ZkmipsError(`${path} is not JSON`, "pass the file written by `zkmips wrap`");
  }
  return parseGroth16ProofFile(json, path);
}

export function writeGroth16ProofFile(path: string, file: Groth16ProofFile): void {
  const checked = parseGroth16ProofFile(file, path);
  fs.writeFileSync(path, JSON.stringify(checked, null, 2) + "\n");
}
