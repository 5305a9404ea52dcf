// Tests for core/fmt.c's limits and caller bugs: widths and precisions up to FMT_FIELD_MAX, the
// clamp beyond it, output past INT_MAX, and the panics for NULL buffers, formats and sinks.
#include "test/unit/fmt_test.h"

// ---- big fields and long output -------------------------------------------------------------

static void widths_and_precisions_up_to_field_max_match_libc(void **state)
{
    static const int sizes[] = {255, 4095, 4096, 4097, 65535, FMT_FIELD_MAX};
    char *text = malloc(BIG_MAX);
    memset(text, 't', BIG_MAX - 1);
    text[BIG_MAX - 1] = '\0';
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        int n = sizes[i];
        match_big("%*d|%-*d|%0*lld", n, 42, n, -42, n, LLONG_MIN);
        match_big("%.*d|%.*x|%#.*o", n, 42, n, 0u, n, 8u);
        match_big("%*s|%.*s|%*c|%*p|%-*p", n, "abc", n, text, n, 'x', n, (void *)text, n, NULL);
        match_big("%*.*d", n, n / 2, -7);
    }
    match_big("%4096d|%.4096u|%-4096s|%65536.4000x", 1, 2u, "s", 3u);
    free(text);
    assert_no_mismatch("big fields");
}

static void fields_beyond_field_max_are_clamped(void **state)
{
    char *buf = malloc(BIG_MAX);
    assert_int_equal(ours(NULL, 0, "%65537d", 42), FMT_FIELD_MAX);
    assert_int_equal(ours(NULL, 0, "%99999999999999999999999d", 42), FMT_FIELD_MAX);
    assert_int_equal(ours(NULL, 0, "%.100000d", 42), FMT_FIELD_MAX);
    assert_int_equal(ours(NULL, 0, "%*d", INT_MAX, 42), FMT_FIELD_MAX);
    assert_int_equal(ours(NULL, 0, "%.*x", INT_MAX, 1u), FMT_FIELD_MAX);
    assert_int_equal(ours(NULL, 0, "%+.*d", INT_MAX, 1), FMT_FIELD_MAX + 1);
    assert_int_equal(ours(buf, BIG_MAX, "%*d|", INT_MIN, 42), FMT_FIELD_MAX + 1);
    assert_memory_equal(buf, "42  ", 4);
    assert_memory_equal(buf + FMT_FIELD_MAX - 1, " |", 3);
    free(buf);
}

static void count_only(void *ctx, const char *s, size_t len)
{
    *(size_t *)ctx += len;
}

// 2049 conversions of a 1 MiB string: 2^31 + 2^20 characters. (33 of 64 MiB would do as well,
// but a string that stays in the cache makes fmt's measuring of it several times faster.)
#define F4    "%s%s%s%s"
#define F16   F4 F4 F4 F4
#define F256  F16 F16 F16 F16 F16 F16 F16 F16 F16 F16 F16 F16 F16 F16 F16 F16
#define F1024 F256 F256 F256 F256
#define S4    s, s, s, s
#define S16   S4, S4, S4, S4
#define S256  S16, S16, S16, S16, S16, S16, S16, S16, S16, S16, S16, S16, S16, S16, S16, S16
#define S1024 S256, S256, S256, S256

#define PART (1 << 20)

// A string of PART 'x' characters (the caller frees it).
static char *mib_of_x(void)
{
    char *s = malloc(PART + 1);
    assert_non_null(s);
    memset(s, 'x', PART);
    s[PART] = '\0';
    return s;
}

static void output_beyond_int_max_returns_e_range_and_still_reaches_the_sink(void **state)
{
    char *s = mib_of_x();
    size_t total = 0;
    struct fmt_sink sink = {count_only, &total};
    int n = fmt_format(&sink, F1024 F1024 "%s", S1024, S1024, s);
    assert_int_equal(n, E_RANGE);
    assert_int_equal(total, 2049 * (size_t)PART);
    free(s);
}

// 2047 conversions of a 1 MiB string and one of 1 MiB - 1: exactly INT_MAX characters, the most
// the result can count.
static void output_of_exactly_int_max_is_counted(void **state)
{
    char *s = mib_of_x();
    size_t total = 0;
    struct fmt_sink sink = {count_only, &total};
    int n = fmt_format(&sink, F1024 F1024, S1024, S256, S256, S256, S16, S16, S16, S16, S16, S16,
                       S16, S16, S16, S16, S16, S16, S16, S16, S16, S4, S4, S4, s, s, s, s + 1);
    assert_int_equal(n, INT_MAX);
    assert_int_equal(total, (size_t)INT_MAX);
    free(s);
}

// Text bytes above 0x7f (a char is signed here) are text like any other, not an end.
static void format_bytes_above_0x7f_are_text(void **state)
{
    char buf[32];
    assert_int_equal(ours(buf, sizeof(buf), "caf\xc3\xa9 %d \xff", 5), 9);
    assert_string_equal(buf, "caf\xc3\xa9 5 \xff");
}

// ---- caller bugs ------------------------------------------------------------------------------

static void null_buffer_with_nonzero_size_panics(void **state)
{
    expect_assert_failure(ours(NULL, 4, "x"));
}

static void null_format_or_sink_panics(void **state)
{
    char buf[4];
    struct fmt_sink no_write = {NULL, NULL};
    expect_assert_failure(ours(buf, sizeof(buf), NULL));
    expect_assert_failure(ours_to(NULL, "x"));
    expect_assert_failure(ours_to(&no_write, "x"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(widths_and_precisions_up_to_field_max_match_libc, reset),
        cmocka_unit_test(fields_beyond_field_max_are_clamped),
        cmocka_unit_test(output_beyond_int_max_returns_e_range_and_still_reaches_the_sink),
        cmocka_unit_test(output_of_exactly_int_max_is_counted),
        cmocka_unit_test(format_bytes_above_0x7f_are_text),
        cmocka_unit_test(null_buffer_with_nonzero_size_panics),
        cmocka_unit_test(null_format_or_sink_panics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
