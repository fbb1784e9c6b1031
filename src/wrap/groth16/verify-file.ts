/**
 * Off-chain check of a `proof.groth16.json` against a verification key, exactly as the
 * on-chain path checks it: selector of the key, programVKey below r, public inputs
 * [programVKey, sha256(publicValues) & (2^253 - 1)], then the pairing check (snarkjs, and
 * @noble/curves unless disabled). The backend of `zkmips verify` for Groth16 proofs.
 */
import { R } from "./fr.ts";
import { decodeProofBytes, publicValuesDigest, verifierSelector } from "./proof-bytes.ts";
import type { Groth16ProofFile } from "./proof-file.ts";
import { verifyGroth16, verifyGroth16Noble } from "./prove.ts";
import type { SnarkjsVkey } from "./snarkjs.ts";

export type Groth16FileVerdict =
  | { ok: true; publicSignals: [bigint, bigint] }
  | {
      ok: false;
      failed: "selector" | "programVKey" | "nPublic" | "pairing" | "noble-pairing";
      detail: string;
    };

/**
 * @example const v = await verifyGroth16ProofFile(readGroth16ProofFile("p.json"), vkey); if (!v.ok) console.log(v.failed)
 */
export async function verifyGroth16ProofFile(
  file: Groth16ProofFile,
  vkey: SnarkjsVkey,
  opts: { noble?: boolean } = {},
): Promise<Groth16FileVerdict> {
  const expected = verifierSelector(vkey);
  const { selector, proof } = decodeProofBytes(file.proofBytes);
  if (selector !== expected || file.selector.toLowerCase() !== expected) {
    return { ok: false, failed: "selector", detail: `proof selector ${selector}, key selector ${expected}` };
  }
  if (vkey.nPublic !== 2)
    return { ok: false, failed: "nPublic", detail: `key has ${vkey.nPublic} public inputs, not 2` };
  const programVKey = BigInt(file.programVKey);
  if (programVKey >= R)
    return { ok: false, failed: "programVKey", detail: "programVKey is not below the scalar field" };
  const publicValues = Buffer.from(file.publicValues.slice(2), "hex");
  const pub: [bigint, bigint] = [programVKey, publicValuesDigest(publicValues)];
  if (!(await verifyGroth16(vkey, pub, proof))) {
    return { ok: false, failed: "pairing", detail: "snarkjs rejected the Groth16 proof" };
  }
  if (opts.noble !== false && !verifyGroth16Noble(vkey, pub, proof)) {
    return { ok: false, failed: "noble-pairing", detail: "@noble/curves rejected the Groth16 proof" };
  }
  return { ok: true, publicSignals: pub };
}
