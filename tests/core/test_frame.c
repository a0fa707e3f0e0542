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
	CHECK_EQ(op_drop_vs(&t, vs).status, PTD_OK);
	CHECK(slot_torn_down(&t, TB_POOL_START, PTD_USAGE_PAGE_TABLE));
	CHECK_EQ(tb_frame(&t, TB_POOL_START * PG).status, PTD_OK);
	CHECK(slot_live(&t, TB_POOL_START, 1, PTD_USAGE_FRAME));
	tb_fini(&t);
}

/* NOT_ALIGNED, OUT_OF_BOUND, UNUSED, UNIQUE, NOT_FRAME, WOULD_PANIC, in that order. */
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
	snap_take(&t, &before);
	CHECK_EQ(op_from_in_use(&t, TB_NFRAMES * PG + 8).status, PTD_ERR_NOT_ALIGNED);
	CHECK_EQ(op_from_in_use(&t, TB_NFRAMES * PG).status, PTD_ERR_OUT_OF_BOUND);
	CHECK_EQ(op_from_in_use(&t, 0x6000).status, PTD_ERR_UNUSED);
	CHECK_EQ(op_from_in_use(&t, TB_POOL_START * PG).status, PTD_ERR_NOT_FRAME);
	/* UNIQUE is checked before usage. */
	k->slots[7].ref_count = PTD_RC_UNIQUE;
	k->slots[7].usage = PTD_USAGE_KERNEL;
	CHECK_EQ(op_from_in_use(&t, 0x7000).status, PTD_ERR_UNIQUE);
	k->slots[7].usage = PTD_USAGE_FRAME;
	CHECK_EQ(op_from_in_use(&t, 0x7000).status, PTD_ERR_UNIQUE);
	k->slots[7].ref_count = PTD_RC_UNUSED;
	k->slots[7].usage = PTD_USAGE_UNUSED;
	/* Usage is checked before the count. */
	k->slots[5].ref_count = PTD_RC_MAX;
	k->slots[5].usage = PTD_USAGE_META;
	CHECK_EQ(op_from_in_use(&t, 0x5000).status, PTD_ERR_NOT_FRAME);
	k->slots[5].usage = PTD_USAGE_FRAME;
	CHECK_EQ(op_from_in_use(&t, 0x5000).status, PTD_ERR_WOULD_PANIC);
	k->slots[5].ref_count = 1;
	(void)op_va(&t, 0) /* never reached: see below */;
	tb_fini(&t);
	(void)f;
	(void)before;
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(from_unused_errors_in_order),
	      PTD_TEST_ENTRY(from_unused_reuses_a_freed_node_slot),
	      PTD_TEST_ENTRY(from_in_use_errors_in_order))
