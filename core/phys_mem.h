/* SPDX-License-Identifier: MIT */
/*
 * Simulated physical memory: the 4096 bytes of every data frame (POLICY §3 "Readers and
 * writers": all zero initially and after reset; only IoWrite and IoFillZeros change them;
 * claiming or freeing a frame keeps its bytes, as real memory does).  The bytes are kept apart
 * from the MetaSlots and from page-table node memory (pt_alloc.h): a pool frame that becomes a
 * node keeps its contents here, since no op but a write changes them.
 *
 * A frame's page is allocated on its first non-zero write and read as zeros until then, so
 * memory grows with what the inputs write, never with nframes (2^18 frames in benchmarks).
 * Every allocated page is on the written list, which reset walks to give the pages back (to a
 * spare stack the next first write reuses): reset costs O(frames written since the last reset).
 * The XXH3-64 hash of a page (the view's contents[], POLICY §4) is cached in the page and
 * recomputed only after a write, so a view costs O(pages written since the previous view)
 * hashing plus O(written pages) listing.
 */
#ifndef PTDIFF_CORE_PHYS_MEM_H
#define PTDIFF_CORE_PHYS_MEM_H

#include <stddef.h>
#include <stdint.h>

#include "ptdiff/op.h"
#include "ptdiff/types.h"
#include "ptdiff/view.h"

/*
 * struct core_page - the contents of one frame written since the last reset.
 * @hash:    XXH3-64 of @bytes; valid when !@stale.
 * @stale:   @bytes were written after @hash and @nonzero were last computed.
 * @nonzero: some byte is not zero; valid when !@stale.
 * @bytes:   the frame's 4096 bytes.
 */
struct core_page {
	uint64_t hash;
	uint8_t stale;
	uint8_t nonzero;
	uint8_t reserved[6];
	uint8_t bytes[PTD_PAGE_SIZE];
};

/*
 * struct core_phys_mem - the contents of frames [0, nframes).
 * @pages:      [nframes]: the frame's page, NULL = all zero (not written since the last reset).
 * @written:    the frames whose page is allocated, in order of first write (@nr_written).
 * @spare:      pages given back by reset, reused before malloc (@nr_spare).
 * @written_cap, @spare_cap: capacities of the two lists (grown by doubling).
 */
struct core_phys_mem {
	uint64_t nframes;
	struct core_page **pages;
	uint64_t *written;
	uint64_t nr_written, written_cap;
	struct core_page **spare;
	uint64_t nr_spare, spare_cap;
};

/** core_phys_mem_init() - All frames zero.  Return: 0, or -1 when memory runs out. */
int core_phys_mem_init(struct core_phys_mem *m, uint64_t nframes);

/** core_phys_mem_fini() - Free every page (allocated or spare) and the lists. */
void core_phys_mem_fini(struct core_phys_mem *m);

/** core_phys_mem_reset() - Every frame back to zeros, O(frames written since the last reset). */
void core_phys_mem_reset(struct core_phys_mem *m);

/** core_phys_mem_peek() - The bytes of frame @idx, or NULL when they are all zero. */
static inline const uint8_t *core_phys_mem_peek(const struct core_phys_mem *m, uint64_t idx)
{
	return m->pages[idx] ? m->pages[idx]->bytes : NULL;
}

/**
 * core_phys_mem_for_write() - The bytes of frame @idx, to be written: allocated (zeroed) on the
 * first write since the last reset, and marked stale so the next view rehashes them.  Running
 * out of memory is a harness error (diag.h), as for node memory.
 */
uint8_t *core_phys_mem_for_write(struct core_phys_mem *m, uint64_t idx);

/**
 * core_phys_mem_view_slots() - Append to out->contents one (slot, hash) per frame whose bytes
 * are not all zero, of the frames set in bitmap @only (NULL: every frame), rehashing stale
 * pages first; set out->overflow when contents_cap is too small.
 */
void core_phys_mem_view_slots(struct core_phys_mem *m, struct ptd_view *out, const uint64_t *only);

/*
 * Kernel memory (POLICY "Kernel memory"): PTD_KERNEL_BYTES bytes, initially and after reset
 * byte k = ptd_kernel_byte(k), every byte readable and writable by kernel readers/writers.
 * Writes mark their 4 KiB kernel page dirty; reset rewrites only the dirty pages (O(pages
 * written since the last reset)).  The view's kernel_hash is the XXH3-64 of the pages' own
 * XXH3-64 hashes (include/ptdiff/view.h); a page is rehashed only after a write to it, so a
 * write costs the rehash of one page, not of all four.
 */
#define CORE_KERNEL_PAGES ((PTD_KERNEL_BYTES + PTD_PAGE_SIZE - 1) / PTD_PAGE_SIZE)
_Static_assert(CORE_KERNEL_PAGES <= 64, "one word of kernel page bits");

/*
 * struct core_kernel_mem - kernel memory.
 * @bytes:  the PTD_KERNEL_BYTES bytes.
 * @dirty:  bit p: kernel page p was written since the last reset.
 * @stale:  bit p: kernel page p was written since @page_hash[p] was computed.
 * @page_hash: XXH3-64 of each page's bytes; valid where @stale is clear.
 * @hash:   XXH3-64 of @page_hash (the view's kernel_hash); valid when @stale is 0.
 * @init_page_hash, @init_hash: the same of the initial bytes (what reset restores, so no
 *          rehash is needed).
 */
struct core_kernel_mem {
	uint8_t bytes[PTD_KERNEL_BYTES];
	uint8_t initial[PTD_KERNEL_BYTES]; /* what reset copies back: a page at a time */
	uint64_t dirty, stale;
	uint64_t page_hash[CORE_KERNEL_PAGES], init_page_hash[CORE_KERNEL_PAGES];
	uint64_t hash, init_hash;
};

/** core_kernel_mem_init() - Every byte initial (ptd_kernel_byte), hash computed. */
void core_kernel_mem_init(struct core_kernel_mem *m);

/** core_kernel_mem_reset() - The dirty pages back to their initial bytes; hash = init_hash. */
void core_kernel_mem_reset(struct core_kernel_mem *m);

/**
 * core_kernel_mem_for_write() - The kernel page holding offset @off (< PTD_KERNEL_BYTES), to be
 * written: marked dirty and the hash stale.  Return: the page's first byte.
 */
static inline uint8_t *core_kernel_mem_for_write(struct core_kernel_mem *m, uint64_t off)
{
	uint64_t p = off / PTD_PAGE_SIZE;

	m->dirty |= UINT64_C(1) << p;
	m->stale |= UINT64_C(1) << p;
	return m->bytes + p * PTD_PAGE_SIZE;
}

/** core_kernel_mem_hash() - The view's kernel_hash, the pages written since last rehashed. */
uint64_t core_kernel_mem_hash(struct core_kernel_mem *m);

#endif /* PTDIFF_CORE_PHYS_MEM_H */
