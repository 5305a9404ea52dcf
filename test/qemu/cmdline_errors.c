/*
 * Bad command-line words are reported and the kernel boots on its defaults: an unknown design,
 * a heap_max that is not a number, an impossible timer rate, heap trace settings out of range,
 * and words no part of the kernel reads (a mistyped key among them).
 *
 * qemu-scenario
 * cmdline: alloc=quick heap_max=12k timer_hz=0 timer-hz=200 quiet heap_trace=yes heap_trace_max=0
 * expect-serial: ^WARNING: unknown command-line word "timer-hz=200" ignored$
 * expect-serial: ^WARNING: unknown command-line word "quiet" ignored$
 * expect-serial: ^WARNING: alloc=quick is not a design \(bump, linked_list, fixed_block, tlsf\); using tlsf$
 * expect-serial: ^WARNING: heap_max: invalid argument; using 65536 KiB$
 * expect-serial: ^WARNING: timer rate 0 Hz is impossible; using 100 Hz$
 * expect-serial: ^WARNING: heap_trace must be 0 or 1; no heap trace$
 * expect-serial: ^WARNING: heap_trace_max must be a number from 1 to 4294967295; no maximum$
 */
#include "core/pit.h"
#include "core/string.h"
#include "kernel/heap.h"
#include "test/qemu/ktest/ktest.h"

KTEST(an_unknown_design_falls_back_to_tlsf)
{
    KT_ASSERT_STR_EQ(heap_design(), "tlsf");
}

KTEST(a_heap_max_that_is_not_a_number_falls_back_to_the_default)
{
    KT_ASSERT_EQ(heap_limit(), HEAP_DEFAULT_MAX);
}

KTEST(an_impossible_timer_rate_falls_back_to_100_hz)
{
    KT_ASSERT_EQ(pit_divisor(), (PIT_BASE_HZ + PIT_DEFAULT_HZ / 2) / PIT_DEFAULT_HZ);
}
