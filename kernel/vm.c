// The kernel's address space (see vm.h).
#include "kernel/vm.h"
#include "core/err.h"
#include "core/frame.h"
#include "core/panic.h"
#include "core/spinlock.h"
#include "kernel/console.h"
#include "platform/x86_64/cpu.h"
#include "platform/x86_64/gdt.h"
#include "platform/x86_64/hw_x86.h"
#include "platform/x86_64/layout.h"

#define MIB (1ull << 20)
#define GIB (1ull << 30)

extern char __kernel_start[], __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __kernel_end[], boot_stack_guard[];

static struct spinlock lock; // guards frames and kernel_pt
static struct frame_allocator frames;
static struct page_table kernel_pt;
static struct vm_info info;

const struct vm_info *vm_info(void)
{
    return &info;
}

// The mapper's frame source; it runs inside pt_* calls, so the lock is already held.
static uint64_t pt_alloc(void *ctx)
{
    return frame_alloc(ctx);
}

static void pt_free(void *ctx, uint64_t phys)
{
    KASSERT(frame_free(ctx, phys) == 0);
}

uint64_t vm_frame_alloc(void)
{
    unsigned long flags = spin_lock_irqsave(&lock);
    uint64_t phys = frame_alloc(&frames);
    spin_unlock_irqrestore(&lock, flags);
    return phys;
}

uint64_t vm_frame_alloc_from(uint64_t min_phys)
{
    unsigned long flags = spin_lock_irqsave(&lock);
    uint64_t phys = frame_alloc_from(&frames, min_phys);
    spin_unlock_irqrestore(&lock, flags);
    return phys;
}

int vm_frame_free(uint64_t phys)
{
    unsigned long flags = spin_lock_irqsave(&lock);
    int err = frame_free(&frames, phys);
    spin_unlock_irqrestore(&lock, flags);
    return err;
}

void vm_frame_counts(uint64_t *free, uint64_t *total)
{
    unsigned long flags = spin_lock_irqsave(&lock);
    if (free != NULL)
        *free = frame_free_count(&frames);
    if (total != NULL)
        *total = frame_total(&frames);
    spin_unlock_irqrestore(&lock, flags);
}

static uint64_t allowed(uint64_t flags)
{
    return info.nx ? flags : flags & ~PTE_NX;
}

int vm_map(uint64_t virt, uint64_t phys, uint64_t flags)
{
    unsigned long irq = spin_lock_irqsave(&lock);
    int err = pt_map(&kernel_pt, virt, phys, PAGE_SIZE_4K, allowed(flags));
    spin_unlock_irqrestore(&lock, irq);
    return err;
}

int vm_unmap(uint64_t virt, uint64_t *phys)
{
    unsigned long irq = spin_lock_irqsave(&lock);
    int err = pt_unmap(&kernel_pt, virt, phys);
    spin_unlock_irqrestore(&lock, irq);
    return err;
}

int vm_translate(uint64_t virt, struct pt_translation *out)
{
    unsigned long irq = spin_lock_irqsave(&lock);
    int err = pt_translate(&kernel_pt, virt, out);
    spin_unlock_irqrestore(&lock, irq);
    return err;
}

// Unmaps the 4 KiB pages of [virt, virt + bytes) and frees their frames. Lock held.
static void unmap_fresh(uint64_t virt, size_t bytes)
{
    for (size_t off = 0; off < bytes; off += PAGE_SIZE_4K) {
        uint64_t phys;
        KASSERT(pt_unmap(&kernel_pt, virt + off, &phys) == 0);
        KASSERT(frame_free(&frames, phys) == 0);
    }
}

int vm_map_fresh(uint64_t virt, size_t bytes, uint64_t flags)
{
    if ((virt | bytes) & (PAGE_SIZE_4K - 1))
        return E_INVAL;
    unsigned long irq = spin_lock_irqsave(&lock);
    int err = 0;
    size_t off;
    for (off = 0; off < bytes; off += PAGE_SIZE_4K) {
        uint64_t frame = frame_alloc(&frames);
        err = frame == 0 ? E_NOMEM
                         : pt_map(&kernel_pt, virt + off, frame, PAGE_SIZE_4K, allowed(flags));
        if (err != 0) {
            if (frame != 0)
                KASSERT(frame_free(&frames, frame) == 0);
            unmap_fresh(virt, off);
            break;
        }
    }
    spin_unlock_irqrestore(&lock, irq);
    return err;
}

static uint64_t phys_of(const void *kernel_virt)
{
    return (uint64_t)kernel_virt - KERNEL_VMA;
}

