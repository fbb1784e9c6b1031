/**
 * SysMisc chip: the Linux syscalls a single-threaded Go runtime makes besides read/write/brk/exit
 * (those stay in the Syscall chip). It executes ROM rows of the Syscall family too: like every chip
 * it receives STATE, fetches PROGRAM with the family hard-coded and sends the next STATE, and one
 * selector per handled case pins v0 to that case's number(s) and the arguments to that case, so the
 * two chips never prove the same call differently. The semantics are the executor's
 * (src/mips/syscalls.ts, docs/executor.md); cases the executor answers differently (other fds,
 * errors, unaligned buffers, ...) have no selector, and the prover refuses them.
 *
 * Row accesses (ts relative to clk, step {@link SYSMISC_CLK}): v0 (number → result) clk, a0 clk+1,
 * a1 clk+2, a2 clk+3, a3 (→ error flag) clk+4, $sp clk+5 (mmap), hidden key H clk+6 (mmap cursor 37
 * or clock nanoseconds 39), hidden key G clk+7 (break 36 or clock seconds 38, read), buffer words
 * M0..M5 at clk+8.. (keys ptr/4 + i).
 *
 * Buffer: ptr (bytes pb, word aligned) = source register (+ 16 for mmap's 5th argument at sp+16),
 * 0x1000 <= ptr <= 0x7F000000 - 4·n (n = words the executor's range check covers).
 *
 * Chains (x - y = d as 32-bit numbers, no final borrow, so x >= y): ptr, lower/upper bounds of the
 * buffer, and four shared slots g1..g4 whose operands depend on the case (mmap sizes and cursor,
 * clock arithmetic, sched_getaffinity's length check).
 */
import { type Expr, type ExprLike, constant, lift, sum } from "../../../stark/expr.ts";
import { Family, REG_BRK, REG_CLOCK_NS, REG_CLOCK_S, REG_MMAP, REG_USER_LOCAL } from "../decode.ts";
import { STACK_BOTTOM } from "../../layout.ts";
import { CLOCK_STEP_NS, REALTIME_EPOCH_S } from "../../syscalls.ts";
import { inv as finv } from "../../../field/koalabear.ts";
import {
  type ChipCtx,
  type Witness,
  accessColumns,
  accessConstraints,
  bytesOf,
  fillAccess,
  wordOf,
} from "../gadgets.ts";
import { type FillEnv, type InstrChip, type Step, baseConstraints, baseLayout, fillBase } from "../instr.ts";
import { UnsupportedSyscall } from "./syscall.ts";

export const SYSMISC_CLK = 16;
const MAX_WORDS = 6;
const EPOCH = REALTIME_EPOCH_S;
const NS_MAX = 999_999_999;
const ENOENT = 2;
const EAGAIN = 11;

type Src = "a0" | "a1" | "a2" | "a3" | "sp16";
/** Word values a case writes (bytes), or "read" (the word is only read). */
type Words = readonly (readonly number[] | "read")[];

interface Case {
  name: string;
  /** Syscall numbers (a second one is selected by the `alt` column). */
  nums: readonly [number] | readonly [number, number];
  /** Constant v0 result (undefined: computed, mmap). */
  result?: number;
  err?: 1;
  /** Buffer: source register, words range-checked, words written/read. */
  buf?: { src: Src; range: number; words: Words | "clock" };
}

const Z = [0, 0, 0, 0];
const zeros = (n: number): Words => Array.from({ length: n }, () => Z);

const CASES: readonly Case[] = [
  { name: "is_clone", nums: [4120], result: 1 },
  { name: "is_getpid", nums: [4020, 4222], result: 1 },
  { name: "is_yield", nums: [4162], result: 0 },
  { name: "is_munmap", nums: [4091], result: 0 },
  { name: "is_tgkill", nums: [4266], result: 0 },
  { name: "is_open", nums: [4005, 4288], result: ENOENT, err: 1 },
  { name: "is_readlink", nums: [4085, 4298], result: ENOENT, err: 1 },
  { name: "is_close", nums: [4006], result: 0 },
  { name: "is_fcntl_fd", nums: [4055, 4220], result: 0 },
  { name: "is_getfl_rd", nums: [4055, 4220], result: 0 },
  { name: "is_getfl_wr", nums: [4055, 4220], result: 1 },
  { name: "is_sigmask", nums: [4195], result: 0 },
  { name: "is_sigmask_old", nums: [4195], result: 0, buf: { src: "a2", range: 4, words: zeros(4) } },
  { name: "is_altstack", nums: [4206], result: 0 },
  {
    name: "is_altstack_old",
    nums: [4206],
    result: 0,
    buf: { src: "a1", range: 3, words: [Z, Z, [2, 0, 0, 0]] },
  },
  { name: "is_sigaction", nums: [4194], result: 0 },
  { name: "is_sigaction_old", nums: [4194], result: 0, buf: { src: "a2", range: 6, words: zeros(6) } },
  { name: "is_affinity", nums: [4240], result: 4, buf: { src: "a2", range: 1, words: [[1, 0, 0, 0]] } },
  { name: "is_clock_mono", nums: [4263], result: 0, buf: { src: "a1", range: 2, words: "clock" } },
  { name: "is_clock_real", nums: [4263], result: 0, buf: { src: "a1", range: 2, words: "clock" } },
  { name: "is_prlimit", nums: [4338], result: 0 },
  {
    name: "is_prlimit_old",
    nums: [4338],
    result: 0,
    buf: { src: "a3", range: 4, words: Array.from({ length: 4 }, () => [255, 255, 255, 255]) },
  },
  { name: "is_futex_wake", nums: [4238], result: 0 },
  { name: "is_futex_wait_eq", nums: [4238], result: 0, buf: { src: "a0", range: 1, words: ["read"] } },
  {
    name: "is_futex_wait_ne",
    nums: [4238],
    result: EAGAIN,
    err: 1,
    buf: { src: "a0", range: 1, words: ["read"] },
  },
  { name: "is_madvise", nums: [4218], result: 0 },
  { name: "is_set_tls", nums: [4283], result: 0 },
  { name: "is_nanosleep", nums: [4166], result: 0, buf: { src: "a0", range: 2, words: ["read", "read"] } },
  { name: "is_mmap", nums: [4090, 4210], buf: { src: "sp16", range: 2, words: ["read"] } },
  { name: "is_mmap_fixed", nums: [4090, 4210], buf: { src: "sp16", range: 2, words: ["read"] } },
];
const CASE = new Map(CASES.map((c) => [c.name, c]));
/** Selector names, one per proven case (for tests). */
export const SYSMISC_CASES: readonly string[] = CASES.map((c) => c.name);
const nWords = (c: Case): number => (c.buf ? (c.buf.words === "clock" ? 2 : c.buf.words.length) : 0);

