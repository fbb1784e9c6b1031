/**
 * The AIR's view of a loaded guest: every word of the initial image (ELF segments and the initial
 * stack exactly as the executor's `loadElf` lays them out), the initial register values, and the
 * executable ranges whose words become ROM rows. Zero data words are left out (a zero word and an
 * untouched key look the same to the memory argument); code words are always kept, since each is a
 * fetchable instruction.
 */
import type { MipsProgram } from "../elf.ts";
import type { ProgramImage } from "./tables.ts";
import { REG_BRK, REG_MMAP } from "./decode.ts";
import { STACK_BOTTOM } from "../layout.ts";

/**
 * Initial register-file values besides zero: $sp (29) at the initial stack, the break (key 36), the
 * mmap cursor (key 37) at the stack bottom.
 */
export function programImage(p: MipsProgram): ProgramImage {
  const words = new Map<number, number>();
  const code: [number, number][] = [];
  for (const s of p.segments) {
    const start = s.vaddr & ~3;
    const end = (s.vaddr + s.data.length + 3) & ~3;
    if (s.executable) code.push([start, end]);
    for (let a = start; a < end; a += 4) {
      let w = words.get(a) ?? 0;
      for (let k = 0; k < 4; k++) {
        const off = a + k - s.vaddr;
        if (off >= 0 && off < s.data.length) w = (w & ~(0xff << (8 * k))) | (s.data[off] << (8 * k));
      }
      w >>>= 0;
      if (w !== 0 || s.executable) words.set(a, w);
      else words.delete(a);
    }
  }
  words.set(29 * 4, p.initialSp >>> 0);
  words.set(REG_BRK * 4, p.brkStart >>> 0);
  words.set(REG_MMAP * 4, STACK_BOTTOM);
  return { entry: p.entry, words, code, brkStart: p.brkStart };
}
