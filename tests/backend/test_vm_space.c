/* SPDX-License-Identifier: MIT */
/*
 * The initial state, NewVmSpace, DropVmSpace, OpenCursor(Mut) and DropCursor, on either side
 * (docs/POLICY.md §1, §2 and §3), against hand-computed slot states on the 64-frame test
 * machine (pool = frames 32..63): node allocation lowest pool slot first and top-down, the
 * nodes a cursor's range needs, every refusal changing nothing, and what dropping a space
 * releases.
 */
#include "bt.h"

/* §1: every slot UNUSED/Unused, nothing initialised, no paths; nothing registered. */
TEST(initial_state_is_empty)
{
	struct tb t;

	bt_init(&t);
	bt_check_empty(&t);
	tb_fini(&t);
}

/* NewVmSpace's root takes the lowest UNUSED pool slot: rc 1, usage PageTable, the one
 * path (vs, 0, 0); no other slot changes; the next space takes the next slot. */
TEST(new_vm_space_takes_lowest_pool_slot)
{
	struct tb t;

	bt_init(&t);
	CHECK_CREATED(tb_new_vs(&t), 1);
	CHECK_NODE(&t, TB_POOL_START, 1, 0, 0);
	CHECK_EQ(t.view.npaths, 1);
	CHECK(tb_has_vs(&t, 1));
	CHECK_EQ(t.view.nvmspaces, 1);
	CHECK_EQ(tb_live_nodes(&t), 1);
	for (uint64_t i = 0; i < TB_NFRAMES; i++)
		if (i != TB_POOL_START)
			CHECK_SLOT_FREE(&t, i, PTD_USAGE_UNUSED);
	CHECK_CREATED(tb_new_vs(&t), 2);
	CHECK_NODE(&t, TB_POOL_START + 1, 2, 0, 0);
	CHECK_EQ(t.view.nvmspaces, 2);
	tb_fini(&t);
}

/* Node allocation looks at rc only: a pool slot claimed as a data frame is skipped; once torn
 * down it is the lowest free slot again, whatever its old usage (Frame). */
TEST(new_vm_space_skips_pool_slot_claimed_as_frame)
{
	struct tb t;
	ptd_id_t f;

	bt_init(&t);
	f = bt_frame(&t, TB_POOL_START);
	CHECK_EQ(tb_new_vs(&t).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, TB_POOL_START, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_paths(&t, TB_POOL_START), 0);
	CHECK_NODE(&t, TB_POOL_START + 1, 2, 0, 0);
	CHECK_EQ(tb_frame_drop(&t, f).status, PTD_OK);
	CHECK_SLOT_FREE(&t, TB_POOL_START, PTD_USAGE_FRAME);
	CHECK_CREATED(tb_new_vs(&t), 3);
	CHECK_NODE(&t, TB_POOL_START, 3, 0, 0);
	CHECK_CREATED(tb_new_vs(&t), 4);
	CHECK_NODE(&t, TB_POOL_START + 2, 4, 0, 0);
	tb_fini(&t);
}

/* Freed node slots (usage PageTable kept) are reused lowest first, before untouched ones. */
TEST(new_vm_space_reuses_freed_node_slots_lowest_first)
{
	struct tb t;
	ptd_id_t a, b;

	bt_init(&t);
	a = tb_new_vs(&t).new_id; /* 32 */
	b = tb_new_vs(&t).new_id; /* 33 */
	(void)tb_new_vs(&t);      /* 34 */
	CHECK_EQ(tb_drop_vs(&t, b).status, PTD_OK);
	CHECK_EQ(tb_drop_vs(&t, a).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 32, PTD_USAGE_PAGE_TABLE);
	CHECK_SLOT_FREE(&t, 33, PTD_USAGE_PAGE_TABLE);
	CHECK_EQ(tb_new_vs(&t).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 32, 1, PTD_USAGE_PAGE_TABLE);
	CHECK_EQ(tb_new_vs(&t).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 33, 1, PTD_USAGE_PAGE_TABLE);
	CHECK_EQ(tb_new_vs(&t).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 35, 1, PTD_USAGE_PAGE_TABLE);
	tb_fini(&t);
}

/* [0x1000, 0x3000) shares every entry down to level 1: L3, L2, L1 nodes in 33, 34, 35, each
 * with its one path; the cursor is registered with its range, kind and position. */
