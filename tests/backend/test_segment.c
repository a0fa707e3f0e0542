/* SPDX-License-Identifier: MIT */
/*
 * Segment handles, on either side (docs/POLICY.md §3 "Segments"; vostd `segment_*_embedded`):
 * SegmentFromUnused with every error code in its order and all-or-nothing, SegmentDrop,
 * SegmentSplit, SegmentNext, SegmentClone and SegmentSlice (every refusal changing nothing),
 * FrameDrop on a segment-covered slot, the accounting invariant rc == H + P + C along mixed
 * sequences, segments in the page-table pool, the view's segments[] and reset.  Saturation
 * (rc >= MAX) is reached by writing the slot directly (bt_poke).
 */
#include "bt.h"

#define MEM (TB_NFRAMES * PG)
#define TOP_PAGE (UINT64_MAX & ~(PG - 1))

/* SegmentFromUnused steps 1-3: NOT_ALIGNED (paddr or len), then OUT_OF_BOUND (past physical
 * memory, without wrapping; paddr at or after the end even with len 0), then WOULD_PANIC for an
 * empty range inside memory; each refusal changes nothing. */
TEST(from_unused_argument_errors_in_order)
{
	struct tb t;

	bt_init(&t);
	CHECK_REFUSED(&t, tb_segment(&t, 0x5001, PG), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_segment(&t, 4 * PG + 8, PG), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_segment(&t, 0x5000, PG + 1), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_segment(&t, 0x5000, 1), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_segment(&t, 0, 1), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_segment(&t, MEM + 8, PG), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_segment(&t, 0x5008, 0), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_segment(&t, MEM, 100 * PG + 3), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_segment(&t, MEM - PG, 2 * PG), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_segment(&t, 0, MEM + PG), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_segment(&t, MEM, PG), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_segment(&t, TB_IOMEM_BASE, PG), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_segment(&t, TOP_PAGE, PG), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_segment(&t, TOP_PAGE, 2 * PG), PTD_ERR_OUT_OF_BOUND);
	/* paddr + len would wrap: still out of bound, not a wrapped-around success. */
	CHECK_REFUSED(&t, tb_segment(&t, PG, TOP_PAGE), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_segment(&t, MEM, 0), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_segment(&t, MEM + PG, 0), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_segment(&t, 0, 0), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment(&t, 4 * PG, 0), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment(&t, MEM - PG, 0), PTD_ERR_WOULD_PANIC);
	tb_fini(&t);
}

/* Step 4: the lowest covered slot whose rc is not UNUSED decides (UNIQUE or IN_USE, a live
 * page-table node included), after steps 1-3; no slot changes, not even the usage of the free
 * slots below it (the all-or-nothing claim: OSTD's rollback would leave usage Frame there). */
