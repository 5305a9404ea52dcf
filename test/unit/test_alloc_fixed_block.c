// Tests for core/alloc/fixed_block.c: class selection, refills, freed blocks going back to their
// class, large requests through the linked-list fallback, growth, the heap tests of the Rust
// series, the sweep, a random run against the shadow model, every bad call (double frees found by
// the link tag) and check().
#include "core/alloc/fixed_block.h"
#include "platform/host/mock_hw.h"
#include "test/unit/alloc_cases.h"
#include "test/unit/alloc_test.h"

#define SEED      20240614u
#define HEAP_SIZE (100 * 1024)

static struct fsb_heap heap;

static struct allocator *make(size_t offset, size_t size)
{
    mock_hw_reset();
    assert_int_equal(fsb_init(&heap, at_region(offset, size), size), 0);
    at_check(&heap.base);
    return &heap.base;
}

static struct alloc_stats fallback_stats(void)
{
    return at_stats(&heap.fallback.base);
}

// Nothing live; every byte is either on a class list or free in the fallback.
static void assert_nothing_lost(struct allocator *a)
{
    struct alloc_stats st = at_stats(a);
    assert_int_equal(st.used, 0);
    assert_int_equal(st.allocations, 0);
    assert_int_equal(heap.small_bytes, 0);
    assert_int_equal(heap.large_allocs, 0);
    assert_int_equal(st.free, heap.fallback.hi - heap.fallback.lo);
    at_check(a);
}

// Nothing live and nothing in the classes: the fallback is one free block of everything.
static void assert_whole(struct allocator *a)
{
    assert_nothing_lost(a);
    assert_int_equal(heap.refills, 0);
    assert_non_null(heap.fallback.head);
    assert_null(heap.fallback.head->next);
    assert_int_equal(heap.fallback.head->size, heap.fallback.hi - heap.fallback.lo);
}

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
    assert_int_equal(st.free, 4096);
    assert_int_equal(st.largest_free, 4096);
    assert_int_equal(st.region_size, 4096);
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

static void the_8_byte_class_is_refilled_with_two_blocks(void **state)
{
    struct allocator *a = make(0, 4096);
    uintptr_t p = (uintptr_t)at_alloc_ok(a, 8, 1);
    assert_int_equal(heap.refills, 1);
    assert_int_equal(heap.counts[0], 1);
    assert_int_equal(fallback_stats().used, LL_GRAIN);
    uintptr_t q = (uintptr_t)at_alloc_ok(a, 1, 1);
    assert_int_equal(heap.refills, 1);
    assert_int_equal(q, p + 8);
    at_alloc_ok(a, 4, 4);
    assert_int_equal(heap.refills, 2);
}

static void other_classes_are_refilled_with_one_block(void **state)
{
    struct allocator *a = make(0, 4096);
    at_alloc_ok(a, 64, 1);
    assert_int_equal(heap.refills, 1);
    assert_int_equal(heap.counts[3], 0);
    at_alloc_ok(a, 64, 1);
    assert_int_equal(heap.refills, 2);
    assert_int_equal(fallback_stats().used, 128);
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
    assert_int_equal(heap.counts[3], 1);
    assert_int_equal(at_stats(a).free, 4096);
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
    assert_int_equal(heap.counts[3], 1);
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
    at_free_ok(a, b[1], 64, 1); // between live neighbours
    at_free_ok(a, b[0], 64, 1); // before a free one
    at_free_ok(a, b[2], 64, 1); // behind a free one
    assert_int_equal(heap.counts[3], 3);
    for (int i = 2; i >= 0; i--) // most recently freed first
        assert_ptr_equal(at_alloc_ok(a, 64, 1), b[i == 2 ? 2 : i == 1 ? 0 : 1]);
    assert_int_equal(heap.refills, 3);
}

static void large_blocks_freed_around_neighbours_merge_in_the_fallback(void **state)
{
    struct allocator *a = make(0, 32768);
    void *b[4];
    at_alloc_blocks(a, b, 4, 4096);
    at_free_ok(a, b[1], 4096, 1); // between live neighbours
    at_free_ok(a, b[0], 4096, 1); // before a free block
    at_free_ok(a, b[2], 4096, 1); // behind one
    assert_int_equal(heap.fallback.head->size, 3 * 4096);
    at_free_ok(a, b[3], 4096, 1); // between free blocks
    assert_whole(a);
}