TEST(open_cursor_small_range_allocates_down_to_level_1)
{
	struct tb t;
	const struct ptd_cursor_view *c;

	bt_init(&t);
	(void)tb_new_vs(&t);
	CHECK_CREATED(tb_open(&t, 1, 0x1000, 0x3000, 0), 2);
	CHECK_NODE(&t, 33, 1, 1, 0);
	CHECK_NODE(&t, 34, 1, 2, 0);
	CHECK_NODE(&t, 35, 1, 3, 0);
	CHECK_SLOT_FREE(&t, 36, PTD_USAGE_UNUSED);
	CHECK_EQ(tb_live_nodes(&t), 4);
	CHECK_EQ(t.view.npaths, 4);
	c = tb_cursor(&t, 2);
	CHECK(c != NULL);
	if (c) {
		CHECK_EQ(c->vs, 1);
		CHECK_EQ(c->kind, PTD_CURSOR_READ_ONLY);
		CHECK_EQ(c->start, 0x1000);
		CHECK_EQ(c->end, 0x3000);
		CHECK_EQ(c->va, 0x1000);
	}
	tb_fini(&t);
}

/* The nodes a range needs: [0, 4 MiB) stops at level 2 (L3, L2 allocated); a smaller range
 * reuses them and adds the L1; a range crossing a 512 GiB boundary allocates nothing; a range
 * inside one 1 GiB allocates the nodes based at its GiB and 512 GiB. */
TEST(open_cursor_nodes_follow_range)
{
	struct tb t;
	struct ptd_result r;
	const uint64_t far = 3 * 512 * GIB + 5 * GIB;

	bt_init(&t);
	(void)tb_new_vs(&t);
	r = tb_open(&t, 1, 0, 4 * MIB, 1);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(tb_live_nodes(&t), 3);
	CHECK_NODE(&t, 33, 1, 1, 0);
	CHECK_NODE(&t, 34, 1, 2, 0);
	CHECK_SLOT_FREE(&t, 35, PTD_USAGE_UNUSED);
	CHECK_EQ(tb_cursor(&t, r.new_id)->kind, PTD_CURSOR_MUTABLE);
	CHECK_EQ(tb_drop_cursor(&t, r.new_id).status, PTD_OK);
	r = tb_open(&t, 1, 0x1000, 2 * MIB, 0);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(tb_live_nodes(&t), 4);
	CHECK_NODE(&t, 35, 1, 3, 0);
	CHECK_EQ(tb_drop_cursor(&t, r.new_id).status, PTD_OK);
	r = tb_open(&t, 1, 0, PTD_USER_END, 0);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(tb_live_nodes(&t), 4);
	CHECK_EQ(tb_drop_cursor(&t, r.new_id).status, PTD_OK);
	r = tb_open(&t, 1, far + 2 * MIB, far + 6 * MIB, 0);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_NODE(&t, 36, 1, 1, 3 * 512 * GIB);
	CHECK_NODE(&t, 37, 1, 2, far);
	CHECK_EQ(tb_live_nodes(&t), 6);
	tb_fini(&t);
}

/* On a fresh space: a range across two root entries needs no node (guard: the root), nor does
 * the whole user range [0, 2^47); one across two level-3 entries needs the L3 node only. */
TEST(open_cursor_allocates_only_above_the_split)
{
	struct tb t;

	bt_init(&t);
	(void)tb_new_vs(&t);
	CHECK_EQ(tb_open(&t, 1, 512 * GIB - PG, 512 * GIB + PG, 0).status, PTD_OK);
	CHECK_EQ(tb_live_nodes(&t), 1);
	CHECK_EQ(t.view.npaths, 1);
	(void)tb_new_vs(&t);
	CHECK_EQ(tb_open(&t, 3, 0, PTD_USER_END, 1).status, PTD_OK);
	CHECK_EQ(tb_live_nodes(&t), 2);
	(void)tb_new_vs(&t);
	CHECK_EQ(tb_open(&t, 5, GIB - PG, GIB + PG, 0).status, PTD_OK);
	CHECK_NODE(&t, 35, 5, 1, 0);
	CHECK_EQ(tb_live_nodes(&t), 4);
	tb_fini(&t);
}

