// Tests for core/alloc/linked_list.c: first fit, splitting, alignment padding, merging with
// neighbours, growth, the heap tests of the Rust series, the size x alignment sweep, a random run
// against the shadow model, every bad call, and check() finding broken invariants.
#include "core/alloc/linked_list.h"
#include "platform/host/mock_hw.h"
#include "test/unit/alloc_cases.h"
#include "test/unit/alloc_test.h"

#define SEED      20240612u
#define HEAP_SIZE (100 * 1024)

static struct ll_heap heap;

// A heap over size bytes at offset past a 4096-aligned address.
static struct allocator *make(size_t offset, size_t size)
{
    mock_hw_reset();
    assert_int_equal(ll_init(&heap, at_region(offset, size), size), 0);
    at_check(&heap.base);
    return &heap.base;
}

struct span {
    size_t off, size; // a free block, as an offset from at_base()
};

static void assert_free_list(const struct span *want, size_t n)
{
    size_t i = 0;
    for (const struct ll_node *b = heap.head; b != NULL; b = b->next, i++) {
        if (i == n)
            fail_msg("more than %zu free blocks", n);
        if ((uintptr_t)b - at_base() != want[i].off || b->size != want[i].size)
            fail_msg("free block %zu: +%zu size %zu, expected +%zu size %zu", i,
                     (size_t)((uintptr_t)b - at_base()), b->size, want[i].off, want[i].size);
    }
    assert_int_equal(i, n);
}

#define FREE_LIST(...)                                                                             \
    do {                                                                                           \
        const struct span want_[] = {__VA_ARGS__};                                                 \
        assert_free_list(want_, sizeof(want_) / sizeof(want_[0]));                                 \
    } while (0)

// One free block of the whole usable span, and all of it allocatable at once.
static void assert_whole(struct allocator *a)
{
    size_t span = heap.hi - heap.lo;
    assert_non_null(heap.head);
    assert_null(heap.head->next);
    assert_int_equal((uintptr_t)heap.head, heap.lo);
    assert_int_equal(heap.head->size, span);
    struct alloc_stats st = at_stats(a);
    assert_int_equal(st.free, span);
    assert_int_equal(st.largest_free, span);
    assert_int_equal(st.used, 0);
    assert_int_equal(st.allocations, 0);
    void *p = at_alloc_ok(a, span, 1);
    at_free_ok(a, p, span, 1);
}

// ---- layout ------------------------------------------------------------------------------------

static void init_makes_one_free_block_of_the_region(void **state)
{
    struct allocator *a = make(0, 4096);
    assert_string_equal(a->name, "linked_list");
    FREE_LIST({0, 4096});
    struct alloc_stats st = at_stats(a);
    assert_int_equal(st.free, 4096);
    assert_int_equal(st.largest_free, 4096);
    assert_int_equal(st.region_size, 4096);
    assert_int_equal(st.used + st.allocations + st.peak_used, 0);
}

static void unaligned_region_is_rounded_inwards(void **state)
{
    struct allocator *a = make(3, 100); // [3, 103) -> [16, 96)
    FREE_LIST({13, 80});
    assert_int_equal(at_stats(a).free, 80);
    assert_int_equal(at_stats(a).region_size, 100);
    assert_int_equal(alloc_free(a, (void *)at_base(), 16, 1), E_RANGE); // the rounded-off bytes
}

static void region_smaller_than_a_node_holds_no_block(void **state)
{
    struct allocator *a = make(0, LL_GRAIN - 1);
    assert_null(heap.head);
    assert_null(alloc_alloc(a, 1, 1));
    assert_int_equal(at_stats(a).free, 0);
    assert_int_equal(at_stats(a).largest_free, 0);
    at_check(a);
    a = make(8, 20); // [8, 28) holds no whole granule
    assert_null(heap.head);
    assert_null(alloc_alloc(a, 1, 1));
    at_check(a);
}

