// Tests for core/paging.c that `make mutate` asked for: table frames at the very end of reachable
// memory (the last whole frame is a table; a frame one byte short is not and must not be
// written), frames that are not 4 KiB frames below 2^52, an unreachable root, a failed map that
// linked nothing (and so flushes nothing), ranges at the edges of the canonical hole and of 2^52,
// a length off by one byte, the rollback of a range that switched from 2 MiB to 4 KiB steps, and
// pt_map_range's own check of its table.
#include "test/unit/paging_test.h"

// A frame source of one fixed frame (0 once it is handed out) that remembers what came back.
struct one_frame {
    uint64_t frame, freed;
    bool given;
};
static struct one_frame one;

static uint64_t one_alloc(void *ctx)
{
    if (one.given)
        return 0;
    one.given = true;
    return one.frame;
}

static void one_free(void *ctx, uint64_t phys)
{
    one.freed = phys;
    one.given = false;
}

static const struct pt_frames one_frame = {one_alloc, one_free, &one};

static void a_table_in_the_last_frame_of_memory_is_usable(void **state)
{
    struct page_table t;
    one = (struct one_frame){.frame = ARENA_BASE + ARENA_SIZE - 4096};
    src.used[NFRAMES - 1] = true; // keep the shared source off it
    assert_int_equal(pt_init(&t, one_frame), 0);
    assert_int_equal(t.root, ARENA_BASE + ARENA_SIZE - 4096);
    assert_int_equal(pt_translate(&t, 0x400000, NULL), E_NOENT);
    pt_destroy(&t);
    assert_int_equal(one.freed, ARENA_BASE + ARENA_SIZE - 4096);
}

static void a_frame_one_byte_short_of_memory_is_unreachable(void **state)
{
    pt_destroy(&pt); // the arena is replaced below
    struct page_table t;
    mock_phys_arena(ARENA_BASE, 2 * 4096 - 1);
    one = (struct one_frame){.frame = ARENA_BASE + 4096};
    assert_int_equal(pt_init(&t, one_frame), E_RANGE);
    assert_int_equal(one.freed, ARENA_BASE + 4096);
    assert_int_equal(t.root, 0);
}

static void init_with(uint64_t frame)
{
    struct page_table t;
    one = (struct one_frame){.frame = frame};
    pt_init(&t, one_frame);
}

static void frames_that_are_not_4k_frames_below_2_52_panic(void **state)
{
    expect_assert_failure(init_with(ARENA_BASE + 1));
    expect_assert_failure(init_with(ARENA_BASE + 0x800));
    expect_assert_failure(init_with(PT_PHYS_LIMIT));
    expect_assert_failure(init_with(PT_PHYS_LIMIT + 4096));
    assert_non_null(strstr(mock_panic_message(), "not a 4 KiB frame below 2^52"));
}

static void a_map_under_an_unreachable_root_gives_erange(void **state)
{
    struct page_table bad = pt;
    bad.root = OUTSIDE;
    assert_int_equal(pt_map(&bad, 0x400000, 0x9000, K4, 0), E_RANGE);
    assert_int_equal(pt_translate(&bad, 0x400000, NULL), E_RANGE);
    assert_int_equal(src.live, 1);
}

static void a_failed_map_that_linked_nothing_flushes_nothing(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    size_t flushes = mock_invlpg_count();
    assert_int_equal(pt_map(&pt, 0x400000, 0xa000, K4, 0), E_EXIST);
    assert_int_equal(pt_map(&pt, 0x400000, 0, M2, 0), E_EXIST);
    assert_int_equal(mock_invlpg_count(), flushes);
}

static void an_empty_range_at_or_beyond_2_52_is_invalid(void **state)
{
    assert_int_equal(pt_map_range(&pt, 0x400000, PT_PHYS_LIMIT, 0, 0, K4), E_INVAL);
    assert_int_equal(pt_map_range(&pt, 0x400000, PT_PHYS_LIMIT + K4, 0, 0, K4), E_INVAL);
}

// Refused before anything is mapped: no table made, nothing flushed.
static void a_range_into_the_hole_is_refused_up_front(void **state)
{
    assert_int_equal(pt_map_range(&pt, 0x00007ffffffff000, 0, 2 * K4, 0, K4), E_INVAL);
    assert_int_equal(src.allocs, 1);
    assert_int_equal(mock_invlpg_count(), 0);
    // One byte into the hole is already the hole, whatever the alignment says.
    assert_int_equal(pt_map_range(&pt, 0x00007ffffffff000, 0, K4 + 1, 0, K4), E_INVAL);
}

static void a_length_one_byte_over_a_page_gives_ealign(void **state)
{
    assert_int_equal(pt_map_range(&pt, 0x400000, 0, K4 + 1, 0, K4), E_ALIGN);
    assert_int_equal(src.allocs, 1);
}

// [0x200000, 0x5ff000) with 2 MiB and 4 KiB: one 2 MiB page, then 4 KiB pages from 0x400000 (too
// little left for 2 MiB) until 0x403000, which is taken. The rollback must undo the 4 KiB steps
// as 4 KiB steps.
static void rollback_after_the_step_size_drops_undoes_every_step(void **state)
{
    map_ok(0x403000, 0x9000, K4, 0);
    size_t live = src.live;
    assert_int_equal(pt_map_range(&pt, 0x200000, 0x200000, 0x3ff000, 0, K4 | M2), E_EXIST);
    assert_unmapped(0x200000);
    assert_unmapped(0x400000);
    assert_unmapped(0x401000);
    assert_unmapped(0x402000);
    assert_int_equal(translate_ok(0x403000).phys, 0x9000);
    assert_int_equal(src.live, live);
}

static void map_range_checks_its_own_table(void **state)
{
    expect_assert_failure(pt_map_range(NULL, 0x400000, 0, K4, 0, K4));
    assert_non_null(strstr(mock_panic_message(), "pt_map_range"));
    struct page_table gone = pt;
    gone.root = 0;
    expect_assert_failure(pt_map_range(&gone, 0x400000, 0, K4, 0, K4));
    assert_non_null(strstr(mock_panic_message(), "pt_map_range"));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(a_table_in_the_last_frame_of_memory_is_usable),
        T(a_frame_one_byte_short_of_memory_is_unreachable),
        T(frames_that_are_not_4k_frames_below_2_52_panic),
        T(a_map_under_an_unreachable_root_gives_erange),
        T(a_failed_map_that_linked_nothing_flushes_nothing),
        T(an_empty_range_at_or_beyond_2_52_is_invalid),
        T(a_range_into_the_hole_is_refused_up_front),
        T(a_length_one_byte_over_a_page_gives_ealign),
        T(rollback_after_the_step_size_drops_undoes_every_step),
        T(map_range_checks_its_own_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
