import { expect } from "chai";
import { buildPoseidon } from "circomlibjs";
import { poseidonReference, BN254_R, POSEIDON_MAX_INPUTS } from "../../src/hash/poseidon-reference.ts";

describe("Poseidon-BN254 reference", () => {
  it("matches circomlibjs for every width 1..16", async () => {
    const lib = await buildPoseidon();
    for (let n = 1; n <= POSEIDON_MAX_INPUTS; n++) {
      const inputs = Array.from(
        { length: n },
        (_, i) => (BigInt(i + 1) * 0x1234567890abcdefn ** 3n) % BN254_R,
      );
      const expected = lib.F.toObject(lib(inputs)) as bigint;
      expect(poseidonReference(inputs), `width ${n}`).to.equal(expected);
    }
  });

  it("gives the published Poseidon(2) vector for [1, 2]", () => {
    expect(poseidonReference([1n, 2n])).to.equal(
      0x115cc0f5e7d690413df64c6b9662e9cf2a3617f2743245519e19607a4417189an,
    );
  });

  it("rejects a non-canonical input", () => {
    expect(() => poseidonReference([BN254_R])).to.throw(/not a field element/);
  });
});
