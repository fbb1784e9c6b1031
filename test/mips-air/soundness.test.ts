/**
 * Soundness: each test corrupts exactly one thing in a valid witness (prover self-checks off) or
 * in the statement/proof, and asserts that the VERIFIER rejects, naming the failed check.
 * Program: stores and loads a word, branches on $zero, compares, shifts, adds, writes 4 public
 * bytes to fd 3 and exits with status 5.
 */
import { expect } from "chai";
import { DEFAULT_OPTIONS, type ProofOptions } from "../../src/stark/options.ts";
import { prove, setup } from "../../src/stark/prover.ts";
import { verify } from "../../src/stark/verifier.ts";
import { StarkVerifyError } from "../../src/stark/errors.ts";
import { buildMachine, type MipsMachine } from "../../src/mips/air/machine.ts";
import { generateWitness, type MipsWitness } from "../../src/mips/air/witness.ts";
import { publicInputs } from "../../src/mips/air/tables.ts";
import { checkWitness } from "../../src/mips/air/check.ts";
import { encodeProofFile, verifyMips } from "../../src/mips/air/prove.ts";
import { P } from "../../src/field/koalabear.ts";
import { asm, image, exitSeq, DATA_BASE } from "./asm.ts";

/** Grinding is proof-of-work only (no AIR property); 4 bits keep each proof ~1 s. */
const OPTIONS: ProofOptions = { ...DEFAULT_OPTIONS, grindingBits: 4 };

const CODE = [
  ...asm.li(8, DATA_BASE),
  ...asm.li(9, 0x64636261),
  asm.sw(9, 0, 8),
  asm.lw(10, 0, 8),
  asm.beq(0, 10, 1), // not taken: $zero against a nonzero register
  asm.nop(),
  asm.sltu(11, 9, 10),
  asm.sll(12, 9, 3),
  asm.addu(13, 9, 9),
  asm.addiu(4, 0, 3),
  asm.addu(5, 8, 0),
  asm.addiu(6, 0, 4),
  asm.addiu(2, 0, 4004),
  asm.syscall(), // write(3, DATA_BASE, 4)
  ...exitSeq(5),
];

let m: MipsMachine;
let w: MipsWitness;
let vkey: bigint;
let pk: Awaited<ReturnType<typeof setup>>;

function clone(): { main: Uint32Array[] }[] {
  return w.traces.map((t) => ({ main: t.main.map((c) => c.slice()) }));
}
function cell(
  traces: { main: Uint32Array[] }[],
  table: string,
  column: string,
  row: number,
): { get: () => number; set: (v: number) => void } {
  const ti = m.tableIndex.get(table)!;
  const chip = m.chips.find((c) => c.name === table);
  const layout = chip?.layout ?? (table === "Io" ? m.io.layout : undefined);
  const ci = layout ? layout.idx(column) : Number(column);
  return { get: () => traces[ti].main[ci][row], set: (v) => (traces[ti].main[ci][row] = ((v % P) + P) % P) };
}
/** First row of `table` whose column `col` equals `v`. */
function rowWhere(table: string, col: string, v: number): number {
  const ti = m.tableIndex.get(table)!;
  const chip = m.chips.find((c) => c.name === table)!;
  const r = w.traces[ti].main[chip.layout.idx(col)].indexOf(v);
  expect(r, `${table}.${col} = ${v}`).to.be.at.least(0);
  return r;
}

async function rejects(traces: { main: Uint32Array[] }[], pubs: number[], checks: string[]): Promise<void> {
  const { bytes } = await prove(pk, traces, pubs, { selfCheck: false });
  try {
    verify(m.air, vkey, pubs, bytes, OPTIONS);
  } catch (e) {
    expect(e).to.be.instanceOf(StarkVerifyError);
    expect(checks).to.include((e as StarkVerifyError).check);
    return;
  }
  expect.fail("the verifier accepted a corrupted witness");
}

async function mutate(
  table: string,
  column: string,
  row: number,
  f: (v: number) => number,
  checks = ["ood-constraints", "logup-balance"],
): Promise<void> {
  const t = clone();
  const c = cell(t, table, column, row);
  const before = c.get();
  c.set(f(before));
  expect(c.get()).to.not.equal(before);
  // The corruption is real: the exact checker sees it too.
  expect(checkWitness(m.air, t, w.publicInputs, m.constraintNames)).to.not.equal(null);
  await rejects(t, w.publicInputs, checks);
}

