/* Loads and stores: lb/lbu/lh/lhu sign and zero extension at every legal alignment,
 * negative offsets, sb/sh/sw partial writes, ll/sc pairs. */
#include "common.inc"

        .data
        .align  3
pattern: .byte  0x80, 0x7f, 0xff, 0x01, 0x00, 0x80, 0xfe, 0x7f
scratch: .word  0, 0, 0, 0
        .text

tests:
        move    $s7, $ra
        LA      $s0, pattern
        PUTS    "lb lbu at offsets 0..7\n"
        .irp    off, 0, 1, 2, 3, 4, 5, 6, 7
        lb      $t6, \off($s0)
        OUT     $t6
        lbu     $t6, \off($s0)
        OUT     $t6
        .endr
        NL
        PUTS    "lh lhu at offsets 0 2 4 6\n"
        .irp    off, 0, 2, 4, 6
        lh      $t6, \off($s0)
        OUT     $t6
        lhu     $t6, \off($s0)
        OUT     $t6
        .endr
        NL
        PUTS    "lw at 0 4, negative offsets\n"
        lw      $t6, 0($s0)
        OUT     $t6
        lw      $t6, 4($s0)
        OUT     $t6
        addiu   $s1, $s0, 8
        lw      $t6, -8($s1)
        OUT     $t6
        lb      $t6, -1($s1)
        OUT     $t6
        lhu     $t6, -2($s1)
        OUT     $t6
        NL

        PUTS    "sb sh sw partial writes\n"
        LA      $s1, scratch
        li      $t4, -1
        sw      $t4, 0($s1)
        sw      $t4, 4($s1)
        li      $t5, 0x12345678
        sb      $t5, 1($s1)
        sh      $t5, 6($s1)
        lw      $t6, 0($s1)
        OUT     $t6
        lw      $t6, 4($s1)
        OUT     $t6
        sb      $zero, 3($s1)
        sh      $zero, 4($s1)
        lw      $t6, 0($s1)
        OUT     $t6
        lw      $t6, 4($s1)
        OUT     $t6
        sw      $t5, 8($s1)
        lbu     $t6, 8($s1)
        OUT     $t6
        lbu     $t6, 11($s1)
        OUT     $t6
        NL

        PUTS    "ll/sc: loaded value, sc flag, stored word; ll/sc increment loop\n"
        li      $t4, 41
        sw      $t4, 12($s1)
        ll      $t6, 12($s1)
        OUT     $t6
        addiu   $t6, $t6, 1
        sc      $t6, 12($s1)
        OUT     $t6
        lw      $t6, 12($s1)
        OUT     $t6
        li      $t7, 5
2:      ll      $t6, 12($s1)
        addiu   $t6, $t6, 10
        sc      $t6, 12($s1)
        beqz    $t6, 2b
        nop
        addiu   $t7, $t7, -1
        bnez    $t7, 2b
        nop
        lw      $t6, 12($s1)
        OUT     $t6
        NL
        jr      $s7
        nop
