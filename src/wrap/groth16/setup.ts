/**
 * Groth16 key setup for one circuit, with the artifact cache (cache.ts):
 * - `mode: "dev"`: the fast single-party setup of dev-setup.ts (NOT for production);
 * - `mode: "ceremony"`: snarkjs's `zkey new` from a prepared phase-2 powers-of-tau file, plus
 *   an optional phase-2 contribution (no beacon), for keys whose toxic waste nobody holds as
 *   long as one ptau contributor and one phase-2 contributor were honest.
 * Both write `circuit.zkey`, `vkey.json`, `Verifier.sol` and `meta.json` atomically (temp
 * names, renamed at the end), and reuse a complete cached key unless `force` is set.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { ZkmipsError } from "../../errors.ts";
import { keyPaths, readCachedKey, sha256File, type KeyMeta, type KeyPaths } from "./cache.ts";
import { devSetup, domainPower, type DevSetupOptions } from "./dev-setup.ts";
import { verifierSelector } from "./proof-bytes.ts";
import { R1csFile } from "./r1cs-file.ts";
import { loadSnarkjs, type Logger, type SnarkjsVkey } from "./snarkjs.ts";
import { generateSolidityVerifier } from "./solidity.ts";

export interface SetupOptions {
  r1cs: string;
  mode: "dev" | "ceremony";
  /** Prepared phase-2 ptau file (ceremony mode). */
  ptau?: string;
  /** Add a phase-2 contribution (ceremony mode). */
  contribute?: boolean;
  /** Contribution entropy; default 64 random bytes from the OS CSPRNG. */
  entropy?: string;
  contributionName?: string;
  force?: boolean;
  cacheRoot?: string;
  threads?: number;
  onProgress?: DevSetupOptions["onProgress"];
  log?: (line: string) => void;
}

export interface SetupResult {
  paths: KeyPaths;
  meta: KeyMeta;
  vkey: SnarkjsVkey;
  reused: boolean;
}

function collectingLogger(errors: string[]): Logger {
  const noop = (): void => {};
  return { debug: noop, info: noop, warn: noop, error: (m: string) => void errors.push(m) };
}

/**
 * @example const { paths, meta } = await setupGroth16({ r1cs: "c.r1cs", mode: "dev" })
 */
export async function setupGroth16(opts: SetupOptions): Promise<SetupResult> {
  const log = opts.log ?? (() => {});
  if (!fs.existsSync(opts.r1cs))
    throw new ZkmipsError(`circuit ${opts.r1cs} not found`, "pass an existing .r1cs file");
  const r1csSha256 = sha256File(opts.r1cs);
  const circuitId = r1csSha256.slice(0, 16);
  let setupId = "dev";
  if (opts.mode === "ceremony") {
    if (!opts.ptau) throw new ZkmipsError("ceremony setup needs --ptau FILE");
    if (!fs.existsSync(opts.ptau)) throw new ZkmipsError(`powers-of-tau file ${opts.ptau} not found`);
    setupId = `ptau-${sha256File(opts.ptau).slice(0, 16)}${opts.contribute ? "-c" : ""}`;
  }
  const paths = keyPaths(circuitId, setupId, opts.cacheRoot);
  if (!opts.force) {
    const meta = readCachedKey(paths);
    if (meta) {
      log(`reusing cached key ${paths.dir}`);
      const vkey = JSON.parse(fs.readFileSync(paths.vkey, "utf8")) as SnarkjsVkey;
      return { paths, meta, vkey, reused: true };
    }
  }
  fs.mkdirSync(paths.dir, { recursive: true });
  const tmpZkey = `${paths.zkey}.tmp`;
  const header = R1csFile.read(opts.r1cs).header;
  const t0 = performance.now();

  if (opts.mode === "dev") {
    await devSetup(opts.r1cs, tmpZkey, { threads: opts.threads, onProgress: opts.onProgress });
  } else {
    const sj = await loadSnarkjs();
    const errors: string[] = [];
    const fresh = opts.contribute ? `${paths.zkey}.0.tmp` : tmpZkey;
    log("snarkjs zkey new (reads the Lagrange section of the ptau)");
    const res = await sj.zKey.newZKey(opts.r1cs, opts.ptau!, fresh, collectingLogger(errors));
    if (res === -1 || errors.length > 0) {
      const need = domainPower(header.nConstraints, header.nPublic) + 1;
      throw new ZkmipsError(
        `snarkjs rejected ${opts.ptau}: ${errors.join("; ") || "unknown error"}`,
        `use a phase-2-prepared ptau of power >= ${need - 1} (snarkjs powersoftau prepare phase2)`,
      );
    }
    if (opts.contribute) {
      const entropy = opts.entropy ?? randomBytes(64).toString("hex");
      log("phase-2 contribution");
      await sj.zKey.contribute(fresh, tmpZkey, opts.contributionName ?? "zkmips", entropy);
      fs.rmSync(fresh);
    }
  }
  const setupSeconds = (performance.now() - t0) / 1000;

  const sj = await loadSnarkjs();
  const vkey = await sj.zKey.exportVerificationKey(tmpZkey);
  const selector = verifierSelector(vkey);
  const contractName = `Groth16Verifier_${selector.slice(2)}`;
  const sol = await generateSolidityVerifier(tmpZkey, contractName);

  const meta: KeyMeta = {
    version: 1,
    circuitId,
    setupId,
    mode: opts.mode,
    r1csSha256,
    zkeySha256: sha256File(tmpZkey),
    selector,
    contractName,
    nConstraints: header.nConstraints,
    nPublic: header.nPublic,
    domainSize: 2 ** domainPower(header.nConstraints, header.nPublic),
    createdAt: new Date().toISOString(),
    setupSeconds,
  };
  fs.writeFileSync(paths.vkey, JSON.stringify(vkey, null, 1) + "\n");
  fs.writeFileSync(paths.verifier, sol);
  fs.renameSync(tmpZkey, paths.zkey);
  fs.writeFileSync(paths.meta, JSON.stringify(meta, null, 2) + "\n");
  return { paths, meta, vkey, reused: false };
}
