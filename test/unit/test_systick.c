// Tests for core/systick.c: the exact register writes of init and stop, rounding of the reload
// and its 24-bit bounds, the answers to bad rates, tick counting with interrupts restored, and
// ticks-to-milliseconds exact at any count.
#include "core/hw.h"
#include "core/systick.h"
#include "platform/host/mock_hw.h"
#include "test/unit/port_log.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

// SYST_CSR, SYST_RVR, SYST_CVR (ARMv7-M ARM, B3.3.2).
#define CSR 0xE000E010u
#define RVR 0xE000E014u
#define CVR 0xE000E018u
#define RUN 0x7u // ENABLE | TICKINT | CLKSOURCE

#define CLOCK 25000000u // the mps2 boards' processor clock

#define ASSERT_PROGRAMMED(reload)                                                                  \
    ASSERT_LOG(MW(CSR, 0), MW(RVR, (reload)), MW(CVR, 0), MW(CSR, RUN))

static int setup(void **state)
{
    mock_hw_reset();
    return 0;
}

// Runs first, before anything has programmed SysTick (the module's state lives for the program).
static void before_init_there_is_no_rate(void **state)
{
    assert_int_equal(systick_reload(), 0);
    assert_int_equal(systick_ticks(), 0);
    expect_assert_failure(systick_ticks_to_ms(1));
    assert_non_null(strstr(mock_panic_message(), "systick_ticks_to_ms"));
}

static void init_1000hz_at_25mhz_programs_reload_24999(void **state)
{
    assert_int_equal(systick_init(CLOCK, 1000), 0);
    ASSERT_PROGRAMMED(24999);
    assert_int_equal(systick_reload(), 24999);
}

static void init_100hz_at_25mhz_programs_reload_249999(void **state)
{
    assert_int_equal(systick_init(CLOCK, 100), 0);
    ASSERT_PROGRAMMED(249999);
}

static void init_rounds_the_period_to_nearest(void **state)
{
    assert_int_equal(systick_init(1000, 3), 0); // 333.33
    assert_int_equal(systick_reload(), 332);
    assert_int_equal(systick_init(2000, 3), 0); // 666.67
    assert_int_equal(systick_reload(), 666);
    assert_int_equal(systick_init(1001, 2), 0); // 500.5: halves round up
    assert_int_equal(systick_reload(), 500);
    assert_int_equal(systick_init(999, 2), 0); // 499.5
    assert_int_equal(systick_reload(), 499);
    assert_int_equal(systick_init(CLOCK, 7), 0); // 3571428.57
    assert_int_equal(systick_reload(), 3571428);
}

static void init_rounds_without_overflow_at_the_largest_clock(void **state)
{
    // UINT32_MAX + 128 passes 2^32; the period, 2^24 - 1/256, rounds to 2^24.
    assert_int_equal(systick_init(UINT32_MAX, 256), 0);
    assert_int_equal(systick_reload(), SYSTICK_RELOAD_MAX);
    assert_int_equal(systick_init(UINT32_MAX, UINT32_MAX), E_INVAL); // period 1
    assert_int_equal(systick_init(UINT32_MAX, UINT32_MAX / 2), 0);   // 2.0000000005
    assert_int_equal(systick_reload(), 1);
}

static void reload_1_and_0xffffff_are_accepted(void **state)
{
    assert_int_equal(systick_init(2, 1), 0);
    ASSERT_PROGRAMMED(1);
    assert_int_equal(systick_reload(), SYSTICK_RELOAD_MIN);
    mock_hw_reset();
    assert_int_equal(systick_init(0x1000000, 1), 0);
    ASSERT_PROGRAMMED(0xffffff);
    assert_int_equal(systick_reload(), SYSTICK_RELOAD_MAX);
    assert_int_equal(systick_init(3, 2), 0); // 1.5 rounds up to 2
    assert_int_equal(systick_reload(), 1);
    assert_int_equal(systick_init(0x1ffffff, 2), 0); // 0xffffff.8 rounds up to 2^24
    assert_int_equal(systick_reload(), SYSTICK_RELOAD_MAX);
    assert_int_equal(systick_init(0x2000000, 2), 0); // exactly 2^24
    assert_int_equal(systick_reload(), SYSTICK_RELOAD_MAX);
}