TEST(from_unused_lowest_busy_slot_decides)
{
	struct tb t;

	bt_init(&t);
	CHECK_EQ(tb_unique(&t, 5 * PG).status, PTD_OK);                    /* 5: UNIQUE */
	(void)bt_frame(&t, 6);                                             /* 6: rc 1 */
	CHECK_EQ(tb_unique(&t, 7 * PG).status, PTD_OK);                    /* 7: UNIQUE */
	CHECK_EQ(tb_unique(&t, 12 * PG).status, PTD_OK);                   /* 12: UNIQUE */
	(void)bt_frame(&t, 13);                                            /* 13: rc 1 */
	CHECK_EQ(tb_new_vs(&t).status, PTD_OK);                            /* 32: root node */
	CHECK_REFUSED(&t, tb_segment(&t, 4 * PG, 3 * PG), PTD_ERR_UNIQUE); /* 5 first */
	CHECK_REFUSED(&t, tb_segment(&t, 5 * PG, PG), PTD_ERR_UNIQUE);
	CHECK_REFUSED(&t, tb_segment(&t, 6 * PG, 4 * PG), PTD_ERR_IN_USE);  /* 6 first */
	CHECK_REFUSED(&t, tb_segment(&t, 7 * PG, 2 * PG), PTD_ERR_UNIQUE);  /* 7 first */
	CHECK_REFUSED(&t, tb_segment(&t, 10 * PG, 4 * PG), PTD_ERR_UNIQUE); /* 12 first */
	CHECK_REFUSED(&t, tb_segment(&t, 8 * PG, 8 * PG), PTD_ERR_UNIQUE);  /* 12 first */
	CHECK_REFUSED(&t, tb_segment(&t, 13 * PG, PG), PTD_ERR_IN_USE);
	CHECK_REFUSED(&t, tb_segment(&t, 30 * PG, 3 * PG), PTD_ERR_IN_USE); /* node at 32 */
	CHECK_REFUSED(&t, tb_segment(&t, 0, MEM), PTD_ERR_UNIQUE);          /* 5 first */
	CHECK_REFUSED(&t, tb_segment(&t, 6 * PG, MEM - 6 * PG), PTD_ERR_IN_USE);
	/* Earlier checks win over a covered slot in use. */
	CHECK_REFUSED(&t, tb_segment(&t, 5 * PG + 1, PG), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_segment(&t, 6 * PG, MEM), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_segment(&t, 6 * PG, 0), PTD_ERR_WOULD_PANIC);
	for (uint64_t i = 0; i < 5; i++)
		CHECK_SLOT_FREE(&t, i, PTD_USAGE_UNUSED);
	for (uint64_t i = 8; i < 12; i++)
		CHECK_SLOT_FREE(&t, i, PTD_USAGE_UNUSED);
	/* The free neighbours are claimed fine. */
	CHECK_CREATED(tb_segment(&t, 8 * PG, 2 * PG), t.next_id - 1);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Step 5: every covered slot claimed as a Frame (rc 1, initialised, no paths), the segment
 * registered with its range and no frame handle; up to the last frame of memory. */
TEST(from_unused_claims_range)
{
	struct tb t;

	bt_init(&t);
	CHECK_CREATED(tb_segment(&t, 16 * PG, 3 * PG), 1);
	for (uint64_t i = 16; i < 19; i++) {
		CHECK_SLOT_LIVE(&t, i, 1, PTD_USAGE_FRAME);
		CHECK_EQ(tb_paths(&t, i), 0);
	}
	CHECK_SLOT_FREE(&t, 15, PTD_USAGE_UNUSED);
	CHECK_SLOT_FREE(&t, 19, PTD_USAGE_UNUSED);
	CHECK_EQ(t.view.nsegments, 1);
	CHECK(tb_has_segment(&t, 1, 16 * PG, 19 * PG));
	CHECK_EQ(t.view.nframes, 0);
	CHECK_EQ(t.view.nuniques, 0);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	/* The last frame alone; then everything else, in two segments. */
	CHECK_CREATED(tb_segment(&t, MEM - PG, PG), 2);
	CHECK(tb_has_segment(&t, 2, MEM - PG, MEM));
	CHECK_CREATED(tb_segment(&t, 19 * PG, MEM - 20 * PG), 3);
	CHECK_CREATED(tb_segment(&t, 0, 16 * PG), 4);
	for (uint64_t i = 0; i < TB_NFRAMES; i++)
		CHECK_SLOT_LIVE(&t, i, 1, PTD_USAGE_FRAME);
	CHECK_EQ(t.view.nsegments, 4);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Usage before the call is not checked: freed frame, node and segment slots are claimed
 * again. */
TEST(from_unused_reuses_freed_slots)
{
	struct tb t;
	ptd_id_t vs, s;

	bt_init(&t);
	vs = tb_new_vs(&t).new_id; /* root at 32 */
	CHECK_EQ(tb_drop_vs(&t, vs).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 32, PTD_USAGE_PAGE_TABLE);
	CHECK_EQ(tb_frame_drop(&t, bt_frame(&t, 31)).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 31, PTD_USAGE_FRAME);
	s = tb_segment(&t, 31 * PG, 2 * PG).new_id;
	CHECK(s != 0);
	CHECK_SLOT_LIVE(&t, 31, 1, PTD_USAGE_FRAME);
	CHECK_SLOT_LIVE(&t, 32, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_EQ(tb_segment_drop(&t, s).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 31, PTD_USAGE_FRAME);
	CHECK_SLOT_FREE(&t, 32, PTD_USAGE_FRAME);
	CHECK_EQ(tb_segment(&t, 30 * PG, 4 * PG).status, PTD_OK);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* SegmentDrop: one reference released per covered slot; rc 1 tears down (usage kept Frame),
 * rc > 1 decrements; slots outside untouched. */
TEST(drop_releases_one_reference_per_slot)
{
	struct tb t;
	ptd_id_t s, h;

	bt_init(&t);
	s = tb_segment(&t, 4 * PG, 3 * PG).new_id;
	h = tb_from_in_use(&t, 5 * PG).new_id; /* slot 5: H 1 + C 1 */
	CHECK_SLOT_LIVE(&t, 5, 2, PTD_USAGE_FRAME);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_ONLY_STATUS(tb_segment_drop(&t, s), PTD_OK);
	CHECK_EQ(t.view.nsegments, 0);
	CHECK_SLOT_FREE(&t, 4, PTD_USAGE_FRAME);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	CHECK_SLOT_FREE(&t, 6, PTD_USAGE_FRAME);
	CHECK_SLOT_FREE(&t, 3, PTD_USAGE_UNUSED);
	CHECK_SLOT_FREE(&t, 7, PTD_USAGE_UNUSED);
	CHECK(tb_has_frame(&t, h, 5 * PG));
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_EQ(tb_frame_drop(&t, h).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	tb_fini(&t);
}

/* SegmentDrop of a segment whose pages are also mapped: the mappings keep them alive. */
TEST(drop_while_mapped)
{
	struct tb t;
	ptd_id_t vs, c, s, k, f;

	c = bt_start(&t, &vs, 0, 0x4000, 1);
	s = tb_segment(&t, 4 * PG, 2 * PG).new_id;
	k = tb_segment_clone(&t, s).new_id; /* rc 2 on 4, 5 */
	f = tb_segment_next(&t, s).new_id;  /* frame at 4; s = [5, 6) */
	CHECK_EQ(tb_map(&t, c, f, PROP_RW).status, PTD_OK);
	CHECK_EQ(tb_slot(&t, 4)->rc, 2); /* P 1 + C 1 (k) */
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_EQ(tb_segment_drop(&t, k).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 4, 1, PTD_USAGE_FRAME); /* the mapping */
	CHECK(tb_has_path(&t, 4, vs, 4, 0));
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME); /* s */
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_EQ(tb_segment_drop(&t, s).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	CHECK_EQ(tb_unmap(&t, c, PG).count, 1);
	CHECK_SLOT_FREE(&t, 4, PTD_USAGE_FRAME);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* SegmentSplit step 1: offset unaligned, 0, == size or > size -> WOULD_PANIC (a one-page
 * segment cannot be split at all), nothing changes. */
TEST(split_refusals)
{
	struct tb t;
	ptd_id_t s, one;

	bt_init(&t);
	s = tb_segment(&t, 2 * PG, 4 * PG).new_id; /* [0x2000, 0x6000) */
	one = tb_segment(&t, 10 * PG, PG).new_id;
	CHECK_REFUSED(&t, tb_segment_split(&t, s, PG + 1), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_split(&t, s, 8), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_split(&t, s, 0), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_split(&t, s, 4 * PG), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_split(&t, s, 5 * PG), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_split(&t, s, TOP_PAGE), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_split(&t, one, PG), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_split(&t, one, 0), PTD_ERR_WOULD_PANIC);
	/* The largest legal offset. */
	CHECK_EQ(tb_segment_split(&t, s, 3 * PG).status, PTD_OK);
	tb_fini(&t);
}

/* SegmentSplit step 2: left = new_id, right = new_id2, the old id gone, slots unchanged. */
TEST(split)
{
	struct tb t;
	struct tb_snap before;
	struct ptd_result r;
	ptd_id_t s, left, right;

	bt_init(&t);
	s = tb_segment(&t, 4 * PG, 4 * PG).new_id;
	before = tb_snap_take(&t);
	r = tb_segment_split(&t, s, 2 * PG);
	left = s + 1;
	right = s + 2;
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.new_id, left);
	CHECK_EQ(r.new_id2, right);
	r.new_id = r.new_id2 = 0;
	CHECK_MOVE(r, PTD_OK, 0, 0);
	CHECK(tb_segment_view(&t, s) == NULL);
	CHECK(tb_has_segment(&t, left, 4 * PG, 6 * PG));
	CHECK(tb_has_segment(&t, right, 6 * PG, 8 * PG));
	CHECK_EQ(t.view.nsegments, 2);
	CHECK(memcmp(t.view.slots, before.v.slots, TB_NFRAMES * sizeof *t.view.slots) == 0);
	CHECK_EQ(t.view.npaths, 0);
	tb_snap_free(&before);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	/* One page off either end. */
	r = tb_segment_split(&t, left, PG);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(tb_has_segment(&t, r.new_id, 4 * PG, 5 * PG));
	CHECK(tb_has_segment(&t, r.new_id2, 5 * PG, 6 * PG));
	r = tb_segment_split(&t, right, PG);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(tb_has_segment(&t, r.new_id, 6 * PG, 7 * PG));
	CHECK(tb_has_segment(&t, r.new_id2, 7 * PG, 8 * PG));
	CHECK_EQ(t.view.nsegments, 4);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* SegmentNext: the first page becomes a Frame handle (rc unchanged); the segment keeps its id
 * and shrinks, and is gone after its last page; the frames are ordinary Frames then. */
TEST(next_takes_the_first_page)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t s, f4, f5, f6;

	bt_init(&t);
	s = tb_segment(&t, 4 * PG, 3 * PG).new_id;
	r = tb_segment_next(&t, s);
	f4 = r.new_id;
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(f4, s + 1);
	CHECK_EQ(r.paddr, 4 * PG);
	r.new_id = 0;
	r.paddr = 0;
	CHECK_MOVE(r, PTD_OK, 0, 0);
	CHECK(tb_has_frame(&t, f4, 4 * PG));
	CHECK(tb_has_segment(&t, s, 5 * PG, 7 * PG));
	for (uint64_t i = 4; i < 7; i++)
		CHECK_SLOT_LIVE(&t, i, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	r = tb_segment_next(&t, s);
	f5 = r.new_id;
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.paddr, 5 * PG);
	CHECK(tb_has_segment(&t, s, 6 * PG, 7 * PG));
	r = tb_segment_next(&t, s); /* the last page: the segment is removed */
	f6 = r.new_id;
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.paddr, 6 * PG);
	CHECK(tb_segment_view(&t, s) == NULL);
	CHECK_EQ(t.view.nsegments, 0);
	CHECK_EQ(t.view.nframes, 3);
	CHECK(tb_has_frame(&t, f5, 5 * PG));
	CHECK(tb_has_frame(&t, f6, 6 * PG));
	for (uint64_t i = 4; i < 7; i++)
		CHECK_SLOT_LIVE(&t, i, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_EQ(tb_frame_drop(&t, f4).status, PTD_OK);
	CHECK_EQ(tb_frame_drop(&t, f5).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 4, PTD_USAGE_FRAME);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_SLOT_LIVE(&t, 6, 1, PTD_USAGE_FRAME);
	tb_fini(&t);
}

/* SegmentClone: the same range under a new id, rc + 1 on every covered slot; WOULD_PANIC if
 * any covered rc is at MAX (nothing changes); MAX - 1 clones, to exactly MAX. */
TEST(clone_adds_a_reference_per_slot)
{
	struct tb t;
	ptd_id_t s, k;

	bt_init(&t);
	s = tb_segment(&t, 2 * PG, 3 * PG).new_id;
	k = tb_segment_clone(&t, s).new_id;
	CHECK_EQ(k, s + 1);
	CHECK(tb_has_segment(&t, s, 2 * PG, 5 * PG));
	CHECK(tb_has_segment(&t, k, 2 * PG, 5 * PG));
	for (uint64_t i = 2; i < 5; i++)
		CHECK_SLOT_LIVE(&t, i, 2, PTD_USAGE_FRAME);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_UNUSED);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_EQ(tb_segment_drop(&t, s).status, PTD_OK);
	for (uint64_t i = 2; i < 5; i++)
		CHECK_SLOT_LIVE(&t, i, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	/* Saturation on the last covered slot. */
	bt_poke(&t, 4, PTD_RC_MAX, PTD_USAGE_FRAME);
	CHECK_REFUSED(&t, tb_segment_clone(&t, k), PTD_ERR_WOULD_PANIC);
	CHECK_EQ(tb_slot(&t, 4)->rc, PTD_RC_MAX);
	CHECK_EQ(tb_slot(&t, 2)->rc, 1);
	bt_poke(&t, 4, PTD_RC_MAX - 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_segment_clone(&t, k).status, PTD_OK);
	CHECK_EQ(tb_slot(&t, 4)->rc, PTD_RC_MAX);
	CHECK_EQ(tb_slot(&t, 2)->rc, 2);
	bt_poke(&t, 4, 2, PTD_USAGE_FRAME); /* k and its clone */
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* SegmentSlice step 1: misaligned, empty, or not inside the segment (paddr is an address, not
 * an offset; paddr + len computed without wrapping) -> WOULD_PANIC; step 2: saturation inside
 * the sub-range only; each refusal changes nothing. */
TEST(slice_refusals)
{
	struct tb t;
	ptd_id_t s;

	bt_init(&t);
	s = tb_segment(&t, 4 * PG, 6 * PG).new_id; /* [4, 10) */
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 5 * PG + 1, PG), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 5 * PG, PG + 1), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 5 * PG, 0), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 4 * PG, 0), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 3 * PG, PG), PTD_ERR_WOULD_PANIC); /* below */
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 3 * PG, 2 * PG),
		      PTD_ERR_WOULD_PANIC); /* across */
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 9 * PG, 2 * PG), PTD_ERR_WOULD_PANIC); /* past */
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 8 * PG, 3 * PG), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 4 * PG, 7 * PG), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 10 * PG, PG), PTD_ERR_WOULD_PANIC); /* at end */
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 11 * PG, PG), PTD_ERR_WOULD_PANIC); /* after */
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 20 * PG, PG), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 0, PG), PTD_ERR_WOULD_PANIC); /* an offset */
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, TOP_PAGE, 2 * PG), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, TOP_PAGE, 6 * PG), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 5 * PG, TOP_PAGE), PTD_ERR_WOULD_PANIC);
	/* Step 2 counts only the sub-range's pages. */
	bt_poke(&t, 7, PTD_RC_MAX, PTD_USAGE_FRAME);
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 6 * PG, 2 * PG), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 7 * PG, PG), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 4 * PG, 6 * PG), PTD_ERR_WOULD_PANIC);
	CHECK_EQ(tb_segment_slice(&t, s, 5 * PG, 2 * PG).status, PTD_OK);
	CHECK_EQ(tb_segment_slice(&t, s, 8 * PG, 2 * PG).status, PTD_OK);
	CHECK_EQ(tb_slot(&t, 7)->rc, PTD_RC_MAX);
	CHECK_EQ(tb_slot(&t, 6)->rc, 2);
	CHECK_EQ(tb_slot(&t, 5)->rc, 2);
	CHECK_EQ(tb_slot(&t, 4)->rc, 1);
	tb_fini(&t);
}

