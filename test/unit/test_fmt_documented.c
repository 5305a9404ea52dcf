// Tests for core/fmt.c's documented answers: what it does not support (floating point, %n, wide
// and length-modified %c/%s/%p, unknown conversions) prints as written, and the edge cases of C's
// rules (NULL strings and pointers, #, 0 and precision on zero, minimum values, negative stars).
#include "test/unit/fmt_test.h"

// ---- documented answers -----------------------------------------------------------------------

// Formats with fmt (format unchecked by the compiler) and checks the text and the return value.
static void expect_output(const char *want, const char *f, ...)
{
    char got[256];
    va_list ap;
    va_start(ap, f);
    int n = fmt_vsnprintf(got, sizeof(got), f, ap);
    va_end(ap);
    if (strcmp(got, want) != 0 || n != (int)strlen(want))
        printf("format \"%s\": got \"%s\" (%d), want \"%s\"\n", f, got, n, want);
    assert_string_equal(got, want);
    assert_int_equal(n, strlen(want));
}

// spec prints as written and consumes no argument: "<spec>|%d" with 42 gives "<spec>|42".
static void expect_as_written(const char *spec)
{
    char f[64], want[64];
    snprintf(f, sizeof(f), "%s|%%d", spec);
    snprintf(want, sizeof(want), "%s|42", spec);
    expect_output(want, f, 42);
}

static void floating_point_conversions_print_as_written_and_consume_nothing(void **state)
{
    for (const char *c = "fFeEgGaA"; *c != '\0'; c++) {
        const char spec[] = {'%', *c, '\0'};
        expect_as_written(spec);
    }
    expect_as_written("%5.2f");
    expect_as_written("%Lf");
    expect_as_written("%-+ #0lf");
}

static void percent_n_prints_as_written_and_stores_nothing(void **state)
{
    expect_as_written("%n");
    expect_as_written("%hhn");
}

static void wide_or_length_modified_c_s_p_print_as_written(void **state)
{
    static const char *const specs[] = {"%lc", "%ls", "%hhc", "%hs", "%zp", "%llp", "%jc", "%ts"};
    for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
        expect_as_written(specs[i]);
}

static void unknown_conversions_print_as_written_and_text_resumes_after(void **state)
{
    expect_as_written("%y");
    expect_as_written("%5.3y");
    expect_as_written("%lllx");
    expect_as_written("%Ld");
    expect_as_written("%qd");
    expect_as_written("%'d");
    expect_as_written("%b %m %C %S");
    expect_as_written("%.-5d");
}

static void percent_with_anything_between_prints_as_written(void **state)
{
    expect_as_written("%5%");
    expect_as_written("%-%");
    expect_as_written("%l%");
    expect_as_written("%*%");
}

static void stars_of_an_unsupported_conversion_are_not_consumed(void **state)
{
    expect_as_written("%*.*f");
    expect_as_written("%*y|%.*n");
}

static void format_ending_inside_a_conversion_prints_it_as_written(void **state)
{
    expect_output("%", "%");
    expect_output("50%", "50%");
    expect_output("42%", "%d%", 42);
    expect_output("%-08.", "%-08.");
    expect_output("%l", "%l");
    expect_output("%5.*", "%5.*");
    expect_output("abc%hh", "abc%hh");
}

static void percent_percent_prints_one_percent(void **state)
{
    expect_output("100%", "100%%");
    expect_output("%5%", "%%%d%%", 5);
    expect_output("%%", "%%%%");
}

static void null_string_prints_null_unless_precision_is_below_six(void **state)
{
    const char *null = NULL;
    expect_output("(null)", "%s", null);
    expect_output("(null)", "%.6s", null);
    expect_output("  (null)", "%8.20s", null);
    expect_output("", "%.5s", null);
    expect_output("   ", "%3.0s", null);
    assert_true(match("%s|%.5s|%.6s|%-9.3s|", null, null, null, null));
}