/** Chain slots: name, whether d is a fresh (range-checked) column set. */
const CHAINS = ["pc", "lo", "up", "g1", "g2", "g3", "g4"] as const;
const FREE_D = new Set(["lo", "up", "g1", "g2", "g3", "g4"]);

export class SysMiscChip implements InstrChip {
  readonly name = "SysMisc";
  readonly family = Family.Syscall;
  readonly clkStep = SYSMISC_CLK;
  readonly layout = baseLayout(CASES.map((c) => c.name));
  constructor() {
    const L = this.layout;
    L.add("alt");
    accessColumns(L, "V", true);
    accessColumns(L, "A", false);
    accessColumns(L, "B", false);
    accessColumns(L, "C", false);
    accessColumns(L, "F", true);
    accessColumns(L, "S", false);
    accessColumns(L, "H", true);
    accessColumns(L, "G", true);
    for (let i = 0; i < MAX_WORDS; i++) accessColumns(L, `M${i}`, true);
    L.addN("pb", 4);
    L.add("pq");
    for (const c of CHAINS) {
      if (FREE_D.has(c)) L.addN(`${c}d`, 4);
      L.addN(`${c}b`, 3);
    }
    for (const n of [
      "szh",
      "sz2",
      "sz3",
      "ah",
      "fl0lo",
      "fl0hi",
      "fl1lo",
      "fl1hi",
      "fpb",
      "inv",
      "aux",
      "carry",
    ])
      L.add(n);
  }

  /** True for the calls this chip proves (the witness generator routes them here). */
  handles(env: FillEnv): boolean {
    return this.pick(env) !== null;
  }

