// Boot information: turns the block a multiboot2 loader (GRUB) or a PVH loader (QEMU -kernel)
// hands the kernel into one `struct boot_info` — command line, bootloader name, memory map and
// framebuffer — copied out of the block, so the block itself may be reused afterwards.
//
// The parsers treat the block as untrusted input: every byte is reached through
// hw_phys_to_virt() after its range has been checked, nothing outside the validated range is ever
// read, and a malformed block gets a negative core/err.h code and a message in out->error saying
// what was wrong and where. Nothing is silently truncated or dropped: input that does not fit the
// fixed buffers below is an error (E_TOOBIG), not a shortened copy, with one exception: a command
// line longer than BOOTINFO_CMDLINE_LIMIT is well-formed (Linux takes 2048 bytes on x86, more where
// configured), so it is kept up to the limit, cut where a word ends, and cmdline_dropped says how
// many bytes were left out; the caller reports that.
//
// Multi-byte fields are read as little-endian (the only byte order of x86).
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum boot_protocol { BOOT_UNKNOWN = 0, BOOT_MULTIBOOT2 = 1, BOOT_PVH = 2 };

// eax at the multiboot2 entry, and the first word of a PVH start-info block ("xEn3", 0x80 set).
#define BOOTINFO_MB2_MAGIC 0x36d76289u
#define BOOTINFO_PVH_MAGIC 0x336ec578u

#define BOOTINFO_MMAP_MAX 128
// The command line is kept whole up to this many bytes (the buffer holds one more, for the NUL);
// a longer one is cut at a word boundary (see cmdline_dropped).
#define BOOTINFO_CMDLINE_LIMIT 4096
// How far the PVH parser looks for the command line's NUL (PVH gives no length): a line with no
// NUL in this many bytes is not a command line but stray memory, and an error.
#define BOOTINFO_PVH_CMDLINE_SCAN 0x10000u
#define BOOTINFO_NAME_MAX         64 // including the NUL: names of up to 63 bytes fit
#define BOOTINFO_ERROR_MAX        192

// The largest multiboot2 total_size accepted. GRUB's blocks are a few KiB (an EFI memory map and
// the kernel's ELF section headers are the big tags); anything near this is a corrupt header.
#define BOOTINFO_MB2_MAX_SIZE 0x10000u

// Memory types: multiboot2 and e820 (which PVH's memory map uses) share this numbering. Any other
// value is copied through unchanged and must be treated as reserved.
enum {
    BOOT_MEM_USABLE = 1,
    BOOT_MEM_RESERVED = 2,
    BOOT_MEM_ACPI_RECLAIMABLE = 3,
    BOOT_MEM_ACPI_NVS = 4,
    BOOT_MEM_BAD = 5,
    BOOT_MEM_DISABLED = 6,   // e820 / Xen only
    BOOT_MEM_PERSISTENT = 7, // e820 / Xen only: persistent (non-volatile) memory
};

// One memory-map entry exactly as the loader gave it (not sorted, merged or clipped). base + length
// always fits in 64 bits (an entry that wraps is rejected); length may be 0.
struct boot_mmap_entry {
    uint64_t base;
    uint64_t length;
    uint32_t type; // BOOT_MEM_*, or another loader-defined value (treat as reserved)
};

// Framebuffer types of the multiboot2 framebuffer tag.
enum { BOOT_FB_INDEXED = 0, BOOT_FB_RGB = 1, BOOT_FB_EGA_TEXT = 2 };

#define BOOTINFO_PALETTE_MAX 256 // colours of an indexed framebuffer's palette

// One colour channel of an RGB pixel: `size` bits starting at bit `pos` of the pixel value.
struct boot_fb_field {
    uint8_t pos, size;
};

// The multiboot2 framebuffer tag (type 8), when present; PVH has none.
struct boot_framebuffer {
    bool present;
    uint8_t bpp;    // bits per pixel (0 or 16 for EGA text, as the loader reports it)
    uint8_t type;   // BOOT_FB_*, or another value as the loader gave it
    uint32_t pitch; // bytes per line
    uint32_t width; // pixels, or characters for EGA text
    uint32_t height;
    uint64_t addr; // physical address
    // BOOT_FB_RGB: where each channel sits in a pixel.
    struct boot_fb_field red, green, blue;
    // BOOT_FB_INDEXED: the palette, palette_colors entries of {red, green, blue}.
    uint16_t palette_colors;
    uint8_t palette[BOOTINFO_PALETTE_MAX][3];
};

