import { expect } from "chai";
import { P } from "../../src/field/koalabear.ts";
import {
  AirBuilder,
  DEFAULT_OPTIONS,
  decodeProof,
  encodeProof,
  prove,
  setup,
  verify,
  type AirDefinition,
} from "../../src/stark/index.ts";
import type { StarkProof } from "../../src/stark/proof.ts";
import { emitOodCheck } from "../../src/wrap/circuit/ood-check.ts";
import { Builder } from "../../src/wrap/r1cs/builder.ts";
import { KoalaBear } from "../../src/wrap/r1cs/gadgets/koalabear.ts";
import { snarkjsAccepts, terminateCurves } from "./r1cs-helpers.ts";

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

const LOG_N = 3;

function fibTrace(n: number): { cols: Uint32Array[]; last: number } {
  const a = new Uint32Array(n);
  const c = new Uint32Array(n);
  a[0] = 1;
  c[0] = 1;
  for (let i = 1; i < n; i++) {
    a[i] = c[i - 1];
    c[i] = (a[i - 1] + c[i - 1]) % P;
  }
  return { cols: [a, c], last: c[n - 1] };
}

describe("circuit: OOD check of a real Fibonacci STARK proof (transcript replayed in-circuit)", function () {
  after(terminateCurves);
  const air = fibAir();
  let vkey = 0n;
  let pubs: number[] = [];
  let proof: StarkProof;
  let bytes: Uint8Array;

  before(async () => {
    const pk = await setup(air, DEFAULT_OPTIONS);
    vkey = pk.vkey;
    const { cols, last } = fibTrace(1 << LOG_N);
    pubs = [1, 1, last];
    const res = await prove(pk, [{ main: cols }], pubs, { selfCheck: true });
    bytes = res.bytes;
    proof = decodeProof(air, DEFAULT_OPTIONS, bytes).proof;
    verify(air, vkey, pubs, bytes, DEFAULT_OPTIONS);
  });

  const circuit = (b: Builder, p: StarkProof | undefined, publics: number[]) => {
    const vk = b.publicInput(b.computesValues ? vkey : undefined);
    const pubWires = publics.map((v) => b.publicInput(b.computesValues ? BigInt(v) : undefined));
    const f = new KoalaBear(b);
    emitOodCheck(
      b,
      air,
      DEFAULT_OPTIONS,
      vk,
      pubWires.map((w) => f.canonical(w)),
      { logHeights: [LOG_N], proof: p },
    );
  };

  it("is satisfied by the proof the TS verifier accepts; compile and prove modes agree", async () => {
    const b = new Builder({ mode: "both" });
    circuit(b, proof, pubs);
    const res = b.check(b.witness());
    expect(res.ok, res.failed?.label).to.equal(true);
    expect(await snarkjsAccepts(b, b.witness())).to.equal(true);
    const c = new Builder({ mode: "compile" });
    circuit(c, undefined, pubs);
    expect(c.nConstraints).to.equal(b.nConstraints);
    expect(c.nWires).to.equal(b.nWires);
    console.log(`      OOD check (Fibonacci, 2^${LOG_N} rows): ${b.nConstraints} rows`);
  });

  it("rejects a proof whose opened main value at z is changed (as the TS verifier: ood-constraints)", async () => {
    const op = proof.openings[0];
    const m0 = op.main[0][0];
    const forged: StarkProof = {
      ...proof,
      openings: [{ ...op, main: [[[(m0[0] + 1) % P, m0[1], m0[2], m0[3]], op.main[0][1]], op.main[1]] }],
    };
    expect(() => verify(air, vkey, pubs, encodeProof(air, forged), DEFAULT_OPTIONS)).to.throw(
      /ood-constraints/,
    );
    const b = new Builder({ mode: "both" });
    circuit(b, forged, pubs);
    const res = b.check(b.witness());
    expect(res.ok).to.equal(false);
    expect(res.failed?.label).to.contain("ood.quotient");
    expect(await snarkjsAccepts(b, b.witness())).to.equal(false);
  });

  it("rejects a changed public input and a changed quotient root (zeta moves)", () => {
    const b = new Builder({ mode: "both" });
    circuit(b, proof, [pubs[0], pubs[1], (pubs[2] + 1) % P]);
    expect(b.check(b.witness()).ok).to.equal(false);
    const b2 = new Builder({ mode: "both" });
    circuit(b2, { ...proof, quotRoot: proof.quotRoot + 1n }, pubs);
    expect(b2.check(b2.witness()).failed?.label).to.contain("ood.quotient");
  });
});
