/*
 * Entry point of zkmips C guests. The loader (Linux, qemu-mipsel or zkmips) leaves $sp at
 * the initial stack (argc, argv, envp, auxv); guests take no arguments, so _start only sets
 * $gp for small-data accesses, aligns the stack, calls main() and exits with its result.
 */
        .text
        .set    noreorder
        .globl  _start
        .type   _start, @function
        .section .text.start, "ax", @progbits
_start:
        lui     $gp, %hi(_gp)
        addiu   $gp, $gp, %lo(_gp)
        move    $fp, $zero
        li      $t0, -8
        and     $sp, $sp, $t0
        addiu   $sp, $sp, -16           /* O32: callee may store $a0..$a3 here */
        jal     main
        nop
        move    $a0, $v0
        li      $v0, 4246               /* exit_group(main()) */
        syscall
        break                           /* not reached */
        .size   _start, . - _start
