/* SPDX-License-Identifier: MIT */
/*
 * Unique frames, on either side (docs/POLICY.md §3 "Unique frames"; vostd
 * `unique_*_embedded`): UniqueFromUnused with every error code in its order (ERR_NOT_FRESH:
 * usage is sticky, after every way a slot can have been used), UniqueDrop, FromUnique,
 * TryFromShared (ERR_SHARED for each kind of other holder, the handle kept), the ERR_UNIQUE
 * branches of the other constructors, node allocation skipping a unique pool frame, the
 * accounting invariant with U, the view's uniques[] and reset.
 */
#include "bt.h"

#define MEM (TB_NFRAMES * PG)
#define TOP_PAGE (UINT64_MAX & ~(PG - 1))

/* Success: usage Frame, rc UNIQUE, storage and vtable initialised, no paths, one unique frame
 * and no other handle; frame 0, the last frame and a pool frame are fresh too. */
TEST(from_unused_claims_unique)
{
	struct tb t;
	ptd_id_t vs;

	bt_init(&t);
	CHECK_CREATED(tb_unique(&t, 5 * PG), 1);
	CHECK_SLOT_LIVE(&t, 5, PTD_RC_UNIQUE, PTD_USAGE_FRAME);
	CHECK_EQ(tb_paths(&t, 5), 0);
	CHECK(tb_has_unique(&t, 1, 5 * PG));
	CHECK_EQ(t.view.nuniques, 1);
	CHECK_EQ(t.view.nframes, 0);
	CHECK_EQ(t.view.nsegments, 0);
	CHECK_SLOT_FREE(&t, 4, PTD_USAGE_UNUSED);
	CHECK_SLOT_FREE(&t, 6, PTD_USAGE_UNUSED);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_EQ(tb_unique(&t, 0).status, PTD_OK);
	CHECK_EQ(tb_unique(&t, MEM - PG).status, PTD_OK);
	CHECK_EQ(tb_unique(&t, TB_POOL_START * PG).status, PTD_OK);
	CHECK_EQ(t.view.nuniques, 4);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	/* The last frame and frame 32 are pool frames: node allocation skips them. */
	CHECK_POOL_FREE(&t, TB_NFRAMES - TB_POOL_START - 2);
	vs = tb_new_vs(&t).new_id;
	CHECK_NODE(&t, TB_POOL_START + 1, vs, 0, 0);
	tb_fini(&t);
}

/* Errors in order: NOT_ALIGNED, OUT_OF_BOUND, then the count (UNIQUE, or IN_USE for a Frame
 * handle, a segment page or a live node, whatever the usage), then NOT_FRESH (UNUSED but used
 * before); each refusal changes nothing. */
TEST(from_unused_errors_in_order)
{
	struct tb t;
	ptd_id_t f, vs;

	bt_init(&t);
	CHECK_REFUSED(&t, tb_unique(&t, 0x8001), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_unique(&t, 5 * PG + 8), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_unique(&t, MEM + 1), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_unique(&t, MEM + 8), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_unique(&t, MEM), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_unique(&t, TB_IOMEM_BASE), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_unique(&t, TOP_PAGE), PTD_ERR_OUT_OF_BOUND);
	/* UNIQUE (usage is no longer Unused: the count comes before freshness). */
	CHECK_EQ(tb_unique(&t, 5 * PG).status, PTD_OK);
	CHECK_REFUSED(&t, tb_unique(&t, 5 * PG), PTD_ERR_UNIQUE);
	/* IN_USE: a Frame handle, a segment page, a live page-table node. */
	f = bt_frame(&t, 6);
	CHECK_REFUSED(&t, tb_unique(&t, 6 * PG), PTD_ERR_IN_USE);
	CHECK_EQ(tb_segment(&t, 7 * PG, PG).status, PTD_OK);
	CHECK_REFUSED(&t, tb_unique(&t, 7 * PG), PTD_ERR_IN_USE);
	vs = tb_new_vs(&t).new_id;              /* root at 32 */
	CHECK_EQ(tb_new_vs(&t).status, PTD_OK); /* root at 33 */
	CHECK_REFUSED(&t, tb_unique(&t, TB_POOL_START * PG), PTD_ERR_IN_USE);
	CHECK_REFUSED(&t, tb_unique(&t, 33 * PG), PTD_ERR_IN_USE);
	/* NOT_FRESH: a freed Frame, a freed node. */
	CHECK_EQ(tb_frame_drop(&t, f).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 6, PTD_USAGE_FRAME);
	CHECK_REFUSED(&t, tb_unique(&t, 6 * PG), PTD_ERR_NOT_FRESH);
	CHECK_EQ(tb_drop_vs(&t, vs).status, PTD_OK);
	CHECK_REFUSED(&t, tb_unique(&t, TB_POOL_START * PG), PTD_ERR_NOT_FRESH);
	/* Earlier checks still win over NOT_FRESH. */
	CHECK_REFUSED(&t, tb_unique(&t, 6 * PG + 1), PTD_ERR_NOT_ALIGNED);
	tb_fini(&t);
}

