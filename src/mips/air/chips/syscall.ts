/**
 * Syscall chip and the Io byte-transfer chip.
 *
 * A syscall row accesses v0 (read number / write result, ts clk), a0 (clk+1), a1 (clk+2), a2 (clk+3),
 * a3 (write error flag, clk+4) and the public-values cursor (clk+5). One selector per supported call,
 * each pinned to its number through v0's bytes and to its fd through a0:
 *   exit (4001) / exit_group (4246): sends the exit code (a0 & 0xff) on EXIT, produces no next state;
 *     v0 and a3 keep their values;
 *   write (4004) to fd 1/2: v0 = a2, a3 = 0 (the bytes are not part of the statement);
 *   write (4004) to fd 3: v0 = a2, a3 = 0, the a2 bytes at a1 go through the Io chain to the PUBLIC
 *     bus at indices cursor.., cursor += a2;
 *   read (4003) from fd 0/4: v0 = n <= a2 (the prover's private input), a3 = 0, n bytes written at a1;
 *   keccakf (0x10109): a0 is a word-aligned address with a0 and a0 + 196 in [0x1000, 0x7F000000);
 *     v0 = 0, a3 = 0; sends KECCAK(clk + 7, a0 >> 2) to the Keccak table (chips/keccak.ts), whose
 *     KeccakMem rows read and write the 50 state words at clk + 7.
 * Transfers start the Io chain (ts = clk+8, ptr, n, kind, pvIndex) and receive its end
 * (clk+8+n, ptr+n, 0, kind, pvIndex + n·[pv]); the next state's clock is clk+8+n, so the Io rows own
 * the timestamps in between. a2 (and n) must be < 2^24.
 *
 * Io row: (ts, ptr, rem, kind, pv) → (ts+1, ptr+1, rem-1, kind, pv+[pv]) with one memory access of the
 * word holding ptr (ptr range-checked into [0x1000, 0x7F000000) like Mem's addresses).
 */
import { type Expr, constant, sum } from "../../../stark/expr.ts";
import { ZkmipsError } from "../../../errors.ts";
import { Bus } from "../buses.ts";
import { REG_BRK, REG_MMAP, REG_PV_CURSOR, Family } from "../decode.ts";
import {
  type ChipCtx,
  Layout,
  type Witness,
  accessColumns,
  accessConstraints,
  addressColumns,
  addressConstraints,
  bytesOf,
  fillAccess,
  fillAddress,
  wordOf,
} from "../gadgets.ts";
import { type FillEnv, type InstrChip, type Step, baseConstraints, baseLayout, fillBase } from "../instr.ts";
import { KECCAK_TS_OFFSET, type KeccakRequest } from "./keccak.ts";
import { SYS_KECCAKF } from "../../syscalls.ts";

export const SYS_EXIT = 4001;
export const SYS_READ = 4003;
export const SYS_WRITE = 4004;
export const SYS_EXIT_GROUP = 4246;
export const SYS_BRK = 4045;

const SYS_SEL: readonly (readonly [string, number])[] = [
  ["is_exit", SYS_EXIT],
  ["is_exit_group", SYS_EXIT_GROUP],
  ["is_write_out", SYS_WRITE],
  ["is_write_pv", SYS_WRITE],
  ["is_read", SYS_READ],
  ["is_brk_query", SYS_BRK],
  ["is_brk_set", SYS_BRK],
  ["is_keccak", SYS_KECCAKF],
];
export const SYSCALL_CLK = 8;
const IO_KIND_PV = 1;
const IO_KIND_READ = 2;

/** What the syscall row hands to the Io chip when filling (bytes to move). */
export interface IoRequest {
  ts: number;
  ptr: number;
  kind: number;
  pv: number;
  /** Bytes written to memory (read) or taken from memory (pv write). */
  bytes: number[];
}

