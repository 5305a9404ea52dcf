// The firmware heap (see heap.h).
#include "platform/cortex_m/heap.h"
#include "core/cmdline.h"
#include "core/err.h"
#include "core/panic.h"
#include "core/spinlock.h"
#include "core/string.h"
#include "platform/cortex_m/console.h"

#define DEFAULT_DESIGN "tlsf"

extern const struct heap_design __cm_heap_designs_start[], __cm_heap_designs_end[];
// The registry's bounds as pointers (comparing the arrays themselves is a warning).
static const struct heap_design *const first = __cm_heap_designs_start;
static const struct heap_design *const end = __cm_heap_designs_end;

// 16-byte aligned, as the kernel's heap region (page-aligned there); the designs need no more.
static uint8_t region[HEAP_INITIAL_SIZE] __attribute__((aligned(16)));
static struct spinlock lock;
static struct allocator *heap;

static const struct heap_design *find(const char *name)
{
    for (const struct heap_design *d = first; d < end; d++) {
        if (strcmp(d->name, name) == 0)
            return d;
    }
    return NULL;
}

// Lists the linked designs' names, for the warning.
static void print_designs(void)
{
    for (const struct heap_design *d = first; d < end; d++)
        kprintf("%s%s", d == first ? "" : ", ", d->name);
}

static const struct heap_design *choose(const char *cmdline)
{
    if (first == end)
        panic("heap_init: the image links no heap design");
    const struct heap_design *fallback = find(DEFAULT_DESIGN);
    if (fallback == NULL)
        fallback = first;
    char name[16];
    int n = cmdline_get(cmdline, "alloc", name, sizeof(name));
    if (n == E_NOENT)
        return fallback;
    const struct heap_design *d = n >= 0 ? find(name) : NULL;
    if (d != NULL)
        return d;
    kprintf("WARNING: alloc=%s is not a design of this image (", name);
    print_designs();
    kprintf("); using %s\n", fallback->name);
    return fallback;
}

void heap_init(const char *cmdline)
{
    const struct heap_design *d = choose(cmdline);
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
