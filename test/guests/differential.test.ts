/**
 * Differential tests of every committed guest ELF: qemu-mipsel vs the zkmips executor
 * (in-process `execute`, plus a few runs through `zkmips run`), compared on stdout, exit
 * status and the fd-3 public values. C guests are also checked against TypeScript models
 * (node:crypto, @noble/hashes, BigInt) so the suite means something without qemu; ISA tests
 * against qemu's output recorded by guests/build.sh. Parts skip when qemu-mipsel or
 * src/mips are missing.
 */
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { elfSymbol, elfWordAt } from "./elf-symbols.ts";
import { runCli, runExecutor } from "./executor.ts";
import {
  bigloopModel,
  encodeStateTransition,
  encodeU32,
  encodeU64,
  fibonacciModel,
  isqrtModel,
  keccakModel,
  selftestModel,
  sha256Model,
  stateTransitionModel,
  type Transfer,
} from "./models.ts";
import { type GuestRun, qemuAvailable, runQemu } from "./qemu.ts";

const GUESTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../guests");

interface Expected {
  exitCode: number;
  stdout?: string;
  publicValues?: Buffer;
  stderrIncludes?: string;
}
interface GuestCase {
  label: string;
  input?: Buffer;
  hints?: Buffer;
  expected: Expected;
}

