/* SPDX-License-Identifier: MIT */
/*
 * Map and MapIoMem (POLICY §3): check order, node allocation top-down, the consumed handle,
 * replace-and-release, and the untracked I/O leaf.
 */
#include "core_tb.h"

/* Read-only cursor, then va >= end: refused, the handle stays live, nothing changes. */
TEST(map_errors_keep_the_handle)
{
	struct tb t;
	struct slot_snap before;
	ptd_id_t vs, ro, rw, f;

	tb_init(&t, &ptd_core_backend);
	vs = tb_new_vs(&t).new_id;
	ro = tb_open(&t, vs, 0x1000, 0x2000, 0).new_id;
	f = tb_frame(&t, 0x5000).new_id;
	snap_take(&t, &before);
	CHECK_EQ(tb_map(&t, ro, f, prop_of(0, 0)).status, PTD_ERR_READ_ONLY);
	CHECK(snap_same(&t, &before));
	CHECK(tb_has_frame(&t, f, 0x5000));
	CHECK_EQ(t.view.nmaps, 0);
	CHECK_EQ(tb_drop_cursor(&t, ro).status, PTD_OK);
	rw = tb_open(&t, vs, 0x1000, 0x2000, 1).new_id;
	CHECK_EQ(tb_map(&t, rw, f, prop_of(0, 0)).status, PTD_OK);
	CHECK_EQ(tb_cursor(&t, rw)->va, 0x2000);
	f = tb_frame(&t, 0x6000).new_id;
	snap_take(&t, &before);
	CHECK_EQ(tb_map(&t, rw, f, prop_of(0, 0)).status, PTD_ERR_WOULD_PANIC);
	CHECK(snap_same(&t, &before));
	CHECK(tb_has_frame(&t, f, 0x6000));
	CHECK_EQ(tb_cursor(&t, rw)->va, 0x2000);
	tb_fini(&t);
}

/* Map into the guard node: the PTE takes the handle's reference (rc stays 1), the slot gains
 * the leaf position, the handle is consumed, the cursor moves one page. */
TEST(map_moves_the_handle_reference_into_the_pte)
{
	struct tb t;
	const struct ptd_mapping_view *m;
	struct ptd_result r;
	ptd_id_t vs, c, f;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0x1000, 0x3000);
	f = tb_frame(&t, 0x5000).new_id;
	r = tb_map(&t, c, f, prop_of(PTD_PF_W | PTD_PF_X, PTD_CACHE_WC));
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.new_id, 0);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_paths(&t, 5), 1);
	CHECK(tb_has_path(&t, 5, vs, 4, 0x1000));
	CHECK_EQ(t.view.nframes, 0);
	m = tb_mapping(&t, vs, 0x1000);
	CHECK(m != NULL);
	if (m) {
		CHECK_EQ(m->pa, 0x5000);
		CHECK_EQ(m->tracked, 1);
		CHECK_EQ(m->prop.flags, PTD_PF_W | PTD_PF_X);
		CHECK_EQ(m->prop.cache, PTD_CACHE_WC);
	}
	CHECK_EQ(tb_cursor(&t, c)->va, 0x2000);
	CHECK_EQ(tb_live_nodes(&t), 4); /* no new node: the guard is the level-1 node */
	CHECK_EQ(tb_core(&t)->slots[35].storage.pt.nr_children, 1);
	tb_fini(&t);
}

