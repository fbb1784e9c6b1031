/**
 * The prover's constraint evaluator: interprets an expression DAG over blocks of points with
 * the WASM vector kernels (values in Montgomery form inside the block). Each DAG node gets a
 * block-sized slot; slots are reused once a node's last consumer has run. Same inputs, modes
 * and outputs as `compileRowProgram` (compile.ts), which serves as its reference in tests.
 */
import { P, inv, mul } from "../field/koalabear.ts";
import { type FieldKernels, fieldKernels, toMont, wasmArena, wasmU32 } from "../field/wasm.ts";
import type { EvalInputs, Mode } from "./compile.ts";
import { type Expr, topoOrder } from "./expr.ts";

const BLOCK = 1024;

interface Step {
  readonly e: Expr;
  readonly slot: number;
  readonly ext: boolean;
  /** Root positions (indices into the expression list) that this node is. */
  readonly roots: number[];
  readonly a?: number;
  readonly b?: number;
  /** Temp slot for lifting a base operand to the extension (add/sub only). */
  readonly liftSlot?: number;
  /** Slots whose last use is this step (free after). */
  readonly frees: number[];
}

export class BlockEvaluator {
  private readonly steps: Step[] = [];
  private readonly numSlots: number;
  private readonly total: number;

  constructor(exprs: readonly Expr[]) {
    this.total = exprs.length;
    const order = topoOrder(exprs);
    const lastUse = new Map<number, number>();
    order.forEach((e, i) => {
      const n = e.node;
      if (n.op === "add" || n.op === "sub" || n.op === "mul") {
        lastUse.set(n.a.id, i);
        lastUse.set(n.b.id, i);
      } else if (n.op === "neg" || n.op === "inv") lastUse.set(n.a.id, i);
    });
    const rootsOf = new Map<number, number[]>();
    exprs.forEach((e, k) => rootsOf.set(e.id, [...(rootsOf.get(e.id) ?? []), k]));
    // Slots are all extension-sized (16 bytes per point) to keep the allocator trivial.
    const free: number[] = [];
    let next = 0;
    const take = (): number => free.pop() ?? next++;
    const slotOf = new Map<number, number>();
    const freesAt: number[][] = order.map(() => []);
    order.forEach((e, i) => {
      const lu = lastUse.get(e.id);
      freesAt[lu ?? i].push(e.id);
    });
    order.forEach((e, i) => {
      const n = e.node;
      if (n.op === "inv") throw new Error("evaluator: inv() cannot appear in row constraints");
      const slot = take();
      slotOf.set(e.id, slot);
      let liftSlot: number | undefined;
      let a: number | undefined;
      let b: number | undefined;
      if (n.op === "add" || n.op === "sub" || n.op === "mul") {
        a = slotOf.get(n.a.id);
        b = slotOf.get(n.b.id);
        if ((n.op === "add" || n.op === "sub") && e.isExt && (!n.a.isExt || !n.b.isExt)) liftSlot = take();
      } else if (n.op === "neg") a = slotOf.get(n.a.id);
      const frees = freesAt[i].map((id) => slotOf.get(id)!);
      if (liftSlot !== undefined) frees.push(liftSlot);
      this.steps.push({ e, slot, ext: e.isExt, roots: rootsOf.get(e.id) ?? [], a, b, liftSlot, frees });
      for (const s of frees) free.push(s);
    });
    this.numSlots = Math.max(1, next);
  }

