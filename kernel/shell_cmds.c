// The kernel shell's commands (see shell_cmds.h). Each prints its own output and its own one-line
// errors (returning a negative core/err.h code); argument counts are checked by shell_run.
#include "kernel/shell_cmds.h"
#include "core/alloc/alloc.h"
#include "core/bootinfo.h"
#include "core/err.h"
#include "core/paging.h"
#include "core/pit.h"
#include "core/string.h"
#include "core/tsc.h"
#include "kernel/bench.h"
#include "kernel/console.h"
#include "kernel/fault.h"
#include "kernel/heap.h"
#include "kernel/kernel.h"
#include "kernel/params.h"
#include "kernel/power.h"
#include "kernel/smp.h"
#include "kernel/tasks.h"
#include "kernel/thread.h"
#include "kernel/vm.h"
#include "platform/x86_64/cpu.h"

#define KIB              ((size_t)1024)
#define BENCH_OPS_MAX    100000000ull
#define HELP_NAME_COLUMN 32

// Reads a number argument of command `cmd`, answering a bad one with a message. Returns 0 or the
// error of shell_parse_u64.
static int number(const char *cmd, const char *arg, uint64_t *out)
{
    int err = shell_parse_u64(arg, out);
    if (err == E_RANGE)
        kprintf("%s: %s does not fit in 64 bits\n", cmd, arg);
    else if (err != 0)
        kprintf("%s: \"%s\" is not a number (decimal, or hexadecimal after 0x)\n", cmd, arg);
    return err;
}

// ---- help ---------------------------------------------------------------------------------------

static int cmd_help(void *ctx, size_t argc, const char *const *argv)
{
    (void)ctx, (void)argc, (void)argv;
    kprintf("commands (Tab completes a name, Up/Down recall lines, Ctrl-C drops one):\n");
    for (size_t i = 0; i < shell_ncmds; i++) {
        const struct shell_cmd *c = &shell_cmds[i];
        int n = kprintf("  %s%s%s", c->name, c->usage[0] != '\0' ? " " : "", c->usage);
        kprintf("%*s%s\n", n < HELP_NAME_COLUMN ? HELP_NAME_COLUMN - n : 1, "", c->help);
    }
    size_t nkinds;
    const struct fault_kind *kinds = fault_kinds(&nkinds);
    kprintf("fault kinds:");
    for (size_t i = 0; i < nkinds; i++)
        kprintf(" %s", kinds[i].name);
    kprintf("\n");
    return 0;
}

// ---- memory -------------------------------------------------------------------------------------

static int cmd_mem(void *ctx, size_t argc, const char *const *argv)
{
    (void)ctx, (void)argc, (void)argv;
    const struct boot_info *bi = kernel_boot_info();
    kprintf("memory map (%zu regions, from %s):\n", bi->mmap_count,
            bootinfo_protocol_name(bi->protocol));
    for (size_t i = 0; i < bi->mmap_count; i++) {
        const struct boot_mmap_entry *e = &bi->mmap[i];
        kprintf("  0x%016llx-0x%016llx %10zu KiB  %s\n", (unsigned long long)e->base,
                (unsigned long long)(e->base + (e->length != 0 ? e->length - 1 : 0)),
                (size_t)(e->length / KIB), bootinfo_mem_type_name(e->type));
    }
    uint64_t free, total;
    vm_frame_counts(&free, &total);
    kprintf("frames: %llu free, %llu used, of %llu (4 KiB each; %llu MiB free)\n",
            (unsigned long long)free, (unsigned long long)(total - free), (unsigned long long)total,
            (unsigned long long)(free * 4 / KIB));
    kprintf("heap: %zu KiB mapped at 0x%llx\n", heap_mapped() / KIB,
            (unsigned long long)HEAP_START);
    return 0;
}

static int heap_bench(const char *const *argv, size_t argc)
{
    uint64_t ops, seed;
    int err = number("heap bench", argv[2], &ops);
    if (err != 0)
        return err;
    if (ops < 2 || ops > BENCH_OPS_MAX) {
        kprintf("heap bench: N must be 2 to %llu\n", (unsigned long long)BENCH_OPS_MAX);
        return E_RANGE;
    }
    if (argc == 4 && (err = number("heap bench", argv[3], &seed)) != 0)
        return err;
    if (argc < 4)
        seed = cpu_rdtsc();
    uint64_t khz = bench_tsc_khz(); // first, so a first calibration is not timed with the heap
    kprintf("heap bench: %s, small churn (%d live, 8-128 B), seed 0x%llx\n", heap_design(),
            BENCH_LIVE, (unsigned long long)seed);
    struct bench_heap_result r;
    bench_heap(ops, seed, &r);
    uint64_t per_op_x10 = r.cycles * 10 / r.ops;
    kprintf("  %llu calls, %llu.%llu cycles/op", (unsigned long long)r.ops,
            (unsigned long long)(per_op_x10 / 10), (unsigned long long)(per_op_x10 % 10));
    if (khz != 0) {
        uint64_t ns_x10 = tsc_cycles_to_ns(r.cycles, khz) * 10 / r.ops;
        kprintf(", %llu.%llu ns/op (TSC %llu MHz)", (unsigned long long)(ns_x10 / 10),
                (unsigned long long)(ns_x10 % 10), (unsigned long long)(khz / 1000));
    }
    kprintf("\n");
    if (r.failed != 0)
        kprintf("  %llu allocations failed (out of memory)\n", (unsigned long long)r.failed);
    if (r.free_errors != 0) {
        kprintf("  %llu frees refused: the heap is broken\n", (unsigned long long)r.free_errors);
        return E_FORMAT;
    }
    return 0;
}

