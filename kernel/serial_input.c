// Input from the serial line (see serial_input.h).
#include "kernel/serial_input.h"
#include "core/hw.h"
#include "core/panic.h"
#include "core/ring.h"
#include "kernel/console.h"
#include "platform/x86_64/cpu.h"

// Two rings filled and emptied in step: the byte and its time stamp. The handler pushes the byte
// first and its stamp only when the byte fitted; the reader pops the stamp first. So the stamps
// never outnumber the bytes, and a stamp push after a byte push that fitted always fits too.
static uint32_t byte_slots[SERIAL_INPUT_QUEUE_SIZE], stamp_slots[SERIAL_INPUT_QUEUE_SIZE];
static struct ring bytes, stamps;
static bool queue_ready;    // the rings are set up
static struct waker reader; // written with interrupts off, read by the IRQ handler
static volatile bool held;  // the test runner awaits an answer: the reader gets nothing
static uint64_t received, dropped;

int serial_input_init(void)
{
    KASSERT(ring_init(&bytes, byte_slots, SERIAL_INPUT_QUEUE_SIZE) == 0);
    KASSERT(ring_init(&stamps, stamp_slots, SERIAL_INPUT_QUEUE_SIZE) == 0);
    queue_ready = true;
    return console_serial_rx_irq(true);
}

// Interrupt context: read until the UART has nothing left (the interrupt line drops only then).
void serial_input_irq(unsigned irq)
{
    (void)irq;
    uint32_t stamp = (uint32_t)cpu_rdtsc();
    int c;
    while ((c = console_serial_getc()) >= 0) {
        if (!ring_push(&bytes, (uint32_t)c)) {
            dropped++;
            continue;
        }
        KASSERT(ring_push(&stamps, stamp));
        received++;
    }
    if (reader.ex != NULL && !held)
        (void)waker_wake_from_irq(&reader); // a full ready queue: woken by a later byte
}

static bool take(uint8_t *byte, uint32_t *stamp)
{
    uint32_t v;
    if (held || !ring_pop(&stamps, stamp))
        return false;
    KASSERT(ring_pop(&bytes, &v));
    *byte = (uint8_t)v;
    return true;
}

enum poll_result serial_input_poll(const struct waker *w, uint8_t *byte, uint32_t *stamp)
{
    KASSERT(w != NULL && byte != NULL && stamp != NULL && queue_ready);
    if (take(byte, stamp))
        return POLL_READY;
    unsigned long flags = hw_irq_save();
    reader = *w;
    hw_irq_restore(flags);
    return take(byte, stamp) ? POLL_READY : POLL_PENDING;
}

int serial_input_getc(void)
{
    unsigned long flags = hw_irq_save(); // the handler cannot move a byte between the two looks
    uint32_t stamp, v;
    int c;
    if (queue_ready && ring_pop(&stamps, &stamp)) {
        KASSERT(ring_pop(&bytes, &v));
        c = (int)v;
    } else {
        c = console_serial_getc();
    }
    hw_irq_restore(flags);
    return c;
}

void serial_input_hold(bool on)
{
    held = on;
    unsigned long flags = hw_irq_save();
    struct waker w = reader;
    hw_irq_restore(flags);
    if (!on && w.ex != NULL)
        (void)waker_wake(&w);
}

uint64_t serial_input_received(void)
{
    return __atomic_load_n(&received, __ATOMIC_RELAXED);
}

uint64_t serial_input_dropped(void)
{
    return __atomic_load_n(&dropped, __ATOMIC_RELAXED);
}