// ---- the heap tests of the series --------------------------------------------------------------

static void simple_allocation(void **state)
{
    struct allocator *a = make(0, HEAP_SIZE);
    at_simple_allocation(a);
    assert_nothing_lost(a);
}

static void large_vec(void **state)
{
    struct allocator *a = make(0, HEAP_SIZE);
    assert_int_equal(at_vec_sum(a, 1000), 499500);
    assert_nothing_lost(a);
}

static void many_boxes(void **state)
{
    struct allocator *a = make(0, HEAP_SIZE);
    assert_int_equal(at_boxes(a, HEAP_SIZE, NULL), HEAP_SIZE);
    assert_int_equal(heap.refills, 1);
    assert_nothing_lost(a);
}

static void many_boxes_long_lived(void **state)
{
    struct allocator *a = make(0, HEAP_SIZE);
    assert_int_equal(at_boxes_long_lived(a, HEAP_SIZE, NULL), HEAP_SIZE);
    assert_nothing_lost(a);
}

// ---- the sweeps --------------------------------------------------------------------------------

// Every sweep request is a class request. After each batch nothing is lost, and the same batch
// again is served entirely from the class lists: no refill, the fallback untouched.
static void reused_from_the_classes(struct at_shadow *s, enum at_order order, unsigned shift)
{
    assert_nothing_lost(s->a);
    size_t refills = heap.refills;
    struct alloc_stats before = fallback_stats();
    at_sweep_batch(s, order, shift);
    assert_int_equal(heap.refills, refills);
    struct alloc_stats after = fallback_stats();
    assert_int_equal(after.free, before.free);
    assert_int_equal(after.allocations, before.allocations);
}

static void sweep_freed_forward_is_reused_from_the_classes(void **state)
{
    at_sweep(make(0, 512 * 1024), false, AT_FORWARD, reused_from_the_classes);
}

static void sweep_freed_backward_is_reused_from_the_classes(void **state)
{
    at_sweep(make(0, 512 * 1024), false, AT_BACKWARD, reused_from_the_classes);
}

static void sweep_freed_evens_then_odds_is_reused_from_the_classes(void **state)
{
    at_sweep(make(0, 512 * 1024), false, AT_EVENS_THEN_ODDS, reused_from_the_classes);
}

static void sweep_freed_outside_in_is_reused_from_the_classes(void **state)
{
    at_sweep(make(0, 512 * 1024), false, AT_OUTSIDE_IN, reused_from_the_classes);
}

// Sizes above the classes, freed in each order, merge back into one fallback block.
static void large_sweep_leaves_the_fallback_whole(void **state)
{
    struct allocator *a = make(0, 512 * 1024);
    struct at_shadow *s = at_shadow_init(a, false);
    for (enum at_order order = AT_FORWARD; order <= AT_OUTSIDE_IN; order++) {
        s->n = 0;
        for (size_t i = 0; i < 64; i++)
            at_shadow_alloc(s, FSB_MAX_BLOCK + 1 + i * 37, (size_t)1 << (i % 14));
        assert_int_equal(s->live, 64);
        for (size_t i = 0; i < s->n; i++)
            at_shadow_free(s, at_order_index(order, i, s->n));
        assert_whole(a);
    }
}

// ---- growth, running out, tiny heaps -----------------------------------------------------------

static void grow_an_empty_heap(void **state)
{
    struct allocator *a = make(0, 0);
    at_grow_an_empty_heap(a);
    assert_whole(a);
    void *p = at_alloc_ok(a, 1, 1);
    at_free_ok(a, p, 1, 1);
}

static void grow_a_full_heap(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 4096, 1);
    assert_null(alloc_alloc(a, 8, 1));
    at_grow(a, 4096);
    void *q = at_alloc_ok(a, 2048, 2048);
    assert_int_equal((uintptr_t)q - at_base(), 4096);
    at_free_ok(a, p, 4096, 1);
    at_free_ok(a, q, 2048, 2048);
    assert_nothing_lost(a);
}

