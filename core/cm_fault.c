// Cortex-M fault names, fault status decoding, the exception frame and the fault report.
#include "core/cm_fault.h"
#include "core/fmt.h"
#include "core/hw.h"
#include "core/panic.h"

#include <stdbool.h>

// The words for each bit of a status register; NULL for the bits the architecture reserves.
static const char *const cfsr_words[32] = {
    [0] = "instruction access violation",
    [1] = "data access violation",
    [3] = "MemManage on unstacking",
    [4] = "MemManage on stacking",
    [5] = "MemManage on lazy FP save",
    [7] = "MMFAR valid",
    [8] = "instruction bus error",
    [9] = "precise data bus error",
    [10] = "imprecise data bus error",
    [11] = "bus error on unstacking",
    [12] = "bus error on stacking",
    [13] = "bus error on lazy FP save",
    [15] = "BFAR valid",
    [16] = "undefined instruction",
    [17] = "invalid state",
    [18] = "invalid exception return",
    [19] = "no coprocessor",
    [24] = "unaligned access",
    [25] = "divide by zero",
};

static const char *const hfsr_words[32] = {
    [1] = "vector table read",
    [30] = "forced",
    [31] = "debug event",
};

// A fmt sink that keeps what fits in buf (cap - 1 characters and a NUL) and counts it all.
struct bounded {
    char *buf;
    size_t cap, len;
};

static void bounded_write(void *ctx, const char *s, size_t len)
{
    struct bounded *b = ctx;
    for (size_t i = 0; i < len; i++, b->len++) {
        if (b->len < b->cap) // buf[cap - 1] too: bounded_end puts the NUL over it
            b->buf[b->len] = s[i];
    }
}

static int bounded_end(struct bounded *b)
{
    if (b->cap > 0)
        b->buf[b->len < b->cap ? b->len : b->cap - 1] = '\0';
    return (int)b->len; // a report is under 1 KiB
}

static void decode_to(const struct fmt_sink *sink, uint32_t bits, const char *const words[32])
{
    bool first = true;
    for (unsigned bit = 0; bit < 32; bit++) {
        if (!(bits & (1u << bit)))
            continue;
        const char *sep = first ? "" : ", ";
        if (words[bit] != NULL)
            fmt_format(sink, "%s%s", sep, words[bit]);
        else
            fmt_format(sink, "%sreserved bit %u", sep, bit);
        first = false;
    }
}

static int decode(uint32_t bits, const char *const words[32], char *buf, size_t cap)
{
    struct bounded b = {buf, cap, 0};
    const struct fmt_sink sink = {bounded_write, &b};
    decode_to(&sink, bits, words);
    return bounded_end(&b);
}

void cm_fault_read_status(struct cm_fault_info *f)
{
    KASSERT(f != NULL);
    f->cfsr = hw_mmio_read32(CM_SCB_CFSR);   // CFSR: MemManage, BusFault, UsageFault status
    f->hfsr = hw_mmio_read32(CM_SCB_HFSR);   // HFSR: why HardFault was taken
    f->mmfar = hw_mmio_read32(CM_SCB_MMFAR); // MMFAR: meaningful when CFSR.MMARVALID
    f->bfar = hw_mmio_read32(CM_SCB_BFAR);   // BFAR: meaningful when CFSR.BFARVALID
}

void cm_fault_from_frame(struct cm_fault_info *f, uint32_t exc, const uint32_t *frame,
                         uint32_t exc_return)
{
    KASSERT(f != NULL);
    KASSERT(frame != NULL);
    f->exc = exc;
    f->exc_return = exc_return;
    f->r0 = frame[0];
    f->r1 = frame[1];
    f->r2 = frame[2];
    f->r3 = frame[3];
    f->r12 = frame[4];
    f->lr = frame[5];
    f->pc = frame[6];
    f->xpsr = frame[7];
    uint32_t words = CM_FRAME_WORDS;
    if (!(exc_return & CM_EXC_RETURN_STD))
        words += CM_FP_FRAME_WORDS;
    if (f->xpsr & CM_XPSR_ALIGNED)
        words += 1;
    f->sp = (uint32_t)(uintptr_t)frame + words * 4u;
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

int cm_fault_cfsr_decode(uint32_t cfsr, char *buf, size_t cap)
{
    KASSERT(buf != NULL || cap == 0);
    return decode(cfsr, cfsr_words, buf, cap);
}

int cm_fault_hfsr_decode(uint32_t hfsr, char *buf, size_t cap)
{
    KASSERT(buf != NULL || cap == 0);
    return decode(hfsr, hfsr_words, buf, cap);
}

// "  NAME 0x<value>", then " [words]" when the value is not 0, then a newline.
static void status_line(const struct fmt_sink *sink, const char *name, uint32_t value,
                        const char *const words[32])
{
    fmt_format(sink, "  %s 0x%x", name, (unsigned)value);
    if (value != 0) {
        fmt_format(sink, " [");
        decode_to(sink, value, words);
        fmt_format(sink, "]");
    }
    fmt_format(sink, "\n");
}

int cm_fault_format(const struct cm_fault_info *f, char *buf, size_t cap)
{
    KASSERT(f != NULL);
    KASSERT(buf != NULL || cap == 0);
    struct bounded b = {buf, cap, 0};
    const struct fmt_sink sink = {bounded_write, &b};
    fmt_format(&sink, "EXCEPTION: %s (exception %u)\n", cm_fault_name(f->exc), (unsigned)f->exc);
    status_line(&sink, "CFSR", f->cfsr, cfsr_words);
    if (f->cfsr & CM_CFSR_MMARVALID)
        fmt_format(&sink, "  MMFAR 0x%x\n", (unsigned)f->mmfar);
    if (f->cfsr & CM_CFSR_BFARVALID)
        fmt_format(&sink, "  BFAR 0x%x\n", (unsigned)f->bfar);
    if (f->exc == CM_EXC_HARDFAULT || f->hfsr != 0)
        status_line(&sink, "HFSR", f->hfsr, hfsr_words);
    fmt_format(&sink, "  r0 0x%x r1 0x%x r2 0x%x r3 0x%x r12 0x%x\n", (unsigned)f->r0,
               (unsigned)f->r1, (unsigned)f->r2, (unsigned)f->r3, (unsigned)f->r12);
    fmt_format(&sink, "  lr 0x%x pc 0x%x xpsr 0x%x sp 0x%x\n", (unsigned)f->lr, (unsigned)f->pc,
               (unsigned)f->xpsr, (unsigned)f->sp);
    return bounded_end(&b);
}