/* Node bases are aligned down from start: a range inside the second GiB of the second 512 GiB
 * gets its L3, L2, L1 at 512 GiB, 513 GiB and 513 GiB + 2 MiB; the top page [2^47 - 4 KiB,
 * 2^47) (root index 255) its nodes at the bases below it. */
TEST(open_cursor_nodes_at_aligned_bases)
{
	const uint64_t start = 512 * GIB + GIB + 2 * MIB + 0x5000;
	const uint64_t top = PTD_USER_END - PG;
	struct tb t;

	bt_init(&t);
	(void)tb_new_vs(&t);
	CHECK_EQ(tb_open(&t, 1, start, start + 0x2000, 0).status, PTD_OK);
	CHECK_NODE(&t, 33, 1, 1, 512 * GIB);
	CHECK_NODE(&t, 34, 1, 2, 512 * GIB + GIB);
	CHECK_NODE(&t, 35, 1, 3, 512 * GIB + GIB + 2 * MIB);
	(void)tb_new_vs(&t);
	CHECK_EQ(tb_open(&t, 3, top, PTD_USER_END, 1).status, PTD_OK);
	CHECK_NODE(&t, 37, 3, 1, top - top % (512 * GIB));
	CHECK_NODE(&t, 38, 3, 2, top - top % GIB);
	CHECK_NODE(&t, 39, 3, 3, top - top % (2 * MIB));
	tb_fini(&t);
}

/* BAD_RANGE (empty, reversed, unaligned, past 2^47) comes before BUSY (a node the open must
 * lock is held by a live cursor of the space); each refusal changes nothing; the top page is
 * allowed; another space is not busy. */
TEST(open_cursor_errors_in_order)
{
	struct tb t;
	ptd_id_t c;

	bt_init(&t);
	(void)tb_new_vs(&t);
	CHECK_REFUSED(&t, tb_open(&t, 1, 0x1000, 0x1000, 1), PTD_ERR_BAD_RANGE);
	CHECK_REFUSED(&t, tb_open(&t, 1, 0x2000, 0x1000, 1), PTD_ERR_BAD_RANGE);
	CHECK_REFUSED(&t, tb_open(&t, 1, 0x1001, 0x3000, 1), PTD_ERR_BAD_RANGE);
	CHECK_REFUSED(&t, tb_open(&t, 1, 0x1000, 0x3001, 1), PTD_ERR_BAD_RANGE);
	CHECK_REFUSED(&t, tb_open(&t, 1, 0, PTD_USER_END + PG, 1), PTD_ERR_BAD_RANGE);
	CHECK_REFUSED(&t, tb_open(&t, 1, PTD_USER_END, PTD_USER_END + PG, 0), PTD_ERR_BAD_RANGE);
	CHECK_REFUSED(&t, tb_open(&t, 1, 0x1000, 0, 0), PTD_ERR_BAD_RANGE); /* end 0 */
	CHECK_EQ(t.view.ncursors, 0);
	c = tb_open(&t, 1, PTD_USER_END - PG, PTD_USER_END, 1).new_id;
	CHECK(tb_cursor(&t, c) != NULL);
	CHECK_REFUSED(&t, tb_open(&t, 1, PTD_USER_END - PG, PTD_USER_END - PG, 0),
		      PTD_ERR_BAD_RANGE);
	CHECK_REFUSED(&t, tb_open(&t, 1, PTD_USER_END - PG, PTD_USER_END, 0), PTD_ERR_BUSY);
	CHECK_EQ(t.view.ncursors, 1);
	(void)tb_new_vs(&t);
	CHECK_EQ(tb_open(&t, t.next_id - 1, PTD_USER_END - PG, PTD_USER_END, 0).status, PTD_OK);
	tb_fini(&t);
}

/*
 * Several cursors per space (docs/POLICY.md "Several cursors", OSTD locking.rs): an open is
 * refused with BUSY exactly when a node it must lock is held by a live cursor of the space.
 * A cursor holds its guard node (the lowest node covering its range) and every existing node
 * below the guard that meets its range; an open needs, when a node on its way down is
 * missing, the node holding the absent entry, else its guard and the existing nodes below it
 * that meet its range.
 */
