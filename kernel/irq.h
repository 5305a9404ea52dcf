// Hardware interrupts through the 8259 PICs at vectors 32-47: per-IRQ handlers, EOI after each,
// spurious IRQ 7/15 recognised; the PIT on IRQ 0 counts ticks.
#pragma once

#include <stdint.h>

#define IRQ_VECTOR_BASE 32
#define IRQ_TIMER       0
#define IRQ_KEYBOARD    1

// Remaps the PICs to 32/40, programs the PIT at timer_hz (falls back to PIT_DEFAULT_HZ with a
// warning when the rate is impossible), routes the 16 vectors here and unmasks the timer. Does
// not enable interrupts.
void irq_init(uint32_t timer_hz);

// Installs the handler of one IRQ (0-15) and unmasks it; NULL masks it again. Handlers run with
// interrupts off; the EOI is sent after the handler returns.
void irq_set_handler(unsigned irq, void (*handler)(unsigned irq));

// Called on every timer tick after the tick is counted (NULL: none). For scenarios and, later,
// timers.
void irq_set_timer_hook(void (*hook)(uint64_t tick));

// IRQs handled per line since boot (spurious IRQ 7/15 are not counted here but by
// pic_spurious_count).
uint64_t irq_count(unsigned irq);
