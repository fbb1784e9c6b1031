/**
 * The STARK prover: commits preprocessed (setup), main, LogUp aux and quotient columns of all
 * tables in one mixed-height Merkle tree per round, opens everything at the out-of-domain
 * point z (and at z*w_t the trace columns read at the next row, `nextColumns`), and proves proximity of the batched DEEP quotients
 * with one FRI over all heights. See docs/stark.md for the protocol transcript order.
 */
import { ZkmipsError } from "../errors.ts";
import { type Ext, EXT_ZERO, eadd, emul, epow, esub, escale, fromBase, getExt } from "../field/ext4.ts";
import { P, add, inv, mul, pow, rootOfUnity, sub } from "../field/koalabear.ts";
import { bitReversePermute, cosetIdft, reverseBits } from "../field/ntt.ts";
import {
  type MatrixData,
  type MerkleTree,
  type NodeHasher,
  type RowHasher,
  merkleCommit,
  merkleOpen,
} from "../hash/merkle.ts";
import { hashRows, hashRowsParallel } from "../hash/sponge.ts";
import { poseidonBatch, poseidonBatchParallel } from "../hash/poseidon.ts";
import { Transcript } from "../hash/transcript.ts";
import type { Expr } from "./expr.ts";
import { type AirDefinition, NUM_CHALLENGES, type TableDef } from "./air.ts";
import { BlockEvaluator } from "./evaluator.ts";
import type { EvalInputs, Mode } from "./compile.ts";
import { SHIFT, domainPoints, friSchedule } from "./domain.ts";
import { foldLayer } from "./fri.ts";
import { evalExt } from "./ood.ts";
import { parallelCombine, warmEvalPool } from "./eval-pool.ts";
import { parallelLdeColumns, parallelReduceRows, sharedU32, warmFieldPool } from "../field/pool.ts";
import { invDifferences } from "./deep.ts";
import { nextColumns } from "./next-columns.ts";
import {
  wasmCoeffsToCosetBitrev,
  wasmCosetLdeBitrev,
  wasmDeepCombine,
  wasmExtBatchInverse,
  wasmIdft,
  wasmWeightedSums,
} from "../field/wasm.ts";
import { type ProofOptions, maxLogHeight, validateOptions } from "./options.ts";
import { type QueryProof, type StarkProof, type TableOpenings, encodeProof } from "./proof.ts";
import { absorbStatement } from "./statement.ts";

export interface ProvingKey {
  readonly air: AirDefinition;
  readonly options: ProofOptions;
  /** Merkle root of the preprocessed columns' LDEs (0 when the AIR has none): the verifying key. */
  readonly vkey: bigint;
  readonly preTree: MerkleTree | null;
  readonly preLde: (Uint32Array | null)[];
}

export interface TableTrace {
  /** Main columns, each of the table's (power-of-two) height. */
  readonly main: readonly Uint32Array[];
  /** Height when the table has no main columns (defaults to the preprocessed height). */
  readonly logHeight?: number;
}

export interface ProveConfig {
  /** Check every constraint on the trace before proving (default true). */
  readonly selfCheck?: boolean;
  readonly rowHasher?: RowHasher;
  /**
   * Hash on the worker pool (both cores): rows with hashRowsParallel, tree nodes and grinding
   * with poseidonBatchParallel. Overrides `rowHasher`.
   */
  readonly parallel?: boolean;
  /** Receives phase timings in milliseconds (a phase may be reported several times: add them up). */
  readonly onPhase?: (phase: string, ms: number) => void;
  /**
   * Soundness tests only: receives each table's LogUp columns (4 base columns per extension
   * column: the group columns, then the running sum) and its claimed sum before they are
   * committed; may change the columns in place and return another claimed sum.
   */
  readonly tamperAux?: (table: number, cols: Uint32Array[], sum: Ext) => Ext | void;
}

