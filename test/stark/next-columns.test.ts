import { expect } from "chai";
import type { Ext } from "../../src/field/ext4.ts";
import { P } from "../../src/field/koalabear.ts";
import { nextColumns } from "../../src/stark/next-columns.ts";
import {
  PROOF_VERSION,
  type StarkProof,
  decodeProof,
  encodeProof,
  openingLengths,
} from "../../src/stark/proof.ts";
import { type ProveConfig, prove, setup, verify } from "../../src/stark/index.ts";
import { TEST_OPTIONS, type Instance, fibonacci, nextCounter, rangeLookup } from "./airs.ts";
import { expectRejected } from "./soundness.ts";

const bump = (x: Ext): Ext => [(x[0] + 1) % P, x[1], x[2], x[3]];

async function proveBytes(
  inst: Instance,
  config: ProveConfig = {},
): Promise<{ vkey: bigint; bytes: Uint8Array }> {
  const pk = await setup(inst.air, TEST_OPTIONS);
  const { bytes } = await prove(pk, inst.traces, inst.publicInputs, config);
  return { vkey: pk.vkey, bytes };
}

describe("openings at zeta*omega: only the columns read at the next row (proof format v2)", () => {
  it("derives the next-row columns from the constraint DAG", () => {
    const counter = nextColumns(nextCounter().air.tables[0]);
    expect(counter.pre).to.deep.equal([0]);
    expect(counter.main).to.deep.equal([0]);
    expect(counter.aux).to.deep.equal([]);
    expect(counter.trace).to.deep.equal([0, 1]); // T = pre0 | main0..2
    expect(nextColumns(fibonacci().air.tables[0]).main).to.deep.equal([0, 1]);
    // LogUp: one group column (aux 0) and the running sum (aux 1); only the running sum is read at next.
    const values = rangeLookup().air.tables[1];
    expect(values.auxWidth).to.equal(2);
    const nv = nextColumns(values);
    expect(nv.main).to.deep.equal([]);
    expect(nv.aux).to.deep.equal([1]);
    expect(nv.trace).to.deep.equal([6, 7, 8, 9]); // main 0..1, aux base columns 2..9: phi = 6..9
  });

  it("a proof carries no zeta*omega value for a column not read at the next row (size check)", async () => {
    for (const inst of [nextCounter(), rangeLookup()]) {
      const { bytes } = await proveBytes(inst);
      const { proof, sections } = decodeProof(inst.air, TEST_OPTIONS, bytes);
      inst.air.tables.forEach((t, i) => {
        const op = proof.openings[i];
        const nc = nextColumns(t);
        expect(op.pre[0]).to.have.length(t.preWidth);
        expect(op.main[0]).to.have.length(t.mainWidth);
        expect(op.aux[0]).to.have.length(4 * t.auxWidth);
        expect(op.pre[1]).to.have.length(nc.pre.length);
        expect(op.main[1]).to.have.length(nc.main.length);
        expect(op.aux[1]).to.have.length(4 * nc.aux.length);
      });
      const counter = proof.openings[0];
      if (inst.air.name === "next-counter") {
        expect(counter.main[1]).to.have.length(1); // of 3 main columns
        expect(counter.pre[1]).to.have.length(1);
      } else {
        expect(proof.openings[1].aux[1]).to.have.length(4); // of 8 aux base columns
        expect(proof.openings[1].main[1]).to.have.length(0);
      }
      const s = sections.find((x) => x.name === "openings")!;
      const values = inst.air.tables.reduce(
        (acc, _, i) => acc + openingLengths(inst.air, i).reduce((a, b) => a + b, 0),
        0,
      );
      expect(s.end - s.start).to.equal(16 * values);
    }
  });

  it("rejects a version-1 proof and extra zeta*omega values as format errors", async () => {
    const inst = nextCounter();
    const { vkey, bytes } = await proveBytes(inst);
    expect(PROOF_VERSION).to.equal(2);
    const v1 = Uint8Array.from(bytes);
    v1[4] = 1;
    v1[5] = 0;
    expect(
      expectRejected(() => verify(inst.air, vkey, inst.publicInputs, v1, TEST_OPTIONS), ["format"]).message,
    ).to.match(/version 1/);
    // Two more extension values (the zeta*omega openings of the columns not read at next).
    const { sections } = decodeProof(inst.air, TEST_OPTIONS, bytes);
    const at = sections.find((x) => x.name === "openings")!.start;
    const longer = new Uint8Array(bytes.length + 32);
    longer.set(bytes.subarray(0, at));
    longer.set(bytes.subarray(at), at + 32);
    expectRejected(() => verify(inst.air, vkey, inst.publicInputs, longer, TEST_OPTIONS), ["format"]);
    const proof = decodeProof(inst.air, TEST_OPTIONS, bytes).proof;
    const op = proof.openings[0];
    const full: StarkProof = {
      ...proof,
      openings: [{ ...op, main: [op.main[0], [...op.main[1], op.main[1][0], op.main[1][0]]] }],
    };
    expect(() => encodeProof(inst.air, full)).to.throw(/openings have lengths/);
  });

  it("rejects a proof whose zeta*omega opening of a next-row column is changed (check: ood-constraints)", async () => {
    const inst = nextCounter();
    const { vkey, bytes } = await proveBytes(inst);
    verify(inst.air, vkey, inst.publicInputs, bytes, TEST_OPTIONS);
    const proof = decodeProof(inst.air, TEST_OPTIONS, bytes).proof;
    const op = proof.openings[0];
    const forgedMain: StarkProof = {
      ...proof,
      openings: [{ ...op, main: [op.main[0], [bump(op.main[1][0])]] }],
    };
    const forgedPre: StarkProof = { ...proof, openings: [{ ...op, pre: [op.pre[0], [bump(op.pre[1][0])]] }] };
    for (const forged of [forgedMain, forgedPre])
      expectRejected(
        () => verify(inst.air, vkey, inst.publicInputs, encodeProof(inst.air, forged), TEST_OPTIONS),
        ["ood-constraints"],
      );
  });

  it("rejects a proof of a trace whose next-row column breaks its transition (check: ood-constraints)", async () => {
    const inst = nextCounter();
    inst.traces[0].main[0][9] = 100; // c' = c + 1 fails on rows 8 and 9 (c = pre fails on row 9)
    const { vkey, bytes } = await proveBytes(inst, { selfCheck: false });
    expectRejected(() => verify(inst.air, vkey, inst.publicInputs, bytes, TEST_OPTIONS), ["ood-constraints"]);
  });
});

