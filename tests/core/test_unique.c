/* SPDX-License-Identifier: MIT */
/*
 * UniqueFrame handles (POLICY §3 "Unique frames", docs/CONTRACTS.md#unique-frames
 * `unique_*_embedded`): UniqueFromUnused with every error code in its order (ERR_NOT_FRESH: sticky
 * usage), UniqueDrop, FromUnique and TryFromShared (ERR_SHARED keeps the frame handle), and how the
 * other constructors see a UNIQUE slot.
 */
#include "core_tb.h"

/* NOT_ALIGNED, OUT_OF_BOUND, then the count (UNIQUE / IN_USE), then NOT_FRESH. */
TEST(from_unused_errors_in_order)
{
	struct tb t;
	static struct view_snap before;
	struct core *k;
	ptd_id_t vs;

	tb_init(&t, &ptd_core_backend);
	k = tb_core(&t);
	CHECK_EQ(tb_unique(&t, 5 * PG).status, PTD_OK);                          /* 5: UNIQUE */
	CHECK_EQ(tb_frame(&t, 6 * PG).status, PTD_OK);                           /* 6: rc 1 */
	CHECK_EQ(tb_frame_drop(&t, tb_frame(&t, 7 * PG).new_id).status, PTD_OK); /* 7: used */
	vs = tb_new_vs(&t).new_id;                                               /* 32: node */
	CHECK_EQ(tb_new_vs(&t).status, PTD_OK);                                  /* 33: node */
	CHECK_EQ(tb_drop_vs(&t, vs).status, PTD_OK);                             /* 32: used */
	view_snap_take(&t, &before);
	CHECK(only_status(tb_unique(&t, 0x8001), PTD_ERR_NOT_ALIGNED));
	CHECK(only_status(tb_unique(&t, TB_NFRAMES * PG + 8), PTD_ERR_NOT_ALIGNED));
	CHECK(only_status(tb_unique(&t, TB_NFRAMES * PG), PTD_ERR_OUT_OF_BOUND));
	CHECK(only_status(tb_unique(&t, UINT64_MAX & ~(PG - 1)), PTD_ERR_OUT_OF_BOUND));
	CHECK(only_status(tb_unique(&t, 5 * PG), PTD_ERR_UNIQUE));
	CHECK(only_status(tb_unique(&t, 6 * PG), PTD_ERR_IN_USE));   /* usage Frame: count first */
	CHECK(only_status(tb_unique(&t, 33 * PG), PTD_ERR_IN_USE));  /* live node */
	CHECK(only_status(tb_unique(&t, 7 * PG), PTD_ERR_NOT_FRESH)); /* freed Frame */
	CHECK(only_status(tb_unique(&t, 32 * PG), PTD_ERR_NOT_FRESH)); /* freed node */
	CHECK(view_snap_same(&t, &before));
	/* Any usage but Unused is refused, e.g. one only the initial state could give. */
	k->slots[9].usage = PTD_USAGE_KERNEL;
	tb_refresh(&t);
	CHECK(only_status(tb_unique(&t, 9 * PG), PTD_ERR_NOT_FRESH));
	k->slots[9].usage = PTD_USAGE_UNUSED;
	/* FrameFromUnused has no such rule: the freed slots are claimed. */
	CHECK_EQ(tb_frame(&t, 7 * PG).status, PTD_OK);
	CHECK_EQ(tb_frame(&t, 32 * PG).status, PTD_OK);
	tb_fini(&t);
}

/* Success: rc UNIQUE, usage Frame, initialised, no paths; the handle is listed. */
TEST(from_unused_claims_unique)
{
	struct tb t;
	struct ptd_result r;

	tb_init(&t, &ptd_core_backend);
	r = tb_unique(&t, 5 * PG);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(r.new_id != 0);
	CHECK(!r.new_id2 && !r.paddr);
	CHECK(slot_live(&t, 5, PTD_RC_UNIQUE, PTD_USAGE_FRAME));
	CHECK_EQ(tb_paths(&t, 5), 0);
	CHECK(unique_live(&t, r.new_id, 5 * PG));
	CHECK_EQ(t.view.nuniques, 1);
	CHECK_EQ(t.view.nframes, 0);
	CHECK(slot_initial(&t, 4));
	CHECK(slot_initial(&t, 6));
	CHECK(accounting_ok(&t));
	/* The last frame of memory; a fresh pool frame (the allocator skips it). */
	CHECK_EQ(tb_unique(&t, (TB_NFRAMES - 1) * PG).status, PTD_OK);
	CHECK_EQ(tb_unique(&t, TB_POOL_START * PG).status, PTD_OK);
	CHECK_EQ(tb_core(&t)->pool.nr_free, TB_NFRAMES - TB_POOL_START - 2);
	CHECK_EQ(tb_new_vs(&t).status, PTD_OK);
	CHECK(slot_live(&t, TB_POOL_START + 1, 1, PTD_USAGE_PAGE_TABLE));
	tb_fini(&t);
}

