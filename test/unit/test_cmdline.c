// Tests for core/cmdline.c: key look-up, bare keys, truncation at every capacity around a value's
// length, numbers judged over their whole length (UINT32_MAX and one more, runs of zeros, a bad
// character anywhere), finding the words no known key matches, and bad calls.
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/bootinfo.h"
#include "core/cmdline.h"
#include "core/err.h"
#include "platform/host/mock_hw.h"

static void finds_a_value_anywhere_in_the_line(void **state)
{
    char buf[32];
    const char *line = "quiet alloc=bump timer_hz=1000";
    assert_int_equal(cmdline_get(line, "alloc", buf, sizeof(buf)), 4);
    assert_string_equal(buf, "bump");
    assert_int_equal(cmdline_get(line, "timer_hz", buf, sizeof(buf)), 4);
    assert_string_equal(buf, "1000");
}

static void bare_key_has_an_empty_value(void **state)
{
    char buf[8] = "x";
    assert_int_equal(cmdline_get("quiet alloc=bump", "quiet", buf, sizeof(buf)), 0);
    assert_string_equal(buf, "");
}

static void key_must_match_the_whole_key(void **state)
{
    char buf[8];
    assert_int_equal(cmdline_get("allocator=x alloc_x=y", "alloc", buf, sizeof(buf)), E_NOENT);
    assert_int_equal(cmdline_get("", "alloc", buf, sizeof(buf)), E_NOENT);
    assert_int_equal(cmdline_get("   ", "alloc", buf, sizeof(buf)), E_NOENT);
}

static void last_occurrence_wins_and_spaces_repeat(void **state)
{
    char buf[8];
    assert_int_equal(cmdline_get("  a=1   a=22 ", "a", buf, sizeof(buf)), 2);
    assert_string_equal(buf, "22");
    assert_int_equal(cmdline_get("a=1 b=x a", "a", buf, sizeof(buf)), 0); // a bare last word
    assert_string_equal(buf, "");
    assert_int_equal(cmdline_get("a a=333", "a", buf, sizeof(buf)), 3);
    assert_string_equal(buf, "333");
}

static void value_too_long_is_cut_and_reported(void **state)
{
    char buf[4];
    assert_int_equal(cmdline_get("k=abcdef", "k", buf, sizeof(buf)), E_TOOBIG);
    assert_string_equal(buf, "abc");
    assert_int_equal(cmdline_get("k=abc", "k", NULL, 0), E_TOOBIG);
    assert_int_equal(cmdline_get("k=", "k", NULL, 0), E_TOOBIG);
}

static void numbers_parse_and_bad_ones_are_reported(void **state)
{
    uint32_t v = 7;
    assert_int_equal(cmdline_get_u32("hz=100", "hz", &v), 0);
    assert_int_equal(v, 100);
    assert_int_equal(cmdline_get_u32("hz=4294967295", "hz", &v), 0);
    assert_int_equal(v, UINT32_MAX);
    v = 7;
    assert_int_equal(cmdline_get_u32("hz=4294967296", "hz", &v), E_RANGE);
    assert_int_equal(cmdline_get_u32("hz=99999999999999999999999999999999999", "hz", &v), E_RANGE);
    assert_int_equal(cmdline_get_u32("hz=12a", "hz", &v), E_INVAL);
    assert_int_equal(cmdline_get_u32("hz=-1", "hz", &v), E_INVAL);
    assert_int_equal(cmdline_get_u32("hz=", "hz", &v), E_INVAL);
    assert_int_equal(cmdline_get_u32("hz", "hz", &v), E_INVAL);
    assert_int_equal(cmdline_get_u32("hz=abcdefghijklmnopqrstuvwxyzabcdefghij", "hz", &v), E_INVAL);
    assert_int_equal(cmdline_get_u32("x=1", "hz", &v), E_NOENT);
    assert_int_equal(v, 7); // untouched by every failure
}

// ---- cmdline_get: every capacity around the value's length ------------------------------------

