// Tests for platform/host/mock_hw.c itself, the ground every driver test stands on: what an
// unscripted read returns, how scripts and defaults answer port and memory-mapped reads, and that
// both kinds of access land in one log in the order they happened.
#include "core/hw.h"
#include "platform/host/mock_hw.h"
#include "test/unit/port_log.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define REG  ((uintptr_t)0x40004004u)
#define REG2 ((uintptr_t)0x40004008u)

static int setup(void **state)
{
    mock_hw_reset();
    return 0;
}

static void unscripted_port_reads_float_high_at_their_width(void **state)
{
    assert_int_equal(hw_inb(0x60), 0xff);
    assert_int_equal(hw_inw(0x1f0), 0xffff);
    assert_int_equal(hw_inl(0xcfc), 0xffffffffu);
    const struct mock_io want[] = {
        {'r', 1, 0x60, 0xff}, {'r', 2, 0x1f0, 0xffff}, {'r', 4, 0xcfc, 0xffffffffu}};
    mock_io_assert_log(want, 3);
}

static void port_script_then_default_answer_in_order(void **state)
{
    mock_io_script(0x64, 0x1d);
    mock_io_script(0x64, 0x1c);
    mock_io_default(0x64, 0x14);
    assert_int_equal(hw_inb(0x64), 0x1d);
    assert_int_equal(hw_inb(0x64), 0x1c);
    assert_int_equal(hw_inb(0x64), 0x14);
    assert_int_equal(hw_inb(0x64), 0x14);
    ASSERT_LOG(R(0x64, 0x1d), R(0x64, 0x1c), R(0x64, 0x14), R(0x64, 0x14));
}

static void unscripted_mmio_read_returns_all_ones(void **state)
{
    assert_int_equal(hw_mmio_read32(REG), 0xffffffffu);
    ASSERT_LOG(MR(REG, 0xffffffffu));
    assert_int_equal(mock_io_at(0)->dir, 'R');
    assert_int_equal(mock_io_at(0)->width, 4);
}

static void mmio_write_is_logged_with_its_address_and_value(void **state)
{
    hw_mmio_write32(REG, 0x12345678u);
    hw_mmio_write32(REG2, 0);
    ASSERT_LOG(MW(REG, 0x12345678u), MW(REG2, 0));
}

static void mmio_scripts_answer_in_order_then_the_default(void **state)
{
    mock_mmio_script(REG, 1);
    mock_mmio_script(REG, 0x80000000u);
    mock_mmio_default(REG, 0x55);
    assert_int_equal(hw_mmio_read32(REG), 1);
    assert_int_equal(hw_mmio_read32(REG), 0x80000000u);
    assert_int_equal(hw_mmio_read32(REG), 0x55);
    assert_int_equal(hw_mmio_read32(REG), 0x55);
    ASSERT_LOG(MR(REG, 1), MR(REG, 0x80000000u), MR(REG, 0x55), MR(REG, 0x55));
}

static void mmio_scripts_and_defaults_belong_to_one_address(void **state)
{
    mock_mmio_script(REG, 7);
    mock_mmio_default(REG2, 9);
    assert_int_equal(hw_mmio_read32(REG2), 9);
    assert_int_equal(hw_mmio_read32(REG2 + 4), 0xffffffffu);
    assert_int_equal(hw_mmio_read32(REG), 7);
    assert_int_equal(hw_mmio_read32(REG), 0xffffffffu); // script used up, no default
}

static void setting_an_mmio_default_again_replaces_it(void **state)
{
    mock_mmio_default(REG, 1);
    mock_mmio_default(REG, 2);
    assert_int_equal(hw_mmio_read32(REG), 2);
}

static void every_mmio_default_slot_can_be_used(void **state)
{
    for (uint32_t i = 0; i < MOCK_MMIO_DEFAULT_MAX; i++)
        mock_mmio_default(REG + 4 * i, i);
    for (uint32_t i = 0; i < MOCK_MMIO_DEFAULT_MAX; i++)
        assert_int_equal(hw_mmio_read32(REG + 4 * i), i);
    mock_mmio_default(REG, 100); // replacing needs no new slot
    assert_int_equal(hw_mmio_read32(REG), 100);
}

