/**
 * `zkmips prove <elf> [--input FILE]... [--hints FILE] [--shape auto|natural|ID] [--profile default|onchain]
 * -o proof.bin [--json]`:
 * runs the guest in tracing mode and writes a STARK proof of the run (statement: programVKey, exit
 * code, fd-3 bytes). Tables are padded to the smallest default shape the run fits (src/wrap/shapes.ts),
 * so `zkmips wrap` finds one circuit per shape. `--profile onchain` proves at ONCHAIN_OPTIONS (what
 * `zkmips wrap` needs: the shapes are wrapped at that profile; the vkey differs per profile). Progress (phase, ETA) goes to stderr; `--json` prints a
 * summary on stdout.
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { SingleBar } from "cli-progress";
import { ZkmipsError } from "../../errors.ts";
import { proveElf } from "../../mips/air/pipeline.ts";
import { vkeyHex } from "../../mips/air/prove.ts";
import { closeHashPool } from "../../hash/sponge.ts";
import { profileByName } from "../../stark/options.ts";
import { PROFILE_HELP } from "../../wrap/profile.ts";
import { DEFAULT_SHAPES, shapeChooser } from "../../wrap/shapes.ts";

const PHASES = [
  "execute",
  "setup",
  "witness",
  "trace-lde",
  "commit-main",
  "logup-aux",
  "commit-aux",
  "quotient",
  "commit-quotient",
  "ood-openings",
  "deep-quotient",
  "fri",
  "grinding",
  "queries",
];

function readInputs(files: string[]): Uint8Array {
  if (files.length === 0) return process.stdin.isTTY ? new Uint8Array() : new Uint8Array(readFileSync(0));
  const parts = files.map((f) => readFile(f, "--input"));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function readFile(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new ZkmipsError(
      `cannot read ${what} file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

export function register(program: Command): void {
  program
    .command("prove")
    .description("prove a guest run (STARK): statement = programVKey, exit code, public values (fd 3)")
    .argument("<elf>", "guest ELF (MIPS32r2 little-endian, static)")
    .option(
      "--input <file>",
      "private input for fd 0 (repeatable, concatenated; default: stdin)",
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .option("--hints <file>", "hints for fd 4")
    .requiredOption("-o, --output <file>", "where to write the proof")
    .option(
      "--shape <id>",
      `pad tables to a shape: auto (smallest that fits), natural (no padding) or one of ${DEFAULT_SHAPES.map((s) => s.id).join(", ")}`,
      "auto",
    )
    .option("--profile <name>", `proof options: ${PROFILE_HELP}; \`zkmips wrap\` needs onchain`, "default")
    .option("--json", "print a JSON summary on stdout")
    .action(
      async (
        elfPath: string,
        opts: {
          input: string[];
          hints?: string;
          output: string;
          json?: boolean;
          shape: string;
          profile: string;
        },
      ) => {
        const profile = profileByName(opts.profile);
        const shapes = shapeChooser(opts.shape, profile.options);
        const elf = readFile(elfPath, "ELF");
        const input = readInputs(opts.input);
        const hints = opts.hints ? readFile(opts.hints, "--hints") : new Uint8Array();
        const bar = new SingleBar(
          {
            format: "prove [{bar}] {percentage}% | {phase} | ETA {eta_formatted}",
            stream: process.stderr,
            hideCursor: true,
          },
          undefined,
        );
        if (process.stderr.isTTY) bar.start(PHASES.length, 0, { phase: "execute" });
        const t0 = performance.now();
        let done = 0;
        try {
          const proof = await proveElf(elf, {
            input,
            hints,
            options: profile.options,
            padTo: shapes.padTo,
            onPhase: (phase) => {
              done = Math.max(done, PHASES.indexOf(phase) + 1);
              if (process.stderr.isTTY) bar.update(done, { phase: PHASES[done] ?? "done" });
            },
          });
          if (process.stderr.isTTY) bar.stop();
          writeFileSync(opts.output, proof.file);
          const { shape, why } = shapes.chosen();
          if (!shape && opts.shape === "auto")
            process.stderr.write(
              `zkmips prove: the run fits no default shape, proved at its natural heights (\`zkmips wrap\` needs --natural-heights): ${why}\n`,
            );
          const ms = performance.now() - t0;
          if (opts.json) {
            process.stdout.write(
              JSON.stringify({
                output: opts.output,
                cycles: proof.stats.cycles,
                exitCode: proof.exitCode,
                publicValues: Buffer.from(proof.publicValues).toString("hex"),
                shape: shape?.id ?? "natural",
                profile: profile.name,
                traceHeights: proof.stats.logHeights,
                naturalHeights: proof.stats.naturalLogHeights,
                rows: proof.stats.rowsPerTable,
                timeMs: Math.round(ms),
                phasesMs: {
                  execute: Math.round(proof.executeMs),
                  setup: Math.round(proof.setupMs),
                  ...Object.fromEntries(
                    Object.entries(proof.stats.phasesMs).map(([k, v]) => [k, Math.round(v)]),
                  ),
                },
                proofBytes: proof.stats.proofBytes,
                securityBits: proof.stats.securityBits,
                cellsPerCycle: Math.round(proof.stats.cellsPerCycle),
              }) + "\n",
            );
          } else {
            process.stderr.write(
              `proved ${proof.stats.cycles} cycles (shape ${shape?.id ?? "natural"}, profile ${profile.name}) in ${(ms / 1000).toFixed(1)} s: exit code ${proof.exitCode}, ${proof.publicValues.length} public bytes, proof ${proof.stats.proofBytes} bytes -> ${opts.output}\n`,
            );
          }
        } finally {
          if (process.stderr.isTTY) bar.stop();
          await closeHashPool();
        }
      },
    );
}

export { vkeyHex };