// cmdline_get into a heap buffer of exactly cap bytes (the address sanitizer catches a write past
// it), filled with '#' first; returns the result and leaves the buffer's text in out.
static int get_into_exact(const char *line, const char *key, size_t cap, char *out)
{
    char *buf = cap > 0 ? malloc(cap) : NULL;
    if (cap > 0)
        memset(buf, '#', cap);
    int rc = cmdline_get(line, key, buf, cap);
    if (cap > 0) {
        assert_non_null(memchr(buf, '\0', cap)); // always terminated within cap
        strcpy(out, buf);
    }
    free(buf);
    return rc;
}

static void get_cuts_at_every_capacity_around_the_length(void **state)
{
    const char *line = "a=1 k=abcde z";
    char got[16];
    assert_int_equal(get_into_exact(line, "k", 0, got), E_TOOBIG);
    assert_int_equal(get_into_exact(line, "k", 1, got), E_TOOBIG);
    assert_string_equal(got, "");
    assert_int_equal(get_into_exact(line, "k", 2, got), E_TOOBIG);
    assert_string_equal(got, "a");
    assert_int_equal(get_into_exact(line, "k", 5, got), E_TOOBIG); // one short
    assert_string_equal(got, "abcd");
    assert_int_equal(get_into_exact(line, "k", 6, got), 5); // exactly fits with the NUL
    assert_string_equal(got, "abcde");
    assert_int_equal(get_into_exact(line, "k", 7, got), 5); // one over
    assert_string_equal(got, "abcde");
}

static void get_writes_nothing_past_the_nul(void **state)
{
    char buf[8];
    memset(buf, '#', sizeof(buf));
    assert_int_equal(cmdline_get("k=ab", "k", buf, sizeof(buf)), 2);
    assert_memory_equal(buf, "ab\0#####", 8);
    memset(buf, '#', sizeof(buf));
    assert_int_equal(cmdline_get("k=abcdef", "k", buf, 4), E_TOOBIG);
    assert_memory_equal(buf, "abc\0####", 8);
    memset(buf, '#', sizeof(buf));
    assert_int_equal(cmdline_get("k=abc", "k", buf, 0), E_TOOBIG); // cap 0 writes nothing
    assert_memory_equal(buf, "########", 8);
    assert_int_equal(cmdline_get("x=1", "k", buf, 0), E_NOENT);
}

static void empty_value_needs_one_byte_for_its_nul(void **state)
{
    char got[4];
    assert_int_equal(get_into_exact("k= x", "k", 0, got), E_TOOBIG);
    assert_int_equal(get_into_exact("k= x", "k", 1, got), 0);
    assert_string_equal(got, "");
    assert_int_equal(get_into_exact("x k", "k", 1, got), 0); // bare key at the end
    assert_string_equal(got, "");
}

// The longest value a boot command line can hold (BOOTINFO_CMDLINE_LIMIT bytes, the key
// included), and the capacities around it.
static void value_as_long_as_the_boot_command_line_fits_its_buffer(void **state)
{
    static char line[BOOTINFO_CMDLINE_LIMIT + 1], got[BOOTINFO_CMDLINE_LIMIT + 1];
    memcpy(line, "k=", 2);
    memset(line + 2, 'v', sizeof(line) - 3);
    line[sizeof(line) - 1] = '\0';
    int len = (int)sizeof(line) - 3;
    assert_int_equal(get_into_exact(line, "k", (size_t)len + 1, got), len);
    assert_string_equal(got, line + 2);
    assert_int_equal(get_into_exact(line, "k", (size_t)len, got), E_TOOBIG);
    assert_int_equal(strlen(got), len - 1);
    assert_int_equal(cmdline_get(line, "k", NULL, 0), E_TOOBIG);
}

// Capacities beyond what any buffer has: only the value and its NUL are written.
static void huge_capacities_write_only_the_value(void **state)
{
    static const size_t caps[] = {(size_t)INT_MAX, (size_t)INT_MAX + 1, (size_t)INT_MAX + 2,
                                  SIZE_MAX};
    for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
        char *buf = malloc(4);
        assert_int_equal(cmdline_get("k=abc", "k", buf, caps[i]), 3);
        assert_string_equal(buf, "abc");
        free(buf);
    }
}

// ---- cmdline_get_u32: the whole value, however long ------------------------------------------