TEST(open_cursor_lock_conflicts)
{
	struct tb t;
	ptd_id_t vs, a, b, c;

	bt_init(&t);
	vs = tb_new_vs(&t).new_id;
	/* A holds the level-1 node of [0, 2 MiB). */
	a = tb_open(&t, vs, 0, PG, 1).new_id;
	CHECK_EQ(tb_live_nodes(&t), 4);
	/* Overlapping, and disjoint but with the same guard: both need that node. */
	CHECK_REFUSED(&t, tb_open(&t, vs, 0, 2 * PG, 0), PTD_ERR_BUSY);
	CHECK_REFUSED(&t, tb_open(&t, vs, 8 * PG, 9 * PG, 1), PTD_ERR_BUSY);
	/* [0, 4 MiB) has the level-2 guard, free, but must lock A's node below it. */
	CHECK_REFUSED(&t, tb_open(&t, vs, 0, 4 * MIB, 1), PTD_ERR_BUSY);
	/* [2 MiB, 2 MiB + 4 KiB): creating its level-1 node locks the level-2 node, free. */
	b = tb_open(&t, vs, 2 * MIB, 2 * MIB + PG, 1).new_id;
	CHECK(tb_cursor(&t, b) != NULL);
	CHECK_EQ(tb_live_nodes(&t), 5);
	/* Another gigabyte: its path parts from A's and B's at the level-3 node, which nobody holds. */
	c = tb_open(&t, vs, GIB, GIB + PG, 0).new_id;
	CHECK(tb_cursor(&t, c) != NULL);
	CHECK_EQ(t.view.ncursors, 3);
	/* A range whose guard is the level-3 node, meeting A's, B's and C's nodes. */
	CHECK_REFUSED(&t, tb_open(&t, vs, 0, 2 * GIB, 0), PTD_ERR_BUSY);
	CHECK_EQ(tb_drop_cursor(&t, a).status, PTD_OK);
	CHECK_EQ(tb_drop_cursor(&t, b).status, PTD_OK);
	/* C still holds the level-2 node of [1, 2) GiB, which [0, 2 GiB) meets. */
	CHECK_REFUSED(&t, tb_open(&t, vs, 0, 2 * GIB, 0), PTD_ERR_BUSY);
	/* A range inside A's old guard opens now; the space cannot be dropped while C lives. */
	a = tb_open(&t, vs, 0, 4 * MIB, 1).new_id;
	CHECK(tb_cursor(&t, a) != NULL);
	CHECK_REFUSED(&t, tb_drop_vs(&t, vs), PTD_ERR_BUSY);
	tb_fini(&t);
}

/*
 * A range below a live cursor's guard: when its own guard exists and lies outside the live
 * cursor's range it opens; when the guard is missing, creating it needs the live guard.
 */
TEST(open_cursor_below_a_live_guard)
{
	struct tb t;
	ptd_id_t vs, a, b;

	bt_init(&t);
	vs = tb_new_vs(&t).new_id;
	b = tb_open(&t, vs, 6 * MIB, 6 * MIB + PG, 1).new_id; /* creates the [6, 8) MiB node */
	CHECK_EQ(tb_drop_cursor(&t, b).status, PTD_OK);
	a = tb_open(&t, vs, 0, 4 * MIB, 1).new_id; /* guard: the level-2 node of [0, 1 GiB) */
	CHECK(tb_cursor(&t, a) != NULL);
	b = tb_open(&t, vs, 6 * MIB, 6 * MIB + PG, 0).new_id;
	CHECK(tb_cursor(&t, b) != NULL);
	CHECK_REFUSED(&t, tb_open(&t, vs, 10 * MIB, 10 * MIB + PG, 0), PTD_ERR_BUSY);
	CHECK_EQ(tb_live_nodes(&t), 4);
	tb_fini(&t);
}

/* DropCursor unregisters and frees the space for a new cursor, which reuses the nodes there;
 * no slot changes. */
