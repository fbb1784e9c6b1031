/**
 * Size of the emitted STARK verifier at the default proof options (ZKMIPS_FULL=1), built in
 * compile mode from the shape alone (no proof needed), for the test AIRs of
 * test/stark/airs.ts at realistic heights. Prints rows per part and per query.
 */
import { expect } from "chai";
import { DEFAULT_OPTIONS, type AirDefinition } from "../../src/stark/index.ts";
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
  it("fibonacci at 2^16 and 2^20 rows and multiset at 2^[16,14] stay under 2^21 rows", () => {
    const fib = fibonacci(4);
    expect(size(fib.air, 3, [16])).to.be.below(1 << 21);
    expect(size(fib.air, 3, [20])).to.be.below(1 << 21);
    const ms = multiset(6);
    expect(size(ms.air, 1, [16, 14])).to.be.below(1 << 21);
    size(ms.air, 1, [20, 18]);
  });
});
