/* Bit operations: clz/clo (0 and -1 included), seb/seh/wsbh, ext/ins at edge positions. */
#include "common.inc"

tests:
        move    $s7, $ra
        PUTS    "clz clo seb seh wsbh\n"
        FOR_EACH_VALUE $t4, each
        clz     $t6, $t4
        OUT     $t6
        clo     $t6, $t4
        OUT     $t6
        seb     $t6, $t4
        OUT     $t6
        seh     $t6, $t4
        OUT     $t6
        wsbh    $t6, $t4
        OUT     $t6
        NL
        END_EACH_VALUE each

        PUTS    "ext (pos,size) 0,1 0,32 31,1 4,8 16,16 1,31 7,9 | ins into 0xa5a5a5a5 same positions\n"
        FOR_EACH_VALUE $t4, bf
        .irp    ps, "0,1", "0,32", "31,1", "4,8", "16,16", "1,31", "7,9"
        ext     $t6, $t4, \ps
        OUT     $t6
        .endr
        .irp    ps, "0,1", "0,32", "31,1", "4,8", "16,16", "1,31", "7,9"
        li      $t6, 0xa5a5a5a5
        ins     $t6, $t4, \ps
        OUT     $t6
        .endr
        NL
        END_EACH_VALUE bf
        jr      $s7
        nop
