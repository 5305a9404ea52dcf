// CPU exceptions raised on purpose, for the shell's `fault KIND`: each kind makes the CPU raise
// one exception so its handler's report (kernel/trap.c) can be watched. The breakpoint is reported
// and execution resumes; every other kind ends in the report and a panic.
#pragma once

#include <stddef.h>

struct fault_kind {
    const char *name; // the word the shell takes
    const char *what; // what it does, for help
    void (*raise)(void);
};

// The kinds, in the order help lists them; *n gets their count.
const struct fault_kind *fault_kinds(size_t *n);

// The kind called name, or NULL.
const struct fault_kind *fault_find(const char *name);

// The address pf-read reads: in the lower half, which the kernel's tables leave unmapped.
#define FAULT_UNMAPPED_ADDRESS 0xdead0000000ull
