// The shadow model of the allocator fuzz driver (test/fuzz/fuzz_alloc.h): the live blocks with
// their fill patterns, the freed blocks no alloc has taken since ("ghosts"), the design's hooks,
// and the checks run on every answer: alignment, bounds, overlap, patterns, stats(), check(), and
// "nothing changed" (the heap struct byte for byte but its step counters, and stats) after every
// call that must fail.
// A broken check prints what was wrong on stderr and aborts, which libFuzzer reports as a crash.
//
// The heap's buffer outside its region and the extent of every live block are ASan-poisoned
// (when the design asks): a stray write by the allocator crashes at once, in the allocator.
#pragma once

#include <sanitizer/asan_interface.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc/alloc.h"
#include "core/err.h"

#define FA static __attribute__((unused))

#define FA_SKIP      1 // a bad call's answer when the design documents it as undefined: not made
#define FA_MAX_LIVE  256
#define FA_GHOSTS    16
#define FA_GROW_MAX  65536u
#define FA_BUF_SIZE  (4096u + 65536u + FA_GROW_MAX + 64u)
#define FA_FILL      0xa5
#define FA_MIN_CLASS 8u // fixed_block's smallest class: sizes near 8 << c are worth trying
#define FA_STATE_MAX 16384u

struct fa_in {
    const uint8_t *p;
    size_t n;
};

struct fa_block {
    uint8_t *p;
    size_t size, align, ext; // ext: the bytes the heap keeps for it (fa_design.extent)
    uint32_t tag;            // selects its fill pattern
};

struct fa_call {
    void *p;
    size_t size, align;
};

struct fa_design {
    struct allocator *(*init)(void *region, size_t size);
    const void *state; // the heap struct: byte for byte unchanged by every call that must fail
    size_t state_size;
    size_t inner_steps; // offset in state of an embedded heap's `steps` (a fallback's), or 0
    size_t grain;       // 1: the heap uses the region as given; 16: rounded inwards (LL_GRAIN)
    bool exact_largest; // alloc(s, 1) fails exactly when s > largest_free (else: s != it)
    bool poison;        // poison live extents (needs extents in whole 8-byte granules)
    bool bad_free_reads_live; // a bad free may read any live block: all unpoisoned for it
    size_t (*extent)(size_t size, size_t align);
    // Optional hooks. on_alloc sees every answer of a well-formed alloc before the model counts
    // it; bad_free fills a documented bad free and returns its answer (or FA_SKIP); ghost_expect
    // answers a second free of a freed block (NULL: always E_INVAL); finish runs at the end.
    void (*on_alloc)(const void *p, size_t size, size_t align);
    void (*verify)(void);
    int (*bad_free)(struct fa_in *in, struct fa_call *call);
    int (*ghost_expect)(const struct fa_block *g);
    void (*finish)(void);
    // For a design whose span is not the region rounded inwards to grain, or that serves from
    // memory of its own beyond the region: span sets [*lo, *hi) to the span of the area holding
    // p (p 0: the region's), false when p is in none. op is the design's own operation (op 15).
    bool (*span)(uintptr_t p, uintptr_t *lo, uintptr_t *hi);
    void (*op)(struct fa_in *in);
};

static struct fa_model {
    const struct fa_design *d;
    struct allocator *a;
    uintptr_t start, end; // the region as given; end moves with each grow
    size_t used, peak, region_size, grown, live, nghost;
    uint32_t next_tag;
    struct fa_block blocks[FA_MAX_LIVE + 8]; // the end's class refills may pass FA_MAX_LIVE
    struct fa_block ghosts[FA_GHOSTS];       // freed blocks whose memory no alloc took since
    bool open[FA_MAX_LIVE + 8];              // the live blocks fa_bad_free unpoisoned
} fa;

static _Alignas(4096) uint8_t fa_buf[FA_BUF_SIZE];
static uint8_t fa_ref[FA_BUF_SIZE + 4096]; // pattern source: block tag t copies from its offset
static uint8_t fa_snap[FA_STATE_MAX];
static struct alloc_stats fa_snap_st;

