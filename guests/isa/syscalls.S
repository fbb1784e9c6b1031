/* System calls the SDK relies on: brk (query, grow, refuse a break below the image),
 * write of zero bytes, read at end of input, and exit_group with a non-zero status (5).
 * brk results are printed relative to the page-rounded end of the image (_end). */
#include "common.inc"

tests:
        move    $s7, $ra
        PUTS    "brk(0) - page_align(_end), brk(+64K) - brk(0), brk(0x2000) == brk(0), heap word\n"
        LA      $s0, _end
        addiu   $s0, $s0, 4095
        li      $t0, -4096
        and     $s0, $s0, $t0           /* s0 = page-aligned end of the image */
        move    $a0, $zero
        li      $v0, 4045               /* brk(0) */
        syscall
        move    $s1, $v0
        subu    $t6, $s1, $s0
        OUT     $t6
        OUT     $a3
        li      $t0, 0x10000
        addu    $a0, $s1, $t0
        li      $v0, 4045               /* brk(brk0 + 64 KiB) */
        syscall
        move    $s2, $v0
        subu    $t6, $s2, $s1
        OUT     $t6
        li      $a0, 0x2000
        li      $v0, 4045               /* brk below the image: refused, returns the current break */
        syscall
        subu    $t6, $v0, $s2
        OUT     $t6
        li      $t4, 0x5eed1234
        sw      $t4, -4($s2)            /* the new heap is writable */
        lw      $t6, -4($s2)
        OUT     $t6
        lw      $t6, 0($s1)             /* and zero-filled */
        OUT     $t6
        NL
        PUTS    "write(1, buf, 0), read(0, buf, 16) at end of input: result, error flag\n"
        li      $a0, 1
        LA      $a1, hexbuf
        move    $a2, $zero
        li      $v0, 4004
        syscall
        OUT     $v0
        OUT     $a3
        move    $a0, $zero
        LA      $a1, hexbuf
        li      $a2, 16
        li      $v0, 4003
        syscall
        OUT     $v0
        OUT     $a3
        NL
        li      $a0, 5
        li      $v0, 4246               /* exit_group(5) */
        syscall
        break
