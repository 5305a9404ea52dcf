/*
 * The heap grows until physical memory runs out, not its limit: in 32 MiB of RAM with a 64 MiB
 * heap_max, the growth that finds no frame for one of its pages gives back every frame it had
 * taken (and the page tables it made), leaves nothing mapped past the heap's end, and heap_alloc
 * returns NULL; what the heap already holds keeps working.
 *
 * qemu-scenario
 * args: -m 32M
 * cmdline: heap_max=65536
 */
#include "core/err.h"
#include "core/paging.h"
#include "kernel/heap.h"
#include "kernel/vm.h"
#include "test/qemu/ktest/ktest.h"

#define CHUNK (256 * 1024) // four growth steps' worth: a failing growth has mapped some pages

static void *chunks[256];

KTEST(growth_that_runs_out_of_frames_rolls_back_and_returns_null)
{
    uint64_t free_before = 0, free_after = 0;
    size_t n = 0;
    for (;;) {
        KT_ASSERT(n < sizeof(chunks) / sizeof(chunks[0]));
        vm_frame_counts(&free_before, NULL);
        if ((chunks[n] = heap_alloc(CHUNK, 16)) == NULL)
            break;
        ((volatile char *)chunks[n])[CHUNK - 1] = 1; // its pages are really mapped
        n++;
    }
    vm_frame_counts(&free_after, NULL);
    KT_ASSERT(n > 0);
    KT_ASSERT(heap_mapped() < heap_limit()); // frames ran out, not the limit
    KT_ASSERT_EQ(free_after, free_before);   // the failed growth gave every frame back
    struct pt_translation t;
    KT_ASSERT_EQ(vm_translate(HEAP_START + heap_mapped(), &t), E_NOENT);
    char msg[128];
    KT_ASSERT_EQ(heap_check(msg, sizeof(msg)), 0);
    void *small = heap_alloc(64, 8); // the heap's own free space still serves
    KT_ASSERT(small != NULL);
    KT_ASSERT_EQ(heap_free(small, 64, 8), 0);
    while (n > 0) {
        n--;
        KT_ASSERT_EQ(heap_free(chunks[n], CHUNK, 16), 0);
    }
}
