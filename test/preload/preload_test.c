// The preload libraries' test program: an ordinary program that test/preload/run.py starts with
// LD_PRELOAD set to one library (and once under glibc's malloc, where the answers specific to the
// library are skipped). Prints every failed expectation and exits 1 if there was one.
//
//   preload_test [all]    the header arithmetic, the C allocation functions' answers (realloc
//                         shrink/grow/same, calloc overflow, posix_memalign, aligned_alloc,
//                         memalign, valloc, pvalloc, malloc_usable_size, free(NULL), malloc(0),
//                         ENOMEM), a check on SIGUSR2, threads churning, and forks while they do
//   preload_test bad      refused pointers, each kind twice or more (the library prints one line
//                         a kind; run.py counts them)
//   preload_test limit    under PRELOAD_ALLOC_LIMIT_MIB=16: what fits and what does not
//   preload_test corrupt  overwrites a free block's first bytes, raises SIGUSR2 and leaves with
//                         _exit: the check must report it (designs that keep nothing in free
//                         memory, like bump, cannot)
// The random runs print their seed; PRELOAD_TEST_SEED=N replays one.
#define _GNU_SOURCE
#include "test/preload/header.h"

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures, checks;
static bool preloaded; // LD_PRELOAD is set: the library's own answers are checked too

#define EXPECT(cond)                                                                               \
    do {                                                                                           \
        checks++;                                                                                  \
        if (!(cond)) {                                                                             \
            failures++;                                                                            \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                        \
        }                                                                                          \
    } while (0)

// p and n as they are, with the compiler no longer knowing where they come from: the bad calls
// below are on purpose, and the compiler would otherwise warn about them.
static void *volatile hidden_p;
static volatile size_t hidden_n;

static void *hide(void *p)
{
    hidden_p = p;
    return hidden_p;
}

static size_t hide_n(size_t n)
{
    hidden_n = n;
    return hidden_n;
}

static bool aligned(const void *p, size_t a)
{
    return ((uintptr_t)p & (a - 1)) == 0;
}

// ---- the header arithmetic ----------------------------------------------------------------------

static void test_header(void)
{
    struct preload_block b;
    EXPECT(preload_layout(0, 1, &b) && b.block_align == 16 && b.block_size == 16 && b.size == 0);
    EXPECT(preload_layout(1, 16, &b) && b.block_align == 16 && b.block_size == 17);
    EXPECT(preload_layout(100, 64, &b) && b.block_align == 64 && b.block_size == 164);
    EXPECT(preload_layout(5, 4096, &b) && b.block_align == 4096 && b.block_size == 4101);
    EXPECT(!preload_layout(8, 0, &b) && !preload_layout(8, 24, &b));
    EXPECT(!preload_layout(SIZE_MAX, 16, &b) && !preload_layout(PRELOAD_SIZE_MAX + 1, 16, &b));
    EXPECT(preload_layout(PRELOAD_SIZE_MAX, 16, &b) && b.block_size == PRELOAD_SIZE_MAX + 16);
    EXPECT(preload_layout(PRELOAD_SIZE_MAX, (size_t)1 << 63, &b) && // the largest: no overflow
           b.block_size == PRELOAD_SIZE_MAX + ((size_t)1 << 63));

    _Alignas(64) unsigned char buf[256] = {0};
    struct preload_block w, r = {0};
    EXPECT(preload_layout(1234, 64, &w));
    void *u = preload_user(buf, &w);
    EXPECT(u == buf + 64 && preload_design_block(u, &w) == (void *)buf);
    preload_hdr_write(u, &w);
    EXPECT(preload_hdr_read(u, &r) && r.size == 1234 && r.block_align == 64 &&
           r.block_size == 1298);
    EXPECT(preload_hdr_word(&w) == (1234u << 6 | 6u));
    // The check word binds the header to its address: a copy elsewhere does not read.
    memcpy(buf + 128 - 16, (unsigned char *)u - 16, 16);
    EXPECT(!preload_hdr_read(buf + 128, &r));
    // Any flipped bit of either word spoils it.
    for (int bit = 0; bit < 128; bit++) {
        unsigned char *h = (unsigned char *)u - 16;
        h[bit / 8] ^= (unsigned char)(1u << (bit % 8));
        bool read = preload_hdr_read(u, &r);
        h[bit / 8] ^= (unsigned char)(1u << (bit % 8));
        if (read) {
            EXPECT(!read);
            break;
        }
    }
    EXPECT(preload_hdr_read(u, &r));
    preload_hdr_clear(u);
    EXPECT(!preload_hdr_read(u, &r));
    // A check that matches but a word no layout gives: alignment below 16.
    uint64_t *h = (uint64_t *)u - 2;
    h[1] = 100u << 6 | 3u;
    h[0] = h[1] ^ (uint64_t)(uintptr_t)u ^ PRELOAD_HDR_TAG;
    EXPECT(!preload_hdr_read(u, &r));
}

