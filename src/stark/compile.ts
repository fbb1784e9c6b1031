/**
 * Compiles expression DAGs into straight-line JavaScript over typed arrays (the prover's
 * evaluator). One generated function loops over points; each DAG node becomes one local
 * (four for extension values). Three modes:
 * - "combine": out[4i..4i+3] = sum_k alphaPow_k * C_k(point i)  (quotient numerator);
 * - "check":   returns the first (row * numConstraints + k) whose C_k != 0, or -1;
 * - "values":  out[i*count + k] = E_k(point i) for base-field expressions;
 * - "extValues": out[4(i*count + k) + j] = coefficient j of E_k(point i) (base values lifted).
 * Inputs are row-major matrices (pre, main, aux with 4 values per extension column), the
 * index of the current and the next row for each point, and the selector values per point.
 */
import { P, mul } from "../field/koalabear.ts";
import { type Expr, topoOrder } from "./expr.ts";

export interface EvalInputs {
  readonly pre: Uint32Array;
  readonly preWidth: number;
  readonly main: Uint32Array;
  readonly mainWidth: number;
  readonly aux: Uint32Array;
  /** Extension columns in aux (4 base values each). */
  readonly auxWidth: number;
  /** Row index of point i in the matrices, and of its "next" point. */
  readonly cur: Uint32Array | null;
  readonly nxt: Uint32Array;
  readonly selFirst: Uint32Array;
  readonly selLast: Uint32Array;
  readonly selTrans: Uint32Array;
  readonly pubs: readonly number[];
  /** Challenges, 4 values each. */
  readonly chal: Uint32Array;
  /** cumSum per table, 4 values each. */
  readonly cum: Uint32Array;
}

export type Mode = "combine" | "check" | "values" | "extValues";

type Compiled = (
  inp: EvalInputs,
  start: number,
  end: number,
  alphaPows: Uint32Array,
  out: Uint32Array,
) => number;

const add = (a: number, b: number): number => {
  const s = a + b;
  return s >= P ? s - P : s;
};
const sub = (a: number, b: number): number => {
  const s = a - b;
  return s < 0 ? s + P : s;
};

/**
 * Expressions per generated function: V8 stops optimizing very large functions, so long
 * constraint lists are split into chunks (each recomputes the shared nodes it needs).
 */
const CHUNK = 12;

export function compileRowProgram(exprs: readonly Expr[], mode: Mode): Compiled {
  const parts: Compiled[] = [];
  for (let k = 0; k < exprs.length; k += CHUNK) {
    parts.push(compileChunk(exprs.slice(k, k + CHUNK), mode, k, exprs.length));
  }
  if (parts.length === 1) return parts[0];
  if (mode === "check") {
    return (inp, start, end, ap, out) => {
      let best = -1;
      for (const f of parts) {
        const r = f(inp, start, end, ap, out);
        if (r >= 0 && (best < 0 || r < best)) best = r;
      }
      return best;
    };
  }
  return (inp, start, end, ap, out) => {
    for (const f of parts) f(inp, start, end, ap, out);
    return -1;
  };
}

