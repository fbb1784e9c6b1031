/**
 * Sparse guest memory: 4 KiB pages of 1024 little-endian words, allocated on first write.
 * The page table is a flat array over the valid range [MIN_ADDR, MAX_ADDR); untouched valid
 * pages point at one shared all-zero page, and invalid pages (page 0, or beyond MAX_ADDR) read
 * as `undefined`, so one table lookup both range-checks and finds the page. Resident memory
 * grows with the pages written (the table itself is a fixed 4 MiB of pointers).
 */
import { endianness } from "node:os";
import { MAX_ADDR, MIN_ADDR, PAGE_BYTES, PAGE_SHIFT, PAGE_WORDS } from "./layout.ts";

if (endianness() !== "LE") throw new Error("the MIPS executor needs a little-endian host");

const PAGES = MAX_ADDR >>> PAGE_SHIFT;

export class Memory {
  /** Shared read-only zero page: never written (writers allocate first). */
  readonly zero = new Int32Array(PAGE_WORDS);
  readonly pages: (Int32Array | undefined)[];
  /** Number of allocated (written) pages. */
  allocated = 0;

  constructor() {
    const pages: (Int32Array | undefined)[] = [];
    const first = MIN_ADDR >>> PAGE_SHIFT;
    const zero = this.zero;
    for (let i = 0; i < PAGES; i++) pages.push(i < first ? undefined : zero);
    this.pages = pages;
  }

  /** True when `addr` (any alignment) is a valid guest address. */
  static valid(addr: number): boolean {
    return addr >>> 0 >= MIN_ADDR && addr >>> 0 < MAX_ADDR;
  }

  /** Allocates page `pn` if it is still the shared zero page; returns it. */
  alloc(pn: number): Int32Array {
    let p = this.pages[pn]!;
    if (p === this.zero) {
      p = new Int32Array(PAGE_WORDS);
      this.pages[pn] = p;
      this.allocated++;
    }
    return p;
  }

  /** Word at a valid, word-aligned address (callers check). */
  readWord(addr: number): number {
    return this.pages[addr >>> PAGE_SHIFT]![(addr >>> 2) & (PAGE_WORDS - 1)];
  }

  writeWord(addr: number, value: number): void {
    this.alloc(addr >>> PAGE_SHIFT)[(addr >>> 2) & (PAGE_WORDS - 1)] = value;
  }

  /** Copies bytes into memory (range already validated). Pages are viewed as bytes (little-endian host). */
  writeBytes(addr: number, bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) {
      const a = addr + done;
      const off = a & (PAGE_BYTES - 1);
      const n = Math.min(PAGE_BYTES - off, bytes.length - done);
      const p = this.alloc(a >>> PAGE_SHIFT);
      new Uint8Array(p.buffer, p.byteOffset, PAGE_BYTES).set(bytes.subarray(done, done + n), off);
      done += n;
    }
  }

  readBytes(addr: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const a = addr + done;
      const off = a & (PAGE_BYTES - 1);
      const n = Math.min(PAGE_BYTES - off, length - done);
      const p = this.pages[a >>> PAGE_SHIFT]!;
      out.set(new Uint8Array(p.buffer, p.byteOffset + off, n), done);
      done += n;
    }
    return out;
  }

  /** Calls `fn(addr, word)` for every nonzero word of every allocated page, in address order. */
  forEachNonzero(fn: (addr: number, word: number) => void): void {
    for (let pn = 0; pn < this.pages.length; pn++) {
      const p = this.pages[pn];
      if (p === undefined || p === this.zero) continue;
      for (let i = 0; i < PAGE_WORDS; i++) if (p[i] !== 0) fn(((pn << PAGE_SHIFT) + i * 4) >>> 0, p[i]);
    }
  }
}
