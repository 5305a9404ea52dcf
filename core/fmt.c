// printf-style formatter: parses one conversion at a time and writes batched pieces to a sink.
#include "core/fmt.h"
#include "core/err.h"
#include "core/panic.h"
#include "core/string.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

// %zd takes the signed type of size_t's width; on every target we build for that is ptrdiff_t.
_Static_assert(sizeof(ptrdiff_t) == sizeof(size_t), "ptrdiff_t stands in for signed size_t");

enum {
    FLAG_MINUS = 1u << 0,
    FLAG_PLUS = 1u << 1,
    FLAG_SPACE = 1u << 2,
    FLAG_HASH = 1u << 3,
    FLAG_ZERO = 1u << 4,
};

enum fmt_len { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_J, LEN_T };

// One parsed conversion specification.
struct spec {
    unsigned flags;
    int width; // 0 when none
    int prec;  // -1 when none
    bool width_star;
    bool prec_star;
    enum fmt_len len;
    char conv; // '\0' when the format ended inside the specification
};

struct out {
    const struct fmt_sink *sink;
    size_t count; // characters produced so far; may pass INT_MAX
};

#define PAD_CHUNK 64
#define SPACES16  "                "
#define ZEROS16   "0000000000000000"
static const char spaces[PAD_CHUNK + 1] = SPACES16 SPACES16 SPACES16 SPACES16;
static const char zeros[PAD_CHUNK + 1] = ZEROS16 ZEROS16 ZEROS16 ZEROS16;

static void emit(struct out *o, const char *s, size_t len)
{
    if (len == 0)
        return;
    o->sink->write(o->sink->ctx, s, len);
    o->count += len;
}

// Writes n copies of '0' or ' ' in chunks, so no buffer ever grows with the width.
static void pad(struct out *o, char c, size_t n)
{
    const char *src = c == '0' ? zeros : spaces;
    while (n > 0) {
        size_t piece = n < PAD_CHUNK ? n : PAD_CHUNK;
        emit(o, src, piece);
        n -= piece;
    }
}

// ---- parsing --------------------------------------------------------------------------------

static int clamp_field(long long v)
{
    return v > FMT_FIELD_MAX ? FMT_FIELD_MAX : (int)v;
}

// Decimal digits at *p, saturating just above FMT_FIELD_MAX so that no digit string overflows.
static int parse_number(const char **p)
{
    long n = 0;
    for (; **p >= '0' && **p <= '9'; (*p)++) {
        if (n <= FMT_FIELD_MAX)
            n = n * 10 + (**p - '0');
    }
    return clamp_field(n);
}

static const char *parse_flags(const char *p, unsigned *flags)
{
    for (;; p++) {
        switch (*p) {
        case '-': *flags |= FLAG_MINUS; break;
        case '+': *flags |= FLAG_PLUS; break;
        case ' ': *flags |= FLAG_SPACE; break;
        case '#': *flags |= FLAG_HASH; break;
        case '0': *flags |= FLAG_ZERO; break;
        default: return p;
        }
    }
}

static const char *parse_len(const char *p, enum fmt_len *len)
{
    switch (*p) {
    case 'h':
        if (p[1] == 'h') {
            *len = LEN_HH;
            return p + 2;
        }
        *len = LEN_H;
        return p + 1;
    case 'l':
        if (p[1] == 'l') {
            *len = LEN_LL;
            return p + 2;
        }
        *len = LEN_L;
        return p + 1;
    case 'z': *len = LEN_Z; return p + 1;
    case 'j': *len = LEN_J; return p + 1;
    case 't': *len = LEN_T; return p + 1;
    default: *len = LEN_NONE; return p;
    }
}

// Parses the specification after a '%' at p; returns where the text after it starts. `*` fields
// are only noted: their arguments are taken once the conversion is known to be supported.
static const char *parse_spec(const char *p, struct spec *s)
{
    *s = (struct spec){.prec = -1};
    p = parse_flags(p, &s->flags);
    if (*p == '*') {
        s->width_star = true;
        p++;
    } else {
        s->width = parse_number(&p);
    }
    if (*p == '.') {
        p++;
        if (*p == '*') {
            s->prec_star = true;
            p++;
        } else {
            s->prec = parse_number(&p);
        }
    }
    p = parse_len(p, &s->len);
    s->conv = *p;
    return *p != '\0' ? p + 1 : p;
}

