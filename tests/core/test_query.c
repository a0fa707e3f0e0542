/* SPDX-License-Identifier: MIT */
/*
 * Query (POLICY §3, `cursor_query_embedded`, the seed): every branch, with the slot effects
 * computed by hand.  The cursor never moves.
 */
#include "core_tb.h"

/* va >= end: ERR_OUT_OF_RANGE, no handle, no slot change. */
TEST(query_past_end_is_out_of_range)
{
	struct tb t;
	struct slot_snap before;
	struct ptd_result r;
	ptd_id_t vs, c;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0x1000, 0x2000);
	CHECK_EQ(map_new(&t, c, 0x5000, prop_of(PTD_PF_W, PTD_CACHE_WB)).status, PTD_OK);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x2000);
	snap_take(&t, &before);
	r = tb_query(&t, c);
	CHECK_EQ(r.status, PTD_ERR_OUT_OF_RANGE);
	CHECK_EQ(r.found, 0);
	CHECK_EQ(r.new_id, 0);
	CHECK_EQ(r.paddr, 0);
	CHECK(snap_same(&t, &before));
	CHECK_EQ(t.view.nframes, 0);
	tb_fini(&t);
}

/* Nothing mapped: found 0 with the absent entry's range, and walking through an absent upper
 * entry allocates nothing. */
TEST(query_absent_finds_nothing_and_allocates_nothing)
{
	struct tb t;
	struct slot_snap before;
	struct ptd_result r;
	ptd_id_t vs, c;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0, PTD_USER_END); /* guard = root, nothing below */
	CHECK_EQ(tb_jump(&t, c, 5 * GIB).status, PTD_OK);
	snap_take(&t, &before);
	r = tb_query(&t, c);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.found, 0);
	CHECK_EQ(r.va, 0); /* the absent root entry: [0, 512 GiB) */
	CHECK_EQ(r.va_end, 512 * GIB);
	CHECK(snap_same(&t, &before));
	CHECK_EQ(tb_live_nodes(&t), 1);
	/* Absent leaf inside an existing level-1 node. */
	CHECK_EQ(map_new(&t, c, 0x5000, prop_of(0, 0)).status, PTD_OK);
	snap_take(&t, &before);
	r = tb_query(&t, c); /* va = 5 GiB + 4 KiB */
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.found, 0);
	CHECK_EQ(r.va, 5 * GIB + PG); /* the absent leaf: the page */
	CHECK_EQ(r.va_end, 5 * GIB + 2 * PG);
	CHECK(snap_same(&t, &before));
	CHECK_EQ(tb_cursor(&t, c)->va, 5 * GIB + PG);
	tb_fini(&t);
}

/* An I/O-memory leaf: found 1, tracked 0, paddr/prop/range reported, no handle, no slot change. */
TEST(query_iomem_leaf_is_untracked)
{
	struct tb t;
	struct slot_snap before;
	struct ptd_result r;
	ptd_id_t vs, c;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0x1000, 0x3000);
	CHECK_EQ(tb_map_iomem(&t, c, TB_IOMEM_BASE + 3 * PG, prop_of(PTD_PF_W | PTD_PF_D, PTD_CACHE_UC))
			 .status,
		 PTD_OK);
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	snap_take(&t, &before);
	r = tb_query(&t, c);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.found, 1);
	CHECK_EQ(r.tracked, 0);
	CHECK_EQ(r.paddr, TB_IOMEM_BASE + 3 * PG);
	CHECK_EQ(r.prop.flags, PTD_PF_W | PTD_PF_D);
	CHECK_EQ(r.prop.cache, PTD_CACHE_UC);
	CHECK_EQ(r.va, 0x1000);
	CHECK_EQ(r.va_end, 0x2000);
	CHECK_EQ(r.new_id, 0);
	CHECK(snap_same(&t, &before));
	CHECK_EQ(t.view.nframes, 0);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x1000);
	tb_fini(&t);
}

