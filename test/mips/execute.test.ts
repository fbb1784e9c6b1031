/** Fast mode and tracing mode agree; the trace is a consistent memory argument; the cycle limit. */
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { CycleLimitError, execute, loadElf, type ExecutionTrace } from "../../src/mips/index.ts";
import { createMachine } from "../../src/mips/execute.ts";
import { asm, exit, program } from "./asm.ts";

const guest = (p: string): Uint8Array => readFileSync(new URL(`../../guests/${p}`, import.meta.url));

/** Replays every access of the trace against a memory model; throws on the first inconsistency. */
function checkTrace(t: ExecutionTrace): void {
  const mem = new Map<number, { value: number; ts: number }>();
  t.initialImage.addr.forEach((a, i) => mem.set(a, { value: t.initialImage.value[i], ts: 0 }));
  const access = (
    row: number,
    addr: number,
    prev: number,
    value: number,
    prevClk: number,
    ts: number,
    write: boolean,
  ): void => {
    const last = mem.get(addr) ?? { value: 0, ts: 0 };
    if (last.value !== prev || last.ts !== prevClk) {
      throw new Error(
        `row ${row} addr ${addr}: prev ${prev}@${prevClk}, memory has ${last.value}@${last.ts}`,
      );
    }
    if (!write && value !== prev) throw new Error(`row ${row} addr ${addr}: a read changed the value`);
    if (!(prevClk < ts)) throw new Error(`row ${row}: timestamps not increasing`);
    mem.set(addr, { value, ts });
  };
  let e = 0;
  for (let row = 0; row < t.rows; row++) {
    if (t.clk[row] !== row) throw new Error(`row ${row}: clk ${t.clk[row]}`);
    if (row + 1 < t.rows && t.nextPc[row] !== t.pc[row + 1])
      throw new Error(`row ${row}: nextPc is not the next row's pc`);
    const f = t.accessFlags[row];
    for (let s = 0; s < 5; s++) {
      if (!(f & (1 << s))) continue;
      const c = t.slots[s];
      access(
        row,
        c.addr[row],
        c.prevValue[row],
        c.value[row],
        c.prevClk[row],
        8 * row + s + 1,
        (f & (256 << s)) !== 0,
      );
    }
    for (; e < t.extra.row.length && t.extra.row[e] === row; e++) {
      const x = t.extra;
      access(row, x.addr[e], x.prevValue[e], x.value[e], x.prevClk[e], 8 * row + 6, x.write[e] === 1);
    }
  }
  expect(e, "every extra access belongs to a row").to.equal(t.extra.row.length);
  expect(t.finalImage.addr.length).to.equal(mem.size - [...mem.values()].filter((m) => m.ts === 0).length);
  t.finalImage.addr.forEach((a, i) => {
    expect(mem.get(a), `final image of ${a}`).to.deep.equal({
      value: t.finalImage.value[i],
      ts: t.finalImage.lastClk[i],
    });
  });
}

