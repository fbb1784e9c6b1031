/** The Go guest (GOARCH=mipsle, softfloat) prints the same under zkmips as under qemu-mipsel. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { execute, loadElf } from "../../src/mips/index.ts";
import { hasQemu } from "./qemu.ts";

const ELF = new URL("../../guests/go/hello/hello.elf", import.meta.url).pathname;

describe("Go guest (guests/go/hello)", () => {
  const inputs = ["", "hello, zkmips\n", "x".repeat(5000)];

  it("patches runtime.gcenable (documented) and runs to exit 0 with the sha256 of its input", () => {
    const p = loadElf(readFileSync(ELF));
    expect(p.patches.map((x) => x.name)).to.deep.equal(["runtime.gcenable"]);
    const r = execute(p, { input: new TextEncoder().encode("abc") });
    expect(r.exitCode).to.equal(0);
    expect(new TextDecoder().decode(r.stdout)).to.contain(
      "sha256(input) = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });

  for (const input of inputs) {
    it(`stdout and exit code equal qemu-mipsel's for a ${input.length}-byte input`, function () {
      if (!hasQemu) this.skip();
      const q = spawnSync("qemu-mipsel", [ELF], { input, timeout: 60000 });
      const r = execute(loadElf(readFileSync(ELF)), { input: new TextEncoder().encode(input) });
      expect(new TextDecoder().decode(r.stdout)).to.equal(q.stdout.toString());
      expect(r.exitCode).to.equal(q.status);
    });
  }
});
