// Tests for core/alloc/fixed_block.c that `make mutate` asked for: double frees of class blocks
// whose list successor is another free block (with the class's size bit set, or not, or the
// first block the fallback hands out), frees of
// fake blocks misaligned by one byte or running past the region's end while enough is live, the
// largest request when the fallback's one block is too small for the aligned refill of the class
// its size would allow, and check() on one broken invariant at a time (a list one longer than its
// count, a cycle under a huge count, a node past the region's end or misaligned by one byte,
// counters off in the direction the other tests do not try).
#include "test/unit/alloc_fixed_block_test.h"

#include <stdint.h>

// The four 64-byte blocks of one refill from an empty heap (64 bytes past the region's start, the
// first 64-aligned pointer the fallback can hand out, and in 64-byte steps after it); the first
// three are freed, the last stays live so that only the list walk can tell a double free.
static void double_free_is_found_whatever_the_successor(void **state)
{
    struct allocator *a = make(0, 4096);
    unsigned char *b[4];
    for (int i = 0; i < 4; i++)
        b[i] = at_alloc_ok(a, 64, 1);
    assert_ptr_equal(b[0], (unsigned char *)at_base() + 64);
    assert_ptr_equal(b[3], b[0] + 3 * 64);
    assert_int_equal(heap.refills, 1);
    for (int i = 0; i < 3; i++)
        at_free_ok(a, b[i], 64, 1);                        // the list: b[2] -> b[1] -> b[0]
    assert_int_equal(alloc_free(a, b[2], 64, 1), E_INVAL); // links to b[1]: the 64 bit clear
    assert_int_equal(alloc_free(a, b[1], 64, 1), E_INVAL); // links to b[0]: the 64 bit set
    assert_int_equal(alloc_free(a, b[0], 64, 1), E_INVAL); // the end of the list
    assert_int_equal(heap.counts[3], 3);
    at_free_ok(a, b[3], 64, 1);
    assert_nothing_lost(a);
}

// The first block of a 4096-aligned region sits 16 bytes in, the lowest address a class block can
// have: a double free whose list successor is that block is still found.
static void double_free_is_found_when_the_successor_is_the_first_block(void **state)
{
    struct allocator *a = make(0, 4096);
    unsigned char *b[3];
    for (int i = 0; i < 3; i++)
        b[i] = at_alloc_ok(a, 16, 1);
    assert_ptr_equal(b[0], (unsigned char *)at_base() + 16);
    at_free_ok(a, b[0], 16, 1);
    at_free_ok(a, b[1], 16, 1); // the list: b[1] -> b[0] -> the rest of the batch
    assert_int_equal(alloc_free(a, b[1], 16, 1), E_INVAL);
    at_free_ok(a, b[2], 16, 1);
    assert_nothing_lost(a);
}

static void free_one_byte_into_a_class_block_is_einval(void **state)
{
    struct allocator *a = make(0, 4096);
    unsigned char *p = at_alloc_ok(a, 8, 1);
    assert_int_equal(alloc_free(a, p + 1, 1, 1), E_INVAL);
    assert_int_equal(heap.counts[0], 30); // the rest of the refill, nothing more
    at_free_ok(a, p, 8, 1);
}

// The region ends 1024 bytes past base + 4096: a 2048-byte block there would run past it, even
// with a live 2048-byte block making the size and the class bytes plausible.
static void free_of_a_class_block_past_the_end_with_enough_live_is_einval(void **state)
{
    struct allocator *a = make(0, 4096 + 1024);
    void *p = at_alloc_ok(a, 2048, 1);
    assert_int_equal(alloc_free(a, (void *)(at_base() + 4096), 1024, 2048), E_INVAL);
    assert_int_equal(heap.counts[8], 0);
    at_free_ok(a, p, 2048, 1);
}

