/**
 * Getting ready for real mode before any chain is touched: the preflight on a sample input of the
 * demo's shape (sample-input.ts; refuses with one line when real mode cannot work), then the
 * Groth16 key of the resulting wrap shape from the `.zkmips/` cache, made by the dev setup on first
 * use (NOT for production; minutes to tens of minutes, progress through `onSetupProgress`). The
 * key's generated Solidity verifier is what `deployDestination` compiles and routes.
 */
import type { Groth16KeyRef } from "./deploy.ts";
import { storageProofElf } from "./guest.ts";
import type { PreflightLimits, PreflightReport } from "./preflight.ts";
import { sampleGuestInput, type SampleMessage } from "./sample-input.ts";

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
  const { setupWrap } = await import("../wrap/wrap.ts");
  const { DEV_WARNING } = await import("../wrap/groth16/dev-setup.ts");
  log(DEV_WARNING);
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
    setupSeconds: key.reused ? 0 : key.meta.setupSeconds,
    keyReused: key.reused,
  };
}
