// Tests for tlsf_add_area (core/alloc/tlsf.h): second and third areas served and freed, blocks
// freed into their own area and never merged across areas (not even touching ones), its answers
// (E_INVAL, E_RANGE, E_EXIST, E_TOOBIG) with nothing changed, E_RANGE for a pointer between
// areas or past TLSF_MAX_AREAS of them (where check() follows no link either), grow extending only
// the region given to init, an area too small for a block, the statistics over several areas, and
// a random run over three areas against the shadow model.
#include "test/unit/alloc_tlsf_test.h"

#include <stdint.h>

#define SEED 20240616u

// The heap's areas all lie in one window of the arena (window bytes past a page); area 0 over
// [offset, offset + size) of it.
static struct allocator *make_in(size_t window, size_t offset, size_t size)
{
    mock_hw_reset();
    unsigned char *w = at_region(0, window);
    assert_int_equal(tlsf_init(&heap, w + offset, size), 0);
    at_check(&heap.base);
    return bound_steps();
}

static void add(size_t offset, size_t size)
{
    assert_int_equal(tlsf_add_area(&heap, (void *)at_off(offset), size), 0);
    at_check(&heap.base);
}

// Every byte of the window outside the areas (as given, grown or not) still holds the fill.
static void assert_nothing_written_between_areas(void)
{
    size_t from = at_win_lo;
    while (from < at_win_hi) {
        size_t next = at_win_hi, skip_to = at_win_hi;
        for (unsigned i = 0; i < heap.nareas; i++) {
            size_t s = heap.areas[i].start - (uintptr_t)at_arena;
            size_t e = heap.areas[i].raw_end - (uintptr_t)at_arena;
            if (s <= from && e > from) {
                next = from;
                skip_to = e;
                break;
            }
            if (s > from && s < next) {
                next = s;
                skip_to = e;
            }
        }
        at_expect_fill(from, next);
        from = skip_to;
    }
}

// Area i is one free block of its whole usable span.
static void assert_area_whole(unsigned i)
{
    const struct tlsf_area *ar = &heap.areas[i];
    LAYOUT_OF(i, {off(ar->lo), ar->end - ar->lo, FREE});
}

// ---- serving from several areas ----------------------------------------------------------------

static void add_area_makes_an_area_of_one_free_block(void **state)
{
    struct allocator *a = make_in(16384, 0, 4096);
    add(8192 + 3, 2000); // [8195, 10195): blocks in [8200, 10184)
    assert_int_equal(heap.nareas, 2);
    assert_int_equal(heap.areas[1].start, at_off(8195));
    assert_int_equal(heap.areas[1].lo, at_off(8200));
    assert_int_equal(heap.areas[1].end, at_off(10184));
    LAYOUT_OF(1, {8200, 1984, FREE});
    struct alloc_stats st = at_stats(a);
    assert_int_equal(st.region_size, 4096 + 2000);
    assert_int_equal(st.free, 4072 + 1976);
    assert_int_equal(st.largest_free, 4072);
    assert_nothing_written_between_areas();
}

