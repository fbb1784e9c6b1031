/**
 * The keccak-f[1600] precompile: the narrow Keccak table and the KeccakMem table.
 *
 * The Syscall chip's keccakf row (syscall 0x10109, state pointer in $a0) sends
 * `KECCAK(ts, key0)` with ts = clk + 7 and key0 = the state's first word key (address >> 2).
 *
 * **Keccak** (486 columns, {@link KECCAK_ROWS_PER_PERM} = 288 rows per permutation: 12 per round).
 * Columns: `l{j}_{z}` five 64-bit lanes as bits, `c{z}` and `cm{z}` (64 bits each), one-hot step
 * flags `s0..s11`, one-hot round flags `r0..r23`, `ts` and `key0` (constant through a block).
 * Steps of a round (input state A, theta output A', B = rho/pi of A', chi/iota output A''):
 * - T steps 0..6 hold the sheets x = 4, 0, 1, 2, 3, 4, 0: `l{y}` = A[x, y] (received), `c` = their
 *   column parity (Σ_y l_y - c ∈ {0, 2, 4}); `cm` on steps 1..5 is the previous row's `c` (C[x-1]),
 *   the next row's `c` is C[x+1], so steps 1..5 send A'[x, y] = A[x, y] ^ C[x-1] ^ rot(C[x+1], 1)
 *   as the theta message of lane (x, y). Steps 0 and 6 only supply C[4] and C[0].
 * - P steps 7..11 hold the planes Y = 0..4 of B: `l{X}` = B[X, Y], received as the theta message
 *   of its source lane (rho's rotation undone on the receiving side, where limbs are linear), and
 *   send A''[X, Y] = B[X] ^ (~B[X+1] & B[X+2]) (^ RC on lane (0, 0)) as the round-(r + 1) input.
 *   Chi's output bit of lane X = 0 at the 7 positions round constants use is kept in `c` (the iota
 *   constraint), so iota costs no column.
 * - Messages on KECCAK_LANE: (ts, key0, round, id, 8 bytes), id = lane (x + 5y) for round
 *   inputs, 25 + lane for theta outputs. Round inputs of sheets 0 and 4 are received twice (steps
 *   0/5 and 1/6), so their senders use multiplicity 2. KeccakMem sends round 0 and receives round 24.
 * - Step flags: next s_{i+1} = s_i, next s0 (1 - next r0) = s11 (1 - r23); round flags constant
 *   within a round and advanced by s11; the last row is inactive or ends a round 23, the first is
 *   inactive or starts a round 0: so active rows form whole 288-row blocks in order. ts, key0 are
 *   carried through a block, and its first row receives the syscall's KECCAK(ts, key0).
 * Soundness: each (ts, key0) has at most one block (one syscall row sends it); within a block every
 * (round, id) message has exactly one producing row (fixed by the flags) and a fixed number of
 * consumers, multiplicities are 0/1/2 (no wrap-around mod p), and bytes are compositions of
 * boolean columns (injective), so the LogUp balance forces every received lane to be the true one.
 * Inactive rows (all flags zero) make no interactions. Degree 5 (4 quotient chunks): the iota
 * constraint's degree also sets the LogUp grouping budget, so receives pair up (9 LogUp columns).
 *
 * **KeccakMem** (29 columns, 25 rows per permutation): one row per lane l (key = key0 + 2l) makes
 * two word accesses at ts (consuming the words' previous tokens, producing the output words: their
 * bytes need no range check, the round-24 lane's bytes are compositions of bits), sends the round-0 lane (its previous bytes) and receives the round-24 lane
 * (the written bytes), both with multiplicity 1 + dup (dup = 1 for lanes with x in {0, 4}; the
 * balance forces it). Two rows for one lane would access one key at the same ts (impossible in the
 * memory argument), and a lane index outside 0..24 has no round-24 producer.
 */
