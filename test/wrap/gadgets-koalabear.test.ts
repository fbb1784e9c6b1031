import { expect } from "chai";
import { einv, emul, type Ext } from "../../src/field/ext4.ts";
import type { Builder } from "../../src/wrap/r1cs/builder.ts";
import { num2bits, witnessBits } from "../../src/wrap/r1cs/gadgets/bits.ts";
import { KB_P, KoalaBear, MAX_BOUND, type Kb } from "../../src/wrap/r1cs/gadgets/koalabear.ts";
import { KoalaBearExt } from "../../src/wrap/r1cs/gadgets/koalabear-ext.ts";
import { R } from "../../src/wrap/r1cs/field.ts";
import { build, snarkjsAccepts, tamperAt, terminateCurves } from "./r1cs-helpers.ts";

/** Deterministic xorshift values below p. */
function rng(seed: number): () => bigint {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return BigInt(s) % KB_P;
  };
}

async function expectRejected(b: Builder, label: string): Promise<void> {
  const res = b.check(b.witness());
  expect(res.ok, "builder check").to.equal(false);
  expect(res.failed?.label).to.contain(label);
  expect(await snarkjsAccepts(b, b.witness()), "snarkjs wtns check").to.equal(false);
}

describe("gadgets: emulated KoalaBear and its degree-4 extension", () => {
  after(terminateCurves);

  it("random add/sub/mul/mulConst chains agree with BigInt mod p and keep every bound ≤ 2^250", async () => {
    const next = rng(7);
    let reductions = 0;
    const b = build((bb) => {
      const f = new KoalaBear(bb);
      const vals = Array.from({ length: 6 }, () => next());
      let xs: Kb[] = vals.map((v) => f.canonical(bb.privateInput(v)));
      let ref = vals.slice();
      for (let step = 0; step < 300; step++) {
        const i = Number(next() % 6n);
        const j = Number(next() % 6n);
        const op = Number(next() % 4n);
        const k = next();
        const [x, r] =
          op === 0
            ? [f.add(xs[i], xs[j]), (ref[i] + ref[j]) % KB_P]
            : op === 1
              ? [f.sub(xs[i], xs[j]), (ref[i] - ref[j] + KB_P) % KB_P]
              : op === 2
                ? [f.mul(xs[i], xs[j]), (ref[i] * ref[j]) % KB_P]
                : [f.mulConst(xs[i], k), (ref[i] * k) % KB_P];
        expect(x.bound <= MAX_BOUND).to.equal(true);
        expect(f.value(x)).to.equal(r);
        xs = xs.map((y, t) => (t === i ? x : y));
        ref = ref.map((y, t) => (t === i ? r : y));
      }
      for (let t = 0; t < 6; t++) {
        const c = f.reduce(xs[t]);
        expect(bb.value(c.lc)).to.equal(ref[t]);
        f.assertEqual(xs[t], f.constant(ref[t]));
      }
      reductions = f.reductions;
    });
    expect(reductions).to.be.greaterThan(6);
    expect(b.check(b.witness()).ok).to.equal(true);
    expect(await snarkjsAccepts(b, b.witness())).to.equal(true);
  });

  it("reduce costs qBits + 34 rows and a canonical opening 34 rows", () => {
    const b = build((bb) => {
      const f = new KoalaBear(bb);
      const x = f.canonical(bb.privateInput(123456789n));
      expect(bb.nConstraints).to.equal(34);
      const sq = f.mul(x, x); // bound (p−1)^2: q < 2^31
      const before = bb.nConstraints;
      f.reduce(sq);
      expect(bb.nConstraints - before).to.equal(31 + 34);
    });
    expect(b.check(b.witness()).ok).to.equal(true);
  });

  /** Forces the reduction's witness to (q + dq, rem − dq·p) (rem bits taken mod 2^31). */
  const shiftQuotient = (dq: bigint) => {
    const hook = (tag: string, h: bigint[]): bigint[] => {
      if (tag === "kb.reduce.rem") {
        hook.hits++;
        const rem = h.reduce((s, bit, i) => s + (bit << BigInt(i)), 0n) - dq * KB_P;
        return h.map((_, i) => ((rem & ((1n << 31n) - 1n)) >> BigInt(i)) & 1n);
      }
      if (tag === "kb.reduce.q") {
        const q = h.reduce((s, bit, i) => s + (bit << BigInt(i + 1)), 0n) + hook.q0 + dq;
        return h.map((_, i) => (q >> BigInt(i + 1)) & 1n);
      }
      return h;
    };
    hook.hits = 0;
    hook.q0 = 0n;
    return hook;
  };

  it("rejects remainder + p (quotient − 1) in a reduction: the rem ≤ p − 1 check fails", async () => {
    // x = p + 1 (an unreduced sum), x^2 = p·(p + 2) + 1 (q odd): forcing q − 1 makes
    // rem = 1 + p, which still fits 31 bits, so only the rem ≤ p − 1 check can catch it.
    const circuit = (bb: Builder) => {
      const f = new KoalaBear(bb);
      const a = f.canonical(bb.privateInput(1n));
      const x = f.add(f.constant(KB_P - 1n), f.add(a, a));
      expect(bb.value(x.lc)).to.equal(KB_P + 1n);
      f.reduce(f.mul(x, x));
    };
    const honest = build(circuit);
    expect(honest.check(honest.witness()).ok).to.equal(true);
    const hook = shiftQuotient(-1n);
    hook.q0 = 1n; // q = p + 2 is odd
    const b = build(circuit, hook);
    expect(hook.hits).to.equal(1);
    await expectRejected(b, "kb.reduce/bitsLeConst");
  });

  const reduceCircuit = (v: bigint) => (bb: Builder) => {
    const f = new KoalaBear(bb);
    const x = f.canonical(bb.privateInput(v));
    f.reduce(f.mul(x, x));
  };

  it("rejects quotient + 1 in a reduction (remainder − p is negative: no 31-bit decomposition)", async () => {
    const hook = shiftQuotient(1n);
    const v = 1234567n;
    hook.q0 = ((v * v) / KB_P) & 1n;
    await expectRejected(build(reduceCircuit(v), hook), "kb.reduce");
  });

  it("rejects remainder bits that are not the remainder (limbs always recompose into the value)", async () => {
    // The known circom bug class: range-checked limbs that are never tied to the value. Here
    // x = p·q + Σ 2^i·rem_i is one equation, so other valid-looking bits break q's bit 0.
    const other = tamperAt("kb.reduce.rem", (h) => h.map((bit, i) => (i === 3 ? 1n - bit : bit)));
    await expectRejected(build(reduceCircuit(1234567n), other), "kb.reduce");
  });

  it("committed31 (proof values) rejects 2^31 and r − 1, accepts p + 5 standing for 5 mod p (31 rows)", async () => {
    await expectRejected(
      build((bb) => new KoalaBear(bb).committed31(bb.privateInput(1n << 31n))),
      "kb.committed31",
    );
    const neg = build((bb) => new KoalaBear(bb).committed31(bb.privateInput(R - 1n)));
    expect(neg.check(neg.witness()).ok).to.equal(false);
    const c = build((bb) => {
      const f = new KoalaBear(bb);
      const x = f.committed31(bb.privateInput(KB_P + 5n));
      const y = f.committed31(bb.privateInput(3n));
      f.assertEqual(f.mul(x, y), f.constant(15n));
      expect(f.reduce(f.mul(x, y)).bound).to.equal(KB_P - 1n);
    });
    expect(c.check(c.witness()).ok).to.equal(true);
    const rows = build((bb) => new KoalaBear(bb).committed31(bb.privateInput(7n))).nConstraints;
    expect(rows).to.equal(31);
  });

  it("canonical rejects p and 2^31 (non-canonical openings)", async () => {
    for (const v of [KB_P, 1n << 31n, (1n << 31n) - 1n]) {
      const b = build((bb) => new KoalaBear(bb).canonical(bb.privateInput(v)));
      expect(b.check(b.witness()).ok, `v=${v}`).to.equal(false);
    }
    const b = build((bb) => new KoalaBear(bb).canonical(bb.privateInput(KB_P)));
    await expectRejected(b, "kb.canonical");
    const good = build((bb) => new KoalaBear(bb).canonical(bb.privateInput(KB_P - 1n)));
    expect(good.check(good.witness()).ok).to.equal(true);
  });

  it("rejects an inverse hint + p, which a 31-bit-only range check would accept", async () => {
    // x = 5⁻¹ so that its inverse 5 is small and 5 + p < 2^31.
    const x = modInv(5n);
    const plusP = tamperAt("kb.inverse", ([w]) => [w + KB_P]);
    await expectRejected(
      build((bb) => {
        const f = new KoalaBear(bb);
        f.inverse(f.canonical(bb.privateInput(x)));
      }, plusP),
      "kb.inverse/kb.canonical",
    );
    // The bug class: only 31 bits checked. The same forged value then passes every row.
    const loose = build(
      (bb) => {
        const f = new KoalaBear(bb);
        const a = f.canonical(bb.privateInput(x));
        const w = bb.hint(() => 5n, "kb.inverse");
        num2bits(bb, w, 31);
        f.assertEqual(f.mul(a, { lc: w, bound: (1n << 31n) - 1n }), f.constant(1));
      },
      tamperAt("kb.inverse", ([w]) => [w + KB_P]),
    );
    expect(loose.check(loose.witness()).ok).to.equal(true);
  });

  it("assertEqual accepts x ≡ y and rejects x ≢ y, whatever quotient the prover picks", async () => {
    const circuit = (a: bigint, c: bigint) => (bb: Builder) => {
      const f = new KoalaBear(bb);
      const x = f.canonical(bb.privateInput(a));
      const y = f.canonical(bb.privateInput(c));
      f.assertEqual(f.mul(x, x), f.mul(y, f.constant(4)));
    };
    const ok = build(circuit(6n, 9n));
    expect(ok.check(ok.witness()).ok).to.equal(true);
    await expectRejected(build(circuit(6n, 10n)), "kb.assertZeroMod");
    for (const q of [0n, 1n, 12345n]) {
      const forced = tamperAt("kb.assertZeroMod.q", (h) => h.map((_, i) => (q >> BigInt(i + 1)) & 1n));
      const t = build(circuit(6n, 10n), forced);
      expect(t.check(t.witness()).ok).to.equal(false);
    }
  });

  it("extension mul and inverse equal src/field/ext4.ts", async () => {
    const next = rng(99);
    const b = build((bb) => {
      const e = new KoalaBearExt(bb);
      for (let t = 0; t < 5; t++) {
        const av = [next(), next(), next(), next()];
        const cv = [next(), next(), next(), next()];
        const a = e.canonical(av.map((v) => bb.privateInput(v)));
        const c = e.canonical(cv.map((v) => bb.privateInput(v)));
        const before = bb.nConstraints;
        let prod = e.mul(a, c);
        expect(bb.nConstraints - before).to.equal(16);
        const want = emul(av.map(Number) as unknown as Ext, cv.map(Number) as unknown as Ext);
        expect(e.value(prod)).to.deep.equal(want.map(BigInt));
        // lazy: square the unreduced product twice (bounds grow, reductions happen when needed)
        prod = e.mul(e.mul(prod, prod), prod);
        const w3 = emul(emul(want, want), want);
        expect(e.value(prod)).to.deep.equal(w3.map(BigInt));
        const inv = e.inverse(a);
        expect(e.value(inv)).to.deep.equal(einv(av.map(Number) as unknown as Ext).map(BigInt));
      }
    });
    expect(b.check(b.witness()).ok).to.equal(true);
    expect(await snarkjsAccepts(b, b.witness())).to.equal(true);
  });

  it("rejects an extension inverse with one coefficient changed", async () => {
    const b = build(
      (bb) => {
        const e = new KoalaBearExt(bb);
        e.inverse(e.canonical([1n, 2n, 3n, 4n].map((v) => bb.privateInput(v))));
      },
      tamperAt("ext.inverse", (w) => w.map((v, i) => (i === 2 ? (v + 1n) % KB_P : v))),
    );
    await expectRejected(b, "ext.inverse/kb.assertZeroMod");
  });

  it("witnessBits values are < 2^n by construction", () => {
    const b = build((bb) => {
      const { value } = witnessBits(bb, 5, () => 31n, "wb");
      expect(bb.value(value)).to.equal(31n);
    });
    expect(b.nConstraints).to.equal(5);
  });
});

function modInv(a: bigint): bigint {
  let r = 1n;
  let base = a;
  let e = KB_P - 2n;
  while (e > 0n) {
    if (e & 1n) r = (r * base) % KB_P;
    base = (base * base) % KB_P;
    e >>= 1n;
  }
  return r;
}
