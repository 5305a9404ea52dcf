// Tests for how much core/alloc/fixed_block.c serves: growth (of empty, full and fragmented heaps,
// and past the end of the address space), running out, filling the heap to its last bytes, tiny
// heaps, large alignments, and the statistics, largest_free above all: the largest request that
// succeeds. The region is 4096-aligned unless said otherwise: the fallback's (TLSF's) first block
// header is then 8 bytes past its start, the first pointer it hands out 16 past it, and its
// sentinel 8 bytes before the last multiple of 16 below the end (a 4096-byte region holds 4080
// bytes of blocks).
#include "test/unit/alloc_cases.h"
#include "test/unit/alloc_fixed_block_test.h"

// ---- growth, running out, tiny heaps -----------------------------------------------------------

static void grow_an_empty_heap(void **state)
{
    struct allocator *a = make(0, 0);
    at_grow_an_empty_heap(a);
    assert_whole(a);
    void *p = at_alloc_ok(a, 1, 1);
    at_free_ok(a, p, 1, 1);
}

// 4072 bytes take the fallback's one 4080-byte block whole. The grown 8192 bytes start at the
// old sentinel (4088), so the first pointer in them is 4096: 2048-aligned, where the 2048-byte
// class's refill lands.
static void grow_a_full_heap(void **state)
{
    struct allocator *a = make(0, 4096);
    assert_int_equal(at_stats(a).largest_free, 4072);
    void *p = at_alloc_ok(a, 4072, 1);
    assert_null(alloc_alloc(a, 8, 1));
    assert_int_equal(at_stats(a).free, 0);
    at_grow(a, 8192);
    void *q = at_alloc_ok(a, 2048, 2048);
    assert_int_equal((uintptr_t)q - at_base(), 4096);
    at_free_ok(a, p, 4072, 1);
    at_free_ok(a, q, 2048, 2048);
    assert_nothing_lost(a);
}

// A 64-byte class refill first, then four 3900-byte blocks (3920 each in the fallback) and a
// 368-byte rest; the second and the fourth freed (the fourth merging with the rest), then the heap
// grown: the grown bytes join the free last block, and all of it is served as one block where the
// fourth was.
static void grow_a_fragmented_heap(void **state)
{
    struct allocator *a = make(0, 16384);
    void *c = at_alloc_ok(a, 64, 1);
    void *b[4];
    at_alloc_blocks(a, b, 4, 3900);
    at_free_ok(a, c, 64, 1);
    at_free_ok(a, b[1], 3900, 1);
    at_free_ok(a, b[3], 3900, 1);
    size_t last = fallback_stats().largest_free + TLSF_HEADER;
    assert_int_equal(last, 3920 + 368);
    at_grow(a, 8192);
    assert_int_equal(fallback_stats().largest_free, last + 8192 - TLSF_HEADER);
    assert_int_equal(heap.fallback.free_blocks, 3); // b[1], the tail, the refill's alignment gap
    void *big = at_alloc_ok(a, last + 8192 - TLSF_HEADER, 1);
    assert_ptr_equal(big, b[3]);
    at_free_ok(a, big, last + 8192 - TLSF_HEADER, 1);
    assert_ptr_equal(at_alloc_ok(a, 64, 1), c); // the class list still comes first
}

static void grow_past_the_end_of_the_address_space_is_erange(void **state)
{
    struct allocator *a = make(0, 1024);
    at_grow_past_the_end_of_the_address_space_is_erange(a);
    assert_int_equal(at_stats(a).region_size, 1024);
    assert_whole(a);
}

// 64-byte blocks until none is left: the batches 4, 8 and 16 fit whole in the 4080 bytes, then
// the 32 does not and is halved to 16, and the batches after (twice what fitted) are halved down
// to what the shrinking rest still holds: 8, then 4. Each refill leaves a 48-byte alignment gap in
// front, free in the fallback (too small for a 64-aligned refill), and 112 bytes stay at the end.
static void out_of_memory_returns_null_and_the_heap_stays_usable(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p[56];
    at_alloc_blocks(a, p, 56, 64);
    assert_int_equal(heap.refills, 6);
    assert_int_equal(heap.refill_bytes, 56 * 64);
    assert_int_equal(heap.counts[3], 0);
    assert_int_equal(heap.batch[3], 8);
    assert_null(alloc_alloc(a, 64, 1));
    assert_int_equal(at_stats(a).largest_free, 32); // a 32-byte refill fits the last 112 bytes
    assert_int_equal(heap.refills, 6);
    at_free_ok(a, p[5], 64, 1);
    assert_null(alloc_alloc(a, 128, 1)); // another class: no fallback room for a refill
    assert_ptr_equal(at_alloc_ok(a, 33, 1), p[5]);
    for (int i = 0; i < 56; i++)
        at_free_ok(a, p[i], i == 5 ? 33 : 64, 1);
    assert_nothing_lost(a);
}

