/*
 * The kernel shell, typed at over the serial line (the runner's @@serial) and on the PS/2
 * keyboard (QMP), its output checked on serial and on the screen: every command's output and
 * errors, the editor's keys (arrows, Backspace and DEL, Home/End and Ctrl-A/E, Delete, Ctrl-U,
 * Ctrl-C), the history, Tab completion, an over-long line, unknown commands, the breakpoint fault;
 * and the keystroke-to-echo latency from each source.
 *
 * qemu-scenario
 * timeout: 40
 * cmdline: timer_hz=100
 * expect-serial: ^kernel shell: type help for the commands$
 * expect-serial: ^commands \(Tab completes a name, Up/Down recall lines, Ctrl-C drops one\):$
 * expect-serial: ^  heap \[check \| bench N \[SEED\]\] +design, stats; check it; time N calls$
 * expect-serial: ^  pt ADDR +translate through the kernel's page tables$
 * expect-serial: ^  poweroff +switch off \(ACPI, or QEMU's exit port\)$
 * expect-serial: ^fault kinds: breakpoint divide pf-read pf-write pf-exec gp ud stack-overflow$
 * expect-serial: ^memory map \(7 regions, from PVH\):$
 * expect-serial: ^  0x0000000000100000-0x[0-9a-f]{16} +\d+ KiB  usable$
 * expect-serial: ^frames: \d+ free, \d+ used, of \d+ \(4 KiB each; \d+ MiB free\)$
 * expect-serial: ^heap: tlsf, 100 KiB mapped at 0xffffa00000000000, grows to 65536 KiB$
 * expect-serial: ^  used \d+ B in \d+ blocks \(peak \d+ B\), free \d+ B \(largest \d+ B\)$
 * expect-serial: ^heap check: ok \(tlsf\)$
 * expect-serial: ^heap bench: tlsf, small churn \(1000 live, 8-128 B\), seed 0x2a$
 * expect-serial: ^  (20000|19999) calls, \d+\.\d cycles/op, \d+\.\d ns/op \(TSC \d+ MHz\)$
 * expect-serial: ^usage: heap \[check \| bench N \[SEED\]\]$
 * expect-serial: ^heap bench: N must be 2 to 100000000$
 * expect-serial: ^heap bench: "x" is not a number \(decimal, or hexadecimal after 0x\)$
 * expect-serial: ^heap bench: 99999999999999999999 does not fit in 64 bits$
 * expect-serial: ^pt 0xffffffff80100000: phys 0x100000 in a 4 KiB page$
 * expect-serial: ^  read-only kernel-only executable global
 * expect-serial: ^pt 0xffffa00000000000: phys 0x[0-9a-f]+ in a 4 KiB page$
 * expect-serial: ^  writable kernel-only no-execute global
 * expect-serial: ^pt 0xffff800000000000: phys 0x0 in a 4 KiB page$
 * expect-serial: ^pt: nothing maps 0x0$
 * expect-serial: ^pt: 0x8000000000000000 is not canonical \(bits 63-47 differ\)$
 * expect-serial: ^pt: "12z" is not a number
 * expect-serial: ^usage: pt ADDR$
 * expect-serial: ^ticks: \d+ at 99\.998 Hz \(PIT divisor 11932\)$
 * expect-serial: ^up \d+\.\d{3} s \(0:00:\d\d\)$
 * expect-serial: ^3 tasks \(cooperative, one executor in the boot thread\):$
 * expect-serial: ^ +\d+  running  shell$
 * expect-serial: ^ +\d+  waiting  keyboard$
 * expect-serial: ^cmdline: "timer_hz=100"$
 * expect-serial: ^keys the kernel reads:( \w+)+$
 * expect-serial: ^unknown command "frobnicate" \(help lists them\)$
 * expect-serial: ^too many words: at most 8$
 * expect-serial: ^usage: help$
 * expect-serial: ^reboot\^C$
 * expect-serial: ^help  heap$
 * expect-serial: ^line full: at most 70 characters$
 * expect-serial: ^unknown command "x{40}\.\.\." \(help lists them\)$
 * expect-serial: ^EXCEPTION: BREAKPOINT \(vector 3\)$
 * expect-serial: ^fault: back in the shell$
 * expect-serial: ^fault: unknown kind "bogus"; one of: breakpoint divide pf-read
 * expect-serial: ^echo latency, serial: min \d+ median \d+ max \d+ cycles
 * expect-serial: ^echo latency, keyboard: min \d+ median \d+ max \d+ cycles
 * screen greeting: row 23 = "kernel shell: type help for the commands"
 * screen greeting: row 24 = ">"
 * screen mem: row 23 = "heap: 100 KiB mapped at 0xffffa00000000000"
 * screen mem: row 24 = ">"
 * screen editing: row 24 = "> pt 01000"
 * screen breakpoint: row 23 = "fault: back in the shell"
 * screen breakpoint: row 24 = ">"
 */
