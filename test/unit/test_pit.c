// Tests for core/pit.c: the exact command and divisor bytes for common, slowest and fastest rates,
// rounding of the divisor, the answers to bad rates, tick counting and ticks-to-milliseconds.
#include "core/pit.h"
#include "platform/host/mock_hw.h"
#include "test/unit/port_log.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define CH0  0x40
#define MODE 0x43

// The writes of one init: mode 2 command, then the divisor's low and high byte.
#define ASSERT_PROGRAMMED(lo, hi) ASSERT_LOG(W(MODE, 0x34), W(CH0, (lo)), W(CH0, (hi)))

static int setup(void **state)
{
    mock_hw_reset();
    return 0;
}

// Runs first, before anything has programmed the PIT (the module's state lives for the program).
static void before_init_there_is_no_rate(void **state)
{
    assert_int_equal(pit_divisor(), 0);
    assert_int_equal(pit_frequency_mhz(), 0);
    expect_assert_failure(pit_ticks_to_ms(1));
    assert_non_null(strstr(mock_panic_message(), "pit_ticks_to_ms"));
}

static void init_100hz_programs_divisor_11932(void **state)
{
    assert_int_equal(pit_init(PIT_DEFAULT_HZ), 0);
    ASSERT_PROGRAMMED(0x9c, 0x2e);
    assert_int_equal(pit_divisor(), 11932);
    assert_int_equal(pit_frequency_mhz(), 99998);
}

static void init_1000hz_programs_divisor_1193(void **state)
{
    assert_int_equal(pit_init(1000), 0);
    ASSERT_PROGRAMMED(0xa9, 0x04);
    assert_int_equal(pit_divisor(), 1193);
    assert_int_equal(pit_frequency_mhz(), 1000152);
}

static void init_19hz_is_the_slowest_integer_rate(void **state)
{
    assert_int_equal(pit_init(PIT_MIN_HZ), 0);
    ASSERT_PROGRAMMED(0x4f, 0xf5); // 62799
    assert_int_equal(pit_frequency_mhz(), 19000);
}

static void init_18hz_is_rejected_as_its_divisor_exceeds_16_bits(void **state)
{
    assert_int_equal(pit_init(18), E_INVAL); // 1193182 / 18 = 66287.9
    assert_int_equal(mock_io_count(), 0);
}

static void divisor_65536_is_written_as_zero(void **state)
{
    assert_int_equal(pit_init_divisor(PIT_MAX_DIVISOR), 0);
    ASSERT_PROGRAMMED(0x00, 0x00);
    assert_int_equal(pit_divisor(), 65536);
    assert_int_equal(pit_frequency_mhz(), 18206); // the BIOS's 18.2 Hz
}

static void init_fastest_rate_programs_divisor_2(void **state)
{
    assert_int_equal(pit_init(PIT_MAX_HZ), 0);
    ASSERT_PROGRAMMED(0x02, 0x00);
    assert_int_equal(pit_frequency_mhz(), 596591000);
}

static void init_rounds_divisor_to_nearest(void **state)
{
    assert_int_equal(pit_init(60), 0); // 19886.37
    assert_int_equal(pit_divisor(), 19886);
    assert_int_equal(pit_init(100), 0); // 11931.82
    assert_int_equal(pit_divisor(), 11932);
    assert_int_equal(pit_init(164), 0); // 7275.5: halves round up
    assert_int_equal(pit_divisor(), 7276);
    assert_int_equal(pit_init(58204), 0); // 20.5
    assert_int_equal(pit_divisor(), 21);
}

static void bad_rates_are_rejected_without_io_or_change(void **state)
{
    static const uint32_t bad[] = {0, 1, 18, PIT_MAX_HZ + 1, PIT_BASE_HZ, UINT32_MAX};
    assert_int_equal(pit_init(100), 0);
    mock_hw_reset();
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(pit_init(bad[i]), E_INVAL);
    assert_int_equal(mock_io_count(), 0);
    assert_int_equal(pit_divisor(), 11932);
}

