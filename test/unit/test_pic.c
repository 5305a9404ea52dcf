// Tests for core/pic.c: the exact 8259A port sequences of initialisation, masking, EOI, register
// reads and spurious IRQ 7/15 handling, read through the mock port log, and the answers to bad
// offsets and IRQ numbers.
#include "core/hw.h"
#include "core/pic.h"
#include "platform/host/mock_hw.h"
#include "test/unit/port_log.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define M_CMD  0x20
#define M_DATA 0x21
#define S_CMD  0xa0
#define S_DATA 0xa1
#define WAIT   0x80

// One initialisation word followed by the io-wait write.
#define ICW(port, value) W(port, value), W(WAIT, 0)
#define INIT_LOG(master, slave)                                                                    \
    ICW(M_CMD, 0x11), ICW(S_CMD, 0x11), ICW(M_DATA, (master)), ICW(S_DATA, (slave)),               \
        ICW(M_DATA, 0x04), ICW(S_DATA, 0x02), ICW(M_DATA, 0x01), ICW(S_DATA, 0x01),                \
        W(M_DATA, 0xfb), W(S_DATA, 0xff)

// Starts each test with initialised chips (spurious counters at 0) and an empty port log.
static int setup(void **state)
{
    mock_hw_reset();
    assert_int_equal(pic_init(PIC_MASTER_OFFSET, PIC_SLAVE_OFFSET), 0);
    mock_hw_reset();
    return 0;
}

static void init_32_40_writes_icws_with_io_waits_then_masks(void **state)
{
    assert_int_equal(pic_init(PIC_MASTER_OFFSET, PIC_SLAVE_OFFSET), 0);
    ASSERT_LOG(INIT_LOG(32, 40));
}

static void init_puts_the_offsets_in_icw2(void **state)
{
    assert_int_equal(pic_init(0x70, 0x20), 0);
    ASSERT_LOG(INIT_LOG(0x70, 0x20));
}

static void init_accepts_the_highest_offsets(void **state)
{
    assert_int_equal(pic_init(248, 240), 0);
    ASSERT_LOG(INIT_LOG(248, 240));
}

static void init_rejects_offset_not_multiple_of_8_without_io(void **state)
{
    assert_int_equal(pic_init(33, 40), E_INVAL);
    assert_int_equal(pic_init(32, 44), E_INVAL);
    assert_int_equal(pic_init(255, 40), E_INVAL);
    assert_int_equal(mock_io_count(), 0);
}

static void init_rejects_offset_over_cpu_exceptions_without_io(void **state)
{
    assert_int_equal(pic_init(0, 40), E_INVAL);
    assert_int_equal(pic_init(8, 40), E_INVAL);
    assert_int_equal(pic_init(32, 24), E_INVAL);
    assert_int_equal(mock_io_count(), 0);
}

static void init_rejects_overlapping_offsets_without_io(void **state)
{
    assert_int_equal(pic_init(32, 32), E_INVAL);
    assert_int_equal(pic_init(40, 40), E_INVAL);
    assert_int_equal(mock_io_count(), 0);
}

static void mask_master_irq_sets_its_bit(void **state)
{
    mock_io_script(M_DATA, 0xa0);
    pic_mask(1);
    ASSERT_LOG(R(M_DATA, 0xa0), W(M_DATA, 0xa2));
}

static void mask_slave_irq_sets_its_bit_in_slave_register(void **state)
{
    mock_io_script(S_DATA, 0x00);
    pic_mask(12);
    ASSERT_LOG(R(S_DATA, 0x00), W(S_DATA, 0x10));
}

// IRQ 7 is the master's last input and IRQ 8 the slave's first.
static void masks_of_irqs_7_and_8_go_to_their_own_chips(void **state)
{
    mock_io_script(M_DATA, 0x00);
    mock_io_script(S_DATA, 0x00);
    mock_io_script(M_DATA, 0xff);
    mock_io_script(S_DATA, 0xff);
    pic_mask(7);
    pic_mask(8);
    pic_unmask(7);
    pic_unmask(8);
    ASSERT_LOG(R(M_DATA, 0x00), W(M_DATA, 0x80), R(S_DATA, 0x00), W(S_DATA, 0x01), R(M_DATA, 0xff),
               W(M_DATA, 0x7f), R(S_DATA, 0xff), W(S_DATA, 0xfe));
}

