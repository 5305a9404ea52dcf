// Tests for core/frame.c's frame_alloc_from: the lowest free frame at or above an address (rounded
// up to a frame), past taken frames, holes and non-usable entries; 0 and no change when nothing is
// free there; frame_alloc's order left alone; a frame above 4 GiB on a 5 GiB map; a NULL
// allocator panics.
#include "test/unit/frame_test.h"

// one_region: frames [1 MiB, 17 MiB), the bitmaps in the first; 4095 managed.
#define FIRST 0x101000ull             // the lowest managed frame
#define LAST  (17 * MIB - FRAME_SIZE) // the highest

static uint64_t from_ok(uint64_t min_phys)
{
    uint64_t before = frame_free_count(&fa);
    uint64_t p = frame_alloc_from(&fa, min_phys);
    assert_int_not_equal(p, 0);
    assert_true(p >= min_phys);
    assert_int_equal(p % FRAME_SIZE, 0);
    assert_false(frame_is_free(&fa, p));
    assert_int_equal(frame_free_count(&fa), before - 1);
    assert_true(frame_check(&fa));
    return p;
}

// frame_alloc_from(min_phys) gives 0 and changes nothing.
static void expect_none_from(uint64_t min_phys)
{
    struct frame_allocator before = fa;
    assert_int_equal(frame_alloc_from(&fa, min_phys), 0);
    assert_memory_equal(&fa, &before, sizeof(fa));
    assert_true(frame_check(&fa));
}

static void takes_the_lowest_free_frame_at_or_above_the_address(void **state)
{
    init_ok(one_region, 1, NULL, 0, NO_LIMIT);
    assert_int_equal(from_ok(4 * MIB), 4 * MIB);
    assert_int_equal(from_ok(4 * MIB), 4 * MIB + FRAME_SIZE); // the first is taken now
    assert_int_equal(from_ok(2 * MIB), 2 * MIB);
    expect_counts(4095, 4092);
}

static void unaligned_address_rounds_up_to_the_next_frame(void **state)
{
    init_ok(one_region, 1, NULL, 0, NO_LIMIT);
    assert_int_equal(from_ok(4 * MIB + 1), 4 * MIB + FRAME_SIZE);
    assert_int_equal(from_ok(4 * MIB - 1), 4 * MIB);
    assert_int_equal(from_ok(LAST - 1), LAST);
    expect_none_from(LAST + 1);
}

static void address_below_the_managed_frames_gives_the_lowest_free_one(void **state)
{
    init_ok(one_region, 1, NULL, 0, NO_LIMIT);
    assert_int_equal(from_ok(0), FIRST);
    assert_int_equal(from_ok(FRAME_LOW), FIRST + FRAME_SIZE); // the bitmaps' frame is not managed
    assert_int_equal(from_ok(FRAME_SIZE - 1), FIRST + 2 * FRAME_SIZE);
}

static void skips_holes_non_usable_entries_and_reserved_frames(void **state)
{
    init_mixed();
    assert_int_equal(from_ok(0x1000000), 0x2801000); // a hole up to the unaligned entry
    assert_int_equal(from_ok(0x2801000), 0x2802000);
    assert_int_equal(from_ok(0x2802001), 0x3000000);
    assert_int_equal(from_ok(0x3100000), 0x3101000); // an ACPI reclaimable entry
    assert_int_equal(from_ok(0x600000), 0x601000);   // an ACPI NVS entry
    assert_int_equal(from_ok(0x500000), 0x501000);   // a reserved range (the boot info)
    assert_int_equal(from_ok(0x100000), 0x182000);   // the kernel image, then the bitmaps
    expect_none_from(50 * MIB);                      // past the last entry
}

static void nothing_free_at_or_above_the_address_gives_zero(void **state)
{
    init_ok(one_region, 1, NULL, 0, NO_LIMIT);
    expect_none_from(LAST + FRAME_SIZE);
    expect_none_from(UINT64_MAX); // no overflow rounding it up
    assert_int_equal(from_ok(LAST), LAST);
    expect_none_from(LAST);
    while (frame_alloc(&fa) != 0)
        ;
    expect_none_from(0);
    expect_counts(4095, 0);
}

static void empty_allocator_gives_zero(void **state)
{
    static const struct boot_mmap_entry below_1_mib[] = {{0, 0x9fc00, U}};
    fa = (struct frame_allocator){0};
    expect_none_from(0);
    assert_int_equal(frame_init(&fa, below_1_mib, 1, NULL, 0, NO_LIMIT), E_NOMEM);
    expect_none_from(0);
}

// The call does not move frame_alloc's search: frame_alloc goes on bottom-up where it was and
// steps over the frame taken from under it; a freed one is taken again.
static void leaves_frame_alloc_order_alone(void **state)
{
    init_ok(one_region, 1, NULL, 0, NO_LIMIT);
    assert_int_equal(alloc_ok(), FIRST);
    assert_int_equal(from_ok(FIRST + 2 * FRAME_SIZE), FIRST + 2 * FRAME_SIZE);
    uint64_t high = from_ok(8 * MIB);
    assert_int_equal(alloc_ok(), FIRST + FRAME_SIZE);
    assert_int_equal(alloc_ok(), FIRST + 3 * FRAME_SIZE);
    free_ok(high);
    assert_int_equal(from_ok(8 * MIB), high);
    expect_counts(4095, 4090);
}

// As in the kernel with 5 GiB of RAM: the first frame above 4 GiB, while frame_alloc still hands
// out the lowest frames.
static void frame_above_4_gib_on_a_5_gib_map(void **state)
{
    static const struct boot_mmap_entry map[] = {
        {4 * GIB, 2 * GIB, U}, {0, 0x9fc00, U}, {3 * GIB, 1 * GIB, R}, {1 * MIB, 3 * GIB, U}};
    init_ok(map, N(map), NULL, 0, 4 * GIB);
    uint64_t low = alloc_ok();
    assert_true(low < 2 * MIB);
    assert_int_equal(from_ok(4 * GIB), 4 * GIB);
    assert_int_equal(from_ok(3 * GIB), 4 * GIB + FRAME_SIZE); // the reserved GiB is skipped
    assert_int_equal(alloc_ok(), low + FRAME_SIZE);
    assert_int_equal(from_ok(6 * GIB - FRAME_SIZE), 6 * GIB - FRAME_SIZE);
    expect_none_from(6 * GIB - FRAME_SIZE);
}

static void null_allocator_panics(void **state)
{
    expect_assert_failure(frame_alloc_from(NULL, 0));
    assert_non_null(strstr(mock_panic_message(), "frame_alloc_from"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(takes_the_lowest_free_frame_at_or_above_the_address),
        T(unaligned_address_rounds_up_to_the_next_frame),
        T(address_below_the_managed_frames_gives_the_lowest_free_one),
        T(skips_holes_non_usable_entries_and_reserved_frames),
        T(nothing_free_at_or_above_the_address_gives_zero),
        T(empty_allocator_gives_zero),
        T(leaves_frame_alloc_order_alone),
        T(frame_above_4_gib_on_a_5_gib_map),
        T(null_allocator_panics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
