/* SPDX-License-Identifier: MIT */
/*
 * Oracle unit tests: FrameFromUnused, FrameFromInUse (every error code, in POLICY.md's order),
 * FrameDrop (decrement and last-reference teardown) and the accounting invariant rc == H + P.
 * The MAX branches are reached by writing the slot directly (white box); so are the UNIQUE
 * branches here (test_unique.c reaches them through UniqueFromUnused as well).
 */
#include "oracle_util.h"
#include "store.h"

/* The oracle's own slot idx, for white-box writes; call refresh() after writing. */
static struct oracle_slot *raw_slot(struct tb *t, uint64_t idx)
{
	return &((struct oracle *)t->self)->slots[idx];
}

/* Re-take the view after a white-box write. */
static void refresh(struct tb *t)
{
	t->view.npaths = t->view.nmaps = t->view.nvmspaces = 0;
	t->view.ncursors = t->view.nframes = 0;
	t->be->view(t->self, &t->view);
}

/* Success: rc 1, usage Frame, storage and vtable initialised, no paths, handle at paddr. */
TEST(from_unused_claims_frame)
{
	struct tb t;
	struct ptd_result r;
	tb_init(&t, &ptd_oracle_backend);
	r = tb_frame(&t, 5 * PG);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.new_id, 1);
	CHECK_EQ(r.found + r.tracked + r.paddr + r.va + r.va_end + r.count, 0);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_paths(&t, 5), 0);
	CHECK(ou_has_handle(&t, 1, 5 * PG));
	CHECK_EQ(t.view.nframes, 1);
	/* Frame 0 and the last frame are valid too. */
	CHECK_EQ(tb_frame(&t, 0).status, PTD_OK);
	CHECK_EQ(tb_frame(&t, (TB_NFRAMES - 1) * PG).status, PTD_OK);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Errors in order: NOT_ALIGNED, OUT_OF_BOUND, UNIQUE, IN_USE; nothing changes. */
TEST(from_unused_error_order)
{
	struct tb t;
	ptd_id_t vs;
	tb_init(&t, &ptd_oracle_backend);
	CHECK_REFUSED(&t, tb_frame(&t, 5 * PG + 8), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_frame(&t, TB_NFRAMES * PG + 1), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_frame(&t, TB_NFRAMES * PG), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_frame(&t, TB_IOMEM_BASE), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_frame(&t, UINT64_MAX & ~0xfffull), PTD_ERR_OUT_OF_BOUND);
	ou_frame(&t, 5);
	CHECK_REFUSED(&t, tb_frame(&t, 5 * PG), PTD_ERR_IN_USE);
	vs = tb_new_vs(&t).new_id;
	CHECK_REFUSED(&t, tb_frame(&t, TB_POOL_START * PG), PTD_ERR_IN_USE); /* live root */
	(void)vs;
	/* UNIQUE (white box). */
	raw_slot(&t, 9)->rc = PTD_RC_UNIQUE;
	raw_slot(&t, 9)->usage = PTD_USAGE_FRAME;
	raw_slot(&t, 9)->storage_init = raw_slot(&t, 9)->vtable_init = true;
	refresh(&t);
	CHECK_REFUSED(&t, tb_frame(&t, 9 * PG), PTD_ERR_UNIQUE);
	tb_fini(&t);
}

/* Usage is not checked: a freed data frame and a freed node slot are claimed again. */
TEST(from_unused_reuses_freed_slots)
{
	struct tb t;
	ptd_id_t f, vs;
	tb_init(&t, &ptd_oracle_backend);
	f = ou_frame(&t, 5);
	CHECK_EQ(tb_frame_drop(&t, f).status, PTD_OK);
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

/* FrameFromInUse success: rc + 1, a second handle at the same paddr. */
TEST(from_in_use_adds_reference)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t f;
	tb_init(&t, &ptd_oracle_backend);
	f = ou_frame(&t, 5);
	r = tb_from_in_use(&t, 5 * PG);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.new_id, f + 1);
	CHECK_EQ(r.found + r.tracked + r.paddr + r.va + r.va_end + r.count, 0);
	CHECK_SLOT_LIVE(&t, 5, 2, PTD_USAGE_FRAME);
	CHECK(ou_has_handle(&t, f, 5 * PG));
	CHECK(ou_has_handle(&t, r.new_id, 5 * PG));
	CHECK_EQ(ou_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Errors in order: NOT_ALIGNED, OUT_OF_BOUND, UNUSED, UNIQUE, NOT_FRAME, WOULD_PANIC. */
TEST(from_in_use_error_order)
{
	struct tb t;
	ptd_id_t f;
	tb_init(&t, &ptd_oracle_backend);
	CHECK_REFUSED(&t, tb_from_in_use(&t, 3), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_from_in_use(&t, TB_NFRAMES * PG + 0x10), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_from_in_use(&t, TB_NFRAMES * PG), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_from_in_use(&t, 5 * PG), PTD_ERR_UNUSED);          /* never used */
	f = ou_frame(&t, 6);
	CHECK_EQ(tb_frame_drop(&t, f).status, PTD_OK);
	CHECK_REFUSED(&t, tb_from_in_use(&t, 6 * PG), PTD_ERR_UNUSED);          /* freed */

	raw_slot(&t, 9)->rc = PTD_RC_UNIQUE;
	raw_slot(&t, 9)->usage = PTD_USAGE_FRAME;
	raw_slot(&t, 9)->storage_init = raw_slot(&t, 9)->vtable_init = true;
	refresh(&t);
	CHECK_REFUSED(&t, tb_from_in_use(&t, 9 * PG), PTD_ERR_UNIQUE);
	/* UNIQUE is checked before usage. */
	raw_slot(&t, 9)->usage = PTD_USAGE_PAGE_TABLE;
	refresh(&t);
	CHECK_REFUSED(&t, tb_from_in_use(&t, 9 * PG), PTD_ERR_UNIQUE);

	CHECK_EQ(tb_new_vs(&t).status, PTD_OK);
	CHECK_REFUSED(&t, tb_from_in_use(&t, TB_POOL_START * PG), PTD_ERR_NOT_FRAME);

	f = ou_frame(&t, 7);
	raw_slot(&t, 7)->rc = PTD_RC_MAX;
	refresh(&t);
	CHECK_REFUSED(&t, tb_from_in_use(&t, 7 * PG), PTD_ERR_WOULD_PANIC);
	/* NOT_FRAME comes before the saturation check. */
	raw_slot(&t, 7)->usage = PTD_USAGE_META;
	refresh(&t);
	CHECK_REFUSED(&t, tb_from_in_use(&t, 7 * PG), PTD_ERR_NOT_FRAME);
	raw_slot(&t, 7)->usage = PTD_USAGE_FRAME;
	raw_slot(&t, 7)->rc = PTD_RC_MAX - 1;
	CHECK_EQ(tb_from_in_use(&t, 7 * PG).status, PTD_OK);
	CHECK_EQ(tb_slot(&t, 7)->rc, PTD_RC_MAX);
	raw_slot(&t, 7)->rc = 2;
	raw_slot(&t, 9)->rc = PTD_RC_UNUSED;
	raw_slot(&t, 9)->storage_init = raw_slot(&t, 9)->vtable_init = false;
	(void)f;
	tb_fini(&t);
}

/* FrameDrop: rc - 1 while other references remain; at the last one, torn down (usage Frame). */
TEST(frame_drop_releases)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t f, h;
	tb_init(&t, &ptd_oracle_backend);
	f = ou_frame(&t, 5);
	h = tb_from_in_use(&t, 5 * PG).new_id;
	r = tb_frame_drop(&t, f);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.found + r.tracked + r.new_id + r.paddr + r.va + r.va_end + r.count, 0);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	CHECK(!ou_has_handle(&t, f, 5 * PG));
	CHECK(ou_has_handle(&t, h, 5 * PG));
	CHECK_EQ(tb_frame_drop(&t, h).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_EQ(t.view.nframes, 0);
	tb_fini(&t);
}

