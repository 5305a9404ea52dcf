// Tests for how core/fmt.c hands out its output: fmt_snprintf's truncation and return value at
// every buffer size, and the pieces fmt_format passes to its sink.
#include "test/unit/fmt_test.h"

// ---- fmt_snprintf: truncation and return value ----------------------------------------------

static void snprintf_size_zero_writes_nothing_and_returns_full_length(void **state)
{
    char buf[8] = "XXXXXXX";
    assert_int_equal(fmt_snprintf(buf, 0, "%s-%d", "abc", 42), 6);
    assert_string_equal(buf, "XXXXXXX");
}

static void snprintf_null_buffer_with_size_zero_only_counts(void **state)
{
    assert_int_equal(fmt_snprintf(NULL, 0, "%s-%5d|%c", "abc", 42, 'z'), 11);
}

static void snprintf_size_one_writes_only_the_nul(void **state)
{
    char buf[4] = "XXX";
    assert_int_equal(fmt_snprintf(buf, 1, "%d", 12345), 5);
    assert_int_equal(buf[0], '\0');
    assert_int_equal(buf[1], 'X');
}

static void snprintf_exact_size_fits_and_one_less_truncates(void **state)
{
    char buf[8];
    assert_int_equal(fmt_snprintf(buf, 8, "%07d", 42), 7);
    assert_string_equal(buf, "0000042");
    assert_int_equal(fmt_snprintf(buf, 7, "%07d", 42), 7);
    assert_string_equal(buf, "000004");
}

// Every cut point, in literal text, padding, zeros and digits; buffers of exactly `size` bytes
// let the address sanitizer catch a write past the end.
static void snprintf_truncates_like_libc_at_every_size(void **state)
{
    static const char f[] = "[%-6s|%+8.3d|%#x|%c%%|%p|%10.4s]";
    int len = snprintf(NULL, 0, f, "ab", 42, 255u, 'q', (void *)0xbeef, "truncated");
    for (size_t size = 1; size <= (size_t)len + 2; size++) {
        char *got = malloc(size), *want = malloc(size);
        assert_int_equal(
            fmt_snprintf(got, size, f, "ab", 42, 255u, 'q', (void *)0xbeef, "truncated"), len);
        snprintf(want, size, f, "ab", 42, 255u, 'q', (void *)0xbeef, "truncated");
        assert_string_equal(got, want);
        free(got);
        free(want);
    }
}

// ---- the sink ---------------------------------------------------------------------------------

struct recorder {
    char text[1024];
    size_t len;
    size_t calls;
    size_t empty_calls;
};

static void record(void *ctx, const char *s, size_t len)
{
    struct recorder *r = ctx;
    r->calls++;
    r->empty_calls += len == 0;
    assert_true(r->len + len <= sizeof(r->text));
    memcpy(r->text + r->len, s, len);
    r->len += len;
}

static void literal_text_reaches_the_sink_in_one_piece(void **state)
{
    struct recorder r = {0};
    struct fmt_sink sink = {record, &r};
    assert_int_equal(fmt_format(&sink, "a run of literal text, with no conversion\n"), 42);
    assert_int_equal(r.calls, 1);
    assert_int_equal(r.len, 42);
}

static void number_text_reaches_the_sink_in_one_piece(void **state)
{
    struct recorder r = {0};
    struct fmt_sink sink = {record, &r};
    assert_int_equal(fmt_format(&sink, "%+.10d", 42), 11);
    assert_int_equal(r.calls, 1);
    assert_memory_equal(r.text, "+0000000042", 11);
}

static void sink_pieces_join_to_the_output_and_sum_to_the_return_value(void **state)
{
    static const char f[] = "pid %5d: %-8s|%#010x|%p|%c%%|%.3s|%lld|%20s|%-70d.";
    struct recorder r = {0};
    struct fmt_sink sink = {record, &r};
    int n = fmt_format(&sink, f, 7, "init", 0xbeefu, (void *)0x1000, '!', "abcdef", LLONG_MIN,
                       "right", -1);
    char want[1024];
    assert_int_equal(snprintf(want, sizeof(want), f, 7, "init", 0xbeefu, (void *)0x1000, '!',
                              "abcdef", LLONG_MIN, "right", -1),
                     n);
    assert_int_equal(r.len, (size_t)n);
    assert_memory_equal(r.text, want, (size_t)n);
    assert_int_equal(r.empty_calls, 0);
    assert_true(r.calls < 40);
}

static void unsupported_conversion_stays_in_its_literal_piece(void **state)
{
    struct recorder r = {0};
    struct fmt_sink sink = {record, &r};
    assert_int_equal(ours_to(&sink, "a %f b"), 6);
    assert_int_equal(r.calls, 1);
    assert_memory_equal(r.text, "a %f b", 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(snprintf_size_zero_writes_nothing_and_returns_full_length),
        cmocka_unit_test(snprintf_null_buffer_with_size_zero_only_counts),
        cmocka_unit_test(snprintf_size_one_writes_only_the_nul),
        cmocka_unit_test(snprintf_exact_size_fits_and_one_less_truncates),
        cmocka_unit_test(snprintf_truncates_like_libc_at_every_size),
        cmocka_unit_test(literal_text_reaches_the_sink_in_one_piece),
        cmocka_unit_test(number_text_reaches_the_sink_in_one_piece),
        cmocka_unit_test(sink_pieces_join_to_the_output_and_sum_to_the_return_value),
        cmocka_unit_test(unsupported_conversion_stays_in_its_literal_piece),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
