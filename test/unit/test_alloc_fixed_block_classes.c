// Tests for core/alloc/fixed_block.c's size classes: init, class selection, class blocks aligned
// to their size, refill batches (their sizes, doubling up to the cap), freed blocks going back to
// (and serving only) their class, requests above the classes going to the TLSF fallback, frees
// next to neighbours in both, the steps each of these takes, and the link word a block handed out
// no longer holds.
#include "test/unit/alloc_fixed_block_test.h"

#include <stdint.h>
#include <string.h>

// ---- classes -----------------------------------------------------------------------------------

static void init_makes_empty_classes_over_a_whole_fallback(void **state)
{
    struct allocator *a = make(0, 4096);
    assert_string_equal(a->name, "fixed_block");
    for (int c = 0; c < FSB_CLASSES; c++) {
        assert_null(heap.lists[c]);
        assert_int_equal(heap.counts[c], 0);
    }
    struct alloc_stats st = at_stats(a);
    assert_int_equal(st.free, 4072); // 4080 bytes of blocks, one header
    assert_int_equal(st.largest_free, 4072);
    assert_int_equal(st.region_size, 4096);
    assert_int_equal(heap.batch[0], 31);
    assert_int_equal(heap.batch[3], 4);
    assert_int_equal(heap.batch[8], 1);
    assert_int_equal(a->steps, 0);
    assert_whole(a);
}

static void the_class_is_the_smallest_block_holding_size_and_align(void **state)
{
    assert_int_equal(fsb_class(1, 1), 0);
    assert_int_equal(fsb_class(8, 8), 0);
    assert_int_equal(fsb_class(9, 1), 1);
    assert_int_equal(fsb_class(1, 16), 1);
    assert_int_equal(fsb_class(100, 4), 4);
    assert_int_equal(fsb_class(100, 256), 5);
    assert_int_equal(fsb_class(1024, 1), 7);
    assert_int_equal(fsb_class(2048, 2048), 8);
    assert_int_equal(fsb_class(2049, 1), -1);
    assert_int_equal(fsb_class(1, 4096), -1);
    assert_int_equal(fsb_class(SIZE_MAX, 1), -1);
}

static void a_class_block_is_aligned_to_its_block_size(void **state)
{
    struct allocator *a = make(0, 16384);
    static const size_t sizes[] = {1, 8, 9, 17, 33, 65, 129, 257, 513, 1025, 2048};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        size_t bs = FSB_MIN_BLOCK << fsb_class(sizes[i], 1);
        uintptr_t p = (uintptr_t)at_alloc_ok(a, sizes[i], 1);
        assert_int_equal(p % bs, 0);
    }
}

// The 8-byte class carves odd batches, 31 blocks first: with the fallback's header, 256 bytes.
static void the_8_byte_class_is_refilled_with_an_odd_batch(void **state)
{
    struct allocator *a = make(0, 4096);
    uintptr_t p = (uintptr_t)at_alloc_ok(a, 8, 1);
    assert_int_equal(p - at_base(), 16);
    assert_int_equal(heap.refills, 1);
    assert_int_equal(heap.counts[0], 30);
    assert_int_equal(heap.fallback.in_use, 256);
    uintptr_t q = (uintptr_t)at_alloc_ok(a, 1, 1);
    assert_int_equal(heap.refills, 1);
    assert_int_equal(q, p + 8);
    for (int i = 2; i < 31; i++)
        at_alloc_ok(a, 4, 4);
    assert_int_equal(heap.refills, 1);
    assert_null(heap.lists[0]);
    uintptr_t r = (uintptr_t)at_alloc_ok(a, 8, 8);
    assert_int_equal(r, p + 256); // right after the first batch's block
    assert_int_equal(heap.refills, 2);
    assert_int_equal(heap.counts[0], 62);
    assert_int_equal(heap.fallback.in_use, 256 + 512);
}

// Allocates until class c is refilled `batches` times; each refill must carve want[i] blocks.
static void expect_batches(struct allocator *a, int c, const size_t *want, size_t batches)
{
    size_t bs = (size_t)FSB_MIN_BLOCK << c, carved = 0;
    for (size_t i = 0; i < batches; i++) {
        at_alloc_ok(a, bs, 1);
        assert_int_equal(heap.refills, i + 1);
        assert_int_equal(heap.counts[c], want[i] - 1);
        carved += want[i];
        assert_int_equal(heap.refill_bytes, carved * bs);
        for (size_t k = 1; k < want[i]; k++)
            at_alloc_ok(a, bs, bs);
        assert_int_equal(heap.refills, i + 1);
    }
}

