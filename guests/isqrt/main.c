/*
 * isqrt: integer square root with a hint. Input (fd 0) = n as a u64 LE; hints (fd 4) = the
 * claimed root r as a u32 LE. The guest does not compute the root, it checks the advice:
 * r*r <= n < (r+1)*(r+1). Public values (fd 3) = n (u64 LE) || r (u32 LE); stdout:
 * "isqrt(n) = r". A missing or wrong hint: exit status 1 and nothing on fd 3.
 */
#include "../sdk/zkmips.h"

int main(void) {
  uint8_t in[8], hint[4];
  if (zk_read_input(in, 8) != 8) {
    zk_eprint("isqrt: expected n as an 8-byte little-endian u64 on the input\n");
    return 2;
  }
  if (zk_read_hints(hint, 4) != 4) {
    zk_eprint("isqrt: expected the root as a 4-byte little-endian u32 on the hints (fd 4)\n");
    return 1;
  }
  uint64_t n = zk_le64(in);
  uint64_t r = zk_le32(hint);
  /* (r+1)^2 fits in u64 for r < 2^32; n < (r+1)^2 also holds when (r+1)^2 = 2^64. */
  uint64_t next = (r + 1) * (r + 1);
  int above = r == 0xFFFFFFFFu ? 1 : n < next;
  if (!(r * r <= n && above)) {
    zk_eprint("isqrt: the hint is not the integer square root of n\n");
    return 1;
  }
  uint8_t out[12];
  zk_put_le64(out, n);
  zk_put_le32(out + 8, (uint32_t)r);
  zk_commit(out, sizeof out);
  zk_print("isqrt(");
  zk_print_u64(n);
  zk_print(") = ");
  zk_print_u32((uint32_t)r);
  zk_print("\n");
  return 0;
}
