/**
 * Artifact cache in the git-ignored `.zkmips/` directory, keyed by content hash:
 *
 *   .zkmips/groth16/<circuitId>/<setupId>/
 *     circuit.zkey      proving key (snarkjs format)
 *     vkey.json         verification key (snarkjs format)
 *     Verifier.sol      generated Solidity verifier (contract Groth16Verifier_<selector>)
 *     meta.json         KeyMeta below
 *
 * circuitId = first 16 hex digits of sha256(.r1cs bytes). setupId = "dev" for `setup --dev`,
 * or "ptau-<first 16 hex of sha256(.ptau)>" (+ "-c" when a phase-2 contribution was made) for
 * the ceremony path. The selector (proof-bytes.ts) identifies the verifying key itself.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { ZkmipsError } from "../../errors.ts";

export const DEFAULT_CACHE_ROOT = ".zkmips";

export const KeyMetaSchema = z.object({
  version: z.literal(1),
  circuitId: z.string(),
  setupId: z.string(),
  mode: z.enum(["dev", "ceremony"]),
  r1csSha256: z.string(),
  zkeySha256: z.string(),
  selector: z.string(),
  contractName: z.string(),
  nConstraints: z.number(),
  nPublic: z.number(),
  domainSize: z.number(),
  createdAt: z.string(),
  setupSeconds: z.number(),
});
export type KeyMeta = z.infer<typeof KeyMetaSchema>;

export interface KeyPaths {
  dir: string;
  zkey: string;
  vkey: string;
  verifier: string;
  meta: string;
}

export function sha256File(file: string): string {
  const h = createHash("sha256");
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.alloc(1 << 22);
    let n: number;
    while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) h.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return h.digest("hex");
}

export function keyPaths(circuitId: string, setupId: string, root = DEFAULT_CACHE_ROOT): KeyPaths {
  const dir = path.join(root, "groth16", circuitId, setupId);
  return {
    dir,
    zkey: path.join(dir, "circuit.zkey"),
    vkey: path.join(dir, "vkey.json"),
    verifier: path.join(dir, "Verifier.sol"),
    meta: path.join(dir, "meta.json"),
  };
}

/** The cached key's metadata when every artifact is present and the zkey hash matches. */
export function readCachedKey(paths: KeyPaths): KeyMeta | undefined {
  if (![paths.zkey, paths.vkey, paths.verifier, paths.meta].every((p) => fs.existsSync(p))) return undefined;
  let meta: KeyMeta;
  try {
    meta = KeyMetaSchema.parse(JSON.parse(fs.readFileSync(paths.meta, "utf8")));
  } catch {
    throw new ZkmipsError(`${paths.meta} is corrupt`, `delete ${paths.dir} and run setup again`);
  }
  if (sha256File(paths.zkey) !== meta.zkeySha256) {
    throw new ZkmipsError(
      `${paths.zkey} does not match its recorded hash`,
      `delete ${paths.dir} and run setup again`,
    );
  }
  return meta;
}
