/* SPDX-License-Identifier: MIT */
/*
 * Segment handles (OSTD ostd/src/mm/frame/segment.rs: a `Segment` is a contiguous,
 * page-aligned physical range holding one reference to every frame in it) and the ops of
 * POLICY §3 "Segments" (docs/CONTRACTS.md#segments, vostd `segment_*_embedded`).  A segment is just
 * its range: its references live in the covered slots' ref counts, so the accounting invariant
 * reads rc == H + P + C with C = the live segments covering the slot.
 *
 * Cost: ops that touch every covered slot (from_unused, drop, clone, slice) are O(pages of
 * the range); split and next only rewrite ranges and are O(1).
 */
#ifndef PTDIFF_CORE_SEGMENT_H
#define PTDIFF_CORE_SEGMENT_H

#include "ptdiff/types.h"

struct core;

/* struct core_segment - one live segment, stored at its harness id: the range [start, end),
 * page-aligned, non-empty, inside physical memory. */
struct core_segment {
	ptd_paddr_t start, end;
};

/** core_segment_get() - The live segment @id (harness error if not live). */
struct core_segment *core_segment_get(struct core *k, ptd_id_t id);

/**
 * core_segment_from_unused() - SegmentFromUnused, `segment_from_unused_embedded`: claim every
 * slot of [@paddr, @paddr + @len) as a Frame, all or nothing, and register @new_id.
 * Return: PTD_OK, PTD_ERR_NOT_ALIGNED, PTD_ERR_OUT_OF_BOUND, PTD_ERR_WOULD_PANIC (empty range),
 * PTD_ERR_UNIQUE or PTD_ERR_IN_USE.
 */
enum ptd_status core_segment_from_unused(struct core *k, ptd_paddr_t paddr, uint64_t len,
					 ptd_id_t new_id);

/**
 * core_segment_drop() - SegmentDrop, `segment_drop_embedded`: unregister @id and release one
 * reference to every covered slot, lowest first.  Return: PTD_OK.
 */
enum ptd_status core_segment_drop(struct core *k, ptd_id_t id);

/**
 * core_segment_split() - SegmentSplit at byte @offset: @id becomes @left_id = [start,
 * start + offset) and @right_id = [start + offset, end).  Slots unchanged.
 * Return: PTD_OK or PTD_ERR_WOULD_PANIC (offset unaligned, 0 or >= size).
 */
enum ptd_status core_segment_split(struct core *k, ptd_id_t id, uint64_t offset, ptd_id_t left_id,
				   ptd_id_t right_id);

/**
 * core_segment_next() - SegmentNext (the segment iterator): the first page's reference becomes
 * Frame handle @new_id; the segment shrinks by one page, or is unregistered when it was one
 * page.  Slots unchanged.  Sets *@paddr to the page taken.  Return: PTD_OK.
 */
enum ptd_status core_segment_next(struct core *k, ptd_id_t id, ptd_id_t new_id, ptd_paddr_t *paddr);

/**
 * core_segment_clone() - SegmentClone: one more reference on every covered slot, registered as
 * segment @new_id over the same range.
 * Return: PTD_OK or PTD_ERR_WOULD_PANIC (some covered rc >= MAX).
 */
enum ptd_status core_segment_clone(struct core *k, ptd_id_t id, ptd_id_t new_id);

/**
 * core_segment_slice() - SegmentSlice of the absolute sub-range [@paddr, @paddr + @len) (the
 * contract's form): one more reference on every slot of it, registered as segment @new_id.
 * Return: PTD_OK or PTD_ERR_WOULD_PANIC (sub-range misaligned, empty or outside the segment;
 * some rc >= MAX).
 */
enum ptd_status core_segment_slice(struct core *k, ptd_id_t id, ptd_paddr_t paddr, uint64_t len,
				   ptd_id_t new_id);

#endif /* PTDIFF_CORE_SEGMENT_H */
