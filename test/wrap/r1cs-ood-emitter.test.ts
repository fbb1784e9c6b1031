import { expect } from "chai";
import {
  type Ext,
  EXT_ZERO,
  basis,
  eadd,
  einv,
  emul,
  epow,
  esub,
  escale,
  fromBase,
} from "../../src/field/ext4.ts";
import { inv, mul, rootOfUnity } from "../../src/field/koalabear.ts";
import { AirBuilder, type AirDefinition } from "../../src/stark/index.ts";
import { evalExt } from "../../src/stark/ood.ts";
import { OodEmitter } from "../../src/wrap/circuit/ood.ts";
import type { Builder } from "../../src/wrap/r1cs/builder.ts";
import { KB_P } from "../../src/wrap/r1cs/gadgets/koalabear.ts";
import type { KbExt } from "../../src/wrap/r1cs/gadgets/koalabear-ext.ts";
import { build, snarkjsAccepts, terminateCurves } from "./r1cs-helpers.ts";

/** The Fibonacci AIR of docs/stark.md (3 public inputs: a0, b0, b_last). */
function fibAir(): AirDefinition {
  const b = new AirBuilder("fib", 1, 3);
  const t = b.addTable({ name: "fib", mainWidth: 2 });
  t.assertFirst(t.main(0).sub(b.pub(0)));
  t.assertFirst(t.main(1).sub(b.pub(1)));
  t.assertTransition(t.next(0).sub(t.main(1)));
  t.assertTransition(t.next(1).sub(t.main(0).add(t.main(1))));
  t.assertLast(t.main(1).sub(b.pub(2)));
  return b.build();
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % Number(KB_P);
  };
}

const LOG_N = 3;

interface Scenario {
  zeta: Ext;
  alpha: Ext;
  pubs: number[];
  main: Ext[][]; // [point][column]
  quot: Ext[]; // 4 · chunks extension openings of the quotient's base columns
  expected: Ext[];
}

/** Random openings and a quotient opening that satisfies the OOD relation (TS side). */
function scenario(air: AirDefinition, seed: number): Scenario {
  const next = rng(seed);
  const ext = (): Ext => [next(), next(), next(), next()];
  const t = air.tables[0];
  const zeta = ext();
  const alpha = ext();
  const pubs = [next(), next(), next()];
  const main = [
    [ext(), ext()],
    [ext(), ext()],
  ];
  const n = 1 << LOG_N;
  const wInv = inv(rootOfUnity(LOG_N));
  const zn = epow(zeta, n);
  const zh = esub(zn, fromBase(1));
  const last = escale(emul(zh, einv(esub(zeta, fromBase(wInv)))), mul(inv(n), wInv));
  const values = evalExt(t.constraints, {
    column: (_g, index, nxt) => main[nxt ? 1 : 0][index],
    selector: (which) =>
      which === "first"
        ? escale(emul(zh, einv(esub(zeta, fromBase(1)))), inv(n))
        : which === "last"
          ? last
          : esub(fromBase(1), last),
    pub: (i) => pubs[i],
    chal: () => EXT_ZERO,
    cumSum: () => EXT_ZERO,
  }) as Ext[];
  let combined: Ext = EXT_ZERO;
  let ap: Ext = fromBase(1);
  for (const v of values) {
    combined = eadd(combined, emul(v, ap));
    ap = emul(ap, alpha);
  }
  // Quotient chunk 0 = combined / Z_H(z) put in its first base column's opening; others 0.
  const quot: Ext[] = Array.from({ length: 4 * t.quotientChunks }, () => EXT_ZERO);
  quot[0] = emul(combined, einv(zh));
  expect(eadd(quot[0], EXT_ZERO)).to.deep.equal(emul(basis(0), quot[0]));
  return { zeta, alpha, pubs, main, quot, expected: values };
}

function oodCircuit(air: AirDefinition, s: Scenario, out: { values?: KbExt[]; em?: OodEmitter }) {
  return (b: Builder): void => {
    const pubWires = s.pubs.map((v) => b.publicInput(BigInt(v)));
    const em = new OodEmitter(b);
    const e = em.e;
    const input = (x: Ext): KbExt => e.canonical(x.map((v) => b.privateInput(BigInt(v))));
    const zeta = input(s.zeta);
    const alpha = input(s.alpha);
    const pubs = pubWires.map((w) => e.f.canonical(w));
    const main = s.main.map((pt) => pt.map(input));
    const quot = s.quot.map(input);
    const sel = em.selectors(zeta, LOG_N, BigInt(inv(rootOfUnity(LOG_N))));
    const t = air.tables[0];
    const values = em.evaluate(t.constraints, {
      column: (_g, index, nxt) => main[nxt ? 1 : 0][index],
      selector: (which) => sel[which],
      pub: (i) => pubs[i],
      chal: () => e.constant([0]),
      cumSum: () => e.constant([0]),
    });
    const chunks = Array.from({ length: t.quotientChunks }, (_, j) => em.auxExt(quot, j));
    em.assertQuotient(values, alpha, sel.zh, sel.zn, chunks);
    out.values = values;
    out.em = em;
  };
}

describe("circuit: OOD constraint evaluation emitted from the AIR expression DAG", () => {
  after(terminateCurves);
  const air = fibAir();

  it("evaluates the Fibonacci AIR's constraints at z exactly as src/stark/ood.ts, and the quotient relation holds", async () => {
    for (const seed of [1, 2, 3]) {
      const s = scenario(air, seed);
      const out: { values?: KbExt[]; em?: OodEmitter } = {};
      const b = build(oodCircuit(air, s, out));
      const got = (out.values as KbExt[]).map((v) => out.em!.e.value(v).map(Number));
      expect(got).to.deep.equal(s.expected.map((v) => [...v]));
      const res = b.check(b.witness());
      expect(res.ok, res.failed?.label).to.equal(true);
      if (seed === 1) expect(await snarkjsAccepts(b, b.witness())).to.equal(true);
    }
  });

  it("rejects an opened main-column value changed by one (OOD check fails)", async () => {
    const s = scenario(air, 4);
    s.main[1][0] = [(s.main[1][0][0] + 1) % Number(KB_P), s.main[1][0][1], s.main[1][0][2], s.main[1][0][3]];
    const b = build(oodCircuit(air, s, {}));
    const res = b.check(b.witness());
    expect(res.ok).to.equal(false);
    expect(res.failed?.label).to.contain("ood.quotient");
    expect(await snarkjsAccepts(b, b.witness())).to.equal(false);
  });

  it("rejects a changed public input and a changed quotient opening", () => {
    const s = scenario(air, 5);
    s.pubs[2] = (s.pubs[2] + 1) % Number(KB_P);
    const b = build(oodCircuit(air, s, {}));
    expect(b.check(b.witness()).failed?.label).to.contain("ood.quotient");
    const s2 = scenario(air, 6);
    s2.quot[0] = [s2.quot[0][0], (s2.quot[0][1] + 1) % Number(KB_P), s2.quot[0][2], s2.quot[0][3]];
    const b2 = build(oodCircuit(air, s2, {}));
    expect(b2.check(b2.witness()).failed?.label).to.contain("ood.quotient");
  });
});
