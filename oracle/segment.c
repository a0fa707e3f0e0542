/* SPDX-License-Identifier: MIT */
/*
 * Segment operations: SegmentFromUnused, SegmentDrop, SegmentSplit, SegmentNext, SegmentClone,
 * SegmentSlice (vostd `specs/mm/embedding/segment.rs` and the store steps of `mod.rs`,
 * docs/CONTRACTS.md#segments; docs/POLICY.md "Segments").
 *
 * A segment is a SegmentEntry [start, end): page-aligned, non-empty
 * (docs/CONTRACTS.md#structural-inv item 6), holding one reference to every frame it covers.  The
 * accounting invariant counts it as C(i), the number of live segments covering slot i: rc == H + P
 * + C on every Frame slot in use (docs/CONTRACTS.md#accounting-inv).  Split and Next move
 * references between handles and change no slot; Clone and Slice add one per page; Drop releases
 * one per page (POLICY.md §2 "Release a reference").
 */
#include "ops.h"
#include "planted.h"

/** page_count() - Pages in [@start, @end), both page-aligned. */
static uint64_t page_count(ptd_paddr_t start, ptd_paddr_t end)
{
	return (end - start) / PTD_PAGE_SIZE;
}

/** range_saturated() - Whether some slot of [@start, @end) has rc >= MAX (rc + 1 would pass it). */
static bool range_saturated(struct oracle *o, ptd_paddr_t start, ptd_paddr_t end)
{
	for (uint64_t k = 0; k < page_count(start, end); k++) {
		if (oracle_slot_of(o, start + k * PTD_PAGE_SIZE)->rc >= PTD_RC_MAX) {
			return true;
		}
	}
	return false;
}

/** range_get() - rc + 1 on every slot of [@start, @end); the caller checked saturation. */
static void range_get(struct oracle *o, ptd_paddr_t start, ptd_paddr_t end)
{
	for (uint64_t k = 0; k < page_count(start, end); k++) {
		struct oracle_slot *s = oracle_slot_of(o, start + k * PTD_PAGE_SIZE);
		/* docs/CONTRACTS.md#structural-inv item 6: every page of a live segment is a Frame
		 * slot in use. */
		ORACLE_BUG_ON(s->usage != PTD_USAGE_FRAME || s->rc == 0 || s->rc >= PTD_RC_MAX);
		s->rc += 1;
	}
}

/*
 * SegmentFromUnused — `segment_from_unused_embedded` (docs/CONTRACTS.md#segment-from-unused).
 * Contract: if the range is page-aligned, non-empty, within physical memory and every covered slot
 * is UNUSED, the step may succeed: every covered slot becomes Frame with rc 1, storage and vtable
 * initialised, paths empty, in_list 0, and a SegmentEntry is registered; otherwise regions are
 * exactly unchanged.  POLICY.md closes the nondeterministic None (success iff those conditions
 * hold) and gives the exec's error codes.  Departures: an empty range is a no-op in the contract
 * but an assert in exec (ERR_WOULD_PANIC, POLICY.md step 3); the exec's claim-then-rollback would
 * leave usage = Frame on the slots it rolled back (docs/CONTRACTS.md#inc-7), so ptdiff pre-checks
 * the whole range (the contract's "failure => unchanged").
 */
void oracle_segment_from_unused(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	const uint64_t mem = o->cfg.nframes * PTD_PAGE_SIZE;
	const ptd_paddr_t start = op->paddr;
	const uint64_t len = op->len;

	/* 1. paddr or len not 4096-aligned. */
	if (start % PTD_PAGE_SIZE != 0 || len % PTD_PAGE_SIZE != 0) {
		res->status = PTD_ERR_NOT_ALIGNED;
		return;
	}
	/* 2. Past physical memory: paddr >= nframes*4096, or len > nframes*4096 - paddr (the
	 * subtraction cannot wrap once paddr < nframes*4096). */
	if (start >= mem || len > mem - start) {
		res->status = PTD_ERR_OUT_OF_BOUND;
		return;
	}
	/* 3. Empty range: the exec asserts start < end. */
	if (len == 0) {
		res->status = PTD_ERR_WOULD_PANIC;
		return;
	}
	/* 4. The lowest covered slot not UNUSED decides; nothing changes. */
	for (uint64_t k = 0; k < len / PTD_PAGE_SIZE; k++) {
		const struct oracle_slot *s = oracle_slot_of(o, start + k * PTD_PAGE_SIZE);
#if PTDIFF_PLANT_BOTH_SEGMENT_ROLLBACK
		if (s->rc != PTD_RC_UNUSED)
			for (uint64_t r = 0; r < k; r++)
				oracle_slot_of(o, start + r * PTD_PAGE_SIZE)->usage =
					PTD_USAGE_FRAME;
#endif
		if (s->rc == PTD_RC_UNIQUE) {
			res->status = PTD_ERR_UNIQUE;
			return;
		}
		if (s->rc != PTD_RC_UNUSED) {
			res->status = PTD_ERR_IN_USE;
			return;
		}
	}
	/* 5. Claim every covered slot as Frame (POLICY.md §2); register the segment. */
	for (uint64_t k = 0; k < len / PTD_PAGE_SIZE; k++)
		oracle_slot_claim_frame(oracle_slot_of(o, start + k * PTD_PAGE_SIZE));
	oracle_segment_register(o, op->new_id, start, start + len);
	res->status = PTD_OK;
	res->new_id = op->new_id;
}

/*
 * SegmentDrop — `lemma_segment_drop_embedded` (docs/CONTRACTS.md#segment-drop): remove the entry;
 * every covered page with rc 1 becomes UNUSED (storage uninitialised), with rc > 1 gets rc - 1;
 * usage, paths, in_list kept; other slots unchanged.  That is "release a reference" (POLICY.md §2)
 * per page; POLICY.md fixes the order, lowest first (unobservable here: the pages are distinct
 * slots).
 */