static void grow_a_fragmented_heap(void **state)
{
    struct allocator *a = make(0, 8192);
    void *b[4];
    at_alloc_blocks(a, b, 4, 2048);
    at_free_ok(a, b[1], 2048, 1);
    at_free_ok(a, b[3], 2048, 1);
    at_grow(a, 8192);
    assert_int_equal(heap.fallback.head->size, 8192);
    void *big = at_alloc_ok(a, 8192, 1);
    assert_int_equal((uintptr_t)big - at_base(), 8192);
    at_free_ok(a, big, 8192, 1);
    assert_ptr_equal(at_alloc_ok(a, 2048, 1), b[3]); // the class list still comes first
}

static void grow_past_the_end_of_the_address_space_is_erange(void **state)
{
    struct allocator *a = make(0, 1024);
    at_grow_past_the_end_of_the_address_space_is_erange(a);
    assert_int_equal(at_stats(a).region_size, 1024);
    assert_whole(a);
}

static void out_of_memory_returns_null_and_the_heap_stays_usable(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p[64];
    at_fill(a, p, 64, 64);
    at_free_ok(a, p[5], 64, 1);
    assert_null(alloc_alloc(a, 32, 1)); // another class: no fallback room for a refill
    assert_ptr_equal(at_alloc_ok(a, 33, 1), p[5]);
    for (int i = 0; i < 64; i++)
        at_free_ok(a, p[i], i == 5 ? 33 : 64, 1);
    assert_nothing_lost(a);
}

static void region_smaller_than_a_node_serves_nothing(void **state)
{
    struct allocator *a = make(0, LL_GRAIN - 1);
    assert_null(alloc_alloc(a, 1, 1));
    assert_int_equal(at_stats(a).largest_free, 0);
    at_check(a);
}

static void region_of_exactly_a_node_serves_two_8_byte_blocks(void **state)
{
    struct allocator *a = make(0, LL_GRAIN);
    assert_null(alloc_alloc(a, 17, 1));
    void *p = at_alloc_ok(a, 8, 1);
    void *q = at_alloc_ok(a, 8, 8);
    assert_null(alloc_alloc(a, 1, 1));
    at_free_ok(a, q, 8, 8);
    at_free_ok(a, p, 8, 1);
    assert_null(alloc_alloc(a, 16, 1)); // the node now belongs to the 8-byte class
    assert_int_equal(at_stats(a).largest_free, 8);
}

static void large_alignments_are_served_where_the_region_allows(void **state)
{
    struct allocator *a = make(16, 128 * 1024);
    at_large_alignments_are_served(a);
    assert_nothing_lost(a);
}

// ---- stats -------------------------------------------------------------------------------------

static void stats_count_class_lists_as_free(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 100, 1);
    void *q = at_alloc_ok(a, 3000, 1);
    struct alloc_stats st = at_stats(a);
    assert_int_equal(st.used, 3100);
    assert_int_equal(st.peak_used, 3100);
    assert_int_equal(st.allocations, 2);
    assert_int_equal(st.free, 4096 - 128 - 3008);
    at_free_ok(a, p, 100, 1);
    st = at_stats(a);
    assert_int_equal(st.used, 3000);
    assert_int_equal(st.peak_used, 3100);
    assert_int_equal(st.free, 4096 - 3008);
    at_free_ok(a, q, 3000, 1);
    assert_nothing_lost(a);
}

// largest_free is the largest request that succeeds, which need not be the largest free span: a
// class request needs a block aligned to its class.
static void largest_free_is_the_largest_request_that_succeeds(void **state)
{
    struct allocator *a = make(16, 1024); // the fallback's one block is [16, 1040) mod 4096
    assert_int_equal(at_stats(a).free, 1024);
    assert_int_equal(at_stats(a).largest_free, 512); // no 1024-aligned 1024 bytes in it
    assert_null(alloc_alloc(a, 513, 1));
    assert_null(alloc_alloc(a, 1024, 1));
    at_alloc_ok(a, 512, 1);
}

