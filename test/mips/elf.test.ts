/** ELF loader: accepts a well-formed guest, rejects each kind of malformed file with a clear error. */
import { expect } from "chai";
import { ZkmipsError } from "../../src/errors.ts";
import { STACK_TOP, loadElf } from "../../src/mips/index.ts";
import { DATA, TEXT, asm, buildElf, exit, type ElfOptions } from "./asm.ts";

const WORDS = [asm.nop(), ...exit(0)];

function rejects(opts: ElfOptions, re: RegExp, bytes?: Uint8Array): void {
  const elf = bytes ?? buildElf(WORDS, opts);
  let err: unknown;
  try {
    loadElf(elf);
  } catch (e) {
    err = e;
  }
  expect(err, "loadElf must throw").to.be.instanceOf(ZkmipsError);
  expect((err as Error).message)
    .to.match(/^malformed guest ELF: /)
    .and.match(re);
}

describe("MIPS executor: ELF loader", () => {
  it("loads text and data segments, the entry point and the initial stack", () => {
    const p = loadElf(buildElf(WORDS, { data: new Uint8Array(100) }));
    expect(p.entry).to.equal(TEXT);
    expect(p.segments.map((s) => s.vaddr)).to.deep.equal([TEXT, DATA, p.initialSp]);
    expect(p.brkStart).to.equal(DATA + 0x1000);
    expect(p.initialSp % 16).to.equal(0);
    const stack = p.segments[2];
    expect(stack.vaddr + stack.data.length).to.equal(STACK_TOP);
    const v = new DataView(stack.data.buffer);
    expect(v.getUint32(0, true), "argc").to.equal(1);
    const argv0 = v.getUint32(4, true) - p.initialSp;
    expect(new TextDecoder().decode(stack.data.subarray(argv0, argv0 + 5))).to.equal("guest");
    expect(v.getUint32(8, true), "argv terminator").to.equal(0);
    expect(v.getUint32(12, true), "empty envp").to.equal(0);
    const aux = new Map<number, number>();
    for (let o = 16; ; o += 8) {
      const t = v.getUint32(o, true);
      if (t === 0) break;
      aux.set(t, v.getUint32(o + 4, true));
    }
    expect(aux.get(6), "AT_PAGESZ").to.equal(4096);
    expect(aux.get(9), "AT_ENTRY").to.equal(TEXT);
    const rnd = aux.get(25)! - p.initialSp;
    expect([...stack.data.subarray(rnd, rnd + 16)], "AT_RANDOM bytes").to.deep.equal([...Array(16).keys()]);
  });

  it("rejects a truncated header", () =>
    rejects({}, /shorter than an ELF32 header/, buildElf(WORDS).subarray(0, 40)));
  it("rejects a file without the ELF magic", () =>
    rejects({ patch: (_v, b) => (b[1] = 0x46) }, /no ELF magic/));
  it("rejects ELFCLASS64", () => rejects({ patch: (_v, b) => (b[4] = 2) }, /class 2 is not ELFCLASS32/));
  it("rejects big-endian files", () => rejects({ patch: (_v, b) => (b[5] = 2) }, /not little-endian/));
  it("rejects another machine", () =>
    rejects({ patch: (v) => v.setUint16(18, 0xf3, true) }, /machine 243 is not EM_MIPS/));
  it("rejects ET_DYN (PIE) and ET_REL", () => {
    rejects({ patch: (v) => v.setUint16(16, 3, true) }, /type 3 is not ET_EXEC/);
    rejects({ patch: (v) => v.setUint16(16, 1, true) }, /type 1 is not ET_EXEC/);
  });
  it("rejects MIPS32r6 and 64-bit ISA flags", () => {
    rejects({ patch: (v) => v.setUint32(36, 0x90001000, true) }, /ISA level flags 0x90001000/);
    rejects({ patch: (v) => v.setUint32(36, 0x60000000, true) }, /ISA level flags/);
  });
  it("rejects program headers past the end of the file", () =>
    rejects({ patch: (v) => v.setUint16(44, 0xffff, true) }, /program headers end at/));
  it("rejects a segment whose file bytes are truncated", () => {
    const full = buildElf(WORDS);
    rejects({}, /truncated/, full.subarray(0, full.length - 4));
  });
  it("rejects a segment below 0x1000", () =>
    rejects({ patch: (v) => v.setUint32(52 + 8, 0x800, true) }, /lies outside \[0x00001000/));
  it("rejects a segment reaching into the stack or beyond 0x7F000000", () => {
    rejects({ patch: (v) => v.setUint32(52 + 8, 0x7efffff0, true) }, /lies outside/);
    rejects({ patch: (v) => v.setUint32(52 + 8, 0xfffffff0, true) }, /lies outside/);
  });
  it("rejects overlapping segments", () =>
    rejects(
      { data: new Uint8Array(16), patch: (v) => v.setUint32(52 + 32 + 8, TEXT + 8, true) },
      /overlaps/,
    ));
  it("rejects file size above memory size", () =>
    rejects({ patch: (v) => v.setUint32(52 + 20, 4, true) }, /exceeds its memory size/));
  it("rejects an entry point outside executable segments or unaligned", () => {
    rejects(
      { data: new Uint8Array(16), patch: (v) => v.setUint32(24, DATA, true) },
      /not inside an executable segment/,
    );
    rejects({ patch: (v) => v.setUint32(24, TEXT + 2, true) }, /not word-aligned/);
  });
  it("rejects dynamically linked executables", () =>
    rejects({ patch: (v) => v.setUint32(52, 3, true) }, /dynamically linked/));
  it("rejects a file without loadable segments", () =>
    rejects({ patch: (v) => v.setUint32(52, 4, true) }, /no loadable segment/));
});
