// Stand-in for core/cm_fault.c until the cm-core branch lands.
#include "core/cm_fault.h"
#include "core/fmt.h"
#include "core/hw.h"

void cm_fault_read_status(struct cm_fault_info *f)
{
    f->cfsr = hw_mmio_read32(CM_SCB_CFSR);
    f->hfsr = hw_mmio_read32(CM_SCB_HFSR);
    f->mmfar = hw_mmio_read32(CM_SCB_MMFAR);
    f->bfar = hw_mmio_read32(CM_SCB_BFAR);
}

void cm_fault_from_frame(struct cm_fault_info *f, uint32_t exc, const uint32_t *frame,
                         uint32_t exc_return)
{
    f->exc = exc;
    f->r0 = frame[0];
    f->r1 = frame[1];
    f->r2 = frame[2];
    f->r3 = frame[3];
    f->r12 = frame[4];
    f->lr = frame[5];
    f->pc = frame[6];
    f->xpsr = frame[7];
    f->exc_return = exc_return;
    uint32_t words = 8 + ((exc_return & (1u << 4)) ? 0 : 18);
    f->sp = (uint32_t)(uintptr_t)frame + 4 * words + ((f->xpsr & (1u << 9)) ? 4 : 0);
}

const char *cm_fault_name(uint32_t exc)
{
    switch (exc) {
    case CM_EXC_HARDFAULT: return "HARD FAULT";
    case CM_EXC_MEMMANAGE: return "MEMMANAGE FAULT";
    case CM_EXC_BUSFAULT: return "BUS FAULT";
    case CM_EXC_USAGEFAULT: return "USAGE FAULT";
    default: return "EXCEPTION";
    }
}

struct bit_word {
    uint32_t bit;
    const char *word;
};

static int decode(uint32_t value, const struct bit_word *words, size_t n, char *buf, size_t cap)
{
    int len = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(value & words[i].bit))
            continue;
        size_t at = (size_t)len < cap ? (size_t)len : cap;
        len += fmt_snprintf(buf + at, cap - at, "%s%s", len ? ", " : "", words[i].word);
    }
    if (len == 0 && cap > 0)
        buf[0] = '\0';
    return len;
}

int cm_fault_cfsr_decode(uint32_t cfsr, char *buf, size_t cap)
{
    static const struct bit_word words[] = {
        {1u << 0, "instruction access violation"}, {1u << 1, "data access violation"},
        {1u << 3, "unstacking error"},             {1u << 4, "stacking error"},
        {1u << 5, "FP lazy stacking error"},       {1u << 7, "MMFAR valid"},
        {1u << 8, "instruction bus error"},        {1u << 9, "precise data bus error"},
        {1u << 10, "imprecise data bus error"},    {1u << 11, "unstacking bus error"},
        {1u << 12, "stacking bus error"},          {1u << 13, "FP lazy stacking bus error"},
        {1u << 15, "BFAR valid"},                  {1u << 16, "undefined instruction"},
        {1u << 17, "invalid state"},               {1u << 18, "invalid PC load"},
        {1u << 19, "no coprocessor"},              {1u << 24, "unaligned access"},
        {1u << 25, "divide by zero"},
    };
    return decode(cfsr, words, sizeof(words) / sizeof(words[0]), buf, cap);
}

int cm_fault_hfsr_decode(uint32_t hfsr, char *buf, size_t cap)
{
    static const struct bit_word words[] = {
        {1u << 1, "vector table read"}, {1u << 30, "forced"}, {1u << 31, "debug event"}};
    return decode(hfsr, words, sizeof(words) / sizeof(words[0]), buf, cap);
}

int cm_fault_format(const struct cm_fault_info *f, char *buf, size_t cap)
{
    char words[256];
    int len = 0;
#define OUT(...)                                                                                   \
    do {                                                                                           \
        size_t at_ = (size_t)len < cap ? (size_t)len : cap;                                        \
        len += fmt_snprintf(buf + at_, cap - at_, __VA_ARGS__);                                    \
    } while (0)
    OUT("EXCEPTION: %s (exception %u)\n", cm_fault_name(f->exc), (unsigned)f->exc);
    cm_fault_cfsr_decode(f->cfsr, words, sizeof(words));
    OUT("  CFSR %#x [%s]\n", (unsigned)f->cfsr, words);
    if (f->cfsr & CM_CFSR_MMARVALID)
        OUT("  MMFAR %#x\n", (unsigned)f->mmfar);
    if (f->cfsr & CM_CFSR_BFARVALID)
        OUT("  BFAR %#x\n", (unsigned)f->bfar);
    if (f->exc == CM_EXC_HARDFAULT || f->hfsr != 0) {
        cm_fault_hfsr_decode(f->hfsr, words, sizeof(words));
        OUT("  HFSR %#x [%s]\n", (unsigned)f->hfsr, words);
    }
    OUT("  r0 %#x r1 %#x r2 %#x r3 %#x r12 %#x\n", (unsigned)f->r0, (unsigned)f->r1,
        (unsigned)f->r2, (unsigned)f->r3, (unsigned)f->r12);
    OUT("  lr %#x pc %#x xpsr %#x sp %#x\n", (unsigned)f->lr, (unsigned)f->pc, (unsigned)f->xpsr,
        (unsigned)f->sp);
    return len;
}