static int cmd_heap(void *ctx, size_t argc, const char *const *argv)
{
    (void)ctx;
    if (argc == 1) {
        struct alloc_stats st;
        heap_stats(&st);
        kprintf("heap: %s, %zu KiB mapped at 0x%llx, grows to %zu KiB\n", heap_design(),
                heap_mapped() / KIB, (unsigned long long)HEAP_START, heap_limit() / KIB);
        kprintf("  used %zu B in %zu blocks (peak %zu B), free %zu B (largest %zu B)\n", st.used,
                st.allocations, st.peak_used, st.free, st.largest_free);
        return 0;
    }
    if (strcmp(argv[1], "check") == 0 && argc == 2) {
        char msg[SHELL_MSG_MAX];
        int err = heap_check(msg, sizeof(msg));
        if (err == 0)
            kprintf("heap check: ok (%s)\n", heap_design());
        else
            kprintf("heap check: FAILED: %s\n", msg);
        return err;
    }
    if (strcmp(argv[1], "bench") == 0 && argc >= 3)
        return heap_bench(argv, argc);
    kprintf("usage: heap [check | bench N [SEED]]\n");
    return E_INVAL;
}

// ---- page tables --------------------------------------------------------------------------------

static const char *page_size_name(uint64_t size)
{
    return size == PAGE_SIZE_1G ? "1 GiB" : size == PAGE_SIZE_2M ? "2 MiB" : "4 KiB";
}

static int cmd_pt(void *ctx, size_t argc, const char *const *argv)
{
    (void)ctx, (void)argc;
    uint64_t virt;
    int err = number("pt", argv[1], &virt);
    if (err != 0)
        return err;
    struct pt_translation t;
    err = vm_translate(virt, &t);
    if (err == E_INVAL)
        kprintf("pt: 0x%llx is not canonical (bits 63-47 differ)\n", (unsigned long long)virt);
    else if (err == E_NOENT)
        kprintf("pt: nothing maps 0x%llx\n", (unsigned long long)virt);
    else if (err != 0)
        kprintf("pt: 0x%llx: %s\n", (unsigned long long)virt, err_str(err));
    if (err != 0)
        return err;
    uint64_t f = t.flags;
    kprintf("pt 0x%llx: phys 0x%llx in a %s page\n  %s %s %s%s%s%s%s%s\n", (unsigned long long)virt,
            (unsigned long long)t.phys, page_size_name(t.page_size),
            f & PTE_WRITABLE ? "writable" : "read-only", f & PTE_USER ? "user" : "kernel-only",
            f & PTE_NX ? "no-execute" : "executable", f & PTE_GLOBAL ? " global" : "",
            f & PTE_ACCESSED ? " accessed" : "", f & PTE_DIRTY ? " dirty" : "",
            f & PTE_WRITE_THROUGH ? " write-through" : "",
            f & PTE_CACHE_DISABLE ? " uncached" : "");
    return 0;
}

// ---- time, tasks, command line ------------------------------------------------------------------

static int cmd_ticks(void *ctx, size_t argc, const char *const *argv)
{
    (void)ctx, (void)argc, (void)argv;
    uint32_t mhz = pit_frequency_mhz();
    kprintf("ticks: %llu at %u.%03u Hz (PIT divisor %u)\n", (unsigned long long)pit_ticks(),
            mhz / 1000, mhz % 1000, pit_divisor());
    return 0;
}

static int cmd_uptime(void *ctx, size_t argc, const char *const *argv)
{
    (void)ctx, (void)argc, (void)argv;
    uint64_t ms = pit_ticks_to_ms(pit_ticks()), s = ms / 1000;
    kprintf("up %llu.%03llu s (%llu:%02llu:%02llu)\n", (unsigned long long)s,
            (unsigned long long)(ms % 1000), (unsigned long long)(s / 3600),
            (unsigned long long)(s / 60 % 60), (unsigned long long)(s % 60));
    return 0;
}

