/**
 * `npx tsx bench/shape-circuits.ts [--profile default|onchain] [--program-log 9] [--keccak] [--sysmisc]
 * [--queries N] [--shapes id,id]`: the MIPS wrap circuit's size (constraints, compile mode: no proof, no file) for
 * every default shape (src/wrap/shapes.ts) at a proof profile (default: DEFAULT_OPTIONS), for a Program table of 2^program-log rows (the circuit
 * depends on it: fibonacci is 2^9, the storage-proof guest 2^11), with the Keccak tables (`--keccak`,
 * proofs of runs that call keccak-f) or without, with the SysMisc table (`--sysmisc`, Go runtime
 * syscalls) or without: the optional tables a proof has only when its run needs them. Last line: JSON.
 */
import { buildMachine } from "../src/mips/air/machine.ts";
import type { ProgramImage } from "../src/mips/air/tables.ts";
import { maxLogHeight, profileByName } from "../src/stark/options.ts";
import { Builder } from "../src/wrap/r1cs/builder.ts";
import { emitWrapStatement, mipsLayout } from "../src/wrap/statement.ts";
import { DEFAULT_SHAPES, shapePadTo } from "../src/wrap/shapes.ts";
import { MAX_WRAP_CONSTRAINTS } from "../src/wrap/wrap.ts";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const programLog = Number(arg("--program-log") ?? 9);
const profile = profileByName(arg("--profile") ?? "default");
const options = { ...profile.options, numQueries: Number(arg("--queries") ?? profile.options.numQueries) };
const only = arg("--shapes")?.split(",");
const placeholder: ProgramImage = { entry: 0, words: new Map(), code: [], brkStart: 0 };
const keccak = process.argv.includes("--keccak");
const sysmisc = process.argv.includes("--sysmisc");
const air = buildMachine(placeholder, 1 << programLog, { keccak, sysmisc }).air;
const out: Record<string, unknown>[] = [];
for (const s of DEFAULT_SHAPES) {
  if (only && !only.includes(s.id)) continue;
  if (
    Math.max(
      ...Object.values(
        shapePadTo(
          s,
          air.tables.map((t) => t.name),
        ),
      ),
    ) > maxLogHeight(options)
  ) {
    console.log(`${s.id}: tables taller than 2^${maxLogHeight(options)}, not provable at ${profile.name}`);
    continue;
  }
  const pad = shapePadTo(
    s,
    air.tables.map((t) => t.name),
  );
  const heights = air.tables.map((t) =>
    t.name === "Program" ? programLog : t.name === "Byte" ? 8 : pad[t.name],
  );
  const t0 = performance.now();
  const b = new Builder({ mode: "compile" });
  emitWrapStatement(b, air, options, heights, mipsLayout);
  const seconds = (performance.now() - t0) / 1000;
  const n = b.nConstraints;
  const fits = n <= MAX_WRAP_CONSTRAINTS;
  console.log(
    `${s.id} (Program 2^${programLog}, ${keccak ? "with" : "without"} Keccak tables, ${sysmisc ? "with" : "without"} SysMisc): ${n} constraints (2^${Math.log2(n).toFixed(2)}, ${fits ? "fits" : "over"} 2^22), emitted in ${seconds.toFixed(1)} s`,
  );
  out.push({ shape: s.id, programLog, keccak, sysmisc, heights, constraints: n, seconds });
}
console.log(JSON.stringify({ profile: profile.name, options, results: out }));