export class SyscallChip implements InstrChip {
  readonly name = "Syscall";
  readonly family = Family.Syscall;
  readonly clkStep = SYSCALL_CLK;
  readonly layout = baseLayout(SYS_SEL.map((s) => s[0]));
  /** Filled by `fill` and drained by the witness generator into the Io chip. */
  pendingIo: IoRequest | null = null;
  /** Filled by `fill` for a keccakf call and drained by the witness generator into the Keccak tables. */
  pendingKeccak: KeccakRequest | null = null;
  constructor() {
    const L = this.layout;
    accessColumns(L, "V", true);
    accessColumns(L, "B", false);
    accessColumns(L, "C", false);
    accessColumns(L, "E", false);
    accessColumns(L, "F", true);
    accessColumns(L, "K", true);
    accessColumns(L, "G", true);
    accessColumns(L, "H", false); // the mmap cursor (brk may not pass it)
    // Three byte-wise subtractions for brk: (brkStart-1) - a0, a0 - brk, mmap cursor - a0.
    for (const c of ["c1", "c2", "c3"]) {
      L.addN(`${c}d`, 4);
      L.addN(`${c}b`, 4);
    }
    L.addN("r", 3);
    // keccakf: a0's address check and the bytes g of a0 + 196 (the state's last word) with carries.
    addressColumns(L);
    L.addN("g", 4);
    L.addN("gc", 3);
  }
  define(cx: ChipCtx): void {
    const sel = (n: string) => cx.c(n);
    const isReal = cx.c("is_real");
    const clk = cx.c("clk");
    const isExit = sel("is_exit").add(sel("is_exit_group"));
    const isPv = sel("is_write_pv");
    const isRead = sel("is_read");
    const isOut = sel("is_write_out");
    const isIo = isPv.add(isRead);
    const E = cx.cs("E_v", 4);
    const V = cx.cs("V_v", 4);
    const eField = wordOf(E.slice(0, 3));
    const vField = wordOf(V.slice(0, 3));
    const n = isPv.mul(eField).add(isRead.mul(vField));
    baseConstraints(
      cx,
      this.family,
      SYS_SEL.map(([name]) => [name, 0] as const),
      cx.c("npc").add(4),
      clk.add(SYSCALL_CLK).add(n),
      isReal.sub(isExit),
    );
    accessConstraints(cx, "V", 2, clk, isReal, true);
    accessConstraints(cx, "B", 4, clk.add(1), isReal, false);
    accessConstraints(cx, "C", 5, clk.add(2), isReal, false);
    accessConstraints(cx, "E", 6, clk.add(3), isReal, false);
    accessConstraints(cx, "F", 7, clk.add(4), isReal, true);
    accessConstraints(cx, "K", REG_PV_CURSOR, clk.add(5), isReal, true);
    accessConstraints(cx, "G", REG_BRK, clk.add(6), isReal, true);
    accessConstraints(cx, "H", REG_MMAP, clk.add(7), isReal, false);
    this.brkConstraints(cx);
    this.keccakConstraints(cx);
    // v0 holds the selected call's number.
    const Vp = cx.cs("V_p", 4);
    for (let i = 0; i < 4; i++) {
      const expect = sum(SYS_SEL.map(([name, num]) => sel(name).mul((num >>> (8 * i)) & 255)));
      cx.zero(`v0 byte ${i} = syscall number`, Vp[i].sub(expect));
    }
    // a0 is the fd (exit: the status, any value).
    const B = cx.cs("B_v", 4);
    cx.zero("write fd is 1 or 2", isOut.mul(B[0].sub(1)).mul(B[0].sub(2)));
    cx.zero("public-values fd is 3", isPv.mul(B[0].sub(3)));
    cx.zero("read fd is 0 or 4", isRead.mul(B[0]).mul(B[0].sub(4)));
    for (let i = 1; i < 4; i++) cx.zero(`fd byte ${i} = 0`, isOut.add(isIo).mul(B[i]));
    cx.t.send(Bus.EXIT, [B[0]], isExit);
    // Results.
    const Fv = cx.cs("F_v", 4);
    const Fp = cx.cs("F_p", 4);
    for (let i = 0; i < 4; i++) {
      cx.zero(`exit keeps v0 byte ${i}`, isExit.mul(V[i].sub(Vp[i])));
      cx.zero(`exit keeps a3 byte ${i}`, isExit.mul(Fv[i].sub(Fp[i])));
      cx.zero(`write returns a2 byte ${i}`, isOut.add(isPv).mul(V[i].sub(E[i])));
      cx.zero(`a3 = 0 byte ${i}`, isOut.add(isIo).add(sel("is_keccak")).mul(Fv[i]));
    }
    cx.zero("transfer count < 2^24", isIo.mul(E[3]));
    cx.zero("read count < 2^24", isRead.mul(V[3]));
    // read: a2 - n = r (3 bytes) >= 0, and n's bytes are range-checked.
    const r = cx.cs("r", 3);
    cx.zero("read count <= a2", isRead.mul(eField.sub(vField).sub(wordOf(r))));
    r.forEach((ri, i) => {
      cx.zero(`r${i} = 0 unless read`, constant(1).sub(isRead).mul(ri));
      cx.u8(ri, isReal);
    });
    for (let i = 0; i < 3; i++) cx.u8(V[i], isRead);
    // Public-values cursor: advances by the bytes written to fd 3. It is the word of the token's
    // bytes as a field element (starts at 0: key 35 is zero-initialised), so it may exceed 255.
    const cursorNew = wordOf(cx.cs("K_v", 4));
    const cursor = wordOf(cx.cs("K_p", 4));
    cx.zero("cursor advances", cursorNew.sub(cursor).sub(isPv.mul(eField)));
    // The Io chain: start and end tokens.
    const ptr = wordOf(cx.cs("C_v", 4));
    const kind = isPv.mul(IO_KIND_PV).add(isRead.mul(IO_KIND_READ));
    const ts0 = clk.add(SYSCALL_CLK);
    cx.t.send(Bus.IO, [ts0, ptr, n, kind, cursor], isIo);
    cx.t.receive(Bus.IO, [ts0.add(n), ptr.add(n), 0, kind, cursor.add(isPv.mul(eField))], isIo);
  }
  /** keccakf: the state [a0, a0 + 200) is word-aligned guest memory; v0 = 0; hands (clk + 7, key) on. */
  private keccakConstraints(cx: ChipCtx): void {
    const isK = cx.c("is_keccak");
    const e = cx.cs("B_v", 4);
    const { key, o0, o1 } = addressConstraints(cx, e, isK);
    cx.zero("keccakf state is word aligned (o0)", isK.mul(o0));
    cx.zero("keccakf state is word aligned (o1)", isK.mul(o1));
    const g = cx.cs("g", 4);
    const gc = cx.cs("gc", 3);
    gc.forEach((b, i) => cx.bool(`gc${i}`, b));
    for (let i = 0; i < 4; i++) {
      const lhs = e[i].add(i === 0 ? 196 : gc[i - 1]);
      const rhs = i < 3 ? g[i].add(gc[i].mul(256)) : g[i];
      cx.zero(`keccakf end address byte ${i}`, isK.mul(lhs.sub(rhs)));
      if (i < 3) cx.u8(g[i], isK);
    }
    cx.u8(constant(0x7e).sub(g[3]), isK); // a0 + 196 < 0x7F000000
    const V = cx.cs("V_v", 4);
    for (let i = 0; i < 4; i++) cx.zero(`keccakf returns 0 byte ${i}`, isK.mul(V[i]));
    cx.t.send(Bus.KECCAK, [cx.c("clk").add(KECCAK_TS_OFFSET), key], isK);
  }
  /**
   * brk: query (a0 < brkStart: v0 = break) or grow (break <= a0 <= mmap cursor (key 37): break = v0 = a0).
   * The subtraction chains x - y = d - 2^32 b3 hold on every row; b3 is the "x < y" bit.
   */
  private brkConstraints(cx: ChipCtx): void {
    const isReal = cx.c("is_real");
    const a0 = cx.cs("B_v", 4);
    const brk = cx.cs("G_p", 4);
    const chains: [string, Expr[], Expr[]][] = [
      ["c1", cx.cs("imm", 4), a0],
      ["c2", a0, brk],
      ["c3", cx.cs("H_v", 4), a0],
    ];
    const lt: Expr[] = [];
    for (const [c, x, y] of chains) {
      const d = cx.cs(`${c}d`, 4);
      const b = cx.cs(`${c}b`, 4);
      for (let i = 0; i < 4; i++) {
        cx.bool(`${c}b${i}`, b[i]);
        cx.zero(
          `${c} byte ${i}`,
          x[i]
            .sub(y[i])
            .sub(i ? b[i - 1] : 0)
            .add(b[i].mul(256))
            .sub(d[i]),
        );
        cx.u8(d[i], isReal);
      }
      lt.push(b[3]);
    }
    const q = cx.c("is_brk_query");
    const set = cx.c("is_brk_set");
    cx.zero("brk query: a0 < brkStart", q.mul(lt[0]));
    cx.zero("brk set: a0 >= brkStart", set.mul(constant(1).sub(lt[0])));
    cx.zero("brk set: a0 >= break", set.mul(lt[1]));
    cx.zero("brk set: a0 <= mmap cursor", set.mul(lt[2]));
    const V = cx.cs("V_v", 4);
    const Gv = cx.cs("G_v", 4);
    const F = cx.cs("F_v", 4);
    for (let i = 0; i < 4; i++) {
      cx.zero(`brk query returns the break byte ${i}`, q.mul(V[i].sub(brk[i])));
      cx.zero(`brk set returns a0 byte ${i}`, set.mul(V[i].sub(a0[i])));
      cx.zero(`break byte ${i}`, Gv[i].sub(brk[i]).sub(set.mul(a0[i].sub(brk[i]))));
      cx.zero(`brk a3 byte ${i} = 0`, q.add(set).mul(F[i]));
    }
  }
  fill(w: Witness, row: number, s: Step, env: FillEnv): number {
    const num = env.mem.peek(2);
    const fd = env.mem.peek(4);
    const ptr = env.mem.peek(5);
    const count = env.mem.peek(6);
    let selName: string;
    if (num === SYS_EXIT || num === SYS_EXIT_GROUP) selName = num === SYS_EXIT ? "is_exit" : "is_exit_group";
    else if (num === SYS_WRITE && (fd === 1 || fd === 2)) selName = "is_write_out";
    else if (num === SYS_WRITE && fd === 3) selName = "is_write_pv";
    else if (num === SYS_READ && (fd === 0 || fd === 4)) selName = "is_read";
    else if (num === SYS_BRK && fd < (s.dec.imm + 1) >>> 0) selName = "is_brk_query";
    else if (num === SYS_BRK && fd >= env.mem.peek(REG_BRK) && fd <= env.mem.peek(REG_MMAP))
      selName = "is_brk_set";
    else if (num === SYS_KECCAKF && (fd & 3) === 0 && fd >= 0x1000 && fd + 200 <= STATE_END_LIMIT)
      selName = "is_keccak";
    else throw new UnsupportedSyscall(num, fd, s.pc);
    fillBase(w, row, s, selName, env);
    const exit = selName.startsWith("is_exit");
    const io = selName === "is_write_pv" || selName === "is_read";
    let result = num;
    let a3 = env.mem.peek(7);
    if (!exit) {
      if (!s.sys) throw new Error(`syscall at pc 0x${s.pc.toString(16)} has no result in the trace`);
      result = s.sys.v0 >>> 0;
      a3 = s.sys.a3 >>> 0;
      if (a3 !== 0) throw new UnsupportedSyscall(num, fd, s.pc, "returned an error");
    }
    if (io && count >= 1 << 24) throw new UnsupportedSyscall(num, fd, s.pc, "transfers 2^24 bytes or more");
    fillAccess(w, row, "V", env.mem, env.lk, 2, s.clk, result, true);
    fillAccess(w, row, "B", env.mem, env.lk, 4, s.clk + 1, undefined, false);
    fillAccess(w, row, "C", env.mem, env.lk, 5, s.clk + 2, undefined, false);
    fillAccess(w, row, "E", env.mem, env.lk, 6, s.clk + 3, undefined, false);
    fillAccess(w, row, "F", env.mem, env.lk, 7, s.clk + 4, a3, true);
    const cursor = env.mem.peek(REG_PV_CURSOR);
    const pvWrite = selName === "is_write_pv";
    fillAccess(
      w,
      row,
      "K",
      env.mem,
      env.lk,
      REG_PV_CURSOR,
      s.clk + 5,
      pvWrite ? cursor + count : cursor,
      true,
    );
    const brk = env.mem.peek(REG_BRK);
    fillAccess(w, row, "G", env.mem, env.lk, REG_BRK, s.clk + 6, selName === "is_brk_set" ? fd : brk, true);
    const mmapCursor = fillAccess(w, row, "H", env.mem, env.lk, REG_MMAP, s.clk + 7, undefined, false);
    const chains: [string, number, number][] = [
      ["c1", s.dec.imm >>> 0, fd],
      ["c2", fd, brk],
      ["c3", mmapCursor, fd],
    ];
    for (const [c, x, y] of chains) {
      const xb = bytesOf(x);
      const yb = bytesOf(y);
      let bin = 0;
      for (let i = 0; i < 4; i++) {
        let t = xb[i] - yb[i] - bin;
        bin = t < 0 ? 1 : 0;
        if (t < 0) t += 256;
        w.set(`${c}d${i}`, row, t);
        w.set(`${c}b${i}`, row, bin);
        env.lk.u8(t);
      }
    }
    // keccakf's address columns: consistent with a0 on every row, range lookups on keccakf rows only.
    const keccak = selName === "is_keccak";
    if (keccak) fillAddress(w, row, fd, env.lk);
    else {
      const e = bytesOf(fd);
      w.set("qa", row, e[0] >> 2);
      w.set("o0", row, e[0] & 1);
      w.set("o1", row, (e[0] >> 1) & 1);
      w.set("el", row, e[1] & 15);
      w.set("eh", row, e[1] >> 4);
    }
    if (keccak) {
      const e = bytesOf(fd);
      const g = bytesOf(fd + 196);
      let carry = 196;
      for (let i = 0; i < 4; i++) {
        carry = (e[i] + carry) >> 8;
        if (i < 3) w.set(`gc${i}`, row, carry);
        if (i < 3) env.lk.u8(g[i]);
      }
      w.setN("g", row, g);
      env.lk.u8(0x7e - g[3]);
    }
    this.pendingKeccak = keccak ? { ts: s.clk + KECCAK_TS_OFFSET, key: fd >>> 2 } : null;
    let n = 0;
    if (selName === "is_read") {
      if (result > count) throw new Error(`read at pc 0x${s.pc.toString(16)} returned ${result} > ${count}`);
      const d = bytesOf(count - result).slice(0, 3);
      w.setN("r", row, d);
      for (const b of d) env.lk.u8(b);
      for (const b of bytesOf(result).slice(0, 3)) env.lk.u8(b);
      n = result;
    } else {
      for (let i = 0; i < 3; i++) env.lk.u8(0);
      if (pvWrite) n = count;
    }
    this.pendingIo = io
      ? {
          ts: s.clk + SYSCALL_CLK,
          ptr,
          kind: pvWrite ? IO_KIND_PV : IO_KIND_READ,
          pv: cursor,
          bytes: new Array<number>(n).fill(0),
        }
      : null;
    return exit ? 0 : s.npc + 4;
  }
}

