// The walk_free check the allocator tests share (core/alloc/alloc.h): a heap's free spans and its
// live blocks, sorted together, overlap nowhere; every span is non-empty and inside the region;
// and, for the designs whose header says so, the spans add up to stats().free. The shadow model of
// test/unit/alloc_test.h runs it after every operation, so every design's sweeps and random runs
// check it. Header-only; every function is static (and may be unused in one program).
#pragma once

#include "core/alloc/alloc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define AW static __attribute__((unused))

// The most free spans and live blocks one check holds: a 1 MiB arena cut into 8-byte blocks, and
// the live blocks besides.
#define AT_WALK_MAX (1u << 18)

struct at_span {
    uintptr_t start;
    size_t size;
    bool live; // a live block the caller added, not a free span
};

static struct at_span at_walk_spans[AT_WALK_MAX];
static size_t at_walk_n; // at_walk_spans[0..at_walk_n) are set

static void at_walk_collect(void *ctx, uintptr_t start, size_t size)
{
    if (at_walk_n == AT_WALK_MAX)
        fail_msg("walk_free reported more than %u spans", AT_WALK_MAX);
    at_walk_spans[at_walk_n++] = (struct at_span){.start = start, .size = size};
}

// Walks a's free spans into at_walk_spans (in the order walk_free reports them); the walk must
// return 0. Returns how many there are.
AW size_t at_walk(const struct allocator *a)
{
    at_walk_n = 0;
    int rc = alloc_walk_free(a, at_walk_collect, NULL);
    if (rc != 0)
        fail_msg("%s walk_free = %d on a heap check() passes", a->name, rc);
    return at_walk_n;
}

// Adds the live block [p, p + size) to the spans at_walk took, for at_walk_verify.
AW void at_walk_add_live(uintptr_t p, size_t size)
{
    if (at_walk_n == AT_WALK_MAX)
        fail_msg("more than %u spans and live blocks", AT_WALK_MAX);
    at_walk_spans[at_walk_n++] = (struct at_span){.start = p, .size = size, .live = true};
}

// Sorts at_walk_spans[0..at_walk_n) by start, every start in [lo, lo + AT_WALK_REGION): an LSD
// radix sort, three passes of 8 bits, since the shadow model runs this after every operation and
// qsort's indirect calls made the allocator tests several times slower.
#define AT_WALK_REGION (1u << 24)
static void at_walk_sort(uintptr_t lo)
{
    static struct at_span tmp[AT_WALK_MAX];
    size_t count[256];
    struct at_span *from = at_walk_spans, *to = tmp;
    for (unsigned shift = 0; shift < 24; shift += 8) {
        memset(count, 0, sizeof(count));
        for (size_t i = 0; i < at_walk_n; i++)
            count[(from[i].start - lo) >> shift & 0xff]++;
        for (size_t d = 0, sum = 0; d < 256; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < at_walk_n; i++)
            to[count[(from[i].start - lo) >> shift & 0xff]++] = from[i];
        struct at_span *t = from;
        from = to;
        to = t;
    }
    memcpy(at_walk_spans, from, at_walk_n * sizeof(from[0])); // three passes end in tmp
}

// After at_walk and at_walk_add_live for every live block: each free span is non-empty and inside
// [lo, hi); no two spans or blocks overlap; and when free_exact, the free spans add up to
// stats().free. Reorders at_walk_spans. seed is printed with a failure (0 outside random runs).
AW void at_walk_verify(const struct allocator *a, uintptr_t lo, uintptr_t hi, bool free_exact,
                       uint32_t seed)
{
    size_t sum = 0;
    for (size_t i = 0; i < at_walk_n; i++) {
        const struct at_span *s = &at_walk_spans[i];
        if (s->live)
            continue;
        if (s->size == 0 || s->start < lo || s->start >= hi || s->size > hi - s->start)
            fail_msg("seed %u: %s walk_free: span %#lx + %zu empty or outside [%#lx, %#lx)", seed,
                     a->name, (unsigned long)s->start, s->size, (unsigned long)lo,
                     (unsigned long)hi);
        sum += s->size;
    }
    struct alloc_stats st;
    alloc_stats(a, &st);
    if (free_exact && sum != st.free)
        fail_msg("seed %u: %s walk_free: spans add up to %zu, stats say %zu free", seed, a->name,
                 sum, st.free);
    if (hi - lo > AT_WALK_REGION)
        fail_msg("a region of %zu bytes is too large for at_walk_verify", (size_t)(hi - lo));
    at_walk_sort(lo);
    for (size_t i = 1; i < at_walk_n; i++) {
        const struct at_span *p = &at_walk_spans[i - 1], *s = &at_walk_spans[i];
        if (s->start < p->start + p->size)
            fail_msg("seed %u: %s walk_free: %s %#lx + %zu overlaps %s %#lx + %zu", seed, a->name,
                     p->live ? "live block" : "free span", (unsigned long)p->start, p->size,
                     s->live ? "live block" : "free span", (unsigned long)s->start, s->size);
    }
}
