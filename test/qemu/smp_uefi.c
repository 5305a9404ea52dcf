/*
 * Two CPUs under UEFI firmware (OVMF): the firmware's memory map must offer the trampoline page,
 * and the AP that OVMF parked is started afresh by INIT-SIPI-SIPI (smp_cases.h).
 *
 * qemu-scenario
 * boot: uefi
 * timeout: 60
 * args: -smp 2
 * expect-serial: ^smp: 2 of 2 CPUs online \(APIC ids 0 1\) in \d+ us$
 */
#define SMP_CPUS 2
#include "test/qemu/smp_cases.h"
