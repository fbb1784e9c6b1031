/**
 * ELF32 little-endian MIPS executable loader. Validates the file strictly (class, endianness,
 * machine, type, ISA level, segment bounds and overlaps, truncation) and produces the program
 * image: loadable segments plus the initial stack (argv, envp, auxv), which together with the
 * entry point fix everything the guest starts from.
 */
import { ZkmipsError } from "../errors.ts";
import { MAX_ADDR, MIN_ADDR, PAGE_BYTES, STACK_BOTTOM, hex } from "./layout.ts";
import { patchGo, type GoPatch } from "./gopatch.ts";
import { buildInitialStack } from "./stack.ts";

/** One contiguous piece of the initial memory image. */
export interface MipsSegment {
  /** First byte address. */
  readonly vaddr: number;
  /** Initial contents, `memsz` bytes (the part beyond the file size is zero). */
  readonly data: Uint8Array;
  readonly executable: boolean;
  readonly writable: boolean;
}

/** A loaded guest: entry point, memory image (including the initial stack) and initial break. */
export interface MipsProgram {
  readonly entry: number;
  /** ELF segments followed by the initial stack segment; non-overlapping. */
  readonly segments: readonly MipsSegment[];
  /** Initial $sp (points at argc). */
  readonly initialSp: number;
  /** Initial program break: end of the highest segment rounded up to a page. */
  readonly brkStart: number;
  /** Go runtime functions replaced at load time (empty for other guests); see gopatch.ts. */
  readonly patches: readonly GoPatch[];
}

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const PF_X = 1;
const PF_W = 2;
const EF_MIPS_ARCH_MASK = 0xf0000000;
/** MIPS I, II, MIPS32 and MIPS32r2: everything a -march=mips32r2 guest may be marked with. */
const ACCEPTED_ARCH = new Set([0x00000000, 0x10000000, 0x50000000, 0x70000000]);

function bad(what: string): never {
  throw new ZkmipsError(
    `malformed guest ELF: ${what}`,
    "build the guest as a static ELF32 little-endian MIPS32r2 executable",
  );
}

/**
 * Parses and validates a guest ELF.
 * @example const program = loadElf(readFileSync("guests/fib/fib.elf"));
 */
export function loadElf(bytes: Uint8Array): MipsProgram {
  if (bytes.length < 52) bad(`file is ${bytes.length} bytes, shorter than an ELF32 header (52)`);
  if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) bad("no ELF magic");
  if (bytes[4] !== 1) bad(`class ${bytes[4]} is not ELFCLASS32`);
  if (bytes[5] !== 1) bad(`data encoding ${bytes[5]} is not little-endian`);
  if (bytes[6] !== 1) bad(`ELF version ${bytes[6]} is not 1`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = view.getUint16(16, true);
  const machine = view.getUint16(18, true);
  const entry = view.getUint32(24, true);
  const phoff = view.getUint32(28, true);
  const flags = view.getUint32(36, true);
  const phentsize = view.getUint16(42, true);
  const phnum = view.getUint16(44, true);
  if (machine !== 8) bad(`machine ${machine} is not EM_MIPS (8)`);
  if (type !== 2) bad(`type ${type} is not ET_EXEC (2): link the guest statically, without PIE`);
  if (!ACCEPTED_ARCH.has((flags & EF_MIPS_ARCH_MASK) >>> 0)) {
    bad(`ISA level flags ${hex(flags)} are not MIPS32r2 or older`);
  }
  if (flags & 0x20) bad("64-bit ABI flags (EF_MIPS_ABI2)");
  if (phnum === 0) bad("no program headers");
  if (phentsize !== 32) bad(`program header size ${phentsize} is not 32`);
  if (phoff + phnum * 32 > bytes.length)
    bad(`program headers end at ${phoff + phnum * 32}, past the file end ${bytes.length}`);

  const segments: MipsSegment[] = [];
  let phdrAddr = 0;
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * 32;
    const ptype = view.getUint32(o, true);
    if (ptype === PT_INTERP || ptype === PT_DYNAMIC) bad("dynamically linked executable: link with -static");
    if (ptype !== PT_LOAD) continue;
    const offset = view.getUint32(o + 4, true);
    const vaddr = view.getUint32(o + 8, true);
    const filesz = view.getUint32(o + 16, true);
    const memsz = view.getUint32(o + 20, true);
    const pflags = view.getUint32(o + 24, true);
    if (filesz > memsz) bad(`segment ${i} file size ${filesz} exceeds its memory size ${memsz}`);
    if (offset + filesz > bytes.length) {
      bad(
        `segment ${i} needs file bytes [${offset}, ${offset + filesz}) but the file is ${bytes.length} bytes (truncated?)`,
      );
    }
    if (memsz === 0) continue;
    if (vaddr < MIN_ADDR || vaddr + memsz > STACK_BOTTOM) {
      bad(
        `segment ${i} [${hex(vaddr)}, ${hex(vaddr + memsz)}) lies outside [${hex(MIN_ADDR)}, ${hex(STACK_BOTTOM)})` +
          ` (guest addresses must be in [${hex(MIN_ADDR)}, ${hex(MAX_ADDR)}) and below the stack)`,
      );
    }
    for (const s of segments) {
      if (vaddr < s.vaddr + s.data.length && s.vaddr < vaddr + memsz) {
        bad(
          `segment ${i} [${hex(vaddr)}, ${hex(vaddr + memsz)}) overlaps [${hex(s.vaddr)}, ${hex(s.vaddr + s.data.length)})`,
        );
      }
    }
    const data = new Uint8Array(memsz);
    data.set(bytes.subarray(offset, offset + filesz));
    if (phoff >= offset && phoff + phnum * 32 <= offset + filesz) phdrAddr = vaddr + (phoff - offset);
    segments.push({ vaddr, data, executable: (pflags & PF_X) !== 0, writable: (pflags & PF_W) !== 0 });
  }
  if (segments.length === 0) bad("no loadable segment");
  if (entry & 3) bad(`entry point ${hex(entry)} is not word-aligned`);
  if (!segments.some((s) => s.executable && entry >= s.vaddr && entry < s.vaddr + s.data.length)) {
    bad(`entry point ${hex(entry)} is not inside an executable segment`);
  }
  segments.sort((a, b) => a.vaddr - b.vaddr);
  const patches = patchGo(bytes, segments);
  const last = segments[segments.length - 1];
  const brkStart = Math.ceil((last.vaddr + last.data.length) / PAGE_BYTES) * PAGE_BYTES;
  const stack = buildInitialStack({ entry, phdrAddr, phnum });
  segments.push({ vaddr: stack.sp, data: stack.data, executable: false, writable: true });
  return { entry, segments, initialSp: stack.sp, brkStart, patches };
}
