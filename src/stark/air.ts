/**
 * AIR definitions: tables (chips) with preprocessed and main columns, constraints written as
 * expressions (`expr.ts`), LogUp interactions on buses, public inputs and public-input-driven
 * bus terms. `AirBuilder.build()` freezes the definition and synthesizes the LogUp machinery:
 *
 * For every interaction (bus b, tuple v, multiplicity m, send/receive) the fingerprint is
 * d = alpha + b + sum_j beta^(j+1) v_j (alpha = chal(0), beta = chal(1)); a send adds m/d, a
 * receive subtracts it. Interactions are grouped so each group's helper column h (an
 * extension column) satisfies h * prod d_i = sum_i +-m_i prod_{l != i} d_l within the table's
 * degree budget (max(3, user degree)). A running-sum column phi holds the sum of the h's over
 * the rows BEFORE the current one: phi[0] = 0, phi[i+1] = phi[i] + sum_g h_g[i] and
 * phi[n-1] + sum_g h_g[n-1] = cumSum(table), so only phi is read at the next row (the helper
 * columns are opened at zeta only; see next-columns.ts). The global balance
 * constraint is sum_t cumSum(t) + sum_k +-m_k / d_k = 0 over the public interactions.
 */
import { ZkmipsError } from "../errors.ts";
import { P } from "../field/koalabear.ts";
import {
  Expr,
  type ExprLike,
  chal,
  col,
  constant,
  cumSum,
  isFirstRow,
  isLastRow,
  isTransition,
  lift,
  product,
  pub,
  sum,
  topoOrder,
} from "./expr.ts";

export type InteractionKind = "send" | "receive";

export interface Interaction {
  readonly bus: number;
  readonly values: readonly Expr[];
  readonly multiplicity: Expr;
  readonly kind: InteractionKind;
}

export interface TableDef {
  readonly name: string;
  readonly index: number;
  readonly preWidth: number;
  readonly mainWidth: number;
  /** Extension columns of LogUp: one per interaction group, then the running sum (0 if none). */
  readonly auxWidth: number;
  /** Preprocessed columns (fixed content and height), if any. */
  readonly preprocessed?: readonly Uint32Array[];
  /** log2 of the height when it is fixed by preprocessed columns. */
  readonly fixedLogHeight?: number;
  readonly userConstraints: readonly Expr[];
  /** userConstraints followed by the LogUp constraints: what the quotient combines. */
  readonly constraints: readonly Expr[];
  readonly interactions: readonly Interaction[];
  readonly auxGroups: readonly (readonly number[])[];
  /** Per interaction: its LogUp denominator (extension) and its signed multiplicity (+m send, -m receive). */
  readonly fingerprints: readonly Expr[];
  readonly signedMultiplicities: readonly Expr[];
  readonly degree: number;
  /** Number of quotient chunks: next power of two >= max(1, degree - 1). */
  readonly quotientChunks: number;
}

export interface AirDefinition {
  readonly name: string;
  readonly version: number;
  readonly numPublicInputs: number;
  readonly tables: readonly TableDef[];
  readonly publicInteractions: readonly Interaction[];
  /** Row-independent constraints checked at verification (the LogUp balance). */
  readonly globalConstraints: readonly Expr[];
  readonly hasInteractions: boolean;
}

export const LOGUP_ALPHA = 0;
export const LOGUP_BETA = 1;
export const NUM_CHALLENGES = 2;

export interface TableOptions {
  readonly name: string;
  readonly mainWidth: number;
  /** Fixed columns, all of the same power-of-two length (the table's height). */
  readonly preprocessed?: readonly Uint32Array[];
}

export class TableBuilder {
  readonly userConstraints: Expr[] = [];
  readonly interactions: Interaction[] = [];
  constructor(
    readonly index: number,
    readonly options: TableOptions,
  ) {}

  get mainWidth(): number {
    return this.options.mainWidth;
  }
  get preWidth(): number {
    return this.options.preprocessed?.length ?? 0;
  }

  /** Main column `i` on the current row. */
  main(i: number): Expr {
    if (!Number.isInteger(i) || i < 0 || i >= this.mainWidth)
      throw new RangeError(`${this.options.name}: no main column ${i}`);
    return col("main", i, false);
  }
  /** Main column `i` on the next row. */
  next(i: number): Expr {
    this.main(i);
    return col("main", i, true);
  }
  pre(i: number): Expr {
    if (!Number.isInteger(i) || i < 0 || i >= this.preWidth)
      throw new RangeError(`${this.options.name}: no preprocessed column ${i}`);
    return col("pre", i, false);
  }
  preNext(i: number): Expr {
    this.pre(i);
    return col("pre", i, true);
  }

