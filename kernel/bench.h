// Measurements inside the kernel: the TSC's rate, calibrated against the PIT, and the heap
// benchmark the shell's `heap bench` runs.
#pragma once

#include <stddef.h>
#include <stdint.h>

// The TSC rate in kHz: measured the first time over BENCH_CALIBRATE_TICKS timer ticks (busy
// waiting: about 0.1 s at 100 Hz), then remembered. Returns 0, measuring nothing, when interrupts
// are off (the timer would not tick).
#define BENCH_CALIBRATE_TICKS 10
uint64_t bench_tsc_khz(void);

// Heap churn, the shape of the host benchmark's small_churn trace (test/bench): up to
// BENCH_LIVE blocks of 8-128 bytes (8-byte aligned) live; each step frees a random live block once
// BENCH_LIVE are, then allocates another; at the end every block is freed. `ops` counts the
// allocations and frees together (at least 2: one of each; the run makes ops or ops - 1 calls,
// out->ops says which). Sizes and choices come from a
// splitmix64 generator seeded with `seed`, so a seed replays the same calls. The whole run is
// timed with the TSC; a failed allocation is counted and the run goes on.
#define BENCH_LIVE 1000
struct bench_heap_result {
    uint64_t ops;         // calls made (allocations and frees)
    uint64_t cycles;      // TSC cycles they took, the loop included
    uint64_t failed;      // allocations that returned NULL
    uint64_t free_errors; // frees the heap refused (a broken heap)
};
void bench_heap(uint64_t ops, uint64_t seed, struct bench_heap_result *out);