static void bad_divisors_are_rejected_without_io(void **state)
{
    assert_int_equal(pit_init_divisor(0), E_INVAL);
    assert_int_equal(pit_init_divisor(1), E_INVAL); // illegal in mode 2
    assert_int_equal(pit_init_divisor(PIT_MAX_DIVISOR + 1), E_INVAL);
    assert_int_equal(pit_init_divisor(UINT32_MAX), E_INVAL);
    assert_int_equal(mock_io_count(), 0);
}

static void read_count_latches_then_reads_low_then_high(void **state)
{
    mock_io_script(CH0, 0x34);
    mock_io_script(CH0, 0x12);
    assert_int_equal(pit_read_count(), 0x1234);
    ASSERT_LOG(W(MODE, 0x00), R(CH0, 0x34), R(CH0, 0x12));
}

static void read_count_keeps_every_bit_of_both_bytes(void **state)
{
    mock_io_script(CH0, 0xff);
    mock_io_script(CH0, 0xff);
    assert_int_equal(pit_read_count(), 0xffff);
    mock_io_script(CH0, 0x01);
    mock_io_script(CH0, 0x80);
    assert_int_equal(pit_read_count(), 0x8001);
}

static void clocks_between_two_reads_count_down_and_across_the_reload(void **state)
{
    assert_int_equal(pit_clocks_between(500, 200, 11932), 300);
    assert_int_equal(pit_clocks_between(7, 7, 11932), 0);
    assert_int_equal(pit_clocks_between(3, 11930, 11932), 5); // 3, 2, 1, reload 11932, 11931, 11930
    assert_int_equal(pit_clocks_between(1, 11932, 11932), 1); // 1, then the reload value
    assert_int_equal(pit_clocks_between(1, 0, PIT_MAX_DIVISOR), 1); // 65536 reads as 0
    assert_int_equal(pit_clocks_between(0, 65535, PIT_MAX_DIVISOR), 1);
    assert_int_equal(pit_clocks_between(2, 1, PIT_MIN_DIVISOR), 1);
    assert_int_equal(pit_clocks_between(1, 2, PIT_MIN_DIVISOR), 1);
    expect_assert_failure(pit_clocks_between(1, 0, PIT_MIN_DIVISOR - 1));
    assert_non_null(strstr(mock_panic_message(), "pit_clocks_between"));
    expect_assert_failure(pit_clocks_between(1, 0, PIT_MAX_DIVISOR + 1));
}

static void ticks_count_up_from_init(void **state)
{
    assert_int_equal(pit_init(100), 0);
    assert_int_equal(pit_ticks(), 0);
    for (int i = 0; i < 1000; i++)
        pit_tick();
    assert_int_equal(pit_ticks(), 1000);
}

static void init_resets_the_tick_count(void **state)
{
    assert_int_equal(pit_init(100), 0);
    pit_tick();
    pit_tick();
    assert_int_equal(pit_init(1000), 0);
    assert_int_equal(pit_ticks(), 0);
}

static void failed_init_keeps_the_tick_count(void **state)
{
    assert_int_equal(pit_init(100), 0);
    pit_tick();
    assert_int_equal(pit_init(0), E_INVAL);
    assert_int_equal(pit_ticks(), 1);
}

static void ms_at_100hz_is_ten_per_tick(void **state)
{
    assert_int_equal(pit_init(100), 0);
    assert_int_equal(pit_ticks_to_ms(0), 0);
    assert_int_equal(pit_ticks_to_ms(1), 10);           // 10.0001 ms
    assert_int_equal(pit_ticks_to_ms(100), 1000);       // 1000.015 ms
    assert_int_equal(pit_ticks_to_ms(360000), 3600054); // an hour of ticks is 54 ms more
}

static void ms_uses_the_real_rate_not_the_requested_one(void **state)
{
    assert_int_equal(pit_init(1000), 0); // really 1000.152 Hz
    assert_int_equal(pit_ticks_to_ms(1000), 999);
    assert_int_equal(pit_ticks_to_ms(1000153), 1000000); // 1000152 ticks are 999999.4 ms
}

