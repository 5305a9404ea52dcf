// The fixed-size-block allocator: class lists of 8..2048-byte blocks over a linked-list fallback.
#include "core/alloc/fixed_block.h"
#include "core/alloc/alloc.h"
#include "core/alloc/linked_list.h"
#include "core/err.h"
#include "core/fmt.h"
#include "core/panic.h"

_Static_assert(offsetof(struct fsb_heap, base) == 0, "base must come first");
_Static_assert(FSB_MAX_BLOCK == FSB_MIN_BLOCK << (FSB_CLASSES - 1), "classes 8..2048");
_Static_assert(sizeof(struct fsb_node) <= FSB_MIN_BLOCK, "a link must fit the smallest block");

static struct fsb_heap *heap_of(struct allocator *a)
{
    return (struct fsb_heap *)a;
}

static const struct fsb_heap *cheap_of(const struct allocator *a)
{
    return (const struct fsb_heap *)a;
}

static size_t block_of(int c)
{
    return (size_t)FSB_MIN_BLOCK << c;
}

int fsb_class(size_t size, size_t align)
{
    size_t need = size > align ? size : align;
    if (need <= FSB_MIN_BLOCK)
        return 0;
    if (need > FSB_MAX_BLOCK)
        return -1;
    // Block c holds 8 << c bytes: c = ceil(log2(need)) - 3, from the highest bit of need - 1.
    return (int)(sizeof(unsigned long long) * 8) - __builtin_clzll((unsigned long long)(need - 1)) -
           3;
}

static void push(struct fsb_heap *h, int c, uintptr_t p)
{
    struct fsb_node *n = (struct fsb_node *)p;
    n->link = (uintptr_t)h->lists[c] ^ FSB_TAG;
    h->lists[c] = n;
    h->counts[c]++;
}

static void *pop(struct fsb_heap *h, int c)
{
    struct fsb_node *n = h->lists[c];
    h->lists[c] = (struct fsb_node *)(n->link ^ FSB_TAG);
    h->counts[c]--;
    return n;
}

// Carves one fallback allocation into blocks of class c; false when the fallback is out of room.
static bool refill(struct fsb_heap *h, int c)
{
    size_t bs = block_of(c), chunk = bs < LL_GRAIN ? LL_GRAIN : bs;
    void *q = alloc_alloc(&h->fallback.base, chunk, bs);
    if (q == NULL)
        return false;
    uintptr_t p = (uintptr_t)q;
    for (size_t off = chunk; off > 0; off -= bs)
        push(h, c, p + off - bs); // the lowest block ends up first
    h->refills++;
    h->refill_bytes += chunk;
    return true;
}

static void count_alloc(struct fsb_heap *h, size_t size)
{
    h->allocations++;
    h->used += size;
    alloc_note_peak(h->used, &h->peak_used);
}

static void *fsb_alloc(struct allocator *a, size_t size, size_t align)
{
    struct fsb_heap *h = heap_of(a);
    if (size == 0 || !alloc_align_ok(align))
        return NULL;
    int c = fsb_class(size, align);
    if (c < 0) {
        void *p = alloc_alloc(&h->fallback.base, size, align);
        if (p != NULL) {
            h->large_allocs++;
            count_alloc(h, size);
        }
        return p;
    }
    if (h->lists[c] == NULL && !refill(h, c))
        return NULL;
    h->small_bytes += block_of(c);
    count_alloc(h, size);
    return pop(h, c);
}

// Whether the class block at p is on its list already. Only walks the list when p's first word
// decodes to a plausible link.
static bool on_list(const struct fsb_heap *h, int c, uintptr_t p)
{
    uintptr_t link = ((const struct fsb_node *)p)->link ^ FSB_TAG;
    if (link != 0 &&
        (link < h->fallback.lo || link >= h->fallback.hi || (link & (block_of(c) - 1)) != 0))
        return false;
    const struct fsb_node *n = h->lists[c];
    for (size_t i = 0; i < h->counts[c] && n != NULL; i++) {
        if ((uintptr_t)n == p)
            return true;
        n = (const struct fsb_node *)(n->link ^ FSB_TAG);
    }
    return false;
}

static int free_small(struct fsb_heap *h, int c, uintptr_t p, size_t size)
{
    size_t bs = block_of(c);
    if ((p & (bs - 1)) != 0 || bs > h->fallback.hi - p || h->allocations == h->large_allocs ||
        size > h->used || bs > h->small_bytes || on_list(h, c, p))
        return E_INVAL;
    push(h, c, p);
    h->small_bytes -= bs;
    return 0;
}

static int fsb_free(struct allocator *a, void *ptr, size_t size, size_t align)
{
    struct fsb_heap *h = heap_of(a);
    int rc = alloc_free_args(ptr, size, align, h->fallback.lo, h->fallback.hi);
    if (rc <= 0)
        return rc;
    int c = fsb_class(size, align);
    if (c >= 0) {
        rc = free_small(h, c, (uintptr_t)ptr, size);
    } else {
        rc = h->large_allocs == 0 || size > h->used
                 ? E_INVAL
                 : alloc_free(&h->fallback.base, ptr, size, align);
        if (rc == 0)
            h->large_allocs--;
    }
    if (rc == 0) {
        h->allocations--;
        h->used -= size;
    }
    return rc;
}

static int fsb_grow(struct allocator *a, size_t extra)
{
    return alloc_grow(&heap_of(a)->fallback.base, extra);
}

