/*
 * Command-line values that parse but cannot be used are reported and replaced by the default: a
 * heap_max below the heap's initial size, and a timer_hz beyond 32 bits.
 *
 * qemu-scenario
 * cmdline: heap_max=4 timer_hz=99999999999
 * expect-serial: ^WARNING: heap_max must be at least 100 KiB; using 65536 KiB$
 * expect-serial: ^WARNING: timer_hz: out of range; using 100 Hz$
 */
#include "core/pit.h"
#include "kernel/heap.h"
#include "test/qemu/ktest/ktest.h"

KTEST(a_heap_max_below_the_initial_heap_falls_back_to_the_default)
{
    KT_ASSERT_EQ(heap_limit(), HEAP_DEFAULT_MAX);
}

KTEST(a_timer_rate_beyond_32_bits_falls_back_to_100_hz)
{
    KT_ASSERT_EQ(pit_divisor(), (PIT_BASE_HZ + PIT_DEFAULT_HZ / 2) / PIT_DEFAULT_HZ);
}
