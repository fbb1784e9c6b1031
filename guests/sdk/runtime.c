/*
 * Freestanding runtime for zkmips C guests: the memory functions compilers call, 64-bit
 * division helpers (Debian's cross libgcc is hard-float PIC and cannot be linked), a small
 * brk heap, and the I/O helpers declared in zkmips.h.
 */
#include "zkmips.h"

/* ---- memory functions (byte loops; gcc must not turn them into calls to themselves:
 *      build with -fno-tree-loop-distribute-patterns) ---- */

void *memcpy(void *dst, const void *src, size_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  if ((((uintptr_t)d | (uintptr_t)s) & 3) == 0) {
    for (; n >= 4; n -= 4, d += 4, s += 4) *(uint32_t *)d = *(const uint32_t *)s;
  }
  while (n--) *d++ = *s++;
  return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  if (d == s || n == 0) return dst;
  if (d < s || d >= s + n) return memcpy(dst, src, n);
  while (n--) d[n] = s[n];
  return dst;
}

void *memset(void *dst, int c, size_t n) {
  uint8_t *d = dst;
  uint8_t b = (uint8_t)c;
  if (((uintptr_t)d & 3) == 0) {
    uint32_t w = b * 0x01010101u;
    for (; n >= 4; n -= 4, d += 4) *(uint32_t *)d = w;
  }
  while (n--) *d++ = b;
  return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
  const uint8_t *x = a, *y = b;
  for (size_t i = 0; i < n; i++) {
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return 0;
}

/* ---- 64-bit integer helpers (libgcc names) ---- */

uint64_t __udivmoddi4(uint64_t num, uint64_t den, uint64_t *rem) {
  if (den == 0) {
    /* Mirror the 32-bit `teq` trap gcc emits after div: stop with SIGFPE-like status. */
    zk_eprint("zkmips runtime: 64-bit division by zero\n");
    zk_exit(136);
  }
  uint64_t q = 0, r = 0;
  if ((num >> 32) == 0 && (den >> 32) == 0) {
    uint32_t n32 = (uint32_t)num, d32 = (uint32_t)den;
    q = n32 / d32;
    r = n32 % d32;
  } else if (num != 0) {
    /* Restoring shift-subtract division, starting at the numerator's top bit. */
    uint32_t hi = (uint32_t)(num >> 32);
    int top = hi ? 63 - __builtin_clz(hi) : 31 - __builtin_clz((uint32_t)num);
    for (int i = top; i >= 0; i--) {
      r = (r << 1) | ((num >> i) & 1);
      if (r >= den) {
        r -= den;
        q |= (uint64_t)1 << i;
      }
    }
  }
  if (rem) *rem = r;
  return q;
}

uint64_t __udivdi3(uint64_t a, uint64_t b) { return __udivmoddi4(a, b, NULL); }

uint64_t __umoddi3(uint64_t a, uint64_t b) {
  uint64_t r;
  __udivmoddi4(a, b, &r);
  return r;
}

int64_t __divdi3(int64_t a, int64_t b) {
  int neg = (a < 0) != (b < 0);
  uint64_t ua = a < 0 ? -(uint64_t)a : (uint64_t)a;
  uint64_t ub = b < 0 ? -(uint64_t)b : (uint64_t)b;
  uint64_t q = __udivmoddi4(ua, ub, NULL);
  return neg ? -(int64_t)q : (int64_t)q;
}

int64_t __moddi3(int64_t a, int64_t b) {
  uint64_t ua = a < 0 ? -(uint64_t)a : (uint64_t)a;
  uint64_t ub = b < 0 ? -(uint64_t)b : (uint64_t)b;
  uint64_t r;
  __udivmoddi4(ua, ub, &r);
  return a < 0 ? -(int64_t)r : (int64_t)r;
}

/* ---- exit and I/O ---- */

void zk_exit(int code) {
  for (;;) zk_syscall3(ZK_SYS_EXIT_GROUP, code, 0, 0);
}

size_t zk_read_full(int fd, void *buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = zk_read(fd, (uint8_t *)buf + got, n - got);
    if (r <= 0) break;
    got += (size_t)r;
  }
  return got;
}

void zk_write_all(int fd, const void *buf, size_t n) {
  const uint8_t *p = buf;
  while (n > 0) {
    ssize_t w = zk_write(fd, p, n);
    if (w <= 0) zk_exit(120);
    p += w;
    n -= (size_t)w;
  }
}

uint8_t *zk_read_all_input(size_t *len) {
  size_t cap = 256, n = 0;
  uint8_t *buf = malloc(cap);
  for (;;) {
    if (n == cap) {
      cap *= 2;
      buf = realloc(buf, cap);
    }
    ssize_t r = zk_read(ZK_FD_INPUT, buf + n, cap - n);
    if (r <= 0) break;
    n += (size_t)r;
  }
  *len = n;
  return buf;
}

