/*
 * With 5 GiB of RAM, memory above 4 GiB is in the direct map and its frames are usable; on a CPU
 * with 1 GiB pages (-cpu max) the direct map uses them.
 *
 * qemu-scenario
 * args: -m 5G -cpu max
 * timeout: 20
 */
#include "core/frame.h"
#include "core/hw.h"
#include "kernel/vm.h"
#include "test/qemu/ktest/ktest.h"

#define GIB (1ull << 30)

KTEST(direct_map_uses_1_gib_pages)
{
    KT_ASSERT_EQ(vm_info()->direct_page, PAGE_SIZE_1G);
}

KTEST(direct_map_covers_all_memory)
{
    KT_ASSERT(vm_info()->phys_mapped >= 5 * GIB);
    uint64_t total;
    vm_frame_counts(NULL, &total);
    KT_ASSERT(total * FRAME_SIZE > 4 * GIB);
}

// Allocation goes lowest first, so the frames above 4 GiB come after the low ones run out: take
// frames until one lies above 4 GiB, write and read it back through the direct map, free all.
KTEST(a_frame_above_4_gib_is_usable)
{
    uint64_t free_before, free_after;
    vm_frame_counts(&free_before, NULL);
    uint64_t chain = 0, high = 0, f;
    while ((f = vm_frame_alloc()) != 0) {
        if (f >= 4 * GIB) {
            high = f;
            break;
        }
        *(volatile uint64_t *)hw_phys_to_virt(f, 8) = chain;
        chain = f;
    }
    KT_ASSERT(high != 0);
    volatile uint64_t *p = hw_phys_to_virt(high, FRAME_SIZE);
    KT_ASSERT(p != NULL);
    p[0] = 0x1234567887654321ull;
    p[511] = ~p[0];
    KT_ASSERT_EQ(p[0] ^ p[511], ~0ull);
    KT_ASSERT_EQ(vm_frame_free(high), 0);
    while (chain != 0) {
        uint64_t next = *(volatile uint64_t *)hw_phys_to_virt(chain, 8);
        KT_ASSERT_EQ(vm_frame_free(chain), 0);
        chain = next;
    }
    vm_frame_counts(&free_after, NULL);
    KT_ASSERT_EQ(free_after, free_before);
}
