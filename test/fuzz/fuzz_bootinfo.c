// libFuzzer target for core/bootinfo. The input becomes "physical memory" at FUZZ_BASE (exactly its
// size, so AddressSanitizer sees any read past it) and is parsed as multiboot2, as PVH, and through
// bootinfo_parse with the multiboot2 magic and with an unknown eax; every result must satisfy the
// contract of core/bootinfo.h. PVH inputs can point their command line and memory map back into
// the input: addresses FUZZ_BASE + offset (the seed generator uses the same base).
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bootinfo.h"
#include "core/err.h"
#include "platform/host/mock_hw.h"

#define FUZZ_BASE 0x100000u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_bootinfo: %s:%d: postcondition failed: %s\n", __FILE__,          \
                    __LINE__, #cond);                                                              \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static bool terminated(const char *s, size_t cap)
{
    return memchr(s, '\0', cap) != NULL;
}

static void check_success(const struct boot_info *bi, size_t size)
{
    CHECK(bi->error[0] == '\0');
    // A long command line is kept up to the limit, cut where a word ends: the kept part ends in a
    // word character, and what was dropped came from the input too.
    size_t kept = strlen(bi->cmdline);
    CHECK(kept <= BOOTINFO_CMDLINE_LIMIT);
    CHECK(kept + bi->cmdline_dropped < size);
    if (bi->cmdline_dropped > 0 && kept > 0)
        CHECK(bi->cmdline[kept - 1] != ' ');
    CHECK(bi->mmap_count <= BOOTINFO_MMAP_MAX);
    for (size_t i = 0; i < bi->mmap_count; i++)
        CHECK(bi->mmap[i].length <= UINT64_MAX - bi->mmap[i].base);
    // The block the frame allocator must keep out of lies inside what was handed in.
    CHECK(bi->info_phys == FUZZ_BASE);
    CHECK(bi->info_size > 0 && bi->info_size <= size);
    if (bi->protocol == BOOT_MULTIBOOT2)
        CHECK(bi->info_size <= BOOTINFO_MB2_MAX_SIZE && bi->info_size % 8 == 0);
    else
        CHECK(bi->bootloader[0] == '\0' && !bi->framebuffer.present && bi->efi.mmap_entries == 0);
    // A pixel framebuffer's channels sit inside its pixel and a line fits its pitch.
    const struct boot_framebuffer *fb = &bi->framebuffer;
    if (fb->present && fb->type == BOOT_FB_RGB) {
        const struct boot_fb_field *f[] = {&fb->red, &fb->green, &fb->blue};
        for (int i = 0; i < 3; i++)
            CHECK(f[i]->size > 0 && f[i]->pos + f[i]->size <= fb->bpp);
    }
    if (fb->present && (fb->type == BOOT_FB_RGB || fb->type == BOOT_FB_INDEXED))
        CHECK((uint64_t)fb->pitch * 8 >= (uint64_t)fb->width * fb->bpp);
    CHECK(fb->palette_colors <= BOOTINFO_PALETTE_MAX);
    CHECK(fb->type == BOOT_FB_INDEXED || fb->palette_colors == 0);
    // The EFI map, when it is the memory map, gave one entry a descriptor.
    if (bi->efi.mmap_used)
        CHECK(bi->mmap_count == bi->efi.mmap_entries);
    CHECK(bi->efi.system_table_bits == 0 || bi->efi.system_table_bits == 32 ||
          bi->efi.system_table_bits == 64);
    // A multiboot2 RSDP is a copy inside the block (past the header and its tag's header), whole.
    if (bi->protocol == BOOT_MULTIBOOT2 && bi->rsdp_phys != 0)
        CHECK(bi->rsdp_phys >= FUZZ_BASE + 16 && bi->rsdp_phys + 20 <= FUZZ_BASE + bi->info_size);
}

static void check_failure(const struct boot_info *bi, int rc)
{
    CHECK(rc >= E_HUGE && rc < 0);
    CHECK(bi->error[0] != '\0');
    CHECK(bi->cmdline[0] == '\0' && bi->cmdline_dropped == 0 && bi->bootloader[0] == '\0');
    CHECK(bi->mmap_count == 0 && !bi->framebuffer.present && bi->info_size == 0);
    CHECK(bi->efi.system_table == 0 && bi->efi.mmap_entries == 0 && !bi->efi.mmap_used);
    CHECK(bi->rsdp_phys == 0 && bi->info_phys == FUZZ_BASE);
}

static void check(const struct boot_info *bi, int rc, enum boot_protocol expected, size_t size)
{
    CHECK(bi->protocol == expected);
    CHECK(terminated(bi->cmdline, sizeof(bi->cmdline)));
    CHECK(terminated(bi->bootloader, sizeof(bi->bootloader)));
    CHECK(terminated(bi->error, sizeof(bi->error)));
    if (rc == 0)
        check_success(bi, size);
    else
        check_failure(bi, rc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        mock_hw_reset(); // no memory at all
    else
        memcpy(mock_phys_arena(FUZZ_BASE, size), data, size);

    static struct boot_info bi;
    check(&bi, bootinfo_parse_multiboot2(&bi, FUZZ_BASE), BOOT_MULTIBOOT2, size);
    check(&bi, bootinfo_parse_pvh(&bi, FUZZ_BASE), BOOT_PVH, size);
    check(&bi, bootinfo_parse(&bi, BOOTINFO_MB2_MAGIC, FUZZ_BASE), BOOT_MULTIBOOT2, size);

    uint32_t first = 0;
    if (size >= 4)
        memcpy(&first, data, 4);
    int rc = bootinfo_parse(&bi, 0, FUZZ_BASE);
    check(&bi, rc, first == BOOTINFO_PVH_MAGIC ? BOOT_PVH : BOOT_UNKNOWN, size);
    CHECK(first == BOOTINFO_PVH_MAGIC || rc == E_INVAL);
    return 0;
}
