/*
 * One CPU (pc): nothing to start; the per-CPU data of the boot CPU (smp_cases.h).
 *
 * qemu-scenario
 * timeout: 30
 * args: -smp 1
 * expect-serial: ^smp: 1 of 1 CPUs online \(APIC ids 0\)( in \d+ us)?$
 */
#define SMP_CPUS 1
#include "test/qemu/smp_cases.h"
