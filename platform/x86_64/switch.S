/*
 * The context switch between kernel threads (kernel/thread.c), and the first frame of a new one.
 *
 * thread_switch(uint64_t *save_rsp, uint64_t next_rsp), called from C (System V ABI: rdi, rsi):
 * pushes the callee-saved registers (rbp, rbx, r12-r15) on the running thread's stack, stores its
 * rsp in *save_rsp, loads next_rsp and pops the same registers of the next thread, whose
 * thread_switch call then returns. Everything else the C caller expects to be clobbered by a
 * call; RFLAGS (the interrupt flag) stays as it is: the scheduler lock's holder restores it.
 *
 * thread_entry: where a new thread's first thread_switch "returns" to. kernel/thread.c builds
 * its stack as a switch frame with r12 = the struct thread, r13 = its start function; it calls
 * r13(r12) with a 16-byte aligned stack and a zero frame pointer (the end of a backtrace).
 */
	.text
	.globl thread_switch
	.type thread_switch, @function
thread_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.size thread_switch, . - thread_switch

	.globl thread_entry
	.type thread_entry, @function
thread_entry:
	movq %r12, %rdi
	xorl %ebp, %ebp
	andq $-16, %rsp
	callq *%r13
	ud2				/* the start function never returns */
	.size thread_entry, . - thread_entry

	.section .note.GNU-stack, "", @progbits
