/* SPDX-License-Identifier: MIT */
/*
 * Oracle unit tests: the unique-frame ops of docs/POLICY.md "Unique frames"
 * (docs/CONTRACTS.md#unique-frames) — UniqueFromUnused (every error code in order, ERR_NOT_FRESH on
 * every kind of used slot), UniqueDrop, FromUnique, TryFromShared (ERR_SHARED for each kind of
 * other holder), the ERR_UNIQUE branches of the frame ops now reachable through the op surface, the
 * invariant rc == H + P + C with U, and the view's uniques[] overflow.
 */
#include "oracle_util.h"

/* Success: usage Frame, rc UNIQUE, storage and vtable initialised, no paths, one unique. */
TEST(from_unused_claims_unique)
{
	struct tb t;
	struct ptd_result r;
	tb_init(&t, &ptd_oracle_backend);
	r = tb_unique(&t, 5 * PG);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.new_id, 1);
	CHECK_EQ(r.new_id2 + r.found + r.tracked + r.paddr + r.va + r.va_end + r.count, 0);
	CHECK_SLOT_LIVE(&t, 5, PTD_RC_UNIQUE, PTD_USAGE_FRAME);
	CHECK_EQ(tb_paths(&t, 5), 0);
	CHECK(ou_has_unique(&t, 1, 5 * PG));
	CHECK_EQ(t.view.nuniques, 1);
	CHECK_EQ(t.view.nframes, 0);
	CHECK_EQ(t.view.nsegments, 0);
	CHECK_SLOT_FREE(&t, 4, PTD_USAGE_UNUSED);
	CHECK_SLOT_FREE(&t, 6, PTD_USAGE_UNUSED);
	/* Frame 0, the last frame and a pool slot are fresh too. */
	CHECK_EQ(tb_unique(&t, 0).status, PTD_OK);
	CHECK_EQ(tb_unique(&t, (TB_NFRAMES - 1) * PG).status, PTD_OK);
	CHECK_EQ(tb_unique(&t, TB_POOL_START * PG).status, PTD_OK);
	CHECK_EQ(t.view.nuniques, 4);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Errors in order: NOT_ALIGNED, OUT_OF_BOUND, UNIQUE / IN_USE, NOT_FRESH. */
TEST(from_unused_error_order)
{
	struct tb t;
	ptd_id_t f;
	tb_init(&t, &ptd_oracle_backend);
	CHECK_REFUSED(&t, tb_unique(&t, 5 * PG + 8), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_unique(&t, TB_NFRAMES * PG + 1), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_unique(&t, TB_NFRAMES * PG), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_unique(&t, TB_IOMEM_BASE), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_unique(&t, UINT64_MAX & ~0xfffull), PTD_ERR_OUT_OF_BOUND);
	/* 3. UNIQUE (even though usage is no longer Unused: step 3 before step 4). */
	CHECK_EQ(tb_unique(&t, 5 * PG).status, PTD_OK);
	CHECK_REFUSED(&t, tb_unique(&t, 5 * PG), PTD_ERR_UNIQUE);
	/* 3. IN_USE: a Frame handle, a segment page, a live page-table node. */
	f = ou_frame(&t, 6);
	CHECK_REFUSED(&t, tb_unique(&t, 6 * PG), PTD_ERR_IN_USE);
	CHECK_EQ(tb_segment(&t, 7 * PG, PG).status, PTD_OK);
	CHECK_REFUSED(&t, tb_unique(&t, 7 * PG), PTD_ERR_IN_USE);
	CHECK_EQ(tb_new_vs(&t).status, PTD_OK);          /* root at 32 */
	CHECK_REFUSED(&t, tb_unique(&t, TB_POOL_START * PG), PTD_ERR_IN_USE);
	/* 4. NOT_FRESH: UNUSED but used before (usage sticky). */
	CHECK_EQ(tb_frame_drop(&t, f).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 6, PTD_USAGE_FRAME);
	CHECK_REFUSED(&t, tb_unique(&t, 6 * PG), PTD_ERR_NOT_FRESH);
	/* Earlier checks still win over NOT_FRESH. */
	CHECK_REFUSED(&t, tb_unique(&t, 6 * PG + 1), PTD_ERR_NOT_ALIGNED);
	tb_fini(&t);
}

