/*
 * `smp=off` keeps the boot CPU alone as `nosmp` does (smp_off_cases.h), here on q35 with two CPUs.
 *
 * qemu-scenario
 * args: -machine q35 -smp 2
 * cmdline: smp=off
 * expect-serial: ^smp: 1 of 2 CPUs online \(APIC ids 0\)$
 */
#define SMP_CPUS_LISTED 2
#include "test/qemu/smp_off_cases.h"
