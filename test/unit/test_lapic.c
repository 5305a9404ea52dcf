// Tests for core/lapic.c: virtual wire mode's writes in their order, which LVT entries it touches
// for each count the version register gives, the state it leaves from what firmwares leave, and
// what lapic_is_virtual_wire accepts, against a register file standing in for the APIC.
#include "core/lapic.h"
#include "platform/host/mock_hw.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define QEMU_VERSION 0x00050014u // QEMU's APIC: version 0x14, highest LVT entry 5 (thermal)
#define WRITES_MAX   32

// The APIC's page as 32-bit registers, and every write in order.
struct regfile {
    uint32_t reg[0x400 / 4];
    struct {
        uint32_t offset, value;
    } writes[WRITES_MAX];
    size_t nwrites;
};

static uint32_t rf_read(void *ctx, uint32_t offset)
{
    struct regfile *rf = ctx;
    assert_true(offset % 16 == 0 && offset < 0x400);
    return rf->reg[offset / 4];
}

static void rf_write(void *ctx, uint32_t offset, uint32_t value)
{
    struct regfile *rf = ctx;
    assert_true(offset % 16 == 0 && offset < 0x400);
    assert_true(rf->nwrites < WRITES_MAX);
    rf->reg[offset / 4] = value;
    rf->writes[rf->nwrites].offset = offset;
    rf->writes[rf->nwrites].value = value;
    rf->nwrites++;
}

static struct regfile rf;
static const struct lapic_io io = {rf_read, rf_write, &rf, NULL};

// What OVMF leaves (read in test/qemu/uefi_irq.c): enabled, spurious vector 0x0f, LINT0 ExtINT,
// LINT1 NMI, its timer masked on vector 32.
static void ovmf_state(uint32_t version)
{
    memset(&rf, 0, sizeof(rf));
    rf.reg[LAPIC_VERSION / 4] = version;
    rf.reg[LAPIC_SVR / 4] = 0x10f;
    rf.reg[LAPIC_LVT_TIMER / 4] = 0x30020;
    rf.reg[LAPIC_LVT_LINT0 / 4] = 0x700;
    rf.reg[LAPIC_LVT_LINT1 / 4] = 0x400;
    rf.reg[LAPIC_LVT_ERROR / 4] = LAPIC_LVT_MASKED;
}

static int setup(void **state)
{
    mock_hw_reset();
    ovmf_state(QEMU_VERSION);
    return 0;
}

static void assert_write(size_t i, uint32_t offset, uint32_t value)
{
    assert_true(i < rf.nwrites);
    assert_int_equal(rf.writes[i].offset, offset);
    assert_int_equal(rf.writes[i].value, value);
}