// Each refill carves twice the blocks of the one before, from FSB_BATCH_FIRST bytes up to
// FSB_BATCH_MAX (one block at least).
static void batches_double_up_to_the_cap(void **state)
{
    static const size_t of_8[] = {31, 63, 127, 255, 511, 1023, 1023};
    static const size_t of_64[] = {4, 8, 16, 32, 64, 128, 128};
    static const size_t of_2048[] = {1, 2, 4, 4};
    _Static_assert(FSB_BATCH_FIRST == 256 && FSB_BATCH_MAX == 8192, "the batches below");
    struct allocator *a = make(0, 128 * 1024);
    expect_batches(a, 0, of_8, 7);
    a = make(0, 128 * 1024);
    expect_batches(a, 3, of_64, 7);
    a = make(0, 128 * 1024);
    expect_batches(a, 8, of_2048, 4);
}

static void a_freed_block_goes_back_to_its_class_list(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 50, 1);
    struct alloc_stats before = fallback_stats();
    at_free_ok(a, p, 50, 1);
    struct alloc_stats after = fallback_stats();
    assert_memory_equal(&before, &after, sizeof(before)); // not to the fallback
    assert_ptr_equal(heap.lists[3], p);
    assert_int_equal(heap.counts[3], 4); // and the three the refill carved with it
    assert_int_equal(at_stats(a).free, fallback_stats().free + 4 * 64);
    assert_ptr_equal(at_alloc_ok(a, 64, 64), p); // reused by the same class
    assert_int_equal(heap.refills, 1);
}

static void a_freed_block_serves_only_its_own_class(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 64, 1);
    at_free_ok(a, p, 64, 1);
    void *q = at_alloc_ok(a, 32, 1);
    assert_ptr_not_equal(q, p);
    assert_int_equal(heap.refills, 2);
    void *r = at_alloc_ok(a, 128, 1);
    assert_ptr_not_equal(r, p);
    assert_int_equal(heap.refills, 3);
    assert_int_equal(heap.counts[3], 4);
}

static void requests_above_the_largest_class_go_to_the_fallback(void **state)
{
    struct allocator *a = make(0, 16384);
    void *p = at_alloc_ok(a, FSB_MAX_BLOCK + 1, 1);
    void *q = at_alloc_ok(a, 1, 4096);
    assert_int_equal((uintptr_t)q % 4096, 0);
    assert_int_equal(heap.large_allocs, 2);
    assert_int_equal(heap.refills, 0);
    assert_int_equal(fallback_stats().allocations, 2);
    at_free_ok(a, p, FSB_MAX_BLOCK + 1, 1);
    at_free_ok(a, q, 1, 4096);
    assert_whole(a);
}

// ---- free next to neighbours -------------------------------------------------------------------

static void class_blocks_freed_around_neighbours_stack_on_their_list(void **state)
{
    struct allocator *a = make(0, 4096);
    void *b[3];
    at_alloc_blocks(a, b, 3, 64);
    at_free_ok(a, b[1], 64, 1);          // between live neighbours
    at_free_ok(a, b[0], 64, 1);          // before a free one
    at_free_ok(a, b[2], 64, 1);          // behind a free one
    assert_int_equal(heap.counts[3], 4); // and the batch's fourth
    for (int i = 2; i >= 0; i--)         // most recently freed first
        assert_ptr_equal(at_alloc_ok(a, 64, 1), b[i == 2 ? 2 : i == 1 ? 0 : 1]);
    assert_ptr_equal(at_alloc_ok(a, 64, 1), (unsigned char *)b[2] + 64);
    assert_int_equal(heap.refills, 1);
}

static void large_blocks_freed_around_neighbours_merge_in_the_fallback(void **state)
{
    struct allocator *a = make(0, 32768);
    void *b[4];
    at_alloc_blocks(a, b, 4, 4096);
    at_free_ok(a, b[1], 4096, 1);                   // between live neighbours
    at_free_ok(a, b[0], 4096, 1);                   // before a free block
    at_free_ok(a, b[2], 4096, 1);                   // behind one
    assert_int_equal(heap.fallback.free_blocks, 2); // the three merged, and the tail
    assert_int_equal(heap.fallback.free_bytes, fallback_span() - 4112);
    at_free_ok(a, b[3], 4096, 1); // between free blocks
    assert_whole(a);
}

