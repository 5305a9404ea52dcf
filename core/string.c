// memset, memcpy, memmove, memcmp and a few string helpers for freestanding code.
#include "core/string.h"

#include <stdint.h>

typedef uint64_t __attribute__((may_alias)) word_t;

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    unsigned char byte = (unsigned char)c;
    while (n > 0 && ((uintptr_t)d & 7) != 0) {
        *d++ = byte;
        n--;
    }
    word_t pattern = 0x0101010101010101ull * byte;
    for (; n >= 8; n -= 8, d += 8)
        *(word_t *)d = pattern;
    while (n-- > 0)
        *d++ = byte;
    return dst;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    // Word copies only when both sides can be aligned together.
    if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
        while (n > 0 && ((uintptr_t)d & 7) != 0) {
            *d++ = *s++;
            n--;
        }
        for (; n >= 8; n -= 8, d += 8, s += 8)
            *(word_t *)d = *(const word_t *)s;
    }
    while (n-- > 0)
        *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d == s || n == 0)
        return dst;
    // Forward copy is safe unless dst starts inside [src, src + n).
    if ((uintptr_t)d - (uintptr_t)s >= n) {
        while (n-- > 0)
            *d++ = *s++;
    } else {
        d += n;
        s += n;
        while (n-- > 0)
            *--d = *--s;
    }
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a;
    const unsigned char *y = b;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0')
        n++;
    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n] != '\0')
        n++;
    return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)a[i];
        unsigned char y = (unsigned char)b[i];
        if (x != y)
            return x < y ? -1 : 1;
        if (x == '\0')
            return 0;
    }
    return 0;
}

int strcmp(const char *a, const char *b)
{
    return strncmp(a, b, SIZE_MAX);
}
