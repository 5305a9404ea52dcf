// Tests for core/cmsdk_uart.c: the exact register sequences of init, transmit, receive and the
// receive interrupt, read through the mock's log, and the answers to bad divisors and bad
// arguments.
#include "core/cmsdk_uart.h"
#include "platform/host/mock_hw.h"
#include "test/unit/port_log.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

// The mps2 boards' first UART; the register offsets of the CMSDK TRM.
#define BASE     ((uintptr_t)0x40004000u)
#define DATA     (BASE + 0x00)
#define STATE    (BASE + 0x04)
#define CTRL     (BASE + 0x08)
#define INTCLEAR (BASE + 0x0c)
#define BAUDDIV  (BASE + 0x10)
#define CLOCK    25000000u // the mps2 boards' peripheral clock
#define TX_FULL  0x1u
#define RX_FULL  0x2u
#define OVERRUNS 0xcu

// The five writes of a successful init with divisor `div`.
#define INIT_LOG(div)                                                                              \
    MW(CTRL, 0), MW(BAUDDIV, (div)), MW(STATE, OVERRUNS), MW(INTCLEAR, 0xf), MW(CTRL, 0x3)

static int setup(void **state)
{
    mock_hw_reset();
    return 0;
}

static struct cmsdk_uart ready_uart(void)
{
    return (struct cmsdk_uart){.base = BASE, .ready = true};
}

static void init_at_115200_writes_exact_sequence(void **state)
{
    struct cmsdk_uart u;
    assert_int_equal(cmsdk_uart_init(&u, BASE, CLOCK, 115200), 0);
    assert_true(u.ready);
    assert_int_equal(u.base, BASE);
    ASSERT_LOG(INIT_LOG(217)); // 25000000 / 115200 = 217.01
}

static void init_rounds_the_divisor_down(void **state)
{
    struct cmsdk_uart u;
    assert_int_equal(cmsdk_uart_init(&u, BASE, CLOCK, 38400), 0); // 651.04
    assert_int_equal(cmsdk_uart_init(&u, BASE, 1999, 100), 0);    // 19.99
    ASSERT_LOG(INIT_LOG(651), INIT_LOG(19));
}

static void init_uses_the_given_base(void **state)
{
    const uintptr_t other = 0x40005000u;
    struct cmsdk_uart u;
    assert_int_equal(cmsdk_uart_init(&u, other, CLOCK, 9600), 0);
    assert_int_equal(u.base, other);
    uint32_t div;
    assert_int_equal(mock_mmio_written(other + 0x10, &div, 1), 1);
    assert_int_equal(div, 2604);
    assert_int_equal(mock_mmio_written(BAUDDIV, NULL, 0), 0);
}

static void init_accepts_the_smallest_and_largest_divisors(void **state)
{
    struct cmsdk_uart u;
    assert_int_equal(cmsdk_uart_init(&u, BASE, 16 * 115200, 115200), 0);
    assert_int_equal(cmsdk_uart_init(&u, BASE, CMSDK_UART_BAUDDIV_MAX, 1), 0);
    assert_int_equal(cmsdk_uart_init(&u, BASE, CMSDK_UART_BAUDDIV_MAX * 2 + 1, 2), 0);
    ASSERT_LOG(INIT_LOG(16), INIT_LOG(0xfffff), INIT_LOG(0xfffff));
}

static void init_rejects_bad_divisors_without_io(void **state)
{
    static const struct {
        uint32_t clock, baud;
    } bad[] = {
        {CLOCK, 0},                            // no baud rate
        {0, 0},                                // nor a clock
        {0, 9600},                             // divisor 0
        {16 * 115200 - 1, 115200},             // 15.99
        {CLOCK, CLOCK},                        // 1
        {CMSDK_UART_BAUDDIV_MAX + 1, 1},       // 21 bits
        {UINT32_MAX, 1},                       // 32 bits
        {(CMSDK_UART_BAUDDIV_MAX + 1) * 2, 2}, // just past 20 bits
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct cmsdk_uart u = {.base = 0, .ready = true};
        assert_int_equal(cmsdk_uart_init(&u, BASE, bad[i].clock, bad[i].baud), E_INVAL);
        assert_false(u.ready);
        assert_int_equal(u.base, BASE);
    }
    assert_int_equal(mock_io_count(), 0);
}

static void failed_init_leaves_the_uart_silent(void **state)
{
    struct cmsdk_uart u;
    assert_int_equal(cmsdk_uart_init(&u, BASE, CLOCK, 0), E_INVAL);
    cmsdk_uart_write(&u, "dropped\n", 8);
    assert_int_equal(cmsdk_uart_getc(&u), -1);
    cmsdk_uart_enable_rx_irq(&u, true);
    cmsdk_uart_clear_irq(&u);
    assert_int_equal(mock_io_count(), 0);
}

