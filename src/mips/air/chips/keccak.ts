/**
 * The keccak-f[1600] precompile: the Keccak round table and the KeccakMem table.
 *
 * The Syscall chip's keccakf row (syscall 0x10109, state pointer in $a0) sends
 * `KECCAK(ts, key)` with ts = clk + 7 and key = the state's first word key (address >> 2).
 *
 * **Keccak** (2,630 columns, 24 rows per permutation, one per round, the Plonky3 keccak-air layout):
 * - `f0..f23`: one-hot round flags (all zero on an inactive row); `f_i` = next row's `f_{i+1}`, the
 *   first row starts a permutation or is inactive, the last row ends one or is inactive, so every
 *   permutation is a full block of 24 rows with rounds 0..23 in order.
 * - `ts`, `key`, `pre` (25 lanes x 4 16-bit limbs): the call and the input state, constant across
 *   the block; `pre = a` on round 0.
 * - `a` (100 limbs): the round's input. `c` (5 x 64 bits): column parities; `cp` = c[x] ^ c[x-1] ^
 *   rot(c[x+1], 1); `ap` (1,600 bits): the state after theta. Constraints: each limb of `a` is the
 *   composition of ap ^ c ^ cp (so ap is a's theta image given c, cp) and the parity of ap's column
 *   (x, z) is cp[x][z] (so c is a's column parity).
 * - rho and pi are a renaming of ap's bits; chi is written over them: `app` (lanes 1..24 as 16-bit
 *   limbs) and `app0` (lane 0 as 64 bits); iota: `iota` (4 limbs) = app0 ^ RC where RC's bits are
 *   sums of round flags times the constants' bits.
 * - The next row's `a` is this row's output (iota for lane 0, app otherwise) within a block.
 * - Round 23 sends `KECCAK_LANE(ts, key + 2 l, pre_l limbs, out_l limbs)` for each lane l.
 * - Inactive rows are all zero (a = pre = ts = key = 0 forces the rest).
 *
 * **KeccakMem** (27 columns, 25 rows per permutation): one row per lane receives its KECCAK_LANE
 * token and makes two word accesses at ts (keys key, key + 1): it consumes the words' previous tokens
 * (their bytes are the input limbs) and produces the output words (bytes range-checked), so the
 * state read is exactly guest memory at that time and the permuted state is written back.
 */
import { type Expr, constant, isFirstRow, isLastRow, sum } from "../../../stark/expr.ts";
import { ZkmipsError } from "../../../errors.ts";
import { Bus } from "../buses.ts";
import {
  type ChipCtx,
  Layout,
  Witness,
  accessColumns,
  accessConstraints,
  bytesOf,
  fillAccess,
} from "../gadgets.ts";
import type { FillEnv } from "../instr.ts";
import { KECCAK_RC, KECCAK_ROT, keccakRounds, piDest } from "../../keccakf.ts";

/** Timestamp offset of the state's accesses within the syscall's 8 ticks (the chip uses clk..clk+6). */
export const KECCAK_TS_OFFSET = 7;
export const KECCAK_ROWS_PER_PERM = 24;
export const KECCAK_MEM_ROWS_PER_PERM = 25;

/** A keccakf call handed from the Syscall chip to these tables. */
export interface KeccakRequest {
  ts: number;
  /** Word key of the first state word (address >> 2). */
  key: number;
}

const ROUNDS = 24;
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
/** Source lane of pi for each destination lane. */
const PI_SRC: number[] = (() => {
  const src = new Array<number>(25);
  for (let x = 0; x < 5; x++) for (let y = 0; y < 5; y++) src[piDest(x, y)] = x + 5 * y;
  return src;
})();
/** Bit z of RC[r]. */
const rcBit = (r: number, z: number): number => (KECCAK_RC[r][z >> 5] >>> (z & 31)) & 1;

function roundLayout(): Layout {
  const L = new Layout();
  L.addN("f", ROUNDS);
  L.add("ts");
  L.add("key");
  for (const g of ["pre", "a"]) for (let l = 0; l < 25; l++) L.addN(`${g}${l}_`, 4);
  for (let x = 0; x < 5; x++) L.addN(`c${x}_`, 64);
  for (let x = 0; x < 5; x++) L.addN(`cp${x}_`, 64);
  for (let l = 0; l < 25; l++) L.addN(`ap${l}_`, 64);
  for (let l = 1; l < 25; l++) L.addN(`app${l}_`, 4);
  L.addN("app0_", 64);
  L.addN("iota", 4);
  return L;
}

