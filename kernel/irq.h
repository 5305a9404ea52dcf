// Hardware interrupts through the 8259 PICs at vectors 32-47: per-IRQ handlers, EOI after each,
// spurious IRQ 7/15 recognised; the PIT on IRQ 0 counts ticks and calls the tick hooks.
#pragma once

#include <stdint.h>

#define IRQ_VECTOR_BASE 32
#define IRQ_TIMER       0
#define IRQ_KEYBOARD    1
#define IRQ_TICK_HOOKS  8 // tick hooks installed at once
// The local APIC's spurious-interrupt vector in virtual wire mode (its low 4 bits are 1, as the
// P6's APIC requires).
#define IRQ_APIC_SPURIOUS_VECTOR 0xff

struct apic_found;

// First puts the local APIC, if the firmware left one enabled, in virtual wire mode
// (platform/x86_64/apic.h), so the PICs' interrupts reach the CPU through its LINT0 whatever a
// UEFI firmware left there, saying so on the console when it had to change something. Then
// remaps the PICs to 32/40 (every line masked but IRQ 2, the cascade), programs the PIT at
// timer_hz (falls back to PIT_DEFAULT_HZ with a warning when the rate is impossible), routes the
// 16 vectors here and installs the timer's own handler on IRQ 0 (unmasked). Does not enable
// interrupts.
void irq_init(uint32_t timer_hz);

// Installs the handler of one IRQ (0-15) and unmasks it; NULL masks it again. Handlers run with
// interrupts off; the EOI is sent after the handler returns. irq >= 16 panics; so does replacing
// IRQ 0's timer handler (add a tick hook instead).
void irq_set_handler(unsigned irq, void (*handler)(unsigned irq));

// Adds a function the timer interrupt calls on every tick, after the tick is counted, with the
// tick count (pit_ticks()); hooks run one after another, in no promised order, with interrupts off.
// Returns 0, E_BUSY when IRQ_TICK_HOOKS are installed already, E_INVAL for NULL. Adding a hook
// twice runs it twice.
int irq_add_tick_hook(void (*hook)(uint64_t tick));

// Sets the function every IRQ's handling ends with, after its handler and its EOI, still with
// interrupts off (the scheduler's preemption point: it may switch to another thread, which
// resumes this one there later); NULL removes it.
void irq_set_exit_hook(void (*hook)(void));

// Removes the first installed copy of hook; when it returns, the hook is not running and will not
// run again. Returns 0, or E_NOENT when hook is not installed.
int irq_remove_tick_hook(void (*hook)(uint64_t tick));

// The local APIC as irq_init found it (the firmware's state) and what it did.
const struct apic_found *irq_apic(void);

// Spurious interrupts the local APIC raised (vector IRQ_APIC_SPURIOUS_VECTOR) since boot.
uint64_t irq_apic_spurious_count(void);

// IRQs handled per line since boot (spurious IRQ 7/15 are not counted here but by
// pic_spurious_count). irq >= 16 panics.
uint64_t irq_count(unsigned irq);
