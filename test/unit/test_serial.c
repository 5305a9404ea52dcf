// Tests for core/serial.c: the exact 16550 port sequences of init, transmit, receive and the
// receive interrupt, read through the mock port log, and the answers to bad baud rates, a silent
// chip and bad arguments.
#include "core/serial.h"
#include "platform/host/mock_hw.h"
#include "test/unit/port_log.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define BASE SERIAL_COM1
#define THR  (BASE + 0)
#define IER  (BASE + 1)
#define FCR  (BASE + 2)
#define LCR  (BASE + 3)
#define MCR  (BASE + 4)
#define LSR  (BASE + 5)

// The writes up to and including the loopback test byte, for a divisor split into lo and hi.
#define INIT_PREFIX(lo, hi)                                                                        \
    W(IER, 0x00), W(LCR, 0x80), W(THR, (lo)), W(IER, (hi)), W(LCR, 0x03), W(FCR, 0xc7),            \
        W(MCR, 0x10), W(THR, 0xae)

static int setup(void **state)
{
    mock_hw_reset();
    return 0;
}

// The chip answers the loopback test at once and correctly.
static void script_good_loopback(void)
{
    mock_io_script(LSR, 0x61);
    mock_io_script(THR, 0xae);
}

static struct serial_port ready_port(void)
{
    return (struct serial_port){.base = BASE, .ready = true};
}

static void init_at_115200_writes_exact_sequence(void **state)
{
    script_good_loopback();
    struct serial_port p;
    assert_int_equal(serial_init(&p, BASE, 115200), 0);
    assert_true(p.ready);
    assert_int_equal(p.base, BASE);
    ASSERT_LOG(INIT_PREFIX(0x01, 0x00), R(LSR, 0x61), R(THR, 0xae), W(MCR, 0x0b));
}

static void init_at_9600_programs_divisor_12(void **state)
{
    script_good_loopback();
    struct serial_port p;
    assert_int_equal(serial_init(&p, BASE, 9600), 0);
    ASSERT_LOG(INIT_PREFIX(0x0c, 0x00), R(LSR, 0x61), R(THR, 0xae), W(MCR, 0x0b));
}

static void init_at_300_puts_divisor_high_byte_in_dlm(void **state)
{
    script_good_loopback();
    struct serial_port p;
    assert_int_equal(serial_init(&p, BASE, 300), 0); // 384 = 0x180
    ASSERT_LOG(INIT_PREFIX(0x80, 0x01), R(LSR, 0x61), R(THR, 0xae), W(MCR, 0x0b));
}

static void init_uses_the_given_base(void **state)
{
    mock_io_script(0x2f8 + 5, 0x01);
    mock_io_script(0x2f8, 0xae);
    struct serial_port p;
    assert_int_equal(serial_init(&p, 0x2f8, 38400), 0);
    uint8_t dll;
    assert_int_equal(mock_io_written(0x2f8, &dll, 1), 2); // divisor low, then the test byte
    assert_int_equal(dll, 3);
    assert_int_equal(mock_io_written(BASE, NULL, 0), 0);
}

static void init_waits_for_loopback_byte_to_arrive(void **state)
{
    mock_io_script(LSR, 0x60);
    mock_io_script(LSR, 0x60);
    mock_io_script(LSR, 0x61);
    mock_io_script(THR, 0xae);
    struct serial_port p;
    assert_int_equal(serial_init(&p, BASE, 115200), 0);
    ASSERT_LOG(INIT_PREFIX(0x01, 0x00), R(LSR, 0x60), R(LSR, 0x60), R(LSR, 0x61), R(THR, 0xae),
               W(MCR, 0x0b));
}

static void init_rejects_baud_not_dividing_115200_without_io(void **state)
{
    static const uint32_t bad[] = {0, 1, 7, 1000, 57601, 230400};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct serial_port p = {.base = 0, .ready = true};
        assert_int_equal(serial_init(&p, BASE, bad[i]), E_INVAL);
        assert_false(p.ready);
        assert_int_equal(mock_io_count(), 0);
    }
}

