// Physical frame allocator: a sweep over the memory map's boundaries finds the runs of usable
// frames; two bitmaps (free, managed) over their span keep the state.
#include "core/frame.h"
#include "core/err.h"
#include "core/hw.h"
#include "core/panic.h"

#define WORD_BITS 64u

// What frame_init was given: the regions the sweep walks.
struct layout {
    const struct boot_mmap_entry *map;
    size_t n;
    const struct frame_range *reserved;
    size_t nreserved;
};

// A run of contiguous managed-to-be frames [f0, f1), and where the sweep resumes after it.
struct run {
    uint64_t f0, f1;
    uint64_t resume; // a byte address at which nothing is usable (the run's end)
};

static uint64_t entry_end(const struct boot_mmap_entry *e)
{
    return e->base + e->length;
}

// Whether the byte at p may be managed: some usable entry covers it, no entry of another type,
// no reserved range and not the first MiB.
static bool available_at(const struct layout *l, uint64_t p)
{
    if (p < FRAME_LOW)
        return false;
    bool usable = false;
    for (size_t i = 0; i < l->n; i++) {
        if (p < l->map[i].base || p >= entry_end(&l->map[i]))
            continue;
        if (l->map[i].type != BOOT_MEM_USABLE)
            return false;
        usable = true;
    }
    for (size_t i = 0; usable && i < l->nreserved; i++) {
        if (l->reserved[i].base <= p && p < l->reserved[i].end)
            return false;
    }
    return usable;
}

static void nearer(uint64_t p, uint64_t b, uint64_t *next, bool *found)
{
    if (b > p && (!*found || b < *next)) {
        *next = b;
        *found = true;
    }
}

// The smallest boundary above p, where availability can change; false when there is none (and
// then nothing at or above p is usable).
static bool next_boundary(const struct layout *l, uint64_t p, uint64_t *next)
{
    bool found = false;
    nearer(p, FRAME_LOW, next, &found);
    for (size_t i = 0; i < l->n; i++) {
        nearer(p, l->map[i].base, next, &found);
        nearer(p, entry_end(&l->map[i]), next, &found);
    }
    for (size_t i = 0; i < l->nreserved; i++) {
        nearer(p, l->reserved[i].base, next, &found);
        nearer(p, l->reserved[i].end, next, &found);
    }
    return found;
}

// The whole frames inside the bytes [start, end); false when there is none.
static bool whole_frames(uint64_t start, uint64_t end, uint64_t *f0, uint64_t *f1)
{
    *f0 = (start >> FRAME_SHIFT) + ((start & (FRAME_SIZE - 1)) != 0);
    *f1 = end >> FRAME_SHIFT;
    return *f1 > *f0;
}

// The next run of whole available frames at or above byte address r->resume, in ascending
// order: availability is constant between two boundaries, so the sweep visits only those.
// False when no run is left. One pass over all runs costs O((n + nreserved)^2).
static bool next_run(const struct layout *l, struct run *r)
{
    uint64_t p = r->resume, start = 0;
    bool in_run = false;
    for (;;) {
        bool avail = available_at(l, p);
        if (avail && !in_run) {
            start = p;
            in_run = true;
        } else if (!avail && in_run) {
            in_run = false;
            if (whole_frames(start, p, &r->f0, &r->f1)) {
                r->resume = p;
                return true;
            }
        }
        // The last boundary is an end that no region covers, so no run is open when we stop.
        if (!next_boundary(l, p, &p))
            return false;
    }
}

static bool valid_inputs(const struct layout *l)
{
    if ((l->map == NULL && l->n > 0) || (l->reserved == NULL && l->nreserved > 0))
        return false;
    for (size_t i = 0; i < l->n; i++) {
        if (l->map[i].base + l->map[i].length < l->map[i].base)
            return false;
    }
    for (size_t i = 0; i < l->nreserved; i++) {
        if (l->reserved[i].end < l->reserved[i].base)
            return false;
    }
    return true;
}

// Sets (or clears) bits [from, to) of w, a word at a time.
static void set_bits(uint64_t *w, uint64_t from, uint64_t to, bool value)
{
    while (from < to) {
        uint64_t bit = from % WORD_BITS;
        uint64_t count = to - from < WORD_BITS - bit ? to - from : WORD_BITS - bit;
        uint64_t mask = count == WORD_BITS ? ~0ull : ((1ull << count) - 1) << bit;
        if (value)
            w[from / WORD_BITS] |= mask;
        else
            w[from / WORD_BITS] &= ~mask;
        from += count;
    }
}

