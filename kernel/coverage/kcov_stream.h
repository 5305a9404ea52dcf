// The coverage stream: every translation unit's gcov data (gcc's --coverage with
// -fprofile-info-section), serialised as checked records that scripts/kcov.py turns back into
// .gcda files. Shared by the kernel (kcov.c, out through QEMU's debug console) and the host test
// of the stream (test/qemu/test_kcov.py builds it into a plain program).
//
// The stream, integers little-endian u32:
//   per unit: "KCOV", name_len, name (the .gcda path gcc chose), data_len, data (the .gcda
//             bytes), FNV-1a of name and data
//   at the end: "KEND", the number of units, FNV-1a of every byte before "KEND"
// A stream that stops early, or whose checksums or count disagree, is corrupt: the reader reports
// it, never uses part of it.
#pragma once

#include <stddef.h>

struct gcov_info;

// Writes the stream for the units [begin, end) through out(bytes, len, ctx), in pieces. Each
// unit's data is produced twice by __gcov_info_to_gcda (once to measure and checksum it, once to
// send it), so the counters must not change meanwhile (interrupts off). Returns the number of
// units written.
unsigned kcov_write(const struct gcov_info *const *begin, const struct gcov_info *const *end,
                    void (*out)(const void *bytes, size_t len, void *ctx), void *ctx);
