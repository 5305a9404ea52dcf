/*
 * Eight CPUs on q35, the most the kernel runs on (PERCPU_MAX; smp_cases.h).
 *
 * qemu-scenario
 * timeout: 30
 * args: -machine q35 -smp 8
 * expect-serial: ^smp: 8 of 8 CPUs online \(APIC ids 0 1 2 3 4 5 6 7\)( in \d+ us)?$
 * expect-serial: ^  on CPU 7$
 */
#define SMP_CPUS 8
#include "test/qemu/smp_cases.h"
