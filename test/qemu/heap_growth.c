/*
 * The heap grows by mapping pages on demand, stops cleanly at heap_max, serves unsized
 * allocations, and is never executable.
 *
 * qemu-scenario
 * cmdline: heap_max=4096
 * expect-serial: ^heap: tlsf allocator, 100 KiB mapped at 0xffffa00000000000, grows to 4096 KiB$
 * expect-serial: ^  error code 0x11 \[protection read kernel instruction-fetch\]$
 */
#include "core/exception.h"
#include "core/paging.h"
#include "kernel/heap.h"
#include "kernel/trap.h"
#include "kernel/vm.h"
#include "test/qemu/ktest/ktest.h"

#define CHUNK (64 * 1024)

static volatile uint64_t count_before;
static volatile uint8_t *volatile code;

KTEST(heap_grows_on_demand_up_to_its_limit_then_returns_null)
{
    size_t before = heap_mapped();
    void *chunks[128];
    size_t n = 0;
    while (n < 128 && (chunks[n] = heap_alloc(CHUNK, 16)) != NULL) {
        ((volatile uint8_t *)chunks[n])[CHUNK - 1] = (uint8_t)n; // the new pages are mapped
        n++;
    }
    KT_ASSERT(heap_mapped() > before);
    KT_ASSERT(heap_mapped() <= heap_limit());
    // Sized blocks carry no header: the 4 MiB limit holds at most 64 chunks of 64 KiB, and the
    // heap must reach at least 3 MiB of it.
    KT_ASSERT(n >= 48);
    KT_ASSERT(n <= 64);
    while (n > 0) {
        n--;
        KT_ASSERT_EQ(((volatile uint8_t *)chunks[n])[CHUNK - 1], (uint8_t)n);
        KT_ASSERT_EQ(heap_free(chunks[n], CHUNK, 16), 0);
    }
    void *again = heap_alloc(CHUNK, 16); // the freed memory serves again
    KT_ASSERT(again != NULL);
    KT_ASSERT_EQ(heap_free(again, CHUNK, 16), 0);
}

KTEST(bad_requests_return_null)
{
    KT_ASSERT(heap_alloc(0, 8) == NULL);
    KT_ASSERT(heap_alloc(16, 3) == NULL);
    KT_ASSERT(heap_alloc(SIZE_MAX, 8) == NULL);
    KT_ASSERT(kmalloc(0) == NULL);
}

KTEST(kmalloc_and_kfree_without_sizes)
{
    char *s = kmalloc(100);
    KT_ASSERT(s != NULL);
    KT_ASSERT_EQ((uintptr_t)s % 16, 0);
    for (int i = 0; i < 100; i++)
        s[i] = (char)i;
    char *t = kmalloc(3000);
    KT_ASSERT(t != NULL);
    KT_ASSERT_EQ(s[99], 99);
    kfree(s);
    kfree(t);
    kfree(NULL);
    char msg[128];
    KT_ASSERT_EQ(heap_check(msg, sizeof(msg)), 0);
}

KTEST_SHOULD_PANIC(executing_heap_memory_faults)
{
    code = heap_alloc(64, 64);
    code[0] = 0xc3; // ret
    count_before = trap_last()->count;
    void (*fn)(void) = (void (*)(void))(uintptr_t)code;
    fn();
}

KTEST(that_was_an_instruction_fetch_from_the_heap)
{
    KT_ASSERT_EQ(trap_last()->count, count_before + 1);
    KT_ASSERT_EQ(trap_last()->vector, EXC_PAGE_FAULT);
    KT_ASSERT_EQ(trap_last()->cr2, (uint64_t)(uintptr_t)code);
    KT_ASSERT_EQ(trap_last()->error_code, PF_PRESENT | PF_FETCH);
    KT_ASSERT_EQ(heap_free((void *)code, 64, 64), 0);
}
