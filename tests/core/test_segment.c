/* SPDX-License-Identifier: MIT */
/*
 * Segment handles (POLICY §3 "Segments", docs/CONTRACTS.md#segments `segment_*_embedded`): every
 * error code of every op in its order, each refusal changing nothing; the all-or-nothing claim;
 * drop, split, next, clone and slice with hand-computed slot counts; the accounting invariant rc ==
 * H + P + C; view overflow and reset with segments live.
 */
#include "core_tb.h"

/* SegmentFromUnused steps 1-3: NOT_ALIGNED, then OUT_OF_BOUND, then WOULD_PANIC (empty). */
TEST(from_unused_argument_errors_in_order)
{
	struct tb t;
	static struct view_snap before;

	tb_init(&t, &ptd_core_backend);
	view_snap_take(&t, &before);
	/* 1: either unaligned, whatever the bounds or the length. */
	CHECK(only_status(tb_segment(&t, 0x5001, PG), PTD_ERR_NOT_ALIGNED));
	CHECK(only_status(tb_segment(&t, 0x5000, PG + 1), PTD_ERR_NOT_ALIGNED));
	CHECK(only_status(tb_segment(&t, 0x5000, 1), PTD_ERR_NOT_ALIGNED));
	CHECK(only_status(tb_segment(&t, TB_NFRAMES * PG + 8, PG), PTD_ERR_NOT_ALIGNED));
	CHECK(only_status(tb_segment(&t, 0x5008, 0), PTD_ERR_NOT_ALIGNED));
	/* 2: past the end of memory; also paddr at/after the end with len 0 (before step 3). */
	CHECK(only_status(tb_segment(&t, (TB_NFRAMES - 1) * PG, 2 * PG), PTD_ERR_OUT_OF_BOUND));
	CHECK(only_status(tb_segment(&t, 0, (TB_NFRAMES + 1) * PG), PTD_ERR_OUT_OF_BOUND));
	CHECK(only_status(tb_segment(&t, TB_NFRAMES * PG, PG), PTD_ERR_OUT_OF_BOUND));
	CHECK(only_status(tb_segment(&t, TB_NFRAMES * PG, 0), PTD_ERR_OUT_OF_BOUND));
	CHECK(only_status(tb_segment(&t, UINT64_MAX & ~(PG - 1), PG), PTD_ERR_OUT_OF_BOUND));
	/* paddr + len would wrap: still out of bound, not a wrapped-around success. */
	CHECK(only_status(tb_segment(&t, PG, UINT64_MAX & ~(PG - 1)), PTD_ERR_OUT_OF_BOUND));
	/* 3: empty range inside memory (the code asserts non-empty). */
	CHECK(only_status(tb_segment(&t, 0, 0), PTD_ERR_WOULD_PANIC));
	CHECK(only_status(tb_segment(&t, (TB_NFRAMES - 1) * PG, 0), PTD_ERR_WOULD_PANIC));
	CHECK(view_snap_same(&t, &before));
	tb_fini(&t);
}

/* Step 4: the lowest covered slot whose rc is not UNUSED decides (UNIQUE or IN_USE) and no
 * slot changes, not even the usage of the free slots below it (docs/CONTRACTS.md#inc-7). */
