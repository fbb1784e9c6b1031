/**
 * Witness checker for development and tests: evaluates every user constraint of every table on every
 * row (naming the constraint), and checks the bus balance exactly, tuple by tuple (naming the first
 * unbalanced tuple). The STARK prover's own self-check only says "LogUp fails"; this says where.
 */
import { P } from "../../field/koalabear.ts";
import type { AirDefinition } from "../../stark/air.ts";
import { compileRowProgram } from "../../stark/compile.ts";

export interface CheckFailure {
  table: string;
  what: string;
  row?: number;
}

function rowMajor(columns: readonly Uint32Array[], n: number): Uint32Array {
  const w = columns.length;
  const out = new Uint32Array(n * w);
  columns.forEach((c, j) => {
    for (let i = 0; i < n; i++) out[i * w + j] = c[i];
  });
  return out;
}

/** Returns null when the witness satisfies the AIR, else the first failure found. */
export function checkWitness(
  air: AirDefinition,
  traces: readonly { main: readonly Uint32Array[] }[],
  pubs: readonly number[],
  constraintNames: ReadonlyMap<string, readonly string[]>,
): CheckFailure | null {
  const balance = new Map<string, number>();
  const bump = (key: string, m: number): void => {
    const v = ((balance.get(key) ?? 0) + m) % P;
    if (v === 0) balance.delete(key);
    else balance.set(key, v);
  };
  for (const t of air.tables) {
    const main = traces[t.index].main;
    const pre = t.preprocessed ?? [];
    const n = main[0]?.length ?? pre[0]?.length ?? 0;
    const first = new Uint32Array(n);
    const last = new Uint32Array(n);
    const trans = new Uint32Array(n).fill(1);
    first[0] = 1;
    last[n - 1] = 1;
    trans[n - 1] = 0;
    const nxt = new Uint32Array(n);
    for (let i = 0; i < n; i++) nxt[i] = (i + 1) % n;
    const inp = {
      pre: rowMajor(pre, n),
      preWidth: t.preWidth,
      main: rowMajor(main, n),
      mainWidth: t.mainWidth,
      aux: new Uint32Array(0),
      auxWidth: 0,
      cur: null,
      nxt,
      selFirst: first,
      selLast: last,
      selTrans: trans,
      pubs,
      chal: new Uint32Array(8),
      cum: new Uint32Array(4 * air.tables.length),
    };
    if (t.userConstraints.length > 0) {
      const bad = compileRowProgram(t.userConstraints, "check")(
        inp,
        0,
        n,
        new Uint32Array(0),
        new Uint32Array(0),
      );
      if (bad >= 0) {
        const k = bad % t.userConstraints.length;
        const names = constraintNames.get(t.name);
        return {
          table: t.name,
          what: `constraint "${names?.[k] ?? k}"`,
          row: Math.floor(bad / t.userConstraints.length),
        };
      }
    }
    for (const it of t.interactions) {
      const exprs = [it.multiplicity, ...it.values];
      const out = new Uint32Array(n * exprs.length);
      compileRowProgram(exprs, "values")(inp, 0, n, new Uint32Array(0), out);
      for (let i = 0; i < n; i++) {
        const mlt = out[i * exprs.length];
        if (mlt === 0) continue;
        const key = `${it.bus}:${Array.from(out.subarray(i * exprs.length + 1, (i + 1) * exprs.length)).join(",")}`;
        bump(key, it.kind === "send" ? mlt : P - mlt);
      }
    }
  }
  for (const it of air.publicInteractions) {
    const val = (e: (typeof it.values)[number]): number => {
      const nd = e.node;
      if (nd.op === "const") return nd.value;
      if (nd.op === "pub") return pubs[nd.index];
      throw new Error("public interaction with a non-trivial expression");
    };
    const mlt = val(it.multiplicity);
    if (mlt === 0) continue;
    bump(`${it.bus}:${it.values.map(val).join(",")}`, it.kind === "send" ? mlt : P - mlt);
  }
  for (const [key, v] of balance) {
    return { table: "(buses)", what: `tuple ${key} unbalanced by ${v > P / 2 ? v - P : v}` };
  }
  return null;
}
