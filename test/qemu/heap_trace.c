/*
 * The heap trace (kernel/heap_trace.h, docs/heap-trace.md): with heap_trace=1 every heap
 * operation leaves, in order, as one line through the debug console at port 0xea, which the
 * runner records: the header and the initial region as the first grow; each alloc with the block
 * it returned (0x0 for NULL) and each free with its answer; kmalloc's blocks with their 16-byte
 * header; a growth, and one refused at heap_max; then heap_trace_max ends the trace with a
 * comment after its 40th record, and nothing follows.
 *
 * qemu-scenario
 * cmdline: alloc=fixed_block heap_trace=1 heap_max=256 heap_trace_max=40
 * expect-serial: ^heap: fixed_block allocator, 100 KiB mapped at 0xffffa00000000000, grows to 256 KiB$
 * expect-trace: \Aheaptrace 1\n# kernel heap: fixed_block design, limit 262144 bytes\ngrow 0 0 0xffffa00000000000 102400\nalloc 24 8
 * expect-trace: ^alloc 24 8 (0xffffa[0-9a-f]{11}) 0\nfree 24 8 \1 0$
 * expect-trace: ^alloc 16 3 0x0 0\nfree 16 16 0xffffa00000000001 -1$
 * expect-trace: ^alloc 116 16 (0xffffa[0-9a-f]{11}) 0\nfree 116 16 \1 0$
 * expect-trace: ^grow 131072 16 0xffffa00000019000 135168\nalloc 131072 16 (0xffffa[0-9a-f]{11}) 0\nfree 131072 16 \1 0$
 * expect-trace: ^grow 307200 16 0xffffa0000003a000 24576\ngrow 307200 16 0xffffa00000040000 0\nalloc 307200 16 0x0 0$
 * expect-trace: (\nalloc 8 8 0xffffa[0-9a-f]{11} 0\nfree 8 8 0xffffa[0-9a-f]{11} 0){13}\nalloc 8 8 0xffffa[0-9a-f]{11} 0\n# stopped after 40 records \(heap_trace_max\)\n\Z
 */
#include "kernel/heap.h"
#include "test/qemu/ktest/ktest.h"

KTEST(a_sized_alloc_and_its_free_are_recorded)
{
    void *p = heap_alloc(24, 8);
    KT_ASSERT(p != NULL);
    KT_ASSERT_EQ(heap_free(p, 24, 8), 0);
}

KTEST(refused_calls_are_recorded_with_their_answer)
{
    KT_ASSERT(heap_alloc(16, 3) == NULL);                               // not a power of two
    KT_ASSERT_EQ(heap_free((void *)(HEAP_START + 1), 16, 16), E_INVAL); // misaligned
}

KTEST(kmalloc_is_recorded_as_the_heap_sees_it)
{
    void *p = kmalloc(100);
    KT_ASSERT(p != NULL);
    kfree(p);
}

KTEST(growth_is_recorded_before_the_alloc_it_serves)
{
    void *p = heap_alloc(128 * 1024, 16);
    KT_ASSERT(p != NULL);
    KT_ASSERT_EQ(heap_free(p, 128 * 1024, 16), 0);
    KT_ASSERT(heap_alloc(300 * 1024, 16) == NULL); // more than the limit: grows to it, then cannot
    KT_ASSERT_EQ(heap_mapped(), heap_limit());
}

KTEST(the_trace_stops_after_heap_trace_max_records)
{
    for (int i = 0; i < 100; i++) { // 200 operations, far past the 40th record
        void *p = heap_alloc(8, 8);
        KT_ASSERT(p != NULL);
        KT_ASSERT_EQ(heap_free(p, 8, 8), 0);
    }
}
