// 16550 UART driver: line setup, loopback self-test, polled transmit and non-blocking receive.
#include "core/serial.h"
#include "core/err.h"
#include "core/hw.h"
#include "core/panic.h"

// Register offsets from the base port (16550 datasheet; OSDev "Serial Ports"). With LCR bit 7
// (DLAB) set, offsets 0 and 1 are the divisor latch instead of THR/RBR and IER.
#define REG_DATA 0 // THR on write, RBR on read (DLAB 0); DLL, divisor low byte (DLAB 1)
#define REG_IER  1 // interrupt enable (DLAB 0); DLM, divisor high byte (DLAB 1)
#define REG_FCR  2 // FIFO control (write only)
#define REG_LCR  3 // line control
#define REG_MCR  4 // modem control
#define REG_LSR  5 // line status

#define IER_NONE 0x00 // bits 0-3: received data, THR empty, line status, modem status: all off
#define IER_RX   0x01 // bit 0 alone: "received data available" (and the FIFO's timeout) on

#define LCR_DLAB 0x80 // bit 7: divisor latch access
#define LCR_8N1  0x03 // bits 0-1 = 11: 8 data bits; bit 2 = 0: 1 stop bit; bits 3-5 = 0: no parity

// bit 0 enables both FIFOs, bits 1 and 2 clear the receive and transmit FIFOs (self-clearing),
// bits 6-7 = 11: receive interrupt trigger level 14 bytes.
#define FCR_ENABLE_CLEAR_14 0xc7
// bit 0 keeps both FIFOs on (no clear bits: what they hold stays), bits 6-7 = 00: receive
// interrupt trigger level 1 byte.
#define FCR_ENABLE_TRIGGER_1 0x01

#define MCR_DTR  0x01 // bit 0: data terminal ready
#define MCR_RTS  0x02 // bit 1: request to send
#define MCR_OUT2 0x08 // bit 3: on PCs, gates the UART's interrupt line onto the ISA bus
#define MCR_LOOP 0x10 // bit 4: loopback, transmitter wired to receiver inside the chip
// Normal operation. OUT1 (bit 2) is left clear: PCs do not use it. OUT2 is set so that enabling
// the receive interrupt in IER later is enough to get IRQs.
#define MCR_NORMAL (MCR_DTR | MCR_RTS | MCR_OUT2)
// Self-test: loopback only; the modem outputs are not needed for the data path.
#define MCR_TEST MCR_LOOP

#define LSR_DATA_READY 0x01 // bit 0: a received byte is in RBR / the receive FIFO
#define LSR_THR_EMPTY  0x20 // bit 5: the transmit holding register (or FIFO) can take a byte
#define LSR_TX_EMPTY   0x40 // bit 6: the FIFO and the shift register are both empty

// Polls the line status register until one of `bits` is set, at most SERIAL_POLL_LIMIT reads.
static bool wait_lsr(const struct serial_port *p, uint8_t bits)
{
    for (unsigned i = 0; i < SERIAL_POLL_LIMIT; i++) {
        if (hw_inb((uint16_t)(p->base + REG_LSR)) & bits)
            return true;
        hw_relax();
    }
    return false;
}

static void reg_write(const struct serial_port *p, unsigned reg, uint8_t value)
{
    hw_outb((uint16_t)(p->base + reg), value);
}

static void program_line(const struct serial_port *p, uint16_t divisor)
{
    reg_write(p, REG_IER, IER_NONE);                   // IER: no UART interrupts
    reg_write(p, REG_LCR, LCR_DLAB);                   // LCR bit 7: expose the divisor latch
    reg_write(p, REG_DATA, (uint8_t)(divisor & 0xff)); // DLL: divisor low byte
    reg_write(p, REG_IER, (uint8_t)(divisor >> 8));    // DLM: divisor high byte
    reg_write(p, REG_LCR, LCR_8N1);                    // LCR: 8N1, DLAB back to 0
    reg_write(p, REG_FCR, FCR_ENABLE_CLEAR_14);        // FCR: FIFOs on and emptied
}

static bool loopback_ok(const struct serial_port *p)
{
    reg_write(p, REG_MCR, MCR_TEST);          // MCR bit 4: loopback
    reg_write(p, REG_DATA, SERIAL_TEST_BYTE); // THR: the test byte
    if (!wait_lsr(p, LSR_DATA_READY))         // LSR bit 0: it has arrived in RBR
        return false;
    return hw_inb((uint16_t)(p->base + REG_DATA)) == SERIAL_TEST_BYTE;
}

int serial_init(struct serial_port *p, uint16_t base, uint32_t baud)
{
    KASSERT(p != NULL);
    p->base = base;
    p->ready = false;
    if (baud == 0 || SERIAL_BASE_BAUD % baud != 0 || SERIAL_BASE_BAUD / baud > 0xffff)
        return E_INVAL;
    program_line(p, (uint16_t)(SERIAL_BASE_BAUD / baud));
    if (!loopback_ok(p)) {
        reg_write(p, REG_MCR, 0); // MCR: loopback off, DTR/RTS/OUT1/OUT2 inactive
        return E_IO;
    }
    reg_write(p, REG_MCR, MCR_NORMAL); // MCR: loopback off, DTR | RTS | OUT2
    p->ready = true;
    return 0;
}

static void put_raw(const struct serial_port *p, uint8_t b)
{
    if (wait_lsr(p, LSR_THR_EMPTY)) // LSR bit 5: THR can take a byte
        reg_write(p, REG_DATA, b);  // THR: send it
}

void serial_putc(struct serial_port *p, char c)
{
    KASSERT(p != NULL);
    if (!p->ready)
        return;
    if (c == '\n')
        put_raw(p, '\r');
    put_raw(p, (uint8_t)c);
}

bool serial_flush(struct serial_port *p, uint32_t max_polls)
{
    KASSERT(p != NULL);
    if (!p->ready)
        return false;
    for (uint32_t i = 0; i < max_polls; i++) {
        if (hw_inb((uint16_t)(p->base + REG_LSR)) & LSR_TX_EMPTY)
            return true;
        hw_relax();
    }
    return false;
}

void serial_write(struct serial_port *p, const char *s, size_t len)
{
    KASSERT(p != NULL);
    KASSERT(s != NULL || len == 0);
    for (size_t i = 0; i < len; i++)
        serial_putc(p, s[i]);
}

void serial_write_raw(struct serial_port *p, const char *s, size_t len)
{
    KASSERT(p != NULL);
    KASSERT(s != NULL || len == 0);
    if (!p->ready)
        return;
    for (size_t i = 0; i < len; i++)
        put_raw(p, (uint8_t)s[i]);
}

int serial_rx_irq_enable(struct serial_port *p)
{
    KASSERT(p != NULL);
    if (!p->ready)
        return E_IO;
    reg_write(p, REG_FCR, FCR_ENABLE_TRIGGER_1); // FCR: FIFOs on, interrupt at 1 byte received
    reg_write(p, REG_IER, IER_RX);               // IER bit 0: received data available
    return 0;
}

void serial_rx_irq_disable(struct serial_port *p)
{
    KASSERT(p != NULL);
    if (p->ready)
        reg_write(p, REG_IER, IER_NONE); // IER: no UART interrupts
}

int serial_getc(struct serial_port *p)
{
    KASSERT(p != NULL);
    if (!p->ready)
        return -1;
    if (!(hw_inb((uint16_t)(p->base + REG_LSR)) & LSR_DATA_READY)) // LSR bit 0: data ready
        return -1;
    return hw_inb((uint16_t)(p->base + REG_DATA)); // RBR: the byte
}
