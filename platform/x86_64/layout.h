// The kernel's virtual memory layout, shared by boot.S, the linker script (through the constants
// repeated there) and C.
#pragma once

// The kernel image is linked at KERNEL_VMA + its physical load address (1 MiB).
#define KERNEL_VMA  0xffffffff80000000
#define KERNEL_PHYS 0x100000

// All physical memory is mapped starting here (boot maps the first 4 GiB).
#define PHYS_MAP_BASE      0xffff800000000000
#define BOOT_PHYS_MAP_SIZE 0x100000000

// Size of the boot stack the kernel runs kmain on.
#define BOOT_STACK_SIZE 0x8000