TEST(drop_cursor_changes_no_slot)
{
	struct tb t;
	struct tb_snap before;
	ptd_id_t vs, c;

	c = bt_start(&t, &vs, 0x1000, 0x3000, 1);
	before = tb_snap_take(&t);
	CHECK_ONLY_STATUS(tb_drop_cursor(&t, c), PTD_OK);
	CHECK(memcmp(t.view.slots, before.v.slots, TB_NFRAMES * sizeof *t.view.slots) == 0);
	CHECK_EQ(t.view.npaths, before.v.npaths);
	CHECK(memcmp(t.view.paths, before.v.paths, t.view.npaths * sizeof *t.view.paths) == 0);
	tb_snap_free(&before);
	CHECK_EQ(t.view.ncursors, 0);
	CHECK_EQ(tb_live_nodes(&t), 4);
	CHECK_EQ(tb_open(&t, vs, 0x1000, 0x2000, 1).status, PTD_OK);
	CHECK_EQ(tb_live_nodes(&t), 4);
	tb_fini(&t);
}

/* DropVmSpace step 1: a live cursor on the space -> ERR_BUSY and nothing changes (its
 * mappings stay); without it the space goes and its root is freed. */
TEST(drop_vm_space_busy_while_cursor_lives)
{
	struct tb t;
	ptd_id_t vs, c;

	c = bt_start(&t, &vs, 0x1000, 0x3000, 1);
	(void)bt_frame(&t, 5);
	CHECK_EQ(tb_map(&t, c, t.next_id - 1, PROP_RO).status, PTD_OK);
	CHECK_REFUSED(&t, tb_drop_vs(&t, vs), PTD_ERR_BUSY);
	CHECK(tb_has_vs(&t, vs));
	CHECK(tb_mapping(&t, vs, 0x1000) != NULL);
	CHECK_EQ(tb_drop_cursor(&t, c).status, PTD_OK);
	CHECK_ONLY_STATUS(tb_drop_vs(&t, vs), PTD_OK);
	CHECK_EQ(t.view.nvmspaces, 0);
	CHECK_SLOT_FREE(&t, TB_POOL_START, PTD_USAGE_PAGE_TABLE);
	tb_fini(&t);
}

/* A cursor on another space does not make this one busy. */
TEST(drop_vm_space_ignores_other_spaces_cursor)
{
	struct tb t;
	ptd_id_t a, b;

	bt_init(&t);
	a = tb_new_vs(&t).new_id;
	b = tb_new_vs(&t).new_id;
	CHECK_EQ(tb_open(&t, b, 0, 0x1000, 1).status, PTD_OK);
	CHECK_EQ(tb_drop_vs(&t, a).status, PTD_OK);
	CHECK(!tb_has_vs(&t, a));
	CHECK(tb_has_vs(&t, b));
	CHECK_SLOT_FREE(&t, TB_POOL_START, PTD_USAGE_PAGE_TABLE);
	CHECK_NODE(&t, TB_POOL_START + 1, b, 0, 0);
	tb_fini(&t);
}

/*
 * DropVmSpace step 2 (policy R): every mapping of the space releases its reference (a frame at
 * its last reference is torn down, usage kept Frame; one mapped twice releases twice),
 * untracked mappings touch nothing, every node is freed (usage kept PageTable), and another
 * space's mappings and nodes are untouched.  A freed node slot is the next one allocated.
 */
