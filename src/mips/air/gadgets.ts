/**
 * Column layouts and the gadgets every MIPS chip shares, each written twice side by side:
 * once as constraints/interactions on a {@link TableBuilder}, once as witness filling.
 *
 * - {@link Layout}: named main columns of a chip (index allocation before the table exists).
 * - {@link ChipCtx}: constraint helpers that remember a name per constraint (for error messages).
 * - {@link Witness}: column-major witness storage plus the lookup counters that the byte table and
 *   the program ROM need for their multiplicity columns.
 * - Register/memory access: consume (key, prevTs, prev) and produce (key, ts, value) on the MEMORY
 *   bus, with ts - prevTs - 1 in [0, 2^24) checked by a U16 and a U8 lookup.
 */
import type { TableBuilder } from "../../stark/air.ts";
import { type Expr, type ExprLike, constant, lift, sum } from "../../stark/expr.ts";
import { Bus, ByteOp, BYTE_OPS } from "./buses.ts";
import { inv as finv } from "../../field/koalabear.ts";

export class Layout {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  add(name: string): number {
    if (this.index.has(name)) throw new Error(`layout: duplicate column ${name}`);
    this.index.set(name, this.names.length);
    this.names.push(name);
    return this.names.length - 1;
  }
  /** Adds `name0..name{n-1}`. */
  addN(name: string, n: number): number[] {
    return Array.from({ length: n }, (_, i) => this.add(`${name}${i}`));
  }
  idx(name: string): number {
    const i = this.index.get(name);
    if (i === undefined) throw new Error(`layout: no column ${name}`);
    return i;
  }
  get width(): number {
    return this.names.length;
  }
}

/** Constraint-side view of a chip: column access by name and named constraints. */
export class ChipCtx {
  readonly constraintNames: string[] = [];
  constructor(
    readonly t: TableBuilder,
    readonly L: Layout,
  ) {}
  c(name: string): Expr {
    return this.t.main(this.L.idx(name));
  }
  n(name: string): Expr {
    return this.t.next(this.L.idx(name));
  }
  cs(name: string, n: number): Expr[] {
    return Array.from({ length: n }, (_, i) => this.c(`${name}${i}`));
  }
  zero(name: string, e: ExprLike): void {
    this.t.assertZero(e);
    this.constraintNames.push(name);
  }
  bool(name: string, e: ExprLike): void {
    const x = lift(e);
    this.zero(`${name} is boolean`, x.mul(x.sub(1)));
  }
  byte(op: ExprLike, x: ExprLike, y: ExprLike, z: ExprLike, mult: ExprLike): void {
    this.t.send(Bus.BYTE, [op, x, y, z], mult);
  }
  /** x is a byte. */
  u8(x: ExprLike, mult: ExprLike): void {
    this.byte(ByteOp.U8, x, 0, 0, mult);
  }
  /** x < 2^bits (bits <= 8): x and x + 2^8 - 2^bits are bytes. */
  bits(x: ExprLike, bits: number, mult: ExprLike): void {
    this.u8(x, mult);
    if (bits < 8) this.u8(lift(x).add(256 - (1 << bits)), mult);
  }
  /** a and b are nibbles. */
  nib(a: ExprLike, b: ExprLike, mult: ExprLike): void {
    this.byte(ByteOp.NIB, a, b, 0, mult);
  }
}

/** Little-endian field value of 4 byte expressions (< 2^32: only injective when the top byte is bounded). */
export const wordOf = (b: readonly ExprLike[]): Expr =>
  sum(b.map((x, i) => lift(x).mul(constant(2 ** (8 * i)))));

/** Column-major witness of one table; grows while rows are filled, `finish` pads with zero rows. */
export class Witness {
  cols: Uint32Array[];
  rows = 0;
  constructor(
    readonly L: Layout,
    capacity = 16,
  ) {
    this.cols = Array.from({ length: L.width }, () => new Uint32Array(capacity));
  }
  /** Index of a new zero row. */
  addRow(): number {
    if (this.rows === this.cols[0]?.length) {
      this.cols = this.cols.map((c) => {
        const d = new Uint32Array(c.length * 2);
        d.set(c);
        return d;
      });
    }
    return this.rows++;
  }
  set(name: string, row: number, v: number): void {
    this.cols[this.L.idx(name)][row] = v;
  }
  setN(name: string, row: number, vs: readonly number[]): void {
    vs.forEach((v, i) => this.set(`${name}${i}`, row, v));
  }
  get(name: string, row: number): number {
    return this.cols[this.L.idx(name)][row];
  }
  /** Columns of exactly `height` rows (>= rows). */
  finish(height: number): Uint32Array[] {
    return this.cols.map((c) => {
      const d = new Uint32Array(height);
      d.set(c.subarray(0, Math.min(this.rows, height)));
      return d;
    });
  }
}

