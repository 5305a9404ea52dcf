/*
 * A CPU that never reports in is reported, parked with INIT and skipped, and the CPUs after it
 * still start: on a four-CPU machine the AP with APIC id 2 stops in smp_ap_entry_hook before it
 * reports in. The boot CPU gives up after SMP_AP_TIMEOUT_MS, and APIC id 3 takes the slot (index
 * 2) and the stacks the stuck CPU had.
 *
 * qemu-scenario
 * timeout: 30
 * args: -smp 4
 * expect-serial: ^smp: CPU with APIC id 2 did not start \(device not responding\); skipped$
 * expect-serial: ^smp: 3 of 4 CPUs online \(APIC ids 0 1 3\) in \d+ us$
 */
#include "core/err.h"
#include "kernel/smp.h"
#include "platform/x86_64/cpu.h"
#include "platform/x86_64/percpu.h"
#include "test/qemu/ktest/ktest.h"

static void stop_apic_id_2(void)
{
    if (percpu()->apic_id == 2)
        cpu_stop();
}

KTEST_EARLY(apic_id_2_will_never_report_in)
{
    smp_ap_entry_hook = stop_apic_id_2;
}

KTEST(the_cpus_after_it_started_in_its_place)
{
    KT_ASSERT_EQ(smp_cpus_listed(), 4);
    KT_ASSERT_EQ(smp_cpus_online(), 3);
    KT_ASSERT_EQ(percpu_of(1)->apic_id, 1);
    KT_ASSERT_EQ(percpu_of(2)->apic_id, 3);
    KT_ASSERT(!percpu_of(3)->online);
}

KTEST(the_cpu_in_the_reused_slot_answers)
{
    uint64_t cycles;
    KT_ASSERT_EQ(smp_ping(2, &cycles), 0);
    KT_ASSERT_EQ(smp_ping(3, &cycles), E_INVAL);
}
