/**
 * `zkmips setup`: Groth16 proving/verifying keys and the Solidity verifier for a circuit.
 *   zkmips setup --dev --r1cs circuit.r1cs             fast single-party key (NOT for production)
 *   zkmips setup --ptau final.ptau --r1cs circuit.r1cs [--contribute]   snarkjs ceremony path
 * Artifacts go to the content-addressed cache (.zkmips/groth16/<circuit>/<setup>/).
 */
import fs from "node:fs";
import path from "node:path";
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { ZkmipsError } from "../../errors.ts";
import { DEV_WARNING } from "../../wrap/groth16/dev-setup.ts";
import { setupGroth16 } from "../../wrap/groth16/setup.ts";
import { releaseSnarkjsCurves } from "../../wrap/groth16/snarkjs.ts";

interface SetupFlags {
  dev?: boolean;
  ptau?: string;
  contribute?: boolean;
  entropy?: string;
  name?: string;
  r1cs?: string;
  cache: string;
  force?: boolean;
  threads?: string;
  verifierOut?: string;
}

function banner(): void {
  const line = "!".repeat(DEV_WARNING.length + 4);
  process.stderr.write(`${line}\n! ${DEV_WARNING} !\n${line}\n`);
}

export function register(program: Command): void {
  program
    .command("setup")
    .description(
      "Groth16 setup for a circuit: --dev (fast, single party, NOT for production) or --ptau FILE (ceremony)",
    )
    .option("--dev", "single-party setup in-process; toxic waste drawn from the OS CSPRNG and discarded")
    .option("--ptau <file>", "prepared phase-2 powers-of-tau file (snarkjs ceremony path)")
    .option("--contribute", "with --ptau: add a phase-2 contribution")
    .option("--entropy <text>", "with --contribute: entropy (default: 64 random bytes)")
    .option("--name <text>", "with --contribute: contributor name", "zkmips")
    .option("--r1cs <file>", "circuit (.r1cs, BN254); required until shapes are wired in")
    .option("--cache <dir>", "artifact cache root", ".zkmips")
    .option("--force", "redo the setup even when a cached key exists")
    .option("--threads <n>", "worker threads for the dev setup (default: CPU count)")
    .option("--verifier-out <file>", "also copy the generated Solidity verifier here")
    .action(async (flags: SetupFlags) => {
      if (!!flags.dev === !!flags.ptau) throw new ZkmipsError("choose exactly one of --dev and --ptau FILE");
      if (flags.contribute && !flags.ptau) throw new ZkmipsError("--contribute needs --ptau FILE");
      if (!flags.r1cs) {
        throw new ZkmipsError(
          "no circuit given",
          "pass --r1cs FILE (the wrap circuit generator is not wired in yet)",
        );
      }
      const threads = flags.threads === undefined ? undefined : Number(flags.threads);
      if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 64)) {
        throw new ZkmipsError(`--threads must be an integer 1..64, got ${flags.threads}`);
      }
      if (flags.dev) banner();
      const bar = new cliProgress.SingleBar(
        { stream: process.stderr, format: "{stage} [{bar}] {percentage}% | {duration}s", hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      let stage = "";
      const result = await setupGroth16({
        r1cs: flags.r1cs,
        mode: flags.dev ? "dev" : "ceremony",
        ptau: flags.ptau,
        contribute: flags.contribute,
        entropy: flags.entropy,
        contributionName: flags.name,
        force: flags.force,
        cacheRoot: flags.cache,
        threads,
        log: (l) => process.stderr.write(`${l}\n`),
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
      await releaseSnarkjsCurves();
      const { meta, paths } = result;
      if (flags.verifierOut) {
        fs.mkdirSync(path.dirname(flags.verifierOut), { recursive: true });
        fs.copyFileSync(paths.verifier, flags.verifierOut);
      }
      const out = [
        `${result.reused ? "cached" : "created"} ${meta.mode} key for ${meta.nConstraints} constraints, ${meta.nPublic} public (domain ${meta.domainSize})`,
        `  proving key   ${paths.zkey}`,
        `  verifying key ${paths.vkey}`,
        `  verifier      ${paths.verifier} (contract ${meta.contractName})`,
        `  selector      ${meta.selector}`,
        `  setup time    ${meta.setupSeconds.toFixed(1)} s`,
      ];
      process.stdout.write(out.join("\n") + "\n");
      if (flags.dev) banner();
    });
}