const xor = (a: Expr, b: Expr): Expr => a.add(b).sub(a.mul(b).mul(2));
/** Σ 2^i bits[i]. */
const compose = (bits: readonly Expr[]): Expr => sum(bits.map((b, i) => (i === 0 ? b : b.mul(1 << i))));

export class KeccakChip {
  readonly name = "Keccak";
  readonly layout = roundLayout();

  define(cx: ChipCtx): void {
    const L = this.layout;
    const cols = range(L.width).map((i) => cx.t.main(i));
    const nxt = (name: string): Expr => cx.t.next(L.idx(name));
    const c = (name: string): Expr => cols[L.idx(name)];
    const f = range(ROUNDS).map((r) => c(`f${r}`));
    const active = sum(f);
    const notLast = sum(f.slice(0, ROUNDS - 1));
    const inactive = constant(1).sub(active);
    // Round flags.
    f.forEach((fi, i) => cx.bool(`f${i}`, fi));
    cx.bool("sum of round flags", active);
    for (let i = 0; i + 1 < ROUNDS; i++) {
      cx.zero(`next f${i + 1} = f${i}`, nxt(`f${i + 1}`).sub(f[i]));
      cx.zero(`first row: f${i + 1} = 0`, isFirstRow().mul(f[i + 1]));
      cx.zero(`last row: f${i} = 0`, isLastRow().mul(f[i]));
    }
    // Call data and preimage: constant within a block, zero on inactive rows, pre = a on round 0.
    const carried = ["ts", "key", ...range(25).flatMap((l) => range(4).map((k) => `pre${l}_${k}`))];
    for (const n of carried) {
      cx.zero(`${n} carried`, notLast.mul(nxt(n).sub(c(n))));
      cx.zero(`${n} = 0 when inactive`, inactive.mul(c(n)));
    }
    for (let l = 0; l < 25; l++)
      for (let k = 0; k < 4; k++) {
        cx.zero(`pre${l}_${k} = a on round 0`, f[0].mul(c(`pre${l}_${k}`).sub(c(`a${l}_${k}`))));
        cx.zero(`a${l}_${k} = 0 when inactive`, inactive.mul(c(`a${l}_${k}`)));
      }
    // Theta.
    const cb = range(5).map((x) => range(64).map((z) => c(`c${x}_${z}`)));
    const cpb = range(5).map((x) => range(64).map((z) => c(`cp${x}_${z}`)));
    const ap = range(25).map((l) => range(64).map((z) => c(`ap${l}_${z}`)));
    for (let x = 0; x < 5; x++)
      for (let z = 0; z < 64; z++) {
        cx.bool(`c${x}_${z}`, cb[x][z]);
        cx.bool(`cp${x}_${z}`, cpb[x][z]);
        const want = xor(xor(cb[x][z], cb[(x + 4) % 5][z]), cb[(x + 1) % 5][(z + 63) % 64]);
        cx.zero(`cp${x}_${z} = c[x] ^ c[x-1] ^ rot(c[x+1], 1)`, cpb[x][z].sub(want));
        const s = sum(range(5).map((y) => ap[x + 5 * y][z])).sub(cpb[x][z]);
        cx.zero(`parity of ap column ${x} bit ${z} = cp`, s.mul(s.sub(2)).mul(s.sub(4)));
      }
    const ccp = range(5).map((x) => range(64).map((z) => xor(cb[x][z], cpb[x][z])));
    for (let l = 0; l < 25; l++) {
      for (let z = 0; z < 64; z++) cx.bool(`ap${l}_${z}`, ap[l][z]);
      for (let k = 0; k < 4; k++) {
        const bits = range(16).map((i) => xor(ap[l][16 * k + i], ccp[l % 5][16 * k + i]));
        cx.zero(`a${l}_${k} = ap ^ c ^ cp`, c(`a${l}_${k}`).sub(compose(bits)));
      }
    }
    // Rho, pi (renaming) and chi.
    const b = (d: number, z: number): Expr => {
      const s = PI_SRC[d];
      return ap[s][(z - KECCAK_ROT[s] + 64) % 64];
    };
    const chi = (l: number, z: number): Expr => {
      const x = l % 5;
      const y5 = l - x;
      const b1 = b(((x + 1) % 5) + y5, z);
      const b2 = b(((x + 2) % 5) + y5, z);
      return xor(b(l, z), constant(1).sub(b1).mul(b2));
    };
    for (let l = 1; l < 25; l++)
      for (let k = 0; k < 4; k++)
        cx.zero(
          `app${l}_${k} = chi`,
          c(`app${l}_${k}`).sub(compose(range(16).map((i) => chi(l, 16 * k + i)))),
        );
    const app0 = range(64).map((z) => c(`app0_${z}`));
    for (let z = 0; z < 64; z++) cx.zero(`app0_${z} = chi`, app0[z].sub(chi(0, z)));
    // Iota: RC bit z = Σ_r f_r RC_r[z].
    const iota = range(4).map((k) => c(`iota${k}`));
    for (let k = 0; k < 4; k++) {
      const bits = range(16).map((i) => {
        const z = 16 * k + i;
        const rounds = range(ROUNDS).filter((r) => rcBit(r, z));
        return rounds.length === 0 ? app0[z] : xor(app0[z], sum(rounds.map((r) => f[r])));
      });
      cx.zero(`iota${k} = app0 ^ RC`, iota[k].sub(compose(bits)));
    }
    // The next round's input.
    const out = (l: number, k: number): Expr => (l === 0 ? iota[k] : c(`app${l}_${k}`));
    for (let l = 0; l < 25; l++)
      for (let k = 0; k < 4; k++)
        cx.zero(`next a${l}_${k} = round output`, notLast.mul(nxt(`a${l}_${k}`).sub(out(l, k))));
    // The call and the lanes.
    const ts = c("ts");
    const key = c("key");
    cx.t.receive(Bus.KECCAK, [ts, key], f[0]);
    for (let l = 0; l < 25; l++)
      cx.t.send(
        Bus.KECCAK_LANE,
        [ts, key.add(2 * l), ...range(4).map((k) => c(`pre${l}_${k}`)), ...range(4).map((k) => out(l, k))],
        f[ROUNDS - 1],
      );
  }

