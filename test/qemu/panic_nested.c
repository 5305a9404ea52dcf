/*
 * A panic while a panic is being reported: the second one says so in one line, written with
 * nothing that could fail again, and stops the machine through the same exit stage and stop hook.
 * Here the panic hook that sees the first message panics itself.
 *
 * qemu-scenario
 * expect: fail
 * expect-serial: ^panic: nested panic while reporting a panic$
 * expect-serial: ^panic_nested: stopped$
 */
#include "core/panic.h"
#include "kernel/console.h"
#include "kernel/panic.h"
#include "test/qemu/ktest/ktest.h"

static void panic_again(const char *message)
{
    panic("while reporting \"%s\"", message);
}

static void stop_here(void)
{
    kprintf("panic_nested: stopped\n");
    ktest_exit(false);
}

static const struct panic_hooks nesting = {panic_again, stop_here};

KTEST(panic_while_reporting_a_panic_stops_once)
{
    panic_set_hooks(&nesting);
    panic("first");
}
