// Tests for core/ioapic.c against a model of the chip: IOREGSEL latches an index, IOWIN reads or
// writes the register it selects (the version register read-only), and every access is logged so
// each test asserts the exact register traffic, in order.
#include "core/ioapic.h"
#include "platform/host/mock_hw.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define QEMU_VERSION 0x00170020u // QEMU's I/O APIC: version 0x20, highest entry 23 (24 pins)
#define LOG_MAX      128

enum { RD, WR };

struct access {
    int op;
    uint32_t offset, value;
};

// The chip: its selected index, its registers (0x00-0xff: id, version, arbitration, 120 entries'
// halves), and the accesses made to it.
struct chip {
    uint32_t regsel;
    uint32_t reg[256];
    struct access log[LOG_MAX];
    size_t n;
};

static struct chip chip;

static void record(int op, uint32_t offset, uint32_t value)
{
    assert_true(chip.n < LOG_MAX);
    chip.log[chip.n++] = (struct access){op, offset, value};
}

static uint32_t chip_read(void *ctx, uint32_t offset)
{
    assert_ptr_equal(ctx, &chip);
    assert_int_equal(offset, IOAPIC_WIN); // IOREGSEL is only written
    uint32_t value = chip.reg[chip.regsel & 0xffu];
    record(RD, offset, value);
    return value;
}

static void chip_write(void *ctx, uint32_t offset, uint32_t value)
{
    assert_ptr_equal(ctx, &chip);
    assert_true(offset == IOAPIC_REGSEL || offset == IOAPIC_WIN);
    record(WR, offset, value);
    if (offset == IOAPIC_REGSEL)
        chip.regsel = value;
    else if ((chip.regsel & 0xffu) != IOAPIC_REG_VER)
        chip.reg[chip.regsel & 0xffu] = value;
}

static const struct ioapic_io io = {chip_read, chip_write, &chip};
static struct ioapic a;

// A chip with `version`, id 2, every entry as the chip resets it: masked, the rest 0.
static void reset_chip(uint32_t version)
{
    memset(&chip, 0, sizeof(chip));
    chip.reg[IOAPIC_REG_ID] = 2u << 24;
    chip.reg[IOAPIC_REG_VER] = version;
    for (unsigned r = IOAPIC_REG_REDIR; r < 256; r += 2)
        chip.reg[r] = IOAPIC_MASKED;
}

static int setup(void **state)
{
    mock_hw_reset();
    reset_chip(QEMU_VERSION);
    ioapic_init(&a, &io);
    chip.n = 0;
    return 0;
}

static void assert_access(size_t i, int op, uint32_t offset, uint32_t value)
{
    assert_true(i < chip.n);
    assert_int_equal(chip.log[i].op, op);
    assert_int_equal(chip.log[i].offset, offset);
    assert_int_equal(chip.log[i].value, value);
}

static void init_reads_id_then_version_and_nothing_else(void **state)
{
    reset_chip(QEMU_VERSION);
    chip.reg[IOAPIC_REG_ID] = 0xf5000000u; // bits 24-27 the id; the bits above are reserved
    struct ioapic b;
    ioapic_init(&b, &io);
    assert_int_equal(chip.n, 4);
    assert_access(0, WR, IOAPIC_REGSEL, IOAPIC_REG_ID);
    assert_access(1, RD, IOAPIC_WIN, 0xf5000000u);
    assert_access(2, WR, IOAPIC_REGSEL, IOAPIC_REG_VER);
    assert_access(3, RD, IOAPIC_WIN, QEMU_VERSION);
    assert_int_equal(b.id, 5);
    assert_int_equal(b.version, 0x20);
    assert_int_equal(b.pins, 24);
    assert_ptr_equal(b.io.ctx, &chip);
}

static void init_wants_both_pointers(void **state)
{
    struct ioapic b;
    expect_assert_failure(ioapic_init(NULL, &io));
    expect_assert_failure(ioapic_init(&b, NULL));
    assert_int_equal(chip.n, 0);
}

static void pins_come_from_the_highest_entry_index(void **state)
{
    const uint32_t versions[] = {0x00000011u, 0x00170020u, 0x00770020u,
                                 0x00780020u, 0x00ff0020u, 0xff170020u};
    const unsigned pins[] = {1, 24, 120, 120, 120, 24}; // 120: what an 8-bit index reaches
    for (size_t i = 0; i < 6; i++) {
        reset_chip(versions[i]);
        ioapic_init(&a, &io);
        assert_int_equal(a.pins, pins[i]);
        assert_int_equal(a.version, versions[i] & 0xffu);
    }
}

