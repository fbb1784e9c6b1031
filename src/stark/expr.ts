/**
 * Constraint expressions: an immutable DAG written once and interpreted by every backend
 * (prover over the LDE, verifier at the out-of-domain point, circuit generator).
 *
 * Node kinds (`op`):
 * - `const`  base-field constant `value` (0 <= value < p);
 * - `col`    a committed column: `group` "pre" | "main" (base field) or "aux" (extension
 *            field, framework-built LogUp columns), `index` inside the group, `next` = value
 *            on the next row (row i+1 mod n) instead of the current row;
 * - `pub`    public input `index` (base field);
 * - `chal`   verifier challenge `index` (extension): 0 = LogUp alpha, 1 = LogUp beta;
 * - `sel`    `which` = "first" | "last" | "transition": the Lagrange selectors L_0(x) =
 *            Z_H(x)/(n(x-1)), L_{n-1}(x) = w^-1 Z_H(x)/(n(x-w^-1)) and 1 - L_{n-1}(x): exactly
 *            1 on row 0 / row n-1 / rows 0..n-2 of the trace and 0 elsewhere, so they may be
 *            used as values (e.g. multiplicities), not only as constraint multipliers;
 * - `cumSum` the claimed LogUp sum of table `table` (extension, read from the proof);
 * - `add` | `sub` | `mul` (children `a`, `b`), `neg` (child `a`), `inv` (child `a`,
 *            allowed only in global expressions, never in row constraints).
 * Every node has a unique `id` (creation order, children before parents), so a walker can
 * memoize by id and emit nodes in id order. Degrees: col and sel count 1, everything else 0.
 */
import { P } from "../field/koalabear.ts";

export type ColumnGroup = "pre" | "main" | "aux";
export type SelectorKind = "first" | "last" | "transition";

export type ExprNode =
  | { readonly op: "const"; readonly value: number }
  | { readonly op: "col"; readonly group: ColumnGroup; readonly index: number; readonly next: boolean }
  | { readonly op: "pub"; readonly index: number }
  | { readonly op: "chal"; readonly index: number }
  | { readonly op: "sel"; readonly which: SelectorKind }
  | { readonly op: "cumSum"; readonly table: number }
  | { readonly op: "add" | "sub" | "mul"; readonly a: Expr; readonly b: Expr }
  | { readonly op: "neg" | "inv"; readonly a: Expr };

let nextId = 0;

export type ExprLike = Expr | number;

export class Expr {
  readonly id: number;
  readonly node: ExprNode;
  /** Degree in the trace polynomials (col and sel count 1). */
  readonly degree: number;
  /** True when the value lies in the extension field (depends on chal, aux or cumSum). */
  readonly isExt: boolean;

  private constructor(node: ExprNode, degree: number, isExt: boolean) {
    this.id = nextId++;
    this.node = node;
    this.degree = degree;
    this.isExt = isExt;
    Object.freeze(this);
  }

  /** Internal constructor used by the helpers below. */
  static make(node: ExprNode): Expr {
    switch (node.op) {
      case "const":
        if (!Number.isInteger(node.value) || node.value < 0 || node.value >= P)
          throw new RangeError(`expr: constant ${node.value} is not a canonical KoalaBear value`);
        return new Expr(node, 0, false);
      case "col":
        return new Expr(node, 1, node.group === "aux");
      case "pub":
        return new Expr(node, 0, false);
      case "chal":
      case "cumSum":
        return new Expr(node, 0, true);
      case "sel":
        return new Expr(node, 1, false);
      case "add":
      case "sub":
        return new Expr(node, Math.max(node.a.degree, node.b.degree), node.a.isExt || node.b.isExt);
      case "mul":
        return new Expr(node, node.a.degree + node.b.degree, node.a.isExt || node.b.isExt);
      case "neg":
        return new Expr(node, node.a.degree, node.a.isExt);
      case "inv":
        if (node.a.degree > 0)
          throw new RangeError("expr: inv() is only allowed on row-independent expressions");
        return new Expr(node, 0, node.a.isExt);
    }
  }

  add(b: ExprLike): Expr {
    return Expr.make({ op: "add", a: this, b: lift(b) });
  }
  sub(b: ExprLike): Expr {
    return Expr.make({ op: "sub", a: this, b: lift(b) });
  }
  mul(b: ExprLike): Expr {
    return Expr.make({ op: "mul", a: this, b: lift(b) });
  }
  neg(): Expr {
    return Expr.make({ op: "neg", a: this });
  }
  inv(): Expr {
    return Expr.make({ op: "inv", a: this });
  }
}

