/**
 * The STARK verifier. It is given the AIR, the verifying key (programVKey), the public
 * inputs and the EXPECTED options; it never trusts options read from the proof. Every
 * failure is a StarkVerifyError naming the check:
 *   format | options | shape | ood-constraints | logup-balance | merkle-<pre|main|aux|quot> |
 *   fri-merkle | fri-fold | fri-final | pow | public-inputs
 */
import {
  type Ext,
  EXT_ZERO,
  basis,
  eadd,
  einv,
  emul,
  epow,
  eq,
  esub,
  escale,
  fromBase,
  isZero,
} from "../field/ext4.ts";
import { P, inv, mul, pow, rootOfUnity, sub } from "../field/koalabear.ts";
import { reverseBits } from "../field/ntt.ts";
import { merkleVerify } from "../hash/merkle.ts";
import { Transcript } from "../hash/transcript.ts";
import { ZkmipsError } from "../errors.ts";
import { type AirDefinition, NUM_CHALLENGES } from "./air.ts";
import { SHIFT, domainPoint, friSchedule } from "./domain.ts";
import { StarkVerifyError } from "./errors.ts";
import { evalPolyAtBase, foldCoset } from "./fri.ts";
import { nextColumns, nextPosition } from "./next-columns.ts";
import { evalExt } from "./ood.ts";
import { type ProofOptions, validateOptions } from "./options.ts";
import { type StarkProof, decodeProof, proofShape } from "./proof.ts";
import { absorbStatement } from "./statement.ts";

export interface VerifyConfig {
  /** If given, the proof must have exactly these table heights (log2). */
  readonly expectedLogHeights?: readonly number[];
}

/** Verifies proof bytes; returns the decoded proof, throws StarkVerifyError on rejection. */
export function verify(
  air: AirDefinition,
  vkey: bigint,
  publicInputs: readonly number[],
  bytes: Uint8Array,
  options: ProofOptions,
  config: VerifyConfig = {},
): StarkProof {
  const o = validateOptions(options);
  if (
    publicInputs.length !== air.numPublicInputs ||
    publicInputs.some((v) => !Number.isInteger(v) || v < 0 || v >= P)
  )
    throw new StarkVerifyError(
      "public-inputs",
      `expected ${air.numPublicInputs} public inputs, each a field value`,
    );
  try {
    const { proof } = decodeProof(air, o, bytes);
    verifyDecoded(air, vkey, publicInputs, proof, o, config);
    return proof;
  } catch (e) {
    if (e instanceof StarkVerifyError) throw e;
    if (e instanceof ZkmipsError) throw new StarkVerifyError("format", e.message);
    throw new StarkVerifyError("internal", `unexpected error while verifying: ${(e as Error).message}`);
  }
}

function fail(check: string, detail: string): never {
  throw new StarkVerifyError(check, detail);
}

