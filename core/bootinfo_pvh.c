// PVH start-info parser (the rules and errors are listed in core/bootinfo.h).
//
// Layout (Xen public/arch-x86/hvm/start_info.h, all little-endian): u32 magic, u32 version,
// u32 flags, u32 nr_modules, u64 modlist_paddr, u64 cmdline_paddr, u64 rsdp_paddr (40 bytes,
// version 0); version 1 appends u64 memmap_paddr, u32 memmap_entries, u32 reserved (56 bytes).
// Memory map entries are u64 addr, u64 size, u32 type (e820 numbering), u32 reserved.
// Address 0 in any field means "not present".
#include "core/bootinfo.h"
#include "core/bootinfo_internal.h"
#include "core/err.h"
#include "core/hw.h"
#include "core/panic.h"
#include "core/string.h"

#define PVH_V0_SIZE      40
#define PVH_V1_SIZE      56
#define PVH_OFF_VERSION  4
#define PVH_OFF_CMDLINE  24
#define PVH_OFF_RSDP     32
#define PVH_OFF_MEMMAP   40
#define PVH_OFF_MEMMAP_N 48
#define PVH_MEMMAP_ENTRY 24

// The command line has no length field: it is read byte by byte, each byte's reachability checked,
// until its NUL (at most BOOTINFO_PVH_CMDLINE_SCAN bytes), then kept as bootinfo_set_cmdline says.
static int copy_cmdline(struct boot_info *out, uint64_t paddr)
{
    if (paddr == 0)
        return 0;
    for (size_t i = 0; i < BOOTINFO_PVH_CMDLINE_SCAN; i++) {
        const char *s = hw_phys_to_virt(paddr, i + 1);
        if (s == NULL && i == 0)
            return bootinfo_fail(out, E_RANGE, "PVH: command line at %#llx is not reachable",
                                 (unsigned long long)paddr);
        if (s == NULL)
            return bootinfo_fail(out, E_RANGE,
                                 "PVH: command line at %#llx runs into unreachable memory after "
                                 "%u bytes, before its NUL",
                                 (unsigned long long)paddr, (unsigned)i);
        if (s[i] == '\0') {
            bootinfo_set_cmdline(out, s, i);
            return 0;
        }
    }
    return bootinfo_fail(out, E_TOOBIG,
                         "PVH: command line at %#llx has no NUL in its first %u bytes",
                         (unsigned long long)paddr, BOOTINFO_PVH_CMDLINE_SCAN);
}

static int copy_memmap(struct boot_info *out, uint64_t paddr, uint32_t entries)
{
    if (entries == 0)
        return 0;
    if (paddr == 0)
        return bootinfo_fail(out, E_FORMAT, "PVH: memmap_entries is %u but memmap_paddr is 0",
                             entries);
    if (entries > BOOTINFO_MMAP_MAX)
        return bootinfo_fail(out, E_TOOBIG, "PVH: memory map has %u entries; at most %u fit",
                             entries, BOOTINFO_MMAP_MAX);
    size_t bytes = (size_t)entries * PVH_MEMMAP_ENTRY;
    const uint8_t *map = hw_phys_to_virt(paddr, bytes);
    if (map == NULL)
        return bootinfo_fail(out, E_RANGE,
                             "PVH: memory map at %#llx (%u entries, %#x bytes) is not reachable",
                             (unsigned long long)paddr, entries, (unsigned)bytes);
    for (uint32_t i = 0; i < entries; i++) {
        const uint8_t *e = map + (size_t)i * PVH_MEMMAP_ENTRY;
        int rc = bootinfo_add_mmap(out, "PVH", le_load64(e), le_load64(e + 8), le_load32(e + 16));
        if (rc != 0)
            return rc;
    }
    return 0;
}

int bootinfo_parse_pvh(struct boot_info *out, uint64_t phys)
{
    KASSERT(out != NULL);
    bootinfo_reset(out, BOOT_PVH, phys);
    if (phys % 8 != 0)
        return bootinfo_fail(out, E_ALIGN, "PVH: start info at %#llx is not 8-byte aligned",
                             (unsigned long long)phys);
    const uint8_t *si = hw_phys_to_virt(phys, PVH_V0_SIZE);
    if (si == NULL)
        return bootinfo_fail(out, E_RANGE, "PVH: start info at %#llx (%u bytes) is not reachable",
                             (unsigned long long)phys, PVH_V0_SIZE);
    uint32_t magic = le_load32(si);
    if (magic != BOOTINFO_PVH_MAGIC)
        return bootinfo_fail(out, E_FORMAT, "PVH: start info at %#llx has magic %#x, not %#x",
                             (unsigned long long)phys, magic, BOOTINFO_PVH_MAGIC);
    uint32_t version = le_load32(si + PVH_OFF_VERSION);
    uint32_t size = version >= 1 ? PVH_V1_SIZE : PVH_V0_SIZE;
    si = hw_phys_to_virt(phys, size);
    if (si == NULL)
        return bootinfo_fail(out, E_RANGE,
                             "PVH: version %u start info at %#llx (%u bytes) is not reachable",
                             version, (unsigned long long)phys, size);
    int rc = copy_cmdline(out, le_load64(si + PVH_OFF_CMDLINE));
    if (rc == 0 && version >= 1)
        rc = copy_memmap(out, le_load64(si + PVH_OFF_MEMMAP), le_load32(si + PVH_OFF_MEMMAP_N));
    if (rc != 0)
        return rc;
    out->rsdp_phys = le_load64(si + PVH_OFF_RSDP);
    out->info_size = size;
    return 0;
}
