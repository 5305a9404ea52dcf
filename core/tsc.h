// The time-stamp counter's rate, measured against the PIT: the arithmetic of the calibration and
// of turning cycles into nanoseconds (the kernel reads the counters; this part is host-tested).
#pragma once

#include <stdint.h>

// The TSC rate in kHz, from `cycles` TSC cycles counted over `ticks` PIT interrupts at `divisor`
// PIT input clocks (PIT_BASE_HZ) each: cycles * PIT_BASE_HZ / (ticks * divisor) / 1000, rounded
// down. Exact (no intermediate overflow) while ticks * divisor stays below 2^43 (over 80 days of
// ticks) and the rate in Hz fits in 64 bits. Returns 0 when ticks or divisor is 0 (nothing was measured).
uint64_t tsc_khz(uint64_t cycles, uint64_t ticks, uint32_t divisor);

// Nanoseconds that `cycles` take at `khz`: cycles * 1000000 / khz rounded down, computed without
// overflow whenever the result fits in 64 bits. Panics when khz is 0 (caller bug: no rate).
uint64_t tsc_cycles_to_ns(uint64_t cycles, uint64_t khz);
