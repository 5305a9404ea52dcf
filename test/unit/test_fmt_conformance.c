// Tests for core/fmt.c against the host libc's snprintf: every combination of flags, width,
// precision and length modifier for each conversion over a set of boundary values, then random
// formats from a fixed, printed seed. The fast tier (test/unit/sweep.h) passes each combination
// one of the values, the next in turn, and runs 20000 random formats; the long tier passes every
// value and runs 300000.
#include "test/unit/fmt_test.h"
#include "test/unit/sweep.h"

#define RANDOM_SEED 0x5eed2024c0ffee11ull

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

// Whether combination number `turn` meets value i of n: every value in the long tier; in the fast
// tier only one, the next in turn, so consecutive combinations meet every value.
static bool meets(bool every_value, size_t turn, size_t i, size_t n)
{
    return every_value || i == turn % n;
}

static void every_integer_format_matches_libc(void **state)
{
    struct shape sh;
    bool every_value = sweep_long();
    size_t turn = 0;
    for (int len = 0; len < L_COUNT; len++) {
        for (const char *conv = "diuxXo"; *conv != '\0'; conv++) {
            for (unsigned shape = 0; shape < N_SHAPES; shape++, turn++) {
                make_shape(&sh, shape, lens[len], *conv);
                bool is_signed = *conv == 'd' || *conv == 'i';
                for (size_t i = 0; i < N_INT_VALUES; i++) {
                    if (!meets(every_value, turn, i, N_INT_VALUES))
                        continue;
                    match_integer(&sh, (enum len)len, is_signed, int_values[i]);
                    turn_stars(&sh);
                }
            }
        }
    }
    assert_no_mismatch("integer conformance");
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void every_char_string_and_pointer_format_matches_libc(void **state)
{
    static const int chars[] = {'a', ' ', '0', '%', 0, 0x7f, 0x80, 0xff, 0x141, -1};
    static const char *const strings[] = {"", "a", "hello", "a string of 26 characters.", NULL};
    int local;
    const void *pointers[] = {NULL,         (void *)1,           (void *)0xdeadbeef,
                              (void *)0xff, (void *)UINTPTR_MAX, (void *)INTPTR_MAX,
                              &local};
    struct shape sh;
    bool every_value = sweep_long();
    for (unsigned shape = 0; shape < N_SHAPES; shape++) {
        make_shape(&sh, shape, "", 'c');
        for (size_t i = 0; i < N(chars); i++) {
            if (meets(every_value, shape, i, N(chars))) {
                MATCH_SHAPE(&sh, chars[i]);
                turn_stars(&sh);
            }
        }
        make_shape(&sh, shape, "", 's');
        for (size_t i = 0; i < N(strings); i++) {
            if (meets(every_value, shape, i, N(strings))) {
                MATCH_SHAPE(&sh, strings[i]);
                turn_stars(&sh);
            }
        }
        make_shape(&sh, shape, "", 'p');
        for (size_t i = 0; i < N(pointers); i++) {
            if (meets(every_value, shape, i, N(pointers))) {
                MATCH_SHAPE(&sh, pointers[i]);
                turn_stars(&sh);
            }
        }
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
    uint64_t seed = sweep_seed("random formats", RANDOM_SEED, UINT64_MAX);
    uint64_t n = sweep_size(20000, 300000);
    rng_state = seed;
    struct shape sh;
    for (unsigned i = 0; i < n; i++) {
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
            printf("  random case %u (seed %#llx), value %#llx\n", i, (unsigned long long)seed, v);
    }
    assert_no_mismatch("random formats");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(every_integer_format_matches_libc, reset),
        cmocka_unit_test_setup(every_char_string_and_pointer_format_matches_libc, reset),
        cmocka_unit_test_setup(random_formats_match_libc, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
