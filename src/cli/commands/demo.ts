/**
 * `zkmips demo [--mock]`: two local chains, the bridge deployed, messages relayed and executed
 * (src/bridge/demo.ts). Without --mock it runs the real-mode preflight first (no chain started)
 * and refuses with one line when the storage-proof guest cannot be proven and wrapped; otherwise
 * it proves (MIPS STARK), wraps (Groth16, dev key from the .zkmips cache or a dev setup with a
 * progress bar on stderr), verifies on chain and executes. It never submits a fake proof.
 */
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { ZkmipsError } from "../../errors.ts";
import { formatDemoReport, runDemo } from "../../bridge/demo.ts";
import { jsonLogger } from "../../bridge/relayer.ts";
import { closeHashPool } from "../../hash/sponge.ts";

interface DemoFlags {
  mock?: boolean;
  messages: string;
  log?: boolean;
  cache: string;
  maxConstraints?: string;
}

/** A cli-progress bar on stderr for the dev setup's stages. */
export function setupProgressBar(): {
  onProgress: (stage: string, done: number, total: number) => void;
  stop: () => void;
} {
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: "dev setup: {stage} [{bar}] {percentage}% | {duration}s",
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let stage = "";
  return {
    onProgress(s, done, total) {
      if (s !== stage) {
        if (stage !== "") bar.stop();
        stage = s;
        bar.start(total, 0, { stage: s });
      }
      bar.update(done, { stage: s });
    },
    stop: () => {
      if (stage !== "") bar.stop();
      stage = "";
    },
  };
}

export function register(program: Command): void {
  program
    .command("demo")
    .description("start two local chains, deploy the bridge, send messages and relay a proven update")
    .option(
      "--mock",
      "run the storage-proof guest but submit an empty proof to MipsMockVerifier (proves nothing)",
    )
    .option("--messages <n>", "number of messages to send", "3")
    .option("--log", "print the relayer's JSON log lines on stderr")
    .option("--cache <dir>", "real mode: artifact cache (wrap circuits, Groth16 keys)", ".zkmips")
    .option("--max-constraints <n>", "real mode: refuse wrap circuits larger than this (default 2^22)")
    .action(async (opts: DemoFlags) => {
      const n = Number(opts.messages);
      if (!Number.isInteger(n) || n < 1 || n > 256) {
        throw new ZkmipsError(`--messages must be an integer from 1 to 256, got ${opts.messages}`);
      }
      const maxConstraints = opts.maxConstraints === undefined ? undefined : Number(opts.maxConstraints);
      if (maxConstraints !== undefined && !(Number.isInteger(maxConstraints) && maxConstraints > 0))
        throw new ZkmipsError(`--max-constraints must be a positive integer, got ${opts.maxConstraints}`);
      const bar = setupProgressBar();
      const report = await runDemo({
        mock: opts.mock === true,
        messages: n,
        progress: (line) => process.stderr.write(line + "\n"),
        log: opts.log ? jsonLogger() : undefined,
        cacheRoot: opts.cache,
        limits: maxConstraints === undefined ? undefined : { maxConstraints },
        onSetupProgress: bar.onProgress,
      }).finally(async () => {
        bar.stop();
        await closeHashPool();
      });
      process.stdout.write(formatDemoReport(report));
    });
}
