/**
 * keccak-f[1600] on 25 lanes held as 50 little-endian 32-bit words (lane i = words 2i (low),
 * 2i + 1 (high)), the layout the keccak-f syscall reads from guest memory. Shared by the executor
 * (the syscall) and the AIR's witness generator (the Keccak chip), which also needs the state
 * after every round: {@link keccakRounds}.
 */

/** Round constants, low and high 32-bit halves. */
export const KECCAK_RC: readonly (readonly [number, number])[] = [
  0x0000000000000001n,
  0x0000000000008082n,
  0x800000000000808an,
  0x8000000080008000n,
  0x000000000000808bn,
  0x0000000080000001n,
  0x8000000080008081n,
  0x8000000000008009n,
  0x000000000000008an,
  0x0000000000000088n,
  0x0000000080008009n,
  0x000000008000000an,
  0x000000008000808bn,
  0x800000000000008bn,
  0x8000000000008089n,
  0x8000000000008003n,
  0x8000000000008002n,
  0x8000000000000080n,
  0x000000000000800an,
  0x800000008000000an,
  0x8000000080008081n,
  0x8000000000008080n,
  0x0000000080000001n,
  0x8000000080008008n,
].map((v) => [Number(v & 0xffffffffn), Number(v >> 32n)] as const);

/** Rotation offsets r[x + 5y] of rho. */
export const KECCAK_ROT: readonly number[] = [
  0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14,
];

export const KECCAK_ROUNDS = 24;

/** Lane index (x + 5y) of pi's destination for source lane (x, y): B[y, 2x + 3y] = rot(A[x, y]). */
export const piDest = (x: number, y: number): number => y + 5 * ((2 * x + 3 * y) % 5);

function rotl(lo: number, hi: number, n: number): [number, number] {
  if (n === 0) return [lo, hi];
  if (n >= 32) [lo, hi] = [hi, lo];
  const k = n & 31;
  if (k === 0) return [lo >>> 0, hi >>> 0];
  return [((lo << k) | (hi >>> (32 - k))) >>> 0, ((hi << k) | (lo >>> (32 - k))) >>> 0];
}

/** One round on `s` (50 words) in place. */
export function keccakRound(s: Uint32Array, round: number): void {
  const c = new Uint32Array(10);
  for (let x = 0; x < 5; x++)
    for (let y = 0; y < 5; y++) {
      c[2 * x] ^= s[2 * (x + 5 * y)];
      c[2 * x + 1] ^= s[2 * (x + 5 * y) + 1];
    }
  for (let x = 0; x < 5; x++) {
    const [rl, rh] = rotl(c[2 * ((x + 1) % 5)], c[2 * ((x + 1) % 5) + 1], 1);
    const dl = c[2 * ((x + 4) % 5)] ^ rl;
    const dh = c[2 * ((x + 4) % 5) + 1] ^ rh;
    for (let y = 0; y < 5; y++) {
      s[2 * (x + 5 * y)] ^= dl;
      s[2 * (x + 5 * y) + 1] ^= dh;
    }
  }
  const b = new Uint32Array(50);
  for (let x = 0; x < 5; x++)
    for (let y = 0; y < 5; y++) {
      const i = x + 5 * y;
      const [l, h] = rotl(s[2 * i], s[2 * i + 1], KECCAK_ROT[i]);
      const d = piDest(x, y);
      b[2 * d] = l;
      b[2 * d + 1] = h;
    }
  for (let y = 0; y < 5; y++)
    for (let x = 0; x < 5; x++) {
      const i = x + 5 * y;
      const j = ((x + 1) % 5) + 5 * y;
      const k = ((x + 2) % 5) + 5 * y;
      s[2 * i] = b[2 * i] ^ (~b[2 * j] & b[2 * k]);
      s[2 * i + 1] = b[2 * i + 1] ^ (~b[2 * j + 1] & b[2 * k + 1]);
    }
  s[0] ^= KECCAK_RC[round][0];
  s[1] ^= KECCAK_RC[round][1];
}

/** keccak-f[1600] on 50 words in place. */
export function keccakF(s: Uint32Array): void {
  if (s.length !== 50) throw new Error(`keccak-f state must be 50 words, got ${s.length}`);
  for (let r = 0; r < KECCAK_ROUNDS; r++) keccakRound(s, r);
}

/** States before round 0..23 and after round 23 (25 entries of 50 words). */
export function keccakRounds(input: Uint32Array): Uint32Array[] {
  const out = [input.slice()];
  const s = input.slice();
  for (let r = 0; r < KECCAK_ROUNDS; r++) {
    keccakRound(s, r);
    out.push(s.slice());
  }
  return out;
}
