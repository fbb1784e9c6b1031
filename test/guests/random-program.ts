/**
 * Random MIPS32r2 test programs for differential fuzzing: integer code with forward
 * branches (delay slots, branch-likely nullification, linking forms), forward j/jal/jr/jalr,
 * counted backward loops, loads and stores on a data buffer (incl. ll/sc pairs), ending in a dump of every register, hi/lo and the buffer to
 * stdout. Encodes instructions and writes a two-segment ELF itself (no assembler needed).
 * Avoids what the architecture leaves UNPREDICTABLE (division by zero, hi/lo after mul,
 * branches in delay slots).
 */

const CODE_BASE = 0x00400000;
const DATA_BASE = 0x00410000;
const CODE_START = CODE_BASE + 0x100; // file offset 0x100, after the headers
const BUFFER_BYTES = 64;
const BASE_REG = 23; // holds DATA_BASE throughout
/** Registers the generator reads and writes ($0 only as a source, or a discarded destination). */
const POOL = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 24, 25, 31];

const r = (op: number, rs: number, rt: number, rd: number, sa: number, fn: number) =>
  ((op << 26) | (rs << 21) | (rt << 16) | (rd << 11) | (sa << 6) | fn) >>> 0;
const imm = (op: number, rs: number, rt: number, value: number) =>
  ((op << 26) | (rs << 21) | (rt << 16) | (value & 0xffff)) >>> 0;

/** xorshift32: deterministic programs from a seed. */
class Rng {
  constructor(private x: number) {
    this.x = x >>> 0 || 0x1234567;
  }
  next(): number {
    let x = this.x;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.x = x >>> 0;
    return this.x;
  }
  below(n: number): number {
    return this.next() % n;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }
  /** Interesting 32-bit values: edges more often than uniform noise. */
  value(): number {
    const edges = [0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 0x8000, 0x7fff, 0xffff8000, 0xffff, 31, 32];
    return this.below(3) === 0 ? this.pick(edges) : this.next();
  }
}

function simple(g: Rng): number {
  const src = () => (g.below(10) === 0 ? 0 : g.pick(POOL));
  const dst = () => (g.below(40) === 0 ? 0 : g.pick(POOL));
  const s16 = () => (g.below(2) ? g.below(0x10000) : g.pick([0, 1, 0xffff, 0x8000, 0x7fff]));
  const kind = g.below(14);
  switch (kind) {
    case 0: // three-register ALU
      return r(
        0,
        src(),
        src(),
        dst(),
        0,
        g.pick([0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2a, 0x2b, 0x0a, 0x0b]),
      );
    case 1: // shifts and rotates by an immediate
      return g.below(4) === 0
        ? r(0, 1, src(), dst(), g.below(32), 2) // rotr
        : r(0, 0, src(), dst(), g.pick([0, 1, 31, g.below(32)]), g.pick([0, 2, 3]));
    case 2: // shifts by a register
      return g.below(4) === 0
        ? r(0, src(), src(), dst(), 1, 6)
        : r(0, src(), src(), dst(), 0, g.pick([4, 6, 7]));
    case 3: // immediate ALU
      return imm(g.pick([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e]), src(), dst(), s16());
    case 4:
      return imm(0x0f, 0, dst(), s16()); // lui
    case 5: {
      // clz clo (rt must equal rd)
      const d = dst();
      return r(0x1c, src(), d, d, 0, g.pick([0x20, 0x21]));
    }
    case 6: // seb seh wsbh
      return r(0x1f, 0, src(), dst(), g.pick([0x10, 0x18, 0x02]), 0x20);
    case 7: {
      // ext: lsb + size <= 32
      const lsb = g.below(32);
      const size = 1 + g.below(32 - lsb);
      return r(0x1f, src(), dst(), size - 1, lsb, 0);
    }
    case 8: {
      // ins: lsb <= msb < 32
      const lsb = g.below(32);
      const msb = lsb + g.below(32 - lsb);
      return r(0x1f, src(), dst(), msb, lsb, 4);
    }
    case 9: // mult multu madd maddu msub msubu
      return g.below(2)
        ? r(0, src(), src(), 0, 0, g.pick([0x18, 0x19]))
        : r(0x1c, src(), src(), 0, 0, g.pick([0, 1, 4, 5]));
    case 10: // mfhi mflo mthi mtlo
      return g.below(2)
        ? r(0, 0, 0, dst(), 0, g.pick([0x10, 0x12]))
        : r(0, src(), 0, 0, 0, g.pick([0x11, 0x13]));
    case 11: {
      // loads (aligned as required; lwl/lwr anywhere in the buffer)
      const op = g.pick([0x20, 0x24, 0x21, 0x25, 0x23, 0x22, 0x26]);
      const align = op === 0x23 ? 4 : op === 0x21 || op === 0x25 ? 2 : 1;
      return imm(op, BASE_REG, dst(), g.below(BUFFER_BYTES / align) * align);
    }
    case 12: {
      const op = g.pick([0x28, 0x29, 0x2b, 0x2a, 0x2e]); // sb sh sw swl swr
      const align = op === 0x2b ? 4 : op === 0x29 ? 2 : 1;
      return imm(op, BASE_REG, src(), g.below(BUFFER_BYTES / align) * align);
    }
    default:
      return r(0, src(), src(), dst(), 0, 0x21);
  }
}

