// libFuzzer target for core/alloc/tlsf.c through the shared driver (test/fuzz/fuzz_alloc.h), with
// tlsf_add_area as the design's own operation: areas of up to 4 KiB at any offset, in slots of a
// buffer of their own (poisoned but for the areas), and its bad calls (E_INVAL, E_RANGE, E_EXIST,
// E_TOOBIG, nothing changed). Live blocks are poisoned over the bytes of their block past the
// header. Every alloc, free, grow and add_area must take at most TLSF_MAX_STEPS steps. Bad frees:
// the ones tlsf.h lists as detected (a pointer off 16, a size beyond the 16-byte slack, a pointer
// into the middle of a live block where its bytes do not decode as a header, a pointer into free
// memory, a double free unless the header now lies in a live block), and E_RANGE between areas.
// At the end: every area one free block of its whole span, each allocatable at once.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/alloc/tlsf.h"
#include "test/fuzz/fuzz_alloc.h"

#define XA_SLOT  8192u // an added area: in its slot from XA_FRONT + 0..15, up to 4096 bytes
#define XA_FRONT 256u
#define XA_SLOTS (TLSF_MAX_AREAS - 1)

static struct tlsf_heap heap;
static _Alignas(4096) uint8_t xa_buf[XA_SLOTS * XA_SLOT];
static unsigned long last_steps; // the step counter at the last verify

static struct allocator *init(void *region, size_t size)
{
    FA_CHECK(tlsf_init(&heap, region, size) == 0, "tlsf_init");
    ASAN_UNPOISON_MEMORY_REGION(xa_buf, sizeof(xa_buf));
    memset(xa_buf, FA_FILL, sizeof(xa_buf));
    ASAN_POISON_MEMORY_REGION(xa_buf, sizeof(xa_buf));
    last_steps = heap.base.steps;
    return &heap.base;
}

static size_t extent(size_t size, size_t align)
{
    return tlsf_block_size(size) - TLSF_HEADER;
}

static bool span(uintptr_t p, uintptr_t *lo, uintptr_t *hi)
{
    for (unsigned i = 0; i < heap.nareas; i++) {
        const struct tlsf_area *ar = &heap.areas[i];
        *lo = ar->lo;
        *hi = ar->end > ar->lo ? ar->end : ar->lo;
        if (p == 0 || (p >= *lo && p < *hi))
            return true;
    }
    return false;
}

static size_t block_size_at(const void *p)
{
    return (*(const size_t *)((uintptr_t)p - TLSF_HEADER) ^ TLSF_TAG) & ~(size_t)(TLSF_GRAIN - 1);
}

// Every block is 16-aligned and takes tlsf_block_size bytes, or 16 more when the rest was too
// small to split off.
static void on_alloc(const void *p, size_t size, size_t align)
{
    size_t need = tlsf_block_size(size);
    FA_CHECK(p == NULL || ((uintptr_t)p % TLSF_GRAIN == 0 &&
                           (block_size_at(p) == need || block_size_at(p) == need + TLSF_GRAIN)),
             "alloc(%zu, %zu) = %p: a block of %zu bytes", size, align, p,
             p != NULL ? block_size_at(p) : 0);
}

static void verify(void)
{
    FA_CHECK(heap.base.steps - last_steps <= TLSF_MAX_STEPS, "a call took %lu steps",
             heap.base.steps - last_steps);
    last_steps = heap.base.steps;
}

// ---- add_area ----------------------------------------------------------------------------------

static int add_area(uintptr_t mem, size_t size, int expect)
{
    fa_snapshot();
    int rc = tlsf_add_area(&heap, (void *)mem, size);
    FA_CHECK(rc == expect, "tlsf_add_area(%#lx, %zu) = %d, expected %d", (unsigned long)mem, size,
             rc, expect);
    if (rc != 0)
        fa_unchanged("a bad add_area");
    return rc;
}

