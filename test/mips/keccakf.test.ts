/** The keccak-f[1600] precompile: the TS permutation against @noble/hashes, and the syscall in both modes. */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { keccakP, keccak_256 } from "@noble/hashes/sha3.js";
import { keccakF, keccakRounds } from "../../src/mips/keccakf.ts";
import { SYS_KECCAKF } from "../../src/mips/syscalls.ts";
import { readFileSync } from "node:fs";
import { MipsFault, execute, loadElf } from "../../src/mips/index.ts";
import { DATA, asm, exit, li, program } from "./asm.ts";

const randomState = (): Uint32Array => new Uint32Array(randomBytes(200).buffer.slice(0));

/** keccak_256 built on keccakF (rate 136, pad 0x01 ... 0x80), to check the permutation end to end. */
function keccak256(msg: Uint8Array): Uint8Array {
  const s = new Uint32Array(50);
  const bytes = new Uint8Array(s.buffer);
  const padded = new Uint8Array(Math.floor(msg.length / 136) * 136 + 136);
  padded.set(msg);
  padded[msg.length] ^= 0x01;
  padded[padded.length - 1] ^= 0x80;
  for (let off = 0; off < padded.length; off += 136) {
    for (let i = 0; i < 136; i++) bytes[i] ^= padded[off + i];
    keccakF(s);
  }
  return bytes.slice(0, 32);
}

/** keccakf(DATA) then exit 0; the state is the data segment. */
const CALL = [...li(4, DATA), ...li(2, SYS_KECCAKF), asm.syscall(), ...exit(0)];

describe("keccak-f[1600] precompile (executor)", () => {
  it("keccakF equals @noble/hashes' keccakP on 200 random states", () => {
    for (let t = 0; t < 200; t++) {
      const s = randomState();
      const ref = s.slice();
      keccakF(s);
      keccakP(ref, 24);
      expect(Buffer.from(s.buffer).equals(Buffer.from(ref.buffer))).to.equal(true);
    }
  });

  it("a sponge over keccakF equals keccak_256 on random messages of 0..400 bytes", () => {
    for (const len of [0, 1, 55, 135, 136, 137, 271, 272, 400]) {
      const msg = randomBytes(len);
      expect(Buffer.from(keccak256(msg)).toString("hex")).to.equal(
        Buffer.from(keccak_256(msg)).toString("hex"),
      );
    }
  });

  it("keccakRounds ends with keccakF's output and starts with the input", () => {
    const s = randomState();
    const rounds = keccakRounds(s);
    expect(rounds).to.have.length(25);
    const f = s.slice();
    keccakF(f);
    expect([...rounds[24]]).to.deep.equal([...f]);
    expect([...rounds[0]]).to.deep.equal([...s]);
  });

  it("the syscall permutes the 200 bytes at $a0 in place, returns v0 = 0, a3 = 0, in fast and tracing mode", () => {
    const st = randomState();
    const prog = program([...li(2, SYS_KECCAKF), ...li(7, 5), ...li(4, DATA), asm.syscall(), ...exit(0)], {
      data: new Uint8Array(st.buffer),
    });
    const want = st.slice();
    keccakF(want);
    for (const trace of [false, true]) {
      const r = execute(prog, { trace });
      expect(r.exitCode).to.equal(0);
      if (!trace) continue;
      const t = r.trace!;
      const row = t.instruction.findIndex((w) => w === 0x0000000c);
      const e = t.extra;
      const mem = [...e.addr.keys()].filter((k) => e.row[k] === row && e.addr[k] >= DATA);
      expect(mem).to.have.length(50);
      mem.forEach((k, i) => {
        expect(e.addr[k]).to.equal(DATA + 4 * i);
        expect(e.prevValue[k]).to.equal(st[i]);
        expect(e.value[k]).to.equal(want[i]);
      });
      const reg = (n: number) => [...e.addr.keys()].find((k) => e.row[k] === row && e.addr[k] === n)!;
      expect(e.value[reg(2)]).to.equal(0);
      expect(e.value[reg(7)]).to.equal(0);
      // the final image holds the permuted state
      const f = t.finalImage;
      for (let i = 0; i < 50; i++) expect(f.value[f.addr.indexOf(DATA + 4 * i)]).to.equal(want[i]);
    }
  });

  it("the keccakf guest's public values equal n keccakP of the zero state, in fast and tracing mode", () => {
    const prog = loadElf(readFileSync("guests/keccakf/keccakf.elf"));
    const ref = new Uint32Array(50);
    for (let i = 0; i < 5; i++) keccakP(ref, 24);
    for (const trace of [false, true]) {
      const r = execute(prog, { trace, input: Uint8Array.of(5, 0, 0, 0) });
      expect(r.exitCode).to.equal(0);
      expect(Buffer.from(r.publicValues).toString("hex")).to.equal(
        "05000000" + Buffer.from(ref.buffer, 0, 8).toString("hex"),
      );
    }
  });

  it("faults on an unaligned state pointer or one that leaves guest memory", () => {
    for (const ptr of [DATA + 2, 0x7f000000 - 196, 0x800]) {
      const prog = program([...li(4, ptr), ...li(2, SYS_KECCAKF), asm.syscall(), ...exit(0)], {
        data: new Uint8Array(200),
      });
      expect(() => execute(prog)).to.throw(MipsFault, /keccakf state/);
    }
    expect(execute(program(CALL, { data: new Uint8Array(200) })).exitCode).to.equal(0);
  });
});
