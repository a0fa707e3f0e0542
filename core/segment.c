/* SPDX-License-Identifier: MIT */
/*
 * Segment handles and their ops (see segment.h).  Checks follow POLICY §3 "Segments" in order
 * and each refusal returns before anything changes.  Two places where ptdiff's rule is the
 * contract's, not OSTD's code (docs/CONTRACTS.md#segments):
 *   - from_unused pre-checks the whole range and claims nothing on failure; OSTD claims frame
 *     by frame and rolls back, which leaves usage = Frame on the rolled-back slots
 *     (docs/CONTRACTS.md#inc-7);
 *   - slice takes an absolute sub-range (OSTD takes offsets) and refuses an empty one.
 */
#include "segment.h"
#include "planted.h"

#include "core.h"
#include "diag.h"
#include "frame.h"

struct core_segment *core_segment_get(struct core *k, ptd_id_t id)
{
	core_registry_check(&k->segment_ids, id);
	return &k->segments[id];
}

static void segment_register(struct core *k, ptd_id_t id, ptd_paddr_t start, ptd_paddr_t end)
{
	CORE_BUG_ON(start >= end || start % PTD_PAGE_SIZE || end % PTD_PAGE_SIZE ||
		    end / PTD_PAGE_SIZE > k->cfg.nframes);
	core_registry_add(&k->segment_ids, id);
	k->segments[id].start = start;
	k->segments[id].end = end;
}

/** Some slot of [@start, @end) has rc >= MAX: one more reference would overflow (OSTD
 * inc_ref_count panics). */
static int range_saturated(struct core *k, ptd_paddr_t start, ptd_paddr_t end)
{
	for (uint64_t i = start / PTD_PAGE_SIZE; i < end / PTD_PAGE_SIZE; i++) {
		if (core_meta_slot(k, i)->ref_count >= PTD_RC_MAX) {
			return 1;
		}
	}
	return 0;
}

/** One more reference on every slot of [@start, @end) (the caller checked saturation). */
static void range_get_ref(struct core *k, ptd_paddr_t start, ptd_paddr_t end)
{
	for (uint64_t i = start / PTD_PAGE_SIZE; i < end / PTD_PAGE_SIZE; i++) {
		core_meta_get_ref(k, i);
	}
}

enum ptd_status core_segment_from_unused(struct core *k, ptd_paddr_t paddr, uint64_t len,
					 ptd_id_t new_id)
{
	uint64_t mem_end = k->cfg.nframes * PTD_PAGE_SIZE; /* nframes <= 2^40: no overflow */
	uint64_t first, last;

	if (paddr % PTD_PAGE_SIZE || len % PTD_PAGE_SIZE) {
		return PTD_ERR_NOT_ALIGNED;
	}
	if (paddr >= mem_end || len > mem_end - paddr) {
		return PTD_ERR_OUT_OF_BOUND; /* OSTD: end > MAX_PADDR */
	}
	if (len == 0) {
		return PTD_ERR_WOULD_PANIC; /* OSTD asserts a non-empty range */
	}
	first = paddr / PTD_PAGE_SIZE;
	last = first + len / PTD_PAGE_SIZE;
	/* Step 4: the lowest covered slot in use decides, as OSTD's first failing from_unused
	 * would; but nothing has been claimed yet, so nothing needs rolling back. */
	for (uint64_t i = first; i < last; i++) {
		uint64_t rc = core_meta_slot(k, i)->ref_count;

#if PTDIFF_PLANT_BOTH_SEGMENT_ROLLBACK
		if (rc != PTD_RC_UNUSED) {
			for (uint64_t r = first; r < i; r++) { /* claim, then roll back */
				core_meta_claim(k, r, PTD_USAGE_FRAME);
				core_meta_teardown(k, r);
			}
		}
#endif
		if (rc == PTD_RC_UNIQUE) {
			return PTD_ERR_UNIQUE;
		}
		if (rc != PTD_RC_UNUSED) {
			return PTD_ERR_IN_USE;
		}
	}
	for (uint64_t i = first; i < last; i++) {
		core_meta_claim(k, i, PTD_USAGE_FRAME);
	}
	segment_register(k, new_id, paddr, paddr + len);
	return PTD_OK;
}

