/**
 * Interprets expressions in the extension field: the verifier's evaluator at the
 * out-of-domain point, and of the global (row-independent) constraints.
 */
import { type Ext, EXT_ZERO, eadd, einv, emul, eneg, esub, fromBase, isZero } from "../field/ext4.ts";
import { type Expr, topoOrder } from "./expr.ts";

export interface OodEnv {
  /** Column values: group, index, next -> value (extension). */
  column(group: "pre" | "main" | "aux", index: number, next: boolean): Ext;
  selector(which: "first" | "last" | "transition"): Ext;
  pub(index: number): number;
  chal(index: number): Ext;
  cumSum(table: number): Ext;
}

/** Evaluates every expression; returns null if an inv() meets zero. */
export function evalExt(exprs: readonly Expr[], env: OodEnv): Ext[] | null {
  const val = new Map<number, Ext>();
  for (const e of topoOrder(exprs)) {
    const n = e.node;
    let r: Ext;
    switch (n.op) {
      case "const":
        r = fromBase(n.value);
        break;
      case "col":
        r = env.column(n.group, n.index, n.next);
        break;
      case "pub":
        r = fromBase(env.pub(n.index));
        break;
      case "chal":
        r = env.chal(n.index);
        break;
      case "cumSum":
        r = env.cumSum(n.table);
        break;
      case "sel":
        r = env.selector(n.which);
        break;
      case "add":
        r = eadd(val.get(n.a.id)!, val.get(n.b.id)!);
        break;
      case "sub":
        r = esub(val.get(n.a.id)!, val.get(n.b.id)!);
        break;
      case "mul":
        r = emul(val.get(n.a.id)!, val.get(n.b.id)!);
        break;
      case "neg":
        r = eneg(val.get(n.a.id)!);
        break;
      case "inv": {
        const a = val.get(n.a.id)!;
        if (isZero(a)) return null;
        r = einv(a);
        break;
      }
    }
    val.set(e.id, r);
  }
  return exprs.map((e) => val.get(e.id) ?? EXT_ZERO);
}