/* Every other constructor refuses a UNIQUE slot with ERR_UNIQUE, after its own earlier checks. */
TEST(other_constructors_see_unique)
{
	struct tb t;
	static struct view_snap before;

	tb_init(&t, &ptd_core_backend);
	CHECK_EQ(tb_unique(&t, 5 * PG).status, PTD_OK);
	view_snap_take(&t, &before);
	CHECK(only_status(tb_frame(&t, 5 * PG), PTD_ERR_UNIQUE));
	CHECK(only_status(tb_from_in_use(&t, 5 * PG), PTD_ERR_UNIQUE));
	CHECK(only_status(tb_segment(&t, 4 * PG, 2 * PG), PTD_ERR_UNIQUE));
	CHECK(only_status(tb_segment(&t, 5 * PG, 0), PTD_ERR_WOULD_PANIC));
	CHECK(view_snap_same(&t, &before));
	tb_fini(&t);
}

/* UniqueDrop: the slot is torn down with usage Frame kept, so it is no longer fresh. */
TEST(drop_tears_down_keeping_usage)
{
	struct tb t;
	ptd_id_t u;

	tb_init(&t, &ptd_core_backend);
	u = tb_unique(&t, 5 * PG).new_id;
	CHECK(only_status(tb_unique_drop(&t, u), PTD_OK));
	CHECK(slot_torn_down(&t, 5, PTD_USAGE_FRAME));
	CHECK_EQ(t.view.nuniques, 0);
	CHECK(tb_unique_view(&t, u) == NULL);
	CHECK(only_status(tb_unique(&t, 5 * PG), PTD_ERR_NOT_FRESH));
	CHECK_EQ(tb_frame(&t, 5 * PG).status, PTD_OK);
	CHECK(slot_live(&t, 5, 1, PTD_USAGE_FRAME));
	/* In the pool: the torn-down slot is free for the allocator again. */
	u = tb_unique(&t, 40 * PG).new_id;
	CHECK_EQ(tb_core(&t)->pool.nr_free, TB_NFRAMES - TB_POOL_START - 1);
	CHECK_EQ(tb_unique_drop(&t, u).status, PTD_OK);
	CHECK_EQ(tb_core(&t)->pool.nr_free, TB_NFRAMES - TB_POOL_START);
	tb_fini(&t);
}

/* FromUnique: the unique handle becomes a Frame handle, rc UNIQUE -> 1, nothing else. */
TEST(from_unique_makes_a_frame)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t u;

	tb_init(&t, &ptd_core_backend);
	u = tb_unique(&t, 5 * PG).new_id;
	r = tb_from_unique(&t, u);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(r.new_id != 0 && r.new_id != u);
	CHECK(!r.paddr && !r.new_id2);
	CHECK(slot_live(&t, 5, 1, PTD_USAGE_FRAME));
	CHECK(tb_unique_view(&t, u) == NULL);
	CHECK(frame_live(&t, r.new_id, 5 * PG));
	CHECK(accounting_ok(&t));
	/* An ordinary Frame: shared, then dropped to teardown. */
	CHECK_EQ(tb_from_in_use(&t, 5 * PG).status, PTD_OK);
	CHECK(slot_live(&t, 5, 2, PTD_USAGE_FRAME));
	CHECK_EQ(tb_frame_drop(&t, r.new_id).status, PTD_OK);
	CHECK(slot_live(&t, 5, 1, PTD_USAGE_FRAME));
	tb_fini(&t);
}

