/**
 * `zkmips demo [--mock]`: two local chains, the bridge deployed, messages relayed and executed
 * (src/bridge/demo.ts). Without --mock it needs real proving of the storage-proof guest and says
 * so when that is unavailable; it never submits a fake proof.
 */
import type { Command } from "commander";
import { ZkmipsError } from "../../errors.ts";
import { formatDemoReport, runDemo } from "../../bridge/demo.ts";
import { jsonLogger } from "../../bridge/relayer.ts";
import { closeHashPool } from "../../hash/sponge.ts";

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
    .action(async (opts: { mock?: boolean; messages: string; log?: boolean }) => {
      const n = Number(opts.messages);
      if (!Number.isInteger(n) || n < 1 || n > 256) {
        throw new ZkmipsError(`--messages must be an integer from 1 to 256, got ${opts.messages}`);
      }
      const report = await runDemo({
        mock: opts.mock === true,
        messages: n,
        progress: (line) => process.stderr.write(line + "\n"),
        log: opts.log ? jsonLogger() : undefined,
      }).finally(() => closeHashPool());
      process.stdout.write(formatDemoReport(report));
    });
}
