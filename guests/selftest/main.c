/*
 * selftest: exercises the SDK runtime and the code compilers emit for 64-bit arithmetic.
 * No input. stdout: one line per pair (a, b) of a 64-bit operand table with
 *   a/b a%b (unsigned)  a/b a%b (signed)  a*b  a<<(b&63)  a>>(b&63)  (signed a)>>(b&63)
 * as 16-digit hex words ("-" where C leaves the result undefined: b = 0, INT64_MIN / -1),
 * then 32-bit signed/unsigned division lines, then memmove/memset/memcmp/malloc results.
 * Public values (fd 3) = the number of lines printed (u32 LE).
 */
#include "../sdk/zkmips.h"

uint64_t values[] = {
    0,          1,          7,          10,         0xffffffffull,         0x100000000ull,
    1000000007, 0x123456789abcdef0ull,  0x8000000000000000ull, 0x7fffffffffffffffull,
    0xffffffffffffffffull, 0xfffffffffffffff9ull,
};
int32_t words[] = {0, 1, -1, 7, -7, 3, -3, 0x7fffffff, (int32_t)0x80000000, 1000, -1000};

static uint32_t lines;

static void hex64(uint64_t v) {
  zk_print_hex32((uint32_t)(v >> 32));
  zk_print_hex32((uint32_t)v);
  zk_print(" ");
}

static void newline(void) {
  zk_print("\n");
  lines++;
}

int main(void) {
  const int n = sizeof values / sizeof values[0];
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < n; j++) {
      uint64_t a = values[i], b = values[j];
      int64_t sa = (int64_t)a, sb = (int64_t)b;
      if (b == 0) {
        zk_print("- - - - ");
      } else {
        hex64(a / b);
        hex64(a % b);
        if (sa == (int64_t)0x8000000000000000ull && sb == -1) {
          zk_print("- - ");
        } else {
          hex64((uint64_t)(sa / sb));
          hex64((uint64_t)(sa % sb));
        }
      }
      hex64(a * b);
      hex64(a << (b & 63));
      hex64(a >> (b & 63));
      hex64((uint64_t)(sa >> (b & 63)));
      newline();
    }
  }

  const int m = sizeof words / sizeof words[0];
  for (int i = 0; i < m; i++) {
    for (int j = 0; j < m; j++) {
      int32_t a = words[i], b = words[j];
      if (b == 0 || (a == (int32_t)0x80000000 && b == -1)) {
        zk_print("- - ");
      } else {
        zk_print_hex32((uint32_t)(a / b));
        zk_print(" ");
        zk_print_hex32((uint32_t)(a % b));
        zk_print(" ");
      }
      if (b == 0) {
        zk_print("- -");
      } else {
        zk_print_hex32((uint32_t)a / (uint32_t)b);
        zk_print(" ");
        zk_print_hex32((uint32_t)a % (uint32_t)b);
      }
      newline();
    }
  }

  /* memmove both directions, memset at odd offsets, memcmp signs */
  char buf[40];
  for (int i = 0; i < 39; i++) buf[i] = (char)('A' + i % 26);
  buf[39] = 0;
  memmove(buf + 3, buf, 10);
  zk_print(buf);
  newline();
  memmove(buf, buf + 5, 17);
  zk_print(buf);
  newline();
  memset(buf + 1, '*', 6);
  memset(buf + 13, '#', 9);
  zk_print(buf);
  newline();
  memcpy(buf + 20, "0123456789abcdef", 16);
  zk_print(buf);
  newline();
  zk_print_hex32((uint32_t)memcmp("abc", "abd", 3));
  zk_print(" ");
  zk_print_hex32((uint32_t)memcmp("abd", "abc", 3));
  zk_print(" ");
  zk_print_hex32((uint32_t)memcmp("abc", "abc", 3));
  zk_print(" ");
  zk_print_hex32((uint32_t)memcmp("\x80", "\x01", 1));
  newline();

  /* heap: blocks keep their contents across realloc (in place and moved) */
  uint32_t *p = malloc(10 * sizeof *p);
  for (uint32_t i = 0; i < 10; i++) p[i] = i * i;
  uint8_t *q = malloc(5);
  memset(q, 0x5a, 5);
  p = realloc(p, 100000 * sizeof *p); /* not the last block: moves */
  for (uint32_t i = 10; i < 100000; i++) p[i] = i * 3;
  q = realloc(q, 300000); /* was the last block before p moved? either way contents stay */
  uint32_t sum = 0;
  for (uint32_t i = 0; i < 100000; i++) sum = sum * 31 + p[i];
  for (uint32_t i = 0; i < 5; i++) sum = sum * 31 + q[i];
  zk_print_hex32(sum);
  newline();

  uint8_t out[4];
  zk_put_le32(out, lines + 1);
  zk_commit(out, 4);
  zk_print("lines ");
  zk_print_u32(lines + 1);
  zk_print("\n");
  return 0;
}