/* NOT_FRESH after every way a slot can have been used: frame, segment, node, unique. */
TEST(from_unused_not_fresh_everywhere)
{
	struct tb t;
	ptd_id_t vs, s, u;
	tb_init(&t, &ptd_oracle_backend);
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
	/* The neighbours were never used. */
	CHECK_EQ(tb_unique(&t, 10 * PG).status, PTD_OK);
	CHECK_EQ(tb_unique(&t, 12 * PG).status, PTD_OK);
	/* FrameFromUnused does not look at usage: the used slots are claimable as frames. */
	CHECK_EQ(tb_frame(&t, 8 * PG).status, PTD_OK);
	CHECK_EQ(tb_frame(&t, 11 * PG).status, PTD_OK);
	CHECK_EQ(tb_frame(&t, TB_POOL_START * PG).status, PTD_OK);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* UniqueDrop: torn down, rc UNUSED, usage stays Frame, the entry gone. */
TEST(unique_drop_tears_down)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t u;
	tb_init(&t, &ptd_oracle_backend);
	u = tb_unique(&t, 5 * PG).new_id;
	r = tb_unique_drop(&t, u);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.new_id + r.new_id2 + r.found + r.tracked + r.paddr + r.va + r.va_end + r.count,
		 0);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK(tb_unique_view(&t, u) == NULL);
	CHECK_EQ(t.view.nuniques, 0);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* FromUnique: rc UNIQUE -> 1, the unique handle replaced by a Frame handle. */
TEST(from_unique_makes_frame)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t u, f;
	tb_init(&t, &ptd_oracle_backend);
	u = tb_unique(&t, 5 * PG).new_id;
	r = tb_from_unique(&t, u);
	f = r.new_id;
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(f, u + 1);
	CHECK_EQ(r.new_id2 + r.found + r.tracked + r.paddr + r.va + r.va_end + r.count, 0);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	CHECK(ou_has_handle(&t, f, 5 * PG));
	CHECK_EQ(t.view.nuniques, 0);
	CHECK_EQ(t.view.nframes, 1);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	/* An ordinary frame now: shareable, and its last drop tears it down. */
	CHECK_EQ(tb_from_in_use(&t, 5 * PG).status, PTD_OK);
	CHECK_EQ(tb_slot(&t, 5)->rc, 2);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* TryFromShared: the only reference (rc 1) becomes a unique frame; the handle goes. */
TEST(try_from_shared_sole_holder)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t f, u;
	tb_init(&t, &ptd_oracle_backend);
	f = ou_frame(&t, 5);
	r = tb_try_from_shared(&t, f);
	u = r.new_id;
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(u, f + 1);
	CHECK_EQ(r.new_id2 + r.found + r.tracked + r.paddr + r.va + r.va_end + r.count, 0);
	CHECK_SLOT_LIVE(&t, 5, PTD_RC_UNIQUE, PTD_USAGE_FRAME);
	CHECK(ou_has_unique(&t, u, 5 * PG));
	CHECK_EQ(t.view.nframes, 0);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	/* Round trip back to a Frame, then unique again. */
	f = tb_from_unique(&t, u).new_id;
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_try_from_shared(&t, f).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 5, PTD_RC_UNIQUE, PTD_USAGE_FRAME);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* TryFromShared: ERR_SHARED while another handle, a mapping or a segment holds the frame. */
TEST(try_from_shared_refused_when_shared)
{
	struct tb t;
	ptd_id_t vs, c, f, h, m, q, s, k, g;
	tb_init(&t, &ptd_oracle_backend);
	/* Another Frame handle. */
	f = ou_frame(&t, 5);
	h = tb_from_in_use(&t, 5 * PG).new_id;
	CHECK_REFUSED(&t, tb_try_from_shared(&t, f), PTD_ERR_SHARED);
	CHECK_REFUSED(&t, tb_try_from_shared(&t, h), PTD_ERR_SHARED);
	CHECK_EQ(tb_frame_drop(&t, h).status, PTD_OK);
	CHECK_EQ(tb_try_from_shared(&t, f).status, PTD_OK);

	/* A mapping (the handle from Query shares the frame with the PTE). */
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0, 0x1000, 1).new_id;
	m = ou_frame(&t, 6);
	CHECK_EQ(tb_map(&t, c, m, OU_PROP_RW).status, PTD_OK);
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	q = tb_query(&t, c).new_id;
	CHECK_REFUSED(&t, tb_try_from_shared(&t, q), PTD_ERR_SHARED);
	CHECK_EQ(tb_unmap(&t, c, PG).count, 1);
	CHECK_EQ(tb_try_from_shared(&t, q).status, PTD_OK);

	/* A segment covering the slot (a clone outlives the frame SegmentNext took). */
	s = tb_segment(&t, 8 * PG, PG).new_id;
	k = tb_segment_clone(&t, s).new_id;
	g = tb_segment_next(&t, s).new_id;               /* s removed; k still covers 8 */
	CHECK_EQ(tb_slot(&t, 8)->rc, 2);
	CHECK_REFUSED(&t, tb_try_from_shared(&t, g), PTD_ERR_SHARED);
	CHECK_EQ(tb_segment_drop(&t, k).status, PTD_OK);
	CHECK_EQ(tb_try_from_shared(&t, g).status, PTD_OK);
	CHECK_EQ(t.view.nuniques, 3);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* The frame ops' ERR_UNIQUE branches, reachable now without writing a slot. */
