/**
 * `zkmips wrap` / `zkmips verify proof.groth16.json` on bad input: one-line errors, exit 1,
 * no stack trace. (The successful paths run in e2e.test.ts and e2e.full.test.ts.)
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { expect } from "chai";
import { tmpFile } from "./r1cs-helpers.ts";

function zkmips(...args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync("npx", ["zkmips", ...args], { encoding: "utf8" });
  return {
    status: r.status,
    stderr: r.stderr
      .split("\n")
      .filter((l) => l && !/npm warn/.test(l))
      .join("\n"),
  };
}

describe("zkmips wrap / verify (Groth16 file): input errors", function () {
  this.timeout(120_000);

  it("wrap without --vkey or --elf is a one-line error", () => {
    const r = zkmips("wrap", "nothing.proof", "-o", tmpFile("x.json"));
    expect(r.status).to.equal(1);
    expect(r.stderr).to.equal("zkmips: error: give exactly one of --vkey and --elf");
  });

  it("wrap of a file that is not a proof is a one-line error", () => {
    const bad = tmpFile("bad.proof");
    fs.writeFileSync(bad, "not a proof");
    const r = zkmips("wrap", bad, "--vkey", "0x" + "11".repeat(32), "-o", tmpFile("x.json"));
    expect(r.status).to.equal(1);
    expect(r.stderr.split("\n").pop()).to.match(/^zkmips: error: not a valid zkmips proof file/);
    expect(r.stderr).to.not.match(/\n\s+at /);
  });

  it("verify of a malformed proof.groth16.json names the field", () => {
    const bad = tmpFile("bad.groth16.json");
    fs.writeFileSync(bad, JSON.stringify({ version: 1, shapeId: "x", selector: "0x12" }));
    const r = zkmips("verify", bad);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/^zkmips: error: .*selector/);
  });

  it("verify of a Groth16 file whose selector has no cached key says what to pass", () => {
    const f = tmpFile("nokey.groth16.json");
    fs.writeFileSync(
      f,
      JSON.stringify({
        version: 1,
        shapeId: "x",
        selector: "0x00000001",
        programVKey: "0x" + "00".repeat(32),
        publicValues: "0x",
        proofBytes: "0x00000001" + "00".repeat(256),
      }),
    );
    const r = zkmips("verify", f, "--groth16-vkey", tmpFile("missing.json"));
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/^zkmips: error: no Groth16 verifying key for selector 0x00000001/);
  });
});
