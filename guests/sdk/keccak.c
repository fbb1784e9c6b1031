/* Keccak-256 sponge (Ethereum's variant: pad byte 0x01, rate 136) over keccakf(). */
#include "zkmips.h"

#define RATE 136

static void absorb_block(uint64_t st[25], const uint8_t *block) {
  for (int i = 0; i < RATE / 8; i++) st[i] ^= zk_le64(block + 8 * i);
  keccakf(st);
}

void zk_keccak256(const void *data, size_t len, uint8_t out[32]) {
  uint64_t st[25];
  memset(st, 0, sizeof st);
  const uint8_t *p = data;
  for (; len >= RATE; len -= RATE, p += RATE) absorb_block(st, p);
  uint8_t last[RATE];
  memset(last, 0, sizeof last);
  memcpy(last, p, len);
  last[len] ^= 0x01;
  last[RATE - 1] ^= 0x80;
  absorb_block(st, last);
  for (int i = 0; i < 4; i++) zk_put_le64(out + 8 * i, st[i]);
}