static void region_of_exactly_a_node_serves_one_small_block(void **state)
{
    struct allocator *a = make(0, LL_GRAIN);
    assert_null(alloc_alloc(a, LL_GRAIN + 1, 1));
    void *p = at_alloc_ok(a, LL_GRAIN, 1);
    assert_null(alloc_alloc(a, 1, 1));
    at_free_ok(a, p, LL_GRAIN, 1);
    p = at_alloc_ok(a, 1, 8);
    at_free_ok(a, p, 1, 8);
    assert_whole(a);
}

static void sizes_round_up_to_the_granule(void **state)
{
    struct allocator *a = make(0, 4096);
    uintptr_t p1 = (uintptr_t)at_alloc_ok(a, 1, 1);
    uintptr_t p2 = (uintptr_t)at_alloc_ok(a, 17, 2);
    uintptr_t p3 = (uintptr_t)at_alloc_ok(a, 16, 4);
    assert_int_equal(p2 - p1, 16);
    assert_int_equal(p3 - p2, 32);
    FREE_LIST({64, 4096 - 64});
    assert_int_equal(at_stats(a).used, 34);
}

static void the_rest_of_a_block_is_split_off_and_stays_free(void **state)
{
    struct allocator *a = make(0, 4096);
    at_alloc_ok(a, 100, 1); // 112 bytes
    FREE_LIST({112, 4096 - 112});
    assert_int_equal(at_stats(a).free, 4096 - 112);
}

static void alignment_padding_stays_on_the_free_list(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p1 = at_alloc_ok(a, 16, 1);
    void *p2 = at_alloc_ok(a, 16, 256);
    assert_int_equal((uintptr_t)p2 - at_base(), 256);
    FREE_LIST({16, 240}, {272, 4096 - 272});
    void *p3 = at_alloc_ok(a, 200, 1); // first fit: goes into the padding
    assert_int_equal((uintptr_t)p3 - at_base(), 16);
    FREE_LIST({224, 32}, {272, 4096 - 272});
    at_free_ok(a, p3, 200, 1);
    at_free_ok(a, p1, 16, 1);
    FREE_LIST({0, 256}, {272, 4096 - 272});
    at_free_ok(a, p2, 16, 256);
    assert_whole(a);
}

static void first_fit_takes_the_lowest_block_that_fits(void **state)
{
    struct allocator *a = make(0, 4096);
    void *pa = at_alloc_ok(a, 64, 1);
    at_alloc_ok(a, 16, 1);
    void *pc = at_alloc_ok(a, 128, 1);
    at_alloc_ok(a, 16, 1);
    at_free_ok(a, pc, 128, 1);
    at_free_ok(a, pa, 64, 1);
    FREE_LIST({0, 64}, {80, 128}, {224, 4096 - 224});
    assert_ptr_equal(at_alloc_ok(a, 100, 1), pc); // too big for the first hole
    assert_ptr_equal(at_alloc_ok(a, 48, 1), pa);  // the lowest that fits
    FREE_LIST({48, 16}, {192, 16}, {224, 4096 - 224});
}

// ---- free next to neighbours -------------------------------------------------------------------

// Four 64-byte blocks A B C D at 0, 64, 128, 192 and the free rest from 256.
static void *blk[4];

static struct allocator *four_blocks(void)
{
    struct allocator *a = make(0, 1024);
    at_alloc_blocks(a, blk, 4, 64);
    FREE_LIST({256, 768});
    return a;
}

static void free_between_live_neighbours_adds_a_block(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[1], 64, 1);
    FREE_LIST({64, 64}, {256, 768});
}

static void free_of_the_first_block_adds_a_block_at_the_head(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[0], 64, 1);
    FREE_LIST({0, 64}, {256, 768});
}

static void free_behind_a_free_block_merges_with_it(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[1], 64, 1);
    at_free_ok(a, blk[2], 64, 1);
    FREE_LIST({64, 128}, {256, 768});
}

static void free_before_a_free_block_merges_with_it(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[2], 64, 1);
    at_free_ok(a, blk[1], 64, 1);
    FREE_LIST({64, 128}, {256, 768});
    at_free_ok(a, blk[3], 64, 1); // before the free tail, behind B+C
    FREE_LIST({64, 960});
}