static void largest_free_is_not_monotonic_above_the_classes(void **state)
{
    struct allocator *a = make(0, 16384);
    void *p = at_alloc_ok(a, 6160, 1);
    void *q = at_alloc_ok(a, 4064, 1); // [6160, 10224): no 2048-aligned 2048 bytes in it
    void *r = at_alloc_ok(a, 6160, 1);
    at_free_ok(a, q, 4064, 1);
    assert_int_equal(at_stats(a).largest_free, 4064);
    assert_null(alloc_alloc(a, 2048, 1));
    at_largest_free_is_exact(a); // 4064 succeeds, 4065 does not
    void *t = at_alloc_ok(a, 2049, 1);
    at_free_ok(a, t, 2049, 1);
    at_free_ok(a, p, 6160, 1);
    at_free_ok(a, r, 6160, 1);
    assert_whole(a);
}

static void largest_free_counts_a_class_list_block(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 2048, 1);
    void *q = at_alloc_ok(a, 2048, 1);
    at_free_ok(a, p, 2048, 1);
    assert_int_equal(fallback_stats().free, 0);
    assert_int_equal(at_stats(a).largest_free, 2048);
    assert_null(alloc_alloc(a, 2049, 1));
    (void)q;
}

// ---- randomized --------------------------------------------------------------------------------

static void random_run_matches_the_shadow_model(void **state)
{
    struct allocator *a = make(0, 128 * 1024);
    at_random_run(at_shadow_init(a, false), SEED, 20000, 64 * 1024);
    assert_nothing_lost(a);
}

// ---- bad calls ---------------------------------------------------------------------------------

static void size_zero_returns_null(void **state)
{
    struct allocator *a = make(0, 4096);
    at_size_zero_returns_null(a);
    assert_whole(a);
}

static void bad_alignment_returns_null(void **state)
{
    struct allocator *a = make(0, 4096);
    at_bad_alignment_returns_null(a);
    assert_whole(a);
}

static void overflowing_size_returns_null(void **state)
{
    struct allocator *a = make(0, 4096);
    at_overflowing_size_returns_null(a);
    assert_whole(a);
}

static void free_of_null_is_a_noop(void **state)
{
    struct allocator *a = make(0, 4096);
    at_free_of_null_is_a_noop(a);
    assert_whole(a);
}

static void free_with_bad_alignment_or_size_zero_is_einval(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 32, 16);
    at_free_with_bad_alignment_or_size_zero_is_einval(a, p, 32, 16);
    assert_int_equal(heap.counts[2], 0);
    at_free_ok(a, p, 32, 16);
}

static void free_outside_the_region_is_erange(void **state)
{
    struct allocator *a = make(64, 4096);
    void *p = at_alloc_ok(a, 32, 16);
    at_free_outside_the_region_is_erange(a);
    assert_int_equal(alloc_free(a, (void *)(at_base() + 4096 - 16), 3000, 16), E_RANGE);
    at_check(a);
    at_free_ok(a, p, 32, 16);
}

static void free_of_a_pointer_misaligned_for_its_class_is_einval(void **state)
{
    struct allocator *a = make(0, 4096);
    unsigned char *p = at_alloc_ok(a, 64, 1);
    assert_int_equal(alloc_free(a, p + 32, 64, 1), E_INVAL); // a 64-byte block is 64-aligned
    assert_int_equal(alloc_free(a, p + 8, 16, 8), E_INVAL);
    assert_int_equal(heap.counts[3], 0);
    at_free_ok(a, p, 64, 1);
}

static void free_of_a_class_block_past_the_region_end_is_einval(void **state)
{
    struct allocator *a = make(0, 4096 + 1024);
    void *p = at_alloc_ok(a, 8, 1);
    // 2048-aligned and inside the region, but a 2048-byte block there would run past its end.
    assert_int_equal(alloc_free(a, (void *)(at_base() + 4096), 1024, 2048), E_INVAL);
    at_free_ok(a, p, 8, 1);
}