  /** Appends the 24 rows of one permutation of `input` (50 words); returns the output words. */
  fill(w: Witness, req: KeccakRequest, input: Uint32Array): Uint32Array {
    const L = this.layout;
    const states = keccakRounds(input);
    const idx = (name: string): Uint32Array => w.cols[L.idx(name)];
    const limb = (s: Uint32Array, l: number, k: number): number =>
      (s[2 * l + (k >> 1)] >>> (16 * (k & 1))) & 0xffff;
    const bit = (s: Uint32Array, l: number, z: number): number => (s[2 * l + (z >> 5)] >>> (z & 31)) & 1;
    for (let r = 0; r < ROUNDS; r++) {
      const row = w.addRow();
      const set = (name: string, v: number): void => {
        idx(name)[row] = v;
      };
      const s = states[r];
      set(`f${r}`, 1);
      set("ts", req.ts);
      set("key", req.key);
      for (let l = 0; l < 25; l++)
        for (let k = 0; k < 4; k++) {
          set(`pre${l}_${k}`, limb(input, l, k));
          set(`a${l}_${k}`, limb(s, l, k));
        }
      const cb = range(5).map((x) =>
        range(64).map((z) => range(5).reduce((p, y) => p ^ bit(s, x + 5 * y, z), 0)),
      );
      const cpb = range(5).map((x) =>
        range(64).map((z) => cb[x][z] ^ cb[(x + 4) % 5][z] ^ cb[(x + 1) % 5][(z + 63) % 64]),
      );
      const ap = range(25).map((l) => range(64).map((z) => bit(s, l, z) ^ cb[l % 5][z] ^ cpb[l % 5][z]));
      for (let x = 0; x < 5; x++)
        for (let z = 0; z < 64; z++) {
          set(`c${x}_${z}`, cb[x][z]);
          set(`cp${x}_${z}`, cpb[x][z]);
        }
      for (let l = 0; l < 25; l++) for (let z = 0; z < 64; z++) set(`ap${l}_${z}`, ap[l][z]);
      const b = (d: number, z: number): number => ap[PI_SRC[d]][(z - KECCAK_ROT[PI_SRC[d]] + 64) % 64];
      const chi = (l: number, z: number): number => {
        const x = l % 5;
        const y5 = l - x;
        return b(l, z) ^ ((1 ^ b(((x + 1) % 5) + y5, z)) & b(((x + 2) % 5) + y5, z));
      };
      const next = states[r + 1];
      for (let l = 0; l < 25; l++) {
        const lane = range(64).map((z) => chi(l, z));
        if (l === 0) lane.forEach((v, z) => set(`app0_${z}`, v));
        for (let k = 0; k < 4; k++) {
          let v = 0;
          for (let i = 15; i >= 0; i--) v = 2 * v + lane[16 * k + i];
          if (l > 0) set(`app${l}_${k}`, v);
          const want = limb(next, l, k) ^ (l === 0 ? (KECCAK_RC[r][k >> 1] >>> (16 * (k & 1))) & 0xffff : 0);
          if (v !== want) throw new Error(`keccak chip: chi of lane ${l} limb ${k} in round ${r} disagrees`);
          if (l === 0) set(`iota${k}`, limb(next, 0, k));
        }
      }
    }
    return states[ROUNDS];
  }
}

