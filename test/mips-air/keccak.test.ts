/**
 * The keccak-f precompile in the AIR (Keccak + KeccakMem tables, the Syscall chip's keccakf row):
 * a run with two permutations of one state satisfies the AIR and proves; each soundness case
 * corrupts one thing (prover self-checks off) and the VERIFIER rejects, naming the failed check.
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { DEFAULT_OPTIONS, type ProofOptions } from "../../src/stark/options.ts";
import { prove, setup } from "../../src/stark/prover.ts";
import { verify } from "../../src/stark/verifier.ts";
import { StarkVerifyError } from "../../src/stark/errors.ts";
import { buildMachine, type MipsMachine } from "../../src/mips/air/machine.ts";
import { generateWitness, type MipsWitness } from "../../src/mips/air/witness.ts";
import { summaryFromTrace } from "../../src/mips/air/from-trace.ts";
import { programImage } from "../../src/mips/air/program.ts";
import { checkWitness } from "../../src/mips/air/check.ts";
import { decodeProofFile, mipsSetup, proveMips, verifyMips } from "../../src/mips/air/prove.ts";
import { execute } from "../../src/mips/index.ts";
import { keccakF } from "../../src/mips/keccakf.ts";
import { SYS_KECCAKF } from "../../src/mips/syscalls.ts";
import { P } from "../../src/field/koalabear.ts";
import { readFileSync } from "node:fs";
import { keccakP } from "@noble/hashes/sha3.js";
import { loadElf } from "../../src/mips/index.ts";
import { DATA, asm, li, program } from "../mips/asm.ts";

/** Grinding is proof-of-work only (no AIR property); 4 bits keep each proof short. */
const OPTIONS: ProofOptions = { ...DEFAULT_OPTIONS, grindingBits: 4 };

const keccakCall = [...li(4, DATA), ...li(2, SYS_KECCAKF), asm.syscall()];
/** keccakf(DATA) twice, then write(3, DATA, 8), exit_group(0). */
const CODE = [
  ...keccakCall,
  ...keccakCall,
  ...li(4, 3),
  ...li(5, DATA),
  ...li(6, 8),
  ...li(2, 4004),
  asm.syscall(),
  ...li(4, 0),
  ...li(2, 4246),
  asm.syscall(),
];
const STATE = new Uint32Array(randomBytes(200).buffer.slice(0));
const PROG = program(CODE, { data: new Uint8Array(STATE.buffer.slice(0)) });

let m: MipsMachine;
let w: MipsWitness;
let pk: Awaited<ReturnType<typeof setup>>;

type Traces = { main: Uint32Array[] }[];
const clone = (): Traces => w.traces.map((t) => ({ main: t.main.map((c) => c.slice()) }));
function cellOf(t: Traces, table: string, column: string, row: number) {
  const layout =
    table === "Keccak"
      ? m.keccak.layout
      : table === "KeccakMem"
        ? m.keccakMem.layout
        : m.chips.find((c) => c.name === table)!.layout;
  const col = t[m.tableIndex.get(table)!].main[layout.idx(column)];
  return { get: () => col[row], set: (v: number) => (col[row] = ((v % P) + P) % P) };
}

/** Row of the first keccakf call in the Syscall table. */
function keccakRow(): number {
  const chip = m.chips.find((c) => c.name === "Syscall")!;
  return w.traces[m.tableIndex.get("Syscall")!].main[chip.layout.idx("is_keccak")].indexOf(1);
}

async function rejects(t: Traces, checks = ["ood-constraints", "logup-balance"]): Promise<string> {
  // The corruption is real: the exact checker sees it too.
  expect(checkWitness(m.air, t, w.publicInputs, m.constraintNames)).to.not.equal(null);
  const { bytes } = await prove(pk, t, w.publicInputs, { selfCheck: false });
  try {
    verify(m.air, pk.vkey, w.publicInputs, bytes, OPTIONS);
  } catch (e) {
    expect(e).to.be.instanceOf(StarkVerifyError);
    expect(checks).to.include((e as StarkVerifyError).check);
    return (e as StarkVerifyError).check;
  }
  return expect.fail("the verifier accepted a corrupted witness");
}

async function mutate(
  table: string,
  column: string,
  row: number,
  f: (v: number) => number,
  checks?: string[],
) {
  const t = clone();
  const c = cellOf(t, table, column, row);
  const before = c.get();
  c.set(f(before));
  expect(c.get()).to.not.equal(before);
  return rejects(t, checks);
}

