/* SPDX-License-Identifier: MIT */
/*
 * POLICY §2 "Pool exhaustion": NewVmSpace, OpenCursor*, Map and MapIoMem count the nodes they
 * would allocate and refuse with ERR_WOULD_PANIC, changing nothing, when fewer pool frames are
 * UNUSED; the check comes after the op's other checks.  Frames, segments and unique frames
 * claim pool frames, so any input can get there.  Test machine: pool = frames 32..63.
 */
#include "core_tb.h"
#include "pt_alloc.h"

#define POOL_NR (TB_NFRAMES - TB_POOL_START)

/* Free pool frame idx, which segment seg starts at: take it as a Frame (SegmentNext) and drop
 * that Frame (its last reference). */
static void free_first_page(struct tb *t, ptd_id_t seg, uint64_t idx)
{
	struct ptd_result r = tb_segment_next(t, seg);

	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.paddr, idx * PG);
	CHECK_EQ(tb_frame_drop(t, r.new_id).status, PTD_OK);
	CHECK(slot_torn_down(t, idx, PTD_USAGE_FRAME));
}

/* Directly: the free count follows the bitmap, idempotent marks count once. */
TEST(pool_counts_free_frames)
{
	struct core_pt_pool p;

	CHECK_EQ(core_pt_pool_init(&p, 10, 5010), 0);
	CHECK_EQ(p.nr_free, 5000);
	CHECK(core_pt_pool_has_free(&p, 5000));
	CHECK(!core_pt_pool_has_free(&p, 5001));
	for (uint64_t i = 10; i < 4110; i++) {
		core_pt_pool_mark_used(&p, i);
	}
	CHECK_EQ(p.nr_free, 900);
	core_pt_pool_mark_used(&p, 10); /* idempotent */
	CHECK_EQ(p.nr_free, 900);
	core_pt_pool_mark_free(&p, 700);
	core_pt_pool_mark_free(&p, 700);
	CHECK_EQ(p.nr_free, 901);
	CHECK(core_pt_pool_has_free(&p, 901));
	CHECK(!core_pt_pool_has_free(&p, 902));
	for (uint64_t i = 4110; i < 5010; i++) {
		core_pt_pool_mark_used(&p, i);
	}
	core_pt_pool_mark_used(&p, 700);
	CHECK_EQ(p.nr_free, 0);
	CHECK(core_pt_pool_has_free(&p, 0));
	CHECK(!core_pt_pool_has_free(&p, 1));
	CHECK_EQ(core_pt_pool_lowest_free(&p), CORE_PT_POOL_NONE);
	core_pt_pool_fini(&p);
	CHECK_EQ(core_pt_pool_init(&p, 8, 8), 0); /* an empty pool */
	CHECK_EQ(p.nr_free, 0);
	CHECK(!core_pt_pool_has_free(&p, 1));
	core_pt_pool_fini(&p);
}

/* NewVmSpace needs one node: refused on a full pool, succeeds once one frame is free. */
TEST(new_vm_space_on_a_full_pool)
{
	struct tb t;
	static struct view_snap before;
	struct ptd_result r;
	ptd_id_t seg;

	tb_init(&t, &ptd_core_backend);
	seg = tb_segment(&t, TB_POOL_START * PG, POOL_NR * PG).new_id; /* the whole pool */
	CHECK_EQ(tb_core(&t)->pool.nr_free, 0);
	view_snap_take(&t, &before);
	CHECK(only_status(tb_new_vs(&t), PTD_ERR_WOULD_PANIC));
	CHECK(only_status(tb_new_vs(&t), PTD_ERR_WOULD_PANIC));
	CHECK(view_snap_same(&t, &before));
	CHECK_EQ(t.view.nvmspaces, 0);
	free_first_page(&t, seg, TB_POOL_START);
	CHECK_EQ(tb_core(&t)->pool.nr_free, 1);
	r = tb_new_vs(&t);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(vs_live(&t, r.new_id));
	CHECK(slot_live(&t, TB_POOL_START, 1, PTD_USAGE_PAGE_TABLE));
	CHECK(tb_has_path(&t, TB_POOL_START, r.new_id, 0, 0));
	CHECK_EQ(tb_core(&t)->pool.nr_free, 0);
	CHECK(only_status(tb_new_vs(&t), PTD_ERR_WOULD_PANIC));
	CHECK(accounting_ok(&t));
	tb_fini(&t);
}

