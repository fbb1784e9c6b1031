/**
 * Adapters that run a guest through zkmips: in-process (`execute` from src/mips) and through
 * the CLI (`zkmips run`), both returning the same shape as the qemu runner.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as mips from "../../src/mips/index.ts";
import type { GuestRun } from "./qemu.ts";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface ExecutorRun extends GuestRun {
  /** Set when execution stopped with a MipsFault. */
  fault?: { pc: number; word: number; message: string };
  cycles?: number;
}

export async function runExecutor(
  elf: Uint8Array,
  options: { input?: Uint8Array; hints?: Uint8Array; maxCycles?: number; trace?: boolean } = {},
): Promise<ExecutorRun> {
  const program = mips.loadElf(elf);
  try {
    const r = mips.execute(program, options);
    return {
      exitCode: r.exitCode,
      signal: null,
      stdout: Buffer.from(r.stdout),
      stderr: Buffer.from(r.stderr),
      publicValues: Buffer.from(r.publicValues),
      cycles: r.cycles,
    };
  } catch (err) {
    if (!(err instanceof mips.MipsFault)) throw err;
    return {
      exitCode: null,
      signal: "MipsFault",
      stdout: Buffer.alloc(0),
      stderr: Buffer.alloc(0),
      publicValues: Buffer.alloc(0),
      fault: { pc: err.pc, word: err.word, message: err.message },
    };
  }
}

/** Runs `zkmips run` with the input and hints passed as files and the public values read back. */
export async function runCli(
  elfPath: string,
  options: { input?: Uint8Array; hints?: Uint8Array; stdin?: Uint8Array } = {},
): Promise<GuestRun> {
  const dir = mkdtempSync(path.join(tmpdir(), "zkmips-guest-"));
  try {
    const args = [path.join(REPO, "bin/zkmips.js"), "run", elfPath];
    if (options.input) {
      writeFileSync(path.join(dir, "input"), options.input);
      args.push("--input", path.join(dir, "input"));
    }
    if (options.hints) {
      writeFileSync(path.join(dir, "hints"), options.hints);
      args.push("--hints", path.join(dir, "hints"));
    }
    const pvPath = path.join(dir, "public-values");
    args.push("--public-values", pvPath);
    const child = spawn(process.execPath, args, { cwd: REPO, stdio: ["pipe", "pipe", "pipe"] });
    const chunks: [Buffer[], Buffer[]] = [[], []];
    child.stdout.on("data", (c: Buffer) => chunks[0].push(c));
    child.stderr.on("data", (c: Buffer) => chunks[1].push(c));
    child.stdin.on("error", () => {});
    child.stdin.end(Buffer.from(options.stdin ?? new Uint8Array()));
    const [exitCode, signal] = await new Promise<[number | null, string | null]>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code, sig) => resolve([code, sig]));
    });
    return {
      exitCode,
      signal,
      stdout: Buffer.concat(chunks[0]),
      stderr: Buffer.concat(chunks[1]),
      publicValues: existsSync(pvPath) ? readFileSync(pvPath) : Buffer.alloc(0),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