/** Deterministic pseudo-random bytes (xorshift32) for hash inputs. */
function bytes(n: number, seed: number): Buffer {
  const out = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const ok = (m: { publicValues: Buffer; stdout: string }): Expected => ({ exitCode: 0, ...m });

function stCase(label: string, balances: bigint[], transfers: Transfer[]): GuestCase {
  const model = stateTransitionModel(balances, transfers);
  return { label, input: encodeStateTransition(balances, transfers), expected: ok(model) };
}

const MAX64 = (1n << 64n) - 1n;
/** Runs up to this many cycles are repeated in tracing mode, which must give the same result. */
const TRACE_CYCLES = 400_000;

const C_GUESTS: Record<string, GuestCase[]> = {
  selftest: [{ label: "64-bit arithmetic, memory functions and heap", expected: ok(selftestModel()) }],
  fibonacci: [
    ...[0, 1, 2, 10, 93, 94, 1000].map((n) => ({
      label: `n = ${n}`,
      input: encodeU32(n),
      expected: ok(fibonacciModel(n)),
    })),
    {
      label: "empty input is rejected with status 2",
      input: Buffer.alloc(0),
      expected: { exitCode: 2, stdout: "", publicValues: Buffer.alloc(0), stderrIncludes: "4-byte" },
    },
  ],
  sha256: [0, 3, 55, 56, 63, 64, 65, 200, 1000].map((n) => {
    const input = n === 3 ? Buffer.from("abc") : bytes(n, n + 1);
    return { label: `${n}-byte input`, input, expected: ok(sha256Model(input)) };
  }),
  keccak: [0, 3, 135, 136, 137, 300].map((n) => {
    const input = n === 3 ? Buffer.from("abc") : bytes(n, n + 7);
    return { label: `${n}-byte input`, input, expected: ok(keccakModel(input)) };
  }),
  "state-transition": [
    stCase("empty table, no transfers", [], []),
    stCase(
      "one account, self transfer and overdraft",
      [100n],
      [
        { from: 0, to: 0, amount: 40n },
        { from: 0, to: 0, amount: 101n },
      ],
    ),
    stCase(
      "five accounts with valid and rejected transfers",
      [1000n, 0n, 5n, MAX64 - 10n, 7n],
      [
        { from: 0, to: 1, amount: 250n },
        { from: 1, to: 2, amount: 251n }, // insufficient
        { from: 1, to: 2, amount: 250n },
        { from: 2, to: 3, amount: 11n }, // overflows the receiver
        { from: 2, to: 3, amount: 10n },
        { from: 5, to: 0, amount: 1n }, // unknown sender
        { from: 0, to: 9, amount: 1n }, // unknown receiver
        { from: 4, to: 0, amount: 0n },
        { from: 0xffffffff, to: 0, amount: 0n },
      ],
    ),
    stCase(
      "seventeen accounts (padded tree), twenty transfers",
      Array.from({ length: 17 }, (_, i) => BigInt(i * 1000 + 1)),
      Array.from({ length: 20 }, (_, i) => ({
        from: (i * 7) % 17,
        to: (i * 5 + 3) % 19,
        amount: BigInt(i * 613),
      })),
    ),
    {
      label: "truncated transfer list is rejected with status 2",
      input: encodeStateTransition([5n, 6n], [{ from: 0, to: 1, amount: 1n }]).subarray(0, 30),
      expected: { exitCode: 2, stdout: "", publicValues: Buffer.alloc(0), stderrIncludes: "malformed input" },
    },
  ],
  bigloop: [0, 1, 1000, 100_000].map((n) => ({
    label: `${n} iterations`,
    input: encodeU32(n),
    expected: ok(bigloopModel(n)),
  })),
  isqrt: [
    ...[0n, 1n, 99n, 100n, 1_000_000_000_005n, (1n << 64n) - 1n].map((n) => {
      const m = isqrtModel(n);
      return { label: `n = ${n}`, input: encodeU64(n), hints: encodeU32(m.root), expected: ok(m) };
    }),
    {
      label: "a wrong hint is rejected with status 1",
      input: encodeU64(100n),
      hints: encodeU32(11),
      expected: {
        exitCode: 1,
        stdout: "",
        publicValues: Buffer.alloc(0),
        stderrIncludes: "not the integer square root",
      },
    },
    {
      label: "a missing hint is rejected with status 1",
      input: encodeU64(100n),
      expected: { exitCode: 1, stdout: "", publicValues: Buffer.alloc(0), stderrIncludes: "hints" },
    },
  ],
};

function checkExpected(run: GuestRun, expected: Expected): void {
  expect(run.signal, "signal").to.equal(null);
  expect(run.exitCode, `exit status (stderr: ${run.stderr.toString()})`).to.equal(expected.exitCode);
  if (expected.stdout !== undefined)
    expect(run.stdout.toString("latin1"), "stdout").to.equal(expected.stdout);
  if (expected.publicValues !== undefined) {
    expect(run.publicValues.toString("hex"), "public values (fd 3)").to.equal(
      expected.publicValues.toString("hex"),
    );
  }
  if (expected.stderrIncludes !== undefined)
    expect(run.stderr.toString()).to.include(expected.stderrIncludes);
}

function checkSame(actual: GuestRun, reference: GuestRun, what: string): void {
  expect(actual.exitCode, `${what}: exit status`).to.equal(reference.exitCode);
  expect(actual.stdout.toString("latin1"), `${what}: stdout`).to.equal(reference.stdout.toString("latin1"));
  expect(actual.publicValues.toString("hex"), `${what}: public values`).to.equal(
    reference.publicValues.toString("hex"),
  );
}

function requireQemu(ctx: Mocha.Context): void {
  if (!qemuAvailable()) ctx.skip();
}

describe("guest ELFs: C guests against TypeScript models, qemu-mipsel and zkmips", function () {
  for (const [name, cases] of Object.entries(C_GUESTS)) {
    for (const variant of [`${name}.elf`, `${name}.clang.elf`]) {
      const elfPath = path.join(GUESTS, name, variant);
      describe(`${name}/${variant}`, function () {
        for (const c of cases) {
          it(`${c.label}: qemu-mipsel gives the model's result`, async function () {
            requireQemu(this);
            checkExpected(await runQemu(elfPath, c), c.expected);
          });
          it(`${c.label}: zkmips gives the model's result and agrees with qemu-mipsel`, async function () {
            const run = await runExecutor(readFileSync(elfPath), c);
            expect(run.fault, run.fault?.message).to.equal(undefined);
            checkExpected(run, c.expected);
            if (qemuAvailable()) checkSame(run, await runQemu(elfPath, c), "zkmips vs qemu-mipsel");
            if (run.cycles! <= TRACE_CYCLES) {
              const traced = await runExecutor(readFileSync(elfPath), { ...c, trace: true });
              checkSame(traced, run, "tracing vs fast mode");
              expect(traced.cycles).to.equal(run.cycles);
            }
          });
        }
      });
    }
  }

  it("bigloop with its default iteration count runs about 50 million instructions under qemu-mipsel", async function () {
    requireQemu(this);
    checkExpected(await runQemu(path.join(GUESTS, "bigloop/bigloop.elf")), ok(bigloopModel(4_200_000)));
  });

  it("fibonacci(1000) takes fewer than 20k cycles in zkmips (gcc and clang builds)", async function () {
    for (const variant of ["fibonacci.elf", "fibonacci.clang.elf"]) {
      const run = await runExecutor(readFileSync(path.join(GUESTS, "fibonacci", variant)), {
        input: encodeU32(1000),
      });
      expect(run.cycles, variant).to.be.lessThan(20_000);
    }
  });
});

/** Recorded qemu result: first line "status N", then the exact stdout bytes. */
function recorded(elfPath: string): { status: number; stdout: string } {
  const text = readFileSync(elfPath.replace(/\.elf$/, ".qemu.txt"), "latin1");
  const newline = text.indexOf("\n");
  return {
    status: Number(/^status (\d+)$/.exec(text.slice(0, newline))?.[1]),
    stdout: text.slice(newline + 1),
  };
}

const ISA = path.join(GUESTS, "isa");
const isaElfs = readdirSync(ISA).filter((f) => f.endsWith(".elf"));

describe("guest ELFs: instruction tests (guests/isa) against qemu-mipsel", function () {
  for (const file of isaElfs.filter((f) => !f.startsWith("fault-"))) {
    const elfPath = path.join(ISA, file);
    it(`${file}: qemu-mipsel still prints the recorded output and status`, async function () {
      requireQemu(this);
      const rec = recorded(elfPath);
      const run = await runQemu(elfPath);
      expect(rec.status).to.be.lessThan(128);
      expect(run.exitCode).to.equal(rec.status);
      expect(run.stdout.toString("latin1")).to.equal(rec.stdout);
    });
    it(`${file}: zkmips prints exactly qemu-mipsel's output and exits with its status`, async function () {
      const rec = recorded(elfPath);
      const run = await runExecutor(readFileSync(elfPath));
      expect(run.fault, run.fault?.message).to.equal(undefined);
      expect(run.stdout.toString("latin1")).to.equal(rec.stdout);
      expect(run.exitCode).to.equal(rec.status);
      if (run.cycles! <= TRACE_CYCLES) {
        const traced = await runExecutor(readFileSync(elfPath), { trace: true });
        checkSame(traced, run, "tracing vs fast mode");
      }
    });
  }
});

describe("guest ELFs: fault tests (guests/isa/fault-*) fail in both", function () {
  for (const file of isaElfs.filter((f) => f.startsWith("fault-"))) {
    const elfPath = path.join(ISA, file);
    it(`${file}: qemu-mipsel dies after printing "before fault"`, async function () {
      requireQemu(this);
      const run = await runQemu(elfPath);
      expect(run.signal !== null || (run.exitCode ?? 0) !== 0, "qemu must fail").to.equal(true);
      expect(run.stdout.toString()).to.equal("before fault\n");
      expect(recorded(elfPath).status).to.be.greaterThan(128);
    });
    it(`${file}: zkmips stops with a MipsFault naming the faulting PC and word`, async function () {
      const elf = readFileSync(elfPath);
      const faultPc = elfSymbol(elf, "fault_pc");
      expect(faultPc, "fault_pc symbol").to.be.a("number");
      const run = await runExecutor(elf);
      expect(run.fault, `expected a fault, got exit ${run.exitCode}`).to.not.equal(undefined);
      const fault = run.fault!;
      // A jump below 0x1000 may be reported at the jump or at the target it cannot fetch.
      const allowed = file === "fault-low-jump.elf" ? [faultPc, 0x800] : [faultPc];
      expect(allowed, `fault pc 0x${fault.pc.toString(16)}`).to.include(fault.pc);
      const word = elfWordAt(elf, fault.pc);
      if (word !== undefined) expect(fault.word >>> 0, "fault word").to.equal(word);
      expect(fault.message.toLowerCase()).to.include(fault.pc.toString(16).padStart(8, "0"));
    });
  }
});

function goElfs(): string[] {
  const dir = path.join(GUESTS, "go");
  try {
    return readdirSync(dir, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".elf"))
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

describe("guest ELFs: Go guests (guests/go) under qemu-mipsel and zkmips", function () {
  for (const elfPath of goElfs()) {
    for (const input of [Buffer.alloc(0), Buffer.from("zkmips\n")]) {
      it(`${path.relative(GUESTS, elfPath)} with a ${input.length}-byte input: zkmips agrees with qemu-mipsel`, async function () {
        requireQemu(this);
        const q = await runQemu(elfPath, { input });
        const run = await runExecutor(readFileSync(elfPath), { input });
        expect(run.fault, run.fault?.message).to.equal(undefined);
        checkSame(run, q, "zkmips vs qemu-mipsel");
      });
    }
  }
});

describe("guest ELFs through the CLI (zkmips run)", function () {
  it("fibonacci: --input and --public-values give the model's result", async function () {
    const run = await runCli(path.join(GUESTS, "fibonacci/fibonacci.elf"), { input: encodeU32(90) });
    checkExpected(run, ok(fibonacciModel(90)));
  });
  it("sha256 (clang build): stdin is the guest's input", async function () {
    const input = bytes(777, 3);
    const run = await runCli(path.join(GUESTS, "sha256/sha256.clang.elf"), { stdin: input });
    checkExpected(run, ok(sha256Model(input)));
  });
  it("isqrt: --hints feeds fd 4", async function () {
    const m = isqrtModel(123_456_789n);
    const run = await runCli(path.join(GUESTS, "isqrt/isqrt.elf"), {
      input: encodeU64(123_456_789n),
      hints: encodeU32(m.root),
    });
    checkExpected(run, ok(m));
  });
  it("state-transition: a malformed input exits with the guest's status 2", async function () {
    const run = await runCli(path.join(GUESTS, "state-transition/state-transition.elf"), {
      input: Buffer.from([1, 0]),
    });
    checkExpected(run, { exitCode: 2, stdout: "", stderrIncludes: "malformed input" });
  });
  for (const file of ["fault-unaligned-lw.elf", "fault-unknown.elf"]) {
    it(`${file}: exits non-zero after "before fault" and names the PC and the word`, async function () {
      const elfPath = path.join(ISA, file);
      const elf = readFileSync(elfPath);
      const pc = elfSymbol(elf, "fault_pc")!;
      const run = await runCli(elfPath);
      expect(run.exitCode).to.not.equal(0);
      expect(run.stdout.toString()).to.equal("before fault\n");
      const err = run.stderr.toString().toLowerCase();
      expect(err).to.include(pc.toString(16).padStart(8, "0"));
      expect(err).to.include(elfWordAt(elf, pc)!.toString(16).padStart(8, "0"));
    });
  }
});
