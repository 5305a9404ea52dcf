/*
 * The kernel's own address space: translations through the direct map and of kernel text, an
 * example mapping of a fresh page onto the VGA buffer, and the faults W^X and the missing
 * identity map must produce.
 *
 * qemu-scenario
 * expect-serial: ^  error code 0x0 \[not-present read kernel\]$
 * expect-serial: ^  accessed address \(CR2\) 0x0$
 * expect-serial: ^  error code 0x3 \[protection write kernel\]$
 * expect-serial: ^  error code 0x11 \[protection read kernel instruction-fetch\]$
 * screen new_mapping: cell 2 40 = 'N' 0xf0
 * screen new_mapping: cell 2 41 = 'e' 0xf0
 * screen new_mapping: cell 2 42 = 'w' 0xf0
 * screen new_mapping: cell 2 43 = '!' 0xf0
 */
#include "core/err.h"
#include "core/exception.h"
#include "core/paging.h"
#include "kernel/trap.h"
#include "kernel/vm.h"
#include "platform/x86_64/layout.h"
#include "test/qemu/ktest/ktest.h"

#define EXAMPLE_PAGE 0xdeadbeaf000ull // unmapped in the kernel's address space
#define VGA_PHYS     0xb8000ull

// volatile: stored before a fault the compiler cannot see coming, read after it.
static volatile uint64_t count_before;

static bool translate(uint64_t virt, struct pt_translation *t)
{
    return vm_translate(virt, t) == 0;
}

KTEST(vga_buffer_translates_through_the_direct_map)
{
    struct pt_translation t;
    KT_ASSERT(translate(PHYS_MAP_BASE + VGA_PHYS + 0x123, &t));
    KT_ASSERT_EQ(t.phys, VGA_PHYS + 0x123);
    KT_ASSERT(t.flags & PTE_WRITABLE);
    KT_ASSERT(!vm_info()->nx || (t.flags & PTE_NX));
    // Not RAM by the memory map, next to RAM in the first MiB: an uncached 4 KiB page.
    KT_ASSERT_EQ(t.page_size, PAGE_SIZE_4K);
    KT_ASSERT_EQ(t.flags & (PTE_CACHE_DISABLE | PTE_WRITE_THROUGH),
                 PTE_CACHE_DISABLE | PTE_WRITE_THROUGH);
}

// RAM stays write-back in the direct map: the kernel's load address, through it.
KTEST(ram_in_the_direct_map_is_cached)
{
    struct pt_translation t;
    KT_ASSERT(translate(PHYS_MAP_BASE + KERNEL_PHYS, &t));
    KT_ASSERT_EQ(t.flags & (PTE_CACHE_DISABLE | PTE_WRITE_THROUGH), 0);
}

KTEST(kernel_text_translates_to_its_load_address)
{
    struct pt_translation t;
    uint64_t text = (uint64_t)(uintptr_t)&translate;
    KT_ASSERT(translate(text, &t));
    KT_ASSERT_EQ(t.phys, text - KERNEL_VMA);
    KT_ASSERT(!(t.flags & PTE_WRITABLE));
    KT_ASSERT(!(t.flags & PTE_NX));
}

KTEST(unmapped_addresses_do_not_translate)
{
    struct pt_translation t;
    KT_ASSERT_EQ(vm_translate(EXAMPLE_PAGE, &t), E_NOENT);
    KT_ASSERT_EQ(vm_translate(0, &t), E_NOENT); // no identity map
}

// The example of the series' "Paging Implementation" post: a fresh page mapped to the VGA frame; "New!" in black on white
// (attribute 0xf0) at row 2, column 40.
KTEST(new_mapping_writes_to_the_screen)
{
    KT_ASSERT_EQ(vm_map(EXAMPLE_PAGE, VGA_PHYS, PTE_WRITABLE | PTE_NX), 0);
    volatile uint64_t *page = (volatile uint64_t *)EXAMPLE_PAGE;
    page[400 / 8] = 0xf021f077f065f04eull;
    volatile uint16_t *cells = (volatile uint16_t *)(PHYS_MAP_BASE + VGA_PHYS);
    KT_ASSERT_EQ(cells[2 * 80 + 40], 0xf04e); // the same frame seen through the direct map
    KT_ASSERT(ktest_host_check_screen("new_mapping"));
    uint64_t phys = 0;
    KT_ASSERT_EQ(vm_unmap(EXAMPLE_PAGE, &phys), 0);
    KT_ASSERT_EQ(phys, VGA_PHYS);
}

KTEST_SHOULD_PANIC(read_of_address_zero_faults)
{
    count_before = trap_last()->count;
    volatile uint8_t *null = (volatile uint8_t *)0;
    (void)*null;
}

KTEST(that_was_a_not_present_read_of_zero)
{
    KT_ASSERT_EQ(trap_last()->count, count_before + 1);
    KT_ASSERT_EQ(trap_last()->vector, EXC_PAGE_FAULT);
    KT_ASSERT_EQ(trap_last()->cr2, 0);
    KT_ASSERT_EQ(trap_last()->error_code, 0);
}

KTEST_SHOULD_PANIC(write_to_text_faults)
{
    count_before = trap_last()->count;
    volatile uint8_t *text = (volatile uint8_t *)(uintptr_t)&translate;
    *text = 0xc3;
}

KTEST(that_was_a_protection_write)
{
    KT_ASSERT_EQ(trap_last()->count, count_before + 1);
    KT_ASSERT_EQ(trap_last()->vector, EXC_PAGE_FAULT);
    KT_ASSERT_EQ(trap_last()->cr2, (uint64_t)(uintptr_t)&translate);
    KT_ASSERT_EQ(trap_last()->error_code, PF_PRESENT | PF_WRITE);
}

static uint8_t data_code[16] = {0xc3}; // a `ret` in .data

KTEST_SHOULD_PANIC(executing_data_faults)
{
    count_before = trap_last()->count;
    void (*fn)(void) = (void (*)(void))(uintptr_t)data_code;
    fn();
}

KTEST(that_was_an_instruction_fetch)
{
    KT_ASSERT(vm_info()->nx); // QEMU's CPUs have NX
    KT_ASSERT_EQ(trap_last()->count, count_before + 1);
    KT_ASSERT_EQ(trap_last()->cr2, (uint64_t)(uintptr_t)data_code);
    KT_ASSERT_EQ(trap_last()->error_code, PF_PRESENT | PF_FETCH);
}

KTEST(frames_can_be_allocated_and_freed)
{
    uint64_t before, now;
    vm_frame_counts(&before, NULL);
    uint64_t f = vm_frame_alloc();
    KT_ASSERT(f != 0);
    vm_frame_counts(&now, NULL);
    KT_ASSERT_EQ(now, before - 1);
    KT_ASSERT_EQ(vm_frame_free(f), 0);
    KT_ASSERT_EQ(vm_frame_free(f), E_INVAL); // a double free is refused
    vm_frame_counts(&now, NULL);
    KT_ASSERT_EQ(now, before);
}
