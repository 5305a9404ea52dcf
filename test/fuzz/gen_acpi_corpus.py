#!/usr/bin/env python3
"""Writes the seed corpus of test/fuzz/fuzz_acpi.c into test/fuzz/corpus/acpi/.

Each seed is memory as fuzz_acpi places it: at physical address FUZZ_BASE, an RSDP at the start,
the root table and the tables it lists after it, their addresses FUZZ_BASE + offset. Run it from
the repository root after changing a seed; the outputs are committed.
"""
import struct

from corpus import write_seeds

FUZZ_BASE = 0xE0000


def fix(raw, at):
    """raw with the byte at `at` set so that all of raw sums to 0 mod 256."""
    raw = bytearray(raw)
    raw[at] = 0
    raw[at] = -sum(raw) % 256
    return bytes(raw)


def table(sig, body):
    head = sig + struct.pack("<IBB6s8sIII", 36 + len(body), 1, 0, b"BOCHS ", b"BXPC    ", 1,
                             0x43505842, 1)
    return fix(head + body, 9)


def rsdp(revision, rsdt, xsdt):
    v1 = fix(b"RSD PTR " + b"\0" + b"BOCHS " + bytes([revision]) + struct.pack("<I", rsdt), 8)
    if revision < 2:
        return v1 + b"\0" * 12  # pad to 32 so tables start 16-aligned
    return fix(v1 + struct.pack("<IQ", 36, xsdt) + b"\0" * 4, 32)[:36] + b"\0" * 12


def madt_qemu(cpus, x2apic=False):
    body = struct.pack("<II", 0xFEE00000, 1)
    for i in range(cpus):
        if x2apic:
            body += struct.pack("<BBHIII", 9, 16, 0, i, 1, i)
        else:
            body += struct.pack("<BBBBI", 0, 8, i, i, 1)
    body += struct.pack("<BBBBII", 1, 12, 0, 0, 0xFEC00000, 0)
    body += struct.pack("<BBBBIH", 2, 10, 0, 0, 2, 0)
    for irq in (5, 9, 10, 11):
        body += struct.pack("<BBBBIH", 2, 10, 0, irq, irq, 0xD)
    body += struct.pack("<BBBHB", 4, 6, 0xFF, 0, 1)
    body += struct.pack("<BBHIB3s", 10, 12, 0, 0xFFFFFFFF, 1, b"\0\0\0")
    body += struct.pack("<BBHQ", 5, 12, 0, 0xFEE00000)
    body += struct.pack("<BBBBIH", 3, 8, 0, 0, 23, 0)[:8]
    return table(b"APIC", body)


def layout(revision, tables, xsdt=False):
    """RSDP, then the root, then each table, 16-aligned, the root listing them in order."""
    head = 48
    width = 8 if xsdt else 4
    root_len = 36 + width * len(tables)
    at = head + root_len + (-root_len % 16)
    addrs, blobs = [], b""
    for t in tables:
        addrs.append(FUZZ_BASE + at + len(blobs))
        blobs += t + b"\0" * (-len(t) % 16)
    entries = b"".join(struct.pack("<Q" if xsdt else "<I", a) for a in addrs)
    root = table(b"XSDT" if xsdt else b"RSDT", entries)
    root += b"\0" * (-len(root) % 16)
    root_at = FUZZ_BASE + head
    ptr = rsdp(revision, 0 if xsdt else root_at, root_at if xsdt else 0)
    return ptr + b"\0" * (head - len(ptr)) + root + blobs


FACP = table(b"FACP", bytes(80))
HPET = table(b"HPET", bytes(20))
WAET = table(b"WAET", bytes(4))
MCFG = table(b"MCFG", bytes(24))

SEEDS = {
    "qemu_pc.bin": layout(0, [FACP, madt_qemu(1), HPET, WAET]),
    "qemu_q35_smp4.bin": layout(0, [FACP, madt_qemu(4), HPET, MCFG, WAET]),
    "ovmf_xsdt.bin": layout(2, [FACP, madt_qemu(2, x2apic=True)], xsdt=True),
    "bad_checksum_table.bin": layout(0, [FACP[:-1] + bytes([FACP[-1] ^ 1]), madt_qemu(1)]),
    "rsdp_only.bin": rsdp(0, 0, 0),
}

if __name__ == "__main__":
    write_seeds("acpi", SEEDS)
