/*
 * cm_setjmp and cm_longjmp (jump.h): called from C, in thread mode, by the QEMU test runner's
 * machine half (test/qemu/ktest/cortex_m.c). r0 is the struct cm_jmp; cm_longjmp's r1 the value
 * cm_setjmp then returns. Offsets: r4-r11, sp, lr at 0-36, PRIMASK at 40, s16-s31 at 44-104.
 */
    .syntax unified
    .thumb
    .text

    .global cm_setjmp
    .type cm_setjmp, %function
    .thumb_func
cm_setjmp:
    mov r2, sp
    stmia r0!, {r4-r11}
    str r2, [r0], #4
    str lr, [r0], #4
    mrs r2, primask
    str r2, [r0], #4
    vstmia r0, {s16-s31}
    movs r0, #0
    bx lr
    .size cm_setjmp, . - cm_setjmp

    .global cm_longjmp
    .type cm_longjmp, %function
    .thumb_func
cm_longjmp:
    ldmia r0!, {r4-r11}
    ldr r2, [r0], #4
    mov sp, r2
    ldr lr, [r0], #4
    ldr r2, [r0], #4
    vldmia r0, {s16-s31}
    msr primask, r2
    movs r0, r1
    it eq
    moveq r0, #1
    bx lr
    .size cm_longjmp, . - cm_longjmp