/* OpenCursor counts only the nodes its descent lacks; BAD_RANGE and BUSY come first. */
TEST(open_cursor_counts_the_missing_nodes)
{
	struct tb t;
	static struct view_snap before;
	struct ptd_result r;
	ptd_id_t vs, seg, c;

	tb_init(&t, &ptd_core_backend);
	vs = tb_new_vs(&t).new_id;                                          /* root: 32 */
	seg = tb_segment(&t, 33 * PG, (TB_NFRAMES - 33) * PG).new_id;      /* 33..63 */
	CHECK_EQ(tb_core(&t)->pool.nr_free, 0);
	/* Guard level 4: no node to allocate, fine on a full pool. */
	r = tb_open(&t, vs, 0, PTD_USER_END, 0);
	CHECK_EQ(r.status, PTD_OK);
	c = r.new_id;
	view_snap_take(&t, &before);
	CHECK(only_status(tb_open(&t, vs, 0x1000, 0x3000, 1), PTD_ERR_BUSY)); /* 2 before 3 */
	CHECK_EQ(tb_drop_cursor(&t, c).status, PTD_OK);
	view_snap_take(&t, &before);
	CHECK(only_status(tb_open(&t, vs, 0x1000, 0x1000, 1), PTD_ERR_BAD_RANGE)); /* 1 first */
	CHECK(only_status(tb_open(&t, vs, 0x1001, 0x3000, 1), PTD_ERR_BAD_RANGE));
	CHECK(only_status(tb_open(&t, vs, 0x1000, 0x3000, 1), PTD_ERR_WOULD_PANIC)); /* needs 3 */
	CHECK(only_status(tb_open(&t, vs, 0x1000, 0x3000, 0), PTD_ERR_WOULD_PANIC));
	CHECK(view_snap_same(&t, &before));
	/* Two free frames are not enough for three nodes, and none is taken. */
	free_first_page(&t, seg, 33);
	free_first_page(&t, seg, 34);
	view_snap_take(&t, &before);
	CHECK(only_status(tb_open(&t, vs, 0x1000, 0x3000, 1), PTD_ERR_WOULD_PANIC));
	CHECK(view_snap_same(&t, &before));
	CHECK_EQ(tb_core(&t)->pool.nr_free, 2);
	free_first_page(&t, seg, 35);
	r = tb_open(&t, vs, 0x1000, 0x3000, 1);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(tb_has_path(&t, 33, vs, 1, 0)); /* top-down into the freed frames */
	CHECK(tb_has_path(&t, 34, vs, 2, 0));
	CHECK(tb_has_path(&t, 35, vs, 3, 0));
	CHECK_EQ(tb_core(&t)->pool.nr_free, 0);
	CHECK_EQ(tb_drop_cursor(&t, r.new_id).status, PTD_OK);
	/* One missing node (a second L1 under the same L2). */
	view_snap_take(&t, &before);
	CHECK(only_status(tb_open(&t, vs, 2 * MIB, 2 * MIB + 0x2000, 1), PTD_ERR_WOULD_PANIC));
	CHECK(view_snap_same(&t, &before));
	/* Nothing missing: guard L2 over [0, 4 MiB), and the existing L1 over [0x1000, 0x2000). */
	r = tb_open(&t, vs, 0, 4 * MIB, 1);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(tb_drop_cursor(&t, r.new_id).status, PTD_OK);
	r = tb_open(&t, vs, 0x1000, 0x2000, 1);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(tb_drop_cursor(&t, r.new_id).status, PTD_OK);
	free_first_page(&t, seg, 36);
	r = tb_open(&t, vs, 2 * MIB, 2 * MIB + 0x2000, 1);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(tb_has_path(&t, 36, vs, 3, 2 * MIB));
	CHECK(accounting_ok(&t));
	tb_fini(&t);
}

/* Map and MapIoMem need the level-1 node at va: refused when it is missing and the pool is
 * full (after READ_ONLY, and for MapIoMem after NOT_ALIGNED and OUT_OF_BOUND), the frame
 * handle kept; fine without a missing node, replace-and-release included. */
