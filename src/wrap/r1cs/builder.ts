/**
 * R1CS constraint builder over the BN254 scalar field. One circuit description — a function
 * that calls this builder — yields both the constraint system and the witness:
 *
 * - `mode: "compile"` records constraints only; hints are never run (setup needs no proof).
 * - `mode: "prove"` computes every wire value (hints run eagerly, in program order) and
 *   records nothing, so witness generation stays fast and small.
 * - `mode: "both"` does both; tests use it together with `check`.
 *
 * Linear combinations (`Lc`) stay symbolic: addition, scaling and constants never create a
 * row; only `mul`, `assertMul`, `assertBoolean` and linear assertions do (as gnark's
 * frontend). Wire 0 is the constant 1, then the public inputs (they must be declared before
 * any other wire), then everything else in creation order.
 *
 * A circuit's structure must not depend on witness values: the builder decides whether a
 * product needs a row from a syntactic "is constant" flag that is the same in every mode.
 *
 * @example
 * const b = new Builder({ mode: "both" });
 * const x = b.privateInput(3n);
 * const y = b.mul(x, x);               // one row: x·x = y
 * b.assertEqual(b.add(y, x), b.constant(12n)); // one linear row
 * b.check(b.witness()).ok // true
 */
import { ZkmipsError } from "../../errors.ts";
import { R, fmod, finv } from "./field.ts";
import { ConstraintStore } from "./store.ts";

/**
 * A linear combination Σ c_i·w_i (wire 0 = 1 carries the constant). `w` is sorted and holds
 * no zero coefficient. In "prove" mode `w`/`c` stay empty and only the value `v` is kept.
 */
export class Lc {
  constructor(
    /** Sorted wire indices (empty in "prove" mode). */
    readonly w: readonly number[],
    /** Canonical nonzero coefficients, parallel to `w`. */
    readonly c: readonly bigint[],
    /** Value in [0, r) when the builder computes values, else 0. */
    readonly v: bigint,
    /** Syntactic: false only for constants and LCs built from constants alone. */
    readonly nonConst: boolean,
    /** Index of the wire this LC is exactly (1·w), or -1. */
    readonly wire: number = -1,
  ) {}
}

export type Mode = "compile" | "prove" | "both";

/** Rows recorded once (see `recordTemplate`) and replayed by `Builder.instantiate`. */
export interface RowTemplate {
  readonly nInputs: number;
  readonly nInternal: number;
  readonly wires: Uint32Array;
  readonly coefs: readonly bigint[];
  /** Run starts relative to the template (3 runs per row, one extra end entry). */
  readonly starts: Uint32Array;
  readonly outputs: readonly Lc[];
  /** Per-store coefficient codes, filled on first use. */
  readonly codes: WeakMap<ConstraintStore, Uint32Array>;
}

/**
 * Records `body` on `nInputs` fresh input wires in a private compile-mode builder: the rows
 * must not contain hints (only products and assertions), so that replaying them is exact.
 */
export function recordTemplate(nInputs: number, body: (b: Builder, inputs: Lc[]) => Lc[]): RowTemplate {
  const b = new Builder({ mode: "compile" });
  const inputs = Array.from({ length: nInputs }, () => b.privateInput());
  const outputs = body(b, inputs);
  const s = b.store as ConstraintStore;
  const n = s.nTerms;
  const nRuns = 3 * s.nConstraints;
  return {
    nInputs,
    nInternal: b.nWires - 1 - nInputs,
    wires: s.wires.data.slice(0, n),
    coefs: Array.from(s.codes.data.subarray(0, n), (c) => s.coef(c)),
    starts: s.starts.data.slice(0, nRuns + 1),
    outputs,
    codes: new WeakMap(),
  };
}

/** Replaces hint outputs (tests force a malicious witness through it). `tag` names the hint. */
export type TamperHook = (tag: string, honest: bigint[]) => bigint[];

export interface BuilderOptions {
  readonly mode: Mode;
  readonly tamper?: TamperHook;
}

export interface CheckResult {
  readonly ok: boolean;
  /** First failing row and the scope it was created in. */
  readonly failed?: { readonly row: number; readonly label: string };
}

const EMPTY_W: readonly number[] = Object.freeze([]);
const EMPTY_C: readonly bigint[] = Object.freeze([]);

export class Builder {
  readonly mode: Mode;
  readonly store: ConstraintStore | undefined;
  private readonly sym: boolean;
  private readonly vals: boolean;
  private readonly tamper: TamperHook | undefined;
  private readonly values: bigint[] = [1n];
  private nW = 1;
  private nPub = 0;
  private nPrv = 0;
  private readonly labelNames: string[] = ["main"];
  private readonly labelIds = new Map<string, number>([["main", 0]]);
  private readonly scopeStack: number[] = [0];
  readonly one: Lc;
  readonly zero: Lc;

