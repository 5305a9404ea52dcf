// What the fuzz targets share. CHECK(cond, fmt, ...): when a postcondition fails, prints where,
// the condition and a printf-style explanation, then aborts, which libFuzzer reports as a crash
// and saves the input for `make fuzz-replay`. struct in and byte(): the input read a byte at a
// time, zeros once it runs out (so every input decodes to some sequence of operations).
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: postcondition failed: %s: ", __FILE__, __LINE__, #cond);       \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

struct in {
    const uint8_t *p;
    size_t n;
};

static inline uint8_t byte(struct in *in)
{
    if (in->n == 0)
        return 0;
    in->n--;
    return *in->p++;
}