// ---- the C functions ----------------------------------------------------------------------------

static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(seed + i * 7);
}

static bool filled(const unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != (unsigned char)(seed + i * 7))
            return false;
    return true;
}

static void test_realloc(void)
{
    unsigned char *p = malloc(1000);
    EXPECT(p != NULL);
    fill(p, 1000, 1);
    unsigned char *same = realloc(p, 1000); // same size
    EXPECT(same != NULL && filled(same, 1000, 1));
    unsigned char *shrunk = realloc(same, 600); // shrink, still over half
    EXPECT(shrunk != NULL && filled(shrunk, 600, 1));
    if (preloaded)
        EXPECT(shrunk == same && malloc_usable_size(shrunk) == 1000);
    unsigned char *small = realloc(shrunk, 10); // shrink to under half: moves
    EXPECT(small != NULL && filled(small, 10, 1));
    unsigned char *grown = realloc(small, 100000); // grow
    EXPECT(grown != NULL && filled(grown, 10, 1) && aligned(grown, 16));
    fill(grown, 100000, 2);
    grown = realloc(grown, 300000);
    EXPECT(grown != NULL && filled(grown, 100000, 2));
    errno = 0;
    EXPECT(realloc(grown, 0) == NULL);        // frees, as glibc does
    unsigned char *fresh = realloc(NULL, 33); // realloc(NULL, n) is malloc(n)
    EXPECT(fresh != NULL && malloc_usable_size(fresh) >= 33);
    errno = 0;
    EXPECT(realloc(hide(fresh), hide_n(SIZE_MAX - 8)) == NULL && errno == ENOMEM);
    EXPECT(malloc_usable_size(fresh) >= 33); // untouched on failure
    errno = 0;
    EXPECT(reallocarray(hide(fresh), hide_n(SIZE_MAX / 2), 3) == NULL && errno == ENOMEM);
    fresh = reallocarray(fresh, 10, 10);
    EXPECT(fresh != NULL);
    free(fresh);
}

static void test_calloc(void)
{
    // Dirty a block, give it back, then calloc the same size: zeros whatever it reuses.
    unsigned char *d = malloc(4096);
    EXPECT(d != NULL);
    memset(d, 0xa5, 4096);
    free(d);
    unsigned char *z = calloc(64, 64);
    EXPECT(z != NULL);
    size_t nonzero = 0;
    for (size_t i = 0; z != NULL && i < 4096; i++)
        nonzero += z[i] != 0;
    EXPECT(nonzero == 0);
    free(z);
    errno = 0;
    EXPECT(calloc(hide_n(SIZE_MAX / 2 + 1), 2) == NULL &&
           errno == ENOMEM); // nmemb * size overflows
    errno = 0;
    EXPECT(calloc(hide_n((size_t)1 << 33), (size_t)1 << 33) == NULL && errno == ENOMEM);
    void *none = calloc(0, 5);
    EXPECT(none != NULL); // a unique pointer, like malloc(0)
    free(none);
}

static void test_aligned(void)
{
    void *p = (void *)1;
    EXPECT(posix_memalign(&p, 0, 8) == EINVAL && p == (void *)1);
    EXPECT(posix_memalign(&p, 3, 8) == EINVAL && p == (void *)1);
    EXPECT(posix_memalign(&p, 4, 8) == EINVAL && p == (void *)1);   // below sizeof(void *)
    EXPECT(posix_memalign(&p, 24, 8) == EINVAL && p == (void *)1);  // not a power of two
    EXPECT(posix_memalign(&p, 48, 64) == EINVAL && p == (void *)1); // a multiple of 8, same
    for (size_t a = sizeof(void *); a <= ((size_t)1 << 20); a <<= 1) {
        void *q = NULL;
        EXPECT(posix_memalign(&q, a, a / 2 + 3) == 0 && q != NULL && aligned(q, a));
        if (q != NULL)
            memset(q, 0x5a, a / 2 + 3);
        free(q);
    }
    EXPECT(posix_memalign(&p, 64, hide_n(SIZE_MAX - 100)) == ENOMEM && p == (void *)1);

    void *q = aligned_alloc(256, 1000);
    EXPECT(q != NULL && aligned(q, 256));
    free(q);
    if (preloaded) { // glibc 2.36 rounds the alignment up instead; 2.38 answers EINVAL too
        errno = 0;
        EXPECT(aligned_alloc(hide_n(24), 48) == NULL && errno == EINVAL);
    }
    q = memalign(hide_n(24), 10); // rounded up to 32
    EXPECT(q != NULL && aligned(q, 32));
    free(q);
    q = valloc(100);
    EXPECT(q != NULL && aligned(q, 4096));
    free(q);
    q = pvalloc(100);
    EXPECT(q != NULL && aligned(q, 4096) && malloc_usable_size(q) >= 4096);
    free(q);
}

