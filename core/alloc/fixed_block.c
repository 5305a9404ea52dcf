// The fixed-size-block allocator: class lists of 8..2048-byte blocks over a TLSF fallback.
#include "core/alloc/fixed_block.h"
#include "core/alloc/alloc.h"
#include "core/alloc/tlsf.h"
#include "core/err.h"
#include "core/panic.h"

_Static_assert(offsetof(struct fsb_heap, base) == 0, "base must come first");
_Static_assert(FSB_MAX_BLOCK == FSB_MIN_BLOCK << (FSB_CLASSES - 1), "classes 8..2048");
_Static_assert(sizeof(struct fsb_node) <= FSB_MIN_BLOCK, "a link must fit the smallest block");
_Static_assert(FSB_MIN_BLOCK * 3 + TLSF_HEADER == TLSF_MIN_BLOCK, "three 8-byte blocks fill one");
_Static_assert(FSB_BATCH_FIRST >= 4 * FSB_MIN_BLOCK && FSB_BATCH_FIRST <= FSB_BATCH_MAX &&
                   (FSB_BATCH_FIRST & (FSB_BATCH_FIRST - 1)) == 0 &&
                   (FSB_BATCH_MAX & (FSB_BATCH_MAX - 1)) == 0,
               "batches are powers of two, the first at least three 8-byte blocks");

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

// The region as given to init, plus every grow: what free's E_RANGE is about.
static uintptr_t region_lo(const struct fsb_heap *h)
{
    return h->fallback.areas[0].start;
}

static uintptr_t region_hi(const struct fsb_heap *h)
{
    return h->fallback.areas[0].raw_end;
}

// Where the fallback's blocks, and so all class blocks, lie: from the pointer its first block
// would hand out up to its sentinel (an empty span while the region holds no block).
static uintptr_t blocks_lo(const struct fsb_heap *h)
{
    return h->fallback.areas[0].lo + TLSF_HEADER;
}

static uintptr_t blocks_hi(const struct fsb_heap *h)
{
    return h->fallback.areas[0].end;
}

// Whether a block of bs bytes at p lies inside that span.
static bool in_blocks(const struct fsb_heap *h, uintptr_t p, size_t bs)
{
    return p >= blocks_lo(h) && p < blocks_hi(h) && bs <= blocks_hi(h) - p;
}

// The blocks a batch of `bytes` bytes of class c carves: bytes / block size, one at least; for the
// 8-byte class one less, so that the count is odd (with the fallback's 8-byte header the
// allocation fills whole 16-byte grains).
static size_t batch_blocks(int c, size_t bytes)
{
    size_t n = bytes / block_of(c);
    return c == 0 ? n - 1 : n > 0 ? n : 1;
}

// The fewest blocks a refill of class c carves: one; three for the 8-byte class (the fallback's
// smallest block holds 24 bytes).
static size_t least_blocks(int c)
{
    return c == 0 ? 3 : 1;
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
    h->base.steps++;
}

// Takes the first block off class c's list. Its link word is cleared: a block freed again before
// the caller writes to it then does not look listed (no confirmation walk), and no heap address
// is handed out inside a block.
static void *pop(struct fsb_heap *h, int c)
{
    struct fsb_node *n = h->lists[c];
    h->lists[c] = (struct fsb_node *)(n->link ^ FSB_TAG);
    n->link = 0;
    h->counts[c]--;
    h->base.steps++;
    return n;
}

// The fallback's alloc and free, their steps added to this heap's.
static void *fallback_alloc(struct fsb_heap *h, size_t size, size_t align)
{
    unsigned long before = h->fallback.base.steps;
    void *p = alloc_alloc(&h->fallback.base, size, align);
    h->base.steps += h->fallback.base.steps - before;
    return p;
}

static int fallback_free(struct fsb_heap *h, void *ptr, size_t size, size_t align)
{
    unsigned long before = h->fallback.base.steps;
    int rc = alloc_free(&h->fallback.base, ptr, size, align);
    h->base.steps += h->fallback.base.steps - before;
    return rc;
}