TEST(from_unused_lowest_busy_slot_decides_and_nothing_is_claimed)
{
	struct tb t;
	static struct view_snap before;

	tb_init(&t, &ptd_core_backend);
	CHECK_EQ(tb_frame(&t, 6 * PG).status, PTD_OK);       /* slot 6: rc 1 */
	CHECK_EQ(tb_unique(&t, 7 * PG).status, PTD_OK);      /* slot 7: UNIQUE */
	CHECK_EQ(tb_unique(&t, 12 * PG).status, PTD_OK);     /* slot 12: UNIQUE */
	CHECK_EQ(tb_frame(&t, 13 * PG).status, PTD_OK);      /* slot 13: rc 1 */
	CHECK_EQ(tb_new_vs(&t).status, PTD_OK);              /* slot 32: root node */
	view_snap_take(&t, &before);
	CHECK(only_status(tb_segment(&t, 4 * PG, 4 * PG), PTD_ERR_IN_USE));  /* 4..7: 6 first */
	CHECK(only_status(tb_segment(&t, 7 * PG, 2 * PG), PTD_ERR_UNIQUE));  /* 7..8: 7 first */
	CHECK(only_status(tb_segment(&t, 10 * PG, 4 * PG), PTD_ERR_UNIQUE)); /* 10..13: 12 first */
	CHECK(only_status(tb_segment(&t, 13 * PG, PG), PTD_ERR_IN_USE));
	CHECK(only_status(tb_segment(&t, 30 * PG, 3 * PG), PTD_ERR_IN_USE)); /* node at 32 */
	CHECK(only_status(tb_segment(&t, 0, TB_NFRAMES * PG), PTD_ERR_IN_USE));
	CHECK(view_snap_same(&t, &before));
	for (uint64_t i = 0; i < 6; i++) {
		CHECK(slot_initial(&t, i)); /* OSTD's rollback would leave usage Frame here */
	}
	CHECK(slot_initial(&t, 10));
	CHECK(slot_initial(&t, 11));
	tb_fini(&t);
}

/* Step 5: every covered slot claimed as a Frame (rc 1, initialised, no paths); the segment is
 * registered with its range; usage before the call does not matter. */
TEST(from_unused_claims_every_slot)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t vs;

	tb_init(&t, &ptd_core_backend);
	r = tb_segment(&t, 0x10000, 3 * PG);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(r.new_id != 0);
	CHECK(!r.new_id2 && !r.paddr && !r.found && !r.va);
	CHECK(seg_live(&t, r.new_id, 0x10000, 0x13000));
	CHECK_EQ(t.view.nsegments, 1);
	CHECK_EQ(t.view.nframes, 0);
	CHECK(slot_initial(&t, 15));
	for (uint64_t i = 16; i < 19; i++) {
		CHECK(slot_live(&t, i, 1, PTD_USAGE_FRAME));
		CHECK_EQ(tb_paths(&t, i), 0);
	}
	CHECK(slot_initial(&t, 19));
	/* The last frame of memory, exactly up to the end. */
	r = tb_segment(&t, (TB_NFRAMES - 1) * PG, PG);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(seg_live(&t, r.new_id, (TB_NFRAMES - 1) * PG, TB_NFRAMES * PG));
	/* A freed node slot (usage PageTable) and a freed frame slot are claimed again. */
	vs = tb_new_vs(&t).new_id;
	CHECK_EQ(tb_drop_vs(&t, vs).status, PTD_OK);
	CHECK_EQ(tb_frame_drop(&t, tb_frame(&t, 31 * PG).new_id).status, PTD_OK);
	r = tb_segment(&t, 31 * PG, 2 * PG);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(slot_live(&t, 31, 1, PTD_USAGE_FRAME));
	CHECK(slot_live(&t, 32, 1, PTD_USAGE_FRAME));
	CHECK(accounting_ok(&t));
	tb_fini(&t);
}

/* SegmentDrop: one reference released per covered slot; rc 1 tears down (usage kept), rc > 1
 * decrements; slots outside untouched. */
TEST(drop_releases_one_reference_per_slot)
{
	struct tb t;
	ptd_id_t seg, h;

	tb_init(&t, &ptd_core_backend);
	seg = tb_segment(&t, 2 * PG, 3 * PG).new_id;
	h = tb_from_in_use(&t, 3 * PG).new_id; /* slot 3: rc 2 */
	CHECK(slot_live(&t, 3, 2, PTD_USAGE_FRAME));
	CHECK(accounting_ok(&t));
	CHECK(only_status(tb_segment_drop(&t, seg), PTD_OK));
	CHECK_EQ(t.view.nsegments, 0);
	CHECK(slot_torn_down(&t, 2, PTD_USAGE_FRAME));
	CHECK(slot_live(&t, 3, 1, PTD_USAGE_FRAME));
	CHECK(slot_torn_down(&t, 4, PTD_USAGE_FRAME));
	CHECK(slot_initial(&t, 1));
	CHECK(slot_initial(&t, 5));
	CHECK(frame_live(&t, h, 3 * PG));
	CHECK(accounting_ok(&t));
	CHECK_EQ(tb_frame_drop(&t, h).status, PTD_OK);
	CHECK(slot_torn_down(&t, 3, PTD_USAGE_FRAME));
	tb_fini(&t);
}

