// The heap cases every allocator design runs (simple_allocation, large_vec and many_boxes from the
// series' "Heap Allocation" post, many_boxes_long_lived from its "Allocator Designs" post, plus
// exhaustion), included by the heap_<design>.c scenarios, which boot with
// `alloc=<design> heap_max=100`: a 100 KiB heap that does not grow, as the post's. A scenario that
// includes this defines HEAP_LONG_LIVED_FITS to 1 when its design can reuse freed memory while a
// block stays live, 0 when it cannot (bump): then many_boxes_long_lived must end in a clean NULL
// instead. The scenario includes its machine's heap first: kernel/heap.h on x86_64,
// platform/cortex_m/heap.h on Cortex-M (the firmware's heap, 100 KiB that never grows, with the
// same functions), through cm_heap_cases.h.
#pragma once

#include "core/alloc/alloc.h"
#include "core/string.h"
#include "test/qemu/ktest/ktest.h"

#define HEAP_SIZE HEAP_INITIAL_SIZE

KTEST(heap_uses_the_chosen_design)
{
    KT_ASSERT_STR_EQ(heap_design(), HEAP_DESIGN);
    KT_ASSERT_EQ(heap_limit(), HEAP_SIZE);
}

KTEST(simple_allocation)
{
    uint64_t *a = heap_alloc(sizeof(uint64_t), 8), *b = heap_alloc(sizeof(uint64_t), 8);
    KT_ASSERT(a != NULL && b != NULL);
    *a = 41;
    *b = 13;
    KT_ASSERT_EQ(*a, 41);
    KT_ASSERT_EQ(*b, 13);
    KT_ASSERT_EQ(heap_free(a, 8, 8), 0);
    KT_ASSERT_EQ(heap_free(b, 8, 8), 0);
}

// A vector of 1000 elements grown by doubling (allocate, copy, free the old one).
KTEST(large_vec)
{
    size_t cap = 1, len = 0;
    uint64_t *v = heap_alloc(cap * sizeof(uint64_t), 8);
    KT_ASSERT(v != NULL);
    for (uint64_t i = 0; i < 1000; i++) {
        if (len == cap) {
            uint64_t *bigger = heap_alloc(2 * cap * sizeof(uint64_t), 8);
            KT_ASSERT(bigger != NULL);
            memcpy(bigger, v, len * sizeof(uint64_t));
            KT_ASSERT_EQ(heap_free(v, cap * sizeof(uint64_t), 8), 0);
            v = bigger;
            cap *= 2;
        }
        v[len++] = i;
    }
    uint64_t sum = 0;
    for (size_t i = 0; i < len; i++)
        sum += v[i];
    KT_ASSERT_EQ(sum, 499500);
    KT_ASSERT_EQ(heap_free(v, cap * sizeof(uint64_t), 8), 0);
}

// HEAP_SIZE boxes, each freed at once: only works if freed memory is reused.
KTEST(many_boxes)
{
    for (uint64_t i = 0; i < HEAP_SIZE; i++) {
        uint64_t *box = heap_alloc(sizeof(uint64_t), 8);
        KT_ASSERT(box != NULL);
        *box = i;
        KT_ASSERT_EQ(*box, i);
        KT_ASSERT_EQ(heap_free(box, 8, 8), 0);
    }
}

// The same with one box alive the whole time.
KTEST(many_boxes_long_lived)
{
    uint64_t *long_lived = heap_alloc(sizeof(uint64_t), 8);
    KT_ASSERT(long_lived != NULL);
    *long_lived = 1;
    uint64_t i;
    for (i = 0; i < HEAP_SIZE; i++) {
        uint64_t *box = heap_alloc(sizeof(uint64_t), 8);
        if (box == NULL)
            break;
        *box = i;
        KT_ASSERT_EQ(heap_free(box, 8, 8), 0);
    }
#if HEAP_LONG_LIVED_FITS
    KT_ASSERT_EQ(i, HEAP_SIZE);
#else
    // The design cannot reuse memory while a block lives: it runs out, cleanly, with a NULL.
    KT_ASSERT(i < HEAP_SIZE);
    KT_ASSERT(i > 0);
#endif
    KT_ASSERT_EQ(*long_lived, 1);
    KT_ASSERT_EQ(heap_free(long_lived, 8, 8), 0);
}

// Asking for more than the heap may ever hold returns NULL, and the heap still works after.
KTEST(heap_exhaustion_returns_null)
{
    KT_ASSERT(heap_alloc(HEAP_SIZE + 1, 8) == NULL);
    void *blocks[64];
    size_t n = 0;
    while (n < 64 && (blocks[n] = heap_alloc(4096, 16)) != NULL)
        n++;
    KT_ASSERT(n > 0 && n < 64); // 64 * 4 KiB would be more than the 100 KiB heap
    while (n > 0) {
        n--;
        KT_ASSERT_EQ(heap_free(blocks[n], 4096, 16), 0);
    }
    void *again = heap_alloc(64, 8);
    KT_ASSERT(again != NULL);
    KT_ASSERT_EQ(heap_free(again, 64, 8), 0);
    char msg[128];
    KT_ASSERT_EQ(heap_check(msg, sizeof(msg)), 0);
}
