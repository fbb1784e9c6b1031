/*
 * zkmips guest SDK for C (MIPS32r2 little-endian, soft-float, freestanding, static).
 *
 * File descriptors (see docs/guests.md):
 *   0 = private input (read with zk_read_input / zk_read_all_input)
 *   1 = stdout, 2 = stderr (not part of the proven statement)
 *   3 = public values (every byte written with zk_commit is part of the statement)
 *   4 = hints (unconstrained advice, read with zk_read_hints)
 *
 * A guest defines `int main(void)`; start.S calls it and exits with its return value.
 * System calls use the Linux O32 convention: $v0 = number, $a0..$a3 = arguments,
 * `syscall`, result in $v0, $a3 != 0 means $v0 holds a positive errno.
 */
#ifndef ZKMIPS_H
#define ZKMIPS_H

typedef unsigned char uint8_t;
typedef signed char int8_t;
typedef unsigned short uint16_t;
typedef short int16_t;
typedef unsigned int uint32_t;
typedef int int32_t;
typedef unsigned long long uint64_t;
typedef long long int64_t;
typedef unsigned int size_t;
typedef int ssize_t;
typedef unsigned int uintptr_t;

#define NULL ((void *)0)

#define ZK_FD_INPUT 0
#define ZK_FD_STDOUT 1
#define ZK_FD_STDERR 2
#define ZK_FD_PUBLIC 3
#define ZK_FD_HINTS 4

#define ZK_SYS_EXIT 4001
#define ZK_SYS_READ 4003
#define ZK_SYS_WRITE 4004
#define ZK_SYS_BRK 4045
#define ZK_SYS_EXIT_GROUP 4246
/* zkmips precompile (outside Linux O32's 4000-4999): keccak-f[1600] on 25 lanes at $a0, in place. */
#define ZK_SYS_KECCAKF 0x00010109

/* Raw O32 system call with up to three arguments. Returns the result, or -errno on error. */
static inline int zk_syscall3(int number, int arg0, int arg1, int arg2) {
  register int v0 __asm__("$2") = number;
  register int a0 __asm__("$4") = arg0;
  register int a1 __asm__("$5") = arg1;
  register int a2 __asm__("$6") = arg2;
  register int a3 __asm__("$7");
  __asm__ volatile("syscall"
                   : "+r"(v0), "=r"(a3)
                   : "r"(a0), "r"(a1), "r"(a2)
                   : "$1", "$3", "$8", "$9", "$10", "$11", "$12", "$13", "$14", "$15", "$24", "$25", "hi",
                     "lo", "memory");
  return a3 ? -v0 : v0;
}

/* One read(2): up to n bytes, returns the count (0 at end of stream) or -errno. */
static inline ssize_t zk_read(int fd, void *buf, size_t n) {
  return zk_syscall3(ZK_SYS_READ, fd, (int)(uintptr_t)buf, (int)n);
}

/* One write(2): returns the count written or -errno. */
static inline ssize_t zk_write(int fd, const void *buf, size_t n) {
  return zk_syscall3(ZK_SYS_WRITE, fd, (int)(uintptr_t)buf, (int)n);
}

/* Terminates the guest with the given exit status (exit_group). */
__attribute__((noreturn)) void zk_exit(int code);

/* Reads until n bytes or end of stream; returns the number of bytes read. */
size_t zk_read_full(int fd, void *buf, size_t n);
/* Writes all n bytes (exits with status 120 if the host refuses). */
void zk_write_all(int fd, const void *buf, size_t n);

/* Private input (fd 0). */
static inline size_t zk_read_input(void *buf, size_t n) { return zk_read_full(ZK_FD_INPUT, buf, n); }
/* Reads the whole private input into a malloc'd buffer; *len receives its size. */
uint8_t *zk_read_all_input(size_t *len);
/* Hints (fd 4): unconstrained advice, the guest must check what it relies on. */
static inline size_t zk_read_hints(void *buf, size_t n) { return zk_read_full(ZK_FD_HINTS, buf, n); }
/* Public values (fd 3): appended to the proven statement. */
static inline void zk_commit(const void *buf, size_t n) { zk_write_all(ZK_FD_PUBLIC, buf, n); }

/* Text output helpers (stdout unless a fd is given). */
size_t zk_strlen(const char *s);
void zk_print(const char *s);
void zk_eprint(const char *s);
void zk_print_hex(const void *buf, size_t n); /* lowercase hex, no separator */
void zk_print_u32(uint32_t v);                /* decimal */
void zk_print_u64(uint64_t v);                /* decimal */
void zk_print_hex32(uint32_t v);              /* 8 hex digits */

/* Little-endian helpers for binary formats. */
static inline uint32_t zk_le32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline uint64_t zk_le64(const uint8_t *p) { return (uint64_t)zk_le32(p) | ((uint64_t)zk_le32(p + 4) << 32); }
static inline void zk_put_le32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}
static inline void zk_put_le64(uint8_t *p, uint64_t v) {
  zk_put_le32(p, (uint32_t)v);
  zk_put_le32(p + 4, (uint32_t)(v >> 32));
}

/* Heap over brk (never returns memory to the host; free only recycles the last block). */
void *malloc(size_t n);
void *calloc(size_t count, size_t size);
void *realloc(void *p, size_t n);
void free(void *p);

/* Freestanding C library subset provided by runtime.c (compilers emit calls to these). */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* Hashes shipped with the SDK (sha256.c, keccak.c + keccakf.c). */
void zk_sha256(const void *data, size_t len, uint8_t out[32]);
/* Keccak-256 with the software permutation keccakf() (reference; runs under plain qemu-mipsel). */
void zk_keccak256(const void *data, size_t len, uint8_t out[32]);
void keccakf(uint64_t state[25]);

/*
 * keccak-f[1600] precompile: permutes the 25 little-endian 64-bit lanes at `state` in place
 * (200 bytes, word aligned, inside guest memory; lane i = words 2i (low), 2i + 1 (high)).
 * One syscall instead of ~20k instructions; proven by the AIR's Keccak chip. zkmips only
 * (plain qemu-mipsel does not know the call).
 */
static inline void zkmips_keccakf(uint64_t state[25]) {
  zk_syscall3(ZK_SYS_KECCAKF, (int)(uintptr_t)state, 0, 0);
}
/* Keccak-256 (Ethereum's, pad 0x01) over zkmips_keccakf(); over keccakf() when built with
   -DZK_KECCAK_SOFTWARE (same digests). */
void keccak256(const void *data, size_t len, uint8_t out[32]);

#endif
