// The linked-list allocator: first fit, an address-ordered free list, merging on free.
#include "core/alloc/linked_list.h"
#include "core/alloc/alloc.h"
#include "core/err.h"
#include "core/panic.h"

_Static_assert(offsetof(struct ll_heap, base) == 0, "base must come first");
_Static_assert(sizeof(struct ll_node) <= LL_GRAIN, "a node must fit in the smallest block");
_Static_assert(LL_GRAIN % _Alignof(struct ll_node) == 0, "nodes must be aligned");

#define GRAIN_MASK ((uintptr_t)LL_GRAIN - 1)

static struct ll_heap *heap_of(struct allocator *a)
{
    return (struct ll_heap *)a;
}

static const struct ll_heap *cheap_of(const struct allocator *a)
{
    return (const struct ll_heap *)a;
}

static uintptr_t addr(const struct ll_node *n)
{
    return (uintptr_t)n;
}

// The block size for a request: size rounded up to LL_GRAIN; false for 0 or on overflow.
static bool block_size(size_t size, size_t *out)
{
    if (size == 0 || size > SIZE_MAX - GRAIN_MASK)
        return false;
    *out = (size + GRAIN_MASK) & ~(size_t)GRAIN_MASK;
    return true;
}

// Where a block of bsize bytes aligned to align starts inside free block n, if it fits.
static bool fits_in(const struct ll_node *n, size_t bsize, size_t align, uintptr_t *p)
{
    if (!alloc_align_up(addr(n), align < LL_GRAIN ? LL_GRAIN : align, p))
        return false;
    uintptr_t pad = *p - addr(n);
    return pad <= n->size && bsize <= n->size - pad;
}

// First fit: the first free block that can hold the request, with its predecessor (NULL when it
// is the head) and the block's address in *p. NULL when none can. Adds the blocks it looked at
// to *steps.
static struct ll_node *first_fit(const struct ll_heap *h, size_t bsize, size_t align,
                                 struct ll_node **prev, uintptr_t *p, unsigned long *steps)
{
    struct ll_node *before = NULL;
    for (struct ll_node *n = h->head; n != NULL; before = n, n = n->next) {
        ++*steps;
        if (fits_in(n, bsize, align, p)) {
            *prev = before;
            return n;
        }
    }
    return NULL;
}

static void link_after(struct ll_heap *h, struct ll_node *prev, struct ll_node *n)
{
    if (prev == NULL)
        h->head = n;
    else
        prev->next = n;
}

bool ll_fits(const struct ll_heap *h, size_t size, size_t align)
{
    KASSERT(h != NULL);
    size_t bsize;
    uintptr_t p;
    struct ll_node *prev;
    unsigned long steps = 0;
    return alloc_align_ok(align) && block_size(size, &bsize) &&
           first_fit(h, bsize, align, &prev, &p, &steps) != NULL;
}

static void *ll_alloc(struct allocator *a, size_t size, size_t align)
{
    struct ll_heap *h = heap_of(a);
    size_t bsize;
    uintptr_t p;
    struct ll_node *prev;
    if (!alloc_align_ok(align) || !block_size(size, &bsize))
        return NULL;
    struct ll_node *n = first_fit(h, bsize, align, &prev, &p, &h->base.steps);
    if (n == NULL)
        return NULL;
    // n = [padding][the block][tail]; padding and tail are multiples of LL_GRAIN, so each that
    // is not empty stays on the list as a node of its own.
    size_t pad = p - addr(n), tail = n->size - pad - bsize;
    struct ll_node *after = n->next;
    if (tail > 0) {
        struct ll_node *t = (struct ll_node *)(p + bsize);
        *t = (struct ll_node){.size = tail, .next = after};
        after = t;
    }
    if (pad > 0) {
        n->size = pad;
        n->next = after;
    } else {
        link_after(h, prev, after);
    }
    h->in_use += bsize;
    h->allocations++;
    h->used += size;
    alloc_note_peak(h->used, &h->peak_used);
    return (void *)p;
}

