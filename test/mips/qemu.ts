/**
 * Runs hand-assembled programs under zkmips and, when available, qemu-mipsel: the program's
 * epilogue dumps registers 1-25, 28-31, hi and lo to stdout, so both can be compared.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execute } from "../../src/mips/index.ts";
import { DATA, asm, buildElf, li, program, type ElfOptions } from "./asm.ts";

export const hasQemu = spawnSync("qemu-mipsel", ["--version"]).status === 0;

/** Registers reported by the dump (k0/k1 are used by the epilogue; sp differs between qemu and zkmips). */
export const DUMPED = [...Array.from({ length: 25 }, (_, i) => i + 1), 28, 30, 31]; // not sp: stacks differ
const DUMP_AT = DATA + 0x800;

function epilogue(): number[] {
  const out: number[] = [...li(26, DUMP_AT)];
  DUMPED.forEach((r, i) => out.push(asm.sw(r, i * 4, 26)));
  out.push(
    asm.mfhi(27),
    asm.sw(27, DUMPED.length * 4, 26),
    asm.mflo(27),
    asm.sw(27, DUMPED.length * 4 + 4, 26),
  );
  out.push(
    asm.addiu(4, 0, 1),
    asm.addu(5, 26, 0),
    asm.addiu(6, 0, (DUMPED.length + 2) * 4),
    asm.addiu(2, 0, 4004),
    asm.syscall(),
  );
  out.push(asm.addiu(4, 0, 0), asm.addiu(2, 0, 4001), asm.syscall());
  return out;
}

export interface Dump {
  regs: Map<number, number>;
  hi: number;
  lo: number;
  raw: Uint8Array;
}

function parse(raw: Uint8Array): Dump {
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const regs = new Map<number, number>();
  DUMPED.forEach((r, i) => regs.set(r, v.getUint32(i * 4, true)));
  return {
    regs,
    hi: v.getUint32(DUMPED.length * 4, true),
    lo: v.getUint32(DUMPED.length * 4 + 4, true),
    raw,
  };
}

/** Runs `words` + the dump epilogue under zkmips (and qemu when present, returned second). */
export function runDump(words: readonly number[], opts: ElfOptions = {}): { zk: Dump; qemu?: Dump } {
  const all = [...words, ...epilogue()];
  const data = opts.data ?? new Uint8Array(0x1000);
  const zk = parse(execute(program(all, { ...opts, data })).stdout);
  if (!hasQemu) return { zk };
  const dir = mkdtempSync(path.join(tmpdir(), "zkmips-isa-"));
  const file = path.join(dir, "t.elf");
  writeFileSync(file, buildElf(all, { ...opts, data }), { mode: 0o755 });
  const q = spawnSync("qemu-mipsel", [file], { timeout: 20000 });
  if (q.status !== 0) throw new Error(`qemu-mipsel failed: status ${q.status} signal ${q.signal}`);
  return { zk, qemu: parse(new Uint8Array(q.stdout)) };
}