enum ptd_status core_segment_drop(struct core *k, ptd_id_t id)
{
	struct core_segment seg = *core_segment_get(k, id);

	core_registry_remove(&k->segment_ids, id);
	/* OSTD Drop for Segment: each page's forgotten Frame is rebuilt and dropped, lowest
	 * first; the last reference tears its slot down (usage kept). */
	for (uint64_t i = seg.start / PTD_PAGE_SIZE; i < seg.end / PTD_PAGE_SIZE; i++) {
		core_meta_put_ref(k, i);
	}
	return PTD_OK;
}

enum ptd_status core_segment_split(struct core *k, ptd_id_t id, uint64_t offset, ptd_id_t left_id,
				   ptd_id_t right_id)
{
	struct core_segment seg = *core_segment_get(k, id);

	if (offset % PTD_PAGE_SIZE || offset == 0 || offset >= seg.end - seg.start) {
		return PTD_ERR_WOULD_PANIC; /* OSTD split asserts these */
	}
	core_registry_remove(&k->segment_ids, id);
#if PTDIFF_PLANT_SEGMENT_SPLIT_OVERLAP
	/* planted: the left half's end computed from its last page as if inclusive, so it keeps
	 * the page at the split point, which the right half also covers */
	segment_register(k, left_id, seg.start, seg.start + offset + PTD_PAGE_SIZE);
#else
	segment_register(k, left_id, seg.start, seg.start + offset);
#endif
	segment_register(k, right_id, seg.start + offset, seg.end);
	return PTD_OK;
}

enum ptd_status core_segment_next(struct core *k, ptd_id_t id, ptd_id_t new_id, ptd_paddr_t *paddr)
{
	struct core_segment *seg = core_segment_get(k, id);
	ptd_paddr_t page = seg->start;

	/* The segment's reference to its first page moves to the new Frame: rc unchanged. */
	core_frame_register(k, new_id, page);
	seg->start += PTD_PAGE_SIZE;
#if PTDIFF_PLANT_SEGMENT_NEXT_END
	/* planted: "is this the last page?" asked after advancing */
	if (seg->start == seg->end || seg->start + PTD_PAGE_SIZE == seg->end) {
		core_registry_remove(&k->segment_ids, id);
	}
#else
	if (seg->start == seg->end) {
		core_registry_remove(&k->segment_ids, id); /* empty segments are removed */
	}
#endif
	*paddr = page;
	return PTD_OK;
}

enum ptd_status core_segment_clone(struct core *k, ptd_id_t id, ptd_id_t new_id)
{
	struct core_segment seg = *core_segment_get(k, id);

	if (range_saturated(k, seg.start, seg.end)) {
		return PTD_ERR_WOULD_PANIC;
	}
#if PTDIFF_PLANT_SEGMENT_CLONE_RC
	/* planted: the range's length passed where its end is expected */
	range_get_ref(k, seg.start, seg.end - seg.start);
#else
	range_get_ref(k, seg.start, seg.end);
#endif
	segment_register(k, new_id, seg.start, seg.end);
	return PTD_OK;
}

enum ptd_status core_segment_slice(struct core *k, ptd_id_t id, ptd_paddr_t paddr, uint64_t len,
				   ptd_id_t new_id)
{
	struct core_segment seg = *core_segment_get(k, id);

	/* Step 1: aligned, non-empty, start <= paddr and paddr + len <= end (read over the
	 * integers: a paddr at or past the end is refused, whatever len). */
	if (paddr % PTD_PAGE_SIZE || len % PTD_PAGE_SIZE || len == 0 || paddr < seg.start ||
	    paddr >= seg.end || len > seg.end - paddr) {
		return PTD_ERR_WOULD_PANIC;
	}
#if PTDIFF_PLANT_SEGMENT_SLICE_END
	if (len == seg.end - paddr) {
		return PTD_ERR_WOULD_PANIC; /* planted: a slice reaching the segment's end refused */
	}
#endif
	if (range_saturated(k, paddr, paddr + len)) {
		return PTD_ERR_WOULD_PANIC;
	}
	range_get_ref(k, paddr, paddr + len);
	segment_register(k, new_id, paddr, paddr + len);
	return PTD_OK;
}