// "hz=" followed by text, in a static buffer (values up to 4000 bytes).
static const char *hz_line(const char *text)
{
    static char line[4096];
    assert_true(strlen(text) + 4 <= sizeof(line));
    strcpy(line, "hz=");
    strcat(line, text);
    return line;
}

// n copies of c followed by tail, in a static buffer.
static const char *run_of(char c, size_t n, const char *tail)
{
    static char text[4000];
    assert_true(n + strlen(tail) < sizeof(text));
    memset(text, c, n);
    strcpy(text + n, tail);
    return text;
}

static int u32_of(const char *text, uint32_t *v)
{
    return cmdline_get_u32(hz_line(text), "hz", v);
}

static void reported_long_values_are_judged_whole(void **state)
{
    uint32_t v = 1;
    assert_int_equal(u32_of(run_of('0', 40, "7"), &v), 0); // 40 zeros and a 7
    assert_int_equal(v, 7);
    v = 1;
    assert_int_equal(u32_of(run_of('0', 31, "x"), &v), E_INVAL); // 31 zeros and an x
    assert_int_equal(v, 1);
}

static void uint32_max_fits_and_one_more_is_out_of_range(void **state)
{
    uint32_t v = 1;
    assert_int_equal(u32_of("4294967295", &v), 0);
    assert_int_equal(v, UINT32_MAX);
    v = 1;
    assert_int_equal(u32_of("4294967296", &v), E_RANGE);           // UINT32_MAX + 1
    assert_int_equal(u32_of("4294967299", &v), E_RANGE);           // the last digit overflows
    assert_int_equal(u32_of("4294967300", &v), E_RANGE);           // an earlier digit overflows
    assert_int_equal(u32_of("42949672950", &v), E_RANGE);          // 11 digits
    assert_int_equal(u32_of("18446744073709551616", &v), E_RANGE); // 2^64: no 64-bit wrap
    assert_int_equal(u32_of(run_of('9', 3000, ""), &v), E_RANGE);
    assert_int_equal(v, 1);
    assert_int_equal(u32_of("4294967294", &v), 0);
    assert_int_equal(v, UINT32_MAX - 1);
    assert_int_equal(u32_of("0", &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(u32_of("1", &v), 0);
    assert_int_equal(v, 1);
}

static void leading_zeros_are_fine_however_many(void **state)
{
    static const size_t runs[] = {1, 30, 31, 32, 33, 40, 64, 1000, 3000};
    for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
        uint32_t v = 1;
        assert_int_equal(u32_of(run_of('0', runs[i], ""), &v), 0);
        assert_int_equal(v, 0);
        assert_int_equal(u32_of(run_of('0', runs[i], "4294967295"), &v), 0);
        assert_int_equal(v, UINT32_MAX);
        assert_int_equal(u32_of(run_of('0', runs[i], "4294967296"), &v), E_RANGE);
        assert_int_equal(v, UINT32_MAX);
    }
}

// A value of n characters, digits d everywhere but bad at position pos.
static int with_bad_at(size_t n, char d, size_t pos, char bad)
{
    char text[128];
    assert_true(n < sizeof(text) && pos < n);
    memset(text, d, n);
    text[pos] = bad;
    text[n] = '\0';
    uint32_t v = 1;
    int rc = u32_of(text, &v);
    assert_int_equal(v, 1);
    return rc;
}

static void a_bad_character_anywhere_is_invalid(void **state)
{
    static const size_t lengths[] = {1, 2, 31, 32, 33, 34, 40, 100};
    for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
        size_t n = lengths[i];
        for (size_t pos = 0; pos < n; pos++) {
            // Zeros keep the number small; nines take it past UINT32_MAX before the bad byte.
            assert_int_equal(with_bad_at(n, '0', pos, 'x'), E_INVAL);
            assert_int_equal(with_bad_at(n, '9', pos, 'x'), E_INVAL);
        }
    }
    // First, last and 33rd position of a 40-character value, and the bytes next to the digits.
    static const char bad[] = {'/', ':', '-', '+', '\t', '\x80', '\xff'};
    for (size_t i = 0; i < sizeof(bad); i++) {
        assert_int_equal(with_bad_at(40, '0', 0, bad[i]), E_INVAL);
        assert_int_equal(with_bad_at(40, '0', 39, bad[i]), E_INVAL);
        assert_int_equal(with_bad_at(40, '0', 32, bad[i]), E_INVAL);
        assert_int_equal(with_bad_at(40, '9', 32, bad[i]), E_INVAL);
    }
}

