// Host benchmark of core/paging over the platform/host arena: pt_translate on 4 KiB, 2 MiB and
// 1 GiB pages, a 4 KiB map + unmap with and without table creation, and pt_map_range of 1 GiB.
// Each case runs `runs` times (default 7) timed with CLOCK_MONOTONIC; the table shows the median
// and the spread. The numbers are the mapper's own cost (the table walk through
// hw_phys_to_virt, the arena's bounds check included); there is no MMU or TLB here.
//
//   bench_paging [--runs N] [--iters N] [--seed N]     (make bench BENCH_ARGS='--runs 11')
#define _POSIX_C_SOURCE 200809L // clock_gettime under -std=c11
#include "core/paging.h"
#include "platform/host/mock_hw.h"
#include "test/bench/bench_util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BASE 0x100000ull
#define ARENA_SIZE (16u << 20) // 4096 frames: 1 GiB of 4 KiB pages needs 515 tables
#define NFRAMES    (ARENA_SIZE / 4096)
#define NADDR      4096 // random addresses per translate case, cycled through

static struct {
    uint64_t free[NFRAMES];
    size_t nfree;
} pool;

static uint64_t pool_alloc(void *ctx)
{
    return pool.nfree > 0 ? pool.free[--pool.nfree] : 0;
}

static void pool_free(void *ctx, uint64_t phys)
{
    pool.free[pool.nfree++] = phys;
}

static uint64_t rng;

static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static struct page_table pt;
static volatile uint64_t sink; // keeps the measured work from being optimised away

static void fresh_table(void)
{
    if (pt.root != 0)
        pt_destroy(&pt);
    if (pt_init(&pt, (struct pt_frames){pool_alloc, pool_free, NULL}) != 0) {
        fprintf(stderr, "bench_paging: pt_init failed\n");
        exit(1);
    }
}

static void must(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "bench_paging: %s failed: %d\n", what, rc);
        exit(1);
    }
}

// A case: set up (untimed), then one timed body of `ops` operations per run.
struct bench_case {
    const char *name;
    void (*setup)(void);
    void (*body)(uint64_t ops);
    uint64_t ops;
};

static uint64_t addr[NADDR];

// Fills addr with random addresses inside `count` pages of `size` starting at base, all mapped.
static void map_for_translate(uint64_t base, uint64_t size, uint64_t count)
{
    fresh_table();
    must(pt_map_range(&pt, base, 0, size * count, PTE_WRITABLE, size), "pt_map_range");
    for (size_t i = 0; i < NADDR; i++)
        addr[i] = base + next_rand() % (size * count);
}

static void setup_translate_4k(void)
{
    map_for_translate(0xffffffff80000000ull, PAGE_SIZE_4K, 4096); // 16 MiB over 8 PTs
}

static void setup_translate_2m(void)
{
    map_for_translate(0xffff800000000000ull, PAGE_SIZE_2M, 2048); // 4 GiB over 4 PDs
}

static void setup_translate_1g(void)
{
    map_for_translate(0xffff800000000000ull, PAGE_SIZE_1G, 64);
}

static void body_translate(uint64_t ops)
{
    uint64_t sum = 0;
    struct pt_translation t;
    for (uint64_t i = 0; i < ops; i++) {
        if (pt_translate(&pt, addr[i % NADDR], &t) == 0)
            sum += t.phys;
    }
    sink = sum;
}

// map + unmap where the tables stay: a neighbour page keeps the PT alive.
static void setup_map_unmap_warm(void)
{
    fresh_table();
    must(pt_map(&pt, 0x40000000, 0x1000, PAGE_SIZE_4K, 0), "pt_map");
    for (size_t i = 0; i < NADDR; i++)
        addr[i] = 0x40001000 + (next_rand() % 511) * PAGE_SIZE_4K;
}

// map + unmap in an empty address space: three tables created and freed each time.
static void setup_map_unmap_cold(void)
{
    fresh_table();
    for (size_t i = 0; i < NADDR; i++)
        addr[i] = (next_rand() % (1ull << 35)) * PAGE_SIZE_4K; // anywhere in the lower half
}