// The fallback's one block of 2032 bytes (from 1032 past a 4096-aligned address): it would serve 1024 bytes at alignment 1 (1040 with
// the header), but the 1024-byte class's refill asks for 1024 bytes aligned to 1024 (a search for
// 1040 + 1024 + 32), and the 512-byte class's for 1072 (which fits): the largest request is 512.
static void largest_request_with_a_block_too_small_for_the_aligned_refill(void **state)
{
    struct allocator *a = make(1024, 2048);
    assert_int_equal(fallback_stats().largest_free, 2024);
    assert_true(tlsf_fits(&heap.fallback, 1024, 1));
    assert_false(tlsf_fits(&heap.fallback, 1024, 1024));
    assert_int_equal(at_stats(a).largest_free, 512);
    at_largest_free_is_exact(a);
}

static void check_finds_a_list_one_longer_than_its_count(void **state)
{
    struct allocator *a = listed();
    heap.counts[3] = 3; // four on the list
    at_expect_check_fails(a, "longer than its count");
}

// A cycle under a count no list could reach: found by the region's bound on the walk.
static void check_finds_a_cycle_under_a_huge_count(void **state)
{
    struct allocator *a = make(0, AT_ARENA_SIZE);
    void *b[2];
    at_alloc_blocks(a, b, 2, 2048);
    at_free_ok(a, b[0], 2048, 1);
    at_free_ok(a, b[1], 2048, 1); // the list: b[1] -> b[0]
    ((struct fsb_node *)b[0])->link = (uintptr_t)b[1] ^ FSB_TAG;
    heap.counts[8] = SIZE_MAX;
    at_expect_check_fails(a, "(or a cycle)");
}

static void check_finds_a_node_running_past_the_region_end(void **state)
{
    struct allocator *a = make(0, 4096 + 1024);
    struct fsb_node *tail = (struct fsb_node *)(at_base() + 4096); // 1024 bytes from the end
    tail->link = FSB_TAG;
    heap.lists[8] = tail;
    heap.counts[8] = 1;
    at_expect_check_fails(a, "class 2048 node 0");
}

static void check_finds_a_node_one_byte_off(void **state)
{
    struct allocator *a = listed();
    struct fsb_node *second = (struct fsb_node *)(heap.lists[3]->link ^ FSB_TAG);
    heap.lists[3]->link = ((uintptr_t)second + 1) ^ FSB_TAG;
    at_expect_check_fails(a, "class 64 node 1 at");
}

// A node just past the region's end, aligned for its class (check only reads it).
static void check_finds_a_node_past_the_region_end(void **state)
{
    struct allocator *a = listed();
    heap.lists[3]->link = (at_base() + 4096 + 64) ^ FSB_TAG;
    at_expect_check_fails(a, "class 64 node 1 at");
}

static void check_finds_counters_off_the_other_way(void **state)
{
    struct allocator *a = listed();
    heap.refill_bytes -= 64; // fewer refilled bytes than listed and live
    at_expect_check_fails(a, "refills");
    heap.refill_bytes += 64;
    heap.refills--; // the fallback has more allocations than refills and large blocks
    at_expect_check_fails(a, "large blocks");
    heap.refills++;
    at_check(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        AT_TEST(double_free_is_found_whatever_the_successor),
        AT_TEST(double_free_is_found_when_the_successor_is_the_first_block),
        AT_TEST(free_one_byte_into_a_class_block_is_einval),
        AT_TEST(free_of_a_class_block_past_the_end_with_enough_live_is_einval),
        AT_TEST(largest_request_with_a_block_too_small_for_the_aligned_refill),
        AT_TEST(check_finds_a_list_one_longer_than_its_count),
        AT_TEST(check_finds_a_cycle_under_a_huge_count),
        AT_TEST(check_finds_a_node_running_past_the_region_end),
        AT_TEST(check_finds_a_node_one_byte_off),
        AT_TEST(check_finds_a_node_past_the_region_end),
        AT_TEST(check_finds_counters_off_the_other_way),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
