/**
 * Heavy (ZKMIPS_FULL=1): every C example guest is proved and verified with the default options,
 * and the proof's statement equals the executor's public values and exit code.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { describeFull } from "../support/full.ts";
import { loadElf, execute } from "../../src/mips/index.ts";
import { proveElf } from "../../src/mips/air/pipeline.ts";
import { verifyMips } from "../../src/mips/air/prove.ts";
import { programImage } from "../../src/mips/air/program.ts";
import { buildMachine } from "../../src/mips/air/machine.ts";
import { generateWitness } from "../../src/mips/air/witness.ts";
import { summaryFromTrace } from "../../src/mips/air/from-trace.ts";
import { checkWitness } from "../../src/mips/air/check.ts";

const text = (s: string) => new TextEncoder().encode(s);
const CASES: [string, Uint8Array, Uint8Array?][] = [
  ["fibonacci/fibonacci.elf", Uint8Array.of(100, 0, 0, 0)],
  ["sha256/sha256.elf", text("zkmips-bridge")],
  ["sha256/sha256.clang.elf", text("zkmips-bridge")],
  ["keccak/keccak.elf", text("abc")],
  ["keccak/keccak.clang.elf", text("abc")],
  ["isqrt/isqrt.clang.elf", Uint8Array.of(0x40, 0x42, 0x0f, 0, 0, 0, 0, 0), Uint8Array.of(0xe8, 0x03, 0, 0)],
];

describeFull("MIPS AIR: conformance of the long ISA test (muldiv, 321k cycles)", function () {
  this.timeout(600_000);
  it("isa/muldiv.elf: the executor's run satisfies the AIR with the same public values and exit code", () => {
    const prog = loadElf(readFileSync("guests/isa/muldiv.elf"));
    const r = execute(prog, { trace: true, stdout: () => {}, stderr: () => {} });
    const m = buildMachine(programImage(prog));
    const w = generateWitness(m, summaryFromTrace(r.trace!));
    expect(checkWitness(m.air, w.traces, w.publicInputs, m.constraintNames)).to.equal(null);
    expect(Buffer.from(w.publicValues).equals(Buffer.from(r.publicValues))).to.equal(true);
    expect(w.exitCode).to.equal(r.exitCode);
  });
});

describeFull("MIPS AIR: prove and verify every example guest", function () {
  this.timeout(3_600_000);
  for (const [elf, input, hints] of CASES) {
    it(`${elf}: proves, verifies, and states the executor's public values and exit code`, async () => {
      const bytes = new Uint8Array(readFileSync(`guests/${elf}`));
      const run = execute(loadElf(bytes), { input, hints, stdout: () => {}, stderr: () => {} });
      const proof = await proveElf(bytes, { input, hints });
      const st = await verifyMips(proof.file, { program: programImage(loadElf(bytes)) });
      expect(Buffer.from(st.publicValues).equals(Buffer.from(run.publicValues))).to.equal(true);
      expect(st.exitCode).to.equal(run.exitCode);
    });
  }
});
