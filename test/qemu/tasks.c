/*
 * Cooperative tasks: the cases both machines run (tasks_cases.h: the example task, sleepers waking
 * in deadline order, the heartbeat, also when the timer queue is full, halting when idle), then
 * keyboard input through the keyboard task to the shell (every key arrives, in order, also when
 * typed fast; overflow) and the cost of a poll round trip in TSC cycles.
 *
 * qemu-scenario
 * timeout: 30
 * expect-serial: async number: 42$
 * expect-serial: ^hello world$
 * expect-serial: ^WARNING: scancode queue full; dropping keyboard input$
 * expect-serial: task poll round trip: \d+ cycles
 * screen hello: row 22 = "> hello world"
 * screen hello: row 23 = "unknown command \"hello\" (help lists them)"
 * screen hello: row 24 = ">"
 */
#include "kernel/tasks.h"
#include "core/string.h"
#include "core/vga.h"
#include "kernel/console.h"
#include "kernel/keyboard.h"
#include "kernel/shell.h"
#include "platform/x86_64/cpu.h"
#include "test/qemu/ktest/ktest.h"
#include "test/qemu/tasks_cases.h"

// ---- keyboard ----------------------------------------------------------------------------------

// The keys reach the shell (the keyboard's consumer): a line is whole and in order when the shell
// has entered it into its history.
static bool lines_ran(void *ctx)
{
    return shell_lines() >= *(uint64_t *)ctx;
}

KTEST(typed_text_reaches_the_shell_exactly)
{
    uint64_t lines = shell_lines() + 1;
    KT_ASSERT(ktest_host_type("hello world\n"));
    KT_ASSERT(tasks_run_until(lines_ran, &lines, 200));
    KT_ASSERT_STR_EQ(shell_history(0), "hello world");
    KT_ASSERT(ktest_host_check_screen("hello"));
}

// 200 keys: four lines of 49 letters, each ended by Enter.
static char fast[201];

static bool typed_and_ran(void *ctx)
{
    static int answer = -1;
    if (answer < 0)
        answer = ktest_host_poll_answer();
    return answer >= 0 && lines_ran(ctx);
}

static bool fast_line_is(size_t k, size_t line)
{
    return strlen(shell_history(k)) == 49 && memcmp(shell_history(k), fast + line * 50, 49) == 0;
}

// 200 keys as fast as the runner types them, while the executor runs: every one arrives, in order.
KTEST(fast_typing_arrives_complete_and_in_order)
{
    for (int i = 0; i < 200; i++)
        fast[i] = i % 50 == 49 ? '\n' : (char)('a' + (i * 7) % 26);
    fast[200] = '\0';
    uint64_t dropped = keyboard_dropped(), keys = shell_keys(SHELL_KEYBOARD);
    uint64_t lines = shell_lines() + 4;
    ktest_host_type_async(fast);
    KT_ASSERT(tasks_run_until(typed_and_ran, &lines, 3000));
    KT_ASSERT_EQ(keyboard_dropped(), dropped);
    KT_ASSERT_EQ(shell_keys(SHELL_KEYBOARD) - keys, 200);
    for (size_t line = 0; line < 4; line++)
        KT_ASSERT(fast_line_is(3 - line, line));
}

// 200 keys (400 scancodes) while nothing reads the queue: it keeps the first 100 scancodes, the
// rest are dropped with one warning, and what was kept decodes to exactly the first 50 keys: the
// first line.
KTEST(overflow_drops_with_a_warning_and_keeps_the_rest_intact)
{
    uint64_t dropped = keyboard_dropped(), delivered = keyboard_delivered();
    uint64_t keys = shell_keys(SHELL_KEYBOARD), lines = shell_lines() + 1;
    KT_ASSERT(ktest_host_type(fast)); // blocks: the executor does not run meanwhile
    KT_ASSERT_EQ(keyboard_dropped() - dropped, 400 - KEYBOARD_QUEUE_SIZE);
    KT_ASSERT(tasks_run_until(lines_ran, &lines, 200));
    KT_ASSERT_EQ(keyboard_delivered() - delivered, KEYBOARD_QUEUE_SIZE);
    KT_ASSERT_EQ(shell_keys(SHELL_KEYBOARD) - keys, 50);
    KT_ASSERT(fast_line_is(0, 0));
}

// ---- cost --------------------------------------------------------------------------------------

// The self-waking task of tasks_cases.h, timed with the TSC.
KTEST(task_poll_round_trip_cost)
{
    enum { ROUNDS = 10000 };
    rounds_left = ROUNDS;
    KT_ASSERT_EQ(tasks_spawn(&self_waking), 0);
    uint64_t start = cpu_rdtsc();
    KT_ASSERT(tasks_run_until(rounds_done, NULL, 1000));
    uint64_t cycles = cpu_rdtsc() - start;
    kprintf("task poll round trip: %llu cycles (%d rounds)\n",
            (unsigned long long)(cycles / ROUNDS), ROUNDS);
}
