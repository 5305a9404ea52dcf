/*
 * On a CPU without 1 GiB pages (-cpu qemu64), the direct map falls back to 2 MiB pages.
 *
 * qemu-scenario
 * args: -cpu qemu64
 */
#include "core/paging.h"
#include "kernel/vm.h"
#include "platform/x86_64/cpu.h"
#include "platform/x86_64/layout.h"
#include "test/qemu/ktest/ktest.h"

KTEST(cpu_has_no_1_gib_pages)
{
    uint32_t r[4];
    cpu_cpuid(0x80000001, 0, r);
    KT_ASSERT(!(r[3] & (1u << 26)));
}

KTEST(direct_map_uses_2_mib_pages)
{
    KT_ASSERT_EQ(vm_info()->direct_page, PAGE_SIZE_2M);
    struct pt_translation t;
    KT_ASSERT_EQ(vm_translate(PHYS_MAP_BASE + 0x1234567, &t), 0);
    KT_ASSERT_EQ(t.page_size, PAGE_SIZE_2M);
    KT_ASSERT_EQ(t.phys, 0x1234567);
}
