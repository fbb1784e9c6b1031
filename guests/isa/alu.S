/* ALU: addu/subu/and/or/xor/nor/slt/sltu over all operand pairs; immediate forms with
 * negative and boundary immediates (sign- vs zero-extension); lui; add/addi/sub without
 * overflow; movn/movz. */
#include "common.inc"

tests:
        move    $s7, $ra
        PUTS    "pairs: addu subu and or xor nor slt sltu\n"
        FOR_EACH_VALUE $t4, outer
        FOR_EACH_VALUE2 $t5, inner
        addu    $t6, $t4, $t5
        OUT     $t6
        subu    $t6, $t4, $t5
        OUT     $t6
        and     $t6, $t4, $t5
        OUT     $t6
        or      $t6, $t4, $t5
        OUT     $t6
        xor     $t6, $t4, $t5
        OUT     $t6
        nor     $t6, $t4, $t5
        OUT     $t6
        slt     $t6, $t4, $t5
        OUT     $t6
        sltu    $t6, $t4, $t5
        OUT     $t6
        NL
        END_EACH_VALUE2 inner
        END_EACH_VALUE outer

        PUTS    "immediates: addiu -1 0x7fff -0x8000, slti -1 0 1 -0x8000 0x7fff, sltiu -1 0x7fff -0x8000 1, andi ori xori 0xffff 0x8000\n"
        FOR_EACH_VALUE $t4, imm
        addiu   $t6, $t4, -1
        OUT     $t6
        addiu   $t6, $t4, 0x7fff
        OUT     $t6
        addiu   $t6, $t4, -0x8000
        OUT     $t6
        slti    $t6, $t4, -1
        OUT     $t6
        slti    $t6, $t4, 0
        OUT     $t6
        slti    $t6, $t4, 1
        OUT     $t6
        slti    $t6, $t4, -0x8000
        OUT     $t6
        slti    $t6, $t4, 0x7fff
        OUT     $t6
        sltiu   $t6, $t4, -1
        OUT     $t6
        sltiu   $t6, $t4, 0x7fff
        OUT     $t6
        sltiu   $t6, $t4, -0x8000
        OUT     $t6
        sltiu   $t6, $t4, 1
        OUT     $t6
        andi    $t6, $t4, 0xffff
        OUT     $t6
        andi    $t6, $t4, 0x8000
        OUT     $t6
        ori     $t6, $t4, 0xffff
        OUT     $t6
        ori     $t6, $t4, 0x8000
        OUT     $t6
        xori    $t6, $t4, 0xffff
        OUT     $t6
        xori    $t6, $t4, 0x8000
        OUT     $t6
        NL
        END_EACH_VALUE imm

        PUTS    "lui\n"
        lui     $t6, 0xffff
        OUT     $t6
        lui     $t6, 0x8000
        OUT     $t6
        lui     $t6, 0x0001
        OUT     $t6
        lui     $t6, 0
        OUT     $t6
        NL

        PUTS    "add/addi/sub without overflow\n"
        li      $t4, 0x7ffffffe
        li      $t5, 1
        add     $t6, $t4, $t5
        OUT     $t6
        li      $t4, 0x80000001
        li      $t5, -1
        add     $t6, $t4, $t5
        OUT     $t6
        li      $t4, -5
        li      $t5, 3
        add     $t6, $t4, $t5
        OUT     $t6
        li      $t4, 0x7fff8000
        addi    $t6, $t4, 0x7fff
        OUT     $t6
        li      $t4, 0x80007fff
        addi    $t6, $t4, -0x7fff
        OUT     $t6
        addi    $t6, $zero, -1
        OUT     $t6
        li      $t4, 0x80000000
        li      $t5, 0x80000000
        sub     $t6, $t4, $t5
        OUT     $t6
        li      $t4, 0
        li      $t5, 0x7fffffff
        sub     $t6, $t4, $t5
        OUT     $t6
        li      $t4, -1
        li      $t5, 0x7fffffff
        sub     $t6, $t4, $t5
        OUT     $t6
        NL

        PUTS    "movn/movz\n"
        li      $t4, 0x11111111
        li      $t5, 0x22222222
        move    $t6, $t4
        movn    $t6, $t5, $zero
        OUT     $t6
        move    $t6, $t4
        li      $t7, -1
        movn    $t6, $t5, $t7
        OUT     $t6
        move    $t6, $t4
        movz    $t6, $t5, $zero
        OUT     $t6
        move    $t6, $t4
        movz    $t6, $t5, $t7
        OUT     $t6
        /* writes to $zero are discarded */
        addiu   $zero, $zero, 5
        OUT     $zero
        movz    $zero, $t5, $zero
        OUT     $zero
        NL

        jr      $s7
        nop
