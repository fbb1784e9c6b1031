import { expect } from "chai";
import { DEFAULT_OPTIONS, decodeProof, prove, setup, verify } from "../../src/stark/index.ts";
import { describeFull } from "../support/full.ts";
import { fibonacci, multiset, rangeLookup } from "./airs.ts";
import { expectRejected } from "./soundness.ts";

describeFull("STARK at larger sizes with the default options (ZKMIPS_FULL=1)", function () {
  it("proves and verifies 2^14-row Fibonacci, a 2^12-row lookup and 2^12/2^10 mixed heights on both cores", async () => {
    for (const inst of [fibonacci(14), rangeLookup(12), multiset(12)]) {
      const pk = await setup(inst.air, DEFAULT_OPTIONS);
      const { bytes } = await prove(pk, inst.traces, inst.publicInputs, { parallel: true });
      verify(inst.air, pk.vkey, inst.publicInputs, bytes, DEFAULT_OPTIONS);
      const { sections } = decodeProof(inst.air, DEFAULT_OPTIONS, bytes);
      const q = sections.find((s) => s.name === "queries")!;
      const bad = Uint8Array.from(bytes);
      bad[(q.start + q.end) >> 1] ^= 0x10;
      expectRejected(() => verify(inst.air, pk.vkey, inst.publicInputs, bad, DEFAULT_OPTIONS));
      expect(bytes.length).to.be.below(400_000);
    }
  });
});
