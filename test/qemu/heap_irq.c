/*
 * The heap and the frame allocator are safe to call from interrupt handlers: the timer interrupt,
 * at 1 kHz, allocates and frees heap blocks (some large enough to make the heap grow) and frames
 * while the main path churns the heap, each side at least GOAL operations. Every block holds
 * its owner's byte pattern from allocation to free, so two contexts handed overlapping memory
 * would be caught; at the end every block is back, the design's checker finds nothing wrong, and
 * nothing deadlocked (the scenario ends long before its timeout).
 *
 * qemu-scenario
 * cmdline: timer_hz=1000
 * timeout: 30
 * expect-serial: heap_irq: main \d+ ops, interrupt \d+ ops in \d+ ticks, seed 0x[0-9a-f]+$
 */
#include "core/alloc/alloc.h"
#include "core/fmt.h"
#include "core/hw.h"
#include "core/pit.h"
#include "kernel/console.h"
#include "kernel/heap.h"
#include "kernel/irq.h"
#include "kernel/vm.h"
#include "test/qemu/ktest/ktest.h"

#define GOAL         100000 // operations on each side, at least
#define OPS_PER_TICK 150    // interrupt-side operations per timer tick
#define IRQ_SLOTS    64
#define MAIN_SLOTS   512
#define IRQ_FRAMES   4
#define MAX_TICKS    20000 // 20 s at 1 kHz: fail with a message before the runner's timeout
#define SEED         0x9e3779b97f4a7c15ull
#define FRAME_MAGIC  0x1a2b3c4d5e6f7788ull

struct block {
    uint8_t *p;
    size_t size, align;
    uint8_t fill;
};

struct side {
    struct block *blocks;
    size_t count;
    size_t max_size; // sizes 1..max_size, plus a rare large one
    size_t large;    // the rare large size (growth, and fixed_block's fallback under alloc=)
    uint64_t rng;
    uint64_t frames[IRQ_FRAMES];
    volatile uint64_t ops, errors;
    char error[96];
};

static struct block irq_blocks[IRQ_SLOTS], main_blocks[MAIN_SLOTS];
static struct side irq_side = {irq_blocks, IRQ_SLOTS, 256, 16 * 1024, SEED, {0}, 0, 0, ""};
static struct side main_side = {main_blocks, MAIN_SLOTS, 1024, 64 * 1024, SEED ^ 0xff,
                                {0},         0,          0,    ""};

static uint64_t next(struct side *s)
{
    s->rng ^= s->rng << 13;
    s->rng ^= s->rng >> 7;
    s->rng ^= s->rng << 17;
    return s->rng;
}

static void fail(struct side *s, const char *what, const void *p)
{
    if (s->errors++ == 0)
        fmt_snprintf(s->error, sizeof(s->error), "%s (%p)", what, p);
}

// Frees the block if it is live (after checking its pattern), else allocates one. One operation.
static void churn(struct side *s, struct block *b)
{
    if (b->p != NULL) {
        for (size_t i = 0; i < b->size; i++) {
            if (b->p[i] != b->fill) {
                fail(s, "a live block was overwritten", b->p);
                break;
            }
        }
        if (heap_free(b->p, b->size, b->align) != 0)
            fail(s, "heap_free refused a live block", b->p);
        b->p = NULL;
    } else {
        uint64_t r = next(s);
        b->size = r % 97 == 0 ? s->large : 1 + (size_t)(r % s->max_size);
        b->align = (size_t)1 << ((r >> 32) % 7); // 1..64
        b->fill = (uint8_t)(r >> 48) | 1;
        b->p = heap_alloc(b->size, b->align);
        if (b->p == NULL)
            fail(s, "heap_alloc returned NULL", NULL);
        else
            memset(b->p, b->fill, b->size);
    }
    s->ops++;
}

// Takes a frame into slot i, or checks and gives back the one there. Not counted as a heap op.
static void churn_frame(struct side *s, unsigned i)
{
    uint64_t *f = &s->frames[i];
    if (*f != 0) {
        volatile uint64_t *word = hw_phys_to_virt(*f, 8);
        if (*word != (FRAME_MAGIC ^ *f))
            fail(s, "a frame in use was overwritten", (void *)*f);
        if (vm_frame_free(*f) != 0)
            fail(s, "vm_frame_free refused a frame in use", (void *)*f);
        *f = 0;
    } else if ((*f = vm_frame_alloc()) != 0) {
        *(volatile uint64_t *)hw_phys_to_virt(*f, 8) = FRAME_MAGIC ^ *f;
    } else {
        fail(s, "vm_frame_alloc found no frame", NULL);
    }
}

static void on_tick(uint64_t tick)
{
    for (unsigned n = 0; n < OPS_PER_TICK; n++)
        churn(&irq_side, &irq_blocks[next(&irq_side) % IRQ_SLOTS]);
    churn_frame(&irq_side, (unsigned)(tick % IRQ_FRAMES));
}

static void release_all(struct side *s)
{
    for (size_t i = 0; i < s->count; i++) {
        if (s->blocks[i].p != NULL)
            churn(s, &s->blocks[i]);
    }
    for (unsigned i = 0; i < IRQ_FRAMES; i++) {
        if (s->frames[i] != 0)
            churn_frame(s, i);
    }
}

KTEST(heap_and_frames_serve_the_timer_interrupt_and_the_main_path_at_once)
{
    struct alloc_stats before, after;
    heap_stats(&before);
    uint64_t start = pit_ticks();
    KT_ASSERT_EQ(irq_add_tick_hook(on_tick), 0);
    while ((main_side.ops < GOAL || irq_side.ops < GOAL) && pit_ticks() - start < MAX_TICKS) {
        uint64_t r = next(&main_side);
        churn(&main_side, &main_blocks[r % MAIN_SLOTS]);
        if (r % 64 == 0)
            churn_frame(&main_side, (unsigned)(r >> 8) % IRQ_FRAMES);
    }
    KT_ASSERT_EQ(irq_remove_tick_hook(on_tick), 0);
    uint64_t ticks = pit_ticks() - start;
    release_all(&irq_side);
    release_all(&main_side);
    kprintf("heap_irq: main %llu ops, interrupt %llu ops in %llu ticks, seed %#llx\n",
            (unsigned long long)main_side.ops, (unsigned long long)irq_side.ops,
            (unsigned long long)ticks, SEED);

    if (irq_side.errors != 0)
        ktest_fail_at(__FILE__, __LINE__, "interrupt side: %s", irq_side.error);
    if (main_side.errors != 0)
        ktest_fail_at(__FILE__, __LINE__, "main side: %s", main_side.error);
    KT_ASSERT_EQ(irq_side.errors + main_side.errors, 0);
    KT_ASSERT(irq_side.ops >= GOAL);
    KT_ASSERT(main_side.ops >= GOAL);
    char msg[128];
    KT_ASSERT_EQ(heap_check(msg, sizeof(msg)), 0);
    heap_stats(&after);
    KT_ASSERT_EQ(after.allocations, before.allocations);
    KT_ASSERT_EQ(after.used, before.used);
}