  constructor(opts: BuilderOptions) {
    this.mode = opts.mode;
    this.sym = opts.mode !== "prove";
    this.vals = opts.mode !== "compile";
    this.tamper = opts.tamper;
    this.store = this.sym ? new ConstraintStore() : undefined;
    this.one = this.constant(1n);
    this.zero = this.constant(0n);
  }

  get computesValues(): boolean {
    return this.vals;
  }
  get nWires(): number {
    return this.nW;
  }
  get nPublic(): number {
    return this.nPub;
  }
  get nPrivateInputs(): number {
    return this.nPrv;
  }
  get nConstraints(): number {
    return this.store ? this.store.nConstraints : this.rowCount;
  }
  private rowCount = 0;
  private readonly scratch: bigint[] = [];
  private stamp = new Uint32Array(1024);
  private gen = 0;

  // ---------------------------------------------------------------- wires

  private newWire(v: bigint): Lc {
    const i = this.nW++;
    if (this.vals) this.values.push(v);
    return this.sym ? new Lc([i], [1n], v, true, i) : new Lc(EMPTY_W, EMPTY_C, v, true, i);
  }

  private valueArg(value: bigint | undefined, what: string): bigint {
    if (!this.vals) return 0n;
    if (value === undefined) throw new ZkmipsError(`r1cs: ${what} needs a value in "${this.mode}" mode`);
    if (value < 0n || value >= R)
      throw new ZkmipsError(`r1cs: ${what} value ${value} is not a field element`);
    return value;
  }

  /** A public input; all of them must come before any other wire (snarkjs layout). */
  publicInput(value?: bigint): Lc {
    if (this.nW !== this.nPub + 1) {
      throw new ZkmipsError(
        "r1cs: public inputs must be declared before any other wire",
        "declare them first",
      );
    }
    this.nPub++;
    return this.newWire(this.valueArg(value, "public input"));
  }

  /** A private input wire (unconstrained until gadgets constrain it). */
  privateInput(value?: bigint): Lc {
    this.nPrv++;
    return this.newWire(this.valueArg(value, "private input"));
  }

  /**
   * `n` fresh witness wires whose values `compute` returns (it only runs when values are
   * computed, and may read earlier values with `value`). Unconstrained: the caller adds rows.
   */
  hints(n: number, compute: () => readonly bigint[], tag: string): Lc[] {
    let vs: bigint[] = [];
    if (this.vals) {
      vs = compute().map(fmod);
      if (vs.length !== n) throw new Error(`r1cs: hint ${tag} returned ${vs.length} values, expected ${n}`);
      if (this.tamper) vs = this.tamper(tag, vs).map(fmod);
    }
    const out: Lc[] = [];
    for (let i = 0; i < n; i++) out.push(this.newWire(this.vals ? vs[i] : 0n));
    return out;
  }

  hint(compute: () => bigint, tag: string): Lc {
    return this.hints(1, () => [compute()], tag)[0];
  }

  /** Value of `a` (only meaningful when the builder computes values, e.g. inside hints). */
  value(a: Lc): bigint {
    return a.v;
  }

  /** The full witness vector (wire 0 = 1). */
  witness(): bigint[] {
    if (!this.vals) throw new Error("r1cs: witness() in compile mode");
    return this.values;
  }

  // ---------------------------------------------------------------- labels

  /** Runs `fn` with rows labelled `name` (nested scopes join with '/'); `check` reports it. */
  scope<T>(name: string, fn: () => T): T {
    const parent = this.labelNames[this.scopeStack[this.scopeStack.length - 1]];
    const full = parent === "main" ? name : `${parent}/${name}`;
    let id = this.labelIds.get(full);
    if (id === undefined) {
      id = this.labelNames.length;
      this.labelNames.push(full);
      this.labelIds.set(full, id);
    }
    this.scopeStack.push(id);
    try {
      return fn();
    } finally {
      this.scopeStack.pop();
    }
  }

  // ---------------------------------------------------------------- linear algebra (free)

  constant(k: bigint): Lc {
    const v = fmod(k);
    if (!this.sym || v === 0n) return new Lc(EMPTY_W, EMPTY_C, this.vals ? v : 0n, false);
    return new Lc([0], [v], this.vals ? v : 0n, false);
  }

