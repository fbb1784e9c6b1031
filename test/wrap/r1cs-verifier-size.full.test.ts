/**
 * Size of the emitted STARK verifier at the default proof options (ZKMIPS_FULL=1), built in
 * compile mode from the shape alone (no proof needed), for the test AIRs of
 * test/stark/airs.ts at realistic heights. Prints rows per part and per query.
 */
import { expect } from "chai";
import { DEFAULT_OPTIONS, prove, setup, verify, type AirDefinition } from "../../src/stark/index.ts";
import { writeStarkVerifierR1cs, writeStarkVerifierWtns } from "../../src/wrap/circuit/stark-verifier.ts";
import { terminateCurves, tmpFile, wtnsCheck } from "./r1cs-helpers.ts";
import { emitFriChecks } from "../../src/wrap/circuit/fri.ts";
import { emitOodCheck } from "../../src/wrap/circuit/ood-check.ts";
import { emitQueryPhase } from "../../src/wrap/circuit/queries.ts";
import { Builder } from "../../src/wrap/r1cs/builder.ts";
import { KoalaBear } from "../../src/wrap/r1cs/gadgets/koalabear.ts";
import { describeFull } from "../support/full.ts";
import { fibonacci, multiset } from "../stark/airs.ts";

function size(air: AirDefinition, nPub: number, logHeights: number[]): number {
  const t0 = performance.now();
  const b = new Builder({ mode: "compile" });
  const vk = b.publicInput();
  const pubs = Array.from({ length: nPub }, () => b.publicInput());
  const f = new KoalaBear(b);
  const inp = { logHeights };
  const ood = emitOodCheck(
    b,
    air,
    DEFAULT_OPTIONS,
    vk,
    pubs.map((w) => f.canonical(w)),
    inp,
  );
  const c1 = b.nConstraints;
  const qp = emitQueryPhase(b, air, DEFAULT_OPTIONS, vk, ood, inp);
  const c2 = b.nConstraints;
  emitFriChecks(b, air, DEFAULT_OPTIONS, ood, qp, logHeights);
  const n = b.nConstraints;
  console.log(
    `      ${air.name} 2^[${logHeights}]: ${n} rows (OOD+transcript ${c1}, Merkle ${c2 - c1}, ` +
      `DEEP/FRI ${n - c2}; ${(n / DEFAULT_OPTIONS.numQueries / 1000).toFixed(1)}k per query), ` +
      `built in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  return n;
}

describeFull("emitted STARK verifier size at the default options", () => {
  after(terminateCurves);

  it("a real 2^16-row Fibonacci proof at the default options: snarkjs accepts the 1.4M-row verifier's witness", async () => {
    const inst = fibonacci(16);
    const pk = await setup(inst.air, DEFAULT_OPTIONS);
    const { bytes } = await prove(pk, inst.traces, inst.publicInputs, { selfCheck: false });
    verify(inst.air, pk.vkey, inst.publicInputs, bytes, DEFAULT_OPTIONS);
    const r1cs = tmpFile("v16.r1cs");
    const wtns = tmpFile("v16.wtns");
    let t = performance.now();
    const rows = writeStarkVerifierR1cs(inst.air, DEFAULT_OPTIONS, [16], r1cs);
    const tR = (performance.now() - t) / 1000;
    t = performance.now();
    writeStarkVerifierWtns(inst.air, DEFAULT_OPTIONS, pk.vkey, inst.publicInputs, bytes, wtns);
    const tW = (performance.now() - t) / 1000;
    t = performance.now();
    expect(await wtnsCheck(r1cs, wtns)).to.equal(true);
    console.log(
      `      ${rows} rows: .r1cs in ${tR.toFixed(1)} s, .wtns in ${tW.toFixed(1)} s, ` +
        `snarkjs wtns check ${((performance.now() - t) / 1000).toFixed(0)} s`,
    );
  });

  it("fibonacci at 2^16 and 2^20 rows and multiset at 2^[16,14] stay under 2^21 rows", () => {
    const fib = fibonacci(4);
    expect(size(fib.air, 3, [16])).to.be.below(1 << 21);
    expect(size(fib.air, 3, [20])).to.be.below(1 << 21);
    const ms = multiset(6);
    expect(size(ms.air, 1, [16, 14])).to.be.below(1 << 21);
    size(ms.air, 1, [20, 18]);
  });
});
