// Tests for the allocators' walk_free (core/alloc/alloc.h): which spans each design reports (bump
// its tail, linked_list its free list in address order, fixed_block the fallback's free blocks and
// its class lists), and on a corrupt heap that the walk stops with E_FORMAT at the first block it
// cannot trust, having reported only the ones before it. Every design's agreement with its live
// blocks and stats is checked after every step of the shared suite (test/unit/alloc_walk_test.h).
#include "core/alloc/bump.h"
#include "core/alloc/fixed_block.h"
#include "core/alloc/linked_list.h"
#include "platform/host/mock_hw.h"
#include "test/unit/alloc_test.h"

#include <stdint.h>

static struct bump_heap bump;
static struct ll_heap ll;
static struct fsb_heap fsb;

// Walks a into at_walk_spans whatever the result; returns walk_free's answer.
static int walk(const struct allocator *a)
{
    at_walk_n = 0;
    return alloc_walk_free(a, at_walk_collect, NULL);
}

// Span i is [at_base() + off, + size).
static void assert_span(size_t i, size_t off, size_t size)
{
    assert_true(i < at_walk_n);
    if (at_walk_spans[i].start != at_base() + off || at_walk_spans[i].size != size)
        fail_msg("span %zu: +%zd size %zu, expected +%zu size %zu", i,
                 (ptrdiff_t)(at_walk_spans[i].start - at_base()), at_walk_spans[i].size, off, size);
}

// ---- bump ----------------------------------------------------------------------------------------

static void bump_reports_the_rest_of_the_region_above_next(void **state)
{
    mock_hw_reset();
    struct allocator *a = &bump.base;
    bump_init(&bump, at_region(0, 4096), 4096);
    assert_int_equal(walk(a), 0);
    assert_int_equal(at_walk_n, 1);
    assert_span(0, 0, 4096);
    void *p = at_alloc_ok(a, 100, 1);
    void *q = at_alloc_ok(a, 10, 64); // at 128: the padding below it is not free
    at_free_ok(a, p, 100, 1);         // nor is a freed block while another is live
    assert_int_equal(walk(a), 0);
    assert_int_equal(at_walk_n, 1);
    assert_span(0, 138, 4096 - 138);
    void *r = at_alloc_ok(a, 4096 - 138, 1);
    assert_int_equal(walk(a), 0);
    assert_int_equal(at_walk_n, 0); // full: nothing to report
    at_free_ok(a, q, 10, 64);
    at_free_ok(a, r, 4096 - 138, 1);
    assert_int_equal(walk(a), 0);
    assert_span(0, 0, 4096); // reset
}

static void bump_walk_refuses_next_outside_the_region(void **state)
{
    mock_hw_reset();
    struct allocator *a = &bump.base;
    bump_init(&bump, at_region(64, 4096), 4096);
    at_alloc_ok(a, 100, 1);
    bump.next = bump.end + 1;
    assert_int_equal(walk(a), E_FORMAT);
    assert_int_equal(at_walk_n, 0);
    bump.next = bump.start - 1;
    assert_int_equal(walk(a), E_FORMAT);
    assert_int_equal(at_walk_n, 0);
}

// ---- linked_list -------------------------------------------------------------------------------

// Blocks A B C D of 64 bytes at 0, 64, 128, 192, B freed: free list B, then 256..1024.
static struct allocator *ll_with_a_hole(void)
{
    mock_hw_reset();
    struct allocator *a = &ll.base;
    ll_init(&ll, at_region(0, 1024), 1024);
    void *b[4];
    at_alloc_blocks(a, b, 4, 64);
    at_free_ok(a, b[1], 64, 1);
    return a;
}

static void linked_list_reports_its_free_list_in_address_order(void **state)
{
    struct allocator *a = ll_with_a_hole();
    assert_int_equal(walk(a), 0);
    assert_int_equal(at_walk_n, 2);
    assert_span(0, 64, 64);
    assert_span(1, 256, 768);
}

