/** `zkmips run`: exit codes, stdin and --input, --public-values, --stats, --max-cycles, errors. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { DATA, asm, buildElf, exit, li } from "./asm.ts";

const REPO = new URL("../..", import.meta.url).pathname;
const dir = mkdtempSync(path.join(tmpdir(), "zkmips-run-"));

function zkmips(args: string[], stdin?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync("npx", ["zkmips", "run", ...args], {
    cwd: REPO,
    input: stdin ?? "",
    encoding: "utf8",
    timeout: 120000,
  });
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr
      .split("\n")
      .filter((l) => !l.includes("npm warn"))
      .join("\n"),
  };
}

function elf(name: string, words: number[], data?: Uint8Array): string {
  const file = path.join(dir, name);
  writeFileSync(file, buildElf(words, data ? { data } : {}));
  return file;
}

/** Echo guest: copies up to 64 input bytes to stdout and to fd 3, exits with the byte count. */
const echo = elf(
  "echo.elf",
  [
    ...[
      asm.addiu(4, 0, 0),
      ...li(5, DATA),
      asm.addiu(6, 0, 64),
      asm.addiu(2, 0, 4003),
      asm.syscall(),
      asm.addu(16, 2, 0),
    ],
    ...[asm.addiu(4, 0, 1), ...li(5, DATA), asm.addu(6, 16, 0), asm.addiu(2, 0, 4004), asm.syscall()],
    ...[asm.addiu(4, 0, 3), ...li(5, DATA), asm.addu(6, 16, 0), asm.addiu(2, 0, 4004), asm.syscall()],
    ...[asm.addu(4, 16, 0), asm.addiu(2, 0, 4001), asm.syscall()],
  ],
  new Uint8Array(64),
);

describe("zkmips run", () => {
  it("reads stdin, writes stdout, exits with the guest's exit code and writes --public-values", () => {
    const pv = path.join(dir, "pv.bin");
    const r = zkmips([echo, "--public-values", pv], "hello");
    expect(r.stdout).to.equal("hello");
    expect(r.status).to.equal(5);
    expect(readFileSync(pv, "utf8")).to.equal("hello");
  });

  it("concatenates --input files instead of stdin; --stats prints cycles and speed to stderr", () => {
    const a = path.join(dir, "a.txt");
    const b = path.join(dir, "b.txt");
    writeFileSync(a, "ab");
    writeFileSync(b, "cde");
    const r = zkmips([echo, "--input", a, "--input", b, "--stats"], "ignored");
    expect(r.stdout).to.equal("abcde");
    expect(r.status).to.equal(5);
    expect(r.stderr).to.match(/cycles: 22, time: [\d.]+ s, speed: [\d.]+ M instructions\/s/);
  });

  it("runs a committed C guest like qemu does (sha256 of stdin)", () => {
    const r = zkmips([path.join(REPO, "guests/sha256/sha256.elf")], "abc");
    expect(r.status).to.equal(0);
    expect(r.stdout).to.contain("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("reports a guest fault in one line naming pc and word, exit status 2", () => {
    const r = zkmips([elf("fault.elf", [asm.nop(), 0x0000000d])]);
    expect(r.status).to.equal(2);
    expect(r.stderr.trim()).to.equal(
      "zkmips: error: guest fault at pc 0x00400004 (instruction 0x0000000d): break instruction",
    );
  });

  it("stops at --max-cycles with exit status 3", () => {
    const r = zkmips([elf("loop.elf", [asm.beq(0, 0, -1), asm.nop()]), "--max-cycles", "500"]);
    expect(r.status).to.equal(3);
    expect(r.stderr).to.match(/did not exit within 500 cycles/);
  });

  it("rejects a missing file, a malformed ELF and a bad --max-cycles with one error line and status 1", () => {
    const missing = zkmips([path.join(dir, "nope.elf")]);
    expect(missing.status).to.equal(1);
    expect(missing.stderr.trim()).to.match(/^zkmips: error: cannot read guest ELF .*nope\.elf: ENOENT/);
    const junk = path.join(dir, "junk.elf");
    writeFileSync(junk, "not an elf at all, just some text that is long enough to be a header....");
    const bad = zkmips([junk]);
    expect(bad.status).to.equal(1);
    expect(bad.stderr.trim().split("\n")).to.have.length(1);
    expect(bad.stderr).to.match(/malformed guest ELF: no ELF magic/);
    const opt = zkmips([echo, "--max-cycles", "ten"]);
    expect(opt.status).to.equal(1);
    expect(opt.stderr).to.match(/--max-cycles must be a positive integer/);
    void exit;
  });
});