/** Row-major LDE (n*blowup rows, bit-reversed coset order) of a list of columns. */
export function ldeColumns(columns: readonly Uint32Array[], logBlowup: number): Uint32Array {
  const w = columns.length;
  if (w === 0) return new Uint32Array(0);
  const size = columns[0].length << logBlowup;
  const out = new Uint32Array(size * w);
  // Columns in groups of 16, written row by row: consecutive writes stay within cache lines.
  const GROUP = 16;
  for (let j0 = 0; j0 < w; j0 += GROUP) {
    const ldes = columns.slice(j0, j0 + GROUP).map((c) => wasmCosetLdeBitrev(c, logBlowup, SHIFT));
    const g = ldes.length;
    for (let i = 0; i < size; i++) {
      const o = i * w + j0;
      for (let k = 0; k < g; k++) out[o + k] = ldes[k][i];
    }
  }
  return out;
}

/** Commits the preprocessed columns: the verifying key needs nothing but the AIR and the options. */
export async function setup(
  air: AirDefinition,
  options: ProofOptions,
  rowHasher: RowHasher = hashRows,
  nodeHasher: NodeHasher = poseidonBatch,
): Promise<ProvingKey> {
  const o = validateOptions(options);
  const preLde = air.tables.map((t) => (t.preprocessed ? ldeColumns(t.preprocessed, o.logBlowup) : null));
  let preTree: MerkleTree | null = null;
  if (air.tables.some((t) => t.preWidth > 0)) {
    const mats: MatrixData[] = air.tables.map((t, i) => ({
      values: preLde[i] ?? new Uint32Array(0),
      width: t.preWidth,
      height: t.fixedLogHeight === undefined ? 1 : 1 << (t.fixedLogHeight + o.logBlowup),
    }));
    preTree = await merkleCommit(mats, rowHasher, nodeHasher);
  }
  return { air, options: o, vkey: preTree ? preTree.root : 0n, preTree, preLde };
}

/** Evaluations of columns (natural order over H) at z by the barycentric formula. */
function openColumns(columns: readonly Uint32Array[], z: Ext, logN: number): Ext[] {
  if (columns.length === 0) return [];
  const n = 1 << logN;
  const w = rootOfUnity(logN);
  const den = new Uint32Array(4 * n);
  const pts = new Uint32Array(n);
  let x = 1;
  for (let i = 0; i < n; i++) {
    pts[i] = x;
    den[4 * i] = sub(z[0], x);
    den[4 * i + 1] = z[1];
    den[4 * i + 2] = z[2];
    den[4 * i + 3] = z[3];
    x = mul(x, w);
  }
  wasmExtBatchInverse(den);
  for (let i = 0; i < n; i++) for (let k = 0; k < 4; k++) den[4 * i + k] = mul(den[4 * i + k], pts[i]);
  const zn = esub(epow(z, n), fromBase(1));
  const factor = escale(zn, inv(n));
  const sums = wasmWeightedSums(columns, den);
  return columns.map((_, j) => emul(getExt(sums, j), factor));
}

function extPows(a: Ext, count: number): Uint32Array {
  const out = new Uint32Array(4 * count);
  let p: Ext = fromBase(1);
  for (let i = 0; i < count; i++) {
    out.set(p, 4 * i);
    p = emul(p, a);
  }
  return out;
}

interface TableWork {
  def: TableDef;
  logN: number;
  main: readonly Uint32Array[];
  pre: readonly Uint32Array[];
  aux: Uint32Array[];
  preLde: Uint32Array;
  mainLde: Uint32Array;
  auxLde: Uint32Array;
  quotLde: Uint32Array;
  quotCoeffs: Uint32Array[];
  /** Row-major copies of the trace (built on first use). */
  rows?: { pre: Uint32Array; main: Uint32Array };
}

function traceRows(w: TableWork): { pre: Uint32Array; main: Uint32Array } {
  const n = 1 << w.logN;
  w.rows ??= { pre: rowMajor(w.pre, n), main: rowMajor(w.main, n) };
  return w.rows;
}

function traceSelectors(n: number): {
  first: Uint32Array;
  last: Uint32Array;
  trans: Uint32Array;
  nxt: Uint32Array;
} {
  const first = new Uint32Array(n);
  const last = new Uint32Array(n);
  const trans = new Uint32Array(n).fill(1);
  first[0] = 1;
  last[n - 1] = 1;
  trans[n - 1] = 0;
  const nxt = new Uint32Array(n);
  for (let i = 0; i < n; i++) nxt[i] = (i + 1) % n;
  return { first, last, trans, nxt };
}

