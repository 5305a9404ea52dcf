/*
 * `nosmp` on the command line keeps the boot CPU alone on a four-CPU machine: the MADT still lists
 * four, no AP is started, the trampoline page is never mapped, and pings find no one.
 *
 * qemu-scenario
 * args: -smp 4
 * cmdline: nosmp
 * expect-serial: ^smp: 1 of 4 CPUs online \(APIC ids 0\)$
 */
#define SMP_CPUS_LISTED 4
#include "test/qemu/smp_off_cases.h"
