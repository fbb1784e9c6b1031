/*
 * keccakf: n keccak-f[1600] permutations of one state through the zkmips precompile (benchmark and
 * example of zkmips_keccakf). Input: u32 n. Public values: u32 n || the first lane after n
 * permutations of the zero state (u64). zkmips only: plain qemu-mipsel does not know the syscall.
 */
#include "../sdk/zkmips.h"

int main(void) {
  uint8_t in[4];
  if (zk_read_input(in, 4) != 4) return 2;
  uint32_t n = zk_le32(in);
  uint64_t st[25];
  memset(st, 0, sizeof st);
  for (uint32_t i = 0; i < n; i++) zkmips_keccakf(st);
  uint8_t out[12];
  zk_put_le32(out, n);
  zk_put_le64(out + 4, st[0]);
  zk_commit(out, sizeof out);
  return 0;
}
