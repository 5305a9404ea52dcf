// The two-level segregated fit allocator: bitmaps over segregated free lists, boundary tags.
#include "core/alloc/tlsf.h"
#include "core/alloc/alloc.h"
#include "core/err.h"
#include "core/panic.h"
#include "core/string.h"

_Static_assert(offsetof(struct tlsf_heap, base) == 0, "base must come first");
_Static_assert((TLSF_TAG & (TLSF_GRAIN - 1)) == 0, "the tag must leave the flag bits alone");
_Static_assert(sizeof(size_t) <= TLSF_HEADER, "a header word fits the header");
_Static_assert(TLSF_FL <= 64, "fl_map has 64 bits");
_Static_assert(TLSF_SL <= 32, "sl_map entries have 32 bits");
_Static_assert(4 * (unsigned long long)TLSF_MAX_AREA <= 1ull << (TLSF_FL + 8),
               "search_size's largest, 2 TLSF_MAX_AREA + TLSF_MIN_BLOCK, rounded up to its class "
               "maps below TLSF_FL");
_Static_assert(4 * (unsigned long long)TLSF_MAX_AREA - 1 <= SIZE_MAX,
               "search_size's largest, rounded up to its class, fits in a size_t");

#define F_FREE      1u // this block is free
#define F_PREV_FREE 2u // the block before it is free (its size is in the word before the header)
#define FLAGS       ((size_t)TLSF_GRAIN - 1)
#define SMALL       ((size_t)1 << (TLSF_SL_LOG2 + 4)) // below it: one class per 16 bytes

struct links {
    uintptr_t next, prev; // free blocks of the same class, 0 at either end
};

static struct tlsf_heap *heap_of(struct allocator *a)
{
    return (struct tlsf_heap *)a;
}

static const struct tlsf_heap *cheap_of(const struct allocator *a)
{
    return (const struct tlsf_heap *)a;
}

// ---- blocks ------------------------------------------------------------------------------------

static size_t word(uintptr_t p)
{
    return *(const size_t *)p;
}

static size_t header(uintptr_t b)
{
    return word(b) ^ TLSF_TAG;
}

static size_t size_of(uintptr_t b)
{
    return header(b) & ~FLAGS;
}

static bool is_free(uintptr_t b)
{
    return (header(b) & F_FREE) != 0;
}

static void set_header(uintptr_t b, size_t size, size_t flags)
{
    *(size_t *)b = (size | flags) ^ TLSF_TAG;
}

static void set_flag(uintptr_t b, size_t flag, bool on)
{
    size_t h = header(b);
    set_header(b, h & ~FLAGS, on ? (h & FLAGS) | flag : (h & FLAGS & ~flag));
}

static struct links *links_of(uintptr_t b)
{
    return (struct links *)(b + TLSF_HEADER);
}

// Makes [b, b + size) a free block (whose previous block is in use) and tells the next one.
static void mark_free(uintptr_t b, size_t size)
{
    set_header(b, size, F_FREE);
    *(size_t *)(b + size - sizeof(size_t)) = size;
    set_flag(b + size, F_PREV_FREE, true);
}

// The highest set bit of x (a size, or the 64-bit fl_map): x must not be 0.
static int msb(unsigned long long x)
{
    return (int)(sizeof(unsigned long long) * 8) - 1 - __builtin_clzll(x);
}

// The class of a free block of `size` bytes (a multiple of 16, at least TLSF_MIN_BLOCK, below
// 2^(TLSF_FL + 8)).
static void mapping(size_t size, unsigned *fl, unsigned *sl)
{
    if (size < SMALL) {
        *fl = 0;
        *sl = (unsigned)(size >> 4);
        return;
    }
    int m = msb(size);
    *fl = (unsigned)(m - (TLSF_SL_LOG2 + 4) + 1);
    *sl = (unsigned)(size >> (m - TLSF_SL_LOG2)) & (TLSF_SL - 1);
}

