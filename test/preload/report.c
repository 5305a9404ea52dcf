// What the preloaded malloc tells the world: the design's check() at exit and on SIGUSR2, the
// first refused pointer of each kind, and panics of core/ code. Also the library's constructor,
// which reads its environment and installs the fork handlers and the signal handler.
//
// A result is printed on stderr only when the check fails, unless PRELOAD_ALLOC_REPORT asks for
// every result: "1" prints them on stderr, an absolute path appends them to that file (one line
// per check, from every process that inherits the variable). A line reads
//   preload_alloc: <design> pid <pid> <when>: check ok; <n> live blocks, <n> bytes live, peak
//   <n> bytes, <n> bytes committed of <n> reserved, <n> allocations, <n> out of memory,
//   rejected <n> outside <n> header <n> design
// and when the check fails "check FAILED: <the design's message>; <n> bytes committed ...": the
// design's statistics are left out then (stats() trusts the heap's links, check() does not).
//
// SIGUSR2 and async-signal safety: the handler may interrupt a thread inside the allocator, so it
// must not wait for the lock. It tries it once (an atomic exchange, async-signal-safe); when it
// gets it, it runs the check there and then: check() and stats() only read the heap, the line is
// formatted by core/fmt into a buffer on the stack, and it goes out through write(2), all of
// which are safe in a handler. When the lock is busy (this thread or another is in the
// allocator), the handler sets a flag instead, and the next call to take the lock runs the check
// (preload_run_pending_check). The handler is installed only when SIGUSR2 is at its default
// action when the library starts (its default, ending the process, is what is given up), with
// SA_RESTART so no system call of the program fails with EINTR because of it.
#define _GNU_SOURCE
#include "core/err.h"
#include "core/fmt.h"
#include "core/panic.h"
#include "test/preload/preload.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LINE_MAX_BYTES 640

struct preload_counts preload_counts;

static struct {
    char path[512]; // PRELOAD_ALLOC_REPORT when it is an absolute path, else ""
    bool to_stderr; // PRELOAD_ALLOC_REPORT=1
} want;

static atomic_bool check_pending;

// write(2) of all of s; gives up on an error (there is nowhere to report it).
static void write_all(int fd, const char *s, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, s, len);
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            return;
        }
        s += n;
        len -= (size_t)n;
    }
}