import { type Expr, constant, isFirstRow, isLastRow, sum } from "../../../stark/expr.ts";
import { ZkmipsError } from "../../../errors.ts";
import { Bus } from "../buses.ts";
import { type ChipCtx, Layout, Witness, accessColumns, accessConstraints, fillAccess } from "../gadgets.ts";
import type { FillEnv } from "../instr.ts";
import { KECCAK_RC, KECCAK_ROT, keccakRounds } from "../../keccakf.ts";

/** Timestamp offset of the state's accesses within the syscall's 8 ticks (the chip uses clk..clk+6). */
export const KECCAK_TS_OFFSET = 7;
const ROUNDS = 24;
const STEPS = 12;
export const KECCAK_ROWS_PER_PERM = ROUNDS * STEPS;
export const KECCAK_MEM_ROWS_PER_PERM = 25;

/** A keccakf call handed from the Syscall chip to these tables. */
export interface KeccakRequest {
  ts: number;
  /** Word key of the first state word (address >> 2). */
  key: number;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
/** Sheet x held by T steps 0..6. */
const T_SHEET = [4, 0, 1, 2, 3, 4, 0];
const T_STEPS = 7;
/** Multiplicity of a round-input lane of sheet x (received twice for x in {0, 4}). */
const DUP = (x: number): number => (x === 0 || x === 4 ? 2 : 1);
/** Source sheet x of B[X, Y] (pi: B[y, 2x + 3y] = rot(A'[x, y])). */
const srcX = (X: number, Y: number): number => (3 * Y + X) % 5;
/** Bit positions where some round constant is 1 (0, 1, 3, 7, 15, 31, 63). */
const IOTA_Z = range(64).filter((z) => KECCAK_RC.some((rc) => (rc[z >> 5] >>> (z & 31)) & 1));
const rcBit = (r: number, z: number): number => (KECCAK_RC[r][z >> 5] >>> (z & 31)) & 1;

/** Column indices (fixed by the layout order below). */
const COL = {
  l: (j: number, z: number): number => 64 * j + z,
  c: (z: number): number => 320 + z,
  cm: (z: number): number => 384 + z,
  s: (i: number): number => 448 + i,
  r: (i: number): number => 460 + i,
  ts: 484,
  key0: 485,
} as const;

function roundLayout(): Layout {
  const L = new Layout();
  for (let j = 0; j < 5; j++) L.addN(`l${j}_`, 64);
  L.addN("c", 64);
  L.addN("cm", 64);
  L.addN("s", STEPS);
  L.addN("r", ROUNDS);
  L.add("ts");
  L.add("key0");
  if (L.idx("key0") !== COL.key0 || L.idx("r0") !== COL.r(0)) throw new Error("keccak layout");
  return L;
}

const xor = (a: Expr, b: Expr): Expr => a.add(b).sub(a.mul(b).mul(2));
/** Σ 2^i bits[i]. */
const compose = (bits: readonly Expr[]): Expr => sum(bits.map((b, i) => (i === 0 ? b : b.mul(1 << i))));
/** Lanes travel as 8 bytes (KeccakMem's words need no byte range checks: they are compositions of bits). */
const LIMBS = 8;
const limbsOf = (bit: (z: number) => Expr): Expr[] =>
  range(LIMBS).map((k) => compose(range(8).map((i) => bit(8 * k + i))));

export class KeccakChip {
  readonly name = "Keccak";
  readonly layout = roundLayout();

