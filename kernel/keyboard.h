// The PS/2 keyboard, as the series' "Async/Await" post builds it: the IRQ 1 handler only reads the
// scancode from port 0x60, queues it with the TSC at the interrupt (a full queue drops the byte,
// counts it and warns once until a byte fits again) and wakes the stream's waker. The keyboard
// task reads the stream and decodes with core/kbd. What it does with a key event depends on who
// owns the keyboard: a consumer (the shell, through keyboard_set_consumer) gets every event; with
// none, the task echoes typed characters to the console itself (Enter: newline, Backspace: erase).
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/kbd.h"
#include "core/task/task.h"

#define KEYBOARD_QUEUE_SIZE 100 // scancodes, as the post's queue

// Sets up the scancode queue and the decoder. Install keyboard_irq on IRQ 1 afterwards.
void keyboard_init(void);

// The IRQ 1 handler (for irq_set_handler): reads the scancode, queues it, wakes the stream's waker.
void keyboard_irq(unsigned irq);

// The keyboard task, the queue's one reader: decodes, then hands each event to the consumer or
// echoes (never finishes).
struct task *keyboard_task(void);

// Hands every decoded event (presses and releases) to fn(ctx, event, stamp) from now on, in the
// keyboard task, instead of echoing; stamp is the low 32 bits of the TSC at the interrupt of the
// scancode that completed the event. NULL goes back to echoing. Executor context only.
typedef void (*keyboard_consumer)(void *ctx, const struct kbd_event *ev, uint32_t stamp);
void keyboard_set_consumer(keyboard_consumer fn, void *ctx);

// Scancodes dropped because the queue was full, and scancodes taken from the queue, since boot.
uint64_t keyboard_dropped(void);
uint64_t keyboard_delivered(void);

// Copies the last characters the keyboard task echoed itself (with no consumer) (oldest first, at most cap - 1 of the
// last KEYBOARD_ECHO_LOG, NUL-terminated) into buf; returns how many there are. For tests.
#define KEYBOARD_ECHO_LOG 512
size_t keyboard_echoed(char *buf, size_t cap);
