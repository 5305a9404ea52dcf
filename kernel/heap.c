// The kernel heap (see heap.h).
#include "kernel/heap.h"
#include "core/alloc/bump.h"
#include "core/alloc/fixed_block.h"
#include "core/alloc/linked_list.h"
#include "core/alloc/tlsf.h"
#include "core/cmdline.h"
#include "core/err.h"
#include "core/panic.h"
#include "core/spinlock.h"
#include "kernel/console.h"
#include "kernel/heap_design.h"
#include "kernel/heap_trace.h"
#include "kernel/lockcheck.h"
#include "kernel/params.h"
#include "kernel/vm.h"

#define PAGE   4096ull
#define HEADER 16u // kmalloc's size header, keeping 16-byte alignment

KERNEL_PARAM(alloc);
KERNEL_PARAM(heap_max);

static union {
    struct bump_heap bump;
    struct ll_heap ll;
    struct fsb_heap fsb;
    struct tlsf_heap tlsf;
} heaps;
static struct spinlock lock = LOCKCHECK_SPINLOCK("heap", LOCK_RANK_HEAP); // heaps, heap, mapped
static struct allocator *heap;
static size_t mapped, limit;
static bool tracing; // heap_trace=1: every operation leaves as a trace record (heap_trace.h)

// Maps `bytes` (whole pages) at the end of the heap; on failure nothing more is mapped.
static int map_more(size_t bytes)
{
    int err = vm_map_fresh(HEAP_START + mapped, bytes, PTE_WRITABLE | PTE_GLOBAL | PTE_NX);
    if (err == 0)
        mapped += bytes;
    return err;
}

static size_t parse_limit(const char *cmdline)
{
    uint32_t kib;
    int err = cmdline_get_u32(cmdline, "heap_max", &kib);
    if (err == E_NOENT)
        return HEAP_DEFAULT_MAX;
    if (err != 0) {
        kprintf("WARNING: heap_max: %s; using %llu KiB\n", err_str(err),
                (unsigned long long)(HEAP_DEFAULT_MAX >> 10));
        return HEAP_DEFAULT_MAX;
    }
    if ((uint64_t)kib * 1024 < HEAP_INITIAL_SIZE) {
        kprintf("WARNING: heap_max must be at least %u KiB; using %llu KiB\n",
                HEAP_INITIAL_SIZE / 1024, (unsigned long long)(HEAP_DEFAULT_MAX >> 10));
        return HEAP_DEFAULT_MAX;
    }
    return (size_t)kib * 1024;
}

// Each design's start over the one state: the kernel links all four and uses one.
static struct allocator *start_bump(void *region, size_t size)
{
    return bump_init(&heaps.bump, region, size) == 0 ? &heaps.bump.base : NULL;
}

static struct allocator *start_linked_list(void *region, size_t size)
{
    return ll_init(&heaps.ll, region, size) == 0 ? &heaps.ll.base : NULL;
}

static struct allocator *start_fixed_block(void *region, size_t size)
{
    return fsb_init(&heaps.fsb, region, size) == 0 ? &heaps.fsb.base : NULL;
}

static struct allocator *start_tlsf(void *region, size_t size)
{
    return tlsf_init(&heaps.tlsf, region, size) == 0 ? &heaps.tlsf.base : NULL;
}

// In the series' order (the WARNING for an unknown `alloc=` lists them so).
static const struct heap_design designs[] = {
    {"bump", start_bump},
    {"linked_list", start_linked_list},
    {"fixed_block", start_fixed_block},
    {"tlsf", start_tlsf},
};

void heap_init(const char *cmdline)
{
    const struct heap_design *design =
        heap_design_choose(cmdline, designs, sizeof(designs) / sizeof(designs[0]));
    limit = parse_limit(cmdline);
    size_t initial = (HEAP_INITIAL_SIZE + PAGE - 1) & ~(PAGE - 1);
    if (map_more(initial) != 0)
        panic("heap_init: no memory for the initial %zu-byte heap", initial);
    heap = design->start((void *)HEAP_START, initial);
    if (heap == NULL)
        panic("heap_init: %s refuses the %zu-byte region", design->name, initial);
    tracing = heap_trace_start(cmdline, design->name, HEAP_START, initial, limit);
}

// Maps enough for a request of size/align and hands it to the design; false when at the limit,
// out of frames, or the request is too big for any growth. Lock held. Traced as a grow of the
// bytes the design gained (0 when it gained none).
static bool grow_for(size_t size, size_t align)
{
    size_t at = mapped;
    size_t want = size + align + HEADER + 64; // what the design may need around the block
    if (want < size) {
        want = 0;
    } else {
        want = want < HEAP_GROW_MIN ? HEAP_GROW_MIN : want;
        want = (want + PAGE - 1) & ~(PAGE - 1);
        if (want > limit - mapped)
            want = (limit - mapped) & ~(PAGE - 1);
    }
    bool grown = want != 0 && map_more(want) == 0 && alloc_grow(heap, want) == 0;
    if (tracing)
        tracing =
            heap_trace_record(HTRACE_GROW, size, align, HEAP_START + at, grown ? (int64_t)want : 0);
    return grown;
}

void *heap_alloc(size_t size, size_t align)
{
    KASSERT(heap != NULL);
    unsigned long flags = spin_lock_irqsave(&lock);
    void *p = alloc_alloc(heap, size, align);
    while (p == NULL && size != 0 && alloc_align_ok(align) && grow_for(size, align))
        p = alloc_alloc(heap, size, align);
    if (__builtin_expect(tracing, 0)) // off: one branch, predicted not taken
        tracing = heap_trace_record(HTRACE_ALLOC, size, align, (uintptr_t)p, 0);
    spin_unlock_irqrestore(&lock, flags);
    return p;
}

int heap_free(void *ptr, size_t size, size_t align)
{
    KASSERT(heap != NULL);
    unsigned long flags = spin_lock_irqsave(&lock);
    int err = alloc_free(heap, ptr, size, align);
    if (__builtin_expect(tracing, 0))
        tracing = heap_trace_record(HTRACE_FREE, size, align, (uintptr_t)ptr, err);
    spin_unlock_irqrestore(&lock, flags);
    return err;
}

void *kmalloc(size_t size)
{
    if (size == 0 || size > SIZE_MAX - HEADER)
        return NULL;
    uint8_t *block = heap_alloc(size + HEADER, HEADER);
    if (block == NULL)
        return NULL;
    *(size_t *)block = size;
    return block + HEADER;
}

void kfree(void *ptr)
{
    if (ptr == NULL)
        return;
    uint8_t *block = (uint8_t *)ptr - HEADER;
    int err = heap_free(block, *(size_t *)block + HEADER, HEADER);
    if (err != 0)
        kprintf("WARNING: kfree(%p): %s\n", ptr, err_str(err));
}

const char *heap_design(void)
{
    KASSERT(heap != NULL);
    return heap->name;
}

void heap_stats(struct alloc_stats *out)
{
    KASSERT(heap != NULL);
    unsigned long flags = spin_lock_irqsave(&lock);
    alloc_stats(heap, out);
    spin_unlock_irqrestore(&lock, flags);
}

int heap_check(char *msg, size_t cap)
{
    KASSERT(heap != NULL);
    unsigned long flags = spin_lock_irqsave(&lock);
    int err = alloc_check(heap, msg, cap);
    spin_unlock_irqrestore(&lock, flags);
    return err;
}

size_t heap_mapped(void)
{
    return mapped;
}

size_t heap_limit(void)
{
    return limit;
}
