// The PS/2 keyboard, as the series' "Async/Await" post builds it: the IRQ 1 handler only reads the
// scancode from port 0x60, queues it (a full queue drops the byte, counts it and warns once until a
// byte fits again) and wakes the stream's waker. The keyboard task reads the stream, decodes with
// core/kbd and echoes typed characters to the console (Enter: newline, Backspace: erase).
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/task/task.h"

#define KEYBOARD_QUEUE_SIZE 100 // scancodes, as the post's queue

// Sets up the scancode queue and the decoder. Install keyboard_irq on IRQ 1 afterwards.
void keyboard_init(void);

// The IRQ 1 handler (for irq_set_handler): reads the scancode, queues it, wakes the stream's waker.
void keyboard_irq(unsigned irq);

// The keyboard task, the queue's one reader: decodes and echoes (never finishes).
struct task *keyboard_task(void);

// Scancodes dropped because the queue was full, and scancodes taken from the queue, since boot.
uint64_t keyboard_dropped(void);
uint64_t keyboard_delivered(void);

// Copies the last characters the keyboard task echoed (oldest first, at most cap - 1 of the
// last KEYBOARD_ECHO_LOG, NUL-terminated) into buf; returns how many there are. For tests.
#define KEYBOARD_ECHO_LOG 512
size_t keyboard_echoed(char *buf, size_t cap);