  /** α·a + β·b. */
  lin2(alpha: bigint, a: Lc, beta: bigint, b: Lc): Lc {
    const al = fmod(alpha);
    const be = fmod(beta);
    const v = this.vals ? (al * a.v + be * b.v) % R : 0n;
    const nonConst = (al !== 0n && a.nonConst) || (be !== 0n && b.nonConst);
    if (!this.sym) return new Lc(EMPTY_W, EMPTY_C, v, nonConst);
    const w: number[] = [];
    const c: bigint[] = [];
    let i = 0;
    let j = 0;
    const aw = a.w;
    const bw = b.w;
    if (al === 0n) i = aw.length;
    if (be === 0n) j = bw.length;
    while (i < aw.length || j < bw.length) {
      if (j >= bw.length || (i < aw.length && aw[i] < bw[j])) {
        w.push(aw[i]);
        c.push(al === 1n ? a.c[i] : (a.c[i] * al) % R);
        i++;
      } else if (i >= aw.length || bw[j] < aw[i]) {
        w.push(bw[j]);
        c.push(be === 1n ? b.c[j] : (b.c[j] * be) % R);
        j++;
      } else {
        const s = (a.c[i] * al + b.c[j] * be) % R;
        if (s !== 0n) {
          w.push(aw[i]);
          c.push(s);
        }
        i++;
        j++;
      }
    }
    return new Lc(w, c, v, nonConst);
  }

  add(a: Lc, b: Lc): Lc {
    return this.lin2(1n, a, 1n, b);
  }
  sub(a: Lc, b: Lc): Lc {
    return this.lin2(1n, a, R - 1n, b);
  }
  scale(a: Lc, k: bigint): Lc {
    return this.lin2(k, a, 0n, this.zero);
  }
  neg(a: Lc): Lc {
    return this.scale(a, R - 1n);
  }
  addConst(a: Lc, k: bigint): Lc {
    return this.lin2(1n, a, k, this.one);
  }

  /** Σ k_i·a_i (+ constant): one pass with a map, for long sums such as bit recompositions. */
  sum(terms: readonly (readonly [bigint, Lc])[], constant = 0n): Lc {
    const kc = fmod(constant);
    let v = kc;
    let nonConst = false;
    for (const [k, a] of terms) {
      const kk = fmod(k);
      if (this.vals) v += kk * a.v;
      if (kk !== 0n && a.nonConst) nonConst = true;
    }
    if (this.vals) v %= R;
    if (!this.sym) return new Lc(EMPTY_W, EMPTY_C, v, nonConst);
    // Dense scratch indexed by wire (no hashing): acc[w] accumulates, `touched` lists the wires.
    const acc = this.scratch;
    while (acc.length < this.nW) acc.push(0n);
    const touched: number[] = [];
    const add = (x: number, v: bigint): void => {
      if (this.stamp[x] !== this.gen) {
        this.stamp[x] = this.gen;
        acc[x] = v;
        touched.push(x);
      } else acc[x] += v;
    };
    if (this.stamp.length < this.nW) {
      const next = new Uint32Array(Math.max(this.nW, 2 * this.stamp.length));
      next.set(this.stamp);
      this.stamp = next;
    }
    this.gen = (this.gen + 1) >>> 0 || 1;
    if (kc !== 0n) add(0, kc);
    for (const [k, a] of terms) {
      const kk = fmod(k);
      if (kk === 0n) continue;
      if (kk === 1n) for (let i = 0; i < a.w.length; i++) add(a.w[i], a.c[i]);
      else for (let i = 0; i < a.w.length; i++) add(a.w[i], a.c[i] * kk);
    }
    touched.sort((x, y) => x - y);
    const w: number[] = [];
    const c: bigint[] = [];
    for (const x of touched) {
      const s = acc[x] % R;
      if (s !== 0n) {
        w.push(x);
        c.push(s);
      }
    }
    return new Lc(w, c, v, nonConst);
  }

  // ---------------------------------------------------------------- rows

  private row(a: Lc, b: Lc, c: Lc): void {
    if (!this.sym) {
      this.rowCount++;
      return;
    }
    const s = this.store as ConstraintStore;
    s.pushLc(a.w, a.c);
    s.pushLc(b.w, b.c);
    s.pushLc(c.w, c.c);
    s.endRow(this.scopeStack[this.scopeStack.length - 1]);
  }

  /** a·b as a new wire (one row), or a scaled LC when either side is constant (no row). */
  mul(a: Lc, b: Lc): Lc {
    if (!a.nonConst) return this.scale(b, this.constValue(a));
    if (!b.nonConst) return this.scale(a, this.constValue(b));
    const out = this.newWire(this.vals ? (a.v * b.v) % R : 0n);
    this.row(a, b, out);
    return out;
  }

  /** The value of a constant LC in any mode (symbolic LCs hold it on wire 0). */
  constValue(a: Lc): bigint {
    if (this.vals) return a.v;
    return a.w.length === 0 ? 0n : (a.c[0] as bigint);
  }

  /** Constrains a·b = c (one row; a linear row if a or b is constant). */
  assertMul(a: Lc, b: Lc, c: Lc): void {
    if (!a.nonConst || !b.nonConst) {
      this.assertEqual(this.mul(a, b), c);
      return;
    }
    this.row(a, b, c);
  }

