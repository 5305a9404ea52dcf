/*
 * Cooperative tasks: the cases both machines run (tasks_cases.h: the example task, sleepers waking
 * in deadline order, the heartbeat, also when the timer queue is full, halting when idle), then
 * keyboard input through the keyboard task (echoed exactly, fast typing, overflow) and the cost of
 * a poll round trip in TSC cycles.
 *
 * qemu-scenario
 * timeout: 30
 * expect-serial: async number: 42$
 * expect-serial: ^hello world$
 * expect-serial: ^WARNING: scancode queue full; dropping keyboard input$
 * expect-serial: task poll round trip: \d+ cycles
 * screen hello: row 23 = "hello world"
 */
#include "kernel/tasks.h"
#include "core/string.h"
#include "core/vga.h"
#include "kernel/console.h"
#include "kernel/keyboard.h"
#include "platform/x86_64/cpu.h"
#include "test/qemu/ktest/ktest.h"
#include "test/qemu/tasks_cases.h"

// ---- keyboard ----------------------------------------------------------------------------------

static const char *expect_echo;

static bool echoed(void *ctx)
{
    (void)ctx;
    static char buf[KEYBOARD_ECHO_LOG];
    keyboard_echoed(buf, strlen(expect_echo) + 1);
    return strcmp(buf, expect_echo) == 0;
}

KTEST(typed_text_is_echoed_exactly)
{
    kprintf("\n");
    expect_echo = "hello world\n";
    KT_ASSERT(ktest_host_type("hello world\n"));
    KT_ASSERT(tasks_run_until(echoed, NULL, 200));
    KT_ASSERT(ktest_host_check_screen("hello"));
}

static char fast[201];

static bool typed_and_echoed(void *ctx)
{
    int *answer = ctx;
    if (*answer < 0)
        *answer = ktest_host_poll_answer();
    return *answer >= 0 && echoed(NULL);
}

// 200 keys as fast as the runner types them, while the executor runs: every one arrives, in order.
KTEST(fast_typing_arrives_complete_and_in_order)
{
    for (int i = 0; i < 200; i++)
        fast[i] = (char)('a' + (i * 7) % 26);
    fast[200] = '\0';
    expect_echo = fast;
    uint64_t dropped = keyboard_dropped();
    int answer = -1;
    ktest_host_type_async(fast);
    KT_ASSERT(tasks_run_until(typed_and_echoed, &answer, 3000));
    KT_ASSERT_EQ(answer, 1);
    KT_ASSERT_EQ(keyboard_dropped(), dropped);
    kprintf("\n");
}

// 200 keys (400 scancodes) while nothing reads the queue: it keeps the first 100 scancodes, the
// rest are dropped with one warning, and what was kept decodes to exactly the first 50 keys.
KTEST(overflow_drops_with_a_warning_and_keeps_the_rest_intact)
{
    uint64_t dropped = keyboard_dropped(), delivered = keyboard_delivered();
    KT_ASSERT(ktest_host_type(fast)); // blocks: the executor does not run meanwhile
    KT_ASSERT_EQ(keyboard_dropped() - dropped, 400 - KEYBOARD_QUEUE_SIZE);
    static char prefix[51];
    memcpy(prefix, fast, 50);
    expect_echo = prefix;
    KT_ASSERT(tasks_run_until(echoed, NULL, 200));
    KT_ASSERT_EQ(keyboard_delivered() - delivered, KEYBOARD_QUEUE_SIZE);
    kprintf("\n");
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
