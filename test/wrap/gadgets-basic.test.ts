import { expect } from "chai";
import { poseidonReference } from "../../src/hash/poseidon-reference.ts";
import { readFileSync } from "node:fs";
import { Builder, type Lc } from "../../src/wrap/r1cs/builder.ts";
import { writeR1cs } from "../../src/wrap/r1cs/files.ts";
import { R } from "../../src/wrap/r1cs/field.ts";
import { assertBitsLeConst, num2bits, num2bitsStrict } from "../../src/wrap/r1cs/gadgets/bits.ts";
import { isEqual, isZero, lessThan, select } from "../../src/wrap/r1cs/gadgets/compare.ts";
import { poseidon } from "../../src/wrap/r1cs/gadgets/poseidon.ts";
import {
  build,
  circomAccepts,
  circomWire,
  circomWitness,
  compileCircom,
  r1csInfo,
  snarkjsAccepts,
  tamperAt,
  terminateCurves,
  tmpFile,
} from "./r1cs-helpers.ts";

const bitsOf = (x: bigint, n: number): bigint[] => Array.from({ length: n }, (_, i) => (x >> BigInt(i)) & 1n);

/** Asserts that both our check and snarkjs reject the builder's (tampered) witness, naming `label`. */
async function expectRejected(b: Builder, label?: string): Promise<void> {
  const res = b.check(b.witness());
  expect(res.ok, "builder check").to.equal(false);
  if (label) expect(res.failed?.label).to.contain(label);
  expect(await snarkjsAccepts(b, b.witness()), "snarkjs wtns check").to.equal(false);
}

async function expectAccepted(b: Builder): Promise<void> {
  expect(b.check(b.witness()).ok, "builder check").to.equal(true);
  expect(await snarkjsAccepts(b, b.witness()), "snarkjs wtns check").to.equal(true);
}

async function circomCount(name: string): Promise<number> {
  return (await r1csInfo(compileCircom(name).r1cs)).nConstraints;
}