/** Multiplicities the preprocessed tables need, counted while chips fill their rows. */
export class LookupCounts {
  readonly byte: Uint32Array[] = Array.from({ length: BYTE_OPS }, () => new Uint32Array(256));
  readonly program = new Map<number, number>();
  /** Counts a table row: x for U8/MSB/CLZ8, a + 16 b for the nibble operations. */
  byteOp(op: number, x: number, y = 0): void {
    if (x < 0 || x > 255 || y < 0 || y > 255)
      throw new Error(`byte lookup ${op} of (${x}, ${y}) is out of range`);
    this.byte[op][op === ByteOp.U8 || op === ByteOp.MSB || op === ByteOp.CLZ8 ? x : x + 16 * y]++;
  }
  u8(x: number): void {
    this.byteOp(ByteOp.U8, x);
  }
  bits(x: number, bits: number): void {
    if (x >= 1 << bits) throw new Error(`${x} does not fit ${bits} bits`);
    this.u8(x);
    if (bits < 8) this.u8(x + 256 - (1 << bits));
  }
  /** Nibble-wise AND/OR/XOR/NOR of two bytes: two lookups. */
  bitwise(op: number, x: number, y: number): void {
    this.byteOp(op, x & 15, y & 15);
    this.byteOp(op, x >> 4, y >> 4);
  }
  fetch(pc: number): void {
    this.program.set(pc, (this.program.get(pc) ?? 0) + 1);
  }
}

export const bytesOf = (v: number): [number, number, number, number] => [
  v & 255,
  (v >>> 8) & 255,
  (v >>> 16) & 255,
  v >>> 24,
];

/** Declares the columns of a register or memory access named `name` (`write` adds prev-value bytes). */
export function accessColumns(L: Layout, name: string, write: boolean): void {
  L.add(`${name}_pts`);
  L.addN(`${name}_d`, 3);
  L.addN(`${name}_v`, 4);
  if (write) L.addN(`${name}_p`, 4);
}

/**
 * Access constraints: the previous token (key, pts, prev) is consumed and (key, ts, value) produced,
 * with ts - pts - 1 = d0 + 2^8 d1 + 2^16 d2 (bytes). `mult` must be 0 on padding rows.
 */
export function accessConstraints(
  cx: ChipCtx,
  name: string,
  key: ExprLike,
  ts: ExprLike,
  mult: Expr,
  write: boolean,
): void {
  const v = cx.cs(`${name}_v`, 4);
  const p = write ? cx.cs(`${name}_p`, 4) : v;
  const pts = cx.c(`${name}_pts`);
  const d = cx.cs(`${name}_d`, 3);
  cx.t.receive(Bus.MEMORY, [key, pts, ...p], mult);
  cx.t.send(Bus.MEMORY, [key, ts, ...v], mult);
  cx.zero(
    `${name}: ts - prevTs - 1 = d0 + 2^8 d1 + 2^16 d2`,
    mult.mul(lift(ts).sub(pts).sub(1).sub(wordOf(d))),
  );
  for (const di of d) cx.u8(di, mult);
}

/** The memory timeline while witnesses are generated: last timestamp and value of every key. */
export class MemoryTimeline {
  private readonly last = new Map<number, { ts: number; value: number }>();
  constructor(initial: Iterable<readonly [number, number]>) {
    for (const [k, v] of initial) this.last.set(k, { ts: 0, value: v >>> 0 });
  }
  /** Current value of `key` (0 when never touched and not in the image). */
  peek(key: number): number {
    return this.last.get(key)?.value ?? 0;
  }
  /** Records an access at `ts` writing `value` (reads pass the current value); returns the previous state. */
  touch(key: number, ts: number, value: number): { ts: number; value: number } {
    const prev = this.last.get(key) ?? { ts: 0, value: 0 };
    this.last.set(key, { ts, value: value >>> 0 });
    return prev;
  }
  entries(): [number, { ts: number; value: number }][] {
    return [...this.last.entries()];
  }
}

