// Length boundaries of core/fmt.c: fmt_snprintf cut at every size around its output (0, 1,
// exactly fitting, one short, one over) where the cut falls in long padding, in zeros, next to a
// NUL byte, and where the number's internal buffer gives way to padding in pieces; sizes far
// beyond any buffer. Compared with the host libc's snprintf where both are defined alike.
#include "test/unit/fmt_test.h"

// Formats with fmt and with libc into heap buffers of exactly `size` bytes (the address sanitizer
// catches a write past them) for every size from 1 to the full length + 2, and asserts the same
// return value and the same bytes up to and including the NUL; size 0 with a NULL buffer counts.
static void cut_everywhere(const char *f, ...)
{
    va_list ap, ap2;
    va_start(ap, f);
    va_copy(ap2, ap);
    int len = vsnprintf(NULL, 0, f, ap2);
    va_end(ap2);
    assert_true(len >= 0);
    va_copy(ap2, ap);
    assert_int_equal(fmt_vsnprintf(NULL, 0, f, ap2), len); // size 0: only counts
    va_end(ap2);
    for (size_t size = 1; size <= (size_t)len + 2; size++) {
        char *got = malloc(size), *want = malloc(size);
        memset(got, '#', size);
        memset(want, '#', size);
        va_copy(ap2, ap);
        bool same = vmatch(got, want, size, f, ap2);
        va_end(ap2);
        if (!same)
            fail_msg("format \"%s\" differs from libc at size %zu", f, size);
        assert_int_equal(got[(size_t)len < size ? (size_t)len : size - 1], '\0');
        free(got);
        free(want);
    }
    va_end(ap);
}

static void empty_output_needs_only_the_nul(void **state)
{
    char buf[2] = "#";
    assert_int_equal(fmt_snprintf(NULL, 0, "%s", ""), 0);
    assert_int_equal(fmt_snprintf(buf, 1, "%s", ""), 0);
    assert_memory_equal(buf, "\0", 2);
    cut_everywhere("%.0s%.0d", "abc", 0);
}

// Padding arrives in pieces of 64: cuts before, inside and after a piece's end.
static void cuts_inside_long_padding_match_libc(void **state)
{
    cut_everywhere("[%70d]", -5);
    cut_everywhere("[%-65s|%64c]", "x", 'y');
    cut_everywhere("%129s", "");
}

// Zeros: from a precision, from the 0 flag, with a sign and a prefix in front of them.
static void cuts_inside_zeros_match_libc(void **state)
{
    cut_everywhere("%+.70d|%#070x", 42, 0xabcu);
    cut_everywhere("%0130lld", LLONG_MIN);
}

// The number is assembled in a 64-byte buffer when its zeros fit, in pieces when they do not:
// precisions and zero-padded widths on both sides of that switch, in every base, with every
// sign and prefix.
static void numbers_on_both_sides_of_the_buffer_switch_match_libc(void **state)
{
    for (int n = 36; n <= 72; n++) {
        match("%.*d|%+.*d|% .*i|%.*d", n, 1, n, 7, n, 7, n, INT_MIN);
        match("%.*u|%.*x|%#.*X|%#.*o", n, 1u, n, 0xffu, n, 0xffu, n, 8u);
        match("%.*llu|%#.*llx|%#.*llo", n, ULLONG_MAX, n, ULLONG_MAX, n, ULLONG_MAX);
        match("%0*d|%+0*d|%#0*x|%#0*o|%0*lld", n, -1, n, 1, n, 1u, n, 1u, n, LLONG_MIN);
        match("%*.*p|%.*p", n, n / 2, (void *)0x1234, n, (void *)UINTPTR_MAX);
    }
    cut_everywhere("%#.60llx|%#.61llx|%#.62llx", 1ull, 1ull, 1ull);
    assert_no_mismatch("buffer switch");
}

// A NUL byte from %c is output like any other byte, before and after the cut.
static void cut_next_to_a_nul_byte_matches_libc(void **state)
{
    cut_everywhere("a%cb%c", 0, 0);
    char buf[4];
    memset(buf, '#', sizeof(buf));
    assert_int_equal(fmt_snprintf(buf, 3, "a%cb", 0), 3);
    assert_memory_equal(buf, "a\0\0#", 4);
}

// Sizes beyond any buffer (and beyond INT_MAX) write only the output and its NUL.
static void huge_sizes_write_only_the_output(void **state)
{
    static const size_t sizes[] = {(size_t)INT_MAX, (size_t)INT_MAX + 1, SIZE_MAX / 2, SIZE_MAX - 1,
                                   SIZE_MAX};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        char *buf = malloc(8);
        assert_int_equal(fmt_snprintf(buf, sizes[i], "%s%d", "abc", 42), 5);
        assert_string_equal(buf, "abc42");
        free(buf);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(empty_output_needs_only_the_nul, reset),
        cmocka_unit_test_setup(cuts_inside_long_padding_match_libc, reset),
        cmocka_unit_test_setup(cuts_inside_zeros_match_libc, reset),
        cmocka_unit_test_setup(numbers_on_both_sides_of_the_buffer_switch_match_libc, reset),
        cmocka_unit_test_setup(cut_next_to_a_nul_byte_matches_libc, reset),
        cmocka_unit_test_setup(huge_sizes_write_only_the_output, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