function verifyDecoded(
  air: AirDefinition,
  vkey: bigint,
  pubs: readonly number[],
  proof: StarkProof,
  o: ProofOptions,
  config: VerifyConfig,
): void {
  const logHeights = proof.logHeights;
  if (config.expectedLogHeights) {
    const ex = config.expectedLogHeights;
    if (ex.length !== logHeights.length || ex.some((h, i) => h !== logHeights[i]))
      fail("shape", `table heights 2^[${logHeights}] differ from the expected 2^[${ex}]`);
  }
  const shape = proofShape(air, o, logHeights);
  const tr = new Transcript();
  absorbStatement(tr, air, o, logHeights, vkey, pubs);
  tr.absorbElement(proof.mainRoot);
  const challenges: Ext[] = [];
  if (shape.hasAux) {
    for (let i = 0; i < NUM_CHALLENGES; i++) challenges.push(tr.challengeExt());
    tr.absorbElement(proof.auxRoot!);
    tr.absorbExts(proof.cumSums);
  }
  const cumByTable: Ext[] = air.tables.map(() => EXT_ZERO);
  let ci = 0;
  air.tables.forEach((t, i) => {
    if (t.auxWidth > 0) cumByTable[i] = proof.cumSums[ci++];
  });
  const alphaQ = tr.challengeExt();
  tr.absorbElement(proof.quotRoot);
  const zeta = tr.challengeExt();
  for (const t of proof.openings) {
    for (const pair of [t.pre, t.main, t.aux]) for (const list of pair) tr.absorbExts(list);
    tr.absorbExts(t.quot);
  }

  // Out-of-domain checks: constraints vs quotient, per table.
  air.tables.forEach((t, ti) => {
    const n = 1 << logHeights[ti];
    const op = proof.openings[ti];
    const wInv = inv(rootOfUnity(logHeights[ti]));
    const zn = epow(zeta, n);
    const zh = esub(zn, fromBase(1));
    const zMinus1 = esub(zeta, fromBase(1));
    const zMinusLast = esub(zeta, fromBase(wInv));
    if (isZero(zh) || isZero(zMinus1) || isZero(zMinusLast))
      fail("ood-constraints", "out-of-domain point falls on the trace domain");
    const auxExt = (list: Ext[], j: number): Ext =>
      [0, 1, 2, 3].reduce<Ext>((acc, e) => eadd(acc, emul(basis(e), list[4 * j + e])), EXT_ZERO);
    const nc = nextColumns(t);
    const values = evalExt(t.constraints, {
      // At z·w only the next-row columns are opened, in nextColumns order.
      column: (group, index, next) => {
        const k = next ? 1 : 0;
        const at = next ? nextPosition(nc, group, index) : index;
        if (group === "pre") return op.pre[k][at];
        if (group === "main") return op.main[k][at];
        return auxExt(op.aux[k], at);
      },
      selector: (which) => {
        const nInv = inv(n);
        const last = escale(emul(zh, einv(zMinusLast)), mul(nInv, wInv));
        if (which === "first") return escale(emul(zh, einv(zMinus1)), nInv);
        return which === "last" ? last : esub(fromBase(1), last);
      },
      pub: (i) => pubs[i],
      chal: (i) => challenges[i] ?? EXT_ZERO,
      cumSum: (i) => cumByTable[i],
    });
    if (!values) fail("ood-constraints", `table ${t.name}: division by zero`);
    let combined: Ext = EXT_ZERO;
    let ap: Ext = fromBase(1);
    for (const v of values) {
      combined = eadd(combined, emul(v, ap));
      ap = emul(ap, alphaQ);
    }
    let q: Ext = EXT_ZERO;
    let zjn: Ext = fromBase(1);
    for (let j = 0; j < t.quotientChunks; j++) {
      q = eadd(q, emul(zjn, auxExt(op.quot, j)));
      zjn = emul(zjn, zn);
    }
    if (!eq(combined, emul(zh, q)))
      fail("ood-constraints", `table ${t.name}: constraints do not match the quotient at z`);
  });
  if (air.globalConstraints.length > 0) {
    const g = evalExt(air.globalConstraints, {
      column: () => fail("logup-balance", "global constraint reads a column"),
      selector: () => fail("logup-balance", "global constraint reads a selector"),
      pub: (i) => pubs[i],
      chal: (i) => challenges[i] ?? EXT_ZERO,
      cumSum: (i) => cumByTable[i],
    });
    if (!g) fail("logup-balance", "a public bus fingerprint is zero");
    if (g.some((v) => !isZero(v)))
      fail("logup-balance", "the LogUp sums over all tables and public terms are not zero");
  }

  // DEEP + FRI.
  const alphaF = tr.challengeExt();
  const sched = friSchedule(logHeights, o);
  const betas: Ext[] = [];
  proof.friRoots.forEach((root) => {
    tr.absorbElement(root);
    betas.push(tr.challengeExt());
  });
  tr.absorbExts(proof.finalPoly);
  if (!tr.checkGrind(o.grindingBits, proof.powNonce)) fail("pow", "the proof-of-work nonce is wrong");
  const indices = tr.queryIndices(o.numQueries, sched.logMax);

  const maxWidth = Math.max(
    1,
    ...air.tables.map((t) => Math.max(t.preWidth + t.mainWidth + 4 * t.auxWidth, 4 * t.quotientChunks)),
  );
  const alphaPows: Ext[] = [fromBase(1)];
  for (let i = 1; i < maxWidth; i++) alphaPows.push(emul(alphaPows[i - 1], alphaF));
  const reduce = (vals: ArrayLike<number> | readonly Ext[]): Ext => {
    let acc: Ext = EXT_ZERO;
    for (let c = 0; c < vals.length; c++) {
      const v = vals[c];
      acc = eadd(acc, typeof v === "number" ? escale(alphaPows[c], v) : emul(alphaPows[c], v));
    }
    return acc;
  };
  const treeRoots = shape.trees.map((t) =>
    t.name === "pre"
      ? vkey
      : t.name === "main"
        ? proof.mainRoot
        : t.name === "aux"
          ? proof.auxRoot!
          : proof.quotRoot,
  );
  const treeLog = shape.trees.map((t) =>
    Math.round(Math.log2(Math.max(...t.shapes.filter((s) => s.width > 0).map((s) => s.height)))),
  );
  const finalShift = pow(SHIFT, 2 ** (sched.logMax - sched.logFinal));

  indices.forEach((q, qi) => {
    const qp = proof.queries[qi];
    shape.trees.forEach((t, k) => {
      const idx = q >>> (sched.logMax - treeLog[k]);
      if (!merkleVerify(treeRoots[k], t.shapes, idx, qp.rounds[k]))
        fail(`merkle-${t.name}`, `query ${qi}: opening does not match the ${t.name} commitment`);
    });
    const rowsOf = (name: string, table: number): Uint32Array => {
      const k = shape.trees.findIndex((t) => t.name === name);
      return k < 0 ? new Uint32Array(0) : qp.rounds[k].rows[table];
    };
    // Reduced openings per LDE height at this query.
    const ro = new Map<number, Ext>();
    const offs = new Map<number, Ext>();
    air.tables.forEach((t, ti) => {
      const logL = logHeights[ti] + o.logBlowup;
      const idx = q >>> (sched.logMax - logL);
      const x = domainPoint(logL, idx, SHIFT);
      const zNext = escale(zeta, rootOfUnity(logHeights[ti]));
      const invZ = einv(esub(fromBase(x), zeta));
      const invZn = einv(esub(fromBase(x), zNext));
      const op = proof.openings[ti];
      const W = t.preWidth + t.mainWidth + 4 * t.auxWidth;
      const Q = 4 * t.quotientChunks;
      const row = [...rowsOf("pre", ti), ...rowsOf("main", ti), ...rowsOf("aux", ti)];
      const rT = reduce(row);
      // R_N: the next-row columns of the row, in the order of their z·w openings.
      const rN = reduce(nextColumns(t).trace.map((c) => row[c]));
      const rQ = reduce(rowsOf("quot", ti));
      const cZ = reduce([...op.pre[0], ...op.main[0], ...op.aux[0]]);
      const cZn = reduce([...op.pre[1], ...op.main[1], ...op.aux[1]]);
      const cQ = reduce(op.quot);
      const atZ = eadd(esub(rT, cZ), emul(epow(alphaF, 2 * W), esub(rQ, cQ)));
      const term = eadd(emul(atZ, invZ), emul(epow(alphaF, W), emul(esub(rN, cZn), invZn)));
      const off = offs.get(logL) ?? fromBase(1);
      const acc = eadd(ro.get(logL) ?? EXT_ZERO, emul(off, term));
      offs.set(logL, emul(off, epow(alphaF, 2 * W + Q)));
      ro.set(logL, acc);
    });
    let cur = ro.get(sched.logMax)!;
    let shift = SHIFT;
    sched.steps.forEach((step, r) => {
      const logS = sched.layerLogSizes[r];
      const a = 1 << step;
      const qr = q >>> (sched.logMax - logS);
      const j = qr >>> step;
      const opening = qp.fri[r];
      if (!merkleVerify(proof.friRoots[r], [{ width: 4 * a, height: 1 << (logS - step) }], j, opening))
        fail("fri-merkle", `query ${qi}: FRI layer ${r} opening does not match its commitment`);
      const row = opening.rows[0];
      const vals: Ext[] = [];
      for (let t = 0; t < a; t++) vals.push([row[4 * t], row[4 * t + 1], row[4 * t + 2], row[4 * t + 3]]);
      if (!eq(vals[qr & (a - 1)], cur))
        fail("fri-fold", `query ${qi}: FRI layer ${r} value differs from the folded value`);
      const xj = mul(shift, pow(rootOfUnity(logS), reverseBits(j, logS - step)));
      cur = foldCoset(vals, xj, betas[r], step);
      const roll = ro.get(logS - step);
      if (roll) cur = eadd(cur, emul(epow(betas[r], a), roll));
      shift = pow(shift, a);
    });
    const qf = q >>> (sched.logMax - sched.logFinal);
    const xf = domainPoint(sched.logFinal, qf, finalShift);
    if (!eq(evalPolyAtBase(proof.finalPoly, xf), cur))
      fail("fri-final", `query ${qi}: final polynomial does not match`);
  });
  void sub;
}