static void body_map_unmap(uint64_t ops)
{
    uint64_t sum = 0, phys;
    for (uint64_t i = 0; i < ops; i++) {
        uint64_t v = addr[i % NADDR];
        must(pt_map(&pt, v, 0x200000, PAGE_SIZE_4K, PTE_WRITABLE), "pt_map");
        must(pt_unmap(&pt, v, &phys), "pt_unmap");
        sum += phys;
    }
    sink = sum;
}

static void body_map_range_4k(uint64_t ops)
{
    must(pt_map_range(&pt, 0x40000000, 0x40000000, ops * PAGE_SIZE_4K, PTE_WRITABLE, PAGE_SIZE_4K),
         "pt_map_range");
}

static void body_map_range_2m(uint64_t ops)
{
    must(pt_map_range(&pt, 0x40000000, 0x40000000, ops * PAGE_SIZE_2M, PTE_WRITABLE,
                      PAGE_SIZE_4K | PAGE_SIZE_2M),
         "pt_map_range");
}

static void run_case(const struct bench_case *c, unsigned runs)
{
    double ns[BENCH_MAX_RUNS];
    for (unsigned r = 0; r < runs; r++) {
        c->setup();
        double t0 = bench_now_ns();
        c->body(c->ops);
        ns[r] = bench_now_ns() - t0;
    }
    double median = bench_median(ns, runs), ops = (double)c->ops;
    printf("%-40s %10llu %10.1f %10.1f %10.1f %12.3f\n", c->name, (unsigned long long)c->ops,
           median / ops, ns[0] / ops, ns[runs - 1] / ops, median / 1e6);
}

static _Noreturn void usage(void)
{
    fprintf(stderr, "usage: bench_paging [--runs N (1..%d)] [--iters N] [--seed N]\n",
            BENCH_MAX_RUNS);
    exit(2);
}

int main(int argc, char **argv)
{
    unsigned long long runs = 7, iters = 1000000, seed = 0x5eed2024;
    for (int i = 1; i < argc; i += 2) {
        if (i + 1 >= argc)
            usage();
        unsigned long long v = bench_positive(argv[i + 1]);
        if (v == 0)
            usage();
        else if (strcmp(argv[i], "--runs") == 0)
            runs = v;
        else if (strcmp(argv[i], "--iters") == 0)
            iters = v;
        else if (strcmp(argv[i], "--seed") == 0)
            seed = v;
        else
            usage();
    }
    if (runs > BENCH_MAX_RUNS)
        usage();
    unsigned long long pairs = (iters + 3) / 4;

    mock_hw_reset();
    mock_phys_arena(ARENA_BASE, ARENA_SIZE);
    for (size_t i = 0; i < NFRAMES; i++)
        pool_free(NULL, ARENA_BASE + (NFRAMES - 1 - i) * 4096);
    rng = seed;

    const struct bench_case cases[] = {
        {"pt_translate, 4 KiB pages", setup_translate_4k, body_translate, iters},
        {"pt_translate, 2 MiB pages", setup_translate_2m, body_translate, iters},
        {"pt_translate, 1 GiB pages", setup_translate_1g, body_translate, iters},
        {"pt_map + pt_unmap 4 KiB, tables kept", setup_map_unmap_warm, body_map_unmap, pairs},
        {"pt_map + pt_unmap 4 KiB, 3 tables each", setup_map_unmap_cold, body_map_unmap, pairs},
        {"pt_map_range 1 GiB, 4 KiB pages", fresh_table, body_map_range_4k, 262144},
        {"pt_map_range 1 GiB, 2 MiB pages", fresh_table, body_map_range_2m, 512},
    };
    printf("bench_paging: seed 0x%llx, %llu runs per case (median, min, max), %llu iterations "
           "per translate case, %llu per map+unmap case\n",
           seed, runs, iters, pairs);
    printf("%-40s %10s %10s %10s %10s %12s\n", "operation", "ops/run", "ns/op", "min", "max",
           "ms/run");
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        run_case(&cases[i], (unsigned)runs);
    pt_destroy(&pt);
    return 0;
}