size_t zk_strlen(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

void zk_print(const char *s) { zk_write_all(ZK_FD_STDOUT, s, zk_strlen(s)); }

void zk_eprint(const char *s) { zk_write_all(ZK_FD_STDERR, s, zk_strlen(s)); }

static const char HEX[] = "0123456789abcdef";

void zk_print_hex(const void *buf, size_t n) {
  const uint8_t *p = buf;
  char tmp[64];
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    tmp[k++] = HEX[p[i] >> 4];
    tmp[k++] = HEX[p[i] & 15];
    if (k == sizeof tmp) {
      zk_write_all(ZK_FD_STDOUT, tmp, k);
      k = 0;
    }
  }
  if (k) zk_write_all(ZK_FD_STDOUT, tmp, k);
}

void zk_print_hex32(uint32_t v) {
  char tmp[8];
  for (int i = 7; i >= 0; i--, v >>= 4) tmp[i] = HEX[v & 15];
  zk_write_all(ZK_FD_STDOUT, tmp, 8);
}

/* v / 10 by long division over 16-bit limbs (32-bit divu only, no 64-bit helper loop). */
static uint64_t divmod10(uint64_t v, uint32_t *rem) {
  uint32_t r = 0;
  uint64_t q = 0;
  for (int shift = 48; shift >= 0; shift -= 16) {
    uint32_t cur = (r << 16) | (uint32_t)((v >> shift) & 0xFFFF);
    q |= (uint64_t)(cur / 10) << shift;
    r = cur % 10;
  }
  *rem = r;
  return q;
}

void zk_print_u64(uint64_t v) {
  char tmp[20];
  int i = 20;
  do {
    uint32_t digit;
    v = divmod10(v, &digit);
    tmp[--i] = (char)('0' + digit);
  } while (v);
  zk_write_all(ZK_FD_STDOUT, tmp + i, (size_t)(20 - i));
}

void zk_print_u32(uint32_t v) {
  char tmp[10];
  int i = 10;
  do {
    tmp[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  zk_write_all(ZK_FD_STDOUT, tmp + i, (size_t)(10 - i));
}

/* ---- heap over brk ----
 * Each block is preceded by an 8-byte header holding its payload size. Memory is never
 * returned to the host; free() rewinds only when it releases the most recent block. */

static uint8_t *heap_start, *heap_top, *heap_limit;
static uint8_t *last_block;

static int heap_grow(size_t need) {
  if (!heap_start) {
    heap_start = heap_top = heap_limit = (uint8_t *)(uintptr_t)zk_syscall3(ZK_SYS_BRK, 0, 0, 0);
    heap_top = heap_start = (uint8_t *)(((uintptr_t)heap_start + 7) & ~(uintptr_t)7);
  }
  if ((size_t)(heap_limit - heap_top) >= need) return 1;
  uintptr_t want = ((uintptr_t)heap_top + need + 0xFFFF) & ~(uintptr_t)0xFFFF;
  if (want < (uintptr_t)heap_top) return 0;
  uintptr_t got = (uintptr_t)zk_syscall3(ZK_SYS_BRK, (int)want, 0, 0);
  if (got != want) return 0;
  heap_limit = (uint8_t *)want;
  return 1;
}

void *malloc(size_t n) {
  size_t size = (n + 7) & ~(size_t)7;
  if (size < n || size > 0x7FFFFFF0u || !heap_grow(size + 8)) {
    zk_eprint("zkmips runtime: out of memory\n");
    zk_exit(121);
  }
  uint8_t *block = heap_top;
  *(size_t *)block = size;
  heap_top += size + 8;
  last_block = block;
  return block + 8;
}

void *calloc(size_t count, size_t size) {
  size_t n = count * size;
  if (size && n / size != count) return NULL;
  return memset(malloc(n), 0, n);
}

void free(void *p) {
  if (p && (uint8_t *)p - 8 == last_block) {
    heap_top = last_block;
    last_block = NULL;
  }
}

void *realloc(void *p, size_t n) {
  if (!p) return malloc(n);
  uint8_t *block = (uint8_t *)p - 8;
  size_t old = *(size_t *)block;
  size_t size = (n + 7) & ~(size_t)7;
  if (size <= old) return p;
  if (block == last_block) {
    if (size < n || size > 0x7FFFFFF0u || !heap_grow(size - old)) {
      zk_eprint("zkmips runtime: out of memory\n");
      zk_exit(121);
    }
    *(size_t *)block = size;
    heap_top = block + 8 + size;
    return p;
  }
  void *q = malloc(n);
  memcpy(q, p, old);
  return q;
}