const constCache = new Map<number, Expr>();

/** A base-field constant; negative numbers are taken mod p. */
export function constant(v: number): Expr {
  const value = ((v % P) + P) % P;
  let e = constCache.get(value);
  if (!e) {
    e = Expr.make({ op: "const", value });
    constCache.set(value, e);
  }
  return e;
}

export function lift(x: ExprLike): Expr {
  return typeof x === "number" ? constant(x) : x;
}

export const col = (group: ColumnGroup, index: number, next = false): Expr =>
  Expr.make({ op: "col", group, index, next });
export const pub = (index: number): Expr => Expr.make({ op: "pub", index });
export const chal = (index: number): Expr => Expr.make({ op: "chal", index });
export const cumSum = (table: number): Expr => Expr.make({ op: "cumSum", table });
export const isFirstRow = (): Expr => Expr.make({ op: "sel", which: "first" });
export const isLastRow = (): Expr => Expr.make({ op: "sel", which: "last" });
export const isTransition = (): Expr => Expr.make({ op: "sel", which: "transition" });

export function sum(xs: readonly ExprLike[]): Expr {
  if (xs.length === 0) return constant(0);
  let acc = lift(xs[0]);
  for (let i = 1; i < xs.length; i++) acc = acc.add(xs[i]);
  return acc;
}

export function product(xs: readonly ExprLike[]): Expr {
  if (xs.length === 0) return constant(1);
  let acc = lift(xs[0]);
  for (let i = 1; i < xs.length; i++) acc = acc.mul(xs[i]);
  return acc;
}

/** All nodes reachable from `roots`, children before parents (sorted by id). */
export function topoOrder(roots: readonly Expr[]): Expr[] {
  const seen = new Map<number, Expr>();
  const stack = [...roots];
  while (stack.length) {
    const e = stack.pop()!;
    if (seen.has(e.id)) continue;
    seen.set(e.id, e);
    const n = e.node;
    if (n.op === "add" || n.op === "sub" || n.op === "mul") stack.push(n.a, n.b);
    else if (n.op === "neg" || n.op === "inv") stack.push(n.a);
  }
  return [...seen.values()].sort((x, y) => x.id - y.id);
}

/** A plain-data DAG node (children as indices into the node list): for other threads. */
export type PlainNode =
  | { readonly op: "const"; readonly value: number }
  | { readonly op: "col"; readonly group: ColumnGroup; readonly index: number; readonly next: boolean }
  | { readonly op: "pub" | "chal"; readonly index: number }
  | { readonly op: "sel"; readonly which: SelectorKind }
  | { readonly op: "cumSum"; readonly table: number }
  | { readonly op: "add" | "sub" | "mul"; readonly a: number; readonly b: number }
  | { readonly op: "neg" | "inv"; readonly a: number };

/** Serializes expressions: nodes in topological order, roots as node indices. */
export function toPlain(exprs: readonly Expr[]): { nodes: PlainNode[]; roots: number[] } {
  const order = topoOrder(exprs);
  const pos = new Map<number, number>();
  order.forEach((e, i) => pos.set(e.id, i));
  const nodes = order.map((e): PlainNode => {
    const n = e.node;
    if (n.op === "add" || n.op === "sub" || n.op === "mul")
      return { op: n.op, a: pos.get(n.a.id)!, b: pos.get(n.b.id)! };
    if (n.op === "neg" || n.op === "inv") return { op: n.op, a: pos.get(n.a.id)! };
    return n as PlainNode;
  });
  return { nodes, roots: exprs.map((e) => pos.get(e.id)!) };
}

/** Rebuilds expressions from `toPlain` output (same structure, new ids). */
export function fromPlain(plain: { nodes: readonly PlainNode[]; roots: readonly number[] }): Expr[] {
  const built: Expr[] = [];
  for (const n of plain.nodes) {
    if (n.op === "add" || n.op === "sub" || n.op === "mul")
      built.push(Expr.make({ op: n.op, a: built[n.a], b: built[n.b] }));
    else if (n.op === "neg" || n.op === "inv") built.push(Expr.make({ op: n.op, a: built[n.a] }));
    else built.push(Expr.make(n as ExprNode));
  }
  return plain.roots.map((r) => built[r]);
}