  /** The expression must vanish on every row. */
  assertZero(e: ExprLike): void {
    this.userConstraints.push(lift(e));
  }
  assertEq(a: ExprLike, b: ExprLike): void {
    this.assertZero(lift(a).sub(b));
  }
  assertFirst(e: ExprLike): void {
    this.assertZero(isFirstRow().mul(e));
  }
  assertLast(e: ExprLike): void {
    this.assertZero(isLastRow().mul(e));
  }
  assertTransition(e: ExprLike): void {
    this.assertZero(isTransition().mul(e));
  }
  assertBool(e: ExprLike): void {
    const x = lift(e);
    this.assertZero(x.mul(x.sub(1)));
  }

  send(bus: number, values: readonly ExprLike[], multiplicity: ExprLike = 1): void {
    this.interactions.push(makeInteraction(bus, values, multiplicity, "send", this.options.name));
  }
  receive(bus: number, values: readonly ExprLike[], multiplicity: ExprLike = 1): void {
    this.interactions.push(makeInteraction(bus, values, multiplicity, "receive", this.options.name));
  }
}

function makeInteraction(
  bus: number,
  values: readonly ExprLike[],
  multiplicity: ExprLike,
  kind: InteractionKind,
  where: string,
): Interaction {
  if (!Number.isInteger(bus) || bus < 0 || bus >= P)
    throw new RangeError(`${where}: bus id ${bus} is not a field value`);
  const vs = values.map(lift);
  const m = lift(multiplicity);
  for (const e of [...vs, m])
    if (e.isExt) throw new RangeError(`${where}: interaction expressions must be base-field`);
  return Object.freeze({ bus, values: Object.freeze(vs), multiplicity: m, kind });
}

export class AirBuilder {
  private readonly tables: TableBuilder[] = [];
  private readonly publicInteractions: Interaction[] = [];

  constructor(
    readonly name: string,
    readonly version: number,
    readonly numPublicInputs: number,
  ) {
    if (name.length > 31) throw new RangeError("air name longer than 31 characters");
  }

  addTable(options: TableOptions): TableBuilder {
    const t = new TableBuilder(this.tables.length, options);
    this.tables.push(t);
    return t;
  }

  pub(i: number): Expr {
    if (!Number.isInteger(i) || i < 0 || i >= this.numPublicInputs)
      throw new RangeError(`no public input ${i}`);
    return pub(i);
  }

  /** A bus term supplied by the verifier from public inputs (values built from pub/const). */
  publicInteraction(
    bus: number,
    values: readonly ExprLike[],
    multiplicity: ExprLike,
    kind: InteractionKind,
  ): void {
    const it = makeInteraction(bus, values, multiplicity, kind, "public interaction");
    for (const e of [...it.values, it.multiplicity])
      if (e.degree > 0)
        throw new RangeError("public interaction expressions may use only pub() and constants");
    this.publicInteractions.push(it);
  }

