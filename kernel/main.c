// kmain: the C entry from boot.S and the kernel's init order. This is the one place that connects
// the kernel's parts: each lower layer offers registration (IRQ handlers, tick hooks, tasks) and
// kmain wires them, in order, top to bottom.
#include "core/bootinfo.h"
#include "core/cmdline.h"
#include "core/err.h"
#include "core/panic.h"
#include "core/pit.h"
#include "kernel/acpi_tables.h"
#include "kernel/console.h"
#include "kernel/heap.h"
#include "kernel/irq.h"
#include "kernel/kernel.h"
#include "kernel/keyboard.h"
#include "kernel/lockcheck.h"
#include "kernel/params.h"
#include "kernel/serial_input.h"
#include "kernel/shell.h"
#include "kernel/smp.h"
#include "kernel/stage.h"
#include "kernel/tasks.h"
#include "kernel/thread.h"
#include "kernel/tlb.h"
#include "kernel/vm.h"
#include "platform/x86_64/cpu.h"
#include "platform/x86_64/gdt.h"
#include "platform/x86_64/idt.h"

void kmain(uint32_t loader_eax, uint32_t loader_ebx);

static struct boot_info boot_info;

const struct boot_info *kernel_boot_info(void)
{
    return &boot_info;
}

// One line on the framebuffer the loader set up, when it gave one: geometry, pixel layout and where
// it is (GRUB on BIOS reports VGA text mode as an EGA text "framebuffer" at 0xb8000).
static void print_framebuffer(const struct boot_framebuffer *fb)
{
    if (!fb->present)
        return;
    if (fb->type == BOOT_FB_EGA_TEXT) {
        kprintf("framebuffer: EGA text %ux%u at %#llx\n", fb->width, fb->height,
                (unsigned long long)fb->addr);
        return;
    }
    kprintf("framebuffer: %ux%u, %u bpp", fb->width, fb->height, fb->bpp);
    if (fb->type == BOOT_FB_RGB)
        kprintf(" RGB (red %u:%u, green %u:%u, blue %u:%u)", fb->red.pos, fb->red.size,
                fb->green.pos, fb->green.size, fb->blue.pos, fb->blue.size);
    else if (fb->type == BOOT_FB_INDEXED)
        kprintf(" indexed (%u colours)", fb->palette_colors);
    else
        kprintf(" of unknown type %u", fb->type);
    kprintf(", pitch %u, %llu KiB at %#llx\n", fb->pitch,
            (unsigned long long)fb->pitch * fb->height / 1024, (unsigned long long)fb->addr);
}

// One line on what a UEFI loader handed over, when it gave any of its tags.
static void print_efi(const struct boot_efi *efi)
{
    if (efi->system_table_bits == 0 && efi->mmap_entries == 0 && !efi->boot_services)
        return;
    kprintf("efi: ");
    if (efi->system_table_bits != 0)
        kprintf("system table at %#llx (%u-bit), ", (unsigned long long)efi->system_table,
                efi->system_table_bits);
    else
        kprintf("no system table, ");
    kprintf("memory map of %u descriptors%s, boot services %s\n", efi->mmap_entries,
            efi->mmap_used ? " (used)" : "", efi->boot_services ? "running" : "exited");
}

static void print_banner(const struct boot_info *bi)
{
    uint64_t usable = 0;
    for (size_t i = 0; i < bi->mmap_count; i++) {
        if (bi->mmap[i].type == BOOT_MEM_USABLE)
            usable += bi->mmap[i].length;
    }
    kprintf("boot: %s", bootinfo_protocol_name(bi->protocol));
    if (bi->bootloader[0] != '\0')
        kprintf(", loader \"%s\"", bi->bootloader);
    kprintf(", cmdline \"%s\"\n", bi->cmdline);
    kprintf("memory: %zu regions, %llu MiB usable\n", bi->mmap_count,
            (unsigned long long)(usable >> 20));
    print_framebuffer(&bi->framebuffer);
    print_efi(&bi->efi);
}

KERNEL_PARAM(timer_hz);

// The most unknown words reported one by one; the rest are counted in one line, so a long command
// line of words for someone else cannot bury the boot log.
#define UNKNOWN_WORDS_SHOWN 8

