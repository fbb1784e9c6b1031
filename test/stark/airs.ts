/**
 * Small test AIRs and their honest traces: Fibonacci, a range check against a preprocessed
 * table via LogUp, and two tables of different heights linked by a multiset argument (plus a
 * bus term supplied by the verifier from a public input).
 */
import { add, mul } from "../../src/field/koalabear.ts";
import {
  AirBuilder,
  type AirDefinition,
  type ProofOptions,
  type TableTrace,
  isLastRow,
} from "../../src/stark/index.ts";

/** Small but complete options for tests: arity 4 folding, 3 FRI rounds at 2^6 rows. */
export const TEST_OPTIONS: ProofOptions = {
  logBlowup: 2,
  numQueries: 6,
  grindingBits: 2,
  logFoldingArity: 2,
  logFinalPolyLen: 1,
};

export interface Instance {
  readonly air: AirDefinition;
  readonly traces: TableTrace[];
  readonly publicInputs: number[];
}

export function fibonacci(logN = 6): Instance {
  const b = new AirBuilder("fibonacci", 1, 3);
  const t = b.addTable({ name: "fib", mainWidth: 2 });
  t.assertFirst(t.main(0).sub(b.pub(0)));
  t.assertFirst(t.main(1).sub(b.pub(1)));
  t.assertTransition(t.next(0).sub(t.main(1)));
  t.assertTransition(t.next(1).sub(t.main(0).add(t.main(1))));
  t.assertLast(t.main(1).sub(b.pub(2)));
  const n = 1 << logN;
  const a = new Uint32Array(n);
  const c = new Uint32Array(n);
  a[0] = 1;
  c[0] = 2;
  for (let i = 1; i < n; i++) {
    a[i] = c[i - 1];
    c[i] = add(a[i - 1], c[i - 1]);
  }
  return { air: b.build(), traces: [{ main: [a, c] }], publicInputs: [1, 2, c[n - 1]] };
}

export const RANGE_BUS = 1;

/**
 * Values (2^logN rows) range-checked against a preprocessed table 0..255 (2^8 rows); the
 * first value is the public input.
 */
export function rangeLookup(logN = 5): Instance {
  const b = new AirBuilder("range-lookup", 1, 1);
  const range = new Uint32Array(256).map((_, i) => i);
  const rt = b.addTable({ name: "range", mainWidth: 1, preprocessed: [range] });
  rt.receive(RANGE_BUS, [rt.pre(0)], rt.main(0));
  const vt = b.addTable({ name: "values", mainWidth: 2 });
  // Two values per row: v0 is checked directly, v1 = v0 * 3 mod p is checked too.
  vt.assertZero(vt.main(1).sub(vt.main(0).mul(3)));
  vt.assertFirst(vt.main(0).sub(b.pub(0)));
  vt.send(RANGE_BUS, [vt.main(0)]);
  vt.send(RANGE_BUS, [vt.main(1)]);
  const n = 1 << logN;
  const v0 = new Uint32Array(n).map((_, i) => (i * 29) % 85);
  const v1 = v0.map((x) => mul(x, 3));
  const m = new Uint32Array(256);
  for (const x of [...v0, ...v1]) m[x]++;
  return { air: b.build(), traces: [{ main: [m] }, { main: [v0, v1] }], publicInputs: [v0[0]] };
}

export const PAIR_BUS = 2;
export const PUB_BUS = 3;

/**
 * Table "squares" (2^logN rows) sends (x, x^2) for x = 5 + i/4; table "counts" (2^(logN-2)
 * rows) receives each distinct pair with multiplicity 4. "squares" also sends its last x on a
 * bus that the verifier balances with the public input.
 */
