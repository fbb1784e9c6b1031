/* Immediate trap instructions (REGIMM teqi/tnei/tgei/tgeiu/tlti/tltiu) that must NOT
 * trigger. Compilers do not emit these; kept apart from trap.S so a missing decoder shows
 * up on its own. */
#include "common.inc"

tests:
        move    $s7, $ra
        li      $t4, -1
        li      $s0, 0
        teqi    $t4, 1
        tnei    $t4, -1
        tgei    $t4, 0                  /* -1 >= 0: false */
        tgeiu   $zero, 1                /* 0 >= 1: false */
        tlti    $t4, -1                 /* -1 < -1: false */
        tltiu   $t4, 5                  /* 0xffffffff < 5: false */
        tltiu   $zero, 0                /* 0 < 0: false */
        addiu   $s0, $s0, 1
        OUT     $s0
        NL
        jr      $s7
        nop
