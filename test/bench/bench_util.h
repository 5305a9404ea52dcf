// What every host benchmark (test/bench/bench_*.c) needs: a CLOCK_MONOTONIC clock, the median of
// a set of timed runs, and parsing a positive number from the command line. Header-only; every
// function is static (and may be unused in one program). Not a bench_*.c: each of those is a
// program of its own.
#pragma once

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L // clock_gettime under -std=c11; a program defines it first
#endif

#include <stdlib.h>
#include <time.h>

#define BU static __attribute__((unused))

#define BENCH_MAX_RUNS 101 // the most runs (--runs) a program times and keeps

// CLOCK_MONOTONIC in nanoseconds.
BU double bench_now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

BU int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

// Sorts v[0..n) in place (so v[0] is then the least and v[n - 1] the most) and returns its median
// (the upper one when n is even). n must be at least 1.
BU double bench_median(double *v, unsigned n)
{
    qsort(v, n, sizeof(v[0]), bench_cmp_double);
    return v[n / 2];
}

// s as a whole number (decimal, 0x hex or 0 octal); 0 when it is not one or is 0.
BU unsigned long long bench_positive(const char *s)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 0);
    return *s == '\0' || *end != '\0' ? 0 : v;
}
