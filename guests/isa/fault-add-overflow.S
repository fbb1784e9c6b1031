/* Fault test: add overflows (0x7fffffff + 1). Expected: qemu-mipsel dies (signal or non-zero status) and zkmips
 * stops with an error naming the PC (symbol fault_pc) and the instruction word. */
#include "common.inc"

        .data
        .align  3
buf:    .word   0x11111111, 0x22222222
        .text

        .globl  fault_pc
tests:
        move    $s7, $ra
        PUTS    "before fault\n"
        LA      $s0, buf
        li      $t4, 0x7fffffff
        li      $t5, 1
fault_pc:
        add     $t6, $t4, $t5
        nop
        PUTS    "after fault (must not print)\n"
        jr      $s7
        nop