// The end of the highest memory that is not plain "reserved" (RAM, ACPI tables, ...), at least
// 4 GiB so that the legacy and MMIO holes below 4 GiB (VGA at 0xb8000, the APIC, ...) are always
// in the direct map. Reserved ranges far above RAM (QEMU reserves 12 GiB just below 1 TiB) are
// left out: mapping them would cost megabytes of tables for nothing.
static uint64_t phys_span(const struct boot_info *bi)
{
    uint64_t end = 4 * GIB;
    for (size_t i = 0; i < bi->mmap_count; i++) {
        uint64_t e = bi->mmap[i].base + bi->mmap[i].length;
        if (bi->mmap[i].type != BOOT_MEM_RESERVED && e > end)
            end = e;
    }
    return (end + 2 * MIB - 1) & ~(2 * MIB - 1);
}

static void map_or_panic(uint64_t virt, uint64_t phys, uint64_t len, uint64_t flags, uint64_t sizes,
                         const char *what)
{
    int err = pt_map_range(&kernel_pt, virt, phys, len, flags, sizes);
    if (err != 0)
        panic("vm_init: cannot map %s (%#llx bytes at %#llx): %s", what, (unsigned long long)len,
              (unsigned long long)virt, err_str(err));
}

// Maps [start, end) of the kernel image (rounded out to whole pages) with 4 KiB pages.
static void map_kernel_range(const char *start, const char *end, uint64_t flags, const char *what)
{
    uintptr_t s = (uintptr_t)start & ~0xfffull, e = ((uintptr_t)end + 0xfff) & ~0xfffull;
    if (e > s)
        map_or_panic(s, phys_of((void *)s), e - s, flags, PAGE_SIZE_4K, what);
}

static void build_frames(const struct boot_info *bi)
{
    struct frame_range reserved[] = {
        {phys_of(__kernel_start), phys_of(__kernel_end)},
        {bi->info_phys, bi->info_phys + bi->info_size},
    };
    int err = frame_init(&frames, bi->mmap, bi->mmap_count, reserved,
                         sizeof(reserved) / sizeof(reserved[0]), BOOT_PHYS_MAP_SIZE);
    if (err != 0)
        panic("vm_init: no usable memory for the frame allocator: %s", err_str(err));
}

void vm_init(const struct boot_info *bi)
{
    uint64_t start = cpu_rdtsc();
    uint32_t ext[4];
    cpu_cpuid(0x80000001, 0, ext);
    info.nx = ext[3] & (1u << 20);
    bool gib_pages = ext[3] & (1u << 26);
    uint64_t nx = info.nx ? PTE_NX : 0;

    build_frames(bi);
    if (pt_init(&kernel_pt, (struct pt_frames){pt_alloc, pt_free, &frames}) != 0)
        panic("vm_init: no frame for the PML4");

    info.phys_mapped = phys_span(bi);
    info.direct_page = gib_pages ? PAGE_SIZE_1G : PAGE_SIZE_2M;
    map_or_panic(PHYS_MAP_BASE, 0, info.phys_mapped, PTE_WRITABLE | PTE_GLOBAL | nx,
                 info.direct_page | PAGE_SIZE_2M | PAGE_SIZE_4K, "the direct map");

    // W^X: code is never writable, data never executable. No guard in text or rodata.
    map_kernel_range(__text_start, __text_end, PTE_GLOBAL, "kernel text");
    map_kernel_range(__rodata_start, __rodata_end, PTE_GLOBAL | nx, "kernel rodata");
    // .data, .bss (with the IST stacks) and the boot stack: writable, with holes for the guards.
    uintptr_t holes[IST_COUNT + 1];
    for (unsigned i = 0; i < IST_COUNT; i++)
        holes[i] = gdt_ist_guard(i + 1);
    holes[IST_COUNT] = (uintptr_t)boot_stack_guard;
    uintptr_t from = (uintptr_t)__data_start;
    for (unsigned i = 0; i <= IST_COUNT; i++) {
        // The guards lie in increasing address order: IST stacks in .bss, then the boot stack.
        map_kernel_range((const char *)from, (const char *)holes[i], PTE_WRITABLE | PTE_GLOBAL | nx,
                         "kernel data");
        from = holes[i] + PAGE_SIZE_4K;
    }
    map_kernel_range((const char *)from, __kernel_end, PTE_WRITABLE | PTE_GLOBAL | nx,
                     "kernel data");

    cpu_write_cr3(kernel_pt.root);
    hw_set_phys_map_size(info.phys_mapped);
    info.build_cycles = cpu_rdtsc() - start;
}
