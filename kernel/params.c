// The collected command-line keys (see params.h).
#include "kernel/params.h"

extern const char *const __kernel_params_start[];
extern const char *const __kernel_params_end[];

const char *const *kernel_params(size_t *n)
{
    *n = (size_t)(__kernel_params_end - __kernel_params_start);
    return __kernel_params_start;
}
