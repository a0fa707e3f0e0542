/* SPDX-License-Identifier: MIT */
/*
 * Page-table node pool: the free-set bitmap and lazily allocated node memory (see pt_alloc.h).
 * Invariant: for every level l < nr_levels - 1, bit j of free[l+1] is set iff free[l][j] != 0;
 * bit i of free[0] is set iff pool frame start + i has rc == UNUSED; nr_free is the number of
 * bits set in free[0] (mark_free/mark_used count only a bit that actually flips).
 */
#include "pt_alloc.h"

#include <stdlib.h>
#include <string.h>

#include "ptdiff/types.h"

/** Set the first @nbits bits of @words (the rest stay clear). */
static void fill_bits(uint64_t *words, uint64_t nbits)
{
	uint64_t full = nbits / 64;

	for (uint64_t w = 0; w < full; w++) {
		words[w] = ~0ull;
	}
	if (nbits % 64) {
		words[full] = (1ull << (nbits % 64)) - 1;
	}
}

int core_pt_pool_init(struct core_pt_pool *p, uint64_t start, uint64_t end)
{
	uint64_t nbits = end - start;
	unsigned l = 0;

	memset(p, 0, sizeof *p);
	p->start = start;
	p->nr = nbits;
	p->nr_free = nbits;
	/* Level l has one bit per word of level l - 1, until a level fits in one word. */
	for (uint64_t n = nbits;; l++) {
		uint64_t words = n ? (n + 63) / 64 : 1;

		if (l == CORE_PT_POOL_MAX_LEVELS) {
			return -1;
		}
		p->free[l] = calloc(words, sizeof *p->free[l]);
		if (!p->free[l]) {
			return -1;
		}
		p->nr_words[l] = words;
		p->nr_levels = l + 1;
		if (nbits) {
			fill_bits(p->free[l], n);
		}
		if (words == 1) {
			break;
		}
		n = words;
	}
	p->mem = calloc(nbits ? nbits : 1, sizeof *p->mem);
	return p->mem ? 0 : -1;
}

void core_pt_pool_fini(struct core_pt_pool *p)
{
	if (p->mem) {
		for (uint64_t i = 0; i < p->nr; i++) {
			free(p->mem[i]);
		}
		free(p->mem);
	}
	for (unsigned l = 0; l < CORE_PT_POOL_MAX_LEVELS; l++) {
		free(p->free[l]);
	}
	memset(p, 0, sizeof *p);
}

void core_pt_pool_mark_free(struct core_pt_pool *p, uint64_t idx)
{
	uint64_t i = idx - p->start;

	if (p->free[0][i / 64] & (1ull << (i % 64))) {
		return; /* already free: nothing to count or propagate */
	}
	/* Changes hold the bookkeeping lock; core_pt_pool_has_free() reads without it. */
	__atomic_store_n(&p->nr_free, p->nr_free + 1, __ATOMIC_RELAXED);
	for (unsigned l = 0; l < p->nr_levels; l++) {
		uint64_t *word = &p->free[l][i / 64];
		int was_empty = *word == 0;

		*word |= 1ull << (i % 64);
		if (!was_empty) {
			break; /* the upper levels already say "something free here" */
		}
		i /= 64;
	}
}

void core_pt_pool_mark_used(struct core_pt_pool *p, uint64_t idx)
{
	uint64_t i = idx - p->start;

	if (!(p->free[0][i / 64] & (1ull << (i % 64)))) {
		return; /* already in use */
	}
	__atomic_store_n(&p->nr_free, p->nr_free - 1, __ATOMIC_RELAXED);
	for (unsigned l = 0; l < p->nr_levels; l++) {
		uint64_t *word = &p->free[l][i / 64];

		*word &= ~(1ull << (i % 64));
		if (*word != 0) {
			break; /* still something free under this word */
		}
		i /= 64;
	}
}

uint64_t core_pt_pool_lowest_free(const struct core_pt_pool *p)
{
	uint64_t i = 0;

	/* Top level is a single word; each level's ctz picks the lowest non-empty word below. */
	for (unsigned l = p->nr_levels; l-- > 0;) {
		uint64_t word = p->free[l][i];

		if (!word) {
			return CORE_PT_POOL_NONE;
		}
		i = i * 64 + (uint64_t)__builtin_ctzll(word);
	}
	return p->start + i;
}

core_pte_t *core_pt_pool_mem(struct core_pt_pool *p, uint64_t idx)
{
	core_pte_t **mem = &p->mem[idx - p->start];

	if (!*mem) {
		*mem = aligned_alloc(PTD_PAGE_SIZE, PTD_NR_ENTRIES * sizeof(core_pte_t));
	}
	return *mem;
}
