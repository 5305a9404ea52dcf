// libFuzzer target for core/fmt. Input: byte 0 picks one of three fixed argument packs (ints of
// every length modifier's type, characters, strings including NULL and "", pointers including
// NULL); the bytes after it, up to a NUL or FORMAT_MAX, are the format. The format is scanned with
// core/fmt.h's grammar and made into two formats that must print the same text:
//   - for fmt_snprintf: the input as written, except where a supported conversion would be
//     undefined in C with the pack: its length modifier and conversion are adapted to the type of
//     the pack's next argument (and d/u swapped where the value is not representable in the type
//     read), a precision on %c is dropped, a `*` whose argument is not an int in
//     [-FMT_FIELD_MAX, FMT_FIELD_MAX] becomes a literal width, and a conversion past the end of
//     the pack becomes literal text ("%%...");
//   - for the host's snprintf: the same, with widths and precisions above FMT_FIELD_MAX written
//     as FMT_FIELD_MAX and every unsupported conversion (%n, %f, %lc, "%5%", a trailing '%' ...)
//     written with its '%'s doubled: core/fmt prints those as written and consumes nothing.
// Flags where C leaves them open but fmt.h says where each acts (# on d, 0 on s, + on p) are kept:
// glibc ignores or applies them as fmt.h documents. The output and the return value must equal
// glibc's byte for byte; then fmt_snprintf runs at sizes 0 (NULL buffer), 1, 2, half, n, n + 1
// and n + 64, each into a heap buffer of exactly that size (AddressSanitizer sees an overrun),
// and must return n, hold the output's first min(n, size - 1) bytes and a NUL, and write nothing
// after the NUL; fmt_format through a sink must deliver no empty piece and the same text.
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fmt.h"

#define FORMAT_MAX   512
#define FIELD_BUDGET (1u << 18) // total width and precision in one format (keeps runs fast)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include "test/fuzz/fuzz_check.h"

// ---- the argument packs -----------------------------------------------------------------------

enum kind {
    K_INT,
    K_UINT,
    K_LONG,
    K_ULONG,
    K_LLONG,
    K_ULLONG,
    K_SIZE,
    K_PTRDIFF,
    K_INTMAX,
    K_UINTMAX,
    K_STR,
    K_PTR
};

// One argument: its type, whether it is negative (signed types) or above its signed
// counterpart's maximum (unsigned types), and its value when it is an int (for `*`).
struct slot {
    enum kind kind;
    bool neg, big;
    long long value;
};

// A pack is an X-macro list of X(KIND, value): DESC makes its slot, ARG passes it.
#define DESC(k, v) DESC_##k(v),
#define ARG(k, v)  , ARG_##k(v)
#define DESC_INT(v)                                                                                \
    {                                                                                              \
        K_INT, (v) < 0, false, (v)                                                                 \
    }
#define DESC_UINT(v)                                                                               \
    {                                                                                              \
        K_UINT, false, (v) > (unsigned)INT_MAX, 0                                                  \
    }
#define DESC_LONG(v)                                                                               \
    {                                                                                              \
        K_LONG, (v) < 0, false, 0                                                                  \
    }
#define DESC_ULONG(v)                                                                              \
    {                                                                                              \
        K_ULONG, false, (v) > (unsigned long)LONG_MAX, 0                                           \
    }
#define DESC_LLONG(v)                                                                              \
    {                                                                                              \
        K_LLONG, (v) < 0, false, 0                                                                 \
    }
#define DESC_ULLONG(v)                                                                             \
    {                                                                                              \
        K_ULLONG, false, (v) > (unsigned long long)LLONG_MAX, 0                                    \
    }
#define DESC_SIZE(v)                                                                               \
    {                                                                                              \
        K_SIZE, false, (v) > (size_t)PTRDIFF_MAX, 0                                                \
    }
