// ARM CMSDK APB UART: baud divisor, polled transmit, non-blocking receive, receive interrupt.
#include "core/cmsdk_uart.h"
#include "core/err.h"
#include "core/hw.h"
#include "core/panic.h"

// Register offsets from the base (Cortex-M System Design Kit TRM, ARM DDI 0479, APB UART).
#define REG_DATA      0x00 // write: the byte to send; read: the byte received (bits 7:0)
#define REG_STATE     0x04 // buffer full and overrun flags; overrun bits are write-1-to-clear
#define REG_CTRL      0x08 // enables
#define REG_INTSTATUS 0x0c // read: INTSTATUS; write: INTCLEAR (write 1 to clear)
#define REG_BAUDDIV   0x10 // baud rate divisor, 20 bits, at least 16

#define STATE_TX_FULL    (1u << 0) // the transmit buffer holds a byte not yet sent
#define STATE_RX_FULL    (1u << 1) // a received byte waits in DATA
#define STATE_TX_OVERRUN (1u << 2) // a byte was written while the transmit buffer was full
#define STATE_RX_OVERRUN (1u << 3) // a byte arrived while the receive buffer was full

#define CTRL_TX_EN  (1u << 0) // transmitter enable
#define CTRL_RX_EN  (1u << 1) // receiver enable
#define CTRL_RX_IRQ (1u << 3) // receive interrupt enable (bits 2, 4, 5: TX and overrun irqs)

// INTCLEAR bits 0-3: the transmit, receive, transmit overrun and receive overrun interrupts.
#define INT_ALL 0x0fu

static uint32_t reg_read(const struct cmsdk_uart *u, uintptr_t reg)
{
    return hw_mmio_read32(u->base + reg);
}

static void reg_write(const struct cmsdk_uart *u, uintptr_t reg, uint32_t value)
{
    hw_mmio_write32(u->base + reg, value);
}

int cmsdk_uart_init(struct cmsdk_uart *u, uintptr_t base, uint32_t clock_hz, uint32_t baud)
{
    KASSERT(u != NULL);
    u->base = base;
    u->ready = false;
    if (baud == 0)
        return E_INVAL;
    uint32_t div = clock_hz / baud;
    if (div < CMSDK_UART_BAUDDIV_MIN || div > CMSDK_UART_BAUDDIV_MAX)
        return E_INVAL;
    reg_write(u, REG_CTRL, 0);                                    // CTRL: everything off first
    reg_write(u, REG_BAUDDIV, div);                               // BAUDDIV: the divisor
    reg_write(u, REG_STATE, STATE_TX_OVERRUN | STATE_RX_OVERRUN); // STATE: clear both overruns
    reg_write(u, REG_INTSTATUS, INT_ALL);                         // INTCLEAR: nothing pending
    reg_write(u, REG_CTRL, CTRL_TX_EN | CTRL_RX_EN);              // CTRL: TX and RX on, irqs off
    u->ready = true;
    return 0;
}

static void put_raw(const struct cmsdk_uart *u, uint8_t b)
{
    for (unsigned i = 0; i < CMSDK_UART_POLL_LIMIT; i++) {
        if (!(reg_read(u, REG_STATE) & STATE_TX_FULL)) { // STATE bit 0: room for a byte
            reg_write(u, REG_DATA, b);                   // DATA: send it
            return;
        }
        hw_relax();
    }
}

void cmsdk_uart_putc(struct cmsdk_uart *u, char c)
{
    KASSERT(u != NULL);
    if (!u->ready)
        return;
    if (c == '\n')
        put_raw(u, '\r');
    put_raw(u, (uint8_t)c);
}

void cmsdk_uart_write(struct cmsdk_uart *u, const char *s, size_t len)
{
    KASSERT(u != NULL);
    KASSERT(s != NULL || len == 0);
    for (size_t i = 0; i < len; i++)
        cmsdk_uart_putc(u, s[i]);
}

int cmsdk_uart_getc(struct cmsdk_uart *u)
{
    KASSERT(u != NULL);
    if (!u->ready)
        return -1;
    if (!(reg_read(u, REG_STATE) & STATE_RX_FULL)) // STATE bit 1: a byte has arrived
        return -1;
    return (int)(reg_read(u, REG_DATA) & 0xffu); // DATA bits 7:0; the read empties the buffer
}

void cmsdk_uart_enable_rx_irq(struct cmsdk_uart *u, bool on)
{
    KASSERT(u != NULL);
    if (!u->ready)
        return;
    uint32_t ctrl = reg_read(u, REG_CTRL);
    reg_write(u, REG_CTRL, on ? ctrl | CTRL_RX_IRQ : ctrl & ~CTRL_RX_IRQ); // CTRL bit 3
}

void cmsdk_uart_clear_irq(struct cmsdk_uart *u)
{
    KASSERT(u != NULL);
    if (!u->ready)
        return;
    reg_write(u, REG_INTSTATUS, INT_ALL); // INTCLEAR: TX, RX, TX overrun, RX overrun
}
