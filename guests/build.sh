#!/usr/bin/env bash
# Rebuilds every committed guest ELF from source (npm run guests:build):
#   guests/<name>/main.c  -> guests/<name>/<name>.elf (gcc 12) and <name>.clang.elf (clang 14 + ld.lld)
#   guests/isa/*.S        -> guests/isa/<name>.elf (gcc/as)
# guests/go/ has its own build script (run here when present). Output is deterministic:
# relative paths, no build id, no debug info. npm install and the tests never need this.
# isa/<name>.qemu.txt = "status <qemu-mipsel exit status>" line + the exact stdout bytes.
# Usage: guests/build.sh [OUT_DIR]   (default: in place; with OUT_DIR, go/ is not rebuilt;
# the tests use this to check that the committed ELFs match their sources)
set -euo pipefail
cd "$(dirname "$0")"
OUT=${1:-.}

GCC=${MIPS_GCC:-mipsel-linux-gnu-gcc}
CLANG=${CLANG:-clang}

need() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "guests/build.sh: '$1' not found. Install it: $2" >&2
    exit 1
  fi
}
need "$GCC" "apt-get install gcc-mipsel-linux-gnu"
need "$CLANG" "apt-get install clang lld"
need ld.lld "apt-get install lld"

COMMON=(-march=mips32r2 -msoft-float -mno-abicalls -fno-pic -static -nostdlib -ffreestanding -fno-builtin
  -O2 -Wall -Wextra -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-ident)
GCC_FLAGS=("${COMMON[@]}" -mel -fno-tree-loop-distribute-patterns -Wl,--gc-sections -Wl,--build-id=none
  -Wl,-z,max-page-size=4096 -Wl,-T,sdk/guest.ld)
CLANG_FLAGS=(--target=mipsel-linux-gnu "${COMMON[@]}" -G0 -fuse-ld=lld -Wl,--no-rosegment -Wl,--gc-sections -Wl,--build-id=none
  -Wl,-z,max-page-size=4096 -Wl,-T,sdk/guest.ld)
SDK=(sdk/start.S sdk/runtime.c sdk/sha256.c sdk/keccak.c sdk/keccakf.c)

C_GUESTS=(fibonacci sha256 keccak keccakf state-transition bigloop isqrt selftest storage-proof)
for name in "${C_GUESTS[@]}"; do
  mkdir -p "$OUT/$name"
  "$GCC" "${GCC_FLAGS[@]}" -o "$OUT/$name/$name.elf" "$name/main.c" "${SDK[@]}"
  "$CLANG" "${CLANG_FLAGS[@]}" -o "$OUT/$name/$name.clang.elf" "$name/main.c" "${SDK[@]}"
  echo "built $name/$name.elf $name/$name.clang.elf"
done
# The storage-proof guest with the software keccak-f instead of the precompile (runs under plain
# qemu-mipsel; bench/prove.ts reports its cycles against the precompile build's).
"$GCC" "${GCC_FLAGS[@]}" -DZK_KECCAK_SOFTWARE -o "$OUT/storage-proof/storage-proof.soft.elf" storage-proof/main.c "${SDK[@]}"
echo "built storage-proof/storage-proof.soft.elf"

# Instruction tests: assembled with gcc; qemu-mipsel's stdout and exit status are recorded
# next to each ELF (isa/<name>.qemu.txt) so the executor can be checked without qemu.
mkdir -p "$OUT/isa"
for src in isa/*.S; do
  name=$(basename "$src" .S)
  elf="$OUT/isa/$name.elf"
  # Assemble and link in two steps: a one-step build names a random temporary object in the
  # symbol table, which would make the ELF differ on every build.
  "$GCC" -march=mips32r2 -msoft-float -mno-abicalls -fno-pic -mel -c -o "$OUT/isa/$name.o" "$src"
  "$GCC" -static -nostdlib -mel -Wl,--build-id=none -Wl,-z,max-page-size=4096 -Wl,-T,sdk/guest.ld \
    -o "$elf" "$OUT/isa/$name.o"
  rm -f "$OUT/isa/$name.o"
  if command -v qemu-mipsel >/dev/null 2>&1; then
    status=$(bash -c 'ulimit -c 0; qemu-mipsel "$1" </dev/null >"$2" 2>/dev/null 3>/dev/null; echo $?' \
      _ "$elf" "$OUT/isa/$name.stdout.tmp" 2>/dev/null)
    { printf 'status %d\n' "$status"; cat "$OUT/isa/$name.stdout.tmp"; } >"$OUT/isa/$name.qemu.txt"
    rm -f "$OUT/isa/$name.stdout.tmp"
  else
    echo "guests/build.sh: qemu-mipsel not found, isa/$name.qemu.txt not refreshed" >&2
  fi
  echo "built isa/$name.elf"
done

if [ "$OUT" = . ] && [ -x go/build.sh ]; then
  go/build.sh
fi
