/*
 * fibonacci: input (fd 0) = n as a 4-byte little-endian u32.
 * Public values (fd 3) = n (u32 LE) || fib(n) mod 2^64 (u64 LE); stdout: "fib(n) = value".
 */
#include "../sdk/zkmips.h"

int main(void) {
  uint8_t in[4];
  if (zk_read_input(in, 4) != 4) {
    zk_eprint("fibonacci: expected n as a 4-byte little-endian u32 on the input\n");
    return 2;
  }
  uint32_t n = zk_le32(in);
  uint64_t a = 0, b = 1;
  for (uint32_t i = 0; i < n; i++) {
    uint64_t t = a + b;
    a = b;
    b = t;
  }
  uint8_t out[12];
  zk_put_le32(out, n);
  zk_put_le64(out + 4, a);
  zk_commit(out, sizeof out);
  zk_print("fib(");
  zk_print_u32(n);
  zk_print(") = ");
  zk_print_u64(a);
  zk_print("\n");
  return 0;
}
