/*
 * The kernel's first instructions. Two doors lead here, both in 32-bit protected mode with paging
 * off: GRUB 2 through the multiboot2 header (eax = 0x36d76289, ebx = physical address of the
 * information block) and QEMU's -kernel through the PVH ELF note (ebx = physical address of the
 * hvm_start_info block). _start32 builds boot page tables (the first 4 GiB identity-mapped, mapped
 * at PHYS_MAP_BASE, and the kernel image at KERNEL_VMA), enables PAE, long mode and NX, loads a
 * 64-bit GDT and jumps to the higher half, where it clears .bss and calls
 * kmain(eax, ebx) with the two registers exactly as the loader left them.
 */
#include "platform/x86_64/layout.h"

#define PHYS(sym) ((sym) - KERNEL_VMA)

#define MB2_MAGIC    0xe85250d6 /* header magic */
#define MB2_ARCH_I386 0
#define MB2_TAG_FRAMEBUFFER 5
#define MB2_TAG_OPTIONAL 1 /* flags bit 0: the loader may ignore the tag */
#define MB2_FB_WIDTH  1024
#define MB2_FB_HEIGHT 768
#define MB2_FB_DEPTH  32
#define XEN_ELFNOTE_PHYS32_ENTRY 18

#define CR0_PE (1 << 0)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define CR4_PGE (1 << 7)
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)
#define PTE_P 0x1
#define PTE_W 0x2
#define PTE_PS 0x80
#define BOOT_PT_PAGES 7 /* PML4, two PDPTs, four PDs */

/* ---- the multiboot2 header: first in .text, 8-byte aligned, inside the first 32 KiB ---- */
	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/*
	 * Framebuffer tag (type 5, size 20): the mode the kernel would like, 1024x768 at 32 bits
	 * per pixel. Flag bit 0 (optional) lets the loader boot us without one. Under UEFI there is
	 * no VGA text mode, so this request is how the kernel gets a screen at all; on BIOS the
	 * ISO's grub.cfg sets gfxpayload=text after the multiboot2 command, which overrides the
	 * request and keeps VGA text mode (docs/uefi.md).
	 */
	.balign 8
	.short MB2_TAG_FRAMEBUFFER
	.short MB2_TAG_OPTIONAL
	.long 20
	.long MB2_FB_WIDTH
	.long MB2_FB_HEIGHT
	.long MB2_FB_DEPTH
	/* end tag: type 0, flags 0, size 8 (tags start 8-byte aligned) */
	.balign 8
	.short 0
	.short 0
	.long 8
mb2_header_end:

/* ---- the PVH door: QEMU reads the 32-bit physical entry from this note ---- */
	.section .note.Xen, "a", @note
	.balign 4
	.long 4			/* name size: "Xen\0" */
	.long 8			/* descriptor size */
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.balign 4
	.quad PHYS(_start32)

/* ---- 32-bit entry ---- */
	.section .boot.text, "ax"
	.code32
	.globl _start32
	.type _start32, @function
_start32:
	cli
	cld
	/* Keep the loader's registers for kmain (cpuid and the loops below clobber them). */
	movl %eax, PHYS(boot_loader_eax)
	movl %ebx, PHYS(boot_loader_ebx)
	movl $PHYS(boot_stack_top), %esp

	/* Long mode present? CPUID 0x80000001 EDX bit 29. */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	btl $29, %edx
	jnc no_long_mode
	movl %edx, %ebp			/* bit 20: NX available */

	/* Zero the boot page tables (the loader need not clear NOBITS sections). */
	movl $PHYS(boot_page_tables), %edi
	movl $(BOOT_PT_PAGES * 4096 / 4), %ecx
	xorl %eax, %eax
	rep stosl

	/* PD0..PD3: 2048 entries of 2 MiB pages covering 0..4 GiB, present + writable + huge. */
	movl $PHYS(boot_pd), %edx
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $(PTE_P | PTE_W | PTE_PS), %eax
	movl %eax, (%edx, %ecx, 8)
	movl %ecx, %eax
	shrl $11, %eax			/* bits 32+ of the physical address: ecx >> 11 */
	movl %eax, 4(%edx, %ecx, 8)
	incl %ecx
	cmpl $2048, %ecx
	jne 1b

	/* Low PDPT: entries 0..3 -> PD0..PD3 (identity map, and the direct map shares it). */
	movl $PHYS(boot_pdpt_low), %edx
	movl $PHYS(boot_pd) + (PTE_P | PTE_W), %eax
	movl %eax, 0(%edx)
	addl $4096, %eax
	movl %eax, 8(%edx)
	addl $4096, %eax
	movl %eax, 16(%edx)
	addl $4096, %eax
	movl %eax, 24(%edx)

	/* High PDPT: entries 510, 511 (-2 GiB) -> PD0, PD1: the kernel image at KERNEL_VMA. */
	movl $PHYS(boot_pdpt_high), %edx
	movl $PHYS(boot_pd) + (PTE_P | PTE_W), %eax
	movl %eax, 510 * 8(%edx)
	addl $4096, %eax
	movl %eax, 511 * 8(%edx)

	/* PML4: 0 -> identity, 256 -> direct map at PHYS_MAP_BASE, 511 -> kernel. */
	movl $PHYS(boot_pml4), %edx
	movl $PHYS(boot_pdpt_low) + (PTE_P | PTE_W), %eax
	movl %eax, 0(%edx)
	movl %eax, 256 * 8(%edx)
	movl $PHYS(boot_pdpt_high) + (PTE_P | PTE_W), %eax
	movl %eax, 511 * 8(%edx)

	/* CR4.PAE (required for long mode) and PGE; CR3 = PML4. */
	movl %cr4, %eax
	orl $(CR4_PAE | CR4_PGE), %eax
	movl %eax, %cr4
	movl $PHYS(boot_pml4), %eax
	movl %eax, %cr3

	/* EFER.LME = long mode enable; EFER.NXE when CPUID says NX exists. */
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	btl $20, %ebp
	jnc 2f
	orl $EFER_NXE, %eax