// Requests go to the area whose free block has the smallest class that fits: area 0 until it is
// full, then areas 1 and 2; everything freed, each area is one free block again.
static void a_second_and_third_area_are_served_and_freed(void **state)
{
    struct allocator *a = make_in(32768, 0, 4096); // [8, 4088)
    add(8192, 8192);                               // [8200, 16376)
    add(16384, 16384);                             // [16392, 32760)
    void *p[85];
    at_alloc_blocks(a, p, 85, 40); // all of area 0
    for (int i = 0; i < 85; i++)
        assert_int_equal(block_of(p[i]), at_off(8 + 48 * (size_t)i));
    void *x = at_alloc_ok(a, 3000, 1);
    LAYOUT_OF(1, {8200, 3008, USED}, {11208, 5168, FREE});
    void *y = at_alloc_ok(a, 6000, 1); // over area 1's 5168 bytes left
    LAYOUT_OF(2, {16392, 6016, USED}, {22408, 10352, FREE});
    void *z = at_alloc_ok(a, 5160, 1); // 5168 rounds up to 5248: a class only area 2 has
    assert_int_equal(block_of(z), at_off(22408));
    // Now the first block of its own class: area 2's 5184-byte rest, listed after area 1's.
    void *w = at_alloc_ok(a, 5160, 1);
    LAYOUT_OF(2, {16392, 6016, USED}, {22408, 5168, USED}, {27576, 5184, USED});
    void *v = at_alloc_ok(a, 5160, 1); // and then area 1's
    assert_int_equal(block_of(v), at_off(11208));
    assert_null(alloc_alloc(a, 1, 1));
    at_free_ok(a, y, 6000, 1);
    at_free_ok(a, x, 3000, 1);
    at_free_ok(a, z, 5160, 1);
    at_free_ok(a, w, 5160, 1);
    at_free_ok(a, v, 5160, 1);
    for (int i = 0; i < 85; i++)
        at_free_ok(a, p[i], 40, 1);
    for (unsigned i = 0; i < 3; i++)
        assert_area_whole(i);
    struct alloc_stats st = at_stats(a);
    assert_int_equal(st.free, 4072 + 8168 + 16360);
    assert_int_equal(st.largest_free, 16360);
    assert_int_equal(st.used + st.allocations, 0);
    assert_int_equal(st.region_size, 4096 + 8192 + 16384);
    assert_nothing_written_between_areas();
}

// Two areas that touch: the last block of one and the first of the other are never merged.
static void touching_areas_are_never_merged(void **state)
{
    struct allocator *a = make_in(8192, 0, 4096);
    add(4096, 4096); // starts where area 0 ends
    void *x = at_alloc_ok(a, 4072, 1);
    void *y = at_alloc_ok(a, 4072, 1);
    assert_true(block_of(x) == at_off(8) || block_of(x) == at_off(4104));
    at_free_ok(a, y, 4072, 1);
    at_free_ok(a, x, 4072, 1);
    LAYOUT_OF(0, {8, 4080, FREE});
    LAYOUT_OF(1, {4104, 4080, FREE});
    assert_int_equal(at_stats(a).largest_free, 4072);
    assert_null(alloc_alloc(a, 4073, 1));
    assert_nothing_written_between_areas();
}

// A block freed merges with its neighbours in its own area only.
static void a_free_goes_to_the_area_of_its_block(void **state)
{
    struct allocator *a = make_in(16384, 0, 1024);
    add(4096, 1024);
    void *p[21 * 2];
    at_alloc_blocks(a, p, 42, 40); // both areas: 21 blocks of 48 in each
    assert_null(alloc_alloc(a, 1, 1));
    size_t in_1 = 0;
    for (int i = 0; i < 42; i++)
        in_1 += block_of(p[i]) >= at_off(4096);
    assert_int_equal(in_1, 21);
    for (int i = 0; i < 42; i++) {
        if (block_of(p[i]) >= at_off(4096))
            at_free_ok(a, p[i], 40, 1);
    }
    assert_area_whole(1);
    assert_int_equal(at_stats(a).free, 1008 - 8);
    for (int i = 0; i < 42; i++) {
        if (block_of(p[i]) < at_off(4096))
            at_free_ok(a, p[i], 40, 1);
    }
    assert_area_whole(0);
    assert_nothing_written_between_areas();
}

// ---- answers -----------------------------------------------------------------------------------

static void add_area_answers(struct tlsf_heap *h, uintptr_t mem, size_t size, int rc)
{
    snapshot();
    int got = tlsf_add_area(h, (void *)mem, size);
    if (got != rc)
        fail_msg("tlsf_add_area(%#lx, %zu) = %d, expected %d", (unsigned long)mem, size, got, rc);
    assert_unchanged();
}

static void add_area_of_null_is_einval(void **state)
{
    make_in(8192, 0, 4096);
    add_area_answers(&heap, 0, 4096, E_INVAL);
    add_area_answers(&heap, 0, 0, E_INVAL);
}

