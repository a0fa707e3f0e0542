/* SPDX-License-Identifier: MIT */
/*
 * Frame handles, on either side (docs/POLICY.md §3 FrameFromUnused, FrameFromInUse,
 * FrameDrop): every error code in its order, each refusal changing nothing; the claim, the
 * clone, teardown at the last reference keeping usage; and the accounting invariant
 * rc == H + P across every reference-moving op.  The UNIQUE and MAX branches are reached by
 * writing the slot directly (bt_poke); tests/backend/test_unique.c reaches UNIQUE through
 * UniqueFromUnused as well.
 */
#include "bt.h"

#define MEM (TB_NFRAMES * PG)
#define TOP_PAGE (UINT64_MAX & ~(PG - 1))

/* Success: rc 1, usage Frame, storage and vtable initialised, no paths, a handle at paddr and
 * nothing else; frame 0 and the last frame are valid too. */
TEST(from_unused_claims_frame)
{
	struct tb t;

	bt_init(&t);
	CHECK_CREATED(tb_frame(&t, 5 * PG), 1);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_paths(&t, 5), 0);
	CHECK(tb_has_frame(&t, 1, 5 * PG));
	CHECK_EQ(t.view.nframes, 1);
	CHECK_CREATED(tb_frame(&t, 0), 2);
	CHECK_SLOT_LIVE(&t, 0, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_paths(&t, 0), 0);
	CHECK(tb_has_frame(&t, 2, 0));
	CHECK_EQ(tb_frame(&t, MEM - PG).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, TB_NFRAMES - 1, 1, PTD_USAGE_FRAME);
	CHECK_EQ(t.view.nframes, 3);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Errors in order: NOT_ALIGNED before OUT_OF_BOUND; then UNIQUE, IN_USE (a Frame, a live
 * node). */
TEST(from_unused_errors_in_order)
{
	struct tb t;

	bt_init(&t);
	CHECK_REFUSED(&t, tb_frame(&t, 0x5001), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_frame(&t, 5 * PG + 8), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_frame(&t, MEM + 1), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_frame(&t, MEM), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_frame(&t, TB_IOMEM_BASE), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_frame(&t, TOP_PAGE), PTD_ERR_OUT_OF_BOUND);
	(void)bt_frame(&t, 5);
	CHECK_REFUSED(&t, tb_frame(&t, 5 * PG), PTD_ERR_IN_USE);
	CHECK_EQ(tb_new_vs(&t).status, PTD_OK);
	CHECK_REFUSED(&t, tb_frame(&t, TB_POOL_START * PG), PTD_ERR_IN_USE); /* live root */
	bt_poke(&t, 9, PTD_RC_UNIQUE, PTD_USAGE_FRAME);
	CHECK_REFUSED(&t, tb_frame(&t, 9 * PG), PTD_ERR_UNIQUE);
	bt_poke(&t, 9, PTD_RC_UNUSED, PTD_USAGE_UNUSED);
	CHECK_EQ(t.view.nframes, 1);
	tb_fini(&t);
}

/* Usage before the call is not checked: a freed data frame and a freed node slot are claimed
 * again. */
