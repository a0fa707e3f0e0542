/* SPDX-License-Identifier: MIT */
/*
 * NewVmSpace, DropVmSpace, OpenCursor(Mut) and DropCursor (POLICY §3), against hand-computed
 * slot states on the test machine (64 frames, pool = frames 32..63).
 */
#include "core_tb.h"

/* NewVmSpace takes the lowest pool slot for its root: rc 1, PageTable, position (vs, 0, 0). */
TEST(new_vm_space_allocates_root_in_lowest_pool_slot)
{
	struct tb t;
	struct ptd_result r;

	tb_init(&t, &ptd_core_backend);
	r = tb_new_vs(&t);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.new_id, 1);
	CHECK(slot_live(&t, TB_POOL_START, 1, PTD_USAGE_PAGE_TABLE));
	CHECK_EQ(tb_paths(&t, TB_POOL_START), 1);
	CHECK(tb_has_path(&t, TB_POOL_START, 1, 0, 0));
	CHECK_EQ(t.view.nvmspaces, 1);
	CHECK(vs_live(&t, 1));
	CHECK_EQ(tb_live_nodes(&t), 1);
	for (uint64_t i = 0; i < TB_NFRAMES; i++) {
		if (i != TB_POOL_START) {
			CHECK(slot_initial(&t, i));
		}
	}
	tb_fini(&t);
}

/* [0x1000, 0x3000) shares every entry down to level 1: L3, L2, L1 nodes in 33, 34, 35. */
TEST(open_cursor_small_range_allocates_down_to_level_1)
{
	struct tb t;
	struct ptd_result r;
	const struct ptd_cursor_view *c;

	tb_init(&t, &ptd_core_backend);
	(void)tb_new_vs(&t);
	r = tb_open(&t, 1, 0x1000, 0x3000, 0);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.new_id, 2);
	CHECK(slot_live(&t, 33, 1, PTD_USAGE_PAGE_TABLE));
	CHECK(slot_live(&t, 34, 1, PTD_USAGE_PAGE_TABLE));
	CHECK(slot_live(&t, 35, 1, PTD_USAGE_PAGE_TABLE));
	CHECK(tb_has_path(&t, 33, 1, 1, 0));
	CHECK(tb_has_path(&t, 34, 1, 2, 0));
	CHECK(tb_has_path(&t, 35, 1, 3, 0));
	CHECK_EQ(tb_live_nodes(&t), 4);
	c = tb_cursor(&t, 2);
	CHECK(c != NULL);
	if (c) {
		CHECK_EQ(c->vs, 1);
		CHECK_EQ(c->kind, PTD_CURSOR_READ_ONLY);
		CHECK_EQ(c->start, 0x1000);
		CHECK_EQ(c->end, 0x3000);
		CHECK_EQ(c->va, 0x1000);
	}
	CHECK_EQ(tb_core(&t)->cursors[2].guard_level, 1);
	tb_fini(&t);
}

/* Guard levels: [0, 4 MiB) stops at level 2 (L3, L2 allocated); a range crossing a 512 GiB
 * boundary stops at the root (nothing allocated); a range inside one 1 GiB stops at level 2
 * with the nodes based at its GiB and 512 GiB. */