#define DESC_PTRDIFF(v)                                                                            \
    {                                                                                              \
        K_PTRDIFF, (v) < 0, false, 0                                                               \
    }
#define DESC_INTMAX(v)                                                                             \
    {                                                                                              \
        K_INTMAX, (v) < 0, false, 0                                                                \
    }
#define DESC_UINTMAX(v)                                                                            \
    {                                                                                              \
        K_UINTMAX, false, (v) > (uintmax_t)INTMAX_MAX, 0                                           \
    }
#define DESC_STR(v)                                                                                \
    {                                                                                              \
        K_STR, false, false, 0                                                                     \
    }
#define DESC_PTR(v)                                                                                \
    {                                                                                              \
        K_PTR, false, false, 0                                                                     \
    }
#define ARG_INT(v)     (int)(v)
#define ARG_UINT(v)    (unsigned)(v)
#define ARG_LONG(v)    (long)(v)
#define ARG_ULONG(v)   (unsigned long)(v)
#define ARG_LLONG(v)   (long long)(v)
#define ARG_ULLONG(v)  (unsigned long long)(v)
#define ARG_SIZE(v)    (size_t)(v)
#define ARG_PTRDIFF(v) (ptrdiff_t)(v)
#define ARG_INTMAX(v)  (intmax_t)(v)
#define ARG_UINTMAX(v) (uintmax_t)(v)
#define ARG_STR(v)     (const char *)(v)
#define ARG_PTR(v)     (const void *)(uintptr_t)(v)

// The packs, in the order their arguments are passed.
// clang-format off
#define PACK_SMALL(X)                                                                              \
    X(INT, 42) X(INT, -1) X(UINT, 0x80000000u) X(INT, 'x') X(STR, "hello") X(PTR, 0xdeadbeef)     \
    X(INT, INT_MIN) X(LONG, LONG_MIN) X(ULONG, ULONG_MAX) X(LLONG, -123456789012345LL)            \
    X(ULLONG, 0x123456789abcdefULL) X(SIZE, SIZE_MAX) X(PTRDIFF, -5) X(INTMAX, INTMAX_MIN)        \
    X(UINTMAX, UINTMAX_MAX) X(INT, 0) X(STR, "") X(STR, NULL) X(PTR, 0) X(INT, 7)                 \
    X(INT, INT_MAX) X(UINT, 0) X(INT, -300) X(INT, 255) X(INT, 200)
#define PACK_TEXT(X)                                                                               \
    X(STR, "a longer string, with spaces") X(PTR, UINTPTR_MAX) X(INT, 5) X(INT, -12)              \
    X(STR, NULL) X(PTR, 0) X(INT, 0) X(STR, "\xff\x01 bytes") X(INT, '\0') X(PTR, 1) X(INT, 300)  \
    X(STR, "") X(UINT, 4294967295u) X(INT, -1000) X(STR, "%d %s %n") X(INT, 65536)                \
    X(INT, -65536) X(PTR, 0x7fffffffffffull) X(INT, 1) X(STR, "end")
#define PACK_WIDE(X)                                                                               \
    X(LLONG, LLONG_MIN) X(ULLONG, ULLONG_MAX) X(LONG, 1) X(SIZE, 0) X(PTRDIFF, PTRDIFF_MAX)        \
    X(INTMAX, 0) X(INT, 3) X(INT, 65537) X(UINTMAX, 0) X(LONG, LONG_MAX) X(ULONG, 0)               \
    X(SIZE, 4096) X(PTRDIFF, PTRDIFF_MIN) X(INTMAX, INTMAX_MAX) X(LLONG, 0) X(INT, -7)             \
    X(UINT, 077) X(ULLONG, 1) X(INT, SHRT_MIN) X(INT, 0x12345)
// clang-format on

typedef int (*print_fn)(char *buf, size_t size, const char *fmt, ...);

