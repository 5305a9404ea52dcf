// The PS/2 keyboard (see keyboard.h).
#include "kernel/keyboard.h"
#include "core/hw.h"
#include "core/kbd.h"
#include "core/panic.h"
#include "core/ring.h"
#include "kernel/console.h"
#include "platform/x86_64/cpu.h"

#define PS2_DATA 0x60 // the controller's output buffer: the scancode
#define PER_POLL 32   // scancodes one poll handles before letting other tasks run

// Two rings in step, as kernel/serial_input.c's: the scancode (pushed first, popped second) and
// the TSC at its interrupt (pushed only when the scancode fitted, popped first).
static uint32_t slots[KEYBOARD_QUEUE_SIZE], stamp_slots[KEYBOARD_QUEUE_SIZE];
static struct ring queue, stamps;
static struct waker stream_waker; // written with interrupts off, read by the IRQ handler
static uint64_t dropped, delivered;
static bool warned; // one warning per overflow, not one per dropped byte
static char echo_log[KEYBOARD_ECHO_LOG];
static size_t echo_count;

static struct kbd_decoder decoder;
static keyboard_consumer consumer;
static void *consumer_ctx;

// Interrupt context: read the byte (which also lets the controller send the next one), queue it,
// wake the reader.
void keyboard_irq(unsigned irq)
{
    (void)irq;
    uint32_t stamp = (uint32_t)cpu_rdtsc();
    uint8_t scancode = hw_inb(PS2_DATA);
    if (!ring_push(&queue, scancode)) {
        dropped++;
        if (!warned)
            kprintf("WARNING: scancode queue full; dropping keyboard input\n");
        warned = true;
        return;
    }
    KASSERT(ring_push(&stamps, stamp));
    warned = false;
    if (stream_waker.ex != NULL)
        (void)waker_wake_from_irq(&stream_waker); // a full ready queue: the task is woken later
}

void keyboard_init(void)
{
    KASSERT(ring_init(&queue, slots, KEYBOARD_QUEUE_SIZE) == 0);
    KASSERT(ring_init(&stamps, stamp_slots, KEYBOARD_QUEUE_SIZE) == 0);
    kbd_init(&decoder);
}

static bool take(uint8_t *out, uint32_t *stamp)
{
    uint32_t v;
    if (!ring_pop(&stamps, stamp))
        return false;
    KASSERT(ring_pop(&queue, &v));
    delivered++;
    *out = (uint8_t)v;
    return true;
}

// The scancode stream's poll: POLL_READY with the next scancode in *out (and its interrupt's time
// stamp in *stamp), or POLL_PENDING after
// registering w to be woken by the next scancode (it tries the queue, registers, tries again, so a
// scancode that arrives in between is not missed).
static enum poll_result stream_poll(const struct waker *w, uint8_t *out, uint32_t *stamp)
{
    if (take(out, stamp))
        return POLL_READY;
    unsigned long flags = hw_irq_save();
    stream_waker = *w;
    hw_irq_restore(flags);
    // A scancode that arrived before the waker was stored woke nobody: look once more.
    return take(out, stamp) ? POLL_READY : POLL_PENDING;
}

static void echo(char c)
{
    echo_log[echo_count++ % KEYBOARD_ECHO_LOG] = c;
    if (c == '\b')
        console_write("\b \b", 3); // back, blank, back: erases on VGA and on a terminal
    else
        console_write(&c, 1);
}

static enum poll_result keyboard_poll(struct task *t, const struct waker *w)
{
    (void)t;
    uint8_t scancode;
    uint32_t stamp;
    for (int n = 0; n < PER_POLL; n++) {
        if (stream_poll(w, &scancode, &stamp) == POLL_PENDING)
            return POLL_PENDING;
        struct kbd_event ev;
        if (!kbd_feed(&decoder, scancode, &ev))
            continue;
        if (consumer != NULL)
            consumer(consumer_ctx, &ev, stamp);
        else if (ev.pressed && ev.ch != 0)
            echo(ev.ch);
    }
    (void)waker_wake(w); // more may be queued: come back after the other ready tasks
    return POLL_PENDING;
}

static struct task keyboard = {.poll = keyboard_poll};

struct task *keyboard_task(void)
{
    return &keyboard;
}

void keyboard_set_consumer(keyboard_consumer fn, void *ctx)
{
    consumer = fn;
    consumer_ctx = ctx;
}

uint64_t keyboard_dropped(void)
{
    return __atomic_load_n(&dropped, __ATOMIC_RELAXED);
}

uint64_t keyboard_delivered(void)
{
    return delivered;
}

size_t keyboard_echoed(char *buf, size_t cap)
{
    size_t n = echo_count < KEYBOARD_ECHO_LOG ? echo_count : KEYBOARD_ECHO_LOG;
    if (cap == 0)
        return n;
    size_t take_n = n < cap - 1 ? n : cap - 1;
    for (size_t i = 0; i < take_n; i++)
        buf[i] = echo_log[(echo_count - take_n + i) % KEYBOARD_ECHO_LOG];
    buf[take_n] = '\0';
    return n;
}