static void putc_sends_at_once_when_tx_has_room(void **state)
{
    mock_mmio_default(STATE, 0);
    struct cmsdk_uart u = ready_uart();
    cmsdk_uart_putc(&u, 'K');
    ASSERT_LOG(MR(STATE, 0), MW(DATA, 'K'));
}

static void putc_polls_state_until_tx_is_free(void **state)
{
    mock_mmio_script(STATE, TX_FULL);
    mock_mmio_script(STATE, TX_FULL | RX_FULL | OVERRUNS);
    mock_mmio_script(STATE, RX_FULL | OVERRUNS); // only bit 0 matters
    struct cmsdk_uart u = ready_uart();
    cmsdk_uart_putc(&u, 'x');
    ASSERT_LOG(MR(STATE, TX_FULL), MR(STATE, 0xf), MR(STATE, 0xe), MW(DATA, 'x'));
}

static void putc_drops_the_byte_after_the_poll_limit(void **state)
{
    mock_mmio_default(STATE, TX_FULL);
    struct cmsdk_uart u = ready_uart();
    cmsdk_uart_putc(&u, 'x');
    assert_int_equal(mock_io_count(), CMSDK_UART_POLL_LIMIT);
    for (size_t i = 0; i < CMSDK_UART_POLL_LIMIT; i++) {
        assert_int_equal(mock_io_at(i)->dir, 'R');
        assert_int_equal(mock_io_at(i)->port, STATE);
    }
    assert_true(u.ready);
}

static void putc_after_a_dropped_byte_sends_the_next_one(void **state)
{
    mock_mmio_default(STATE, TX_FULL);
    struct cmsdk_uart u = ready_uart();
    cmsdk_uart_putc(&u, 'a');
    mock_mmio_default(STATE, 0);
    cmsdk_uart_putc(&u, 'b');
    uint32_t out[2];
    assert_int_equal(mock_mmio_written(DATA, out, 2), 1);
    assert_int_equal(out[0], 'b');
}

static void putc_sends_newline_as_cr_lf(void **state)
{
    mock_mmio_default(STATE, 0);
    struct cmsdk_uart u = ready_uart();
    cmsdk_uart_putc(&u, '\n');
    ASSERT_LOG(MR(STATE, 0), MW(DATA, '\r'), MR(STATE, 0), MW(DATA, '\n'));
}

static void putc_sends_a_high_byte_as_one_byte(void **state)
{
    mock_mmio_default(STATE, 0);
    struct cmsdk_uart u = ready_uart();
    cmsdk_uart_putc(&u, (char)0xe9);
    ASSERT_LOG(MR(STATE, 0), MW(DATA, 0xe9));
}

static void write_sends_every_byte_in_order(void **state)
{
    mock_mmio_default(STATE, 0);
    struct cmsdk_uart u = ready_uart();
    cmsdk_uart_write(&u, "a\0b\xff\n", 5);
    uint32_t out[8];
    assert_int_equal(mock_mmio_written(DATA, out, 8), 6);
    const uint32_t want[] = {'a', 0, 'b', 0xff, '\r', '\n'};
    assert_memory_equal(out, want, sizeof(want));
}

static void getc_returns_the_byte_when_rx_is_full(void **state)
{
    mock_mmio_script(STATE, RX_FULL);
    mock_mmio_script(DATA, 'z');
    struct cmsdk_uart u = ready_uart();
    assert_int_equal(cmsdk_uart_getc(&u), 'z');
    ASSERT_LOG(MR(STATE, RX_FULL), MR(DATA, 'z'));
}

static void getc_keeps_only_data_bits_7_to_0(void **state)
{
    mock_mmio_script(STATE, RX_FULL | TX_FULL);
    mock_mmio_script(DATA, 0xffffff41u);
    mock_mmio_script(STATE, RX_FULL);
    mock_mmio_script(DATA, 0xff);
    struct cmsdk_uart u = ready_uart();
    assert_int_equal(cmsdk_uart_getc(&u), 0x41);
    assert_int_equal(cmsdk_uart_getc(&u), 0xff); // a high byte is positive
}

static void getc_returns_minus_one_without_data(void **state)
{
    mock_mmio_script(STATE, TX_FULL | OVERRUNS);
    struct cmsdk_uart u = ready_uart();
    assert_int_equal(cmsdk_uart_getc(&u), -1);
    ASSERT_LOG(MR(STATE, 0xd));
}

static void rx_irq_on_sets_ctrl_bit_3_and_keeps_the_rest(void **state)
{
    mock_mmio_script(CTRL, 0x3);
    mock_mmio_script(CTRL, 0x7f);
    struct cmsdk_uart u = ready_uart();
    cmsdk_uart_enable_rx_irq(&u, true);
    cmsdk_uart_enable_rx_irq(&u, true); // already on: written unchanged
    ASSERT_LOG(MR(CTRL, 0x3), MW(CTRL, 0xb), MR(CTRL, 0x7f), MW(CTRL, 0x7f));
}