// Carves one fallback allocation of batch[c] blocks of class c, or of half as many while that
// does not fit, down to least_blocks(c); false when not even that fits (nothing changes then but
// the fallback's steps). Kept out of line, as the large paths below: the class paths that call
// them then need no stack frame.
static __attribute__((noinline)) bool refill(struct fsb_heap *h, int c)
{
    size_t bs = block_of(c), n = h->batch[c], least = least_blocks(c);
    void *q;
    while ((q = fallback_alloc(h, n * bs, bs)) == NULL) {
        if (n <= least)
            return false;
        n /= 2; // 2^k blocks halve to 2^(k-1), down to 1; the 8-byte class's 2^k - 1 to 2^(k-1) - 1
    }
    uintptr_t p = (uintptr_t)q;
    for (size_t i = n; i > 0; i--)
        push(h, c, p + (i - 1) * bs); // the lowest block ends up first
    h->refills++;
    h->refill_bytes += n * bs;
    size_t next = 2 * n + (c == 0), most = batch_blocks(c, FSB_BATCH_MAX);
    h->batch[c] = next < most ? next : most;
    return true;
}

static void count_alloc(struct fsb_heap *h, size_t size)
{
    h->allocations++;
    h->used += size;
    alloc_note_peak(h->used, &h->peak_used);
}

// Hands out the first block of class c's list (which is not empty).
static void *take(struct fsb_heap *h, int c, size_t size)
{
    h->small_bytes += block_of(c);
    count_alloc(h, size);
    return pop(h, c);
}

static __attribute__((noinline)) void *alloc_refilled(struct fsb_heap *h, int c, size_t size)
{
    return refill(h, c) ? take(h, c, size) : NULL;
}

static __attribute__((noinline)) void *alloc_large(struct fsb_heap *h, size_t size, size_t align)
{
    void *p = fallback_alloc(h, size, align);
    if (p != NULL) {
        h->large_allocs++;
        count_alloc(h, size);
    }
    return p;
}

static void *fsb_alloc(struct allocator *a, size_t size, size_t align)
{
    struct fsb_heap *h = heap_of(a);
    if (size == 0 || !alloc_align_ok(align))
        return NULL;
    int c = fsb_class(size, align);
    if (c < 0)
        return alloc_large(h, size, align);
    if (h->lists[c] == NULL)
        return alloc_refilled(h, c, size);
    return take(h, c, size);
}

// Whether the class block at p is on class c's list, walked node by node (a step each).
static __attribute__((noinline)) bool walk_for(struct fsb_heap *h, int c, uintptr_t p)
{
    const struct fsb_node *n = h->lists[c];
    for (size_t i = 0; i < h->counts[c] && n != NULL; i++) {
        h->base.steps++;
        if ((uintptr_t)n == p)
            return true;
        n = (const struct fsb_node *)(n->link ^ FSB_TAG);
    }
    return false;
}

// Puts the class block at p (checked) back on its list.
static int give_back(struct fsb_heap *h, int c, uintptr_t p, size_t size)
{
    push(h, c, p);
    h->small_bytes -= block_of(c);
    h->allocations--;
    h->used -= size;
    return 0;
}

static __attribute__((noinline)) int free_walked(struct fsb_heap *h, int c, uintptr_t p,
                                                 size_t size)
{
    return walk_for(h, c, p) ? E_INVAL : give_back(h, c, p, size);
}

// A class block's free: its checks, then the list walk only when p's first word decodes to a
// plausible link (the block may be on its list already).
static int free_small(struct fsb_heap *h, int c, uintptr_t p, size_t size)
{
    size_t bs = block_of(c);
    if ((p & (bs - 1)) != 0 || !in_blocks(h, p, bs) || h->allocations == h->large_allocs ||
        size > h->used || bs > h->small_bytes)
        return E_INVAL;
    uintptr_t link = ((const struct fsb_node *)p)->link ^ FSB_TAG;
    if (link == 0 || (in_blocks(h, link, bs) && (link & (bs - 1)) == 0))
        return free_walked(h, c, p, size);
    return give_back(h, c, p, size);
}