  /** Evaluates points [start, end); see compile.ts for the modes. */
  run(
    inp: EvalInputs,
    start: number,
    end: number,
    mode: Mode,
    alphaPows: Uint32Array,
    out: Uint32Array,
    /** "combine" only: out index of point `start` is start - outOffset. */
    outOffset = 0,
  ): number {
    const k: FieldKernels = fieldKernels();
    const slotBytes = 16 * BLOCK;
    const base = wasmArena(slotBytes * (this.numSlots + 1));
    const accPtr = base + slotBytes * this.numSlots;
    const ptr = (s: number) => base + slotBytes * s;
    const apMont = new Uint32Array(alphaPows.length);
    for (let i = 0; i < alphaPows.length; i++) apMont[i] = toMont(alphaPows[i]);
    let best = -1;
    for (let b0 = start; b0 < end; b0 += BLOCK) {
      const n = Math.min(BLOCK, end - b0);
      if (mode === "combine") k.vFill(accPtr, 0, 4 * n);
      for (const st of this.steps) {
        const node = st.e.node;
        const o = ptr(st.slot);
        switch (node.op) {
          case "const":
            k.vFill(o, toMont(node.value), n);
            break;
          case "pub":
            k.vFill(o, toMont(inp.pubs[node.index]), n);
            break;
          case "chal":
          case "cumSum": {
            const src = node.op === "chal" ? inp.chal : inp.cum;
            const off = 4 * (node.op === "chal" ? node.index : node.table);
            const v = wasmU32(o, 4 * n);
            for (let i = 0; i < n; i++) for (let j = 0; j < 4; j++) v[4 * i + j] = src[off + j];
            k.vToMont(o, 4 * n);
            break;
          }
          case "sel": {
            const src =
              node.which === "first" ? inp.selFirst : node.which === "last" ? inp.selLast : inp.selTrans;
            wasmU32(o, n).set(src.subarray(b0, b0 + n));
            k.vToMont(o, n);
            break;
          }
          case "col": {
            const idx = node.next ? inp.nxt : inp.cur;
            if (node.group === "aux") {
              const wa = 4 * inp.auxWidth;
              const v = wasmU32(o, 4 * n);
              const src = inp.aux;
              for (let i = 0; i < n; i++) {
                const r = idx === null ? b0 + i : idx[b0 + i];
                const q = r * wa + 4 * node.index;
                v[4 * i] = src[q];
                v[4 * i + 1] = src[q + 1];
                v[4 * i + 2] = src[q + 2];
                v[4 * i + 3] = src[q + 3];
              }
              k.vToMont(o, 4 * n);
            } else {
              const [src, w] = node.group === "pre" ? [inp.pre, inp.preWidth] : [inp.main, inp.mainWidth];
              const v = wasmU32(o, n);
              const c = node.index;
              if (idx === null) for (let i = 0; i < n; i++) v[i] = src[(b0 + i) * w + c];
              else for (let i = 0; i < n; i++) v[i] = src[idx[b0 + i] * w + c];
              k.vToMont(o, n);
            }
            break;
          }
          case "add":
          case "sub": {
            const f = node.op === "add" ? k.vAdd : k.vSub;
            let a = ptr(st.a!);
            let b = ptr(st.b!);
            if (!st.ext) f(o, a, b, n);
            else {
              if (!node.a.isExt) {
                k.vLift(ptr(st.liftSlot!), a, n);
                a = ptr(st.liftSlot!);
              } else if (!node.b.isExt) {
                k.vLift(ptr(st.liftSlot!), b, n);
                b = ptr(st.liftSlot!);
              }
              f(o, a, b, 4 * n);
            }
            break;
          }
          case "neg":
            k.vNeg(o, ptr(st.a!), st.ext ? 4 * n : n);
            break;
          case "mul": {
            const a = ptr(st.a!);
            const b = ptr(st.b!);
            const ae = node.a.isExt;
            const be = node.b.isExt;
            if (!ae && !be) k.vMul(o, a, b, n);
            else if (ae && be) k.eMul(o, a, b, n);
            else if (ae) k.eMulB(o, a, b, n);
            else k.eMulB(o, b, a, n);
            break;
          }
          case "inv":
            throw new Error("evaluator: inv() cannot appear in row constraints");
        }
        for (const r of st.roots) {
          if (mode === "combine") {
            const f = st.ext ? k.eAxpyE : k.eAxpyB;
            f(accPtr, o, apMont[4 * r], apMont[4 * r + 1], apMont[4 * r + 2], apMont[4 * r + 3], n);
          } else if (mode === "check") {
            const i = k.vFirstNonzero(o, n, st.ext ? 4 : 1);
            if (i >= 0) {
              const cand = (b0 + i) * this.total + r;
              if (best < 0 || cand < best) best = cand;
            }
          } else if (mode === "extValues") {
            const v = wasmU32(o, st.ext ? 4 * n : n);
            const base = (b0 * this.total + r) * 4;
            const stride = 4 * this.total;
            for (let i = 0; i < n; i++) {
              const q = base + i * stride;
              if (st.ext) {
                out[q] = fromMont(v[4 * i]);
                out[q + 1] = fromMont(v[4 * i + 1]);
                out[q + 2] = fromMont(v[4 * i + 2]);
                out[q + 3] = fromMont(v[4 * i + 3]);
              } else {
                out[q] = fromMont(v[i]);
                out[q + 1] = 0;
                out[q + 2] = 0;
                out[q + 3] = 0;
              }
            }
          } else {
            if (st.ext) throw new Error("evaluator: values mode takes base-field expressions only");
            const v = wasmU32(o, n);
            for (let i = 0; i < n; i++) out[(b0 + i) * this.total + r] = fromMont(v[i]);
          }
        }
      }
      if (mode === "combine") {
        k.vFromMont(accPtr, 4 * n);
        out.set(wasmU32(accPtr, 4 * n), 4 * (b0 - outOffset));
      }
      if (mode === "check" && best >= 0) return best;
    }
    return best;
  }
}

const R_INV = inv(Number((1n << 32n) % BigInt(P)));
const fromMont = (x: number): number => mul(x, R_INV);
