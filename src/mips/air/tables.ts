/**
 * The non-instruction tables of the MIPS machine.
 *
 * - **Program** (preprocessed; its commitment is the programVKey together with Byte): one row per
 *   word of the initial image (segments + initial stack) with the word's key and bytes, and for
 *   words of executable segments the decoded ROM fields. Each row produces the word's initial
 *   memory token (key, ts 0, bytes) exactly once, receives instruction fetches (pc, family, op, a, b,
 *   d, imm, target) with a prover-chosen multiplicity, and the entry row produces the start state
 *   (clk 0, entry, entry + 4). Non-code words carry family 0, which no chip sends.
 * - **Byte** (preprocessed, 256 rows): byte range, top bit, and nibble-wise and/or/xor/nor; one
 *   multiplicity column per {@link ByteOp}.
 * - **MemFinal**: one row per touched or image key, keys strictly increasing, consuming the
 *   final token of the key; a row may also produce the zero initial token (key, 0, 0) of a key not in
 *   the image. Since final keys are unique and every access consumes one token and produces one, a
 *   key is initialised exactly once (image or zero).
 * - **Public** (verifier-side bus terms): the exit code and every fd-3 byte with its index.
 */
import type { AirBuilder } from "../../stark/air.ts";
import { constant, isFirstRow as isFirstExpr, isTransition as isTransitionExpr } from "../../stark/expr.ts";
import { Bus, ByteOp, BYTE_OPS } from "./buses.ts";
import { ChipCtx, Layout, type LookupCounts, Witness, bytesOf, wordOf } from "./gadgets.ts";
import { inv as finv } from "../../field/koalabear.ts";
import { type Decoded, Family, isUnsupported, decodeInstruction } from "./decode.ts";

/** At most this many public-values bytes (fd 3) per proof (the bridge's storage-proof guest writes 384). */
export const PV_MAX = 384;
/** Public inputs: [exitCode, pv[0..PV_MAX), mask[0..PV_MAX)] with mask[i] = i < len. */
export const PUB_EXIT = 0;
export const PUB_PV = 1;
export const PUB_MASK = 1 + PV_MAX;
export const NUM_PUBLIC_INPUTS = 1 + 2 * PV_MAX;

/** The program as the AIR sees it: initial memory words and which of them are code. */
export interface ProgramImage {
  entry: number;
  /** Initial memory: byte address (multiple of 4) → word, for every nonzero or loaded word. */
  words: Map<number, number>;
  /** Executable address ranges [start, end). */
  code: readonly (readonly [number, number])[];
  /** Initial program break (end of the image, page-rounded); the syscall chip's brk checks use it. */
  brkStart: number;
}

const nextPow2 = (n: number): number => {
  let h = 1;
  while (h < n) h *= 2;
  return h;
};

export const PROGRAM_PRE = [
  "pc",
  "family",
  "op",
  "a",
  "b",
  "d",
  "imm0",
  "imm1",
  "imm2",
  "imm3",
  "target",
  "is_entry",
  "key",
  "v0",
  "v1",
  "v2",
  "v3",
  "is_init",
] as const;

/** The Program table's preprocessed columns (the part of the vkey that depends on the ELF). */
export function buildProgramColumns(
  prog: ProgramImage,
  height?: number,
): { columns: Uint32Array[]; rowOfPc: Map<number, number>; decoded: Map<number, Decoded> } {
  const addrs = [...prog.words.keys()].sort((x, y) => x - y);
  const n = height ?? nextPow2(addrs.length + 1);
  if (n < addrs.length + 1) throw new Error("program table height too small");
  const cols = PROGRAM_PRE.map(() => new Uint32Array(n));
  const c = (name: (typeof PROGRAM_PRE)[number]): Uint32Array => cols[PROGRAM_PRE.indexOf(name)];
  const inCode = (a: number): boolean => prog.code.some(([s, e]) => a >= s && a < e);
  const rowOfPc = new Map<number, number>();
  const decoded = new Map<number, Decoded>();
  addrs.forEach((addr, row) => {
    const word = prog.words.get(addr)! >>> 0;
    c("key")[row] = addr / 4;
    bytesOf(word).forEach((b, i) => (cols[PROGRAM_PRE.indexOf("v0") + i][row] = b));
    c("is_init")[row] = 1;
    if (!inCode(addr)) return;
    let d = decodeInstruction(word, addr);
    if (!d || isUnsupported(d)) return;
    // Syscall rows carry brkStart - 1 (the brk query bound) as their immediate.
    if (d.family === Family.Syscall) d = { ...d, imm: (prog.brkStart - 1) >>> 0 };
    rowOfPc.set(addr, row);
    decoded.set(addr, d);
    c("pc")[row] = addr;
    c("family")[row] = d.family;
    c("op")[row] = d.op;
    c("a")[row] = d.a;
    c("b")[row] = d.b;
    c("d")[row] = d.d;
    bytesOf(d.imm).forEach((b, i) => (cols[PROGRAM_PRE.indexOf("imm0") + i][row] = b));
    c("target")[row] = d.target;
  });
  // The entry row: family 0 (never fetched), produces the start state.
  const er = addrs.length;
  c("pc")[er] = prog.entry;
  c("is_entry")[er] = 1;
  return { columns: cols, rowOfPc, decoded };
}