// The request rounded up to the first size of its class, so every block of the class that
// mapping() gives for the result holds at least `size` bytes.
static size_t round_to_class(size_t size)
{
    if (size < SMALL)
        return size;
    size_t step = ((size_t)1 << (msb(size) - TLSF_SL_LOG2)) - 1;
    return (size + step) & ~step;
}

static void insert(struct tlsf_heap *h, uintptr_t b)
{
    unsigned fl, sl;
    mapping(size_of(b), &fl, &sl);
    uintptr_t head = h->lists[fl][sl];
    *links_of(b) = (struct links){.next = head, .prev = 0};
    if (head != 0)
        links_of(head)->prev = b;
    h->lists[fl][sl] = b;
    h->sl_map[fl] |= 1u << sl;
    h->fl_map |= 1ull << fl;
    h->free_bytes += size_of(b);
    h->free_blocks++;
    h->base.steps++;
}

static void unlink_block(struct tlsf_heap *h, uintptr_t b)
{
    unsigned fl, sl;
    mapping(size_of(b), &fl, &sl);
    struct links *l = links_of(b);
    if (l->next != 0)
        links_of(l->next)->prev = l->prev;
    if (l->prev != 0) {
        links_of(l->prev)->next = l->next;
    } else {
        h->lists[fl][sl] = l->next;
        if (l->next == 0) {
            h->sl_map[fl] &= ~(1u << sl);
            if (h->sl_map[fl] == 0)
                h->fl_map &= ~(1ull << fl);
        }
    }
    h->free_bytes -= size_of(b);
    h->free_blocks--;
    h->base.steps++;
}

// A free block of at least `size` bytes (a block size from search_size: rounded up to its class,
// it still maps below TLSF_FL), or 0. Adds its steps to *steps.
static uintptr_t find(const struct tlsf_heap *h, size_t size, unsigned long *steps)
{
    unsigned fl, sl;
    mapping(round_to_class(size), &fl, &sl);
    ++*steps;
    uint32_t sl_bits = h->sl_map[fl] & (~0u << sl);
    if (sl_bits == 0) {
        ++*steps;
        uint64_t fl_bits = h->fl_map & (~0ull << (fl + 1));
        if (fl_bits != 0) {
            fl = (unsigned)__builtin_ctzll(fl_bits);
            sl_bits = h->sl_map[fl];
        }
    }
    if (sl_bits != 0)
        return h->lists[fl][__builtin_ctz(sl_bits)];
    // The rounded class and all above are empty: the request's own class may still hold a block
    // large enough; its first block is the one looked at.
    mapping(size, &fl, &sl);
    ++*steps;
    uintptr_t b = h->lists[fl][sl];
    return b != 0 && size_of(b) >= size ? b : 0;
}

// The block size find() must look for to serve alloc(size, align), or 0 when nothing can.
static size_t search_size(size_t size, size_t align, size_t *need)
{
    *need = tlsf_block_size(size);
    if (*need == 0 || !alloc_align_ok(align) || align > TLSF_MAX_AREA)
        return 0;
    return align <= TLSF_GRAIN ? *need : *need + align + TLSF_MIN_BLOCK;
}

// ---- the interface -----------------------------------------------------------------------------

size_t tlsf_block_size(size_t size)
{
    if (size == 0 || size > TLSF_MAX_AREA - TLSF_HEADER)
        return 0;
    size_t b = (size + TLSF_HEADER + TLSF_GRAIN - 1) & ~(size_t)(TLSF_GRAIN - 1);
    return b < TLSF_MIN_BLOCK ? TLSF_MIN_BLOCK : b;
}

static void count_alloc(struct tlsf_heap *h, size_t size, size_t bsize)
{
    h->allocations++;
    h->used += size;
    h->in_use += bsize;
    alloc_note_peak(h->used, &h->peak_used);
}