/* SegmentSplit step 1: offset unaligned, 0, == size or > size -> WOULD_PANIC, nothing changes;
 * step 2: two new ids, the old one gone, slots unchanged. */
TEST(split_errors_and_success)
{
	struct tb t;
	static struct view_snap before;
	struct ptd_result r;
	ptd_id_t seg, one;

	tb_init(&t, &ptd_core_backend);
	seg = tb_segment(&t, 2 * PG, 4 * PG).new_id; /* [0x2000, 0x6000) */
	one = tb_segment(&t, 8 * PG, PG).new_id;
	view_snap_take(&t, &before);
	CHECK(only_status(tb_segment_split(&t, seg, 0x1001), PTD_ERR_WOULD_PANIC));
	CHECK(only_status(tb_segment_split(&t, seg, 8), PTD_ERR_WOULD_PANIC));
	CHECK(only_status(tb_segment_split(&t, seg, 0), PTD_ERR_WOULD_PANIC));
	CHECK(only_status(tb_segment_split(&t, seg, 4 * PG), PTD_ERR_WOULD_PANIC));
	CHECK(only_status(tb_segment_split(&t, seg, 5 * PG), PTD_ERR_WOULD_PANIC));
	CHECK(only_status(tb_segment_split(&t, seg, UINT64_MAX & ~(PG - 1)), PTD_ERR_WOULD_PANIC));
	CHECK(only_status(tb_segment_split(&t, one, PG), PTD_ERR_WOULD_PANIC)); /* one page */
	CHECK(view_snap_same(&t, &before));
	r = tb_segment_split(&t, seg, PG);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(r.new_id != 0 && r.new_id2 != 0 && r.new_id != r.new_id2);
	CHECK(!r.paddr && !r.va && !r.found);
	CHECK(tb_segment_view(&t, seg) == NULL);
	CHECK(seg_live(&t, r.new_id, 0x2000, 0x3000));
	CHECK(seg_live(&t, r.new_id2, 0x3000, 0x6000));
	CHECK_EQ(t.view.nsegments, 3);
	CHECK(snap_same(&t, &before.slots)); /* slots unchanged */
	/* Split the right half at its last page. */
	r = tb_segment_split(&t, r.new_id2, 2 * PG);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(seg_live(&t, r.new_id, 0x3000, 0x5000));
	CHECK(seg_live(&t, r.new_id2, 0x5000, 0x6000));
	CHECK(accounting_ok(&t));
	tb_fini(&t);
}

/* SegmentNext: the first page becomes a Frame (rc unchanged); the segment keeps its id and
 * shrinks, and is gone after its last page. */
TEST(next_takes_the_first_page)
{
	struct tb t;
	struct ptd_result r, r2;
	ptd_id_t seg;

	tb_init(&t, &ptd_core_backend);
	seg = tb_segment(&t, 2 * PG, 2 * PG).new_id;
	r = tb_segment_next(&t, seg);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(r.new_id != 0);
	CHECK_EQ(r.paddr, 0x2000);
	CHECK(!r.new_id2 && !r.va && !r.found);
	CHECK(frame_live(&t, r.new_id, 0x2000));
	CHECK(seg_live(&t, seg, 0x3000, 0x4000));
	CHECK(slot_live(&t, 2, 1, PTD_USAGE_FRAME));
	CHECK(slot_live(&t, 3, 1, PTD_USAGE_FRAME));
	CHECK(accounting_ok(&t));
	r2 = tb_segment_next(&t, seg);
	CHECK_EQ(r2.status, PTD_OK);
	CHECK_EQ(r2.paddr, 0x3000);
	CHECK(frame_live(&t, r2.new_id, 0x3000));
	CHECK(tb_segment_view(&t, seg) == NULL);
	CHECK_EQ(t.view.nsegments, 0);
	CHECK_EQ(t.view.nframes, 2);
	CHECK(accounting_ok(&t));
	/* The frames are ordinary Frames now: dropping them tears the slots down. */
	CHECK_EQ(tb_frame_drop(&t, r.new_id).status, PTD_OK);
	CHECK_EQ(tb_frame_drop(&t, r2.new_id).status, PTD_OK);
	CHECK(slot_torn_down(&t, 2, PTD_USAGE_FRAME));
	CHECK(slot_torn_down(&t, 3, PTD_USAGE_FRAME));
	tb_fini(&t);
}

