// Tests for core/paging.c: a randomized run of pt_map, pt_unmap and pt_protect over 16 regions
// against a model with a fixed seed, checking translations and the table count at every step
// (20000 steps in the fast tier, 200000 in the long one: test/unit/sweep.h).
#include "test/unit/paging_test.h"
#include "test/unit/sweep.h"

#define SEED 20240612u

// ---- randomized run against a model -------------------------------------------------------------

// 16 regions of 2 MiB, four at each of: both sides of a 1 GiB boundary, the kernel base, the top
// of the lower half, the direct-map base. Each holds a 2 MiB page or up to 512 4 KiB pages.
#define REGIONS 16
static const uint64_t area[4] = {0x3fc00000, KERNEL_BASE, 0x7fffff800000, DIRECT_BASE};

struct page {
    bool mapped;
    uint64_t phys, flags;
};

static struct {
    bool big[REGIONS];
    struct page big_page[REGIONS];
    unsigned small[REGIONS];
    struct page page[REGIONS][512];
} model;

static uint32_t seed, rng; // the run's seed (for failure messages) and the generator's state

static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static uint64_t region_base(unsigned r)
{
    return area[r / 4] + (r % 4) * M2;
}

static uint64_t random_flags(void)
{
    static const uint64_t bits[] = {W, U, PTE_NX, PTE_GLOBAL, PTE_CACHE_DISABLE, 1ull << 9};
    uint64_t f = 0;
    for (size_t i = 0; i < LEN(bits); i++)
        f |= next_rand() % 2 ? bits[i] : 0;
    return f;
}

static size_t model_tables(void)
{
    size_t n = 1;
    uint64_t pds[REGIONS], pdpts[REGIONS];
    size_t npd = 0, npdpt = 0;
    for (unsigned r = 0; r < REGIONS; r++) {
        if (!model.big[r] && model.small[r] == 0)
            continue;
        n += model.small[r] > 0; // a PT
        uint64_t pd = region_base(r) >> 30, pdpt = region_base(r) >> 39;
        bool seen_pd = false, seen_pdpt = false;
        for (size_t i = 0; i < npd; i++)
            seen_pd |= pds[i] == pd;
        for (size_t i = 0; i < npdpt; i++)
            seen_pdpt |= pdpts[i] == pdpt;
        if (!seen_pd)
            pds[npd++] = pd;
        if (!seen_pdpt)
            pdpts[npdpt++] = pdpt;
    }
    return n + npd + npdpt;
}

// What the model says about the 4 KiB page q of region r, and the result an operation at its
// address should have (0, E_NOENT or E_HUGE).
static struct page *model_at(unsigned r, unsigned q, int *rc)
{
    if (model.big[r]) {
        *rc = q == 0 ? 0 : E_HUGE;
        return &model.big_page[r];
    }
    *rc = model.page[r][q].mapped ? 0 : E_NOENT;
    return &model.page[r][q];
}

static void check_page(unsigned r, unsigned q, unsigned step)
{
    int expect;
    struct page *m = model_at(r, q, &expect);
    uint64_t virt = region_base(r) + q * K4;
    struct pt_translation t;
    int rc = pt_translate(&pt, virt + 0x10, &t);
    bool ok = m->mapped ? rc == 0 : rc == E_NOENT;
    if (ok && m->mapped) {
        uint64_t off = model.big[r] ? q * K4 : 0;
        ok = t.phys == m->phys + off + 0x10 && t.page_size == (model.big[r] ? M2 : K4) &&
             t.flags == (m->flags | P | (model.big[r] ? PTE_HUGE : 0));
    }
    if (!ok)
        fail_msg("seed %u step %u: translate 0x%llx = %d, model says %s", seed, step,
                 (unsigned long long)virt, rc, m->mapped ? "mapped" : "unmapped");
}

static int random_op(unsigned r, unsigned q, unsigned op, int *expect)
{
    uint64_t virt = region_base(r) + q * K4;
    struct page *m = model_at(r, q, expect);
    uint64_t flags = random_flags();
    uint64_t phys = (uint64_t)(next_rand() % 4096) * M2;
    if (op < 40) { // map 4 KiB
        *expect = model.big[r] ? E_HUGE : m->mapped ? E_EXIST : 0;
        if (*expect == 0) {
            *m = (struct page){true, phys + q * K4, flags};
            model.small[r]++;
        }
        return pt_map(&pt, virt, phys + q * K4, K4, flags);
    }
    if (op < 50) { // map 2 MiB at the region's base
        virt = region_base(r);
        *expect = model.big[r] || model.small[r] > 0 ? E_EXIST : 0;
        if (*expect == 0) {
            model.big[r] = true;
            model.big_page[r] = (struct page){true, phys, flags};
        }
        return pt_map(&pt, virt, phys, M2, flags);
    }
    if (op < 85) { // unmap
        uint64_t got = 0, want = m->phys;
        int rc = pt_unmap(&pt, virt, &got);
        if (*expect == 0) {
            m->mapped = false;
            if (model.big[r])
                model.big[r] = false;
            else
                model.small[r]--;
            if (got != want)
                fail_msg("seed %u: unmap 0x%llx gave frame 0x%llx", seed, (unsigned long long)virt,
                         (unsigned long long)got);
        }
        return rc;
    }
    if (*expect == 0) // protect
        m->flags = flags;
    return pt_protect(&pt, virt, flags);
}

static void random_operations_match_a_model(void **state)
{
    memset(&model, 0, sizeof(model));
    seed = rng = (uint32_t)sweep_seed("paging random run", SEED, UINT32_MAX);
    uint64_t steps = sweep_size(20000, 200000);
    for (unsigned step = 0; step < steps; step++) {
        unsigned r = next_rand() % REGIONS, op = next_rand() % 100;
        unsigned q = next_rand() % 4 == 0 ? 0 : next_rand() % 512;
        int expect = 0;
        int rc = random_op(r, q, op, &expect);
        if (rc != expect)
            fail_msg("seed %u step %u: op %u at region %u page %u returned %d, expected %d", seed,
                     step, op, r, q, rc, expect);
        check_page(r, q, step);
        if (src.live != model_tables())
            fail_msg("seed %u step %u: %zu tables, the model needs %zu", seed, step, src.live,
                     model_tables());
        if (step % 2000 == 0) {
            for (unsigned rr = 0; rr < REGIONS; rr++)
                for (unsigned qq = 0; qq < 512; qq++)
                    check_page(rr, qq, step);
            assert_tables_consistent();
        }
    }
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(random_operations_match_a_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
