/*
 * The limits of the command line and of the CPU count: ten CPUs on a q35 machine, of which the
 * kernel starts eight (PERCPU_MAX) and reports the other two as left off; and unknown values of
 * smp= and irq=, each reported with the value and the default taken.
 *
 * qemu-scenario
 * args: -machine q35 -smp 10
 * cmdline: smp=maybe irq=ioapicplease
 * timeout: 20
 * expect-serial: ^WARNING: irq: irq=ioapicp\.\.\. is not irq=pic or irq=pit; taking the default path$
 * expect-serial: ^WARNING: smp: smp=maybe is not smp=on or smp=off; using on$
 * expect-serial: ^smp: CPU with APIC id 8 left off: the kernel runs on at most 8 CPUs$
 * expect-serial: ^smp: CPU with APIC id 9 left off: the kernel runs on at most 8 CPUs$
 * expect-serial: ^smp: 8 of 10 CPUs online \(APIC ids 0 1 2 3 4 5 6 7\)
 */
#include "kernel/irq_apic.h"
#include "kernel/smp.h"
#include "platform/x86_64/percpu.h"
#include "test/qemu/ktest/ktest.h"

KTEST(eight_of_ten_cpus_run)
{
    KT_ASSERT_EQ(smp_cpus_listed(), 10);
    KT_ASSERT_EQ(smp_cpus_online(), PERCPU_MAX);
    for (unsigned i = 0; i < PERCPU_MAX; i++)
        KT_ASSERT(i == 0 || percpu_of(i)->online);
}

KTEST(the_default_interrupt_path_was_taken)
{
    KT_ASSERT(irq_apic_info()->active);
    KT_ASSERT(!irq_apic_info()->pit_tick);
}