export function multiset(logN = 6): Instance {
  const b = new AirBuilder("multiset", 1, 1);
  const sq = b.addTable({ name: "squares", mainWidth: 2 });
  sq.assertZero(sq.main(1).sub(sq.main(0).mul(sq.main(0))));
  sq.send(PAIR_BUS, [sq.main(0), sq.main(1)]);
  sq.send(PUB_BUS, [sq.main(0)], isLastRow());
  const ct = b.addTable({ name: "counts", mainWidth: 3 });
  ct.assertTransition(ct.next(0).sub(ct.main(0)).sub(1));
  ct.receive(PAIR_BUS, [ct.main(0), ct.main(1)], ct.main(2));
  b.publicInteraction(PUB_BUS, [b.pub(0)], 1, "receive");
  const n = 1 << logN;
  const x = new Uint32Array(n).map((_, i) => 5 + (i >> 2));
  const y = x.map((v) => mul(v, v));
  const k = n >> 2;
  const cx = new Uint32Array(k).map((_, i) => 5 + i);
  const cy = cx.map((v) => mul(v, v));
  const cm = new Uint32Array(k).fill(4);
  return { air: b.build(), traces: [{ main: [x, y] }, { main: [cx, cy, cm] }], publicInputs: [x[n - 1]] };
}

/**
 * Three tables of three heights where only two interact: Fibonacci (2^logFib rows, no
 * interactions), a preprocessed byte table and values range-checked against it.
 */
export function mixed(logFib = 7): Instance {
  const b = new AirBuilder("mixed", 1, 2);
  const f = b.addTable({ name: "fib", mainWidth: 2 });
  f.assertFirst(f.main(0).sub(1));
  f.assertFirst(f.main(1).sub(1));
  f.assertTransition(f.next(0).sub(f.main(1)));
  f.assertTransition(f.next(1).sub(f.main(0).add(f.main(1))));
  f.assertLast(f.main(1).sub(b.pub(0)));
  const range = new Uint32Array(256).map((_, i) => i);
  const rt = b.addTable({ name: "range", mainWidth: 1, preprocessed: [range] });
  rt.receive(RANGE_BUS, [rt.pre(0)], rt.main(0));
  const vt = b.addTable({ name: "values", mainWidth: 1 });
  vt.send(RANGE_BUS, [vt.main(0)]);
  vt.assertFirst(vt.main(0).sub(b.pub(1)));
  const n = 1 << logFib;
  const a = new Uint32Array(n);
  const c = new Uint32Array(n);
  a[0] = 1;
  c[0] = 1;
  for (let i = 1; i < n; i++) {
    a[i] = c[i - 1];
    c[i] = add(a[i - 1], c[i - 1]);
  }
  const v = new Uint32Array(16).map((_, i) => (i * 53 + 7) % 256);
  const m = new Uint32Array(256);
  for (const x of v) m[x]++;
  return {
    air: b.build(),
    traces: [{ main: [a, c] }, { main: [m] }, { main: [v] }],
    publicInputs: [c[n - 1], v[0]],
  };
}

/**
 * A counter read at the next row next to columns that are not: main c (c' = c + 1, c = row
 * index = the preprocessed column, also read at the next row), x (free) and y = x^2. Only c and
 * the preprocessed column are opened at zeta*omega. Public input: the last counter value.
 */
export function nextCounter(logN = 5): Instance {
  const n = 1 << logN;
  const b = new AirBuilder("next-counter", 1, 1);
  const idx = new Uint32Array(n).map((_, i) => i);
  const t = b.addTable({ name: "counter", mainWidth: 3, preprocessed: [idx] });
  t.assertFirst(t.main(0));
  t.assertTransition(t.next(0).sub(t.main(0)).sub(1));
  t.assertTransition(t.preNext(0).sub(t.pre(0)).sub(1));
  t.assertEq(t.main(0), t.pre(0));
  t.assertEq(t.main(2), t.main(1).mul(t.main(1)));
  t.assertLast(t.main(0).sub(b.pub(0)));
  const c = Uint32Array.from(idx);
  const x = new Uint32Array(n).map((_, i) => (i * 7919 + 13) % 65521);
  const y = x.map((v) => mul(v, v));
  return { air: b.build(), traces: [{ main: [c, x, y] }], publicInputs: [n - 1] };
}
