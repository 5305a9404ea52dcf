// Starting the application processors (see smp.h; docs/smp.md has the sequence).
#include "kernel/smp.h"
#include "core/cmdline.h"
#include "core/err.h"
#include "core/hw.h"
#include "core/lapic.h"
#include "core/panic.h"
#include "core/pit.h"
#include "core/string.h"
#include "kernel/acpi_tables.h"
#include "kernel/console.h"
#include "kernel/params.h"
#include "kernel/smp_internal.h"
#include "kernel/vm.h"
#include "platform/x86_64/apic.h"
#include "platform/x86_64/cpu.h"
#include "platform/x86_64/idt.h"
#include "platform/x86_64/percpu.h"
#include "platform/x86_64/trampoline.h"

KERNEL_PARAM(smp);
KERNEL_PARAM(nosmp);

#define MSR_EFER       0xc0000080u
#define EFER_LME       (1u << 8)
#define EFER_NXE       (1u << 11)
#define MSR_PAT        0x277u
#define CPUID1_EDX_PAT (1u << 16)
#define PAGE           4096u
#define INIT_WAIT_US   10000 // Intel SDM vol. 3A 8.4.4.1: 10 ms after INIT
#define SIPI_WAIT_US   200   // and 200 us after each SIPI

void (*volatile smp_ap_idle)(void);
void (*volatile smp_ap_entry_hook)(void);
unsigned smp_online = 1;
static unsigned listed = 1;
static uint64_t khz;
static uint64_t boot_pat;
static bool has_pat;
static uint8_t spurious; // the APs' spurious-interrupt vector: the boot CPU's

unsigned smp_cpus_online(void)
{
    return __atomic_load_n(&smp_online, __ATOMIC_ACQUIRE);
}

unsigned smp_cpus_listed(void)
{
    return listed;
}

uint64_t smp_tsc_khz(void)
{
    return khz;
}

// Waits `us` microseconds by the PIT's count, which runs whether or not interrupts are on. Each
// read must come within one period of the last (10 ms at 100 Hz): a port read takes microseconds.
static void pit_wait_us(uint64_t us)
{
    uint64_t need = us * PIT_BASE_HZ / 1000000 + 1, elapsed = 0;
    uint32_t period = pit_divisor();
    uint16_t prev = pit_read_count();
    while (elapsed < need) {
        uint16_t now = pit_read_count();
        elapsed += pit_clocks_between(prev, now, period);
        prev = now;
    }
}

// Busy-waits until *flag is true or `ms` have passed by the TSC; returns whether it was set.
static bool wait_flag(const volatile bool *flag, uint64_t ms)
{
    uint64_t start = cpu_rdtsc(), limit = ms * khz;
    while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE)) {
        if (cpu_rdtsc() - start > limit)
            return false;
        hw_relax();
    }
    return true;
}

// The C side of an AP's start: called by the trampoline on the AP's own stack, in the higher half,
// with the kernel's page tables and its struct percpu. Loads its own tables, sets up its APIC,
// reports in, and idles.
static void ap_main(void *arg)
{
    struct percpu *p = arg;
    gdt_load(&p->tables);
    percpu_install(p, p->index);
    idt_load();
    void (*hook)(void) = smp_ap_entry_hook;
    if (hook != NULL)
        hook();
    if (has_pat)
        cpu_wrmsr(MSR_PAT, boot_pat); // the same memory types as the boot CPU's mappings expect
    if (!apic_cpu_io(&p->lapic))
        panic("smp: CPU %u cannot reach its local APIC", p->index); // GCOVR_EXCL_LINE
    lapic_setup_ap(&p->lapic, spurious, acpi_tables_madt(), p->acpi_uid);
    p->lapic_id = lapic_read_id(&p->lapic);
    __atomic_store_n(&p->online, true, __ATOMIC_RELEASE);
    for (;;)
        smp_ap_idle();
}

static void idle_halt(void)
{
    cpu_enable_irq_and_halt();
}

void smp_set_ap_idle(void (*idle)(void))
{
    KASSERT(idle != NULL);
    __atomic_store_n(&smp_ap_idle, idle, __ATOMIC_RELEASE);
    uint64_t cycles;
    for (unsigned i = 1; i < smp_cpus_online(); i++)
        (void)smp_ping(i, &cycles); // a halted AP wakes, ends its turn and reads the hook
}

