/* Conditional branches, taken and not taken, with their delay slots: the slot adds 1 and
 * the fall-through adds 16, so 1 = taken, 17 = not taken, 16 = not taken with a nullified
 * slot (branch-likely). Linking branches also print $ra - (branch + 8). */
#include "common.inc"

        .macro  ZB op, val
        li      $t4, \val
        li      $s0, 0
        \op     $t4, 1f
        addiu   $s0, $s0, 1
        addiu   $s0, $s0, 16
1:      OUT     $s0
        .endm

        .macro  ZBL op, val
        li      $t4, \val
        li      $s0, 0
        li      $ra, 0
        \op     $t4, 1f
        addiu   $s0, $s0, 1
2:      addiu   $s0, $s0, 16
1:      move    $s1, $ra
        OUT     $s0
        LA      $t5, 2b
        subu    $s1, $s1, $t5
        OUT     $s1
        .endm

        .macro  RB op, a, b
        li      $t4, \a
        li      $t5, \b
        li      $s0, 0
        \op     $t4, $t5, 1f
        addiu   $s0, $s0, 1
        addiu   $s0, $s0, 16
1:      OUT     $s0
        .endm

tests:
        move    $s7, $ra
        PUTS    "beq bne beql bnel on (5,5) (5,6) (-1,0xffffffff)\n"
        .irp    op, beq, bne, beql, bnel
        RB      \op, 5, 5
        RB      \op, 5, 6
        RB      \op, -1, 0xffffffff
        .endr
        NL
        PUTS    "blez bgtz bltz bgez and likely forms on -1 0 1 0x80000000 0x7fffffff\n"
        .irp    op, blez, bgtz, bltz, bgez, blezl, bgtzl, bltzl, bgezl
        ZB      \op, -1
        ZB      \op, 0
        ZB      \op, 1
        ZB      \op, 0x80000000
        ZB      \op, 0x7fffffff
        NL
        .endr
        PUTS    "bltzal bgezal bltzall bgezall: result, link offset\n"
        .irp    op, bltzal, bgezal, bltzall, bgezall
        ZBL     \op, -1
        ZBL     \op, 0
        ZBL     \op, 1
        NL
        .endr
        PUTS    "bal, b, branch to the next instruction, backward loop\n"
        li      $s0, 0
        bal     3f
        addiu   $s0, $s0, 1
4:      addiu   $s0, $s0, 16
3:      LA      $t5, 4b
        subu    $s1, $ra, $t5
        OUT     $s0
        OUT     $s1
        li      $s0, 0
        b       5f
        addiu   $s0, $s0, 1
        addiu   $s0, $s0, 16
5:      OUT     $s0
        li      $s0, 0
        beq     $zero, $zero, 6f
        addiu   $s0, $s0, 1
6:      addiu   $s0, $s0, 16
        OUT     $s0
        li      $s0, 0
        li      $t4, 10
7:      addiu   $t4, $t4, -1
        bnez    $t4, 7b
        addiu   $s0, $s0, 3
        OUT     $s0
        NL
        jr      $s7
        nop
