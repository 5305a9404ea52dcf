/*
 * Keys typed through QMP reach the PS/2 IRQ handler, wake the keyboard task, are decoded and
 * handed to the shell, whose line editor echoes them on serial and on the VGA screen: lower and
 * upper case, digits, a shifted symbol, Backspace (the editor steps back and erases the rest of
 * the line) and Enter (the line runs: an unknown command). Then, with no consumer, the keyboard
 * task echoes on its own ('\b' as "\b \b").
 *
 * qemu-scenario
 * expect-serial: ^Hello World 42!\x08\x1b\[KX$
 * expect-serial: ^unknown command "Hello" \(help lists them\)$
 * expect-serial: ^ok\x08 \x08!$
 * screen typed_line: row 22 = "> Hello World 42X"
 * screen typed_line: row 23 = "unknown command \"Hello\" (help lists them)"
 * screen typed_line: row 24 = ">"
 * screen echoed: row 23 = "> o!"
 * screen echoed: row 24 = ""
 */
#include "kernel/keyboard.h"
#include "core/string.h"
#include "core/vga.h"
#include "kernel/console.h"
#include "kernel/shell.h"
#include "kernel/tasks.h"
#include "test/qemu/ktest/ktest.h"
#include "test/qemu/waits.h"

KTEST(typed_keys_reach_the_shell)
{
    // Let the example task print its line and the shell its prompt first, so nothing else
    // writes between the echoes.
    KT_ASSERT(tasks_run_until(wait_example_done, NULL, 100));
    uint64_t lines = shell_lines(), keys = shell_keys(SHELL_KEYBOARD);
    // The keys arrive while the kernel waits for the runner; the queue holds them (14 plain keys
    // and 4 shifted ones: 44 scancodes, under the queue's 100), and the tasks take them after.
    KT_ASSERT(ktest_host_type("Hello World 42!\bX\n"));
    KT_ASSERT(tasks_run_until(wait_shell_line_ran, &lines, 200));
    KT_ASSERT_EQ(shell_keys(SHELL_KEYBOARD) - keys, 18);
    KT_ASSERT_STR_EQ(shell_history(0), "Hello World 42X");
    KT_ASSERT_EQ(keyboard_dropped(), 0);
    KT_ASSERT(ktest_host_check_screen("typed_line"));
}

static const char typed[] = "ok\b!\n";

static bool echoed_all(void *ctx)
{
    (void)ctx;
    char buf[sizeof(typed)];
    keyboard_echoed(buf, sizeof(buf));
    return strcmp(buf, typed) == 0;
}

// The series' keyboard task as it was before the shell: it echoes what it decodes.
KTEST(without_a_consumer_the_keyboard_task_echoes)
{
    keyboard_set_consumer(NULL, NULL);
    uint64_t keys = shell_keys(SHELL_KEYBOARD);
    KT_ASSERT(ktest_host_type(typed));
    KT_ASSERT(tasks_run_until(echoed_all, NULL, 200));
    KT_ASSERT_EQ(shell_keys(SHELL_KEYBOARD), keys);
    KT_ASSERT(ktest_host_check_screen("echoed"));
}