#define PACK_FUNCS(name, PACK)                                                                     \
    static const struct slot name##_slots[] = {PACK(DESC)};                                        \
    static int name##_print(print_fn f, char *buf, size_t size, const char *fmt)                   \
    {                                                                                              \
        return f(buf, size, fmt PACK(ARG));                                                        \
    }                                                                                              \
    static int name##_sink(const struct fmt_sink *sink, const char *fmt)                           \
    {                                                                                              \
        return fmt_format(sink, fmt PACK(ARG));                                                    \
    }

PACK_FUNCS(small, PACK_SMALL)
PACK_FUNCS(text, PACK_TEXT)
PACK_FUNCS(wide, PACK_WIDE)

static const struct pack {
    const struct slot *slots;
    size_t n;
    int (*print)(print_fn f, char *buf, size_t size, const char *fmt);
    int (*sink)(const struct fmt_sink *sink, const char *fmt);
} packs[] = {
    {small_slots, sizeof(small_slots) / sizeof(small_slots[0]), small_print, small_sink},
    {text_slots, sizeof(text_slots) / sizeof(text_slots[0]), text_print, text_sink},
    {wide_slots, sizeof(wide_slots) / sizeof(wide_slots[0]), wide_print, wide_sink},
};

// ---- making the two formats -------------------------------------------------------------------

struct san {
    const struct pack *pack;
    size_t next;   // the pack's next unconsumed argument
    size_t budget; // width and precision left
    char *fm, *host;
    size_t nf, nh;
};

static void put(struct san *s, bool to_fmt, bool to_host, const char *text, size_t len)
{
    if (to_fmt) {
        memcpy(s->fm + s->nf, text, len);
        s->nf += len;
    }
    if (to_host) {
        memcpy(s->host + s->nh, text, len);
        s->nh += len;
    }
}

static void put_both(struct san *s, const char *text)
{
    put(s, true, true, text, strlen(text));
}

static void put_number(struct san *s, bool to_fmt, bool to_host, long v)
{
    char n[24];
    put(s, to_fmt, to_host, n, (size_t)snprintf(n, sizeof(n), "%ld", v));
}

// One field (width or precision) written as digits [d, d + len): the digits as written for fmt,
// FMT_FIELD_MAX for the host when larger; both become small once the budget is spent. No digits:
// no width, or precision 0 (written out for the host).
static void put_field(struct san *s, const char *d, size_t len, bool precision)
{
    if (len == 0) {
        put(s, false, precision, "0", 1);
        return;
    }
    long v = 0;
    for (size_t i = 0; i < len; i++)
        v = v > FMT_FIELD_MAX ? v : v * 10 + (d[i] - '0');
    v = v > FMT_FIELD_MAX ? FMT_FIELD_MAX : v;
    if ((size_t)v > s->budget) {
        put_number(s, true, true, v % 97);
        return;
    }
    s->budget -= (size_t)v;
    put(s, true, false, d, len);
    put_number(s, false, true, v);
}

// A `*`: kept when the next argument is an int that glibc and fmt treat alike, else a literal.
static void put_star(struct san *s, bool precision)
{
    const struct slot *a = s->next < s->pack->n ? &s->pack->slots[s->next] : NULL;
    long long mag = a == NULL ? 0 : a->value < 0 ? -a->value : a->value;
    bool ok = a != NULL && a->kind == K_INT && mag <= FMT_FIELD_MAX &&
              (precision && a->value < 0 ? true : (size_t)mag <= s->budget);
    if (!ok) {
        put_both(s, "7");
        return;
    }
    if (!(precision && a->value < 0))
        s->budget -= (size_t)mag;
    put_both(s, "*");
    s->next++;
}

static bool is_signed_kind(enum kind k)
{
    return k == K_INT || k == K_LONG || k == K_LLONG || k == K_PTRDIFF || k == K_INTMAX;
}