static void free_between_two_free_blocks_merges_all_three(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[0], 64, 1);
    at_free_ok(a, blk[2], 64, 1);
    FREE_LIST({0, 64}, {128, 64}, {256, 768});
    at_free_ok(a, blk[1], 64, 1);
    FREE_LIST({0, 192}, {256, 768});
    at_free_ok(a, blk[3], 64, 1);
    assert_whole(a);
}

// ---- the heap tests of the series --------------------------------------------------------------

static void simple_allocation(void **state)
{
    struct allocator *a = make(0, HEAP_SIZE);
    at_simple_allocation(a);
    assert_whole(a);
}

static void large_vec(void **state)
{
    struct allocator *a = make(0, HEAP_SIZE);
    assert_int_equal(at_vec_sum(a, 1000), 499500);
    assert_whole(a);
}

static void many_boxes(void **state)
{
    struct allocator *a = make(0, HEAP_SIZE);
    assert_int_equal(at_boxes(a, HEAP_SIZE, NULL), HEAP_SIZE);
    assert_whole(a);
}

static void many_boxes_long_lived(void **state)
{
    struct allocator *a = make(0, HEAP_SIZE);
    assert_int_equal(at_boxes_long_lived(a, HEAP_SIZE, NULL), HEAP_SIZE);
    assert_whole(a);
}

// ---- the sweep ---------------------------------------------------------------------------------

static void whole_again(struct at_shadow *s, enum at_order order, unsigned shift)
{
    assert_whole(s->a);
}

static void sweep_freed_forward_leaves_one_block(void **state)
{
    at_sweep(make(0, 512 * 1024), true, AT_FORWARD, whole_again);
}

static void sweep_freed_backward_leaves_one_block(void **state)
{
    at_sweep(make(0, 512 * 1024), true, AT_BACKWARD, whole_again);
}

static void sweep_freed_evens_then_odds_leaves_one_block(void **state)
{
    at_sweep(make(0, 512 * 1024), true, AT_EVENS_THEN_ODDS, whole_again);
}

static void sweep_freed_outside_in_leaves_one_block(void **state)
{
    at_sweep(make(0, 512 * 1024), true, AT_OUTSIDE_IN, whole_again);
}

// ---- growth ------------------------------------------------------------------------------------

static void grow_an_empty_heap_makes_one_block(void **state)
{
    struct allocator *a = make(0, 0);
    assert_null(heap.head);
    at_grow_an_empty_heap(a);
    FREE_LIST({0, 4096});
    assert_whole(a);
}

static void grow_a_full_heap_adds_a_block_behind_the_last(void **state)
{
    struct allocator *a = make(0, 1024);
    void *p = at_alloc_ok(a, 1024, 1);
    assert_null(heap.head);
    at_grow(a, 512);
    FREE_LIST({1024, 512});
    void *q = at_alloc_ok(a, 512, 1);
    assert_int_equal((uintptr_t)q - at_base(), 1024);
    at_free_ok(a, p, 1024, 1);
    at_free_ok(a, q, 512, 1);
    assert_whole(a);
}

static void grow_a_fragmented_heap_merges_with_the_last_free_block(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[1], 64, 1);
    at_grow(a, 1024);
    FREE_LIST({64, 64}, {256, 768 + 1024});
    at_free_ok(a, blk[0], 64, 1);
    at_free_ok(a, blk[2], 64, 1);
    at_free_ok(a, blk[3], 64, 1);
    assert_whole(a);
}

static void grow_by_odd_amounts_keeps_the_remainder(void **state)
{
    struct allocator *a = make(0, 1000); // usable 992
    FREE_LIST({0, 992});
    at_grow(a, 10); // raw end 1010: still 1008 usable
    FREE_LIST({0, 1008});
    at_grow(a, 6); // 1016
    FREE_LIST({0, 1008});
    at_grow(a, 8); // 1024
    FREE_LIST({0, 1024});
    assert_int_equal(at_stats(a).region_size, 1024);
}

static void grow_of_a_tiny_unaligned_heap_starts_at_the_granule(void **state)
{
    struct allocator *a = make(3, 5); // [3, 8): nothing usable, lo = 16
    assert_null(heap.head);
    at_grow(a, 8); // [3, 16): still nothing
    assert_null(heap.head);
    at_grow(a, 40); // [3, 56): [16, 48)
    FREE_LIST({13, 32});
    assert_whole(a);
}

