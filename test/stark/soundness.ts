/**
 * Shared soundness checks: every test AIR must be rejected for a tampered proof byte in any
 * section, a changed public input, other options, and a corrupted witness cell.
 */
import { expect } from "chai";
import {
  StarkVerifyError,
  decodeProof,
  prove,
  setup,
  verify,
  type ProofOptions,
} from "../../src/stark/index.ts";
import type { Instance } from "./airs.ts";

export function expectRejected(f: () => unknown, checks?: readonly string[]): StarkVerifyError {
  try {
    f();
  } catch (e) {
    expect(e, String(e)).to.be.instanceOf(StarkVerifyError);
    const err = e as StarkVerifyError;
    if (checks) expect(checks, err.message).to.include(err.check);
    return err;
  }
  expect.fail("the verifier accepted a bad proof");
}

export function soundnessSuite(
  name: string,
  make: () => Instance,
  options: ProofOptions,
  corrupt: { table: number; column: number; row: number; check: string },
): void {
  describe(`${name} AIR`, function () {
    let inst: Instance;
    let vkey: bigint;
    let bytes: Uint8Array;
    before(async () => {
      inst = make();
      const pk = await setup(inst.air, options);
      vkey = pk.vkey;
      bytes = (await prove(pk, inst.traces, inst.publicInputs)).bytes;
    });

    it("accepts an honest proof", () => {
      verify(inst.air, vkey, inst.publicInputs, bytes, options);
    });

    it("rejects a flipped byte in every proof section (first, middle and last byte)", () => {
      const { sections } = decodeProof(inst.air, options, bytes);
      const nonEmpty = sections.filter((s) => s.end > s.start);
      expect(nonEmpty.map((s) => s.name)).to.include.members([
        "header",
        "options",
        "shape",
        "commitments",
        "openings",
        "fri-commitments",
        "final-poly",
        "pow",
        "queries",
      ]);
      for (const s of nonEmpty) {
        for (const pos of new Set([s.start, (s.start + s.end) >> 1, s.end - 1])) {
          const bad = Uint8Array.from(bytes);
          bad[pos] ^= 0x01;
          expectRejected(() => verify(inst.air, vkey, inst.publicInputs, bad, options));
        }
      }
    });

    it("rejects truncated proofs and trailing bytes as format errors", () => {
      expectRejected(
        () => verify(inst.air, vkey, inst.publicInputs, bytes.subarray(0, bytes.length - 1), options),
        ["format"],
      );
      expectRejected(
        () => verify(inst.air, vkey, inst.publicInputs, Uint8Array.from([...bytes, 0]), options),
        ["format"],
      );
      expectRejected(() => verify(inst.air, vkey, inst.publicInputs, new Uint8Array(0), options), ["format"]);
    });

    const hasPublicInputs = make().publicInputs.length > 0;
    (hasPublicInputs ? it : it.skip)("rejects a proof whose public input is changed", () => {
      const pubs = [...inst.publicInputs];
      pubs[pubs.length - 1] = (pubs[pubs.length - 1] + 1) % 0x7f000001;
      expectRejected(() => verify(inst.air, vkey, pubs, bytes, options));
    });

    it("rejects a proof checked against other options (check: options)", () => {
      expectRejected(
        () =>
          verify(inst.air, vkey, inst.publicInputs, bytes, {
            ...options,
            numQueries: options.numQueries + 1,
          }),
        ["options"],
      );
      expectRejected(
        () =>
          verify(inst.air, vkey, inst.publicInputs, bytes, {
            ...options,
            grindingBits: options.grindingBits + 1,
          }),
        ["options"],
      );
    });

    it(`rejects a proof of a witness with one corrupted cell (check: ${corrupt.check})`, async () => {
      const fresh = make();
      const col = fresh.traces[corrupt.table].main[corrupt.column];
      col[corrupt.row] = (col[corrupt.row] + 1) % 0x7f000001;
      const pk = await setup(fresh.air, options);
      const { bytes: badProof } = await prove(pk, fresh.traces, fresh.publicInputs, { selfCheck: false });
      expectRejected(
        () => verify(fresh.air, pk.vkey, fresh.publicInputs, badProof, options),
        [corrupt.check],
      );
    });
  });
}
