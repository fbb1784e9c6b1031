/* lwl/lwr/swl/swr at every alignment (little-endian), alone on a preset register and as
 * the unaligned load/store idioms compilers emit (lwr off / lwl off+3). */
#include "common.inc"

        .data
        .align  3
src:    .byte   0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff
dst:    .word   0, 0, 0
        .text

        .macro  RESET_DST
        li      $t7, 0xa5a5a5a5
        sw      $t7, 0($s1)
        sw      $t7, 4($s1)
        sw      $t7, 8($s1)
        .endm
        .macro  SHOW_DST
        lw      $t6, 0($s1)
        OUT     $t6
        lw      $t6, 4($s1)
        OUT     $t6
        lw      $t6, 8($s1)
        OUT     $t6
        .endm

tests:
        move    $s7, $ra
        LA      $s0, src
        LA      $s1, dst
        PUTS    "lwl lwr (onto 0xcafef00d) and lwr+lwl idiom at offsets 0..7\n"
        .irp    off, 0, 1, 2, 3, 4, 5, 6, 7
        li      $t6, 0xcafef00d
        lwl     $t6, \off($s0)
        OUT     $t6
        li      $t6, 0xcafef00d
        lwr     $t6, \off($s0)
        OUT     $t6
        li      $t6, 0xcafef00d
        lwr     $t6, \off($s0)
        lwl     $t6, \off+3($s0)
        OUT     $t6
        NL
        .endr

        PUTS    "swl, swr, swr+swl idiom of 0x11223344 at offsets 0..7 (three dst words each)\n"
        li      $t5, 0x11223344
        .irp    off, 0, 1, 2, 3, 4, 5, 6, 7
        RESET_DST
        swl     $t5, \off($s1)
        SHOW_DST
        RESET_DST
        swr     $t5, \off($s1)
        SHOW_DST
        RESET_DST
        swr     $t5, \off($s1)
        swl     $t5, \off+3($s1)
        SHOW_DST
        NL
        .endr
        jr      $s7
        nop