// Set bits in x. Not __builtin_popcountll: without -mpopcnt that is a libgcc call, and the kernel
// does not link libgcc.
static uint64_t popcount(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (x * 0x0101010101010101ull) >> 56;
}

static bool test_bit(const uint64_t *w, uint64_t i)
{
    return (w[i / WORD_BITS] >> (i % WORD_BITS)) & 1;
}

// The lowest run that holds `need` frames below limit_frame and is reachable: its first frame in
// *at. E_NOMEM when no run holds them below the limit, E_RANGE when only unreachable ones do
// (bytes beyond a size_t, on a 32-bit machine, are reachable nowhere).
static int place_bitmap(const struct layout *l, uint64_t need, uint64_t bytes, uint64_t limit_frame,
                        uint64_t *at)
{
    int rc = E_NOMEM;
    for (struct run r = {0}; next_run(l, &r);) {
        if (r.f1 - r.f0 < need || r.f0 + need > limit_frame)
            continue;
        if ((size_t)bytes == bytes && hw_phys_to_virt(r.f0 << FRAME_SHIFT, (size_t)bytes) != NULL) {
            *at = r.f0;
            return 0;
        }
        rc = E_RANGE;
    }
    return rc;
}

// Marks every run managed and free, except the bitmaps' own frames; sets the counts.
static void fill_bitmaps(struct frame_allocator *fa, const struct layout *l, uint64_t usable)
{
    for (uint64_t i = 0; i < 2 * fa->words; i++)
        fa->free_bits[i] = 0; // free_bits and managed_bits are adjacent
    for (struct run r = {0}; next_run(l, &r);) {
        set_bits(fa->free_bits, r.f0 - fa->first, r.f1 - fa->first, true);
        set_bits(fa->managed_bits, r.f0 - fa->first, r.f1 - fa->first, true);
    }
    uint64_t b0 = (fa->bitmap_phys >> FRAME_SHIFT) - fa->first;
    set_bits(fa->free_bits, b0, b0 + fa->bitmap_frames, false);
    set_bits(fa->managed_bits, b0, b0 + fa->bitmap_frames, false);
    fa->total = usable - fa->bitmap_frames;
    fa->nfree = fa->total;
    fa->cursor = 0;
}

int frame_init(struct frame_allocator *fa, const struct boot_mmap_entry *map, size_t n,
               const struct frame_range *reserved, size_t nreserved, uint64_t bitmap_limit)
{
    KASSERT(fa != NULL);
    *fa = (struct frame_allocator){0};
    struct layout l = {map, n, reserved, nreserved};
    if (!valid_inputs(&l))
        return E_INVAL;
    uint64_t lo = UINT64_MAX, hi = 0, usable = 0;
    for (struct run r = {0}; next_run(&l, &r);) {
        lo = r.f0 < lo ? r.f0 : lo;
        hi = r.f1 > hi ? r.f1 : hi;
        usable += r.f1 - r.f0;
    }
    if (usable == 0)
        return E_NOMEM;
    uint64_t words = (hi - lo + WORD_BITS - 1) / WORD_BITS;
    uint64_t bytes = 2 * words * sizeof(uint64_t);
    uint64_t need = (bytes + FRAME_SIZE - 1) / FRAME_SIZE, at = 0;
    int rc = place_bitmap(&l, need, bytes, bitmap_limit >> FRAME_SHIFT, &at);
    if (rc != 0)
        return rc;
    if (usable == need)
        return E_NOMEM;
    uint64_t *bits = hw_phys_to_virt(at << FRAME_SHIFT, (size_t)bytes);
    *fa = (struct frame_allocator){
        .bitmap_phys = at << FRAME_SHIFT,
        .bitmap_frames = need,
        .free_bits = bits,
        .managed_bits = bits + words,
        .first = lo,
        .nframes = hi - lo,
        .words = words,
    };
    fill_bitmaps(fa, &l, usable);
    return 0;
}

