// Tests for core/fmt.c: generated and random formats compared with the host libc's snprintf,
// truncation, the sink's pieces, and the documented answers for what fmt does not support.
#include "core/err.h"
#include "core/fmt.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define OUT_MAX     512 // every generated or random case fits
#define BIG_MAX     (FMT_FIELD_MAX + 64)
#define SHOW_FIRST  20 // mismatches printed in full before the rest are only counted
#define RANDOM_SEED 0x5eed2024c0ffee11ull

static size_t mismatches;
static size_t cases;

// Prints s with non-printing bytes escaped, at most 160 characters of it.
static void show(const char *label, const char *s, int n)
{
    printf("  %s (%d): \"", label, n);
    for (int i = 0; i < n && i < 160; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f)
            putchar(c);
        else
            printf("\\x%02x", c);
    }
    printf("%s\"\n", n > 160 ? "..." : "");
}

// How much of an output of length n a buffer of `size` holds before its NUL.
static int stored(int n, size_t size)
{
    return n < 0 ? 0 : (size_t)n < size ? n : (int)size - 1;
}

// Formats with fmt and with libc into got and want, buffers of `size`; counts and prints a
// mismatch (return value or bytes). Returns true when both agree.
static bool vmatch(char *got, char *want, size_t size, const char *f, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n_got = fmt_vsnprintf(got, size, f, ap);
    int n_want = vsnprintf(want, size, f, ap2);
    va_end(ap2);
    bool same = n_got == n_want && memcmp(got, want, (size_t)stored(n_want, size) + 1) == 0;
    cases++;
    if (!same && mismatches++ < SHOW_FIRST) {
        printf("mismatch for format \"%s\"\n", f);
        show("fmt ", got, stored(n_got, size));
        show("libc", want, stored(n_want, size));
        printf("  returns: fmt %d, libc %d\n", n_got, n_want);
    }
    return same;
}

static bool match(const char *f, ...)
{
    char got[OUT_MAX], want[OUT_MAX];
    va_list ap;
    va_start(ap, f);
    bool same = vmatch(got, want, OUT_MAX, f, ap);
    va_end(ap);
    return same;
}

static bool match_big(const char *f, ...)
{
    static char got[BIG_MAX], want[BIG_MAX];
    va_list ap;
    va_start(ap, f);
    bool same = vmatch(got, want, BIG_MAX, f, ap);
    va_end(ap);
    return same;
}

// fmt_snprintf without the format attribute, for the formats -Wformat rightly dislikes.
static int ours(char *buf, size_t size, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = fmt_vsnprintf(buf, size, f, ap);
    va_end(ap);
    return n;
}

static int ours_to(const struct fmt_sink *sink, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = fmt_vformat(sink, f, ap);
    va_end(ap);
    return n;
}

static void assert_no_mismatch(const char *what)
{
    printf("%s: %zu cases, %zu mismatches\n", what, cases, mismatches);
    assert_int_equal(mismatches, 0);
}

static int reset(void **state)
{
    mismatches = 0;
    cases = 0;
    return 0;
}

// ---- generated conformance set --------------------------------------------------------------

enum len { L_NONE, L_HH, L_H, L_L, L_LL, L_Z, L_J, L_T, L_COUNT };
static const char *const lens[L_COUNT] = {"", "hh", "h", "l", "ll", "z", "j", "t"};
static const char *const widths[] = {"", "0", "1", "5", "20", "*"};
static const char *const precs[] = {"", ".0", ".1", ".5", ".20", ".*"};
static const int star_widths[] = {-20, -5, -1, 0, 1, 5, 20};
static const int star_precs[] = {-1, -5, 0, 1, 5, 20};
#define N_FLAG_SETS 32 // subsets of "-+ #0"
#define N_SHAPES    (N_FLAG_SETS * 6 * 6)

// Bit patterns, converted to each argument type: 0, ±1, digit boundaries, and the minimum and
// maximum of every integer type (char, short, int, long long, unsigned of each).
// clang-format off
static const unsigned long long int_values[] = {
    0, 1, 2, 7, 8, 9, 10, 15, 16, 42, 99, 100, 1000000007,
    0x7f, 0x80, 0xff, 0x100, -0x80ull, -0x81ull,                    // char
    0x7fff, 0x8000, 0xffff, 0x10000, -0x8000ull,                    // short
    0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, -0x80000000ull, // int
    0x123456789abcdef0, LLONG_MAX, (unsigned long long)LLONG_MIN, ULLONG_MAX, -2ull, -42ull,
};
// clang-format on
#define N_INT_VALUES (sizeof(int_values) / sizeof(int_values[0]))

struct shape {
    char fmt[64];
    bool width_star, prec_star;
    int stars[2];
    int nstars;
};

// Picks the next `*` values, turning through both lists so each shape meets many of them.
static void turn_stars(struct shape *sh)
{
    static unsigned turn;
    sh->nstars = 0;
    if (sh->width_star)
        sh->stars[sh->nstars++] = star_widths[turn % 7];
    if (sh->prec_star)
        sh->stars[sh->nstars++] = star_precs[turn % 6];
    turn++;
}