static void linked_list_walk_stops_at_the_first_bad_node(void **state)
{
    struct allocator *a = ll_with_a_hole();
    struct ll_node *b = ll.head, *tail = ll.head->next;
    static _Alignas(16) struct ll_node elsewhere = {.size = 64};
    struct ll_node *bad_next[] = {b, &elsewhere, (struct ll_node *)((uintptr_t)tail + 8)};
    for (size_t i = 0; i < 3; i++) { // a cycle, a node outside the region, a misaligned one
        b->next = bad_next[i];
        assert_int_equal(walk(a), E_FORMAT);
        assert_int_equal(at_walk_n, 1);
        assert_span(0, 64, 64);
    }
    b->next = tail;
    static const size_t bad_size[] = {0, 8, 24, 784}; // under a node, not a grain, past the end
    for (size_t i = 0; i < 4; i++) {
        tail->size = bad_size[i];
        assert_int_equal(walk(a), E_FORMAT);
        assert_int_equal(at_walk_n, 1);
    }
    tail->size = 768;
    // A well-formed node past the span's end (in the arena's guard, restored after): not trusted.
    struct ll_node *past = (struct ll_node *)(ll.hi + 64), saved = *past;
    *past = (struct ll_node){.size = 64, .next = NULL};
    b->next = past;
    assert_int_equal(walk(a), E_FORMAT);
    assert_int_equal(at_walk_n, 1);
    *past = saved;
    b->next = tail;
    ll.head = &elsewhere;
    assert_int_equal(walk(a), E_FORMAT);
    assert_int_equal(at_walk_n, 0);
}

// ---- fixed_block -------------------------------------------------------------------------------

// Three 64-byte blocks freed onto their class list (one refill batch of 256 bytes: four blocks),
// one 16-byte block live (a batch of sixteen).
static void *fsb_b[3];

static struct allocator *fsb_listed(void)
{
    mock_hw_reset();
    struct allocator *a = &fsb.base;
    fsb_init(&fsb, at_region(0, 4096), 4096);
    at_alloc_blocks(a, fsb_b, 3, 64);
    at_alloc_ok(a, 16, 1);
    for (int i = 0; i < 3; i++)
        at_free_ok(a, fsb_b[i], 64, 1);
    assert_int_equal(fsb.counts[1], 15);
    assert_int_equal(fsb.counts[3], 4);
    return a;
}

// The spans [from, from + n) are blocks of bs bytes, each aligned to bs.
static void assert_class_spans(size_t from, size_t n, size_t bs)
{
    for (size_t i = from; i < from + n; i++) {
        assert_int_equal(at_walk_spans[i].size, bs);
        assert_int_equal(at_walk_spans[i].start % bs, 0);
    }
}

static void fixed_block_reports_the_fallback_then_the_class_blocks(void **state)
{
    struct allocator *a = fsb_listed();
    assert_int_equal(walk(a), 0);
    // The fallback's free blocks (its walk, less each header), then class 1's list, then class
    // 3's (most recently freed first: the three freed blocks, then the batch's fourth).
    size_t fb = fsb.fallback.free_blocks;
    assert_int_equal(at_walk_n, fb + 15 + 4);
    size_t fb_free = 0;
    for (size_t i = 0; i < fb; i++)
        fb_free += at_walk_spans[i].size;
    assert_int_equal(fb_free, at_stats(&fsb.fallback.base).free);
    assert_class_spans(fb, 15, 16);
    assert_class_spans(fb + 15, 4, 64);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(at_walk_spans[fb + 15 + i].start, (uintptr_t)fsb_b[2 - i]);
    assert_int_equal(at_stats(a).free, fb_free + 15 * 16 + 4 * 64);
}

