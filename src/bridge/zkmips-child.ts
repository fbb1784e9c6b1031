/**
 * Runs one `zkmips` CLI command in a child process and returns its stdout. Real mode runs the dev
 * Groth16 setup this way: the process that ran it keeps ~13 GB (WASM memories, large buffers) at
 * the bridge's ~3.9M constraints, and the STARK proof that follows needs up to ~18 GB of a 24 GB
 * machine. The child's stderr (progress, warnings, its one-line error) goes to this process's stderr.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { ZkmipsError } from "../errors.ts";
import { REPO_ROOT } from "./artifacts.ts";

/** `zkmips <args>` (this checkout's CLI, this Node) in a child process; throws on a non-zero exit. */
export async function runZkmipsChild(args: readonly string[], what: string): Promise<string> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, "bin", "zkmips.js"), ...args], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  if (code !== 0)
    throw new ZkmipsError(
      `${what} failed in its child process (zkmips ${args[0]}, exit status ${code})`,
      "its error is printed above",
    );
  return out;
}
