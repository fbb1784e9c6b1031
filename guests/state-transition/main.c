/*
 * state-transition: applies a batch of transfers to a balance table and commits the Merkle
 * roots of the table before and after. Input format (fd 0, all integers little-endian):
 *
 *   u32 account_count                      (at most 65536)
 *   u64 balance[account_count]
 *   u32 transfer_count                     (at most 65536)
 *   { u32 from; u32 to; u64 amount; }[transfer_count]
 *
 * and nothing after. A transfer is applied when from and to are existing accounts,
 * amount <= balance[from] and balance[to] + amount does not overflow; otherwise it is
 * rejected and counted. Merkle tree: leaf i = sha256(0x00 || u32 i || u64 balance[i]),
 * padded with 32 zero bytes up to a power of two; node = sha256(0x01 || left || right).
 * An empty table has the root 0^32.
 *
 * Public values (fd 3), 76 bytes: old_root || new_root || u32 account_count ||
 * u32 applied || u32 rejected. Malformed input: exit status 2 and nothing on fd 3.
 */
#include "../sdk/zkmips.h"

#define MAX_ACCOUNTS 65536u
#define MAX_TRANSFERS 65536u

static void merkle_root(const uint64_t *balances, uint32_t count, uint8_t root[32]) {
  uint32_t width = 1;
  while (width < count) width <<= 1;
  uint8_t(*level)[32] = malloc((size_t)width * 32);
  for (uint32_t i = 0; i < width; i++) {
    if (i < count) {
      uint8_t leaf[13];
      leaf[0] = 0x00;
      zk_put_le32(leaf + 1, i);
      zk_put_le64(leaf + 5, balances[i]);
      zk_sha256(leaf, sizeof leaf, level[i]);
    } else {
      memset(level[i], 0, 32);
    }
  }
  for (; width > 1; width >>= 1) {
    for (uint32_t i = 0; i < width / 2; i++) {
      uint8_t node[65];
      node[0] = 0x01;
      memcpy(node + 1, level[2 * i], 32);
      memcpy(node + 33, level[2 * i + 1], 32);
      zk_sha256(node, sizeof node, level[i]);
    }
  }
  memcpy(root, level[0], 32);
  free(level);
}

static __attribute__((noreturn)) void malformed(const char *why) {
  zk_eprint("state-transition: malformed input: ");
  zk_eprint(why);
  zk_eprint("\n");
  zk_exit(2);
}

int main(void) {
  size_t len;
  const uint8_t *in = zk_read_all_input(&len);
  size_t pos = 0;
  if (len - pos < 4) malformed("missing account_count");
  uint32_t accounts = zk_le32(in + pos);
  pos += 4;
  if (accounts > MAX_ACCOUNTS) malformed("account_count above 65536");
  if (len - pos < (size_t)accounts * 8) malformed("balance table truncated");
  uint64_t *balances = malloc((size_t)accounts * 8 + 8);
  uint64_t supply = 0;
  for (uint32_t i = 0; i < accounts; i++, pos += 8) {
    balances[i] = zk_le64(in + pos);
    supply += balances[i];
  }
  if (len - pos < 4) malformed("missing transfer_count");
  uint32_t transfers = zk_le32(in + pos);
  pos += 4;
  if (transfers > MAX_TRANSFERS) malformed("transfer_count above 65536");
  if (len - pos != (size_t)transfers * 16) malformed("transfer list length does not match transfer_count");

  uint8_t out[76];
  merkle_root(balances, accounts, out);

  uint32_t applied = 0, rejected = 0;
  for (uint32_t t = 0; t < transfers; t++, pos += 16) {
    uint32_t from = zk_le32(in + pos), to = zk_le32(in + pos + 4);
    uint64_t amount = zk_le64(in + pos + 8);
    int ok = from < accounts && to < accounts && amount <= balances[from] &&
             (from == to || balances[to] + amount >= balances[to]);
    if (!ok) {
      rejected++;
      continue;
    }
    balances[from] -= amount;
    balances[to] += amount;
    applied++;
  }

  uint64_t after = 0;
  for (uint32_t i = 0; i < accounts; i++) after += balances[i];
  if (after != supply) {
    zk_eprint("state-transition: total supply changed (bug)\n");
    return 3;
  }

  merkle_root(balances, accounts, out + 32);
  zk_put_le32(out + 64, accounts);
  zk_put_le32(out + 68, applied);
  zk_put_le32(out + 72, rejected);
  zk_commit(out, sizeof out);
  zk_print("old root ");
  zk_print_hex(out, 32);
  zk_print("\nnew root ");
  zk_print_hex(out + 32, 32);
  zk_print("\naccounts ");
  zk_print_u32(accounts);
  zk_print(" applied ");
  zk_print_u32(applied);
  zk_print(" rejected ");
  zk_print_u32(rejected);
  zk_print("\n");
  return 0;
}
