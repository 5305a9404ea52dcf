// Adversarial heap states for counting an allocator design's steps (struct allocator's `steps`:
// list nodes visited, blocks put on or taken off a list, bitmap searches), shared by the unit test
// that asserts TLSF's bound (test_alloc_steps.c) and the benchmark that prints every design's
// counts beside each other (test/bench/bench_alloc.c). Plain C over the allocator interface, no
// test framework: each builder returns false when the heap misbehaved (an alloc that must succeed
// failed, a free was refused), with the reason in steps_why.
//
// The states:
//   holes  thousands of free holes of every size class up to STEPS_MAX_HOLE bytes, each between
//          two live separators, and one large free block at the end (the heap's tail);
//   grown  a heap started at 4 KiB and grown STEPS_GROWS times by 4..64 KiB, each time filled
//          with blocks of random sizes of which every third frees the one before it, so holes
//          are spread over every grown piece.
// In each state the probe runs, for each probe size (one per size class and a few beyond: every
// hole too small for it, so the search must go up a level or fail over to the tail), an alloc at
// alignment 1 and at 4096 and the free of each, and a free that merges with both neighbours; it
// records the most steps any one call took. Header-only; every function is static.
#pragma once

#include "core/alloc/alloc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define STEPS_MAX_HOLE 16384u
#define STEPS_ROUNDS   16u   // holes of each size
#define STEPS_GROWS    1000u // grows of the grown state
#define STEPS_SLOTS    65536u
#define STEPS          static __attribute__((unused))

struct steps_max {
    unsigned long alloc, free, grow; // the most steps one call took
    size_t holes;                    // free holes the state had when probed
};

static char steps_why[160];
static void *steps_ptr[STEPS_SLOTS];
static size_t steps_size[STEPS_SLOTS];

STEPS void steps_note(unsigned long before, unsigned long after, unsigned long *max)
{
    if (after - before > *max)
        *max = after - before;
}

STEPS void *steps_alloc(struct allocator *a, size_t size, size_t align, struct steps_max *m)
{
    unsigned long before = a->steps;
    void *p = alloc_alloc(a, size, align);
    steps_note(before, a->steps, &m->alloc);
    return p;
}

STEPS bool steps_free(struct allocator *a, void *p, size_t size, size_t align, struct steps_max *m)
{
    unsigned long before = a->steps;
    int rc = alloc_free(a, p, size, align);
    steps_note(before, a->steps, &m->free);
    if (rc != 0)
        snprintf(steps_why, sizeof(steps_why), "%s: free(%p, %zu, %zu) = %d", a->name, p, size,
                 align, rc);
    return rc == 0;
}

// The i-th probe size: 24 and then every 16 bytes up to 512, then 32 per power of two (one per
// TLSF class) up to STEPS_MAX_HOLE, then a few sizes past every hole. 0 after the last.
STEPS size_t steps_probe_size(unsigned i)
{
    if (i < 31)
        return 24 + 16 * (size_t)i; // 24 .. 504
    i -= 31;
    for (size_t pow = 512; pow < STEPS_MAX_HOLE; pow *= 2, i -= 32) {
        if (i < 32)
            return pow + (pow / 32) * i + 8;
    }
    return i < 4 ? STEPS_MAX_HOLE * ((size_t)i + 2) : 0;
}

// Allocs and frees every probe size at alignment 1 and 4096, then frees the separator between two
// holes so that it merges with both. The state's blocks in steps_ptr[0..n) (sizes in steps_size)
// are left as they were, but for that separator.
STEPS bool steps_probe(struct allocator *a, struct steps_max *m, size_t sep)
{
    size_t size;
    for (unsigned i = 0; (size = steps_probe_size(i)) != 0; i++) {
        for (size_t align = 1; align <= 4096; align *= 4096) {
            void *p = steps_alloc(a, size, align, m);
            if (p != NULL && !steps_free(a, p, size, align, m))
                return false;
        }
    }
    return sep == SIZE_MAX || steps_free(a, steps_ptr[sep], steps_size[sep], 1, m);
}

// The holes state in a heap over a region of at least 16 MiB, then the probe.
STEPS bool steps_holes(struct allocator *a, struct steps_max *m)
{
    size_t n = 0, size;
    for (unsigned r = 0; r < STEPS_ROUNDS; r++) {
        for (unsigned i = 0; (size = steps_probe_size(i)) != 0 && size <= STEPS_MAX_HOLE; i++) {
            for (unsigned k = 0; k < 2; k++, n++) { // the hole, then its separator
                steps_size[n] = k == 0 ? size : 8;
                steps_ptr[n] = steps_alloc(a, steps_size[n], 1, m);
                if (steps_ptr[n] == NULL || n + 2 >= STEPS_SLOTS) {
                    snprintf(steps_why, sizeof(steps_why), "%s: alloc %zu of the holes failed",
                             a->name, n);
                    return false;
                }
            }
        }
    }
    for (size_t i = 0; i < n; i += 2) {
        if (!steps_free(a, steps_ptr[i], steps_size[i], 1, m))
            return false;
        m->holes++;
    }
    // The separator between the middle two holes merges with both when freed.
    return steps_probe(a, m, (n / 4) * 2 + 1);
}

// The grown state: a heap over 4 KiB of a region of at least 80 MiB, then the probe. seed picks
// the sizes.
STEPS bool steps_grown(struct allocator *a, struct steps_max *m, uint64_t seed)
{
    size_t n = 0, holes = 0;
    for (unsigned g = 0; g < STEPS_GROWS; g++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        size_t extra = 4096 * (1 + (size_t)(seed >> 60)); // 4..64 KiB
        unsigned long before = a->steps;
        if (alloc_grow(a, extra) != 0) {
            snprintf(steps_why, sizeof(steps_why), "%s: grow %u failed", a->name, g);
            return false;
        }
        steps_note(before, a->steps, &m->grow);
        for (;;) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            size_t size = 8 + (size_t)(seed >> 33) % 3000;
            void *p = steps_alloc(a, size, 1, m);
            if (p == NULL || n == STEPS_SLOTS)
                break;
            steps_ptr[n] = p;
            steps_size[n] = size;
            // Every third block frees the one before it: a hole between two live blocks.
            if (n % 3 == 2) {
                if (!steps_free(a, steps_ptr[n - 1], steps_size[n - 1], 1, m))
                    return false;
                holes++;
            }
            n++;
        }
    }
    m->holes = holes;
    return steps_probe(a, m, SIZE_MAX);
}
