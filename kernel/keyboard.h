// The PS/2 keyboard: the IRQ 1 handler only reads the scancode from port 0x60 and queues it (a
// full queue drops the byte, counts it and warns); the main loop decodes the queue with core/kbd
// and echoes typed characters to the console (Enter: newline, Backspace: erase).
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define KEYBOARD_QUEUE_SIZE 100 // scancodes, as the anchor's queue

// Sets up the queue and the decoder and unmasks IRQ 1. Needs irq_init first.
void keyboard_init(void);

// Takes one queued scancode; false when none is waiting.
bool keyboard_pop(uint8_t *scancode);

// Whether scancodes are waiting (the idle loop checks this with interrupts off before halting).
bool keyboard_has_input(void);

// Decodes every queued scancode and echoes the characters; returns how many key events it saw.
unsigned keyboard_echo_pending(void);

// Scancodes dropped because the queue was full, since boot.
uint64_t keyboard_dropped(void);