/** Builds the LogUp aux columns (4 base columns per extension column) and the table's sum. */
function buildAux(
  w: TableWork,
  pubs: readonly number[],
  chal: Uint32Array,
): { cols: Uint32Array[]; sum: Ext } {
  const t = w.def;
  const n = 1 << w.logN;
  const I = t.interactions.length;
  const exprs = [...t.signedMultiplicities, ...t.fingerprints];
  const total = exprs.length;
  const sel = traceSelectors(n);
  const vals = new Uint32Array(4 * n * total);
  evaluatorFor(exprs, "extValues")(
    {
      pre: traceRows(w).pre,
      preWidth: t.preWidth,
      main: traceRows(w).main,
      mainWidth: t.mainWidth,
      aux: new Uint32Array(0),
      auxWidth: 0,
      cur: null,
      nxt: sel.nxt,
      selFirst: sel.first,
      selLast: sel.last,
      selTrans: sel.trans,
      pubs,
      chal,
      cum: new Uint32Array(0),
    },
    0,
    n,
    new Uint32Array(0),
    vals,
  );
  // Denominators of every (row, interaction), inverted together.
  const dens = new Uint32Array(4 * n * I);
  for (let r = 0; r < n; r++) {
    dens.set(vals.subarray(4 * (r * total + I), 4 * (r * total + 2 * I)), 4 * r * I);
  }
  wasmExtBatchInverse(dens);
  const G = t.auxGroups.length;
  const cols: Uint32Array[] = [];
  for (let c = 0; c < 4 * (G + 1); c++) cols.push(new Uint32Array(n));
  let p0 = 0,
    p1 = 0,
    p2 = 0,
    p3 = 0;
  for (let r = 0; r < n; r++) {
    // phi[r] = sum of the h's over rows < r (air.ts: only phi is read at the next row).
    cols[4 * G][r] = p0;
    cols[4 * G + 1][r] = p1;
    cols[4 * G + 2][r] = p2;
    cols[4 * G + 3][r] = p3;
    for (let gi = 0; gi < G; gi++) {
      let h0 = 0,
        h1 = 0,
        h2 = 0,
        h3 = 0;
      for (const i of t.auxGroups[gi]) {
        const m = vals[4 * (r * total + i)];
        if (m === 0) continue;
        const q = 4 * (r * I + i);
        h0 = add(h0, mul(m, dens[q]));
        h1 = add(h1, mul(m, dens[q + 1]));
        h2 = add(h2, mul(m, dens[q + 2]));
        h3 = add(h3, mul(m, dens[q + 3]));
      }
      cols[4 * gi][r] = h0;
      cols[4 * gi + 1][r] = h1;
      cols[4 * gi + 2][r] = h2;
      cols[4 * gi + 3][r] = h3;
      p0 = add(p0, h0);
      p1 = add(p1, h1);
      p2 = add(p2, h2);
      p3 = add(p3, h3);
    }
  }
  return { cols, sum: [p0, p1, p2, p3] };
}

type RowProgram = (inp: EvalInputs, start: number, end: number, ap: Uint32Array, out: Uint32Array) => number;

function evaluatorFor(exprs: readonly Expr[], mode: Mode): RowProgram {
  const ev = new BlockEvaluator(exprs);
  return (inp, start, end, ap, out) => ev.run(inp, start, end, mode, ap, out);
}

function rowMajor(columns: readonly Uint32Array[], n: number): Uint32Array {
  const w = columns.length;
  const out = new Uint32Array(n * w);
  columns.forEach((c, j) => {
    for (let i = 0; i < n; i++) out[i * w + j] = c[i];
  });
  return out;
}

function selfCheck(w: TableWork, pubs: readonly number[], chal: Uint32Array, cum: Uint32Array): void {
  const t = w.def;
  const n = 1 << w.logN;
  const sel = traceSelectors(n);
  const prog = evaluatorFor(t.constraints, "check");
  const bad = prog(
    {
      pre: traceRows(w).pre,
      preWidth: t.preWidth,
      main: traceRows(w).main,
      mainWidth: t.mainWidth,
      aux: rowMajor(w.aux, n),
      auxWidth: t.auxWidth,
      cur: null,
      nxt: sel.nxt,
      selFirst: sel.first,
      selLast: sel.last,
      selTrans: sel.trans,
      pubs,
      chal,
      cum,
    },
    0,
    n,
    new Uint32Array(0),
    new Uint32Array(0),
  );
  if (bad >= 0) {
    const row = Math.floor(bad / t.constraints.length);
    const k = bad % t.constraints.length;
    const what =
      k < t.userConstraints.length ? `constraint ${k}` : `LogUp constraint ${k - t.userConstraints.length}`;
    throw new ZkmipsError(
      `prover self-check: table ${t.name}, ${what} fails on row ${row}`,
      "the trace does not satisfy the AIR",
    );
  }
}