/* SegmentClone: WOULD_PANIC if any covered rc >= MAX (nothing changes); else rc + 1 on every
 * covered slot and a new segment over the same range. */
TEST(clone_adds_a_reference_per_slot)
{
	struct tb t;
	static struct view_snap before;
	struct ptd_result r;
	struct core *k;
	ptd_id_t seg;

	tb_init(&t, &ptd_core_backend);
	k = tb_core(&t);
	seg = tb_segment(&t, 2 * PG, 3 * PG).new_id;
	r = tb_segment_clone(&t, seg);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(r.new_id != 0 && r.new_id != seg);
	CHECK(seg_live(&t, seg, 0x2000, 0x5000));
	CHECK(seg_live(&t, r.new_id, 0x2000, 0x5000));
	for (uint64_t i = 2; i < 5; i++) {
		CHECK(slot_live(&t, i, 2, PTD_USAGE_FRAME));
	}
	CHECK(slot_initial(&t, 5));
	CHECK(accounting_ok(&t));
	/* Saturation on the last covered slot. */
	k->slots[4].ref_count = PTD_RC_MAX;
	tb_refresh(&t);
	view_snap_take(&t, &before);
	r = tb_segment_clone(&t, seg);
	CHECK(only_status(r, PTD_ERR_WOULD_PANIC));
	CHECK(view_snap_same(&t, &before));
	CHECK_EQ(tb_slot(&t, 4)->rc, PTD_RC_MAX);
	CHECK_EQ(tb_slot(&t, 2)->rc, 2);
	/* MAX - 1 still clones, to exactly MAX. */
	k->slots[4].ref_count = PTD_RC_MAX - 1;
	r = tb_segment_clone(&t, seg);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(tb_slot(&t, 4)->rc, PTD_RC_MAX);
	CHECK_EQ(tb_slot(&t, 2)->rc, 3);
	k->slots[4].ref_count = 3; /* seg + two clones */
	tb_refresh(&t);
	CHECK(accounting_ok(&t));
	tb_fini(&t);
}

/* SegmentSlice step 1: misaligned, empty or not inside the segment -> WOULD_PANIC; step 2:
 * saturation inside the sub-range only; step 3: rc + 1 on the sub-range, a new segment. */