// Maps CPU `index`'s kernel and IST stacks with fresh frames (its slot stays mapped when a CPU
// fails to start: the next candidate reuses it). Returns 0 or vm_map_fresh's error.
static int map_stacks(struct percpu *p, unsigned index)
{
    uintptr_t at = (uintptr_t)(SMP_STACKS_BASE + (uint64_t)index * SMP_STACK_SLOT);
    if (p->stack_top != 0)
        return 0;
    at += SMP_GUARD_SIZE;
    int err = vm_map_fresh(at, SMP_STACK_SIZE, PTE_WRITABLE | PTE_GLOBAL | PTE_NX);
    if (err != 0)
        return err;
    at += SMP_STACK_SIZE;
    uintptr_t stack_top = at;
    for (unsigned i = 0; i < IST_COUNT; i++) {
        at += SMP_GUARD_SIZE;
        err = vm_map_fresh(at, IST_STACK_SIZE, PTE_WRITABLE | PTE_GLOBAL | PTE_NX);
        if (err != 0)
            return err; // GCOVR_EXCL_LINE: frames run out after the kernel stack's
        p->ist_bottom[i] = at;
        at += IST_STACK_SIZE;
        p->ist_top[i] = at;
    }
    p->stack_top = stack_top;
    return 0;
}

// INIT, 10 ms, SIPI, 200 us, SIPI unless it is up already, 200 us (Intel SDM vol. 3A 8.4.4.1,
// MultiProcessor Specification B.4), then up to SMP_AP_TIMEOUT_MS for it to report in. Returns
// 0 when it did, else E_IO (the send failed or it never came).
static int start_one(struct percpu *p, const struct lapic_io *io,
                     volatile struct trampoline_params *tp)
{
    tp->stack = p->stack_top;
    tp->arg = (uint64_t)p;
    uint64_t t0 = cpu_rdtsc();
    int err = lapic_send_init(io, p->apic_id);
    if (err == 0) {
        pit_wait_us(INIT_WAIT_US);
        if (khz == 0)
            khz = (cpu_rdtsc() - t0) * 1000 / INIT_WAIT_US; // the first INIT's wait measures it
        err = lapic_send_startup(io, p->apic_id, TRAMPOLINE_PHYS);
    }
    if (err == 0) {
        pit_wait_us(SIPI_WAIT_US);
        if (!__atomic_load_n(&p->online, __ATOMIC_ACQUIRE))
            err = lapic_send_startup(io, p->apic_id, TRAMPOLINE_PHYS);
    }
    if (err == 0 && !wait_flag(&p->online, SMP_AP_TIMEOUT_MS))
        err = E_IO;
    p->start_cycles = cpu_rdtsc() - t0;
    if (err != 0)
        lapic_send_init(io, p->apic_id); // park it: back to wait-for-SIPI, off the trampoline
    return err;
}

// Whether the page at TRAMPOLINE_PHYS is usable RAM by the memory map and clear of the boot
// information block; prints why not.
static bool trampoline_page_free(const struct boot_info *bi)
{
    bool usable = false;
    for (size_t i = 0; i < bi->mmap_count; i++) {
        const struct boot_mmap_entry *m = &bi->mmap[i];
        if (m->type == BOOT_MEM_USABLE && m->base <= TRAMPOLINE_PHYS &&
            m->base + m->length >= TRAMPOLINE_PHYS + PAGE)
            usable = true;
    }
    if (!usable) {
        kprintf("smp: the trampoline page %#x is not usable RAM by the memory map; the other "
                "CPUs stay off\n",
                TRAMPOLINE_PHYS);
        return false;
    }
    if (bi->info_phys < TRAMPOLINE_PHYS + PAGE && bi->info_phys + bi->info_size > TRAMPOLINE_PHYS) {
        kprintf("smp: the boot information block holds the trampoline page %#x; the other CPUs "
                "stay off\n",
                TRAMPOLINE_PHYS);
        return false;
    }
    return true;
}

// Copies the trampoline to its page, maps the page at its own address, and fills the parameters
// every AP shares. Returns the parameter block, or NULL (with a message) when it cannot.
static volatile struct trampoline_params *trampoline_setup(const struct boot_info *bi)
{
    uint64_t cr3 = cpu_read_cr3() & PTE_ADDR_MASK;
    if (cr3 >= (1ull << 32)) {
        kprintf("smp: the kernel's PML4 at %#llx is above 4 GiB, out of the trampoline's 32-bit "
                "reach; the other CPUs stay off\n",
                (unsigned long long)cr3);
        return NULL;
    }
    if (!trampoline_page_free(bi))
        return NULL;
    size_t size = (size_t)(trampoline_end - trampoline_start);
    char *page = hw_phys_to_virt(TRAMPOLINE_PHYS, PAGE);
    KASSERT(page != NULL && size <= PAGE);
    memcpy(page, trampoline_start, size);
    int err = vm_map(TRAMPOLINE_PHYS, TRAMPOLINE_PHYS, 0); // read-only, executable
    if (err != 0) {
        kprintf(
            "smp: cannot map the trampoline page: %s; the other CPUs stay off\n", // GCOVR_EXCL_LINE
            err_str(err));
        return NULL; // GCOVR_EXCL_LINE
    }
    volatile struct trampoline_params *tp =
        (volatile struct trampoline_params *)(page + (trampoline_params - trampoline_start));
    tp->cr3 = (uint32_t)cr3;
    tp->efer = (uint32_t)cpu_rdmsr(MSR_EFER) & (EFER_LME | EFER_NXE);
    tp->entry = (uint64_t)ap_main;
    return tp;
}

