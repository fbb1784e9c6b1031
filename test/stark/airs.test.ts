import { expect } from "chai";
import { DEFAULT_OPTIONS, prove, securityBits, setup, verify } from "../../src/stark/index.ts";
import { TEST_OPTIONS, fibonacci, mixed, multiset, rangeLookup } from "./airs.ts";
import { expectRejected, soundnessSuite } from "./soundness.ts";

describe("STARK end to end", () => {
  soundnessSuite("Fibonacci", () => fibonacci(6), TEST_OPTIONS, {
    table: 0,
    column: 1,
    row: 20,
    check: "ood-constraints",
  });
  soundnessSuite("range lookup (LogUp against a preprocessed table)", () => rangeLookup(5), TEST_OPTIONS, {
    table: 1,
    column: 0,
    row: 7,
    check: "ood-constraints",
  });
  soundnessSuite(
    "two-table multiset (mixed heights, public bus term)",
    () => multiset(6),
    { ...TEST_OPTIONS, logFoldingArity: 1, logBlowup: 3 },
    {
      table: 1,
      column: 1,
      row: 3,
      check: "logup-balance",
    },
  );

  soundnessSuite("three heights, one table without interactions", () => mixed(7), TEST_OPTIONS, {
    table: 2,
    column: 0,
    row: 5,
    check: "logup-balance",
  });

  it("the prover's self-check names the failing table, constraint and row", async () => {
    const inst = fibonacci(5);
    inst.traces[0].main[0][9] += 1;
    const pk = await setup(inst.air, TEST_OPTIONS);
    let msg = "";
    await prove(pk, inst.traces, inst.publicInputs).catch((e: Error) => (msg = e.message));
    expect(msg).to.match(/table fib, constraint 2 fails on row 8/);
  });
});

describe("STARK lookups, keys and shapes", () => {
  it("rejects a value outside the range table even when the arithmetic constraints hold (check: logup-balance)", async () => {
    const inst = rangeLookup(5);
    const [m] = inst.traces[0].main;
    const [v0, v1] = inst.traces[1].main;
    m[v0[7]]--;
    m[v1[7]]--;
    v0[7] = 300;
    v1[7] = 900;
    const pk = await setup(inst.air, TEST_OPTIONS);
    const { bytes } = await prove(pk, inst.traces, inst.publicInputs, { selfCheck: false });
    expectRejected(
      () => verify(inst.air, pk.vkey, inst.publicInputs, bytes, TEST_OPTIONS),
      ["logup-balance"],
    );
  });

  it("binds the preprocessed table: a proof does not verify under another verifying key", async () => {
    const inst = rangeLookup(5);
    const pk = await setup(inst.air, TEST_OPTIONS);
    const { bytes } = await prove(pk, inst.traces, inst.publicInputs);
    const other = rangeLookup(5);
    (other.air.tables[0].preprocessed![0] as Uint32Array)[255] = 256;
    const pk2 = await setup(other.air, TEST_OPTIONS);
    expect(pk2.vkey).to.not.equal(pk.vkey);
    expectRejected(
      () => verify(inst.air, pk2.vkey, inst.publicInputs, bytes, TEST_OPTIONS),
      ["ood-constraints", "merkle-pre"],
    );
  });

  it("the verifying key depends only on the AIR and the options", async () => {
    const a = await setup(rangeLookup(5).air, TEST_OPTIONS);
    const b = await setup(rangeLookup(7).air, TEST_OPTIONS);
    expect(a.vkey).to.equal(b.vkey);
    expect(a.vkey).to.not.equal(0n);
  });

  it("rejects table heights other than the expected ones (check: shape)", async () => {
    const inst = fibonacci(5);
    const pk = await setup(inst.air, TEST_OPTIONS);
    const { bytes } = await prove(pk, inst.traces, inst.publicInputs);
    verify(inst.air, pk.vkey, inst.publicInputs, bytes, TEST_OPTIONS, { expectedLogHeights: [5] });
    expectRejected(
      () => verify(inst.air, pk.vkey, inst.publicInputs, bytes, TEST_OPTIONS, { expectedLogHeights: [6] }),
      ["shape"],
    );
  });

  it("proves with default options (28 queries, 16 grinding bits, blowup 8)", async () => {
    const inst = multiset(6);
    const pk = await setup(inst.air, DEFAULT_OPTIONS);
    const { bytes } = await prove(pk, inst.traces, inst.publicInputs);
    verify(inst.air, pk.vkey, inst.publicInputs, bytes, DEFAULT_OPTIONS);
    expectRejected(() => verify(inst.air, pk.vkey, inst.publicInputs, bytes, TEST_OPTIONS), ["options"]);
  });

  it("the prover's self-check reports unbalanced LogUp sums", async () => {
    const inst = rangeLookup(5);
    inst.traces[0].main[0][3] += 1;
    const pk = await setup(inst.air, TEST_OPTIONS);
    let msg = "";
    await prove(pk, inst.traces, inst.publicInputs).catch((e: Error) => (msg = e.message));
    expect(msg).to.match(/LogUp sums .* do not cancel/);
  });

  it("rejects random byte corruptions cleanly (StarkVerifyError, never an internal error)", async () => {
    const inst = multiset(5);
    const pk = await setup(inst.air, TEST_OPTIONS);
    const { bytes } = await prove(pk, inst.traces, inst.publicInputs);
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    for (let trial = 0; trial < 150; trial++) {
      const bad = Uint8Array.from(bytes);
      const flips = 1 + rnd(4);
      for (let f = 0; f < flips; f++) bad[rnd(bad.length)] ^= 1 << rnd(8);
      if (bad.every((b, i) => b === bytes[i])) continue;
      const err = expectRejected(() => verify(inst.air, pk.vkey, inst.publicInputs, bad, TEST_OPTIONS));
      expect(err.check).to.not.equal("internal");
    }
    for (let trial = 0; trial < 20; trial++) {
      const junk = Uint8Array.from({ length: rnd(bytes.length + 50) }, () => rnd(256));
      expect(
        expectRejected(() => verify(inst.air, pk.vkey, inst.publicInputs, junk, TEST_OPTIONS)).check,
      ).to.equal("format");
    }
  });

  it("proving on worker threads (parallel: true) gives the same proof bytes", async () => {
    // 2^10 rows at blowup 4: LDEs of 4096 rows, large enough for the workers' row reductions.
    const inst = multiset(10);
    const opts = { ...TEST_OPTIONS, grindingBits: 10 };
    const pk = await setup(inst.air, opts);
    const a = await prove(pk, inst.traces, inst.publicInputs);
    const b = await prove(pk, inst.traces, inst.publicInputs, { parallel: true });
    expect(Buffer.from(b.bytes).equals(Buffer.from(a.bytes))).to.equal(true);
    verify(inst.air, pk.vkey, inst.publicInputs, b.bytes, opts);
  });

  it("reports at least 100 conjectured bits for the default options", () => {
    const s = securityBits(DEFAULT_OPTIONS);
    expect(s.conjectured).to.be.at.least(100);
    expect(s.proven).to.be.below(s.conjectured);
    expect(securityBits({ ...DEFAULT_OPTIONS, numQueries: 10 }).conjectured).to.equal(46);
  });
});