static void add_area_that_wraps_the_address_space_is_erange(void **state)
{
    make_in(8192, 0, 4096);
    add_area_answers(&heap, UINTPTR_MAX - 100, 200, E_RANGE);
    add_area_answers(&heap, UINTPTR_MAX - 4095, 4096, E_RANGE);
    add_area_answers(&heap, at_off(4096), SIZE_MAX, E_RANGE);
}

static void add_area_overlapping_an_area_is_eexist(void **state)
{
    make_in(16384, 1024, 4096);                           // area 0 [1024, 5120)
    add(8192, 1024);                                      // area 1 [8192, 9216)
    add_area_answers(&heap, at_off(0), 1025, E_EXIST);    // its first byte
    add_area_answers(&heap, at_off(5119), 100, E_EXIST);  // its last byte
    add_area_answers(&heap, at_off(2048), 16, E_EXIST);   // inside
    add_area_answers(&heap, at_off(0), 16384, E_EXIST);   // around both
    add_area_answers(&heap, at_off(1024), 4096, E_EXIST); // the same
    add_area_answers(&heap, at_off(9000), 4096, E_EXIST); // area 1
    add_area_answers(&heap, at_off(4096), 5000, E_EXIST); // both, bridging the gap
    add(5120, 1024);                                      // touching area 0 is no overlap
    add(7168, 1024);                                      // nor touching area 1
    assert_int_equal(heap.nareas, 4);
    assert_nothing_written_between_areas();
}

// Growth of area 0 counts: an area where it has grown overlaps.
static void add_area_where_the_region_has_grown_is_eexist(void **state)
{
    struct allocator *a = make_in(16384, 0, 4096);
    at_grow(a, 4096);
    add_area_answers(&heap, at_off(8000), 100, E_EXIST);
    add(8192, 100);
}

static void add_area_beyond_tlsf_max_areas_is_etoobig(void **state)
{
    make_in(TLSF_MAX_AREAS * 1024 + 1024, 0, 1024);
    for (unsigned i = 1; i < TLSF_MAX_AREAS; i++)
        add(i * 1024, 1024);
    assert_int_equal(heap.nareas, TLSF_MAX_AREAS);
    add_area_answers(&heap, at_off(TLSF_MAX_AREAS * 1024), 1024, E_TOOBIG);
    assert_int_equal(at_stats(&heap.base).region_size, TLSF_MAX_AREAS * 1024);
    assert_nothing_written_between_areas();
}

// With all TLSF_MAX_AREAS areas in use, an address past the last is in none of them: free refuses
// a pointer there, check() a link there without following it.
static void an_address_past_tlsf_max_areas_is_in_none(void **state)
{
    make_in(TLSF_MAX_AREAS * 1024 + 1024, 0, 1024);
    for (unsigned i = 1; i < TLSF_MAX_AREAS; i++)
        add(i * 1024, 1024);
    uintptr_t past = at_off(TLSF_MAX_AREAS * 1024 + 8);
    assert_free_fails(&heap.base, (void *)(past + 8), 16, 16, E_RANGE);
    uintptr_t tail = heap.areas[0].lo; // the first area's block, last on their common list
    assert_int_equal(links_at(tail)[0], 0);
    links_at(tail)[0] = past;
    ASAN_POISON_MEMORY_REGION((void *)past, 32);
    at_expect_check_fails(&heap.base, "which does not link back");
    ASAN_UNPOISON_MEMORY_REGION((void *)past, 32);
    links_at(tail)[0] = 0;
}

static void add_area_with_a_null_heap_panics(void **state)
{
    mock_hw_reset();
    static _Alignas(16) unsigned char mem[256];
    expect_assert_failure(tlsf_add_area(NULL, mem, sizeof(mem)));
}

// ---- pointers, growth --------------------------------------------------------------------------