/* Missing nodes are allocated top-down (L3 then L2 then L1) with bases aligned to their span. */
TEST(map_allocates_missing_nodes_top_down)
{
	struct tb t;
	ptd_id_t vs, c;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0, PTD_USER_END);
	CHECK_EQ(tb_jump(&t, c, 3 * 512 * GIB + 5 * GIB + 7 * MIB + 0x3000).status, PTD_OK);
	CHECK_EQ(map_new(&t, c, 0x5000, prop_of(0, 0)).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 33, 1, PTD_USAGE_PAGE_TABLE);
	CHECK(tb_has_path(&t, 33, vs, 1, 3 * 512 * GIB));
	CHECK(tb_has_path(&t, 34, vs, 2, 3 * 512 * GIB + 5 * GIB));
	CHECK(tb_has_path(&t, 35, vs, 3, 3 * 512 * GIB + 5 * GIB + 6 * MIB));
	CHECK(tb_has_path(&t, 5, vs, 4, 3 * 512 * GIB + 5 * GIB + 7 * MIB + 0x3000));
	CHECK_EQ(tb_live_nodes(&t), 4);
	/* The next page reuses the path: no new node. */
	CHECK_EQ(map_new(&t, c, 0x6000, prop_of(0, 0)).status, PTD_OK);
	CHECK_EQ(tb_live_nodes(&t), 4);
	CHECK(tb_has_path(&t, 6, vs, 4, 3 * 512 * GIB + 5 * GIB + 7 * MIB + 0x4000));
	/* Crossing into the next 2 MiB allocates only a level-1 node. */
	CHECK_EQ(tb_jump(&t, c, 3 * 512 * GIB + 5 * GIB + 8 * MIB).status, PTD_OK);
	CHECK_EQ(map_new(&t, c, 0x7000, prop_of(0, 0)).status, PTD_OK);
	CHECK_EQ(tb_live_nodes(&t), 5);
	CHECK(tb_has_path(&t, 36, vs, 3, 3 * 512 * GIB + 5 * GIB + 8 * MIB));
	tb_fini(&t);
}

/* Mapping over a mapped va releases the old mapping: last reference -> torn down (usage kept);
 * otherwise rc - 1.  Mapping a frame over its own mapping keeps one reference. */
TEST(map_replaces_and_releases)
{
	struct tb t;
	ptd_id_t vs, c, h;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0x1000, 0x3000);
	CHECK_EQ(map_new(&t, c, 0x5000, prop_of(0, 0)).status, PTD_OK);
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	CHECK_EQ(map_new(&t, c, 0x6000, prop_of(PTD_PF_W, 0)).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_SLOT_LIVE(&t, 6, 1, PTD_USAGE_FRAME);
	CHECK(tb_has_path(&t, 6, vs, 4, 0x1000));
	CHECK_EQ(tb_mapping(&t, vs, 0x1000)->pa, 0x6000);
	CHECK_EQ(tb_mapping(&t, vs, 0x1000)->prop.flags, PTD_PF_W);
	CHECK_EQ(t.view.nmaps, 1);
	CHECK_EQ(tb_core(&t)->slots[35].storage.pt.nr_children, 1);
	/* Old frame with another reference (a handle): rc 2 -> 1. */
	h = tb_from_in_use(&t, 0x6000).new_id;
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	CHECK_EQ(map_new(&t, c, 0x7000, prop_of(0, 0)).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 6, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_paths(&t, 6), 0);
	/* A frame mapped over its own mapping: remove (rc 2 -> 1), install (rc stays 1). */
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	CHECK_EQ(tb_map(&t, c, tb_from_in_use(&t, 0x7000).new_id, prop_of(PTD_PF_D, 0)).status,
		 PTD_OK);
	CHECK_SLOT_LIVE(&t, 7, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_paths(&t, 7), 1);
	CHECK_EQ(tb_mapping(&t, vs, 0x1000)->prop.flags, PTD_PF_D);
	/* The same frame at a second va: two positions, rc 2. */
	CHECK_EQ(tb_map(&t, c, h, prop_of(0, 0)).status, PTD_OK);
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	CHECK_EQ(tb_map(&t, c, tb_from_in_use(&t, 0x6000).new_id, prop_of(0, 0)).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 6, 2, PTD_USAGE_FRAME);
	CHECK(tb_has_path(&t, 6, vs, 4, 0x1000));
	CHECK(tb_has_path(&t, 6, vs, 4, 0x2000));
	CHECK_SLOT_FREE(&t, 7, PTD_USAGE_FRAME);
	CHECK_EQ(tb_core(&t)->slots[35].storage.pt.nr_children, 2);
	tb_fini(&t);
}

