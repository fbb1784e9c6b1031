/**
 * Off-chain check of a `proof.groth16.json` for `zkmips verify`: finds the verifying key of its
 * selector in the artifact cache (or takes a vkey.json), optionally checks programVKey against
 * the expected one, then runs verifyGroth16ProofFile (selector, field range, both pairings).
 */
import fs from "node:fs";
import path from "node:path";
import { ZkmipsError } from "../errors.ts";
import { DEFAULT_CACHE_ROOT } from "./groth16/cache.ts";
import { readGroth16ProofFile, type Groth16ProofFile } from "./groth16/proof-file.ts";
import type { SnarkjsVkey } from "./groth16/snarkjs.ts";
import { verifyGroth16ProofFile } from "./groth16/verify-file.ts";

/** True when the file looks like JSON (a proof.groth16.json) rather than a binary STARK proof. */
export function isGroth16ProofFile(bytes: Uint8Array): boolean {
  const i = bytes.findIndex((x) => x !== 0x20 && x !== 0x0a && x !== 0x0d && x !== 0x09);
  return i >= 0 && bytes[i] === 0x7b; // "{"
}

/** The cached verifying key whose selector is `selector` (.zkmips/groth16/<circuit>/<setup>/). */
export function findVkeyBySelector(selector: string, cacheRoot = DEFAULT_CACHE_ROOT): string | undefined {
  const root = path.join(cacheRoot, "groth16");
  if (!fs.existsSync(root)) return undefined;
  for (const c of fs.readdirSync(root)) {
    const cdir = path.join(root, c);
    if (!fs.statSync(cdir).isDirectory()) continue;
    for (const s of fs.readdirSync(cdir)) {
      const meta = path.join(cdir, s, "meta.json");
      if (!fs.existsSync(meta)) continue;
      try {
        const m = JSON.parse(fs.readFileSync(meta, "utf8")) as { selector?: string };
        if (m.selector?.toLowerCase() === selector.toLowerCase()) return path.join(cdir, s, "vkey.json");
      } catch {
        continue;
      }
    }
  }
  return undefined;
}

export async function verifyWrappedFile(
  proofPath: string,
  opts: { vkey?: bigint; groth16Vkey?: string; cacheRoot?: string } = {},
): Promise<Groth16ProofFile> {
  const file = readGroth16ProofFile(proofPath);
  const vkPath = opts.groth16Vkey ?? findVkeyBySelector(file.selector, opts.cacheRoot);
  if (!vkPath || !fs.existsSync(vkPath))
    throw new ZkmipsError(
      `no Groth16 verifying key for selector ${file.selector} in ${opts.cacheRoot ?? DEFAULT_CACHE_ROOT}`,
      "pass --groth16-vkey vkey.json (from the setup that made the key)",
    );
  if (opts.vkey !== undefined && BigInt(file.programVKey) !== opts.vkey)
    throw new ZkmipsError(
      `Groth16 proof rejected (programVKey): the proof is for program ${file.programVKey}`,
    );
  let vk: SnarkjsVkey;
  try {
    vk = JSON.parse(fs.readFileSync(vkPath, "utf8")) as SnarkjsVkey;
  } catch (e) {
    throw new ZkmipsError(`cannot read verifying key ${vkPath}: ${(e as Error).message}`);
  }
  const v = await verifyGroth16ProofFile(file, vk);
  if (!v.ok) throw new ZkmipsError(`Groth16 proof rejected (${v.failed}): ${v.detail}`);
  return file;
}
