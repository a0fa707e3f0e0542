/* SPDX-License-Identifier: MIT */
/*
 * TakeNext on either side (docs/POLICY.md §3 TakeNext), against hand-computed results on the
 * 64-frame test machine (pool = frames 32..63): it takes the first fragment of [va, va + len) (a
 * mapped page with its item, or a node lying wholly inside the range as a stray sub-tree with
 * its num_frames), drops it as Unmap would, and moves past it; a loop of TakeNext over a range
 * leaves what one Unmap of it leaves.
 */
#include "bt.h"

/* A result of TakeNext: status OK, found, the fragment's range; the item's fields checked
 * apart. */
#define CHECK_RANGE(r_expr, want_found, want_va, want_end) \
	do {                                               \
		struct ptd_result q_ = (r_expr);           \
		CHECK_EQ(q_.status, PTD_OK);               \
		CHECK_EQ(q_.found, (want_found));          \
		CHECK_EQ(q_.va, (want_va));                \
		CHECK_EQ(q_.va_end, (want_end));           \
	} while (0)

/* Mapped pages come back one at a time, in address order, with their item (a tracked frame or
 * I/O memory), each dropped as Unmap drops it: the frame whose last reference was the PTE is
 * torn down.  The cursor moves past each; with nothing left it ends at exactly va + len. */
TEST(take_next_mapped_pages_in_order)
{
	const struct ptd_prop wx_wt = { .flags = PTD_PF_W | PTD_PF_X, .cache = PTD_CACHE_WT };
	const struct ptd_prop w_uc = { .flags = PTD_PF_W, .cache = PTD_CACHE_UC };
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	struct ptd_result r;

	bt_map_slot(t, e.c, 0, 5, PROP_RW);
	bt_map_slot(t, e.c, 0x2000, 6, wx_wt);
	CHECK_EQ(tb_map_iomem(t, e.c, TB_IOMEM_BASE, w_uc).status, PTD_OK); /* at 0x3000 */
	CHECK_EQ(tb_jump(t, e.c, 0).status, PTD_OK);

	r = tb_take_next(t, e.c, PG);
	CHECK_RANGE(r, PTD_FRAG_MAPPED, 0, PG);
	CHECK_EQ(r.paddr, 5 * PG);
	CHECK_EQ(r.tracked, 1);
	CHECK_EQ(r.prop.flags, PROP_RW.flags);
	CHECK_EQ(r.prop.cache, PROP_RW.cache);
	CHECK(!r.count && !r.new_id);
	CHECK_SLOT_FREE(t, 5, PTD_USAGE_FRAME);
	CHECK(tb_mapping(t, e.vs, 0) == NULL);
	CHECK_EQ(tb_cursor(t, e.c)->va, PG);

	r = tb_take_next(t, e.c, 64 * KIB - PG); /* 0x1000 is absent: skipped */
	CHECK_RANGE(r, PTD_FRAG_MAPPED, 0x2000, 0x3000);
	CHECK_EQ(r.paddr, 6 * PG);
	CHECK_EQ(r.prop.flags, wx_wt.flags);
	CHECK_EQ(r.prop.cache, wx_wt.cache);
	CHECK_EQ(tb_cursor(t, e.c)->va, 0x3000);

	r = tb_take_next(t, e.c, PG);
	CHECK_RANGE(r, PTD_FRAG_MAPPED, 0x3000, 0x4000);
	CHECK_EQ(r.paddr, TB_IOMEM_BASE);
	CHECK_EQ(r.tracked, 0);
	CHECK_EQ(r.prop.cache, PTD_CACHE_UC);
	CHECK_EQ(t->view.nmaps, 0);

	CHECK_EQ(tb_jump(t, e.c, 0).status, PTD_OK);
	r = tb_take_next(t, e.c, 0x6000);
	CHECK_ONLY_STATUS(r, PTD_OK); /* none */
	CHECK_EQ(tb_cursor(t, e.c)->va, 0x6000);
	CHECK_NODE(t, 35, e.vs, 3, 0); /* the guard node stays */
	CHECK_EQ(tb_accounting_violations(t), 0);
	tb_fini(t);
}

/* A node lying wholly inside the range is taken whole, empty or not: the stray sub-tree's top
 * node, its range and num_frames (every mapping in it, I/O ones included); its nodes are freed
 * and its frames released.  A node the range only enters is searched instead. */
TEST(take_next_stray_subtree)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t vs, c;

	c = bt_start(&t, &vs, 0, 4 * MIB, 1);   /* guard: level 2 at 34 */
	bt_map_slot(&t, c, 0x1000, 5, PROP_RW); /* level-1 node at 35 */
	CHECK_EQ(tb_map_iomem(&t, c, TB_IOMEM_BASE, PROP_RO).status, PTD_OK);

	/* [0x1000, 4 MiB) only enters the level-1 node: its pages come back. */
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	r = tb_take_next(&t, c, 4 * MIB - 0x1000);
	CHECK_RANGE(r, PTD_FRAG_MAPPED, 0x1000, 0x2000);
	CHECK_NODE(&t, 35, vs, 3, 0);

	/* [0, 4 MiB) holds it whole. */
	bt_map_slot(&t, c, 0x1000, 5, PROP_RW);
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	r = tb_take_next(&t, c, 4 * MIB);
	CHECK_RANGE(r, PTD_FRAG_STRAY, 0, 2 * MIB);
	CHECK_EQ(r.paddr, 35 * PG);
	CHECK_EQ(r.count, 2);
	CHECK(!r.tracked && !r.prop.flags && !r.prop.cache && !r.new_id);
	CHECK_SLOT_FREE(&t, 35, PTD_USAGE_PAGE_TABLE);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_EQ(t.view.nmaps, 0);
	CHECK_EQ(tb_cursor(&t, c)->va, 2 * MIB);
	CHECK_NODE(&t, 34, vs, 2, 0);

	/* An empty level-1 node is a fragment too: num_frames 0. */
	bt_map_slot(&t, c, 2 * MIB, 6, PROP_RW); /* level-1 node over [2, 4) MiB at 35 */
	CHECK_EQ(tb_jump(&t, c, 2 * MIB).status, PTD_OK);
	CHECK_RANGE(tb_take_next(&t, c, PG), PTD_FRAG_MAPPED, 2 * MIB, 2 * MIB + PG);
	CHECK_NODE(&t, 35, vs, 3, 2 * MIB);
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	r = tb_take_next(&t, c, 4 * MIB);
	CHECK_RANGE(r, PTD_FRAG_STRAY, 2 * MIB, 4 * MIB);
	CHECK_EQ(r.paddr, 35 * PG);
	CHECK_EQ(r.count, 0);
	CHECK_SLOT_FREE(&t, 35, PTD_USAGE_PAGE_TABLE);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* The widest node at the lowest address: over [0, 2 GiB) (guard level 3 at 33) a level-2 node
 * whose level-1 child holds two pages comes back whole, with both frames. */
