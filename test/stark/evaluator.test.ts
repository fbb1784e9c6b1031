import { expect } from "chai";
import fc from "fast-check";
import { P } from "../../src/field/koalabear.ts";
import { compileRowProgram, type EvalInputs } from "../../src/stark/compile.ts";
import { BlockEvaluator } from "../../src/stark/evaluator.ts";
import { parallelCombine } from "../../src/stark/eval-pool.ts";
import {
  type Expr,
  chal,
  col,
  constant,
  cumSum,
  isFirstRow,
  isLastRow,
  isTransition,
  pub,
} from "../../src/stark/expr.ts";

/** Random expression DAGs over every leaf kind; `base` restricts to base-field leaves. */
function randomExprs(seed: number[], base: boolean): Expr[] {
  let s = 0;
  const next = () => seed[s++ % seed.length];
  const leaves: Expr[] = [
    col("main", 0),
    col("main", 1, true),
    col("pre", 0),
    col("pre", 1, true),
    pub(0),
    constant(7),
    constant(P - 1),
    isFirstRow(),
    isLastRow(),
    isTransition(),
  ];
  if (!base) leaves.push(col("aux", 0), col("aux", 1, true), chal(0), chal(1), cumSum(0));
  const pool = [...leaves];
  for (let i = 0; i < 40; i++) {
    const a = pool[next() % pool.length];
    const b = pool[next() % pool.length];
    const op = next() % 4;
    pool.push(op === 0 ? a.add(b) : op === 1 ? a.sub(b) : op === 2 ? a.mul(b) : a.neg());
  }
  return pool.slice(-15).concat([pool[pool.length - 1]]);
}

function inputs(n: number, vals: number[]): EvalInputs {
  const r = (i: number) => vals[i % vals.length];
  const nxt = new Uint32Array(n).map((_, i) => (i * 7 + 3) % n);
  return {
    pre: Uint32Array.from({ length: 2 * n }, (_, i) => r(i)),
    preWidth: 2,
    main: Uint32Array.from({ length: 2 * n }, (_, i) => r(i + 11)),
    mainWidth: 2,
    aux: Uint32Array.from({ length: 8 * n }, (_, i) => r(i + 23)),
    auxWidth: 2,
    cur: null,
    nxt,
    selFirst: Uint32Array.from({ length: n }, (_, i) => r(i + 5)),
    selLast: Uint32Array.from({ length: n }, (_, i) => r(i + 6)),
    selTrans: Uint32Array.from({ length: n }, (_, i) => r(i + 7)),
    pubs: [r(1)],
    chal: Uint32Array.from({ length: 8 }, (_, i) => r(i + 2)),
    cum: Uint32Array.from({ length: 4 }, (_, i) => r(i + 3)),
  };
}

describe("WASM block evaluator agrees with the generated-JavaScript evaluator", () => {
  const felt = fc.integer({ min: 0, max: P - 1 });
  it("combines random constraint DAGs identically", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(1000), { minLength: 50, maxLength: 50 }),
        fc.array(felt, { minLength: 64, maxLength: 64 }),
        fc.integer({ min: 1, max: 2100 }),
        (seed, vals, n) => {
          const exprs = randomExprs(seed, false);
          const inp = inputs(n, vals);
          const ap = Uint32Array.from({ length: 4 * exprs.length }, (_, i) => vals[(i * 5) % vals.length]);
          const a = new Uint32Array(4 * n);
          const b = new Uint32Array(4 * n);
          compileRowProgram(exprs, "combine")(inp, 0, n, ap, a);
          new BlockEvaluator(exprs).run(inp, 0, n, "combine", ap, b);
          expect(b).to.deep.equal(a);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("splitting the points over worker threads gives the same combination", async () => {
    const seed = Array.from({ length: 50 }, (_, i) => (i * 37 + 11) % 1000);
    const vals = Array.from({ length: 64 }, (_, i) => (i * 2654435761) % P);
    const exprs = randomExprs(seed, false);
    const n = 5000;
    const inp = inputs(n, vals);
    const shared = new Uint32Array(new SharedArrayBuffer(inp.main.byteLength));
    shared.set(inp.main);
    const ap = Uint32Array.from({ length: 4 * exprs.length }, (_, i) => vals[(i * 5) % vals.length]);
    const a = new Uint32Array(4 * n);
    new BlockEvaluator(exprs).run(inp, 0, n, "combine", ap, a);
    const b = await parallelCombine(exprs, { ...inp, main: shared }, n, ap);
    expect(Uint32Array.from(b)).to.deep.equal(a);
  });

  it("computes base values and finds the same first failing constraint", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(1000), { minLength: 50, maxLength: 50 }),
        fc.array(felt, { minLength: 64, maxLength: 64 }),
        fc.integer({ min: 1, max: 1500 }),
        (seed, vals, n) => {
          const exprs = randomExprs(seed, true);
          const inp = inputs(n, vals);
          const a = new Uint32Array(n * exprs.length);
          const b = new Uint32Array(n * exprs.length);
          compileRowProgram(exprs, "values")(inp, 0, n, new Uint32Array(0), a);
          new BlockEvaluator(exprs).run(inp, 0, n, "values", new Uint32Array(0), b);
          expect(b).to.deep.equal(a);
          const zeros = exprs.map((e) => e.sub(e));
          const none = new BlockEvaluator(zeros).run(
            inp,
            0,
            n,
            "check",
            new Uint32Array(0),
            new Uint32Array(0),
          );
          expect(none).to.equal(-1);
          const c1 = compileRowProgram(exprs, "check")(inp, 0, n, new Uint32Array(0), new Uint32Array(0));
          const c2 = new BlockEvaluator(exprs).run(
            inp,
            0,
            n,
            "check",
            new Uint32Array(0),
            new Uint32Array(0),
          );
          expect(c2).to.equal(c1);
        },
      ),
      { numRuns: 25 },
    );
  });
});
