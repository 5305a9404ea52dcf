// Command-line keys, declared where they are read. A file that reads `key=` from the kernel command
// line says so with KERNEL_PARAM(key); the declarations are collected in a linker section, and
// kmain reports every word of the command line whose key no file declared (a mistyped option would
// otherwise be ignored in silence).
#pragma once

#include <stddef.h>

// Declares that this image reads the command-line key `name_` (a bare identifier).
#define KERNEL_PARAM(name_)                                                                        \
    static const char *const kernel_param_##name_                                                  \
        __attribute__((used, section(".kernel_params"), aligned(sizeof(void *)))) = #name_

// The keys declared by every KERNEL_PARAM linked into this image, in link order; *n gets their
// number.
const char *const *kernel_params(size_t *n);
