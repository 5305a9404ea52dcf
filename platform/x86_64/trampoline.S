/*
 * The application processors' start: real mode -> protected mode -> long mode. kernel/smp copies
 * trampoline_start..trampoline_end to TRAMPOLINE_PHYS and names that page in the start-up IPI;
 * the AP begins at trampoline_start in real mode with CS = TRAMPOLINE_PHYS >> 4, IP = 0. The code
 * only ever runs from that copy, so every address it uses is TRAMPOLINE_PHYS + its offset in the
 * image (AT()). It loads its own GDT, turns on protected mode, then PAE and PGE, the kernel's CR3
 * and EFER from the parameter block, paging (the copy is identity-mapped for the moment), and
 * jumps to 64-bit code, which takes the AP's stack from the block and calls entry(arg) in the
 * higher half. Nothing here is ever returned to.
 */
#include "platform/x86_64/trampoline.h"

#define AT(sym) (TRAMPOLINE_PHYS + (sym) - trampoline_start)

#define CR0_PE (1 << 0)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define CR4_PGE (1 << 7)
#define MSR_EFER 0xc0000080

	.section .rodata.trampoline, "a"
	.balign 16
	.globl trampoline_start, trampoline_end, trampoline_params
	.code16
trampoline_start:
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	lgdtl tr_gdt_ptr - trampoline_start	/* ds:offset: the copy's own GDT */
	movl %cr0, %eax
	orl $CR0_PE, %eax
	movl %eax, %cr0
	ljmpl $0x08, $AT(tr_protected)

	.code32
tr_protected:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movl %cr4, %eax
	orl $(CR4_PAE | CR4_PGE), %eax
	movl %eax, %cr4
	movl AT(trampoline_params), %eax	/* params.cr3 */
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl AT(trampoline_params) + 4, %eax	/* params.efer: LME, NXE */
	wrmsr
	movl %cr0, %eax
	orl $(CR0_PG | CR0_WP | CR0_PE), %eax
	movl %eax, %cr0			/* long mode active: we run in compatibility mode */
	ljmpl $0x18, $AT(tr_long)

	.code64
tr_long:
	xorl %eax, %eax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movq AT(trampoline_params) + 8, %rsp	/* params.stack */
	movq AT(trampoline_params) + 24, %rdi	/* params.arg */
	movq AT(trampoline_params) + 16, %rax	/* params.entry */
	xorl %ebp, %ebp
	call *%rax			/* the higher half: rsp + 8 is 16-aligned at entry, as C wants */
1:	cli
	hlt
	jmp 1b

	.balign 8
tr_gdt:
	.quad 0				/* null */
	.quad 0x00cf9a000000ffff	/* 0x08: 32-bit code, 4 GiB flat */
	.quad 0x00cf92000000ffff	/* 0x10: data, 4 GiB flat */
	.quad 0x00af9a000000ffff	/* 0x18: 64-bit code */
tr_gdt_end:
tr_gdt_ptr:
	.short tr_gdt_end - tr_gdt - 1
	.long AT(tr_gdt)

	.balign 8
trampoline_params:			/* struct trampoline_params */
	.long 0				/* cr3 */
	.long 0				/* efer */
	.quad 0				/* stack */
	.quad 0				/* entry */
	.quad 0				/* arg */
trampoline_end:

	.section .note.GNU-stack, "", @progbits
