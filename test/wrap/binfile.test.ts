import { expect } from "chai";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { readWholeFile } from "../../src/wrap/groth16/binfile.ts";

describe("binfile: readWholeFile (chunked, no 2 GiB readFileSync limit)", () => {
  it("returns exactly the file's bytes", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "zkmips-binfile-"));
    const file = path.join(dir, "x.bin");
    const data = Uint8Array.from({ length: 3 * 1024 * 1024 + 7 }, (_, i) => (i * 31 + 5) & 255);
    writeFileSync(file, data);
    const got = readWholeFile(file);
    expect(got.length).to.equal(data.length);
    expect(Buffer.from(got).equals(readFileSync(file))).to.equal(true);
  });

  it("reads an empty file and fails on a missing one", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "zkmips-binfile-"));
    const empty = path.join(dir, "empty.bin");
    writeFileSync(empty, new Uint8Array(0));
    expect(readWholeFile(empty).length).to.equal(0);
    expect(() => readWholeFile(path.join(dir, "missing.bin"))).to.throw(/ENOENT/);
  });
});