TEST(take_next_takes_the_highest_node)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t vs, c;

	c = bt_start(&t, &vs, 0, 2 * GIB, 1);
	bt_map_slot(&t, c, 0, 5, PROP_RW); /* level 2 at 34, level 1 at 35 */
	bt_map_slot(&t, c, PG, 6, PROP_RW);
	CHECK_NODE(&t, 34, vs, 2, 0);
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	r = tb_take_next(&t, c, 2 * GIB);
	CHECK_RANGE(r, PTD_FRAG_STRAY, 0, GIB);
	CHECK_EQ(r.paddr, 34 * PG);
	CHECK_EQ(r.count, 2);
	CHECK_SLOT_FREE(&t, 34, PTD_USAGE_PAGE_TABLE);
	CHECK_SLOT_FREE(&t, 35, PTD_USAGE_PAGE_TABLE);
	CHECK_EQ(tb_cursor(&t, c)->va, GIB);
	tb_fini(&t);
}

/* The guard node is never taken, even when the range covers its whole span; refusals change
 * nothing: a read-only cursor, a length unaligned or past the range (OSTD panics). */
TEST(take_next_guard_kept_and_refusals)
{
	struct tb t;
	ptd_id_t vs, c, ro;

	c = bt_start(&t, &vs, 0, 2 * MIB, 1); /* guard: the level-1 node at 35 */
	CHECK_ONLY_STATUS(tb_take_next(&t, c, 2 * MIB), PTD_OK);
	CHECK_NODE(&t, 35, vs, 3, 0);
	CHECK_EQ(tb_cursor(&t, c)->va, 2 * MIB);
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	CHECK_REFUSED(&t, tb_take_next(&t, c, PG + 1), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_take_next(&t, c, 2 * MIB + PG), PTD_ERR_WOULD_PANIC);
	CHECK_EQ(tb_drop_cursor(&t, c).status, PTD_OK);
	ro = tb_open(&t, vs, 0, PG, 0).new_id;
	CHECK_REFUSED(&t, tb_take_next(&t, ro, PG), PTD_ERR_READ_ONLY);
	tb_fini(&t);
}

/* Unmap and TakeNext until none (VmSpace::unmap's loop) leave the same state: every mapping of
 * the range gone, every node wholly inside it freed, the cursor at its end; the fragments'
 * num_frames and mapped pages add up to Unmap's count. */
TEST(take_next_loop_equals_unmap)
{
	struct tb a, b;
	struct tb *both[2] = { &a, &b };
	struct tb_snap after_unmap;
	uint64_t count = 0;
	ptd_id_t vs, c = 0;

	for (int i = 0; i < 2; i++) {
		struct tb *t = both[i];

		bt_init(t);
		c = bt_open_new(t, &vs, 0, 8 * MIB); /* guard level 2 */
		bt_map_slot(t, c, PG, 5, PROP_RW);
		bt_map_slot(t, c, 2 * MIB, 6, PROP_RW);
		bt_map_slot(t, c, 2 * MIB + PG, 7, PROP_RW);
		bt_map_slot(t, c, 4 * MIB, 8, PROP_RW);
		bt_map_slot(t, c, 7 * MIB, 9, PROP_RW);
		CHECK_EQ(tb_jump(t, c, PG).status, PTD_OK);
	}
	CHECK_EQ(tb_unmap(&a, c, 6 * MIB).count, 4);
	after_unmap = tb_snap_take(&a);
	for (;;) {
		struct ptd_result r = tb_take_next(&b, c, PG + 6 * MIB - tb_cursor(&b, c)->va);

		CHECK_EQ(r.status, PTD_OK);
		if (!r.found || r.status != PTD_OK)
			break;
		count += r.found == PTD_FRAG_STRAY ? r.count : 1;
	}
	CHECK_EQ(count, 4);
	CHECK(tb_snap_same(&b, &after_unmap));
	CHECK(tb_mapping(&b, vs, 7 * MIB) != NULL);
	tb_snap_free(&after_unmap);
	tb_fini(&a);
	tb_fini(&b);
}

PTD_BACKEND_TEST_MAIN(PTD_TEST_ENTRY(take_next_mapped_pages_in_order),
		      PTD_TEST_ENTRY(take_next_stray_subtree),
		      PTD_TEST_ENTRY(take_next_takes_the_highest_node),
		      PTD_TEST_ENTRY(take_next_guard_kept_and_refusals),
		      PTD_TEST_ENTRY(take_next_loop_equals_unmap))
