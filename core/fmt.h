// printf-style formatting for the kernel: integers, characters, strings and pointers written to a
// sink (the console, a buffer), with no floating point and no libc.
#pragma once

#include <stdarg.h>
#include <stddef.h>

// Widths and precisions above this are treated as this (literal or `*`), so that a stray
// argument cannot make one conversion print gigabytes. Up to it, output matches glibc.
#define FMT_FIELD_MAX 65536

// A sink receives the output in pieces; ctx is passed through. Pieces are never empty and are
// not NUL-terminated (a "%c" of 0 is a piece holding a NUL byte). A run of literal text between
// conversions arrives as one piece; a conversion's padding arrives in pieces of up to 64
// characters, and its text (sign, prefix, zeros and digits) in one piece unless its zeros are
// many.
struct fmt_sink {
    void (*write)(void *ctx, const char *s, size_t len);
    void *ctx;
};

// The format language is C's printf restricted to what the kernel needs, and prints what glibc's
// snprintf prints for it:
//   %[flags][width][.precision][length]conversion
//   flags      - + space # 0, any order, repeats allowed; + and space act on d i p, # on o x X,
//              0 on numbers without a precision and without -
//   width      digits or * (an int argument; negative means the - flag and its magnitude)
//   precision  . then digits (none means 0) or * (an int argument; negative means no precision)
//   length     hh h l ll z j t, on d i u x X o only
//   conversion d i (signed), u x X o (unsigned), c, s, p, and %% for one '%'
// Answers for the cases C leaves open, as glibc gives them:
//   %s of NULL prints "(null)", or "" when the precision is below 6;
//   %p prints 0x and lowercase hex digits, honouring flags (+ and space included), width and
//   precision as a number does; %p of NULL prints "(nil)" padded with spaces, whatever the flags
//   and precision.
// Answers where this formatter differs from glibc, by design:
//   * Unsupported conversions are printed exactly as written and consume no argument, not even
//     the `*` ones: the floating-point conversions (f F e E g G a A: the kernel keeps no FPU
//     state), %n (no writing through arguments), %lc and %ls (no wide characters), any length
//     modifier on c, s or p, the L and q modifiers, '%' with anything between the two '%'s, and
//     every unknown conversion character. "%5.2f %d" with (42) prints "%5.2f 42". Text after
//     the bad character is ordinary text again ("%lllx" prints "%lllx").
//   * A format that ends inside a conversion, including a lone trailing '%', prints that
//     unfinished conversion as written ("50%" prints "50%").
//   * Width and precision above FMT_FIELD_MAX are FMT_FIELD_MAX (a `*` width of INT_MIN is the
//     - flag and FMT_FIELD_MAX).
// Passing an argument of the wrong type is undefined, as in C.
// All functions are reentrant (no global state) and run in time linear in the format and the
// output; they never allocate and use under 1 KiB of stack besides the sink's own.

// Formats into sink. Returns the number of characters produced, or E_RANGE (core/err.h) when
// that number exceeds INT_MAX (the whole output still reaches the sink). A NULL sink, sink->write
// or fmt is a caller bug and panics.
int fmt_vformat(const struct fmt_sink *sink, const char *fmt, va_list ap);
int fmt_format(const struct fmt_sink *sink, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

// Formats into buf with C's snprintf semantics: writes at most size - 1 characters and always a
// terminating NUL when size > 0, and returns the length the full output would have had (so the
// output was truncated iff the result >= size), or E_RANGE as fmt_vformat does. buf may be NULL
// when size is 0 (counting only); NULL with size > 0, or a NULL fmt, panics.
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