// 8-byte blocks until none is left: the batches 31, 63, 127 and 255 (256, 512, 1024 and 2048
// bytes of the fallback, headers included) fit whole; of the last 240 bytes a 511 batch, halved,
// takes 15 blocks (128 bytes), the next (31 halved) 7 (64), the last 3 (the 48 left: a rest of 16
// is not split off). Every byte of the fallback is in a class then.
static void fill_to_the_last_byte(void **state)
{
    struct allocator *a = make(0, 4096);
    static void *p[501];
    at_fill(a, p, 501, 8);
    assert_int_equal(heap.refills, 7);
    assert_int_equal(heap.refill_bytes, 501 * 8);
    assert_int_equal(heap.fallback.free_blocks, 0);
    assert_int_equal(heap.fallback.in_use, fallback_span());
    // A refill that fails tries the next batch (7, twice the 3 that fitted) and its half, 3, no
    // smaller: two failed searches, each as many steps as one in a heap with no free block.
    static struct tlsf_heap empty;
    static unsigned char nothing[1];
    tlsf_init(&empty, nothing, 0);
    assert_null(alloc_alloc(&empty.base, 24, 8));
    unsigned long before = a->steps;
    assert_null(alloc_alloc(a, 8, 1));
    assert_int_equal(a->steps - before, 2 * empty.base.steps);
    for (int i = 0; i < 501; i++)
        at_free_ok(a, p[i], 8, 1);
    assert_nothing_lost(a);
    at_fill(a, p, 501, 8); // again, from the class list alone
    assert_int_equal(heap.refills, 7);
}

// A batch that does not fit whole is halved until it does: in 240 bytes of blocks, four 64-byte
// blocks (a search for 256 + 16 + 64 + 32 bytes, tlsf.h's aligned search) do not fit, two do;
// the next batch is twice what fitted.
static void a_batch_that_does_not_fit_is_halved(void **state)
{
    struct allocator *a = make(0, 256);
    assert_int_equal(heap.batch[3], 4);
    void *p = at_alloc_ok(a, 64, 1);
    assert_int_equal(heap.refills, 1);
    assert_int_equal(heap.refill_bytes, 128);
    assert_int_equal(heap.counts[3], 1);
    assert_int_equal(heap.batch[3], 4);
    void *q = at_alloc_ok(a, 64, 1);
    assert_ptr_equal(q, (unsigned char *)p + 64);
    assert_null(alloc_alloc(a, 64, 1));
    assert_int_equal(heap.refills, 1);
    at_free_ok(a, p, 64, 1);
    at_free_ok(a, q, 64, 1);
    assert_nothing_lost(a);
}

// The fallback's smallest block (32 bytes: header, two links, boundary tag) takes a 48-byte
// region; 47 bytes hold no block.
static void region_smaller_than_the_smallest_block_serves_nothing(void **state)
{
    struct allocator *a = make(0, 47);
    assert_null(alloc_alloc(a, 1, 1));
    assert_int_equal(at_stats(a).largest_free, 0);
    assert_int_equal(at_stats(a).free, 0);
    at_check(a);
}

static void region_of_exactly_the_smallest_block_serves_three_8_byte_blocks(void **state)
{
    struct allocator *a = make(0, 48);
    assert_null(alloc_alloc(a, 17, 1));
    void *p = at_alloc_ok(a, 8, 1);
    void *q = at_alloc_ok(a, 8, 8);
    void *r = at_alloc_ok(a, 1, 1);
    assert_int_equal((uintptr_t)p - at_base(), 16);
    assert_null(alloc_alloc(a, 1, 1));
    at_free_ok(a, q, 8, 8);
    at_free_ok(a, p, 8, 1);
    at_free_ok(a, r, 1, 1);
    assert_null(alloc_alloc(a, 16, 1)); // the block now belongs to the 8-byte class
    assert_int_equal(at_stats(a).largest_free, 8);
    assert_int_equal(at_stats(a).free, 24);
}

static void large_alignments_are_served_where_the_region_allows(void **state)
{
    struct allocator *a = make(16, 128 * 1024);
    at_large_alignments_are_served(a);
    assert_nothing_lost(a);
}

// ---- stats -------------------------------------------------------------------------------------

