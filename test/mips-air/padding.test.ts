/**
 * Padding to fixed table heights (`padTo`, what shapes use) and PV_MAX = 384.
 * Padded proofs verify with exactly the requested heights; padding rows are zero rows, and a
 * padding-region row that issues lookups is rejected by the verifier (prover self-checks off).
 */
import { expect } from "chai";
import { ZkmipsError } from "../../src/errors.ts";
import { DEFAULT_OPTIONS, type ProofOptions } from "../../src/stark/options.ts";
import { prove } from "../../src/stark/prover.ts";
import { verify } from "../../src/stark/verifier.ts";
import { StarkVerifyError } from "../../src/stark/errors.ts";
import { decodeProof } from "../../src/stark/proof.ts";
import { generateWitness, type MipsWitness } from "../../src/mips/air/witness.ts";
import { buildMachine } from "../../src/mips/air/machine.ts";
import { memFinalLayout, PV_MAX } from "../../src/mips/air/tables.ts";
import { checkWitness } from "../../src/mips/air/check.ts";
import {
  type MipsProver,
  decodeProofFile,
  encodeProofFile,
  mipsSetup,
  proveMips,
  verifyMips,
} from "../../src/mips/air/prove.ts";
import { inv as finv } from "../../src/field/koalabear.ts";
import { asm, image, exitSeq, DATA_BASE } from "./asm.ts";

/** Grinding is proof-of-work only (no AIR property); 4 bits keep each proof ~1 s. */
const OPTIONS: ProofOptions = { ...DEFAULT_OPTIONS, grindingBits: 4 };

/** write(3, DATA_BASE + o, c) for consecutive chunks c of n bytes, then exit_group(0); byte j = j + 1. */
function writer(n: number, chunks: readonly number[] = [n]) {
  const code: number[] = [];
  let o = 0;
  for (const c of chunks) {
    code.push(...asm.li(5, DATA_BASE + o), asm.addiu(4, 0, 3), asm.addiu(6, 0, c), asm.addiu(2, 0, 4004));
    code.push(asm.syscall());
    o += c;
  }
  code.push(...exitSeq(0));
  const data = Array.from({ length: Math.ceil(n / 4) }, (_, i) =>
    [0, 1, 2, 3].reduce((w, k) => w | (((4 * i + k + 1) & 255) << (8 * k)), 0),
  );
  return image(code, data);
}
const summary = (pv: Uint8Array) => ({
  syscalls: [],
  input: new Uint8Array(),
  hints: new Uint8Array(),
  exitCode: 0,
  publicValues: pv,
});
const expectedPv = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i + 1) & 255);

const PAD = { MemFinal: 7, Io: 5, AddSub: 6, Bitwise: 5, Lt: 4, Jump: 3, Div: 5 };

