/**
 * The columns of a table opened at the shifted point zeta·w (the "next" row): exactly those
 * some constraint of the table reads with `next` (column nodes with next = true in the
 * constraint DAG, LogUp constraints included). Derived from the AIR alone, so prover, TS
 * verifier and wrap circuit agree without the proof carrying the set.
 *
 * Proof order of a table's zeta·w openings: the preprocessed columns of `pre`, the main
 * columns of `main`, then the 4 committed base columns of every LogUp extension column of
 * `aux` (each list ascending). `trace` gives the same list as positions in the table's trace
 * T = pre | main | aux base columns (the DEEP order of docs/stark.md).
 */
import type { TableDef } from "./air.ts";
import { topoOrder } from "./expr.ts";

export interface NextColumns {
  /** Preprocessed column indices read at the next row, ascending. */
  readonly pre: readonly number[];
  /** Main column indices read at the next row, ascending. */
  readonly main: readonly number[];
  /** LogUp extension column indices read at the next row, ascending (4 base columns each). */
  readonly aux: readonly number[];
  /** The zeta·w openings in proof order, as positions in T = pre | main | aux base columns. */
  readonly trace: readonly number[];
  /** Number of extension values opened at zeta·w per group (aux counts base columns: 4 each). */
  readonly widths: { readonly pre: number; readonly main: number; readonly aux: number };
}

const cache = new WeakMap<TableDef, NextColumns>();
const positions = new WeakMap<NextColumns, Record<"pre" | "main" | "aux", Map<number, number>>>();

/** The table's next-row columns (memoized per table definition). */
export function nextColumns(t: TableDef): NextColumns {
  const hit = cache.get(t);
  if (hit) return hit;
  const sets = { pre: new Set<number>(), main: new Set<number>(), aux: new Set<number>() };
  for (const e of topoOrder(t.constraints)) {
    const n = e.node;
    if (n.op === "col" && n.next) sets[n.group].add(n.index);
  }
  const sorted = (s: Set<number>): number[] => [...s].sort((a, b) => a - b);
  const pre = sorted(sets.pre);
  const main = sorted(sets.main);
  const aux = sorted(sets.aux);
  const trace = [
    ...pre,
    ...main.map((c) => t.preWidth + c),
    ...aux.flatMap((j) => [0, 1, 2, 3].map((k) => t.preWidth + t.mainWidth + 4 * j + k)),
  ];
  const nc: NextColumns = Object.freeze({
    pre: Object.freeze(pre),
    main: Object.freeze(main),
    aux: Object.freeze(aux),
    trace: Object.freeze(trace),
    widths: Object.freeze({ pre: pre.length, main: main.length, aux: 4 * aux.length }),
  });
  cache.set(t, nc);
  const at = (l: readonly number[]) => new Map(l.map((c, k) => [c, k]));
  positions.set(nc, { pre: at(pre), main: at(main), aux: at(aux) });
  return nc;
}

/**
 * Where column `index` of `group` sits in that group's zeta·w opening list (for aux: the
 * extension position, i.e. its base columns are 4·k..4·k+3 of the list). Throws when the column
 * is not read at the next row (the AIR walk and this lookup use the same DAG, so it never does
 * for a constraint of `t`).
 */
export function nextPosition(nc: NextColumns, group: "pre" | "main" | "aux", index: number): number {
  const k = positions.get(nc)?.[group].get(index);
  if (k === undefined)
    throw new Error(`next-columns: ${group} column ${index} is not opened at the next row`);
  return k;
}
