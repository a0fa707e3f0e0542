/* SPDX-License-Identifier: MIT */
/*
 * FrameFromUnused, FrameFromInUse and FrameDrop (POLICY §3): every error code in its order,
 * the claim, the clone, and teardown at the last reference keeping usage.
 */
#include "core_tb.h"

/* NOT_ALIGNED before OUT_OF_BOUND; then UNUSED -> claim, UNIQUE, IN_USE. */
TEST(from_unused_errors_in_order)
{
	struct tb t;
	struct slot_snap before;
	struct ptd_result r;

	tb_init(&t, &ptd_core_backend);
	snap_take(&t, &before);
	CHECK_EQ(tb_frame(&t, 0x5001).status, PTD_ERR_NOT_ALIGNED);
	CHECK_EQ(tb_frame(&t, TB_NFRAMES * PG + 1).status, PTD_ERR_NOT_ALIGNED);
	CHECK_EQ(tb_frame(&t, TB_NFRAMES * PG).status, PTD_ERR_OUT_OF_BOUND);
	CHECK_EQ(tb_frame(&t, UINT64_MAX & ~(PG - 1)).status, PTD_ERR_OUT_OF_BOUND);
	CHECK(snap_same(&t, &before));
	r = tb_frame(&t, (TB_NFRAMES - 1) * PG);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(slot_live(&t, TB_NFRAMES - 1, 1, PTD_USAGE_FRAME));
	r = tb_frame(&t, 0);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(r.new_id != 0);
	CHECK(slot_live(&t, 0, 1, PTD_USAGE_FRAME));
	CHECK_EQ(tb_paths(&t, 0), 0);
	CHECK(frame_live(&t, r.new_id, 0));
	snap_take(&t, &before);
	r = tb_frame(&t, 0);
	CHECK_EQ(r.status, PTD_ERR_IN_USE);
	CHECK_EQ(r.new_id, 0);
	tb_core(&t)->slots[3].ref_count = PTD_RC_UNIQUE;
	CHECK_EQ(tb_frame(&t, 3 * PG).status, PTD_ERR_UNIQUE);
	tb_core(&t)->slots[3].ref_count = PTD_RC_UNUSED;
	CHECK_EQ(t.view.nframes, 2);
	/* A live page-table node is in use. */
	(void)tb_new_vs(&t);
	CHECK_EQ(tb_frame(&t, TB_POOL_START * PG).status, PTD_ERR_IN_USE);
	tb_fini(&t);
}

/* Usage before the call is not checked: a freed node's slot becomes a Frame. */
TEST(from_unused_reuses_a_freed_node_slot)
{
	struct tb t;
	ptd_id_t vs;

	tb_init(&t, &ptd_core_backend);
	vs = tb_new_vs(&t).new_id;
	CHECK_EQ(tb_drop_vs(&t, vs).status, PTD_OK);
	CHECK(slot_torn_down(&t, TB_POOL_START, PTD_USAGE_PAGE_TABLE));
	CHECK_EQ(tb_frame(&t, TB_POOL_START * PG).status, PTD_OK);
	CHECK(slot_live(&t, TB_POOL_START, 1, PTD_USAGE_FRAME));
	tb_fini(&t);
}

/* NOT_ALIGNED, OUT_OF_BOUND, UNUSED, UNIQUE, NOT_FRAME, WOULD_PANIC, in that order; each
 * refusal changes nothing. */