TEST(open_cursor_guard_level_follows_range)
{
	struct tb t;
	struct ptd_result r;

	tb_init(&t, &ptd_core_backend);
	(void)tb_new_vs(&t);
	r = tb_open(&t, 1, 0, 4 * MIB, 1);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(tb_core(&t)->cursors[r.new_id].guard_level, 2);
	CHECK_EQ(tb_live_nodes(&t), 3);
	CHECK(tb_has_path(&t, 33, 1, 1, 0));
	CHECK(tb_has_path(&t, 34, 1, 2, 0));
	CHECK_EQ(tb_cursor(&t, r.new_id)->kind, PTD_CURSOR_MUTABLE);
	CHECK_EQ(tb_drop_cursor(&t, r.new_id).status, PTD_OK);
	/* Reopening reuses the existing nodes. */
	r = tb_open(&t, 1, 0x1000, 2 * MIB, 0);
	CHECK_EQ(tb_core(&t)->cursors[r.new_id].guard_level, 1);
	CHECK_EQ(tb_live_nodes(&t), 4);
	CHECK(tb_has_path(&t, 35, 1, 3, 0));
	CHECK_EQ(tb_drop_cursor(&t, r.new_id).status, PTD_OK);
	r = tb_open(&t, 1, 0, PTD_USER_END, 0);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(tb_core(&t)->cursors[r.new_id].guard_level, 4);
	CHECK_EQ(tb_live_nodes(&t), 4);
	CHECK_EQ(tb_drop_cursor(&t, r.new_id).status, PTD_OK);
	r = tb_open(&t, 1, 3 * 512 * GIB + 5 * GIB + 2 * MIB, 3 * 512 * GIB + 5 * GIB + 6 * MIB, 0);
	CHECK_EQ(tb_core(&t)->cursors[r.new_id].guard_level, 2);
	CHECK(tb_has_path(&t, 36, 1, 1, 3 * 512 * GIB));
	CHECK(tb_has_path(&t, 37, 1, 2, 3 * 512 * GIB + 5 * GIB));
	CHECK_EQ(tb_live_nodes(&t), 6);
	tb_fini(&t);
}

/* BAD_RANGE (empty, reversed, unaligned, past 2^47) comes before BUSY; nothing changes. */
TEST(open_cursor_errors_in_order)
{
	struct tb t;
	struct slot_snap before;
	ptd_id_t c;

	tb_init(&t, &ptd_core_backend);
	(void)tb_new_vs(&t);
	snap_take(&t, &before);
	CHECK_EQ(tb_open(&t, 1, 0x1000, 0x1000, 1).status, PTD_ERR_BAD_RANGE);
	CHECK_EQ(tb_open(&t, 1, 0x2000, 0x1000, 1).status, PTD_ERR_BAD_RANGE);
	CHECK_EQ(tb_open(&t, 1, 0x1001, 0x3000, 1).status, PTD_ERR_BAD_RANGE);
	CHECK_EQ(tb_open(&t, 1, 0x1000, 0x3001, 1).status, PTD_ERR_BAD_RANGE);
	CHECK_EQ(tb_open(&t, 1, 0, PTD_USER_END + PG, 1).status, PTD_ERR_BAD_RANGE);
	CHECK(snap_same(&t, &before));
	CHECK_EQ(t.view.ncursors, 0);
	c = tb_open(&t, 1, PTD_USER_END - PG, PTD_USER_END, 1).new_id; /* top page is allowed */
	CHECK(tb_cursor(&t, c) != NULL);
	snap_take(&t, &before);
	CHECK_EQ(tb_open(&t, 1, 0x1000, 0x1000, 0).status, PTD_ERR_BAD_RANGE);
	CHECK_EQ(tb_open(&t, 1, 0x1000, 0x2000, 0).status, PTD_ERR_BUSY);
	CHECK(snap_same(&t, &before));
	CHECK_EQ(t.view.ncursors, 1);
	/* Another space is not busy. */
	(void)tb_new_vs(&t);
	CHECK_EQ(tb_open(&t, t.next_id - 1, 0x1000, 0x2000, 0).status, PTD_OK);
	tb_fini(&t);
}

/* DropCursor unregisters and frees the space for a new cursor; slots unchanged. */
TEST(drop_cursor_changes_no_slot)
{
	struct tb t;
	struct slot_snap before;
	ptd_id_t vs, c;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0x1000, 0x3000);
	snap_take(&t, &before);
	CHECK_EQ(tb_drop_cursor(&t, c).status, PTD_OK);
	CHECK(snap_same(&t, &before));
	CHECK_EQ(t.view.ncursors, 0);
	CHECK_EQ(tb_open(&t, vs, 0x1000, 0x2000, 1).status, PTD_OK);
	tb_fini(&t);
}