static void *tlsf_alloc(struct allocator *a, size_t size, size_t align)
{
    struct tlsf_heap *h = heap_of(a);
    size_t need, want = search_size(size, align, &need);
    uintptr_t b = want == 0 ? 0 : find(h, want, &h->base.steps);
    if (b == 0)
        return NULL;
    unlink_block(h, b);
    size_t bsize = size_of(b), prev_flag = 0;
    if (align > TLSF_GRAIN) {
        // The first aligned spot at least TLSF_MIN_BLOCK past the block's start, unless it is
        // the start: the bytes in front become a free block of their own. (A free block's
        // predecessor is in use, so there is nothing to merge them with.)
        uintptr_t user = (b + TLSF_HEADER + align - 1) & ~(uintptr_t)(align - 1);
        if (user != b + TLSF_HEADER && user - (b + TLSF_HEADER) < TLSF_MIN_BLOCK)
            user += align;
        size_t gap = user - (b + TLSF_HEADER);
        if (gap != 0) {
            mark_free(b, gap);
            insert(h, b);
            b += gap;
            bsize -= gap;
            prev_flag = F_PREV_FREE;
        }
    }
    if (bsize - need >= TLSF_MIN_BLOCK) {
        mark_free(b + need, bsize - need);
        insert(h, b + need);
        bsize = need;
    } else {
        set_flag(b + bsize, F_PREV_FREE, false);
    }
    set_header(b, bsize, prev_flag);
    count_alloc(h, size, bsize);
    return (void *)(b + TLSF_HEADER);
}

bool tlsf_fits(const struct tlsf_heap *h, size_t size, size_t align)
{
    KASSERT(h != NULL);
    size_t need, want = search_size(size, align, &need);
    unsigned long steps = 0;
    return want != 0 && find(h, want, &steps) != 0;
}

// The area holding address p, or NULL.
static const struct tlsf_area *area_of(const struct tlsf_heap *h, uintptr_t p)
{
    for (unsigned i = 0; i < h->nareas; i++) {
        if (p >= h->areas[i].lo && p < h->areas[i].end)
            return &h->areas[i];
    }
    return NULL;
}

// The free block before b (which has F_PREV_FREE), or 0 when its boundary tag does not lead to
// a free block of that size inside the area.
static uintptr_t prev_free_block(const struct tlsf_area *ar, uintptr_t b)
{
    if (b == ar->lo)
        return 0;
    size_t psize = word(b - sizeof(size_t));
    if (psize < TLSF_MIN_BLOCK || (psize & FLAGS) != 0 || psize > b - ar->lo)
        return 0;
    uintptr_t p = b - psize;
    return is_free(p) && size_of(p) == psize ? p : 0;
}

static int tlsf_free(struct allocator *a, void *ptr, size_t size, size_t align)
{
    struct tlsf_heap *h = heap_of(a);
    uintptr_t p = (uintptr_t)ptr;
    const struct tlsf_area *ar = area_of(h, p);
    int rc = alloc_free_args(ptr, size, align, ar ? ar->lo : 0, ar ? ar->end : 0);
    if (rc <= 0)
        return rc;
    if ((p & (TLSF_GRAIN - 1)) != 0)
        return E_INVAL; // before reading p - 8, which may lie before the area or be misaligned
    // p lies in (lo, end) and is 16-aligned while lo is 8 below a multiple of 16, so the header
    // at p - 8 is inside the area; size fits in the area, so need is a block size (not 0).
    uintptr_t b = p - TLSF_HEADER;
    size_t need = tlsf_block_size(size), hdr = header(b), bsize = hdr & ~FLAGS;
    if ((hdr & F_FREE) != 0 || (hdr & ~(size_t)3 & FLAGS) != 0 || bsize < need ||
        bsize - need >= TLSF_MIN_BLOCK || bsize > ar->end - b ||
        (header(b + bsize) & F_PREV_FREE) != 0 || h->allocations == 0 || size > h->used ||
        bsize > h->in_use)
        return E_INVAL;
    uintptr_t prev = 0, next = b + bsize;
    if ((hdr & F_PREV_FREE) != 0 && (prev = prev_free_block(ar, b)) == 0)
        return E_INVAL; // the header claims a free block before it that is not there
    h->allocations--;
    h->used -= size;
    h->in_use -= bsize;
    if (is_free(next)) {
        unlink_block(h, next);
        bsize += size_of(next);
    }
    if (prev != 0) {
        unlink_block(h, prev);
        bsize += size_of(prev);
        b = prev;
    }
    mark_free(b, bsize);
    insert(h, b);
    return 0;
}