  define(cx: ChipCtx): void {
    const s = (n: string): Expr => cx.c(n);
    const any = (names: readonly string[]): Expr => sum(names.map(s));
    const isReal = s("is_real");
    const clk = s("clk");
    const alt = s("alt");
    baseConstraints(
      cx,
      this.family,
      CASES.map((c) => [c.name, 0] as const),
      s("npc").add(4),
      SYSMISC_CLK,
    );
    const mmapF = s("is_mmap_fixed");
    const mmapN = s("is_mmap");
    const mmap = mmapN.add(mmapF);
    const clockR = s("is_clock_real");
    const clock = s("is_clock_mono").add(clockR);
    const sleep = s("is_nanosleep");
    const clk2 = clock.add(sleep); // rows that touch the clock keys
    const tls = s("is_set_tls");
    const bufCases = CASES.filter((c) => c.buf);
    const isBuf = any(bufCases.map((c) => c.name));
    // Accesses.
    accessConstraints(cx, "V", 2, clk, isReal, true);
    accessConstraints(cx, "A", 4, clk.add(1), isReal, false);
    accessConstraints(cx, "B", 5, clk.add(2), isReal, false);
    accessConstraints(cx, "C", 6, clk.add(3), isReal, false);
    accessConstraints(cx, "F", 7, clk.add(4), isReal, true);
    accessConstraints(cx, "S", 29, clk.add(5), mmap, false);
    accessConstraints(
      cx,
      "H",
      mmap.mul(REG_MMAP).add(clk2.mul(REG_CLOCK_NS)).add(tls.mul(REG_USER_LOCAL)),
      clk.add(6),
      mmap.add(clk2).add(tls),
      true,
    );
    accessConstraints(
      cx,
      "G",
      mmap.mul(REG_BRK).add(clk2.mul(REG_CLOCK_S)),
      clk.add(7),
      mmap.add(clk2),
      true,
    );
    const V = cx.cs("V_v", 4);
    const Vp = cx.cs("V_p", 4);
    const A = cx.cs("A_v", 4);
    const B = cx.cs("B_v", 4);
    const C = cx.cs("C_v", 4);
    const F = cx.cs("F_v", 4);
    const Fp = cx.cs("F_p", 4);
    const Sp = cx.cs("S_v", 4);
    const H = cx.cs("H_v", 4);
    const Hp = cx.cs("H_p", 4);
    const G = cx.cs("G_v", 4);
    const Gp = cx.cs("G_p", 4);
    for (let j = 0; j < 4; j++)
      cx.zero(`hidden key G is only read (byte ${j})`, constant(1).sub(sleep).mul(G[j].sub(Gp[j])));
    // The syscall number: v0's bytes, a second number when alt = 1.
    cx.bool("alt", alt);
    const twoNum = CASES.filter((c) => c.nums.length === 2);
    cx.zero("alt only for two-number calls", alt.mul(constant(1).sub(any(twoNum.map((c) => c.name)))));
    for (let j = 0; j < 4; j++) {
      const base = sum(CASES.map((c) => s(c.name).mul((c.nums[0] >>> (8 * j)) & 255)));
      const delta = sum(
        twoNum.map((c) =>
          s(c.name).mul((((c.nums[1] ?? 0) >>> (8 * j)) & 255) - ((c.nums[0] >>> (8 * j)) & 255)),
        ),
      );
      cx.zero(`v0 byte ${j} = syscall number`, Vp[j].sub(base).sub(alt.mul(delta)));
    }
    // Results: v0 and the error flag a3.
    const g1d = cx.cs("g1d", 4);
    for (let j = 0; j < 4; j++) {
      const constRes = sum(
        CASES.filter((c) => c.result !== undefined).map((c) => s(c.name).mul((c.result! >>> (8 * j)) & 255)),
      );
      cx.zero(`v0 byte ${j} = result`, V[j].sub(constRes).sub(mmapN.mul(g1d[j])).sub(mmapF.mul(A[j])));
      const err = j === 0 ? any(CASES.filter((c) => c.err).map((c) => c.name)) : constant(0);
      cx.zero(`a3 byte ${j} = error flag`, F[j].sub(err));
    }
    this.argConstraints(cx, s, A, B, C, Fp);
    // Buffer pointer, bounds and word values.
    const pb = cx.cs("pb", 4);
    const srcOf = (src: Src): Expr[] => ({ a0: A, a1: B, a2: C, a3: Fp, sp16: Sp })[src];
    const src = [0, 1, 2, 3].map((j) =>
      sum(bufCases.filter((c) => c.buf!.src !== "sp16").map((c) => s(c.name).mul(srcOf(c.buf!.src)[j]))).add(
        mmap.mul(Sp[j]),
      ),
    );
    this.chain(cx, "pc", pb, constBytes(16, mmap), src);
    cx.zero("ptr byte 0 = 4 pq (word aligned)", pb[0].sub(s("pq").mul(4)));
    cx.bits(s("pq"), 6, isBuf);
    for (let j = 1; j < 4; j++) cx.u8(pb[j], isBuf);
    this.chain(cx, "lo", pb, constBytes(0x1000, isBuf), cx.cs("lod", 4));
    const upper = [0, 1, 2, 3].map((j) =>
      sum(bufCases.map((c) => s(c.name).mul(bytesOf(0x7f000000 - 4 * c.buf!.range)[j]))),
    );
    this.chain(cx, "up", upper, pb, cx.cs("upd", 4));
    for (const c of ["lo", "up"]) cx.cs(`${c}d`, 4).forEach((d) => cx.u8(d, isBuf));
    const key0 = s("pq")
      .add(pb[1].mul(64))
      .add(pb[2].mul(1 << 14))
      .add(pb[3].mul(1 << 22));
    for (let i = 0; i < MAX_WORDS; i++) {
      const users = bufCases.filter((c) => nWords(c) > i);
      const mult = any(users.map((c) => c.name));
      accessConstraints(cx, `M${i}`, key0.add(i), clk.add(8 + i), mult, true);
      const Mv = cx.cs(`M${i}_v`, 4);
      const Mp = cx.cs(`M${i}_p`, 4);
      const free = i < 2 ? clock : constant(0);
      for (let j = 0; j < 4; j++) {
        const expect = sum(
          users
            .filter((c) => c.buf!.words !== "clock")
            .map((c) => {
              const w = (c.buf!.words as Words)[i];
              return w === "read" ? s(c.name).mul(Mp[j]) : s(c.name).mul(w[j]);
            }),
        );
        cx.zero(`M${i} byte ${j} = the value written`, constant(1).sub(free).mul(Mv[j]).sub(expect));
      }
    }
    // mmap: fd word at sp+16 is -1, flags, size = len rounded up to pages, placement.
    const M0p = cx.cs("M0_p", 4);
    for (let j = 0; j < 4; j++) cx.zero(`mmap fd byte ${j} = 0xff`, mmap.mul(M0p[j].sub(255)));
    const [fl0lo, fl0hi, fl1lo, fl1hi] = ["fl0lo", "fl0hi", "fl1lo", "fl1hi"].map(s);
    cx.zero(
      "mmap flags byte 0: MAP_FIXED bit",
      mmap.mul(Fp[0].sub(fl0lo).sub(mmapF.mul(16)).sub(fl0hi.mul(32))),
    );
    cx.zero("mmap flags byte 1: MAP_ANONYMOUS bit", mmap.mul(Fp[1].sub(fl1lo).sub(8).sub(fl1hi.mul(16))));
    cx.bits(fl0lo, 4, mmap);
    cx.bits(fl0hi, 3, mmap);
    cx.bits(fl1lo, 3, mmap);
    cx.bits(fl1hi, 4, mmap);
    const [szh, sz2, sz3, ah, inv, aux] = ["szh", "sz2", "sz3", "ah", "inv", "aux"].map(s);
    const size = [constant(0), szh.mul(16), sz2, sz3];
    cx.bits(szh, 4, mmap);
    cx.u8(sz2, mmap);
    cx.u8(sz3, mmap);
    cx.zero("mmap size != 0", mmap.mul(szh.add(sz2).add(sz3).mul(inv).sub(1)));
    const madv = s("is_madvise");
    for (const [n, c] of [
      ["szh", szh],
      ["sz2", sz2],
      ["sz3", sz3],
      ["fl0lo", fl0lo],
      ["fl0hi", fl0hi],
      ["fl1lo", fl1lo],
      ["fl1hi", fl1hi],
    ] as const)
      cx.zero(`${n} = 0 unless mmap`, constant(1).sub(mmap).mul(c));
    // a0 page aligned (mmap MAP_FIXED, madvise): byte 0 = 0, byte 1 = 16 ah.
    const aligned = mmapF.add(madv);
    cx.zero("a0 page aligned (byte 0)", aligned.mul(A[0]));
    cx.zero("a0 page aligned (byte 1)", aligned.mul(A[1].sub(ah.mul(16))));
    cx.bits(ah, 4, aligned);
    cx.zero("ah = 0 unless used", constant(1).sub(aligned).mul(ah));
    const Hv = H;
    const SB = (e: Expr): Expr[] => constBytes(STACK_BOTTOM, e);
    const M0v = cx.cs("M0_v", 4);
    // g1: mmap cursor - size = lo; fixed: STACK_BOTTOM - size = t; clock: nsec' - step = nsec; getaffinity: a1 - 4.
    const aff = s("is_affinity");
    this.chain(
      cx,
      "g1",
      add4(mul4(mmapN, Hp), SB(mmapF), mul4(clock, Hv), mul4(aff, B)),
      add4(mul4(mmap, size), constBytes(CLOCK_STEP_NS, clock), constBytes(4, aff)),
      g1d,
    );
    // g2: mmap lo - break >= 0; fixed: t - addr >= 0; clock: 999999999 - nsec' >= 0.
    const g2d = cx.cs("g2d", 4);
    this.chain(
      cx,
      "g2",
      add4(mul4(mmap, g1d), constBytes(NS_MAX, clock.add(sleep))),
      add4(mul4(mmapN, Gp), mul4(mmapF, A), mul4(clock, Hv), mul4(sleep, cx.cs("M1_p", 4))),
      g2d,
    );
    // g3: mmap size - len = pad (< 4096); clock: word 0 - epoch·[realtime] = seconds.
    const g3d = cx.cs("g3d", 4);
    this.chain(
      cx,
      "g3",
      add4(mul4(mmap, size), mul4(clock, M0v), constBytes(NS_MAX, sleep)),
      add4(mul4(mmap, B), constBytes(EPOCH, clockR), mul4(sleep, Hv)),
      g3d,
    );
    cx.zero("mmap pad byte 2 = 0", mmap.mul(g3d[2]));
    cx.zero("mmap pad byte 3 = 0", mmap.mul(g3d[3]));
    cx.bits(g3d[1], 4, mmap);
    // g4: MAP_FIXED addr - cursor >= 0 (the cursor stays).
    const g4d = cx.cs("g4d", 4);
    this.chain(cx, "g4", mul4(mmapF, A), mul4(mmapF, Hp), g4d);
    const g1u = mmap.add(clock).add(aff);
    g1d.forEach((d) => cx.u8(d, g1u));
    g2d.forEach((d) => cx.u8(d, mmap.add(clk2)));
    cx.u8(g3d[0], mmap.add(clk2));
    cx.u8(g3d[1], clk2);
    cx.u8(g3d[2], clk2);
    cx.u8(g3d[3], clk2);
    g4d.forEach((d) => cx.u8(d, mmapF));
    for (let j = 0; j < 4; j++) {
      cx.zero(`mmap cursor := lo (byte ${j})`, mmapN.mul(Hv[j].sub(g1d[j])));
      cx.zero(`MAP_FIXED keeps the cursor (byte ${j})`, mmapF.mul(Hv[j].sub(Hp[j])));
      cx.zero(`clock: g1 gives the old nanoseconds (byte ${j})`, clock.mul(g1d[j].sub(Hp[j])));
      cx.zero(`clock: g3 gives the seconds (byte ${j})`, clock.mul(g3d[j].sub(Gp[j])));
      cx.zero(`clock: word 1 = nanoseconds (byte ${j})`, clock.mul(cx.c(`M1_v${j}`).sub(Hv[j])));
      cx.u8(Hv[j], clk2);
      cx.u8(M0v[j], clock);
      cx.u8(G[j], sleep);
    }
    // set_thread_area(a0): UserLocal := a0.
    for (let j = 0; j < 4; j++)
      cx.zero(`set_thread_area: UserLocal byte ${j} = a0`, tls.mul(Hv[j].sub(A[j])));
    // nanosleep(req): (s, ns) at req, s < 2^29, ns <= 999999999 (g2); the clock's
    // ns' = ns_clk + ns - carry·10^9 <= 999999999 (g3) and s' = s_clk + s + carry < 2^30, as field
    // equations (every term is below 2^30, so they hold over the integers).
    const carry = s("carry");
    cx.bool("carry", carry);
    cx.zero("carry = 0 unless nanosleep", constant(1).sub(sleep).mul(carry));
    const M1p = cx.cs("M1_p", 4);
    cx.bits(M0p[3], 5, sleep);
    cx.bits(G[3], 6, sleep);
    cx.zero(
      "nanosleep: nanoseconds add up",
      sleep.mul(wordOf(Hv).add(carry.mul(1e9)).sub(wordOf(Hp)).sub(wordOf(M1p))),
    );
    cx.zero("nanosleep: seconds add up", sleep.mul(wordOf(G).sub(wordOf(Gp)).sub(wordOf(M0p)).sub(carry)));
    // inv / aux: used by mmap (size != 0), madvise, prlimit_old, futex_wait_ne; zero elsewhere.
    const invUsers = mmap.add(madv).add(s("is_prlimit_old")).add(s("is_futex_wait_ne"));
    cx.zero("inv = 0 unless used", constant(1).sub(invUsers).mul(inv));
    cx.zero("aux = 0 unless used", constant(1).sub(s("is_prlimit_old")).sub(s("is_futex_wait_ne")).mul(aux));
    // futex WAIT: *uaddr (M0) against val (a2).
    const M0 = cx.cs("M0_p", 4);
    for (let j = 0; j < 4; j++)
      cx.zero(`futex wait eq: *uaddr byte ${j} = val`, s("is_futex_wait_eq").mul(M0[j].sub(C[j])));
    const ne = s("is_futex_wait_ne");
    cx.zero(
      "futex wait ne: aux = sum of squared differences",
      ne.mul(aux.sub(sum(M0.map((m, j) => m.sub(C[j]).mul(m.sub(C[j])))))),
    );
    cx.zero("futex wait ne: *uaddr != val", ne.mul(aux.mul(inv).sub(1)));
  }

