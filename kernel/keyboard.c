// The PS/2 keyboard (see keyboard.h).
#include "kernel/keyboard.h"
#include "core/hw.h"
#include "core/kbd.h"
#include "core/panic.h"
#include "core/ring.h"
#include "kernel/console.h"
#include "kernel/irq.h"

#define PS2_DATA 0x60 // the controller's output buffer: the scancode

static uint32_t slots[KEYBOARD_QUEUE_SIZE];
static struct ring queue;
static struct kbd_decoder decoder;
static uint64_t dropped;

// Interrupt context: read the byte (which also lets the controller send the next one), queue it.
static void keyboard_irq(unsigned irq)
{
    (void)irq;
    uint8_t scancode = hw_inb(PS2_DATA);
    if (!ring_push(&queue, scancode)) {
        dropped++;
        kprintf("WARNING: scancode queue full; dropping keyboard input\n");
    }
}

void keyboard_init(void)
{
    KASSERT(ring_init(&queue, slots, KEYBOARD_QUEUE_SIZE) == 0);
    kbd_init(&decoder);
    irq_set_handler(IRQ_KEYBOARD, keyboard_irq);
}

bool keyboard_pop(uint8_t *scancode)
{
    uint32_t value;
    if (!ring_pop(&queue, &value))
        return false;
    *scancode = (uint8_t)value;
    return true;
}

bool keyboard_has_input(void)
{
    return !ring_is_empty(&queue);
}

unsigned keyboard_echo_pending(void)
{
    unsigned events = 0;
    uint8_t scancode;
    struct kbd_event ev;
    while (keyboard_pop(&scancode)) {
        if (!kbd_feed(&decoder, scancode, &ev))
            continue;
        events++;
        if (!ev.pressed || ev.ch == 0)
            continue;
        if (ev.ch == '\b')
            console_write("\b \b", 3); // back, blank, back: erases on VGA and on a terminal
        else
            console_write(&ev.ch, 1);
    }
    return events;
}

uint64_t keyboard_dropped(void)
{
    return __atomic_load_n(&dropped, __ATOMIC_RELAXED);
}