describe("MIPS AIR: keccak-f precompile", function () {
  this.timeout(600_000);
  before(async () => {
    const r = execute(PROG, { trace: true });
    m = buildMachine(programImage(PROG));
    // Keccak padded to 2^10 rows: room for an extra permutation block in one test.
    w = generateWitness(m, summaryFromTrace(r.trace!), { padTo: { Keccak: 10 } });
    pk = await setup(m.air, OPTIONS);
  });

  it("the executor's run satisfies the AIR: 576 Keccak rows, 50 KeccakMem rows, public values = keccak-f twice", () => {
    expect(checkWitness(m.air, w.traces, w.publicInputs, m.constraintNames)).to.equal(null);
    expect(w.rowsPerTable.get("Keccak")).to.equal(576);
    expect(w.rowsPerTable.get("KeccakMem")).to.equal(50);
    const s = STATE.slice();
    keccakF(s);
    keccakF(s);
    expect(Buffer.from(w.publicValues).equals(Buffer.from(s.buffer, 0, 8))).to.equal(true);
  });

  it("16 chained permutations of a random state satisfy the AIR and equal @noble/hashes keccakP (all 200 bytes)", () => {
    const state = new Uint32Array(randomBytes(200).buffer.slice(0));
    const code = [...Array.from({ length: 16 }, () => keccakCall).flat(), ...li(4, 3), ...li(5, DATA)];
    code.push(...li(6, 200), ...li(2, 4004), asm.syscall(), ...li(4, 0), ...li(2, 4246), asm.syscall());
    const prog = program(code, { data: new Uint8Array(state.buffer.slice(0)) });
    const mm = buildMachine(programImage(prog));
    const ww = generateWitness(mm, summaryFromTrace(execute(prog, { trace: true }).trace!));
    expect(ww.rowsPerTable.get("Keccak")).to.equal(16 * 288);
    expect(checkWitness(mm.air, ww.traces, ww.publicInputs, mm.constraintNames)).to.equal(null);
    for (let i = 0; i < 16; i++) keccakP(state, 24);
    expect(Buffer.from(ww.publicValues).equals(Buffer.from(state.buffer))).to.equal(true);
  });

  it("proves and verifies (control); the proof file says the AIR has the Keccak tables", async () => {
    const { bytes } = await prove(pk, w.traces, w.publicInputs, { selfCheck: false });
    verify(m.air, pk.vkey, w.publicInputs, bytes, OPTIONS);
    const prover = await mipsSetup(programImage(PROG), OPTIONS);
    expect(prover.pk.vkey).to.equal(pk.vkey);
    const proof = await proveMips(prover, summaryFromTrace(execute(PROG, { trace: true }).trace!));
    expect(decodeProofFile(proof.file).keccak).to.equal(true);
    const st = await verifyMips(proof.file, { vkey: pk.vkey }, OPTIONS);
    expect(Buffer.from(st.publicValues).equals(Buffer.from(w.publicValues))).to.equal(true);
  });

  it("a run without keccakf calls is proven without the Keccak tables, with the same vkey", async () => {
    const plain = program([...li(4, 7), ...li(2, 4246), asm.syscall()]);
    const prover = await mipsSetup(programImage(plain), OPTIONS);
    const lean = await setup(buildMachine(programImage(plain), undefined, { keccak: false }).air, OPTIONS);
    expect(lean.vkey).to.equal(prover.pk.vkey);
    const proof = await proveMips(prover, summaryFromTrace(execute(plain, { trace: true }).trace!));
    expect(decodeProofFile(proof.file).keccak).to.equal(false);
    expect(proof.stats.logHeights).to.not.have.property("Keccak");
    expect((await verifyMips(proof.file, { vkey: prover.pk.vkey }, OPTIONS)).exitCode).to.equal(7);
    expect((await verifyMips(proof.file, { program: programImage(plain) }, OPTIONS)).exitCode).to.equal(7);
  });

  it("the AIR without the Keccak tables cannot prove a keccakf call (its KECCAK token has no receiver)", async () => {
    const lean = buildMachine(programImage(PROG), undefined, { keccak: false });
    expect(() => generateWitness(lean, summaryFromTrace(execute(PROG, { trace: true }).trace!))).to.throw(
      /keccakf call .* no Keccak tables/,
    );
    // The same witness without the two tables: the verifier of the lean AIR rejects it.
    const n = lean.air.tables.length;
    const lpk = await setup(lean.air, OPTIONS);
    const { bytes } = await prove(lpk, w.traces.slice(0, n), w.publicInputs, { selfCheck: false });
    expect(() => verify(lean.air, lpk.vkey, w.publicInputs, bytes, OPTIONS))
      .to.throw(StarkVerifyError)
      .with.property("check", "logup-balance");
  });

  // Row of step `s` of round `r` in permutation `p` (288-row blocks, 12 rows per round).
  const at = (r: number, s: number, p = 0): number => 288 * p + 12 * r + s;

  it("rejects a T-row lane bit flipped together with its parity bit (only the lane bus sees it)", async () => {
    const t = clone();
    // Step 6 (sheet 0 again) only supplies C[0] to step 5's theta: no constraint carries its c.
    const row = at(5, 6);
    for (const c of ["l2_17", "c17"]) cellOf(t, "Keccak", c, row).set(1 - cellOf(t, "Keccak", c, row).get());
    expect(await rejects(t)).to.equal("logup-balance");
  });
  it("rejects a flipped lane bit on a P row (chi input unlike the theta output sent)", async () => {
    expect(await mutate("Keccak", "l3_40", at(7, 9), (v) => 1 - v)).to.equal("logup-balance");
  });
  it("rejects a flipped column-parity bit (c, T row)", async () => {
    expect(await mutate("Keccak", "c22", at(0, 2), (v) => 1 - v)).to.equal("ood-constraints");
  });
  it("rejects a flipped parity bit on a duplicate sheet row (c on step 6 supplies C[0])", async () => {
    expect(await mutate("Keccak", "c5", at(11, 6), (v) => 1 - v)).to.equal("ood-constraints");
  });
  it("rejects a carried parity bit unlike the previous row's (cm)", async () => {
    expect(await mutate("Keccak", "cm9", at(4, 2), (v) => 1 - v)).to.equal("ood-constraints");
  });
  it("rejects a wrong round constant (iota bit of lane (0, 0) kept in c0)", async () => {
    expect(await mutate("Keccak", "c0", at(3, 7), (v) => 1 - v)).to.equal("ood-constraints");
  });
  it("rejects a chi output bit of lane 0 at an iota position on a plane other than 0 (c31)", async () => {
    expect(await mutate("Keccak", "c31", at(8, 10), (v) => 1 - v)).to.equal("ood-constraints");
  });
  it("rejects a step flag cleared (s3 = 0 on a step-3 row)", async () => {
    expect(await mutate("Keccak", "s3", at(6, 3), () => 0)).to.equal("ood-constraints");
  });
  it("rejects a round flag moved (round 6 marked as round 7 on one row)", async () => {
    const t = clone();
    cellOf(t, "Keccak", "r6", at(6, 4)).set(0);
    cellOf(t, "Keccak", "r7", at(6, 4)).set(1);
    expect(await rejects(t)).to.equal("ood-constraints");
  });
  it("rejects a permutation that starts at round 1 (round flags shifted by one round)", async () => {
    const t = clone();
    for (let row = 0; row < 288; row++) {
      const r = Math.floor(row / 12);
      cellOf(t, "Keccak", `r${r}`, row).set(0);
      if (r < 23) cellOf(t, "Keccak", `r${r + 1}`, row).set(1);
    }
    await rejects(t);
  });
  it("rejects a step flag on a padding row (s0 after the last permutation)", async () => {
    expect(await mutate("Keccak", "s0", 700, () => 1)).to.equal("ood-constraints");
  });
  it("rejects a timestamp changed inside a block (ts on one row)", async () => {
    expect(await mutate("Keccak", "ts", at(9, 5), (v) => v + 1)).to.equal("ood-constraints");
  });
  it("rejects the state pointer changed inside a block (key0 on one row)", async () => {
    expect(await mutate("Keccak", "key0", at(0, 1, 1), (v) => v + 2)).to.equal("ood-constraints");
  });
  it("rejects a second block whose key0 is shifted throughout (no syscall sends it)", async () => {
    const t = clone();
    for (let row = 288; row < 576; row++)
      cellOf(t, "Keccak", "key0", row).set(cellOf(t, "Keccak", "key0", row).get() + 2);
    expect(await rejects(t)).to.equal("logup-balance");
  });
  it("rejects a state word read that is not guest memory (KeccakMem input byte: a round-0 lane limb)", async () => {
    expect(await mutate("KeccakMem", "L_p0", 3, (v) => v ^ 1)).to.equal("logup-balance");
  });
  it("rejects a written word that is not the permutation's output (KeccakMem output byte: a round-24 limb)", async () => {
    expect(await mutate("KeccakMem", "H_v2", 7, (v) => v ^ 1)).to.equal("logup-balance");
  });
  it("rejects a KeccakMem lane index + 1 (a lane at the next lane's address)", async () => {
    expect(await mutate("KeccakMem", "lane", 4, (v) => v + 1)).to.equal("logup-balance");
  });
  it("rejects a KeccakMem duplicate flag flipped (sheet-0/4 lanes are consumed twice)", async () => {
    expect(await mutate("KeccakMem", "dup", 5, (v) => 1 - v)).to.equal("logup-balance");
  });
  it("rejects a lane at a wrong address (KeccakMem key0 + 2)", async () => {
    expect(await mutate("KeccakMem", "key0", 4, (v) => v + 2)).to.equal("logup-balance");
  });
  it("rejects a lane access at a wrong timestamp (KeccakMem ts - 1)", async () => {
    await mutate("KeccakMem", "ts", 30, (v) => v - 1);
  });
  it("rejects a wrong previous timestamp of a state word (KeccakMem L_pts)", async () => {
    await mutate("KeccakMem", "L_pts", 27, (v) => v + 1);
  });
  it("rejects a keccakf syscall with no Keccak rows (second permutation removed)", async () => {
    const t = clone();
    const ti = m.tableIndex.get("Keccak")!;
    for (const c of t[ti].main) c.fill(0, 288, 576);
    expect(await rejects(t)).to.equal("logup-balance");
  });
  it("rejects a Keccak permutation with no syscall (first permutation repeated in the padding)", async () => {
    const t = clone();
    const ti = m.tableIndex.get("Keccak")!;
    for (const c of t[ti].main) c.copyWithin(576, 0, 288);
    expect(await rejects(t)).to.equal("logup-balance");
  });
  it("rejects a KeccakMem row with no Keccak lane (is_real on a padding row)", async () => {
    await mutate("KeccakMem", "is_real", 60, () => 1);
  });
  it("rejects a keccakf syscall whose v0 result is not 0", async () => {
    const row =
      w.traces[m.tableIndex.get("Syscall")!].main[
        m.chips.find((c) => c.name === "Syscall")!.layout.idx("is_keccak")
      ].indexOf(1);
    await mutate("Syscall", "V_v0", row, (v) => v + 1);
  });

  it("rejects a keccakf row whose a3 result is not 0", async () => {
    await mutate("Syscall", "F_v0", keccakRow(), () => 1);
  });
  it("rejects a keccakf row whose state key is not a0 >> 2 (qa + 1)", async () => {
    await mutate("Syscall", "qa", keccakRow(), (v) => v + 1);
  });
  it("rejects a keccakf row with a flipped carry of a0 + 196 (the end-address check)", async () => {
    await mutate("Syscall", "gc0", keccakRow(), (v) => 1 - v);
  });
  it("the keccakf guest (gcc, clang): public values = n keccakP of the zero state, and the run satisfies the AIR", () => {
    const n = 3;
    const ref = new Uint32Array(50);
    for (let i = 0; i < n; i++) keccakP(ref, 24);
    for (const elf of ["guests/keccakf/keccakf.elf", "guests/keccakf/keccakf.clang.elf"]) {
      const prog = loadElf(readFileSync(elf));
      const r = execute(prog, { trace: true, input: Uint8Array.of(n, 0, 0, 0) });
      expect(Buffer.from(r.publicValues.subarray(4)).equals(Buffer.from(ref.buffer, 0, 8))).to.equal(true);
      const mm = buildMachine(programImage(prog));
      const ww = generateWitness(mm, summaryFromTrace(r.trace!));
      expect(ww.rowsPerTable.get("Keccak")).to.equal(288 * n);
      expect(checkWitness(mm.air, ww.traces, ww.publicInputs, mm.constraintNames)).to.equal(null);
    }
  });
});
