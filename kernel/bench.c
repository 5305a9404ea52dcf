// In-kernel measurements (see bench.h).
#include "kernel/bench.h"
#include "core/panic.h"
#include "core/pit.h"
#include "core/tsc.h"
#include "kernel/heap.h"
#include "platform/x86_64/cpu.h"

#define RFLAGS_IF (1u << 9)

static uint64_t tsc_khz_cached;

uint64_t bench_tsc_khz(void)
{
    if (tsc_khz_cached != 0 || !(cpu_read_flags() & RFLAGS_IF))
        return tsc_khz_cached;
    // Start on a tick's edge, so the count covers whole ticks.
    uint64_t t0 = pit_ticks();
    while (pit_ticks() == t0)
        cpu_halt();
    uint64_t start = cpu_rdtsc(), t1 = pit_ticks();
    while (pit_ticks() - t1 < BENCH_CALIBRATE_TICKS)
        cpu_halt();
    tsc_khz_cached = tsc_khz(cpu_rdtsc() - start, pit_ticks() - t1, pit_divisor());
    return tsc_khz_cached;
}

// splitmix64 (Steele, Lea, Flood: "Fast splittable pseudorandom number generators").
static uint64_t next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void *blocks[BENCH_LIVE];
static uint32_t sizes[BENCH_LIVE];

void bench_heap(uint64_t ops, uint64_t seed, struct bench_heap_result *out)
{
    KASSERT(out != NULL && ops >= 2);
    *out = (struct bench_heap_result){0};
    uint64_t rng = seed, calls = 0;
    size_t live = 0;
    uint64_t start = cpu_rdtsc();
    // Keep room to free every live block at the end.
    while (calls + live + 1 < ops) {
        if (live == BENCH_LIVE) {
            size_t i = (size_t)(next(&rng) % live);
            out->free_errors += heap_free(blocks[i], sizes[i], 8) != 0;
            blocks[i] = blocks[--live];
            sizes[i] = sizes[live];
            calls++;
        }
        uint32_t size = 8 + (uint32_t)(next(&rng) % 121); // 8..128
        void *p = heap_alloc(size, 8);
        calls++;
        if (p == NULL) {
            out->failed++;
            continue;
        }
        *(volatile uint64_t *)p = size; // touch it, as the host benchmark's replay does
        blocks[live] = p;
        sizes[live++] = size;
    }
    while (live > 0) {
        live--;
        out->free_errors += heap_free(blocks[live], sizes[live], 8) != 0;
        calls++;
    }
    out->cycles = cpu_rdtsc() - start;
    out->ops = calls;
}