2:	wrmsr

	/* CR0.PG turns paging (and with LME, long mode) on; WP makes read-only pages hold for ring 0. */
	movl %cr0, %eax
	orl $(CR0_PG | CR0_WP | CR0_PE), %eax
	movl %eax, %cr0

	lgdt PHYS(boot_gdt_ptr32)
	ljmp $0x08, $PHYS(start64_low)

no_long_mode:
	/* No 64-bit CPU: say so in the top-left corner of the VGA text screen and stop. */
	movl $PHYS(no_lm_msg), %esi
	movl $0xb8000, %edi
	movb $0x4f, %ah			/* white on red */
3:	lodsb
	testb %al, %al
	jz 4f
	stosw
	jmp 3b
4:	hlt
	jmp 4b

/* ---- 64-bit, still at the identity-mapped low address ---- */
	.code64
start64_low:
	movabsq $start64_high, %rax
	jmp *%rax

	.text
start64_high:
	/* Reload the GDT through its higher-half address: the identity map goes away later. */
	lgdt boot_gdt_ptr64(%rip)
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movabsq $boot_stack_top, %rsp
	xorl %ebp, %ebp

	/* Clear .bss (the boot stack, page tables and saved registers are not in it). */
	leaq __bss_start(%rip), %rdi
	leaq __bss_end(%rip), %rcx
	subq %rdi, %rcx
	shrq $3, %rcx
	xorl %eax, %eax
	rep stosq

	movl boot_loader_eax(%rip), %edi	/* kmain(loader's eax, loader's ebx) */
	movl boot_loader_ebx(%rip), %esi
	call kmain
5:	cli
	hlt
	jmp 5b

	.section .rodata
no_lm_msg:
	.asciz "ERROR: this kernel needs a 64-bit (long mode) CPU"

	.balign 16
	.globl boot_gdt
boot_gdt:
	.quad 0				/* null */
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code, present, ring 0, L=1 */
	.quad 0x00cf92000000ffff	/* 0x10: data, present, ring 0, writable */
boot_gdt_end:

	.balign 8
boot_gdt_ptr32:
	.short boot_gdt_end - boot_gdt - 1
	.long PHYS(boot_gdt)
	.balign 8
boot_gdt_ptr64:
	.short boot_gdt_end - boot_gdt - 1
	.quad boot_gdt

/* ---- page tables and stack: NOBITS, outside .bss so clearing .bss keeps them ---- */
	.section .boot.bss, "aw", @nobits
	.balign 4096
boot_page_tables:
boot_pml4:	.skip 4096
boot_pdpt_low:	.skip 4096
boot_pdpt_high:	.skip 4096
boot_pd:	.skip 4 * 4096
	/* The boot stack, with a guard page below it that the kernel's own page tables leave
	   unmapped: an overflow faults instead of overwriting the page tables above. */
	.globl boot_stack_guard, boot_stack_bottom, boot_stack_top
boot_stack_guard:
	.skip 4096
boot_stack_bottom:
	.skip BOOT_STACK_SIZE
boot_stack_top:
boot_loader_eax:	.skip 4
boot_loader_ebx:	.skip 4

	.section .note.GNU-stack, "", @progbits