  /** Argument conditions of each case (which fd, cmd, signal, ...). */
  private argConstraints(
    cx: ChipCtx,
    s: (n: string) => Expr,
    A: Expr[],
    B: Expr[],
    C: Expr[],
    Fp: Expr[],
  ): void {
    const zeroBytes = (what: string, sel: Expr, x: Expr[], from = 0): void => {
      for (let j = from; j < 4; j++) cx.zero(`${what} byte ${j} = 0`, sel.mul(x[j]));
    };
    const range = (x: Expr, lo: number, hi: number, mult: Expr): void => {
      cx.u8(x.sub(lo), mult);
      cx.u8(x.sub(lo).add(255 - (hi - lo)), mult);
    };
    const eqConst = (what: string, sel: Expr, x: Expr[], v: number): void => {
      for (let j = 0; j < 4; j++) cx.zero(`${what} byte ${j}`, sel.mul(x[j].sub((v >>> (8 * j)) & 255)));
    };
    // close(fd <= 4); fcntl: F_GETFD/F_SETFD (cmd 1, 2) on fd <= 4, F_GETFL (cmd 3) on fd 0/4 → 0, 1-3 → 1.
    const close = s("is_close");
    const fcFd = s("is_fcntl_fd");
    const flRd = s("is_getfl_rd");
    const flWr = s("is_getfl_wr");
    range(A[0], 0, 4, close.add(fcFd));
    zeroBytes("fd", close.add(fcFd).add(flRd).add(flWr), A, 1);
    range(B[0], 1, 2, fcFd);
    zeroBytes("fcntl cmd", fcFd, B, 1);
    eqConst("F_GETFL cmd = 3", flRd.add(flWr), B, 3);
    cx.zero("F_GETFL read-only fd is 0 or 4", flRd.mul(A[0]).mul(A[0].sub(4)));
    range(A[0], 1, 3, flWr);
    // Null old-value pointers.
    zeroBytes("rt_sigprocmask oset", s("is_sigmask"), C);
    zeroBytes("sigaltstack old", s("is_altstack"), B);
    zeroBytes("rt_sigaction oact", s("is_sigaction"), C);
    zeroBytes("prlimit64 old", s("is_prlimit"), Fp);
    eqConst("rt_sigprocmask sigsetsize = 16", s("is_sigmask_old"), Fp, 16);
    // rt_sigaction: 1 <= sig <= 128.
    const sa = s("is_sigaction").add(s("is_sigaction_old"));
    range(A[0], 1, 128, sa);
    zeroBytes("signal", sa, A, 1);
    // clock_gettime: CLOCK_MONOTONIC (1) or CLOCK_REALTIME (0).
    eqConst("clock id = CLOCK_MONOTONIC", s("is_clock_mono"), A, 1);
    eqConst("clock id = CLOCK_REALTIME", s("is_clock_real"), A, 0);
    // prlimit64: resource < 16; the old limits written are "unlimited" (resource not 3 or 7).
    const pl = s("is_prlimit").add(s("is_prlimit_old"));
    cx.bits(B[0], 4, pl);
    zeroBytes("resource", pl, B, 1);
    const plo = s("is_prlimit_old");
    const aux = s("aux");
    cx.zero("prlimit aux = (r - 3)(r - 7)", plo.mul(aux.sub(B[0].sub(3).mul(B[0].sub(7)))));
    cx.zero("prlimit resource is not 3 or 7", plo.mul(aux.mul(s("inv")).sub(1)));
    // futex: cmd = op & 127 from op's byte 0 = cmd + 128 fpb.
    const fpb = s("fpb");
    const fu = s("is_futex_wake");
    const fw = s("is_futex_wait_eq").add(s("is_futex_wait_ne"));
    cx.bool("fpb", fpb);
    cx.zero("fpb = 0 unless futex", constant(1).sub(fu).sub(fw).mul(fpb));
    const cmd = B[0].sub(fpb.mul(128));
    cx.zero("futex WAKE: cmd is 1 or 10", fu.mul(cmd.sub(1)).mul(cmd.sub(10)));
    cx.zero("futex WAIT: cmd is 0 or 9", fw.mul(cmd).mul(cmd.sub(9)));
    // madvise: advice (a2) != MADV_DONTNEED (4).
    const madv = s("is_madvise");
    cx.zero(
      "madvise advice != 4",
      madv.mul(C[0].sub(4).add(C[1].add(C[2]).add(C[3]).mul(256)).mul(s("inv")).sub(1)),
    );
  }

