// Interrupt and exception dispatch: every vector goes to its registered handler; exceptions
// without one are reported (name, vector, error code, the CPU's frame, CR2 and decoded bits for
// page faults) and, except for the breakpoint, end in a panic.
#pragma once

#include <stdint.h>

#include "platform/x86_64/trap_frame.h"

// Installs `handler` for `vector` (NULL restores the default). Handlers run with interrupts off,
// on the interrupted stack (or the gate's IST stack). vector >= 256 panics.
void trap_set_handler(unsigned vector, void (*handler)(struct trap_frame *frame));

// The last exception that went to the default handler, for tests and post-mortems.
struct trap_record {
    uint64_t vector, error_code, rip;
    uint64_t cr2;    // CR2 at the time: the faulting address of the last page fault
    uintptr_t frame; // where the trap frame was: tells which stack the handler ran on
    uint64_t count;  // exceptions reported since boot
    unsigned cpu;    // the index of the CPU it happened on (platform/x86_64/percpu.h)
};
const struct trap_record *trap_last(void);