TEST(slice_errors_and_success)
{
	struct tb t;
	static struct view_snap before;
	struct ptd_result r;
	struct core *k;
	ptd_id_t seg;

	tb_init(&t, &ptd_core_backend);
	k = tb_core(&t);
	seg = tb_segment(&t, 4 * PG, 4 * PG).new_id; /* [0x4000, 0x8000) */
	view_snap_take(&t, &before);
	CHECK(only_status(tb_segment_slice(&t, seg, 0x5001, PG), PTD_ERR_WOULD_PANIC));
	CHECK(only_status(tb_segment_slice(&t, seg, 0x5000, PG + 1), PTD_ERR_WOULD_PANIC));
	CHECK(only_status(tb_segment_slice(&t, seg, 0x5000, 0), PTD_ERR_WOULD_PANIC));
	CHECK(only_status(tb_segment_slice(&t, seg, 0x3000, PG), PTD_ERR_WOULD_PANIC));     /* below */
	CHECK(only_status(tb_segment_slice(&t, seg, 0x3000, 2 * PG), PTD_ERR_WOULD_PANIC)); /* across */
	CHECK(only_status(tb_segment_slice(&t, seg, 0x6000, 3 * PG), PTD_ERR_WOULD_PANIC)); /* past */
	CHECK(only_status(tb_segment_slice(&t, seg, 0x8000, PG), PTD_ERR_WOULD_PANIC));     /* at end */
	CHECK(only_status(tb_segment_slice(&t, seg, 0x9000, PG), PTD_ERR_WOULD_PANIC));     /* after */
	CHECK(only_status(tb_segment_slice(&t, seg, 0x4000, 5 * PG), PTD_ERR_WOULD_PANIC));
	/* paddr + len wraps around 2^64: still not inside. */
	CHECK(only_status(tb_segment_slice(&t, seg, UINT64_MAX & ~(PG - 1), 2 * PG),
		      PTD_ERR_WOULD_PANIC));
	CHECK(only_status(tb_segment_slice(&t, seg, 0x5000, UINT64_MAX & ~(PG - 1)),
		      PTD_ERR_WOULD_PANIC));
	CHECK(view_snap_same(&t, &before));
	/* Step 2 looks only at the sub-range. */
	k->slots[6].ref_count = PTD_RC_MAX;
	tb_refresh(&t);
	view_snap_take(&t, &before);
	CHECK(only_status(tb_segment_slice(&t, seg, 0x5000, 2 * PG), PTD_ERR_WOULD_PANIC));
	CHECK(only_status(tb_segment_slice(&t, seg, 0x6000, PG), PTD_ERR_WOULD_PANIC));
	CHECK(view_snap_same(&t, &before));
	r = tb_segment_slice(&t, seg, 0x4000, 2 * PG);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(seg_live(&t, r.new_id, 0x4000, 0x6000));
	CHECK_EQ(tb_slot(&t, 4)->rc, 2);
	CHECK_EQ(tb_slot(&t, 5)->rc, 2);
	CHECK_EQ(tb_slot(&t, 6)->rc, PTD_RC_MAX);
	CHECK_EQ(tb_slot(&t, 7)->rc, 1);
	k->slots[6].ref_count = 1;
	/* The whole segment, and a one-page slice at its end. */
	r = tb_segment_slice(&t, seg, 0x4000, 4 * PG);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(!r.new_id2 && !r.paddr);
	CHECK(seg_live(&t, r.new_id, 0x4000, 0x8000));
	r = tb_segment_slice(&t, seg, 0x7000, PG);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(seg_live(&t, r.new_id, 0x7000, 0x8000));
	CHECK(seg_live(&t, seg, 0x4000, 0x8000)); /* the source is unchanged */
	CHECK_EQ(tb_slot(&t, 4)->rc, 3);
	CHECK_EQ(tb_slot(&t, 5)->rc, 3);
	CHECK_EQ(tb_slot(&t, 6)->rc, 2);
	CHECK_EQ(tb_slot(&t, 7)->rc, 3);
	CHECK_EQ(t.view.nsegments, 4);
	CHECK(accounting_ok(&t));
	tb_fini(&t);
}

/* rc == H + P + C, hand-counted on one slot through handles, mappings and segments; FrameDrop
 * of a frame a segment covers is a plain decrement (POLICY FrameDrop note). */
