/**
 * The out-of-domain part of the STARK verifier as R1CS rows, driven by a decoded proof:
 * replays the transcript of `src/stark/verifier.ts` from the statement up to zeta (statement
 * → main root → LogUp challenges, aux root, cumulative sums → alpha_Q → quotient root →
 * zeta), then for every table evaluates its constraints at zeta with `OodEmitter` and checks
 * them against the quotient openings, and checks the global (LogUp balance) constraints.
 * Opened values and cumulative sums are range-checked (< 2^31, `committed31`) once and absorbed as the
 * verifier does; the transcript is returned for the query phase (`queries.ts`).
 */
import type { Ext } from "../../field/ext4.ts";
import { inv, rootOfUnity } from "../../field/koalabear.ts";
import { tagElement } from "../../hash/transcript.ts";
import { type AirDefinition, NUM_CHALLENGES } from "../../stark/air.ts";
import { nextColumns, nextPosition } from "../../stark/next-columns.ts";
import type { ProofOptions } from "../../stark/options.ts";
import type { StarkProof } from "../../stark/proof.ts";
import { DOMAIN_TAG } from "../../stark/statement.ts";
import type { Builder, Lc } from "../r1cs/builder.ts";
import type { Kb } from "../r1cs/gadgets/koalabear.ts";
import type { KbExt } from "../r1cs/gadgets/koalabear-ext.ts";
import { TranscriptCircuit } from "../r1cs/gadgets/transcript.ts";
import { OodEmitter } from "./ood.ts";

/** Per group [at z (every column), at z·w (`nextColumns` of the group, in that order)]. */
export interface TableOpeningsCircuit {
  readonly pre: [KbExt[], KbExt[]];
  readonly main: [KbExt[], KbExt[]];
  readonly aux: [KbExt[], KbExt[]];
  readonly quot: KbExt[];
}

/** What the later verifier stages need: the transcript after the openings, and the data. */
export interface OodCheckResult {
  readonly zeta: KbExt;
  readonly alphaQ: KbExt;
  readonly openings: readonly TableOpeningsCircuit[];
  readonly tr: TranscriptCircuit;
  readonly em: OodEmitter;
  readonly mainRoot: Lc;
  readonly auxRoot: Lc | undefined;
  readonly quotRoot: Lc;
  readonly challenges: readonly KbExt[];
}

/** Proof data the OOD part reads, as private inputs (values only when proving). */
export interface OodProofInputs {
  readonly logHeights: readonly number[];
  readonly proof?: StarkProof;
}

/**
 * Emits the OOD check. `vkey` and `pubs` are wires the caller created (public inputs or
 * private values it constrains elsewhere); `pubs` must already be canonical KoalaBear values.
 * The proof's shape (table heights) is a circuit parameter; its values are witness.
 */
