/* SPDX-License-Identifier: MIT */
/*
 * Reset, destroy and the view, on either side (include/ptdiff/backend.h): reset returns to the
 * initial state and the same ops then give the same view (no state leaks across inputs);
 * destroy frees a busy backend (LeakSanitizer checks it in the ASan build); the view lists one
 * path per node and per mapping of a frame, across spaces; arrays too small for the state set
 * overflow (what a short list then holds is each side's own: tests/core/test_reset_view.c,
 * tests/oracle/test_reset.c).  Against hand-computed states on the 64-frame test machine
 * (pool = frames 32..63).
 */
#include "bt.h"

/*
 * A script touching every kind of state a cursor op can leave: nodes, one of them freed again;
 * tracked and I/O mappings; Frame handles, one from a Query; a second space and cursor, both
 * dropped; pool slots claimed as Frames; a space with no cursor.  Ids restart at 1, so two
 * runs are comparable.
 */
static void busy_script(struct tb *t)
{
	ptd_id_t vs, c, vs2, c2, h;

	t->next_id = 1;
	c = bt_open_new(t, &vs, 0, 8 * MIB);
	CHECK_EQ(vs, 1);
	CHECK_NODE(t, TB_POOL_START, 1, 0, 0);
	bt_map_slot(t, c, 0, 5, PROP_RW);
	bt_map_slot(t, c, PG, 6, (struct ptd_prop){ .flags = 0, .cache = PTD_CACHE_WT });
	CHECK_EQ(tb_map_iomem(t, c, TB_IOMEM_BASE, PROP_RO).status, PTD_OK);
	bt_map_slot(t, c, 2 * MIB, 7, PROP_RO);
	CHECK_EQ(tb_jump(t, c, 2 * MIB).status, PTD_OK);
	CHECK_EQ(tb_unmap(t, c, 2 * MIB).count, 1); /* frees a level-1 node */
	h = tb_from_in_use(t, 5 * PG).new_id;
	CHECK(h != 0);
	CHECK_EQ(tb_jump(t, c, 0).status, PTD_OK);
	CHECK_EQ(tb_query(t, c).status, PTD_OK);
	c2 = bt_open_new(t, &vs2, 0x1000, 0x2000);
	CHECK_EQ(tb_map(t, c2, h, PROP_RO).status, PTD_OK);
	(void)bt_frame(t, 40);
	(void)bt_frame(t, 9);
	CHECK_EQ(tb_drop_cursor(t, c2).status, PTD_OK);
	CHECK_EQ(tb_drop_vs(t, vs2).status, PTD_OK);
	CHECK_EQ(tb_new_vs(t).status, PTD_OK);
}

/* After reset the view is the initial one (every slot UNUSED/Unused, usage forgotten too; no
 * handles; the whole pool free); the same ops with the same ids then give the same view (nodes
 * land in the same slots). */
TEST(reset_returns_to_initial_state_and_replays_identically)
{
	struct tb t;
	struct tb_snap first;

	bt_init(&t);
	busy_script(&t);
	CHECK_EQ(t.view.nmaps, 3);
	CHECK_EQ(t.view.nvmspaces, 2);
	CHECK_EQ(t.view.ncursors, 1);
	CHECK_EQ(t.view.nframes, 3);
	first = tb_snap_take(&t);
	t.be->reset(t.self);
	tb_refresh(&t);
	CHECK_EQ(t.view.overflow, 0);
	bt_check_empty(&t);
	CHECK_POOL_FREE(&t, TB_NFRAMES - TB_POOL_START);
	busy_script(&t);
	CHECK(tb_snap_same(&t, &first));
	tb_snap_free(&first);
	tb_fini(&t);
}

/* Destroy without reset frees everything (LeakSanitizer in the ASan build). */
TEST(destroy_busy_backend)
{
	struct tb t;

	bt_init(&t);
	busy_script(&t);
	CHECK(t.view.nmaps > 0);
	tb_fini(&t);
}

/* The view lists every node at (vs, 4 - level, base) and every mapping of a frame at
 * (vs, 4, va): a frame mapped twice in one space and once in another has three paths, and an
 * I/O leaf has none but is a mapping. */
