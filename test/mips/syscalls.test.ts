/** Syscalls: brk, mmap, read (partial, EOF, hints), write (fds 1-3, bad fd), exit codes, clock. */
import { expect } from "chai";
import { MipsFault, execute } from "../../src/mips/index.ts";
import { MAX_ADDR, MIN_ADDR } from "../../src/mips/layout.ts";
import { DATA, asm, exit, li, program, runSteps } from "./asm.ts";

const V0 = 2,
  A0 = 4,
  A3 = 7,
  S0 = 16,
  S1 = 17,
  S2 = 18,
  S3 = 19,
  S4 = 20,
  S5 = 21,
  SP = 29;

/** syscall(num, a0..a3) leaving the results in v0/a3. */
function sys(num: number, ...args: number[]): number[] {
  const out: number[] = [];
  args.forEach((a, i) => out.push(...li(A0 + i, a)));
  out.push(...li(V0, num), asm.syscall());
  return out;
}

describe("MIPS executor: syscalls", () => {
  it("brk(0) returns the initial break; brk(valid) sets it; brk(invalid) returns the current break; new memory is zero", () => {
    const words = [
      ...sys(4045, 0),
      asm.addu(S0, V0, 0),
      asm.addiu(A0, S0, 0x2000),
      ...li(V0, 4045),
      asm.syscall(),
      asm.addu(S1, V0, 0),
      ...sys(4045, 0x100),
      asm.addu(S2, V0, 0),
      asm.addiu(1, S0, 0x100),
      asm.lw(S3, 0, 1),
    ];
    const cpu = runSteps([...words, ...exit(0)], 1000, { data: new Uint8Array(64) });
    expect(cpu.halted).to.equal(true);
    expect(cpu.r[S0] >>> 0).to.equal(DATA + 0x1000);
    expect(cpu.r[S1] >>> 0).to.equal(DATA + 0x3000);
    expect(cpu.r[S2] >>> 0).to.equal(DATA + 0x3000);
    expect(cpu.r[S3]).to.equal(0);
  });

  it("mmap/mmap2 return fresh zeroed page-aligned regions inside guest memory; MAP_FIXED honours the address", () => {
    // mmap(0, 10000, RW, MAP_PRIVATE|MAP_ANONYMOUS, fd = -1 at sp+16, 0 at sp+20)
    const pre = [asm.addiu(SP, SP, -32), asm.addiu(1, 0, -1), asm.sw(1, 16, SP), asm.sw(0, 20, SP)];
    const words = [
      ...pre,
      ...sys(4090, 0, 10000, 3, 0x802),
      asm.addu(S0, V0, 0),
      asm.addu(S4, A3, 0),
      ...sys(4210, 0, 4096, 3, 0x802),
      asm.addu(S1, V0, 0),
      asm.lw(S2, 8000, S0),
      asm.addiu(1, 0, 55),
      asm.sw(1, 0, S1),
      ...sys(4090, 0x10000000, 4096, 3, 0x812),
      asm.addu(S3, V0, 0),
      ...sys(4090, 0, 4096, 3, 0x2), // not anonymous
      asm.addu(S5, A3, 0),
    ];
    const cpu = runSteps([...words, ...exit(0)], 1000);
    expect(cpu.halted).to.equal(true);
    const a = cpu.r[S0] >>> 0;
    const b = cpu.r[S1] >>> 0;
    expect(cpu.r[S4], "a3 after mmap").to.equal(0);
    expect(a % 4096).to.equal(0);
    expect(b % 4096).to.equal(0);
    expect(a).to.be.at.least(MIN_ADDR);
    expect(a + 12288).to.be.at.most(MAX_ADDR);
    expect(b + 4096 <= a || b >= a + 12288, "regions do not overlap").to.equal(true);
    expect(cpu.r[S2]).to.equal(0);
    expect(cpu.r[S3] >>> 0).to.equal(0x10000000);
    expect(cpu.r[S5], "file mappings fail with a3 = 1").to.equal(1);
  });

  it("read returns what is left (partial), then 0 at end of input; hints come from fd 4", () => {
    const words = [
      ...sys(4003, 0, DATA, 100),
      asm.addu(S0, V0, 0),
      ...sys(4003, 0, DATA + 100, 100),
      asm.addu(S1, V0, 0),
      ...sys(4003, 4, DATA + 200, 2),
      asm.addu(S2, V0, 0),
      ...li(1, DATA),
      asm.lw(S3, 0, 1),
      asm.lhu(S4, 200, 1),
      ...sys(4003, 7, DATA, 1),
      asm.addu(S5, V0, 0),
      asm.addu(22, A3, 0),
    ];
    const { cpu } = (() => {
      const cpu = runSteps([...words, ...exit(0)], 1000, {
        data: new Uint8Array(0x1000),
        input: new Uint8Array([1, 2, 3, 4, 5]),
      });
      return { cpu };
    })();
    expect(cpu.r[S0]).to.equal(5);
    expect(cpu.r[S1]).to.equal(0);
    expect(cpu.r[S2]).to.equal(0); // no hints given here
    expect(cpu.r[S3] >>> 0).to.equal(0x04030201);
    expect([cpu.r[S5], cpu.r[22]], "EBADF").to.deep.equal([9, 1]);
    const withHints = execute(
      program([...sys(4003, 4, DATA, 8), ...sys(4004, 3, DATA, 8), ...exit(3)], { data: new Uint8Array(16) }),
      {
        hints: new Uint8Array([9, 8, 7]),
      },
    );
    expect([...withHints.publicValues]).to.deep.equal([9, 8, 7, 0, 0, 0, 0, 0]);
    expect(withHints.hintsConsumed).to.equal(3);
    expect(withHints.exitCode).to.equal(3);
  });

  it("write sends fd 1 and 2 to the callbacks and fd 3 to the public values; exit code is a0 & 0xff", () => {
    const data = new TextEncoder().encode("out!err!pub!");
    const r = execute(
      program(
        [
          ...sys(4004, 1, DATA, 4),
          ...sys(4004, 2, DATA + 4, 4),
          ...sys(4004, 3, DATA + 8, 4),
          ...sys(4246, 0x1ff),
        ],
        { data },
      ),
    );
    expect(new TextDecoder().decode(r.stdout)).to.equal("out!");
    expect(new TextDecoder().decode(r.stderr)).to.equal("err!");
    expect(new TextDecoder().decode(r.publicValues)).to.equal("pub!");
    expect(r.exitCode).to.equal(0xff);
    const chunks: string[] = [];
    execute(program([...sys(4004, 1, DATA, 4), ...exit(0)], { data }), {
      stdout: (c) => chunks.push(new TextDecoder().decode(c)),
    });
    expect(chunks).to.deep.equal(["out!"]);
  });

  it("clock_gettime is deterministic: each call advances the virtual clock by 1 us", () => {
    const ts = [
      ...sys(4263, 1, DATA, 0, 0),
      ...sys(4263, 1, DATA + 8, 0, 0),
      ...li(1, DATA),
      asm.lw(S0, 4, 1),
      asm.lw(S1, 12, 1),
      asm.lw(S2, 8, 1),
      ...exit(0),
    ];
    const cpu = runSteps(ts, 100, { data: new Uint8Array(16) });
    expect([cpu.r[S0], cpu.r[S1], cpu.r[S2]]).to.deep.equal([1000, 2000, 0]);
  });

  it("faults on an unknown syscall, naming the number and the pc", () => {
    expect(() => execute(program([...sys(4999), ...exit(0)]))).to.throw(MipsFault, /unknown syscall 4999/);
  });
});