// The shape-th combination of flags, width and precision, for one length and conversion.
static void make_shape(struct shape *sh, unsigned shape, const char *len, char conv)
{
    unsigned flags = shape % N_FLAG_SETS, w = (shape / N_FLAG_SETS) % 6, p = shape / 192;
    char *o = sh->fmt;
    *o++ = '%';
    for (int i = 0; i < 5; i++) {
        if (flags & (1u << i))
            *o++ = "-+ #0"[i];
    }
    snprintf(o, sizeof(sh->fmt) - (size_t)(o - sh->fmt), "%s%s%s%c", widths[w], precs[p], len,
             conv);
    sh->width_star = w == 5;
    sh->prec_star = p == 5;
    turn_stars(sh);
}

// Adds the `*` arguments to a mismatch report.
static bool noted(const struct shape *sh, bool same)
{
    if (same || mismatches > SHOW_FIRST)
        return same;
    if (sh->nstars == 1)
        printf("  * argument: %d\n", sh->stars[0]);
    if (sh->nstars == 2)
        printf("  * arguments: %d, %d\n", sh->stars[0], sh->stars[1]);
    return same;
}

#define MATCH_SHAPE(sh, v)                                                                         \
    noted(sh, (sh)->nstars == 0   ? match((sh)->fmt, v)                                            \
              : (sh)->nstars == 1 ? match((sh)->fmt, (sh)->stars[0], v)                            \
                                  : match((sh)->fmt, (sh)->stars[0], (sh)->stars[1], v))

// One value through one shape, passed as the type the length modifier and conversion call for.
static bool match_integer(const struct shape *sh, enum len len, bool is_signed,
                          unsigned long long v)
{
    switch (len) {
    case L_L: return is_signed ? MATCH_SHAPE(sh, (long)v) : MATCH_SHAPE(sh, (unsigned long)v);
    case L_LL: return is_signed ? MATCH_SHAPE(sh, (long long)v) : MATCH_SHAPE(sh, v);
    case L_Z: return is_signed ? MATCH_SHAPE(sh, (ptrdiff_t)v) : MATCH_SHAPE(sh, (size_t)v);
    case L_J: return is_signed ? MATCH_SHAPE(sh, (intmax_t)v) : MATCH_SHAPE(sh, (uintmax_t)v);
    case L_T: return is_signed ? MATCH_SHAPE(sh, (ptrdiff_t)v) : MATCH_SHAPE(sh, (size_t)v);
    default: return is_signed ? MATCH_SHAPE(sh, (int)v) : MATCH_SHAPE(sh, (unsigned)v);
    }
}

static void every_integer_format_matches_libc(void **state)
{
    struct shape sh;
    for (int len = 0; len < L_COUNT; len++) {
        for (const char *conv = "diuxXo"; *conv != '\0'; conv++) {
            for (unsigned shape = 0; shape < N_SHAPES; shape++) {
                make_shape(&sh, shape, lens[len], *conv);
                bool is_signed = *conv == 'd' || *conv == 'i';
                for (size_t i = 0; i < N_INT_VALUES; i++, turn_stars(&sh))
                    match_integer(&sh, (enum len)len, is_signed, int_values[i]);
            }
        }
    }
    assert_no_mismatch("integer conformance");
}

static void every_char_string_and_pointer_format_matches_libc(void **state)
{
    static const int chars[] = {'a', ' ', '0', '%', 0, 0x7f, 0x80, 0xff, 0x141, -1};
    static const char *const strings[] = {"", "a", "hello", "a string of 26 characters.", NULL};
    int local;
    const void *pointers[] = {NULL,         (void *)1,           (void *)0xdeadbeef,
                              (void *)0xff, (void *)UINTPTR_MAX, (void *)INTPTR_MAX,
                              &local};
    struct shape sh;
    for (unsigned shape = 0; shape < N_SHAPES; shape++) {
        make_shape(&sh, shape, "", 'c');
        for (size_t i = 0; i < sizeof(chars) / sizeof(chars[0]); i++, turn_stars(&sh))
            MATCH_SHAPE(&sh, chars[i]);
        make_shape(&sh, shape, "", 's');
        for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++, turn_stars(&sh))
            MATCH_SHAPE(&sh, strings[i]);
        make_shape(&sh, shape, "", 'p');
        for (size_t i = 0; i < sizeof(pointers) / sizeof(pointers[0]); i++, turn_stars(&sh))
            MATCH_SHAPE(&sh, pointers[i]);
    }
    assert_no_mismatch("char/string/pointer conformance");
}

// ---- random formats -------------------------------------------------------------------------

static uint64_t rng_state;

static uint64_t rng(void) // xorshift64: the same sequence on every host
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static unsigned below(unsigned n)
{
    return (unsigned)(rng() % n);
}

// Literal text, "%%" included.
static char *random_text(char *o)
{
    for (unsigned n = below(4); n > 0; n--) {
        if (below(6) == 0) {
            *o++ = '%';
            *o++ = '%';
        } else {
            *o++ = "ab Z.-09:\t"[below(10)];
        }
    }
    return o;
}

