/**
 * The initial stack, laid out as Linux's execve does for a MIPS O32 process, with fixed
 * contents so that the image (and the proof's verifying key) depends only on the ELF:
 *
 *   sp+0   argc = 1
 *   sp+4   argv[0] -> "guest"
 *   sp+8   NULL (end of argv)
 *   sp+12  NULL (envp is empty)
 *   sp+16  auxv pairs: AT_PHDR, AT_PHENT, AT_PHNUM (when the headers are mapped), AT_PAGESZ 4096,
 *          AT_ENTRY, AT_UID/EUID/GID/EGID 0, AT_SECURE 0, AT_RANDOM -> 16 fixed bytes,
 *          AT_EXECFN -> "guest", AT_NULL
 *   ...    16 AT_RANDOM bytes (0x00..0x0f), "guest\0", zero padding up to STACK_TOP
 * sp is 16-byte aligned; the block ends at STACK_TOP (0x7F000000).
 */
import { PAGE_BYTES, STACK_TOP } from "./layout.ts";

const AT_NULL = 0;
const AT_PHDR = 3;
const AT_PHENT = 4;
const AT_PHNUM = 5;
const AT_PAGESZ = 6;
const AT_ENTRY = 9;
const AT_UID = 11;
const AT_EUID = 12;
const AT_GID = 13;
const AT_EGID = 14;
const AT_SECURE = 23;
const AT_RANDOM = 25;
const AT_EXECFN = 31;

export interface InitialStack {
  readonly sp: number;
  /** Bytes from sp up to STACK_TOP. */
  readonly data: Uint8Array;
}

export function buildInitialStack(info: { entry: number; phdrAddr: number; phnum: number }): InitialStack {
  const name = new TextEncoder().encode("guest\0");
  // Strings and random bytes at the top (below a 16-byte zero gap, as Linux leaves one).
  const randomAddr = STACK_TOP - 16 - 16;
  const nameAddr = randomAddr - 16; // "guest\0" padded to 16
  const aux: number[] = [];
  if (info.phdrAddr) aux.push(AT_PHDR, info.phdrAddr, AT_PHENT, 32, AT_PHNUM, info.phnum);
  aux.push(AT_PAGESZ, PAGE_BYTES, AT_ENTRY, info.entry, AT_UID, 0, AT_EUID, 0, AT_GID, 0, AT_EGID, 0);
  aux.push(AT_SECURE, 0, AT_RANDOM, randomAddr, AT_EXECFN, nameAddr, AT_NULL, 0);
  const words = [1, nameAddr, 0, 0, ...aux];
  const sp = (nameAddr - words.length * 4) & ~15;
  const data = new Uint8Array(STACK_TOP - sp);
  const view = new DataView(data.buffer);
  words.forEach((w, i) => view.setUint32(i * 4, w >>> 0, true));
  for (let i = 0; i < 16; i++) data[randomAddr - sp + i] = i;
  data.set(name, nameAddr - sp);
  return { sp, data };
}