// The length modifier that reads an argument of kind k ("" for int and unsigned).
static const char *kind_len(enum kind k)
{
    static const char *const lens[] = {"", "", "l", "l", "ll", "ll", "z", "t", "j", "j"};
    return lens[k];
}

// Adapts a supported conversion to the next argument: writes its length modifier and conversion.
static void put_conversion(struct san *s, const char *len, size_t lenlen, char conv)
{
    const struct slot *a = &s->pack->slots[s->next++];
    char out[4] = {0};
    if (a->kind == K_STR) {
        out[0] = conv == 'p' ? 'p' : 's'; // a char * may be read as void *
    } else if (a->kind == K_PTR) {
        out[0] = 'p';
    } else {
        bool int_sized = a->kind == K_INT || a->kind == K_UINT;
        if (conv == 'c' && !(a->kind == K_UINT && a->big) && int_sized) {
            out[0] = 'c';
        } else {
            if (conv == 'c' || conv == 's' || conv == 'p')
                conv = is_signed_kind(a->kind) ? 'd' : 'u';
            if ((conv == 'd' || conv == 'i') && a->big)
                conv = 'u'; // not representable in the signed type read
            if (strchr("uxXo", conv) != NULL && a->neg)
                conv = 'd';
            // hh and h read an int too; any other modifier must be the argument's own.
            bool keep = int_sized && (lenlen == 0 || len[0] == 'h');
            const char *l = keep ? "" : kind_len(a->kind);
            size_t n = keep ? lenlen : strlen(l);
            memcpy(out, keep ? len : l, n);
            out[n] = conv;
        }
    }
    put_both(s, out);
}

// The conversion at p (just after its '%'); returns the text after it.
static const char *sanitise_spec(struct san *s, const char *pct)
{
    const char *p = pct + 1, *flags = p;
    while (*p != '\0' && strchr("-+ #0", *p) != NULL)
        p++;
    const char *flags_end = p, *width = p;
    bool wstar = *p == '*', has_prec = false, pstar = false;
    if (wstar)
        p++;
    while (!wstar && *p >= '0' && *p <= '9')
        p++;
    const char *width_end = p, *prec = p;
    if (*p == '.') {
        has_prec = true;
        prec = ++p;
        pstar = *p == '*';
        if (pstar)
            p++;
        while (!pstar && *p >= '0' && *p <= '9')
            p++;
    }
    const char *prec_end = p, *len = p;
    if ((p[0] == 'h' && p[1] == 'h') || (p[0] == 'l' && p[1] == 'l'))
        p += 2;
    else if (*p != '\0' && strchr("hlzjt", *p) != NULL)
        p++;
    size_t lenlen = (size_t)(p - len);
    char conv = *p;
    const char *end = conv != '\0' ? p + 1 : p;
    bool supported = (conv != '\0' && strchr("diuxXo", conv) != NULL) ||
                     (conv != '\0' && strchr("csp", conv) != NULL && lenlen == 0);
    if (conv == '%' && end == pct + 2) {
        put_both(s, "%%");
        return end;
    }
    bool drop_prec = conv == 'c'; // undefined in C
    size_t need = (size_t)wstar + (size_t)(has_prec && pstar && !drop_prec) + 1;
    if (!supported || s->next + need > s->pack->n) {
        // Printed as written by fmt; the host needs its '%'s doubled. A supported conversion past
        // the pack's end is made literal for both.
        if (supported)
            put(s, true, false, "%", 1);
        for (const char *q = pct; q < end; q++) {
            put(s, true, true, q, 1);
            if (*q == '%')
                put(s, false, true, "%", 1);
        }
        return end;
    }
    put_both(s, "%");
    put(s, true, true, flags, (size_t)(flags_end - flags));
    if (wstar)
        put_star(s, false);
    else
        put_field(s, width, (size_t)(width_end - width), false);
    if (has_prec && !drop_prec) {
        put_both(s, ".");
        if (pstar)
            put_star(s, true);
        else
            put_field(s, prec, (size_t)(prec_end - prec), true);
    }
    put_conversion(s, len, lenlen, conv);
    return end;
}