/** Quotient chunks of one table, LDE'd (row-major, 4 columns per chunk) and their coefficients. */
async function computeQuotient(
  w: TableWork,
  o: ProofOptions,
  pubs: readonly number[],
  chal: Uint32Array,
  cum: Uint32Array,
  alpha: Ext,
  parallel = false,
): Promise<void> {
  const t = w.def;
  const n = 1 << w.logN;
  const D = t.quotientChunks;
  const logD = Math.round(Math.log2(D));
  if (logD > o.logBlowup)
    throw new ZkmipsError(`table ${t.name}: constraint degree ${t.degree} needs blowup >= ${D}`);
  const logQ = w.logN + logD;
  const qn = n * D;
  const xs = domainPoints(logQ, SHIFT);
  const nxt = new Uint32Array(qn);
  for (let i = 0; i < qn; i++) nxt[i] = reverseBits((reverseBits(i, logQ) + D) % qn, logQ);
  const wInvN = inv(rootOfUnity(w.logN));
  const gN = pow(SHIFT, n);
  const wD = rootOfUnity(logD);
  const zh = new Uint32Array(qn);
  // x^n = g^n w_D^(bitrev(i) mod D): only D distinct values.
  const zhD = new Uint32Array(D);
  for (let k = 0, x = gN; k < D; k++, x = mul(x, wD)) zhD[k] = sub(x, 1);
  for (let i = 0; i < qn; i++) zh[i] = zhD[reverseBits(i, logQ) % D];
  const dFirst = new Uint32Array(qn);
  const trans = new Uint32Array(qn);
  for (let i = 0; i < qn; i++) {
    dFirst[i] = sub(xs[i], 1);
    trans[i] = sub(xs[i], wInvN);
  }
  const dLast = Uint32Array.from(trans);
  // batchInverse from koalabear (in place)
  invertInPlace(dFirst);
  invertInPlace(dLast);
  const first = new Uint32Array(qn);
  const last = new Uint32Array(qn);
  // Normalized Lagrange selectors: L_0 = Z_H/(n(x-1)), L_{n-1} = w^-1 Z_H/(n(x-w^-1)), 1 - L_{n-1}.
  const nInv = inv(n);
  const cLast = mul(nInv, wInvN);
  for (let i = 0; i < qn; i++) {
    first[i] = mul(mul(zh[i], dFirst[i]), nInv);
    last[i] = mul(mul(zh[i], dLast[i]), cLast);
    trans[i] = sub(1, last[i]);
  }
  const inputs: EvalInputs = {
    pre: w.preLde,
    preWidth: t.preWidth,
    main: w.mainLde,
    mainWidth: t.mainWidth,
    aux: w.auxLde,
    auxWidth: t.auxWidth,
    cur: null,
    nxt,
    selFirst: first,
    selLast: last,
    selTrans: trans,
    pubs,
    chal,
    cum,
  };
  const alphaPows = extPows(alpha, t.constraints.length);
  let acc: Uint32Array;
  if (parallel && qn >= 8192) acc = await parallelCombine(t.constraints, inputs, qn, alphaPows);
  else {
    acc = new Uint32Array(4 * qn);
    evaluatorFor(t.constraints, "combine")(inputs, 0, qn, alphaPows, acc);
  }
  invertInPlace(zh);
  const comps: Uint32Array[] = [0, 1, 2, 3].map(() => new Uint32Array(qn));
  for (let i = 0; i < qn; i++) for (let k = 0; k < 4; k++) comps[k][i] = mul(acc[4 * i + k], zh[i]);
  const ldeSize = n << o.logBlowup;
  const width = 4 * D;
  const lde = new Uint32Array(ldeSize * width);
  const coeffsOut: Uint32Array[] = [];
  for (let k = 0; k < 4; k++) {
    bitReversePermute(comps[k]);
    const coeffs = wasmIdft(comps[k]);
    unshift(coeffs, SHIFT);
    for (let j = 0; j < D; j++) {
      const chunk = coeffs.slice(j * n, (j + 1) * n);
      coeffsOut[4 * j + k] = chunk;
      const ev = wasmCoeffsToCosetBitrev(chunk, w.logN + o.logBlowup, SHIFT);
      const c = 4 * j + k;
      for (let i = 0; i < ldeSize; i++) lde[i * width + c] = ev[i];
    }
  }
  w.quotLde = lde;
  w.quotCoeffs = coeffsOut;
}

