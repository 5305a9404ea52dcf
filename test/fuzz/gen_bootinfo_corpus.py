#!/usr/bin/env python3
"""Writes the seed corpus of test/fuzz/fuzz_bootinfo.c into test/fuzz/corpus/bootinfo/.

Each seed is a block as fuzz_bootinfo places it: at physical address FUZZ_BASE, so PVH seeds point
their command line and memory map at FUZZ_BASE + offset inside the same input. Run it from the
repository root after changing a seed; the outputs are committed.
"""
import struct

from corpus import write_seeds

FUZZ_BASE = 0x100000

QEMU_MAP = [  # QEMU's e820 map for a 128 MiB guest
    (0x0, 0x9FC00, 1), (0x9FC00, 0x400, 2), (0xF0000, 0x10000, 2),
    (0x100000, 0x7EE0000, 1), (0x7FE0000, 0x20000, 2), (0xFFFC0000, 0x40000, 2),
]


def entries(stride=24, table=QEMU_MAP):
    return b"".join(struct.pack("<QQII", b, n, t, 0).ljust(stride, b"\0") for b, n, t in table)


def mb2_tag(tag_type, payload):
    raw = struct.pack("<II", tag_type, 8 + len(payload)) + payload
    return raw + b"\0" * (-len(raw) % 8)


def mb2_block(tags):
    body = b"".join(tags) + mb2_tag(0, b"")
    return struct.pack("<II", 8 + len(body), 0) + body


def mb2_grub():
    framebuffer = struct.pack("<QIIIBBH", 0xFD000000, 4096, 1024, 768, 32, 1, 0) + bytes(
        [16, 8, 8, 8, 0, 8])
    return mb2_block([
        mb2_tag(21, struct.pack("<I", 0x100000)),
        mb2_tag(1, b"root=/dev/sda1 alloc=linked_list\0"),
        mb2_tag(2, b"GRUB 2.06\0"),
        mb2_tag(4, struct.pack("<II", 639, 129920)),
        mb2_tag(6, struct.pack("<II", 24, 0) + entries()),
        mb2_tag(8, framebuffer),
        mb2_tag(14, b"RSD PTR BOCHS \0\0\0\0\0\0"),
    ])


def pvh(version, cmdline, with_map):
    size = 56 if version >= 1 else 40
    cmd_at = FUZZ_BASE + size if cmdline else 0
    tail = cmdline + b"\0" * (-len(cmdline) % 8) if cmdline else b""
    map_at = FUZZ_BASE + size + len(tail) if with_map else 0
    head = struct.pack("<IIIIQQQ", 0x336EC578, version, 0, 0, 0, cmd_at, 0xF5A30)
    if version >= 1:
        head += struct.pack("<QII", map_at, len(QEMU_MAP) if with_map else 0, 0)
    return head + tail + (entries() if with_map else b"")


def long_cmdline(length):
    """A command line of `length` bytes of 7-byte words and single spaces, NUL-terminated."""
    return bytes(0x20 if i % 8 == 7 else 0x61 + i // 8 % 26 for i in range(length)) + b"\0"


def efi_mmap(descs, size=48):
    """An EFI memory map tag's payload: descriptor_size, version, then (type, start, pages)."""
    body = b"".join(struct.pack("<IIQQQQ", t, 0, start, start, pages, 0xF).ljust(size, b"\0")
                    for t, start, pages in descs)
    return struct.pack("<II", size, 1) + body


OVMF_EFI_MAP = [(7, 0, 0xA0), (2, 0x100000, 0x10), (4, 0x200000, 0x20), (3, 0x400000, 4),
                (5, 0x600000, 1), (9, 0x800000, 2), (10, 0x900000, 3), (11, 0xFEC00000, 1)]


def mb2_uefi(with_map):
    """A block as GRUB builds it on OVMF: an xRGB framebuffer, the EFI system table, the EFI
    memory map, and tag 6 only when with_map."""
    framebuffer = struct.pack("<QIIIBBH", 0x80000000, 4096, 1024, 768, 32, 1, 0) + bytes(
        [16, 8, 8, 8, 0, 8])
    tags = [mb2_tag(1, b"alloc=tlsf\0"), mb2_tag(2, b"GRUB 2.06\0"), mb2_tag(8, framebuffer),
            mb2_tag(12, struct.pack("<Q", 0x7FBEE018)), mb2_tag(17, efi_mmap(OVMF_EFI_MAP)),
            mb2_tag(15, b"RSD PTR BOCHS \x02" + struct.pack("<IIQ", 0x7FBFA014, 36, 0x7FBFA0E8)
                    + bytes(4))]
    if with_map:
        tags.append(mb2_tag(6, struct.pack("<II", 24, 0) + entries()))
    return mb2_block(tags)


def mb2_indexed():
    palette = bytes(v for i in range(16) for v in (i * 16, 255 - i * 16, i))
    framebuffer = struct.pack("<QIIIBBH", 0xA0000, 320, 640, 480, 4, 0, 0) + struct.pack(
        "<H", 16) + palette
    return mb2_block([mb2_tag(8, framebuffer)])


SEEDS = {
    "mb2_grub.bin": mb2_grub(),
    "mb2_minimal.bin": mb2_block([]),
    "mb2_mmap_entry_size_32.bin": mb2_block([mb2_tag(6, struct.pack("<II", 32, 0) + entries(32))]),
    # The most entries that fit (BOOTINFO_MMAP_MAX): one more is the E_TOOBIG path.
    "mb2_mmap_128_entries.bin": mb2_block([mb2_tag(6, struct.pack("<II", 24, 0) + entries(
        24, [(i * 0x1000, 0x1000, 1) for i in range(128)]))]),
    "pvh_qemu.bin": pvh(1, b"console=ttyS0 alloc=bump\0", True),
    "pvh_v0.bin": pvh(0, b"v0\0", False),
    # Command lines around the 4096-byte limit and far past it, through both doors.
    "mb2_cmdline_4097.bin": mb2_block([mb2_tag(1, long_cmdline(4097))]),
    "mb2_cmdline_9000.bin": mb2_block([mb2_tag(1, long_cmdline(9000))]),
    "pvh_cmdline_4096.bin": pvh(1, long_cmdline(4096), True),
    "pvh_cmdline_9000.bin": pvh(1, long_cmdline(9000), False),
    # UEFI boots: the EFI map beside tag 6 and alone (then it is the memory map); a palette.
    "mb2_uefi_with_map.bin": mb2_uefi(True),
    "mb2_uefi_efi_map_only.bin": mb2_uefi(False),
    "mb2_indexed_palette.bin": mb2_indexed(),
    # Both RSDP copies (tag 15 wins).
    "mb2_rsdp_both.bin": mb2_block([mb2_tag(14, b"RSD PTR BOCHS \0\0\0\0\0\0"),
                                    mb2_tag(15, b"RSD PTR BOCHS \x02" + bytes(20))]),
}

if __name__ == "__main__":
    write_seeds("bootinfo", SEEDS)