static void grow_past_the_end_of_the_address_space_is_erange(void **state)
{
    struct allocator *a = make(0, 1024);
    at_grow_past_the_end_of_the_address_space_is_erange(a);
    FREE_LIST({0, 1024});
}

// ---- running out -------------------------------------------------------------------------------

static void out_of_memory_returns_null_and_the_heap_stays_usable(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p[64];
    at_fill(a, p, 64, 64);
    at_free_ok(a, p[11], 64, 1);
    assert_null(alloc_alloc(a, 65, 1));
    assert_null(alloc_alloc(a, 64, 128)); // p[11] is at 704: not 128-aligned
    assert_ptr_equal(at_alloc_ok(a, 64, 64), p[11]);
    for (int i = 0; i < 64; i++)
        at_free_ok(a, p[i], 64, 1);
    assert_whole(a);
}

static void large_alignments_are_served_where_the_region_allows(void **state)
{
    struct allocator *a = make(16, 128 * 1024);
    at_large_alignments_are_served(a);
    assert_whole(a);
}

static void stats_track_peak_and_largest_free(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 1000, 1);
    void *q = at_alloc_ok(a, 10, 1);
    assert_int_equal(at_stats(a).peak_used, 1010);
    at_free_ok(a, p, 1000, 1);
    struct alloc_stats st = at_stats(a);
    assert_int_equal(st.used, 10);
    assert_int_equal(st.peak_used, 1010);
    assert_int_equal(st.allocations, 1);
    assert_int_equal(st.free, 4096 - 16);
    assert_int_equal(st.largest_free, 4096 - 1008 - 16);
    at_largest_free_is_exact(a);
    at_free_ok(a, q, 10, 1);
    at_largest_free_is_exact(a);
}

static void fits_agrees_with_alloc(void **state)
{
    struct allocator *a = make(0, 4096);
    at_alloc_ok(a, 16, 1);
    assert_true(ll_fits(&heap, 4096 - 16, 1));
    assert_false(ll_fits(&heap, 4096 - 15, 1));
    assert_true(ll_fits(&heap, 2048, 2048));
    assert_false(ll_fits(&heap, 2049, 2048));
    assert_false(ll_fits(&heap, 0, 1));
    assert_false(ll_fits(&heap, 1, 3));
    assert_false(ll_fits(&heap, SIZE_MAX, 1));
    FREE_LIST({16, 4096 - 16}); // nothing changed
}

// ---- randomized --------------------------------------------------------------------------------

static void random_run_matches_the_shadow_model(void **state)
{
    struct allocator *a = make(0, 64 * 1024);
    at_random_run(at_shadow_init(a, true), SEED, 20000, 64 * 1024);
    assert_whole(a);
}

static void random_run_in_an_unaligned_region(void **state)
{
    struct allocator *a = make(7, 30000);
    at_random_run(at_shadow_init(a, true), SEED + 1, 10000, 20000);
    assert_whole(a);
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
    FREE_LIST({32, 4096 - 32});
    at_free_ok(a, p, 32, 16);
}

static void free_outside_the_region_is_erange(void **state)
{
    struct allocator *a = make(64, 4096);
    void *p = at_alloc_ok(a, 32, 16);
    at_free_outside_the_region_is_erange(a);
    assert_int_equal(alloc_free(a, (void *)at_base(), SIZE_MAX, 1), E_RANGE);
    at_check(a);
    at_free_ok(a, p, 32, 16);
}

static void free_of_a_misaligned_pointer_is_einval(void **state)
{
    struct allocator *a = make(0, 4096);
    unsigned char *p = at_alloc_ok(a, 64, 64);
    assert_int_equal(alloc_free(a, p + 8, 16, 8), E_INVAL);   // not a granule
    assert_int_equal(alloc_free(a, p + 16, 16, 32), E_INVAL); // not aligned to align
    at_check(a);
    at_free_ok(a, p, 64, 64);
}

