// Shared helpers for the formatter tests (test_fmt_*.c): fmt and the host libc's snprintf run side
// by side with every mismatch counted and the first ones printed, and calls to fmt for formats the
// compiler's format check would reject. Header-only; everything is static (and may be unused in
// one program).
#pragma once

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

#define FT static __attribute__((unused))

#define OUT_MAX    512 // every generated or random case fits
#define BIG_MAX    (FMT_FIELD_MAX + 64)
#define SHOW_FIRST 20 // mismatches printed in full before the rest are only counted

// Since the last reset: the cases vmatch compared and how many of them did not match.
FT size_t mismatches;
FT size_t cases;

// Prints s with non-printing bytes escaped, at most 160 characters of it.
FT void show(const char *label, const char *s, int n)
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
FT int stored(int n, size_t size)
{
    return n < 0 ? 0 : (size_t)n < size ? n : (int)size - 1;
}

// Formats with fmt and with libc into got and want, buffers of `size`; counts and prints a
// mismatch (return value or bytes). Returns true when both agree.
FT bool vmatch(char *got, char *want, size_t size, const char *f, va_list ap)
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

FT bool match(const char *f, ...)
{
    char got[OUT_MAX], want[OUT_MAX];
    va_list ap;
    va_start(ap, f);
    bool same = vmatch(got, want, OUT_MAX, f, ap);
    va_end(ap);
    return same;
}

FT bool match_big(const char *f, ...)
{
    static char got[BIG_MAX], want[BIG_MAX];
    va_list ap;
    va_start(ap, f);
    bool same = vmatch(got, want, BIG_MAX, f, ap);
    va_end(ap);
    return same;
}

// fmt_snprintf without the format attribute, for the formats -Wformat rightly dislikes.
FT int ours(char *buf, size_t size, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = fmt_vsnprintf(buf, size, f, ap);
    va_end(ap);
    return n;
}

FT int ours_to(const struct fmt_sink *sink, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = fmt_vformat(sink, f, ap);
    va_end(ap);
    return n;
}

FT void assert_no_mismatch(const char *what)
{
    printf("%s: %zu cases, %zu mismatches\n", what, cases, mismatches);
    assert_int_equal(mismatches, 0);
}

FT int reset(void **state)
{
    mismatches = 0;
    cases = 0;
    return 0;
}