/** c_i *= shift^-i: coefficients over the coset shift*H from those of the subgroup. */
function unshift(c: Uint32Array, shift: number): void {
  const sInv = inv(shift);
  let s = 1;
  for (let i = 0; i < c.length; i++) {
    c[i] = mul(c[i], s);
    s = mul(s, sInv);
  }
}

function invertInPlace(a: Uint32Array): void {
  const n = a.length;
  const prefix = new Uint32Array(n);
  let acc = 1;
  for (let i = 0; i < n; i++) {
    prefix[i] = acc;
    if (a[i] !== 0) acc = mul(acc, a[i]);
  }
  let accInv = inv(acc);
  for (let i = n - 1; i >= 0; i--) {
    const v = a[i];
    if (v === 0) continue;
    a[i] = mul(accInv, prefix[i]);
    accInv = mul(accInv, v);
  }
}

/** Evaluates polynomials given by base coefficients at z (via powers of z). */
function evalCoeffs(polys: readonly Uint32Array[], z: Ext): Ext[] {
  if (polys.length === 0) return [];
  const pows = extPows(z, polys[0].length);
  return polys.map((c) => {
    let a0 = 0,
      a1 = 0,
      a2 = 0,
      a3 = 0;
    for (let i = 0; i < c.length; i++) {
      const f = c[i];
      if (f === 0) continue;
      a0 = add(a0, mul(f, pows[4 * i]));
      a1 = add(a1, mul(f, pows[4 * i + 1]));
      a2 = add(a2, mul(f, pows[4 * i + 2]));
      a3 = add(a3, mul(f, pows[4 * i + 3]));
    }
    return [a0, a1, a2, a3] as Ext;
  });
}

function reduceOpenings(vals: readonly Ext[], alphaPows: Uint32Array): Ext {
  let acc: Ext = EXT_ZERO;
  vals.forEach((v, c) => (acc = eadd(acc, emul(v, getExt(alphaPows, c)))));
  return acc;
}

export interface ProveResult {
  readonly proof: StarkProof;
  readonly bytes: Uint8Array;
}

