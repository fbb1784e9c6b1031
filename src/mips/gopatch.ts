/**
 * Load-time patches for Go runtimes (GOARCH=mipsle), found through the binary's .gopclntab
 * (present even in stripped binaries). The executor runs one thread, as Cannon does: clone
 * reports a thread that never runs. That is enough for Go except `runtime.gcenable`, which runs
 * while the main goroutine is locked to the main thread and waits on two goroutines; the locked
 * thread would hand its P to a new thread (which never runs) and sleep forever. Like Cannon we
 * replace `runtime.gcenable` with `jr $ra; nop`, so the background sweeper and scavenger never
 * start and the garbage collector stays disabled (the heap only grows). The patched words are part
 * of the program image, so of the verifying key.
 */
import { ZkmipsError } from "../errors.ts";

/** Functions replaced by `jr $ra; nop`. */
export const GO_PATCHED_FUNCTIONS = ["runtime.gcenable"] as const;

const JR_RA = 0x03e00008;

export interface GoPatch {
  readonly name: string;
  readonly addr: number;
}

/** Finds a section's file range by name, or undefined. */
function findSection(
  bytes: Uint8Array,
  view: DataView,
  name: string,
): { offset: number; size: number } | undefined {
  const shoff = view.getUint32(32, true);
  const shentsize = view.getUint16(46, true);
  const shnum = view.getUint16(48, true);
  const shstrndx = view.getUint16(50, true);
  if (shoff === 0 || shentsize !== 40 || shstrndx >= shnum || shoff + shnum * 40 > bytes.length)
    return undefined;
  const strOff = view.getUint32(shoff + shstrndx * 40 + 16, true);
  const want = new TextEncoder().encode(name + "\0");
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * 40;
    const n = strOff + view.getUint32(o, true);
    if (n + want.length > bytes.length) continue;
    let match = true;
    for (let k = 0; k < want.length && match; k++) match = bytes[n + k] === want[k];
    if (match) return { offset: view.getUint32(o + 16, true), size: view.getUint32(o + 20, true) };
  }
  return undefined;
}

/**
 * Returns the entry addresses of `names` in a Go binary (empty map for a non-Go binary).
 * Supports the pclntab layout of Go 1.18-1.19 (magic 0xfffffff0) and 1.20+ (0xfffffff1).
 */
export function goFunctionAddresses(bytes: Uint8Array, names: readonly string[]): Map<string, number> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Map<string, number>();
  const sec = findSection(bytes, view, ".gopclntab");
  if (!sec) return out;
  if (sec.offset + sec.size > bytes.length || sec.size < 40)
    throw new ZkmipsError("malformed guest ELF: truncated .gopclntab");
  const base = sec.offset;
  const magic = view.getUint32(base, true);
  if (magic !== 0xfffffff0 && magic !== 0xfffffff1) {
    throw new ZkmipsError(
      `unsupported Go version: .gopclntab magic ${magic.toString(16)} (need Go 1.18 or newer)`,
    );
  }
  if (bytes[base + 7] !== 4) throw new ZkmipsError("malformed guest ELF: .gopclntab pointer size is not 4");
  const word = (i: number): number => view.getUint32(base + 8 + i * 4, true);
  const nfunc = word(0);
  const textStart = word(2);
  const funcnameOff = word(3);
  const pclnOff = word(7);
  const wanted = new Set(names);
  const decoder = new TextDecoder();
  for (let i = 0; i < nfunc && out.size < wanted.size; i++) {
    const ft = base + pclnOff + i * 8;
    if (ft + 8 > base + sec.size) break;
    const entryOff = view.getUint32(ft, true);
    const funcOff = view.getUint32(ft + 4, true);
    const fo = base + pclnOff + funcOff;
    if (fo + 8 > base + sec.size) continue;
    const nameStart = base + funcnameOff + view.getInt32(fo + 4, true);
    let end = nameStart;
    while (end < base + sec.size && bytes[end] !== 0) end++;
    const name = decoder.decode(bytes.subarray(nameStart, end));
    if (wanted.has(name)) out.set(name, (textStart + entryOff) >>> 0);
  }
  return out;
}

/** Applies the Go runtime patches to segment data in place; returns what was patched. */
export function patchGo(
  bytes: Uint8Array,
  segments: readonly { vaddr: number; data: Uint8Array; executable: boolean }[],
): GoPatch[] {
  const addrs = goFunctionAddresses(bytes, GO_PATCHED_FUNCTIONS);
  const patches: GoPatch[] = [];
  for (const [name, addr] of addrs) {
    const seg = segments.find((s) => s.executable && addr >= s.vaddr && addr + 8 <= s.vaddr + s.data.length);
    if (!seg || addr & 3)
      throw new ZkmipsError(`malformed Go binary: ${name} at ${addr.toString(16)} is not in the text`);
    const v = new DataView(seg.data.buffer, seg.data.byteOffset, seg.data.byteLength);
    v.setUint32(addr - seg.vaddr, JR_RA, true);
    v.setUint32(addr - seg.vaddr + 4, 0, true);
    patches.push({ name, addr });
  }
  return patches;
}