#define FA_CHECK(cond, ...)                                                                        \
    do {                                                                                           \
        if (!(cond))                                                                               \
            fa_fail(__LINE__, #cond, __VA_ARGS__);                                                 \
    } while (0)

__attribute__((noreturn, format(printf, 3, 4))) FA void fa_fail(int line, const char *cond,
                                                                const char *fmt, ...)
{
    fprintf(stderr, "fuzz_alloc %s: line %d: %s: ", fa.a ? fa.a->name : "?", line, cond);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    abort();
}

FA uint8_t fa_byte(struct fa_in *in)
{
    if (in->n == 0)
        return 0;
    in->n--;
    return *in->p++;
}

FA uintptr_t fa_round(uintptr_t x, size_t to)
{
    return (x + to - 1) & ~(uintptr_t)(to - 1);
}

// The span [*lo, *hi) of the design's area holding p (p 0: the region's span, which
// alloc_free_args gets as [lo, hi)); false when p lies in none.
FA bool fa_span(uintptr_t p, uintptr_t *lo, uintptr_t *hi)
{
    if (fa.d->span != NULL)
        return fa.d->span(p, lo, hi);
    *lo = fa_round(fa.start, fa.d->grain);
    *hi = fa.end & ~(uintptr_t)(fa.d->grain - 1);
    *hi = *hi > *lo ? *hi : *lo;
    return p == 0 || (p >= *lo && p < *hi);
}

FA uintptr_t fa_lo(void)
{
    uintptr_t lo, hi;
    fa_span(0, &lo, &hi);
    return lo;
}

FA uintptr_t fa_hi(void)
{
    uintptr_t lo, hi;
    fa_span(0, &lo, &hi);
    return hi;
}

FA struct alloc_stats fa_stats(void)
{
    struct alloc_stats st;
    alloc_stats(fa.a, &st);
    return st;
}

// The live block k selects (k % the number live), or NULL when none is live.
FA const struct fa_block *fa_live_block(uint8_t k)
{
    return fa.live > 0 ? &fa.blocks[k % fa.live] : NULL;
}

FA void fa_poison(const struct fa_block *b, bool on)
{
    if (!fa.d->poison)
        return;
    if (on)
        ASAN_POISON_MEMORY_REGION(b->p, b->ext);
    else
        ASAN_UNPOISON_MEMORY_REGION(b->p, b->ext);
}

// The model and the heap's statistics and invariants agree.
FA void fa_verify(void)
{
    struct alloc_stats st = fa_stats();
    FA_CHECK(st.used == fa.used && st.allocations == fa.live && st.peak_used == fa.peak &&
                 st.region_size == fa.region_size,
             "stats used %zu/%zu live %zu/%zu peak %zu/%zu region %zu/%zu (heap/model)", st.used,
             fa.used, st.allocations, fa.live, st.peak_used, fa.peak, st.region_size,
             fa.region_size);
    FA_CHECK(st.free <= st.region_size && st.largest_free <= st.free, "free %zu largest %zu",
             st.free, st.largest_free);
    char msg[200] = "x";
    int rc = alloc_check(fa.a, msg, sizeof(msg));
    FA_CHECK(rc == 0 && msg[0] == '\0', "check() = %d: %s", rc, msg);
    if (fa.d->verify != NULL)
        fa.d->verify();
}

FA void fa_snapshot(void)
{
    memcpy(fa_snap, fa.d->state, fa.d->state_size);
    fa_snap_st = fa_stats();
}

// Copies the heap's step counters (its own and an embedded one's) into the snapshot: a call that
// fails may still have searched, and the steps it took count.
FA void fa_keep_steps(void)
{
    const uint8_t *state = fa.d->state;
    size_t at[2] = {offsetof(struct allocator, steps), fa.d->inner_steps};
    for (int i = 0; i < 2; i++) {
        if (at[i] != 0)
            memcpy(fa_snap + at[i], state + at[i], sizeof(unsigned long));
    }
}

// A call that had to fail changed nothing (but the step counters).
FA void fa_unchanged(const char *what)
{
    struct alloc_stats st = fa_stats();
    fa_keep_steps();
    FA_CHECK(memcmp(fa_snap, fa.d->state, fa.d->state_size) == 0, "%s changed the heap", what);
    FA_CHECK(memcmp(&st, &fa_snap_st, sizeof(st)) == 0, "%s changed the stats", what);
    fa_verify();
}

FA void fa_add_ghost(const struct fa_block *b)
{
    if (fa.nghost == FA_GHOSTS)
        memmove(&fa.ghosts[0], &fa.ghosts[1], --fa.nghost * sizeof(fa.ghosts[0]));
    fa.ghosts[fa.nghost++] = *b;
}

// The memory [p, p + n) went to a new block: freed blocks in it are no longer free.
FA void fa_drop_ghosts(uintptr_t p, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < fa.nghost; i++) {
        uintptr_t g = (uintptr_t)fa.ghosts[i].p;
        if (g >= p + n || g + fa_round(fa.ghosts[i].ext, 16) <= p)
            fa.ghosts[k++] = fa.ghosts[i];
    }
    fa.nghost = k;
}

