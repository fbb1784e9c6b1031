/* Jumps: j, jal, jr, jalr (default $ra and explicit rd), delay slots, link = PC + 8. */
#include "common.inc"

tests:
        move    $s7, $ra
        PUTS    "j jal jr jalr jalr-rd: slot count, link offset\n"
        li      $s0, 0
        j       1f
        addiu   $s0, $s0, 1
        addiu   $s0, $s0, 16
1:      OUT     $s0

        li      $s0, 0
        jal     callee
        addiu   $s0, $s0, 1
2:      OUT     $s0
        LA      $t5, 2b
        subu    $t6, $v1, $t5
        OUT     $t6

        li      $s0, 0
        LA      $t9, callee
        jalr    $t9
        addiu   $s0, $s0, 1
3:      OUT     $s0
        LA      $t5, 3b
        subu    $t6, $v1, $t5
        OUT     $t6

        li      $s0, 0
        LA      $t9, callee_s2
        jalr    $s2, $t9
        addiu   $s0, $s0, 1
4:      OUT     $s0
        LA      $t5, 4b
        subu    $t6, $s2, $t5
        OUT     $t6

        li      $s0, 0
        LA      $t9, 5f
        jr      $t9
        addiu   $s0, $s0, 1
        addiu   $s0, $s0, 16
5:      OUT     $s0

        NL
        jr      $s7
        nop

/* callee: returns its link in $v1 and adds 100 to $s0; the jr slot adds 1000. */
callee:
        move    $v1, $ra
        addiu   $s0, $s0, 100
        jr      $ra
        addiu   $s0, $s0, 1000

callee_s2:
        addiu   $s0, $s0, 100
        jr      $s2
        addiu   $s0, $s0, 1000