export function defineProgramTable(air: AirBuilder, pre: Uint32Array[]): ChipCtx {
  const L = new Layout();
  L.add("fetch_mult");
  const t = air.addTable({ name: "Program", mainWidth: L.width, preprocessed: pre });
  const cx = new ChipCtx(t, L);
  const p = (name: (typeof PROGRAM_PRE)[number]) => t.pre(PROGRAM_PRE.indexOf(name));
  t.receive(
    Bus.PROGRAM,
    [
      p("pc"),
      p("family"),
      p("op"),
      p("a"),
      p("b"),
      p("d"),
      p("imm0"),
      p("imm1"),
      p("imm2"),
      p("imm3"),
      p("target"),
    ],
    cx.c("fetch_mult"),
  );
  t.send(Bus.MEMORY, [p("key"), 0, p("v0"), p("v1"), p("v2"), p("v3")], p("is_init"));
  // The run starts at clk 1: timestamp 0 belongs to the initial memory tokens.
  t.send(Bus.STATE, [1, p("pc"), p("pc").add(4)], p("is_entry"));
  return cx;
}

export function fillProgramTable(
  height: number,
  rowOfPc: Map<number, number>,
  lk: LookupCounts,
): Uint32Array[] {
  const m = new Uint32Array(height);
  for (const [pc, count] of lk.program) {
    const row = rowOfPc.get(pc);
    if (row === undefined) throw new Error(`fetch of pc 0x${pc.toString(16)} that the ROM does not hold`);
    m[row] = count;
  }
  return [m];
}

export const BYTE_PRE = ["x", "msb", "a", "b", "and", "or", "xor", "clz8"] as const;

export function buildByteColumns(): Uint32Array[] {
  const cols = BYTE_PRE.map(() => new Uint32Array(256));
  for (let x = 0; x < 256; x++) {
    const a = x & 15;
    const b = x >> 4;
    [x, x >> 7, a, b, a & b, a | b, a ^ b, Math.clz32(x) - 24].forEach((v, j) => (cols[j][x] = v));
  }
  return cols;
}

export function defineByteTable(air: AirBuilder, pre: Uint32Array[]): ChipCtx {
  const L = new Layout();
  L.addN("m", BYTE_OPS);
  const t = air.addTable({ name: "Byte", mainWidth: L.width, preprocessed: pre });
  const cx = new ChipCtx(t, L);
  const [x, msb, a, b, and, or, xor, clz8] = BYTE_PRE.map((_, i) => t.pre(i));
  const m = (op: number) => cx.c(`m${op}`);
  t.receive(Bus.BYTE, [ByteOp.U8, x, 0, 0], m(ByteOp.U8));
  t.receive(Bus.BYTE, [ByteOp.MSB, x, 0, msb], m(ByteOp.MSB));
  t.receive(Bus.BYTE, [ByteOp.AND, a, b, and], m(ByteOp.AND));
  t.receive(Bus.BYTE, [ByteOp.OR, a, b, or], m(ByteOp.OR));
  t.receive(Bus.BYTE, [ByteOp.XOR, a, b, xor], m(ByteOp.XOR));
  t.receive(Bus.BYTE, [ByteOp.NOR, a, b, constant(15).sub(or)], m(ByteOp.NOR));
  t.receive(Bus.BYTE, [ByteOp.NIB, a, b, 0], m(ByteOp.NIB));
  t.receive(Bus.BYTE, [ByteOp.CLZ8, x, 0, clz8], m(ByteOp.CLZ8));
  return cx;
}

export const fillByteTable = (lk: LookupCounts): Uint32Array[] => lk.byte.map((c) => c.slice());

export function memFinalLayout(): Layout {
  const L = new Layout();
  for (const n of ["key", "ts", "ts_inv", "zero_init", "is_real", "has_prev"]) L.add(n);
  L.addN("d", 4);
  L.addN("v", 4);
  return L;
}