  build(): AirDefinition {
    if (this.tables.length === 0 || this.tables.length > 255)
      throw new ZkmipsError(`air ${this.name}: needs 1..255 tables`);
    const all = [...this.tables.flatMap((t) => t.interactions), ...this.publicInteractions];
    const arity = new Map<number, number>();
    for (const it of all) {
      const a = arity.get(it.bus);
      if (a !== undefined && a !== it.values.length)
        throw new ZkmipsError(
          `air ${this.name}: bus ${it.bus} is used with tuples of length ${a} and ${it.values.length}`,
        );
      arity.set(it.bus, it.values.length);
    }
    const maxArity = Math.max(0, ...arity.values());
    const alpha = chal(LOGUP_ALPHA);
    const beta = chal(LOGUP_BETA);
    const betaPows: Expr[] = [beta];
    for (let j = 1; j < maxArity; j++) betaPows.push(betaPows[j - 1].mul(beta));
    const fingerprint = (it: Interaction): Expr =>
      sum([alpha.add(constant(it.bus)), ...it.values.map((v, j) => betaPows[j].mul(v))]);
    const signed = (it: Interaction): Expr => (it.kind === "send" ? it.multiplicity : it.multiplicity.neg());

    const tables: TableDef[] = this.tables.map((tb) => {
      const name = tb.options.name;
      const pre = tb.options.preprocessed;
      let fixedLogHeight: number | undefined;
      if (pre && pre.length > 0) {
        const n = pre[0].length;
        fixedLogHeight = Math.round(Math.log2(n));
        if (2 ** fixedLogHeight !== n || pre.some((c) => c.length !== n))
          throw new ZkmipsError(`table ${name}: preprocessed columns must share one power-of-two length`);
        for (const c of pre)
          for (const v of c) if (v >= P) throw new ZkmipsError(`table ${name}: preprocessed value ${v} >= p`);
      }
      const userDegree = Math.max(1, ...tb.userConstraints.map((e) => e.degree));
      const budget = Math.max(3, userDegree);
      const groups: number[][] = [];
      const groupDegree = (idx: number[]): number => {
        const ds = idx.map((i) => fingerprint(tb.interactions[i]).degree);
        const dsum = ds.reduce((a, b) => a + b, 0);
        let deg = 1 + dsum;
        idx.forEach((i, k) => (deg = Math.max(deg, tb.interactions[i].multiplicity.degree + dsum - ds[k])));
        return deg;
      };
      tb.interactions.forEach((_, i) => {
        const last = groups[groups.length - 1];
        if (last && groupDegree([...last, i]) <= budget) last.push(i);
        else groups.push([i]);
      });
      const logup: Expr[] = [];
      const auxWidth = groups.length === 0 ? 0 : groups.length + 1;
      if (groups.length > 0) {
        groups.forEach((g, gi) => {
          const h = col("aux", gi);
          const ds = g.map((i) => fingerprint(tb.interactions[i]));
          const num = sum(
            g.map((i, k) => product([signed(tb.interactions[i]), ...ds.filter((_, l) => l !== k)])),
          );
          logup.push(h.mul(product(ds)).sub(num));
        });
        // Sound: the first-row and transition constraints give phi[i] = sum over rows r < i of
        // sum_g h_g[r] by induction on i (0 <= i <= n-1), so the last-row constraint states
        // cumSum = sum over ALL rows of sum_g h_g, and each h_g[r] is pinned by its group
        // constraint above. Only phi is read at the next row.
        const phi = col("aux", groups.length);
        const phiNext = col("aux", groups.length, true);
        const rowSum = sum(groups.map((_, gi) => col("aux", gi)));
        logup.push(isFirstRow().mul(phi));
        logup.push(isTransition().mul(phiNext.sub(phi).sub(rowSum)));
        logup.push(isLastRow().mul(phi.add(rowSum).sub(cumSum(tb.index))));
      }
      const constraints = [...tb.userConstraints, ...logup];
      for (const node of topoOrder(constraints)) {
        const n = node.node;
        if (n.op === "inv") throw new ZkmipsError(`table ${name}: inv() is not allowed in row constraints`);
        if (n.op === "pub" && n.index >= this.numPublicInputs)
          throw new ZkmipsError(`table ${name}: no public input ${n.index}`);
      }
      const degree = Math.max(1, ...constraints.map((e) => e.degree));
      let chunks = 1;
      while (chunks < degree - 1) chunks *= 2;
      return Object.freeze({
        name,
        index: tb.index,
        preWidth: tb.preWidth,
        mainWidth: tb.mainWidth,
        auxWidth,
        preprocessed: pre && pre.length > 0 ? Object.freeze([...pre]) : undefined,
        fixedLogHeight,
        userConstraints: Object.freeze([...tb.userConstraints]),
        constraints: Object.freeze(constraints),
        interactions: Object.freeze([...tb.interactions]),
        auxGroups: Object.freeze(groups.map((g) => Object.freeze(g))),
        fingerprints: Object.freeze(tb.interactions.map(fingerprint)),
        signedMultiplicities: Object.freeze(tb.interactions.map(signed)),
        degree,
        quotientChunks: chunks,
      });
    });

    if (this.publicInteractions.length > 0 && tables.every((t) => t.interactions.length === 0))
      throw new ZkmipsError(`air ${this.name}: public bus terms need at least one table interaction`);
    const globalConstraints: Expr[] = [];
    const hasInteractions = all.length > 0;
    if (hasInteractions) {
      const terms: Expr[] = tables.filter((t) => t.auxWidth > 0).map((t) => cumSum(t.index));
      for (const it of this.publicInteractions) terms.push(signed(it).mul(fingerprint(it).inv()));
      globalConstraints.push(sum(terms));
    }
    return Object.freeze({
      name: this.name,
      version: this.version,
      numPublicInputs: this.numPublicInputs,
      tables: Object.freeze(tables),
      publicInteractions: Object.freeze([...this.publicInteractions]),
      globalConstraints: Object.freeze(globalConstraints),
      hasInteractions,
    });
  }
}