/* SegmentSlice step 3: an absolute sub-range under a new id, rc + 1 on its pages only; the
 * whole range, the first page, the last page, a slice of a slice; the source unchanged;
 * dropping the original leaves the slices' references. */
TEST(slice)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t s, a;

	bt_init(&t);
	s = tb_segment(&t, 4 * PG, 6 * PG).new_id; /* [4, 10) */
	r = tb_segment_slice(&t, s, 5 * PG, 2 * PG);
	a = r.new_id;
	CHECK_CREATED(r, s + 1);
	CHECK(tb_has_segment(&t, a, 5 * PG, 7 * PG));
	CHECK(tb_has_segment(&t, s, 4 * PG, 10 * PG));
	CHECK_SLOT_LIVE(&t, 4, 1, PTD_USAGE_FRAME);
	CHECK_SLOT_LIVE(&t, 5, 2, PTD_USAGE_FRAME);
	CHECK_SLOT_LIVE(&t, 6, 2, PTD_USAGE_FRAME);
	CHECK_SLOT_LIVE(&t, 7, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	r = tb_segment_slice(&t, s, 4 * PG, 6 * PG);
	CHECK_CREATED(r, s + 2);
	CHECK(tb_has_segment(&t, r.new_id, 4 * PG, 10 * PG));
	CHECK_EQ(tb_segment_slice(&t, s, 4 * PG, PG).status, PTD_OK);
	r = tb_segment_slice(&t, s, 9 * PG, PG);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(tb_has_segment(&t, r.new_id, 9 * PG, 10 * PG));
	CHECK_EQ(tb_segment_slice(&t, a, 6 * PG, PG).status, PTD_OK);
	CHECK(tb_has_segment(&t, s, 4 * PG, 10 * PG));
	CHECK_EQ(tb_slot(&t, 4)->rc, 3);
	CHECK_EQ(tb_slot(&t, 5)->rc, 3);
	CHECK_EQ(tb_slot(&t, 6)->rc, 4);
	CHECK_EQ(tb_slot(&t, 7)->rc, 2);
	CHECK_EQ(tb_slot(&t, 8)->rc, 2);
	CHECK_EQ(tb_slot(&t, 9)->rc, 3);
	CHECK_EQ(t.view.nsegments, 6);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_EQ(tb_segment_drop(&t, s).status, PTD_OK);
	CHECK_EQ(tb_slot(&t, 4)->rc, 2);
	CHECK_EQ(tb_slot(&t, 7)->rc, 1);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* FrameDrop of a frame whose slot a live segment covers is a plain decrement (POLICY FrameDrop
 * note), also for a frame SegmentNext took while a clone still covers the slot. */
TEST(frame_drop_on_covered_slot)
{
	struct tb t;
	ptd_id_t s, k, f, h;

	bt_init(&t);
	s = tb_segment(&t, 4 * PG, 2 * PG).new_id;
	h = tb_from_in_use(&t, 4 * PG).new_id; /* rc 2: H 1 + C 1 */
	CHECK_EQ(tb_frame_drop(&t, h).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 4, 1, PTD_USAGE_FRAME);
	CHECK(tb_has_segment(&t, s, 4 * PG, 6 * PG));
	CHECK_EQ(tb_accounting_violations(&t), 0);
	k = tb_segment_clone(&t, s).new_id;
	f = tb_segment_next(&t, s).new_id; /* frame at 4; s = [5, 6) */
	CHECK_EQ(tb_slot(&t, 4)->rc, 2);
	CHECK_EQ(tb_frame_drop(&t, f).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 4, 1, PTD_USAGE_FRAME); /* k */
	CHECK(tb_has_segment(&t, k, 4 * PG, 6 * PG));
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* rc == H + P + C, hand-counted on one slot through handles, mappings and segments. */
TEST(accounting_counts_segments)
{
	struct tb t;
	ptd_id_t seg, clone, slice, vs, c, h, q;

	bt_init(&t);
	seg = tb_segment(&t, 2 * PG, 4 * PG).new_id;          /* C = 1 on 2..5 */
	clone = tb_segment_clone(&t, seg).new_id;             /* C = 2 on 2..5 */
	slice = tb_segment_slice(&t, seg, 3 * PG, PG).new_id; /* C = 3 on 3 */
	h = tb_from_in_use(&t, 3 * PG).new_id;                /* H = 1 on 3 */
	CHECK_EQ(tb_slot(&t, 3)->rc, 4);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	c = bt_open_new(&t, &vs, 0x1000, 0x3000);
	CHECK_EQ(tb_map(&t, c, h, PROP_RO).status, PTD_OK); /* H 0, P 1 */
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	q = tb_query(&t, c).new_id; /* H 1, P 1 */
	CHECK(q != 0);
	CHECK_EQ(tb_slot(&t, 3)->rc, 5); /* 1 + 1 + 3 */
	CHECK_EQ(tb_slot(&t, 2)->rc, 2);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_EQ(tb_frame_drop(&t, q).status, PTD_OK);
	CHECK_EQ(tb_slot(&t, 3)->rc, 4);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_EQ(tb_segment_drop(&t, seg).status, PTD_OK);
	CHECK_EQ(tb_segment_drop(&t, slice).status, PTD_OK);
	CHECK_EQ(tb_slot(&t, 3)->rc, 2); /* clone + mapping */
	CHECK_EQ(tb_slot(&t, 2)->rc, 1);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_EQ(tb_segment_drop(&t, clone).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 2, PTD_USAGE_FRAME);
	CHECK_SLOT_LIVE(&t, 3, 1, PTD_USAGE_FRAME); /* the mapping */
	CHECK_SLOT_FREE(&t, 4, PTD_USAGE_FRAME);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_EQ(tb_drop_cursor(&t, c).status, PTD_OK);
	CHECK_EQ(tb_drop_vs(&t, vs).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 3, PTD_USAGE_FRAME);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* rc == H + P + C after every step of a sequence that moves references every way, unique
 * frames included. */
TEST(accounting_across_ops)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t vs, c, s, k, sl, f, q, left, right, f6, u;

	c = bt_start(&t, &vs, 0, 0x10000, 1);
	s = tb_segment(&t, 4 * PG, 4 * PG).new_id; /* [4, 8): rc 1 1 1 1 */
	CHECK_EQ(tb_accounting_violations(&t), 0);
	k = tb_segment_clone(&t, s).new_id;                  /* rc 2 2 2 2 */
	sl = tb_segment_slice(&t, s, 5 * PG, 2 * PG).new_id; /* rc 2 3 3 2 */
	CHECK_EQ(tb_slot(&t, 5)->rc, 3);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	f = tb_segment_next(&t, s).new_id; /* s = [5, 8); slot 4: H 1 C 1 */
	CHECK_EQ(tb_slot(&t, 4)->rc, 2);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_EQ(tb_map(&t, c, f, PROP_RW).status, PTD_OK); /* slot 4: P 1 C 1 */
	CHECK_EQ(tb_slot(&t, 4)->rc, 2);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	q = tb_query(&t, c).new_id; /* slot 4: H 1 P 1 C 1 */
	CHECK_EQ(tb_slot(&t, 4)->rc, 3);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_EQ(tb_segment_drop(&t, k).status, PTD_OK); /* rc 2 2 2 1 */
	CHECK_EQ(tb_slot(&t, 4)->rc, 2);
	CHECK_EQ(tb_slot(&t, 5)->rc, 2);
	CHECK_EQ(tb_slot(&t, 7)->rc, 1);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	r = tb_segment_split(&t, s, PG); /* [5, 6) and [6, 8) */
	left = r.new_id;
	right = r.new_id2;
	CHECK_EQ(tb_segment_drop(&t, left).status, PTD_OK); /* slot 5: sl only */
	CHECK_EQ(tb_slot(&t, 5)->rc, 1);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_EQ(tb_unmap(&t, c, PG).count, 1); /* slot 4: q only */
	CHECK_EQ(tb_slot(&t, 4)->rc, 1);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_EQ(tb_frame_drop(&t, q).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 4, PTD_USAGE_FRAME);
	f6 = tb_segment_next(&t, right).new_id; /* right = [7, 8); slot 6: H 1 C 1 */
	CHECK_REFUSED(&t, tb_try_from_shared(&t, f6), PTD_ERR_SHARED);
	CHECK_EQ(tb_segment_drop(&t, sl).status, PTD_OK); /* slot 5 freed, slot 6: H 1 */
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	u = tb_try_from_shared(&t, f6).new_id;
	CHECK(tb_has_unique(&t, u, 6 * PG));
	CHECK_SLOT_LIVE(&t, 6, PTD_RC_UNIQUE, PTD_USAGE_FRAME);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_EQ(tb_segment_drop(&t, right).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 7, PTD_USAGE_FRAME);
	f6 = tb_from_unique(&t, u).new_id;
	CHECK_SLOT_LIVE(&t, 6, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_EQ(tb_frame_drop(&t, f6).status, PTD_OK);
	for (uint64_t i = 4; i < 8; i++)
		CHECK_SLOT_FREE(&t, i, PTD_USAGE_FRAME);
	CHECK_EQ(t.view.nsegments + t.view.nframes + t.view.nuniques, 0);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* A segment reaching into the pool takes those frames from node allocation; its drop gives
 * them back, and a node then rewrites the usage. */
TEST(segment_in_the_pool_moves_the_allocator)
{
	struct tb t;
	ptd_id_t seg, vs;

	bt_init(&t);
	seg = tb_segment(&t, 30 * PG, 4 * PG).new_id; /* 30..33 */
	CHECK_POOL_FREE(&t, TB_NFRAMES - TB_POOL_START - 2);
	vs = tb_new_vs(&t).new_id;
	CHECK_NODE(&t, 34, vs, 0, 0);
	CHECK_EQ(tb_segment_drop(&t, seg).status, PTD_OK);
	CHECK_POOL_FREE(&t, TB_NFRAMES - TB_POOL_START - 1);
	CHECK_SLOT_FREE(&t, 32, PTD_USAGE_FRAME);
	vs = tb_new_vs(&t).new_id;
	CHECK_NODE(&t, 32, vs, 0, 0);
	tb_fini(&t);
}

/* The view lists every live segment and unique frame with its range (only named fields
 * written), and sets overflow when a list does not fit (what the short list then holds is each
 * side's own: tests/core/test_reset_view.c, tests/oracle/test_reset.c). */
TEST(view_lists_segments_and_uniques)
{
	struct tb t;
	struct ptd_view v;
	struct ptd_slot_view slots[TB_NFRAMES];
	struct ptd_segment_view segs[2];
	struct ptd_unique_view uniqs[1];
	ptd_id_t a, b, u;

	bt_init(&t);
	a = tb_segment(&t, 0, PG).new_id;
	b = tb_segment(&t, 4 * PG, 2 * PG).new_id;
	u = tb_unique(&t, 9 * PG).new_id;
	for (int round = 0; round < 3; round++) {
		memset(&v, 0, sizeof v);
		memset(segs, 0, sizeof segs);
		memset(uniqs, 0, sizeof uniqs);
		v.nslots = TB_NFRAMES;
		v.slots = slots;
		v.segments = segs;
		v.segments_cap = round == 0 ? 1 : 2;
		v.uniques = uniqs;
		v.uniques_cap = round == 1 ? 0 : 1;
		t.be->view(t.self, &v);
		CHECK_EQ(v.overflow, round < 2);
	}
	CHECK_EQ(v.nsegments, 2);
	CHECK_EQ(v.nuniques, 1);
	CHECK(segs[0].id != segs[1].id);
	for (unsigned i = 0; i < 2; i++) {
		CHECK(segs[i].id == a || segs[i].id == b);
		CHECK_EQ(segs[i].reserved, 0);
		if (segs[i].id == a)
			CHECK(segs[i].start == 0 && segs[i].end == PG);
		else
			CHECK(segs[i].start == 4 * PG && segs[i].end == 6 * PG);
	}
	CHECK(uniqs[0].id == u && uniqs[0].paddr == 9 * PG && uniqs[0].reserved == 0);
	tb_fini(&t);
}

/* Reset forgets segments and unique frames, and the usage of their slots (a slot is fresh
 * again for UniqueFromUnused); ids restart; the view is the initial one plus what follows. */
TEST(reset_clears_segments_and_uniques)
{
	struct tb t;
	ptd_id_t seg;

	bt_init(&t);
	seg = tb_segment(&t, 2 * PG, 4 * PG).new_id;                /* slots 2..5 */
	CHECK_EQ(tb_segment_split(&t, seg, 2 * PG).status, PTD_OK); /* no slot change */
	CHECK_EQ(tb_unique(&t, 10 * PG).status, PTD_OK);            /* slot 10 */
	CHECK_EQ(tb_segment(&t, 40 * PG, 2 * PG).status, PTD_OK);   /* pool slots 40, 41 */
	CHECK_POOL_FREE(&t, TB_NFRAMES - TB_POOL_START - 2);
	t.be->reset(t.self);
	tb_refresh(&t);
	CHECK_EQ(t.view.nsegments, 0);
	CHECK_EQ(t.view.nuniques, 0);
	for (uint64_t i = 0; i < TB_NFRAMES; i++)
		CHECK_SLOT_FREE(&t, i, PTD_USAGE_UNUSED);
	CHECK_POOL_FREE(&t, TB_NFRAMES - TB_POOL_START);
	/* Same ids again. */
	t.next_id = 1;
	seg = tb_segment(&t, 2 * PG, PG).new_id;
	CHECK_EQ(seg, 1);
	CHECK_EQ(tb_unique(&t, 10 * PG).status, PTD_OK); /* fresh again: usage was reset */
	CHECK_EQ(tb_unique(&t, 4 * PG).status, PTD_OK);
	CHECK_EQ(t.view.nsegments, 1);
	CHECK_EQ(t.view.nuniques, 2);
	for (uint64_t i = 0; i < TB_NFRAMES; i++)
		if (i != 2 && i != 4 && i != 10)
			CHECK_SLOT_FREE(&t, i, PTD_USAGE_UNUSED);
	tb_fini(&t);
}

PTD_BACKEND_TEST_MAIN(PTD_TEST_ENTRY(from_unused_argument_errors_in_order),
		      PTD_TEST_ENTRY(from_unused_lowest_busy_slot_decides),
		      PTD_TEST_ENTRY(from_unused_claims_range),
		      PTD_TEST_ENTRY(from_unused_reuses_freed_slots),
		      PTD_TEST_ENTRY(drop_releases_one_reference_per_slot),
		      PTD_TEST_ENTRY(drop_while_mapped), PTD_TEST_ENTRY(split_refusals),
		      PTD_TEST_ENTRY(split), PTD_TEST_ENTRY(next_takes_the_first_page),
		      PTD_TEST_ENTRY(clone_adds_a_reference_per_slot),
		      PTD_TEST_ENTRY(slice_refusals), PTD_TEST_ENTRY(slice),
		      PTD_TEST_ENTRY(frame_drop_on_covered_slot),
		      PTD_TEST_ENTRY(accounting_counts_segments),
		      PTD_TEST_ENTRY(accounting_across_ops),
		      PTD_TEST_ENTRY(segment_in_the_pool_moves_the_allocator),
		      PTD_TEST_ENTRY(view_lists_segments_and_uniques),
		      PTD_TEST_ENTRY(reset_clears_segments_and_uniques))
