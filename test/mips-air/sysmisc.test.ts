/**
 * The SysMisc chip (src/mips/air/chips/sysmisc.ts): a program making every syscall case it proves
 * runs in the executor, and the executor's trace satisfies the AIR (results cross-checked); each
 * soundness case corrupts one cell of that witness (prover self-checks off) and the VERIFIER rejects,
 * naming the failed check. The Go guest's trace satisfies the AIR (witness level; its proof is in
 * sysmisc.full.test.ts).
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
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
import { execute, loadElf } from "../../src/mips/index.ts";
import { STACK_BOTTOM } from "../../src/mips/layout.ts";
import { P } from "../../src/field/koalabear.ts";
import { SYSMISC_CASES } from "../../src/mips/air/chips/sysmisc.ts";
import { ZkmipsError } from "../../src/errors.ts";
import { DATA, asm, li, program } from "../mips/asm.ts";

/** Grinding is proof-of-work only (no AIR property); 4 bits keep each proof short. */
const OPTIONS: ProofOptions = { ...DEFAULT_OPTIONS, grindingBits: 4 };

const V0 = 2;
const A0 = 4;
const SP = 29;
const S0 = 16;
/** syscall(num, a0..a3). */
function sys(num: number, ...args: number[]): number[] {
  const out: number[] = [];
  args.forEach((a, i) => out.push(...li(A0 + i, a)));
  out.push(...li(V0, num), asm.syscall());
  return out;
}

const FUTEX = DATA + 160;
const CODE = [
  ...sys(4120, 0x50f00, 0, 0, 0), // clone → 1
  ...sys(4020), // getpid → 1
  ...sys(4222), // gettid → 1
  ...sys(4162), // sched_yield
  ...sys(4091, 0x1000, 0x1000), // munmap
  ...sys(4266, 1, 1, 23), // tgkill
  ...sys(4005, DATA, 0, 0), // open → ENOENT
  ...sys(4298, 0, DATA, DATA, 16), // readlinkat → ENOENT
  ...sys(4006, 3), // close(3)
  ...sys(4055, 0, 1), // fcntl F_GETFD
  ...sys(4220, 4, 3), // fcntl64 F_GETFL fd 4 → O_RDONLY
  ...sys(4220, 2, 3), // fcntl64 F_GETFL fd 2 → O_WRONLY
  ...sys(4195, 3, 0, 0, 16), // rt_sigprocmask, no old set
  ...sys(4195, 3, 0, DATA, 16), // old set: 16 zero bytes
  ...sys(4206, 0, 0), // sigaltstack, no old
  ...sys(4206, 0, DATA + 32), // old stack: disabled
  ...sys(4194, 2, 0, 0, 16), // rt_sigaction, no old
  ...sys(4194, 2, DATA, DATA + 64, 16), // old action: SIG_DFL
  ...sys(4240, 0, 0x2000, DATA + 96), // sched_getaffinity → 4
  ...sys(4263, 1, DATA + 104), // clock_gettime MONOTONIC
  ...sys(4263, 0, DATA + 112), // clock_gettime REALTIME
  ...sys(4338, 0, 5, 0, 0), // prlimit64, no old
  ...sys(4338, 0, 5, 0, DATA + 128), // old limits: unlimited
  ...li(1, 7),
  ...li(8, FUTEX),
  asm.sw(1, 0, 8),
  ...sys(4238, FUTEX, 0x81, 1), // futex WAKE (private)
  ...sys(4238, FUTEX, 0x80, 7), // futex WAIT, *uaddr == val → 0
  ...sys(4238, FUTEX, 0, 8), // futex WAIT, *uaddr != val → EAGAIN
  ...sys(4218, DATA, 4096, 0), // madvise MADV_NORMAL
  ...sys(4283, 0x12345678), // set_thread_area
  // nanosleep({1 s, 999999500 ns}): the clock's nanoseconds carry into its seconds
  ...li(1, 1),
  ...li(8, DATA + 200),
  asm.sw(1, 0, 8),
  ...li(1, 999_999_500),
  asm.sw(1, 4, 8),
  ...sys(4166, DATA + 200, 0),
  ...sys(4263, 1, DATA + 208), // clock_gettime after the sleep: (2 s, 2500 ns)
  // mmap's 5th argument (fd = -1) at sp+16.
  asm.addiu(SP, SP, -32),
  asm.addiu(1, 0, -1),
  asm.sw(1, 16, SP),
  asm.sw(0, 20, SP),
  ...sys(4090, 0x400000, 10000, 3, 0x802), // mmap: the hint is ignored
  asm.addu(S0, V0, 0),
  ...sys(4210, 0, 4096, 3, 0x802), // mmap2
  ...li(5, 4096),
  ...li(6, 3),
  ...li(7, 0x812),
  asm.addu(A0, S0, 0),
  ...li(V0, 4090),
  asm.syscall(), // mmap MAP_FIXED at the first region
  ...sys(4045, 0), // brk query
  asm.addiu(A0, V0, 0x2000),
  ...li(V0, 4045),
  asm.syscall(), // brk set (below the mmap cursor)
  ...sys(4246, 0),
];

