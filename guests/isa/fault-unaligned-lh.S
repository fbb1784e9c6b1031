/* Fault test: lh from an odd address. Expected: qemu-mipsel dies (signal or non-zero status) and zkmips
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

fault_pc:
        lh      $t6, 3($s0)
        nop
        PUTS    "after fault (must not print)\n"
        jr      $s7
        nop
