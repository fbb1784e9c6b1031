/**
 * Bus identifiers and byte-table operation codes of the MIPS machine.
 *
 * Tuple shapes (every bus has one arity):
 * - STATE   (clk, pc, nextPc): consumed by the row that executes `pc`, produced for the next one.
 * - PROGRAM (pc, family, op, a, b, d, imm0, imm1, imm2, imm3, target): instruction fetch from the ROM.
 * - MEMORY  (key, ts, v0, v1, v2, v3): a word (4 bytes) at a register/memory key and its timestamp.
 * - BYTE    (op, x, y, z): a row of the preprocessed byte table (see {@link ByteOp}).
 * - PUBLIC  (index, byte): one fd-3 byte, received by the verifier from the public values.
 * - EXIT    (code): produced by the exit syscall, received by the verifier from the public exit code.
 * - IO      (ts, ptr, remaining, kind, pvIndex): the byte transfer chain of a read/write syscall.
 * - KECCAK  (ts, key): a keccakf syscall's state (first word key) and the timestamp of its accesses.
 * - KECCAK_LANE (ts, key0, round, id, l0..l3): a lane of a keccakf call's state as 16-bit limbs, the
 *   input of `round` (id = lane 0..24) or its theta output (id = 25 + lane); see chips/keccak.ts.
 */
export const Bus = {
  STATE: 1,
  PROGRAM: 2,
  MEMORY: 3,
  BYTE: 4,
  PUBLIC: 5,
  EXIT: 6,
  IO: 7,
  KECCAK: 8,
  KECCAK_LANE: 9,
} as const;

/**
 * Byte-table operations. The table has 256 rows i = x = a + 16 b and holds
 * (U8, x, 0, 0), (MSB, x, 0, x >> 7), (CLZ8, x, 0, clz8(x)) and, for the nibbles a, b of i, (op, a, b, a op b) for
 * op in AND, OR, XOR, NOR (NOR = 15 - (a | b)) and (NIB, a, b, 0) (two nibbles).
 */
export const ByteOp = {
  U8: 0,
  MSB: 1,
  AND: 2,
  OR: 3,
  XOR: 4,
  NOR: 5,
  NIB: 6,
  /** (CLZ8, x, 0, leading zeros of the byte x), 8 for x = 0. */
  CLZ8: 7,
} as const;
export const BYTE_OPS = 8;

/** Clock ticks per instruction for the chips with at most four accesses (slots clk+0..3). */
export const CLK_STEP = 4;
/** Timestamp differences are range-checked to 24 bits (three byte limbs). */
export const TS_DIFF_BITS = 24;