// Whether the command line keeps the boot CPU alone (smp=off or nosmp).
static bool smp_disabled(const char *cmdline)
{
    char value[8];
    if (cmdline_get(cmdline, "nosmp", NULL, 0) != E_NOENT) // a bare word: any answer but E_NOENT
        return true;
    int len = cmdline_get(cmdline, "smp", value, sizeof(value));
    if (len == E_NOENT)
        return false;
    if (len >= 0 && strcmp(value, "off") == 0)
        return true;
    if (len < 0 || strcmp(value, "on") != 0)
        kprintf("WARNING: smp: smp=%s%s is not smp=on or smp=off; using on\n", value,
                len < 0 ? "..." : "");
    return false;
}

// Starts the MADT's enabled CPUs but the boot CPU, one at a time; returns how many came up.
static unsigned start_all(const struct acpi_madt *madt, volatile struct trampoline_params *tp)
{
    struct percpu *boot = percpu_of(0);
    unsigned next = 1;
    for (size_t i = 0; i < madt->cpu_count; i++) {
        const struct acpi_cpu *c = &madt->cpus[i];
        if (!(c->flags & ACPI_CPU_ENABLED) || c->apic_id == boot->apic_id)
            continue;
        if (next == PERCPU_MAX) {
            kprintf("smp: CPU with APIC id %u left off: the kernel runs on at most %u CPUs\n",
                    c->apic_id, PERCPU_MAX);
            continue;
        }
        struct percpu *p = percpu_of(next);
        struct percpu kept = *p; // the stacks of a CPU that failed in this slot are reused
        *p = (struct percpu){.index = next, .apic_id = c->apic_id, .acpi_uid = c->uid};
        p->stack_top = kept.stack_top;
        memcpy(p->ist_bottom, kept.ist_bottom, sizeof(p->ist_bottom));
        memcpy(p->ist_top, kept.ist_top, sizeof(p->ist_top));
        int err = map_stacks(p, next);
        if (err != 0) {
            kprintf("smp: no memory for the stacks of CPU with APIC id %u: %s\n", c->apic_id,
                    err_str(err));
            break;
        }
        gdt_build(&p->tables, p->ist_top);
        err = start_one(p, &boot->lapic, tp);
        if (err != 0) {
            kprintf("smp: CPU with APIC id %u did not start (%s); skipped\n", c->apic_id,
                    err_str(err));
            continue;
        }
        __atomic_store_n(&smp_online, next + 1, __ATOMIC_RELEASE);
        next++;
    }
    return next;
}

// The boot line: CPUs online of those listed, their APIC ids, and the time the start-up took.
static void print_online(uint64_t cycles)
{
    kprintf("smp: %u of %u CPUs online (APIC ids", smp_online, listed);
    for (unsigned i = 0; i < smp_online; i++)
        kprintf(" %u", percpu_of(i)->apic_id);
    kprintf(")");
    if (khz != 0)
        kprintf(" in %llu us", (unsigned long long)(cycles * 1000 / khz));
    kprintf("\n");
}

void smp_init(const struct boot_info *bi, uint8_t spurious_vector)
{
    spurious = spurious_vector;
    struct percpu *boot = percpu_of(0);
    smp_ap_idle = idle_halt;
    const struct acpi_madt *madt = acpi_tables_madt();
    listed = 0;
    for (size_t i = 0; madt != NULL && i < madt->cpu_count; i++)
        listed += (madt->cpus[i].flags & ACPI_CPU_ENABLED) != 0;
    if (listed == 0)
        listed = 1; // no MADT (or none enabled): the boot CPU is all there is
    if (!apic_cpu_io(&boot->lapic)) {
        kprintf("smp: the boot CPU has no usable local APIC; the other CPUs stay off\n");
        print_online(0);
        return;
    }
    boot->lapic_id = lapic_read_id(&boot->lapic);
    boot->apic_id = boot->lapic_id; // CPUID's initial id has 8 bits; the register is the truth
    smp_ipi_init();
    if (listed == 1 || smp_disabled(bi->cmdline)) {
        print_online(0);
        return;
    }
    uint64_t start = cpu_rdtsc();
    volatile struct trampoline_params *tp = trampoline_setup(bi);
    if (tp == NULL) {
        print_online(0);
        return;
    }
    uint32_t r[4];
    cpu_cpuid(1, 0, r);
    has_pat = (r[3] & CPUID1_EDX_PAT) != 0;
    if (has_pat)
        boot_pat = cpu_rdmsr(MSR_PAT);
    start_all(madt, tp);
    KASSERT(vm_unmap(TRAMPOLINE_PHYS, NULL) == 0); // no identity map again
    print_online(cpu_rdtsc() - start);
    smp_print_start_times();
    smp_print_round_trips();
}