static void virtual_wire_enables_first_then_masks_then_opens_lint0_and_lint1(void **state)
{
    lapic_virtual_wire(&io, 0xff);
    assert_int_equal(rf.nwrites, 8);
    assert_write(0, LAPIC_TPR, 0);
    assert_write(1, LAPIC_SVR, 0x1ff);
    assert_write(2, LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
    assert_write(3, LAPIC_LVT_ERROR, LAPIC_LVT_MASKED);
    assert_write(4, LAPIC_LVT_PERF, LAPIC_LVT_MASKED);
    assert_write(5, LAPIC_LVT_THERMAL, LAPIC_LVT_MASKED);
    assert_write(6, LAPIC_LVT_LINT0, 0x700);
    assert_write(7, LAPIC_LVT_LINT1, 0x400);
}

static void virtual_wire_touches_only_the_lvt_entries_that_exist(void **state)
{
    const struct {
        uint32_t max_lvt;
        size_t writes;
        bool perf, thermal, cmci;
    } cases[] = {
        {3, 6, false, false, false}, {4, 7, true, false, false}, {5, 8, true, true, false},
        {6, 9, true, true, true},    {255, 9, true, true, true},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ovmf_state(cases[i].max_lvt << 16 | 0x14);
        lapic_virtual_wire(&io, 0xff);
        assert_int_equal(rf.nwrites, cases[i].writes);
        bool perf = false, thermal = false, cmci = false;
        for (size_t w = 0; w < rf.nwrites; w++) {
            perf |= rf.writes[w].offset == LAPIC_LVT_PERF;
            thermal |= rf.writes[w].offset == LAPIC_LVT_THERMAL;
            cmci |= rf.writes[w].offset == LAPIC_LVT_CMCI;
        }
        assert_int_equal(perf, cases[i].perf);
        assert_int_equal(thermal, cases[i].thermal);
        assert_int_equal(cmci, cases[i].cmci);
    }
}

static void virtual_wire_puts_the_spurious_vector_in_the_svr(void **state)
{
    lapic_virtual_wire(&io, 32);
    assert_int_equal(rf.reg[LAPIC_SVR / 4], LAPIC_SVR_ENABLE | 32);
}

static void spurious_vector_below_32_is_a_caller_bug(void **state)
{
    expect_assert_failure(lapic_virtual_wire(&io, 31));
    assert_int_equal(rf.nwrites, 0);
}

static void null_arguments_are_caller_bugs(void **state)
{
    struct lapic_state s;
    expect_assert_failure(lapic_read_state(NULL, &s));
    expect_assert_failure(lapic_read_state(&io, NULL));
    expect_assert_failure(lapic_is_virtual_wire(NULL));
    expect_assert_failure(lapic_virtual_wire(NULL, 0xff));
    assert_int_equal(rf.nwrites, 0);
}

static void read_state_reads_without_writing(void **state)
{
    rf.reg[LAPIC_TPR / 4] = 0x20;
    struct lapic_state s;
    lapic_read_state(&io, &s);
    assert_int_equal(rf.nwrites, 0);
    assert_int_equal(s.version, QEMU_VERSION);
    assert_int_equal(s.tpr, 0x20);
    assert_int_equal(s.svr, 0x10f);
    assert_int_equal(s.lvt_timer, 0x30020);
    assert_int_equal(s.lvt_lint0, 0x700);
    assert_int_equal(s.lvt_lint1, 0x400);
    assert_int_equal(s.lvt_error, LAPIC_LVT_MASKED);
}

// From what a firmware may leave: the state lapic_is_virtual_wire accepts.
static void virtual_wire_reaches_the_state_it_promises_from_any_start(void **state)
{
    uint32_t starts[][4] = {
        // svr, timer, lint0, tpr
        {0x10f, 0x30020, 0x700, 0},                       // OVMF
        {0x0ff, LAPIC_LVT_MASKED, LAPIC_LVT_MASKED, 0},   // software disabled, all masked
        {0x1ff, 0x20020, LAPIC_LVT_MASKED | 0x700, 0xf0}, // LINT0 masked, timer live, TPR up
        {0x1ff, LAPIC_LVT_MASKED, 0x0030, 0},             // LINT0 fixed vector 0x30
    };
    for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
        ovmf_state(QEMU_VERSION);
        rf.reg[LAPIC_SVR / 4] = starts[i][0];
        rf.reg[LAPIC_LVT_TIMER / 4] = starts[i][1];
        rf.reg[LAPIC_LVT_LINT0 / 4] = starts[i][2];
        rf.reg[LAPIC_TPR / 4] = starts[i][3];
        struct lapic_state s;
        lapic_read_state(&io, &s);
        assert_int_equal(lapic_is_virtual_wire(&s), i == 0); // OVMF's is virtual wire already
        lapic_virtual_wire(&io, 0xff);
        lapic_read_state(&io, &s);
        assert_true(lapic_is_virtual_wire(&s));
    }
}

static void is_virtual_wire_wants_every_condition(void **state)
{
    const struct lapic_state good = {QEMU_VERSION, 0,     0x1ff,           LAPIC_LVT_MASKED,
                                     0x700,        0x400, LAPIC_LVT_MASKED};
    assert_true(lapic_is_virtual_wire(&good));
    struct lapic_state s = good;
    s.svr = 0x0ff; // software disabled
    assert_false(lapic_is_virtual_wire(&s));
    s = good;
    s.tpr = 0x10;
    assert_false(lapic_is_virtual_wire(&s));
    s.tpr = 0x01; // any priority class or subclass holds some vectors back
    assert_false(lapic_is_virtual_wire(&s));
    s.tpr = 0x100; // bits 8-31 are reserved: only the low byte counts
    assert_true(lapic_is_virtual_wire(&s));
    s = good;
    s.lvt_lint0 |= LAPIC_LVT_MASKED;
    assert_false(lapic_is_virtual_wire(&s));
    s = good;
    s.lvt_lint0 = LAPIC_MODE_FIXED | 0x20;
    assert_false(lapic_is_virtual_wire(&s));
    s = good;
    s.lvt_lint1 = LAPIC_LVT_MASKED | LAPIC_MODE_NMI;
    assert_false(lapic_is_virtual_wire(&s));
    s = good;
    s.lvt_lint1 = LAPIC_MODE_EXTINT;
    assert_false(lapic_is_virtual_wire(&s));
    s = good;
    s.lvt_timer = 0x20020; // periodic, vector 32, unmasked
    assert_false(lapic_is_virtual_wire(&s));
    s = good;
    s.lvt_error = 0xfe;
    assert_false(lapic_is_virtual_wire(&s));
}

