// Helpers shared by the boot-information parsers (core/bootinfo*.c). Not for use elsewhere.
#pragma once

#include "core/bootinfo.h"
#include "core/le.h"

#include <stdint.h>

// Zeroes *out and records the protocol being parsed and the block's address.
void bootinfo_reset(struct boot_info *out, enum boot_protocol protocol, uint64_t phys);

// Fails a parse: clears every parsed field of out (protocol and info_phys stay), writes the
// message into out->error and returns code. fmt is core/fmt's format language (fmt_vsnprintf);
// the message is cut to fit the buffer.
int bootinfo_fail(struct boot_info *out, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

// Appends one memory-map entry; the caller has checked that there is room. Returns 0, or E_FORMAT
// (message prefixed with proto) when base + length does not fit in 64 bits.
int bootinfo_add_mmap(struct boot_info *out, const char *proto, uint64_t base, uint64_t length,
                      uint32_t type);

// Keeps the command line of len bytes at s (its NUL not counted): whole when it fits
// BOOTINFO_CMDLINE_LIMIT, else cut at a word boundary with the rest counted in cmdline_dropped.
void bootinfo_set_cmdline(struct boot_info *out, const char *s, size_t len);
