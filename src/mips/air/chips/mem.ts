/**
 * Mem chip: lw, sw, lb, lbu, sb, lh, lhu, sh.
 *
 * A = base register (ts clk), B = store value (ts clk+1; $zero for loads), M = the memory word
 * (ts clk+2, read-modify-write: prev bytes m, new bytes n), D = load destination (ts clk+3; the sink
 * with value 0 for stores). The effective address e = base + imm is computed bytewise (mod 2^32);
 * {@link addressConstraints} keeps it in [0x1000, 0x7F000000), so its key e >> 2 >= 0x400 never meets a
 * register key.
 */
import { constant, sum } from "../../../stark/expr.ts";
import { ZkmipsError } from "../../../errors.ts";
import { ByteOp, CLK_STEP } from "../buses.ts";
import { Family, MemOp } from "../decode.ts";
import {
  accessColumns,
  accessConstraints,
  addressColumns,
  addressConstraints,
  bytesOf,
  fillAccess,
  fillAddress,
  type ChipCtx,
  type Witness,
} from "../gadgets.ts";
import { type FillEnv, type InstrChip, type Step, baseConstraints, baseLayout, fillBase } from "../instr.ts";

const MEM_SEL: readonly (readonly [string, number])[] = [
  ["is_lw", MemOp.lw],
  ["is_sw", MemOp.sw],
  ["is_lb", MemOp.lb],
  ["is_lbu", MemOp.lbu],
  ["is_sb", MemOp.sb],
  ["is_lh", MemOp.lh],
  ["is_lhu", MemOp.lhu],
  ["is_sh", MemOp.sh],
  ["is_lwl", MemOp.lwl],
  ["is_lwr", MemOp.lwr],
  ["is_swl", MemOp.swl],
  ["is_swr", MemOp.swr],
  ["is_sc", MemOp.sc],
];