// text, one conversion from the supported grammar, text; returns the conversion's length.
static enum len random_format(struct shape *sh, char *conv)
{
    char *o = random_text(sh->fmt);
    *o++ = '%';
    for (unsigned n = below(4); n > 0; n--)
        *o++ = "-+ #0"[below(5)];
    unsigned w = below(4), p = below(5);
    sh->width_star = w == 1;
    sh->prec_star = p == 3;
    o += w == 0 ? 0 : w == 1 ? sprintf(o, "*") : sprintf(o, "%u", below(45));
    o += p < 2    ? 0
         : p == 2 ? sprintf(o, ".")
         : p == 3 ? sprintf(o, ".*")
                  : sprintf(o, ".%u", below(45));
    *conv = "diuxXocsp"[below(9)];
    enum len len = strchr("csp", *conv) ? L_NONE : (enum len)below(L_COUNT);
    o += sprintf(o, "%s%c", lens[len], *conv);
    *random_text(o) = '\0';
    sh->nstars = 0;
    if (sh->width_star)
        sh->stars[sh->nstars++] = (int)below(91) - 45;
    if (sh->prec_star)
        sh->stars[sh->nstars++] = (int)below(91) - 45;
    return len;
}

static unsigned long long random_value(void)
{
    if (below(2) == 0)
        return int_values[below(N_INT_VALUES)];
    unsigned bits = 1 + below(64);
    unsigned long long v = rng() & (bits == 64 ? ~0ull : (1ull << bits) - 1);
    return below(4) == 0 ? 0 - v : v;
}

static void random_formats_match_libc(void **state)
{
    static const char *const strings[] = {"", "x", "kernel", "0123456789abcdef0123456789", NULL};
    rng_state = RANDOM_SEED;
    printf("random formats: seed %#llx\n", (unsigned long long)RANDOM_SEED);
    struct shape sh;
    for (unsigned i = 0; i < 300000; i++) {
        char conv;
        enum len len = random_format(&sh, &conv);
        unsigned long long v = random_value();
        bool same;
        if (conv == 's')
            same = MATCH_SHAPE(&sh, strings[v % 5]);
        else if (conv == 'p')
            same = MATCH_SHAPE(&sh, (const void *)(uintptr_t)(v % 3 == 0 ? 0 : v));
        else if (conv == 'c')
            same = MATCH_SHAPE(&sh, (int)v);
        else
            same = match_integer(&sh, len, conv == 'd' || conv == 'i', v);
        if (!same && mismatches <= SHOW_FIRST)
            printf("  random case %u (seed %#llx), value %#llx\n", i,
                   (unsigned long long)RANDOM_SEED, v);
    }
    assert_no_mismatch("random formats");
}

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
    expect_output("-9223372036854775808|-9223372036854775808", "%zd|%td", PTRDIFF_MIN, PTRDIFF_MIN);
}

static void negative_star_width_left_justifies_and_negative_star_precision_is_none(void **state)
{
    expect_output("42   |", "%*d|", -5, 42);
    expect_output("42|00042", "%.*d|%05.*d", -3, 42, -1, 42);
}

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

static void output_beyond_int_max_returns_e_range_and_still_reaches_the_sink(void **state)
{
    enum { PART = 64 << 20 }; // 33 of these pass INT_MAX
    char *s = malloc(PART + 1);
    memset(s, 'x', PART);
    s[PART] = '\0';
    size_t total = 0;
    struct fmt_sink sink = {count_only, &total};
#define S4 s, s, s, s
    int n = fmt_format(&sink, "%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s",
                       S4, S4, S4, S4, S4, S4, S4, S4, s);
#undef S4
    assert_int_equal(n, E_RANGE);
    assert_int_equal(total, 33 * (size_t)PART);
    free(s);
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
        cmocka_unit_test_setup(every_integer_format_matches_libc, reset),
        cmocka_unit_test_setup(every_char_string_and_pointer_format_matches_libc, reset),
        cmocka_unit_test_setup(random_formats_match_libc, reset),
        cmocka_unit_test(snprintf_size_zero_writes_nothing_and_returns_full_length),
        cmocka_unit_test(snprintf_null_buffer_with_size_zero_only_counts),
        cmocka_unit_test(snprintf_size_one_writes_only_the_nul),
        cmocka_unit_test(snprintf_exact_size_fits_and_one_less_truncates),
        cmocka_unit_test(snprintf_truncates_like_libc_at_every_size),
        cmocka_unit_test(literal_text_reaches_the_sink_in_one_piece),
        cmocka_unit_test(number_text_reaches_the_sink_in_one_piece),
        cmocka_unit_test(sink_pieces_join_to_the_output_and_sum_to_the_return_value),
        cmocka_unit_test(unsupported_conversion_stays_in_its_literal_piece),
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
        cmocka_unit_test_setup(widths_and_precisions_up_to_field_max_match_libc, reset),
        cmocka_unit_test(fields_beyond_field_max_are_clamped),
        cmocka_unit_test(output_beyond_int_max_returns_e_range_and_still_reaches_the_sink),
        cmocka_unit_test(null_buffer_with_nonzero_size_panics),
        cmocka_unit_test(null_format_or_sink_panics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
