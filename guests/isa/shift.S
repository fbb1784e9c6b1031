/* Shifts and rotates: sll/srl/sra/rotr by 0, 1, 4, 16, 31 and sllv/srlv/srav/rotrv by
 * amounts 0, 1, 15, 31, 32, 33, 63, -1 (only the low five bits count). */
#include "common.inc"

        .data
        .align  2
amounts: .word  0, 1, 15, 31, 32, 33, 63, 0xffffffff
amounts_end:
        .text

tests:
        move    $s7, $ra
        PUTS    "immediate: sll srl sra rotr x {0,1,4,16,31}\n"
        FOR_EACH_VALUE $t4, imm
        .irp    sa, 0, 1, 4, 16, 31
        sll     $t6, $t4, \sa
        OUT     $t6
        srl     $t6, $t4, \sa
        OUT     $t6
        sra     $t6, $t4, \sa
        OUT     $t6
        rotr    $t6, $t4, \sa
        OUT     $t6
        .endr
        NL
        END_EACH_VALUE imm

        PUTS    "variable: sllv srlv srav rotrv x amounts\n"
        FOR_EACH_VALUE $t4, var
        LA      $s6, amounts
1:      lw      $t5, 0($s6)
        sllv    $t6, $t4, $t5
        OUT     $t6
        srlv    $t6, $t4, $t5
        OUT     $t6
        srav    $t6, $t4, $t5
        OUT     $t6
        rotrv   $t6, $t4, $t5
        OUT     $t6
        LA      $t0, amounts_end
        addiu   $s6, $s6, 4
        bne     $s6, $t0, 1b
        nop
        NL
        END_EACH_VALUE var

        PUTS    "same register as source and amount\n"
        li      $t6, 0x12345675
        sllv    $t6, $t6, $t6
        OUT     $t6
        li      $t6, 0x87654323
        srav    $t6, $t6, $t6
        OUT     $t6
        li      $t6, 0x87654323
        rotrv   $t6, $t6, $t6
        OUT     $t6
        NL
        jr      $s7
        nop
