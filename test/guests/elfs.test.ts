/**
 * The committed guest ELFs: well-formed for zkmips (ELF32 LE MIPS executables whose loaded
 * segments stay inside [0x1000, 0x7F000000) and do not overlap), small, and exactly what
 * guests/build.sh produces from the committed sources (when the cross compilers exist).
 */
import { expect } from "chai";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const GUESTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../guests");

/** guests/<name>/*.elf and guests/isa/*.elf, relative to guests/ (Go guests excluded). */
function ownElfs(): string[] {
  const out: string[] = [];
  for (const dir of readdirSync(GUESTS)) {
    if (dir === "go" || !statSync(path.join(GUESTS, dir)).isDirectory()) continue;
    for (const f of readdirSync(path.join(GUESTS, dir))) if (f.endsWith(".elf")) out.push(`${dir}/${f}`);
  }
  return out.sort();
}

interface Segment {
  vaddr: number;
  memsz: number;
  filesz: number;
}

function loadSegments(elf: Buffer): { entry: number; segments: Segment[] } {
  expect(elf.subarray(0, 4).toString("latin1")).to.equal("\x7fELF");
  expect(elf[4], "ELFCLASS32").to.equal(1);
  expect(elf[5], "little-endian").to.equal(1);
  expect(elf.readUInt16LE(16), "ET_EXEC").to.equal(2);
  expect(elf.readUInt16LE(18), "EM_MIPS").to.equal(8);
  const phoff = elf.readUInt32LE(28);
  const segments: Segment[] = [];
  for (let i = 0; i < elf.readUInt16LE(44); i++) {
    const b = phoff + i * elf.readUInt16LE(42);
    if (elf.readUInt32LE(b) !== 1) continue;
    segments.push({
      vaddr: elf.readUInt32LE(b + 8),
      filesz: elf.readUInt32LE(b + 16),
      memsz: elf.readUInt32LE(b + 20),
    });
  }
  return { entry: elf.readUInt32LE(24), segments };
}

describe("committed guest ELFs", function () {
  const elfs = ownElfs();

  it("include a gcc and a clang build of every C guest and an ELF for every .S test", function () {
    for (const dir of readdirSync(GUESTS)) {
      if (dir === "go" || dir === "isa" || dir === "sdk") continue;
      if (!statSync(path.join(GUESTS, dir)).isDirectory()) continue;
      expect(elfs).to.include.members([`${dir}/${dir}.elf`, `${dir}/${dir}.clang.elf`]);
    }
    for (const f of readdirSync(path.join(GUESTS, "isa")).filter((f) => f.endsWith(".S"))) {
      expect(elfs).to.include(`isa/${f.replace(/\.S$/, ".elf")}`);
    }
  });

  for (const rel of elfs) {
    it(`${rel}: ELF32 LE MIPS executable, segments inside [0x1000, 0x7F000000) without overlap, < 32 KiB`, function () {
      const elf = readFileSync(path.join(GUESTS, rel));
      expect(elf.length).to.be.lessThan(32 * 1024);
      const { entry, segments } = loadSegments(elf);
      expect(segments.length).to.be.greaterThan(0);
      for (const s of segments) {
        expect(s.vaddr, "segment start").to.be.at.least(0x1000);
        expect(s.vaddr + s.memsz, "segment end").to.be.at.most(0x7f000000);
        expect(s.filesz).to.be.at.most(s.memsz);
      }
      const sorted = [...segments].sort((a, b) => a.vaddr - b.vaddr);
      for (let i = 1; i < sorted.length; i++) {
        expect(sorted[i].vaddr, "segments overlap").to.be.at.least(sorted[i - 1].vaddr + sorted[i - 1].memsz);
      }
      expect(
        segments.some((s) => entry >= s.vaddr && entry < s.vaddr + s.filesz),
        "entry inside a segment",
      ).to.equal(true);
    });
  }

  it("are exactly what guests/build.sh builds from the committed sources", function () {
    const have = (cmd: string) => spawnSync(cmd, ["--version"], { stdio: "ignore" }).status === 0;
    if (!have("mipsel-linux-gnu-gcc") || !have("clang") || !have("ld.lld")) this.skip();
    const out = mkdtempSync(path.join(tmpdir(), "zkmips-guests-"));
    try {
      execFileSync("bash", [path.join(GUESTS, "build.sh"), out], { stdio: "pipe" });
      for (const rel of elfs) {
        const fresh = readFileSync(path.join(out, rel));
        expect(
          fresh.equals(readFileSync(path.join(GUESTS, rel))),
          `${rel} differs from a fresh build`,
        ).to.equal(true);
      }
      if (spawnSync("qemu-mipsel", ["--version"], { stdio: "ignore" }).status === 0) {
        for (const f of readdirSync(path.join(out, "isa")).filter((f) => f.endsWith(".qemu.txt"))) {
          const fresh = readFileSync(path.join(out, "isa", f));
          expect(fresh.equals(readFileSync(path.join(GUESTS, "isa", f))), `isa/${f} is stale`).to.equal(true);
        }
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