// What a UEFI loader handed over besides the framebuffer (multiboot2 tags 11, 12, 17 and 18).
struct boot_efi {
    uint64_t system_table;     // physical address of the EFI system table; 0 when not given
    uint8_t system_table_bits; // 32 or 64: which tag gave it (0 when none)
    bool boot_services;        // tag 18: the loader did not call ExitBootServices
    uint32_t mmap_entries;     // descriptors in the EFI memory map tag (0 when none)
    bool mmap_used;            // the memory map below was made from the EFI map (no tag 6)
};

struct boot_info {
    enum boot_protocol protocol;
    // The info block itself, so the frame allocator can keep out of it: for multiboot2 its
    // total_size; for PVH the start-info structure (40 bytes for version 0, 56 from version 1; the
    // command line and memory map it points to live elsewhere and are copied here).
    uint64_t info_phys, info_size;
    char cmdline[BOOTINFO_CMDLINE_LIMIT + 1]; // copied, NUL-terminated ("" when none)
    // Bytes of the loader's command line not kept (0 when it fit): a line longer than
    // BOOTINFO_CMDLINE_LIMIT keeps its longest prefix that ends where a word ends (core/cmdline's
    // cmdline_fit), so strlen(cmdline) + cmdline_dropped is the loader's length.
    size_t cmdline_dropped;
    char bootloader[BOOTINFO_NAME_MAX]; // copied, NUL-terminated ("" when none, e.g. PVH)
    size_t mmap_count;                  // 0 when the loader gave no memory map (see below)
    struct boot_mmap_entry mmap[BOOTINFO_MMAP_MAX];
    struct boot_framebuffer framebuffer; // .present false when there is none
    struct boot_efi efi;                 // all zero when the loader gave none of its tags
    // Where the loader says the ACPI RSDP is, for core/acpi's acpi_parse (which checks it); 0 when
    // it gave none (look in the BIOS areas: acpi_find_rsdp). Multiboot2 tags 14 (an ACPI 1.0
    // RSDP) and 15 (ACPI 2.0 and later) hold a copy of the RSDP: this is the copy's address inside
    // the info block, tag 15's when both are given. PVH gives rsdp_paddr.
    uint64_t rsdp_phys;
    char error[BOOTINFO_ERROR_MAX]; // "" on success; on failure what was wrong and where
};

// Detects the protocol from the registers the 32-bit entry received and parses the block:
// multiboot2 when magic (eax) is BOOTINFO_MB2_MAGIC, else PVH when the 4 bytes at info_phys (ebx)
// are reachable and hold BOOTINFO_PVH_MAGIC.
//
// Returns 0 on success. On failure returns a negative code and leaves out holding only protocol
// (what was detected), info_phys and a message in error; every other field is zero/empty, so a
// failed parse can never be mistaken for an empty-but-valid one. The caller must pass a non-NULL
// out (KASSERT). Errors, besides those of the two parsers below:
//   E_INVAL  neither protocol: eax is not the multiboot2 magic and info_phys holds no PVH magic
//            (or is not reachable). The message names eax and info_phys, and says so when
//            printable text sits where the magic should be (QEMU's PVH loader writes a command
//            line too long for its buffer over its own start info).
//
// A well-formed block without a memory map (multiboot2 without tag 6, PVH version 0, or PVH with
// memmap_entries 0) parses successfully with mmap_count 0; whether the kernel can run without one
// is the caller's decision.
int bootinfo_parse(struct boot_info *out, uint32_t magic, uint64_t info_phys);