static void empty_values_are_invalid_and_the_value_ends_at_a_space(void **state)
{
    uint32_t v = 1;
    assert_int_equal(cmdline_get_u32("hz= 5", "hz", &v), E_INVAL); // "5" is a word of its own
    assert_int_equal(cmdline_get_u32("a hz", "hz", &v), E_INVAL);
    assert_int_equal(cmdline_get_u32("hz=", "hz", &v), E_INVAL);
    assert_int_equal(v, 1);
    assert_int_equal(cmdline_get_u32("hz=12 34", "hz", &v), 0);
    assert_int_equal(v, 12);
    assert_int_equal(
        cmdline_get_u32("x=y hz=0000000000000000000000000000000000000000012  ", "hz", &v), 0);
    assert_int_equal(v, 12);
}

static void the_last_word_with_the_key_is_the_one_read(void **state)
{
    uint32_t v = 1;
    assert_int_equal(cmdline_get_u32("hz=5 hz=x", "hz", &v), E_INVAL);
    assert_int_equal(cmdline_get_u32("hz=5 hz=99999999999", "hz", &v), E_RANGE);
    assert_int_equal(v, 1);
    assert_int_equal(cmdline_get_u32("hz=x hz=99999999999 hz=5", "hz", &v), 0);
    assert_int_equal(v, 5);
}

// cmdline_count counts every word with the key and points at the last, the one the look-ups read.
static void count_finds_every_word_with_the_key_and_the_last(void **state)
{
    const char *line = "alloc=bump quiet allocx=1 alloc alloc=tlsf  alloc=x=y ", *word = NULL;
    size_t len = 99;
    assert_int_equal(cmdline_count(line, "alloc", &word, &len), 4);
    assert_ptr_equal(word, strstr(line, "alloc=x=y"));
    assert_int_equal(len, strlen("alloc=x=y"));
    assert_int_equal(cmdline_count(line, "quiet", &word, &len), 1);
    assert_ptr_equal(word, strstr(line, "quiet"));
    assert_int_equal(len, 5);
    assert_int_equal(cmdline_count(line, "alloc", NULL, NULL), 4);
    assert_int_equal(cmdline_count(line, "alloc=x", &word, &len), 0); // no word's key holds '='
}

static void count_of_an_absent_key_is_0_and_writes_nothing(void **state)
{
    const char *word = "untouched";
    size_t len = 7;
    assert_int_equal(cmdline_count("a=1 b=2", "c", &word, &len), 0);
    assert_int_equal(cmdline_count("", "c", &word, &len), 0);
    assert_int_equal(cmdline_count("   ", "c", &word, &len), 0);
    assert_string_equal(word, "untouched");
    assert_int_equal(len, 7);
}

// cmdline_fit(s, len, limit): what fits is kept whole; a longer line is cut after its last word
// that ends within the limit, without the spaces before the cut.
static void fit_keeps_what_fits_and_cuts_at_a_word_end(void **state)
{
    const char *s = "ab cd  efg h";
    size_t len = strlen(s);
    static const size_t want[] = {
        0, 0, 2, 2, 2, 5, 5, 5, 5, 5, 10, 10, 12, // limits 0..12
    };
    for (size_t limit = 0; limit < sizeof(want) / sizeof(want[0]); limit++)
        assert_int_equal(cmdline_fit(s, len, limit), want[limit]);
    assert_int_equal(cmdline_fit(s, len, SIZE_MAX), len);
    assert_int_equal(cmdline_fit(s, 4, 3), 2);        // "ab c": the cut falls on the space
    assert_int_equal(cmdline_fit("", 0, 0), 0);       // empty: fits
    assert_int_equal(cmdline_fit("abcdef", 6, 5), 0); // one word longer than the limit
    assert_int_equal(cmdline_fit("   abc", 6, 4), 0); // only spaces before the cut
    assert_int_equal(cmdline_fit("ab    ", 6, 5), 2); // trailing spaces are not kept
}