TEST(map_and_map_iomem_on_a_full_pool)
{
	struct tb t;
	static struct view_snap before;
	struct ptd_result r;
	ptd_id_t vs, vs2, c, ro, seg, h, h2;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0, 4 * MIB);                  /* 32, 33, 34: guard L2 */
	vs2 = tb_new_vs(&t).new_id;                         /* 35 */
	ro = tb_open(&t, vs2, 0, 4 * MIB, 0).new_id;        /* 36, 37 */
	seg = tb_segment(&t, 38 * PG, (TB_NFRAMES - 38) * PG).new_id;
	h = tb_frame(&t, 5 * PG).new_id;
	CHECK_EQ(tb_core(&t)->pool.nr_free, 0);
	view_snap_take(&t, &before);
	CHECK(only_status(tb_map(&t, ro, h, prop_of(0, 0)), PTD_ERR_READ_ONLY));
	CHECK(only_status(tb_map(&t, c, h, prop_of(0, 0)), PTD_ERR_WOULD_PANIC));
	CHECK(only_status(tb_map_iomem(&t, ro, TB_IOMEM_BASE, prop_of(0, 0)), PTD_ERR_READ_ONLY));
	CHECK(only_status(tb_map_iomem(&t, c, TB_IOMEM_BASE + 8, prop_of(0, 0)),
			  PTD_ERR_NOT_ALIGNED));
	CHECK(only_status(tb_map_iomem(&t, c, 0x1000, prop_of(0, 0)), PTD_ERR_OUT_OF_BOUND));
	CHECK(only_status(tb_map_iomem(&t, c, TB_IOMEM_BASE, prop_of(0, 0)),
			  PTD_ERR_WOULD_PANIC));
	CHECK(view_snap_same(&t, &before));
	CHECK(frame_live(&t, h, 5 * PG));
	CHECK_EQ(tb_cursor(&t, c)->va, 0);
	/* One frame free: the level-1 node goes there. */
	free_first_page(&t, seg, 38);
	CHECK_EQ(tb_map(&t, c, h, prop_of(0, 0)).status, PTD_OK);
	CHECK(tb_has_path(&t, 38, vs, 3, 0));
	CHECK(tb_has_path(&t, 5, vs, 4, 0));
	CHECK_EQ(tb_core(&t)->pool.nr_free, 0);
	/* No node missing: both work on a full pool. */
	CHECK_EQ(map_new(&t, c, 6 * PG, prop_of(0, 0)).status, PTD_OK); /* 0x1000 */
	CHECK_EQ(tb_map_iomem(&t, c, TB_IOMEM_BASE, prop_of(0, 0)).status, PTD_OK); /* 0x2000 */
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	h2 = tb_frame(&t, 7 * PG).new_id;
	CHECK_EQ(tb_map(&t, c, h2, prop_of(0, 0)).status, PTD_OK); /* replaces slot 5's mapping */
	CHECK(slot_torn_down(&t, 5, PTD_USAGE_FRAME));
	CHECK(slot_live(&t, 7, 1, PTD_USAGE_FRAME));
	/* A missing level-1 node again at 2 MiB. */
	CHECK_EQ(tb_jump(&t, c, 2 * MIB).status, PTD_OK);
	h = tb_frame(&t, 8 * PG).new_id;
	view_snap_take(&t, &before);
	CHECK(only_status(tb_map(&t, c, h, prop_of(0, 0)), PTD_ERR_WOULD_PANIC));
	CHECK(only_status(tb_map_iomem(&t, c, TB_IOMEM_BASE, prop_of(0, 0)),
			  PTD_ERR_WOULD_PANIC));
	CHECK(view_snap_same(&t, &before));
	/* Unmap frees the level-1 node at 0 (wholly inside E, not the guard): room again. */
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	r = tb_unmap(&t, c, 2 * MIB);
	CHECK_EQ(r.count, 3);
	CHECK(slot_torn_down(&t, 38, PTD_USAGE_PAGE_TABLE));
	CHECK_EQ(tb_core(&t)->pool.nr_free, 1);
	CHECK_EQ(tb_cursor(&t, c)->va, 2 * MIB);
	CHECK_EQ(tb_map(&t, c, h, prop_of(0, 0)).status, PTD_OK);
	CHECK(tb_has_path(&t, 38, vs, 3, 2 * MIB));
	CHECK(accounting_ok(&t));
	tb_fini(&t);
}

