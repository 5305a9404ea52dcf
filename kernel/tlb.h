// TLB shootdown: when a mapping is removed or changed, every CPU that may hold the old translation
// in its TLB must flush it before the page or its frame is used for something else. The CPU that
// changed the page tables flushes its own TLB (core/paging does, with invlpg); tlb_shootdown then
// asks every other online CPU to flush the same page, with an IPI (SMP_IPI_TLB), and waits until
// each has done it (Intel SDM vol. 3A, 4.10.5 "Propagation of Paging-Structure Changes to
// Multiple Processors").
//
// One shootdown runs at a time. A CPU waiting for its turn serves a request meant for itself in the
// meantime, so two CPUs shooting down at once cannot wait for each other; so does every other wait
// for another CPU with interrupts off (smp_call, smp_ping: tlb_poll). What cannot be served is a
// CPU spinning on a lock with interrupts off while the shooting CPU holds it: so tlb_shootdown must
// be called with no spinlock held (kernel/vm calls it after dropping its own). A CPU that
// has not answered within TLB_TIMEOUT_MS is a bug, and panics, naming it.
#pragma once

#include <stdint.h>

#define TLB_TIMEOUT_MS 1000

// Installs the IPI's handler. Call once, before the other CPUs are started.
void tlb_init(void);

// Flushes the page holding virt from every other online CPU's TLB and returns when all have; with
// one CPU online it returns at once. The caller has flushed its own TLB.
void tlb_shootdown(uint64_t virt);

// Flushes the page of the shootdown in progress if this CPU has not yet: for loops that wait for
// another CPU with interrupts off (the other CPU may be waiting for this one's flush).
void tlb_poll(void);

// Shootdowns sent (from any CPU), and the requests CPU `cpu` has served, since boot.
uint64_t tlb_shootdowns_sent(void);
uint64_t tlb_flushes_served(unsigned cpu);