static void append_to_report(const char *line, size_t len)
{
    int fd = open(want.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    write_all(fd, line, len);
    close(fd);
}

// Runs the design's check and reports the result as the top of this file says; `when` says
// which occasion ("exit", "SIGUSR2"). Lock held; async-signal-safe.
static void check_and_report(const char *when)
{
    int saved_errno = errno;
    struct allocator *a = preload_heap_peek();
    char msg[256] = "", live[128] = "", line[LINE_MAX_BYTES];
    int rc = a != NULL ? alloc_check(a, msg, sizeof msg) : 0;
    if (rc == 0 && !want.to_stderr && want.path[0] == '\0') {
        errno = saved_errno;
        return;
    }
    // stats() walks the design's lists without the checker's bounds: only on a sound heap.
    if (rc == 0 && a != NULL) {
        struct alloc_stats s;
        alloc_stats(a, &s);
        fmt_snprintf(live, sizeof live, "%zu live blocks, %zu bytes live, peak %zu bytes, ",
                     s.allocations, s.used, s.peak_used);
    }
    const struct preload_counts *c = &preload_counts;
    int n = fmt_snprintf(
        line, sizeof line,
        "preload_alloc: %s pid %d %s: check %s%s; %s%zu bytes committed of %zu "
        "reserved, %zu allocations, %zu out of memory, rejected %zu outside %zu "
        "header %zu design\n",
        preload_design_name(), (int)getpid(), when, rc == 0 ? "ok" : "FAILED: ", msg, live,
        preload_heap_committed(), preload_heap_reserved(), c->allocations, c->out_of_memory,
        c->rejected[REJECT_OUTSIDE], c->rejected[REJECT_HEADER], c->rejected[REJECT_DESIGN]);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    if (len > 0 && line[len - 1] != '\n')
        line[len - 1] = '\n'; // truncated: still one whole line
    if (rc != 0 || want.to_stderr)
        write_all(STDERR_FILENO, line, len);
    if (want.path[0] != '\0')
        append_to_report(line, len);
    errno = saved_errno;
}

void preload_run_pending_check(void)
{
    if (atomic_load_explicit(&check_pending, memory_order_relaxed) &&
        atomic_exchange(&check_pending, false))
        check_and_report("SIGUSR2");
}

static void on_sigusr2(int sig)
{
    (void)sig;
    if (preload_trylock()) {
        check_and_report("SIGUSR2");
        preload_unlock();
    } else {
        atomic_store(&check_pending, true);
    }
}

static const char *const reject_why[REJECT_KINDS] = {
    [REJECT_OUTSIDE] = "not a pointer into the heap",
    [REJECT_HEADER] = "no valid block header in front of it (freed already, or not from malloc)",
    [REJECT_DESIGN] = "the design refused the block",
};

void preload_reject(enum preload_reject kind, const char *fn, const void *ptr, int rc)
{
    if (preload_counts.rejected[kind]++ != 0)
        return;
    int saved_errno = errno;
    char line[LINE_MAX_BYTES];
    int n =
        fmt_snprintf(line, sizeof line,
                     "preload_alloc: %s pid %d: %s(%p): %s%s%s; ignored (further ones of this "
                     "kind are only counted)\n",
                     preload_design_name(), (int)getpid(), fn, ptr, reject_why[kind],
                     kind == REJECT_DESIGN ? ": " : "", kind == REJECT_DESIGN ? err_str(rc) : "");
    if (n > 0)
        write_all(STDERR_FILENO, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    errno = saved_errno;
}

// core/ calls this on a broken invariant or a caller bug (KASSERT): say so and abort.
void panic_at(const char *file, int line_no, const char *fmt, ...)
{
    char msg[256], line[LINE_MAX_BYTES];
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int n = fmt_snprintf(line, sizeof line, "preload_alloc: pid %d: panic: %s at %s:%d\n",
                         (int)getpid(), msg, file, line_no);
    if (n > 0)
        write_all(STDERR_FILENO, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    abort();
}

// Runs when the library is loaded, after libc is ready and before the program's own
// constructors; malloc may have been called before it (the heap is made on the first call).
__attribute__((constructor)) static void preload_start(void)
{
    const char *r = getenv("PRELOAD_ALLOC_REPORT");
    if (r != NULL && strcmp(r, "1") == 0)
        want.to_stderr = true;
    else if (r != NULL && r[0] == '/' && strlen(r) < sizeof want.path)
        strcpy(want.path, r);
    const char *lim = getenv("PRELOAD_ALLOC_LIMIT_MIB");
    if (lim != NULL && lim[0] != '\0') {
        char *end;
        unsigned long long mib = strtoull(lim, &end, 10);
        if (*end == '\0' && mib <= SIZE_MAX >> 20) {
            preload_lock();
            preload_heap_set_limit((size_t)mib << 20);
            preload_unlock();
        }
    }
    // pthread_atfork may call malloc: never with the lock held.
    pthread_atfork(preload_fork_prepare, preload_fork_parent, preload_fork_child);
    struct sigaction old;
    if (sigaction(SIGUSR2, NULL, &old) == 0 && old.sa_handler == SIG_DFL) {
        struct sigaction sa = {.sa_handler = on_sigusr2, .sa_flags = SA_RESTART};
        sigemptyset(&sa.sa_mask);
        sigaction(SIGUSR2, &sa, NULL);
    }
}

// Runs at exit, after the program's atexit handlers and destructors (the library was loaded
// before the program, so it is finalised after it). The heap stays usable for whatever runs
// later.
__attribute__((destructor)) static void preload_stop(void)
{
    preload_lock();
    check_and_report("exit");
    preload_unlock();
}
