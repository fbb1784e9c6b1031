/**
 * Fixed facts of the guest machine: the address range every guest address must lie in, page
 * size, stack placement, file descriptors and register numbering in the memory argument.
 */

/** Lowest valid guest address: the page below faults like a null dereference. */
export const MIN_ADDR = 0x1000;
/** One past the highest valid guest address (KoalaBear p = 0x7F000001, so nothing may alias). */
export const MAX_ADDR = 0x7f000000;
/** Page size of the sparse memory and of mmap/brk rounding. */
export const PAGE_BYTES = 4096;
export const PAGE_SHIFT = 12;
export const PAGE_WORDS = 1024;
/** The stack grows down from MAX_ADDR; Linux's default 8 MiB limit. */
export const STACK_TOP = MAX_ADDR;
export const STACK_BYTES = 8 * 1024 * 1024;
export const STACK_BOTTOM = STACK_TOP - STACK_BYTES;

/** File descriptors seen by the guest. */
export const FD_INPUT = 0;
export const FD_STDOUT = 1;
export const FD_STDERR = 2;
export const FD_PUBLIC = 3;
export const FD_HINTS = 4;

/** Register addresses in the memory argument: GPRs 0-31, then hi and lo (as in Ziren). */
export const REG_HI = 32;
export const REG_LO = 33;
/** UserLocal: the thread pointer set by set_thread_area and read by `rdhwr $3, $29`. */
export const REG_ULR = 34;
/** Index of the write sink in the register file: writes to $zero land here. Never traced. */
export const REG_SINK = 63;

export function hex(n: number): string {
  return "0x" + (n >>> 0).toString(16).padStart(8, "0");
}