TEST(accounting_counts_segments)
{
	struct tb t;
	ptd_id_t seg, clone, slice, vs, c, h, q;

	tb_init(&t, &ptd_core_backend);
	seg = tb_segment(&t, 2 * PG, 4 * PG).new_id;        /* C = 1 on 2..5 */
	clone = tb_segment_clone(&t, seg).new_id;           /* C = 2 on 2..5 */
	slice = tb_segment_slice(&t, seg, 3 * PG, PG).new_id; /* C = 3 on 3 */
	h = tb_from_in_use(&t, 3 * PG).new_id;              /* H = 1 on 3 */
	CHECK_EQ(tb_slot(&t, 3)->rc, 4);
	CHECK_EQ(slot_hpc(&t, 3), 4);
	CHECK(accounting_ok(&t));
	c = open_new(&t, &vs, 0x1000, 0x3000);
	CHECK_EQ(tb_map(&t, c, h, prop_of(0, 0)).status, PTD_OK); /* H 0, P 1 */
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	q = tb_query(&t, c).new_id;                               /* H 1, P 1 */
	CHECK(q != 0);
	CHECK_EQ(tb_slot(&t, 3)->rc, 5); /* 1 + 1 + 3 */
	CHECK_EQ(tb_slot(&t, 2)->rc, 2);
	CHECK(accounting_ok(&t));
	/* FrameDrop on a covered slot: a plain decrement, the segments keep it alive. */
	CHECK_EQ(tb_frame_drop(&t, q).status, PTD_OK);
	CHECK_EQ(tb_slot(&t, 3)->rc, 4);
	CHECK(accounting_ok(&t));
	CHECK_EQ(tb_segment_drop(&t, seg).status, PTD_OK);
	CHECK_EQ(tb_segment_drop(&t, slice).status, PTD_OK);
	CHECK_EQ(tb_slot(&t, 3)->rc, 2); /* clone + mapping */
	CHECK_EQ(tb_slot(&t, 2)->rc, 1);
	CHECK(accounting_ok(&t));
	CHECK_EQ(tb_segment_drop(&t, clone).status, PTD_OK);
	CHECK(slot_torn_down(&t, 2, PTD_USAGE_FRAME));
	CHECK(slot_live(&t, 3, 1, PTD_USAGE_FRAME)); /* the mapping */
	CHECK(slot_torn_down(&t, 4, PTD_USAGE_FRAME));
	CHECK(slot_torn_down(&t, 5, PTD_USAGE_FRAME));
	CHECK_EQ(tb_drop_cursor(&t, c).status, PTD_OK);
	CHECK_EQ(tb_drop_vs(&t, vs).status, PTD_OK);
	CHECK(slot_torn_down(&t, 3, PTD_USAGE_FRAME));
	CHECK(accounting_ok(&t));
	tb_fini(&t);
}

/* A segment reaching into the pool takes those frames from the allocator; its drop gives them
 * back. */
TEST(segment_in_the_pool_moves_the_allocator)
{
	struct tb t;
	ptd_id_t seg, vs;

	tb_init(&t, &ptd_core_backend);
	seg = tb_segment(&t, 30 * PG, 4 * PG).new_id; /* 30..33 */
	CHECK_EQ(tb_core(&t)->pool.nr_free, TB_NFRAMES - TB_POOL_START - 2);
	vs = tb_new_vs(&t).new_id;
	CHECK(slot_live(&t, 34, 1, PTD_USAGE_PAGE_TABLE));
	CHECK(tb_has_path(&t, 34, vs, 0, 0));
	CHECK_EQ(tb_segment_drop(&t, seg).status, PTD_OK);
	CHECK_EQ(tb_core(&t)->pool.nr_free, TB_NFRAMES - TB_POOL_START - 1);
	CHECK(slot_torn_down(&t, 32, PTD_USAGE_FRAME));
	(void)tb_new_vs(&t);
	CHECK(slot_live(&t, 32, 1, PTD_USAGE_PAGE_TABLE)); /* usage rewritten at allocation */
	tb_fini(&t);
}

