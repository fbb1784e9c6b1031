/**
 * How the relayer turns a guest input into `(publicValues, proofBytes)` for StateInbox.submit.
 * - mock: runs the storage-proof guest in the executor and submits its real fd-3 bytes with an
 *   empty proof (only MipsMockVerifier accepts it; nothing is proven).
 * - groth16 (real mode): preflight (src/bridge/preflight.ts: refuses with one line when the guest
 *   cannot be proven and wrapped; fixes the default shape and its proof profile) → MIPS STARK
 *   padded to that shape at the profile's options (`proveElf`) → Groth16 wrap
 *   (`mipsWrapInput`, `setupWrap` with the dev key from the `.zkmips/` cache, created on first use:
 *   NOT for production, `proveWrap`) → 260-byte proofBytes for MipsVerifierGateway.
 * The STARK proof is handed to a checkpoint (the relayer's SQLite store) before the wrap starts,
 * and a checkpointed STARK of the same input is reused, so a crash after a long STARK proof never
 * proves it again. `stagedProver` takes the three stages as functions so tests can inject fast
 * test doubles; `groth16Prover` wires in the real ones.
 */
import { ZkmipsError } from "../errors.ts";
import type { ProofOptions } from "../stark/options.ts";
import { runStorageGuest, storageProofElf } from "./guest.ts";
import type { ProofDetails } from "./store.ts";

export interface ProvedUpdate extends Omit<ProofDetails, "mode"> {
  publicValues: Uint8Array;
  proofBytes: Uint8Array;
  cycles: number;
  executeSeconds: number;
}

/** A STARK proof kept by the relayer's store between runs. */
export interface StoredStark {
  file: Uint8Array;
  publicValues: Uint8Array;
  cycles: number;
  proveMs: number;
}

/** Where a prover saves its STARK proof before wrapping it (and finds one saved earlier). */
export interface StarkCheckpoint {
  load(): StoredStark | undefined;
  save(s: StoredStark): void;
}

export interface ProveContext {
  checkpoint?: StarkCheckpoint;
  log?: (e: { event: string } & Record<string, unknown>) => void;
}

export interface UpdateProver {
  readonly mode: "mock" | "groth16";
  prove(input: Uint8Array, ctx?: ProveContext): Promise<ProvedUpdate>;
}

export function mockProver(): UpdateProver {
  return {
    mode: "mock",
    async prove(input) {
      const run = runStorageGuest(input);
      return {
        publicValues: run.publicValues,
        proofBytes: new Uint8Array(0),
        cycles: run.cycles,
        executeSeconds: run.seconds,
        proveSeconds: 0,
        wrapSeconds: 0,
      };
    },
  };
}

/** What the preflight fixed for the proof: its default shape and the STARK options of its profile. */
export interface PreflightResult {
  cycles: number;
  executeSeconds: number;
  shapeId: string;
  /** Default shape name (src/wrap/shapes.ts) the proof is padded to; absent for test doubles. */
  shapeName?: string;
  options?: ProofOptions;
}

/** The three stages of real proving (real ones in `realStages`; tests inject doubles). */
export interface ProverStages {
  /** Refuses (ZkmipsError) when `input` cannot be proven and wrapped; runs before anything else. */
  preflight(input: Uint8Array): Promise<PreflightResult>;
  stark(input: Uint8Array, pre: PreflightResult): Promise<StoredStark>;
  wrap(
    stark: StoredStark,
    pre: PreflightResult,
  ): Promise<{
    proofBytes: Uint8Array;
    setupSeconds: number;
    wrapSeconds: number;
    shapeId: string;
    selector: string;
  }>;
}

/** Preflight → STARK (checkpointed) → wrap, with the given stages. */
export function stagedProver(stages: ProverStages): UpdateProver {
  return {
    mode: "groth16",
    async prove(input, ctx = {}) {
      const log = ctx.log ?? (() => {});
      const pre = await stages.preflight(input);
      log({ event: "preflight_ok", cycles: pre.cycles, shapeId: pre.shapeId });
      let stark = ctx.checkpoint?.load();
      const starkReused = stark !== undefined;
      if (stark === undefined) {
        log({ event: "stark_proving", cycles: pre.cycles });
        stark = await stages.stark(input, pre);
        ctx.checkpoint?.save(stark);
        log({ event: "stark_proved", cycles: stark.cycles, ms: stark.proveMs });
      } else {
        log({ event: "stark_reused", cycles: stark.cycles, ms: stark.proveMs });
      }
      const w = await stages.wrap(stark, pre);
      log({ event: "wrapped", shapeId: w.shapeId, selector: w.selector, setupSeconds: w.setupSeconds });
      return {
        publicValues: stark.publicValues,
        proofBytes: w.proofBytes,
        cycles: stark.cycles,
        executeSeconds: pre.executeSeconds,
        proveSeconds: starkReused ? 0 : stark.proveMs / 1000,
        wrapSeconds: w.wrapSeconds,
        setupSeconds: w.setupSeconds,
        shapeId: w.shapeId,
        selector: w.selector,
        starkReused,
      };
    },
  };
}