/** One unit of straight-line code (may be several words), or a branch with its slot and skipped code. */
function unit(g: Rng, start: number): number[] {
  const choice = g.below(26);
  const at = (index: number) => CODE_START + 4 * index;
  const tail = (skipped: number) => Array.from({ length: skipped + 1 }, () => simple(g)); // slot + skipped
  if (choice === 20) {
    // ll/sc pair on one word: sc succeeds (nothing intervenes)
    const off = 4 * g.below(BUFFER_BYTES / 4);
    return [imm(0x30, BASE_REG, g.pick(POOL), off), imm(0x38, BASE_REG, g.pick(POOL), off)];
  }
  if (choice === 21) {
    // j / jal forward over 0..3 instructions
    const skipped = g.below(4);
    const target = at(start + 2 + skipped);
    return [(((g.below(2) ? 2 : 3) << 26) | ((target >>> 2) & 0x3ffffff)) >>> 0, ...tail(skipped)];
  }
  if (choice === 22) {
    // jr / jalr rd through $at, forward over 0..3 instructions
    const skipped = g.below(4);
    const target = at(start + 4 + skipped); // lui, ori, jump, slot, skipped...
    const rd = g.pick(POOL.filter((x) => x !== 1));
    const jump = g.below(3) === 0 ? r(0, 1, 0, 0, 0, 8) : r(0, 1, 0, rd, 0, 9);
    return [...loadConst(1, target), jump, ...tail(skipped)];
  }
  if (choice === 23) {
    // counted backward loop on $30 (outside the pool): body, decrement, bne back, slot
    const body = Array.from({ length: 1 + g.below(4) }, () => simple(g));
    const loopStart = start + 1;
    const bne = loopStart + body.length + 1;
    return [
      imm(0x09, 0, 30, 1 + g.below(5)),
      ...body,
      imm(0x09, 30, 30, -1),
      imm(0x05, 30, 0, loopStart - (bne + 1)),
      simple(g),
    ];
  }
  if (choice === 0) {
    // mul leaves hi/lo UNPREDICTABLE: redefine both right after
    return [
      r(0x1c, g.pick(POOL), g.pick(POOL), g.pick(POOL), 0, 2),
      r(0, g.pick(POOL), 0, 0, 0, 0x11),
      r(0, g.pick(POOL), 0, 0, 0, 0x13),
    ];
  }
  if (choice === 1) {
    // div/divu by an odd (so non-zero) divisor built in $at
    return [imm(0x0d, g.pick(POOL), 1, 1), r(0, g.pick(POOL), 1, 0, 0, g.pick([0x1a, 0x1b]))];
  }
  if (choice <= 4) {
    const skipped = g.below(4);
    const offset = skipped + 1; // target = slot + 4 + 4 * skipped
    const rs = g.pick([0, ...POOL]);
    const rt = g.pick([0, ...POOL]);
    let branch: number;
    const form = g.below(6);
    if (form === 0)
      branch = imm(g.pick([0x04, 0x05, 0x14, 0x15]), rs, rt, offset); // beq bne beql bnel
    else if (form === 1)
      branch = imm(g.pick([0x06, 0x07, 0x16, 0x17]), rs, 0, offset); // blez bgtz (likely)
    else if (form === 2)
      branch = imm(0x01, rs, g.pick([0x10, 0x11, 0x12, 0x13]), offset); // bltzal bgezal (likely)
    else branch = imm(0x01, rs, g.pick([0, 1, 2, 3]), offset); // bltz bgez (likely)
    const body = [branch, simple(g)];
    for (let i = 0; i < skipped; i++) body.push(simple(g));
    return body;
  }
  return [simple(g)];
}

