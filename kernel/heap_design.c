// The choice of the heap's design (see heap_design.h).
#include "kernel/heap_design.h"
#include "core/cmdline.h"
#include "core/err.h"
#include "core/panic.h"
#include "core/string.h"
#include "kernel/console_common.h"

static const struct heap_design *find(const char *name, const struct heap_design *designs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(designs[i].name, name) == 0)
            return &designs[i];
    }
    return NULL;
}

const struct heap_design *heap_design_choose(const char *cmdline, const struct heap_design *designs,
                                             size_t n)
{
    if (n == 0)
        panic("heap_design_choose: the image has no heap design");
    const struct heap_design *fallback = find(HEAP_DESIGN_DEFAULT, designs, n);
    if (fallback == NULL)
        fallback = &designs[0];
    char name[16];
    int len = cmdline_get(cmdline, "alloc", name, sizeof(name));
    if (len == E_NOENT)
        return fallback;
    const struct heap_design *d = len >= 0 ? find(name, designs, n) : NULL;
    if (d != NULL)
        return d;
    kprintf("WARNING: alloc=%s is not a design (", name);
    for (size_t i = 0; i < n; i++)
        kprintf("%s%s", i == 0 ? "" : ", ", designs[i].name);
    kprintf("); using %s\n", fallback->name);
    return fallback;
}