export async function prove(
  pk: ProvingKey,
  traces: readonly TableTrace[],
  publicInputs: readonly number[],
  config: ProveConfig = {},
): Promise<ProveResult> {
  const { air, options: o } = pk;
  if (config.parallel) {
    warmFieldPool();
    warmEvalPool();
  }
  const hasher = config.parallel ? hashRowsParallel : (config.rowHasher ?? hashRows);
  const nodeHasher: NodeHasher = config.parallel ? poseidonBatchParallel : poseidonBatch;
  let clock = performance.now();
  const phase = (name: string): void => {
    const now = performance.now();
    config.onPhase?.(name, now - clock);
    clock = now;
  };
  if (traces.length !== air.tables.length)
    throw new ZkmipsError(`prove: expected ${air.tables.length} table traces, got ${traces.length}`);
  if (
    publicInputs.length !== air.numPublicInputs ||
    publicInputs.some((v) => !Number.isInteger(v) || v < 0 || v >= P)
  )
    throw new ZkmipsError(`prove: expected ${air.numPublicInputs} public inputs, each a field value`);
  const work: TableWork[] = air.tables.map((def, i) => {
    const tr = traces[i];
    if (tr.main.length !== def.mainWidth)
      throw new ZkmipsError(
        `prove: table ${def.name} has ${def.mainWidth} main columns, trace has ${tr.main.length}`,
      );
    const n =
      tr.main.length > 0
        ? tr.main[0].length
        : def.fixedLogHeight !== undefined
          ? 1 << def.fixedLogHeight
          : 1 << (tr.logHeight ?? 0);
    const logN = Math.round(Math.log2(n));
    if (2 ** logN !== n || logN < 2 || logN > maxLogHeight(o))
      throw new ZkmipsError(
        `prove: table ${def.name} height ${n} must be a power of two in [4, 2^${maxLogHeight(o)}] (at blowup 2^${o.logBlowup})`,
      );
    if (def.fixedLogHeight !== undefined && def.fixedLogHeight !== logN)
      throw new ZkmipsError(`prove: table ${def.name} must have 2^${def.fixedLogHeight} rows`);
    for (const c of tr.main) {
      if (c.length !== n) throw new ZkmipsError(`prove: table ${def.name} columns differ in length`);
      for (let r = 0; r < n; r++)
        if (c[r] >= P) throw new ZkmipsError(`prove: table ${def.name} value ${c[r]} >= p on row ${r}`);
    }
    return {
      def,
      logN,
      main: tr.main,
      pre: def.preprocessed ?? [],
      aux: [],
      preLde: pk.preLde[i] ?? new Uint32Array(0),
      mainLde: new Uint32Array(0),
      auxLde: new Uint32Array(0),
      quotLde: new Uint32Array(0),
      quotCoeffs: [],
    };
  });
  const logHeights = work.map((w) => w.logN);
  const lde = (w: TableWork) => 1 << (w.logN + o.logBlowup);
  const tr = new Transcript();
  absorbStatement(tr, air, o, logHeights, pk.vkey, publicInputs);

  const lde2 = (cols: readonly Uint32Array[]): Promise<Uint32Array> | Uint32Array =>
    config.parallel ? parallelLdeColumns(cols, o.logBlowup, SHIFT) : ldeColumns(cols, o.logBlowup);
  for (const w of work) w.mainLde = await lde2(w.main);
  phase("trace-lde");
  const mainTree = await merkleCommit(
    work.map((w) => ({ values: w.mainLde, width: w.def.mainWidth, height: lde(w) })),
    hasher,
    nodeHasher,
  );
  phase("commit-main");
  tr.absorbElement(mainTree.root);

  const challenges: Ext[] = [];
  const chal = new Uint32Array(4 * NUM_CHALLENGES);
  const cum = new Uint32Array(4 * air.tables.length);
  const cumSums: Ext[] = [];
  let auxTree: MerkleTree | null = null;
  if (air.tables.some((t) => t.auxWidth > 0)) {
    for (let i = 0; i < NUM_CHALLENGES; i++) {
      challenges.push(tr.challengeExt());
      chal.set(challenges[i], 4 * i);
    }
    for (const w of work) {
      if (w.def.auxWidth === 0) continue;
      const built = buildAux(w, publicInputs, chal);
      const { cols } = built;
      const sum = config.tamperAux?.(w.def.index, cols, built.sum) ?? built.sum;
      w.aux = cols;
      w.auxLde = await lde2(cols);
      cum.set(sum, 4 * w.def.index);
      cumSums.push(sum);
    }
    phase("logup-aux");
    auxTree = await merkleCommit(
      work.map((w) => ({ values: w.auxLde, width: 4 * w.def.auxWidth, height: lde(w) })),
      hasher,
      nodeHasher,
    );
    phase("commit-aux");
    tr.absorbElement(auxTree.root);
    tr.absorbExts(cumSums);
  }
  if (config.selfCheck !== false) {
    for (const w of work) selfCheck(w, publicInputs, chal, cum);
    if (air.globalConstraints.length > 0) {
      const g = evalExt(air.globalConstraints, {
        column: () => EXT_ZERO,
        selector: () => EXT_ZERO,
        pub: (i) => publicInputs[i],
        chal: (i) => challenges[i],
        cumSum: (i) => getExt(cum, i),
      });
      if (!g || g.some((v) => v.some((c) => c !== 0)))
        throw new ZkmipsError(
          "prover self-check: the LogUp sums of all tables and public bus terms do not cancel",
          "some bus has unmatched sends/receives or wrong multiplicities",
        );
    }
    phase("self-check");
  }

  const alphaQ = tr.challengeExt();
  for (const w of work) await computeQuotient(w, o, publicInputs, chal, cum, alphaQ, config.parallel);
  phase("quotient");
  const quotTree = await merkleCommit(
    work.map((w) => ({ values: w.quotLde, width: 4 * w.def.quotientChunks, height: lde(w) })),
    hasher,
    nodeHasher,
  );
  phase("commit-quotient");
  tr.absorbElement(quotTree.root);

  const zeta = tr.challengeExt();
  const openings: TableOpenings[] = work.map((w) => {
    const zNext = escale(zeta, rootOfUnity(w.logN));
    const nc = nextColumns(w.def);
    const two = (cols: readonly Uint32Array[], next: readonly number[]): [Ext[], Ext[]] => [
      openColumns(cols, zeta, w.logN),
      openColumns(
        next.map((c) => cols[c]),
        zNext,
        w.logN,
      ),
    ];
    return {
      pre: two(w.pre, nc.pre),
      main: two(w.main, nc.main),
      aux: two(
        w.aux,
        nc.aux.flatMap((j) => [4 * j, 4 * j + 1, 4 * j + 2, 4 * j + 3]),
      ),
      quot: evalCoeffs(w.quotCoeffs, zeta),
    };
  });
  for (const t of openings) {
    for (const pair of [t.pre, t.main, t.aux]) for (const list of pair) tr.absorbExts(list);
    tr.absorbExts(t.quot);
  }
  phase("ood-openings");

  const alphaF = tr.challengeExt();
  const sched = friSchedule(logHeights, o);
  const ro = new Map<number, Uint32Array>();
  const offs = new Map<number, Ext>();
  const xsByLog = new Map<number, Uint32Array>();
  const invZByLog = new Map<number, Uint32Array>();
  const zeroExts = new Uint32Array(4 << sched.logMax); // read-only zeros (a missing DEEP term)
  for (const w of work) {
    const t = w.def;
    const logL = w.logN + o.logBlowup;
    const size = 1 << logL;
    if (!ro.has(logL)) {
      ro.set(logL, new Uint32Array(4 * size));
      offs.set(logL, fromBase(1));
      xsByLog.set(logL, domainPoints(logL, SHIFT));
      invZByLog.set(logL, invDifferences(xsByLog.get(logL)!, zeta, fromBase(1)));
    }
    const W = t.preWidth + t.mainWidth + 4 * t.auxWidth;
    const Q = 4 * t.quotientChunks;
    const alphaPows = extPows(alphaF, Math.max(W, Q));
    // Σ_k coefs[k]·T_k over the trace columns (pre, main, aux in order); all-zero groups skipped.
    const reduceTrace = async (coefs: Uint32Array): Promise<Uint32Array> => {
      const out = config.parallel ? sharedU32(4 * size) : new Uint32Array(4 * size);
      let c = 0;
      let first = true;
      for (const [m, width] of [
        [w.preLde, t.preWidth],
        [w.mainLde, t.mainWidth],
        [w.auxLde, 4 * t.auxWidth],
      ] as const) {
        const part = coefs.subarray(4 * c, 4 * (c + width));
        c += width;
        if (width === 0 || part.every((v) => v === 0)) continue;
        await parallelReduceRows(m, size, width, part, out, !first);
        first = false;
      }
      return out;
    };
    const rT = await reduceTrace(alphaPows.subarray(0, 4 * W));
    const rQ = new Uint32Array(4 * size);
    await parallelReduceRows(w.quotLde, size, Q, alphaPows.subarray(0, 4 * Q), rQ, false);
    const op = openings[t.index];
    const trAt = (k: 0 | 1): Ext => reduceOpenings([...op.pre[k], ...op.main[k], ...op.aux[k]], alphaPows);
    const off = offs.get(logL)!;
    // The z term: acc += off·[R_T - R_T(z) + α^2W (R_Q - R_Q(z))]/(x - z) (no z·w term: zeros).
    const none = zeroExts.subarray(0, 4 * size);
    wasmDeepCombine(
      ro.get(logL)!,
      rT,
      rQ,
      trAt(0),
      reduceOpenings(op.quot, alphaPows),
      EXT_ZERO,
      epow(alphaF, 2 * W),
      invZByLog.get(logL)!,
      none,
      off,
    );
    // The z·w term over the next-row columns only: acc += off·α^W [R_N - R_N(zw)]/(x - zw),
    // R_N = Σ_k α^k T_(N_k) with N = nextColumns(t).trace (dense powers, as the openings list).
    const nc = nextColumns(t);
    if (nc.trace.length > 0) {
      const coef = new Uint32Array(4 * W);
      nc.trace.forEach((c, k) => coef.set(alphaPows.subarray(4 * k, 4 * k + 4), 4 * c));
      const rN = await reduceTrace(coef);
      const zNext = escale(zeta, rootOfUnity(w.logN));
      const invZn = invDifferences(xsByLog.get(logL)!, zNext, epow(alphaF, W));
      wasmDeepCombine(ro.get(logL)!, rN, rN, EXT_ZERO, EXT_ZERO, trAt(1), EXT_ZERO, none, invZn, off);
    }
    offs.set(logL, emul(off, epow(alphaF, 2 * W + Q)));
  }
  phase("deep-quotient");

  // FRI commit phase.
  let layer = ro.get(sched.logMax)!;
  let shift = SHIFT;
  const friTrees: MerkleTree[] = [];
  for (let r = 0; r < sched.steps.length; r++) {
    const step = sched.steps[r];
    const logS = sched.layerLogSizes[r];
    const a = 1 << step;
    const rows = 1 << (logS - step);
    phase("fri");
    const tree = await merkleCommit([{ values: layer, width: 4 * a, height: rows }], hasher, nodeHasher);
    phase("commit-fri");
    friTrees.push(tree);
    tr.absorbElement(tree.root);
    const beta = tr.challengeExt();
    const next = foldLayer(layer, logS, shift, beta, step);
    const roll = ro.get(logS - step);
    if (roll) {
      const bA = epow(beta, a);
      for (let j = 0; j < rows; j++) next.set(eadd(getExt(next, j), emul(bA, getExt(roll, j))), 4 * j);
    }
    layer = next;
    shift = pow(shift, a);
  }
  const finalPoly = finalCoefficients(layer, shift, sched.finalPolyLen);
  tr.absorbExts(finalPoly);
  phase("fri");

  const powNonce = config.parallel
    ? await tr.grindAsync(o.grindingBits, poseidonBatchParallel)
    : tr.grind(o.grindingBits);
  phase("grinding");
  const indices = tr.queryIndices(o.numQueries, sched.logMax);
  const roundTrees = [pk.preTree, mainTree, auxTree, quotTree].filter((t): t is MerkleTree => t !== null);
  const queries: QueryProof[] = indices.map((q) => ({
    rounds: roundTrees.map((t) => merkleOpen(t, q >>> (sched.logMax - t.logHeight))),
    fri: friTrees.map((t, r) =>
      merkleOpen(t, (q >>> (sched.logMax - sched.layerLogSizes[r])) >>> sched.steps[r]),
    ),
  }));
  phase("queries");
  const proof: StarkProof = {
    options: o,
    logHeights,
    mainRoot: mainTree.root,
    auxRoot: auxTree ? auxTree.root : null,
    quotRoot: quotTree.root,
    cumSums,
    openings,
    friRoots: friTrees.map((t) => t.root),
    finalPoly,
    powNonce,
    queries,
  };
  return { proof, bytes: encodeProof(air, proof) };
}

/** x_j = shift * w_S^bitrev_{S/a}(j): the base point of each folding coset. */
export function cosetBases(logS: number, step: number, shift: number): Uint32Array {
  const rows = 1 << (logS - step);
  const w = rootOfUnity(logS);
  const nat = new Uint32Array(rows);
  let x = shift;
  for (let k = 0; k < rows; k++) {
    nat[k] = x;
    x = mul(x, w);
  }
  const out = new Uint32Array(rows);
  for (let j = 0; j < rows; j++) out[j] = nat[reverseBits(j, logS - step)];
  return out;
}

/** Coefficients of the final layer's polynomial (bit-reversed coset evaluations), truncated. */
function finalCoefficients(layer: Uint32Array, shift: number, len: number): Ext[] {
  const size = layer.length / 4;
  const comps = [0, 1, 2, 3].map((k) => {
    const c = new Uint32Array(size);
    for (let i = 0; i < size; i++) c[i] = layer[4 * i + k];
    bitReversePermute(c);
    return cosetIdft(c, shift);
  });
  const out: Ext[] = [];
  for (let i = 0; i < len; i++) out.push([comps[0][i], comps[1][i], comps[2][i], comps[3][i]]);
  return out;
}
