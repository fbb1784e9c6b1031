/**
 * Command-line arguments shared by the MIPS wrap-circuit benchmarks (wrap-profile, merkle-arity4):
 * `--heights a,b,...` (log2 per table; default the fibonacci guest's), `--queries N`,
 * `--log-blowup B`, `--log-arity A`, `--log-final F`, `--grinding G`, `--keccak`, `--sysmisc`.
 */
import { buildMachine } from "../src/mips/air/machine.ts";
import type { ProgramImage } from "../src/mips/air/tables.ts";
import type { AirDefinition } from "../src/stark/air.ts";
import { DEFAULT_OPTIONS, type ProofOptions } from "../src/stark/options.ts";

export function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

// The fibonacci guest (n = 3)'s proof heights; tables added to the AIR later (none of their rows
// used by that guest) get the smallest height, 2^2.
const FIB_HEIGHTS = [9, 8, 9, 4, 7, 7, 3, 7, 6, 5, 6, 3, 4, 4, 2, 2, 2];

/** The AIR variant (no optional tables unless --keccak / --sysmisc), its heights and the options. */
export function mipsCircuitArgs(): { air: AirDefinition; heights: number[]; options: ProofOptions } {
  const given = arg("--heights")?.split(",").map(Number);
  const num = (flag: string, fallback: number): number => Number(arg(flag) ?? fallback);
  const options: ProofOptions = {
    ...DEFAULT_OPTIONS,
    numQueries: num("--queries", DEFAULT_OPTIONS.numQueries),
    logBlowup: num("--log-blowup", DEFAULT_OPTIONS.logBlowup),
    logFoldingArity: num("--log-arity", DEFAULT_OPTIONS.logFoldingArity),
    logFinalPolyLen: num("--log-final", DEFAULT_OPTIONS.logFinalPolyLen),
    grindingBits: num("--grinding", DEFAULT_OPTIONS.grindingBits),
  };
  const placeholder: ProgramImage = { entry: 0, words: new Map(), code: [], brkStart: 0 };
  const air = buildMachine(placeholder, 1 << (given ?? FIB_HEIGHTS)[0], {
    keccak: process.argv.includes("--keccak"),
    sysmisc: process.argv.includes("--sysmisc"),
  }).air;
  const heights = given ?? air.tables.map((_, i) => FIB_HEIGHTS[i] ?? 2);
  if (air.tables.length !== heights.length)
    throw new Error(`the MIPS AIR has ${air.tables.length} tables, --heights gives ${heights.length}`);
  return { air, heights, options };
}