// The last header position (8 below a multiple of 16) whose 8 bytes end by raw_end, capped at
// TLSF_MAX_AREA past lo; 0 when there is none at or after lo.
static uintptr_t sentinel_for(uintptr_t lo, uintptr_t raw_end)
{
    if (raw_end < lo + TLSF_HEADER)
        return 0;
    uintptr_t e = ((raw_end - TLSF_HEADER - 8) & ~(uintptr_t)(TLSF_GRAIN - 1)) + 8;
    return e - lo > TLSF_MAX_AREA ? lo + TLSF_MAX_AREA : e;
}

// Moves the area's sentinel up as far as raw_end allows, turning the bytes it passes into free
// space (merged with a free last block). Bytes too few for a block of their own stay pending
// until a later grow.
static void extend(struct tlsf_heap *h, struct tlsf_area *ar)
{
    uintptr_t e = sentinel_for(ar->lo, ar->raw_end);
    if (e == 0)
        return;
    if (ar->end == 0) {
        set_header(ar->lo, 0, 0);
        ar->end = ar->lo;
    }
    if (e <= ar->end)
        return;
    uintptr_t b = ar->end;
    size_t bsize = e - ar->end;
    if ((header(b) & F_PREV_FREE) != 0) {
        b = b - word(b - sizeof(size_t));
        unlink_block(h, b);
        bsize += size_of(b);
    } else if (bsize < TLSF_MIN_BLOCK) {
        return;
    }
    set_header(e, 0, 0);
    mark_free(b, bsize);
    insert(h, b);
    ar->end = e;
}

static int tlsf_grow(struct allocator *a, size_t extra)
{
    struct tlsf_heap *h = heap_of(a);
    struct tlsf_area *ar = &h->areas[0];
    if (extra > UINTPTR_MAX - ar->raw_end)
        return E_RANGE;
    if (extra == 0) // a no-op (alloc.h), even with pending bytes a free last block could now take
        return 0;
    ar->raw_end += extra;
    h->region_size += extra;
    extend(h, ar);
    return 0;
}

static void tlsf_stats(const struct allocator *a, struct alloc_stats *out)
{
    const struct tlsf_heap *h = cheap_of(a);
    // alloc(s, 1) succeeds only if some list's first block holds s's block size: the rounded
    // search takes the first block of a class whose every block does, the look at s's own class
    // its first block if that one does. The largest such block is the first of the highest
    // non-empty class (every block of a lower class is smaller), and a request for all of it
    // succeeds: the rounded search finds that class, or none, and then the look at the request's
    // own class, that one, finds the block. The largest s is its size less its header.
    size_t largest = 0;
    if (h->fl_map != 0) {
        unsigned fl = (unsigned)msb(h->fl_map), sl = (unsigned)msb(h->sl_map[fl]);
        largest = size_of(h->lists[fl][sl]) - TLSF_HEADER;
    }
    *out = (struct alloc_stats){
        .used = h->used,
        .free = h->free_bytes - h->free_blocks * TLSF_HEADER,
        .peak_used = h->peak_used,
        .largest_free = largest,
        .allocations = h->allocations,
        .region_size = h->region_size,
    };
}

// ---- check -------------------------------------------------------------------------------------

// Whether [p, p + len) lies inside the blocks of one of the heap's areas (before its sentinel) and
// p is a header position (8 below a multiple of 16), so that its words can be read.
static bool inside(const struct tlsf_heap *h, uintptr_t p, size_t len)
{
    if ((p & (TLSF_GRAIN - 1)) != 8)
        return false;
    for (unsigned i = 0; i < h->nareas; i++) {
        struct tlsf_area ar = h->areas[i]; // an area without a block yet has end 0 or lo
        if (p >= ar.lo && p < ar.end && len <= ar.end - p)
            return true;
    }
    return false;
}

