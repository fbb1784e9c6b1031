/* Multiply and divide over all operand pairs: mult/multu (hi, lo), madd/maddu/msub/msubu
 * on a preset hi/lo accumulator, mul, div/divu (divisor 0 skipped: result UNPREDICTABLE),
 * mthi/mtlo/mfhi/mflo. */
#include "common.inc"

        .macro  HILO
        mfhi    $t6
        OUT     $t6
        mflo    $t6
        OUT     $t6
        .endm

        .macro  ACC
        li      $t7, 0x01234567
        mthi    $t7
        li      $t7, 0x89abcdef
        mtlo    $t7
        .endm

tests:
        move    $s7, $ra
        PUTS    "pairs: mult multu madd maddu msub msubu (hi lo each) mul div divu (hi lo each)\n"
        FOR_EACH_VALUE $t4, outer
        FOR_EACH_VALUE2 $t5, inner
        mult    $t4, $t5
        HILO
        multu   $t4, $t5
        HILO
        ACC
        madd    $t4, $t5
        HILO
        ACC
        maddu   $t4, $t5
        HILO
        ACC
        msub    $t4, $t5
        HILO
        ACC
        msubu   $t4, $t5
        HILO
        mul     $t6, $t4, $t5
        OUT     $t6
        beqz    $t5, 1f
        nop
        div     $zero, $t4, $t5
        HILO
        divu    $zero, $t4, $t5
        HILO
1:      NL
        END_EACH_VALUE2 inner
        END_EACH_VALUE outer

        PUTS    "accumulate twice, mthi/mtlo round trip\n"
        mtlo    $zero
        mthi    $zero
        li      $t4, -1
        li      $t5, -1
        maddu   $t4, $t5
        maddu   $t4, $t5
        HILO
        li      $t4, 0x7fffffff
        mult    $t4, $t4
        msub    $t4, $t4
        HILO
        li      $t7, 0xdeadbeef
        mthi    $t7
        mtlo    $zero
        HILO
        NL
        jr      $s7
        nop