// alloc(size, align) through the model; returns the block's index, or -1 for NULL.
FA int fa_alloc(size_t size, size_t align)
{
    FA_CHECK(fa.live < FA_MAX_LIVE + 8, "more than %u live blocks", FA_MAX_LIVE + 8);
    struct alloc_stats st = fa_stats();
    fa_snapshot();
    uint8_t *p = alloc_alloc(fa.a, size, align);
    if (fa.d->on_alloc != NULL)
        fa.d->on_alloc(p, size, align);
    if (align == 1) {
        bool fails_ok = fa.d->exact_largest ? size > st.largest_free : size != st.largest_free;
        FA_CHECK(p != NULL ? size <= st.largest_free : fails_ok, "alloc(%zu, 1) %s, largest %zu",
                 size, p != NULL ? "succeeded" : "failed", st.largest_free);
    }
    if (p == NULL) {
        fa_unchanged("a failed alloc");
        return -1;
    }
    uintptr_t q = (uintptr_t)p, lo, hi;
    size_t ext = fa.d->extent(size, align);
    bool in = fa_span(q, &lo, &hi);
    FA_CHECK(in && q % align == 0 && q >= lo && q <= hi && ext <= hi - q,
             "alloc(%zu, %zu) = %p + %zu: misaligned or outside [%#lx, %#lx)", size, align, p, ext,
             (unsigned long)lo, (unsigned long)hi);
    for (size_t i = 0; i < fa.live; i++) {
        const struct fa_block *b = &fa.blocks[i];
        FA_CHECK(q >= (uintptr_t)b->p + b->ext || (uintptr_t)b->p >= q + ext,
                 "alloc(%zu, %zu) = %p + %zu overlaps the live block %p + %zu", size, align, p, ext,
                 (void *)b->p, b->ext);
    }
    fa_drop_ghosts(q, fa_round(ext, 16));
    struct fa_block *b = &fa.blocks[fa.live];
    *b = (struct fa_block){.p = p, .size = size, .align = align, .ext = ext, .tag = fa.next_tag++};
    memcpy(p, fa_ref + (b->tag * 2654435761u) % 4096, size);
    fa_poison(b, true);
    fa.used += size;
    fa.peak = fa.used > fa.peak ? fa.used : fa.peak;
    return (int)fa.live++;
}

// Frees live block i after checking its pattern; the last block takes its index.
FA void fa_free(size_t i)
{
    struct fa_block b = fa.blocks[i];
    fa_poison(&b, false);
    FA_CHECK(memcmp(b.p, fa_ref + (b.tag * 2654435761u) % 4096, b.size) == 0,
             "block %p + %zu (align %zu) was overwritten while live", (void *)b.p, b.size, b.align);
    int rc = alloc_free(fa.a, b.p, b.size, b.align);
    FA_CHECK(rc == 0, "free(%p, %zu, %zu) = %d", (void *)b.p, b.size, b.align, rc);
    fa.blocks[i] = fa.blocks[--fa.live];
    fa.used -= b.size;
    fa_add_ghost(&b);
}

// A free that must answer `expect` and change nothing. A live block it points into is unpoisoned
// for the call (a design may read the first word of the block it is handed), or every live block
// for a design that says a bad free may read them (writes there still show in their patterns).
FA void fa_bad_free(struct fa_call c, int expect, const char *what)
{
    bool *open = fa.open;
    for (size_t i = 0; i < fa.live; i++) {
        const uint8_t *b = fa.blocks[i].p;
        open[i] = fa.d->bad_free_reads_live ||
                  ((const uint8_t *)c.p >= b && (const uint8_t *)c.p < b + fa.blocks[i].ext);
        if (open[i])
            fa_poison(&fa.blocks[i], false);
    }
    fa_snapshot();
    int rc = alloc_free(fa.a, c.p, c.size, c.align);
    for (size_t i = 0; i < fa.live; i++) {
        if (open[i])
            fa_poison(&fa.blocks[i], true);
    }
    FA_CHECK(rc == expect, "%s: free(%p, %zu, %zu) = %d, expected %d", what, c.p, c.size, c.align,
             rc, expect);
    fa_unchanged(what);
}

// For a design's end check, with nothing live: the span bytes from lo are free as one block;
// stats say so, and alloc(span, 1) takes them all at lo (the block is freed again).
FA void fa_check_whole(uintptr_t lo, size_t span)
{
    struct alloc_stats st = fa_stats();
    FA_CHECK(st.free == span && st.largest_free == span,
             "after freeing all: free %zu largest %zu, expected the span, %zu", st.free,
             st.largest_free, span);
    int i = fa_alloc(span, 1);
    FA_CHECK(i >= 0 && (uintptr_t)fa.blocks[i].p == lo, "alloc(%zu, 1): not the whole span at %#lx",
             span, (unsigned long)lo);
    fa_free((size_t)i);
}