// Every byte but the space is a word byte, control characters and bytes above 0x7f included.
static void fit_treats_every_byte_but_space_as_part_of_a_word(void **state)
{
    assert_int_equal(cmdline_fit("ab c\x01"
                                 "d",
                                 6, 5),
                     2);
    assert_int_equal(cmdline_fit("ab c\xe9"
                                 "d",
                                 6, 5),
                     2);
    assert_int_equal(cmdline_fit("ab\x01 cd", 6, 4), 3);
    assert_int_equal(cmdline_fit("ab\t cd", 6, 4), 3);
}

// A cut word is never read as a shorter value: "timer_hz=50" is dropped whole, not kept as "=5".
static void fit_never_cuts_a_word_in_two(void **state)
{
    const char *s = "alloc=bump timer_hz=50";
    for (size_t limit = 10; limit < strlen(s); limit++) {
        size_t keep = cmdline_fit(s, strlen(s), limit);
        assert_int_equal(keep, 10);
    }
    char kept[32];
    memcpy(kept, s, 10);
    kept[10] = '\0';
    uint32_t v = 7;
    assert_int_equal(cmdline_get_u32(kept, "timer_hz", &v), E_NOENT);
}

// Bytes past len are not read: only the len bytes given decide the cut.
static void fit_reads_nothing_past_len(void **state)
{
    char *s = malloc(8);
    memcpy(s, "abc defg", 8); // no NUL: ASan catches a read past the end
    assert_int_equal(cmdline_fit(s, 8, 7), 3);
    assert_int_equal(cmdline_fit(s, 8, 8), 8);
    free(s);
}

static const char *const known[] = {"alloc", "heap_max", "quiet"};

// Collects the unknown words of line into one string, each followed by '|'.
static const char *unknown_words(const char *line, const char *const *keys, size_t n)
{
    static char out[128];
    size_t used = 0, len;
    const char *cursor = line, *word;
    while ((len = cmdline_next_unknown(&cursor, keys, n, &word)) != 0) {
        assert_true(word >= line && word + len <= line + strlen(line));
        assert_true(used + len + 2 <= sizeof(out));
        memcpy(out + used, word, len);
        out[used + len] = '|';
        used += len + 1;
    }
    out[used] = '\0';
    assert_ptr_equal(cursor, line + strlen(line)); // the scan went to the end
    return out;
}

static void unknown_words_are_found_in_order(void **state)
{
    assert_string_equal(unknown_words("alloc=bump bogus heap_max=4 x=1 quiet", known, 3),
                        "bogus|x=1|");
    assert_string_equal(unknown_words("  timer-hz=100   alloc  ", known, 3), "timer-hz=100|");
    // A key must match whole: prefixes and extensions of known keys are unknown.
    assert_string_equal(unknown_words("allocator=x alloc_x heap quiet=", known, 3),
                        "allocator=x|alloc_x|heap|");
    assert_string_equal(unknown_words("=1 =", known, 3), "=1|=|");
}

static void nothing_unknown_in_a_known_or_empty_line(void **state)
{
    assert_string_equal(unknown_words("", known, 3), "");
    assert_string_equal(unknown_words("    ", known, 3), "");
    assert_string_equal(unknown_words("quiet alloc=fixed_block heap_max=100", known, 3), "");
    const char *cursor = "", *word = "untouched";
    assert_int_equal(cmdline_next_unknown(&cursor, known, 3, &word), 0);
    assert_string_equal(word, "untouched");
}

// Keys are bytes: one starting above 0x7f (a char is signed here) is a key like any other.
static void keys_may_start_with_bytes_above_0x7f(void **state)
{
    static const char *const known_utf8[] = {"\xc3\xa9t\xc3\xa9"};
    char buf[8];
    uint32_t v = 0;
    assert_int_equal(
        cmdline_get("a=1 \xc3\xa9t\xc3\xa9=oui", "\xc3\xa9t\xc3\xa9", buf, sizeof(buf)), 3);
    assert_string_equal(buf, "oui");
    assert_int_equal(cmdline_get_u32("\xff=42", "\xff", &v), 0);
    assert_int_equal(v, 42);
    assert_string_equal(unknown_words("\xc3\xa9t\xc3\xa9=1 x", known_utf8, 1), "x|");
}

