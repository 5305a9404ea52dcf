/*
 * arch_setjmp / arch_longjmp (see jump.h). Called from C with the System V ABI: rdi = the
 * struct arch_jmp, esi = the value for longjmp.
 */
	.text
	.globl arch_setjmp
	.type arch_setjmp, @function
arch_setjmp:
	movq %rbx, 0(%rdi)
	movq %rbp, 8(%rdi)
	movq %r12, 16(%rdi)
	movq %r13, 24(%rdi)
	movq %r14, 32(%rdi)
	movq %r15, 40(%rdi)
	leaq 8(%rsp), %rax		/* the caller's rsp after our return */
	movq %rax, 48(%rdi)
	movq (%rsp), %rax		/* the return address */
	movq %rax, 56(%rdi)
	pushfq
	popq 64(%rdi)
	xorl %eax, %eax
	movw %ss, %ax
	movq %rax, 72(%rdi)
	xorl %eax, %eax
	ret
	.size arch_setjmp, . - arch_setjmp

	.globl arch_longjmp
	.type arch_longjmp, @function
arch_longjmp:
	movl %esi, %eax
	testl %eax, %eax
	jnz 1f
	movl $1, %eax
1:	movw 72(%rdi), %dx
	movw %dx, %ss
	movq 0(%rdi), %rbx
	movq 8(%rdi), %rbp
	movq 16(%rdi), %r12
	movq 24(%rdi), %r13
	movq 32(%rdi), %r14
	movq 40(%rdi), %r15
	movq 48(%rdi), %rsp
	pushq 64(%rdi)
	popfq
	jmpq *56(%rdi)
	.size arch_longjmp, . - arch_longjmp

	.section .note.GNU-stack, "", @progbits