struct walk {
    size_t free_blocks, free_bytes, used_blocks, used_bytes;
};

// Walks one area block by block: sizes, flags, boundary tags, no two free neighbours, and each
// free block's links agree with its neighbours on its list.
static int check_area(const struct tlsf_heap *h, const struct tlsf_area *ar, unsigned i,
                      struct walk *w, char *msg, size_t cap)
{
    if ((ar->lo & (TLSF_GRAIN - 1)) != 8 || ar->raw_end < ar->start ||
        (ar->end != 0 &&
         (ar->end < ar->lo || (ar->end & (TLSF_GRAIN - 1)) != 8 || ar->end + 8 > ar->raw_end)))
        return alloc_check_fail(
            msg, cap, "tlsf: area %u has bad bounds lo %#lx end %#lx raw_end %#lx", i,
            (unsigned long)ar->lo, (unsigned long)ar->end, (unsigned long)ar->raw_end);
    if (ar->end == 0)
        return 0;
    bool prev_free = false;
    uintptr_t b = ar->lo;
    for (; b < ar->end; b += size_of(b)) {
        size_t hdr = header(b), bsize = hdr & ~FLAGS;
        if ((hdr & ~(size_t)3 & FLAGS) != 0 || bsize < TLSF_MIN_BLOCK || bsize > ar->end - b)
            return alloc_check_fail(msg, cap, "tlsf: block at %#lx has a bad header %#zx",
                                    (unsigned long)b, hdr);
        if (((hdr & F_PREV_FREE) != 0) != prev_free)
            return alloc_check_fail(msg, cap, "tlsf: block at %#lx says the block before is %s",
                                    (unsigned long)b, prev_free ? "in use" : "free");
        if ((hdr & F_FREE) == 0) {
            prev_free = false;
            w->used_blocks++;
            w->used_bytes += bsize;
            continue;
        }
        if (prev_free)
            return alloc_check_fail(msg, cap, "tlsf: free block at %#lx follows a free block",
                                    (unsigned long)b);
        if (word(b + bsize - sizeof(size_t)) != bsize)
            return alloc_check_fail(msg, cap,
                                    "tlsf: free block at %#lx has boundary tag %zu, not %zu",
                                    (unsigned long)b, word(b + bsize - sizeof(size_t)), bsize);
        const struct links *l = links_of(b);
        unsigned fl, sl;
        mapping(bsize, &fl, &sl);
        if (l->prev == 0 ? h->lists[fl][sl] != b
                         : !inside(h, l->prev, TLSF_MIN_BLOCK) || links_of(l->prev)->next != b)
            return alloc_check_fail(msg, cap,
                                    "tlsf: free block at %#lx is not linked from its list (%u, %u)",
                                    (unsigned long)b, fl, sl);
        if (l->next != 0 && (!inside(h, l->next, TLSF_MIN_BLOCK) || links_of(l->next)->prev != b))
            return alloc_check_fail(
                msg, cap, "tlsf: free block at %#lx links to %#lx, which does not link back",
                (unsigned long)b, (unsigned long)l->next);
        prev_free = true;
        w->free_blocks++;
        w->free_bytes += bsize;
    }
    // Each size was checked to stay within end - b: the walk ends at end itself.
    if ((header(ar->end) & ~(size_t)F_PREV_FREE) != 0 ||
        ((header(ar->end) & F_PREV_FREE) != 0) != prev_free)
        return alloc_check_fail(msg, cap, "tlsf: area %u does not end in its sentinel at %#lx", i,
                                (unsigned long)ar->end);
    return 0;
}