static void mask_of_masked_irq_writes_same_value(void **state)
{
    mock_io_script(M_DATA, 0xff);
    pic_mask(7);
    ASSERT_LOG(R(M_DATA, 0xff), W(M_DATA, 0xff));
}

static void unmask_master_irq_clears_its_bit(void **state)
{
    mock_io_script(M_DATA, 0xfb);
    pic_unmask(0);
    ASSERT_LOG(R(M_DATA, 0xfb), W(M_DATA, 0xfa));
}

static void unmask_slave_irq_clears_its_bit_in_slave_register(void **state)
{
    mock_io_script(S_DATA, 0xff);
    pic_unmask(15);
    ASSERT_LOG(R(S_DATA, 0xff), W(S_DATA, 0x7f));
}

static void mask_and_unmask_restore_interrupt_state(void **state)
{
    mock_io_default(M_DATA, 0xff);
    pic_unmask(1);
    assert_true(mock_irq_enabled());
    unsigned long flags = hw_irq_save();
    pic_mask(1);
    assert_false(mock_irq_enabled());
    hw_irq_restore(flags);
}

static void get_mask_puts_master_low_and_slave_high(void **state)
{
    mock_io_script(M_DATA, 0xfb);
    mock_io_script(S_DATA, 0x7e);
    assert_int_equal(pic_get_mask(), 0x7efb);
    ASSERT_LOG(R(M_DATA, 0xfb), R(S_DATA, 0x7e));
}

static void set_mask_writes_low_byte_to_master_high_to_slave(void **state)
{
    pic_set_mask(0x12fd);
    ASSERT_LOG(W(M_DATA, 0xfd), W(S_DATA, 0x12));
}

static void disable_masks_every_irq(void **state)
{
    pic_disable();
    ASSERT_LOG(W(M_DATA, 0xff), W(S_DATA, 0xff));
}

static void eoi_for_master_irq_goes_to_master_only(void **state)
{
    pic_eoi(0);
    pic_eoi(7);
    ASSERT_LOG(W(M_CMD, 0x20), W(M_CMD, 0x20));
}

static void eoi_for_slave_irq_goes_to_slave_then_master(void **state)
{
    pic_eoi(8);
    pic_eoi(15);
    ASSERT_LOG(W(S_CMD, 0x20), W(M_CMD, 0x20), W(S_CMD, 0x20), W(M_CMD, 0x20));
}

static void read_isr_selects_isr_on_both_then_reads_both(void **state)
{
    mock_io_script(M_CMD, 0x05);
    mock_io_script(S_CMD, 0x80);
    assert_int_equal(pic_read_isr(), 0x8005);
    ASSERT_LOG(W(M_CMD, 0x0b), W(S_CMD, 0x0b), R(M_CMD, 0x05), R(S_CMD, 0x80));
}

static void read_irr_selects_irr_on_both_then_reads_both(void **state)
{
    mock_io_script(M_CMD, 0x01);
    mock_io_script(S_CMD, 0x02);
    assert_int_equal(pic_read_irr(), 0x0201);
    ASSERT_LOG(W(M_CMD, 0x0a), W(S_CMD, 0x0a), R(M_CMD, 0x01), R(S_CMD, 0x02));
}

static void spurious_irq7_is_reported_and_gets_no_eoi(void **state)
{
    mock_io_script(M_CMD, 0x7f); // everything in service but IRQ 7
    assert_true(pic_is_spurious(7));
    ASSERT_LOG(W(M_CMD, 0x0b), R(M_CMD, 0x7f));
    assert_int_equal(pic_spurious_count(7), 1);
}

static void real_irq7_is_not_spurious_and_sends_nothing(void **state)
{
    mock_io_script(M_CMD, 0x80);
    assert_false(pic_is_spurious(7));
    ASSERT_LOG(W(M_CMD, 0x0b), R(M_CMD, 0x80));
    assert_int_equal(pic_spurious_count(7), 0);
}

static void spurious_irq15_gets_master_eoi_only(void **state)
{
    mock_io_script(S_CMD, 0x00);
    assert_true(pic_is_spurious(15));
    ASSERT_LOG(W(S_CMD, 0x0b), R(S_CMD, 0x00), W(M_CMD, 0x20));
    assert_int_equal(pic_spurious_count(15), 1);
    assert_int_equal(pic_spurious_count(7), 0);
}

