// kmain: the C entry from boot.S and the kernel's init order.
#include "core/bootinfo.h"
#include "core/cmdline.h"
#include "core/err.h"
#include "core/panic.h"
#include "core/pit.h"
#include "kernel/console.h"
#include "kernel/heap.h"
#include "kernel/irq.h"
#include "kernel/kernel.h"
#include "kernel/keyboard.h"
#include "kernel/ktest.h"
#include "kernel/tasks.h"
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
}

// Every command-line key some part of the kernel reads: alloc and heap_max (heap.c), timer_hz
// (below). A word with any other key is reported, so a mistyped option is not ignored in silence.
static const char *const cmdline_keys[] = {"alloc", "heap_max", "timer_hz"};

static void warn_unknown_words(const char *cmdline)
{
    const char *word;
    size_t len, n = sizeof(cmdline_keys) / sizeof(cmdline_keys[0]);
    while ((len = cmdline_next_unknown(&cmdline, cmdline_keys, n, &word)) != 0)
        kprintf("WARNING: unknown command-line word \"%.*s\" ignored\n", (int)len, word);
}

static void print_memory(void)
{
    const struct vm_info *vm = vm_info();
    struct frame_allocator *fa = vm_frames();
    kprintf("paging: %llu MiB direct-mapped with %s pages, NX %s, built in %llu kcycles; "
            "%llu of %llu frames free\n",
            (unsigned long long)(vm->phys_mapped >> 20),
            vm->direct_page == PAGE_SIZE_1G ? "1 GiB" : "2 MiB", vm->nx ? "on" : "off",
            (unsigned long long)(vm->build_cycles / 1000), (unsigned long long)frame_free_count(fa),
            (unsigned long long)frame_total(fa));
    kprintf("heap: %s allocator, %zu KiB mapped at %#llx, grows to %zu KiB\n",
            heap_allocator()->name, heap_mapped() / 1024, (unsigned long long)HEAP_START,
            heap_limit() / 1024);
}

// Called by boot.S in long mode on the boot stack, with the registers the loader handed over:
// multiboot2 (eax = magic, ebx = info block) or PVH (ebx = start-info block).
void kmain(uint32_t loader_eax, uint32_t loader_ebx)
{
    console_init();
    kprintf("Hello World!\n");
    ktest_run_stage(KTEST_STAGE_EARLY);

    int err = bootinfo_parse(&boot_info, loader_eax, loader_ebx);
    if (err != 0)
        panic("cannot read the boot information: %s", boot_info.error);
    print_banner(&boot_info);
    warn_unknown_words(boot_info.cmdline);

    gdt_init();
    idt_init();
    vm_init(&boot_info);
    heap_init(boot_info.cmdline);
    print_memory();
    uint32_t timer_hz = PIT_DEFAULT_HZ;
    err = cmdline_get_u32(boot_info.cmdline, "timer_hz", &timer_hz);
    if (err != 0 && err != E_NOENT)
        kprintf("WARNING: timer_hz: %s; using %u Hz\n", err_str(err), timer_hz);
    irq_init(timer_hz);
    keyboard_init();
    tasks_init();
    cpu_enable_irq();

    ktest_run_stage(KTEST_STAGE_LATE);
    tasks_run();
}