static void ports_and_addresses_are_separate(void **state)
{
    mock_io_script(0x40, 0x11);
    mock_mmio_script(0x40, 0x22);
    mock_io_default(0x41, 0x33);
    assert_int_equal(hw_mmio_read32(0x41), 0xffffffffu); // the port's default is not the address's
    assert_int_equal(hw_mmio_read32(0x40), 0x22);
    assert_int_equal(hw_inb(0x40), 0x11);
    ASSERT_LOG(MR(0x41, 0xffffffffu), MR(0x40, 0x22), R(0x40, 0x11));
}

static void port_and_mmio_accesses_share_one_log_in_order(void **state)
{
    mock_mmio_script(REG, 0x3);
    hw_outb(0x3f8, 'A');
    hw_mmio_write32(REG2, 0x41);
    (void)hw_mmio_read32(REG);
    hw_outl(0xcf8, 0x80000000u);
    ASSERT_LOG(W(0x3f8, 'A'), MW(REG2, 0x41), MR(REG, 0x3), {'w', 4, 0xcf8, 0x80000000u});
    assert_int_equal(mock_io_count(), 4);
}

static void mmio_written_collects_one_address_writes_only(void **state)
{
    hw_mmio_write32(REG, 'h');
    hw_mmio_write32(REG2, 0xdead);
    (void)hw_mmio_read32(REG);
    hw_outb((uint16_t)REG, 1); // a port write with the same low bits is not a register write
    hw_mmio_write32(REG, 0xffffffffu);
    uint32_t got[4] = {0};
    assert_int_equal(mock_mmio_written(REG, got, 4), 2);
    assert_int_equal(got[0], 'h');
    assert_int_equal(got[1], 0xffffffffu);
    assert_int_equal(mock_mmio_written(REG, got, 1), 2); // counts past cap
    assert_int_equal(mock_mmio_written(REG2, NULL, 0), 1);
    uint8_t bytes[2];
    assert_int_equal(mock_io_written((uint16_t)REG, bytes, 2), 1); // and the other way round
    assert_int_equal(bytes[0], 1);
}

static void high_addresses_are_kept_whole(void **state)
{
    const uintptr_t top = UINTPTR_MAX - 3; // 0xfffffffc on a 32-bit host
    mock_mmio_script(top, 0xa5a5a5a5u);
    assert_int_equal(hw_mmio_read32(top), 0xa5a5a5a5u);
    hw_mmio_write32(top, 1);
    ASSERT_LOG(MR(top, 0xa5a5a5a5u), MW(top, 1));
}

static void reset_forgets_mmio_log_scripts_and_defaults(void **state)
{
    mock_mmio_script(REG, 1);
    mock_mmio_default(REG2, 2);
    hw_mmio_write32(REG, 3);
    mock_hw_reset();
    assert_int_equal(mock_io_count(), 0);
    assert_int_equal(hw_mmio_read32(REG), 0xffffffffu);
    assert_int_equal(hw_mmio_read32(REG2), 0xffffffffu);
}

#define T(name) cmocka_unit_test_setup(name, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(unscripted_port_reads_float_high_at_their_width),
        T(port_script_then_default_answer_in_order),
        T(unscripted_mmio_read_returns_all_ones),
        T(mmio_write_is_logged_with_its_address_and_value),
        T(mmio_scripts_answer_in_order_then_the_default),
        T(mmio_scripts_and_defaults_belong_to_one_address),
        T(setting_an_mmio_default_again_replaces_it),
        T(every_mmio_default_slot_can_be_used),
        T(ports_and_addresses_are_separate),
        T(port_and_mmio_accesses_share_one_log_in_order),
        T(mmio_written_collects_one_address_writes_only),
        T(high_addresses_are_kept_whole),
        T(reset_forgets_mmio_log_scripts_and_defaults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