static void real_irq15_is_not_spurious_and_sends_nothing(void **state)
{
    mock_io_script(S_CMD, 0x81);
    assert_false(pic_is_spurious(15));
    ASSERT_LOG(W(S_CMD, 0x0b), R(S_CMD, 0x81));
    assert_int_equal(pic_spurious_count(15), 0);
}

static void other_irqs_are_never_spurious_and_touch_no_port(void **state)
{
    for (unsigned irq = 0; irq < PIC_IRQS; irq++) {
        if (irq != 7 && irq != 15) {
            assert_false(pic_is_spurious(irq));
            assert_int_equal(pic_spurious_count(irq), 0);
        }
    }
    assert_int_equal(mock_io_count(), 0);
}

static void spurious_counts_add_up_and_init_resets_them(void **state)
{
    mock_io_default(M_CMD, 0x00);
    mock_io_default(S_CMD, 0x00);
    for (int i = 0; i < 3; i++)
        assert_true(pic_is_spurious(7));
    assert_true(pic_is_spurious(15));
    assert_int_equal(pic_spurious_count(7), 3);
    assert_int_equal(pic_spurious_count(15), 1);
    for (unsigned irq = 0; irq < 16; irq++)
        if (irq != 7 && irq != 15)
            assert_int_equal(pic_spurious_count(irq), 0);
    assert_int_equal(pic_init(32, 40), 0);
    assert_int_equal(pic_spurious_count(7), 0);
    assert_int_equal(pic_spurious_count(15), 0);
}

static void irq_16_or_more_panics_without_io(void **state)
{
    expect_assert_failure(pic_mask(16));
    assert_non_null(strstr(mock_panic_message(), "pic_mask"));
    expect_assert_failure(pic_unmask(16));
    expect_assert_failure(pic_eoi(16));
    expect_assert_failure(pic_eoi(255));
    expect_assert_failure(pic_is_spurious(23));
    expect_assert_failure(pic_spurious_count(16));
    expect_assert_failure(pic_is_spurious(16));
    // Far above 16 too, not only at it.
    expect_assert_failure(pic_mask(17));
    expect_assert_failure(pic_unmask(100));
    expect_assert_failure(pic_eoi(17));
    expect_assert_failure(pic_is_spurious(0xffffffffu));
    expect_assert_failure(pic_spurious_count(17));
    assert_int_equal(mock_io_count(), 0);
}

#define T(name) cmocka_unit_test_setup(name, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(init_32_40_writes_icws_with_io_waits_then_masks),
        T(init_puts_the_offsets_in_icw2),
        T(init_accepts_the_highest_offsets),
        T(init_rejects_offset_not_multiple_of_8_without_io),
        T(init_rejects_offset_over_cpu_exceptions_without_io),
        T(init_rejects_overlapping_offsets_without_io),
        T(mask_master_irq_sets_its_bit),
        T(mask_slave_irq_sets_its_bit_in_slave_register),
        T(masks_of_irqs_7_and_8_go_to_their_own_chips),
        T(mask_of_masked_irq_writes_same_value),
        T(unmask_master_irq_clears_its_bit),
        T(unmask_slave_irq_clears_its_bit_in_slave_register),
        T(mask_and_unmask_restore_interrupt_state),
        T(get_mask_puts_master_low_and_slave_high),
        T(set_mask_writes_low_byte_to_master_high_to_slave),
        T(disable_masks_every_irq),
        T(eoi_for_master_irq_goes_to_master_only),
        T(eoi_for_slave_irq_goes_to_slave_then_master),
        T(read_isr_selects_isr_on_both_then_reads_both),
        T(read_irr_selects_irr_on_both_then_reads_both),
        T(spurious_irq7_is_reported_and_gets_no_eoi),
        T(real_irq7_is_not_spurious_and_sends_nothing),
        T(spurious_irq15_gets_master_eoi_only),
        T(real_irq15_is_not_spurious_and_sends_nothing),
        T(other_irqs_are_never_spurious_and_touch_no_port),
        T(spurious_counts_add_up_and_init_resets_them),
        T(irq_16_or_more_panics_without_io),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
