/**
 * Getting ready for real mode before any chain is touched: the preflight on a sample input of the
 * demo's shape (sample-input.ts; refuses with one line when real mode cannot work), then the
 * Groth16 key of the resulting wrap shape from the `.zkmips/` cache, made by the dev setup on first
 * use (NOT for production; minutes to tens of minutes, progress through `onSetupProgress`). The
 * key's generated Solidity verifier is what `deployDestination` compiles and routes.
 * The dev setup runs in a child process (`zkmips setup --dev`, same cache): at the bridge's ~3.9M
 * constraints it leaves ~13 GB behind in the process that ran it, and the STARK proof that follows
 * in this process peaks at ~18-20 GB of a 24 GB machine.
 */
import path from "node:path";
import type { Groth16KeyRef } from "./deploy.ts";
import { storageProofElf } from "./guest.ts";
import type { PreflightLimits, PreflightReport } from "./preflight.ts";
import { sampleGuestInput, type SampleMessage } from "./sample-input.ts";
import { runZkmipsChild } from "./zkmips-child.ts";

export interface RealModeSetup {
  preflight: PreflightReport;
  key: Groth16KeyRef;
  /** Dev setup time; 0 when the key came from the cache. */
  setupSeconds: number;
  keyReused: boolean;
}

export interface PrepareOptions {
  messages: SampleMessage[];
  destChainId: bigint;
  cacheRoot?: string;
  limits?: Partial<PreflightLimits>;
  log?: (line: string) => void;
  onSetupProgress?: (stage: string, done: number, total: number) => void;
}

export async function prepareRealMode(o: PrepareOptions): Promise<RealModeSetup> {
  const log = o.log ?? (() => {});
  const { realModePreflight } = await import("./preflight.ts");
  log(`preflight: building a sample input (${o.messages.length} messages) on an in-process chain`);
  const input = await sampleGuestInput(o.messages, o.destChainId);
  const preflight = await realModePreflight(storageProofElf(), input, {
    what: "the storage-proof guest",
    limits: o.limits,
    cacheRoot: o.cacheRoot,
    log,
  });
  log(
    `preflight passed: ${preflight.cycles.toLocaleString("en-US")} cycles, wrap circuit ${preflight.constraints.toLocaleString("en-US")} constraints (${preflight.shapeId})`,
  );
  const { buildWrapCircuit, setupWrap } = await import("../wrap/wrap.ts");
  const { DEV_WARNING } = await import("../wrap/groth16/dev-setup.ts");
  log(DEV_WARNING);
  const { DEFAULT_CACHE_ROOT } = await import("../wrap/groth16/cache.ts");
  const circuit = buildWrapCircuit(preflight.shape, {
    cacheRoot: o.cacheRoot,
    maxConstraints: preflight.limits.maxConstraints,
  });
  const childSeconds = await devSetupInChild(
    path.resolve(circuit.r1cs),
    path.resolve(o.cacheRoot ?? DEFAULT_CACHE_ROOT),
    log,
  );
  const { key } = await setupWrap(preflight.shape, {
    mode: "dev",
    cacheRoot: o.cacheRoot,
    maxConstraints: preflight.limits.maxConstraints,
    log,
    onProgress: o.onSetupProgress,
  });
  return {
    preflight,
    key: {
      verifierSol: key.paths.verifier,
      contractName: key.meta.contractName,
      selector: key.meta.selector,
      shapeId: preflight.shapeId,
      keyDir: key.paths.dir,
      setup: key.meta.setupId,
    },
    setupSeconds: childSeconds ?? (key.reused ? 0 : key.meta.setupSeconds),
    keyReused: childSeconds === undefined && key.reused,
  };
}

/**
 * `zkmips setup --dev --r1cs <r1cs> --cache <cacheRoot>` in a child process (its progress on this
 * process's stderr). Returns the setup's seconds, or undefined when the key was already cached.
 */
async function devSetupInChild(
  r1cs: string,
  cacheRoot: string,
  log: (line: string) => void,
): Promise<number | undefined> {
  const out = await runZkmipsChild(
    ["setup", "--dev", "--r1cs", r1cs, "--cache", cacheRoot],
    "the dev Groth16 setup (~13 GB at 2^22)",
  );
  for (const line of out.trim().split("\n")) log(`setup: ${line.trim()}`);
  if (/^cached /.test(out)) return undefined;
  const m = /setup time\s+([\d.]+) s/.exec(out);
  return m ? Number(m[1]) : undefined;
}