/* A tracked frame: rc + 1, a new Frame handle at its paddr; paths and everything else kept. */
TEST(query_tracked_frame_clones_a_reference)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t vs, c;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0x1000, 0x3000);
	CHECK_EQ(tb_jump(&t, c, 0x2000).status, PTD_OK);
	CHECK_EQ(map_new(&t, c, 0x5000, prop_of(PTD_PF_X | PTD_PF_A, PTD_CACHE_WT)).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_jump(&t, c, 0x2000).status, PTD_OK);
	r = tb_query(&t, c);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.found, 1);
	CHECK_EQ(r.tracked, 1);
	CHECK_EQ(r.paddr, 0x5000);
	CHECK_EQ(r.prop.flags, PTD_PF_X | PTD_PF_A);
	CHECK_EQ(r.prop.cache, PTD_CACHE_WT);
	CHECK_EQ(r.va, 0x2000);
	CHECK_EQ(r.va_end, 0x3000);
	CHECK(r.new_id != 0);
	CHECK_SLOT_LIVE(&t, 5, 2, PTD_USAGE_FRAME);
	CHECK_EQ(tb_paths(&t, 5), 1);
	CHECK(tb_has_path(&t, 5, vs, 4, 0x2000));
	CHECK(tb_has_frame(&t, r.new_id, 0x5000));
	CHECK_EQ(tb_cursor(&t, c)->va, 0x2000);
	/* Again: one more reference, one more handle. */
	r = tb_query(&t, c);
	CHECK_SLOT_LIVE(&t, 5, 3, PTD_USAGE_FRAME);
	CHECK_EQ(t.view.nframes, 2);
	tb_fini(&t);
}

/* rc at MAX: ERR_WOULD_PANIC, nothing changes. */
TEST(query_at_max_rc_would_panic)
{
	struct tb t;
	struct slot_snap before;
	struct ptd_result r;
	ptd_id_t vs, c;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0x1000, 0x3000);
	CHECK_EQ(map_new(&t, c, 0x5000, prop_of(0, 0)).status, PTD_OK);
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	tb_core(&t)->slots[5].ref_count = PTD_RC_MAX;
	(void)tb_virt_addr(&t, c); /* refresh the view */
	snap_take(&t, &before);
	r = tb_query(&t, c);
	CHECK_EQ(r.status, PTD_ERR_WOULD_PANIC);
	CHECK_EQ(r.found, 0);
	CHECK_EQ(r.paddr, 0);
	CHECK(snap_same(&t, &before));
	CHECK_EQ(t.view.nframes, 0);
	tb_core(&t)->slots[5].ref_count = PTD_RC_MAX - 1;
	r = tb_query(&t, c);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(tb_slot(&t, 5)->rc, PTD_RC_MAX);
	tb_fini(&t);
}

/* The cached path follows the cursor: after a far jump the query pops to the guard and walks
 * down the other sub-tree, and back again. */
TEST(query_after_far_jump_walks_the_right_subtree)
{
	struct tb t;
	ptd_id_t vs, c;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0, PTD_USER_END);
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	CHECK_EQ(map_new(&t, c, 0x5000, prop_of(0, 0)).status, PTD_OK);
	CHECK_EQ(tb_jump(&t, c, 300 * GIB + 0x1000).status, PTD_OK);
	CHECK_EQ(map_new(&t, c, 0x6000, prop_of(0, 0)).status, PTD_OK);
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	CHECK_EQ(tb_query(&t, c).paddr, 0x5000);
	CHECK_EQ(tb_jump(&t, c, 300 * GIB + 0x1000).status, PTD_OK);
	CHECK_EQ(tb_query(&t, c).paddr, 0x6000);
	CHECK_EQ(tb_jump(&t, c, 300 * GIB + 0x2000).status, PTD_OK);
	CHECK_EQ(tb_query(&t, c).found, 0);
	CHECK_EQ(tb_jump(&t, c, 0x1000 + 512 * GIB).status, PTD_OK);
	CHECK_EQ(tb_query(&t, c).found, 0);
	tb_fini(&t);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(query_past_end_is_out_of_range),
	      PTD_TEST_ENTRY(query_absent_finds_nothing_and_allocates_nothing),
	      PTD_TEST_ENTRY(query_iomem_leaf_is_untracked),
	      PTD_TEST_ENTRY(query_tracked_frame_clones_a_reference),
	      PTD_TEST_ENTRY(query_at_max_rc_would_panic),
	      PTD_TEST_ENTRY(query_after_far_jump_walks_the_right_subtree))