static void mask_all_writes_each_low_half_masked_in_pin_order(void **state)
{
    chip.reg[IOAPIC_REG_REDIR + 2] = 0x21; // pin 1 live on vector 0x21
    chip.reg[IOAPIC_REG_REDIR + 3] = 0x01000000u;
    ioapic_mask_all(&a);
    assert_int_equal(chip.n, 2 * 24);
    for (unsigned pin = 0; pin < 24; pin++) {
        assert_access(2 * pin, WR, IOAPIC_REGSEL, IOAPIC_REG_REDIR + 2 * pin);
        assert_access(2 * pin + 1, WR, IOAPIC_WIN, IOAPIC_MASKED);
    }
    assert_int_equal(chip.reg[IOAPIC_REG_REDIR + 3], 0x01000000u); // high half left alone
}

static void route_writes_the_masked_low_half_then_the_destination(void **state)
{
    assert_int_equal(ioapic_route(&a, 2, 0x20, 0x0f, false, false), 0);
    assert_int_equal(chip.n, 4);
    assert_access(0, WR, IOAPIC_REGSEL, IOAPIC_REG_REDIR + 4);
    assert_access(1, WR, IOAPIC_WIN, IOAPIC_MASKED | 0x20);
    assert_access(2, WR, IOAPIC_REGSEL, IOAPIC_REG_REDIR + 5);
    assert_access(3, WR, IOAPIC_WIN, 0x0f000000u);
}

static void route_sets_polarity_and_trigger_bits(void **state)
{
    const struct {
        bool low, level;
        uint32_t bits;
    } cases[] = {
        {false, false, 0},
        {true, false, IOAPIC_ACTIVE_LOW},
        {false, true, IOAPIC_LEVEL},
        {true, true, IOAPIC_ACTIVE_LOW | IOAPIC_LEVEL},
    };
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(ioapic_route(&a, 9, 0x29, 0xff, cases[i].low, cases[i].level), 0);
        assert_int_equal(chip.reg[IOAPIC_REG_REDIR + 18], IOAPIC_MASKED | cases[i].bits | 0x29);
        assert_int_equal(chip.reg[IOAPIC_REG_REDIR + 19], 0xff000000u);
    }
}

static void route_reaches_the_last_pin_and_refuses_the_next(void **state)
{
    assert_int_equal(ioapic_route(&a, 23, 0xfe, 1, false, false), 0);
    assert_int_equal(chip.reg[IOAPIC_REG_REDIR + 46], IOAPIC_MASKED | 0xfe);
    assert_int_equal(chip.reg[IOAPIC_REG_REDIR + 47], 0x01000000u);
    chip.n = 0;
    assert_int_equal(ioapic_route(&a, 24, 0x20, 0, false, false), E_RANGE);
    assert_int_equal(ioapic_route(&a, ~0u, 0x20, 0, false, false), E_RANGE);
    assert_int_equal(chip.n, 0);
}

static void route_refuses_exception_vectors(void **state)
{
    assert_int_equal(ioapic_route(&a, 0, 31, 0, false, false), E_INVAL);
    assert_int_equal(ioapic_route(&a, 0, 0, 0, false, false), E_INVAL);
    assert_int_equal(chip.n, 0);
    assert_int_equal(ioapic_route(&a, 0, 32, 0, false, false), 0);
    assert_int_equal(chip.reg[IOAPIC_REG_REDIR], IOAPIC_MASKED | 32);
}

static void unmask_clears_only_the_mask_bit(void **state)
{
    chip.reg[IOAPIC_REG_REDIR + 2] = IOAPIC_MASKED | IOAPIC_LEVEL | IOAPIC_ACTIVE_LOW | 0x31;
    assert_int_equal(ioapic_unmask(&a, 1), 0);
    assert_int_equal(chip.n, 4);
    assert_access(0, WR, IOAPIC_REGSEL, IOAPIC_REG_REDIR + 2);
    assert_access(1, RD, IOAPIC_WIN, IOAPIC_MASKED | IOAPIC_LEVEL | IOAPIC_ACTIVE_LOW | 0x31);
    assert_access(2, WR, IOAPIC_REGSEL, IOAPIC_REG_REDIR + 2);
    assert_access(3, WR, IOAPIC_WIN, IOAPIC_LEVEL | IOAPIC_ACTIVE_LOW | 0x31);
}