TEST(from_in_use_errors_in_order)
{
	struct tb t;
	struct slot_snap before;
	struct core *k;
	ptd_id_t f;

	tb_init(&t, &ptd_core_backend);
	k = tb_core(&t);
	(void)tb_new_vs(&t); /* slot 32: a live node */
	f = tb_frame(&t, 0x5000).new_id;
	CHECK_EQ(tb_frame_drop(&t, tb_frame(&t, 0x6000).new_id).status, PTD_OK); /* Frame, UNUSED */
	snap_take(&t, &before);
	CHECK_EQ(tb_from_in_use(&t, TB_NFRAMES * PG + 8).status, PTD_ERR_NOT_ALIGNED);
	CHECK_EQ(tb_from_in_use(&t, 0x5008).status, PTD_ERR_NOT_ALIGNED);
	CHECK_EQ(tb_from_in_use(&t, TB_NFRAMES * PG).status, PTD_ERR_OUT_OF_BOUND);
	CHECK_EQ(tb_from_in_use(&t, 0x6000).status, PTD_ERR_UNUSED); /* usage Frame, torn down */
	CHECK_EQ(tb_from_in_use(&t, 0x7000).status, PTD_ERR_UNUSED); /* never used */
	CHECK_EQ(tb_from_in_use(&t, TB_POOL_START * PG).status, PTD_ERR_NOT_FRAME);
	CHECK(snap_same(&t, &before));
	CHECK_EQ(t.view.nframes, 1);
	/* UNIQUE is checked before usage. */
	k->slots[7].ref_count = PTD_RC_UNIQUE;
	k->slots[7].usage = PTD_USAGE_KERNEL;
	CHECK_EQ(tb_from_in_use(&t, 0x7000).status, PTD_ERR_UNIQUE);
	k->slots[7].usage = PTD_USAGE_FRAME;
	CHECK_EQ(tb_from_in_use(&t, 0x7000).status, PTD_ERR_UNIQUE);
	k->slots[7].ref_count = PTD_RC_UNUSED;
	k->slots[7].usage = PTD_USAGE_UNUSED;
	/* Usage is checked before the count. */
	k->slots[5].ref_count = PTD_RC_MAX;
	k->slots[5].usage = PTD_USAGE_META;
	CHECK_EQ(tb_from_in_use(&t, 0x5000).status, PTD_ERR_NOT_FRAME);
	k->slots[5].usage = PTD_USAGE_FRAME;
	CHECK_EQ(tb_from_in_use(&t, 0x5000).status, PTD_ERR_WOULD_PANIC);
	CHECK_EQ(tb_slot(&t, 5)->rc, PTD_RC_MAX);
	CHECK_EQ(t.view.nframes, 1);
	k->slots[5].ref_count = 1;
	CHECK(frame_live(&t, f, 0x5000));
	tb_fini(&t);
}

/* Success: rc + 1, a new handle at the paddr; also on a mapped frame (PTE + handles). */
TEST(from_in_use_clones_a_reference)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t vs, c;

	tb_init(&t, &ptd_core_backend);
	(void)tb_frame(&t, 0x5000);
	r = tb_from_in_use(&t, 0x5000);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(r.new_id != 0);
	CHECK(slot_live(&t, 5, 2, PTD_USAGE_FRAME));
	CHECK(frame_live(&t, r.new_id, 0x5000));
	CHECK_EQ(t.view.nframes, 2);
	c = open_new(&t, &vs, 0x1000, 0x2000);
	CHECK_EQ(tb_map(&t, c, r.new_id, prop_of(0, 0)).status, PTD_OK);
	CHECK(slot_live(&t, 5, 2, PTD_USAGE_FRAME));
	r = tb_from_in_use(&t, 0x5000);
	CHECK(slot_live(&t, 5, 3, PTD_USAGE_FRAME));
	CHECK_EQ(tb_paths(&t, 5), 1);
	tb_fini(&t);
}

/* FrameDrop: rc - 1 while other references remain; the last one tears the slot down with
 * usage kept, and the slot can be claimed again. */
TEST(frame_drop_releases_and_tears_down_keeping_usage)
{
	struct tb t;
	struct slot_snap before;
	ptd_id_t a, b;

	tb_init(&t, &ptd_core_backend);
	a = tb_frame(&t, 0x5000).new_id;
	b = tb_from_in_use(&t, 0x5000).new_id;
	CHECK_EQ(tb_frame_drop(&t, a).status, PTD_OK);
	CHECK(slot_live(&t, 5, 1, PTD_USAGE_FRAME));
	CHECK(!frame_live(&t, a, 0x5000));
	CHECK(frame_live(&t, b, 0x5000));
	snap_take(&t, &before);
	CHECK_EQ(tb_frame_drop(&t, b).status, PTD_OK);
	CHECK(slot_torn_down(&t, 5, PTD_USAGE_FRAME));
	CHECK_EQ(t.view.nframes, 0);
	CHECK_EQ(tb_core(&t)->slots[5].storage.pt.level, 0); /* storage cleared */
	for (uint64_t i = 0; i < TB_NFRAMES; i++) {
		if (i != 5) {
			CHECK(memcmp(&before.slots[i], tb_slot(&t, i), sizeof before.slots[i]) == 0);
		}
	}
	CHECK_EQ(tb_frame(&t, 0x5000).status, PTD_OK);
	CHECK(slot_live(&t, 5, 1, PTD_USAGE_FRAME));
	tb_fini(&t);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(from_unused_errors_in_order),
	      PTD_TEST_ENTRY(from_unused_reuses_a_freed_node_slot),
	      PTD_TEST_ENTRY(from_in_use_errors_in_order),
	      PTD_TEST_ENTRY(from_in_use_clones_a_reference),
	      PTD_TEST_ENTRY(frame_drop_releases_and_tears_down_keeping_usage))
