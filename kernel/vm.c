// The kernel's address space (see vm.h).
#include "kernel/vm.h"
#include "core/err.h"
#include "core/frame.h"
#include "core/panic.h"
#include "core/spinlock.h"
#include "kernel/lockcheck.h"
#include "platform/x86_64/cpu.h"
#include "platform/x86_64/gdt.h"
#include "platform/x86_64/hw_x86.h"
#include "platform/x86_64/layout.h"

#define MIB (1ull << 20)
#define GIB (1ull << 30)

extern char __kernel_start[], __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __kernel_end[], boot_stack_guard[];

static struct spinlock lock = LOCKCHECK_SPINLOCK("vm", LOCK_RANK_VM); // frames, kernel_pt
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

static void (*unmap_hook)(uint64_t virt);

void vm_set_unmap_hook(void (*hook)(uint64_t virt))
{
    unmap_hook = hook;
}

int vm_unmap(uint64_t virt, uint64_t *phys)
{
    unsigned long irq = spin_lock_irqsave(&lock);
    int err = pt_unmap(&kernel_pt, virt, phys); // flushes this CPU's TLB
    spin_unlock_irqrestore(&lock, irq);
    if (err == 0 && unmap_hook != NULL)
        unmap_hook(virt); // outside the lock: the TLB shootdown waits for CPUs that may spin on it
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

// The memory types that are RAM, cached in the direct map: usable, ACPI (reclaimable and NVS) and
// persistent memory. Everything else below 4 GiB (reserved ranges, holes) is taken for MMIO.
static bool is_ram(uint32_t type)
{
    return type == BOOT_MEM_USABLE || type == BOOT_MEM_ACPI_RECLAIMABLE ||
           type == BOOT_MEM_ACPI_NVS || type == BOOT_MEM_PERSISTENT;
}

// The run of pages from `at` (4 KiB aligned, below limit) that are all RAM or all not RAM, by the
// memory map's RAM entries rounded out to whole pages (a page partly RAM is RAM): sets *ram and
// returns the run's end, at most limit. O(entries) per step of the run.
static uint64_t same_kind_until(const struct boot_info *bi, uint64_t at, uint64_t limit, bool *ram)
{
    uint64_t end = at, next = limit;
    for (bool grew = true; grew;) {
        grew = false;
        for (size_t i = 0; i < bi->mmap_count; i++) {
            const struct boot_mmap_entry *m = &bi->mmap[i];
            uint64_t b = m->base & ~(PAGE_SIZE_4K - 1);
            uint64_t e = (m->base + m->length + PAGE_SIZE_4K - 1) & ~(PAGE_SIZE_4K - 1);
            if (!is_ram(m->type) || e <= b)
                continue;
            if (b <= end && end < e) {
                end = e;
                grew = true;
            } else if (b > at && b < next) {
                next = b;
            }
        }
    }
    *ram = end > at;
    uint64_t stop = *ram ? end : next;
    return stop < limit ? stop : limit;
}

// The direct map's first 4 GiB: RAM write-back, the rest (MMIO: the local and IO APICs, the
// framebuffer, the legacy VGA window, firmware) uncached through PCD | PWT (PAT entry 3, UC, which
// vm_init leaves as it is), so device registers are never cached whatever the MTRRs say.
static void map_low_direct(const struct boot_info *bi, uint64_t flags, uint64_t sizes)
{
    for (uint64_t at = 0; at < 4 * GIB;) {
        bool ram;
        uint64_t end = same_kind_until(bi, at, 4 * GIB, &ram);
        map_or_panic(PHYS_MAP_BASE + at, at, end - at,
                     ram ? flags : flags | PTE_CACHE_DISABLE | PTE_WRITE_THROUGH, sizes,
                     "the direct map");
        if (!ram)
            info.uncached += end - at;
        at = end;
    }
}

// IA32_PAT (SDM vol. 3 11.12): eight one-byte entries, chosen by a page's PAT:PCD:PWT bits. The
// power-on value is WB, WT, UC-, UC, WB, WT, UC-, UC; vm_init turns entry 1 (PWT alone) into
// write-combining, as Linux does, and leaves the others (no kernel page uses PWT without PCD).
#define MSR_PAT        0x277
#define PAT_WC         0x01ull
#define CPUID1_EDX_PAT (1u << 16)

static void enable_pat_wc(void)
{
    uint32_t r[4];
    cpu_cpuid(1, 0, r);
    if (!(r[3] & CPUID1_EDX_PAT))
        return;
    uint64_t pat = cpu_rdmsr(MSR_PAT);
    cpu_wrmsr(MSR_PAT, (pat & ~0xff00ull) | PAT_WC << 8);
    // The SDM's order for a PAT change: write back and invalidate the caches; the TLB flush is
    // the CR3 load that follows in vm_init.
    __asm__ volatile("wbinvd" ::: "memory");
    info.pat_wc = true;
}

int vm_map_framebuffer(uint64_t phys, uint64_t bytes, void **virt)
{
    uint64_t base = phys & ~(PAGE_SIZE_4K - 1);
    uint64_t len = (phys - base + bytes + PAGE_SIZE_4K - 1) & ~(PAGE_SIZE_4K - 1);
    if (bytes == 0 || len > VM_FRAMEBUFFER_MAX || base + len < base)
        return E_RANGE;
    uint64_t cache = info.pat_wc ? PTE_WRITE_THROUGH : PTE_CACHE_DISABLE | PTE_WRITE_THROUGH;
    unsigned long irq = spin_lock_irqsave(&lock);
    int err = pt_map_range(&kernel_pt, VM_FRAMEBUFFER_BASE, base, len,
                           allowed(PTE_WRITABLE | PTE_GLOBAL | PTE_NX | cache),
                           PAGE_SIZE_2M | PAGE_SIZE_4K);
    spin_unlock_irqrestore(&lock, irq);
    if (err == 0)
        *virt = (void *)(VM_FRAMEBUFFER_BASE + (phys - base));
    return err;
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
    uint64_t sizes = info.direct_page | PAGE_SIZE_2M | PAGE_SIZE_4K;
    map_low_direct(bi, PTE_WRITABLE | PTE_GLOBAL | nx, sizes);
    map_or_panic(PHYS_MAP_BASE + 4 * GIB, 4 * GIB, info.phys_mapped - 4 * GIB,
                 PTE_WRITABLE | PTE_GLOBAL | nx, sizes, "the direct map");

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

    enable_pat_wc();
    cpu_write_cr3(kernel_pt.root);
    hw_set_phys_map_size(info.phys_mapped);
    info.build_cycles = cpu_rdtsc() - start;
}