// Parses a multiboot2 information block at physical address phys. Same success/failure contract
// as bootinfo_parse. Rules and errors:
//   E_ALIGN   phys is not 8-byte aligned.
//   E_RANGE   the 8-byte header, or the total_size bytes it announces, are not reachable.
//   E_FORMAT  total_size below 16 (header + end tag) or not a multiple of 8;
//             a tag whose size is below its 8-byte header or runs past total_size;
//             no end tag (type 0) before total_size; an end tag whose size is not 8, or that is
//             followed by more bytes before total_size;
//             a second cmdline (1), bootloader name (2), memory map (6) or framebuffer (8) tag
//             (which one would win is undefined, so neither does);
//             a cmdline or bootloader-name string without a NUL inside its tag;
//             a memory map tag below its 16-byte header, with entry_size below 24 or not a
//             multiple of 8, or whose entries do not end exactly at the tag's end;
//             a memory map entry whose base + length does not fit in 64 bits;
//             a framebuffer tag smaller than its 31-byte fixed part; an RGB one without room for
//             its 6 bytes of colour fields at offset 32, with bpp 0 or above 32, or with a
//             channel of size 0 or reaching past bpp; an indexed one whose palette (u16 count
//             at offset 32, 3-byte entries from offset 34) runs past the tag, or with bpp 0 or
//             above 8; an RGB or indexed one whose pitch is below width * bpp / 8 (rounded up),
//             or whose addr + pitch * height does not fit in 64 bits;
//             an EFI system table tag (11: u32 address, 12: u64 address) shorter than its
//             address; an EFI memory map tag (17) below its 16-byte header, with
//             descriptor_size below 40 or not a multiple of 8, whose descriptors do not end
//             exactly at the tag's end, or whose descriptor's pages * 4096 + start does not fit
//             in 64 bits (checked only when the map is used, below);
//             a repeat of tag 11, 12, 17 or 18, or both 11 and 12;
//             an ACPI RSDP tag shorter than its copy (tag 14: 20 bytes, tag 15: 36), or a repeat
//             of tag 14 or 15 (the copy's contents are core/acpi's to check).
//   E_TOOBIG  total_size above BOOTINFO_MB2_MAX_SIZE; more than BOOTINFO_MMAP_MAX memory map
//             entries (tag 6, or tag 17 when it is used); a bootloader name that does not fit its
//             buffer (with NUL); a palette of more than BOOTINFO_PALETTE_MAX colours.
// The colour information follows GRUB's layout (a u16 reserved after the type, so the fields start
// at offset 32), which is what loaders write; the specification's text shows a u8.
// Without a memory map tag (6), an EFI memory map tag (17) is turned into the memory map: each
// descriptor becomes one entry of pages * 4096 bytes, its EFI type mapped to BOOT_MEM_*
// (conventional memory, loader and boot-services code and data usable, unless tag 18 says boot
// services still run; ACPI reclaim, ACPI NVS, unusable and persistent memory to their kinds;
// everything else reserved). With tag 6 present, tag 17 is validated and counted only.
// A command line longer than BOOTINFO_CMDLINE_LIMIT is not an error: see cmdline_dropped.
// Tags are 8-byte aligned (a tag's size is padded up to a multiple of 8 to find the next one);
// tags of other types, known or not, are skipped; the header's reserved word and the memory
// map's entry_version are ignored, as the specification says; bytes after a string's NUL are
// ignored.
int bootinfo_parse_multiboot2(struct boot_info *out, uint64_t phys);

// Parses a PVH (Xen hvm_start_info) block at physical address phys. Same success/failure contract
// as bootinfo_parse. Version 0 has no memory map; version 1 adds memmap_paddr/memmap_entries;
// higher versions are read as version 1 (they are backwards-compatible by definition). flags,
// modules and the reserved word are not interpreted; rsdp_paddr is copied to rsdp_phys unchecked
// (core/acpi checks what is there). Rules and errors:
//   E_ALIGN   phys is not 8-byte aligned.
//   E_RANGE   the start info (40 bytes, 56 from version 1) is not reachable; the command line
//             runs into unreachable memory before its NUL; the memory map (memmap_entries * 24
//             bytes at memmap_paddr) is not reachable.
//   E_FORMAT  the magic is not BOOTINFO_PVH_MAGIC; memmap_entries is nonzero but memmap_paddr is
//             0 (address 0 means "not present"); a memory map entry whose base + length does not
//             fit in 64 bits.
//   E_TOOBIG  no NUL within the first BOOTINFO_PVH_CMDLINE_SCAN bytes of the command line;
//             memmap_entries above BOOTINFO_MMAP_MAX.
// A command line longer than BOOTINFO_CMDLINE_LIMIT is not an error: see cmdline_dropped.
// cmdline_paddr 0 means no command line (""); memmap_entries 0 means no memory map.
int bootinfo_parse_pvh(struct boot_info *out, uint64_t phys);

// "multiboot2", "PVH", or "unknown" for anything else. Never NULL.
const char *bootinfo_protocol_name(enum boot_protocol p);

// "usable", "reserved", "ACPI reclaimable", "ACPI NVS", "bad", "disabled", "persistent", or
// "unknown" for any other value. Never NULL.
const char *bootinfo_mem_type_name(uint32_t type);