describe("LogUp running sum over the rows before the current one (phi[0] = 0, phi' = phi + sum h)", () => {
  // rangeLookup's "values" table: 2 user constraints, then LogUp constraints 0 (its one group
  // column h, aux base columns 0..3), 1 (first row: phi = 0), 2 (transition), 3 (last row:
  // phi + h = cumSum); phi is aux base columns 4..7.
  const VALUES = 1;
  const N = 32;
  const cases: {
    what: string;
    tamper: NonNullable<ProveConfig["tamperAux"]>;
    selfCheck: RegExp;
  }[] = [
    {
      what: "one group (h) cell changed",
      tamper: (_t, cols) => void (cols[1][7] = (cols[1][7] + 1) % P),
      selfCheck: /table values, LogUp constraint 0 fails on row 7/,
    },
    {
      what: "one running-sum cell changed",
      tamper: (_t, cols) => void (cols[4][10] = (cols[4][10] + 1) % P),
      selfCheck: /table values, LogUp constraint 2 fails on row 9/,
    },
    {
      what: "the running sum and the claimed sum shifted by 5 on every row",
      tamper: (_t, cols, sum) => {
        for (let r = 0; r < N; r++) cols[4][r] = (cols[4][r] + 5) % P;
        return [(sum[0] + 5) % P, sum[1], sum[2], sum[3]];
      },
      selfCheck: /table values, LogUp constraint 1 fails on row 0/,
    },
    {
      what: "another claimed sum",
      tamper: (_t, _cols, sum) => [sum[0], (sum[1] + 1) % P, sum[2], sum[3]],
      selfCheck: /table values, LogUp constraint 3 fails on row 31/,
    },
  ];
  for (const c of cases) {
    const only =
      (f: typeof c.tamper): typeof c.tamper =>
      (t, cols, sum) =>
        t === VALUES ? f(t, cols, sum) : undefined;
    it(`rejects a proof whose LogUp witness has ${c.what} (check: ood-constraints; the self-check names the constraint)`, async () => {
      let msg = "";
      await proveBytes(rangeLookup(5), { tamperAux: only(c.tamper) }).catch((e: Error) => (msg = e.message));
      expect(msg).to.match(c.selfCheck);
      const inst = rangeLookup(5);
      const { vkey, bytes } = await proveBytes(inst, { selfCheck: false, tamperAux: only(c.tamper) });
      expectRejected(
        () => verify(inst.air, vkey, inst.publicInputs, bytes, TEST_OPTIONS),
        ["ood-constraints"],
      );
    });
  }
});