TEST(drop_vm_space_releases_mappings_and_frees_nodes)
{
	struct tb t;
	ptd_id_t vs, c, vs2, c2, h;

	c = bt_start(&t, &vs, 0, 4 * MIB, 1); /* root 32, L3 33, L2 34 */
	CHECK_EQ(tb_map(&t, c, bt_frame(&t, 5), PROP_RO).status, PTD_OK); /* 0x0000, L1 35 */
	CHECK_EQ(tb_map(&t, c, bt_frame(&t, 6), PROP_RO).status, PTD_OK); /* 0x1000 */
	h = tb_from_in_use(&t, 6 * PG).new_id; /* slot 6 rc 2: handle + PTE */
	CHECK_EQ(tb_map(&t, c, bt_frame(&t, 7), PROP_RO).status, PTD_OK); /* 0x2000 */
	CHECK_EQ(tb_map(&t, c, tb_from_in_use(&t, 7 * PG).new_id, PROP_RO).status,
		 PTD_OK); /* 0x3000: slot 7 rc 2 */
	CHECK_EQ(tb_paths(&t, 7), 2);
	CHECK_EQ(tb_map_iomem(&t, c, TB_IOMEM_BASE, PROP_RO).status, PTD_OK); /* 0x4000 */
	c2 = bt_open_new(&t, &vs2, 0x1000, 0x2000); /* root 36, 37, 38, 39 */
	CHECK_EQ(tb_map(&t, c2, tb_from_in_use(&t, 5 * PG).new_id, PROP_RO).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 5, 2, PTD_USAGE_FRAME);
	CHECK_SLOT_LIVE(&t, 6, 2, PTD_USAGE_FRAME);
	CHECK_SLOT_LIVE(&t, 7, 2, PTD_USAGE_FRAME);
	CHECK_EQ(tb_live_nodes(&t), 8);
	CHECK_EQ(tb_accounting_violations(&t), 0);

	CHECK_EQ(tb_drop_cursor(&t, c).status, PTD_OK);
	CHECK_ONLY_STATUS(tb_drop_vs(&t, vs), PTD_OK);
	CHECK(!tb_has_vs(&t, vs));
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME); /* still mapped in vs2 */
	CHECK_EQ(tb_paths(&t, 5), 1);
	CHECK(tb_has_path(&t, 5, vs2, 4, 0x1000));
	CHECK_SLOT_LIVE(&t, 6, 1, PTD_USAGE_FRAME); /* the handle's reference */
	CHECK_EQ(tb_paths(&t, 6), 0);
	CHECK(tb_has_frame(&t, h, 6 * PG));
	CHECK_SLOT_FREE(&t, 7, PTD_USAGE_FRAME);
	for (uint64_t i = 32; i < 36; i++)
		CHECK_SLOT_FREE(&t, i, PTD_USAGE_PAGE_TABLE);
	CHECK_NODE(&t, 36, vs2, 0, 0);
	CHECK_NODE(&t, 37, vs2, 1, 0);
	CHECK_NODE(&t, 38, vs2, 2, 0);
	CHECK_NODE(&t, 39, vs2, 3, 0);
	CHECK_EQ(t.view.nvmspaces, 1);
	CHECK_EQ(t.view.nmaps, 1);
	CHECK(tb_mapping(&t, vs2, 0x1000) != NULL);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_EQ(tb_new_vs(&t).status, PTD_OK);
	CHECK_NODE(&t, 32, t.next_id - 1, 0, 0);
	tb_fini(&t);
}

/* A freshly created space holds only its root: dropping it frees that one slot. */
TEST(drop_empty_vm_space_frees_root)
{
	struct tb t;
	ptd_id_t vs;

	bt_init(&t);
	vs = tb_new_vs(&t).new_id;
	CHECK_ONLY_STATUS(tb_drop_vs(&t, vs), PTD_OK);
	CHECK_SLOT_FREE(&t, TB_POOL_START, PTD_USAGE_PAGE_TABLE);
	CHECK_EQ(t.view.npaths, 0);
	CHECK_EQ(t.view.nvmspaces, 0);
	tb_fini(&t);
}

PTD_BACKEND_TEST_MAIN(PTD_TEST_ENTRY(initial_state_is_empty),
		      PTD_TEST_ENTRY(new_vm_space_takes_lowest_pool_slot),
		      PTD_TEST_ENTRY(new_vm_space_skips_pool_slot_claimed_as_frame),
		      PTD_TEST_ENTRY(new_vm_space_reuses_freed_node_slots_lowest_first),
		      PTD_TEST_ENTRY(open_cursor_small_range_allocates_down_to_level_1),
		      PTD_TEST_ENTRY(open_cursor_nodes_follow_range),
		      PTD_TEST_ENTRY(open_cursor_allocates_only_above_the_split),
		      PTD_TEST_ENTRY(open_cursor_nodes_at_aligned_bases),
		      PTD_TEST_ENTRY(open_cursor_errors_in_order),
		      PTD_TEST_ENTRY(open_cursor_lock_conflicts),
		      PTD_TEST_ENTRY(open_cursor_below_a_live_guard),
		      PTD_TEST_ENTRY(drop_cursor_changes_no_slot),
		      PTD_TEST_ENTRY(drop_vm_space_busy_while_cursor_lives),
		      PTD_TEST_ENTRY(drop_vm_space_ignores_other_spaces_cursor),
		      PTD_TEST_ENTRY(drop_vm_space_releases_mappings_and_frees_nodes),
		      PTD_TEST_ENTRY(drop_empty_vm_space_frees_root))
