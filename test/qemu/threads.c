/*
 * Kernel threads: create, exit codes through join, join's refusals, sleeping, a wait queue, the
 * sleeping mutex under contention, the cooperative executor still serving its tasks while
 * threads run, and what a context switch costs in TSC cycles (QEMU TCG: emulated cycles).
 *
 * qemu-scenario
 * expect-serial: ^3 threads \(preemptive, 2-tick slices; \d+ switches, \d+ preemptions\):$
 * expect-serial: ^ +1  running +\d+  boot$
 * expect-serial: ^ +\d+  blocked +\d+  napper$
 * expect-serial: ^ +0  ready +\d+  idle$
 * expect-serial: thread switch: \d+ cycles
 */
#include "core/err.h"
#include "core/hw.h"
#include "kernel/bench.h"
#include "kernel/console.h"
#include "kernel/shell.h"
#include "kernel/tasks.h"
#include "kernel/thread.h"
#include "platform/x86_64/cpu.h"
#include "platform/x86_64/percpu.h"
#include "test/qemu/ktest/ktest.h"

static int times_three(void *arg)
{
    return (int)(uintptr_t)arg * 3;
}

static void exits_here(void)
{
    thread_exit(-77);
}

static int exits_from_a_callee(void *arg)
{
    (void)arg;
    exits_here();
    return 1; // never reached: thread_exit does not return
}

KTEST(the_boot_flow_is_thread_one)
{
    struct thread *me = thread_current();
    KT_ASSERT_EQ(me->st.id, 1);
    KT_ASSERT_STR_EQ(me->st.name, "boot");
    KT_ASSERT_EQ(me->st.state, SCHED_RUNNING);
    struct thread_entry list[4];
    KT_ASSERT_EQ(thread_list(list, 4), 2); // boot and idle
    KT_ASSERT_STR_EQ(list[1].name, "idle");
}

KTEST(join_returns_each_exit_code)
{
    struct thread *t[6];
    for (uintptr_t i = 0; i < 5; i++) {
        t[i] = thread_create(times_three, (void *)i, "times3");
        KT_ASSERT(t[i] != NULL);
    }
    t[5] = thread_create(exits_from_a_callee, NULL, "exit");
    KT_ASSERT(t[5] != NULL);
    for (int i = 5; i >= 0; i--) { // in reverse: some exited long before their join
        int code = 12345;
        KT_ASSERT_EQ(thread_join(t[i], &code), 0);
        KT_ASSERT_EQ(code, i == 5 ? -77 : i * 3);
    }
}

static struct thread_waitq gate;
static volatile bool gate_open;

static bool is_open(void *ctx)
{
    (void)ctx;
    return gate_open;
}

static int waits_at_the_gate(void *arg)
{
    thread_wait_until(&gate, is_open, NULL);
    return (int)(uintptr_t)arg;
}

static int joins(void *arg)
{
    int code = 0;
    int rc = thread_join(arg, &code);
    return rc != 0 ? rc : code + 1000;
}

KTEST(join_refuses_itself_a_second_joiner_and_a_joined_thread)
{
    int code;
    KT_ASSERT_EQ(thread_join(thread_current(), &code), E_INVAL);
    gate_open = false;
    struct thread *waiter = thread_create(waits_at_the_gate, (void *)7, "waiter");
    struct thread *joiner = thread_create(joins, waiter, "joiner");
    KT_ASSERT(waiter != NULL && joiner != NULL);
    while (joiner->st.state != SCHED_BLOCKED || waiter->st.state != SCHED_BLOCKED)
        thread_yield();
    KT_ASSERT_EQ(thread_join(waiter, &code), E_BUSY);
    gate_open = true;
    KT_ASSERT_EQ(thread_wake_all(&gate), 1);
    KT_ASSERT_EQ(thread_join(joiner, &code), 0);
    KT_ASSERT_EQ(code, 1007);
    KT_ASSERT_EQ(thread_join(waiter, &code), E_NOENT); // reaped by the joiner
}

static int sleeps(void *arg)
{
    uint64_t before = tasks_ticks();
    thread_sleep_ticks((uint64_t)(uintptr_t)arg);
    return (int)(tasks_ticks() - before);
}

// A sleep of n ticks from the middle of a tick ends at the n-th tick after it.
KTEST(sleepers_wake_after_their_ticks_in_deadline_order)
{
    static const uintptr_t ticks[] = {9, 3, 6, 1};
    struct thread *t[4];
    for (int i = 0; i < 4; i++)
        t[i] = thread_create(sleeps, (void *)ticks[i], "sleeper");
    for (int i = 0; i < 4; i++) {
        int slept;
        KT_ASSERT_EQ(thread_join(t[i], &slept), 0);
        KT_ASSERT((uint64_t)slept >= ticks[i] && (uint64_t)slept <= ticks[i] + 1);
    }
}

// A producer hands items to a consumer through a wait queue; the consumer sees every one. The count
// is atomic: with more than one CPU the two may run at once (turning interrupts off, enough on one
// CPU, would lose items).
static struct thread_waitq items_ready;
static volatile uint32_t items, consumed;
#define ITEMS 500

static bool has_items(void *ctx)
{
    (void)ctx;
    return items > 0;
}

static int consumer(void *arg)
{
    (void)arg;
    while (consumed < ITEMS) {
        thread_wait_until(&items_ready, has_items, NULL);
        __atomic_fetch_sub(&items, 1, __ATOMIC_SEQ_CST);
        consumed++;
    }
    return (int)consumed;
}

static int producer(void *arg)
{
    (void)arg;
    for (int i = 0; i < ITEMS; i++) {
        __atomic_fetch_add(&items, 1, __ATOMIC_SEQ_CST);
        thread_wake_one(&items_ready);
        if (i % 7 == 0)
            thread_yield();
    }
    return 0;
}

