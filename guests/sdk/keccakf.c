/*
 * keccak-f[1600] permutation (24 rounds) on 25 little-endian 64-bit lanes, state[x + 5y].
 * Kept in its own file so that a precompile can replace it without touching the sponge.
 * The lane loops are unrolled with constant rotation amounts: on a 32-bit CPU a 64-bit
 * rotate by a variable amount costs branches, by a constant it is a few shifts.
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

#define ROL(v, n) (((v) << (n)) | ((v) >> (64 - (n))))

void keccakf(uint64_t st[25]) {
  uint64_t b[25];
  for (int round = 0; round < 24; round++) {
    /* theta: column parities c[x], then A[x, y] ^= c[x - 1] ^ rot(c[x + 1], 1) */
    uint64_t c0 = st[0] ^ st[5] ^ st[10] ^ st[15] ^ st[20];
    uint64_t c1 = st[1] ^ st[6] ^ st[11] ^ st[16] ^ st[21];
    uint64_t c2 = st[2] ^ st[7] ^ st[12] ^ st[17] ^ st[22];
    uint64_t c3 = st[3] ^ st[8] ^ st[13] ^ st[18] ^ st[23];
    uint64_t c4 = st[4] ^ st[9] ^ st[14] ^ st[19] ^ st[24];
    uint64_t d0 = c4 ^ ROL(c1, 1), d1 = c0 ^ ROL(c2, 1), d2 = c1 ^ ROL(c3, 1);
    uint64_t d3 = c2 ^ ROL(c4, 1), d4 = c3 ^ ROL(c0, 1);
    for (int y = 0; y < 25; y += 5) {
      st[y] ^= d0;
      st[y + 1] ^= d1;
      st[y + 2] ^= d2;
      st[y + 3] ^= d3;
      st[y + 4] ^= d4;
    }
    /* rho and pi: B[y, 2x + 3y] = rot(A[x, y], r[x, y]) */
    b[0] = st[0];
    b[10] = ROL(st[1], 1);
    b[20] = ROL(st[2], 62);
    b[5] = ROL(st[3], 28);
    b[15] = ROL(st[4], 27);
    b[16] = ROL(st[5], 36);
    b[1] = ROL(st[6], 44);
    b[11] = ROL(st[7], 6);
    b[21] = ROL(st[8], 55);
    b[6] = ROL(st[9], 20);
    b[7] = ROL(st[10], 3);
    b[17] = ROL(st[11], 10);
    b[2] = ROL(st[12], 43);
    b[12] = ROL(st[13], 25);
    b[22] = ROL(st[14], 39);
    b[23] = ROL(st[15], 41);
    b[8] = ROL(st[16], 45);
    b[18] = ROL(st[17], 15);
    b[3] = ROL(st[18], 21);
    b[13] = ROL(st[19], 8);
    b[14] = ROL(st[20], 18);
    b[24] = ROL(st[21], 2);
    b[9] = ROL(st[22], 61);
    b[19] = ROL(st[23], 56);
    b[4] = ROL(st[24], 14);
    /* chi: A[x, y] = B[x, y] ^ (~B[x + 1, y] & B[x + 2, y]) */
    for (int y = 0; y < 25; y += 5) {
      st[y] = b[y] ^ (~b[y + 1] & b[y + 2]);
      st[y + 1] = b[y + 1] ^ (~b[y + 2] & b[y + 3]);
      st[y + 2] = b[y + 2] ^ (~b[y + 3] & b[y + 4]);
      st[y + 3] = b[y + 3] ^ (~b[y + 4] & b[y]);
      st[y + 4] = b[y + 4] ^ (~b[y] & b[y + 1]);
    }
    /* iota */
    st[0] ^= RC[round];
  }
}
