import { expect } from "chai";
import {
  DEFAULT_OPTIONS,
  ONCHAIN_OPTIONS,
  PROFILES,
  maxLogHeight,
  profileByName,
  profileOfOptions,
  profileOfProof,
  prove,
  securityBits,
  setup,
  verify,
} from "../../src/stark/index.ts";
import { ZkmipsError } from "../../src/errors.ts";
import { TEST_OPTIONS, fibonacci, rangeLookup } from "./airs.ts";
import { expectRejected } from "./soundness.ts";

describe("proof option profiles", () => {
  it("every allow-listed profile gives at least 100 conjectured bits at its tallest tables", () => {
    for (const p of PROFILES) {
      const s = securityBits(p.options);
      expect(s.conjectured, p.name).to.be.at.least(100);
      expect(s.proven, p.name).to.be.at.least(50);
    }
    expect(securityBits(ONCHAIN_OPTIONS)).to.deep.equal({ conjectured: 100, proven: 54 });
    expect(securityBits(DEFAULT_OPTIONS).conjectured).to.equal(100);
  });

  it("the on-chain profile limits tables to 2^18 rows (its LDE fills the 2^24 subgroup)", () => {
    expect(maxLogHeight(DEFAULT_OPTIONS)).to.equal(20);
    expect(maxLogHeight(ONCHAIN_OPTIONS)).to.equal(18);
  });

  it("names and matches profiles, refusing unknown names and options", () => {
    expect(profileByName("onchain").options).to.equal(ONCHAIN_OPTIONS);
    expect(profileByName("default").options).to.equal(DEFAULT_OPTIONS);
    expect(() => profileByName("fast")).to.throw(ZkmipsError, /unknown proof profile "fast"/);
    expect(profileOfOptions({ ...ONCHAIN_OPTIONS })?.name).to.equal("onchain");
    expect(profileOfOptions({ ...ONCHAIN_OPTIONS, numQueries: 13 })).to.equal(undefined);
    expect(profileOfOptions({ ...DEFAULT_OPTIONS, grindingBits: 0 })).to.equal(undefined);
  });

  it("a proof at the on-chain profile verifies there and is rejected at the default profile (check options)", async () => {
    const inst = rangeLookup(5);
    const pk = await setup(inst.air, ONCHAIN_OPTIONS);
    const { bytes } = await prove(pk, inst.traces, inst.publicInputs);
    verify(inst.air, pk.vkey, inst.publicInputs, bytes, ONCHAIN_OPTIONS);
    // The vkey depends on the blowup (preprocessed tables are committed on their LDE).
    const pkDefault = await setup(inst.air, DEFAULT_OPTIONS);
    expect(pkDefault.vkey).to.not.equal(pk.vkey);
    const err = expectRejected(() => verify(inst.air, pk.vkey, inst.publicInputs, bytes, DEFAULT_OPTIONS));
    expect(err.check).to.equal("options");
  });

  it("matches a proof's claimed options against the allow-list only (check options otherwise)", async () => {
    const inst = rangeLookup(5);
    const pk = await setup(inst.air, ONCHAIN_OPTIONS);
    const { bytes } = await prove(pk, inst.traces, inst.publicInputs);
    expect(profileOfProof(bytes).name).to.equal("onchain");
    expect(expectRejected(() => profileOfProof(bytes, [profileByName("default")])).check).to.equal("options");
    // One option byte changed (numQueries 14 -> 13): no profile, whatever the rest of the proof.
    const bad = bytes.slice();
    bad[7] = 13;
    expect(expectRejected(() => profileOfProof(bad)).check).to.equal("options");
    const t = await setup(inst.air, TEST_OPTIONS);
    const toy = await prove(t, inst.traces, inst.publicInputs);
    expect(expectRejected(() => profileOfProof(toy.bytes)).message).to.match(/none of the accepted profiles/);
  });

  it("refuses to prove a table taller than 2^18 rows at the on-chain profile", async () => {
    const inst = fibonacci(19);
    const pk = await setup(inst.air, ONCHAIN_OPTIONS);
    let err: unknown;
    try {
      await prove(pk, inst.traces, inst.publicInputs);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(ZkmipsError);
    expect((err as Error).message).to.match(/must be a power of two in \[4, 2\^18\] \(at blowup 2\^6\)/);
  });
});
