/* SPDX-License-Identifier: MIT */
/*
 * Unmap (POLICY §3, policy R): check order, count, release of tracked mappings, and the node
 * rule: every node wholly inside E = [va, va + len) is freed except the guard node; nodes only
 * partly inside stay even when emptied.  Also: unmapping huge empty ranges is cheap.
 */
#include "core_tb.h"

/* Read-only first, then bad len (unaligned, past end); nothing moves. */
TEST(unmap_errors_in_order)
{
	struct tb t;
	struct slot_snap before;
	ptd_id_t vs, ro, rw;

	tb_init(&t, &ptd_core_backend);
	vs = tb_new_vs(&t).new_id;
	ro = tb_open(&t, vs, 0x1000, 0x3000, 0).new_id;
	snap_take(&t, &before);
	CHECK_EQ(tb_unmap(&t, ro, 0x123).status, PTD_ERR_READ_ONLY);
	CHECK_EQ(tb_unmap(&t, ro, PG).status, PTD_ERR_READ_ONLY);
	CHECK_EQ(tb_drop_cursor(&t, ro).status, PTD_OK);
	rw = tb_open(&t, vs, 0x1000, 0x3000, 1).new_id;
	CHECK_EQ(map_new(&t, rw, 0x5000, prop_of(0, 0)).status, PTD_OK);
	CHECK_EQ(tb_jump(&t, rw, 0x1000).status, PTD_OK);
	snap_take(&t, &before);
	CHECK_EQ(tb_unmap(&t, rw, 0x800).status, PTD_ERR_WOULD_PANIC);
	CHECK_EQ(tb_unmap(&t, rw, 0x3000).status, PTD_ERR_WOULD_PANIC);
	CHECK(snap_same(&t, &before));
	CHECK_EQ(tb_cursor(&t, rw)->va, 0x1000);
	CHECK_EQ(tb_unmap(&t, rw, 0).status, PTD_OK);
	CHECK(snap_same(&t, &before));
	CHECK_EQ(tb_cursor(&t, rw)->va, 0x1000);
	tb_fini(&t);
}

/*
 * Cursor [0, 8 MiB): guard level 2 (root 32, L3 33, L2 34).  Mappings at 0 and 0x1000 (L1 node
 * 35 for [0, 2M)), 2M (L1 36 for [2M, 4M)), an I/O leaf at 4M (L1 37 for [4M, 6M)).
 */
static ptd_id_t unmap_fixture(struct tb *t, ptd_id_t *vs)
{
	ptd_id_t c = open_new(t, vs, 0, 8 * MIB);

	CHECK_EQ(map_new(t, c, 0x5000, prop_of(0, 0)).status, PTD_OK);
	CHECK_EQ(map_new(t, c, 0x6000, prop_of(0, 0)).status, PTD_OK);
	CHECK_EQ(tb_jump(t, c, 2 * MIB).status, PTD_OK);
	CHECK_EQ(map_new(t, c, 0x7000, prop_of(0, 0)).status, PTD_OK);
	CHECK_EQ(tb_jump(t, c, 4 * MIB).status, PTD_OK);
	CHECK_EQ(tb_map_iomem(t, c, TB_IOMEM_BASE, prop_of(0, 0)).status, PTD_OK);
	CHECK_EQ(tb_live_nodes(t), 6);
	return c;
}

/* E = [0, 2M + 4K): three mappings removed and released; L1 35 (wholly inside) freed, L1 36
 * (partly inside) kept though empty; the cursor ends at exactly va + len. */