// The precision bounds the read: an exactly sized heap buffer lets the sanitizer catch more.
static void string_precision_bounds_the_read_of_an_unterminated_string(void **state)
{
    char *chars = malloc(4);
    memcpy(chars, "abcd", 4);
    expect_output("abcd|ab|  abc", "%.4s|%.2s|%5.3s", chars, chars, chars);
    free(chars);
}

static void pointers_print_0x_lowercase_hex_and_null_as_nil(void **state)
{
    expect_output("0xabcdef", "%p", (void *)0xABCDEF);
    expect_output("0x0000ff", "%.6p", (void *)0xff);
    expect_output("+0x10", "%+p", (void *)0x10);
    expect_output("(nil)", "%p", NULL);
    expect_output("(nil)", "%.2p", NULL);
    expect_output("     (nil)|", "%010p|", NULL);
    expect_output("(nil)     |", "%-10p|", NULL);
}

static void hash_flag_follows_c_for_zero_and_octal(void **state)
{
    expect_output("0 0 0 0", "%#o %#x %#X %#.0o", 0, 0, 0, 0);
    expect_output("[]", "[%#.0x]", 0);
    expect_output("010 0xff 0XFF 010", "%#o %#x %#X %#.3o", 8, 255, 255, 8);
    expect_output("    0", "%#5.0o", 0);
}

static void zero_precision_prints_no_digits_for_zero(void **state)
{
    expect_output("[||||     |+| ]", "[%.0d|%.0u|%.0x|%.i|%5.0d|%+.0d|% .0i]", 0, 0, 0, 0, 0, 0, 0);
}

static void zero_flag_is_ignored_with_precision_or_minus(void **state)
{
    expect_output("    -005|-5      |-0000005", "%08.3d|%-08d|%08d", -5, -5, -5);
    expect_output("0x000000ff|      0xff", "%#010x|%#010.2x", 255, 255);
}

static void minimum_values_print_their_full_magnitude(void **state)
{
    expect_output("-2147483648 -9223372036854775808", "%d %lld", INT_MIN, LLONG_MIN);
    expect_output("-9223372036854775808 -128 -32768", "%jd %hhd %hd", INTMAX_MIN, -128, -32768);
    expect_output(sizeof(ptrdiff_t) == 8 ? "-9223372036854775808|-9223372036854775808"
                                         : "-2147483648|-2147483648",
                  "%zd|%td", PTRDIFF_MIN, PTRDIFF_MIN);
}

static void negative_star_width_left_justifies_and_negative_star_precision_is_none(void **state)
{
    expect_output("42   |", "%*d|", -5, 42);
    expect_output("42|00042", "%.*d|%05.*d", -3, 42, -1, 42);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(floating_point_conversions_print_as_written_and_consume_nothing),
        cmocka_unit_test(percent_n_prints_as_written_and_stores_nothing),
        cmocka_unit_test(wide_or_length_modified_c_s_p_print_as_written),
        cmocka_unit_test(unknown_conversions_print_as_written_and_text_resumes_after),
        cmocka_unit_test(percent_with_anything_between_prints_as_written),
        cmocka_unit_test(stars_of_an_unsupported_conversion_are_not_consumed),
        cmocka_unit_test(format_ending_inside_a_conversion_prints_it_as_written),
        cmocka_unit_test(percent_percent_prints_one_percent),
        cmocka_unit_test_setup(null_string_prints_null_unless_precision_is_below_six, reset),
        cmocka_unit_test(string_precision_bounds_the_read_of_an_unterminated_string),
        cmocka_unit_test(pointers_print_0x_lowercase_hex_and_null_as_nil),
        cmocka_unit_test(hash_flag_follows_c_for_zero_and_octal),
        cmocka_unit_test(zero_precision_prints_no_digits_for_zero),
        cmocka_unit_test(zero_flag_is_ignored_with_precision_or_minus),
        cmocka_unit_test(minimum_values_print_their_full_magnitude),
        cmocka_unit_test(negative_star_width_left_justifies_and_negative_star_precision_is_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
