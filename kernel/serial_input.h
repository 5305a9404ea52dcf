// Input from the serial line, the way kernel/keyboard.c takes the PS/2 keyboard's: COM1's receive
// interrupt (IRQ 4) reads every byte the UART holds, queues it with the TSC at the interrupt (its
// time stamp, for the keystroke-to-echo latency) and wakes the stream's reader; a full queue drops
// the byte and counts it. The stream has one reader, a task (the shell), which polls it.
//
// The QEMU test runner answers its requests over the same line, read by polling
// (serial_input_getc): while such an answer is awaited the runner's code holds the stream
// (serial_input_hold), so the task does not eat it.
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "core/task/task.h"

#define SERIAL_INPUT_QUEUE_SIZE 256 // bytes; a pasted line fits several times
#define IRQ_COM1                4

// Sets up the queue and turns on COM1's receive interrupt (install serial_input_irq on IRQ_COM1
// afterwards). Returns 0, or E_IO when there is no working COM1: then nothing will arrive.
int serial_input_init(void);

// The IRQ 4 handler (for irq_set_handler): drains the UART into the queue (which acknowledges the
// interrupt), then wakes the stream's reader unless the stream is held.
void serial_input_irq(unsigned irq);

// The stream's poll, for its one reader task: POLL_READY with the oldest byte in *byte and the low
// 32 bits of the TSC at its interrupt in *stamp, or POLL_PENDING after registering w to be woken
// by the next byte (tries the queue, registers, tries again, so no byte slips in between). While
// the stream is held it registers w and returns POLL_PENDING. Panics on NULL arguments.
enum poll_result serial_input_poll(const struct waker *w, uint8_t *byte, uint32_t *stamp);

// For a polled reader (the test runner's answers): the oldest byte of the queue, else one straight
// from the UART (so it works before serial_input_init and with interrupts off), else -1.
int serial_input_getc(void);

// Holds (true) or releases (false) the stream: see above. Releasing wakes the reader, which may
// have bytes waiting.
void serial_input_hold(bool on);

// Bytes queued, and dropped because the queue was full, since boot.
uint64_t serial_input_received(void);
uint64_t serial_input_dropped(void);
