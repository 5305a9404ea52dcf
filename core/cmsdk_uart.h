// ARM CMSDK APB UART driver (the UART of the mps2 boards' Cortex-M designs) over memory-mapped
// registers (core/hw.h): always 8N1, no FIFO, polled transmit and non-blocking receive, the
// receive interrupt for later interactive work. Not thread safe: the caller serialises access to
// a UART.
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

// The divisors BAUDDIV takes: at least 16 (Cortex-M System Design Kit TRM, ARM DDI 0479; QEMU's
// model ignores a smaller one and logs a guest error when TX is enabled with it), at most its 20
// bits. Nothing is sent while CTRL's TX enable is clear; init writes BAUDDIV before it sets it.
#define CMSDK_UART_BAUDDIV_MIN 16u
#define CMSDK_UART_BAUDDIV_MAX 0xfffffu
// The most STATE reads one wait for room in the transmit buffer makes before it gives up and
// drops the byte: about 4 ms at 25 MHz and some 10 cycles a read, longer than one character takes
// at 4800 baud and above.
#define CMSDK_UART_POLL_LIMIT 10000u

struct cmsdk_uart {
    uintptr_t base; // the address of the UART's first register (DATA)
    bool ready;     // initialised; when false all output is dropped and nothing is read
};

// Programs the UART at `base` for `baud`, from a peripheral clock of clock_hz: with the UART
// disabled (CTRL 0) it writes BAUDDIV = clock_hz / baud (rounded down), clears the overrun flags
// (STATE) and every pending interrupt (INTCLEAR), then enables the transmitter and the receiver
// with every interrupt off (CTRL = TX enable | RX enable). The chip has no loopback mode, so
// unlike serial_init nothing checks that it is there. Returns:
//   0        success; u->ready is true.
//   E_INVAL  baud is 0, or clock_hz / baud is below CMSDK_UART_BAUDDIV_MIN or above
//            CMSDK_UART_BAUDDIV_MAX; no register is touched and u->ready is false.
// u->base is set in every case. Panics if u is NULL.
int cmsdk_uart_init(struct cmsdk_uart *u, uintptr_t base, uint32_t clock_hz, uint32_t baud);

// Sends one byte; '\n' goes out as "\r\n". Before each byte it polls STATE until the transmit
// buffer is not full (bit 0 clear), calling hw_relax() between polls, at most
// CMSDK_UART_POLL_LIMIT times; if it stays full the byte is dropped (and the next byte waits
// again). Does nothing if the UART is not ready. Panics if u is NULL.
void cmsdk_uart_putc(struct cmsdk_uart *u, char c);

// cmsdk_uart_putc for each of the len bytes of s (NUL is sent like any byte). Panics if u is NULL,
// or s is NULL while len > 0.
void cmsdk_uart_write(struct cmsdk_uart *u, const char *s, size_t len);

// Non-blocking read: returns the received byte (0..255) if one waits (STATE bit 1, the receive
// buffer full; reading DATA empties it), else -1; also -1 when the UART is not ready. Panics if u
// is NULL.
int cmsdk_uart_getc(struct cmsdk_uart *u);

// Turns the receive interrupt on or off (CTRL bit 3, read-modify-write: the other CTRL bits are
// kept). Does nothing if the UART is not ready. Panics if u is NULL.
void cmsdk_uart_enable_rx_irq(struct cmsdk_uart *u, bool on);

// Clears every pending UART interrupt: writes INTCLEAR bits 0-3 (transmit, receive, transmit
// overrun, receive overrun; clearing an overrun interrupt also clears its STATE flag). For the
// interrupt handler, after it has read what waits. Does nothing if the UART is not ready. Panics
// if u is NULL.
void cmsdk_uart_clear_irq(struct cmsdk_uart *u);