static void init_fails_with_eio_when_loopback_byte_differs(void **state)
{
    mock_io_script(LSR, 0x61);
    mock_io_script(THR, 0x2e);
    struct serial_port p;
    assert_int_equal(serial_init(&p, BASE, 115200), E_IO);
    assert_false(p.ready);
    ASSERT_LOG(INIT_PREFIX(0x01, 0x00), R(LSR, 0x61), R(THR, 0x2e), W(MCR, 0x00));
}

static void init_fails_with_eio_on_floating_bus(void **state)
{
    struct serial_port p; // no script: every read is 0xff, as with no chip at all
    assert_int_equal(serial_init(&p, BASE, 115200), E_IO);
    assert_false(p.ready);
}

static void init_gives_up_when_loopback_byte_never_arrives(void **state)
{
    mock_io_default(LSR, 0x60);
    struct serial_port p;
    assert_int_equal(serial_init(&p, BASE, 115200), E_IO);
    assert_false(p.ready);
    size_t n = mock_io_count();
    assert_int_equal(n, 8 + SERIAL_POLL_LIMIT + 1); // no RBR read, then MCR cleared
    for (size_t i = 8; i < 8 + SERIAL_POLL_LIMIT; i++)
        assert_int_equal(mock_io_at(i)->port, LSR);
    assert_int_equal(mock_io_at(n - 1)->port, MCR);
    assert_int_equal(mock_io_at(n - 1)->value, 0);
}

static void output_after_failed_init_touches_no_port(void **state)
{
    struct serial_port p;
    assert_int_equal(serial_init(&p, BASE, 115200), E_IO);
    mock_hw_reset();
    serial_write(&p, "dropped\n", 8);
    assert_int_equal(serial_getc(&p), -1);
    assert_int_equal(mock_io_count(), 0);
}

static void putc_sends_at_once_when_thr_empty(void **state)
{
    mock_io_default(LSR, 0x60);
    struct serial_port p = ready_port();
    serial_putc(&p, 'K');
    ASSERT_LOG(R(LSR, 0x60), W(THR, 'K'));
}

static void putc_polls_lsr_until_thr_empty(void **state)
{
    mock_io_script(LSR, 0x00);
    mock_io_script(LSR, 0x40); // transmitter-empty alone is not THR empty
    mock_io_script(LSR, 0x01);
    mock_io_script(LSR, 0x20);
    struct serial_port p = ready_port();
    serial_putc(&p, 'x');
    ASSERT_LOG(R(LSR, 0x00), R(LSR, 0x40), R(LSR, 0x01), R(LSR, 0x20), W(THR, 'x'));
}

static void putc_drops_byte_after_poll_limit(void **state)
{
    mock_io_default(LSR, 0x00);
    struct serial_port p = ready_port();
    serial_putc(&p, 'x');
    assert_int_equal(mock_io_count(), SERIAL_POLL_LIMIT);
    assert_int_equal(mock_io_written(THR, NULL, 0), 0);
    assert_true(p.ready);
}

static void putc_after_dropped_byte_sends_next_one(void **state)
{
    mock_io_default(LSR, 0x00);
    struct serial_port p = ready_port();
    serial_putc(&p, 'a');
    mock_io_default(LSR, 0x60);
    serial_putc(&p, 'b');
    uint8_t out[2];
    assert_int_equal(mock_io_written(THR, out, 2), 1);
    assert_int_equal(out[0], 'b');
}

static void flush_returns_at_once_when_the_transmitter_is_empty(void **state)
{
    mock_io_default(LSR, 0x60);
    struct serial_port p = ready_port();
    assert_true(serial_flush(&p, 5));
    ASSERT_LOG(R(LSR, 0x60));
}

// THR empty (bit 5) is not enough: the shift register may still hold a byte; bit 6 says both.
static void flush_polls_until_the_shift_register_is_empty_too(void **state)
{
    mock_io_script(LSR, 0x00);
    mock_io_script(LSR, 0x20);
    mock_io_script(LSR, 0x21);
    mock_io_script(LSR, 0x40);
    struct serial_port p = ready_port();
    assert_true(serial_flush(&p, 4));
    ASSERT_LOG(R(LSR, 0x00), R(LSR, 0x20), R(LSR, 0x21), R(LSR, 0x40));
}

