/**
 * Heavy (ZKMIPS_FULL=1): the Go guest (guests/go/hello, ~465k cycles) is proved and verified with the
 * default options; its syscalls go through the SysMisc chip. Needs several GB and minutes.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { describeFull } from "../support/full.ts";
import { loadElf, execute } from "../../src/mips/index.ts";
import { proveElf } from "../../src/mips/air/pipeline.ts";
import { decodeProofFile, verifyMips } from "../../src/mips/air/prove.ts";
import { programImage } from "../../src/mips/air/program.ts";

describeFull("MIPS AIR: prove and verify the Go guest", function () {
  this.timeout(3_600_000);
  it("guests/go/hello: proves, verifies, and states exit code 0", async () => {
    const bytes = new Uint8Array(readFileSync("guests/go/hello/hello.elf"));
    const input = new TextEncoder().encode("abc");
    const run = execute(loadElf(bytes), { input, stdout: () => {}, stderr: () => {} });
    const proof = await proveElf(bytes, { input });
    expect(proof.stats.rowsPerTable.SysMisc).to.be.greaterThan(250);
    expect(decodeProofFile(proof.file).sysmisc).to.equal(true);
    const st = await verifyMips(proof.file, { program: programImage(loadElf(bytes)) });
    expect(st.exitCode).to.equal(run.exitCode).and.to.equal(0);
    expect(st.publicValues.length).to.equal(0);
  });
});
