/**
 * The proof object and its canonical binary encoding.
 *
 * Layout (all integers little-endian; BN254 elements 32 bytes big-endian, < r; KoalaBear
 * values u32 < p; extension elements 4 values):
 *   header   "ZKMS" | version u16 | options: logBlowup, numQueries, grindingBits,
 *            logFoldingArity, logFinalPolyLen (u8 each) | numTables u8 | logHeight u8 per table
 *   commitments  main root | aux root (iff some table has LogUp columns) | quotient root
 *   cumsums      one extension element per table with LogUp columns
 *   openings     per table: pre@z, pre@zw, main@z, main@zw, aux@z, aux@zw (one extension
 *                element per committed base column), quotient@z; the @zw lists hold only the
 *                columns some constraint reads at the next row (`nextColumns`, next-columns.ts:
 *                derived from the AIR, never sent), the @z lists every column
 * Version 2: @zw openings restricted to the next-row columns (version 1 opened every column).
 *   fri-commitments  one root per folding round
 *   final-poly       finalPolyLen extension coefficients
 *   pow              u32 nonce
 *   queries          per query: for each round tree (pre, main, aux, quotient; absent trees
 *                    skipped) the opened rows then the path, then per FRI round the coset row
 *                    (4 * arity values) then its path
 * Every length follows from the AIR, the options and the heights, so the decoder is strict:
 * wrong magic/version/options, values out of range, short input or trailing bytes are rejected.
 */
import type { Ext } from "../field/ext4.ts";
import { P } from "../field/koalabear.ts";
import { BN254_R } from "../hash/poseidon-reference.ts";
import type { MerkleOpening } from "../hash/merkle.ts";
import type { AirDefinition } from "./air.ts";
import { friSchedule } from "./domain.ts";
import { nextColumns } from "./next-columns.ts";
import { StarkVerifyError } from "./errors.ts";
import {
  type OptionsProfile,
  PROFILES,
  type ProofOptions,
  maxLogHeight,
  optionsEqual,
  profileOfOptions,
} from "./options.ts";

export const PROOF_MAGIC = "ZKMS";
export const PROOF_VERSION = 2;

/** Per group [at z (every column), at z·w (the `nextColumns` of the group, in that order)]. */
export interface TableOpenings {
  readonly pre: readonly [Ext[], Ext[]];
  readonly main: readonly [Ext[], Ext[]];
  readonly aux: readonly [Ext[], Ext[]];
  readonly quot: Ext[];
}

export interface QueryProof {
  /** Openings of the round trees that exist, in order pre, main, aux, quotient. */
  readonly rounds: MerkleOpening[];
  readonly fri: MerkleOpening[];
}

export interface StarkProof {
  readonly options: ProofOptions;
  readonly logHeights: number[];
  readonly mainRoot: bigint;
  readonly auxRoot: bigint | null;
  readonly quotRoot: bigint;
  readonly cumSums: Ext[];
  readonly openings: TableOpenings[];
  readonly friRoots: bigint[];
  readonly finalPoly: Ext[];
  readonly powNonce: number;
  readonly queries: QueryProof[];
}

/** Shapes derived from AIR + options + heights: what the decoder and verifier expect. */
export interface ProofShape {
  readonly hasPre: boolean;
  readonly hasAux: boolean;
  /** Round trees in proof order with their matrix shapes (one matrix per table, width may be 0). */
  readonly trees: { name: "pre" | "main" | "aux" | "quot"; shapes: { width: number; height: number }[] }[];
}

export function proofShape(air: AirDefinition, o: ProofOptions, logHeights: readonly number[]): ProofShape {
  const hasPre = air.tables.some((t) => t.preWidth > 0);
  const hasAux = air.tables.some((t) => t.auxWidth > 0);
  const lde = (i: number) => 1 << (logHeights[i] + o.logBlowup);
  const trees: ProofShape["trees"] = [];
  if (hasPre)
    trees.push({ name: "pre", shapes: air.tables.map((t, i) => ({ width: t.preWidth, height: lde(i) })) });
  trees.push({ name: "main", shapes: air.tables.map((t, i) => ({ width: t.mainWidth, height: lde(i) })) });
  if (hasAux)
    trees.push({
      name: "aux",
      shapes: air.tables.map((t, i) => ({ width: 4 * t.auxWidth, height: lde(i) })),
    });
  trees.push({
    name: "quot",
    shapes: air.tables.map((t, i) => ({ width: 4 * t.quotientChunks, height: lde(i) })),
  });
  return { hasPre, hasAux, trees };
}

export function treeLogHeight(shapes: readonly { width: number; height: number }[]): number {
  return Math.round(Math.log2(Math.max(...shapes.filter((s) => s.width > 0).map((s) => s.height))));
}