// ---- steps -------------------------------------------------------------------------------------

static unsigned long steps_of_alloc(struct allocator *a, size_t size, void **p)
{
    unsigned long before = a->steps;
    *p = at_alloc_ok(a, size, 1);
    return a->steps - before;
}

static unsigned long steps_of_free(struct allocator *a, void *p, size_t size)
{
    unsigned long before = a->steps;
    at_free_ok(a, p, size, 1);
    return a->steps - before;
}

// A class alloc or free from a list is one step; a refill one per block carved plus the
// fallback's steps; a large block and a grow the fallback's steps alone; a confirmation walk one
// per node.
static void steps_count_list_operations_and_the_fallbacks(void **state)
{
    struct allocator *a = make(0, 16384);
    void *p, *q, *r;
    unsigned long fb = heap.fallback.base.steps;
    unsigned long refill = steps_of_alloc(a, 64, &p);
    unsigned long fb_refill = heap.fallback.base.steps - fb;
    assert_in_range(fb_refill, 1, TLSF_MAX_STEPS);
    assert_int_equal(refill, 4 + fb_refill + 1); // 4 carved, the fallback's, 1 taken
    assert_int_equal(steps_of_alloc(a, 64, &q), 1);
    memset(q, 0x5a, 64); // user data: its first word is no link, so no walk
    assert_int_equal(steps_of_free(a, q, 64), 1);
    fb = heap.fallback.base.steps;
    unsigned long large = steps_of_alloc(a, 3000, &r);
    assert_int_equal(large, heap.fallback.base.steps - fb);
    assert_in_range(large, 1, TLSF_MAX_STEPS);
    fb = heap.fallback.base.steps;
    large = steps_of_free(a, r, 3000);
    assert_int_equal(large, heap.fallback.base.steps - fb);
    assert_in_range(large, 1, TLSF_MAX_STEPS);
    *(uintptr_t *)p = FSB_TAG; // looks like the end of a list: the free walks all 3 nodes
    assert_int_equal(steps_of_free(a, p, 64), 3 + 1);
    fb = heap.fallback.base.steps;
    unsigned long before = a->steps;
    at_grow(a, 4096); // the free last block grows: off its list and back on
    assert_int_equal(a->steps - before, heap.fallback.base.steps - fb);
    assert_in_range(a->steps - before, 1, TLSF_MAX_STEPS);
}

// A class block comes off its list with its link word cleared: no heap address is handed out
// inside it, and freed before the caller writes to it, it takes no confirmation walk.
static void a_block_handed_out_holds_no_link(void **state)
{
    struct allocator *a = make(0, 16384);
    void *p, *q;
    steps_of_alloc(a, 64, &p); // the refill: q's block comes next, linked to the third
    assert_int_equal(steps_of_alloc(a, 64, &q), 1);
    assert_int_equal(*(const uintptr_t *)p, 0);
    assert_int_equal(*(const uintptr_t *)q, 0);
    assert_int_equal(steps_of_free(a, q, 64), 1);
    assert_int_equal(steps_of_free(a, p, 64), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        AT_TEST(init_makes_empty_classes_over_a_whole_fallback),
        AT_TEST(the_class_is_the_smallest_block_holding_size_and_align),
        AT_TEST(a_class_block_is_aligned_to_its_block_size),
        AT_TEST(the_8_byte_class_is_refilled_with_an_odd_batch),
        AT_TEST(batches_double_up_to_the_cap),
        AT_TEST(a_freed_block_goes_back_to_its_class_list),
        AT_TEST(a_freed_block_serves_only_its_own_class),
        AT_TEST(requests_above_the_largest_class_go_to_the_fallback),
        AT_TEST(class_blocks_freed_around_neighbours_stack_on_their_list),
        AT_TEST(large_blocks_freed_around_neighbours_merge_in_the_fallback),
        AT_TEST(steps_count_list_operations_and_the_fallbacks),
        AT_TEST(a_block_handed_out_holds_no_link),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