TEST(unmap_counts_releases_and_frees_whole_nodes)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t vs, c;

	tb_init(&t, &ptd_core_backend);
	c = unmap_fixture(&t, &vs);
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	r = tb_unmap(&t, c, 2 * MIB + PG);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.count, 3);
	CHECK_EQ(tb_cursor(&t, c)->va, 2 * MIB + PG);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_SLOT_FREE(&t, 6, PTD_USAGE_FRAME);
	CHECK_SLOT_FREE(&t, 7, PTD_USAGE_FRAME);
	CHECK_SLOT_FREE(&t, 35, PTD_USAGE_PAGE_TABLE);
	CHECK_SLOT_LIVE(&t, 36, 1, PTD_USAGE_PAGE_TABLE);
	CHECK(tb_has_path(&t, 36, vs, 3, 2 * MIB));
	CHECK_EQ(tb_core(&t)->slots[36].storage.pt.nr_children, 0);
	CHECK_EQ(tb_live_nodes(&t), 5);
	CHECK_EQ(t.view.nmaps, 1);
	/* E = [4M, 6M): exactly L1 37: the I/O leaf counts, the node is freed. */
	CHECK_EQ(tb_jump(&t, c, 4 * MIB).status, PTD_OK);
	r = tb_unmap(&t, c, 2 * MIB);
	CHECK_EQ(r.count, 1);
	CHECK_SLOT_FREE(&t, 37, PTD_USAGE_PAGE_TABLE);
	CHECK_EQ(t.view.nmaps, 0);
	/* E = the whole locked range = the guard node's span: L1 36 freed, the guard L2 kept. */
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	r = tb_unmap(&t, c, 8 * MIB);
	CHECK_EQ(r.count, 0);
	CHECK_SLOT_FREE(&t, 36, PTD_USAGE_PAGE_TABLE);
	CHECK_SLOT_LIVE(&t, 34, 1, PTD_USAGE_PAGE_TABLE);
	CHECK_EQ(tb_live_nodes(&t), 3);
	CHECK_EQ(tb_cursor(&t, c)->va, 8 * MIB);
	tb_fini(&t);
}

/* An unmap that ends inside a level-1 node keeps it; page-sized unmaps never free nodes. */
TEST(unmap_partial_nodes_stay)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t vs, c;

	tb_init(&t, &ptd_core_backend);
	c = unmap_fixture(&t, &vs);
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	r = tb_unmap(&t, c, PG);
	CHECK_EQ(r.count, 1);
	r = tb_unmap(&t, c, PG);
	CHECK_EQ(r.count, 1);
	CHECK_EQ(tb_live_nodes(&t), 6);
	CHECK_EQ(tb_core(&t)->slots[35].storage.pt.nr_children, 0);
	/* Now E = [2M - 4K, 4M): L1 36 is wholly inside, L1 35 is not. */
	CHECK_EQ(tb_jump(&t, c, 2 * MIB - PG).status, PTD_OK);
	r = tb_unmap(&t, c, 2 * MIB + PG);
	CHECK_EQ(r.count, 1);
	CHECK_SLOT_LIVE(&t, 35, 1, PTD_USAGE_PAGE_TABLE);
	CHECK_SLOT_FREE(&t, 36, PTD_USAGE_PAGE_TABLE);
	tb_fini(&t);
}

/* A guard node at level 1 is kept even when E covers all of it. */
TEST(unmap_keeps_the_guard_node)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t vs, c;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0, 2 * MIB); /* guard level 1: root, L3, L2, L1 = 32..35 */
	CHECK_EQ(tb_core(&t)->cursors[c].guard_level, 1);
	CHECK_EQ(map_new(&t, c, 0x5000, prop_of(0, 0)).status, PTD_OK);
	CHECK_EQ(tb_jump(&t, c, 2 * MIB - PG).status, PTD_OK);
	CHECK_EQ(map_new(&t, c, 0x6000, prop_of(0, 0)).status, PTD_OK);
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	r = tb_unmap(&t, c, 2 * MIB);
	CHECK_EQ(r.count, 2);
	CHECK_EQ(tb_live_nodes(&t), 4);
	CHECK_SLOT_LIVE(&t, 35, 1, PTD_USAGE_PAGE_TABLE);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_SLOT_FREE(&t, 6, PTD_USAGE_FRAME);
	tb_fini(&t);
}

/* Tracked mappings with other references drop by one; a frame mapped twice in E drops by two. */
TEST(unmap_releases_one_reference_per_mapping)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t vs, c, h;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0x1000, 0x5000);
	CHECK_EQ(map_new(&t, c, 0x5000, prop_of(0, 0)).status, PTD_OK);
	h = tb_from_in_use(&t, 0x5000).new_id;
	CHECK_EQ(tb_map(&t, c, tb_from_in_use(&t, 0x5000).new_id, prop_of(0, 0)).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 5, 3, PTD_USAGE_FRAME);
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	r = tb_unmap(&t, c, 0x4000);
	CHECK_EQ(r.count, 2);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_paths(&t, 5), 0);
	CHECK(tb_has_frame(&t, h, 0x5000));
	CHECK_EQ(tb_frame_drop(&t, h).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	tb_fini(&t);
}

