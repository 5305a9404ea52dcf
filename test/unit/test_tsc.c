// Tests for core/tsc: the TSC rate from cycles over PIT ticks, and cycles to nanoseconds, against
// hand-computed values, at the edges of their ranges, and the panic on a zero rate.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/pit.h"
#include "core/tsc.h"
#include "platform/host/mock_hw.h"

static void khz_of_a_3_ghz_counter_over_10_ticks_at_100_hz(void **state)
{
    // 10 ticks of divisor 11932 are 119320 PIT clocks = 0.1000 s; a 3 GHz TSC counts
    // 3e9 * 119320 / 1193182 = 300004525.2 cycles meanwhile; 300004526 of them give 3 GHz.
    assert_int_equal(tsc_khz(300004526, 10, 11932), 3000000);
    assert_int_equal(tsc_khz(300004525, 10, 11932), 2999999); // rounded down
}

static void khz_rounds_down(void **state)
{
    // One tick of one clock is 1/1193182 s: 1 cycle then is 1193182 Hz = 1193.182 kHz.
    assert_int_equal(tsc_khz(1, 1, 1), 1193);
    assert_int_equal(tsc_khz(999, 1, PIT_BASE_HZ), 0); // 999 Hz
    assert_int_equal(tsc_khz(1000, 1, PIT_BASE_HZ), 1);
}

static void khz_of_nothing_measured_is_zero(void **state)
{
    assert_int_equal(tsc_khz(12345, 0, 11932), 0);
    assert_int_equal(tsc_khz(12345, 10, 0), 0);
    assert_int_equal(tsc_khz(0, 10, 11932), 0);
}

static void khz_does_not_overflow_for_long_measurements(void **state)
{
    // A day of a 4 GHz TSC at 100 Hz: cycles * PIT_BASE_HZ alone would overflow 64 bits.
    uint64_t ticks = 8640000, divisor = 11932;
    uint64_t clocks = ticks * divisor, hz = 4000000000u;
    uint64_t cycles = clocks / PIT_BASE_HZ * hz + clocks % PIT_BASE_HZ * hz / PIT_BASE_HZ;
    uint64_t khz = tsc_khz(cycles, ticks, (uint32_t)divisor);
    assert_true(khz >= 3999999 && khz <= 4000000);
}

static void ns_of_cycles(void **state)
{
    assert_int_equal(tsc_cycles_to_ns(3000, 3000000), 1000); // 3 GHz: 3000 cycles = 1 us
    assert_int_equal(tsc_cycles_to_ns(2999, 3000000), 999);  // rounded down
    assert_int_equal(tsc_cycles_to_ns(1, 1000), 1000);       // 1 MHz: 1 us a cycle
    assert_int_equal(tsc_cycles_to_ns(0, 1234), 0);
    assert_int_equal(tsc_cycles_to_ns(2400000000u, 2400000), 1000000000); // a second
}

static void ns_does_not_overflow_where_the_result_fits(void **state)
{
    // 2^64 - 1 cycles at 4 GHz are 4.6e18 ns: cycles * 1e6 would overflow on the way.
    assert_int_equal(tsc_cycles_to_ns(UINT64_MAX, 4000000),
                     UINT64_MAX / 4000000 * 1000000 + UINT64_MAX % 4000000 / 4);
}

static void ns_at_zero_rate_panics(void **state)
{
    expect_assert_failure(tsc_cycles_to_ns(1, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(khz_of_a_3_ghz_counter_over_10_ticks_at_100_hz),
        cmocka_unit_test(khz_rounds_down),
        cmocka_unit_test(khz_of_nothing_measured_is_zero),
        cmocka_unit_test(khz_does_not_overflow_for_long_measurements),
        cmocka_unit_test(ns_of_cycles),
        cmocka_unit_test(ns_does_not_overflow_where_the_result_fits),
        cmocka_unit_test(ns_at_zero_rate_panics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
