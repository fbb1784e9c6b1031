import { expect } from "chai";
import { readFileSync } from "node:fs";
import { ZkmipsError } from "../../src/errors.ts";
import { Builder, type Mode } from "../../src/wrap/r1cs/builder.ts";
import { R } from "../../src/wrap/r1cs/field.ts";
import { writeR1cs } from "../../src/wrap/r1cs/files.ts";
import { r1csInfo, snarkjsAccepts, terminateCurves, tmpFile } from "./r1cs-helpers.ts";

/** z = x·y + 2^200·x − 5·y + 7 with z public: one product row and one linear row. */
function toy(b: Builder, x?: bigint, y?: bigint): void {
  const vz =
    x !== undefined && y !== undefined ? (((x * y + (1n << 200n) * x - 5n * y + 7n) % R) + R) % R : undefined;
  const z = b.publicInput(vz);
  const xs = b.privateInput(x);
  const ys = b.privateInput(y);
  const p = b.scope("product", () => b.mul(xs, ys));
  const rhs = b.sum(
    [
      [1n, p],
      [1n << 200n, xs],
      [-5n, ys],
    ],
    7n,
  );
  b.scope("output", () => b.assertEqual(z, rhs));
}

function run(mode: Mode): Builder {
  const b = new Builder({ mode });
  toy(b, mode === "compile" ? undefined : 3n, mode === "compile" ? undefined : 11n);
  return b;
}

describe("r1cs builder", () => {
  after(terminateCurves);

  it("creates rows only for products and assertions", () => {
    const b = new Builder({ mode: "both" });
    const x = b.privateInput(4n);
    const y = b.privateInput(5n);
    const l = b.add(b.scale(x, 3n), b.addConst(y, 9n));
    expect(b.nConstraints).to.equal(0);
    const k = b.mul(b.constant(6n), l); // constant factor: still linear
    expect(b.nConstraints).to.equal(0);
    expect(b.value(k)).to.equal(6n * (12n + 14n));
    b.mul(l, y);
    expect(b.nConstraints).to.equal(1);
    b.assertBoolean(b.constant(1n));
    expect(b.nConstraints).to.equal(1);
    expect(b.check(b.witness()).ok).to.equal(true);
  });

  it("cancels terms and drops zero coefficients", () => {
    const b = new Builder({ mode: "compile" });
    const x = b.privateInput();
    const y = b.privateInput();
    const l = b.sub(b.add(x, y), x);
    expect(l.w).to.deep.equal([y.wire]);
    expect(
      b.sum([
        [2n, x],
        [R - 2n, x],
      ]).w,
    ).to.deep.equal([]);
  });

  it("writes an r1cs that snarkjs reads with the right header", async () => {
    const b = run("compile");
    const path = tmpFile("toy.r1cs");
    writeR1cs(b, path);
    const info = await r1csInfo(path);
    expect(info.nVars).to.equal(5);
    expect(info.nConstraints).to.equal(2);
    expect(info.nPubInputs).to.equal(1);
    expect(info.nOutputs).to.equal(0);
    expect(info.nPrvInputs).to.equal(2);
    expect(info.nLabels).to.equal(5);
  });

  it("produces the same r1cs bytes in compile and both modes, and the same witness in prove and both modes", () => {
    const c = run("compile");
    const both = run("both");
    const p = run("prove");
    const f1 = tmpFile("c.r1cs");
    const f2 = tmpFile("b.r1cs");
    writeR1cs(c, f1);
    writeR1cs(both, f2);
    expect(readFileSync(f1).equals(readFileSync(f2))).to.equal(true);
    expect(p.witness()).to.deep.equal(both.witness());
    expect(p.nConstraints).to.equal(both.nConstraints);
  });

  it("is accepted by snarkjs wtns check for a valid witness (large and negative coefficients)", async () => {
    const b = run("both");
    expect(b.check(b.witness()).ok).to.equal(true);
    expect(await snarkjsAccepts(b, b.witness())).to.equal(true);
  });

  it("rejects a witness whose public output is changed, in check and in snarkjs", async () => {
    const b = run("both");
    const w = [...b.witness()];
    w[1] = (w[1] + 1n) % R;
    const res = b.check(w);
    expect(res.ok).to.equal(false);
    expect(res.failed?.label).to.equal("output");
    expect(await snarkjsAccepts(b, w)).to.equal(false);
  });

  it("rejects a witness whose product wire is changed, naming the product row", async () => {
    const b = run("both");
    const w = [...b.witness()];
    w[4] = (w[4] + 1n) % R;
    expect(b.check(w).failed?.label).to.equal("product");
    expect(await snarkjsAccepts(b, w)).to.equal(false);
  });

  it("rejects a witness whose constant wire is not 1", () => {
    const b = run("both");
    const w = [...b.witness()];
    w[0] = 2n;
    expect(b.check(w).ok).to.equal(false);
  });

  it("refuses a public input declared after another wire", () => {
    const b = new Builder({ mode: "compile" });
    b.privateInput();
    expect(() => b.publicInput()).to.throw(ZkmipsError, /before any other wire/);
  });

  it("refuses a missing or non-canonical input value when computing the witness", () => {
    const b = new Builder({ mode: "prove" });
    expect(() => b.privateInput()).to.throw(ZkmipsError, /needs a value/);
    expect(() => b.privateInput(R)).to.throw(ZkmipsError, /not a field element/);
  });

  it("checks a·inv = 1 for inverse hints and rejects a forged inverse", async () => {
    const b = new Builder({ mode: "both", tamper: (t, v) => (t === "inverse" ? [v[0] + 1n] : v) });
    const x = b.privateInput(12345n);
    b.inverse(x);
    expect(b.check(b.witness()).ok).to.equal(false);
    expect(await snarkjsAccepts(b, b.witness())).to.equal(false);
  });
});
