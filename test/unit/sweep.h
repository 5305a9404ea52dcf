// The two tiers of the unit tests' big sweeps (long random runs, exhaustive conformance sets, the
// thread hammer) and the seeds of their random runs. `make unit` runs the fast tier: every sweep
// on a small slice, so each behaviour is still asserted in the edit-compile-test loop.
// `make unit-long` runs the same programs with UNIT_LONG=1 in the environment: every sweep at full
// size. Every random run prints its seed; UNIT_SEED=N in the environment (decimal, or hex with
// 0x) replaces the fixed seed of every random run, to replay a printed seed or to try new ones.
// Header-only; everything is static (and may be unused in one program).
#pragma once

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define SWEEP static __attribute__((unused))

// True in the long tier: UNIT_LONG is set to anything but "" or "0".
SWEEP bool sweep_long(void)
{
    const char *v = getenv("UNIT_LONG");
    return v != NULL && strcmp(v, "") != 0 && strcmp(v, "0") != 0;
}

// n_fast in the fast tier, n_long in the long one.
SWEEP uint64_t sweep_size(uint64_t n_fast, uint64_t n_long)
{
    return sweep_long() ? n_long : n_fast;
}

// The seed of the random run `what`: UNIT_SEED when it is set, else `fixed`. Prints it, with the
// tier and how to replay it. Fails the test when UNIT_SEED is not a number in [1, max] (max: what
// the run's generator holds; xorshift generators need a seed other than 0).
SWEEP uint64_t sweep_seed(const char *what, uint64_t fixed, uint64_t max)
{
    const char *v = getenv("UNIT_SEED");
    uint64_t seed = fixed;
    if (v != NULL && strcmp(v, "") != 0) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(v, &end, 0);
        if (errno != 0 || *end != '\0' || v[0] == '-' || n == 0 || n > max)
            fail_msg("UNIT_SEED=%s: %s wants a seed from 1 to %#llx", v, what,
                     (unsigned long long)max);
        seed = n;
    }
    printf("%s: seed %#llx, %s tier (replay: UNIT_SEED=%#llx)\n", what, (unsigned long long)seed,
           sweep_long() ? "long" : "fast", (unsigned long long)seed);
    return seed;
}