static void test_basics(void)
{
    free(NULL); // a no-op
    EXPECT(malloc_usable_size(NULL) == 0);
    void *a = malloc(0), *b = malloc(0);
    EXPECT(a != NULL && b != NULL && a != b); // unique, freeable, as glibc
    free(a);
    free(b);
    for (size_t n = 1; n < 300; n += 7) {
        unsigned char *p = malloc(n);
        EXPECT(p != NULL && aligned(p, 16) && malloc_usable_size(p) >= n);
        if (preloaded)
            EXPECT(malloc_usable_size(p) == n);
        if (p != NULL)
            fill(p, n, (unsigned)n);
        free(p);
    }
    errno = 0;
    EXPECT(malloc(hide_n(SIZE_MAX)) == NULL && errno == ENOMEM);
    errno = 0;
    EXPECT(malloc(hide_n((size_t)1 << 46)) == NULL &&
           errno == ENOMEM); // 64 TiB: beyond any reservation
}

// ---- threads and forks --------------------------------------------------------------------------

#define SLOTS 256

struct churn {
    uint64_t rng;
    unsigned ops;
    int failures;
};

static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static size_t pick_size(uint64_t *rng)
{
    uint64_t r = next_rand(rng);
    if (r % 100 < 70)
        return 1 + (size_t)(r >> 8) % 128;
    if (r % 100 < 98)
        return 129 + (size_t)(r >> 8) % 4000;
    return 4097 + (size_t)(r >> 8) % 60000;
}

// Random mallocs, callocs, aligned allocations, reallocs and frees over SLOTS blocks, each block
// filled with a pattern of its own and verified before it is freed or moved.
static void *churn(void *arg)
{
    struct churn *c = arg;
    unsigned char *p[SLOTS] = {0};
    size_t n[SLOTS] = {0};
    unsigned seed[SLOTS] = {0};
    for (unsigned i = 0; i < c->ops; i++) {
        uint64_t r = next_rand(&c->rng);
        unsigned s = (unsigned)(r % SLOTS), kind = (unsigned)(r >> 16) % 8;
        if (p[s] != NULL) {
            c->failures += !filled(p[s], n[s], seed[s]);
            if (kind < 2) {
                size_t m = pick_size(&c->rng);
                unsigned char *q = realloc(p[s], m);
                c->failures += q == NULL || !filled(q, m < n[s] ? m : n[s], seed[s]);
                if (q == NULL)
                    continue;
                p[s] = q;
                n[s] = m;
            } else {
                free(p[s]);
                p[s] = NULL;
                continue;
            }
        } else {
            n[s] = pick_size(&c->rng);
            if (kind == 0) {
                p[s] = calloc(1, n[s]);
                for (size_t j = 0; p[s] != NULL && j < n[s]; j++)
                    c->failures += p[s][j] != 0;
            } else if (kind == 1) {
                void *q = NULL;
                size_t a = (size_t)8 << (r >> 24) % 10;
                c->failures += posix_memalign(&q, a, n[s]) != 0 || !aligned(q, a);
                p[s] = q;
            } else {
                p[s] = malloc(n[s]);
            }
            c->failures += p[s] == NULL;
            if (p[s] == NULL)
                continue;
        }
        seed[s] = (unsigned)(r >> 32);
        fill(p[s], n[s], seed[s]);
    }
    for (unsigned s = 0; s < SLOTS; s++) {
        c->failures += p[s] != NULL && !filled(p[s], n[s], seed[s]);
        free(p[s]);
    }
    return NULL;
}

static uint64_t seed_of(void)
{
    const char *e = getenv("PRELOAD_TEST_SEED");
    uint64_t seed = e != NULL ? strtoull(e, NULL, 0) : 0x5eed0f7e57ull;
    printf("preload_test: churn seed %#llx (replay: PRELOAD_TEST_SEED=%#llx)\n",
           (unsigned long long)seed, (unsigned long long)seed);
    fflush(stdout); // once, not again from every forked child
    return seed != 0 ? seed : 1;
}