export function emitOodCheck(
  b: Builder,
  air: AirDefinition,
  o: ProofOptions,
  vkey: Lc,
  pubs: readonly Kb[],
  inp: OodProofInputs,
): OodCheckResult {
  const p = inp.proof;
  const em = new OodEmitter(b);
  const e = em.e;
  const tr = new TranscriptCircuit(b);
  const k = (v: number): Lc => b.constant(BigInt(v));
  const input = (v: bigint | undefined): Lc => b.privateInput(b.computesValues ? v : undefined);
  // Proof values (openings, cumulative sums): < 2^31, see KoalaBear.committed31.
  const extIn = (x: Ext | undefined): KbExt =>
    e.committed31([0, 1, 2, 3].map((i) => input(x ? BigInt(x[i]) : undefined)));

  // Statement (src/stark/statement.ts): the shape and options are constants of the circuit.
  tr.absorbElement(b.constant(tagElement(DOMAIN_TAG)));
  tr.absorbValues([o.logBlowup, o.numQueries, o.grindingBits, o.logFoldingArity, o.logFinalPolyLen].map(k));
  tr.absorbElement(b.constant(tagElement(air.name)));
  tr.absorbValues([air.version, air.tables.length, ...inp.logHeights].map(k));
  tr.absorbElement(vkey);
  tr.absorbValues([k(pubs.length), ...pubs.map((x) => x.lc)]);

  const mainRoot = input(p?.mainRoot);
  tr.absorbElement(mainRoot);
  let auxRoot: Lc | undefined;
  const hasAux = air.tables.some((t) => t.auxWidth > 0);
  const challenges: KbExt[] = [];
  const cumByTable: KbExt[] = air.tables.map(() => e.constant([0]));
  if (hasAux) {
    for (let i = 0; i < NUM_CHALLENGES; i++) challenges.push(tr.challengeExt());
    auxRoot = input(p?.auxRoot ?? undefined);
    tr.absorbElement(auxRoot);
    const nCum = air.tables.filter((t) => t.auxWidth > 0).length;
    const cums = Array.from({ length: nCum }, (_, i) => extIn(p?.cumSums[i]));
    tr.absorbExts(cums);
    let ci = 0;
    air.tables.forEach((t, i) => {
      if (t.auxWidth > 0) cumByTable[i] = cums[ci++];
    });
  }
  const alphaQ = tr.challengeExt();
  const quotRoot = input(p?.quotRoot);
  tr.absorbElement(quotRoot);
  const zeta = tr.challengeExt();

  // Openings at z (every column) and z·w (the next-row columns only), absorbed in the
  // verifier's order (one packing per list): pre@z, pre@zw, main@z, main@zw, aux@z, aux@zw, quot.
  const openings: TableOpeningsCircuit[] = air.tables.map((t, ti) => {
    const op = p?.openings[ti];
    const nw = nextColumns(t).widths;
    const pair = (g: "pre" | "main" | "aux", width: number): [KbExt[], KbExt[]] =>
      [width, nw[g]].map((len, pt) => Array.from({ length: len }, (_, c) => extIn(op?.[g][pt][c]))) as [
        KbExt[],
        KbExt[],
      ];
    return {
      pre: pair("pre", t.preWidth),
      main: pair("main", t.mainWidth),
      aux: pair("aux", 4 * t.auxWidth),
      quot: Array.from({ length: 4 * t.quotientChunks }, (_, c) => extIn(op?.quot[c])),
    };
  });
  for (const op of openings) {
    for (const pr of [op.pre, op.main, op.aux]) for (const list of pr) tr.absorbExts(list);
    tr.absorbExts(op.quot);
  }

  // α_Q powers sized for the table with the most constraints (shared by all tables).
  b.scope("ood.alphaPowers", () =>
    em.blockPowers(alphaQ, Math.max(1, ...air.tables.map((t) => t.constraints.length))),
  );
  air.tables.forEach((t, ti) => {
    b.scope(`ood.table.${t.name}`, () => {
      const { pre, main, aux, quot } = openings[ti];
      const logN = inp.logHeights[ti];
      const sel = em.selectors(zeta, logN, BigInt(inv(rootOfUnity(logN))));
      const nc = nextColumns(t);
      const values = em.evaluate(t.constraints, {
        column: (group, index, next) => {
          const pt = next ? 1 : 0;
          const at = next ? nextPosition(nc, group, index) : index;
          if (group === "pre") return pre[pt][at];
          if (group === "main") return main[pt][at];
          return em.auxExt(aux[pt], at);
        },
        selector: (which) => sel[which],
        pub: (i) => pubs[i],
        chal: (i) => challenges[i] ?? e.constant([0]),
        cumSum: (i) => cumByTable[i],
      });
      const chunks = Array.from({ length: t.quotientChunks }, (_, j) => em.auxExt(quot, j));
      em.assertQuotient(values, alphaQ, sel.zh, sel.zn, chunks);
    });
  });
  if (air.globalConstraints.length > 0) {
    // LogUp balance: Σ cumulative sums + public bus terms = 0 (global expressions, may use inv).
    b.scope("ood.global", () => {
      const g = em.evaluate(air.globalConstraints, {
        column: () => {
          throw new Error("ood: a global constraint reads a column");
        },
        selector: () => {
          throw new Error("ood: a global constraint reads a selector");
        },
        pub: (i) => pubs[i],
        chal: (i) => challenges[i] ?? e.constant([0]),
        cumSum: (i) => cumByTable[i],
      });
      for (const v of g) e.assertEqual(v, e.constant([0]));
    });
  }
  return { zeta, alphaQ, openings, tr, em, mainRoot, auxRoot, quotRoot, challenges };
}