static bool is_supported(const struct spec *s)
{
    switch (s->conv) {
    case 'd':
    case 'i':
    case 'u':
    case 'x':
    case 'X':
    case 'o': return true;
    case 'c':
    case 's':
    case 'p': return s->len == LEN_NONE;
    default: return false;
    }
}

static void take_stars(struct spec *s, va_list *ap)
{
    if (s->width_star) {
        long long w = va_arg(*ap, int); // long long: INT_MIN has a magnitude (long may not)
        if (w < 0) {
            s->flags |= FLAG_MINUS;
            w = -w;
        }
        s->width = clamp_field(w);
    }
    if (s->prec_star) {
        int prec = va_arg(*ap, int);
        s->prec = prec < 0 ? -1 : clamp_field(prec);
    }
}

// ---- conversions ----------------------------------------------------------------------------

// Text padded with spaces to the width (c, s and the NULL pointer: glibc ignores '0' for them).
static void put_padded(struct out *o, const struct spec *s, const char *text, size_t len)
{
    size_t fill = (size_t)s->width > len ? (size_t)s->width - len : 0;
    if (!(s->flags & FLAG_MINUS))
        pad(o, ' ', fill);
    emit(o, text, len);
    if (s->flags & FLAG_MINUS)
        pad(o, ' ', fill);
}

static void put_string(struct out *o, const struct spec *s, const char *str)
{
    if (str == NULL)
        str = s->prec < 0 || s->prec >= 6 ? "(null)" : "";
    // Bounded by the precision: the string need not be terminated within it.
    put_padded(o, s, str, strnlen(str, s->prec < 0 ? SIZE_MAX : (size_t)s->prec));
}

static unsigned base_of(char conv)
{
    switch (conv) {
    case 'o': return 8;
    case 'x':
    case 'X':
    case 'p': return 16;
    default: return 10;
    }
}

// Sign or prefix characters written before the zeros; returns how many (at most 3).
static size_t number_head(const struct spec *s, bool negative, uintmax_t mag, char head[3])
{
    size_t n = 0;
    bool is_signed = s->conv == 'd' || s->conv == 'i' || s->conv == 'p'; // glibc signs %p too
    if (negative)
        head[n++] = '-';
    else if (is_signed && (s->flags & FLAG_PLUS))
        head[n++] = '+';
    else if (is_signed && (s->flags & FLAG_SPACE))
        head[n++] = ' ';
    bool is_hex = s->conv == 'x' || s->conv == 'X';
    if (s->conv == 'p' || (is_hex && (s->flags & FLAG_HASH) && mag != 0)) {
        head[n++] = '0';
        head[n++] = s->conv == 'X' ? 'X' : 'x';
    }
    return n;
}

// A number: [spaces][sign/prefix][zeros][digits][spaces]. Sign, prefix, zeros and digits are
// assembled backwards in buf and written in one piece when the zeros fit.
static void put_number(struct out *o, const struct spec *s, uintmax_t mag, bool negative)
{
    char buf[64]; // 22 octal digits of 64 bits, 3 of head, the rest for zeros
    char *end = buf + sizeof(buf);
    char *p = end;
    const char *digit = s->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    unsigned base = base_of(s->conv);
    char head[3];
    size_t nhead = number_head(s, negative, mag, head);
    for (uintmax_t v = mag; v != 0; v /= base)
        *--p = digit[v % base];
    if (mag == 0 && s->prec != 0)
        *--p = '0'; // precision 0 prints no digits for 0
    size_t ndigits = (size_t)(end - p);
    size_t nzeros = s->prec > 0 && (size_t)s->prec > ndigits ? (size_t)s->prec - ndigits : 0;
    if (s->conv == 'o' && (s->flags & FLAG_HASH) && nzeros == 0 && (ndigits == 0 || *p != '0'))
        nzeros = 1; // '#' makes octal start with 0
    size_t body = nhead + nzeros + ndigits;
    size_t fill = (size_t)s->width > body ? (size_t)s->width - body : 0;
    if ((s->flags & (FLAG_ZERO | FLAG_MINUS)) == FLAG_ZERO && s->prec < 0) {
        nzeros += fill;
        fill = 0;
    }
    if (!(s->flags & FLAG_MINUS))
        pad(o, ' ', fill);
    if (nzeros <= (size_t)(p - buf) - sizeof(head)) {
        for (; nzeros > 0; nzeros--)
            *--p = '0';
        p -= nhead;
        memcpy(p, head, nhead);
        emit(o, p, (size_t)(end - p));
    } else {
        emit(o, head, nhead);
        pad(o, '0', nzeros);
        emit(o, p, (size_t)(end - p));
    }
    if (s->flags & FLAG_MINUS)
        pad(o, ' ', fill);
}

