// cm_main: the firmware's C entry (start.S calls it on the thread stack) and its init order, the
// counterpart of the kernel's kmain on this machine: the console, the faults and the MPU guard,
// the command line, the heap, the tasks on SysTick, then the executor forever.
#include "core/cmdline.h"
#include "core/err.h"
#include "core/panic.h"
#include "core/systick.h"
#include "kernel/stage.h"
#include "platform/cortex_m/board.h"
#include "platform/cortex_m/console.h"
#include "platform/cortex_m/fault.h"
#include "platform/cortex_m/heap.h"
#include "platform/cortex_m/mpu.h"
#include "platform/cortex_m/semihosting.h"
#include "platform/cortex_m/tasks.h"

#define CMDLINE_MAX 256

_Noreturn void cm_main(void);

extern uint8_t __cm_thread_stack_bottom[], __cm_thread_stack_top[];

static char cmdline_buf[CMDLINE_MAX];

// The command line without its first word, which QEMU fills with the program's name
// (`-semihosting-config arg=firmware,...`, or the -kernel path when no arg= is given). "" when
// semihosting gives none.
static const char *read_cmdline(void)
{
    int n = semihosting_cmdline(cmdline_buf, sizeof(cmdline_buf));
    if (n < 0) {
        kprintf("WARNING: semihosting command line: %s; using none\n", err_str(n));
        return "";
    }
    const char *p = cmdline_buf;
    while (*p != '\0' && *p != ' ')
        p++;
    while (*p == ' ')
        p++;
    return p;
}

// Reports every word whose key the firmware does not read, so a mistyped option is not ignored
// in silence.
static void warn_unknown_words(const char *cmdline)
{
    static const char *const keys[] = {"alloc", "timer_hz"};
    const char *word;
    size_t len;
    while ((len = cmdline_next_unknown(&cmdline, keys, 2, &word)) != 0)
        kprintf("WARNING: unknown command-line word \"%.*s\" ignored\n", (int)len, word);
}

static void print_board(const char *cmdline)
{
    kprintf("boot: %s (%s), cmdline \"%s\"\n", cm_board.name, cm_board.cpu, cmdline);
    kprintf("memory:");
    for (size_t i = 0; i < CM_RAMS; i++)
        kprintf("%s %s %zu KiB at 0x%08lx", i == 0 ? "" : ",", cm_board.ram[i].name,
                cm_board.ram[i].size >> 10, (unsigned long)cm_board.ram[i].base);
    kprintf("\n");
}

static void guard_stack(void)
{
    int err = mpu_guard_init();
    if (err != 0) {
        kprintf("WARNING: no MPU: the thread stack has no guard\n");
        return;
    }
    kprintf("mpu: thread stack %lu KiB at %#lx, guard %#lx-%#lx\n",
            (unsigned long)(__cm_thread_stack_top - __cm_thread_stack_bottom) >> 10,
            (unsigned long)(uintptr_t)__cm_thread_stack_bottom, (unsigned long)mpu_guard_start(),
            (unsigned long)mpu_guard_end() - 1);
}

static uint32_t timer_rate(const char *cmdline)
{
    uint32_t hz = TASKS_TIMER_HZ;
    int err = cmdline_get_u32(cmdline, "timer_hz", &hz);
    if (err != 0 && err != E_NOENT)
        kprintf("WARNING: timer_hz: %s; using %u Hz\n", err_str(err), (unsigned)hz);
    return hz;
}

_Noreturn void cm_main(void)
{
    console_init();
    kprintf("Hello World!\n");
    stage_reached(STAGE_CONSOLE); // images with a test runner start it here

    const char *cmdline = read_cmdline();
    print_board(cmdline);
    warn_unknown_words(cmdline);
    cm_faults_init();
    guard_stack();

    heap_init(cmdline);
    kprintf("heap: %s allocator, %zu KiB at %#lx\n", heap_design(), heap_limit() / 1024,
            (unsigned long)heap_start());

    tasks_init();
    uint32_t hz = timer_rate(cmdline);
    int err = systick_init(cm_board.sysclk_hz, hz);
    if (err != 0) {
        kprintf("WARNING: timer_hz=%u: %s; using %u Hz\n", (unsigned)hz, err_str(err),
                TASKS_TIMER_HZ);
        KASSERT(systick_init(cm_board.sysclk_hz, TASKS_TIMER_HZ) == 0);
    }
    kprintf("timer: SysTick at %u Hz (reload %lu)\n", (unsigned)(err != 0 ? TASKS_TIMER_HZ : hz),
            (unsigned long)systick_reload());
    KASSERT(tasks_spawn(tasks_example()) == 0);
    KASSERT(tasks_spawn(tasks_heartbeat()) == 0);
    // PRIMASK has been 0 since reset; SysTick, started above, is the first interrupt.

    stage_reached(STAGE_RUNNING); // a test runner runs its tests and leaves QEMU here
    tasks_run();
}