describe("gadgets: bits, comparators, Poseidon (cross-checked with circomlib)", () => {
  after(terminateCurves);

  describe("num2bits", () => {
    const circuit = (x: bigint) => (b: Builder) => {
      const out = num2bits(b, b.privateInput(x), 8);
      out.forEach((o) => b.assertEqual(b.toWire(o), o)); // keep outputs as wires for comparison
    };
    it("gives circomlib Num2Bits(8)'s bits with no more rows", async () => {
      const art = compileCircom("num2bits8");
      const x = 0xa5n;
      const cw = await circomWitness(art, { in: x.toString() });
      const b = build((bb) => {
        const bits = num2bits(bb, bb.privateInput(x), 8);
        expect(bits.map((y) => bb.value(y))).to.deep.equal(bitsOf(x, 8));
      });
      for (let i = 1; i < 8; i++) expect(cw[circomWire(art, `main.out[${i}]`)]).to.equal(bitsOf(x, 8)[i]);
      expect(b.nConstraints).to.be.at.most(await circomCount("num2bits8"));
      expect(b.nConstraints).to.equal(8);
      await expectAccepted(b);
    });
    it("rejects a non-boolean decomposition (bits 0,…,0 with bit 0 = x), as circomlib", async () => {
      await expectRejected(
        build(
          circuit(5n),
          tamperAt("num2bits", (h) => h.map(() => 0n)),
        ),
        "num2bits8",
      );
      const art = compileCircom("num2bits8");
      const cw = await circomWitness(art, { in: "5" });
      cw[circomWire(art, "main.out[0]")] = 5n;
      cw[circomWire(art, "main.out[2]")] = 0n;
      expect(await circomAccepts(art, cw)).to.equal(false);
    });
    it("rejects a value that does not fit in n bits", async () => {
      await expectRejected(build(circuit(256n)), "num2bits8");
    });
  });

  describe("num2bitsStrict (alias check)", () => {
    it("decomposes r − 1 and 0 and costs far fewer rows than circomlib Num2Bits_strict", async () => {
      for (const x of [0n, 1n, R - 1n, 0x1234567n << 200n]) {
        const b = build((bb) => {
          const bits = num2bitsStrict(bb, bb.privateInput(x));
          expect(bits.map((y) => bb.value(y))).to.deep.equal(bitsOf(x, 254));
        });
        await expectAccepted(b);
      }
      const ours = build((bb) => num2bitsStrict(bb, bb.privateInput(3n))).nConstraints;
      const theirs = await circomCount("num2bits_strict");
      expect(ours).to.be.below(theirs);
    });
    it("rejects the aliased decomposition bits(x + r), which plain Num2Bits(254) accepts", async () => {
      const x = 12345n;
      const aliasBits = bitsOf(x + R, 254);
      // The known circom bug class: Num2Bits(254) without AliasCheck accepts the alias
      // (num2bits implies bit 0, num2bitsStrict the top bit: the hints are the other 253).
      const loose = build(
        (b) => num2bits(b, b.privateInput(x), 254),
        tamperAt("num2bits", () => aliasBits.slice(1)),
      );
      await expectAccepted(loose);
      await expectRejected(
        build(
          (b) => num2bitsStrict(b, b.privateInput(x)),
          tamperAt("num2bits", () => aliasBits.slice(0, 253)),
        ),
        "bitsLeConst",
      );
      // circomlib's AliasCheck refuses the same bits (its witness calculator asserts, or the check fails).
      const art = compileCircom("aliascheck");
      const refused = await circomWitness(art, { in: bitsOf(x + R, 254).map(String) }).then(
        (w) => circomAccepts(art, w).then((ok) => !ok),
        () => true,
      );
      expect(refused).to.equal(true);
    });
    it("assertBitsLeConst accepts c and rejects c + 1 for constants with mixed runs", async () => {
      for (const c of [0b1011000111n, 0b1111111n, 0b1000000000n, 0n, (R - 1n) >> 200n]) {
        const n = 54;
        for (const [x, ok] of [
          [c, true],
          [c + 1n, false],
        ] as const) {
          const b = build((bb) => {
            const bits = bitsOf(x, n).map((v) => bb.privateInput(v));
            bits.forEach((y) => bb.assertBoolean(y));
            assertBitsLeConst(bb, bits, c);
          });
          expect(b.check(b.witness()).ok, `x=${x} c=${c}`).to.equal(ok);
        }
      }
    });
  });

  describe("isZero / isEqual / lessThan / select", () => {
    it("match circomlib IsZero, IsEqual and LessThan(16) outputs with no more rows", async () => {
      for (const x of [0n, 7n, R - 1n]) {
        const art = compileCircom("iszero");
        const cw = await circomWitness(art, { in: x.toString() });
        const b = build((bb) => expect(bb.value(isZero(bb, bb.privateInput(x)))).to.equal(cw[1]));
        await expectAccepted(b);
        expect(b.nConstraints).to.be.at.most(await circomCount("iszero"));
      }
      for (const [x, y] of [
        [3n, 3n],
        [3n, 4n],
      ]) {
        const cw = await circomWitness(compileCircom("isequal"), { in: [x.toString(), y.toString()] });
        const b = build((bb) =>
          expect(bb.value(isEqual(bb, bb.privateInput(x), bb.privateInput(y)))).to.equal(cw[1]),
        );
        await expectAccepted(b);
        expect(b.nConstraints).to.be.at.most(await circomCount("isequal"));
      }
      for (const [x, y] of [
        [3n, 4n],
        [4n, 3n],
        [5n, 5n],
        [0n, 65535n],
        [65535n, 0n],
      ]) {
        const cw = await circomWitness(compileCircom("lessthan16"), { in: [x.toString(), y.toString()] });
        const b = build((bb) =>
          expect(bb.value(lessThan(bb, bb.privateInput(x), bb.privateInput(y), 16))).to.equal(cw[1]),
        );
        await expectAccepted(b);
        expect(b.nConstraints).to.be.at.most(await circomCount("lessthan16"));
      }
    });
    it("isZero rejects a forged inverse claiming a nonzero value is zero, as circomlib", async () => {
      await expectRejected(
        build(
          (b) => isZero(b, b.privateInput(9n)),
          tamperAt("isZero.inv", () => [0n]),
        ),
        "isZero",
      );
      const art = compileCircom("iszero");
      const cw = await circomWitness(art, { in: "9" });
      cw[circomWire(art, "main.inv")] = 0n;
      cw[circomWire(art, "main.out")] = 1n;
      expect(await circomAccepts(art, cw)).to.equal(false);
    });
    it("lessThan rejects a flipped comparison bit", async () => {
      const flip = tamperAt("num2bits", (h) => h.map((v, i) => (i === h.length - 1 ? 1n - v : v)));
      await expectRejected(
        build((b) => lessThan(b, b.privateInput(3n), b.privateInput(4n), 16), flip),
        "lessThan16",
      );
    });
    it("select picks a or c with one row", async () => {
      const b = build((bb) => {
        const [a, c] = [bb.privateInput(10n), bb.privateInput(20n)];
        expect(bb.value(select(bb, bb.privateInput(1n), a, c))).to.equal(10n);
        expect(bb.value(select(bb, bb.privateInput(0n), a, c))).to.equal(20n);
      });
      expect(b.nConstraints).to.equal(2);
      await expectAccepted(b);
    });
  });

  describe("poseidon", () => {
    it("equals poseidonReference for every width 1..16 with 3·(8t + P) − 3 rows", async () => {
      const partial = [56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68];
      for (let n = 1; n <= 16; n++) {
        const xs = Array.from({ length: n }, (_, i) => (BigInt(i + 7) * 0x1234567890abcdefn ** 4n) % R);
        let out: Lc | undefined;
        const b = build((bb) => {
          out = poseidon(
            bb,
            xs.map((x) => bb.privateInput(x)),
          );
        });
        expect(b.value(out as Lc), `n=${n}`).to.equal(poseidonReference(xs));
        expect(b.nConstraints, `rows n=${n}`).to.equal(3 * (8 * (n + 1) + partial[n - 1]) - 3);
        expect(b.check(b.witness()).ok).to.equal(true);
      }
    });
    it("matches circomlib Poseidon(1), (2), (16): same output, same row count, snarkjs accepts", async () => {
      for (const n of [1, 2, 16]) {
        const xs = Array.from({ length: n }, (_, i) => BigInt(i * 1000 + 3));
        const art = compileCircom(`poseidon${n}`);
        const cw = await circomWitness(art, { inputs: xs.map(String) });
        let out: Lc | undefined;
        const b = build((bb) => {
          const h = bb.publicInput(cw[1]);
          out = poseidon(
            bb,
            xs.map((x) => bb.privateInput(x)),
          );
          bb.assertEqual(h, out);
        });
        expect(b.value(out as Lc)).to.equal(cw[1]);
        const theirs = (await r1csInfo(art.r1cs)).nConstraints;
        // +1: our output is asserted equal to a public input by a linear row.
        expect(b.nConstraints, `n=${n}`).to.equal(theirs + 1);
        await expectAccepted(b);
      }
    });
    it("rejects a wrong hash output (public input off by one), as circomlib", async () => {
      const b = build((bb) => {
        const h = bb.publicInput((poseidonReference([1n, 2n]) + 1n) % R);
        bb.assertEqual(h, poseidon(bb, [bb.privateInput(1n), bb.privateInput(2n)]));
      });
      await expectRejected(b);
      const art = compileCircom("poseidon2");
      const cw = await circomWitness(art, { inputs: ["1", "2"] });
      cw[1] = (cw[1] + 1n) % R;
      expect(await circomAccepts(art, cw)).to.equal(false);
    });
  });
});

describe("poseidon compile-mode template", () => {
  it("writes byte-identical r1cs files in compile mode (template) and both mode (direct), for LC inputs and every width", () => {
    for (const n of [1, 2, 3, 7, 16]) {
      const circuit = (b: Builder) => {
        const xs = Array.from({ length: n + 1 }, (_, i) =>
          b.privateInput(b.computesValues ? BigInt(i + 3) : undefined),
        );
        // inputs are LCs (sums and scalings), one a constant; then a chain reusing the output
        const ins = xs
          .slice(0, n)
          .map((x, i) => (i === 1 ? b.constant(5n) : b.add(b.scale(x, BigInt(i + 2)), xs[n])));
        const h = poseidon(b, ins);
        poseidon(b, [h, ...ins.slice(1)]);
      };
      const c = new Builder({ mode: "compile" });
      circuit(c);
      const both = new Builder({ mode: "both" });
      circuit(both);
      const f1 = tmpFile("tc.r1cs");
      const f2 = tmpFile("tb.r1cs");
      writeR1cs(c, f1);
      writeR1cs(both, f2);
      expect(readFileSync(f1).equals(readFileSync(f2)), `n=${n}`).to.equal(true);
      expect(both.check(both.witness()).ok).to.equal(true);
    }
  });
});
