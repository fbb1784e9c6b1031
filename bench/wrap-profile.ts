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
import { arg, mipsCircuitArgs } from "./mips-circuit-args.ts";
import { Builder } from "../src/wrap/r1cs/builder.ts";
import { emitWrapStatement, mipsLayout } from "../src/wrap/statement.ts";

const { air, heights, options } = mipsCircuitArgs();
const depth = Number(arg("--depth") ?? 2);
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