/* MapIoMem check order: read-only, va >= end, unaligned, outside the window. */
TEST(map_iomem_errors_in_order)
{
	struct tb t;
	struct slot_snap before;
	ptd_id_t vs, ro, rw;

	tb_init(&t, &ptd_core_backend);
	vs = tb_new_vs(&t).new_id;
	ro = tb_open(&t, vs, 0x1000, 0x2000, 0).new_id;
	snap_take(&t, &before);
	CHECK_EQ(tb_map_iomem(&t, ro, 0x123, prop_of(0, 0)).status, PTD_ERR_READ_ONLY);
	CHECK_EQ(tb_drop_cursor(&t, ro).status, PTD_OK);
	rw = tb_open(&t, vs, 0x1000, 0x2000, 1).new_id;
	CHECK_EQ(tb_map_iomem(&t, rw, 0x123, prop_of(0, 0)).status, PTD_ERR_NOT_ALIGNED);
	CHECK_EQ(tb_map_iomem(&t, rw, 0x1000, prop_of(0, 0)).status, PTD_ERR_OUT_OF_BOUND);
	CHECK_EQ(tb_map_iomem(&t, rw, TB_IOMEM_BASE - PG, prop_of(0, 0)).status,
		 PTD_ERR_OUT_OF_BOUND);
	CHECK_EQ(tb_map_iomem(&t, rw, TB_IOMEM_BASE + TB_IOMEM_PAGES * PG, prop_of(0, 0)).status,
		 PTD_ERR_OUT_OF_BOUND);
	CHECK_EQ(tb_map_iomem(&t, rw, TB_IOMEM_BASE + 1, prop_of(0, 0)).status, PTD_ERR_NOT_ALIGNED);
	CHECK(snap_same(&t, &before));
	CHECK_EQ(t.view.nmaps, 0);
	CHECK_EQ(tb_cursor(&t, rw)->va, 0x1000);
	CHECK_EQ(tb_map_iomem(&t, rw, TB_IOMEM_BASE + (TB_IOMEM_PAGES - 1) * PG, prop_of(0, 0)).status,
		 PTD_OK);
	snap_take(&t, &before);
	CHECK_EQ(tb_map_iomem(&t, rw, 0x123, prop_of(0, 0)).status, PTD_ERR_WOULD_PANIC);
	CHECK(snap_same(&t, &before));
	tb_fini(&t);
}

/* An I/O leaf touches no slot; replacing a tracked mapping with it releases the frame, and a
 * tracked map over an I/O leaf releases nothing. */
TEST(map_iomem_is_untracked)
{
	struct tb t;
	struct slot_snap before;
	const struct ptd_mapping_view *m;
	ptd_id_t vs, c;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0x1000, 0x3000);
	snap_take(&t, &before);
	CHECK_EQ(tb_map_iomem(&t, c, TB_IOMEM_BASE, prop_of(PTD_PF_W, PTD_CACHE_UC)).status, PTD_OK);
	CHECK(snap_same(&t, &before));
	m = tb_mapping(&t, vs, 0x1000);
	CHECK(m != NULL);
	if (m) {
		CHECK_EQ(m->tracked, 0);
		CHECK_EQ(m->pa, TB_IOMEM_BASE);
		CHECK_EQ(m->prop.cache, PTD_CACHE_UC);
	}
	CHECK_EQ(tb_cursor(&t, c)->va, 0x2000);
	CHECK_EQ(map_new(&t, c, 0x5000, prop_of(0, 0)).status, PTD_OK); /* at 0x2000 */
	CHECK_EQ(tb_jump(&t, c, 0x2000).status, PTD_OK);
	CHECK_EQ(tb_map_iomem(&t, c, TB_IOMEM_BASE, prop_of(0, 0)).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	CHECK_EQ(map_new(&t, c, 0x6000, prop_of(0, 0)).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 6, 1, PTD_USAGE_FRAME);
	CHECK_EQ(t.view.nmaps, 2);
	CHECK_EQ(tb_core(&t)->slots[35].storage.pt.nr_children, 2);
	tb_fini(&t);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(map_errors_keep_the_handle),
	      PTD_TEST_ENTRY(map_moves_the_handle_reference_into_the_pte),
	      PTD_TEST_ENTRY(map_allocates_missing_nodes_top_down),
	      PTD_TEST_ENTRY(map_replaces_and_releases),
	      PTD_TEST_ENTRY(map_iomem_errors_in_order),
	      PTD_TEST_ENTRY(map_iomem_is_untracked))