class Writer {
  private chunks: number[] = [];
  u8(x: number): void {
    this.chunks.push(x & 0xff);
  }
  u16(x: number): void {
    this.u8(x);
    this.u8(x >>> 8);
  }
  u32(x: number): void {
    for (let i = 0; i < 4; i++) this.u8(x >>> (8 * i));
  }
  felt(x: number): void {
    this.u32(x);
  }
  ext(e: Ext): void {
    for (const c of e) this.felt(c);
  }
  bn(x: bigint): void {
    for (let i = 31; i >= 0; i--) this.u8(Number((x >> BigInt(8 * i)) & 0xffn));
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

export interface Section {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

class Reader {
  pos = 0;
  sections: Section[] = [];
  private sectionName = "header";
  private sectionStart = 0;
  constructor(private readonly buf: Uint8Array) {}
  section(name: string): void {
    this.sections.push({ name: this.sectionName, start: this.sectionStart, end: this.pos });
    this.sectionName = name;
    this.sectionStart = this.pos;
  }
  private need(n: number): void {
    if (this.pos + n > this.buf.length)
      throw new StarkVerifyError("format", `proof truncated in section ${this.sectionName}`);
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }
  u16(): number {
    return this.u8() | (this.u8() << 8);
  }
  u32(): number {
    this.need(4);
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
  }
  felt(): number {
    const v = this.u32();
    if (v >= P) throw new StarkVerifyError("format", `value ${v} >= p in section ${this.sectionName}`);
    return v;
  }
  ext(): Ext {
    return [this.felt(), this.felt(), this.felt(), this.felt()];
  }
  exts(n: number): Ext[] {
    const out: Ext[] = [];
    for (let i = 0; i < n; i++) out.push(this.ext());
    return out;
  }
  bn(): bigint {
    this.need(32);
    let x = 0n;
    for (let i = 0; i < 32; i++) x = (x << 8n) | BigInt(this.buf[this.pos++]);
    if (x >= BN254_R) throw new StarkVerifyError("format", `hash value >= r in section ${this.sectionName}`);
    return x;
  }
  finish(): void {
    this.section("end");
    if (this.pos !== this.buf.length)
      throw new StarkVerifyError("format", `${this.buf.length - this.pos} trailing bytes`);
  }
}

function writeOpening(w: Writer, op: MerkleOpening): void {
  for (const row of op.rows) for (const v of row) w.felt(v);
  for (const s of op.path) w.bn(s);
}

export function encodeProof(air: AirDefinition, proof: StarkProof): Uint8Array {
  const w = new Writer();
  for (const c of PROOF_MAGIC) w.u8(c.charCodeAt(0));
  w.u16(PROOF_VERSION);
  const o = proof.options;
  [o.logBlowup, o.numQueries, o.grindingBits, o.logFoldingArity, o.logFinalPolyLen].forEach((x) => w.u8(x));
  w.u8(proof.logHeights.length);
  proof.logHeights.forEach((h) => w.u8(h));
  w.bn(proof.mainRoot);
  if (proof.auxRoot !== null) w.bn(proof.auxRoot);
  w.bn(proof.quotRoot);
  proof.cumSums.forEach((e) => w.ext(e));
  proof.openings.forEach((t, i) => {
    const lens = openingLengths(air, i);
    const got = [t.pre[0], t.pre[1], t.main[0], t.main[1], t.aux[0], t.aux[1], t.quot].map((l) => l.length);
    if (got.some((g, k) => g !== lens[k]))
      throw new Error(
        `encodeProof: table ${air.tables[i].name} openings have lengths [${got}], expected [${lens}]`,
      );
    for (const pair of [t.pre, t.main, t.aux]) for (const list of pair) list.forEach((e) => w.ext(e));
    t.quot.forEach((e) => w.ext(e));
  });
  proof.friRoots.forEach((r) => w.bn(r));
  proof.finalPoly.forEach((e) => w.ext(e));
  w.u32(proof.powNonce);
  for (const q of proof.queries) {
    q.rounds.forEach((op) => writeOpening(w, op));
    q.fri.forEach((op) => writeOpening(w, op));
  }
  return w.bytes();
}

/**
 * Lengths (extension values) of table i's opening lists in proof order: pre@z, pre@zw, main@z,
 * main@zw, aux@z, aux@zw, quotient@z.
 */
export function openingLengths(air: AirDefinition, i: number): number[] {
  const t = air.tables[i];
  const nw = nextColumns(t).widths;
  return [t.preWidth, nw.pre, t.mainWidth, nw.main, 4 * t.auxWidth, nw.aux, 4 * t.quotientChunks];
}

/**
 * The allow-listed profile matching the options a proof claims (its header), for callers that accept
 * any of several profiles: the proof is then verified with the profile's options, never its own.
 * Throws StarkVerifyError("options") when the claimed options are no allowed profile.
 */
export function profileOfProof(
  bytes: Uint8Array,
  allowed: readonly OptionsProfile[] = PROFILES,
): OptionsProfile {
  const r = new Reader(bytes);
  let magic = "";
  for (let i = 0; i < 4; i++) magic += String.fromCharCode(r.u8());
  if (magic !== PROOF_MAGIC) throw new StarkVerifyError("format", "bad magic (not a zkmips STARK proof)");
  r.u16();
  r.section("options");
  const o: ProofOptions = {
    logBlowup: r.u8(),
    numQueries: r.u8(),
    grindingBits: r.u8(),
    logFoldingArity: r.u8(),
    logFinalPolyLen: r.u8(),
  };
  const p = profileOfOptions(o, allowed);
  if (!p)
    throw new StarkVerifyError(
      "options",
      `the proof's options (blowup 2^${o.logBlowup}, ${o.numQueries} queries, ${o.grindingBits} grinding bits, arity 2^${o.logFoldingArity}, final poly 2^${o.logFinalPolyLen}) are none of the accepted profiles (${allowed.map((x) => x.name).join(", ")})`,
    );
  return p;
}

/** Decodes strictly against the expected AIR and options; throws StarkVerifyError. */
export function decodeProof(
  air: AirDefinition,
  expected: ProofOptions,
  bytes: Uint8Array,
): { proof: StarkProof; sections: Section[] } {
  const r = new Reader(bytes);
  let magic = "";
  for (let i = 0; i < 4; i++) magic += String.fromCharCode(r.u8());
  if (magic !== PROOF_MAGIC) throw new StarkVerifyError("format", "bad magic (not a zkmips STARK proof)");
  const version = r.u16();
  if (version !== PROOF_VERSION) throw new StarkVerifyError("format", `unsupported proof version ${version}`);
  r.section("options");
  const options: ProofOptions = {
    logBlowup: r.u8(),
    numQueries: r.u8(),
    grindingBits: r.u8(),
    logFoldingArity: r.u8(),
    logFinalPolyLen: r.u8(),
  };
  if (!optionsEqual(options, expected))
    throw new StarkVerifyError("options", "the proof was made with other proof options");
  r.section("shape");
  const numTables = r.u8();
  if (numTables !== air.tables.length)
    throw new StarkVerifyError("shape", `expected ${air.tables.length} tables, proof has ${numTables}`);
  const logHeights: number[] = [];
  for (let i = 0; i < numTables; i++) {
    const h = r.u8();
    const t = air.tables[i];
    if (h < 2 || h > maxLogHeight(options))
      throw new StarkVerifyError(
        "shape",
        `table ${t.name}: log height ${h} out of [2, ${maxLogHeight(options)}]`,
      );
    if (t.fixedLogHeight !== undefined && h !== t.fixedLogHeight)
      throw new StarkVerifyError(
        "shape",
        `table ${t.name}: log height ${h}, preprocessed height is 2^${t.fixedLogHeight}`,
      );
    logHeights.push(h);
  }
  const shape = proofShape(air, options, logHeights);
  r.section("commitments");
  const mainRoot = r.bn();
  const auxRoot = shape.hasAux ? r.bn() : null;
  const quotRoot = r.bn();
  r.section("cumsums");
  const cumSums = r.exts(air.tables.filter((t) => t.auxWidth > 0).length);
  r.section("openings");
  const openings: TableOpenings[] = air.tables.map((_, i) => {
    const [pz, pzw, mz, mzw, az, azw, q] = openingLengths(air, i);
    const pre: [Ext[], Ext[]] = [r.exts(pz), r.exts(pzw)];
    const main: [Ext[], Ext[]] = [r.exts(mz), r.exts(mzw)];
    const aux: [Ext[], Ext[]] = [r.exts(az), r.exts(azw)];
    const quot = r.exts(q);
    return { pre, main, aux, quot };
  });
  const sched = friSchedule(logHeights, options);
  r.section("fri-commitments");
  const friRoots = sched.steps.map(() => r.bn());
  r.section("final-poly");
  const finalPoly = r.exts(sched.finalPolyLen);
  r.section("pow");
  const powNonce = r.u32();
  r.section("queries");
  const queries: QueryProof[] = [];
  for (let q = 0; q < options.numQueries; q++) {
    const rounds = shape.trees.map((tree) => {
      const rows = tree.shapes.map((s) => {
        const row = new Uint32Array(s.width);
        for (let i = 0; i < s.width; i++) row[i] = r.felt();
        return row;
      });
      const depth = treeLogHeight(tree.shapes);
      const path: bigint[] = [];
      for (let k = 0; k < depth; k++) path.push(r.bn());
      return { rows, path };
    });
    const fri = sched.steps.map((step, k) => {
      const row = new Uint32Array(4 << step);
      for (let i = 0; i < row.length; i++) row[i] = r.felt();
      const path: bigint[] = [];
      for (let d = 0; d < sched.layerLogSizes[k] - step; d++) path.push(r.bn());
      return { rows: [row], path };
    });
    queries.push({ rounds, fri });
  }
  r.finish();
  return {
    proof: {
      options,
      logHeights,
      mainRoot,
      auxRoot,
      quotRoot,
      cumSums,
      openings,
      friRoots,
      finalPoly,
      powNonce,
      queries,
    },
    sections: r.sections,
  };
}
