/*
 * The shell's `fault KIND` commands, each raising its exception and ending in the handler's report
 * and a panic (the breakpoint, which resumes, is in the shell scenario): divide error, page faults
 * on read (not present), write (read-only) and instruction fetch (no-execute), general protection,
 * invalid opcode, and a stack overflow becoming a double fault. The last is typed on the serial
 * line and panics inside the shell task.
 *
 * qemu-scenario
 * timeout: 20
 * expect-serial: fault: divide by zero \(#DE\)$
 * expect-serial: ^EXCEPTION: DIVIDE ERROR \(vector 0\)$
 * expect-serial: ^EXCEPTION: PAGE FAULT \(vector 14\)$
 * expect-serial: ^  error code 0x0 \[not-present read kernel\]$
 * expect-serial: ^  accessed address \(CR2\) 0xdead0000000$
 * expect-serial: ^  error code 0x3 \[protection write kernel\]$
 * expect-serial: ^  error code 0x11 \[protection read kernel instruction-fetch\]$
 * expect-serial: ^EXCEPTION: GENERAL PROTECTION FAULT \(vector 13\)$
 * expect-serial: ^EXCEPTION: INVALID OPCODE \(vector 6\)$
 * expect-serial: ^EXCEPTION: DOUBLE FAULT \(vector 8\)$
 * expect-serial: fault: read an unmapped address \(#PF\)$
 */
#include "core/exception.h"
#include "kernel/fault.h"
#include "kernel/shell.h"
#include "kernel/tasks.h"
#include "kernel/trap.h"
#include "test/qemu/ktest/ktest.h"

// volatile: stored before a fault the compiler cannot see coming, read after it.
static volatile uint64_t count_before;

static void raise(const char *line)
{
    count_before = trap_last()->count;
    shell_execute(line);
}

// The fault before this test was reported once, as vector `want`.
#define KT_ASSERT_REPORTED(want)                                                                   \
    do {                                                                                           \
        KT_ASSERT_EQ(trap_last()->count, count_before + 1);                                        \
        KT_ASSERT_EQ(trap_last()->vector, want);                                                   \
    } while (0)

KTEST_SHOULD_PANIC(divide)
{
    raise("fault divide");
}

KTEST(divide_was_reported)
{
    KT_ASSERT_REPORTED(EXC_DIVIDE_ERROR);
}

KTEST_SHOULD_PANIC(pf_read)
{
    raise("fault pf-read");
}

KTEST(pf_read_was_a_not_present_read)
{
    KT_ASSERT_REPORTED(EXC_PAGE_FAULT);
    KT_ASSERT_EQ(trap_last()->error_code, 0);
    KT_ASSERT_EQ(trap_last()->cr2, FAULT_UNMAPPED_ADDRESS);
}

KTEST_SHOULD_PANIC(pf_write)
{
    raise("fault pf-write");
}

KTEST(pf_write_was_a_write_to_a_present_page)
{
    KT_ASSERT_REPORTED(EXC_PAGE_FAULT);
    KT_ASSERT_EQ(trap_last()->error_code, 0x3); // present, write
}

KTEST_SHOULD_PANIC(pf_exec)
{
    raise("fault pf-exec");
}

KTEST(pf_exec_was_an_instruction_fetch)
{
    KT_ASSERT_REPORTED(EXC_PAGE_FAULT);
    KT_ASSERT_EQ(trap_last()->error_code, 0x11); // present, instruction fetch
    KT_ASSERT_EQ(trap_last()->cr2, trap_last()->rip);
}

KTEST_SHOULD_PANIC(gp)
{
    raise("fault gp");
}

KTEST(gp_was_reported)
{
    KT_ASSERT_REPORTED(EXC_GENERAL_PROT);
}

KTEST_SHOULD_PANIC(ud)
{
    raise("fault ud");
}

KTEST(ud_was_reported)
{
    KT_ASSERT_REPORTED(EXC_INVALID_OPCODE);
}

KTEST_SHOULD_PANIC(stack_overflow)
{
    raise("fault stack-overflow");
}

KTEST(stack_overflow_was_a_double_fault)
{
    KT_ASSERT_REPORTED(EXC_DOUBLE_FAULT);
}

static bool panicked_first(void *ctx)
{
    (void)ctx;
    return false;
}

// Typed: the shell task runs the command, whose page fault panics inside the task.
KTEST_SHOULD_PANIC(typed_fault_panics_in_the_shell_task)
{
    count_before = trap_last()->count;
    KT_ASSERT(ktest_host_serial("fault pf-read\r"));
    tasks_run_until(panicked_first, NULL, 300);
}

KTEST(the_typed_fault_was_reported)
{
    KT_ASSERT_REPORTED(EXC_PAGE_FAULT);
    KT_ASSERT_EQ(trap_last()->cr2, FAULT_UNMAPPED_ADDRESS);
}