/* Map counts every missing level: three nodes under a guard at the root. */
TEST(map_counts_every_missing_level)
{
	struct tb t;
	static struct view_snap before;
	ptd_id_t vs, c, seg, h;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0, PTD_USER_END);                        /* root 32, guard L4 */
	seg = tb_segment(&t, 35 * PG, (TB_NFRAMES - 35) * PG).new_id; /* 33, 34 free */
	h = tb_frame(&t, 5 * PG).new_id;
	CHECK_EQ(tb_core(&t)->pool.nr_free, 2);
	view_snap_take(&t, &before);
	CHECK(only_status(tb_map(&t, c, h, prop_of(0, 0)), PTD_ERR_WOULD_PANIC));
	CHECK(view_snap_same(&t, &before));
	CHECK_EQ(tb_live_nodes(&t), 1); /* no partial descent */
	free_first_page(&t, seg, 35);
	CHECK_EQ(tb_map(&t, c, h, prop_of(0, 0)).status, PTD_OK);
	CHECK(tb_has_path(&t, 33, vs, 1, 0));
	CHECK(tb_has_path(&t, 34, vs, 2, 0));
	CHECK(tb_has_path(&t, 35, vs, 3, 0));
	/* At 1 GiB the L3 node exists: L2 and L1 are missing (2). */
	CHECK_EQ(tb_jump(&t, c, GIB).status, PTD_OK);
	h = tb_frame(&t, 6 * PG).new_id;
	free_first_page(&t, seg, 36);
	view_snap_take(&t, &before);
	CHECK(only_status(tb_map(&t, c, h, prop_of(0, 0)), PTD_ERR_WOULD_PANIC));
	CHECK(only_status(tb_map_iomem(&t, c, TB_IOMEM_BASE, prop_of(0, 0)),
			  PTD_ERR_WOULD_PANIC));
	CHECK(view_snap_same(&t, &before));
	free_first_page(&t, seg, 37);
	CHECK_EQ(tb_map_iomem(&t, c, TB_IOMEM_BASE, prop_of(0, 0)).status, PTD_OK);
	CHECK(tb_has_path(&t, 36, vs, 2, GIB));
	CHECK(tb_has_path(&t, 37, vs, 3, GIB));
	CHECK_EQ(tb_core(&t)->pool.nr_free, 0);
	CHECK(accounting_ok(&t));
	tb_fini(&t);
}

/* Frames and unique frames exhaust the pool as well; reset gives every frame back. */
TEST(frames_and_uniques_exhaust_the_pool_and_reset_refills_it)
{
	struct tb t;
	static struct view_snap before;
	ptd_id_t f40 = 0;

	tb_init(&t, &ptd_core_backend);
	for (uint64_t i = TB_POOL_START; i < TB_NFRAMES - 1; i++) {
		struct ptd_result r = tb_frame(&t, i * PG);

		CHECK_EQ(r.status, PTD_OK);
		if (i == 40) {
			f40 = r.new_id;
		}
	}
	CHECK_EQ(tb_unique(&t, (TB_NFRAMES - 1) * PG).status, PTD_OK);
	CHECK_EQ(tb_core(&t)->pool.nr_free, 0);
	view_snap_take(&t, &before);
	CHECK(only_status(tb_new_vs(&t), PTD_ERR_WOULD_PANIC));
	CHECK(view_snap_same(&t, &before));
	CHECK_EQ(tb_frame_drop(&t, f40).status, PTD_OK);
	CHECK_EQ(tb_new_vs(&t).status, PTD_OK);
	CHECK(slot_live(&t, 40, 1, PTD_USAGE_PAGE_TABLE));
	t.be->reset(t.self);
	CHECK_EQ(tb_core(&t)->pool.nr_free, POOL_NR);
	CHECK_EQ(core_pt_pool_lowest_free(&tb_core(&t)->pool), TB_POOL_START);
	CHECK_EQ(tb_new_vs(&t).status, PTD_OK);
	CHECK(slot_live(&t, TB_POOL_START, 1, PTD_USAGE_PAGE_TABLE));
	tb_fini(&t);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(pool_counts_free_frames),
	      PTD_TEST_ENTRY(new_vm_space_on_a_full_pool),
	      PTD_TEST_ENTRY(open_cursor_counts_the_missing_nodes),
	      PTD_TEST_ENTRY(map_and_map_iomem_on_a_full_pool),
	      PTD_TEST_ENTRY(map_counts_every_missing_level),
	      PTD_TEST_ENTRY(frames_and_uniques_exhaust_the_pool_and_reset_refills_it))
