/**
 * ELF-level entry points used by the CLI and the benchmark: `vkeyOfElf` (no execution) and
 * `proveElf` (load, execute in tracing mode with the cycle limit, set up, prove).
 */
import { ZkmipsError } from "../../errors.ts";
import { type ProofOptions, DEFAULT_OPTIONS } from "../../stark/options.ts";
import { loadElf } from "../elf.ts";
import { execute } from "../execute.ts";
import { summaryFromTrace } from "./from-trace.ts";
import { programImage } from "./program.ts";
import { type MipsProof, mipsSetup, proveMips } from "./prove.ts";
import { MAX_CYCLES, type PadTo } from "./witness.ts";

export async function vkeyOfElf(elf: Uint8Array, options: ProofOptions = DEFAULT_OPTIONS): Promise<bigint> {
  return (await mipsSetup(programImage(loadElf(elf)), options)).pk.vkey;
}

export interface ProveElfConfig {
  input?: Uint8Array;
  hints?: Uint8Array;
  options?: ProofOptions;
  /** Pad tables to fixed log2 heights (see generateWitness); src/wrap/shapes.ts picks a shape. */
  padTo?: PadTo;
  /** Called when a phase starts ("execute", "setup", "witness", then the STARK phases as they end). */
  onPhase?: (phase: string, ms: number) => void;
}

export async function proveElf(
  elf: Uint8Array,
  config: ProveElfConfig = {},
): Promise<MipsProof & { executeMs: number; setupMs: number }> {
  const program = loadElf(elf);
  let t = performance.now();
  let result;
  try {
    result = execute(program, {
      input: config.input,
      hints: config.hints,
      trace: true,
      maxCycles: MAX_CYCLES,
      stdout: () => {},
      stderr: () => {},
    });
  } catch (e) {
    if (e instanceof ZkmipsError && /did not exit within/.test(e.message))
      throw new ZkmipsError(
        `the guest runs longer than ${MAX_CYCLES} cycles, the largest run one proof covers`,
        "prove a shorter run (split the work into several guests)",
      );
    throw e;
  }
  const executeMs = performance.now() - t;
  config.onPhase?.("execute", executeMs);
  t = performance.now();
  const prover = await mipsSetup(programImage(program), config.options ?? DEFAULT_OPTIONS);
  const setupMs = performance.now() - t;
  config.onPhase?.("setup", setupMs);
  const proof = await proveMips(prover, summaryFromTrace(result.trace!), {
    onPhase: config.onPhase,
    padTo: config.padTo,
  });
  return { ...proof, executeMs, setupMs };
}
