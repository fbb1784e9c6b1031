/*
 * bigloop: a long-running integer loop for benchmarks (about 50 million instructions with
 * the default iteration count). Optional input (fd 0): the iteration count as a 4-byte LE
 * u32. Public values (fd 3) = iterations (u32 LE) || checksum (u32 LE); stdout: the checksum.
 */
#include "../sdk/zkmips.h"

#define DEFAULT_ITERATIONS 4200000u

int main(void) {
  uint8_t in[4];
  uint32_t iterations = DEFAULT_ITERATIONS;
  if (zk_read_input(in, 4) == 4) iterations = zk_le32(in);
  uint32_t x = 0x9e3779b9u, sum = 0;
  for (uint32_t i = 0; i < iterations; i++) {
    x ^= x << 13; /* xorshift32: the compiler cannot fold it into a closed form */
    x ^= x >> 17;
    x ^= x << 5;
    sum = (sum + (x ^ i)) * 0x01000193u;
  }
  uint8_t out[8];
  zk_put_le32(out, iterations);
  zk_put_le32(out + 4, sum);
  zk_commit(out, sizeof out);
  zk_print("bigloop(");
  zk_print_u32(iterations);
  zk_print(") checksum ");
  zk_print_hex32(sum);
  zk_print("\n");
  return 0;
}