static void double_free_of_a_class_block_is_einval(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 64, 1);
    void *q = at_alloc_ok(a, 64, 1);
    void *r = at_alloc_ok(a, 64, 1);
    at_free_ok(a, p, 64, 1);
    assert_int_equal(alloc_free(a, p, 64, 1), E_INVAL); // at the head of the list
    at_free_ok(a, q, 64, 1);
    assert_int_equal(alloc_free(a, p, 64, 1), E_INVAL); // deeper in the list
    assert_int_equal(alloc_free(a, p, 33, 64), E_INVAL);
    assert_int_equal(heap.counts[3], 2);
    assert_int_equal(at_stats(a).allocations, 1);
    at_free_ok(a, r, 64, 1);
    assert_int_equal(alloc_free(a, r, 64, 1), E_INVAL); // nothing live at all
    assert_nothing_lost(a);
}

static void double_free_of_a_large_block_is_einval(void **state)
{
    struct allocator *a = make(0, 16384);
    void *p = at_alloc_ok(a, 3000, 1);
    void *q = at_alloc_ok(a, 64, 1);
    at_free_ok(a, p, 3000, 1);
    assert_int_equal(alloc_free(a, p, 3000, 1), E_INVAL); // no large block is live
    void *r = at_alloc_ok(a, 4000, 1);
    assert_int_equal(alloc_free(a, p, 3000, 1), E_INVAL); // the fallback sees it is free
    at_free_ok(a, r, 4000, 1);
    assert_int_equal(heap.large_allocs, 0);
    assert_int_equal(at_stats(a).allocations, 1);
    at_free_ok(a, q, 64, 1);
    assert_nothing_lost(a);
}

// User data that looks like a free-list link only costs a walk: the free still succeeds.
static void user_data_that_looks_like_a_link_is_no_false_double_free(void **state)
{
    struct allocator *a = make(0, 4096);
    uintptr_t *p = at_alloc_ok(a, 64, 1);
    uintptr_t *q = at_alloc_ok(a, 64, 1);
    uintptr_t *r = at_alloc_ok(a, 64, 1);
    *p = FSB_TAG; // what an end-of-list link looks like
    at_free_ok(a, p, 64, 1);
    *q = (uintptr_t)p ^ FSB_TAG; // what a link to p looks like
    at_free_ok(a, q, 64, 1);
    *r = FSB_TAG;
    assert_int_equal(alloc_free(a, r, 64, 1), 0);
    assert_int_equal(heap.counts[3], 3);
    assert_nothing_lost(a);
}

static void free_with_a_size_above_used_is_einval(void **state)
{
    struct allocator *a = make(0, 16384);
    void *p = at_alloc_ok(a, 16, 1);
    assert_int_equal(alloc_free(a, p, 32, 1), E_INVAL);   // a class block
    assert_int_equal(alloc_free(a, p, 4096, 1), E_INVAL); // a large one
    at_free_ok(a, p, 16, 1);
}

// ---- check() -----------------------------------------------------------------------------------

// Three 64-byte blocks on the 64-byte class list, one 16-byte block live.
static struct allocator *listed(void)
{
    struct allocator *a = make(0, 4096);
    void *b[3];
    at_alloc_blocks(a, b, 3, 64);
    at_alloc_ok(a, 16, 1);
    for (int i = 0; i < 3; i++)
        at_free_ok(a, b[i], 64, 1);
    return a;
}

static struct fsb_node *second(void)
{
    return (struct fsb_node *)(heap.lists[3]->link ^ FSB_TAG);
}

static void check_finds_a_misaligned_class_node(void **state)
{
    struct allocator *a = listed();
    heap.lists[3]->link = ((uintptr_t)second() + 16) ^ FSB_TAG;
    at_expect_check_fails(a, "misaligned");
}

static void check_finds_a_class_node_outside_the_region(void **state)
{
    struct allocator *a = listed();
    static _Alignas(64) struct fsb_node elsewhere = {.link = FSB_TAG};
    heap.lists[3]->link = (uintptr_t)&elsewhere ^ FSB_TAG;
    at_expect_check_fails(a, "outside the region");
}

static void check_finds_a_cycle_in_a_class_list(void **state)
{
    struct allocator *a = listed();
    second()->link = (uintptr_t)heap.lists[3] ^ FSB_TAG;
    at_expect_check_fails(a, "longer than its count");
}

static void check_finds_a_list_shorter_than_its_count(void **state)
{
    struct allocator *a = listed();
    second()->link = FSB_TAG;
    at_expect_check_fails(a, "holds 2 blocks, count says 3");
}