  /** Constrains a = b (one linear row: (a − b)·1 = 0). */
  assertEqual(a: Lc, b: Lc): void {
    this.assertZero(this.sub(a, b));
  }

  /** Constrains a = 0 (one linear row). A constant a is checked at build time. */
  assertZero(a: Lc): void {
    if (!a.nonConst) {
      if (this.constValue(a) !== 0n) throw new Error("r1cs: asserted a nonzero constant to be zero");
      return;
    }
    this.row(a, this.one, this.zero);
  }

  /** Constrains a ∈ {0, 1} (one row: a·(a − 1) = 0). */
  assertBoolean(a: Lc): void {
    if (!a.nonConst) {
      const k = this.constValue(a);
      if (k !== 0n && k !== 1n) throw new Error("r1cs: asserted a non-boolean constant to be boolean");
      return;
    }
    this.row(a, this.addConst(a, R - 1n), this.zero);
  }

  /** A wire equal to `a`: `a` itself when it already is one, else a new wire and a linear row. */
  toWire(a: Lc): Lc {
    if (a.wire >= 0) return a;
    const w = this.newWire(a.v);
    this.assertEqual(w, a);
    return w;
  }

  /** Inverse of a nonzero value as a checked witness (one row: a·inv = 1). */
  inverse(a: Lc): Lc {
    const inv = this.hint(() => finv(a.v), "inverse");
    this.assertMul(a, inv, this.one);
    return inv;
  }

  // ---------------------------------------------------------------- templates

  /**
   * Compile mode only: appends the rows of `t` (recorded once by `recordTemplate`) with its
   * input wires bound to `inputs` (wire indices, increasing, all older than any new wire, so
   * the remapped LCs stay sorted) and fresh wires for its internal ones. Returns the output
   * LCs. The rows are exactly those the recorded code would have produced here.
   */
  instantiate(t: RowTemplate, inputs: readonly number[]): Lc[] {
    if (this.mode !== "compile") throw new Error("r1cs: templates are for compile mode");
    if (inputs.length !== t.nInputs) throw new Error("r1cs: template input count");
    const s = this.store as ConstraintStore;
    let codes = t.codes.get(s);
    if (!codes) {
      codes = Uint32Array.from(t.coefs, (c) => s.code(c));
      t.codes.set(s, codes);
    }
    const base = this.nW;
    this.nW += t.nInternal;
    const inputMap = [0, ...inputs];
    s.appendRows(
      t.wires,
      codes,
      t.starts,
      inputMap,
      t.nInputs + 1,
      base,
      this.scopeStack[this.scopeStack.length - 1],
    );
    const map = (w: number): number => (w <= t.nInputs ? inputMap[w] : base + w - t.nInputs - 1);
    return t.outputs.map((o) => new Lc(o.w.map(map), o.c, 0n, o.nonConst));
  }

  // ---------------------------------------------------------------- checking

  /** Evaluates every row at `witness`; reports the first failing row and its scope label. */
  check(witness: readonly bigint[]): CheckResult {
    const s = this.store;
    if (!s) throw new Error("r1cs: check() needs the constraints (mode compile or both)");
    if (witness.length !== this.nW) return { ok: false, failed: { row: -1, label: "witness length" } };
    if (witness[0] !== 1n) return { ok: false, failed: { row: -1, label: "wire 0 is not 1" } };
    for (let i = 0; i < s.nConstraints; i++) {
      const a = s.evalLc(3 * i, witness);
      const b = s.evalLc(3 * i + 1, witness);
      const c = s.evalLc(3 * i + 2, witness);
      if ((a * b - c) % R !== 0n) {
        return { ok: false, failed: { row: i, label: this.labelNames[s.labels.data[i]] } };
      }
    }
    return { ok: true };
  }

  /** Counts of rows by kind: a row whose A or B is the constant 1 (or empty) is linear. */
  stats(): { constraints: number; nonLinear: number; linear: number; wires: number; terms: number } {
    const s = this.store;
    if (!s) throw new Error("r1cs: stats() needs the constraints");
    let linear = 0;
    const st = s.starts.data;
    for (let i = 0; i < s.nConstraints; i++) {
      const isConstLc = (k: number): boolean =>
        st[k + 1] === st[k] || (st[k + 1] === st[k] + 1 && s.wires.data[st[k]] === 0);
      if (isConstLc(3 * i) || isConstLc(3 * i + 1)) linear++;
    }
    return {
      constraints: s.nConstraints,
      nonLinear: s.nConstraints - linear,
      linear,
      wires: this.nW,
      terms: s.nTerms,
    };
  }

  /** Label of row `i`. */
  rowLabel(i: number): string {
    const s = this.store as ConstraintStore;
    return this.labelNames[s.labels.data[i]];
  }
}
