// kmain: the C entry from boot.S and the kernel's init order.
#include "core/bootinfo.h"
#include "core/panic.h"
#include "kernel/console.h"
#include "kernel/kernel.h"
#include "kernel/ktest.h"
#include "platform/x86_64/cpu.h"

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

    ktest_run_stage(KTEST_STAGE_LATE);
    for (;;)
        cpu_halt();
}
