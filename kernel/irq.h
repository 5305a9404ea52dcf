// Hardware interrupts at vectors 32-47, ISA IRQ n at 32 + n, by one of two paths (docs/interrupts.md):
// through the I/O APIC (kernel/irq_apic.h) with the local APIC timer as the tick on vector 32,
// when the MADT lists an I/O APIC; else through the 8259 PICs with the PIT on IRQ 0. Per-IRQ
// handlers, the EOI after each (to the local APIC or the PICs), spurious IRQ 7/15 of the PICs
// recognised; the tick (counted by pit_tick, as IRQ 0 in irq_count) calls the tick hooks.
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "core/lapic.h"

#define IRQ_VECTOR_BASE 32
#define IRQ_TIMER       0
#define IRQ_KEYBOARD    1
#define IRQ_TICK_HOOKS  8 // tick hooks installed at once
// The local APIC's spurious-interrupt vector in virtual wire mode (its low 4 bits are 1, as the
// P6's APIC requires).
#define IRQ_APIC_SPURIOUS_VECTOR 0xff
// The other CPUs' own local APIC timer ticks (irq_start_local_timer).
#define IRQ_LOCAL_TIMER_VECTOR 0xef

struct apic_found;

// First puts the local APIC, if the firmware left one enabled, in virtual wire mode
// (platform/x86_64/apic.h), so the PICs' interrupts reach the CPU through its LINT0 whatever a
// UEFI firmware left there, saying so on the console when it had to change something. Then
// remaps the PICs to 32/40 (every line masked but IRQ 2, the cascade), programs the PIT at
// timer_hz (falls back to PIT_DEFAULT_HZ with a warning when the rate is impossible) and routes
// the 16 vectors here. Then, unless the command line says irq=pic, it tries the I/O APIC path
// (irq_apic_init: it polls the PIT for 50 ms to measure the local APIC timer and makes that timer
// the tick at the PIT's rate; with irq=pit the PIT stays the tick, through its I/O APIC pin); when
// that path is not possible (no MADT or I/O APIC, and the reasons irq_apic_init gives, with a
// warning for those) the PIT ticks on IRQ 0 through the PICs. Prints one line saying which path,
// the tick's rate and, for the I/O APIC, the timer's measured rate and divisor and each routed
// IRQ's pin. Does not enable interrupts.
void irq_init(uint32_t timer_hz);

// Installs the handler of one IRQ (0-15) and unmasks it (at the PICs, or its I/O APIC pin, routed
// then if irq_init did not; a warning when no pin has it); NULL masks it again. Handlers run with
// interrupts off; the EOI is sent after the handler returns. irq >= 16 panics; so does replacing
// IRQ 0's timer handler (add a tick hook instead).
void irq_set_handler(unsigned irq, void (*handler)(unsigned irq));

// Adds a function the timer interrupt calls on every tick, after the tick is counted, with the
// tick count (pit_ticks()); hooks run one after another, in no promised order, with interrupts off.
// Returns 0, E_BUSY when IRQ_TICK_HOOKS are installed already, E_INVAL for NULL. Adding a hook
// twice runs it twice.
int irq_add_tick_hook(void (*hook)(uint64_t tick));

// Starts the calling CPU's local APIC timer (`lapic` is how it reaches its own APIC) periodic at
// the boot CPU's tick rate, with the divide and initial count irq_init calibrated, on
// IRQ_LOCAL_TIMER_VECTOR. Each of its interrupts calls `hook` (interrupts off), sends the EOI to
// that CPU's APIC and ends with the exit hook, as an IRQ does: the other CPUs' own scheduler tick.
// It does not count as a tick of the kernel's clock (pit_ticks), which the boot CPU's tick alone
// advances. Returns false, starting nothing, when the tick is not the local APIC timer (the 8259
// path, or irq=pit). For the other CPUs, once each, with interrupts off; lapic and hook must not
// be NULL (KASSERT).
bool irq_start_local_timer(const struct lapic_io *lapic, void (*hook)(void));

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