export function defineMemFinal(air: AirBuilder): ChipCtx {
  const L = memFinalLayout();
  const t = air.addTable({ name: "MemFinal", mainWidth: L.width });
  const cx = new ChipCtx(t, L);
  const [key, ts, tsInv, zi, isReal, hasPrev] = [
    "key",
    "ts",
    "ts_inv",
    "zero_init",
    "is_real",
    "has_prev",
  ].map((n) => cx.c(n));
  cx.bool("is_real", isReal);
  cx.bool("zero_init", zi);
  cx.bool("has_prev", hasPrev);
  cx.zero("zero_init only on real rows", zi.mul(isReal.sub(1)));
  // A zero-initialised key was accessed (ts != 0), so its key passed an access's range checks;
  // other real rows consume an image token or an access token. Hence every key is < 2^29.
  cx.zero("zero-initialised keys were accessed", zi.mul(ts.mul(tsInv).sub(1)));
  cx.zero("real rows form a prefix", t.next(L.idx("is_real")).mul(isReal.sub(1)).mul(isTransitionExpr()));
  cx.zero("first row has no predecessor", hasPrev.mul(isFirstExpr()));
  cx.zero(
    "has_prev = is_real after the first row",
    cx.n("has_prev").sub(cx.n("is_real")).mul(isTransitionExpr()),
  );
  // key - keyPrev - 1 = d (< 2^29), on the row of the larger key: strictly increasing, no wrap-around.
  const d = cx.cs("d", 4);
  const dn = [0, 1, 2, 3].map((i) => cx.n(`d${i}`));
  cx.zero(
    "keys strictly increase",
    isTransitionExpr()
      .mul(cx.n("has_prev"))
      .mul(cx.n("key").sub(key).sub(1).sub(wordOf(dn))),
  );
  cx.u8(d[0], hasPrev);
  cx.u8(d[1], hasPrev);
  cx.u8(d[2], hasPrev);
  cx.bits(d[3], 5, hasPrev);
  t.receive(Bus.MEMORY, [key, ts, ...cx.cs("v", 4)], isReal);
  t.send(Bus.MEMORY, [key, 0, 0, 0, 0, 0], zi);
  return cx;
}

/** Fills MemFinal from the final timeline; `imageKeys` are initialised by the Program table. */
export function fillMemFinal(
  entries: [number, { ts: number; value: number }][],
  imageKeys: Set<number>,
  lk: LookupCounts,
): Witness {
  const sorted = entries.sort((x, y) => x[0] - y[0]);
  const w = new Witness(memFinalLayout(), nextPow2(Math.max(sorted.length, 4)));
  let prev = -1;
  sorted.forEach(([key, { ts, value }]) => {
    const row = w.addRow();
    if (key >= 1 << 29) throw new Error(`memory key ${key} out of range`);
    w.set("key", row, key);
    w.set("ts", row, ts);
    w.set("ts_inv", row, ts === 0 ? 0 : finv(ts));
    w.setN("v", row, bytesOf(value));
    w.set("is_real", row, 1);
    w.set("zero_init", row, imageKeys.has(key) ? 0 : 1);
    if (row > 0) {
      const db = bytesOf(key - prev - 1);
      w.set("has_prev", row, 1);
      w.setN("d", row, db);
      lk.u8(db[0]);
      lk.u8(db[1]);
      lk.u8(db[2]);
      lk.bits(db[3], 5);
    }
    prev = key;
  });
  return w;
}

/** Verifier-side terms: the exit code and each public byte with its index (mask = index < length). */
export function definePublic(air: AirBuilder): void {
  air.publicInteraction(Bus.EXIT, [air.pub(PUB_EXIT)], 1, "receive");
  for (let i = 0; i < PV_MAX; i++)
    air.publicInteraction(Bus.PUBLIC, [i, air.pub(PUB_PV + i)], air.pub(PUB_MASK + i), "receive");
}

/** Public inputs for an exit code and public-values bytes. */
export function publicInputs(exitCode: number, pv: Uint8Array): number[] {
  if (pv.length > PV_MAX) throw new Error(`public values are ${pv.length} bytes, more than PV_MAX ${PV_MAX}`);
  const out = new Array<number>(NUM_PUBLIC_INPUTS).fill(0);
  out[PUB_EXIT] = exitCode;
  for (let i = 0; i < pv.length; i++) {
    out[PUB_PV + i] = pv[i];
    out[PUB_MASK + i] = 1;
  }
  return out;
}