static void ms_at_the_slowest_rate(void **state)
{
    assert_int_equal(pit_init_divisor(PIT_MAX_DIVISOR), 0);
    assert_int_equal(pit_ticks_to_ms(1), 54);             // 54.925 ms
    assert_int_equal(pit_ticks_to_ms(18206), 999971);     // 18206 ticks fall 29 ms short of 1000 s
    assert_int_equal(pit_ticks_to_ms(1573040), 86399853); // a day's worth at 18.2065 Hz
}

// Reference: the same formula worked out digit by digit in base 2^32 (no 128-bit type on a
// 32-bit machine): the 96-bit product ticks * divisor * 1000, then its long division by
// PIT_BASE_HZ. The quotient must fit 64 bits.
static uint64_t ms_reference(uint64_t ticks, uint32_t divisor)
{
    uint64_t m = (uint64_t)divisor * 1000; // below 2^32
    uint64_t lo = (ticks & 0xffffffffu) * m;
    uint64_t hi = (ticks >> 32) * m + (lo >> 32);
    const uint32_t digits[3] = {(uint32_t)(hi >> 32), (uint32_t)hi, (uint32_t)lo};
    uint64_t quotient = 0, rem = 0;
    for (int i = 0; i < 3; i++) {
        uint64_t cur = rem << 32 | digits[i]; // rem < PIT_BASE_HZ < 2^21: no overflow
        assert_true(i > 0 || cur / PIT_BASE_HZ == 0);
        quotient = quotient << 32 | cur / PIT_BASE_HZ;
        rem = cur % PIT_BASE_HZ;
    }
    return quotient;
}

static void ms_is_exact_for_huge_tick_counts(void **state)
{
    static const uint32_t divisors[] = {PIT_MIN_DIVISOR, 1193, 11932, PIT_MAX_DIVISOR};
    static const uint64_t counts[] = {PIT_BASE_HZ - 1, PIT_BASE_HZ,          1ull << 40,
                                      1ull << 50,      (1ull << 53) + 12345, 1ull << 58};
    for (size_t d = 0; d < sizeof(divisors) / sizeof(divisors[0]); d++) {
        assert_int_equal(pit_init_divisor(divisors[d]), 0);
        for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++)
            assert_int_equal(pit_ticks_to_ms(counts[c]), ms_reference(counts[c], divisors[d]));
    }
}

static void ms_is_exact_for_a_full_64_bit_counter_at_the_fastest_rate(void **state)
{
    assert_int_equal(pit_init_divisor(PIT_MIN_DIVISOR), 0);
    assert_int_equal(pit_ticks_to_ms(UINT64_MAX), ms_reference(UINT64_MAX, PIT_MIN_DIVISOR));
}

#define T(name) cmocka_unit_test_setup(name, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(before_init_there_is_no_rate), // must stay first
        T(init_100hz_programs_divisor_11932),
        T(init_1000hz_programs_divisor_1193),
        T(init_19hz_is_the_slowest_integer_rate),
        T(init_18hz_is_rejected_as_its_divisor_exceeds_16_bits),
        T(divisor_65536_is_written_as_zero),
        T(init_fastest_rate_programs_divisor_2),
        T(init_rounds_divisor_to_nearest),
        T(bad_rates_are_rejected_without_io_or_change),
        T(bad_divisors_are_rejected_without_io),
        T(read_count_latches_then_reads_low_then_high),
        T(read_count_keeps_every_bit_of_both_bytes),
        T(clocks_between_two_reads_count_down_and_across_the_reload),
        T(ticks_count_up_from_init),
        T(init_resets_the_tick_count),
        T(failed_init_keeps_the_tick_count),
        T(ms_at_100hz_is_ten_per_tick),
        T(ms_uses_the_real_rate_not_the_requested_one),
        T(ms_at_the_slowest_rate),
        T(ms_is_exact_for_huge_tick_counts),
        T(ms_is_exact_for_a_full_64_bit_counter_at_the_fastest_rate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
