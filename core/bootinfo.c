// Boot information: protocol detection, names, and the helpers both parsers share (the parsers
// themselves are core/bootinfo_mb2.c and core/bootinfo_pvh.c).
#include "core/bootinfo.h"
#include "core/bootinfo_internal.h"
#include "core/cmdline.h"
#include "core/err.h"
#include "core/fmt.h"
#include "core/hw.h"
#include "core/panic.h"
#include "core/string.h"

#include <stdarg.h>
#include <stdbool.h>

int bootinfo_parse(struct boot_info *out, uint32_t magic, uint64_t info_phys)
{
    KASSERT(out != NULL);
    if (magic == BOOTINFO_MB2_MAGIC)
        return bootinfo_parse_multiboot2(out, info_phys);
    // PVH leaves eax undefined: the block itself says what it is.
    const uint8_t *p = hw_phys_to_virt(info_phys, 4);
    if (p != NULL && le_load32(p) == BOOTINFO_PVH_MAGIC)
        return bootinfo_parse_pvh(out, info_phys);
    bootinfo_reset(out, BOOT_UNKNOWN, info_phys);
    // QEMU's PVH loader puts the command line just below its start info, and a line longer than
    // its room (4127 bytes in QEMU 7.2) runs over the magic: say so when text sits there instead.
    bool text = p != NULL;
    for (size_t i = 0; text && i < 4; i++)
        text = p[i] >= 0x20 && p[i] < 0x7f;
    return bootinfo_fail(
        out, E_INVAL, "unknown boot protocol: eax %#x is not the multiboot2 magic and %#llx %s%s",
        magic, (unsigned long long)info_phys, p != NULL ? "holds no PVH magic" : "is not reachable",
        text ? " but text (a command line too long for the loader?)" : "");
}

const char *bootinfo_protocol_name(enum boot_protocol p)
{
    switch (p) {
    case BOOT_MULTIBOOT2: return "multiboot2";
    case BOOT_PVH: return "PVH";
    default: return "unknown";
    }
}

const char *bootinfo_mem_type_name(uint32_t type)
{
    switch (type) {
    case BOOT_MEM_USABLE: return "usable";
    case BOOT_MEM_RESERVED: return "reserved";
    case BOOT_MEM_ACPI_RECLAIMABLE: return "ACPI reclaimable";
    case BOOT_MEM_ACPI_NVS: return "ACPI NVS";
    case BOOT_MEM_BAD: return "bad";
    case BOOT_MEM_DISABLED: return "disabled";
    case BOOT_MEM_PERSISTENT: return "persistent";
    default: return "unknown";
    }
}

void bootinfo_reset(struct boot_info *out, enum boot_protocol protocol, uint64_t phys)
{
    memset(out, 0, sizeof(*out));
    out->protocol = protocol;
    out->info_phys = phys;
}

void bootinfo_set_cmdline(struct boot_info *out, const char *s, size_t len)
{
    size_t keep = cmdline_fit(s, len, BOOTINFO_CMDLINE_LIMIT);
    memcpy(out->cmdline, s, keep);
    out->cmdline[keep] = '\0';
    out->cmdline_dropped = len - keep;
}

int bootinfo_add_mmap(struct boot_info *out, const char *proto, uint64_t base, uint64_t length,
                      uint32_t type)
{
    KASSERT(out->mmap_count < BOOTINFO_MMAP_MAX);
    if (length > UINT64_MAX - base)
        return bootinfo_fail(
            out, E_FORMAT, "%s: memory map entry %u (base %#llx, length %#llx) wraps past 2^64",
            proto, (unsigned)out->mmap_count, (unsigned long long)base, (unsigned long long)length);
    out->mmap[out->mmap_count++] = (struct boot_mmap_entry){base, length, type};
    return 0;
}

int bootinfo_fail(struct boot_info *out, int code, const char *fmt, ...)
{
    bootinfo_reset(out, out->protocol, out->info_phys);
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(out->error, sizeof(out->error), fmt, ap);
    va_end(ap);
    return code;
}