// Puts [p, p + bsize) on the list between prev and next (either may be NULL), merging with
// whichever of them it touches.
static void insert_block(struct ll_heap *h, struct ll_node *prev, struct ll_node *next, uintptr_t p,
                         size_t bsize)
{
    struct ll_node *b;
    if (prev != NULL && addr(prev) + prev->size == p) {
        b = prev;
        b->size += bsize;
    } else {
        b = (struct ll_node *)p;
        *b = (struct ll_node){.size = bsize, .next = next};
        link_after(h, prev, b);
    }
    if (next != NULL && addr(b) + b->size == addr(next)) {
        b->size += next->size;
        b->next = next->next;
    }
}

static int ll_free(struct allocator *a, void *ptr, size_t size, size_t align)
{
    struct ll_heap *h = heap_of(a);
    int rc = alloc_free_args(ptr, size, align, h->lo, h->hi);
    if (rc <= 0)
        return rc;
    uintptr_t p = (uintptr_t)ptr;
    size_t bsize;
    // (size <= hi - p and both ends are LL_GRAIN multiples, so bsize cannot overflow or pass hi.)
    if ((p & GRAIN_MASK) != 0 || !block_size(size, &bsize) || h->allocations == 0 ||
        size > h->used || bsize > h->in_use)
        return E_INVAL;
    struct ll_node *prev = NULL, *next = h->head;
    while (next != NULL && addr(next) <= p) {
        h->base.steps++;
        prev = next;
        next = next->next;
    }
    if ((prev != NULL && addr(prev) + prev->size > p) || (next != NULL && p + bsize > addr(next)))
        return E_INVAL; // overlaps a free block: freed already, or the size is too large
    insert_block(h, prev, next, p, bsize);
    h->in_use -= bsize;
    h->allocations--;
    h->used -= size;
    return 0;
}

static int ll_grow(struct allocator *a, size_t extra)
{
    struct ll_heap *h = heap_of(a);
    if (extra > UINTPTR_MAX - h->raw_end)
        return E_RANGE;
    h->raw_end += extra;
    h->region_size += extra;
    uintptr_t new_hi = h->raw_end & ~GRAIN_MASK;
    if (new_hi <= h->hi)
        return 0;
    struct ll_node *last = h->head;
    while (last != NULL && last->next != NULL) {
        h->base.steps++;
        last = last->next;
    }
    uintptr_t p = h->hi;
    h->hi = new_hi;
    insert_block(h, last, NULL, p, new_hi - p);
    return 0;
}

static void ll_stats(const struct allocator *a, struct alloc_stats *out)
{
    const struct ll_heap *h = cheap_of(a);
    size_t largest = 0;
    for (const struct ll_node *n = h->head; n != NULL; n = n->next)
        largest = n->size > largest ? n->size : largest;
    *out = (struct alloc_stats){
        .used = h->used,
        .free = h->hi - h->lo - h->in_use,
        .peak_used = h->peak_used,
        .largest_free = largest,
        .allocations = h->allocations,
        .region_size = h->region_size,
    };
}

// The counters and bounds, before any node is read.
static int check_counters(const struct ll_heap *h, char *msg, size_t cap)
{
    // (hi may pass raw_end only in a region too small for any block: then hi == lo.)
    if ((h->lo & GRAIN_MASK) != 0 || (h->hi & GRAIN_MASK) != 0 || h->lo > h->hi ||
        (h->hi > h->raw_end && h->hi != h->lo))
        return alloc_check_fail(msg, cap, "linked_list: bad span lo %#lx hi %#lx raw_end %#lx",
                                (unsigned long)h->lo, (unsigned long)h->hi,
                                (unsigned long)h->raw_end);
    if (h->in_use > h->hi - h->lo || (h->in_use & GRAIN_MASK) != 0)
        return alloc_check_fail(msg, cap, "linked_list: in_use %zu does not fit the span",
                                h->in_use);
    if (h->used > h->in_use || h->allocations > h->used || h->in_use < h->allocations * LL_GRAIN ||
        (h->allocations == 0) != (h->in_use == 0))
        return alloc_check_fail(msg, cap,
                                "linked_list: used %zu, in_use %zu and %zu allocations disagree",
                                h->used, h->in_use, h->allocations);
    if (h->peak_used < h->used)
        return alloc_check_fail(msg, cap, "linked_list: peak_used %zu below used %zu", h->peak_used,
                                h->used);
    return 0;
}