static void check_finds_counters_that_disagree(void **state)
{
    struct allocator *a = listed();
    heap.refill_bytes += 64;
    at_expect_check_fails(a, "refills");
    heap.refill_bytes -= 64;
    heap.large_allocs = 1;
    at_expect_check_fails(a, "large blocks");
    heap.large_allocs = 0;
    heap.allocations = 0;
    at_expect_check_fails(a, "disagree");
    heap.allocations = 1;
    heap.peak_used = 1;
    at_expect_check_fails(a, "peak_used");
    heap.peak_used = 208;
    at_check(a);
}

static void check_reports_the_fallbacks_broken_invariants(void **state)
{
    struct allocator *a = listed();
    heap.fallback.head->size = 8;
    at_expect_check_fails(a, "linked_list: free block 0");
}

static void null_arguments_and_a_wrapping_region_panic(void **state)
{
    struct fsb_heap h;
    expect_assert_failure(fsb_init(NULL, at_region(0, 64), 64));
    expect_assert_failure(fsb_init(&h, NULL, 64));
    expect_assert_failure(fsb_init(&h, (void *)(UINTPTR_MAX - 100), 200));
}

#define T(name) cmocka_unit_test_setup_teardown(name, at_setup, at_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(init_makes_empty_classes_over_a_whole_fallback),
        T(the_class_is_the_smallest_block_holding_size_and_align),
        T(a_class_block_is_aligned_to_its_block_size),
        T(the_8_byte_class_is_refilled_with_two_blocks),
        T(other_classes_are_refilled_with_one_block),
        T(a_freed_block_goes_back_to_its_class_list),
        T(a_freed_block_serves_only_its_own_class),
        T(requests_above_the_largest_class_go_to_the_fallback),
        T(class_blocks_freed_around_neighbours_stack_on_their_list),
        T(large_blocks_freed_around_neighbours_merge_in_the_fallback),
        T(simple_allocation),
        T(large_vec),
        T(many_boxes),
        T(many_boxes_long_lived),
        T(sweep_freed_forward_is_reused_from_the_classes),
        T(sweep_freed_backward_is_reused_from_the_classes),
        T(sweep_freed_evens_then_odds_is_reused_from_the_classes),
        T(sweep_freed_outside_in_is_reused_from_the_classes),
        T(large_sweep_leaves_the_fallback_whole),
        T(grow_an_empty_heap),
        T(grow_a_full_heap),
        T(grow_a_fragmented_heap),
        T(grow_past_the_end_of_the_address_space_is_erange),
        T(out_of_memory_returns_null_and_the_heap_stays_usable),
        T(region_smaller_than_a_node_serves_nothing),
        T(region_of_exactly_a_node_serves_two_8_byte_blocks),
        T(large_alignments_are_served_where_the_region_allows),
        T(stats_count_class_lists_as_free),
        T(largest_free_is_the_largest_request_that_succeeds),
        T(largest_free_is_not_monotonic_above_the_classes),
        T(largest_free_counts_a_class_list_block),
        T(random_run_matches_the_shadow_model),
        T(size_zero_returns_null),
        T(bad_alignment_returns_null),
        T(overflowing_size_returns_null),
        T(free_of_null_is_a_noop),
        T(free_with_bad_alignment_or_size_zero_is_einval),
        T(free_outside_the_region_is_erange),
        T(free_of_a_pointer_misaligned_for_its_class_is_einval),
        T(free_of_a_class_block_past_the_region_end_is_einval),
        T(double_free_of_a_class_block_is_einval),
        T(double_free_of_a_large_block_is_einval),
        T(user_data_that_looks_like_a_link_is_no_false_double_free),
        T(free_with_a_size_above_used_is_einval),
        T(check_finds_a_misaligned_class_node),
        T(check_finds_a_class_node_outside_the_region),
        T(check_finds_a_cycle_in_a_class_list),
        T(check_finds_a_list_shorter_than_its_count),
        T(check_finds_counters_that_disagree),
        T(check_reports_the_fallbacks_broken_invariants),
        T(null_arguments_and_a_wrapping_region_panic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