describe("MIPS AIR padding to fixed heights (padTo) and PV_MAX", function () {
  this.timeout(600_000);
  let prover: MipsProver;

  before(async () => {
    prover = await mipsSetup(writer(8), OPTIONS);
  });

  it("proves a padded run whose proof has exactly the requested heights, and it verifies", async () => {
    const proof = await proveMips(prover, summary(expectedPv(8)), { padTo: PAD });
    const d = decodeProofFile(proof.file);
    // No keccak-f call, no SysMisc syscall: the proof uses the AIR without those tables.
    expect(d.keccak).to.equal(false);
    expect(d.sysmisc).to.equal(false);
    const m = prover.machine;
    const air = buildMachine(m.program, m.programHeight, d).air;
    const { proof: stark } = decodeProof(air, OPTIONS, d.stark);
    air.tables.forEach((t, i) => {
      const want = (PAD as Record<string, number>)[t.name] ?? proof.stats.naturalLogHeights[t.name];
      expect(stark.logHeights[i], t.name).to.equal(want);
    });
    expect(proof.stats.naturalLogHeights.AddSub).to.be.below(PAD.AddSub);
    const st = await verifyMips(proof.file, { vkey: prover.pk.vkey }, OPTIONS);
    expect(Buffer.from(st.publicValues)).to.deep.equal(Buffer.from(expectedPv(8)));
  });

  it("calls a padTo function with the natural heights (shape choice)", async () => {
    let seen: Readonly<Record<string, number>> | undefined;
    const w = generateWitness(prover.machine, summary(expectedPv(8)), {
      padTo: (natural) => ((seen = natural), { AddSub: natural.AddSub + 1 }),
    });
    expect(seen).to.deep.equal(w.naturalLogHeights);
    const ti = prover.machine.tableIndex.get("AddSub")!;
    expect(w.traces[ti].main[0].length).to.equal(2 << w.naturalLogHeights.AddSub);
  });

  it("refuses a height below a table's rows, naming the table", () => {
    expect(() => generateWitness(prover.machine, summary(expectedPv(8)), { padTo: { Io: 2 } })).to.throw(
      ZkmipsError,
      /table Io has 8 rows, more than the 2\^2/,
    );
  });

  it("refuses to pad the Program and Byte tables (their heights are part of the vkey)", () => {
    const g = (padTo: Record<string, number>) => () =>
      generateWitness(prover.machine, summary(expectedPv(8)), { padTo });
    expect(g({ Program: Math.log2(prover.machine.programHeight) + 1 })).to.throw(ZkmipsError, /Program/);
    expect(g({ Byte: 9 })).to.throw(ZkmipsError, /Byte/);
    expect(g({ AddSub: 21 })).to.throw(ZkmipsError, /2\.\.20/);
  });

  describe("padding rows cannot be abused (verifier rejects)", () => {
    let w: MipsWitness;
    before(() => {
      w = generateWitness(prover.machine, summary(expectedPv(8)), { padTo: PAD });
      const m = prover.machine;
      expect(checkWitness(m.air, w.traces, w.publicInputs, m.constraintNames)).to.equal(null);
    });
    async function rejects(table: string, set: (cols: Uint32Array[], row: number) => void): Promise<void> {
      const m = prover.machine;
      const ti = m.tableIndex.get(table)!;
      const traces = w.traces.map((t) => ({ main: t.main.map((c) => c.slice()) }));
      // A row past the natural power-of-two height: only padding exists there.
      const row = (1 << w.naturalLogHeights[table]) + 3;
      expect(row).to.be.below(traces[ti].main[0].length);
      expect(traces[ti].main.every((c) => c[row] === 0)).to.equal(true);
      set(traces[ti].main, row);
      expect(checkWitness(m.air, traces, w.publicInputs, m.constraintNames)).to.not.equal(null);
      const { bytes } = await prove(prover.pk, traces, w.publicInputs, { selfCheck: false });
      try {
        verify(m.air, prover.pk.vkey, w.publicInputs, bytes, OPTIONS);
      } catch (e) {
        expect(e).to.be.instanceOf(StarkVerifyError);
        expect(["ood-constraints", "logup-balance"]).to.include((e as StarkVerifyError).check);
        return;
      }
      expect.fail("the verifier accepted a padding row that issues lookups");
    }
    it("rejects an instruction row in AddSub's padding region (is_real = 1, add selected)", async () => {
      const L = prover.machine.chips.find((c) => c.name === "AddSub")!.layout;
      await rejects("AddSub", (cols, r) => {
        cols[L.idx("is_real")][r] = 1;
        cols[L.idx("is_add")][r] = 1;
      });
    });
    it("rejects a MemFinal padding row that consumes a memory token (is_real = 1)", async () => {
      const L = memFinalLayout();
      await rejects("MemFinal", (cols, r) => {
        cols[L.idx("is_real")][r] = 1;
        cols[L.idx("key")][r] = 0x4000000;
      });
    });
    it("rejects a MemFinal padding row that produces a zero initial token (zero_init = 1)", async () => {
      const L = memFinalLayout();
      await rejects("MemFinal", (cols, r) => {
        cols[L.idx("zero_init")][r] = 1;
        cols[L.idx("key")][r] = 0x4000000;
        cols[L.idx("ts")][r] = 5;
        cols[L.idx("ts_inv")][r] = finv(5);
      });
    });
  });

  describe(`PV_MAX = ${PV_MAX}`, () => {
    it("is 384 (the storage-proof guest's public values)", () => {
      expect(PV_MAX).to.equal(384);
    });
    it("proves and verifies a run that writes exactly PV_MAX public bytes", async () => {
      const p = await mipsSetup(writer(PV_MAX), OPTIONS);
      const proof = await proveMips(p, summary(expectedPv(PV_MAX)));
      const st = await verifyMips(proof.file, { vkey: p.pk.vkey }, OPTIONS);
      expect(st.publicValues.length).to.equal(PV_MAX);
      expect(Buffer.from(st.publicValues)).to.deep.equal(Buffer.from(expectedPv(PV_MAX)));
    });
    it("proves two writes whose cursor crosses index 255 (200 + 184 bytes)", async () => {
      const p = await mipsSetup(writer(PV_MAX, [200, 184]), OPTIONS);
      const proof = await proveMips(p, summary(expectedPv(PV_MAX)));
      const st = await verifyMips(proof.file, { vkey: p.pk.vkey }, OPTIONS);
      expect(Buffer.from(st.publicValues)).to.deep.equal(Buffer.from(expectedPv(PV_MAX)));
    });
    it("rejects a public-values cursor that skips ahead past 255 (second write starts at 201)", async () => {
      const p = await mipsSetup(writer(PV_MAX, [200, 184]), OPTIONS);
      const w = generateWitness(p.machine, summary(expectedPv(PV_MAX)));
      const m = p.machine;
      const L = m.chips.find((c) => c.name === "Syscall")!.layout;
      const sys = w.traces[m.tableIndex.get("Syscall")!].main;
      const row = sys[L.idx("K_v0")].indexOf(200); // the first write's new cursor
      expect(row).to.be.at.least(0);
      sys[L.idx("K_v0")][row] = 201;
      expect(checkWitness(m.air, w.traces, w.publicInputs, m.constraintNames)).to.not.equal(null);
      const { bytes } = await prove(p.pk, w.traces, w.publicInputs, { selfCheck: false });
      expect(() => verify(m.air, p.pk.vkey, w.publicInputs, bytes, OPTIONS))
        .to.throw(StarkVerifyError)
        .with.property("check")
        .that.is.oneOf(["ood-constraints", "logup-balance"]);
    });
    it("refuses to prove a run that writes PV_MAX + 1 public bytes", async () => {
      const p = await mipsSetup(writer(PV_MAX + 1), OPTIONS);
      expect(() => generateWitness(p.machine, summary(expectedPv(PV_MAX + 1)))).to.throw(
        ZkmipsError,
        /385 public-values bytes, more than PV_MAX = 384/,
      );
    });
    it("rejects a proof file that claims PV_MAX + 1 public bytes", () => {
      const f = encodeProofFile(9, 0, new Uint8Array(4), new Uint8Array(8));
      f[10] = (PV_MAX + 1) & 255;
      f[11] = (PV_MAX + 1) >> 8;
      expect(() => decodeProofFile(f)).to.throw(ZkmipsError, /public values length 385 > 384/);
    });
  });
});