static void with_no_known_keys_every_word_is_unknown(void **state)
{
    static const char *const empty_key[] = {""};
    assert_string_equal(unknown_words("a b=1", NULL, 0), "a|b=1|");
    assert_string_equal(unknown_words("a =1", empty_key, 1), "a|=1|");
}

static void null_arguments_are_caller_bugs(void **state)
{
    char buf[4];
    uint32_t v;
    mock_hw_reset();
    expect_assert_failure(cmdline_get(NULL, "k", buf, sizeof(buf)));
    expect_assert_failure(cmdline_get("k=1", NULL, buf, sizeof(buf)));
    expect_assert_failure(cmdline_get("k=1", "", buf, sizeof(buf)));
    expect_assert_failure(cmdline_get("k=1", "k", NULL, 4));
    expect_assert_failure(cmdline_get_u32("k=1", "k", NULL));
    expect_assert_failure(cmdline_get_u32(NULL, "k", &v));
    expect_assert_failure(cmdline_get_u32("k=1", NULL, &v));
    expect_assert_failure(cmdline_get_u32("k=1", "", &v));
    const char *cursor = "k=1", *none = NULL, *word;
    expect_assert_failure(cmdline_next_unknown(NULL, known, 3, &word));
    expect_assert_failure(cmdline_next_unknown(&none, known, 3, &word));
    expect_assert_failure(cmdline_next_unknown(&cursor, known, 3, NULL));
    expect_assert_failure(cmdline_next_unknown(&cursor, NULL, 1, &word));
    static const char *const null_key[] = {"a", NULL};
    cursor = "k=1";
    expect_assert_failure(cmdline_next_unknown(&cursor, null_key, 2, &word));
    size_t len;
    expect_assert_failure(cmdline_count(NULL, "k", &word, &len));
    expect_assert_failure(cmdline_count("k=1", NULL, &word, &len));
    expect_assert_failure(cmdline_count("k=1", "", &word, &len));
    expect_assert_failure(cmdline_count("k=1", "k", &word, NULL));
    expect_assert_failure(cmdline_fit(NULL, 0, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(finds_a_value_anywhere_in_the_line),
        cmocka_unit_test(bare_key_has_an_empty_value),
        cmocka_unit_test(key_must_match_the_whole_key),
        cmocka_unit_test(last_occurrence_wins_and_spaces_repeat),
        cmocka_unit_test(value_too_long_is_cut_and_reported),
        cmocka_unit_test(numbers_parse_and_bad_ones_are_reported),
        cmocka_unit_test(get_cuts_at_every_capacity_around_the_length),
        cmocka_unit_test(get_writes_nothing_past_the_nul),
        cmocka_unit_test(empty_value_needs_one_byte_for_its_nul),
        cmocka_unit_test(value_as_long_as_the_boot_command_line_fits_its_buffer),
        cmocka_unit_test(huge_capacities_write_only_the_value),
        cmocka_unit_test(reported_long_values_are_judged_whole),
        cmocka_unit_test(uint32_max_fits_and_one_more_is_out_of_range),
        cmocka_unit_test(leading_zeros_are_fine_however_many),
        cmocka_unit_test(a_bad_character_anywhere_is_invalid),
        cmocka_unit_test(empty_values_are_invalid_and_the_value_ends_at_a_space),
        cmocka_unit_test(the_last_word_with_the_key_is_the_one_read),
        cmocka_unit_test(count_finds_every_word_with_the_key_and_the_last),
        cmocka_unit_test(count_of_an_absent_key_is_0_and_writes_nothing),
        cmocka_unit_test(fit_keeps_what_fits_and_cuts_at_a_word_end),
        cmocka_unit_test(fit_treats_every_byte_but_space_as_part_of_a_word),
        cmocka_unit_test(fit_never_cuts_a_word_in_two),
        cmocka_unit_test(fit_reads_nothing_past_len),
        cmocka_unit_test(unknown_words_are_found_in_order),
        cmocka_unit_test(nothing_unknown_in_a_known_or_empty_line),
        cmocka_unit_test(keys_may_start_with_bytes_above_0x7f),
        cmocka_unit_test(with_no_known_keys_every_word_is_unknown),
        cmocka_unit_test(null_arguments_are_caller_bugs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
