// The bump allocator: `next` moves up, a count of live blocks brings it back to the start.
#include "core/alloc/bump.h"
#include "core/alloc/alloc.h"
#include "core/err.h"
#include "core/panic.h"

_Static_assert(offsetof(struct bump_heap, base) == 0, "base must come first");

static struct bump_heap *heap_of(struct allocator *a)
{
    return (struct bump_heap *)a;
}

static const struct bump_heap *cheap_of(const struct allocator *a)
{
    return (const struct bump_heap *)a;
}

static void *bump_alloc(struct allocator *a, size_t size, size_t align)
{
    struct bump_heap *h = heap_of(a);
    uintptr_t p;
    if (size == 0 || !alloc_align_ok(align) || !alloc_align_up(h->next, align, &p))
        return NULL;
    if (p > h->end || size > h->end - p)
        return NULL;
    h->next = p + size;
    h->allocations++;
    h->used += size;
    alloc_note_peak(h->used, &h->peak_used);
    return (void *)p;
}

static int bump_free(struct allocator *a, void *ptr, size_t size, size_t align)
{
    struct bump_heap *h = heap_of(a);
    int rc = alloc_free_args(ptr, size, align, h->start, h->end);
    if (rc <= 0)
        return rc;
    uintptr_t p = (uintptr_t)ptr;
    if (h->allocations == 0 || p >= h->next || size > h->next - p || size > h->used)
        return E_INVAL; // cannot be a live block
    h->allocations--;
    h->used -= size;
    if (h->allocations == 0)
        h->next = h->start;
    return 0;
}

static int bump_grow(struct allocator *a, size_t extra)
{
    struct bump_heap *h = heap_of(a);
    if (extra > UINTPTR_MAX - h->end)
        return E_RANGE;
    h->end += extra;
    return 0;
}

static void bump_stats(const struct allocator *a, struct alloc_stats *out)
{
    const struct bump_heap *h = cheap_of(a);
    out->used = h->used;
    out->free = h->end - h->next;
    out->peak_used = h->peak_used;
    out->largest_free = h->end - h->next;
    out->allocations = h->allocations;
    out->region_size = h->end - h->start;
}

static int bump_check(const struct allocator *a, char *msg, size_t cap)
{
    const struct bump_heap *h = cheap_of(a);
    const char *why = NULL;
    if (h->start > h->next || h->next > h->end)
        why = "next outside the region";
    else if (h->allocations == 0 && (h->next != h->start || h->used != 0))
        why = "no live allocation but next is not at the start or used is not 0";
    else if (h->allocations > h->used)
        why = "more live allocations than bytes used";
    else if (h->used > h->next - h->start)
        why = "used exceeds the bytes below next";
    else if (h->peak_used < h->used)
        why = "peak_used below used";
    if (why == NULL) {
        if (cap > 0)
            msg[0] = '\0';
        return 0;
    }
    return alloc_check_fail(msg, cap, "bump: %s (start %#lx next %#lx end %#lx used %zu count %zu)",
                            why, (unsigned long)h->start, (unsigned long)h->next,
                            (unsigned long)h->end, h->used, h->allocations);
}

static int bump_walk_free(const struct allocator *a,
                          void (*fn)(void *ctx, uintptr_t start, size_t size), void *ctx)
{
    const struct bump_heap *h = cheap_of(a);
    if (h->start > h->next || h->next > h->end)
        return E_FORMAT;
    if (h->next < h->end)
        fn(ctx, h->next, h->end - h->next);
    return 0;
}

int bump_init(struct bump_heap *h, void *region, size_t size)
{
    KASSERT(h != NULL);
    KASSERT(region != NULL);
    uintptr_t start = (uintptr_t)region;
    KASSERT(size <= UINTPTR_MAX - start);
    *h = (struct bump_heap){
        .base = {.name = "bump",
                 .alloc = bump_alloc,
                 .free = bump_free,
                 .grow = bump_grow,
                 .stats = bump_stats,
                 .check = bump_check,
                 .walk_free = bump_walk_free},
        .start = start,
        .end = start + size,
        .next = start,
    };
    return 0;
}
