/*
 * Two CPUs booted through GRUB (multiboot2): the trampoline page is checked against GRUB's memory
 * map and information block instead of QEMU's PVH ones (smp_cases.h).
 *
 * qemu-scenario
 * boot: iso
 * timeout: 30
 * args: -smp 2
 * expect-serial: ^smp: 2 of 2 CPUs online \(APIC ids 0 1\) in \d+ us$
 * expect-serial: ^  on CPU 1$
 */
#define SMP_CPUS 2
#include "test/qemu/smp_cases.h"
