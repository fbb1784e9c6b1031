/*
 * keccak: Keccak-256 (Ethereum variant) of the whole private input (fd 0).
 * Public values (fd 3) = the 32-byte digest; stdout: the digest in hex and a newline.
 */
#include "../sdk/zkmips.h"

int main(void) {
  size_t len;
  uint8_t *data = zk_read_all_input(&len);
  uint8_t digest[32];
  zk_keccak256(data, len, digest);
  zk_commit(digest, 32);
  zk_print_hex(digest, 32);
  zk_print("\n");
  return 0;
}
