// ARM CMSDK APB UART, the mps2 boards' UART, over the door's memory-mapped registers: polled
// transmit, non-blocking receive. (Stand-in until the cm-core branch lands.)
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CMSDK_UART_DATA       0x00u
#define CMSDK_UART_STATE      0x04u
#define CMSDK_UART_CTRL       0x08u
#define CMSDK_UART_INTSTATUS  0x0Cu
#define CMSDK_UART_BAUDDIV    0x10u
#define CMSDK_UART_STATE_TXF  (1u << 0)
#define CMSDK_UART_STATE_RXF  (1u << 1)
#define CMSDK_UART_CTRL_TXEN  (1u << 0)
#define CMSDK_UART_CTRL_RXEN  (1u << 1)
#define CMSDK_UART_CTRL_RXIRQ (1u << 3)
#define CMSDK_UART_POLL_LIMIT 100000u

struct cmsdk_uart {
    uintptr_t base;
    bool ready;
};

// BAUDDIV = clock_hz / baud; E_INVAL when baud is 0 or the divisor is below 16 or above 20 bits.
int cmsdk_uart_init(struct cmsdk_uart *u, uintptr_t base, uint32_t clock_hz, uint32_t baud);
// Sends c ('\n' as "\r\n"), waiting a bounded time for room.
void cmsdk_uart_putc(struct cmsdk_uart *u, char c);
void cmsdk_uart_write(struct cmsdk_uart *u, const char *s, size_t len);
// A received byte, or -1 when nothing waits or the UART is not ready.
int cmsdk_uart_getc(struct cmsdk_uart *u);
void cmsdk_uart_enable_rx_irq(struct cmsdk_uart *u, bool on);
void cmsdk_uart_clear_irq(struct cmsdk_uart *u);
