/*
 * Keys typed through QMP reach the PS/2 IRQ handler, wake the keyboard task, are decoded and
 * echoed on serial and on the VGA screen: lower and upper case, digits, a shifted symbol,
 * Backspace and Enter.
 *
 * qemu-scenario
 * expect-serial: ^Hello World 42!\x08 \x08X$
 * screen typed_line: row 23 = "Hello World 42X"
 * screen typed_line: row 24 = ""
 */
#include "kernel/keyboard.h"
#include "core/string.h"
#include "core/vga.h"
#include "kernel/console.h"
#include "kernel/tasks.h"
#include "test/qemu/ktest/ktest.h"

static const char typed[] = "Hello World 42!\bX\n";

static bool echoed_all(void *ctx)
{
    (void)ctx;
    char buf[sizeof(typed)];
    keyboard_echoed(buf, sizeof(buf));
    return strcmp(buf, typed) == 0;
}

static bool example_done(void *ctx)
{
    (void)ctx;
    return tasks_example_done();
}

KTEST(typed_keys_are_echoed)
{
    // Let the example task print its line first, so nothing else writes between the echoes.
    KT_ASSERT(tasks_run_until(example_done, NULL, 100));
    kprintf("\n");
    // The keys arrive while the kernel waits for the runner; the queue holds them (14 plain keys
    // and 4 shifted ones: 44 scancodes, under the queue's 100), and the task echoes them after.
    KT_ASSERT(ktest_host_type(typed));
    KT_ASSERT(tasks_run_until(echoed_all, NULL, 200));
    char row[VGA_COLS + 1];
    vga_row_text(console_vga(), VGA_ROWS - 2, row, sizeof(row));
    KT_ASSERT_STR_EQ(row, "Hello World 42X");
    KT_ASSERT_EQ(keyboard_dropped(), 0);
    KT_ASSERT(ktest_host_check_screen("typed_line"));
}