// ---- timer and EOI

static void eoi_writes_zero_to_the_eoi_register(void **state)
{
    rf.reg[LAPIC_EOI / 4] = 0xdead;
    lapic_eoi(&io);
    assert_int_equal(rf.nwrites, 1);
    assert_write(0, LAPIC_EOI, 0);
}

static void divide_writes_the_encoding_of_each_power_of_two(void **state)
{
    const uint32_t codes[] = {0xb, 0x0, 0x1, 0x2, 0x3, 0x8, 0x9, 0xa}; // SDM figure 11-10
    for (uint32_t n = 0; n < 8; n++) {
        rf.nwrites = 0;
        assert_int_equal(lapic_timer_divide(&io, 1u << n), 0);
        assert_int_equal(rf.nwrites, 1);
        assert_write(0, LAPIC_TIMER_DIVIDE, codes[n]);
    }
}

static void divide_refuses_what_is_not_a_power_of_two_up_to_128(void **state)
{
    const uint32_t bad[] = {0, 3, 6, 12, 100, 129, 256, 0x80000000u, 0xffffffffu};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(lapic_timer_divide(&io, bad[i]), E_INVAL);
    assert_int_equal(rf.nwrites, 0);
}

static void timer_start_writes_the_lvt_entry_then_the_initial_count(void **state)
{
    assert_int_equal(lapic_timer_start(&io, 0x20, LAPIC_TIMER_PERIODIC, 625000), 0);
    assert_int_equal(rf.nwrites, 2);
    assert_write(0, LAPIC_LVT_TIMER, LAPIC_TIMER_PERIODIC | 0x20);
    assert_write(1, LAPIC_TIMER_INITIAL, 625000);
}

static void timer_start_takes_one_shot_and_masked(void **state)
{
    assert_int_equal(lapic_timer_start(&io, 0xfe, 0, 1), 0);
    assert_write(0, LAPIC_LVT_TIMER, 0xfe);
    assert_write(1, LAPIC_TIMER_INITIAL, 1);
    assert_int_equal(lapic_timer_start(&io, 32, LAPIC_LVT_MASKED, 0xffffffffu), 0);
    assert_write(2, LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | 32);
    assert_write(3, LAPIC_TIMER_INITIAL, 0xffffffffu);
    assert_int_equal(lapic_timer_start(&io, 33, LAPIC_LVT_MASKED | LAPIC_TIMER_PERIODIC, 7), 0);
    assert_write(4, LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | LAPIC_TIMER_PERIODIC | 33);
}

static void timer_start_refuses_bad_arguments_without_writing(void **state)
{
    assert_int_equal(lapic_timer_start(&io, 31, 0, 100), E_INVAL);
    assert_int_equal(lapic_timer_start(&io, 0x20, 0, 0), E_INVAL);
    assert_int_equal(lapic_timer_start(&io, 0x20, 1u << 18, 100), E_INVAL); // TSC-deadline mode
    assert_int_equal(lapic_timer_start(&io, 0x20, 1u << 15, 100), E_INVAL);
    assert_int_equal(lapic_timer_start(&io, 0x20, 0x21, 100), E_INVAL);
    assert_int_equal(rf.nwrites, 0);
}