// The largest s with alloc(s, 1) succeeding: a fallback request if the fallback has a block
// above the largest class, else the largest class that has a block or could get one.
static size_t largest_request(const struct fsb_heap *h, size_t fallback_largest)
{
    if (fallback_largest > FSB_MAX_BLOCK)
        return fallback_largest;
    for (int c = FSB_CLASSES - 1; c >= 0; c--) {
        size_t bs = block_of(c);
        if (h->lists[c] != NULL || ll_fits(&h->fallback, bs < LL_GRAIN ? LL_GRAIN : bs, bs))
            return bs;
    }
    return 0;
}

static void fsb_stats(const struct allocator *a, struct alloc_stats *out)
{
    const struct fsb_heap *h = cheap_of(a);
    struct alloc_stats fb;
    alloc_stats(&h->fallback.base, &fb);
    size_t listed = 0;
    for (int c = 0; c < FSB_CLASSES; c++)
        listed += h->counts[c] * block_of(c);
    *out = (struct alloc_stats){
        .used = h->used,
        .free = fb.free + listed,
        .peak_used = h->peak_used,
        .largest_free = largest_request(h, fb.largest_free),
        .allocations = h->allocations,
        .region_size = fb.region_size,
    };
}

// Walks class c's list: every node in the region, aligned to its class, exactly counts[c] of
// them (a longer list or a cycle stops the walk there).
static int check_list(const struct fsb_heap *h, int c, char *msg, size_t cap)
{
    size_t bs = block_of(c), i = 0;
    uintptr_t lo = h->fallback.lo, hi = h->fallback.hi;
    for (const struct fsb_node *n = h->lists[c]; n != NULL; i++) {
        uintptr_t p = (uintptr_t)n;
        if (i == h->counts[c] || i > (hi - lo) / bs) {
            fmt_snprintf(msg, cap,
                         "fixed_block: class %zu list longer than its count %zu "
                         "(or a cycle)",
                         bs, h->counts[c]);
            return E_FORMAT;
        }
        if (p < lo || p >= hi || bs > hi - p || (p & (bs - 1)) != 0) {
            fmt_snprintf(msg, cap,
                         "fixed_block: class %zu node %zu at %#lx outside the region "
                         "or misaligned",
                         bs, i, (unsigned long)p);
            return E_FORMAT;
        }
        n = (const struct fsb_node *)(n->link ^ FSB_TAG);
    }
    if (i != h->counts[c]) {
        fmt_snprintf(msg, cap, "fixed_block: class %zu list holds %zu blocks, count says %zu", bs,
                     i, h->counts[c]);
        return E_FORMAT;
    }
    return 0;
}

static int check_counters(const struct fsb_heap *h, size_t listed, char *msg, size_t cap)
{
    const char *why = NULL;
    if (listed + h->small_bytes != h->refill_bytes)
        why = "class lists and live class blocks do not add up to the refills";
    else if (h->fallback.allocations != h->refills + h->large_allocs)
        why = "the fallback's allocations are not the refills plus the large blocks";
    else if (h->large_allocs > h->allocations || h->allocations > h->used ||
             (h->allocations == 0) != (h->used == 0))
        why = "used and the allocation counts disagree";
    else if (h->peak_used < h->used)
        why = "peak_used below used";
    if (why == NULL)
        return 0;
    fmt_snprintf(msg, cap, "fixed_block: %s (used %zu, %zu allocations, %zu large, %zu refills)",
                 why, h->used, h->allocations, h->large_allocs, h->refills);
    return E_FORMAT;
}

static int fsb_check(const struct allocator *a, char *msg, size_t cap)
{
    const struct fsb_heap *h = cheap_of(a);
    int rc = alloc_check(&h->fallback.base, msg, cap);
    size_t listed = 0;
    for (int c = 0; c < FSB_CLASSES && rc == 0; c++) {
        rc = check_list(h, c, msg, cap);
        listed += h->counts[c] * block_of(c);
    }
    if (rc == 0)
        rc = check_counters(h, listed, msg, cap);
    return rc;
}

// Reports class c's free blocks; E_FORMAT as check_list finds a broken list, at the first node
// it cannot trust (the ones before it are reported).
static int walk_list(const struct fsb_heap *h, int c,
                     void (*fn)(void *ctx, uintptr_t start, size_t size), void *ctx)
{
    size_t bs = block_of(c), i = 0;
    uintptr_t lo = h->fallback.lo, hi = h->fallback.hi;
    for (const struct fsb_node *n = h->lists[c]; n != NULL; i++) {
        uintptr_t p = (uintptr_t)n;
        // (The region holds at most (hi - lo) / bs blocks: a cycle under a corrupt count ends.)
        if (i == h->counts[c] || i >= (hi - lo) / bs || p < lo || p >= hi || bs > hi - p ||
            (p & (bs - 1)) != 0)
            return E_FORMAT;
        fn(ctx, p, bs);
        n = (const struct fsb_node *)(n->link ^ FSB_TAG);
    }
    return i == h->counts[c] ? 0 : E_FORMAT;
}

static int fsb_walk_free(const struct allocator *a,
                         void (*fn)(void *ctx, uintptr_t start, size_t size), void *ctx)
{
    const struct fsb_heap *h = cheap_of(a);
    int rc = alloc_walk_free(&h->fallback.base, fn, ctx);
    for (int c = 0; c < FSB_CLASSES && rc == 0; c++)
        rc = walk_list(h, c, fn, ctx);
    return rc;
}

int fsb_init(struct fsb_heap *h, void *region, size_t size)
{
    KASSERT(h != NULL);
    *h = (struct fsb_heap){
        .base = {.name = "fixed_block",
                 .alloc = fsb_alloc,
                 .free = fsb_free,
                 .grow = fsb_grow,
                 .stats = fsb_stats,
                 .check = fsb_check,
                 .walk_free = fsb_walk_free},
    };
    return ll_init(&h->fallback, region, size);
}