static int ll_check(const struct allocator *a, char *msg, size_t cap)
{
    const struct ll_heap *h = cheap_of(a);
    int rc = check_counters(h, msg, cap);
    if (rc != 0)
        return rc;
    // Addresses must rise strictly inside [lo, hi), so the walk ends even on a cycle: a cycle
    // steps back and is reported as a block out of order.
    size_t count = 0, sum = 0;
    uintptr_t prev_end = 0;
    for (const struct ll_node *n = h->head; n != NULL; n = n->next, count++) {
        uintptr_t p = addr(n);
        if (p < h->lo || p >= h->hi || (p & GRAIN_MASK) != 0)
            return alloc_check_fail(msg, cap,
                                    "linked_list: free block %zu at %#lx outside the span or "
                                    "misaligned",
                                    count, (unsigned long)p);
        if (n->size < LL_GRAIN || (n->size & GRAIN_MASK) != 0 || n->size > h->hi - p)
            return alloc_check_fail(msg, cap,
                                    "linked_list: free block %zu at %#lx has bad size %zu", count,
                                    (unsigned long)p, n->size);
        if (count > 0 && p <= prev_end)
            return alloc_check_fail(
                msg, cap, "linked_list: free block %zu at %#lx %s the one before", count,
                (unsigned long)p, p == prev_end ? "is unmerged with" : "overlaps or precedes");
        prev_end = p + n->size;
        sum += n->size;
    }
    if (sum != h->hi - h->lo - h->in_use)
        return alloc_check_fail(msg, cap,
                                "linked_list: free blocks hold %zu bytes, counters say %zu", sum,
                                (size_t)(h->hi - h->lo - h->in_use));
    if (cap > 0)
        msg[0] = '\0';
    return 0;
}

static int ll_walk_free(const struct allocator *a,
                        void (*fn)(void *ctx, uintptr_t start, size_t size), void *ctx)
{
    const struct ll_heap *h = cheap_of(a);
    // A node is read only once its address is known to lie in [floor, hi) on a node boundary;
    // floor climbs past every block reported, so the walk ends even on a cycle.
    uintptr_t floor = h->lo;
    for (const struct ll_node *n = h->head; n != NULL; n = n->next) {
        uintptr_t p = addr(n);
        if (p < floor || p >= h->hi || (p & GRAIN_MASK) != 0 || n->size < LL_GRAIN ||
            (n->size & GRAIN_MASK) != 0 || n->size > h->hi - p)
            return E_FORMAT;
        fn(ctx, p, n->size);
        floor = p + n->size;
    }
    return 0;
}

int ll_init(struct ll_heap *h, void *region, size_t size)
{
    KASSERT(h != NULL);
    KASSERT(region != NULL);
    uintptr_t start = (uintptr_t)region;
    KASSERT(start <= UINTPTR_MAX - GRAIN_MASK && size <= UINTPTR_MAX - start);
    uintptr_t lo = (start + GRAIN_MASK) & ~GRAIN_MASK, hi = (start + size) & ~GRAIN_MASK;
    *h = (struct ll_heap){
        .base = {.name = "linked_list",
                 .alloc = ll_alloc,
                 .free = ll_free,
                 .grow = ll_grow,
                 .stats = ll_stats,
                 .check = ll_check,
                 .walk_free = ll_walk_free},
        .lo = lo,
        .hi = hi > lo ? hi : lo,
        .raw_end = start + size,
        .region_size = size,
    };
    if (hi > lo)
        insert_block(h, NULL, NULL, lo, hi - lo);
    return 0;
}