describe("MIPS AIR soundness (one corruption, verifier rejects)", function () {
  this.timeout(600_000);
  before(async () => {
    m = buildMachine(image(CODE));
    w = generateWitness(m, {
      syscalls: [],
      input: new Uint8Array(),
      hints: new Uint8Array(),
      exitCode: 5,
      publicValues: new Uint8Array(),
    });
    expect(checkWitness(m.air, w.traces, w.publicInputs, m.constraintNames)).to.equal(null);
    pk = await setup(m.air, OPTIONS);
    vkey = pk.vkey;
  });

  it("accepts the valid witness (control)", async () => {
    const { bytes } = await prove(pk, w.traces, w.publicInputs, { selfCheck: false });
    verify(m.air, vkey, w.publicInputs, bytes, OPTIONS);
    expect(Buffer.from(w.publicValues).toString()).to.equal("abcd");
    expect(w.exitCode).to.equal(5);
  });

  it("rejects a $zero operand forged to a nonzero value (branch on $zero)", async () => {
    const r = rowWhere("Branch", "is_beq", 1);
    await mutate("Branch", "A_v0", r, (v) => v + 0x61);
  });
  it("rejects is_real = 2 (a replayed row)", async () => {
    await mutate("AddSub", "is_real", rowWhere("AddSub", "is_real", 1), () => 2);
  });
  it("rejects a non-boolean op selector", async () => {
    await mutate("Bitwise", "is_or", rowWhere("Bitwise", "is_or", 1), () => 2);
  });
  it("rejects a padding row that issues lookups (is_real = 1 on padding)", async () => {
    const ti = m.tableIndex.get("Jump")!;
    expect(w.traces[ti].main[0][0]).to.equal(0);
    await mutate("Jump", "is_real", 0, () => 1);
  });
  it("rejects a first row whose pc is not the entry point", async () => {
    await mutate("Bitwise", "pc", rowWhere("Bitwise", "clk", 1), (v) => v + 4);
  });
  it("rejects a first row whose clk is not 1", async () => {
    await mutate("Bitwise", "clk", rowWhere("Bitwise", "clk", 1), () => 0);
  });
  it("rejects a changed next pc after a syscall", async () => {
    await mutate("Syscall", "npc", rowWhere("Syscall", "is_write_pv", 1), (v) => v + 4);
  });
  it("rejects a load/store address in the register page (below 0x1000)", async () => {
    // e3 := 0 and the carry-free sum still demands 0x10: the range and sum checks fail.
    await mutate("Mem", "e3", rowWhere("Mem", "is_sw", 1), () => 0);
  });
  it("rejects an address byte above 0x7E (address >= 0x7F000000)", async () => {
    await mutate("Mem", "e3", rowWhere("Mem", "is_lw", 1), () => 0x80);
  });
  it("rejects an address overflow carry", async () => {
    await mutate("Mem", "c3", rowWhere("Mem", "is_lw", 1), () => 1);
  });
  it("rejects a loaded value that differs from memory", async () => {
    await mutate("Mem", "D_v0", rowWhere("Mem", "is_lw", 1), (v) => v ^ 1);
  });
  it("rejects a stale timestamp (prevTs after ts)", async () => {
    await mutate("AddSub", "A_pts", rowWhere("AddSub", "is_real", 1), (v) => v + 100);
  });
  it("rejects a wrong comparison result", async () => {
    await mutate("Lt", "D_v0", rowWhere("Lt", "is_sltu", 1), (v) => 1 - v);
  });
  it("rejects a wrong shift result byte", async () => {
    await mutate("Shift", "R1", rowWhere("Shift", "is_sll", 1), (v) => v + 1);
  });
  it("rejects a wrong addition carry", async () => {
    await mutate("AddSub", "carry0", rowWhere("AddSub", "is_add", 1), (v) => 1 - v);
  });
  it("rejects an address initialised twice (duplicate key in MemFinal)", async () => {
    const t = clone();
    const ti = m.tableIndex.get("MemFinal")!;
    t[ti].main[0][1] = t[ti].main[0][0]; // key column 0: row 1 := row 0's key
    await rejects(t, w.publicInputs, ["ood-constraints", "logup-balance"]);
  });
  it("rejects a public-values byte taken from elsewhere than memory", async () => {
    const ti = m.tableIndex.get("Io")!;
    const t = clone();
    t[ti].main[m.io.layout.idx("val")][0] ^= 1;
    await rejects(t, w.publicInputs, ["ood-constraints", "logup-balance"]);
  });
  it("rejects a byte-table multiplicity off by one", async () => {
    const t = clone();
    const ti = m.tableIndex.get("Byte")!;
    t[ti].main[0][0] += 1;
    await rejects(t, w.publicInputs, ["logup-balance"]);
  });

  describe("wrong executions (what the executor would stop with a trap)", () => {
    const wrongRun = async (code: number[]): Promise<void> => {
      const mm = buildMachine(image(code));
      const ww = generateWitness(mm, {
        syscalls: [],
        input: new Uint8Array(),
        hints: new Uint8Array(),
        exitCode: 0,
        publicValues: new Uint8Array(),
      });
      expect(checkWitness(mm.air, ww.traces, ww.publicInputs, mm.constraintNames)).to.not.equal(null);
      const pkW = await setup(mm.air, OPTIONS);
      const { bytes } = await prove(pkW, ww.traces, ww.publicInputs, { selfCheck: false });
      expect(() => verify(mm.air, pkW.vkey, ww.publicInputs, bytes, OPTIONS))
        .to.throw(StarkVerifyError)
        .with.property("check", "ood-constraints");
    };
    it("rejects an add that overflows (0x7fffffff + 1)", async () => {
      await wrongRun([...asm.li(8, 0x7fffffff), asm.addiu(9, 0, 1), asm.add(10, 8, 9), ...exitSeq(0)]);
    });
    it("rejects a teq whose operands are equal (a taken trap)", async () => {
      await wrongRun([asm.addiu(8, 0, 3), asm.addiu(9, 0, 3), asm.teq(8, 9), ...exitSeq(0)]);
    });
  });

  describe("statement", () => {
    let file: Uint8Array;
    before(async () => {
      const { bytes } = await prove(pk, w.traces, w.publicInputs, { selfCheck: false });
      file = encodeProofFile(
        Math.log2(m.programHeight),
        w.exitCode,
        w.publicValues,
        bytes,
        m.hasKeccak,
        m.hasSysMisc,
      );
      expect((await verifyMips(file, { vkey }, OPTIONS)).exitCode).to.equal(5);
    });
    // Public inputs enter the transcript, so every later challenge changes too: the first
    // check to fail is the OOD evaluation (or the LogUp balance).
    it("rejects changed public values", async () => {
      const f2 = file.slice();
      f2[12 + 2] ^= 1; // header (8 magic + 1 height + 1 exit + 2 length), byte 2 of the values
      await expectReject(f2, { vkey }, ["ood-constraints", "logup-balance"]);
    });
    it("rejects a changed exit code", async () => {
      const f2 = file.slice();
      f2[9] = 0;
      await expectReject(f2, { vkey }, ["ood-constraints", "logup-balance"]);
    });
    it("rejects truncated public values (length 3 instead of 4)", async () => {
      const pubs = publicInputs(5, w.publicValues.subarray(0, 3));
      const { bytes } = await prove(pk, w.traces, w.publicInputs, { selfCheck: false });
      expect(() => verify(m.air, vkey, pubs, bytes, OPTIONS)).to.throw(StarkVerifyError);
    });
    it("rejects the proof under another program's vkey", async () => {
      const other = buildMachine(image([...CODE.slice(0, -3), ...exitSeq(6)]));
      const pkB = await setup(other.air, OPTIONS);
      expect(pkB.vkey).to.not.equal(vkey);
      await expectReject(file, { vkey: pkB.vkey }, ["ood-constraints", "logup-balance", "merkle-pre"]);
    });
    it("rejects random byte flips anywhere in the proof file", async () => {
      let seed = 12345;
      const rnd = (n: number) => {
        seed = (seed * 1103515245 + 12345) >>> 0;
        return seed % n;
      };
      for (let k = 0; k < 12; k++) {
        const f2 = file.slice();
        const pos = k < 4 ? k * 3 + 8 : rnd(f2.length);
        f2[pos] ^= 1 << rnd(8);
        let ok = false;
        try {
          await verifyMips(f2, { vkey }, OPTIONS);
          ok = true;
        } catch (e) {
          expect((e as Error).name).to.be.oneOf(["StarkVerifyError", "ZkmipsError"]);
        }
        expect(ok, `flip at byte ${pos} accepted`).to.equal(false);
      }
    });
  });
});

async function expectReject(file: Uint8Array, against: { vkey: bigint }, checks: string[]): Promise<void> {
  try {
    await verifyMips(file, against, OPTIONS);
  } catch (e) {
    expect(e).to.be.instanceOf(StarkVerifyError);
    expect(checks).to.include((e as StarkVerifyError).check);
    return;
  }
  expect.fail("accepted");
}