#include "kernel/shell.h"
#include "core/string.h"
#include "kernel/bench.h"
#include "kernel/console.h"
#include "kernel/serial_input.h"
#include "kernel/tasks.h"
#include "test/qemu/ktest/ktest.h"
#include "test/qemu/waits.h"

#define WAIT_TICKS 300 // 3 s: ample for any one request and what the shell does with it

static bool lines_ran(void *ctx)
{
    return shell_lines() >= *(uint64_t *)ctx;
}

static bool keys_taken(void *ctx)
{
    const uint64_t *want = ctx; // {source, keys}
    return shell_keys((enum shell_source)want[0]) >= want[1];
}

// Types text on the serial line and runs the executor until the shell has ended n more lines.
static bool serial_lines(const char *text, uint64_t n)
{
    uint64_t want = shell_lines() + n;
    return ktest_host_serial(text) && tasks_run_until(lines_ran, &want, WAIT_TICKS);
}

// The same on the keyboard.
static bool keyboard_lines(const char *text, uint64_t n)
{
    uint64_t want = shell_lines() + n;
    return ktest_host_type(text) && tasks_run_until(lines_ran, &want, WAIT_TICKS);
}

// Types text on the serial line and runs the executor until the shell has taken n more keys.
static bool serial_keys(const char *text, uint64_t n)
{
    uint64_t want[2] = {SHELL_SERIAL, shell_keys(SHELL_SERIAL) + n};
    return ktest_host_serial(text) && tasks_run_until(keys_taken, want, WAIT_TICKS);
}

KTEST(the_shell_greets_with_a_prompt)
{
    KT_ASSERT(tasks_run_until(wait_example_done, NULL, 100));
    KT_ASSERT_STR_EQ(shell_line(), "");
    KT_ASSERT(ktest_host_check_screen("greeting"));
}

// ---- the commands -------------------------------------------------------------------------------

KTEST(help_over_the_serial_line)
{
    KT_ASSERT(serial_lines("help\r", 1));
    KT_ASSERT_STR_EQ(shell_history(0), "help");
}

KTEST(mem_on_the_keyboard)
{
    KT_ASSERT(keyboard_lines("mem\n", 1));
    KT_ASSERT_STR_EQ(shell_history(0), "mem");
    KT_ASSERT(ktest_host_check_screen("mem"));
}

KTEST(heap_stats_check_and_bench)
{
    KT_ASSERT(serial_lines("heap\rheap check\rheap bench 20000 42\r", 3));
    KT_ASSERT(bench_tsc_khz() > 0); // calibrated by the bench
}

KTEST(heap_bad_arguments)
{
    KT_ASSERT(serial_lines("heap frob\rheap bench\rheap bench 1\rheap bench x\r"
                           "heap bench 99999999999999999999\rheap bench 10 zz\r",
                           6));
}

KTEST(pt_translates_and_refuses)
{
    KT_ASSERT(serial_lines("pt 0xffffffff80100000\rpt 0xffffa00000000000\rpt 0xffff800000000000\r"
                           "pt 0\rpt 0x8000000000000000\rpt 12z\rpt\rpt 1 2\r",
                           8));
}

KTEST(time_tasks_and_cmdline)
{
    KT_ASSERT(serial_lines("ticks\ruptime\rtasks\rcmdline\r", 4));
}

KTEST(bad_lines_get_one_line_errors)
{
    KT_ASSERT(serial_lines("frobnicate\rhelp a b c d e f g h\rhelp me\r\r   \r", 5));
}

// ---- the editor's keys --------------------------------------------------------------------------

KTEST(left_right_and_insert)
{
    KT_ASSERT(serial_lines("tcks\x1b[D\x1b[D\x1b[Di\x1b[C\x1b[C\x1b[C\r", 1));
    KT_ASSERT_STR_EQ(shell_history(0), "ticks");
}

KTEST(home_and_end)
{
    KT_ASSERT(serial_lines("ptime\x1b[Hu\x1b[F\r", 1));
    KT_ASSERT_STR_EQ(shell_history(0), "uptime");
    KT_ASSERT(serial_lines("ask\x01t\x05s\r", 1)); // Ctrl-A, Ctrl-E
    KT_ASSERT_STR_EQ(shell_history(0), "tasks");
    KT_ASSERT(serial_lines("lp\x1bOHhe\x1bOF\r", 1)); // the SS3 forms
    KT_ASSERT_STR_EQ(shell_history(0), "help");
}

KTEST(backspace_delete_and_kill)
{
    KT_ASSERT(serial_lines("tickx\x7fs\r", 1)); // DEL
    KT_ASSERT_STR_EQ(shell_history(0), "ticks");
    KT_ASSERT(serial_lines("memm\b\r", 1)); // BS
    KT_ASSERT_STR_EQ(shell_history(0), "mem");
    KT_ASSERT(serial_lines("xuptime\x1b[H\x1b[3~\r", 1)); // Delete
    KT_ASSERT_STR_EQ(shell_history(0), "uptime");
    KT_ASSERT(serial_lines("garbage\x15tasks\r", 1)); // Ctrl-U
    KT_ASSERT_STR_EQ(shell_history(0), "tasks");
}