export interface RealProverOptions {
  /** Artifact cache root (wrap circuits and Groth16 keys); default `.zkmips`. */
  cacheRoot?: string;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
  /** Dev-setup progress (the CLI draws a bar on stderr). */
  onSetupProgress?: (stage: string, done: number, total: number) => void;
  /** The storage-proof guest by default. */
  elf?: Uint8Array;
  /** Preflight limit overrides (e.g. a lower wrap-circuit cap). */
  limits?: Partial<import("./preflight.ts").PreflightLimits>;
}

/** The real stages: preflight, `proveElf` at the shape and profile it fixed, dev-key Groth16 wrap. */
export function realStages(o: RealProverOptions = {}): ProverStages {
  const elf = o.elf ?? storageProofElf();
  const log = o.log ?? (() => {});
  const vkeys = new Map<string, bigint>();
  const vkeyOf = async (options: ProofOptions): Promise<bigint> => {
    const { vkeyOfElf } = await import("../mips/air/pipeline.ts");
    const k = JSON.stringify(options);
    if (!vkeys.has(k)) vkeys.set(k, await vkeyOfElf(elf, options));
    return vkeys.get(k)!;
  };
  const fixed = (pre: PreflightResult): { shapeName: string; options: ProofOptions } => {
    if (pre.shapeName === undefined || pre.options === undefined)
      throw new Error("real prover: the preflight fixed no shape/options");
    return { shapeName: pre.shapeName, options: pre.options };
  };
  return {
    async preflight(input) {
      const { realModePreflight } = await import("./preflight.ts");
      const r = await realModePreflight(elf, input, {
        what: "the storage-proof guest",
        cacheRoot: o.cacheRoot,
        limits: o.limits,
        log,
      });
      return {
        cycles: r.cycles,
        executeSeconds: r.executeSeconds,
        shapeId: r.shapeId,
        shapeName: r.shapeName,
        options: r.shape.options,
      };
    },
    async stark(input, pre) {
      const { proveElf } = await import("../mips/air/pipeline.ts");
      const { shapeChooser } = await import("../wrap/shapes.ts");
      const { shapeName, options } = fixed(pre);
      log(`proving the storage-proof guest (MIPS STARK padded to ${shapeName}, its profile's options)`);
      const t0 = performance.now();
      const p = await proveElf(elf, { input, options, padTo: shapeChooser(shapeName, options).padTo });
      if (p.exitCode !== 0)
        throw new ZkmipsError(`the storage-proof guest exited with ${p.exitCode}; nothing to submit`);
      return {
        file: p.file,
        publicValues: p.publicValues,
        cycles: p.stats.cycles,
        proveMs: Math.round(performance.now() - t0),
      };
    },
    async wrap(stark, pre) {
      const { mipsWrapInput } = await import("../wrap/mips.ts");
      const { setupWrap, proveWrap, shapeId } = await import("../wrap/wrap.ts");
      const { DEV_WARNING } = await import("../wrap/groth16/dev-setup.ts");
      const { releaseSnarkjsCurves } = await import("../wrap/groth16/snarkjs.ts");
      const { getBytes } = await import("ethers");
      try {
        log("checking the STARK proof and loading its wrap shape");
        const { options } = fixed(pre);
        const w = await mipsWrapInput(stark.file, await vkeyOf(options), options, { requireShape: true });
        log(DEV_WARNING);
        const { key } = await setupWrap(w.shape, {
          mode: "dev",
          cacheRoot: o.cacheRoot,
          log,
          onProgress: o.onSetupProgress,
        });
        const r = await proveWrap(w.shape, key, w.witness, log);
        return {
          proofBytes: getBytes(r.file.proofBytes),
          setupSeconds: key.reused ? 0 : key.meta.setupSeconds,
          wrapSeconds: r.witnessSeconds + r.proveSeconds,
          shapeId: shapeId(w.shape),
          selector: r.file.selector,
        };
      } finally {
        await releaseSnarkjsCurves();
      }
    },
  };
}

/** Real mode: the storage-proof guest proven and wrapped (see the module comment). */
export function groth16Prover(o: RealProverOptions = {}): UpdateProver {
  return stagedProver(realStages(o));
}
