/*
 * Four CPUs on q35 (smp_cases.h).
 *
 * qemu-scenario
 * timeout: 30
 * args: -machine q35 -smp 4
 * expect-serial: ^smp: 4 of 4 CPUs online \(APIC ids 0 1 2 3\)( in \d+ us)?$
 * expect-serial: ^  on CPU 3$
 */
#define SMP_CPUS 4
#include "test/qemu/smp_cases.h"