static int cmd_tasks(void *ctx, size_t argc, const char *const *argv)
{
    (void)argc, (void)argv;
    const struct shell_env *env = ctx;
    struct tasks_entry list[TASKS_MAX];
    size_t n = tasks_list(list, TASKS_MAX);
    kprintf("%zu tasks (cooperative, one executor in the boot thread):\n     id  state    name\n",
            n);
    for (size_t i = 0; i < n; i++) {
        const char *state = list[i].id == env->self ? "running"
                            : list[i].queued        ? "ready"
                                                    : "waiting";
        kprintf("  %5u  %-7s  %s\n", list[i].id, state, list[i].name);
    }
    return 0;
}

static int cmd_threads(void *ctx, size_t argc, const char *const *argv)
{
    (void)ctx, (void)argc, (void)argv;
    struct thread_entry list[THREAD_MAX + 1];
    size_t n = thread_list(list, THREAD_MAX + 1);
    kprintf("%zu threads (preemptive, %u-tick slices; %llu switches, %llu preemptions):\n"
            "     id  state     ticks  name\n",
            n, THREAD_SLICE_TICKS, (unsigned long long)thread_switches(),
            (unsigned long long)thread_preemptions());
    for (size_t i = 0; i < n && i < THREAD_MAX + 1; i++)
        kprintf("  %5u  %-8s  %5llu  %s\n", list[i].id, sched_state_name(list[i].state),
                (unsigned long long)list[i].ticks_run, list[i].name);
    return 0;
}

static int cmd_cpus(void *ctx, size_t argc, const char *const *argv)
{
    (void)ctx, (void)argc, (void)argv;
    smp_print_cpus();
    smp_print_round_trips();
    return 0;
}

static int cmd_cmdline(void *ctx, size_t argc, const char *const *argv)
{
    (void)ctx, (void)argc, (void)argv;
    kprintf("cmdline: \"%s\"\nkeys the kernel reads:", kernel_boot_info()->cmdline);
    size_t n;
    const char *const *keys = kernel_params(&n);
    for (size_t i = 0; i < n; i++)
        kprintf(" %s", keys[i]);
    kprintf("\n");
    return 0;
}

// ---- faults and power ---------------------------------------------------------------------------

static int cmd_fault(void *ctx, size_t argc, const char *const *argv)
{
    (void)ctx, (void)argc;
    const struct fault_kind *k = fault_find(argv[1]);
    if (k == NULL) {
        size_t n;
        const struct fault_kind *kinds = fault_kinds(&n);
        kprintf("fault: unknown kind \"%.40s\"; one of:", argv[1]);
        for (size_t i = 0; i < n; i++)
            kprintf(" %s", kinds[i].name);
        kprintf("\n");
        return E_NOENT;
    }
    kprintf("fault: %s\n", k->what);
    k->raise();
    kprintf("fault: back in the shell\n"); // only the breakpoint returns
    return 0;
}

static int cmd_reboot(void *ctx, size_t argc, const char *const *argv)
{
    (void)ctx, (void)argc, (void)argv;
    power_reboot();
}

static int cmd_poweroff(void *ctx, size_t argc, const char *const *argv)
{
    (void)ctx, (void)argc, (void)argv;
    return power_off();
}

const struct shell_cmd shell_cmds[] = {
    {"help", "", "list the commands", 0, 0, cmd_help},
    {"mem", "", "the memory map, frames free and used", 0, 0, cmd_mem},
    {"heap", "[check | bench N [SEED]]", "design, stats; check it; time N calls", 0, 3, cmd_heap},
    {"pt", "ADDR", "translate through the kernel's page tables", 1, 1, cmd_pt},
    {"ticks", "", "timer ticks since boot and their rate", 0, 0, cmd_ticks},
    {"uptime", "", "time since the timer started", 0, 0, cmd_uptime},
    {"tasks", "", "the executor's tasks", 0, 0, cmd_tasks},
    {"threads", "", "the kernel threads", 0, 0, cmd_threads},
    {"cpus", "", "the CPUs online and the IPI round trip", 0, 0, cmd_cpus},
    {"cmdline", "", "the kernel command line and its keys", 0, 0, cmd_cmdline},
    {"fault", "KIND", "raise a CPU exception (kinds below)", 1, 1, cmd_fault},
    {"reboot", "", "reset the machine", 0, 0, cmd_reboot},
    {"poweroff", "", "switch off (ACPI, or QEMU's exit port)", 0, 0, cmd_poweroff},
};
const size_t shell_ncmds = sizeof(shell_cmds) / sizeof(shell_cmds[0]);