static void double_free_is_einval_and_changes_nothing(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 64, 1);
    void *q = at_alloc_ok(a, 64, 1);
    at_free_ok(a, p, 64, 1);
    assert_int_equal(alloc_free(a, p, 64, 1), E_INVAL);
    assert_int_equal(alloc_free(a, p, 16, 1), E_INVAL);
    FREE_LIST({0, 64}, {128, 4096 - 128});
    assert_int_equal(at_stats(a).allocations, 1);
    at_free_ok(a, q, 64, 1);
    assert_int_equal(alloc_free(a, q, 64, 1), E_INVAL); // nothing live at all
    assert_whole(a);
}

static void free_of_a_pointer_into_a_free_block_is_einval(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 64, 1);
    assert_int_equal(alloc_free(a, (unsigned char *)p + 1024, 16, 1), E_INVAL);
    FREE_LIST({64, 4096 - 64});
    at_free_ok(a, p, 64, 1);
}

static void free_with_a_size_reaching_into_a_free_block_is_einval(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[2], 64, 1);
    assert_int_equal(alloc_free(a, blk[1], 65, 1), E_INVAL);
    assert_int_equal(alloc_free(a, blk[3], 128, 1), E_INVAL);
    FREE_LIST({128, 64}, {256, 768});
    at_free_ok(a, blk[1], 64, 1);
}

static void free_with_a_size_above_used_is_einval(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 16, 1);
    assert_int_equal(alloc_free(a, p, 32, 1), E_INVAL); // 32 > the 16 bytes in use
    at_free_ok(a, p, 16, 1);
}

static void free_with_a_too_small_size_leaks_and_check_reports_it(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 64, 1);
    void *q = at_alloc_ok(a, 64, 1);
    assert_int_equal(alloc_free(a, p, 16, 1), 0); // 48 bytes lost, as documented
    at_check(a);                                  // unseen while blocks are live
    assert_int_equal(alloc_free(a, q, 64, 1), 0);
    at_expect_check_fails(a, "disagree");
    assert_int_equal(at_stats(a).free, 4096 - 48);
}

// ---- check() -----------------------------------------------------------------------------------

static void check_finds_a_block_too_small_for_a_node(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[1], 64, 1);
    heap.head->size = 8;
    at_expect_check_fails(a, "bad size");
}

static void check_finds_unmerged_neighbours(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[1], 64, 1);
    heap.head->size = 32;
    struct ll_node *n = (struct ll_node *)((uintptr_t)heap.head + 32);
    *n = (struct ll_node){.size = 32, .next = heap.head->next};
    heap.head->next = n;
    at_expect_check_fails(a, "unmerged");
}

static void check_finds_unsorted_or_overlapping_blocks(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[1], 64, 1);
    heap.head->size = 256; // reaches over C and D into the tail block
    at_expect_check_fails(a, "overlaps");
}

// A cycle must step back to a lower address, so it is reported as a block out of order.
static void check_finds_a_cycle(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[1], 64, 1);
    heap.head->next->next = heap.head;
    at_expect_check_fails(a, "precedes");
    heap.head->next->next = heap.head->next;
    at_expect_check_fails(a, "precedes");
}

static void check_finds_a_block_outside_the_region(void **state)
{
    struct allocator *a = four_blocks();
    static _Alignas(16) struct ll_node elsewhere = {.size = 64};
    heap.head->next = &elsewhere;
    at_expect_check_fails(a, "outside");
}

static void check_finds_counters_that_disagree(void **state)
{
    struct allocator *a = four_blocks();
    heap.in_use += 16;
    at_expect_check_fails(a, "counters say");
    heap.in_use -= 8;
    at_expect_check_fails(a, "does not fit");
    heap.in_use -= 8;
    heap.allocations = 0;
    at_expect_check_fails(a, "disagree");
    heap.allocations = 4;
    heap.peak_used = 1;
    at_expect_check_fails(a, "peak_used");
    heap.peak_used = 256;
    heap.lo += 8;
    at_expect_check_fails(a, "bad span");
}

