/*
 * keccak-f[1600] permutation (24 rounds) on 25 little-endian 64-bit lanes, state[x + 5y].
 * Kept in its own file so that a precompile can replace it without touching the sponge.
 */
#include "zkmips.h"

static const uint64_t RC[24] = {
    0x0000000000000001ull, 0x0000000000008082ull, 0x800000000000808aull, 0x8000000080008000ull,
    0x000000000000808bull, 0x0000000080000001ull, 0x8000000080008081ull, 0x8000000000008009ull,
    0x000000000000008aull, 0x0000000000000088ull, 0x0000000080008009ull, 0x000000008000000aull,
    0x000000008000808bull, 0x800000000000008bull, 0x8000000000008089ull, 0x8000000000008003ull,
    0x8000000000008002ull, 0x8000000000000080ull, 0x000000000000800aull, 0x800000008000000aull,
    0x8000000080008081ull, 0x8000000000008080ull, 0x0000000080000001ull, 0x8000000080008008ull,
};

/* Rotation offsets r[x][y] indexed as state index x + 5y. */
static const uint8_t ROT[25] = {
    0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14,
};

static inline uint64_t rotl64(uint64_t v, unsigned n) { return n ? (v << n) | (v >> (64 - n)) : v; }

void keccakf(uint64_t st[25]) {
  uint64_t c[5], b[25];
  for (int round = 0; round < 24; round++) {
    /* theta */
    for (int x = 0; x < 5; x++) c[x] = st[x] ^ st[x + 5] ^ st[x + 10] ^ st[x + 15] ^ st[x + 20];
    for (int x = 0; x < 5; x++) {
      uint64_t d = c[(x + 4) % 5] ^ rotl64(c[(x + 1) % 5], 1);
      for (int y = 0; y < 25; y += 5) st[x + y] ^= d;
    }
    /* rho and pi: B[y, 2x + 3y] = rot(A[x, y], r[x, y]) */
    for (int x = 0; x < 5; x++) {
      for (int y = 0; y < 5; y++) {
        b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl64(st[x + 5 * y], ROT[x + 5 * y]);
      }
    }
    /* chi */
    for (int y = 0; y < 25; y += 5) {
      for (int x = 0; x < 5; x++) st[x + y] = b[x + y] ^ (~b[(x + 1) % 5 + y] & b[(x + 2) % 5 + y]);
    }
    /* iota */
    st[0] ^= RC[round];
  }
}
