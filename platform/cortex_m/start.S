/*
 * The firmware's entry and exception entry, the parts C cannot do.
 *
 * cm_vectors is the ARMv7-M vector table, linked first in CODE (sections.ld), where the CPU reads
 * it at reset: word 0 is the initial main stack pointer (the top of the handler stack), word 1
 * the reset handler, then one handler per exception and external interrupt. SysTick goes to C
 * (tasks.c); every other exception, faults and unexpected ones alike, to cm_exception_entry.
 *
 * cm_reset runs on the handler stack with interrupts enabled (PRIMASK 0) but none configured:
 * it enables the FPU, copies .data from its load address, zeroes .bss, moves thread mode onto the
 * thread stack (PSP) and calls cm_main (main.c), which never returns.
 *
 * cm_exception_entry hands C the stacked frame and the EXC_RETURN value:
 * cm_exception(frame, exc_return) in fault.c, which reports and never returns.
 */
    .syntax unified
    .thumb

#define CPACR 0xE000ED88 /* Coprocessor Access Control Register */
#define CM_IRQS 32       /* external interrupts on the mps2 boards' NVIC */

    .section .vectors, "a"
    .global cm_vectors
    .balign 4
cm_vectors:
    .word __cm_handler_stack_top
    .word cm_reset
    /* 2-14: NMI, HardFault, MemManage, BusFault, UsageFault, four reserved, SVCall, DebugMon,
       reserved, PendSV */
    .rept 13
    .word cm_exception_entry
    .endr
    .word cm_systick_handler
    .rept CM_IRQS
    .word cm_exception_entry
    .endr

    /* Gives sections.ld's .stacks, which only reserves space, the flags of writable memory that
       is not loaded (ld.lld takes an output section's flags from its input sections). */
    .section .stacks, "aw", %nobits

    .text
    .global cm_reset
    .type cm_reset, %function
    .thumb_func
cm_reset:
    /* The ABI is hard-float: give CP10 and CP11 (the FPU) full access before any code that may
       use an FP register runs, then let the change take effect. */
    ldr r0, =CPACR
    ldr r1, [r0]
    orr r1, r1, #(0xf << 20)
    str r1, [r0]
    dsb
    isb
    /* .data: from its load address in CODE to RAM (word-aligned at both ends, sections.ld). */
    ldr r0, =__data_load
    ldr r1, =__data_start
    ldr r2, =__data_end
1:  cmp r1, r2
    bhs 2f
    ldr r3, [r0], #4
    str r3, [r1], #4
    b 1b
    /* .bss: zeroed. */
2:  ldr r1, =__bss_start
    ldr r2, =__bss_end
    movs r3, #0
3:  cmp r1, r2
    bhs 4f
    str r3, [r1], #4
    b 3b
    /* Thread mode onto its own stack: PSP at the top of the thread stack, CONTROL.SPSEL = 1
       (thread mode uses PSP; nPRIV stays 0, privileged). Handlers keep using MSP. */
4:  ldr r0, =__cm_thread_stack_top
    msr psp, r0
    movs r0, #2
    msr control, r0
    isb
    bl cm_main
    b .
    .size cm_reset, . - cm_reset

    .global cm_exception_entry
    .type cm_exception_entry, %function
    .thumb_func
cm_exception_entry:
    /* EXC_RETURN bit 2 says which stack the CPU pushed the frame on: 0 MSP, 1 PSP. */
    tst lr, #4
    ite eq
    mrseq r0, msp
    mrsne r0, psp
    mov r1, lr
    b cm_exception
    .size cm_exception_entry, . - cm_exception_entry