/** The keccakf state must end below 0x7F000000 (the executor's guest memory bound). */
const STATE_END_LIMIT = 0x7f000000;

/** A syscall (number/fd combination) the AIR does not prove yet. */
export class UnsupportedSyscall extends Error {
  constructor(
    readonly num: number,
    readonly fd: number,
    readonly pc: number,
    why = "is not supported by the prover",
  ) {
    super(`syscall ${num} (a0 = ${fd}) at pc 0x${pc.toString(16)} ${why}`);
  }
}

export class IoChip {
  readonly name = "Io";
  readonly layout = new Layout();
  constructor() {
    const L = this.layout;
    for (const n of ["is_real", "is_pv", "is_rd", "ts", "ptr", "rem", "pvi", "val"]) L.add(n);
    addressColumns(L);
    L.addN("pb", 4);
    L.addN("pos", 4);
    accessColumns(L, "M", true);
  }
  define(cx: ChipCtx): void {
    const [isReal, isPv, isRd, ts, ptr, rem, pvi, val] = [
      "is_real",
      "is_pv",
      "is_rd",
      "ts",
      "ptr",
      "rem",
      "pvi",
      "val",
    ].map((n) => cx.c(n));
    cx.bool("is_pv", isPv);
    cx.bool("is_rd", isRd);
    cx.zero("is_real = is_pv + is_rd", isReal.sub(isPv).sub(isRd));
    const kind = isPv.mul(IO_KIND_PV).add(isRd.mul(IO_KIND_READ));
    cx.t.receive(Bus.IO, [ts, ptr, rem, kind, pvi], isReal);
    cx.t.send(Bus.IO, [ts.add(1), ptr.add(1), rem.sub(1), kind, pvi.add(isPv)], isReal);
    const pb = cx.cs("pb", 4);
    cx.zero("ptr bytes", ptr.sub(wordOf(pb)));
    const { key, o0, o1 } = addressConstraints(cx, pb, isReal);
    const pos = cx.cs("pos", 4);
    const no0 = constant(1).sub(o0);
    const no1 = constant(1).sub(o1);
    const posExpr: Expr[] = [no0.mul(no1), o0.mul(no1), no0.mul(o1), o0.mul(o1)];
    pos.forEach((p, k) => cx.zero(`pos${k}`, p.sub(isReal.mul(posExpr[k]))));
    accessConstraints(cx, "M", key, ts, isReal, true);
    const m = cx.cs("M_p", 4);
    const nw = cx.cs("M_v", 4);
    cx.zero("public byte is the memory byte", isPv.mul(val.sub(sum(pos.map((p, k) => p.mul(m[k]))))));
    for (let k = 0; k < 4; k++)
      cx.zero(`word byte ${k} after the transfer`, nw[k].sub(m[k]).sub(isRd.mul(pos[k]).mul(val.sub(m[k]))));
    cx.u8(val, isReal);
    cx.t.send(Bus.PUBLIC, [pvi, val], isPv);
  }
  /** Appends the rows of one transfer; `bytes` are filled in for pv writes (taken from memory). */
  fill(w: Witness, req: IoRequest, env: FillEnv, input: (i: number) => number): void {
    const n = req.bytes.length;
    for (let i = 0; i < n; i++) {
      const row = w.addRow();
      const ts = req.ts + i;
      const ptr = req.ptr + i;
      const key = ptr >>> 2;
      const o = ptr & 3;
      const pb = bytesOf(ptr);
      const pv = req.kind === IO_KIND_PV;
      w.set("is_real", row, 1);
      w.set(pv ? "is_pv" : "is_rd", row, 1);
      w.set("ts", row, ts);
      w.set("ptr", row, ptr);
      w.set("rem", row, n - i);
      w.set("pvi", row, req.pv + (pv ? i : 0));
      w.setN("pb", row, pb);
      w.set(`pos${o}`, row, 1);
      fillAddress(w, row, ptr, env.lk);
      const old = env.mem.peek(key);
      let val: number;
      let nw = old;
      if (pv) {
        val = (old >>> (8 * o)) & 255;
        env.pv.push(val);
      } else {
        val = input(i) & 255;
        nw = ((old & ~(0xff << (8 * o))) | (val << (8 * o))) >>> 0;
        if (nw !== old && env.isCode(key))
          throw new ZkmipsError(
            `cannot prove a read into the code segment at 0x${ptr.toString(16)}: code is immutable in the AIR`,
          );
      }
      req.bytes[i] = val;
      w.set("val", row, val);
      env.lk.u8(val);
      fillAccess(w, row, "M", env.mem, env.lk, key, ts, nw, true);
    }
  }
}