/* NOT_FRESH after every way a slot can have been used: frame, segment, node, unique frame, and
 * any usage but Unused (here one only the initial state could give, written directly); the
 * neighbours were never used.  FrameFromUnused has no such rule: the used slots are claimed. */
TEST(from_unused_not_fresh_everywhere)
{
	struct tb t;
	ptd_id_t vs, s, u;

	bt_init(&t);
	CHECK_EQ(tb_frame_drop(&t, bt_frame(&t, 7)).status, PTD_OK);
	CHECK_REFUSED(&t, tb_unique(&t, 7 * PG), PTD_ERR_NOT_FRESH);
	s = tb_segment(&t, 8 * PG, 2 * PG).new_id;
	CHECK_EQ(tb_segment_drop(&t, s).status, PTD_OK);
	CHECK_REFUSED(&t, tb_unique(&t, 8 * PG), PTD_ERR_NOT_FRESH);
	CHECK_REFUSED(&t, tb_unique(&t, 9 * PG), PTD_ERR_NOT_FRESH);
	vs = tb_new_vs(&t).new_id;
	CHECK_EQ(tb_drop_vs(&t, vs).status, PTD_OK);
	CHECK_SLOT_FREE(&t, TB_POOL_START, PTD_USAGE_PAGE_TABLE);
	CHECK_REFUSED(&t, tb_unique(&t, TB_POOL_START * PG), PTD_ERR_NOT_FRESH);
	u = tb_unique(&t, 11 * PG).new_id;
	CHECK_EQ(tb_unique_drop(&t, u).status, PTD_OK);
	CHECK_REFUSED(&t, tb_unique(&t, 11 * PG), PTD_ERR_NOT_FRESH);
	bt_poke(&t, 13, PTD_RC_UNUSED, PTD_USAGE_KERNEL);
	CHECK_REFUSED(&t, tb_unique(&t, 13 * PG), PTD_ERR_NOT_FRESH);
	bt_poke(&t, 13, PTD_RC_UNUSED, PTD_USAGE_UNUSED);
	CHECK_EQ(tb_unique(&t, 10 * PG).status, PTD_OK);
	CHECK_EQ(tb_unique(&t, 12 * PG).status, PTD_OK);
	CHECK_EQ(tb_frame(&t, 7 * PG).status, PTD_OK);
	CHECK_EQ(tb_frame(&t, 8 * PG).status, PTD_OK);
	CHECK_EQ(tb_frame(&t, 11 * PG).status, PTD_OK);
	CHECK_EQ(tb_frame(&t, TB_POOL_START * PG).status, PTD_OK);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Every other constructor refuses a UNIQUE slot with ERR_UNIQUE, after its own earlier
 * checks. */
TEST(other_constructors_see_unique)
{
	struct tb t;

	bt_init(&t);
	CHECK_EQ(tb_unique(&t, 5 * PG).status, PTD_OK);
	CHECK_REFUSED(&t, tb_frame(&t, 5 * PG), PTD_ERR_UNIQUE);
	CHECK_REFUSED(&t, tb_from_in_use(&t, 5 * PG), PTD_ERR_UNIQUE);
	CHECK_REFUSED(&t, tb_segment(&t, 5 * PG, PG), PTD_ERR_UNIQUE);
	CHECK_REFUSED(&t, tb_segment(&t, 4 * PG, 2 * PG), PTD_ERR_UNIQUE);
	CHECK_REFUSED(&t, tb_segment(&t, 0, 8 * PG), PTD_ERR_UNIQUE);
	CHECK_REFUSED(&t, tb_segment(&t, 5 * PG, 0), PTD_ERR_WOULD_PANIC);
	tb_fini(&t);
}

/* UniqueDrop: the slot is torn down with usage Frame kept, so it is no longer fresh (a Frame
 * may claim it); in the pool, the torn-down slot is free for node allocation again. */
TEST(drop_tears_down_keeping_usage)
{
	struct tb t;
	ptd_id_t u;

	bt_init(&t);
	u = tb_unique(&t, 5 * PG).new_id;
	CHECK_ONLY_STATUS(tb_unique_drop(&t, u), PTD_OK);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_EQ(t.view.nuniques, 0);
	CHECK(tb_unique_view(&t, u) == NULL);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_REFUSED(&t, tb_unique(&t, 5 * PG), PTD_ERR_NOT_FRESH);
	CHECK_EQ(tb_frame(&t, 5 * PG).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	u = tb_unique(&t, 40 * PG).new_id;
	CHECK_POOL_FREE(&t, TB_NFRAMES - TB_POOL_START - 1);
	CHECK_EQ(tb_unique_drop(&t, u).status, PTD_OK);
	CHECK_POOL_FREE(&t, TB_NFRAMES - TB_POOL_START);
	tb_fini(&t);
}

/* FromUnique: rc UNIQUE -> 1, the unique handle replaced by a Frame handle, nothing else; an
 * ordinary frame then (shareable, decremented by drops). */
TEST(from_unique_makes_a_frame)
{
	struct tb t;
	ptd_id_t u, f;

	bt_init(&t);
	u = tb_unique(&t, 5 * PG).new_id;
	f = u + 1;
	CHECK_CREATED(tb_from_unique(&t, u), f);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	CHECK(tb_unique_view(&t, u) == NULL);
	CHECK(tb_has_frame(&t, f, 5 * PG));
	CHECK_EQ(t.view.nuniques, 0);
	CHECK_EQ(t.view.nframes, 1);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_EQ(tb_from_in_use(&t, 5 * PG).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 5, 2, PTD_USAGE_FRAME);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_EQ(tb_frame_drop(&t, f).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	tb_fini(&t);
}

/* TryFromShared on the only reference (rc 1): the Frame handle becomes a unique frame; and
 * back with FromUnique, and unique again. */
TEST(try_from_shared_sole_holder)
{
	struct tb t;
	ptd_id_t f, u;

	bt_init(&t);
	f = bt_frame(&t, 5);
	u = f + 1;
	CHECK_CREATED(tb_try_from_shared(&t, f), u);
	CHECK_SLOT_LIVE(&t, 5, PTD_RC_UNIQUE, PTD_USAGE_FRAME);
	CHECK(tb_has_unique(&t, u, 5 * PG));
	CHECK(!tb_has_frame(&t, f, 5 * PG));
	CHECK_EQ(t.view.nframes, 0);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	f = tb_from_unique(&t, u).new_id;
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	u = tb_try_from_shared(&t, f).new_id;
	CHECK(tb_has_unique(&t, u, 5 * PG));
	CHECK_SLOT_LIVE(&t, 5, PTD_RC_UNIQUE, PTD_USAGE_FRAME);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* TryFromShared: ERR_SHARED while another handle, a mapping (the handle from Query shares the
 * frame with the PTE) or a segment (a clone outlives the frame SegmentNext took) holds the
 * frame, with the handle kept and nothing changed; once the other holder is gone, it
 * converts. */
TEST(try_from_shared_refused_when_shared)
{
	struct tb t;
	ptd_id_t a, b, vs, c, q, s, k, g;

	bt_init(&t);
	a = bt_frame(&t, 5);
	b = tb_from_in_use(&t, 5 * PG).new_id;
	c = bt_open_new(&t, &vs, 0x1000, 0x2000);
	CHECK_EQ(tb_map(&t, c, bt_frame(&t, 6), PROP_RW).status, PTD_OK);
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	q = tb_query(&t, c).new_id;
	s = tb_segment(&t, 8 * PG, PG).new_id;
	k = tb_segment_clone(&t, s).new_id;
	g = tb_segment_next(&t, s).new_id; /* s removed; k still covers 8 */
	CHECK_EQ(tb_slot(&t, 8)->rc, 2);
	CHECK_REFUSED(&t, tb_try_from_shared(&t, a), PTD_ERR_SHARED);
	CHECK_REFUSED(&t, tb_try_from_shared(&t, b), PTD_ERR_SHARED);
	CHECK_REFUSED(&t, tb_try_from_shared(&t, q), PTD_ERR_SHARED);
	CHECK_REFUSED(&t, tb_try_from_shared(&t, g), PTD_ERR_SHARED);
	CHECK(tb_has_frame(&t, a, 5 * PG) && tb_has_frame(&t, b, 5 * PG));
	CHECK(tb_has_frame(&t, q, 6 * PG) && tb_has_frame(&t, g, 8 * PG));
	/* Down to one reference each: they convert. */
	CHECK_EQ(tb_frame_drop(&t, b).status, PTD_OK);
	CHECK_EQ(tb_try_from_shared(&t, a).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 5, PTD_RC_UNIQUE, PTD_USAGE_FRAME);
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	CHECK_EQ(tb_unmap(&t, c, PG).count, 1); /* leaves the Query handle alone */
	CHECK_EQ(tb_try_from_shared(&t, q).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 6, PTD_RC_UNIQUE, PTD_USAGE_FRAME);
	CHECK_EQ(tb_segment_drop(&t, k).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 8, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_try_from_shared(&t, g).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 8, PTD_RC_UNIQUE, PTD_USAGE_FRAME);
	CHECK_EQ(t.view.nuniques, 3);
	CHECK_EQ(t.view.nframes, 0);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* The segment case with two covering segments, dropped in view order: the frame converts only
 * after both, and the page the segments shared with it is torn down. */
TEST(try_from_shared_after_covering_segments)
{
	struct tb t;
	ptd_id_t seg, f;

	bt_init(&t);
	seg = tb_segment(&t, 8 * PG, 2 * PG).new_id;
	CHECK_EQ(tb_segment_clone(&t, seg).status, PTD_OK);
	f = tb_segment_next(&t, seg).new_id; /* slot 8: the frame f + the clone */
	CHECK_REFUSED(&t, tb_try_from_shared(&t, f), PTD_ERR_SHARED);
	CHECK_EQ(t.view.nsegments, 2);
	CHECK_EQ(tb_segment_drop(&t, t.view.segments[0].id).status, PTD_OK);
	CHECK_REFUSED(&t, tb_try_from_shared(&t, f), PTD_ERR_SHARED);
	CHECK_EQ(tb_segment_drop(&t, t.view.segments[0].id).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 8, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_try_from_shared(&t, f).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 8, PTD_RC_UNIQUE, PTD_USAGE_FRAME);
	CHECK_SLOT_FREE(&t, 9, PTD_USAGE_FRAME);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* A unique frame in the pool is skipped by node allocation (its rc is not UNUSED); freed, it
 * is reused by the next node and its usage overwritten. */
TEST(unique_in_pool_skipped_by_nodes)
{
	struct tb t;
	ptd_id_t u, vs;

	bt_init(&t);
	u = tb_unique(&t, TB_POOL_START * PG).new_id;
	CHECK_POOL_FREE(&t, TB_NFRAMES - TB_POOL_START - 1);
	vs = tb_new_vs(&t).new_id;
	CHECK_NODE(&t, TB_POOL_START + 1, vs, 0, 0);
	CHECK_SLOT_LIVE(&t, TB_POOL_START, PTD_RC_UNIQUE, PTD_USAGE_FRAME);
	CHECK_EQ(tb_unique_drop(&t, u).status, PTD_OK);
	CHECK_EQ(tb_new_vs(&t).status, PTD_OK);
	CHECK_NODE(&t, TB_POOL_START, vs + 1, 0, 0);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* The view lists every unique frame (overflow when uniques[] is too small); reset forgets
 * unique frames and their slots' usage. */
TEST(view_overflow_and_reset)
{
	struct tb t;
	size_t cap;

	bt_init(&t);
	CHECK_EQ(tb_unique(&t, 4 * PG).status, PTD_OK);
	CHECK_EQ(tb_unique(&t, 5 * PG).status, PTD_OK);
	cap = t.view.uniques_cap;
	t.view.uniques_cap = 1;
	tb_refresh(&t);
	CHECK_EQ(t.view.overflow, 1);
	t.view.uniques_cap = 2;
	tb_refresh(&t);
	CHECK_EQ(t.view.overflow, 0);
	CHECK_EQ(t.view.nuniques, 2);
	t.view.uniques_cap = cap;
	t.be->reset(t.self);
	tb_refresh(&t);
	CHECK_EQ(t.view.nuniques, 0);
	CHECK_SLOT_FREE(&t, 4, PTD_USAGE_UNUSED);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_UNUSED);
	CHECK_EQ(tb_unique(&t, 4 * PG).status, PTD_OK);
	tb_fini(&t);
}

PTD_BACKEND_TEST_MAIN(PTD_TEST_ENTRY(from_unused_claims_unique),
		      PTD_TEST_ENTRY(from_unused_errors_in_order),
		      PTD_TEST_ENTRY(from_unused_not_fresh_everywhere),
		      PTD_TEST_ENTRY(other_constructors_see_unique),
		      PTD_TEST_ENTRY(drop_tears_down_keeping_usage),
		      PTD_TEST_ENTRY(from_unique_makes_a_frame),
		      PTD_TEST_ENTRY(try_from_shared_sole_holder),
		      PTD_TEST_ENTRY(try_from_shared_refused_when_shared),
		      PTD_TEST_ENTRY(try_from_shared_after_covering_segments),
		      PTD_TEST_ENTRY(unique_in_pool_skipped_by_nodes),
		      PTD_TEST_ENTRY(view_overflow_and_reset))
