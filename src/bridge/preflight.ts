/**
 * Real-mode preflight: before any chain is started or any proof is attempted, executes the guest
 * on the input it will be proven on and checks everything the real path (MIPS STARK at the chosen
 * shape's proof profile → Groth16 wrap → on-chain verifier) needs, through the APIs that enforce it:
 *  1. the guest exits with status 0 within MAX_CYCLES (the most one proof covers);
 *  2. its public values fit the MIPS AIR's PV_MAX;
 *  3. its tables fit a default shape (src/wrap/shapes.ts; the witness is generated padded to the
 *     smallest that fits, as the real prover pads its proof);
 *  4. that shape's wrap circuit is under the Groth16 cap (`buildWrapCircuit`; a circuit that fits
 *     is written to the cache, so the later setup reuses it).
 * The first failing check becomes a ZkmipsError of one line naming the number and the limit;
 * nothing is ever proven or faked past it.
 */
import { ZkmipsError } from "../errors.ts";
import { CycleLimitError, execute, loadElf } from "../mips/index.ts";
import { buildMachine } from "../mips/air/machine.ts";
import { programImage } from "../mips/air/program.ts";
import { summaryFromTrace } from "../mips/air/from-trace.ts";
import { PV_MAX } from "../mips/air/tables.ts";
import { MAX_CYCLES, generateWitness } from "../mips/air/witness.ts";
import { type ProofOptions, profileByName } from "../stark/options.ts";
import {
  DEFAULT_SHAPES,
  chooseShape,
  explainNoShape,
  shapePadTo,
  whyNotFits,
  type MipsShape,
} from "../wrap/shapes.ts";
import { mipsLayout } from "../wrap/statement.ts";
import { MAX_WRAP_CONSTRAINTS, buildWrapCircuit, shapeId, type WrapShape } from "../wrap/wrap.ts";

export interface PreflightLimits {
  /** Public-value bytes the MIPS AIR commits (PV_MAX). */
  pvMax: number;
  /** Cycles one MIPS proof covers (MAX_CYCLES). */
  maxCycles: number;
  /** Constraints of one Groth16 wrap circuit (MAX_WRAP_CONSTRAINTS, DESIGN's 2^22 cap). */
  maxConstraints: number;
}

/** The limits of this build, read from the modules that enforce them. */
export function currentLimits(): PreflightLimits {
  return { pvMax: PV_MAX, maxCycles: MAX_CYCLES, maxConstraints: MAX_WRAP_CONSTRAINTS };
}

export interface PreflightOptions {
  /** Who is checked, for the messages ("the storage-proof guest"). */
  what?: string;
  /** Override limits (tests of the refusal paths); defaults: currentLimits(). */
  limits?: Partial<PreflightLimits>;
  /** STARK options; default: the chosen shape's profile (src/stark/options.ts PROFILES). */
  options?: ProofOptions;
  /** Shapes to choose from (default DEFAULT_SHAPES, what the real prover pads to; tests narrow it). */
  shapes?: readonly MipsShape[];
  /** Artifact cache root (default .zkmips). */
  cacheRoot?: string;
  log?: (line: string) => void;
}

export interface PreflightReport {
  cycles: number;
  publicValues: Uint8Array;
  limits: PreflightLimits;
  /** log2 height of every table (padded to the shape), in AIR table order. */
  logHeights: number[];
  /** The default shape (src/wrap/shapes.ts) the run is padded to. */
  shapeName: string;
  shape: WrapShape;
  shapeId: string;
  constraints: number;
  executeSeconds: number;
  witnessSeconds: number;
  circuitSeconds: number;
  circuitReused: boolean;
}

const fmt = (n: number): string => n.toLocaleString("en-US");
const pow2 = (n: number): string => (Number.isInteger(Math.log2(n)) ? ` (2^${Math.log2(n)})` : "");

function refuse(line: string): never {
  throw new ZkmipsError(
    `real mode: ${line}`,
    "nothing was proven; use --mock to run the bridge without proofs (proves nothing)",
  );
}

/**
 * Runs the checks above on `elf` with `input` (fd 0). Returns what real mode will prove (cycles,
 * shape, circuit size) or throws the refusal.
 */
