/**
 * The query phase of the STARK verifier as R1CS rows, after `emitOodCheck`: the rest of the
 * transcript (alpha_F, one FRI root and beta per round, the final polynomial, grinding, the
 * query indices as bits) and, per query, the Merkle openings of every round tree (pre with
 * root = vkey, main, aux, quotient) and of every FRI layer, with the index bits sliced as
 * `src/stark/verifier.ts` shifts the index. Opened row values are inputs checked < 2^31
 * (`committed31`, bound COMMITTED_BOUND).
 * Not emitted yet: the DEEP combination, the FRI fold consistency and the final-polynomial
 * check (fri-fold, fri-final).
 */
import { treeLogHeight, proofShape, type StarkProof } from "../../stark/proof.ts";
import type { AirDefinition } from "../../stark/air.ts";
import { friSchedule } from "../../stark/domain.ts";
import type { ProofOptions } from "../../stark/options.ts";
import type { Builder, Lc } from "../r1cs/builder.ts";
import type { KbExt } from "../r1cs/gadgets/koalabear-ext.ts";
import { merkleVerify } from "../r1cs/gadgets/merkle.ts";
import type { OodCheckResult } from "./ood-check.ts";

export interface QueryPhaseResult {
  readonly alphaF: KbExt;
  readonly betas: readonly KbExt[];
  readonly finalPoly: readonly KbExt[];
  /** Per query: the index bits (little-endian, log2 of the largest LDE). */
  readonly indexBits: readonly (readonly Lc[])[];
  /** Per query and round tree: the opened rows (values < 2^31), one per matrix. */
  readonly rows: readonly (readonly (readonly Lc[])[])[][];
  /** Per query and FRI round: the opened coset values (4 per extension value). */
  readonly friRows: readonly (readonly Lc[])[][];
}

export function emitQueryPhase(
  b: Builder,
  air: AirDefinition,
  o: ProofOptions,
  vkey: Lc,
  ood: OodCheckResult,
  inp: { readonly logHeights: readonly number[]; readonly proof?: StarkProof },
  /** Tests only: `false` omits the Merkle rows, to reach the DEEP/FRI checks with forged values. */
  merkle = true,
): QueryPhaseResult {
  const p = inp.proof;
  const tr = ood.tr;
  const e = ood.em.e;
  const input = (v: bigint | number | undefined): Lc =>
    b.privateInput(b.computesValues ? BigInt(v as bigint | number) : undefined);
  // Opened row and FRI values: < 2^31, not < p (KoalaBear.committed31 says why that is sound).
  const opened = (v: number | undefined): Lc => e.f.committed31(input(v)).lc;

  const alphaF = tr.challengeExt();
  const sched = friSchedule(inp.logHeights, o);
  const friRoots: Lc[] = [];
  const betas: KbExt[] = [];
  sched.steps.forEach((_, r) => {
    const root = input(p?.friRoots[r]);
    friRoots.push(root);
    tr.absorbElement(root);
    betas.push(tr.challengeExt());
  });
  const finalPoly = Array.from({ length: sched.finalPolyLen }, (_, i) =>
    e.committed31([0, 1, 2, 3].map((c) => input(p?.finalPoly[i][c]))),
  );
  tr.absorbExts(finalPoly);
  tr.checkGrind(o.grindingBits, input(p?.powNonce));
  const indexBits = tr.queryIndexBits(o.numQueries, sched.logMax);

  const shape = proofShape(air, o, inp.logHeights);
  const roots = shape.trees.map((t) =>
    t.name === "pre"
      ? vkey
      : t.name === "main"
        ? ood.mainRoot
        : t.name === "aux"
          ? (ood.auxRoot as Lc)
          : ood.quotRoot,
  );
  const allRows: (readonly Lc[])[][][] = [];
  const allFri: (readonly Lc[])[][] = [];
  indexBits.forEach((bits, qi) => {
    const qp = p?.queries[qi];
    b.scope(`query${qi}`, () => {
      const perTree = shape.trees.map((t, k) => {
        const logT = treeLogHeight(t.shapes);
        const idx = bits.slice(sched.logMax - logT);
        const op = qp?.rounds[k];
        const rows = t.shapes.map((s, m) =>
          Array.from({ length: s.width }, (_, c) => opened(op?.rows[m][c])),
        );
        const path = Array.from({ length: logT }, (_, l) => input(op?.path[l]));
        if (merkle) b.scope(`merkle-${t.name}`, () => merkleVerify(b, roots[k], t.shapes, idx, rows, path));
        return rows;
      });
      allRows.push(perTree);
      const fri: Lc[][] = [];
      sched.steps.forEach((step, r) => {
        const logS = sched.layerLogSizes[r];
        const jBits = bits.slice(sched.logMax - logS + step);
        const op = qp?.fri[r];
        const width = 4 << step;
        const row = Array.from({ length: width }, (_, c) => opened(op?.rows[0][c]));
        const path = Array.from({ length: logS - step }, (_, l) => input(op?.path[l]));
        if (merkle)
          b.scope(`fri-merkle${r}`, () =>
            merkleVerify(b, friRoots[r], [{ width, height: 1 << (logS - step) }], jBits, [row], path),
          );
        fri.push(row);
      });
      allFri.push(fri);
    });
  });
  return { alphaF, betas, finalPoly, indexBits, rows: allRows, friRows: allFri };
}