static void mask_sets_only_the_mask_bit(void **state)
{
    chip.reg[IOAPIC_REG_REDIR + 46] = IOAPIC_ACTIVE_LOW | 0x44;
    assert_int_equal(ioapic_mask(&a, 23), 0);
    assert_int_equal(chip.n, 4);
    assert_access(0, WR, IOAPIC_REGSEL, IOAPIC_REG_REDIR + 46);
    assert_access(1, RD, IOAPIC_WIN, IOAPIC_ACTIVE_LOW | 0x44);
    assert_access(2, WR, IOAPIC_REGSEL, IOAPIC_REG_REDIR + 46);
    assert_access(3, WR, IOAPIC_WIN, IOAPIC_MASKED | IOAPIC_ACTIVE_LOW | 0x44);
}

static void mask_and_unmask_refuse_a_pin_past_the_last(void **state)
{
    assert_int_equal(ioapic_mask(&a, 24), E_RANGE);
    assert_int_equal(ioapic_unmask(&a, 24), E_RANGE);
    assert_int_equal(ioapic_mask(&a, 100), E_RANGE);
    assert_int_equal(ioapic_unmask(&a, ~0u), E_RANGE);
    assert_int_equal(chip.n, 0);
}

static void read_entry_reads_low_then_high(void **state)
{
    chip.reg[IOAPIC_REG_REDIR + 8] = 0x00009031u;
    chip.reg[IOAPIC_REG_REDIR + 9] = 0x03000000u;
    uint64_t entry = 0;
    assert_int_equal(ioapic_read_entry(&a, 4, &entry), 0);
    assert_int_equal(entry, 0x0300000000009031ull);
    assert_int_equal(chip.n, 4);
    assert_access(0, WR, IOAPIC_REGSEL, IOAPIC_REG_REDIR + 8);
    assert_access(1, RD, IOAPIC_WIN, 0x00009031u);
    assert_access(2, WR, IOAPIC_REGSEL, IOAPIC_REG_REDIR + 9);
    assert_access(3, RD, IOAPIC_WIN, 0x03000000u);
}

static void read_entry_refuses_a_pin_past_the_last(void **state)
{
    uint64_t entry = 0x1234;
    assert_int_equal(ioapic_read_entry(&a, 24, &entry), E_RANGE);
    assert_int_equal(ioapic_read_entry(&a, 25, &entry), E_RANGE);
    assert_int_equal(ioapic_read_entry(&a, ~0u, &entry), E_RANGE);
    assert_int_equal(entry, 0x1234);
    assert_int_equal(chip.n, 0);
}

static void a_routed_then_unmasked_pin_reads_back_live(void **state)
{
    assert_int_equal(ioapic_route(&a, 2, 0x20, 0, false, false), 0);
    assert_int_equal(ioapic_unmask(&a, 2), 0);
    uint64_t entry;
    assert_int_equal(ioapic_read_entry(&a, 2, &entry), 0);
    assert_int_equal(entry, 0x20);
    assert_int_equal(ioapic_mask(&a, 2), 0);
    assert_int_equal(ioapic_read_entry(&a, 2, &entry), 0);
    assert_int_equal(entry, IOAPIC_MASKED | 0x20);
}

#define T(name) cmocka_unit_test_setup(name, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(init_reads_id_then_version_and_nothing_else),
        T(init_wants_both_pointers),
        T(pins_come_from_the_highest_entry_index),
        T(mask_all_writes_each_low_half_masked_in_pin_order),
        T(route_writes_the_masked_low_half_then_the_destination),
        T(route_sets_polarity_and_trigger_bits),
        T(route_reaches_the_last_pin_and_refuses_the_next),
        T(route_refuses_exception_vectors),
        T(unmask_clears_only_the_mask_bit),
        T(mask_sets_only_the_mask_bit),
        T(mask_and_unmask_refuse_a_pin_past_the_last),
        T(read_entry_reads_low_then_high),
        T(read_entry_refuses_a_pin_past_the_last),
        T(a_routed_then_unmasked_pin_reads_back_live),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
