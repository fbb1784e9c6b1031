/**
 * Differential fuzzing: random MIPS32r2 programs (random-program.ts: integer ALU, shifts,
 * bit fields, hi/lo arithmetic, loads/stores incl. lwl/lwr/swl/swr, forward branches with
 * delay slots and branch-likely) must leave the same registers, hi/lo and memory under
 * qemu-mipsel and zkmips, in fast and tracing mode. Fixed seeds: failures reproduce.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describeFull } from "../support/full.ts";
import { runExecutor } from "./executor.ts";
import { qemuAvailable, runQemu } from "./qemu.ts";
import { randomProgram } from "./random-program.ts";

const seeds = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => Math.imul(0x9e3779b9, from + i + 1) >>> 0);

/** Register names for a readable mismatch report (dump layout: buffer[64], regs[32], hi, lo). */
function describeDiff(a: Buffer, b: Buffer): string {
  for (let i = 0; i < Math.max(a.length, b.length); i += 4) {
    const x = a.readUInt32LE(i);
    const y = b.readUInt32LE(i);
    if (x === y) continue;
    const where = i < 64 ? `buffer+${i}` : i < 64 + 128 ? `$${(i - 64) / 4}` : i === 192 ? "hi" : "lo";
    return `${where}: zkmips 0x${x.toString(16)} vs qemu 0x${y.toString(16)}`;
  }
  return "lengths differ";
}

describe("differential fuzzing: random programs under qemu-mipsel and zkmips", function () {
  let dir = "";
  before(function () {
    dir = mkdtempSync(path.join(tmpdir(), "zkmips-fuzz-"));
  });
  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  async function fuzz(ctx: Mocha.Context, list: number[]): Promise<void> {
    if (!qemuAvailable()) ctx.skip();
    for (const seed of list) {
      const elf = randomProgram(seed);
      const file = path.join(dir, `fuzz-${seed}.elf`);
      writeFileSync(file, elf, { mode: 0o755 }); // qemu-user refuses files without the x bit
      const q = await runQemu(file, { timeoutMs: 20_000 });
      expect(q.exitCode, `qemu on seed ${seed}: ${q.stderr.toString()}`).to.equal(0);
      expect(q.stdout.length).to.equal(200);
      for (const trace of [false, true]) {
        const z = await runExecutor(elf, { trace, maxCycles: 1_000_000 });
        expect(z.fault, `seed ${seed}: ${z.fault?.message}`).to.equal(undefined);
        expect(z.exitCode).to.equal(0);
        const same = z.stdout.equals(q.stdout);
        expect(
          same,
          `seed ${seed} (trace ${trace}): ${same ? "" : describeDiff(z.stdout, q.stdout)}`,
        ).to.equal(true);
      }
    }
  }

  it("60 random programs leave identical registers, hi/lo and memory (fast and tracing mode)", async function () {
    await fuzz(this, seeds(0, 60));
  });

  describeFull("heavy", function () {
    it("2000 more random programs agree", async function () {
      await fuzz(this, seeds(60, 2000));
    });
  });
});
