/* SPDX-License-Identifier: MIT */
/*
 * The page-table node pool: frames [pt_pool_start, nframes) (POLICY §2 "Page-table nodes").
 * Two things live here:
 *   - the free set: a hierarchical bitmap with one bit per pool frame, set iff the frame's
 *     slot has rc == UNUSED (whatever its usage).  Level 0 holds the bits; a bit of level l+1
 *     is set iff the matching word of level l is non-zero; the top level is one word.  The
 *     lowest free frame is found with one ctz per level, and every slot transition to or from
 *     UNUSED inside the pool (node alloc/free, FrameFromUnused, teardown, reset) updates it
 *     through meta.c;
 *   - the free count: how many bits of the free set are set, so that the pool-exhaustion
 *     check of POLICY §2 ("Pool exhaustion": an allocating op first counts the nodes it
 *     needs and refuses with ERR_WOULD_PANIC when fewer pool slots are UNUSED) is O(1);
 *   - node memory: the 4 KiB of PTEs behind a pool frame, allocated the first time the frame
 *     becomes a node and kept (for reuse) until destroy.  Frames outside the pool never need
 *     node memory, so no memory is allocated per frame of physical memory.
 */
#ifndef PTDIFF_CORE_PT_ALLOC_H
#define PTDIFF_CORE_PT_ALLOC_H

#include <stdint.h>

#include "pte.h"

/* 64^6 = 2^36 pool frames: far beyond any paddr a PTE can hold below 2^52. */
#define CORE_PT_POOL_MAX_LEVELS 6
#define CORE_PT_POOL_NONE UINT64_MAX

struct core_pt_pool {
	uint64_t start;   /* first pool frame index (= pt_pool_start) */
	uint64_t nr;      /* pool frames */
	uint64_t nr_free; /* pool frames whose slot is UNUSED (bits set in free[0]) */
	unsigned nr_levels;
	uint64_t *free[CORE_PT_POOL_MAX_LEVELS];
	uint64_t nr_words[CORE_PT_POOL_MAX_LEVELS];
	core_pte_t **mem; /* [nr]: node memory of each pool frame, NULL until first used */
};

/**
 * core_pt_pool_init() - An all-free pool over frames [@start, @end).
 * Return: 0, or -1 when memory runs out (the pool is then safe to fini).
 */
int core_pt_pool_init(struct core_pt_pool *p, uint64_t start, uint64_t end);

/** core_pt_pool_fini() - Free the bitmap and all node memory. */
void core_pt_pool_fini(struct core_pt_pool *p);

/** core_pt_pool_contains() - Frame @idx is a pool frame. */
static inline int core_pt_pool_contains(const struct core_pt_pool *p, uint64_t idx)
{
	return idx >= p->start && idx - p->start < p->nr;
}

/**
 * core_pt_pool_has_free() - At least @n pool frames are UNUSED, i.e. @n nodes can be allocated
 * now (POLICY §2 "Pool exhaustion").  O(1).
 */
static inline int core_pt_pool_has_free(const struct core_pt_pool *p, uint64_t n)
{
	/* Atomic: a task of a threaded group checks while another allocates (scheduler.h); the
	 * changes themselves are made under the bookkeeping lock. */
	return __atomic_load_n(&p->nr_free, __ATOMIC_RELAXED) >= n;
}

/** core_pt_pool_mark_free() - Pool frame @idx's slot became UNUSED (idempotent). */
void core_pt_pool_mark_free(struct core_pt_pool *p, uint64_t idx);

/** core_pt_pool_mark_used() - Pool frame @idx's slot left UNUSED (idempotent). */
void core_pt_pool_mark_used(struct core_pt_pool *p, uint64_t idx);

/**
 * core_pt_pool_lowest_free() - Lowest pool frame whose slot is UNUSED.
 * Return: its frame index, or CORE_PT_POOL_NONE when the pool is exhausted.
 */
uint64_t core_pt_pool_lowest_free(const struct core_pt_pool *p);

/**
 * core_pt_pool_mem() - The 512 entries behind pool frame @idx, allocated on first use.
 * Return: the entries (contents unspecified), or NULL when memory runs out.
 */
core_pte_t *core_pt_pool_mem(struct core_pt_pool *p, uint64_t idx);

#endif /* PTDIFF_CORE_PT_ALLOC_H */