static __attribute__((noinline)) int free_large(struct fsb_heap *h, void *ptr, size_t size,
                                                size_t align)
{
    if (h->large_allocs == 0 || size > h->used)
        return E_INVAL;
    int rc = fallback_free(h, ptr, size, align);
    if (rc == E_RANGE) // inside the region (checked before) but outside the fallback's blocks
        return E_INVAL;
    if (rc == 0) {
        h->large_allocs--;
        h->allocations--;
        h->used -= size;
    }
    return rc;
}

static int fsb_free(struct allocator *a, void *ptr, size_t size, size_t align)
{
    struct fsb_heap *h = heap_of(a);
    int rc = alloc_free_args(ptr, size, align, region_lo(h), region_hi(h));
    if (rc <= 0)
        return rc;
    int c = fsb_class(size, align);
    if (c < 0)
        return free_large(h, ptr, size, align);
    return free_small(h, c, (uintptr_t)ptr, size);
}

static int fsb_grow(struct allocator *a, size_t extra)
{
    struct fsb_heap *h = heap_of(a);
    unsigned long before = h->fallback.base.steps;
    int rc = alloc_grow(&h->fallback.base, extra);
    h->base.steps += h->fallback.base.steps - before;
    return rc;
}

// The largest s with alloc(s, 1) succeeding: a fallback request if the fallback has a block
// above the largest class, else the largest class that has a block or could get its smallest
// refill (a refill that fits at all fits at that size, where it ends).
static size_t largest_request(const struct fsb_heap *h, size_t fallback_largest)
{
    if (fallback_largest > FSB_MAX_BLOCK)
        return fallback_largest;
    for (int c = FSB_CLASSES - 1; c >= 0; c--) {
        size_t bs = block_of(c);
        if (h->lists[c] != NULL || tlsf_fits(&h->fallback, least_blocks(c) * bs, bs))
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

// Walks class c's list: every node inside the fallback's blocks, aligned to its class, exactly
// counts[c] of them (a longer list or a cycle stops the walk there); and the class's next batch
// in range.
static int check_list(const struct fsb_heap *h, int c, char *msg, size_t cap)
{
    size_t bs = block_of(c), i = 0;
    size_t span = blocks_hi(h) > blocks_lo(h) ? blocks_hi(h) - blocks_lo(h) : 0;
    if (h->batch[c] < least_blocks(c) || h->batch[c] > batch_blocks(c, FSB_BATCH_MAX)) {
        return alloc_check_fail(msg, cap, "fixed_block: class %zu batch of %zu blocks out of range",
                                bs, h->batch[c]);
    }
    for (const struct fsb_node *n = h->lists[c]; n != NULL; i++) {
        uintptr_t p = (uintptr_t)n;
        if (i == h->counts[c] || i > span / bs) {
            return alloc_check_fail(msg, cap,
                                    "fixed_block: class %zu list longer than its count %zu "
                                    "(or a cycle)",
                                    bs, h->counts[c]);
        }
        if (!in_blocks(h, p, bs) || (p & (bs - 1)) != 0) {
            return alloc_check_fail(
                msg, cap,
                "fixed_block: class %zu node %zu at %#lx outside the fallback's blocks "
                "or misaligned",
                bs, i, (unsigned long)p);
        }
        n = (const struct fsb_node *)(n->link ^ FSB_TAG);
    }
    if (i != h->counts[c]) {
        return alloc_check_fail(msg, cap,
                                "fixed_block: class %zu list holds %zu blocks, count says %zu", bs,
                                i, h->counts[c]);
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
    return alloc_check_fail(msg, cap,
                            "fixed_block: %s (used %zu, %zu allocations, %zu large, %zu refills)",
                            why, h->used, h->allocations, h->large_allocs, h->refills);
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
    uintptr_t lo = blocks_lo(h), hi = blocks_hi(h) > lo ? blocks_hi(h) : lo;
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
    for (int c = 0; c < FSB_CLASSES; c++)
        h->batch[c] = batch_blocks(c, FSB_BATCH_FIRST);
    return tlsf_init(&h->fallback, region, size);
}