/* FrameDrop of a handle whose frame is also mapped: the mapping keeps it alive. */
TEST(frame_drop_while_mapped)
{
	struct tb t;
	ptd_id_t vs, c, f, h;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0, 0x1000, 1).new_id;
	f = ou_frame(&t, 5);
	CHECK_EQ(tb_map(&t, c, f, OU_PROP_RW).status, PTD_OK);
	h = tb_from_in_use(&t, 5 * PG).new_id;
	CHECK_EQ(tb_slot(&t, 5)->rc, 2);
	CHECK_EQ(tb_frame_drop(&t, h).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	CHECK(tb_has_path(&t, 5, vs, 4, 0));
	CHECK_EQ(ou_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* rc == H + P across a sequence mixing every reference-moving op. */
TEST(accounting_invariant_holds_across_ops)
{
	struct tb t;
	ptd_id_t a, b, ca, cb, f5, f6, q;
	tb_init(&t, &ptd_oracle_backend);
	a = tb_new_vs(&t).new_id;
	b = tb_new_vs(&t).new_id;
	ca = tb_open(&t, a, 0, 0x10000, 1).new_id;
	cb = tb_open(&t, b, 0, 0x10000, 1).new_id;
	f5 = ou_frame(&t, 5);
	f6 = ou_frame(&t, 6);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	CHECK_EQ(tb_map(&t, ca, f5, OU_PROP_RW).status, PTD_OK);
	CHECK_EQ(tb_map(&t, cb, tb_from_in_use(&t, 5 * PG).new_id, OU_PROP_RW).status, PTD_OK);
	CHECK_EQ(tb_map(&t, cb, tb_from_in_use(&t, 5 * PG).new_id, OU_PROP_RW).status, PTD_OK);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	CHECK_EQ(tb_slot(&t, 5)->rc, 3);
	CHECK_EQ(tb_jump(&t, cb, 0).status, PTD_OK);
	q = tb_query(&t, cb).new_id;
	CHECK_EQ(tb_slot(&t, 5)->rc, 4);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	CHECK_EQ(tb_map(&t, cb, f6, OU_PROP_RW).status, PTD_OK); /* replaces 5 at 0 in b */
	CHECK_EQ(tb_slot(&t, 5)->rc, 3);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	CHECK_EQ(tb_unmap(&t, cb, 0x1000).count, 1);            /* 0x1000 in b */
	CHECK_EQ(tb_slot(&t, 5)->rc, 2);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	CHECK_EQ(tb_drop_cursor(&t, ca).status, PTD_OK);
	CHECK_EQ(tb_drop_vs(&t, a).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);              /* only the queried handle */
	CHECK_EQ(ou_accounting_violations(&t), 0);
	CHECK_EQ(tb_frame_drop(&t, q).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_SLOT_LIVE(&t, 6, 1, PTD_USAGE_FRAME);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	tb_fini(&t);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(from_unused_claims_frame),
	      PTD_TEST_ENTRY(from_unused_error_order),
	      PTD_TEST_ENTRY(from_unused_reuses_freed_slots),
	      PTD_TEST_ENTRY(from_in_use_adds_reference),
	      PTD_TEST_ENTRY(from_in_use_error_order),
	      PTD_TEST_ENTRY(frame_drop_releases),
	      PTD_TEST_ENTRY(frame_drop_while_mapped),
	      PTD_TEST_ENTRY(accounting_invariant_holds_across_ops))