static void fixed_block_walk_stops_at_a_broken_class_list(void **state)
{
    struct allocator *a = fsb_listed();
    size_t before = fsb.fallback.free_blocks + 15; // spans ahead of class 3's list
    struct fsb_node *first = fsb.lists[3];
    struct fsb_node *second = (struct fsb_node *)(first->link ^ FSB_TAG);
    static _Alignas(64) struct fsb_node elsewhere = {.link = FSB_TAG};
    uintptr_t hi = fsb.fallback.areas[0].end; // the fallback's sentinel, at 4088
    uintptr_t bad_link[] = {(uintptr_t)&elsewhere, (uintptr_t)second + 16, (uintptr_t)second + 1,
                            hi - 56, hi + 72};
    // Outside the region, misaligned for the class (by 16 and by 1), running past the sentinel,
    // and past it (inside the arena).
    for (size_t i = 0; i < sizeof(bad_link) / sizeof(bad_link[0]); i++) {
        first->link = bad_link[i] ^ FSB_TAG;
        assert_int_equal(walk(a), E_FORMAT);
        assert_int_equal(at_walk_n, before + 1); // up to the first class-3 block
    }
    first->link = (uintptr_t)second ^ FSB_TAG;
    uintptr_t third = second->link;
    second->link = (uintptr_t)first ^ FSB_TAG; // a cycle: longer than its count
    assert_int_equal(walk(a), E_FORMAT);
    assert_int_equal(at_walk_n, before + 4);
    second->link = FSB_TAG; // shorter than its count: every block reported, still E_FORMAT
    assert_int_equal(walk(a), E_FORMAT);
    assert_int_equal(at_walk_n, before + 2);
    second->link = third;
    fsb.fallback.free_blocks--; // the fallback's own walk stops first: a list past its count
    assert_int_equal(walk(a), E_FORMAT);
    assert_int_equal(at_walk_n, fsb.fallback.free_blocks);
    fsb.fallback.free_blocks++;
    assert_int_equal(walk(a), 0);
}

// A cycle under a count no list could reach: the walk stops at the most blocks of the class the
// fallback's blocks could hold, having reported that many.
static void fixed_block_walk_stops_a_cycle_under_a_huge_count(void **state)
{
    struct allocator *a = fsb_listed();
    size_t before = fsb.fallback.free_blocks + 15;
    struct fsb_node *first = fsb.lists[3];
    struct fsb_node *second = (struct fsb_node *)(first->link ^ FSB_TAG);
    second->link = (uintptr_t)first ^ FSB_TAG;
    fsb.counts[3] = SIZE_MAX;
    size_t most = (fsb.fallback.areas[0].end - (fsb.fallback.areas[0].lo + TLSF_HEADER)) / 64;
    assert_int_equal(most, 63);
    assert_int_equal(walk(a), E_FORMAT);
    assert_int_equal(at_walk_n, before + most);
}

// The fallback's one 32-byte block carved into three 8-byte blocks, the last ending at its
// sentinel: both left on the list are reported.
static void fixed_block_walk_reports_a_block_ending_at_the_sentinel(void **state)
{
    mock_hw_reset();
    struct allocator *a = &fsb.base;
    fsb_init(&fsb, at_region(0, 48), 48); // the fallback's block at [8, 40)
    assert_int_equal(fsb.fallback.areas[0].end, at_base() + 40);
    void *p = at_alloc_ok(a, 8, 1);
    assert_int_equal((uintptr_t)p, at_base() + 16);
    assert_int_equal(walk(a), 0);
    assert_int_equal(at_walk_n, 2);
    assert_span(0, 24, 8);
    assert_span(1, 32, 8);
}

// ---- bad calls ---------------------------------------------------------------------------------

static void walk_free_with_a_null_heap_or_callback_panics(void **state)
{
    struct allocator *a = ll_with_a_hole();
    expect_assert_failure(alloc_walk_free(NULL, at_walk_collect, NULL));
    expect_assert_failure(alloc_walk_free(a, NULL, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        AT_TEST(bump_reports_the_rest_of_the_region_above_next),
        AT_TEST(bump_walk_refuses_next_outside_the_region),
        AT_TEST(linked_list_reports_its_free_list_in_address_order),
        AT_TEST(linked_list_walk_stops_at_the_first_bad_node),
        AT_TEST(fixed_block_reports_the_fallback_then_the_class_blocks),
        AT_TEST(fixed_block_walk_stops_at_a_broken_class_list),
        AT_TEST(fixed_block_walk_stops_a_cycle_under_a_huge_count),
        AT_TEST(fixed_block_walk_reports_a_block_ending_at_the_sentinel),
        AT_TEST(walk_free_with_a_null_heap_or_callback_panics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