TEST(view_lists_a_path_per_node_and_mapping)
{
	struct tb t;
	ptd_id_t vs, c, vs2, c2;

	c = bt_start(&t, &vs, 0x1000, 0x3000, 1);   /* 32..35 */
	c2 = bt_open_new(&t, &vs2, 0x1000, 0x3000); /* 36..39 */
	bt_map_slot(&t, c, 0x1000, 5, PROP_RO);
	CHECK_EQ(tb_map(&t, c, tb_from_in_use(&t, 5 * PG).new_id, PROP_RO).status, PTD_OK);
	CHECK_EQ(tb_map(&t, c2, tb_from_in_use(&t, 5 * PG).new_id, PROP_RO).status, PTD_OK);
	CHECK_EQ(tb_map_iomem(&t, c2, TB_IOMEM_BASE, PROP_RO).status, PTD_OK);
	CHECK_EQ(t.view.npaths, 8 + 3);
	CHECK_EQ(tb_paths(&t, 5), 3);
	CHECK(tb_has_path(&t, 5, vs, 4, 0x1000));
	CHECK(tb_has_path(&t, 5, vs, 4, 0x2000));
	CHECK(tb_has_path(&t, 5, vs2, 4, 0x1000));
	CHECK_NODE(&t, 36, vs2, 0, 0);
	CHECK_NODE(&t, 39, vs2, 3, 0);
	CHECK_SLOT_LIVE(&t, 5, 3, PTD_USAGE_FRAME);
	CHECK_EQ(t.view.nmaps, 4);
	CHECK_EQ(tb_mapping(&t, vs2, 0x2000)->tracked, 0);
	CHECK_EQ(t.view.ncursors, 2);
	tb_fini(&t);
}

/* Arrays too small for the state set overflow; with room for everything it is clear and the
 * counts are the state's; a slots[] whose length is not the machine's sets it too. */
TEST(view_reports_overflow)
{
	struct tb t;
	struct ptd_view v;
	struct ptd_slot_view slots[TB_NFRAMES];
	struct ptd_path_view paths[8];
	struct ptd_mapping_view maps[2];
	ptd_id_t ids[1];
	struct ptd_cursor_view cursors[1];
	struct ptd_frame_view frames[1];
	ptd_id_t vs;

	bt_open_mapped(&t, &vs, 0x1000, 0x3000, 0x1000, 5, PROP_RO);
	CHECK_EQ(t.view.overflow, 0);
	v = (struct ptd_view){ .nslots = TB_NFRAMES,
			       .slots = slots,
			       .paths = paths,
			       .paths_cap = 2,
			       .maps = maps,
			       .maps_cap = 1,
			       .vmspaces = ids,
			       .vmspaces_cap = 1,
			       .cursors = cursors,
			       .cursors_cap = 1,
			       .frames = frames,
			       .frames_cap = 1 };
	t.be->view(t.self, &v);
	CHECK_EQ(v.overflow, 1);
	/* Room for everything: 4 nodes + 1 leaf path, 1 mapping. */
	v.overflow = 0;
	v.paths_cap = 8;
	v.maps_cap = 2;
	t.be->view(t.self, &v);
	CHECK_EQ(v.overflow, 0);
	CHECK_EQ(v.npaths, 5);
	CHECK_EQ(v.nmaps, 1);
	CHECK_EQ(v.nvmspaces, 1);
	CHECK_EQ(v.ncursors, 1);
	CHECK_EQ(v.nframes, 0);
	v.nslots = TB_NFRAMES - 1; /* slots[] must have exactly nframes entries */
	t.be->view(t.self, &v);
	CHECK_EQ(v.overflow, 1);
	tb_fini(&t);
}

PTD_BACKEND_TEST_MAIN(PTD_TEST_ENTRY(reset_returns_to_initial_state_and_replays_identically),
		      PTD_TEST_ENTRY(destroy_busy_backend),
		      PTD_TEST_ENTRY(view_lists_a_path_per_node_and_mapping),
		      PTD_TEST_ENTRY(view_reports_overflow))