TEST(from_unused_reuses_freed_slots)
{
	struct tb t;
	ptd_id_t vs;

	bt_init(&t);
	CHECK_EQ(tb_frame_drop(&t, bt_frame(&t, 5)).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_EQ(tb_frame(&t, 5 * PG).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	vs = tb_new_vs(&t).new_id;
	CHECK_EQ(tb_drop_vs(&t, vs).status, PTD_OK);
	CHECK_SLOT_FREE(&t, TB_POOL_START, PTD_USAGE_PAGE_TABLE);
	CHECK_EQ(tb_frame(&t, TB_POOL_START * PG).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, TB_POOL_START, 1, PTD_USAGE_FRAME);
	tb_fini(&t);
}

/* FrameFromInUse success: rc + 1, a second handle at the same paddr and nothing else; also on
 * a mapped frame (PTE + handles). */
TEST(from_in_use_adds_a_reference)
{
	struct tb t;
	ptd_id_t f, g, vs, c;

	bt_init(&t);
	f = bt_frame(&t, 5);
	g = f + 1;
	CHECK_CREATED(tb_from_in_use(&t, 5 * PG), g);
	CHECK_SLOT_LIVE(&t, 5, 2, PTD_USAGE_FRAME);
	CHECK(tb_has_frame(&t, f, 5 * PG));
	CHECK(tb_has_frame(&t, g, 5 * PG));
	CHECK_EQ(t.view.nframes, 2);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	c = bt_open_new(&t, &vs, 0x1000, 0x2000);
	CHECK_EQ(tb_map(&t, c, g, PROP_RO).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 5, 2, PTD_USAGE_FRAME);
	CHECK_EQ(tb_from_in_use(&t, 5 * PG).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 5, 3, PTD_USAGE_FRAME);
	CHECK_EQ(tb_paths(&t, 5), 1);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Errors in order: NOT_ALIGNED, OUT_OF_BOUND, UNUSED (never used, or torn down), UNIQUE
 * (before usage), NOT_FRAME (a live node, or another usage; before the count), WOULD_PANIC
 * (rc at MAX); MAX - 1 clones, to exactly MAX. */
TEST(from_in_use_errors_in_order)
{
	struct tb t;
	ptd_id_t f;

	bt_init(&t);
	CHECK_REFUSED(&t, tb_from_in_use(&t, 3), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_from_in_use(&t, 0x5008), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_from_in_use(&t, MEM + 8), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_from_in_use(&t, MEM + 0x10), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_from_in_use(&t, MEM), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_from_in_use(&t, 5 * PG), PTD_ERR_UNUSED); /* never used */
	CHECK_EQ(tb_frame_drop(&t, bt_frame(&t, 6)).status, PTD_OK);
	CHECK_REFUSED(&t, tb_from_in_use(&t, 6 * PG), PTD_ERR_UNUSED); /* usage Frame, torn down */
	bt_poke(&t, 9, PTD_RC_UNIQUE, PTD_USAGE_FRAME);
	CHECK_REFUSED(&t, tb_from_in_use(&t, 9 * PG), PTD_ERR_UNIQUE);
	bt_poke(&t, 9, PTD_RC_UNIQUE, PTD_USAGE_PAGE_TABLE);
	CHECK_REFUSED(&t, tb_from_in_use(&t, 9 * PG), PTD_ERR_UNIQUE);
	bt_poke(&t, 9, PTD_RC_UNIQUE, PTD_USAGE_KERNEL);
	CHECK_REFUSED(&t, tb_from_in_use(&t, 9 * PG), PTD_ERR_UNIQUE);
	bt_poke(&t, 9, PTD_RC_UNUSED, PTD_USAGE_UNUSED);
	CHECK_EQ(tb_new_vs(&t).status, PTD_OK);
	CHECK_REFUSED(&t, tb_from_in_use(&t, TB_POOL_START * PG), PTD_ERR_NOT_FRAME);
	f = bt_frame(&t, 7);
	bt_poke(&t, 7, PTD_RC_MAX, PTD_USAGE_FRAME);
	CHECK_REFUSED(&t, tb_from_in_use(&t, 7 * PG), PTD_ERR_WOULD_PANIC);
	CHECK_EQ(tb_slot(&t, 7)->rc, PTD_RC_MAX);
	bt_poke(&t, 7, PTD_RC_MAX, PTD_USAGE_META);
	CHECK_REFUSED(&t, tb_from_in_use(&t, 7 * PG), PTD_ERR_NOT_FRAME);
	bt_poke(&t, 7, PTD_RC_MAX - 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_from_in_use(&t, 7 * PG).status, PTD_OK);
	CHECK_EQ(tb_slot(&t, 7)->rc, PTD_RC_MAX);
	CHECK_EQ(t.view.nframes, 2);
	bt_poke(&t, 7, 2, PTD_USAGE_FRAME);
	CHECK(tb_has_frame(&t, f, 7 * PG));
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* FrameDrop: rc - 1 while other references remain; the last one tears the slot down with usage
 * kept, and changes no other slot; the slot can be claimed again. */
TEST(frame_drop_releases_and_tears_down_keeping_usage)
{
	struct tb t;
	struct tb_snap before;
	ptd_id_t f, h;

	bt_init(&t);
	f = bt_frame(&t, 5);
	h = tb_from_in_use(&t, 5 * PG).new_id;
	CHECK_ONLY_STATUS(tb_frame_drop(&t, f), PTD_OK);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	CHECK(!tb_has_frame(&t, f, 5 * PG));
	CHECK(tb_has_frame(&t, h, 5 * PG));
	before = tb_snap_take(&t);
	CHECK_ONLY_STATUS(tb_frame_drop(&t, h), PTD_OK);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_EQ(t.view.nframes, 0);
	for (uint64_t i = 0; i < TB_NFRAMES; i++)
		if (i != 5)
			CHECK(memcmp(&before.v.slots[i], tb_slot(&t, i), sizeof *tb_slot(&t, i)) ==
			      0);
	tb_snap_free(&before);
	CHECK_EQ(tb_frame(&t, 5 * PG).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	tb_fini(&t);
}

/* FrameDrop of a handle whose frame is also mapped: the mapping keeps it alive. */
TEST(frame_drop_while_mapped)
{
	struct tb t;
	ptd_id_t vs, c, f, h;

	c = bt_start(&t, &vs, 0, 0x1000, 1);
	f = bt_frame(&t, 5);
	CHECK_EQ(tb_map(&t, c, f, PROP_RW).status, PTD_OK);
	h = tb_from_in_use(&t, 5 * PG).new_id;
	CHECK_EQ(tb_slot(&t, 5)->rc, 2);
	CHECK_EQ(tb_frame_drop(&t, h).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	CHECK(tb_has_path(&t, 5, vs, 4, 0));
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* rc == H + P across a sequence mixing every reference-moving op. */
TEST(accounting_invariant_holds_across_ops)
{
	struct tb t;
	ptd_id_t a, b, ca, cb, f5, f6, q;

	bt_init(&t);
	a = tb_new_vs(&t).new_id;
	b = tb_new_vs(&t).new_id;
	ca = tb_open(&t, a, 0, 0x10000, 1).new_id;
	cb = tb_open(&t, b, 0, 0x10000, 1).new_id;
	f5 = bt_frame(&t, 5);
	f6 = bt_frame(&t, 6);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_EQ(tb_map(&t, ca, f5, PROP_RW).status, PTD_OK);
	CHECK_EQ(tb_map(&t, cb, tb_from_in_use(&t, 5 * PG).new_id, PROP_RW).status, PTD_OK);
	CHECK_EQ(tb_map(&t, cb, tb_from_in_use(&t, 5 * PG).new_id, PROP_RW).status, PTD_OK);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_EQ(tb_slot(&t, 5)->rc, 3);
	CHECK_EQ(tb_jump(&t, cb, 0).status, PTD_OK);
	q = tb_query(&t, cb).new_id;
	CHECK_EQ(tb_slot(&t, 5)->rc, 4);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_EQ(tb_map(&t, cb, f6, PROP_RW).status, PTD_OK); /* replaces 5 at 0 in b */
	CHECK_EQ(tb_slot(&t, 5)->rc, 3);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_EQ(tb_unmap(&t, cb, 0x1000).count, 1); /* 0x1000 in b */
	CHECK_EQ(tb_slot(&t, 5)->rc, 2);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_EQ(tb_drop_cursor(&t, ca).status, PTD_OK);
	CHECK_EQ(tb_drop_vs(&t, a).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME); /* only the queried handle */
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_EQ(tb_frame_drop(&t, q).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_SLOT_LIVE(&t, 6, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

PTD_BACKEND_TEST_MAIN(PTD_TEST_ENTRY(from_unused_claims_frame),
		      PTD_TEST_ENTRY(from_unused_errors_in_order),
		      PTD_TEST_ENTRY(from_unused_reuses_freed_slots),
		      PTD_TEST_ENTRY(from_in_use_adds_a_reference),
		      PTD_TEST_ENTRY(from_in_use_errors_in_order),
		      PTD_TEST_ENTRY(frame_drop_releases_and_tears_down_keeping_usage),
		      PTD_TEST_ENTRY(frame_drop_while_mapped),
		      PTD_TEST_ENTRY(accounting_invariant_holds_across_ops))
