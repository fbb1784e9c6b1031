/**
 * Conformance of the AIR with the executor on the example guests: the witness generated from the
 * executor's trace satisfies every constraint and balances every bus exactly, and the public values
 * and exit code the AIR recomputes equal the executor's. One guest is proved and verified through the
 * CLI, including rejection of flipped proof bytes; an unsupported instruction class is refused.
 */
import { expect } from "chai";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadElf, execute } from "../../src/mips/index.ts";
import { programImage } from "../../src/mips/air/program.ts";
import { buildMachine } from "../../src/mips/air/machine.ts";
import { generateWitness } from "../../src/mips/air/witness.ts";
import { summaryFromTrace } from "../../src/mips/air/from-trace.ts";
import { checkWitness } from "../../src/mips/air/check.ts";
import { ZkmipsError } from "../../src/errors.ts";

const text = (s: string) => new TextEncoder().encode(s);
const CASES: [string, Uint8Array, Uint8Array?][] = [
  ["fibonacci/fibonacci.elf", Uint8Array.of(30, 0, 0, 0)],
  ["fibonacci/fibonacci.clang.elf", Uint8Array.of(30, 0, 0, 0)],
  ["sha256/sha256.elf", text("zkmips")],
  ["sha256/sha256.clang.elf", text("zkmips")],
  ["keccak/keccak.elf", text("abc")],
  ["keccak/keccak.clang.elf", text("abc")],
  ["isqrt/isqrt.elf", Uint8Array.of(100, 0, 0, 0, 0, 0, 0, 0), Uint8Array.of(10, 0, 0, 0)],
  ["isa/jump.elf", new Uint8Array()],
  ["isa/syscalls.elf", new Uint8Array()],
  ["isa/unaligned.elf", new Uint8Array()],
  ["isa/alu.elf", new Uint8Array()],
  ["isa/mem.elf", new Uint8Array()],
  ["isa/shift.elf", new Uint8Array()],
  ["isa/trap-imm.elf", new Uint8Array()],
  ["isa/trap.elf", new Uint8Array()],
  ["isa/bitops.elf", new Uint8Array()],
  ["isa/branch.elf", new Uint8Array()],
];

describe("MIPS AIR conformance with the executor", function () {
  this.timeout(300_000);
  for (const [elf, input, hints] of CASES) {
    it(`${elf}: the executor's run satisfies the AIR with the same public values and exit code`, () => {
      const prog = loadElf(readFileSync(`guests/${elf}`));
      const r = execute(prog, { trace: true, input, hints, stdout: () => {}, stderr: () => {} });
      const m = buildMachine(programImage(prog));
      const w = generateWitness(m, summaryFromTrace(r.trace!));
      expect(checkWitness(m.air, w.traces, w.publicInputs, m.constraintNames)).to.equal(null);
      expect(Buffer.from(w.publicValues).equals(Buffer.from(r.publicValues))).to.equal(true);
      expect(w.exitCode).to.equal(r.exitCode);
      expect(w.cycles).to.equal(r.cycles);
    });
  }

  it("refuses a run that executes an instruction without a chip (break), naming it", () => {
    const m = buildMachine({
      entry: 0x400000,
      words: new Map([[0x400000, 0x0000000d]]),
      code: [[0x400000, 0x400004]],
      brkStart: 0x401000,
    });
    expect(() =>
      generateWitness(m, {
        pcs: Uint32Array.of(0x400000),
        syscalls: [],
        input: new Uint8Array(),
        hints: new Uint8Array(),
        exitCode: 0,
        publicValues: new Uint8Array(),
      }),
    )
      .to.throw(ZkmipsError)
      .with.property("message")
      .that.matches(/cannot prove pc 0x00400000 \(word 0x0000000d, break\)/);
  });

  describe("CLI: zkmips prove / vkey / verify", () => {
    const dir = mkdtempSync(join(tmpdir(), "zkmips-air-"));
    const proof = join(dir, "fib.proof");
    const zkmips = (...args: string[]) => spawnSync("npx", ["zkmips", ...args], { encoding: "utf8" });
    let vkey = "";
    before(() => {
      writeFileSync(join(dir, "n.bin"), Uint8Array.of(12, 0, 0, 0));
      const out = execFileSync(
        "npx",
        [
          "zkmips",
          "prove",
          "guests/fibonacci/fibonacci.clang.elf",
          "--input",
          join(dir, "n.bin"),
          "-o",
          proof,
          "--json",
        ],
        {
          encoding: "utf8",
        },
      );
      const summary = JSON.parse(out.trim().split("\n").pop()!);
      expect(summary.exitCode).to.equal(0);
      expect(summary.publicValues).to.equal("0c000000" + "9000000000000000"); // n = 12, fib = 144
      vkey = execFileSync("npx", ["zkmips", "vkey", "guests/fibonacci/fibonacci.clang.elf"], {
        encoding: "utf8",
      }).trim();
      expect(vkey).to.match(/^0x[0-9a-f]{64}$/);
    });
    it("verifies with --vkey and with --elf, printing public values and exit code", () => {
      for (const how of [
        ["--vkey", vkey],
        ["--elf", "guests/fibonacci/fibonacci.clang.elf"],
      ]) {
        const r = zkmips("verify", proof, ...how);
        expect(r.status, r.stderr).to.equal(0);
        expect(r.stdout).to.contain("0c0000009000000000000000");
        expect(r.stdout).to.match(/exit code\s+0/);
      }
    });
    it("rejects the proof under another program's vkey (exit code 1)", () => {
      const r = zkmips("verify", proof, "--elf", "guests/fibonacci/fibonacci.elf");
      expect(r.status).to.equal(1);
      expect(r.stderr).to.match(/rejected/);
    });
    it("fails early, with a clear message, on a run longer than 2^20 cycles", () => {
      const r = spawnSync(
        "npx",
        ["zkmips", "prove", "guests/bigloop/bigloop.elf", "-o", join(dir, "big.proof")],
        { encoding: "utf8", input: "" },
      );
      expect(r.status).to.equal(1);
      expect(r.stderr).to.match(
        /zkmips: error: the guest runs longer than 1048576 cycles, the largest run one proof covers/,
      );
    });
    it("rejects random byte flips in the proof file (exit code 1)", () => {
      const bytes = readFileSync(proof);
      for (const pos of [9, 13, 200, Math.floor(bytes.length / 2), bytes.length - 5]) {
        const f = Uint8Array.from(bytes);
        f[pos] ^= 0x10;
        writeFileSync(join(dir, "bad.proof"), f);
        const r = zkmips("verify", join(dir, "bad.proof"), "--vkey", vkey);
        expect(r.status, `flip at ${pos}`).to.equal(1);
        expect(r.stderr, `flip at ${pos}`).to.match(/zkmips: error: /);
      }
    });
  });
});