// The 128-byte class's first refill (two blocks, 272 bytes of the fallback) leaves a 112-byte
// alignment gap in front; the 3000-byte block takes 3008; the fallback's free bytes are its free
// blocks less a header each (tlsf.h), the class list's blocks count whole.
static void stats_count_class_lists_as_free(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 100, 1);
    void *q = at_alloc_ok(a, 3000, 1);
    struct alloc_stats st = at_stats(a);
    assert_int_equal(st.used, 3100);
    assert_int_equal(st.peak_used, 3100);
    assert_int_equal(st.allocations, 2);
    assert_int_equal(heap.fallback.free_blocks, 2);
    assert_int_equal(fallback_stats().free, 4080 - 272 - 3008 - 2 * TLSF_HEADER);
    assert_int_equal(st.free, fallback_stats().free + 128);
    at_free_ok(a, p, 100, 1);
    st = at_stats(a);
    assert_int_equal(st.used, 3000);
    assert_int_equal(st.peak_used, 3100);
    assert_int_equal(st.free, fallback_stats().free + 256);
    at_free_ok(a, q, 3000, 1);
    assert_nothing_lost(a);
}

// largest_free is the largest request that succeeds, which need not be the largest free span: a
// class request needs a refill aligned to its class, and the fallback looks for size + align +
// 32 bytes to serve an alignment above 16 (tlsf.h): in the one 2032-byte block, a 1024-byte
// refill would need 2096, a 512-byte one needs 1072.
static void largest_free_is_the_largest_request_that_succeeds(void **state)
{
    struct allocator *a = make(0, 2048);
    assert_int_equal(at_stats(a).free, 2024);
    assert_int_equal(at_stats(a).largest_free, 512);
    assert_null(alloc_alloc(a, 513, 1));
    assert_null(alloc_alloc(a, 2024, 1));
    at_largest_free_is_exact(a);
}

// A 4096-byte hole between two live blocks: 4088 bytes go to the fallback, but the 2048-byte
// class's refill (2048 aligned to 2048) needs a 4144-byte block.
static void largest_free_is_not_monotonic_above_the_classes(void **state)
{
    struct allocator *a = make(0, 16384);
    void *p = at_alloc_ok(a, 6136, 1); // a 6144-byte block
    void *q = at_alloc_ok(a, 4088, 1); // 4096
    void *r = at_alloc_ok(a, 6120, 1); // the 6128 left
    assert_int_equal(at_stats(a).free, 0);
    at_free_ok(a, q, 4088, 1);
    assert_int_equal(at_stats(a).largest_free, 4088);
    assert_null(alloc_alloc(a, 2048, 1));
    at_largest_free_is_exact(a); // 4088 succeeds, 4089 does not
    void *t = at_alloc_ok(a, 2049, 1);
    at_free_ok(a, t, 2049, 1);
    at_free_ok(a, p, 6136, 1);
    at_free_ok(a, r, 6120, 1);
    assert_whole(a);
}

// The region starts 8 below a 2048-aligned address, so the fallback's first pointer is
// 2048-aligned: the 2048-byte class's refill takes the first 2064 bytes, a 4072-byte block the
// 4080 left.
static void largest_free_counts_a_class_list_block(void **state)
{
    struct allocator *a = make(2040, 6152);
    void *p = at_alloc_ok(a, 2048, 1);
    assert_int_equal((uintptr_t)p - at_base(), 8);
    void *q = at_alloc_ok(a, 4072, 1);
    assert_int_equal(fallback_stats().free, 0);
    assert_int_equal(at_stats(a).largest_free, 0);
    at_free_ok(a, p, 2048, 1);
    assert_int_equal(fallback_stats().free, 0);
    assert_int_equal(at_stats(a).largest_free, 2048);
    assert_null(alloc_alloc(a, 2049, 1));
    at_free_ok(a, q, 4072, 1);
    assert_nothing_lost(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        AT_TEST(grow_an_empty_heap),
        AT_TEST(grow_a_full_heap),
        AT_TEST(grow_a_fragmented_heap),
        AT_TEST(grow_past_the_end_of_the_address_space_is_erange),
        AT_TEST(out_of_memory_returns_null_and_the_heap_stays_usable),
        AT_TEST(fill_to_the_last_byte),
        AT_TEST(a_batch_that_does_not_fit_is_halved),
        AT_TEST(region_smaller_than_the_smallest_block_serves_nothing),
        AT_TEST(region_of_exactly_the_smallest_block_serves_three_8_byte_blocks),
        AT_TEST(large_alignments_are_served_where_the_region_allows),
        AT_TEST(stats_count_class_lists_as_free),
        AT_TEST(largest_free_is_the_largest_request_that_succeeds),
        AT_TEST(largest_free_is_not_monotonic_above_the_classes),
        AT_TEST(largest_free_counts_a_class_list_block),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