static void flush_gives_up_after_max_polls(void **state)
{
    mock_io_default(LSR, 0x20);
    struct serial_port p = ready_port();
    assert_false(serial_flush(&p, 3));
    ASSERT_LOG(R(LSR, 0x20), R(LSR, 0x20), R(LSR, 0x20));
    mock_hw_reset();
    assert_false(serial_flush(&p, 0));
    assert_int_equal(mock_io_count(), 0);
}

static void flush_of_a_port_that_is_not_ready_reads_nothing(void **state)
{
    struct serial_port p = ready_port();
    p.ready = false;
    assert_false(serial_flush(&p, 5));
    assert_int_equal(mock_io_count(), 0);
}

static void putc_sends_newline_as_cr_lf(void **state)
{
    mock_io_default(LSR, 0x60);
    struct serial_port p = ready_port();
    serial_putc(&p, '\n');
    ASSERT_LOG(R(LSR, 0x60), W(THR, '\r'), R(LSR, 0x60), W(THR, '\n'));
}

static void write_sends_every_byte_in_order(void **state)
{
    mock_io_default(LSR, 0x60);
    struct serial_port p = ready_port();
    serial_write(&p, "a\0b\xff\n", 5);
    uint8_t out[8];
    assert_int_equal(mock_io_written(THR, out, sizeof(out)), 6);
    assert_memory_equal(out, "a\0b\xff\r\n", 6);
}

static void getc_returns_byte_when_data_ready(void **state)
{
    mock_io_script(LSR, 0x61);
    mock_io_script(THR, 'z');
    struct serial_port p = ready_port();
    assert_int_equal(serial_getc(&p), 'z');
    ASSERT_LOG(R(LSR, 0x61), R(THR, 'z'));
}

static void getc_returns_high_byte_as_positive(void **state)
{
    mock_io_script(LSR, 0x01);
    mock_io_script(THR, 0xff);
    struct serial_port p = ready_port();
    assert_int_equal(serial_getc(&p), 0xff);
}

static void getc_returns_minus_one_without_data(void **state)
{
    mock_io_script(LSR, 0x60);
    struct serial_port p = ready_port();
    assert_int_equal(serial_getc(&p), -1);
    ASSERT_LOG(R(LSR, 0x60));
}

static void write_raw_sends_newline_as_it_is(void **state)
{
    mock_io_default(LSR, 0x60);
    struct serial_port p = ready_port();
    serial_write_raw(&p, "a\r\n\x1b", 4);
    ASSERT_LOG(R(LSR, 0x60), W(THR, 'a'), R(LSR, 0x60), W(THR, '\r'), R(LSR, 0x60), W(THR, '\n'),
               R(LSR, 0x60), W(THR, 0x1b));
}

static void write_raw_drops_a_byte_the_transmitter_never_takes(void **state)
{
    mock_io_default(LSR, 0x00);
    struct serial_port p = ready_port();
    serial_write_raw(&p, "x", 1);
    assert_int_equal(mock_io_count(), SERIAL_POLL_LIMIT);
    assert_int_equal(mock_io_written(THR, NULL, 0), 0);
}

static void rx_irq_enable_sets_trigger_level_one_then_ier(void **state)
{
    struct serial_port p = ready_port();
    assert_int_equal(serial_rx_irq_enable(&p), 0);
    ASSERT_LOG(W(FCR, 0x01), W(IER, 0x01));
}

static void rx_irq_disable_clears_ier(void **state)
{
    struct serial_port p = ready_port();
    serial_rx_irq_disable(&p);
    ASSERT_LOG(W(IER, 0x00));
}

static void rx_irq_on_a_port_that_is_not_ready_touches_nothing(void **state)
{
    struct serial_port p = {.base = BASE, .ready = false};
    assert_int_equal(serial_rx_irq_enable(&p), E_IO);
    serial_rx_irq_disable(&p);
    serial_write_raw(&p, "x", 1);
    assert_int_equal(mock_io_count(), 0);
}

