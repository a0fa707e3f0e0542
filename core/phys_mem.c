/* SPDX-License-Identifier: MIT */
/*
 * Simulated physical memory (see phys_mem.h).  Invariant: pages[i] != NULL iff i is on
 * written[0 .. nr_written); a page's bytes are zero when it is taken (fresh or spare).
 */
#include "phys_mem.h"

#include "ptdiff/backend.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "diag.h"

int core_phys_mem_init(struct core_phys_mem *m, uint64_t nframes)
{
	memset(m, 0, sizeof *m);
	m->nframes = nframes;
	m->pages = calloc(nframes, sizeof *m->pages);
	return m->pages ? 0 : -1;
}

void core_phys_mem_fini(struct core_phys_mem *m)
{
	if (m->pages) {
		for (uint64_t n = 0; n < m->nr_written; n++) {
			free(m->pages[m->written[n]]);
		}
	}
	for (uint64_t n = 0; n < m->nr_spare; n++) {
		free(m->spare[n]);
	}
	free(m->pages);
	free(m->written);
	free(m->spare);
	memset(m, 0, sizeof *m);
}

/** Make room for one more element in a list of @size-byte elements; 0 or -1 (no memory). */
static int list_reserve(void **list, uint64_t nr, uint64_t *cap, size_t size)
{
	void *grown;
	uint64_t new_cap;

	if (nr < *cap) {
		return 0;
	}
	new_cap = *cap ? *cap * 2 : 64;
	grown = realloc(*list, new_cap * size);
	if (!grown) {
		return -1;
	}
	*list = grown;
	*cap = new_cap;
	return 0;
}

void core_phys_mem_reset(struct core_phys_mem *m)
{
	for (uint64_t n = 0; n < m->nr_written; n++) {
		uint64_t idx = m->written[n];
		struct core_page *p = m->pages[idx];

		m->pages[idx] = NULL;
		/* Zero now, so that a reused page is a zero page (4 KiB per written frame). */
		memset(p, 0, sizeof *p);
		if (list_reserve((void **)&m->spare, m->nr_spare, &m->spare_cap,
				 sizeof *m->spare)) {
			free(p); /* no room to keep it: give it back */
			continue;
		}
		m->spare[m->nr_spare++] = p;
	}
	m->nr_written = 0;
}

uint8_t *core_phys_mem_for_write(struct core_phys_mem *m, uint64_t idx)
{
	struct core_page *p;

	CORE_BUG_ON(idx >= m->nframes);
	p = m->pages[idx];
	if (!p) {
		CORE_HARNESS_CHECK(!list_reserve((void **)&m->written, m->nr_written,
						 &m->written_cap, sizeof *m->written),
				   "out-of-memory", "no memory for the written-frame list");
		p = m->nr_spare ? m->spare[--m->nr_spare] : calloc(1, sizeof *p);
		CORE_HARNESS_CHECK(p, "out-of-memory",
				   "no memory for the contents of frame %" PRIu64, idx);
		m->pages[idx] = p;
		m->written[m->nr_written++] = idx;
	}
	p->stale = 1;
	return p->bytes;
}

void core_phys_mem_view_slots(struct core_phys_mem *m, struct ptd_view *out, const uint64_t *only)
{
	for (uint64_t n = 0; n < m->nr_written; n++) {
		uint64_t idx = m->written[n];
		struct core_page *p = m->pages[idx];
		struct ptd_content_view *v;

		if (only && !ptd_bit_test(only, idx)) {
			continue;
		}
		if (p->stale) {
			uint8_t any = 0;

			for (size_t i = 0; i < sizeof p->bytes; i++) {
				any |= p->bytes[i];
			}
			p->hash = XXH3_64bits(p->bytes, sizeof p->bytes);
			p->nonzero = any != 0;
			p->stale = 0;
		}
		if (!p->nonzero) {
			continue; /* written, but back to all zeros: not listed (POLICY §4) */
		}
		if (out->ncontents == out->contents_cap) {
			out->overflow = 1;
			continue; /* keep rehashing the rest, so the cache stays exact */
		}
		v = &out->contents[out->ncontents++];
		v->slot = idx;
		v->hash = p->hash;
	}
}

/* ---- Kernel memory ---------------------------------------------------------------------- */

/* The length of kernel page p (the last page may be short). */
static uint64_t kernel_page_len(uint64_t p)
{
	uint64_t from = p * PTD_PAGE_SIZE;

	return PTD_KERNEL_BYTES - from < PTD_PAGE_SIZE ? PTD_KERNEL_BYTES - from : PTD_PAGE_SIZE;
}

void core_kernel_mem_init(struct core_kernel_mem *m)
{
	for (uint64_t k = 0; k < PTD_KERNEL_BYTES; k++) {
		m->initial[k] = ptd_kernel_byte(k);
	}
	memcpy(m->bytes, m->initial, PTD_KERNEL_BYTES);
	m->dirty = 0;
	m->stale = ~UINT64_C(0) >> (64 - CORE_KERNEL_PAGES); /* every page */
	m->init_hash = core_kernel_mem_hash(m);
	memcpy(m->init_page_hash, m->page_hash, sizeof m->page_hash);
}

void core_kernel_mem_reset(struct core_kernel_mem *m)
{
	for (uint64_t d = m->dirty; d; d &= d - 1) {
		uint64_t p = (uint64_t)__builtin_ctzll(d);

		memcpy(m->bytes + p * PTD_PAGE_SIZE, m->initial + p * PTD_PAGE_SIZE,
		       kernel_page_len(p));
		m->page_hash[p] = m->init_page_hash[p];
	}
	m->dirty = 0;
	m->stale = 0; /* every byte is initial again, and so is every hash */
	m->hash = m->init_hash;
}

uint64_t core_kernel_mem_hash(struct core_kernel_mem *m)
{
	if (m->stale) {
		for (uint64_t s = m->stale; s; s &= s - 1) {
			uint64_t p = (uint64_t)__builtin_ctzll(s);

			m->page_hash[p] =
				XXH3_64bits(m->bytes + p * PTD_PAGE_SIZE, kernel_page_len(p));
		}
		m->hash = XXH3_64bits(m->page_hash, sizeof m->page_hash);
		m->stale = 0;
	}
	return m->hash;
}