void oracle_segment_drop(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	size_t idx = oracle_segment_get(o, op->segment);
	const struct oracle_segment seg = o->segments[idx];

	oracle_segment_unregister(o, idx);
	for (uint64_t k = 0; k < page_count(seg.start, seg.end); k++)
		oracle_slot_release(oracle_slot_of(o, seg.start + k * PTD_PAGE_SIZE));
	res->status = PTD_OK;
}

/*
 * SegmentSplit — docs/CONTRACTS.md#segment-split (store step mod.rs:3526-3700).  The contract's
 * op_pre (offset % 4096 == 0, 0 < offset < size) is what the exec panics on; POLICY.md step 1
 * refuses it as ERR_WOULD_PANIC.  Then: regions unchanged, the entry removed, two new entries
 * [start, start+offset) (new_id, the left one, chosen first in the contract) and [start+offset,
 * end) (new_id2).
 */
void oracle_segment_split(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	size_t idx = oracle_segment_get(o, op->segment);
	const struct oracle_segment seg = o->segments[idx];
	const uint64_t offset = op->len;

	/* 1. offset unaligned, 0, or not inside the segment -> the exec panics. */
	if (offset % PTD_PAGE_SIZE != 0 || offset == 0 || offset >= seg.end - seg.start) {
		res->status = PTD_ERR_WOULD_PANIC;
		return;
	}
	/* 2. Unregister; register the two halves.  Slots unchanged (C stays 1 on every page). */
	oracle_segment_unregister(o, idx);
	oracle_segment_register(o, op->new_id, seg.start, seg.start + offset);
	oracle_segment_register(o, op->new_id2, seg.start + offset, seg.end);
	res->status = PTD_OK;
	res->new_id = op->new_id;
	res->new_id2 = op->new_id2;
}

/*
 * SegmentNext — docs/CONTRACTS.md#segment-next (embedding/segment.rs:238-291), the segment
 * iterator.  At p = start: the slot is unchanged (the segment's reference becomes the new handle's:
 * C - 1, H + 1), a FrameEntry{p} is registered and the segment becomes [p + 4096, end), keeping its
 * id, or is removed when that is empty.  The exec's None on an empty segment is unreachable (empty
 * segments are removed).  POLICY.md adds the result paddr = p.
 */
void oracle_segment_next(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	size_t idx = oracle_segment_get(o, op->segment);
	const ptd_paddr_t p = o->segments[idx].start;

	if (p + PTD_PAGE_SIZE == o->segments[idx].end) {
		oracle_segment_unregister(o, idx);
	} else {
		o->segments[idx].start = p + PTD_PAGE_SIZE;
	}
	oracle_frame_register(o, op->new_id, p);
	res->status = PTD_OK;
	res->new_id = op->new_id;
	res->paddr = p;
}

/*
 * SegmentClone — docs/CONTRACTS.md#segment-clone (embedding/segment.rs:419-469).  Contract op_pre:
 * every covered page has rc + 1 <= MAX (the exec panics on saturation: POLICY.md step 1,
 * ERR_WOULD_PANIC).  Then a new SegmentEntry with the same range; every covered page rc + 1, all
 * other fields and slots unchanged.
 */
void oracle_segment_clone(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	const struct oracle_segment seg = o->segments[oracle_segment_get(o, op->segment)];

	/* 1. Some covered slot has rc >= MAX. */
	if (range_saturated(o, seg.start, seg.end)) {
		res->status = PTD_ERR_WOULD_PANIC;
		return;
	}
	/* 2. rc + 1 on every covered slot; the clone covers the same range. */
	range_get(o, seg.start, seg.end);
	oracle_segment_register(o, op->new_id, seg.start, seg.end);
	res->status = PTD_OK;
	res->new_id = op->new_id;
}

/*
 * SegmentSlice — docs/CONTRACTS.md#segment-slice (embedding/segment.rs:419-469), in the contract's
 * form: an absolute, page-aligned, non-empty sub-range [paddr, paddr + len) of the segment (the
 * exec takes offsets, accepts an empty range and panics on a misaligned or out-of-range one;
 * POLICY.md step 1 refuses everything outside the contract's op_pre as ERR_WOULD_PANIC).
 * Saturation panics in exec (step 2).  Then a new SegmentEntry for the sub-range; every page in it
 * rc + 1.
 */
void oracle_segment_slice(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	const struct oracle_segment seg = o->segments[oracle_segment_get(o, op->segment)];
	const ptd_paddr_t start = op->paddr;
	const uint64_t len = op->len;

	/* 1. Not (aligned, len > 0, start <= paddr, len <= end - paddr), read over the integers:
	 * paddr < end is checked first so that end - paddr cannot wrap. */
	if (start % PTD_PAGE_SIZE != 0 || len % PTD_PAGE_SIZE != 0 || len == 0 ||
	    start < seg.start || start >= seg.end || len > seg.end - start) {
		res->status = PTD_ERR_WOULD_PANIC;
		return;
	}
	/* 2. Some slot of the sub-range has rc >= MAX. */
	if (range_saturated(o, start, start + len)) {
		res->status = PTD_ERR_WOULD_PANIC;
		return;
	}
	/* 3. rc + 1 on every slot of the sub-range; register it. */
#if PTDIFF_PLANT_ORACLE_SEGMENT_SLICE_RC
	range_get(o, seg.start, seg.end); /* planted: the references taken as SegmentClone's */
#else
	range_get(o, start, start + len);
#endif
	oracle_segment_register(o, op->new_id, start, start + len);
	res->status = PTD_OK;
	res->new_id = op->new_id;
}