export class MemChip implements InstrChip {
  readonly name = "Mem";
  readonly family = Family.Mem;
  readonly clkStep = CLK_STEP;
  readonly layout = baseLayout(MEM_SEL.map((s) => s[0]));
  constructor() {
    const L = this.layout;
    accessColumns(L, "A", false);
    accessColumns(L, "B", false);
    accessColumns(L, "M", true);
    accessColumns(L, "D", true);
    L.addN("e", 4);
    L.addN("c", 4);
    addressColumns(L);
    for (const n of ["sb", "h0", "h1", "sgnB", "sgnH"]) L.add(n);
    L.addN("pos", 4);
  }
  define(cx: ChipCtx): void {
    baseConstraints(cx, this.family, MEM_SEL, cx.c("npc").add(4), this.clkStep);
    const isReal = cx.c("is_real");
    const clk = cx.c("clk");
    const sel = (n: string) => cx.c(`is_${n}`);
    const x = cx.cs("A_v", 4);
    const y = cx.cs("B_v", 4);
    const imm = cx.cs("imm", 4);
    const e = cx.cs("e", 4);
    const c = cx.cs("c", 4);
    for (let i = 0; i < 4; i++) {
      cx.bool(`c${i}`, c[i]);
      cx.zero(
        `address byte ${i}`,
        x[i]
          .add(imm[i])
          .add(i ? c[i - 1] : 0)
          .sub(e[i])
          .sub(c[i].mul(256)),
      );
    }
    const { key, o0, o1 } = addressConstraints(cx, e, isReal);
    cx.zero("word accesses are aligned", sel("lw").add(sel("sw")).add(sel("sc")).mul(o0.add(o1)));
    cx.zero("halfword accesses are aligned", sel("lh").add(sel("lhu")).add(sel("sh")).mul(o0));
    const pos = cx.cs("pos", 4);
    const no0 = constant(1).sub(o0);
    const no1 = constant(1).sub(o1);
    // One-hot byte position (all zero on padding rows).
    cx.zero("pos0", pos[0].sub(isReal.mul(no0).mul(no1)));
    cx.zero("pos1", pos[1].sub(isReal.mul(o0).mul(no1)));
    cx.zero("pos2", pos[2].sub(isReal.mul(no0).mul(o1)));
    cx.zero("pos3", pos[3].sub(isReal.mul(o0).mul(o1)));
    accessConstraints(cx, "A", cx.c("a"), clk, isReal, false);
    accessConstraints(cx, "B", cx.c("b"), clk.add(1), isReal, false);
    accessConstraints(cx, "M", key, clk.add(2), isReal, true);
    accessConstraints(cx, "D", cx.c("d"), clk.add(3), isReal, true);
    const m = cx.cs("M_p", 4);
    const n = cx.cs("M_v", 4);
    const sb = cx.c("sb");
    const h0 = cx.c("h0");
    const h1 = cx.c("h1");
    cx.zero(
      "selected byte",
      sb.sub(pos[0].mul(m[0]).add(pos[1].mul(m[1])).add(pos[2].mul(m[2])).add(pos[3].mul(m[3]))),
    );
    cx.zero("selected half lo", h0.sub(no1.mul(m[0]).add(o1.mul(m[2]))));
    cx.zero("selected half hi", h1.sub(no1.mul(m[1]).add(o1.mul(m[3]))));
    const sgnB = cx.c("sgnB");
    const sgnH = cx.c("sgnH");
    cx.byte(ByteOp.MSB, sb, 0, sgnB, isReal);
    cx.byte(ByteOp.MSB, h1, 0, sgnH, isReal);
    const lw = sel("lw");
    const byteLoad = sel("lb").add(sel("lbu"));
    const halfLoad = sel("lh").add(sel("lhu"));
    const fillB = sel("lb").mul(sgnB).mul(255);
    const fillH = sel("lh").mul(sgnH).mul(255);
    const r = cx.cs("D_v", 4);
    // lwl: byte k = m[k - 3 + o] for k >= 3 - o, else old rt; lwr: m[k + o] for k <= 3 - o, else old rt.
    const t = cx.cs("D_p", 4);
    const lwl = (k: number) => sum([0, 1, 2, 3].map((o) => pos[o].mul(k >= 3 - o ? m[k - 3 + o] : t[k])));
    const lwr = (k: number) => sum([0, 1, 2, 3].map((o) => pos[o].mul(k <= 3 - o ? m[k + o] : t[k])));
    const unaligned = (k: number) =>
      sel("lwl")
        .mul(lwl(k))
        .add(sel("lwr").mul(lwr(k)));
    cx.zero(
      "load byte 0",
      r[0].sub(lw.mul(m[0]).add(byteLoad.mul(sb)).add(halfLoad.mul(h0)).add(unaligned(0)).add(sel("sc"))),
    );
    cx.zero("load byte 1", r[1].sub(lw.mul(m[1]).add(fillB).add(halfLoad.mul(h1)).add(unaligned(1))));
    cx.zero("load byte 2", r[2].sub(lw.mul(m[2]).add(fillB).add(fillH).add(unaligned(2))));
    cx.zero("load byte 3", r[3].sub(lw.mul(m[3]).add(fillB).add(fillH).add(unaligned(3))));
    // swl: byte k = y[k + 3 - o] for k <= o; swr: y[k - o] for k >= o; other bytes keep m.
    const swl = (k: number) =>
      sum([0, 1, 2, 3].map((o) => pos[o].mul(k <= o ? y[k + 3 - o].sub(m[k]) : constant(0))));
    const swr = (k: number) =>
      sum([0, 1, 2, 3].map((o) => pos[o].mul(k >= o ? y[k - o].sub(m[k]) : constant(0))));
    for (let k = 0; k < 4; k++) {
      const shPart = k < 2 ? no1.mul(y[k].sub(m[k])) : o1.mul(y[k - 2].sub(m[k]));
      const delta = sel("sw")
        .mul(y[k].sub(m[k]))
        .add(sel("sb").mul(pos[k]).mul(y[0].sub(m[k])))
        .add(sel("sh").mul(shPart))
        .add(sel("sc").mul(y[k].sub(m[k])))
        .add(sel("swl").mul(swl(k)))
        .add(sel("swr").mul(swr(k)));
      cx.zero(`stored byte ${k}`, n[k].sub(m[k]).sub(delta));
    }
  }
  fill(w: Witness, row: number, s: Step, env: FillEnv): number {
    const op = s.dec.op;
    fillBase(w, row, s, MEM_SEL.find(([, o]) => o === op)![0], env);
    const x = fillAccess(w, row, "A", env.mem, env.lk, s.dec.a, s.clk, undefined, false);
    const y = fillAccess(w, row, "B", env.mem, env.lk, s.dec.b, s.clk + 1, undefined, false);
    const addr = (x + s.dec.imm) >>> 0;
    const xb = bytesOf(x);
    const ib = bytesOf(s.dec.imm);
    let cin = 0;
    for (let i = 0; i < 4; i++) {
      cin = (xb[i] + ib[i] + cin) >> 8;
      w.set(`c${i}`, row, cin);
    }
    const eb = bytesOf(addr);
    w.setN("e", row, eb);
    const key = addr >>> 2;
    const o = addr & 3;
    fillAddress(w, row, addr, env.lk);
    w.set(`pos${o}`, row, 1);
    const old = env.mem.peek(key);
    const mb = bytesOf(old);
    const sb = mb[o];
    const h0 = o & 2 ? mb[2] : mb[0];
    const h1 = o & 2 ? mb[3] : mb[1];
    w.set("sb", row, sb);
    w.set("h0", row, h0);
    w.set("h1", row, h1);
    w.set("sgnB", row, sb >> 7);
    w.set("sgnH", row, h1 >> 7);
    env.lk.byteOp(ByteOp.MSB, sb);
    env.lk.byteOp(ByteOp.MSB, h1);
    let nw = old;
    let r = 0;
    switch (op) {
      case MemOp.lw:
        r = old;
        break;
      case MemOp.lb:
        r = (sb << 24) >> 24;
        break;
      case MemOp.lbu:
        r = sb;
        break;
      case MemOp.lh:
        r = (((h1 << 8) | h0) << 16) >> 16;
        break;
      case MemOp.lhu:
        r = (h1 << 8) | h0;
        break;
      case MemOp.sw:
        nw = y;
        break;
      case MemOp.sb:
        nw = (old & ~(0xff << (8 * o))) | ((y & 0xff) << (8 * o));
        break;
      case MemOp.sh:
        nw = (old & ~(0xffff << (8 * o))) | ((y & 0xffff) << (8 * o));
        break;
      case MemOp.lwl: {
        const sh = 24 - 8 * o;
        r = (old << sh) | (env.mem.peek(s.dec.d) & ((1 << sh) - 1));
        break;
      }
      case MemOp.lwr: {
        const sh = 8 * o;
        r = (old >>> sh) | (env.mem.peek(s.dec.d) & ~(-1 >>> sh));
        break;
      }
      case MemOp.swl: {
        const sh = 24 - 8 * o;
        nw = (old & ~(-1 >>> sh)) | (y >>> sh);
        break;
      }
      case MemOp.swr: {
        const sh = 8 * o;
        nw = (old & ~(-1 << sh)) | (y << sh);
        break;
      }
      case MemOp.sc:
        nw = y;
        r = 1;
        break;
    }
    if (nw !== old && env.isCode(key))
      throw new ZkmipsError(
        `cannot prove a store into the code segment at 0x${addr.toString(16)} (pc 0x${s.pc.toString(16)}): self-modifying code is not supported by the AIR`,
      );
    fillAccess(w, row, "M", env.mem, env.lk, key, s.clk + 2, nw >>> 0, true);
    fillAccess(w, row, "D", env.mem, env.lk, s.dec.d, s.clk + 3, r >>> 0, true);
    return s.npc + 4;
  }
}