  define(cx: ChipCtx): void {
    const m = (i: number): Expr => cx.t.main(i);
    const nx = (i: number): Expr => cx.t.next(i);
    const Lb = range(5).map((j) => range(64).map((z) => m(COL.l(j, z))));
    const C = range(64).map((z) => m(COL.c(z)));
    const Cm = range(64).map((z) => m(COL.cm(z)));
    const S = range(STEPS).map((i) => m(COL.s(i)));
    const R = range(ROUNDS).map((i) => m(COL.r(i)));
    const ts = m(COL.ts);
    const key0 = m(COL.key0);
    const active = sum(S);
    const tAll = sum(S.slice(0, T_STEPS));
    const tTheta = sum(S.slice(1, 6));
    const pAll = sum(S.slice(T_STEPS));
    const round = sum(R.map((f, r) => f.mul(r)));
    const blockEnd = S[STEPS - 1].mul(R[ROUNDS - 1]);

    // Flags.
    S.forEach((f, i) => cx.bool(`s${i}`, f));
    R.forEach((f, i) => cx.bool(`r${i}`, f));
    cx.bool("sum of step flags", active);
    cx.zero("sum of round flags = sum of step flags", sum(R).sub(active));
    for (let i = 0; i + 1 < STEPS; i++) cx.zero(`next s${i + 1} = s${i}`, nx(COL.s(i + 1)).sub(S[i]));
    cx.zero(
      "next s0 (1 - next r0) = s11 (1 - r23)",
      nx(COL.s(0))
        .mul(constant(1).sub(nx(COL.r(0))))
        .sub(S[STEPS - 1].mul(constant(1).sub(R[ROUNDS - 1]))),
    );
    const inRound = active.sub(S[STEPS - 1]);
    for (let r = 0; r < ROUNDS; r++) {
      cx.zero(`r${r} constant within a round`, inRound.mul(nx(COL.r(r)).sub(R[r])));
      if (r + 1 < ROUNDS)
        cx.zero(`s11: next r${r + 1} = r${r}`, S[STEPS - 1].mul(nx(COL.r(r + 1)).sub(R[r])));
    }
    cx.zero("first row: inactive or s0 r0", isFirstRow().mul(active.sub(S[0].mul(R[0]))));
    cx.zero("last row: inactive or s11 r23", isLastRow().mul(active.sub(blockEnd)));
    const notEnd = active.sub(blockEnd);
    cx.zero("ts carried", notEnd.mul(nx(COL.ts).sub(ts)));
    cx.zero("key0 carried", notEnd.mul(nx(COL.key0).sub(key0)));

    // Bits, column parity, carried parity.
    for (let j = 0; j < 5; j++) for (let z = 0; z < 64; z++) cx.bool(`l${j}_${z}`, Lb[j][z]);
    for (let z = 0; z < 64; z++) {
      cx.bool(`c${z}`, C[z]);
      cx.bool(`cm${z}`, Cm[z]);
      const s = sum(range(5).map((j) => Lb[j][z])).sub(C[z]);
      cx.zero(`T: c${z} = column parity`, tAll.mul(s.mul(s.sub(2)).mul(s.sub(4))));
      cx.zero(`T steps 0..4: next cm${z} = c${z}`, sum(S.slice(0, 5)).mul(nx(COL.cm(z)).sub(C[z])));
    }
    // Chi (P steps) and iota: c at IOTA_Z holds lane 0's output bit.
    const chi = (X: number, z: number): Expr =>
      xor(
        Lb[X][z],
        constant(1)
          .sub(Lb[(X + 1) % 5][z])
          .mul(Lb[(X + 2) % 5][z]),
      );
    for (const z of IOTA_Z) {
      const rc = sum(
        range(ROUNDS)
          .filter((r) => rcBit(r, z))
          .map((r) => R[r]),
      );
      const ch = chi(0, z);
      cx.zero(
        `P: c${z} = chi ^ iota of lane 0`,
        pAll.mul(C[z].sub(ch)).sub(S[T_STEPS].mul(rc).mul(constant(1).sub(ch.mul(2)))),
      );
    }

    // Interactions: receives first, then sends (the LogUp grouping is greedy in this order).
    cx.t.receive(Bus.KECCAK, [ts, key0], S[0].mul(R[0]));
    for (let j = 0; j < 5; j++) {
      // T steps: the round input A[x, j]; P steps: the theta output of B[j, Y]'s source lane.
      const recvId = sum([
        ...range(T_STEPS).map((s) => S[s].mul(T_SHEET[s] + 5 * j)),
        ...range(5).map((Y) => S[T_STEPS + Y].mul(25 + srcX(j, Y) + 5 * j)),
      ]);
      const plain = limbsOf((z) => Lb[j][z]);
      const rotated = range(5).map((Y) => {
        const rot = KECCAK_ROT[srcX(j, Y) + 5 * j];
        return limbsOf((z) => Lb[j][(z + rot) % 64]);
      });
      const recvLimbs = range(LIMBS).map((k) =>
        sum([tAll.mul(plain[k]), ...range(5).map((Y) => S[T_STEPS + Y].mul(rotated[Y][k]))]),
      );
      cx.t.receive(Bus.KECCAK_LANE, [ts, key0, round, recvId, ...recvLimbs], active);
    }
    for (let j = 0; j < 5; j++) {
      // T steps 1..5: the theta output A'[x, j]; P steps: the round-(r + 1) input A''[j, Y].
      const theta = limbsOf((z) => xor(xor(Lb[j][z], Cm[z]), nx(COL.c((z + 63) % 64))));
      const out = limbsOf((z) => (j === 0 && IOTA_Z.includes(z) ? C[z] : chi(j, z)));
      const sendId = sum([
        ...range(5).map((x) => S[1 + x].mul(25 + x + 5 * j)),
        ...range(5).map((Y) => S[T_STEPS + Y].mul(j + 5 * Y)),
      ]);
      const limbs = range(LIMBS).map((k) => tTheta.mul(theta[k]).add(pAll.mul(out[k])));
      cx.t.send(Bus.KECCAK_LANE, [ts, key0, round.add(pAll), sendId, ...limbs], tTheta.add(pAll.mul(DUP(j))));
    }
  }