static void rx_irq_off_clears_ctrl_bit_3_and_keeps_the_rest(void **state)
{
    mock_mmio_script(CTRL, 0xb);
    mock_mmio_script(CTRL, 0xffffffffu);
    struct cmsdk_uart u = ready_uart();
    cmsdk_uart_enable_rx_irq(&u, false);
    cmsdk_uart_enable_rx_irq(&u, false);
    ASSERT_LOG(MR(CTRL, 0xb), MW(CTRL, 0x3), MR(CTRL, 0xffffffffu), MW(CTRL, 0xfffffff7u));
}

static void clear_irq_writes_every_intclear_bit(void **state)
{
    struct cmsdk_uart u = ready_uart();
    cmsdk_uart_clear_irq(&u);
    ASSERT_LOG(MW(INTCLEAR, 0xf));
}

static void rx_interrupt_round_trip(void **state)
{
    struct cmsdk_uart u;
    assert_int_equal(cmsdk_uart_init(&u, BASE, CLOCK, 115200), 0);
    mock_hw_reset();
    mock_mmio_script(CTRL, 0x3);
    mock_mmio_script(STATE, RX_FULL);
    mock_mmio_script(DATA, 'q');
    cmsdk_uart_enable_rx_irq(&u, true);
    assert_int_equal(cmsdk_uart_getc(&u), 'q'); // what the handler does: read, then clear
    cmsdk_uart_clear_irq(&u);
    ASSERT_LOG(MR(CTRL, 0x3), MW(CTRL, 0xb), MR(STATE, RX_FULL), MR(DATA, 'q'), MW(INTCLEAR, 0xf));
}

static void null_uart_panics(void **state)
{
    expect_assert_failure(cmsdk_uart_init(NULL, BASE, CLOCK, 115200));
    assert_non_null(strstr(mock_panic_message(), "cmsdk_uart_init"));
    expect_assert_failure(cmsdk_uart_putc(NULL, 'x'));
    assert_non_null(strstr(mock_panic_message(), "cmsdk_uart_putc"));
    expect_assert_failure(cmsdk_uart_write(NULL, "", 0));
    assert_non_null(strstr(mock_panic_message(), "cmsdk_uart_write"));
    expect_assert_failure(cmsdk_uart_getc(NULL));
    assert_non_null(strstr(mock_panic_message(), "cmsdk_uart_getc"));
    expect_assert_failure(cmsdk_uart_enable_rx_irq(NULL, true));
    assert_non_null(strstr(mock_panic_message(), "cmsdk_uart_enable_rx_irq"));
    expect_assert_failure(cmsdk_uart_clear_irq(NULL));
    assert_non_null(strstr(mock_panic_message(), "cmsdk_uart_clear_irq"));
    assert_int_equal(mock_io_count(), 0);
}

static void write_with_null_string_and_length_panics(void **state)
{
    struct cmsdk_uart u = ready_uart();
    expect_assert_failure(cmsdk_uart_write(&u, NULL, 1));
    assert_non_null(strstr(mock_panic_message(), "cmsdk_uart_write"));
    cmsdk_uart_write(&u, NULL, 0); // nothing to send: allowed
    assert_int_equal(mock_io_count(), 0);
}

#define T(name) cmocka_unit_test_setup(name, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(init_at_115200_writes_exact_sequence),
        T(init_rounds_the_divisor_down),
        T(init_uses_the_given_base),
        T(init_accepts_the_smallest_and_largest_divisors),
        T(init_rejects_bad_divisors_without_io),
        T(failed_init_leaves_the_uart_silent),
        T(putc_sends_at_once_when_tx_has_room),
        T(putc_polls_state_until_tx_is_free),
        T(putc_drops_the_byte_after_the_poll_limit),
        T(putc_after_a_dropped_byte_sends_the_next_one),
        T(putc_sends_newline_as_cr_lf),
        T(putc_sends_a_high_byte_as_one_byte),
        T(write_sends_every_byte_in_order),
        T(getc_returns_the_byte_when_rx_is_full),
        T(getc_keeps_only_data_bits_7_to_0),
        T(getc_returns_minus_one_without_data),
        T(rx_irq_on_sets_ctrl_bit_3_and_keeps_the_rest),
        T(rx_irq_off_clears_ctrl_bit_3_and_keeps_the_rest),
        T(clear_irq_writes_every_intclear_bit),
        T(rx_interrupt_round_trip),
        T(null_uart_panics),
        T(write_with_null_string_and_length_panics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