// Left moves over the line without erasing it: the screen still shows all of it.
KTEST(left_does_not_erase_on_the_screen)
{
    KT_ASSERT(serial_keys("pt 0x1000\x1b[D\x1b[D\x1b[D\x1b[D\x7f", 14));
    KT_ASSERT_STR_EQ(shell_line(), "pt 01000");
    KT_ASSERT(ktest_host_check_screen("editing"));
    KT_ASSERT(serial_lines("\x03", 1));
}

KTEST(ctrl_c_drops_the_line)
{
    uint64_t lines = shell_lines();
    KT_ASSERT(serial_lines("reboot\x03", 1));
    KT_ASSERT_EQ(shell_lines(), lines + 1);
    KT_ASSERT_STR_EQ(shell_history(0), "tasks"); // not entered
    KT_ASSERT_STR_EQ(shell_line(), "");
}

KTEST(history_up_and_down)
{
    // Newest first: tasks, uptime, mem, ticks.
    KT_ASSERT(serial_lines("\x1b[A\x1b[A\x1b[A\x1b[B\r", 1));
    KT_ASSERT_STR_EQ(shell_history(0), "uptime");
    KT_ASSERT_STR_EQ(shell_history(1), "tasks");
}

KTEST(tab_completes_and_lists)
{
    KT_ASSERT(serial_lines("tic\t\r", 1));
    KT_ASSERT_STR_EQ(shell_history(0), "ticks ");
    KT_ASSERT(serial_lines("he\t\x15\r", 1)); // help and heap: listed, then the line dropped
}

KTEST(an_over_long_line_is_refused)
{
    static char line[80];
    memset(line, 'x', 75);
    line[75] = '\r';
    KT_ASSERT(serial_lines(line, 1));
    KT_ASSERT_EQ(strlen(shell_history(0)), 70);
}

KTEST(keyboard_backspace_and_tab)
{
    KT_ASSERT(keyboard_lines("upx\btim\t\n", 1));
    KT_ASSERT_STR_EQ(shell_history(0), "uptime ");
}

// ---- faults -------------------------------------------------------------------------------------

KTEST(the_breakpoint_is_reported_and_the_shell_goes_on)
{
    KT_ASSERT(serial_lines("fault bogus\rfault breakpoint\r", 2));
    KT_ASSERT(ktest_host_check_screen("breakpoint"));
}

// ---- latency ------------------------------------------------------------------------------------

#define LATENCY_KEYS 16

static void report(const char *source, enum shell_source src)
{
    uint32_t s[LATENCY_KEYS];
    size_t n = shell_echo_latency(src, s, LATENCY_KEYS);
    for (size_t i = 1; i < n; i++) { // insertion sort: 16 samples
        uint32_t v = s[i];
        size_t j = i;
        for (; j > 0 && s[j - 1] > v; j--)
            s[j] = s[j - 1];
        s[j] = v;
    }
    uint64_t khz = bench_tsc_khz();
    console_start_line();
    kprintf("echo latency, %s: min %u median %u max %u cycles = %llu / %llu / %llu us (%zu keys)\n",
            source, s[0], s[n / 2], s[n - 1], (unsigned long long)(s[0] * 1000ull / khz),
            (unsigned long long)(s[n / 2] * 1000ull / khz),
            (unsigned long long)(s[n - 1] * 1000ull / khz), n);
}

static bool typed_and_taken(void *ctx)
{
    static int answer = -1;
    if (answer < 0)
        answer = ktest_host_poll_answer();
    bool done = answer >= 0 && keys_taken(ctx);
    if (done)
        answer = -1;
    return done;
}

// One key at a time, each arriving while the kernel is idle: from its interrupt to its echo.
KTEST(keystroke_to_echo_latency)
{
    KT_ASSERT(bench_tsc_khz() > 0);
    shell_latency_reset();
    for (int i = 0; i < LATENCY_KEYS; i++)
        KT_ASSERT(serial_keys("s", 1));
    KT_ASSERT(serial_lines("\x15\r", 1));
    for (int i = 0; i < LATENCY_KEYS; i++) {
        uint64_t want[2] = {SHELL_KEYBOARD, shell_keys(SHELL_KEYBOARD) + 1};
        ktest_host_type_async("k");
        KT_ASSERT(tasks_run_until(typed_and_taken, want, WAIT_TICKS));
    }
    KT_ASSERT(keyboard_lines("\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\n", 1));
    report("serial", SHELL_SERIAL);
    report("keyboard", SHELL_KEYBOARD);
    KT_ASSERT_EQ(serial_input_dropped(), 0);
}