  /** x - y = d bytewise with borrows (b3 = 0: no underflow, so x >= y); borrow columns `${name}b`. */
  private chain(cx: ChipCtx, name: string, x: readonly Expr[], y: readonly Expr[], d: readonly Expr[]): void {
    const b = cx.cs(`${name}b`, 3);
    for (let j = 0; j < 4; j++) {
      if (j < 3) cx.bool(`${name}b${j}`, b[j]);
      let e = x[j].sub(y[j]).sub(d[j]);
      if (j > 0) e = e.sub(b[j - 1]);
      if (j < 3) e = e.add(b[j].mul(256));
      cx.zero(`${name} chain byte ${j}`, e);
    }
  }

  /** The case of the current call, or null when this chip does not prove it. */
  private pick(env: FillEnv): Case | null {
    const r = (k: number): number => env.mem.peek(k) >>> 0;
    const [num, a0, a1, a2, a3] = [r(2), r(4), r(5), r(6), r(7)];
    const bufOk = (p: number, n: number): boolean => (p & 3) === 0 && p >= 0x1000 && p <= 0x7f000000 - 4 * n;
    const name = ((): string | null => {
      switch (num) {
        case 4120:
          return "is_clone";
        case 4020:
        case 4222:
          return "is_getpid";
        case 4162:
          return "is_yield";
        case 4091:
          return "is_munmap";
        case 4266:
          return "is_tgkill";
        case 4005:
        case 4288:
          return "is_open";
        case 4085:
        case 4298:
          return "is_readlink";
        case 4006:
          return a0 <= 4 ? "is_close" : null;
        case 4055:
        case 4220:
          if (a0 > 4) return null;
          if (a1 === 1 || a1 === 2) return "is_fcntl_fd";
          if (a1 === 3) return a0 === 0 || a0 === 4 ? "is_getfl_rd" : "is_getfl_wr";
          return null;
        case 4195:
          return a2 === 0 ? "is_sigmask" : a3 === 16 && bufOk(a2, 4) ? "is_sigmask_old" : null;
        case 4206:
          return a1 === 0 ? "is_altstack" : bufOk(a1, 3) ? "is_altstack_old" : null;
        case 4194:
          if (a0 < 1 || a0 > 128) return null;
          return a2 === 0 ? "is_sigaction" : bufOk(a2, 6) ? "is_sigaction_old" : null;
        case 4240:
          return a1 >= 4 && bufOk(a2, 1) ? "is_affinity" : null;
        case 4263: {
          if ((a0 !== 0 && a0 !== 1) || !bufOk(a1, 2)) return null;
          const ns = r(REG_CLOCK_NS) + CLOCK_STEP_NS;
          const sec = r(REG_CLOCK_S) + (a0 === 0 ? EPOCH : 0);
          if (ns > NS_MAX || sec >= 2 ** 32) return null;
          return a0 === 1 ? "is_clock_mono" : "is_clock_real";
        }
        case 4338:
          if (a1 > 15) return null;
          if (a3 === 0) return "is_prlimit";
          return a1 !== 3 && a1 !== 7 && bufOk(a3, 4) ? "is_prlimit_old" : null;
        case 4238: {
          const c = a1 & 127; // the executor's cmd: op's byte 0 without FUTEX_PRIVATE_FLAG (128)
          if (c === 1 || c === 10) return "is_futex_wake";
          if ((c === 0 || c === 9) && bufOk(a0, 1))
            return env.mem.peek(a0 >>> 2) >>> 0 === a2 ? "is_futex_wait_eq" : "is_futex_wait_ne";
          return null;
        }
        case 4218:
          return (a0 & 0xfff) === 0 && a2 !== 4 ? "is_madvise" : null;
        case 4283:
          return "is_set_tls";
        case 4166: {
          if (!bufOk(a0, 2)) return null;
          const [sec, ns] = [r(a0 >>> 2), r((a0 >>> 2) + 1)];
          const carry = r(REG_CLOCK_NS) + ns > NS_MAX ? 1 : 0;
          return sec < 2 ** 29 && ns <= NS_MAX && r(REG_CLOCK_S) + sec + carry < 2 ** 30
            ? "is_nanosleep"
            : null;
        }
        case 4090:
        case 4210: {
          const sp = r(29);
          if (!bufOk(sp + 16, 2) || env.mem.peek((sp + 16) >>> 2) >>> 0 !== 0xffffffff) return null;
          if (!(a3 & 0x800) || a1 === 0) return null;
          const size = Math.ceil(a1 / 4096) * 4096;
          if (size >= 2 ** 32) return null;
          const cursor = r(REG_MMAP);
          if (a3 & 0x10)
            return (a0 & 0xfff) === 0 && a0 >= cursor && a0 + size <= STACK_BOTTOM ? "is_mmap_fixed" : null;
          return cursor - size >= r(REG_BRK) ? "is_mmap" : null;
        }
      }
      return null;
    })();
    return name === null ? null : CASE.get(name)!;
  }