// Op 15: sel (then two bytes): 4 a NULL area, 5 one that wraps, 6 one overlapping an area, else
// an area of (b1 << 4 | b2 >> 4) % 4097 bytes at XA_FRONT + b2 % 16 in the next slot (when the
// heap has TLSF_MAX_AREAS: E_TOOBIG for one in front of slot 0's).
static void op(struct fa_in *in)
{
    uint8_t sel = fa_byte(in) % 8, b1 = fa_byte(in), b2 = fa_byte(in);
    unsigned added = heap.nareas - 1;
    if (sel == 4) {
        add_area(0, b1, E_INVAL);
    } else if (sel == 5) {
        add_area(UINTPTR_MAX - b1, b1 + 1u + b2, E_RANGE);
    } else if (sel == 6) {
        const struct tlsf_area *ar = &heap.areas[b1 % heap.nareas];
        size_t len = ar->raw_end - ar->start;
        if (len == 0 || heap.nareas == TLSF_MAX_AREAS)
            return; // both E_EXIST and E_TOOBIG would be right: tlsf.h does not order them
        add_area(ar->start + b2 % len, 1u + b1, E_EXIST);
    } else {
        size_t size = ((size_t)b1 << 4 | b2 >> 4) % 4097;
        if (added == XA_SLOTS) { // in front of slot 0's area, overlapping none
            add_area((uintptr_t)xa_buf + 16, size % (XA_FRONT - 16), E_TOOBIG);
            return;
        }
        uintptr_t mem = (uintptr_t)xa_buf + added * XA_SLOT + XA_FRONT + b2 % 16;
        ASAN_UNPOISON_MEMORY_REGION((void *)mem, size);
        add_area(mem, size, 0);
        fa.region_size += size;
    }
}

// ---- bad frees ---------------------------------------------------------------------------------

// Whether the word a pointer 16-aligned into block b's pattern finds in front of it (its bytes
// as the model wrote them) decodes as a used header of a size the heap could hold: tlsf.h does
// not promise to see such a free.
static bool looks_like_a_header(const struct fa_block *b, size_t at)
{
    size_t w;
    memcpy(&w, fa_ref + (b->tag * 2654435761u) % 4096 + at, sizeof(w));
    w ^= TLSF_TAG;
    return (w & 13) == 0 && (w & ~(size_t)15) <= sizeof(fa_buf);
}

// The live block whose block (header to end) holds address q, or NULL.
static const struct fa_block *block_holding(uintptr_t q)
{
    for (size_t i = 0; i < fa.live; i++) {
        uintptr_t p = (uintptr_t)fa.blocks[i].p;
        if (q + TLSF_HEADER >= p && q < p - TLSF_HEADER + block_size_at(fa.blocks[i].p))
            return &fa.blocks[i];
    }
    return NULL;
}

static int bad_free(struct fa_in *in, struct fa_call *c)
{
    uint8_t sel = fa_byte(in) % 5, k = fa_byte(in), k2 = fa_byte(in);
    uintptr_t lo, hi;
    if (sel == 3) { // a pointer into free memory of an area
        const struct tlsf_area *ar = &heap.areas[k % heap.nareas];
        if (ar->end <= ar->lo)
            return FA_SKIP;
        uintptr_t q = ar->lo + 8 + ((size_t)k2 << 4) % (ar->end - ar->lo);
        if (q >= ar->end || block_holding(q - TLSF_HEADER) != NULL)
            return FA_SKIP;
        *c = (struct fa_call){(void *)q, 1 + k % 8, 1};
        return c->size > ar->end - q ? E_RANGE : E_INVAL;
    }
    if (sel == 4) { // between areas: in front of a slot's area, or behind it
        uintptr_t slot = (uintptr_t)xa_buf + (k % XA_SLOTS) * XA_SLOT;
        uintptr_t q = k2 < 128 ? slot + 16u * (k2 % 16) : slot + XA_FRONT + 4112 + 16u * (k2 % 128);
        *c = (struct fa_call){(void *)q, 16, 16};
        return E_RANGE;
    }
    const struct fa_block *b = fa_live_block(k);
    if (b == NULL)
        return FA_SKIP;
    uintptr_t p = (uintptr_t)b->p;
    size_t bsize = block_size_at(b->p);
    span(p, &lo, &hi);
    if (sel == 0) { // a pointer off 16, down to the block's own header
        *c = (struct fa_call){(void *)(p - 8 + k2 % 16 + (k2 % 16 >= 8)), 1, 1};
        return E_INVAL;
    }
    if (sel == 1) { // a size whose block is larger, or 32 or more smaller
        if (k2 % 2 != 0 && bsize < TLSF_MIN_BLOCK + 32) // no block is under TLSF_MIN_BLOCK
            return FA_SKIP;
        size_t size = k2 % 2 == 0 ? bsize - TLSF_HEADER + 1 + k2 : bsize - 40 - k2 % 8;
        *c = (struct fa_call){b->p, size, b->align};
        return size > hi - p ? E_RANGE : E_INVAL;
    }
    // A pointer 16-aligned into the block's pattern, its header word inside the pattern too.
    size_t at = 16u * (1 + k2 % 16);
    if (at + TLSF_HEADER > b->size + TLSF_HEADER || looks_like_a_header(b, at - TLSF_HEADER))
        return FA_SKIP;
    *c = (struct fa_call){b->p + at, 1, 1};
    return E_INVAL;
}

