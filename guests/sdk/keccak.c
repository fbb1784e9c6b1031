/* Keccak-256 sponge (Ethereum's variant: pad byte 0x01, rate 136) over a keccak-f[1600] permutation:
   zk_keccak256() uses the software keccakf(), keccak256() the zkmips precompile. */
#include "zkmips.h"

#define RATE 136

typedef void (*permutation)(uint64_t st[25]);

static inline void sponge(permutation f, const void *data, size_t len, uint8_t out[32]) {
  uint64_t st[25];
  memset(st, 0, sizeof st);
  const uint8_t *p = data;
  for (; len >= RATE; len -= RATE, p += RATE) {
    for (int i = 0; i < RATE / 8; i++) st[i] ^= zk_le64(p + 8 * i);
    f(st);
  }
  uint8_t last[RATE];
  memset(last, 0, sizeof last);
  memcpy(last, p, len);
  last[len] ^= 0x01;
  last[RATE - 1] ^= 0x80;
  for (int i = 0; i < RATE / 8; i++) st[i] ^= zk_le64(last + 8 * i);
  f(st);
  for (int i = 0; i < 4; i++) zk_put_le64(out + 8 * i, st[i]);
}

void zk_keccak256(const void *data, size_t len, uint8_t out[32]) { sponge(keccakf, data, len, out); }

#ifdef ZK_KECCAK_SOFTWARE
void keccak256(const void *data, size_t len, uint8_t out[32]) { sponge(keccakf, data, len, out); }
#else
static void precompile(uint64_t st[25]) { zkmips_keccakf(st); }
void keccak256(const void *data, size_t len, uint8_t out[32]) { sponge(precompile, data, len, out); }
#endif