// ---- checks ---------------------------------------------------------------------------------

struct piece_sink {
    const char *want;
    size_t want_len, got;
};

static void piece_write(void *ctx, const char *text, size_t len)
{
    struct piece_sink *ps = ctx;
    CHECK(len > 0, "an empty piece at %zu", ps->got);
    CHECK(ps->got + len <= ps->want_len && memcmp(ps->want + ps->got, text, len) == 0,
          "piece of %zu at %zu differs from snprintf's output", len, ps->got);
    ps->got += len;
}

static void check_sizes(const struct pack *pk, const char *f, const char *want, size_t n)
{
    const size_t sizes[] = {0, 1, 2, n / 2 + 1, n, n + 1, n + 64};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        size_t size = sizes[i];
        char *buf = size > 0 ? malloc(size) : NULL;
        if (size > 0)
            memset(buf, 0x5a, size);
        int rc = pk->print(fmt_snprintf, buf, size, f);
        CHECK(rc >= 0 && (size_t)rc == n, "size %zu: returned %d, expected %zu", size, rc, n);
        if (size > 0) {
            size_t kept = n < size - 1 ? n : size - 1;
            CHECK(memcmp(buf, want, kept) == 0 && buf[kept] == '\0',
                  "size %zu: not the first %zu bytes and a NUL", size, kept);
            for (size_t j = kept + 1; j < size; j++)
                CHECK(buf[j] == 0x5a, "size %zu: byte %zu written past the NUL", size, j);
        }
        free(buf);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const struct pack *pk = &packs[data[0] % 3];
    const uint8_t *nul = memchr(data + 1, '\0', size - 1);
    size_t len = nul != NULL ? (size_t)(nul - data - 1) : size - 1;
    len = len < FORMAT_MAX ? len : FORMAT_MAX;
    char *in = malloc(len + 1);
    memcpy(in, data + 1, len);
    in[len] = '\0';

    // Each input byte becomes at most a few bytes of either format (a field at most 5 digits).
    struct san s = {.pack = pk, .budget = FIELD_BUDGET};
    s.fm = malloc(8 * len + 16);
    s.host = malloc(8 * len + 16);
    for (const char *p = in; *p != '\0';) {
        if (*p == '%') {
            p = sanitise_spec(&s, p);
        } else {
            put(&s, true, true, p, 1);
            p++;
        }
    }
    s.fm[s.nf] = '\0';
    s.host[s.nh] = '\0';

    int hn = pk->print(snprintf, NULL, 0, s.host);
    CHECK(hn >= 0, "snprintf failed on \"%s\"", s.host);
    char *want = malloc((size_t)hn + 1);
    pk->print(snprintf, want, (size_t)hn + 1, s.host);
    char *got = malloc((size_t)hn + 1);
    int n = pk->print(fmt_snprintf, got, (size_t)hn + 1, s.fm);
    CHECK(n == hn, "fmt_snprintf(\"%s\") = %d, snprintf(\"%s\") = %d", s.fm, n, s.host, hn);
    CHECK(memcmp(got, want, (size_t)hn) == 0,
          "fmt_snprintf(\"%s\") = \"%s\", snprintf(\"%s\") = \"%s\"", s.fm, got, s.host, want);
    check_sizes(pk, s.fm, want, (size_t)hn);

    struct piece_sink ps = {want, (size_t)hn, 0};
    struct fmt_sink sink = {piece_write, &ps};
    int rc = pk->sink(&sink, s.fm);
    CHECK(rc == hn && ps.got == (size_t)hn, "fmt_format returned %d after %zu bytes, expected %d",
          rc, ps.got, hn);
    free(got);
    free(want);
    free(s.fm);
    free(s.host);
    free(in);
    return 0;
}