static void a_pointer_between_areas_is_erange(void **state)
{
    struct allocator *a = make_in(16384, 0, 4096); // blocks in [8, 4088)
    add(8192 + 5, 4096 + 4);                       // [8197, 12297): blocks in [8200, 12280)
    void *p = at_alloc_ok(a, 24, 1);
    assert_free_fails(a, (void *)at_off(4096), 16, 16, E_RANGE); // area 0's sentinel's end
    assert_free_fails(a, (void *)at_off(6144), 16, 16, E_RANGE); // the gap
    assert_free_fails(a, (void *)at_off(8192), 1, 1, E_RANGE);   // before area 1's start
    assert_free_fails(a, (void *)at_off(8197), 1, 1, E_RANGE);   // before its first header
    assert_free_fails(a, (void *)at_off(12288), 1, 1, E_RANGE);  // its sentinel
    assert_free_fails(a, (void *)at_off(12272), 9, 16, E_RANGE); // into its sentinel
    assert_free_fails(a, (void *)at_off(4080), 24, 16, E_RANGE); // across the gap
    at_free_ok(a, p, 24, 1);
}

// grow extends the region given to init, whatever areas were added since.
static void grow_extends_the_region_given_to_init(void **state)
{
    struct allocator *a = make_in(8192, 4096, 1024); // area 0 [4096, 5120): growth behind it
    add(0, 1024);
    at_grow(a, 1024);
    LAYOUT_OF(0, {4104, 2032, FREE});
    LAYOUT_OF(1, {8, 1008, FREE});
    assert_int_equal(at_stats(a).region_size, 3072);
    assert_nothing_written_between_areas();
}

// An area under about 48 bytes (what depends on its offset) holds no block; it still counts in
// region_size, and check() is content, at every offset.
static void an_area_too_small_for_a_block_holds_none(void **state)
{
    struct allocator *a = make_in(8192, 0, 256);
    for (size_t i = 0; i < 7; i++) {
        add(1024 + i * 1024 + i * 3, i * 7);
        assert_int_equal(
            heap.areas[i + 1].end == 0 || heap.areas[i + 1].end == heap.areas[i + 1].lo, true);
    }
    assert_int_equal(at_stats(a).region_size, 256 + 7 * 6 / 2 * 7);
    assert_int_equal(at_stats(a).free, 240 - 8);
    assert_nothing_written_between_areas();
}

// ---- randomized --------------------------------------------------------------------------------

// Areas 1 and 2 first in the window, area 0 last so that its growth stays in the window; the model
// sees the whole window as the region (bounds), with region_size the heap's.
static void random_run_over_three_areas_matches_the_shadow_model(void **state)
{
    struct allocator *a = make_in(40000, 20003, 12000);
    add(3, 9000);
    add(9100, 10000);
    struct at_shadow *s = at_shadow_init(a, true);
    s->region_size = 31000;
    at_random_run(s, SEED, 20000, 32 * 1024);
    for (unsigned i = 0; i < 3; i++)
        assert_area_whole(i);
    assert_nothing_written_between_areas();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        AT_TEST(add_area_makes_an_area_of_one_free_block),
        AT_TEST(a_second_and_third_area_are_served_and_freed),
        AT_TEST(touching_areas_are_never_merged),
        AT_TEST(a_free_goes_to_the_area_of_its_block),
        AT_TEST(add_area_of_null_is_einval),
        AT_TEST(add_area_that_wraps_the_address_space_is_erange),
        AT_TEST(add_area_overlapping_an_area_is_eexist),
        AT_TEST(add_area_where_the_region_has_grown_is_eexist),
        AT_TEST(add_area_beyond_tlsf_max_areas_is_etoobig),
        AT_TEST(an_address_past_tlsf_max_areas_is_in_none),
        AT_TEST(add_area_with_a_null_heap_panics),
        AT_TEST(a_pointer_between_areas_is_erange),
        AT_TEST(grow_extends_the_region_given_to_init),
        AT_TEST(an_area_too_small_for_a_block_holds_none),
        AT_TEST(random_run_over_three_areas_matches_the_shadow_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
