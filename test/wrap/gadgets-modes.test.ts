import { expect } from "chai";
import { readFileSync } from "node:fs";
import { Builder, type Mode } from "../../src/wrap/r1cs/builder.ts";
import { writeR1cs } from "../../src/wrap/r1cs/files.ts";
import { lessThan, isEqual } from "../../src/wrap/r1cs/gadgets/compare.ts";
import { num2bitsStrict } from "../../src/wrap/r1cs/gadgets/bits.ts";
import { KoalaBearExt } from "../../src/wrap/r1cs/gadgets/koalabear-ext.ts";
import { merkleRoot } from "../../src/wrap/r1cs/gadgets/merkle.ts";
import { digestMasked253, sha256Var } from "../../src/wrap/r1cs/gadgets/sha256.ts";
import { TranscriptCircuit } from "../../src/wrap/r1cs/gadgets/transcript.ts";
import { tmpFile } from "./r1cs-helpers.ts";

/** Every gadget once, inputs given only when the builder computes values. */
function everything(b: Builder): void {
  const v = (x: bigint) => (b.computesValues ? x : undefined);
  const pub = b.publicInput(v(7n));
  const x = b.privateInput(v(123456n));
  const y = b.privateInput(v(654321n));
  lessThan(b, x, y, 20);
  isEqual(b, x, pub);
  num2bitsStrict(b, y);
  const e = new KoalaBearExt(b);
  const a = e.canonical([1n, 2n, 3n, 4n].map((c) => b.privateInput(v(c))));
  const c = e.canonical([5n, 6n, 7n, 8n].map((k) => b.privateInput(v(k))));
  const prod = e.mul(e.mul(a, c), e.mul(a, c));
  e.inverse(e.reduce(prod));
  const msg = Array.from({ length: 70 }, (_, i) => b.privateInput(v(BigInt(i))));
  const d = sha256Var(b, msg, b.privateInput(v(66n)));
  const h = digestMasked253(b, d.words);
  const bits = [0n, 1n, 1n].map((k) => b.privateInput(v(k)));
  const root = merkleRoot(b, h, bits, [x, y, pub]);
  const t = new TranscriptCircuit(b);
  t.absorbElement(root);
  t.absorbValues([x, y]);
  t.challengeExt();
  t.queryIndexBits(3, 12);
}

describe("gadgets: one description, three modes", () => {
  it("compile and both modes write the same r1cs; prove and both modes give the same witness", () => {
    const run = (mode: Mode): Builder => {
      const b = new Builder({ mode });
      everything(b);
      return b;
    };
    const [c, both, p] = [run("compile"), run("both"), run("prove")];
    const f1 = tmpFile("m-c.r1cs");
    const f2 = tmpFile("m-b.r1cs");
    writeR1cs(c, f1);
    writeR1cs(both, f2);
    expect(readFileSync(f1).equals(readFileSync(f2))).to.equal(true);
    expect(p.witness()).to.deep.equal(both.witness());
    expect(p.nConstraints).to.equal(both.nConstraints);
    expect(both.check(both.witness()).ok).to.equal(true);
  });
});