KTEST(wait_queue_passes_every_item)
{
    struct thread *c = thread_create(consumer, NULL, "consumer");
    struct thread *p = thread_create(producer, NULL, "producer");
    int code;
    KT_ASSERT_EQ(thread_join(p, &code), 0);
    KT_ASSERT_EQ(thread_join(c, &code), 0);
    KT_ASSERT_EQ(code, ITEMS);
    KT_ASSERT_EQ(items, 0);
}

// Each thread increments a shared counter with a yield between the read and the write: only the
// mutex keeps the increments from being lost.
static struct mutex counter_lock;
static volatile uint64_t counter;
#define ROUNDS 200

static int increments(void *arg)
{
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        mutex_lock(&counter_lock);
        uint64_t v = counter;
        thread_yield();
        counter = v + 1;
        mutex_unlock(&counter_lock);
    }
    return 0;
}

KTEST(mutex_keeps_every_increment)
{
    struct thread *t[4];
    counter = 0;
    for (int i = 0; i < 4; i++)
        t[i] = thread_create(increments, NULL, "incr");
    for (int i = 0; i < 4; i++)
        KT_ASSERT_EQ(thread_join(t[i], NULL), 0);
    KT_ASSERT_EQ(counter, 4 * ROUNDS);
    KT_ASSERT(counter_lock.owner == NULL);
}

KTEST_SHOULD_PANIC(unlocking_a_mutex_not_held_panics)
{
    mutex_unlock(&counter_lock);
}

// The executor runs as the boot thread: with a thread sleeping, its idle hook halts; when the
// thread wakes it yields to it. Both go on.
static volatile uint32_t beats;

static int beats_five_times(void *arg)
{
    (void)arg;
    for (int i = 0; i < 5; i++) {
        thread_sleep_ticks(2);
        beats++;
    }
    return 0;
}

static bool five_beats(void *ctx)
{
    (void)ctx;
    return beats == 5;
}

KTEST(executor_and_threads_both_run)
{
    uint64_t halts = tasks_idle_halts();
    struct thread *t = thread_create(beats_five_times, NULL, "beats");
    KT_ASSERT(tasks_run_until(five_beats, NULL, 100));
    KT_ASSERT(tasks_idle_halts() > halts); // the CPU halted while the thread slept
    KT_ASSERT(tasks_example_done());       // the executor ran its tasks meanwhile
    KT_ASSERT_EQ(thread_join(t, NULL), 0);
}

// The shell's `threads` lists them (the lines above): typed on the serial line while a thread
// waits.
static bool line_ran(void *ctx)
{
    return shell_lines() >= *(uint64_t *)ctx;
}

static struct thread_waitq nap;

static int naps(void *arg)
{
    (void)arg;
    thread_wait(&nap);
    return 0;
}

KTEST(shell_lists_the_threads)
{
    struct thread *t = thread_create(naps, NULL, "napper");
    KT_ASSERT(t != NULL);
    thread_yield(); // it runs and blocks
    uint64_t want = shell_lines() + 1;
    KT_ASSERT(ktest_host_serial("threads\r"));
    KT_ASSERT(tasks_run_until(line_ran, &want, 300));
    KT_ASSERT_EQ(thread_wake_one(&nap), 1);
    KT_ASSERT_EQ(thread_join(t, NULL), 0);
}

// ---- the cost of a switch ----------------------------------------------------------------------

#define PINGS 20000

static volatile bool pinned;
static unsigned arrived;
static struct thread_waitq pin_wait;

static bool is_pinned(void *ctx)
{
    (void)ctx;
    return pinned;
}

static int yields(void *arg)
{
    (void)arg;
    thread_wait_until(&pin_wait, is_pinned, NULL); // off every CPU until its mask is set
    // One may have been running on another CPU when its mask was set: each first gets to the boot
    // CPU, then waits there for the other, so that every yield of the loop finds it ready.
    while (percpu()->index != 0)
        thread_yield();
    __atomic_fetch_add(&arrived, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&arrived, __ATOMIC_SEQ_CST) < 2)
        thread_yield();
    for (int i = 0; i < PINGS; i++)
        thread_yield();
    return 0;
}

// Two threads yielding to each other on the boot CPU, the boot thread blocked in join: every yield
// is one switch. (With more CPUs, the two are kept on one: apart, a yield would switch nothing.)
KTEST(context_switch_cost)
{
    uint64_t khz = bench_tsc_khz();
    uint64_t before = thread_switches();
    uint64_t start = cpu_rdtsc();
    pinned = false;
    arrived = 0;
    struct thread *a = thread_create(yields, NULL, "ping");
    struct thread *b = thread_create(yields, NULL, "pong");
    KT_ASSERT(a != NULL && b != NULL);
    KT_ASSERT_EQ(thread_set_cpus(a, 1u << 0), 0);
    KT_ASSERT_EQ(thread_set_cpus(b, 1u << 0), 0);
    pinned = true;
    thread_wake_all(&pin_wait);
    KT_ASSERT_EQ(thread_join(a, NULL), 0);
    KT_ASSERT_EQ(thread_join(b, NULL), 0);
    uint64_t cycles = cpu_rdtsc() - start;
    uint64_t n = thread_switches() - before;
    KT_ASSERT(n >= 2 * PINGS);
    kprintf("thread switch: %llu cycles (yield to yield, %llu switches in %llu cycles, TSC %llu "
            "kHz; QEMU TCG: emulated)\n",
            (unsigned long long)(cycles / n), (unsigned long long)n, (unsigned long long)cycles,
            (unsigned long long)khz);
}
