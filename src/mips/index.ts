/** The MIPS32r2 executor: ELF loading, execution (fast and tracing) and guest faults. */
export { loadElf, type MipsProgram, type MipsSegment } from "./elf.ts";
export { execute, CycleLimitError, type ExecuteOptions, type ExecutionResult } from "./execute.ts";
export { MipsFault } from "./fault.ts";
export type { ExecutionTrace, AccessColumns } from "./trace.ts";
export { MAX_ADDR, MIN_ADDR, STACK_TOP, STACK_BYTES } from "./layout.ts";
