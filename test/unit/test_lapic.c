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

#define T(name) cmocka_unit_test_setup(name, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(virtual_wire_enables_first_then_masks_then_opens_lint0_and_lint1),
        T(virtual_wire_touches_only_the_lvt_entries_that_exist),
        T(virtual_wire_puts_the_spurious_vector_in_the_svr),
        T(spurious_vector_below_32_is_a_caller_bug),
        T(read_state_reads_without_writing),
        T(virtual_wire_reaches_the_state_it_promises_from_any_start),
        T(is_virtual_wire_wants_every_condition),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