  /** Appends the 288 rows of one permutation of `input` (50 words); returns the output words. */
  fill(w: Witness, req: KeccakRequest, input: Uint32Array): Uint32Array {
    const states = keccakRounds(input);
    const base = w.rows;
    for (let i = 0; i < KECCAK_ROWS_PER_PERM; i++) w.addRow();
    const cols = w.cols;
    const a1 = new Uint32Array(50);
    const b = new Uint32Array(50);
    const c = new Uint32Array(10);
    const setLane = (row: number, j: number, lo: number, hi: number): void => {
      const o = 64 * j;
      for (let z = 0; z < 32; z++) {
        cols[o + z][row] = (lo >>> z) & 1;
        cols[o + 32 + z][row] = (hi >>> z) & 1;
      }
    };
    const setC = (row: number, first: number, lo: number, hi: number): void => {
      for (let z = 0; z < 32; z++) {
        cols[first + z][row] = (lo >>> z) & 1;
        cols[first + 32 + z][row] = (hi >>> z) & 1;
      }
    };
    for (let r = 0; r < ROUNDS; r++) {
      const s = states[r];
      c.fill(0);
      for (let l = 0; l < 25; l++) {
        c[2 * (l % 5)] ^= s[2 * l];
        c[2 * (l % 5) + 1] ^= s[2 * l + 1];
      }
      for (let x = 0; x < 5; x++) {
        const p = 2 * ((x + 4) % 5);
        const n = 2 * ((x + 1) % 5);
        const dl = c[p] ^ ((c[n] << 1) | (c[n + 1] >>> 31));
        const dh = c[p + 1] ^ ((c[n + 1] << 1) | (c[n] >>> 31));
        for (let y = 0; y < 5; y++) {
          const l = x + 5 * y;
          a1[2 * l] = s[2 * l] ^ dl;
          a1[2 * l + 1] = s[2 * l + 1] ^ dh;
        }
      }
      for (let x = 0; x < 5; x++)
        for (let y = 0; y < 5; y++) {
          const l = x + 5 * y;
          const n = KECCAK_ROT[l];
          let lo = a1[2 * l];
          let hi = a1[2 * l + 1];
          if (n >= 32) [lo, hi] = [hi, lo];
          const k = n & 31;
          if (k) [lo, hi] = [(lo << k) | (hi >>> (32 - k)), (hi << k) | (lo >>> (32 - k))];
          const d = y + 5 * ((2 * x + 3 * y) % 5);
          b[2 * d] = lo >>> 0;
          b[2 * d + 1] = hi >>> 0;
        }
      const next = states[r + 1];
      for (let st = 0; st < STEPS; st++) {
        const row = base + STEPS * r + st;
        cols[COL.s(st)][row] = 1;
        cols[COL.r(r)][row] = 1;
        cols[COL.ts][row] = req.ts;
        cols[COL.key0][row] = req.key;
        if (st < T_STEPS) {
          const x = T_SHEET[st];
          for (let y = 0; y < 5; y++) setLane(row, y, s[2 * (x + 5 * y)], s[2 * (x + 5 * y) + 1]);
          setC(row, COL.c(0), c[2 * x], c[2 * x + 1]);
          if (st > 0) {
            const xp = T_SHEET[st - 1];
            setC(row, COL.cm(0), c[2 * xp], c[2 * xp + 1]);
          }
        } else {
          const Y = st - T_STEPS;
          for (let X = 0; X < 5; X++) setLane(row, X, b[2 * (X + 5 * Y)], b[2 * (X + 5 * Y) + 1]);
          const out = next[2 * (5 * Y)];
          const outH = next[2 * (5 * Y) + 1];
          for (const z of IOTA_Z) cols[COL.c(z)][row] = z < 32 ? (out >>> z) & 1 : (outH >>> (z - 32)) & 1;
        }
      }
      // Self-check of the chi rows against the reference round (cheap; catches fill bugs early).
      for (let Y = 0; Y < 5; Y++)
        for (let X = 0; X < 5; X++) {
          const i = X + 5 * Y;
          const j = ((X + 1) % 5) + 5 * Y;
          const k = ((X + 2) % 5) + 5 * Y;
          const rc = i === 0 ? KECCAK_RC[r] : [0, 0];
          if (
            (b[2 * i] ^ (~b[2 * j] & b[2 * k]) ^ rc[0]) >>> 0 !== next[2 * i] ||
            (b[2 * i + 1] ^ (~b[2 * j + 1] & b[2 * k + 1]) ^ rc[1]) >>> 0 !== next[2 * i + 1]
          )
            throw new Error(`keccak chip: lane ${i} of round ${r} disagrees with keccakRound`);
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
    for (const n of ["is_real", "ts", "key0", "lane", "dup"]) L.add(n);
    accessColumns(L, "L", true);
    accessColumns(L, "H", true);
  }
  define(cx: ChipCtx): void {
    const [isReal, ts, key0, lane, dup] = ["is_real", "ts", "key0", "lane", "dup"].map((n) => cx.c(n));
    cx.bool("is_real", isReal);
    cx.bool("dup", dup);
    const key = key0.add(lane.mul(2));
    accessConstraints(cx, "L", key, ts, isReal, true);
    accessConstraints(cx, "H", key.add(1), ts, isReal, true);
    const inp = [...cx.cs("L_p", 4), ...cx.cs("H_p", 4)];
    const out = [...cx.cs("L_v", 4), ...cx.cs("H_v", 4)];
    const mult = isReal.mul(dup.add(1));
    cx.t.send(Bus.KECCAK_LANE, [ts, key0, 0, lane, ...inp], mult);
    cx.t.receive(Bus.KECCAK_LANE, [ts, key0, ROUNDS, lane, ...out], mult);
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
      w.set("key0", row, req.key);
      w.set("lane", row, l);
      w.set("dup", row, DUP(l % 5) - 1);
      fillAccess(w, row, "L", env.mem, env.lk, key, req.ts, out[2 * l], true);
      fillAccess(w, row, "H", env.mem, env.lk, key + 1, req.ts, out[2 * l + 1], true);
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