static void check_truncates_its_message_to_cap(void **state)
{
    struct allocator *a = four_blocks();
    heap.head->size = 8;
    at_expect_check_truncates(a);
    heap.head->size = 768;
    assert_int_equal(alloc_check(a, NULL, 0), 0);
}

static void null_arguments_and_a_wrapping_region_panic(void **state)
{
    struct ll_heap h;
    struct alloc_stats st;
    expect_assert_failure(ll_init(NULL, at_region(0, 64), 64));
    expect_assert_failure(ll_init(&h, NULL, 64));
    expect_assert_failure(ll_init(&h, (void *)(UINTPTR_MAX - 100), 200));
    assert_non_null(strstr(mock_panic_message(), "ll_init"));
    struct allocator *a = make(0, 64);
    expect_assert_failure(alloc_alloc(NULL, 1, 1));
    expect_assert_failure(alloc_free(NULL, NULL, 1, 1));
    expect_assert_failure(alloc_grow(NULL, 1));
    expect_assert_failure(alloc_stats(NULL, &st));
    expect_assert_failure(alloc_stats(a, NULL));
    expect_assert_failure(alloc_check(NULL, NULL, 0));
    expect_assert_failure(ll_fits(NULL, 1, 1));
}

#define T(name) cmocka_unit_test_setup_teardown(name, at_setup, at_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(init_makes_one_free_block_of_the_region),
        T(unaligned_region_is_rounded_inwards),
        T(region_smaller_than_a_node_holds_no_block),
        T(region_of_exactly_a_node_serves_one_small_block),
        T(sizes_round_up_to_the_granule),
        T(the_rest_of_a_block_is_split_off_and_stays_free),
        T(alignment_padding_stays_on_the_free_list),
        T(first_fit_takes_the_lowest_block_that_fits),
        T(free_between_live_neighbours_adds_a_block),
        T(free_of_the_first_block_adds_a_block_at_the_head),
        T(free_behind_a_free_block_merges_with_it),
        T(free_before_a_free_block_merges_with_it),
        T(free_between_two_free_blocks_merges_all_three),
        T(simple_allocation),
        T(large_vec),
        T(many_boxes),
        T(many_boxes_long_lived),
        T(sweep_freed_forward_leaves_one_block),
        T(sweep_freed_backward_leaves_one_block),
        T(sweep_freed_evens_then_odds_leaves_one_block),
        T(sweep_freed_outside_in_leaves_one_block),
        T(grow_an_empty_heap_makes_one_block),
        T(grow_a_full_heap_adds_a_block_behind_the_last),
        T(grow_a_fragmented_heap_merges_with_the_last_free_block),
        T(grow_by_odd_amounts_keeps_the_remainder),
        T(grow_of_a_tiny_unaligned_heap_starts_at_the_granule),
        T(grow_past_the_end_of_the_address_space_is_erange),
        T(out_of_memory_returns_null_and_the_heap_stays_usable),
        T(large_alignments_are_served_where_the_region_allows),
        T(stats_track_peak_and_largest_free),
        T(fits_agrees_with_alloc),
        T(random_run_matches_the_shadow_model),
        T(random_run_in_an_unaligned_region),
        T(size_zero_returns_null),
        T(bad_alignment_returns_null),
        T(overflowing_size_returns_null),
        T(free_of_null_is_a_noop),
        T(free_with_bad_alignment_or_size_zero_is_einval),
        T(free_outside_the_region_is_erange),
        T(free_of_a_misaligned_pointer_is_einval),
        T(double_free_is_einval_and_changes_nothing),
        T(free_of_a_pointer_into_a_free_block_is_einval),
        T(free_with_a_size_reaching_into_a_free_block_is_einval),
        T(free_with_a_size_above_used_is_einval),
        T(free_with_a_too_small_size_leaks_and_check_reports_it),
        T(check_finds_a_block_too_small_for_a_node),
        T(check_finds_unmerged_neighbours),
        T(check_finds_unsorted_or_overlapping_blocks),
        T(check_finds_a_cycle),
        T(check_finds_a_block_outside_the_region),
        T(check_finds_counters_that_disagree),
        T(check_truncates_its_message_to_cap),
        T(null_arguments_and_a_wrapping_region_panic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