function compileChunk(exprs: readonly Expr[], mode: Mode, offset: number, total: number): Compiled {
  const order = topoOrder(exprs);
  const lines: string[] = [];
  const isExt = new Map<number, boolean>();
  const v = (e: Expr, k = 0): string => (isExt.get(e.id) ? `v${e.id}_${k}` : k === 0 ? `v${e.id}` : "0");
  const emitExt = (id: number, parts: string[]): void => {
    for (let k = 0; k < 4; k++) lines.push(`const v${id}_${k} = ${parts[k]};`);
  };
  for (const e of order) {
    const n = e.node;
    isExt.set(e.id, e.isExt);
    const id = e.id;
    switch (n.op) {
      case "const":
        lines.push(`const v${id} = ${n.value};`);
        break;
      case "col": {
        const row = n.next ? "rn" : "rc";
        if (n.group === "pre") lines.push(`const v${id} = pre[${row} * wp + ${n.index}];`);
        else if (n.group === "main") lines.push(`const v${id} = main[${row} * wm + ${n.index}];`);
        else
          emitExt(
            id,
            [0, 1, 2, 3].map((k) => `aux[${row} * wa + ${4 * n.index + k}]`),
          );
        break;
      }
      case "pub":
        lines.push(`const v${id} = pubs[${n.index}];`);
        break;
      case "chal":
        emitExt(
          id,
          [0, 1, 2, 3].map((k) => `chal[${4 * n.index + k}]`),
        );
        break;
      case "cumSum":
        emitExt(
          id,
          [0, 1, 2, 3].map((k) => `cum[${4 * n.table + k}]`),
        );
        break;
      case "sel":
        lines.push(`const v${id} = ${n.which === "first" ? "sF" : n.which === "last" ? "sL" : "sT"}[i];`);
        break;
      case "add":
      case "sub": {
        const f = n.op === "add" ? "ad" : "sb";
        if (!e.isExt) lines.push(`const v${id} = ${f}(${v(n.a)}, ${v(n.b)});`);
        else
          emitExt(
            id,
            [0, 1, 2, 3].map((k) => `${f}(${v(n.a, k)}, ${v(n.b, k)})`),
          );
        break;
      }
      case "neg":
        if (!e.isExt) lines.push(`const v${id} = sb(0, ${v(n.a)});`);
        else
          emitExt(
            id,
            [0, 1, 2, 3].map((k) => `sb(0, ${v(n.a, k)})`),
          );
        break;
      case "mul": {
        const ae = n.a.isExt;
        const be = n.b.isExt;
        if (!ae && !be) lines.push(`const v${id} = m(${v(n.a)}, ${v(n.b)});`);
        else if (ae && be) {
          const a = (k: number) => v(n.a, k);
          const b = (k: number) => v(n.b, k);
          emitExt(id, extMulParts(a, b));
        } else {
          const [x, s] = ae ? [n.a, n.b] : [n.b, n.a];
          emitExt(
            id,
            [0, 1, 2, 3].map((k) => `m(${v(x, k)}, ${v(s)})`),
          );
        }
        break;
      }
      case "inv":
        throw new Error("compile: inv() cannot appear in row programs");
    }
  }
  const body: string[] = [];
  if (mode === "combine") {
    body.push(
      offset === 0
        ? "let a0 = 0, a1 = 0, a2 = 0, a3 = 0;"
        : "let a0 = out[4 * i], a1 = out[4 * i + 1], a2 = out[4 * i + 2], a3 = out[4 * i + 3];",
    );
    exprs.forEach((e, k) => {
      if (!e.isExt) {
        for (let j = 0; j < 4; j++) body.push(`a${j} = ad(a${j}, m(${v(e)}, ap[${4 * (k + offset) + j}]));`);
      } else {
        const parts = extMulParts(
          (j) => v(e, j),
          (j) => `ap[${4 * (k + offset) + j}]`,
        );
        for (let j = 0; j < 4; j++) body.push(`a${j} = ad(a${j}, ${parts[j]});`);
      }
    });
    body.push("out[4 * i] = a0; out[4 * i + 1] = a1; out[4 * i + 2] = a2; out[4 * i + 3] = a3;");
  } else if (mode === "check") {
    exprs.forEach((e, k) => {
      const cond = e.isExt ? [0, 1, 2, 3].map((j) => `${v(e, j)} !== 0`).join(" || ") : `${v(e)} !== 0`;
      body.push(`if (${cond}) return i * ${total} + ${k + offset};`);
    });
  } else if (mode === "extValues") {
    exprs.forEach((e, k) => {
      for (let j = 0; j < 4; j++) body.push(`out[4 * (i * ${total} + ${k + offset}) + ${j}] = ${v(e, j)};`);
    });
  } else {
    exprs.forEach((e, k) => {
      if (e.isExt) throw new Error("compile: values mode takes base-field expressions only");
      body.push(`out[i * ${total} + ${k + offset}] = ${v(e)};`);
    });
  }
  const src = `
return function evalRows(inp, start, end, ap, out) {
  const pre = inp.pre, wp = inp.preWidth, main = inp.main, wm = inp.mainWidth, aux = inp.aux, wa = 4 * inp.auxWidth;
  const cur = inp.cur, nxt = inp.nxt, sF = inp.selFirst, sL = inp.selLast, sT = inp.selTrans;
  const pubs = inp.pubs, chal = inp.chal, cum = inp.cum;
  for (let i = start; i < end; i++) {
    const rc = cur === null ? i : cur[i];
    const rn = nxt[i];
    ${lines.join("\n    ")}
    ${body.join("\n    ")}
  }
  return -1;
};`;
  const factory = new Function("m", "ad", "sb", src) as (
    m: (a: number, b: number) => number,
    ad: (a: number, b: number) => number,
    sb: (a: number, b: number) => number,
  ) => Compiled;
  return factory(mul, add, sub);
}

/** Source fragments of the four coefficients of a*b in F[x]/(x^4 - 3). */
function extMulParts(a: (k: number) => string, b: (k: number) => string): string[] {
  const t = (i: number, j: number) => `m(${a(i)}, ${b(j)})`;
  return [
    `ad(${t(0, 0)}, m(3, ad(ad(${t(1, 3)}, ${t(2, 2)}), ${t(3, 1)})))`,
    `ad(ad(${t(0, 1)}, ${t(1, 0)}), m(3, ad(${t(2, 3)}, ${t(3, 2)})))`,
    `ad(ad(ad(${t(0, 2)}, ${t(1, 1)}), ${t(2, 0)}), m(3, ${t(3, 3)}))`,
    `ad(ad(${t(0, 3)}, ${t(1, 2)}), ad(${t(2, 1)}, ${t(3, 0)}))`,
  ];
}
