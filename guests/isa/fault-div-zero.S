/* Fault test: division by zero followed by the teq that gcc emits. Expected: qemu-mipsel dies (signal or non-zero status) and zkmips
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
        li      $t4, 3
        div     $zero, $t4, $zero       /* no exception: the result is UNPREDICTABLE */
fault_pc:
        teq     $zero, $zero, 7
        nop
        PUTS    "after fault (must not print)\n"
        jr      $s7
        nop