export class KeccakMemChip {
  readonly name = "KeccakMem";
  readonly layout = new Layout();
  constructor() {
    const L = this.layout;
    for (const n of ["is_real", "ts", "key"]) L.add(n);
    accessColumns(L, "L", true);
    accessColumns(L, "H", true);
  }
  define(cx: ChipCtx): void {
    const [isReal, ts, key] = ["is_real", "ts", "key"].map((n) => cx.c(n));
    cx.bool("is_real", isReal);
    accessConstraints(cx, "L", key, ts, isReal, true);
    accessConstraints(cx, "H", key.add(1), ts, isReal, true);
    const limbs = (b: Expr[]): Expr[] => [b[0].add(b[1].mul(256)), b[2].add(b[3].mul(256))];
    const inp = [...limbs(cx.cs("L_p", 4)), ...limbs(cx.cs("H_p", 4))];
    const outB = [...cx.cs("L_v", 4), ...cx.cs("H_v", 4)];
    for (const v of outB) cx.u8(v, isReal);
    cx.t.receive(
      Bus.KECCAK_LANE,
      [ts, key, ...inp, ...limbs(outB.slice(0, 4)), ...limbs(outB.slice(4))],
      isReal,
    );
  }
  /** Appends the 25 lane rows of one call, writing `out` (50 words) into the timeline. */
  fill(w: Witness, req: KeccakRequest, out: Uint32Array, env: FillEnv): void {
    for (let l = 0; l < 25; l++) {
      const row = w.addRow();
      const key = req.key + 2 * l;
      for (const k of [key, key + 1])
        if (env.isCode(k) && env.mem.peek(k) !== out[k - req.key])
          throw new ZkmipsError(
            `cannot prove a keccakf state in the code segment at 0x${(4 * k).toString(16)}: code is immutable in the AIR`,
          );
      w.set("is_real", row, 1);
      w.set("ts", row, req.ts);
      w.set("key", row, key);
      fillAccess(w, row, "L", env.mem, env.lk, key, req.ts, out[2 * l], true);
      fillAccess(w, row, "H", env.mem, env.lk, key + 1, req.ts, out[2 * l + 1], true);
      for (const v of [...bytesOf(out[2 * l]), ...bytesOf(out[2 * l + 1])]) env.lk.u8(v);
    }
  }
}

/** Fills both tables for one call: reads the state from the timeline, permutes, writes it back. */
export function fillKeccak(
  round: KeccakChip,
  mem: KeccakMemChip,
  wRound: Witness,
  wMem: Witness,
  req: KeccakRequest,
  env: FillEnv,
): void {
  const input = Uint32Array.from(range(50), (i) => env.mem.peek(req.key + i));
  const out = round.fill(wRound, req, input);
  mem.fill(wMem, req, out, env);
}
