/* Register trap instructions that must NOT trigger (teq/tne/tge/tgeu/tlt/tltu), the
 * div + teq pattern compilers emit, and no-ops: sync, pref, ssnop, ehb, nop. */
#include "common.inc"

tests:
        move    $s7, $ra
        li      $t4, 1
        li      $t5, -1
        li      $s0, 0
        teq     $t4, $t5
        teq     $t4, $zero, 7
        tne     $t4, $t4
        tne     $zero, $zero, 7
        tge     $t5, $t4                /* -1 >= 1: false */
        tgeu    $t4, $t5                /* 1 >= 0xffffffff: false */
        tlt     $t4, $t5                /* 1 < -1: false */
        tltu    $t5, $t4                /* 0xffffffff < 1: false */
        addiu   $s0, $s0, 1
        li      $t6, 100
        li      $t7, -7
        div     $zero, $t6, $t7
        teq     $t7, $zero, 7
        mflo    $t6
        OUT     $t6
        mfhi    $t6
        OUT     $t6
        sync
        pref    0, 0($sp)
        ssnop
        ehb
        nop
        addiu   $s0, $s0, 1
        OUT     $s0
        NL
        jr      $s7
        nop