uint64_t frame_alloc(struct frame_allocator *fa)
{
    KASSERT(fa != NULL);
    if (fa->nfree == 0)
        return 0;
    uint64_t w = fa->cursor;
    for (uint64_t scanned = 0; fa->free_bits[w] == 0; scanned++) {
        if (scanned == fa->words)
            panic("frame_alloc: %llu frames counted free but no free bit",
                  (unsigned long long)fa->nfree);
        w = w + 1 == fa->words ? 0 : w + 1;
    }
    uint64_t bit = (uint64_t)__builtin_ctzll(fa->free_bits[w]);
    fa->free_bits[w] &= ~(1ull << bit);
    fa->nfree--;
    fa->cursor = w;
    return (fa->first + w * WORD_BITS + bit) << FRAME_SHIFT;
}

uint64_t frame_alloc_from(struct frame_allocator *fa, uint64_t min_phys)
{
    KASSERT(fa != NULL);
    uint64_t f = (min_phys >> FRAME_SHIFT) + ((min_phys & (FRAME_SIZE - 1)) != 0);
    uint64_t i = f > fa->first ? f - fa->first : 0; // the first bitmap index to consider
    if (fa->nfree == 0 || i >= fa->nframes)
        return 0;
    uint64_t w = i / WORD_BITS, bits = fa->free_bits[w] & (~0ull << (i % WORD_BITS));
    while (bits == 0) {
        if (++w == fa->words)
            return 0;
        bits = fa->free_bits[w];
    }
    uint64_t bit = (uint64_t)__builtin_ctzll(bits);
    fa->free_bits[w] &= ~(1ull << bit);
    fa->nfree--; // the cursor stays: frame_alloc goes on where it was
    return (fa->first + w * WORD_BITS + bit) << FRAME_SHIFT;
}

// The bitmap index of the frame at phys; false when phys lies outside the span.
static bool index_of(const struct frame_allocator *fa, uint64_t phys, uint64_t *i)
{
    uint64_t f = phys >> FRAME_SHIFT;
    if (f < fa->first || f - fa->first >= fa->nframes)
        return false;
    *i = f - fa->first;
    return true;
}

int frame_free(struct frame_allocator *fa, uint64_t phys)
{
    KASSERT(fa != NULL);
    uint64_t i = 0;
    if (phys & (FRAME_SIZE - 1))
        return E_ALIGN;
    if (!index_of(fa, phys, &i) || !test_bit(fa->managed_bits, i))
        return E_RANGE;
    if (test_bit(fa->free_bits, i))
        return E_INVAL;
    set_bits(fa->free_bits, i, i + 1, true);
    fa->nfree++;
    return 0;
}

bool frame_is_free(const struct frame_allocator *fa, uint64_t phys)
{
    KASSERT(fa != NULL);
    uint64_t i = 0;
    return (phys & (FRAME_SIZE - 1)) == 0 && index_of(fa, phys, &i) && test_bit(fa->free_bits, i);
}

uint64_t frame_total(const struct frame_allocator *fa)
{
    KASSERT(fa != NULL);
    return fa->total;
}

uint64_t frame_free_count(const struct frame_allocator *fa)
{
    KASSERT(fa != NULL);
    return fa->nfree;
}

bool frame_check(const struct frame_allocator *fa)
{
    KASSERT(fa != NULL);
    if (fa->words == 0)
        return fa->total == 0 && fa->nfree == 0 && fa->nframes == 0;
    uint64_t nfree = 0, total = 0;
    for (uint64_t w = 0; w < fa->words; w++) {
        if (fa->free_bits[w] & ~fa->managed_bits[w])
            return false;
        nfree += popcount(fa->free_bits[w]);
        total += popcount(fa->managed_bits[w]);
    }
    uint64_t tail = fa->nframes % WORD_BITS;
    if (tail != 0 && (fa->managed_bits[fa->words - 1] >> tail) != 0)
        return false;
    uint64_t b0 = (fa->bitmap_phys >> FRAME_SHIFT) - fa->first;
    for (uint64_t i = b0; i < b0 + fa->bitmap_frames; i++) {
        if (i < fa->nframes && test_bit(fa->managed_bits, i))
            return false;
    }
    return nfree == fa->nfree && total == fa->total && fa->nfree <= fa->total &&
           fa->cursor < fa->words;
}