// A freed block's pointer freed again: E_INVAL, unless its header position now lies inside a
// live block (the 16 bytes a block may have past what its request needs): tlsf.h does not
// promise to see a header there.
static int ghost_expect(const struct fa_block *g)
{
    return block_holding((uintptr_t)g->p - TLSF_HEADER) != NULL ? FA_SKIP : E_INVAL;
}

// ---- the end -----------------------------------------------------------------------------------

// Nothing live: each area with room for a block is one free block of its whole span, and stats
// say so; the largest_free of each state is taken until nothing is left, one area's block each
// time, and all is freed again. The bytes around each added area still hold the fill.
static void finish(void)
{
    size_t want = 0, areas = 0;
    for (unsigned i = 0; i < heap.nareas; i++) {
        const struct tlsf_area *ar = &heap.areas[i];
        size_t whole = ar->end > ar->lo ? ar->end - ar->lo : 0;
        if (whole < TLSF_MIN_BLOCK)
            continue;
        size_t h = *(const size_t *)ar->lo ^ TLSF_TAG;
        FA_CHECK(h == (whole | 1), "after freeing all, area %u is not one free block of %zu", i,
                 whole);
        want += whole - TLSF_HEADER;
        areas++;
    }
    struct alloc_stats st = fa_stats();
    FA_CHECK(st.free == want, "after freeing all: free %zu, expected %zu", st.free, want);
    for (size_t n = 0; n < areas; n++) {
        size_t largest = fa_stats().largest_free;
        FA_CHECK(largest > 0 && fa_alloc(largest, 1) >= 0, "area %zu of %zu: largest_free %zu",
                 n + 1, areas, largest);
    }
    FA_CHECK(fa_stats().largest_free == 0 && fa_stats().free == 0, "something left");
    while (fa.live > 0)
        fa_free(fa.live - 1);
    ASAN_UNPOISON_MEMORY_REGION(xa_buf, sizeof(xa_buf));
    for (unsigned i = 1; i < heap.nareas; i++) {
        const struct tlsf_area *ar = &heap.areas[i];
        for (uintptr_t p = ar->start - 16; p < ar->start; p++)
            FA_CHECK(*(uint8_t *)p == FA_FILL, "area %u: written before its start", i);
        for (uintptr_t p = ar->raw_end; p < ar->raw_end + 16; p++)
            FA_CHECK(*(uint8_t *)p == FA_FILL, "area %u: written past its end", i);
    }
    last_steps = heap.base.steps;
}

static const struct fa_design design = {
    .init = init,
    .state = &heap.fl_map, // all but base, whose step counter a failed search moves
    .state_size = sizeof(heap) - offsetof(struct tlsf_heap, fl_map),
    .grain = TLSF_GRAIN,
    .exact_largest = true,
    .poison = true,
    .bad_free_reads_live = true, // a stale header's tag may lead a bad free into a live block
    .extent = extent,
    .on_alloc = on_alloc,
    .verify = verify,
    .bad_free = bad_free,
    .ghost_expect = ghost_expect,
    .finish = finish,
    .span = span,
    .op = op,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fa_run(&design, data, size);
}