// Reports what the kernel does not take from its command line as given: the bytes cut off a line
// longer than it keeps, a key given more than once (the last word wins), and every word whose key
// no KERNEL_PARAM in the image declares, so a mistyped option is not ignored in silence.
static void check_cmdline(const struct boot_info *bi)
{
    if (bi->cmdline_dropped > 0)
        kprintf("WARNING: command line longer than %u bytes: its last %zu bytes were dropped\n",
                BOOTINFO_CMDLINE_LIMIT, bi->cmdline_dropped);
    size_t n;
    const char *const *keys = kernel_params(&n);
    const char *word;
    size_t len;
    for (size_t i = 0; i < n; i++) {
        size_t times = cmdline_count(bi->cmdline, keys[i], &word, &len);
        if (times > 1)
            kprintf("WARNING: %s given %zu times; using the last, \"%.*s\"\n", keys[i], times,
                    (int)len, word);
    }
    size_t unknown = 0;
    for (const char *cursor = bi->cmdline;
         (len = cmdline_next_unknown(&cursor, keys, n, &word)) != 0; unknown++) {
        if (unknown < UNKNOWN_WORDS_SHOWN)
            kprintf("WARNING: unknown command-line word \"%.*s\" ignored\n", (int)len, word);
    }
    if (unknown > UNKNOWN_WORDS_SHOWN)
        kprintf("WARNING: %zu more unknown command-line words ignored\n",
                unknown - UNKNOWN_WORDS_SHOWN);
}

static void print_memory(void)
{
    const struct vm_info *vm = vm_info();
    uint64_t free, total;
    vm_frame_counts(&free, &total);
    kprintf("paging: %llu MiB direct-mapped with %s pages, NX %s, built in %llu kcycles; "
            "%llu of %llu frames free; %llu MiB below 4 GiB uncached (not RAM), PAT %s\n",
            (unsigned long long)(vm->phys_mapped >> 20),
            vm->direct_page == PAGE_SIZE_1G ? "1 GiB" : "2 MiB", vm->nx ? "on" : "off",
            (unsigned long long)(vm->build_cycles / 1000), (unsigned long long)free,
            (unsigned long long)total, (unsigned long long)(vm->uncached >> 20),
            vm->pat_wc ? "entry 1 write-combining" : "absent");
    kprintf("heap: %s allocator, %zu KiB mapped at %#llx, grows to %zu KiB\n", heap_design(),
            heap_mapped() / 1024, (unsigned long long)HEAP_START, heap_limit() / 1024);
}

static uint32_t timer_rate(const char *cmdline)
{
    uint32_t hz = PIT_DEFAULT_HZ;
    int err = cmdline_get_u32(cmdline, "timer_hz", &hz);
    if (err != 0 && err != E_NOENT)
        kprintf("WARNING: timer_hz: %s; using %u Hz\n", err_str(err), hz);
    return hz;
}

// Called by boot.S in long mode on the boot stack, with the registers the loader handed over:
// multiboot2 (eax = magic, ebx = info block) or PVH (ebx = start-info block).
void kmain(uint32_t loader_eax, uint32_t loader_ebx)
{
    console_init();
    kprintf("Hello World!\n");
    stage_reached(STAGE_CONSOLE); // images with a test runner start it here

    int err = bootinfo_parse(&boot_info, loader_eax, loader_ebx);
    if (err != 0)
        panic("cannot read the boot information: %s", boot_info.error);
    print_banner(&boot_info);
    check_cmdline(&boot_info);

    // The CPU's tables, then memory: the address space and frames, then the heap on top of them.
    gdt_init();
    lockcheck_enable(boot_info.cmdline); // GS now holds the boot CPU's struct percpu
    idt_init();
    vm_init(&boot_info);
    console_pick_screen(&boot_info); // maps the framebuffer, when there is one
    heap_init(boot_info.cmdline);
    print_memory();
    acpi_tables_init(&boot_info); // the interrupt controllers and CPUs the firmware describes

    // Interrupts (masked until cpu_enable_irq below) and what runs on them.
    irq_init(timer_rate(boot_info.cmdline));
    thread_init(); // kmain goes on as the thread "boot", preemptible once interrupts are on
    tlb_init();    // before the other CPUs start: vm_unmap shoots their TLB entries down
    vm_set_unmap_hook(tlb_shootdown);
    smp_init(&boot_info, IRQ_APIC_SPURIOUS_VECTOR); // the other CPUs, idling (the PIT times them)
    smp_set_ap_idle(thread_ap_idle);                // and from now on running threads too
    tasks_init();
    KASSERT(irq_add_tick_hook(tasks_tick) == 0); // sleepers wake on timer ticks
    keyboard_init();
    irq_set_handler(IRQ_KEYBOARD, keyboard_irq);
    if (serial_input_init() == 0) // without COM1 the shell still has the keyboard
        irq_set_handler(IRQ_COM1, serial_input_irq);
    shell_init(); // the keyboard's consumer from now on

    // The tasks, then interrupts on.
    KASSERT(tasks_spawn_named(keyboard_task(), "keyboard") == 0);
    KASSERT(tasks_spawn_named(tasks_example(), "example") == 0);
    KASSERT(tasks_spawn_named(tasks_heartbeat(), "heartbeat") == 0);
    KASSERT(tasks_spawn_named(shell_task(), "shell") == 0);
    cpu_enable_irq();

    stage_reached(STAGE_RUNNING); // a test runner runs its tests and leaves QEMU here
    tasks_run();
}
