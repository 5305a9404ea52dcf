// The kernel's own address space, built at boot with core/paging and loaded into CR3: all physical
// memory mapped at PHYS_MAP_BASE (1 GiB pages where the CPU has them, else 2 MiB), the kernel's
// sections with their own permissions (text R+X, rodata R+NX, data/bss R+W+NX), no identity map
// (page 0 is unmapped), and unmapped guard pages under the boot stack and every IST stack.
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "core/bootinfo.h"
#include "core/frame.h"
#include "core/paging.h"

// Builds the frame allocator over the boot memory map (minus the kernel image, the boot info block
// and the first MiB) and the address space, and switches to it. Panics when the memory map leaves
// no room (nothing can run without it).
void vm_init(const struct boot_info *bi);

// The kernel's page table and frame allocator, for mapping more (the heap) after vm_init.
struct page_table *vm_kernel_table(void);
struct frame_allocator *vm_frames(void);

// The page-table frame source over vm_frames() (zeroing is the mapper's job).
struct pt_frames vm_pt_frames(void);

// What vm_init set up, for the banner and tests.
struct vm_info {
    uint64_t phys_mapped;  // bytes of physical memory in the direct map
    uint64_t direct_page;  // the page size the direct map uses (1 GiB or 2 MiB)
    bool nx;               // whether NX is available (and used)
    uint64_t build_cycles; // TSC cycles vm_init took
};
const struct vm_info *vm_info(void);