static void rx_irq_uses_the_ports_base(void **state)
{
    struct serial_port p = {.base = 0x2f8, .ready = true};
    assert_int_equal(serial_rx_irq_enable(&p), 0);
    serial_rx_irq_disable(&p);
    ASSERT_LOG(W(0x2f8 + 2, 0x01), W(0x2f8 + 1, 0x01), W(0x2f8 + 1, 0x00));
}

static void null_port_panics(void **state)
{
    expect_assert_failure(serial_init(NULL, BASE, 115200));
    assert_non_null(strstr(mock_panic_message(), "serial_init"));
    expect_assert_failure(serial_putc(NULL, 'x'));
    expect_assert_failure(serial_getc(NULL));
    expect_assert_failure(serial_write(NULL, "", 0));
    assert_non_null(strstr(mock_panic_message(), "serial_write"));
    expect_assert_failure(serial_write_raw(NULL, "", 0));
    assert_non_null(strstr(mock_panic_message(), "serial_write_raw"));
    expect_assert_failure(serial_flush(NULL, 1));
    assert_non_null(strstr(mock_panic_message(), "serial_flush"));
    expect_assert_failure(serial_rx_irq_enable(NULL));
    assert_non_null(strstr(mock_panic_message(), "serial_rx_irq_enable"));
    expect_assert_failure(serial_rx_irq_disable(NULL));
    assert_non_null(strstr(mock_panic_message(), "serial_rx_irq_disable"));
    assert_int_equal(mock_io_count(), 0);
}

static void write_with_null_string_and_length_panics(void **state)
{
    struct serial_port p = ready_port();
    expect_assert_failure(serial_write(&p, NULL, 1));
    assert_non_null(strstr(mock_panic_message(), "serial_write"));
    serial_write(&p, NULL, 0); // nothing to send: allowed
    expect_assert_failure(serial_write_raw(&p, NULL, 1));
    assert_non_null(strstr(mock_panic_message(), "serial_write_raw"));
    serial_write_raw(&p, NULL, 0);
    assert_int_equal(mock_io_count(), 0);
}

#define T(name) cmocka_unit_test_setup(name, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(init_at_115200_writes_exact_sequence),
        T(init_at_9600_programs_divisor_12),
        T(init_at_300_puts_divisor_high_byte_in_dlm),
        T(init_uses_the_given_base),
        T(init_waits_for_loopback_byte_to_arrive),
        T(init_rejects_baud_not_dividing_115200_without_io),
        T(init_fails_with_eio_when_loopback_byte_differs),
        T(init_fails_with_eio_on_floating_bus),
        T(init_gives_up_when_loopback_byte_never_arrives),
        T(output_after_failed_init_touches_no_port),
        T(putc_sends_at_once_when_thr_empty),
        T(putc_polls_lsr_until_thr_empty),
        T(putc_drops_byte_after_poll_limit),
        T(putc_after_dropped_byte_sends_next_one),
        T(putc_sends_newline_as_cr_lf),
        T(flush_returns_at_once_when_the_transmitter_is_empty),
        T(flush_polls_until_the_shift_register_is_empty_too),
        T(flush_gives_up_after_max_polls),
        T(flush_of_a_port_that_is_not_ready_reads_nothing),
        T(write_sends_every_byte_in_order),
        T(getc_returns_byte_when_data_ready),
        T(getc_returns_high_byte_as_positive),
        T(getc_returns_minus_one_without_data),
        T(write_raw_sends_newline_as_it_is),
        T(write_raw_drops_a_byte_the_transmitter_never_takes),
        T(rx_irq_enable_sets_trigger_level_one_then_ier),
        T(rx_irq_disable_clears_ier),
        T(rx_irq_on_a_port_that_is_not_ready_touches_nothing),
        T(rx_irq_uses_the_ports_base),
        T(null_port_panics),
        T(write_with_null_string_and_length_panics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
