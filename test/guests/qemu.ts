/**
 * Runs a guest ELF under qemu-mipsel with the zkmips file descriptors wired up: fd 0 = input,
 * fd 1/2 captured, fd 3 = public values (read back), fd 4 = hints (written, then closed).
 * Core dumps are disabled so fault tests leave nothing behind.
 */
import { spawn, spawnSync } from "node:child_process";
import type { Readable, Writable } from "node:stream";

export interface GuestRun {
  /** Exit status, or null when the process died by a signal. */
  exitCode: number | null;
  signal: string | null;
  stdout: Buffer;
  stderr: Buffer;
  publicValues: Buffer;
}

/** The qemu binary; ZKMIPS_QEMU overrides it (e.g. to check that the tests skip without qemu). */
const QEMU = process.env.ZKMIPS_QEMU ?? "qemu-mipsel";

let available: boolean | undefined;

/** True when qemu-mipsel (or $ZKMIPS_QEMU) runs on this machine. */
export function qemuAvailable(): boolean {
  available ??= spawnSync(QEMU, ["--version"], { stdio: "ignore" }).status === 0;
  return available;
}

function collect(stream: Readable | null | undefined): Promise<Buffer> {
  if (!stream) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("close", () => resolve(Buffer.concat(chunks)));
    stream.on("error", (e: NodeJS.ErrnoException) =>
      e.code === "ECONNRESET" ? resolve(Buffer.concat(chunks)) : reject(e),
    );
  });
}

function feed(stream: Writable | null | undefined, bytes: Uint8Array): void {
  if (!stream) return;
  stream.on("error", () => {}); // the guest may exit without reading everything (EPIPE)
  stream.end(Buffer.from(bytes));
}

/** Runs `elf` under qemu-mipsel; resolves when the process and all its pipes are done. */
export async function runQemu(
  elf: string,
  options: { input?: Uint8Array; hints?: Uint8Array; timeoutMs?: number } = {},
): Promise<GuestRun> {
  const child = spawn("sh", ["-c", 'ulimit -c 0; exec "$0" "$1"', QEMU, elf], {
    stdio: ["pipe", "pipe", "pipe", "pipe", "pipe"],
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
  const [stdout, stderr, publicValues] = [
    collect(child.stdout),
    collect(child.stderr),
    collect(child.stdio[3] as Readable),
  ];
  feed(child.stdin, options.input ?? new Uint8Array());
  feed(child.stdio[4] as Writable, options.hints ?? new Uint8Array());
  const [exitCode, signal] = await new Promise<[number | null, string | null]>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, sig) => resolve([code, sig]));
  });
  clearTimeout(timer);
  return { exitCode, signal, stdout: await stdout, stderr: await stderr, publicValues: await publicValues };
}
