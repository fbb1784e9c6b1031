/**
 * `npx tsx bench/wrap-profile.ts [--heights 9,8,9,...] [--queries N] [--log-blowup B] [--log-arity A]
 * [--log-final F] [--grinding G] [--depth D]
 * [--keccak] [--sysmisc]`: emits
 * the MIPS wrap circuit (statement + STARK verifier) at DEFAULT_OPTIONS (or with those two
 * options changed) in compile mode and prints its
 * rows by scope (scope names cut at `--depth` levels, query scopes merged as `queryN`). No proof
 * and no file needed: the circuit depends only on the AIR, the options and the table heights.
 * Default heights: the fibonacci guest (n = 3) proof's (2^2 for tables it does not use). Last
 * line: one JSON object (heights, options, rows, rows by scope).
 */
import { buildMachine } from "../src/mips/air/machine.ts";
import type { ProgramImage } from "../src/mips/air/tables.ts";
import { DEFAULT_OPTIONS } from "../src/stark/options.ts";
import { Builder } from "../src/wrap/r1cs/builder.ts";
import { emitWrapStatement, mipsLayout } from "../src/wrap/statement.ts";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

// The fibonacci guest (n = 3)'s proof heights; tables added to the AIR later (none of their rows
// used by that guest) get the smallest height, 2^2.
const FIB_HEIGHTS = [9, 8, 9, 4, 7, 7, 3, 7, 6, 5, 6, 3, 4, 4, 2, 2, 2];
const given = arg("--heights")?.split(",").map(Number);
const depth = Number(arg("--depth") ?? 2);
const options = {
  ...DEFAULT_OPTIONS,
  numQueries: Number(arg("--queries") ?? DEFAULT_OPTIONS.numQueries),
  logBlowup: Number(arg("--log-blowup") ?? DEFAULT_OPTIONS.logBlowup),
  logFoldingArity: Number(arg("--log-arity") ?? DEFAULT_OPTIONS.logFoldingArity),
  logFinalPolyLen: Number(arg("--log-final") ?? DEFAULT_OPTIONS.logFinalPolyLen),
  grindingBits: Number(arg("--grinding") ?? DEFAULT_OPTIONS.grindingBits),
};
const placeholder: ProgramImage = { entry: 0, words: new Map(), code: [], brkStart: 0 };
// The AIR variant of a run that uses no optional tables (as proveMips picks it for fibonacci);
// --keccak / --sysmisc add those tables.
const air = buildMachine(placeholder, 1 << (given ?? FIB_HEIGHTS)[0], {
  keccak: process.argv.includes("--keccak"),
  sysmisc: process.argv.includes("--sysmisc"),
}).air;
const heights = given ?? air.tables.map((_, i) => FIB_HEIGHTS[i] ?? 2);
if (air.tables.length !== heights.length)
  throw new Error(`the MIPS AIR has ${air.tables.length} tables, --heights gives ${heights.length}`);
const t0 = performance.now();
const b = new Builder({ mode: "compile" });
emitWrapStatement(b, air, options, heights, mipsLayout);
const seconds = (performance.now() - t0) / 1000;
const byScope = new Map<string, number>();
for (let i = 0; i < b.nConstraints; i++) {
  const parts = b.rowLabel(i).split("/");
  const top = /^query\d+$/.test(parts[0]) ? ["queryN", ...parts.slice(1)] : parts;
  const key = top.slice(0, depth).join("/");
  byScope.set(key, (byScope.get(key) ?? 0) + 1);
}
const rows = [...byScope.entries()].sort((x, y) => y[1] - x[1]);
const q = options.numQueries;
for (const [k, n] of rows)
  console.log(
    `${k.padEnd(48)} ${String(n).padStart(10)}${k.startsWith("queryN") ? `  (${(n / q).toFixed(0)}/query)` : ""}`,
  );
console.log(
  `total ${b.nConstraints} rows (2^${Math.log2(b.nConstraints).toFixed(3)}), emitted in ${seconds.toFixed(1)} s`,
);
console.log(JSON.stringify({ heights, options, rows: b.nConstraints, byScope: Object.fromEntries(rows) }));
