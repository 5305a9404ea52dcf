/*
 * Four CPUs on pc: every AP started, each with its own per-CPU data, GDT, TSS and IST stacks, an
 * IPI round trip to each, a breakpoint on the last reported with its number (smp_cases.h).
 *
 * qemu-scenario
 * timeout: 30
 * args: -smp 4
 * expect-serial: ^smp: 4 of 4 CPUs online \(APIC ids 0 1 2 3\)( in \d+ us)?$
 * expect-serial: ^smp: AP start-up \(INIT to online\), us: cpu1 \d+ cpu2 \d+ cpu3 \d+$
 * expect-serial: ^smp: IPI round trip, TSC cycles \(min/median of 16\): cpu1 \d+/\d+ cpu2 \d+/\d+ cpu3 \d+/\d+$
 * expect-serial: ^  on CPU 3$
 */
#define SMP_CPUS 4
#include "test/qemu/smp_cases.h"