static void reload_0_and_0x1000000_are_refused_without_io_or_change(void **state)
{
    assert_int_equal(systick_init(CLOCK, 1000), 0);
    mock_hw_reset();
    assert_int_equal(systick_init(1, 1), E_INVAL);         // reload 0
    assert_int_equal(systick_init(0x1000001, 1), E_INVAL); // reload 0x1000000
    assert_int_equal(systick_init(0x2000001, 2), E_INVAL); // 0x1000000.5 rounds up: too
    assert_int_equal(systick_init(2, 3), E_INVAL);         // 0.67 rounds to 1
    assert_int_equal(systick_init(CLOCK, 0), E_INVAL);     // no rate
    assert_int_equal(systick_init(0, 1000), E_INVAL);      // no clock
    assert_int_equal(systick_init(0, 0), E_INVAL);
    assert_int_equal(systick_init(CLOCK, UINT32_MAX), E_INVAL);
    assert_int_equal(mock_io_count(), 0);
    assert_int_equal(systick_reload(), 24999);
    assert_int_equal(systick_ticks_to_ms(1000), 1000); // the rate is unchanged
}

static void ticks_count_up_from_init_with_interrupts_restored(void **state)
{
    assert_int_equal(systick_init(CLOCK, 1000), 0);
    assert_int_equal(systick_ticks(), 0);
    for (int i = 0; i < 1000; i++)
        systick_tick();
    assert_true(mock_irq_enabled());
    assert_int_equal(systick_ticks(), 1000);
    assert_true(mock_irq_enabled());
}

static void tick_and_read_leave_interrupts_off_when_they_were_off(void **state)
{
    assert_int_equal(systick_init(CLOCK, 1000), 0);
    unsigned long flags = hw_irq_save();
    systick_tick();
    assert_false(mock_irq_enabled());
    assert_int_equal(systick_ticks(), 1);
    assert_false(mock_irq_enabled());
    hw_irq_restore(flags);
}

static void init_resets_the_tick_count(void **state)
{
    assert_int_equal(systick_init(CLOCK, 1000), 0);
    systick_tick();
    systick_tick();
    assert_int_equal(systick_init(CLOCK, 100), 0);
    assert_int_equal(systick_ticks(), 0);
}

static void failed_init_keeps_the_tick_count(void **state)
{
    assert_int_equal(systick_init(CLOCK, 1000), 0);
    systick_tick();
    assert_int_equal(systick_init(CLOCK, 0), E_INVAL);
    assert_int_equal(systick_ticks(), 1);
}

static void stop_clears_csr_and_keeps_reload_and_count(void **state)
{
    assert_int_equal(systick_init(CLOCK, 1000), 0);
    systick_tick();
    mock_hw_reset();
    systick_stop();
    ASSERT_LOG(MW(CSR, 0));
    assert_int_equal(systick_reload(), 24999);
    assert_int_equal(systick_ticks(), 1);
    assert_int_equal(systick_ticks_to_ms(5), 5);
}

static void ms_at_1000hz_is_one_per_tick(void **state)
{
    assert_int_equal(systick_init(CLOCK, 1000), 0);
    assert_int_equal(systick_ticks_to_ms(0), 0);
    assert_int_equal(systick_ticks_to_ms(1), 1);
    assert_int_equal(systick_ticks_to_ms(3600000), 3600000);
}

static void ms_uses_the_real_rate_not_the_requested_one(void **state)
{
    assert_int_equal(systick_init(CLOCK, 3), 0); // reload 8333332: 8333333 clocks, 333.33 ms
    assert_int_equal(systick_ticks_to_ms(1), 333);
    assert_int_equal(systick_ticks_to_ms(3), 999);         // 999.99996 ms
    assert_int_equal(systick_ticks_to_ms(30000), 9999999); // 9999999.6 ms
    assert_int_equal(systick_init(1000, 3), 0);            // reload 332: 333 ms a tick exactly
    assert_int_equal(systick_ticks_to_ms(3), 999);
}

// Reference: ticks * period * 1000 / clock by schoolbook arithmetic on 32-bit halves (no
// __int128: the tests also run on 32-bit hosts). Returns false when the result needs more than
// 64 bits.
static bool ms_reference(uint64_t ticks, uint64_t period, uint64_t clock, uint64_t *ms)
{
    const uint64_t m32 = 0xffffffffu;
    uint64_t b = period * 1000; // below 2^35
    uint64_t a0 = ticks & m32, a1 = ticks >> 32, b0 = b & m32, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (p01 & m32) + (p10 & m32);
    uint64_t lo = mid << 32 | (p00 & m32);
    uint64_t hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    if (hi >= clock) // the quotient is 2^64 or more
        return false;
    uint64_t cur = hi << 32 | lo >> 32; // hi < clock < 2^32
    uint64_t q1 = cur / clock;
    cur = (cur % clock) << 32 | (lo & m32);
    *ms = q1 << 32 | cur / clock;
    return true;
}

