// Tests for core/frame.c's answers to bad frees: a double free, a misaligned address, a reserved
// frame, the first MiB, a bitmap frame, a hole or partial frame, an address outside the span, each
// refused with its code and nothing changed; and frame_is_free false for all of them.
#include "test/unit/frame_test.h"

// ---- bad frees ----------------------------------------------------------------------------------

// frame_free(p) returns `code` and changes neither the struct nor a single bitmap bit.
static void expect_refused(uint64_t p, int code)
{
    struct frame_allocator before = fa;
    size_t bytes = (size_t)(2 * fa.words * sizeof(uint64_t));
    uint8_t *bits = malloc(bytes + 1);
    assert_non_null(bits);
    memcpy(bits, fa.free_bits, bytes);
    assert_int_equal(frame_free(&fa, p), code);
    assert_memory_equal(&fa, &before, sizeof(fa));
    assert_memory_equal(fa.free_bits, bits, bytes);
    assert_true(frame_check(&fa));
    free(bits);
}

static void double_free_is_einval_and_changes_nothing(void **state)
{
    init_mixed();
    uint64_t p = alloc_ok();
    free_ok(p);
    expect_refused(p, E_INVAL);
    expect_refused(0x700000, E_INVAL); // free, never allocated
    expect_counts(MIXED_USABLE - 1, MIXED_USABLE - 1);
}

static void misaligned_free_is_ealign_and_changes_nothing(void **state)
{
    init_mixed();
    uint64_t p = alloc_ok();
    expect_refused(p + 1, E_ALIGN);
    expect_refused(p + FRAME_SIZE / 2, E_ALIGN);
    expect_refused(UINT64_MAX, E_ALIGN); // checked before the range
    expect_counts(MIXED_USABLE - 1, MIXED_USABLE - 2);
}

static void free_of_a_reserved_frame_is_erange(void **state)
{
    init_mixed();
    expect_refused(0x500000, E_RANGE);  // a reserved range inside the span
    expect_refused(0x600000, E_RANGE);  // an ACPI NVS entry
    expect_refused(0x3100000, E_RANGE); // an ACPI reclaimable entry
    expect_counts(MIXED_USABLE - 1, MIXED_USABLE - 1);
}

static void free_in_the_first_mib_is_erange(void **state)
{
    init_mixed();
    expect_refused(0, E_RANGE);
    expect_refused(0x9f000, E_RANGE);
    expect_refused(0x7000, E_RANGE);
    expect_counts(MIXED_USABLE - 1, MIXED_USABLE - 1);
}

static void free_of_a_bitmap_frame_is_erange(void **state)
{
    init_mixed();
    expect_refused(fa.bitmap_phys, E_RANGE);
    expect_counts(MIXED_USABLE - 1, MIXED_USABLE - 1);
}

static void free_in_a_hole_or_partial_frame_is_erange(void **state)
{
    init_mixed();
    expect_refused(0x1000000, E_RANGE); // between the regions
    expect_refused(0x2800000, E_RANGE); // partly usable
    expect_refused(0x180000, E_RANGE);  // partly the kernel image
    expect_counts(MIXED_USABLE - 1, MIXED_USABLE - 1);
}

static void free_outside_the_span_is_erange(void **state)
{
    init_mixed();
    expect_refused(50 * MIB, E_RANGE); // the first frame past the span
    expect_refused(64 * GIB, E_RANGE);
    expect_refused(UINT64_MAX & ~(uint64_t)(FRAME_SIZE - 1), E_RANGE);
    expect_counts(MIXED_USABLE - 1, MIXED_USABLE - 1);
}

static void is_free_is_false_for_addresses_free_refuses(void **state)
{
    init_mixed();
    assert_true(frame_is_free(&fa, 0x700000));
    assert_false(frame_is_free(&fa, 0x700001)); // misaligned, though in a free frame
    assert_false(frame_is_free(&fa, 0x500000)); // reserved
    assert_false(frame_is_free(&fa, fa.bitmap_phys));
    assert_false(frame_is_free(&fa, 0x1000000)); // hole
    assert_false(frame_is_free(&fa, 0x9f000));   // first MiB
    assert_false(frame_is_free(&fa, 64 * GIB));  // outside the span
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(double_free_is_einval_and_changes_nothing),
        T(misaligned_free_is_ealign_and_changes_nothing),
        T(free_of_a_reserved_frame_is_erange),
        T(free_in_the_first_mib_is_erange),
        T(free_of_a_bitmap_frame_is_erange),
        T(free_in_a_hole_or_partial_frame_is_erange),
        T(free_outside_the_span_is_erange),
        T(is_free_is_false_for_addresses_free_refuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