TEST(frame_ops_see_unique)
{
	struct tb t;
	tb_init(&t, &ptd_oracle_backend);
	CHECK_EQ(tb_unique(&t, 5 * PG).status, PTD_OK);
	CHECK_REFUSED(&t, tb_frame(&t, 5 * PG), PTD_ERR_UNIQUE);
	CHECK_REFUSED(&t, tb_from_in_use(&t, 5 * PG), PTD_ERR_UNIQUE);
	CHECK_REFUSED(&t, tb_segment(&t, 5 * PG, PG), PTD_ERR_UNIQUE);
	CHECK_REFUSED(&t, tb_segment(&t, 0, 8 * PG), PTD_ERR_UNIQUE);
	tb_fini(&t);
}

/* A unique frame in the pool is skipped by node allocation (rc is not UNUSED). */
TEST(unique_in_pool_skipped_by_nodes)
{
	struct tb t;
	ptd_id_t u, vs;
	tb_init(&t, &ptd_oracle_backend);
	u = tb_unique(&t, TB_POOL_START * PG).new_id;
	vs = tb_new_vs(&t).new_id;
	CHECK_NODE(&t, TB_POOL_START + 1, vs, 0, 0);
	CHECK_SLOT_LIVE(&t, TB_POOL_START, PTD_RC_UNIQUE, PTD_USAGE_FRAME);
	CHECK_EQ(tb_unique_drop(&t, u).status, PTD_OK);
	/* Freed, it is reused by the next node and its usage overwritten. */
	CHECK_EQ(tb_new_vs(&t).status, PTD_OK);
	CHECK_NODE(&t, TB_POOL_START, vs + 1, 0, 0);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* The view reports a full uniques[] as overflow; reset forgets unique frames. */
TEST(view_overflow_and_reset)
{
	struct tb t;
	size_t cap;
	tb_init(&t, &ptd_oracle_backend);
	CHECK_EQ(tb_unique(&t, 4 * PG).status, PTD_OK);
	CHECK_EQ(tb_unique(&t, 5 * PG).status, PTD_OK);
	cap = t.view.uniques_cap;
	t.view.uniques_cap = 1;
	ou_refresh(&t);
	CHECK_EQ(t.view.overflow, 1);
	CHECK_EQ(t.view.nuniques, 0);
	t.view.uniques_cap = 2;
	ou_refresh(&t);
	CHECK_EQ(t.view.overflow, 0);
	CHECK_EQ(t.view.nuniques, 2);
	t.view.uniques_cap = cap;
	t.be->reset(t.self);
	ou_refresh(&t);
	CHECK_EQ(t.view.nuniques, 0);
	CHECK_SLOT_FREE(&t, 4, PTD_USAGE_UNUSED);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_UNUSED);
	CHECK_EQ(tb_unique(&t, 4 * PG).status, PTD_OK);
	tb_fini(&t);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(from_unused_claims_unique),
	      PTD_TEST_ENTRY(from_unused_error_order),
	      PTD_TEST_ENTRY(from_unused_not_fresh_everywhere),
	      PTD_TEST_ENTRY(unique_drop_tears_down),
	      PTD_TEST_ENTRY(from_unique_makes_frame),
	      PTD_TEST_ENTRY(try_from_shared_sole_holder),
	      PTD_TEST_ENTRY(try_from_shared_refused_when_shared),
	      PTD_TEST_ENTRY(frame_ops_see_unique),
	      PTD_TEST_ENTRY(unique_in_pool_skipped_by_nodes),
	      PTD_TEST_ENTRY(view_overflow_and_reset))