export async function realModePreflight(
  elf: Uint8Array,
  input: Uint8Array,
  o: PreflightOptions = {},
): Promise<PreflightReport> {
  const what = o.what ?? "the guest";
  const limits = { ...currentLimits(), ...o.limits };
  const log = o.log ?? (() => {});
  const program = loadElf(elf);

  log(`preflight: executing ${what} on the input`);
  let t = performance.now();
  let run;
  try {
    run = execute(program, { input, maxCycles: limits.maxCycles, stdout: () => {} });
  } catch (e) {
    if (e instanceof CycleLimitError)
      refuse(
        `${what} runs more than ${fmt(limits.maxCycles)} cycles, one MIPS proof covers at most ${fmt(limits.maxCycles)}${pow2(limits.maxCycles)} (MAX_CYCLES)`,
      );
    throw e;
  }
  const executeSeconds = (performance.now() - t) / 1000;
  if (run.exitCode !== 0) {
    const why = new TextDecoder().decode(run.stderr).trim().split("\n").pop();
    refuse(
      `${what} exits with status ${run.exitCode} on this input${why ? ` (${why})` : ""}; only status 0 can be proven on chain`,
    );
  }
  const pvLen = run.publicValues.length;
  if (pvLen > limits.pvMax)
    refuse(
      `${what} writes ${fmt(pvLen)} public bytes, the MIPS AIR commits at most ${fmt(limits.pvMax)} (PV_MAX)`,
    );

  log(
    `preflight: ${fmt(run.cycles)} cycles, ${pvLen} public bytes; generating the witness for the table heights`,
  );
  t = performance.now();
  const machine = buildMachine(programImage(program));
  // Pad to the smallest default shape (src/wrap/shapes.ts), exactly as the real prover will.
  const shapes = o.shapes ?? DEFAULT_SHAPES;
  let natural: Readonly<Record<string, number>> = {};
  let chosen: MipsShape | undefined;
  const padTo = (n: Readonly<Record<string, number>>): Record<string, number> | undefined => {
    natural = n;
    chosen = chooseShape(n, shapes);
    return chosen && shapePadTo(chosen, Object.keys(n));
  };
  let logHeights: number[];
  let air = machine.air;
  try {
    const traced = execute(program, {
      input,
      trace: true,
      maxCycles: limits.maxCycles,
      stdout: () => {},
      stderr: () => {},
    });
    const wit = generateWitness(machine, summaryFromTrace(traced.trace!), { padTo });
    // As proveMips does: optional tables without rows (Keccak, SysMisc) are left out of the AIR.
    const keccak = machine.hasKeccak && (wit.rowsPerTable.get("Keccak") ?? 0) > 0;
    const sysmisc = machine.hasSysMisc && (wit.rowsPerTable.get("SysMisc") ?? 0) > 0;
    const heightOf = new Map(
      machine.air.tables.map((tb, i) => [
        tb.name,
        Math.log2(wit.traces[i].main[0]?.length ?? 1 << (tb.fixedLogHeight ?? 0)),
      ]),
    );
    air = buildMachine(programImage(program), undefined, { keccak, sysmisc }).air;
    logHeights = air.tables.map((tb) => heightOf.get(tb.name)!);
  } catch (e) {
    // Whatever stops the witness (a syscall or instruction without a chip, a table over 2^20
    // rows) would stop the prover the same way: refuse with its first line.
    refuse(`${what} cannot be proven by the MIPS AIR: ${(e as Error).message.split("\n")[0]}`);
  }
  const witnessSeconds = (performance.now() - t) / 1000;
  if (chosen === undefined) {
    const largest = shapes[shapes.length - 1];
    refuse(
      `${what} runs ${fmt(run.cycles)} cycles and fits no default shape: ${whyNotFits(largest, natural) ?? explainNoShape(natural, shapes)} (the largest shape)`,
    );
  }
  // The shape's proof profile (mips-s12/s16/s18: ONCHAIN_OPTIONS) is what its wrap circuit verifies.
  const options = o.options ?? profileByName(chosen.profile).options;
  const shape: WrapShape = {
    name: chosen.id,
    air,
    options,
    logHeights,
    layout: mipsLayout,
  };
  const id = shapeId(shape);

  log(`preflight: sizing the wrap circuit of shape ${id}`);
  t = performance.now();
  let circuit;
  try {
    circuit = buildWrapCircuit(shape, { cacheRoot: o.cacheRoot, maxConstraints: limits.maxConstraints, log });
  } catch (e) {
    const m = e instanceof ZkmipsError ? /has (\d+) constraints/.exec(e.message) : null;
    if (m === null) throw e;
    refuse(
      `the wrap circuit of ${what}'s shape ${id} has ${fmt(Number(m[1]))} constraints, the Groth16 cap is ${fmt(limits.maxConstraints)}${pow2(limits.maxConstraints)}`,
    );
  }
  return {
    cycles: run.cycles,
    publicValues: run.publicValues,
    limits,
    logHeights,
    shapeName: chosen.id,
    shape,
    shapeId: id,
    constraints: circuit.rows,
    executeSeconds,
    witnessSeconds,
    circuitSeconds: (performance.now() - t) / 1000,
    circuitReused: circuit.reused,
  };
}
