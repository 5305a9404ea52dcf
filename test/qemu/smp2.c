/*
 * Two CPUs on q35: the AP started through the trampoline, its per-CPU data, the IPI round trip and
 * a breakpoint on it reported with its number (smp_cases.h).
 *
 * qemu-scenario
 * timeout: 30
 * args: -machine q35 -smp 2
 * expect-serial: ^smp: 2 of 2 CPUs online \(APIC ids 0 1\)( in \d+ us)?$
 * expect-serial: ^  on CPU 1$
 */
#define SMP_CPUS 2
#include "test/qemu/smp_cases.h"
