/**
 * `zkmips run <elf>`: executes a guest. Guest fd 0 reads the concatenated `--input` files, or
 * the CLI's stdin when none is given (empty when stdin is a terminal); fd 4 reads `--hints`;
 * guest fd 1/2 are written to stdout/stderr as produced; `--public-values` receives the fd-3
 * bytes. Exit status: the guest's exit code; 2 for a guest fault; 3 when --max-cycles is hit;
 * 1 for any other error (missing file, malformed ELF, bad option).
 */
import { readFileSync, writeFileSync, writeSync } from "node:fs";
import type { Command } from "commander";
import { ZkmipsError } from "../../errors.ts";
import { CycleLimitError, MipsFault, execute, loadElf } from "../../mips/index.ts";

export const EXIT_FAULT = 2;
export const EXIT_CYCLE_LIMIT = 3;

function readInputFile(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new ZkmipsError(`cannot read ${what} ${path}: ${code}`, "check the path");
  }
}

function readStdin(): Uint8Array {
  if (process.stdin.isTTY) return new Uint8Array(0);
  try {
    return readFileSync(0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EAGAIN" || (e as NodeJS.ErrnoException).code === "EOF")
      return new Uint8Array(0);
    throw e;
  }
}

/** Writes all of `chunk` to a file descriptor synchronously (retrying on EAGAIN). */
function writeAll(fd: number, chunk: Uint8Array): void {
  let off = 0;
  while (off < chunk.length) {
    try {
      off += writeSync(fd, chunk, off, chunk.length - off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
    }
  }
}

function parseCycles(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n))
    throw new ZkmipsError(`--max-cycles must be a positive integer, got "${v}"`);
  return n;
}

export function register(program: Command): void {
  program
    .command("run")
    .description("execute a MIPS guest ELF (fd 0: input, 1/2: stdout/stderr, 3: public values, 4: hints)")
    .argument("<elf>", "guest ELF (static, little-endian MIPS32r2)")
    .option(
      "--input <file>",
      "private input for guest fd 0 (repeatable, concatenated; default: stdin)",
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option("--hints <file>", "hints for guest fd 4")
    .option("--max-cycles <n>", "stop with an error after this many instructions", parseCycles)
    .option("--public-values <file>", "write the bytes the guest wrote to fd 3 to this file")
    .option("--stats", "print cycles and speed to stderr")
    .action(
      (
        elfPath: string,
        opts: { input: string[]; hints?: string; maxCycles?: number; publicValues?: string; stats?: boolean },
      ) => {
        const program = loadElf(readInputFile(elfPath, "guest ELF"));
        const input =
          opts.input.length > 0
            ? Buffer.concat(opts.input.map((f) => readInputFile(f, "input file")))
            : readStdin();
        const hints = opts.hints !== undefined ? readInputFile(opts.hints, "hints file") : new Uint8Array(0);
        const t0 = performance.now();
        let result;
        try {
          result = execute(program, {
            input,
            hints,
            maxCycles: opts.maxCycles,
            stdout: (c) => writeAll(1, c),
            stderr: (c) => writeAll(2, c),
          });
        } catch (e) {
          if (e instanceof MipsFault || e instanceof CycleLimitError) {
            process.stderr.write(`zkmips: error: ${e.message}${e.hint ? ` (${e.hint})` : ""}\n`);
            process.exitCode = e instanceof MipsFault ? EXIT_FAULT : EXIT_CYCLE_LIMIT;
            return;
          }
          throw e;
        }
        const seconds = (performance.now() - t0) / 1000;
        if (opts.publicValues !== undefined) {
          try {
            writeFileSync(opts.publicValues, result.publicValues);
          } catch (e) {
            throw new ZkmipsError(
              `cannot write public values to ${opts.publicValues}: ${(e as NodeJS.ErrnoException).code ?? e}`,
            );
          }
        }
        if (opts.stats) {
          const speed = result.cycles / seconds / 1e6;
          process.stderr.write(
            `zkmips: cycles: ${result.cycles}, time: ${seconds.toFixed(3)} s, speed: ${speed.toFixed(1)} M instructions/s, ` +
              `exit code: ${result.exitCode}, public values: ${result.publicValues.length} bytes\n`,
          );
        }
        process.exitCode = result.exitCode;
      },
    );
}