let m: MipsMachine;
let w: MipsWitness;
let pk: Awaited<ReturnType<typeof setup>>;

type Traces = { main: Uint32Array[] }[];
const clone = (): Traces => w.traces.map((t) => ({ main: t.main.map((c) => c.slice()) }));
function cellOf(t: Traces, column: string, row: number) {
  const layout = m.chips.find((c) => c.name === "SysMisc")!.layout;
  const col = t[m.tableIndex.get("SysMisc")!].main[layout.idx(column)];
  return { get: () => col[row], set: (v: number) => (col[row] = ((v % P) + P) % P) };
}
/** The SysMisc row whose selector `sel` is set (the n-th such row). */
function rowOf(sel: string, n = 0): number {
  const col =
    w.traces[m.tableIndex.get("SysMisc")!].main[m.chips.find((c) => c.name === "SysMisc")!.layout.idx(sel)];
  const rows = [...col.keys()].filter((i) => col[i] === 1);
  expect(rows.length, sel).to.be.greaterThan(n);
  return rows[n];
}

async function rejects(sel: string, column: string, f: (v: number) => number, n = 0): Promise<string> {
  const t = clone();
  const c = cellOf(t, column, rowOf(sel, n));
  const before = c.get();
  c.set(f(before));
  expect(c.get()).to.not.equal(before);
  const failure = checkWitness(m.air, t, w.publicInputs, m.constraintNames);
  expect(failure, "the exact checker sees the corruption").to.not.equal(null);
  const { bytes } = await prove(pk, t, w.publicInputs, { selfCheck: false });
  try {
    verify(m.air, pk.vkey, w.publicInputs, bytes, OPTIONS);
  } catch (e) {
    expect(e).to.be.instanceOf(StarkVerifyError);
    expect(["ood-constraints", "logup-balance"]).to.include((e as StarkVerifyError).check);
    return `${failure!.table}: ${failure!.what}`;
  }
  return expect.fail("the verifier accepted a corrupted witness");
}

