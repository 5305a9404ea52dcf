// Stand-in for core/cmsdk_uart.c until the cm-core branch lands.
#include "core/cmsdk_uart.h"
#include "core/err.h"
#include "core/hw.h"

int cmsdk_uart_init(struct cmsdk_uart *u, uintptr_t base, uint32_t clock_hz, uint32_t baud)
{
    if (baud == 0 || clock_hz / baud < 16 || clock_hz / baud >= (1u << 20))
        return E_INVAL;
    u->base = base;
    hw_mmio_write32(base + CMSDK_UART_CTRL, 0);
    hw_mmio_write32(base + CMSDK_UART_BAUDDIV, clock_hz / baud);
    hw_mmio_write32(base + CMSDK_UART_CTRL, CMSDK_UART_CTRL_TXEN | CMSDK_UART_CTRL_RXEN);
    u->ready = true;
    return 0;
}

static void put_raw(struct cmsdk_uart *u, char c)
{
    for (uint32_t i = 0; i < CMSDK_UART_POLL_LIMIT; i++) {
        if (!(hw_mmio_read32(u->base + CMSDK_UART_STATE) & CMSDK_UART_STATE_TXF))
            break;
    }
    hw_mmio_write32(u->base + CMSDK_UART_DATA, (uint8_t)c);
}

void cmsdk_uart_putc(struct cmsdk_uart *u, char c)
{
    if (!u->ready)
        return;
    if (c == '\n')
        put_raw(u, '\r');
    put_raw(u, c);
}

void cmsdk_uart_write(struct cmsdk_uart *u, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        cmsdk_uart_putc(u, s[i]);
}

int cmsdk_uart_getc(struct cmsdk_uart *u)
{
    if (!u->ready || !(hw_mmio_read32(u->base + CMSDK_UART_STATE) & CMSDK_UART_STATE_RXF))
        return -1;
    return (int)(hw_mmio_read32(u->base + CMSDK_UART_DATA) & 0xffu);
}

void cmsdk_uart_enable_rx_irq(struct cmsdk_uart *u, bool on)
{
    uint32_t ctrl = hw_mmio_read32(u->base + CMSDK_UART_CTRL);
    ctrl = on ? ctrl | CMSDK_UART_CTRL_RXIRQ : ctrl & ~CMSDK_UART_CTRL_RXIRQ;
    hw_mmio_write32(u->base + CMSDK_UART_CTRL, ctrl);
}

void cmsdk_uart_clear_irq(struct cmsdk_uart *u)
{
    hw_mmio_write32(u->base + CMSDK_UART_INTSTATUS, 0xfu);
}