static uint64_t ms_expected(uint64_t ticks, uint64_t period, uint64_t clock)
{
    uint64_t ms = 0;
    assert_true(ms_reference(ticks, period, clock, &ms));
    return ms;
}

static void ms_reference_agrees_with_hand_computed_values(void **state)
{
    assert_int_equal(ms_expected(1, 25000, CLOCK), 1);
    assert_int_equal(ms_expected(30000, 8333333, CLOCK), 9999999);
    assert_int_equal(ms_expected(1ull << 40, 1, 1000), 1ull << 40);
    assert_int_equal(ms_expected(UINT64_MAX, 2, 2000), UINT64_MAX);
    assert_int_equal(ms_expected(UINT64_MAX, 2, UINT32_MAX), 8589934594000ull); // 2000 (2^32 + 1)
    assert_int_equal(ms_expected(1ull << 40, 0x1000000, UINT32_MAX), 4294967297000ull);
    uint64_t ms;
    assert_false(ms_reference(UINT64_MAX, 3, 2000, &ms)); // 1.5 * 2^64
    assert_false(ms_reference(1ull << 63, 4, 1000, &ms)); // exactly 2^65
}

static void ms_is_exact_for_huge_tick_counts(void **state)
{
    static const struct {
        uint32_t clock, hz;
    } rates[] = {{CLOCK, 1000},  {CLOCK, 3}, {UINT32_MAX, 256},  {UINT32_MAX, UINT32_MAX / 2},
                 {0x1000000, 1}, {2, 1},     {4000000007u, 239}, {999999937u, 61}};
    static const uint64_t counts[] = {
        CLOCK - 1,         CLOCK,      UINT32_MAX,           1ull << 32,
        1ull << 40,        1ull << 50, (1ull << 53) + 12345, 1ull << 58,
        UINT64_MAX / 1000, UINT64_MAX};
    size_t compared = 0;
    for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
        assert_int_equal(systick_init(rates[i].clock, rates[i].hz), 0);
        uint64_t period = systick_reload() + 1ull;
        for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
            uint64_t ms;
            if (!ms_reference(counts[c], period, rates[i].clock, &ms))
                continue; // the result itself does not fit in 64 bits
            assert_int_equal(systick_ticks_to_ms(counts[c]), ms);
            compared++;
        }
    }
    assert_true(compared >= 60);
}

static void ms_is_exact_for_a_full_64_bit_counter_when_the_result_fits(void **state)
{
    // At 2 clocks a tick on a 2000 Hz clock a tick is exactly 1 ms: every count maps to itself.
    assert_int_equal(systick_init(2000, 1000), 0);
    assert_int_equal(systick_ticks_to_ms(UINT64_MAX), UINT64_MAX);
    assert_int_equal(systick_ticks_to_ms(UINT64_MAX - 1), UINT64_MAX - 1);
    // The largest clock with the smallest period: a tick is 2000 / (2^32 - 1) ms.
    assert_int_equal(systick_init(UINT32_MAX, UINT32_MAX / 2), 0);
    assert_int_equal(systick_ticks_to_ms(UINT64_MAX), ms_expected(UINT64_MAX, 2, UINT32_MAX));
    assert_int_equal(systick_ticks_to_ms(UINT64_MAX), 8589934594000ull); // 2000 * (2^32 + 1)
}

#define T(name) cmocka_unit_test_setup(name, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(before_init_there_is_no_rate), // must stay first
        T(init_1000hz_at_25mhz_programs_reload_24999),
        T(init_100hz_at_25mhz_programs_reload_249999),
        T(init_rounds_the_period_to_nearest),
        T(init_rounds_without_overflow_at_the_largest_clock),
        T(reload_1_and_0xffffff_are_accepted),
        T(reload_0_and_0x1000000_are_refused_without_io_or_change),
        T(ticks_count_up_from_init_with_interrupts_restored),
        T(tick_and_read_leave_interrupts_off_when_they_were_off),
        T(init_resets_the_tick_count),
        T(failed_init_keeps_the_tick_count),
        T(stop_clears_csr_and_keeps_reload_and_count),
        T(ms_at_1000hz_is_one_per_tick),
        T(ms_uses_the_real_rate_not_the_requested_one),
        T(ms_reference_agrees_with_hand_computed_values),
        T(ms_is_exact_for_huge_tick_counts),
        T(ms_is_exact_for_a_full_64_bit_counter_when_the_result_fits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
