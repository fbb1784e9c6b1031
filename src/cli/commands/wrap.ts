/**
 * `zkmips wrap proof.bin (--vkey HEX | --elf FILE) -o proof.groth16.json [--setup dev|ptau --ptau FILE]`:
 * checks the MIPS STARK proof at its allow-listed profile (matched from its options; the shapes are
 * wrapped at the onchain profile: prove with `zkmips prove --profile onchain`), recognises its default shape from its table heights (src/wrap/shapes.ts;
 * other heights only with --natural-heights), builds (or loads) the shape's circuit and Groth16 key, computes
 * the witness, proves with snarkjs, writes proof.groth16.json and prints the proofBytes hex.
 * Progress goes to stderr; stdout gets only the proofBytes hex.
 */
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { ZkmipsError } from "../../errors.ts";
import { closeHashPool } from "../../hash/sponge.ts";
import { vkeyOfElf } from "../../mips/air/pipeline.ts";
import { parseVkeyHex } from "../../mips/air/prove.ts";
import { DEV_WARNING } from "../../wrap/groth16/dev-setup.ts";
import { writeGroth16ProofFile } from "../../wrap/groth16/proof-file.ts";
import { releaseSnarkjsCurves } from "../../wrap/groth16/snarkjs.ts";
import { mipsWrapInput } from "../../wrap/mips.ts";
import { mipsProofProfile } from "../../wrap/profile.ts";
import { MAX_WRAP_CONSTRAINTS, proveWrap, setupWrap, shapeId } from "../../wrap/wrap.ts";
import { readFile } from "./prove.ts";

interface WrapFlags {
  out: string;
  vkey?: string;
  elf?: string;
  setup: string;
  ptau?: string;
  cache: string;
  maxConstraints?: string;
  threads?: string;
  naturalHeights?: boolean;
}

export function register(program: Command): void {
  program
    .command("wrap")
    .description("wrap a MIPS STARK proof into a Groth16 proof for the Solidity verifier")
    .argument("<proof>", "proof file written by `zkmips prove`")
    .requiredOption("-o, --out <file>", "output proof.groth16.json")
    .option("--vkey <hex>", "programVKey (0x + 64 hex digits, from `zkmips vkey`)")
    .option("--elf <file>", "guest ELF (its vkey is computed)")
    .option(
      "--setup <mode>",
      "key setup when the shape has none cached: dev (NOT for production) or ptau",
      "dev",
    )
    .option("--ptau <file>", "with --setup ptau: prepared phase-2 powers-of-tau file")
    .option("--cache <dir>", "artifact cache root", ".zkmips")
    .option("--max-constraints <n>", `refuse circuits larger than this (default ${MAX_WRAP_CONSTRAINTS})`)
    .option("--threads <n>", "worker threads for the dev setup")
    .option(
      "--natural-heights",
      "wrap a proof whose heights are no default shape (its own circuit and Groth16 key)",
    )
    .action(async (proofPath: string, flags: WrapFlags) => {
      if (!flags.vkey === !flags.elf) throw new ZkmipsError("give exactly one of --vkey and --elf");
      if (flags.setup !== "dev" && flags.setup !== "ptau")
        throw new ZkmipsError(`--setup must be dev or ptau, got ${flags.setup}`);
      if (flags.setup === "ptau" && !flags.ptau) throw new ZkmipsError("--setup ptau needs --ptau FILE");
      const maxConstraints = flags.maxConstraints === undefined ? undefined : Number(flags.maxConstraints);
      if (maxConstraints !== undefined && !(Number.isInteger(maxConstraints) && maxConstraints > 0))
        throw new ZkmipsError(`--max-constraints must be a positive integer, got ${flags.maxConstraints}`);
      const threads = flags.threads === undefined ? undefined : Number(flags.threads);
      if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 64))
        throw new ZkmipsError(`--threads must be an integer 1..64, got ${flags.threads}`);
      const log = (l: string): void => void process.stderr.write(`zkmips wrap: ${l}\n`);
      const file = readFile(proofPath, "proof");
      const bar = new cliProgress.SingleBar(
        { stream: process.stderr, format: "{stage} [{bar}] {percentage}% | {duration}s", hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      let stage = "";
      try {
        const profile = mipsProofProfile(file);
        const vkey = flags.vkey
          ? parseVkeyHex(flags.vkey)
          : await vkeyOfElf(readFile(flags.elf!, "ELF"), profile.options);
        log(`checking the STARK proof (profile ${profile.name})`);
        const input = await mipsWrapInput(file, vkey, profile.options, {
          requireShape: !flags.naturalHeights,
        });
        log(`shape ${shapeId(input.shape)}`);
        if (flags.setup === "dev") log(DEV_WARNING);
        const { circuit, key } = await setupWrap(input.shape, {
          mode: flags.setup === "dev" ? "dev" : "ceremony",
          ptau: flags.ptau,
          cacheRoot: flags.cache,
          maxConstraints,
          threads,
          log,
          onProgress: (s, done, total) => {
            if (s !== stage) {
              if (stage) bar.stop();
              stage = s;
              bar.start(total, done, { stage: s.padEnd(11) });
            } else bar.update(done);
          },
        }).finally(() => {
          if (stage) bar.stop();
        });
        log(
          `circuit ${circuit.rows} constraints (${circuit.reused ? "cached" : `built in ${circuit.buildSeconds.toFixed(1)} s`}), ` +
            `key ${key.meta.mode}${key.reused ? " (cached)" : ` set up in ${key.meta.setupSeconds.toFixed(1)} s`}, selector ${key.meta.selector}`,
        );
        if (key.meta.mode === "dev") log(DEV_WARNING);
        const r = await proveWrap(input.shape, key, input.witness, log);
        writeGroth16ProofFile(flags.out, r.file);
        log(
          `witness ${r.witnessSeconds.toFixed(1)} s, Groth16 prove ${r.proveSeconds.toFixed(1)} s; wrote ${flags.out}`,
        );
        process.stdout.write(r.file.proofBytes + "\n");
      } finally {
        await closeHashPool();
        await releaseSnarkjsCurves();
      }
    });
}
