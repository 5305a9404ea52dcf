// The allocators bench_alloc compares, behind one function table: the four core/alloc designs
// (each over a region the benchmark owns) and glibc's malloc, jemalloc and mimalloc. jemalloc and
// mimalloc are loaded with dlopen (RTLD_LOCAL), so they never replace the process's malloc; a
// library that is not installed leaves its target unavailable (reported, not fatal).
//
// Every target is called the same way — one indirect call to an adapter, which makes the real
// call — so the table's overhead is the same for all of them. Header-only, for bench_alloc.c
// alone; every function is static.
#pragma once

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L // setenv and strdup under -std=c11; a program defines it first
#endif

#include "core/alloc/alloc.h"
#include "core/alloc/bump.h"
#include "core/alloc/fixed_block.h"
#include "core/alloc/linked_list.h"
#include "core/alloc/tlsf.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct alloc_target {
    const char *name;
    bool arena; // a core/alloc design over the benchmark's region
    // Makes an empty heap over [region, region + size) (arena designs; the others ignore it);
    // returns the ctx the calls below take.
    void *(*reset)(void *region, size_t size);
    void *(*alloc)(void *ctx, size_t size, size_t align);
    // 0, or the design's error code (always 0 for the system allocators).
    int (*free)(void *ctx, void *ptr, size_t size, size_t align);
    bool available;
    const char *why; // why not, when !available
};

// ---- the core/alloc designs ---------------------------------------------------------------------

static struct bump_heap tgt_bump;
static struct ll_heap tgt_ll;
static struct fsb_heap tgt_fsb;
static struct tlsf_heap tgt_tlsf;

static void *reset_bump(void *region, size_t size)
{
    bump_init(&tgt_bump, region, size);
    return &tgt_bump.base;
}

static void *reset_ll(void *region, size_t size)
{
    ll_init(&tgt_ll, region, size);
    return &tgt_ll.base;
}

static void *reset_fsb(void *region, size_t size)
{
    fsb_init(&tgt_fsb, region, size);
    return &tgt_fsb.base;
}

static void *reset_tlsf(void *region, size_t size)
{
    tlsf_init(&tgt_tlsf, region, size);
    return &tgt_tlsf.base;
}

static void *arena_alloc(void *ctx, size_t size, size_t align)
{
    return alloc_alloc(ctx, size, align);
}

static int arena_free(void *ctx, void *ptr, size_t size, size_t align)
{
    return alloc_free(ctx, ptr, size, align);
}

// ---- glibc ----------------------------------------------------------------------------------------

// malloc guarantees 16-byte alignment on x86_64; larger alignments take aligned_alloc.
#define TGT_MALLOC_ALIGN 16u

static void *reset_none(void *region, size_t size)
{
    return NULL;
}

static void *glibc_alloc(void *ctx, size_t size, size_t align)
{
    return align <= TGT_MALLOC_ALIGN ? malloc(size) : aligned_alloc(align, size);
}

static int glibc_free(void *ctx, void *ptr, size_t size, size_t align)
{
    free(ptr);
    return 0;
}

// jemalloc and mimalloc align a block to 16 only from 16 bytes up (their 8-byte blocks are 8-byte
// aligned): whether a plain malloc of size bytes is aligned enough.
static bool tgt_natural(size_t size, size_t align)
{
    return align <= 8 || (align <= TGT_MALLOC_ALIGN && size >= TGT_MALLOC_ALIGN);
}

// ---- jemalloc: mallocx / sdallocx (the sized free), MALLOCX_LG_ALIGN(lg) is lg --------------------

static void *(*je_mallocx)(size_t size, int flags);
static void (*je_sdallocx)(void *ptr, size_t size, int flags);

static int je_flags(size_t size, size_t align)
{
    return tgt_natural(size, align) ? 0 : __builtin_ctzl(align);
}

static void *je_alloc(void *ctx, size_t size, size_t align)
{
    return je_mallocx(size, je_flags(size, align));
}

static int je_free(void *ctx, void *ptr, size_t size, size_t align)
{
    je_sdallocx(ptr, size, je_flags(size, align));
    return 0;
}

// ---- mimalloc: mi_malloc, mi_malloc_aligned, mi_free ------------------------------------------------

static void *(*mi_malloc_fn)(size_t size);
static void *(*mi_malloc_aligned_fn)(size_t size, size_t align);
static void (*mi_free_fn)(void *ptr);