/** Fills an access's columns and counts its range lookups; returns the value before the access. */
export function fillAccess(
  w: Witness,
  row: number,
  name: string,
  mem: MemoryTimeline,
  lk: LookupCounts,
  key: number,
  ts: number,
  value: number | undefined,
  write: boolean,
): number {
  const cur = mem.peek(key);
  const v = value === undefined ? cur : value >>> 0;
  const prev = mem.touch(key, ts, v);
  const d = ts - prev.ts - 1;
  if (d < 0 || d >= 1 << 24) throw new Error(`access ${name}: timestamp gap ${d} out of range at key ${key}`);
  w.set(`${name}_pts`, row, prev.ts);
  w.setN(`${name}_d`, row, bytesOf(d).slice(0, 3));
  w.setN(`${name}_v`, row, bytesOf(v));
  if (write) w.setN(`${name}_p`, row, bytesOf(prev.value));
  lk.u8(d & 255);
  lk.u8((d >>> 8) & 255);
  lk.u8(d >>> 16);
  return prev.value;
}

/** Columns of a data address check (the address bytes themselves belong to the chip). */
export function addressColumns(L: Layout): void {
  for (const n of ["qa", "o0", "o1", "el", "eh", "zinv"]) L.add(n);
}

/**
 * Checks that the bytes e (e0 < 256 follows from qa < 64) form an address in [0x1000, 0x7F000000):
 * e0 = 4 qa + o0 + 2 o1, e1 = el + 16 eh (nibbles), e2, e3 bytes with e3 <= 0x7E, and
 * e3·2^12 + e2·2^4 + eh != 0 (an inverse exists). Returns the word key (address >> 2) and o0, o1.
 */
export function addressConstraints(
  cx: ChipCtx,
  e: readonly Expr[],
  isReal: Expr,
): { key: Expr; o0: Expr; o1: Expr } {
  const [qa, o0, o1, el, eh, zinv] = ["qa", "o0", "o1", "el", "eh", "zinv"].map((n) => cx.c(n));
  cx.bool("o0", o0);
  cx.bool("o1", o1);
  cx.zero("e0 = 4 qa + o0 + 2 o1", e[0].sub(qa.mul(4)).sub(o0).sub(o1.mul(2)));
  cx.bits(qa, 6, isReal);
  cx.zero("e1 = el + 16 eh", e[1].sub(el).sub(eh.mul(16)));
  cx.nib(el, eh, isReal);
  cx.u8(e[2], isReal);
  cx.u8(e[3], isReal);
  cx.u8(constant(0x7e).sub(e[3]), isReal);
  const z = e[3].mul(4096).add(e[2].mul(16)).add(eh);
  cx.zero("address >= 0x1000", isReal.mul(z.mul(zinv).sub(1)));
  const key = qa
    .add(e[1].mul(64))
    .add(e[2].mul(1 << 14))
    .add(e[3].mul(1 << 22));
  return { key, o0, o1 };
}

export function fillAddress(w: Witness, row: number, addr: number, lk: LookupCounts): void {
  if (addr < 0x1000 || addr >= 0x7f000000)
    throw new Error(`memory access at 0x${addr.toString(16)} outside [0x1000, 0x7F000000)`);
  const e = bytesOf(addr);
  w.set("qa", row, e[0] >> 2);
  w.set("o0", row, addr & 1);
  w.set("o1", row, (addr >> 1) & 1);
  w.set("el", row, e[1] & 15);
  w.set("eh", row, e[1] >> 4);
  w.set("zinv", row, finv(e[3] * 4096 + e[2] * 16 + (e[1] >> 4)));
  lk.bits(e[0] >> 2, 6);
  lk.byteOp(ByteOp.NIB, e[1] & 15, e[1] >> 4);
  lk.u8(e[2]);
  lk.u8(e[3]);
  lk.u8(0x7e - e[3]);
}