// List (fl, sl), whose bitmap bit is set: not empty, and every member a free block of the class
// whose prev link is the member before it. Counts the members into *members, and stops past
// free_blocks of them (so a cycle ends).
static int check_list(const struct tlsf_heap *h, unsigned fl, unsigned sl, size_t free_blocks,
                      size_t *members, char *msg, size_t cap)
{
    uintptr_t b = h->lists[fl][sl], before = 0;
    if (b == 0)
        return alloc_check_fail(msg, cap, "tlsf: bitmap bit (%u, %u) disagrees with its list", fl,
                                sl);
    for (; b != 0; before = b, b = links_of(b)->next) {
        unsigned f, s;
        if (++*members > free_blocks || !inside(h, b, TLSF_MIN_BLOCK) || !is_free(b) ||
            size_of(b) < TLSF_MIN_BLOCK || links_of(b)->prev != before)
            return alloc_check_fail(msg, cap,
                                    "tlsf: list (%u, %u) holds %#lx, not one of its blocks", fl, sl,
                                    (unsigned long)b);
        mapping(size_of(b), &f, &s);
        if (f != fl || s != sl)
            return alloc_check_fail(msg, cap,
                                    "tlsf: block at %#lx of %zu bytes is on list (%u, %u)",
                                    (unsigned long)b, size_of(b), fl, sl);
    }
    return 0;
}

// First level fl: its fl_map bit against its bitmap, then its lists in order, each one whose bit
// is clear empty, each one whose bit is set walked by check_list. The empty ones' heads are
// compared with zeros a run at a time: check() reads all TLSF_FL * TLSF_SL heads on every call,
// most of them empty, and testing them one by one took most of its time (nearly all of it under
// a fuzzer's instrumentation).
static int check_level(const struct tlsf_heap *h, unsigned fl, size_t free_blocks, size_t *members,
                       char *msg, size_t cap)
{
    static const uintptr_t empty[TLSF_SL];
    uint32_t map = h->sl_map[fl];
    if (((h->fl_map >> fl) & 1) != (map != 0))
        return alloc_check_fail(msg, cap,
                                "tlsf: first-level bit %u disagrees with its second level", fl);
    for (unsigned sl = 0;; map &= map - 1) { // sl: the first list not looked at yet
        unsigned next = map == 0 ? TLSF_SL : (unsigned)__builtin_ctz(map); // the next one set
        if (memcmp(&h->lists[fl][sl], empty, (next - sl) * sizeof(uintptr_t)) != 0) {
            while (h->lists[fl][sl] == 0)
                sl++;
            return alloc_check_fail(msg, cap, "tlsf: bitmap bit (%u, %u) disagrees with its list",
                                    fl, sl);
        }
        if (next == TLSF_SL)
            return 0;
        int rc = check_list(h, fl, next, free_blocks, members, msg, cap);
        if (rc != 0)
            return rc;
        sl = next + 1;
    }
}

// Each list: its bitmap bits, and every member a free block of the list's class; all the lists
// together hold exactly the free blocks the walk found.
static int check_lists(const struct tlsf_heap *h, const struct walk *w, char *msg, size_t cap)
{
    size_t members = 0;
    if ((h->fl_map >> TLSF_FL) != 0)
        return alloc_check_fail(msg, cap, "tlsf: first-level bit set above level %u", TLSF_FL - 1);
    for (unsigned fl = 0; fl < TLSF_FL; fl++) {
        int rc = check_level(h, fl, w->free_blocks, &members, msg, cap);
        if (rc != 0)
            return rc;
    }
    if (members != w->free_blocks)
        return alloc_check_fail(msg, cap,
                                "tlsf: the lists hold %zu blocks, the areas %zu free ones", members,
                                w->free_blocks);
    return 0;
}