describe("MIPS AIR SysMisc chip (Go runtime syscalls)", function () {
  this.timeout(600_000);
  const prog = program(CODE, { data: new Uint8Array(256) });
  let run: ReturnType<typeof execute>;

  before(async () => {
    run = execute(prog, { trace: true, stdout: () => {}, stderr: () => {} });
    expect(run.exitCode).to.equal(0);
    m = buildMachine(programImage(prog), undefined, { keccak: false });
    w = generateWitness(m, summaryFromTrace(run.trace!));
    pk = await setup(m.air, OPTIONS);
  });

  it("the executor's run satisfies the AIR (every case, results equal the executor's)", async () => {
    expect(checkWitness(m.air, w.traces, w.publicInputs, m.constraintNames)).to.equal(null);
    expect(w.rowsPerTable.get("SysMisc")).to.equal(33);
    const fin = run.trace!.finalImage;
    const at = (a: number) => fin.value[fin.addr.indexOf(a)];
    expect([at(DATA + 208), at(DATA + 212)]).to.deep.equal([2, 2500]);
    for (const sel of SYSMISC_CASES) rowOf(sel); // every case occurs
    const { bytes } = await prove(pk, w.traces, w.publicInputs, { selfCheck: false });
    verify(m.air, pk.vkey, w.publicInputs, bytes, OPTIONS);
  });

  it("proveMips keeps the SysMisc table (flag bit in the proof file) and verifyMips accepts it by vkey", async () => {
    const prover = await mipsSetup(programImage(prog), OPTIONS);
    const proof = await proveMips(prover, summaryFromTrace(run.trace!));
    const d = decodeProofFile(proof.file);
    expect([d.sysmisc, d.keccak]).to.deep.equal([true, false]);
    expect((await verifyMips(proof.file, { vkey: prover.pk.vkey }, OPTIONS)).exitCode).to.equal(0);
    // The same proof read as one without the SysMisc table: another AIR, rejected.
    const f2 = proof.file.slice();
    f2[8] &= ~0x40;
    try {
      await verifyMips(f2, { vkey: prover.pk.vkey }, OPTIONS);
      expect.fail("accepted");
    } catch (e) {
      expect(e).to.be.instanceOf(StarkVerifyError);
    }
  });

  it("places mmap regions below the stack bottom and keeps MAP_FIXED at the address", () => {
    const mm = rowOf("is_mmap");
    const cell = (c: string, r: number) => cellOf(w.traces, c, r).get();
    const v0 = (r: number) => [0, 1, 2, 3].reduce((a, j) => a + cell(`V_v${j}`, r) * 256 ** j, 0);
    expect(v0(mm)).to.equal(STACK_BOTTOM - 12288);
    expect(v0(rowOf("is_mmap", 1))).to.equal(STACK_BOTTOM - 12288 - 4096);
    expect(v0(rowOf("is_mmap_fixed"))).to.equal(STACK_BOTTOM - 12288);
  });

  it("refuses a syscall no chip proves, naming it (getrandom; fcntl on a bad fd)", () => {
    for (const [call, re] of [
      [
        sys(4353, DATA, 16, 0),
        /cannot prove syscall 4353 \(a0 = 5242880\) at pc 0x[0-9a-f]+ is not supported/,
      ],
      [sys(4055, 7, 1), /cannot prove syscall 4055 \(a0 = 7\)/], // EBADF
    ] as const) {
      const p = program([...call, ...sys(4246, 0)], { data: new Uint8Array(64) });
      const r = execute(p, { trace: true, stdout: () => {}, stderr: () => {} });
      const mm = buildMachine(programImage(p), undefined, { keccak: false });
      expect(() => generateWitness(mm, summaryFromTrace(r.trace!)))
        .to.throw(ZkmipsError)
        .with.property("message")
        .that.matches(re);
    }
  });

  it("rejects a wrong constant result (clone returning 2)", async () => {
    expect(await rejects("is_clone", "V_v0", (v) => v + 1)).to.match(/v0 byte 0 = result/);
  });
  it("rejects a cleared error flag (open succeeding)", async () => {
    expect(await rejects("is_open", "F_v0", () => 0)).to.match(/error flag/);
  });
  it("rejects a wrong fcntl result (F_GETFL of stderr as O_RDONLY)", async () => {
    expect(await rejects("is_getfl_wr", "V_v0", () => 0)).to.match(/result/);
  });
  it("rejects a wrong word written (sched_getaffinity's mask)", async () => {
    expect(await rejects("is_affinity", "M0_v0", () => 3)).to.match(/M0 byte 0 = the value written/);
  });
  it("rejects a wrong old action written by rt_sigaction (byte 5 of 24)", async () => {
    expect(await rejects("is_sigaction_old", "M1_v1", () => 1)).to.match(/M1 byte 1/);
  });
  it("rejects a wrong buffer address (words written elsewhere)", async () => {
    expect(await rejects("is_sigmask_old", "pq", (v) => v + 1)).to.match(/ptr byte 0|pc chain/);
  });
  it("rejects a wrong mmap address", async () => {
    expect(await rejects("is_mmap", "V_v1", (v) => v ^ 0x10)).to.match(/v0 byte 1 = result/);
  });
  it("rejects an mmap that does not move the cursor", async () => {
    expect(await rejects("is_mmap", "H_v1", (v) => v ^ 0x10)).to.match(/mmap cursor := lo/);
  });
  it("rejects a wrong mmap size (not the length rounded up to pages)", async () => {
    expect(await rejects("is_mmap", "szh", (v) => (v + 1) & 15)).to.match(/chain|size/);
  });
  it("rejects MAP_FIXED claimed for a call without the MAP_FIXED bit", async () => {
    expect(await rejects("is_mmap", "is_mmap_fixed", () => 1)).to.match(/selectors|MAP_FIXED|boolean/);
  });
  it("rejects a wrong clock value (nanoseconds written)", async () => {
    expect(await rejects("is_clock_mono", "M1_v0", (v) => v + 1)).to.match(/nanoseconds/);
  });
  it("rejects a nanosleep whose nanoseconds do not carry into the seconds", async () => {
    expect(await rejects("is_nanosleep", "carry", () => 0)).to.match(/add up/);
  });
  it("rejects a UserLocal other than set_thread_area's a0", async () => {
    expect(await rejects("is_set_tls", "H_v1", (v) => v ^ 1)).to.match(/UserLocal/);
  });
  it("rejects a futex WAIT answered 0 while *uaddr != val", async () => {
    expect(await rejects("is_futex_wait_ne", "V_v0", () => 0)).to.match(/result/);
  });
  it("rejects a brk that claims to set the break above the mmap cursor (Syscall chip)", async () => {
    const ti = m.tableIndex.get("Syscall")!;
    const L = m.chips.find((c) => c.name === "Syscall")!.layout;
    const row = w.traces[ti].main[L.idx("is_brk_set")].indexOf(1);
    expect(row).to.be.at.least(0);
    const t = clone();
    t[ti].main[L.idx("c3b3")][row] = 1; // "a0 > cursor": the final borrow of cursor - a0
    const failure = checkWitness(m.air, t, w.publicInputs, m.constraintNames);
    expect(failure?.what).to.match(/c3 byte 3|mmap cursor/);
    const { bytes } = await prove(pk, t, w.publicInputs, { selfCheck: false });
    expect(() => verify(m.air, pk.vkey, w.publicInputs, bytes, OPTIONS))
      .to.throw(StarkVerifyError)
      .with.property("check", "ood-constraints");
  });
  it("rejects a syscall number the chip does not handle (v0 = 4999 on a sched_yield row)", async () => {
    // The number is read from v0's memory token, so the bus no longer balances either.
    expect(await rejects("is_yield", "V_p0", () => 4999 & 255)).to.match(/syscall number/);
  });
});

describe("MIPS AIR: the Go guest's trace (witness level)", function () {
  this.timeout(600_000);
  it("guests/go/hello: the executor's run satisfies the AIR with the SysMisc chip", () => {
    const prog = loadElf(readFileSync("guests/go/hello/hello.elf"));
    const r = execute(prog, {
      input: new TextEncoder().encode("abc"),
      trace: true,
      stdout: () => {},
      stderr: () => {},
    });
    const mm = buildMachine(programImage(prog), undefined, { keccak: false });
    const ww = generateWitness(mm, summaryFromTrace(r.trace!));
    expect(ww.rowsPerTable.get("SysMisc")).to.be.greaterThan(250);
    expect(checkWitness(mm.air, ww.traces, ww.publicInputs, mm.constraintNames)).to.equal(null);
    expect(ww.exitCode).to.equal(0);
  });
});
