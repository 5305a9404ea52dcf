// The cases of a boot whose command line keeps the other CPUs off (smp=off, nosmp): SMP_CPUS_LISTED
// CPUs in the MADT, one online, every other CPU's struct untouched, nothing to ping.
#include "core/err.h"
#include "kernel/smp.h"
#include "platform/x86_64/percpu.h"
#include "test/qemu/ktest/ktest.h"

KTEST(only_the_boot_cpu_is_online)
{
    KT_ASSERT_EQ(smp_cpus_listed(), SMP_CPUS_LISTED);
    KT_ASSERT_EQ(smp_cpus_online(), 1);
    KT_ASSERT_EQ(percpu()->index, 0);
    for (unsigned i = 1; i < PERCPU_MAX; i++) {
        KT_ASSERT(!percpu_of(i)->online);
        KT_ASSERT_EQ(percpu_of(i)->stack_top, 0);
    }
}

KTEST(no_cpu_answers_a_ping)
{
    uint64_t cycles;
    KT_ASSERT_EQ(smp_ping(1, &cycles), E_INVAL);
}
