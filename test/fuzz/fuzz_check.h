// CHECK(cond, fmt, ...) for the fuzz targets: when a postcondition fails, prints where, the
// condition and a printf-style explanation, then aborts, which libFuzzer reports as a crash and
// saves the input for `make fuzz-replay`.
#pragma once

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
