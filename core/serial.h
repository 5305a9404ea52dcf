// 16550 UART driver over port I/O (core/hw.h): 8N1, FIFOs on, polled transmit, non-blocking
// receive, and the receive interrupt on request. Not thread safe: the caller (kernel/console)
// serialises access to a port.
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define SERIAL_COM1 0x3f8
// The UART's base clock divided by 16: the divisor latch holds SERIAL_BASE_BAUD / baud.
#define SERIAL_BASE_BAUD 115200u
// The most line-status reads one wait makes before giving up: about 10 ms at ISA port speed
// (~1 us a read), longer than one character takes at 1200 baud and above.
#define SERIAL_POLL_LIMIT  10000u
#define SERIAL_FLUSH_POLLS 10000000u // a bound for serial_flush: about a second of status reads
// The byte sent through the loopback self-test (alternating bits).
#define SERIAL_TEST_BYTE 0xae

struct serial_port {
    uint16_t base; // first I/O port of the UART's 8 registers
    bool ready;    // passed the loopback self-test; when false all output is dropped
};

// Programs the UART at `base` for `baud` 8N1 with FIFOs enabled and cleared and all UART
// interrupts disabled, then checks it with a loopback self-test: sends SERIAL_TEST_BYTE with the
// modem control register in loopback mode and waits (up to SERIAL_POLL_LIMIT status reads) to
// read it back. Returns:
//   0        success; the port is in normal operation (DTR, RTS and OUT2 set) and p->ready is true.
//   E_INVAL  baud is 0 or does not divide SERIAL_BASE_BAUD exactly, or the divisor exceeds 16
//            bits (baud 1); no port is touched.
//   E_IO     the byte did not come back (no chip, or a different one); the modem control
//            register is cleared (loopback off, all outputs inactive).
// On any failure p->ready is false, so serial_putc/serial_write drop their bytes and serial_getc
// returns -1. p->base is set in every case. Panics if p is NULL.
int serial_init(struct serial_port *p, uint16_t base, uint32_t baud);

// Sends one byte; '\n' goes out as "\r\n". Before each byte it polls the line status until the
// transmit holding register is empty, calling hw_relax() between polls, at most SERIAL_POLL_LIMIT
// times; if it never empties the byte is dropped (and the next byte waits again). Does nothing if
// the port is not ready. Panics if p is NULL.
void serial_putc(struct serial_port *p, char c);

// serial_putc for each of the len bytes of s (NUL is sent like any byte). Panics if p is NULL, or
// s is NULL while len > 0.
void serial_write(struct serial_port *p, const char *s, size_t len);

// Waits until the transmitter is empty (line status bit 6: the FIFO and the shift register both),
// reading the line status at most max_polls times with hw_relax() between, so the bytes written
// have left the UART before the machine stops (an emulator that exits drops what its UART still
// holds). Returns true when it emptied; false when the port is not ready or max_polls is 0 (no
// register is read) or the bound passed. Panics if p is NULL.
bool serial_flush(struct serial_port *p, uint32_t max_polls);

// serial_write without the newline translation: every byte goes out as it is ("\r\n" stays two
// bytes), for callers that speak to a terminal in its own bytes (the line editor's operations).
// Panics if p is NULL, or s is NULL while len > 0.
void serial_write_raw(struct serial_port *p, const char *s, size_t len);

// Non-blocking read: returns the next received byte (0..255) if one is waiting, else -1; also -1
// when the port is not ready. Panics if p is NULL.
int serial_getc(struct serial_port *p);

// Interrupt-driven receive: the 16550's "received data available" interrupt, which the PC wires
// to IRQ 4 for COM1 (MCR's OUT2, set by serial_init, gates it onto the bus).
// serial_rx_irq_enable first sets the receive FIFO's trigger level to one byte (FCR 0x01: FIFOs
// stay on and nothing is cleared, so bytes already received are kept), so every byte interrupts
// at once instead of after 14 or a 4-character timeout, then enables that one interrupt (IER
// 0x01). Returns 0, or E_IO when the port is not ready (no port is touched).
// The interrupt stays asserted while a byte waits: a handler acknowledges it by reading every
// waiting byte (serial_getc until -1) before its end-of-interrupt, or on an edge-triggered PIC
// the line never drops again and no further interrupt comes. Panics if p is NULL.
int serial_rx_irq_enable(struct serial_port *p);

// Disables every UART interrupt (IER 0); does nothing when the port is not ready. Panics if p is
// NULL.
void serial_rx_irq_disable(struct serial_port *p);