// Threads churn while the main thread forks: each child allocates, checks and exits (its own
// check at exit runs too). Without the fork handlers a child can inherit the lock held by a
// churning thread and hang: the alarm turns that into a failure.
static void test_threads_and_forks(uint64_t seed)
{
    enum { THREADS = 4, FORKS = 8 };
    pthread_t t[THREADS];
    struct churn c[THREADS];
    for (int i = 0; i < THREADS; i++) {
        c[i] = (struct churn){.rng = seed + (uint64_t)i * 0x9e3779b97f4a7c15ull, .ops = 20000};
        EXPECT(pthread_create(&t[i], NULL, churn, &c[i]) == 0);
    }
    for (int i = 0; i < FORKS; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            alarm(5);
            struct churn child = {.rng = seed ^ (uint64_t)(i + 1), .ops = 2000};
            churn(&child);
            exit(child.failures == 0 ? 0 : 1);
        }
        int status = 0;
        EXPECT(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
               WEXITSTATUS(status) == 0);
    }
    for (int i = 0; i < THREADS; i++) {
        EXPECT(pthread_join(t[i], NULL) == 0);
        EXPECT(c[i].failures == 0);
    }
}

// ---- the other modes ----------------------------------------------------------------------------

static void bad_pointers(void)
{
    _Alignas(16) char stack[64];
    free(hide(stack + 16)); // outside
    errno = 0;
    EXPECT(realloc(hide(stack + 32), 10) == NULL && errno == EINVAL); // outside
    // Copies the compiler cannot tell are p, so it does not warn about their use after free.
    char *p = malloc(64), *q = malloc(64), *p2 = hide(p), *p3 = hide(p);
    EXPECT(p != NULL && q != NULL);
    free(p);
    free(p2);                            // header: freed already
    EXPECT(malloc_usable_size(p3) == 0); // header
    free(hide(q + 16));                  // header: into the middle of a block
    EXPECT(malloc_usable_size(q) == 64); // q is still fine
    free(q);
}

static void limit(void)
{
    // PRELOAD_ALLOC_LIMIT_MIB=16: twice that cannot fit; 1 MiB blocks fit until about 16 MiB.
    errno = 0;
    EXPECT(malloc((size_t)32 << 20) == NULL && errno == ENOMEM);
    void *blocks[32];
    int n = 0;
    while (n < 32 && (blocks[n] = malloc((size_t)1 << 20)) != NULL)
        n++;
    EXPECT(n >= 8 && n < 16);
    EXPECT(errno == ENOMEM);
    while (n > 0)
        free(blocks[--n]);
}

static void corrupt(void)
{
    // g live, then p right after it: once p is freed its block starts a free block (it cannot
    // merge with g), and its first 16 bytes are whatever the design keeps there.
    // (Through a copy the compiler cannot tell is p: it would drop a store into freed memory.)
    char *g = malloc(100000), *p = malloc(100000), *freed = hide(p);
    EXPECT(g != NULL && p != NULL);
    free(p);
    memset(freed - PRELOAD_HDR_BYTES, 0xff, PRELOAD_HDR_BYTES);
    raise(SIGUSR2); // the handler finds the lock free and checks at once
    fflush(NULL);
    _exit(failures == 0 ? 0 : 1); // no exit handlers: the heap is broken now
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "all";
    const char *lp = getenv("LD_PRELOAD");
    preloaded = lp != NULL && lp[0] != '\0';
    if (strcmp(mode, "all") == 0) {
        test_header();
        test_basics();
        test_realloc();
        test_calloc();
        test_aligned();
        if (preloaded) {
            raise(SIGUSR2); // a check now, reported by PRELOAD_ALLOC_REPORT
            free(malloc(1));
        }
        test_threads_and_forks(seed_of());
    } else if (strcmp(mode, "bad") == 0 && preloaded) {
        bad_pointers();
    } else if (strcmp(mode, "limit") == 0 && preloaded) {
        limit();
    } else if (strcmp(mode, "corrupt") == 0 && preloaded) {
        corrupt();
    } else {
        fprintf(stderr, "usage: preload_test [all | bad | limit | corrupt] (the last three "
                        "with LD_PRELOAD set)\n");
        return 2;
    }
    printf("preload_test %s: %d checks, %d failed\n", mode, checks, failures);
    return failures == 0 ? 0 : 1;
}