  fill(w: Witness, row: number, s: Step, env: FillEnv): number {
    const c = this.pick(env);
    const mem = env.mem;
    const r = (k: number): number => mem.peek(k) >>> 0;
    const [num, a0, a1, a2, a3] = [r(2), r(4), r(5), r(6), r(7)];
    if (!c) throw new UnsupportedSyscall(num, a0, s.pc);
    fillBase(w, row, s, c.name, env);
    if (c.nums.length === 2 && num === c.nums[1]) w.set("alt", row, 1);
    const mmapN = c.name === "is_mmap";
    const mmapF = c.name === "is_mmap_fixed";
    const mmap = mmapN || mmapF;
    const clock = c.name.startsWith("is_clock");
    const sp = r(29);
    const cursor = r(REG_MMAP);
    const size = mmap ? Math.ceil(a1 / 4096) * 4096 : 0;
    const lo = cursor - size;
    const result = c.result ?? (mmapN ? lo : a0);
    if (s.sys && (s.sys.v0 >>> 0 !== result || s.sys.a3 !== (c.err ?? 0)))
      throw new Error(
        `syscall ${num} at pc 0x${s.pc.toString(16)}: the executor returned (${s.sys.v0 >>> 0}, ${s.sys.a3}), the AIR computes (${result}, ${c.err ?? 0})`,
      );
    fillAccess(w, row, "V", mem, env.lk, 2, s.clk, result, true);
    fillAccess(w, row, "A", mem, env.lk, 4, s.clk + 1, undefined, false);
    fillAccess(w, row, "B", mem, env.lk, 5, s.clk + 2, undefined, false);
    fillAccess(w, row, "C", mem, env.lk, 6, s.clk + 3, undefined, false);
    fillAccess(w, row, "F", mem, env.lk, 7, s.clk + 4, c.err ?? 0, true);
    if (mmap) fillAccess(w, row, "S", mem, env.lk, 29, s.clk + 5, undefined, false);
    const nsOld = r(REG_CLOCK_NS);
    const ns = nsOld + CLOCK_STEP_NS;
    const sec = r(REG_CLOCK_S);
    if (mmap) {
      fillAccess(w, row, "H", mem, env.lk, REG_MMAP, s.clk + 6, mmapN ? lo : cursor, true);
      fillAccess(w, row, "G", mem, env.lk, REG_BRK, s.clk + 7, undefined, true);
    } else if (clock) {
      fillAccess(w, row, "H", mem, env.lk, REG_CLOCK_NS, s.clk + 6, ns, true);
      fillAccess(w, row, "G", mem, env.lk, REG_CLOCK_S, s.clk + 7, undefined, true);
    } else if (c.name === "is_set_tls") {
      fillAccess(w, row, "H", mem, env.lk, REG_USER_LOCAL, s.clk + 6, a0, true);
    } else if (c.name === "is_nanosleep") {
      const [reqS, reqNs] = [r(a0 >>> 2), r((a0 >>> 2) + 1)];
      const carry = nsOld + reqNs > NS_MAX ? 1 : 0;
      const ns2 = nsOld + reqNs - carry * 1e9;
      const sec2 = sec + reqS + carry;
      fillAccess(w, row, "H", mem, env.lk, REG_CLOCK_NS, s.clk + 6, ns2, true);
      fillAccess(w, row, "G", mem, env.lk, REG_CLOCK_S, s.clk + 7, sec2, true);
      w.set("carry", row, carry);
      this.fillChain(w, row, "g2", NS_MAX, reqNs, true, env.lk);
      this.fillChain(w, row, "g3", NS_MAX, ns2, true, env.lk);
      for (const b of bytesOf(ns2)) env.lk.u8(b);
      for (const b of bytesOf(sec2)) env.lk.u8(b);
      env.lk.bits(reqS >>> 24, 5);
      env.lk.bits(sec2 >>> 24, 6);
    }
    // Argument lookups (the range checks of argConstraints).
    const lk = env.lk;
    const range = (x: number, lo: number, hi: number): void => {
      lk.u8(x - lo);
      lk.u8(x - lo + 255 - (hi - lo));
    };
    const n = c.name;
    if (n === "is_close" || n === "is_fcntl_fd") range(a0 & 255, 0, 4);
    if (n === "is_fcntl_fd") range(a1 & 255, 1, 2);
    if (n === "is_getfl_wr") range(a0 & 255, 1, 3);
    if (n === "is_sigaction" || n === "is_sigaction_old") range(a0 & 255, 1, 128);
    if (n === "is_prlimit" || n === "is_prlimit_old") lk.bits(a1 & 255, 4);
    if (n === "is_prlimit_old") {
      const q = ((a1 - 3) * (a1 - 7)) | 0;
      const qf = q < 0 ? q + 0x7f000001 : q;
      w.set("aux", row, qf);
      w.set("inv", row, finv(qf));
    }
    if (n.startsWith("is_futex")) w.set("fpb", row, (a1 >> 7) & 1);
    if (n === "is_madvise")
      w.set(
        "inv",
        row,
        finv(
          ((a2 & 255) - 4 + 256 * (((a2 >>> 8) & 255) + ((a2 >>> 16) & 255) + (a2 >>> 24)) + 0x7f000001) %
            0x7f000001,
        ),
      );
    if (mmapF || n === "is_madvise") {
      w.set("ah", row, (a0 >>> 12) & 15);
      lk.bits((a0 >>> 12) & 15, 4);
    }
    // Buffer.
    if (c.buf) {
      const p = c.buf.src === "sp16" ? sp + 16 : { a0, a1, a2, a3 }[c.buf.src];
      const pbb = bytesOf(p);
      w.setN("pb", row, pbb);
      w.set("pq", row, pbb[0] >> 2);
      lk.bits(pbb[0] >> 2, 6);
      for (let j = 1; j < 4; j++) lk.u8(pbb[j]);
      this.fillChain(w, row, "pc", p, mmap ? 16 : 0, false, lk);
      this.fillChain(w, row, "lo", p, 0x1000, true, lk);
      this.fillChain(w, row, "up", 0x7f000000 - 4 * c.buf.range, p, true, lk);
      const words = c.buf.words;
      for (let i = 0; i < nWords(c); i++) {
        let v: number | undefined;
        if (words === "clock") v = i === 0 ? sec + (n === "is_clock_real" ? EPOCH : 0) : ns;
        else {
          const wd = words[i];
          v = wd === "read" ? undefined : (wd[0] | (wd[1] << 8) | (wd[2] << 16) | (wd[3] << 24)) >>> 0;
        }
        const key = (p >>> 2) + i;
        const before = mem.peek(key);
        if (v !== undefined && v !== before && env.isCode(key))
          throw new UnsupportedSyscall(num, a0, s.pc, "writes into the code segment");
        fillAccess(w, row, `M${i}`, mem, lk, key, s.clk + 8 + i, v, true);
      }
    }
    if (n === "is_futex_wait_ne") {
      const m = bytesOf(mem.peek(a0 >>> 2));
      const cb = bytesOf(a2);
      const q = m.reduce((acc, x, j) => acc + (x - cb[j]) ** 2, 0);
      w.set("aux", row, q);
      w.set("inv", row, finv(q));
    }
    // mmap flags, size, placement chains.
    if (mmap) {
      const f0 = a3 & 255;
      const f1 = (a3 >>> 8) & 255;
      w.set("fl0lo", row, f0 & 15);
      w.set("fl0hi", row, f0 >> 5);
      w.set("fl1lo", row, f1 & 7);
      w.set("fl1hi", row, f1 >> 4);
      lk.bits(f0 & 15, 4);
      lk.bits(f0 >> 5, 3);
      lk.bits(f1 & 7, 3);
      lk.bits(f1 >> 4, 4);
      const sb = bytesOf(size);
      w.set("szh", row, sb[1] >> 4);
      w.set("sz2", row, sb[2]);
      w.set("sz3", row, sb[3]);
      lk.bits(sb[1] >> 4, 4);
      lk.u8(sb[2]);
      lk.u8(sb[3]);
      w.set("inv", row, finv((sb[1] >> 4) + sb[2] + sb[3]));
      const t = mmapN ? lo : STACK_BOTTOM - size;
      this.fillChain(w, row, "g1", mmapN ? cursor : STACK_BOTTOM, size, true, lk);
      this.fillChain(w, row, "g2", t, mmapN ? r(REG_BRK) : a0, true, lk);
      const pad = this.fillChain(w, row, "g3", size, a1, true, lk, false);
      lk.u8(pad & 255);
      lk.bits((pad >>> 8) & 255, 4);
      if (mmapF) this.fillChain(w, row, "g4", a0, cursor, true, lk);
    } else if (clock) {
      this.fillChain(w, row, "g1", ns, CLOCK_STEP_NS, true, lk);
      this.fillChain(w, row, "g2", NS_MAX, ns, true, lk);
      this.fillChain(
        w,
        row,
        "g3",
        sec + (n === "is_clock_real" ? EPOCH : 0),
        n === "is_clock_real" ? EPOCH : 0,
        true,
        lk,
      );
      for (const b of bytesOf(ns)) lk.u8(b);
      for (const b of bytesOf(sec + (n === "is_clock_real" ? EPOCH : 0))) lk.u8(b);
    } else if (n === "is_affinity") this.fillChain(w, row, "g1", a1, 4, true, lk);
    return s.npc + 4;
  }