function loadConst(reg: number, value: number): number[] {
  return [imm(0x0f, 0, reg, value >>> 16), imm(0x0d, reg, reg, value & 0xffff)];
}

/** A random program and its ELF. */
export function randomProgram(seed: number, units = 150): Uint8Array {
  const g = new Rng(seed);
  const code: number[] = [...loadConst(BASE_REG, DATA_BASE)];
  for (const reg of POOL) code.push(...loadConst(reg, g.value()));
  code.push(r(0, 1, 0, 0, 0, 0x11), r(0, 2, 0, 0, 0, 0x13)); // mthi $1, mtlo $2
  for (let i = 0; i < units; i++) code.push(...unit(g, code.length));
  // Dump: registers at buffer+64+4*reg, hi and lo after them, then write(1, buffer, size).
  const dump = BUFFER_BYTES;
  for (const reg of [...POOL, 30]) code.push(imm(0x2b, BASE_REG, reg, dump + 4 * reg));
  code.push(r(0, 0, 0, 1, 0, 0x10), imm(0x2b, BASE_REG, 1, dump + 4 * 32));
  code.push(r(0, 0, 0, 1, 0, 0x12), imm(0x2b, BASE_REG, 1, dump + 4 * 33));
  const size = dump + 4 * 34;
  code.push(
    imm(0x09, 0, 4, 1),
    imm(0x09, BASE_REG, 5, 0),
    imm(0x09, 0, 6, size),
    imm(0x09, 0, 2, 4004),
    0x0000000c,
  );
  code.push(imm(0x09, 0, 4, 0), imm(0x09, 0, 2, 4246), 0x0000000c, 0x0000000d);
  const data = new Uint8Array(size);
  for (let i = 0; i < BUFFER_BYTES; i++) data[i] = g.below(256);
  return writeElf(code, data);
}

/** ELF32 LE MIPS executable: code (R+X) at CODE_BASE + 0x100, data (R+W) at DATA_BASE. */
function writeElf(code: number[], data: Uint8Array): Uint8Array {
  const codeOff = CODE_START - CODE_BASE; // file offsets are congruent to addresses modulo the page size
  const codeBytes = code.length * 4;
  const dataOff = (codeOff + codeBytes + 0xfff) & ~0xfff;
  const out = new Uint8Array(dataOff + data.length);
  const v = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]);
  v.setUint16(16, 2, true); // ET_EXEC
  v.setUint16(18, 8, true); // EM_MIPS
  v.setUint32(20, 1, true);
  v.setUint32(24, CODE_START, true); // entry
  v.setUint32(28, 52, true); // phoff
  v.setUint32(36, 0x70001001, true); // mips32r2, o32, noreorder
  v.setUint16(40, 52, true);
  v.setUint16(42, 32, true);
  v.setUint16(44, 2, true);
  v.setUint16(46, 40, true);
  const phdr = (i: number, offset: number, vaddr: number, size: number, flags: number) => {
    const b = 52 + 32 * i;
    v.setUint32(b, 1, true); // PT_LOAD
    v.setUint32(b + 4, offset, true);
    v.setUint32(b + 8, vaddr, true);
    v.setUint32(b + 12, vaddr, true);
    v.setUint32(b + 16, size, true);
    v.setUint32(b + 20, size, true);
    v.setUint32(b + 24, flags, true);
    v.setUint32(b + 28, 0x1000, true);
  };
  phdr(0, codeOff, CODE_START, codeBytes, 5);
  phdr(1, dataOff, DATA_BASE, data.length, 6);
  code.forEach((w, i) => v.setUint32(codeOff + 4 * i, w, true));
  out.set(data, dataOff);
  return out;
}
