/*
 * The 256 interrupt entry stubs and their common path. The CPU jumps to stub N through IDT gate N
 * (idt.c fills the gates from isr_stub_table). Each stub pushes a 0 where the CPU pushes no error
 * code, then its vector, and jumps to isr_common, which saves every general register so the stack
 * holds a struct trap_frame (trap_frame.h), calls trap_dispatch(frame) and returns with iretq.
 */

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || \
			   (v) == 29 || (v) == 30)

	/* isr_stub_table[N] = address of stub N; each stub appends its entry below. */
	.section .rodata
	.balign 8
	.globl isr_stub_table
isr_stub_table:

	.text
	.balign 16
	.set vector, 0
	.rept 256
	.balign 16
1:
	.if !HAS_ERROR_CODE(vector)
	pushq $0
	.endif
	pushq $vector
	jmp isr_common
	.pushsection .rodata
	.quad 1b
	.popsection
	.set vector, vector + 1
	.endr

	.balign 16
isr_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	cld				/* the C ABI expects DF clear */
	movq %rsp, %rdi			/* 176-byte frame on a 16-aligned CPU frame: rsp stays aligned */
	call trap_dispatch
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp			/* vector and error code */
	iretq

	.section .note.GNU-stack, "", @progbits