/* DropVmSpace with a live cursor is BUSY and changes nothing. */
TEST(drop_vm_space_busy_with_live_cursor)
{
	struct tb t;
	struct slot_snap before;
	ptd_id_t vs, c;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0x1000, 0x3000);
	CHECK_EQ(map_new(&t, c, 0x5000, prop_of(0, 0)).status, PTD_OK);
	snap_take(&t, &before);
	CHECK_EQ(tb_drop_vs(&t, vs).status, PTD_ERR_BUSY);
	CHECK(snap_same(&t, &before));
	CHECK(vs_live(&t, vs));
	CHECK(tb_mapping(&t, vs, 0x1000) != NULL);
	tb_fini(&t);
}

/* DropVmSpace releases one reference per mapping and frees every node (usage kept); another
 * space's nodes and mappings are untouched. */
TEST(drop_vm_space_releases_mappings_and_frees_nodes)
{
	struct tb t;
	ptd_id_t vs, c, vs2, c2, h;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0, 4 * MIB);            /* root 32, L3 33, L2 34 */
	CHECK_EQ(map_new(&t, c, 0x5000, prop_of(0, 0)).status, PTD_OK); /* L1 35; slot 5 rc 1 */
	CHECK_EQ(map_new(&t, c, 0x6000, prop_of(0, 0)).status, PTD_OK); /* slot 6 */
	h = tb_from_in_use(&t, 0x6000).new_id;        /* slot 6 rc 2: handle + PTE */
	CHECK_EQ(map_new(&t, c, 0x7000, prop_of(0, 0)).status, PTD_OK); /* slot 7 at 0x2000 */
	CHECK_EQ(tb_map(&t, c, tb_from_in_use(&t, 0x7000).new_id, prop_of(0, 0)).status,
		 PTD_OK);                                /* slot 7 mapped twice, rc 2 */
	CHECK_EQ(tb_map_iomem(&t, c, TB_IOMEM_BASE, prop_of(0, 0)).status, PTD_OK);
	c2 = open_new(&t, &vs2, 0x1000, 0x2000);       /* root 36, 37, 38, 39 */
	CHECK_EQ(tb_map(&t, c2, tb_from_in_use(&t, 0x5000).new_id, prop_of(0, 0)).status, PTD_OK);
	CHECK(slot_live(&t, 5, 2, PTD_USAGE_FRAME));
	CHECK(slot_live(&t, 7, 2, PTD_USAGE_FRAME));
	CHECK_EQ(tb_live_nodes(&t), 8);

	CHECK_EQ(tb_drop_cursor(&t, c).status, PTD_OK);
	CHECK_EQ(tb_drop_vs(&t, vs).status, PTD_OK);
	CHECK(!vs_live(&t, vs));
	CHECK(slot_live(&t, 5, 1, PTD_USAGE_FRAME)); /* still mapped in vs2 */
	CHECK_EQ(tb_paths(&t, 5), 1);
	CHECK(tb_has_path(&t, 5, vs2, 4, 0x1000));
	CHECK(slot_live(&t, 6, 1, PTD_USAGE_FRAME)); /* the handle's reference */
	CHECK_EQ(tb_paths(&t, 6), 0);
	CHECK(frame_live(&t, h, 0x6000));
	CHECK(slot_torn_down(&t, 7, PTD_USAGE_FRAME));
	for (uint64_t i = 32; i < 36; i++) {
		CHECK(slot_torn_down(&t, i, PTD_USAGE_PAGE_TABLE));
	}
	for (uint64_t i = 36; i < 40; i++) {
		CHECK(slot_live(&t, i, 1, PTD_USAGE_PAGE_TABLE));
	}
	CHECK_EQ(t.view.nmaps, 1);
	tb_fini(&t);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(new_vm_space_allocates_root_in_lowest_pool_slot),
	      PTD_TEST_ENTRY(open_cursor_small_range_allocates_down_to_level_1),
	      PTD_TEST_ENTRY(open_cursor_guard_level_follows_range),
	      PTD_TEST_ENTRY(open_cursor_errors_in_order),
	      PTD_TEST_ENTRY(drop_cursor_changes_no_slot),
	      PTD_TEST_ENTRY(drop_vm_space_busy_with_live_cursor),
	      PTD_TEST_ENTRY(drop_vm_space_releases_mappings_and_frees_nodes))