  /**
   * Fills chain `name` for x - y (x >= y as 32-bit numbers); sets the d columns when `free` and
   * counts their byte lookups when `count`. Returns x - y.
   */
  private fillChain(
    w: Witness,
    row: number,
    name: string,
    x: number,
    y: number,
    free: boolean,
    lk: FillEnv["lk"],
    count = true,
  ): number {
    if (x < y) throw new Error(`sysmisc chain ${name}: ${x} < ${y}`);
    const xb = bytesOf(x >>> 0);
    const yb = bytesOf(y >>> 0);
    const d = bytesOf((x - y) >>> 0);
    let borrow = 0;
    for (let j = 0; j < 4; j++) {
      const t = xb[j] - yb[j] - borrow;
      borrow = t < 0 ? 1 : 0;
      if (j < 3) w.set(`${name}b${j}`, row, borrow);
    }
    if (free) {
      w.setN(`${name}d`, row, d);
      if (count) for (const b of d) lk.u8(b);
    }
    return (x - y) >>> 0;
  }
}

/** The bytes of a constant, each multiplied by `sel` (zero on rows where sel is 0). */
function constBytes(v: number, sel: Expr): Expr[] {
  return bytesOf(v >>> 0).map((b) => sel.mul(b));
}
const mul4 = (sel: Expr, x: readonly ExprLike[]): Expr[] => x.map((e) => sel.mul(lift(e)));
const add4 = (...xs: Expr[][]): Expr[] => [0, 1, 2, 3].map((j) => sum(xs.map((x) => x[j])));