static uintmax_t take_unsigned(enum fmt_len len, va_list *ap)
{
    switch (len) {
    case LEN_HH: return (unsigned char)va_arg(*ap, unsigned);
    case LEN_H: return (unsigned short)va_arg(*ap, unsigned);
    case LEN_L: return va_arg(*ap, unsigned long);
    case LEN_LL: return va_arg(*ap, unsigned long long);
    case LEN_Z: return va_arg(*ap, size_t);
    case LEN_J: return va_arg(*ap, uintmax_t);
    case LEN_T: return (size_t)va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, unsigned);
    }
}

static intmax_t take_signed(enum fmt_len len, va_list *ap)
{
    switch (len) {
    case LEN_HH: return (signed char)va_arg(*ap, int);
    case LEN_H: return (short)va_arg(*ap, int);
    case LEN_L: return va_arg(*ap, long);
    case LEN_LL: return va_arg(*ap, long long);
    case LEN_Z: return va_arg(*ap, ptrdiff_t);
    case LEN_J: return va_arg(*ap, intmax_t);
    case LEN_T: return va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, int);
    }
}

// Takes the arguments of a supported conversion and writes it.
static void put_conversion(struct out *o, struct spec *s, va_list *ap)
{
    take_stars(s, ap);
    switch (s->conv) {
    case 'c': {
        unsigned char c = (unsigned char)va_arg(*ap, int);
        put_padded(o, s, (const char *)&c, 1);
        break;
    }
    case 's': put_string(o, s, va_arg(*ap, const char *)); break;
    case 'p': {
        const void *ptr = va_arg(*ap, const void *);
        if (ptr == NULL)
            put_padded(o, s, "(nil)", 5);
        else
            put_number(o, s, (uintptr_t)ptr, false);
        break;
    }
    case 'd':
    case 'i': {
        intmax_t v = take_signed(s->len, ap);
        // Negate in unsigned arithmetic: the magnitude of INTMAX_MIN is not an intmax_t.
        put_number(o, s, v < 0 ? 0 - (uintmax_t)v : (uintmax_t)v, v < 0);
        break;
    }
    default: put_number(o, s, take_unsigned(s->len, ap), false); break;
    }
}

// ---- entry points ---------------------------------------------------------------------------

int fmt_vformat(const struct fmt_sink *sink, const char *fmt, va_list ap)
{
    KASSERT(sink != NULL && sink->write != NULL);
    KASSERT(fmt != NULL);
    struct out o = {sink, 0};
    va_list args;
    va_copy(args, ap);     // a va_list parameter cannot be passed on by address portably
    const char *run = fmt; // start of the literal text not yet written
    const char *p = fmt;
    while (*p != '\0') {
        if (*p != '%') {
            p++;
            continue;
        }
        struct spec s;
        const char *next = parse_spec(p + 1, &s);
        if (s.conv == '%' && next == p + 2) {
            emit(&o, run, (size_t)(p + 1 - run)); // the first '%' ends the run
            run = next;
        } else if (is_supported(&s)) {
            emit(&o, run, (size_t)(p - run));
            put_conversion(&o, &s, &args);
            run = next;
        }
        // Anything else stays part of the literal run, printed as written.
        p = next;
    }
    emit(&o, run, (size_t)(p - run));
    va_end(args);
    return o.count > INT_MAX ? E_RANGE : (int)o.count;
}

int fmt_format(const struct fmt_sink *sink, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vformat(sink, fmt, ap);
    va_end(ap);
    return n;
}

struct buf_sink {
    char *buf;
    size_t room; // characters that fit before the NUL
    size_t used;
};

static void buf_write(void *ctx, const char *s, size_t len)
{
    struct buf_sink *b = ctx;
    size_t take = b->room - b->used < len ? b->room - b->used : len;
    if (take == 0)
        return; // also keeps a NULL buf (size 0) out of pointer arithmetic
    memcpy(b->buf + b->used, s, take);
    b->used += take;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    KASSERT(buf != NULL || size == 0);
    struct buf_sink b = {buf, size > 0 ? size - 1 : 0, 0};
    struct fmt_sink sink = {buf_write, &b};
    int n = fmt_vformat(&sink, fmt, ap);
    if (size > 0)
        buf[b.used] = '\0';
    return n;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