static void *mim_alloc(void *ctx, size_t size, size_t align)
{
    return tgt_natural(size, align) ? mi_malloc_fn(size) : mi_malloc_aligned_fn(size, align);
}

static int mim_free(void *ctx, void *ptr, size_t size, size_t align)
{
    mi_free_fn(ptr);
    return 0;
}

// ---- the harness floor: what the replay costs by itself -------------------------------------------

// Hands out the same scratch block every time (big and aligned enough for any trace's store) and
// frees nothing. Not in the table: bench_alloc times small_churn on it once.
static _Alignas(4096) unsigned char tgt_scratch[4096];

static void *noop_alloc(void *ctx, size_t size, size_t align)
{
    return tgt_scratch;
}

static int noop_free(void *ctx, void *ptr, size_t size, size_t align)
{
    return 0;
}

static const struct alloc_target noop_target = {"noop",    false, reset_none, noop_alloc,
                                                noop_free, true,  NULL};

// ---- the table ------------------------------------------------------------------------------------

enum { TGT_BUMP, TGT_LL, TGT_FSB, TGT_TLSF, TGT_GLIBC, TGT_JEMALLOC, TGT_MIMALLOC, TGT_COUNT };

static struct alloc_target targets[TGT_COUNT] = {
    {"bump", true, reset_bump, arena_alloc, arena_free, true, NULL},
    {"linked_list", true, reset_ll, arena_alloc, arena_free, true, NULL},
    {"fixed_block", true, reset_fsb, arena_alloc, arena_free, true, NULL},
    {"tlsf", true, reset_tlsf, arena_alloc, arena_free, true, NULL},
    {"glibc", false, reset_none, glibc_alloc, glibc_free, true, NULL},
    {"jemalloc", false, reset_none, je_alloc, je_free, false, NULL},
    {"mimalloc", false, reset_none, mim_alloc, mim_free, false, NULL},
};

// jemalloc keeps its thread state in initial-exec TLS (2.6 KiB in Debian's build), more than the
// 512 bytes of static TLS glibc keeps free for libraries opened later, so its dlopen fails with
// "cannot allocate memory in static TLS block". The tunable glibc.rtld.optional_static_tls
// raises that reserve but is read only at program start: so, unless it is set already, the
// program sets it and executes itself again, once (argv unchanged). Returns only when it is set
// or the exec failed (then jemalloc is reported as not loadable).
#define TGT_STATIC_TLS "glibc.rtld.optional_static_tls=16384"
static void targets_reserve_tls(char **argv)
{
    const char *old = getenv("GLIBC_TUNABLES");
    if (old != NULL && strstr(old, "glibc.rtld.optional_static_tls") != NULL)
        return;
    char buf[1024];
    int n = snprintf(buf, sizeof(buf), "%s%s%s", old ? old : "", old ? ":" : "", TGT_STATIC_TLS);
    if (n < 0 || (size_t)n >= sizeof(buf) || setenv("GLIBC_TUNABLES", buf, 1) != 0)
        return;
    execv("/proc/self/exe", argv);
}

// Looks up name in handle into *fn (a function pointer, copied through void * as POSIX allows);
// false if it is missing.
static bool tgt_sym(void *handle, const char *name, void *fn)
{
    void *p = dlsym(handle, name);
    if (p == NULL)
        return false;
    memcpy(fn, &p, sizeof(p));
    return true;
}

// Opens jemalloc and mimalloc; each that cannot be opened stays unavailable, with the reason.
static void targets_load(void)
{
    void *je = dlopen("libjemalloc.so.2", RTLD_NOW | RTLD_LOCAL);
    if (je != NULL && tgt_sym(je, "mallocx", &je_mallocx) && tgt_sym(je, "sdallocx", &je_sdallocx))
        targets[TGT_JEMALLOC].available = true;
    else
        targets[TGT_JEMALLOC].why = je == NULL ? strdup(dlerror()) : "mallocx/sdallocx missing";
    void *mi = dlopen("libmimalloc.so.2", RTLD_NOW | RTLD_LOCAL);
    if (mi != NULL && tgt_sym(mi, "mi_malloc", &mi_malloc_fn) &&
        tgt_sym(mi, "mi_malloc_aligned", &mi_malloc_aligned_fn) &&
        tgt_sym(mi, "mi_free", &mi_free_fn))
        targets[TGT_MIMALLOC].available = true;
    else
        targets[TGT_MIMALLOC].why = mi == NULL ? strdup(dlerror()) : "mi_malloc/mi_free missing";
}
