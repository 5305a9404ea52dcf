// The other CPUs: started at boot with INIT-SIPI-SIPI through the real-mode trampoline
// (platform/x86_64/trampoline.S), one at a time, each with its own GDT, TSS, IST stacks, kernel
// stack and struct percpu (platform/x86_64/percpu.h), then idling with interrupts on; and the
// fixed IPIs the boot CPU sends them (a ping that measures the round trip, a function call).
// docs/smp.md describes the sequence and the memory each CPU gets.
//
// Locking: smp_init runs once on the boot CPU before interrupts are on. smp_ping and smp_call
// take one IRQ-saving lock for the whole exchange, so callers on any CPU are serialised.
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "core/bootinfo.h"

#define SMP_IPI_PING 0xf0 // the target counts it (percpu ipis) and returns
#define SMP_IPI_CALL 0xf1 // the target runs the function smp_call left in its percpu
#define SMP_IPI_TLB  0xf2 // the target flushes the page a TLB shootdown names (kernel/tlb.h)
#define SMP_IPI_STOP 0xf4 // the target stops for good (smp_stop_others)

// Every AP's stacks live in a slot of SMP_STACK_SLOT bytes at SMP_STACKS_BASE + index * slot
// (PML4 slot 353, clear of the direct map, the heap, the thread stacks and the framebuffer window): a guard page,
// its kernel stack, then for each IST stack a guard page and the stack. Guards are never mapped.
#define SMP_STACKS_BASE 0xffffb08000000000ull
#define SMP_STACK_SLOT  (128u * 1024)
#define SMP_STACK_SIZE  (16u * 1024)
#define SMP_GUARD_SIZE  4096u

#define SMP_AP_TIMEOUT_MS 1000 // an AP not online this long after its second SIPI is skipped
// A ping or call unanswered this long fails with E_IO (generous: a called function may print, and
// a framebuffer scroll under TCG is slow).
#define SMP_IPI_TIMEOUT_MS 1000
#define SMP_PING_ROUNDS    16 // pings per AP for the boot line's round-trip figures

// Starts every enabled CPU the MADT lists, up to PERCPU_MAX in all (the others are reported and
// left in wait-for-SIPI), unless the command line says smp=off or nosmp. Prints "smp: N of M CPUs
// online (APIC ids ...)" with the time it took, each AP's start-up time, and the IPI round trip.
// A CPU that does not report in within SMP_AP_TIMEOUT_MS is reported, sent INIT again (parked)
// and skipped; the trampoline page not being usable RAM, or the kernel's PML4 lying above 4 GiB,
// keeps the boot CPU alone with a message saying so. Each AP's APIC raises its spurious
// interrupts on spurious_vector (the boot CPU's, whose handler kernel/irq installs). Call once,
// after acpi_tables_init and irq_init (the PIT times the waits), with interrupts off.
void smp_init(const struct boot_info *bi, uint8_t spurious_vector);

// CPUs online (1 before smp_init) and enabled CPUs the MADT lists (1 without a MADT).
unsigned smp_cpus_online(void);
unsigned smp_cpus_listed(void);

// The TSC rate smp_init measured against the PIT, in kHz; 0 when it started no AP.
uint64_t smp_tsc_khz(void);

// What an AP runs once it is up, over and over, with interrupts on: by default one `sti; hlt`.
// The scheduler replaces it with its own loop (which need not return). Read at every turn.
extern void (*volatile smp_ap_idle)(void);

// Sets smp_ap_idle and wakes every AP from its halt (a ping each) so it takes the new hook at once.
void smp_set_ap_idle(void (*idle)(void));

// Called on each AP as it starts, once its GDT, TSS, GS and IDT are loaded, before it sets up its
// APIC and reports in; NULL (nothing) unless a scenario sets it, from a KTEST_EARLY test, to
// make a CPU that never reports in.
extern void (*volatile smp_ap_entry_hook)(void);

// Sends SMP_IPI_PING to online CPU `cpu` and waits for its handler to count it; *cycles gets the
// TSC cycles from before the send until the count was seen. Returns 0, E_INVAL for the calling
// CPU itself or a CPU that is not online, E_IO when the send failed or no answer came within
// SMP_IPI_TIMEOUT_MS.
int smp_ping(unsigned cpu, uint64_t *cycles);

// Runs fn(arg) on online CPU `cpu` in its SMP_IPI_CALL handler (interrupts off, on its stack) and
// waits until fn returned. Returns 0, E_INVAL as smp_ping or for a NULL fn, E_IO when the send
// failed or fn had not returned within SMP_IPI_TIMEOUT_MS (it may still run later).
int smp_call(unsigned cpu, void (*fn)(void *arg), void *arg);

// Stops every other online CPU for good (each halts with interrupts off) and waits, at most
// SMP_IPI_TIMEOUT_MS, until each has: for the end of the machine, a test image leaving QEMU or a
// panic, so nothing else runs while it reports (and the coverage counters hold still while they
// are sent). Runs as a STAGE_EXIT hook; once only, later calls return at once; with one CPU online
// it does nothing. Takes no lock.
void smp_stop_others(void);

// Prints one line per online CPU: index, APIC id, start-up time, IPIs handled (the `cpus` shell
// command).
void smp_print_cpus(void);

// Pings every other online CPU SMP_PING_ROUNDS times and prints one line: the round trip's min and
// median in TSC cycles for each (or the error that stopped its pings). Nothing with one CPU.
void smp_print_round_trips(void);
