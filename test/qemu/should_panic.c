/*
 * A test that must panic passes when it panics and fails when it returns; the runner goes on
 * with the next test after a panic.
 *
 * qemu-scenario
 * expect-serial: ^assertion_failure_panics\.\.\.\t\[ok\]$
 */
#include "core/panic.h"
#include "kernel/console.h"
#include "test/qemu/ktest/ktest.h"

static volatile int two = 2;

KTEST_SHOULD_PANIC(assertion_failure_panics)
{
    KASSERT(two + two == 5);
}

KTEST_SHOULD_PANIC(panic_with_a_message)
{
    panic("expected panic number %d", two);
}

// Reaching this at all shows the runner came back from the panics above.
KTEST(runner_continues_after_a_panic)
{
    uint64_t before = console_bytes_written();
    kprintf("still alive\n");
    KT_ASSERT(console_bytes_written() > before);
}