/* The cursor's cached level-1 node is freed by an unmap that starts inside it; the cursor
 * keeps working and the next map allocates a fresh node in the lowest free slot. */
TEST(unmap_invalidates_cached_path)
{
	struct tb t;
	ptd_id_t vs, c;

	tb_init(&t, &ptd_core_backend);
	c = unmap_fixture(&t, &vs); /* the cursor's path ends at L1 37 */
	CHECK_EQ(tb_jump(&t, c, 4 * MIB).status, PTD_OK);
	CHECK_EQ(tb_query(&t, c).found, 1); /* descends to 37 */
	CHECK_EQ(tb_unmap(&t, c, 2 * MIB).count, 1);
	CHECK_SLOT_FREE(&t, 37, PTD_USAGE_PAGE_TABLE);
	CHECK_EQ(tb_jump(&t, c, 4 * MIB + PG).status, PTD_OK);
	CHECK_EQ(tb_query(&t, c).found, 0);
	CHECK_EQ(map_new(&t, c, 0x8000, prop_of(0, 0)).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 37, 1, PTD_USAGE_PAGE_TABLE);
	CHECK(tb_has_path(&t, 37, vs, 3, 4 * MIB));
	CHECK(tb_has_path(&t, 8, vs, 4, 4 * MIB + PG));
	tb_fini(&t);
}

/* Unmapping huge empty ranges is a handful of steps; unmapping a 512 GiB sub-tree frees it. */
TEST(unmap_huge_range_is_cheap)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t vs, c;
	uint64_t steps;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0, PTD_USER_END);
	steps = tb_core(&t)->nr_walk_steps;
	r = tb_unmap(&t, c, 1 * GIB);
	CHECK_EQ(r.count, 0);
	CHECK(tb_core(&t)->nr_walk_steps - steps <= 2);
	CHECK_EQ(tb_jump(&t, c, 1 * GIB + PG).status, PTD_OK);
	CHECK_EQ(map_new(&t, c, 0x5000, prop_of(0, 0)).status, PTD_OK);
	CHECK_EQ(tb_live_nodes(&t), 4);
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	steps = tb_core(&t)->nr_walk_steps;
	r = tb_unmap(&t, c, 1 * GIB); /* the GiB before the mapping */
	CHECK_EQ(r.count, 0);
	CHECK(tb_core(&t)->nr_walk_steps - steps <= 3);
	CHECK_EQ(tb_live_nodes(&t), 4);
	steps = tb_core(&t)->nr_walk_steps;
	/* From 1 GiB: the L2 node of GiB 1 lies inside E, the L3 node (from 0) does not. */
	r = tb_unmap(&t, c, 100 * 512 * GIB - 1 * GIB);
	CHECK_EQ(r.count, 1);
	CHECK(tb_core(&t)->nr_walk_steps - steps <= 2 * 512);
	CHECK_EQ(tb_live_nodes(&t), 2);
	CHECK_SLOT_LIVE(&t, 33, 1, PTD_USAGE_PAGE_TABLE);
	CHECK_SLOT_FREE(&t, 34, PTD_USAGE_PAGE_TABLE);
	CHECK_SLOT_FREE(&t, 35, PTD_USAGE_PAGE_TABLE);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_EQ(tb_cursor(&t, c)->va, 100 * 512 * GIB);
	/* From 0 over 512 GiB: now the (empty) L3 node is wholly inside and is freed. */
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	steps = tb_core(&t)->nr_walk_steps;
	r = tb_unmap(&t, c, 512 * GIB);
	CHECK_EQ(r.count, 0);
	CHECK(tb_core(&t)->nr_walk_steps - steps <= 2);
	CHECK_EQ(tb_live_nodes(&t), 1);
	CHECK_SLOT_FREE(&t, 33, PTD_USAGE_PAGE_TABLE);
	tb_fini(&t);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(unmap_errors_in_order),
	      PTD_TEST_ENTRY(unmap_counts_releases_and_frees_whole_nodes),
	      PTD_TEST_ENTRY(unmap_partial_nodes_stay),
	      PTD_TEST_ENTRY(unmap_keeps_the_guard_node),
	      PTD_TEST_ENTRY(unmap_releases_one_reference_per_mapping),
	      PTD_TEST_ENTRY(unmap_invalidates_cached_path),
	      PTD_TEST_ENTRY(unmap_huge_range_is_cheap))