static int tlsf_check(const struct allocator *a, char *msg, size_t cap)
{
    const struct tlsf_heap *h = cheap_of(a);
    if (h->nareas == 0 || h->nareas > TLSF_MAX_AREAS)
        return alloc_check_fail(msg, cap, "tlsf: %u areas", h->nareas);
    struct walk w = {0};
    for (unsigned i = 0; i < h->nareas; i++) {
        int rc = check_area(h, &h->areas[i], i, &w, msg, cap);
        if (rc != 0)
            return rc;
    }
    if (w.free_blocks != h->free_blocks || w.free_bytes != h->free_bytes ||
        w.used_bytes != h->in_use || w.used_blocks != h->allocations)
        return alloc_check_fail(
            msg, cap,
            "tlsf: counters say %zu free blocks of %zu bytes, %zu live of %zu; the "
            "areas hold %zu, %zu, %zu, %zu",
            h->free_blocks, h->free_bytes, h->allocations, h->in_use, w.free_blocks, w.free_bytes,
            w.used_blocks, w.used_bytes);
    if (h->used > h->in_use || h->allocations > h->used || h->peak_used < h->used)
        return alloc_check_fail(msg, cap, "tlsf: used %zu, peak %zu and %zu allocations disagree",
                                h->used, h->peak_used, h->allocations);
    int rc = check_lists(h, &w, msg, cap);
    if (rc == 0 && cap > 0)
        msg[0] = '\0';
    return rc;
}

// Each list's blocks, first level by first level; a block is trusted when it lies inside an area,
// is marked free and has a size of its list's class. At most free_blocks of them are read, so
// the walk ends on a cycle too.
static int tlsf_walk_free(const struct allocator *a,
                          void (*fn)(void *ctx, uintptr_t start, size_t size), void *ctx)
{
    const struct tlsf_heap *h = cheap_of(a);
    size_t seen = 0;
    for (unsigned fl = 0; fl < TLSF_FL; fl++) {
        for (unsigned sl = 0; sl < TLSF_SL; sl++) {
            for (uintptr_t b = h->lists[fl][sl]; b != 0; b = links_of(b)->next) {
                unsigned f, s;
                if (++seen > h->free_blocks || !inside(h, b, TLSF_MIN_BLOCK) || !is_free(b) ||
                    size_of(b) < TLSF_MIN_BLOCK || !inside(h, b, size_of(b)))
                    return E_FORMAT;
                mapping(size_of(b), &f, &s);
                if (f != fl || s != sl)
                    return E_FORMAT;
                fn(ctx, b + TLSF_HEADER, size_of(b) - TLSF_HEADER);
            }
        }
    }
    return 0;
}

// ---- set-up ------------------------------------------------------------------------------------

// The area over [start, start + size): its first header 8 below a multiple of 16.
static struct tlsf_area area_over(uintptr_t start, size_t size)
{
    uintptr_t lo = ((start + TLSF_HEADER + TLSF_GRAIN - 1) & ~(uintptr_t)(TLSF_GRAIN - 1)) - 8;
    return (struct tlsf_area){.start = start, .lo = lo, .end = 0, .raw_end = start + size};
}

int tlsf_add_area(struct tlsf_heap *h, void *mem, size_t size)
{
    KASSERT(h != NULL);
    uintptr_t start = (uintptr_t)mem;
    if (mem == NULL)
        return E_INVAL;
    if (start > UINTPTR_MAX - TLSF_GRAIN - TLSF_HEADER || size > UINTPTR_MAX - start)
        return E_RANGE;
    for (unsigned i = 0; i < h->nareas; i++) {
        if (start < h->areas[i].raw_end && start + size > h->areas[i].start)
            return E_EXIST;
    }
    if (h->nareas == TLSF_MAX_AREAS)
        return E_TOOBIG;
    struct tlsf_area *ar = &h->areas[h->nareas++];
    *ar = area_over(start, size);
    h->region_size += size;
    extend(h, ar);
    return 0;
}

int tlsf_init(struct tlsf_heap *h, void *region, size_t size)
{
    KASSERT(h != NULL);
    KASSERT(region != NULL);
    uintptr_t start = (uintptr_t)region;
    KASSERT(start <= UINTPTR_MAX - TLSF_GRAIN - TLSF_HEADER && size <= UINTPTR_MAX - start);
    *h = (struct tlsf_heap){
        .base = {.name = "tlsf",
                 .alloc = tlsf_alloc,
                 .free = tlsf_free,
                 .grow = tlsf_grow,
                 .stats = tlsf_stats,
                 .check = tlsf_check,
                 .walk_free = tlsf_walk_free},
    };
    tlsf_add_area(h, region, size); // 0: h has no area yet, and region was checked above
    return 0;
}