/* The view lists live segments and unique frames and sets overflow when one does not fit. */
TEST(view_lists_segments_and_uniques_with_overflow)
{
	struct tb t;
	struct ptd_view v;
	struct ptd_slot_view slots[TB_NFRAMES];
	struct ptd_segment_view segs[2];
	struct ptd_unique_view uniqs[1];
	ptd_id_t a, b, u;

	tb_init(&t, &ptd_core_backend);
	a = tb_segment(&t, 0, PG).new_id;
	b = tb_segment(&t, 4 * PG, 2 * PG).new_id;
	u = tb_unique(&t, 9 * PG).new_id;
	memset(&v, 0, sizeof v);
	memset(segs, 0, sizeof segs);
	memset(uniqs, 0, sizeof uniqs);
	v.nslots = TB_NFRAMES;
	v.slots = slots;
	v.segments = segs;
	v.segments_cap = 1;
	v.uniques = uniqs;
	v.uniques_cap = 0;
	t.be->view(t.self, &v);
	CHECK_EQ(v.overflow, 1);
	CHECK_EQ(v.nsegments, 1);
	CHECK_EQ(v.nuniques, 0);
	v.overflow = 0;
	v.segments_cap = 2;
	v.uniques_cap = 1;
	t.be->view(t.self, &v);
	CHECK_EQ(v.overflow, 0);
	CHECK_EQ(v.nsegments, 2);
	CHECK_EQ(v.nuniques, 1);
	CHECK(segs[0].id != segs[1].id);
	for (unsigned i = 0; i < 2; i++) {
		CHECK(segs[i].id == a || segs[i].id == b);
		CHECK_EQ(segs[i].reserved, 0); /* only named fields are written */
		if (segs[i].id == a) {
			CHECK(segs[i].start == 0 && segs[i].end == PG);
		} else {
			CHECK(segs[i].start == 4 * PG && segs[i].end == 6 * PG);
		}
	}
	CHECK(uniqs[0].id == u && uniqs[0].paddr == 9 * PG && uniqs[0].reserved == 0);
	tb_fini(&t);
}

/* Reset drops segments and unique frames at the cost of what was touched; ids are reusable. */
TEST(reset_clears_segments_and_uniques)
{
	struct tb t;
	ptd_id_t seg;

	tb_init(&t, &ptd_core_backend);
	seg = tb_segment(&t, 2 * PG, 4 * PG).new_id;             /* slots 2..5 */
	CHECK_EQ(tb_segment_split(&t, seg, 2 * PG).status, PTD_OK); /* no slot change */
	CHECK_EQ(tb_unique(&t, 10 * PG).status, PTD_OK);          /* slot 10 */
	CHECK_EQ(tb_segment(&t, 40 * PG, 2 * PG).status, PTD_OK);  /* pool slots 40, 41 */
	CHECK_EQ(tb_core(&t)->nr_reset_list, 7);
	t.be->reset(t.self);
	t.next_id = 1;
	CHECK_EQ(tb_core(&t)->nr_reset_list, 0);
	CHECK_EQ(tb_core(&t)->segment_ids.nr_live, 0);
	CHECK_EQ(tb_core(&t)->unique_ids.nr_live, 0);
	CHECK_EQ(tb_core(&t)->pool.nr_free, TB_NFRAMES - TB_POOL_START);
	/* Same ids again; the view is the initial one plus the new handles. */
	seg = tb_segment(&t, 2 * PG, PG).new_id;
	CHECK_EQ(seg, 1);
	CHECK_EQ(tb_unique(&t, 10 * PG).status, PTD_OK); /* fresh again: usage was reset */
	CHECK_EQ(t.view.nsegments, 1);
	CHECK_EQ(t.view.nuniques, 1);
	for (uint64_t i = 0; i < TB_NFRAMES; i++) {
		if (i != 2 && i != 10) {
			CHECK(slot_initial(&t, i));
		}
	}
	tb_fini(&t);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(from_unused_argument_errors_in_order),
	      PTD_TEST_ENTRY(from_unused_lowest_busy_slot_decides_and_nothing_is_claimed),
	      PTD_TEST_ENTRY(from_unused_claims_every_slot),
	      PTD_TEST_ENTRY(drop_releases_one_reference_per_slot),
	      PTD_TEST_ENTRY(split_errors_and_success),
	      PTD_TEST_ENTRY(next_takes_the_first_page),
	      PTD_TEST_ENTRY(clone_adds_a_reference_per_slot),
	      PTD_TEST_ENTRY(slice_errors_and_success),
	      PTD_TEST_ENTRY(accounting_counts_segments),
	      PTD_TEST_ENTRY(segment_in_the_pool_moves_the_allocator),
	      PTD_TEST_ENTRY(view_lists_segments_and_uniques_with_overflow),
	      PTD_TEST_ENTRY(reset_clears_segments_and_uniques))
