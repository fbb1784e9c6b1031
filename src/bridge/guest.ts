/**
 * Runs the storage-proof guest (guests/storage-proof/storage-proof.elf) in the executor and
 * returns its public values; a failed check in the guest becomes a ZkmipsError naming it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { ZkmipsError } from "../errors.ts";
import { execute, loadElf, type MipsProgram } from "../mips/index.ts";
import { REPO_ROOT } from "./artifacts.ts";

export const STORAGE_PROOF_ELF = path.join(REPO_ROOT, "guests", "storage-proof", "storage-proof.elf");
const MAX_CYCLES = 200_000_000;

let cached: MipsProgram | undefined;

/** The storage-proof guest's ELF bytes. */
export function storageProofElf(): Uint8Array {
  return new Uint8Array(readFileSync(STORAGE_PROOF_ELF));
}

export interface GuestRun {
  publicValues: Uint8Array;
  cycles: number;
  seconds: number;
}

/** Executes the guest on `input`; throws ZkmipsError with the guest's stderr when it rejects. */
export function runStorageGuest(input: Uint8Array, elf?: Uint8Array): GuestRun {
  const program = elf ? loadElf(elf) : (cached ??= loadElf(storageProofElf()));
  const t0 = performance.now();
  const r = execute(program, { input, maxCycles: MAX_CYCLES });
  const seconds = (performance.now() - t0) / 1000;
  if (r.exitCode !== 0) {
    const msg = new TextDecoder().decode(r.stderr).trim() || `exit status ${r.exitCode}`;
    throw new ZkmipsError(`storage-proof guest rejected its input: ${msg}`, `exit status ${r.exitCode}`);
  }
  return { publicValues: r.publicValues, cycles: r.cycles, seconds };
}
