// The kernel's own address space, built at boot with core/paging and loaded into CR3: all RAM, and
// at least the first 4 GiB, mapped at PHYS_MAP_BASE (1 GiB pages where the CPU has them, else
// 2 MiB; below 4 GiB what the memory map does not call RAM is uncached, so MMIO is never cached), the kernel's sections with their own permissions (text R+X, rodata R+NX, data/bss
// R+W+NX), no identity map (page 0 is unmapped), and unmapped guard pages under the boot stack and
// every IST stack.
//
// Locking: one IRQ-saving spinlock guards the kernel page table and the frame allocator together;
// every function below but vm_init and vm_info takes it, so each may be called from interrupt
// handlers. Lock order: a caller holding its own lock (the heap's) may call in here; nothing here
// calls out while holding the vm lock.
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/bootinfo.h"
#include "core/paging.h"

// Builds the frame allocator over the boot memory map (minus the kernel image, the boot info block
// and the first MiB) and the address space, and switches to it. Panics when the memory map leaves
// no room (nothing can run without it).
void vm_init(const struct boot_info *bi);

// Frames: vm_frame_alloc returns a free 4 KiB frame's physical address (not zeroed), or 0 when none
// is left; vm_frame_alloc_from the lowest free frame at or above min_phys (core/frame's
// frame_alloc_from), or 0 when there is none. vm_frame_free returns core/frame's frame_free answers (0; E_ALIGN misaligned; E_RANGE
// not managed; E_INVAL already free). vm_frame_counts reports the free and total frames (either
// may be NULL).
uint64_t vm_frame_alloc(void);
uint64_t vm_frame_alloc_from(uint64_t min_phys);
int vm_frame_free(uint64_t phys);
void vm_frame_counts(uint64_t *free, uint64_t *total);

// Page mappings in the kernel's table, with core/paging's answers. flags are PTE_* bits beyond
// PTE_PRESENT; PTE_NX is dropped when the CPU has no NX. vm_map maps one 4 KiB page; vm_unmap
// removes one page (of any size) and gives its frame in *phys (may be NULL; the frame is not
// freed), flushes it from this CPU's TLB and then calls the unmap hook (below) with the lock
// dropped; vm_translate resolves an address with its effective flags.
int vm_map(uint64_t virt, uint64_t phys, uint64_t flags);
int vm_unmap(uint64_t virt, uint64_t *phys);

// What vm_unmap calls after a page is gone, outside the vm lock: kmain sets kernel/tlb's
// tlb_shootdown, so vm_unmap returns once every online CPU has flushed the page (call vm_unmap
// with no spinlock held). NULL (the default) calls nothing.
void vm_set_unmap_hook(void (*hook)(uint64_t virt));
int vm_translate(uint64_t virt, struct pt_translation *out);

// Maps `bytes` (a multiple of 4 KiB) at virt (4 KiB aligned) with fresh frames, 4 KiB pages and
// flags as vm_map. Returns 0, E_INVAL for a misaligned virt or bytes, E_NOMEM when the frames run
// out, or pt_map's error; on any error nothing stays mapped or allocated.
int vm_map_fresh(uint64_t virt, size_t bytes, uint64_t flags);

// Where the loader's framebuffer is mapped (PML4 slot 384, clear of the direct map and the heap),
// and the most it may span.
#define VM_FRAMEBUFFER_BASE 0xffffc00000000000ull
#define VM_FRAMEBUFFER_MAX  (1ull << 30)

// Maps `bytes` of framebuffer at physical phys (any alignment: the pages around it are mapped) at
// VM_FRAMEBUFFER_BASE, writable, never executable, write-combining (PAT entry 1, through PWT) when
// the CPU has the PAT, else uncached (PCD | PWT), and sets *virt to where phys lands. Returns 0,
// E_RANGE when bytes is 0, the range wraps or is above VM_FRAMEBUFFER_MAX, or pt_map_range's
// error (E_EXIST when called twice: the window is one framebuffer's).
int vm_map_framebuffer(uint64_t phys, uint64_t bytes, void **virt);

// What vm_init set up, for the banner and tests.
struct vm_info {
    uint64_t phys_mapped;  // bytes of physical memory in the direct map
    uint64_t direct_page;  // the page size the direct map uses (1 GiB or 2 MiB)
    bool nx;               // whether NX is available (and used)
    uint64_t build_cycles; // TSC cycles vm_init took
    uint64_t uncached;     // bytes below 4 GiB mapped uncached (not RAM by the memory map)
    bool pat_wc;           // PAT entry 1 is write-combining (the CPU has the PAT)
};
const struct vm_info *vm_info(void);