static void timer_stop_zeroes_the_count_then_masks(void **state)
{
    lapic_timer_stop(&io);
    assert_int_equal(rf.nwrites, 2);
    assert_write(0, LAPIC_TIMER_INITIAL, 0);
    assert_write(1, LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
}

static void timer_current_reads_the_current_count(void **state)
{
    rf.reg[LAPIC_TIMER_CURRENT / 4] = 123456;
    assert_int_equal(lapic_timer_current(&io), 123456);
    assert_int_equal(rf.nwrites, 0);
}

static void timer_hz_of_qemus_timer_against_the_pit(void **state)
{
    // QEMU's timer at divide 16 counts 62.5 MHz: 50 ticks of a 1000 Hz PIT (divisor 1193) are
    // 59650 PIT clocks, 3124522 counts of it.
    uint64_t hz = 0;
    assert_int_equal(lapic_timer_hz(3124522, 50 * 1193, 1193182, &hz), 0);
    assert_int_equal(hz, 3124522ull * 1193182 / 59650);
    assert_int_equal(hz, 62499973);
    assert_int_equal(lapic_timer_hz(1000, 1000, 1000, &hz), 0);
    assert_int_equal(hz, 1000);
    assert_int_equal(lapic_timer_hz(7, 3, 1, &hz), 0); // q = 2 and r = 1: 2 + 1/3, rounded down
    assert_int_equal(hz, 2);
    assert_int_equal(lapic_timer_hz(5, 3, 3, &hz), 0); // 5 * 3 / 3 = 1 * 3 + 2 * 3 / 3
    assert_int_equal(hz, 5);
}

static void timer_hz_refuses_what_measured_nothing(void **state)
{
    uint64_t hz = 99;
    assert_int_equal(lapic_timer_hz(0, 1, 1, &hz), E_INVAL);
    assert_int_equal(lapic_timer_hz(1, 0, 1, &hz), E_INVAL);
    assert_int_equal(lapic_timer_hz(1, 1, 0, &hz), E_INVAL);
    assert_int_equal(hz, 99);
}

static void timer_hz_at_the_edges_of_64_bits(void **state)
{
    uint64_t hz = 99;
    // The largest rate: 2^64 - 1 counts in one tick of a 1 Hz clock.
    assert_int_equal(lapic_timer_hz(UINT64_MAX, 1, 1, &hz), 0);
    assert_true(hz == UINT64_MAX);
    // Twice that does not fit: q * ref_hz overflows, also where it would wrap to 0.
    hz = 99;
    assert_int_equal(lapic_timer_hz(UINT64_MAX, 1, 2, &hz), E_RANGE);
    assert_int_equal(lapic_timer_hz(1ull << 63, 1, 2, &hz), E_RANGE);
    assert_int_equal(hz, 99);
    // q * ref_hz fits exactly, and the remainder's part pushes it over.
    assert_int_equal(lapic_timer_hz(UINT64_MAX, 2, 2, &hz), 0); // q = 2^63 - 1, r = 1: 2^64 - 1
    assert_true(hz == UINT64_MAX);
    assert_int_equal(lapic_timer_hz(UINT64_MAX - 1, 3, 3, &hz), 0);
    assert_true(hz == UINT64_MAX - 1);
    // ref_elapsed * ref_hz at 2^64 - 1 is allowed, one more reference tick is not.
    assert_int_equal(lapic_timer_hz(3, 0xffffffffu, 0x100000001ull, &hz), 0);
    assert_int_equal(hz, 3); // 3 * 0x100000001 / 0xffffffff = 3.0000000021
    assert_int_equal(lapic_timer_hz(3, 0x100000000ull, 0x100000001ull, &hz), E_RANGE);
}

static void timer_hz_refuses_a_sum_past_64_bits(void **state)
{
    // A reference of 3 ticks at (2^64 - 1) / 3 Hz: q * ref_hz reaches 2^64 - 1 at q = 3, and any
    // remainder then pushes the sum over.
    uint64_t hz = 99, ref_hz = 0x5555555555555555ull;
    assert_int_equal(lapic_timer_hz(3 * 3 + 1, 3, ref_hz, &hz), E_RANGE);
    assert_int_equal(hz, 99);
    assert_int_equal(lapic_timer_hz(3 * 3, 3, ref_hz, &hz), 0); // exactly 3 * ref_hz
    assert_true(hz == UINT64_MAX);
    assert_int_equal(lapic_timer_hz(3 * 2 + 2, 3, ref_hz, &hz), 0); // 2 ref_hz + 2/3 of it
    assert_true(hz == 2 * ref_hz + 2 * ref_hz / 3);
}

static void timer_count_rounds_to_the_nearest(void **state)
{
    uint32_t count = 0;
    assert_int_equal(lapic_timer_count(62500000, 100000, &count), 0); // 100 Hz
    assert_int_equal(count, 625000);
    // The PIT's 99.998 Hz (divisor 11932): 62500000 / 99.998 = 625012.5, halves up.
    assert_int_equal(lapic_timer_count(62500000, 99998, &count), 0);
    assert_int_equal(count, 625013);
    assert_int_equal(lapic_timer_count(1000, 3000, &count), 0); // 333.3 rounds down
    assert_int_equal(count, 333);
    assert_int_equal(lapic_timer_count(2000, 3000, &count), 0); // 666.67 rounds up
    assert_int_equal(count, 667);
    assert_int_equal(lapic_timer_count(1, 1999, &count), 0); // 0.5003 rounds up to 1
    assert_int_equal(count, 1);
    assert_int_equal(lapic_timer_count(7, 2000, &count), 0); // 3.5 rounds up
    assert_int_equal(count, 4);
    assert_int_equal(lapic_timer_count(3, 1000, &count), 0); // q = 0 cases and exact ones
    assert_int_equal(count, 3);
}

static void timer_count_refuses_zero_rates(void **state)
{
    uint32_t count = 99;
    assert_int_equal(lapic_timer_count(0, 100000, &count), E_INVAL);
    assert_int_equal(lapic_timer_count(62500000, 0, &count), E_INVAL);
    assert_int_equal(count, 99);
}

static void timer_count_refuses_rates_it_cannot_reach(void **state)
{
    uint32_t count = 99;
    assert_int_equal(lapic_timer_count(1, 2001, &count), E_RANGE); // 0.4998: a count of 0
    assert_int_equal(lapic_timer_count(1, 0xffffffffu, &count), E_RANGE);
    assert_int_equal(count, 99);
    // The largest count, 2^32 - 1, and one past it.
    assert_int_equal(lapic_timer_count(4294967295ull, 1000, &count), 0);
    assert_int_equal(count, 0xffffffffu);
    assert_int_equal(lapic_timer_count(4294967296ull, 1000, &count), E_RANGE);
    assert_int_equal(lapic_timer_count(4294967295ull * 2 + 1, 2000, &count), E_RANGE); // 2^32-.5
    // q at its largest allowed (4294967) and one past; a huge timer overflows no product.
    assert_int_equal(lapic_timer_count(4294967, 1, &count), 0);
    assert_int_equal(count, 4294967000u);
    assert_int_equal(lapic_timer_count(4294968, 1, &count), E_RANGE);
    assert_int_equal(lapic_timer_count(UINT64_MAX, 1, &count), E_RANGE);
    // q * 1000 would wrap to 384: refused before it is computed.
    assert_int_equal(lapic_timer_count(18446744073709552ull, 1, &count), E_RANGE);
    assert_int_equal(lapic_timer_count(UINT64_MAX, 0xffffffffu, &count), E_RANGE);
    assert_int_equal(count, 4294967000u);
}

#define T(name) cmocka_unit_test_setup(name, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(virtual_wire_enables_first_then_masks_then_opens_lint0_and_lint1),
        T(virtual_wire_touches_only_the_lvt_entries_that_exist),
        T(virtual_wire_puts_the_spurious_vector_in_the_svr),
        T(spurious_vector_below_32_is_a_caller_bug),
        T(null_arguments_are_caller_bugs),
        T(read_state_reads_without_writing),
        T(virtual_wire_reaches_the_state_it_promises_from_any_start),
        T(is_virtual_wire_wants_every_condition),
        T(eoi_writes_zero_to_the_eoi_register),
        T(divide_writes_the_encoding_of_each_power_of_two),
        T(divide_refuses_what_is_not_a_power_of_two_up_to_128),
        T(timer_start_writes_the_lvt_entry_then_the_initial_count),
        T(timer_start_takes_one_shot_and_masked),
        T(timer_start_refuses_bad_arguments_without_writing),
        T(timer_stop_zeroes_the_count_then_masks),
        T(timer_current_reads_the_current_count),
        T(timer_hz_of_qemus_timer_against_the_pit),
        T(timer_hz_refuses_what_measured_nothing),
        T(timer_hz_at_the_edges_of_64_bits),
        T(timer_hz_refuses_a_sum_past_64_bits),
        T(timer_count_rounds_to_the_nearest),
        T(timer_count_refuses_zero_rates),
        T(timer_count_refuses_rates_it_cannot_reach),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
