import { Command, CommanderError } from "commander";
import { ZkmipsError } from "../errors.ts";
import { commands } from "./commands/index.ts";

const program = new Command();
program
  .name("zkmips")
  .description("Prove MIPS execution with a STARK, wrap it in Groth16, verify and relay it on EVM chains")
  .version("0.1.0")
  .option("--verbose", "print stack traces of internal errors")
  .exitOverride();

for (const register of commands) register(program);

function fail(err: unknown): never {
  const verbose = process.argv.includes("--verbose");
  if (err instanceof CommanderError) process.exit(err.exitCode);
  if (err instanceof ZkmipsError) {
    process.stderr.write(`zkmips: error: ${err.message}${err.hint ? ` (${err.hint})` : ""}\n`);
  } else if (verbose && err instanceof Error) {
    process.stderr.write(`zkmips: internal error: ${err.stack ?? err.message}\n`);
  } else {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`zkmips: internal error: ${message} (rerun with --verbose for details)\n`);
  }
  process.exit(1);
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  fail(err);
}
