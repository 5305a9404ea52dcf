/*
 * CPU exceptions: the breakpoint is reported and execution resumes; divide error, invalid opcode,
 * general protection and page fault each end in their report and a panic. Also measures the
 * interrupt entry/exit cost (int3 round trips).
 *
 * qemu-scenario
 * expect-serial: ^EXCEPTION: BREAKPOINT \(vector 3\)$
 * expect-serial: ^EXCEPTION: DIVIDE ERROR \(vector 0\)$
 * expect-serial: ^EXCEPTION: INVALID OPCODE \(vector 6\)$
 * expect-serial: ^EXCEPTION: GENERAL PROTECTION FAULT \(vector 13\)$
 * expect-serial: ^  error code 0x0$
 * expect-serial: ^EXCEPTION: PAGE FAULT \(vector 14\)$
 * expect-serial: ^  error code 0x0 \[not-present read kernel\]$
 * expect-serial: ^  accessed address \(CR2\) 0xdead0000123$
 * expect-serial: ^  rip 0xffffffff8[0-9a-f]+ cs 0x8 rflags 0x[0-9a-f]+ rsp 0xffffffff8[0-9a-f]+ ss 0x10$
 * expect-serial: int3 round trip: \d+ cycles
 */
#include "core/exception.h"
#include "kernel/console.h"
#include "kernel/trap.h"
#include "platform/x86_64/cpu.h"
#include "platform/x86_64/gdt.h"
#include "test/qemu/ktest/ktest.h"

#define UNMAPPED_ADDRESS 0xdead0000123ull // lower half: the kernel's own tables map nothing there

// volatile: stored before a fault the compiler cannot see coming, read after it.
static volatile uint64_t count_before;
static volatile int zero;

KTEST(breakpoint_reports_and_resumes)
{
    uint64_t before = trap_last()->count;
    volatile int after = 0;
    __asm__ volatile("int3");
    after = 1; // reached only if execution resumed after int3
    KT_ASSERT_EQ(after, 1);
    KT_ASSERT_EQ(trap_last()->count, before + 1);
    KT_ASSERT_EQ(trap_last()->vector, EXC_BREAKPOINT);
}

KTEST_SHOULD_PANIC(divide_error_panics)
{
    count_before = trap_last()->count;
    // In assembly: the compiler may turn a C division by a known-small divisor into no div.
    uint32_t low = 1, high = 0;
    __asm__ volatile("divl %2" : "+a"(low), "+d"(high) : "r"((uint32_t)zero));
}

KTEST(divide_error_was_reported)
{
    KT_ASSERT_EQ(trap_last()->count, count_before + 1);
    KT_ASSERT_EQ(trap_last()->vector, EXC_DIVIDE_ERROR);
}

KTEST_SHOULD_PANIC(invalid_opcode_panics)
{
    count_before = trap_last()->count;
    __asm__ volatile("ud2");
}

KTEST(invalid_opcode_was_reported)
{
    KT_ASSERT_EQ(trap_last()->count, count_before + 1);
    KT_ASSERT_EQ(trap_last()->vector, EXC_INVALID_OPCODE);
}

KTEST_SHOULD_PANIC(general_protection_panics)
{
    count_before = trap_last()->count;
    // A non-canonical address (bits 63:47 not all equal) faults with #GP, not #PF.
    volatile uint64_t *p = (volatile uint64_t *)0x8000000000000000ull;
    (void)*p;
}

KTEST(general_protection_was_reported)
{
    KT_ASSERT_EQ(trap_last()->count, count_before + 1);
    KT_ASSERT_EQ(trap_last()->vector, EXC_GENERAL_PROT);
    KT_ASSERT_EQ(trap_last()->error_code, 0);
}

KTEST_SHOULD_PANIC(page_fault_panics)
{
    count_before = trap_last()->count;
    volatile uint8_t *p = (volatile uint8_t *)UNMAPPED_ADDRESS;
    (void)*p;
}

KTEST(page_fault_names_the_address_and_the_bits)
{
    KT_ASSERT_EQ(trap_last()->count, count_before + 1);
    KT_ASSERT_EQ(trap_last()->vector, EXC_PAGE_FAULT);
    KT_ASSERT_EQ(trap_last()->cr2, UNMAPPED_ADDRESS);
    KT_ASSERT_EQ(trap_last()->error_code, 0); // not present, read, kernel
}

static void count_only(struct trap_frame *frame)
{
    (void)frame;
}

// The cost of one interrupt entry and exit: int3 through the full stub and dispatch path, with a
// handler that does nothing.
KTEST(int3_round_trip_cost)
{
    enum { ROUNDS = 100000 };
    trap_set_handler(EXC_BREAKPOINT, count_only);
    uint64_t start = cpu_rdtsc();
    for (int i = 0; i < ROUNDS; i++)
        __asm__ volatile("int3");
    uint64_t cycles = cpu_rdtsc() - start;
    trap_set_handler(EXC_BREAKPOINT, NULL);
    kprintf("int3 round trip: %llu cycles (%d rounds)\n", (unsigned long long)(cycles / ROUNDS),
            ROUNDS);
    KT_ASSERT(cycles > 0);
}