describe("MIPS executor: fast and tracing modes", () => {
  const cases: [string, Uint8Array][] = [
    ["sha256/sha256.elf", new TextEncoder().encode("abc".repeat(50))],
    ["keccak/keccak.clang.elf", new TextEncoder().encode("hello")],
    ["selftest/selftest.elf", new Uint8Array(0)],
    ["go/hello/hello.elf", new TextEncoder().encode("zk\n")],
  ];
  for (const [name, input] of cases) {
    it(`${name}: the same result in both modes, and a consistent trace`, function () {
      let bytes: Uint8Array;
      try {
        bytes = guest(name);
      } catch {
        this.skip();
      }
      const p = loadElf(bytes!);
      const fast = execute(p, { input });
      const traced = execute(p, { input, trace: true });
      const t = traced.trace!;
      expect({ ...traced, trace: undefined }).to.deep.equal({ ...fast, trace: undefined });
      expect(t.rows).to.equal(fast.cycles);
      expect(t.exitCode).to.equal(fast.exitCode);
      expect([...t.publicValues]).to.deep.equal([...fast.publicValues]);
      expect([...t.input]).to.deep.equal([...input.subarray(0, fast.inputConsumed)]);
      checkTrace(t);
    });
  }

  it("records a madd row with four register accesses (rs, rt, hi, lo) and a store with prev/new values", () => {
    const t = execute(
      program([asm.addiu(8, 0, 3), asm.addiu(9, 0, 5), asm.madd(8, 9), asm.sw(9, -4, 29), ...exit(0)]),
      { trace: true },
    ).trace!;
    expect(t.accessFlags[2]).to.equal(0b1111 | (0b1100 << 8));
    expect([0, 1, 2, 3].map((s) => t.slots[s].addr[2])).to.deep.equal([8, 9, 32, 33]);
    expect(t.slots[3].value[2]).to.equal(15);
    expect(t.accessFlags[3] & 0x1010).to.equal(0x1010);
    expect(t.slots[4].value[3]).to.equal(5);
    checkTrace(t);
  });

  for (const [name, input] of [
    ["selftest/selftest.clang.elf", new Uint8Array(0)],
    ["bigloop/bigloop.elf", new Uint8Array([0x40, 0x42, 0x0f, 0])],
    ["keccak/keccak.elf", new Uint8Array(3000).fill(7)],
    ["go/hello/hello.elf", new TextEncoder().encode("abc")],
  ] as const) {
    it(`${name}: compiled blocks leave the same registers, memory and cycle count as the interpreter`, function () {
      let bytes: Uint8Array;
      try {
        bytes = guest(name);
      } catch {
        this.skip();
      }
      const p = loadElf(bytes!);
      const io = { input, hints: new Uint8Array(0), stdout: () => {}, stderr: () => {} };
      const a = createMachine(p, io).cpu;
      const b = createMachine(p, io).cpu;
      // stop part-way too: the cycle limit must be exact in both paths
      for (const limit of [12345, Number.MAX_SAFE_INTEGER]) {
        a.runFast(limit);
        b.run(limit);
        expect(a.cycles).to.equal(b.cycles);
        expect(a.pc).to.equal(b.pc);
        expect([...a.r.subarray(0, 35)]).to.deep.equal([...b.r.subarray(0, 35)]);
      }
      expect(a.halted && b.halted).to.equal(true);
      const words = (c: typeof a): number[] => {
        const out: number[] = [];
        c.mem.forEachNonzero((addr, w) => out.push(addr, w));
        return out;
      };
      expect(words(a)).to.deep.equal(words(b));
    });
  }

  it("a fault inside a compiled block names the same pc and stops at the same cycle as the interpreter", () => {
    // loop: t0 counts down from 100; teq fires when t0 == 40 (the block is compiled by then)
    const words = [
      asm.addiu(8, 0, 100),
      asm.addiu(10, 0, 40),
      asm.addiu(8, 8, -1),
      asm.teq(8, 10),
      asm.bne(8, 0, -3),
      asm.nop(),
      ...exit(0),
    ];
    const p = program(words);
    const io = { input: new Uint8Array(0), hints: new Uint8Array(0), stdout: () => {}, stderr: () => {} };
    const results = [true, false].map((compiled) => {
      const { cpu } = createMachine(p, io);
      try {
        if (compiled) cpu.runFast(1e6);
        else cpu.run(1e6);
      } catch (e) {
        return { message: (e as Error).message, cycles: cpu.cycles, pc: cpu.pc, t0: cpu.r[8] };
      }
      throw new Error("expected a trap");
    });
    expect(results[0]).to.deep.equal(results[1]);
    expect(results[0].t0).to.equal(40);
    expect(results[0].message).to.match(/pc 0x0040000c .*trap \(teq/);
  });

  it("stops with CycleLimitError at --max-cycles, in both modes", () => {
    const loop = program([asm.beq(0, 0, -1), asm.nop()]);
    expect(() => execute(loop, { maxCycles: 1000 })).to.throw(
      CycleLimitError,
      /did not exit within 1000 cycles/,
    );
    expect(() => execute(loop, { maxCycles: 1000, trace: true })).to.throw(CycleLimitError);
    expect(execute(program(exit(4)), { maxCycles: 3 }).exitCode).to.equal(4);
  });
});