/* TryFromShared: rc != 1 -> ERR_SHARED with the frame handle still live and nothing changed;
 * rc == 1 -> the Frame becomes a UniqueFrame. */
TEST(try_from_shared_only_for_the_sole_reference)
{
	struct tb t;
	static struct view_snap before;
	struct ptd_result r;
	ptd_id_t a, b, vs, c, q, seg, f, g;

	tb_init(&t, &ptd_core_backend);
	/* Two handles: rc 2. */
	a = tb_frame(&t, 5 * PG).new_id;
	b = tb_from_in_use(&t, 5 * PG).new_id;
	/* A handle and a mapping: rc 2 (from Query). */
	c = open_new(&t, &vs, 0x1000, 0x2000);
	CHECK_EQ(map_new(&t, c, 6 * PG, prop_of(0, 0)).status, PTD_OK);
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	q = tb_query(&t, c).new_id;
	/* A handle and a covering segment: rc 2. */
	seg = tb_segment(&t, 8 * PG, 2 * PG).new_id;
	CHECK_EQ(tb_segment_clone(&t, seg).status, PTD_OK);
	f = tb_segment_next(&t, seg).new_id; /* slot 8: the frame f + the clone */
	view_snap_take(&t, &before);
	CHECK(only_status(tb_try_from_shared(&t, a), PTD_ERR_SHARED));
	CHECK(only_status(tb_try_from_shared(&t, b), PTD_ERR_SHARED));
	CHECK(only_status(tb_try_from_shared(&t, q), PTD_ERR_SHARED));
	CHECK(only_status(tb_try_from_shared(&t, f), PTD_ERR_SHARED));
	CHECK(view_snap_same(&t, &before));
	CHECK(frame_live(&t, a, 5 * PG) && frame_live(&t, q, 6 * PG) && frame_live(&t, f, 8 * PG));
	/* Down to one reference: converts. */
	CHECK_EQ(tb_frame_drop(&t, b).status, PTD_OK);
	r = tb_try_from_shared(&t, a);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(r.new_id != 0);
	CHECK(!r.paddr && !r.new_id2);
	CHECK(!frame_live(&t, a, 5 * PG));
	CHECK(unique_live(&t, r.new_id, 5 * PG));
	CHECK(slot_live(&t, 5, PTD_RC_UNIQUE, PTD_USAGE_FRAME));
	CHECK(accounting_ok(&t));
	/* Round trip: back to a Frame, and unique again. */
	g = tb_from_unique(&t, r.new_id).new_id;
	CHECK(slot_live(&t, 5, 1, PTD_USAGE_FRAME));
	r = tb_try_from_shared(&t, g);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(unique_live(&t, r.new_id, 5 * PG));
	/* The mapped frame: unmapping leaves the Query handle alone. */
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	CHECK_EQ(tb_unmap(&t, c, PG).count, 1);
	CHECK_EQ(tb_try_from_shared(&t, q).status, PTD_OK);
	CHECK(slot_live(&t, 6, PTD_RC_UNIQUE, PTD_USAGE_FRAME));
	/* The segment's frame, once the other segment is gone. */
	CHECK_EQ(t.view.nsegments, 2);
	CHECK_EQ(tb_segment_drop(&t, t.view.segments[0].id).status, PTD_OK);
	CHECK_EQ(tb_segment_drop(&t, t.view.segments[0].id).status, PTD_OK);
	CHECK(slot_live(&t, 8, 1, PTD_USAGE_FRAME));
	CHECK_EQ(tb_try_from_shared(&t, f).status, PTD_OK);
	CHECK(slot_live(&t, 8, PTD_RC_UNIQUE, PTD_USAGE_FRAME));
	CHECK(slot_torn_down(&t, 9, PTD_USAGE_FRAME));
	CHECK_EQ(t.view.nuniques, 3);
	CHECK(accounting_ok(&t));
	tb_fini(&t);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(from_unused_errors_in_order),
	      PTD_TEST_ENTRY(from_unused_claims_unique),
	      PTD_TEST_ENTRY(other_constructors_see_unique),
	      PTD_TEST_ENTRY(drop_tears_down_keeping_usage),
	      PTD_TEST_ENTRY(from_unique_makes_a_frame),
	      PTD_TEST_ENTRY(try_from_shared_only_for_the_sole_reference))
