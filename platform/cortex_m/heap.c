// The firmware heap (see heap.h).
#include "platform/cortex_m/heap.h"
#include "core/panic.h"
#include "core/spinlock.h"

extern const struct heap_design __cm_heap_designs_start[], __cm_heap_designs_end[];

// 16-byte aligned, as the kernel's heap region (page-aligned there); the designs need no more.
static uint8_t region[HEAP_INITIAL_SIZE] __attribute__((aligned(16)));
static struct spinlock lock;
static struct allocator *heap;

void heap_init(const char *cmdline)
{
    // The registry's bounds as pointers (comparing the arrays themselves is a warning).
    const struct heap_design *first = __cm_heap_designs_start, *end = __cm_heap_designs_end;
    const struct heap_design *d = heap_design_choose(cmdline, first, (size_t)(end - first));
    heap = d->start(region, sizeof(region));
    if (heap == NULL)
        panic("heap_init: %s refuses the %zu-byte region", d->name, sizeof(region));
}

void *heap_alloc(size_t size, size_t align)
{
    KASSERT(heap != NULL);
    unsigned long flags = spin_lock_irqsave(&lock);
    void *p = alloc_alloc(heap, size, align);
    spin_unlock_irqrestore(&lock, flags);
    return p;
}

int heap_free(void *ptr, size_t size, size_t align)
{
    KASSERT(heap != NULL);
    unsigned long flags = spin_lock_irqsave(&lock);
    int err = alloc_free(heap, ptr, size, align);
    spin_unlock_irqrestore(&lock, flags);
    return err;
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

uintptr_t heap_start(void)
{
    return (uintptr_t)region;
}

size_t heap_limit(void)
{
    return sizeof(region);
}
