/* SPDX-License-Identifier: MIT */
/*
 * Pool exhaustion, on either side (docs/POLICY.md §2 "Pool exhaustion"): NewVmSpace,
 * OpenCursor*, Map and MapIoMem count the page-table nodes they would allocate and refuse with
 * ERR_WOULD_PANIC, changing nothing, when fewer pool frames are UNUSED; every other check of
 * the op comes first; with exactly enough frames freed the op succeeds and takes them lowest
 * first, top-down.  Frames, segments and unique frames claim pool frames, so any input can get
 * there.  Test machine: pool = frames 32..63.
 */
#include "bt.h"

#define POOL_NR (TB_NFRAMES - TB_POOL_START)

/* Free pool frame idx, which segment seg starts at: take it as a Frame (SegmentNext) and drop
 * that Frame (its last reference). */
static void free_first_page(struct tb *t, ptd_id_t seg, uint64_t idx)
{
	struct ptd_result r = tb_segment_next(t, seg);

	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.paddr, idx * PG);
	CHECK_EQ(tb_frame_drop(t, r.new_id).status, PTD_OK);
	CHECK_SLOT_FREE(t, idx, PTD_USAGE_FRAME);
}

/* NewVmSpace needs one node: refused on a full pool (slots 0..31 all UNUSED: only the pool
 * counts), and succeeds once one frame is free, whichever it is; DropVmSpace gives it back. */
TEST(new_vm_space_on_a_full_pool)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t seg, vs;

	bt_init(&t);
	seg = tb_segment(&t, TB_POOL_START * PG, POOL_NR * PG).new_id; /* the whole pool */
	CHECK_POOL_FREE(&t, 0);
	CHECK_REFUSED(&t, tb_new_vs(&t), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_new_vs(&t), PTD_ERR_WOULD_PANIC);
	CHECK_EQ(t.view.nvmspaces, 0);
	/* The lowest pool frame freed. */
	free_first_page(&t, seg, TB_POOL_START);
	CHECK_POOL_FREE(&t, 1);
	r = tb_new_vs(&t);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(tb_has_vs(&t, r.new_id));
	CHECK_NODE(&t, TB_POOL_START, r.new_id, 0, 0);
	CHECK_POOL_FREE(&t, 0);
	CHECK_REFUSED(&t, tb_new_vs(&t), PTD_ERR_WOULD_PANIC);
	/* The highest pool frame freed (split off the segment's end and dropped). */
	r = tb_segment_split(&t, seg, (POOL_NR - 2) * PG);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(tb_segment_drop(&t, r.new_id2).status, PTD_OK);
	CHECK_SLOT_FREE(&t, TB_NFRAMES - 1, PTD_USAGE_FRAME);
	vs = tb_new_vs(&t).new_id;
	CHECK_NODE(&t, TB_NFRAMES - 1, vs, 0, 0);
	CHECK_REFUSED(&t, tb_new_vs(&t), PTD_ERR_WOULD_PANIC);
	CHECK_EQ(tb_drop_vs(&t, vs).status, PTD_OK);
	CHECK_SLOT_FREE(&t, TB_NFRAMES - 1, PTD_USAGE_PAGE_TABLE);
	CHECK_EQ(tb_new_vs(&t).status, PTD_OK);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Frames, unique frames and segments all take pool frames; each one freed is a node again. */
TEST(new_vm_space_every_claimer)
{
	struct tb t;
	ptd_id_t u, f, f40 = 0, vs;

	bt_init(&t);
	u = tb_unique(&t, TB_POOL_START * PG).new_id;
	f = bt_frame(&t, TB_POOL_START + 1);
	CHECK_EQ(tb_segment(&t, (TB_POOL_START + 2) * PG, (POOL_NR - 2) * PG).status, PTD_OK);
	CHECK_REFUSED(&t, tb_new_vs(&t), PTD_ERR_WOULD_PANIC);
	CHECK_EQ(tb_unique_drop(&t, u).status, PTD_OK);
	vs = tb_new_vs(&t).new_id;
	CHECK_NODE(&t, TB_POOL_START, vs, 0, 0);
	CHECK_REFUSED(&t, tb_new_vs(&t), PTD_ERR_WOULD_PANIC);
	CHECK_EQ(tb_frame_drop(&t, f).status, PTD_OK);
	vs = tb_new_vs(&t).new_id;
	CHECK_NODE(&t, TB_POOL_START + 1, vs, 0, 0);
	CHECK_REFUSED(&t, tb_new_vs(&t), PTD_ERR_WOULD_PANIC);
	CHECK_EQ(t.view.nvmspaces, 2);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);

	/* Frames on every pool frame but the last, a unique frame on that one. */
	bt_init(&t);
	for (uint64_t i = TB_POOL_START; i < TB_NFRAMES - 1; i++) {
		ptd_id_t id = bt_frame(&t, i);

		if (i == 40)
			f40 = id;
	}
	CHECK_EQ(tb_unique(&t, (TB_NFRAMES - 1) * PG).status, PTD_OK);
	CHECK_POOL_FREE(&t, 0);
	CHECK_REFUSED(&t, tb_new_vs(&t), PTD_ERR_WOULD_PANIC);
	CHECK_EQ(tb_frame_drop(&t, f40).status, PTD_OK);
	vs = tb_new_vs(&t).new_id;
	CHECK_NODE(&t, 40, vs, 0, 0);
	tb_fini(&t);
}

/* Reset gives every pool frame back: the next root is the lowest pool frame again. */
TEST(reset_refills_the_pool)
{
	struct tb t;

	bt_init(&t);
	CHECK_EQ(tb_segment(&t, TB_POOL_START * PG, POOL_NR * PG).status, PTD_OK);
	CHECK_POOL_FREE(&t, 0);
	t.be->reset(t.self);
	tb_refresh(&t);
	CHECK_POOL_FREE(&t, POOL_NR);
	t.next_id = 1;
	CHECK_EQ(tb_new_vs(&t).status, PTD_OK);
	CHECK_NODE(&t, TB_POOL_START, 1, 0, 0);
	tb_fini(&t);
}

/* OpenCursor counts only the nodes its descent lacks; BAD_RANGE (step 1) and BUSY (step 2)
 * come first; a range over several L4 entries (guard at the root) needs none; no partial
 * allocation; the freed frames are taken top-down. */
TEST(open_cursor_counts_the_missing_nodes)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t vs, seg, c;

	bt_init(&t);
	vs = tb_new_vs(&t).new_id;                                    /* root: 32 */
	seg = tb_segment(&t, 33 * PG, (TB_NFRAMES - 33) * PG).new_id; /* 33..63: pool full */
	CHECK_POOL_FREE(&t, 0);
	/* [0x1000, 0x3000) needs L3, L2, L1; [0, 4 MiB) needs L3, L2. */
	CHECK_REFUSED(&t, tb_open(&t, vs, 0x1000, 0x3000, 1), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_open(&t, vs, 0x1000, 0x3000, 0), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_open(&t, vs, 0, 4 * MIB, 1), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_open(&t, vs, 0x1000, 0x1000, 1), PTD_ERR_BAD_RANGE);
	CHECK_REFUSED(&t, tb_open(&t, vs, 0x3000, 0x1000, 1), PTD_ERR_BAD_RANGE);
	CHECK_REFUSED(&t, tb_open(&t, vs, 0x1001, 0x3000, 1), PTD_ERR_BAD_RANGE);
	r = tb_open(&t, vs, 0, PTD_USER_END, 0);
	CHECK_EQ(r.status, PTD_OK);
	c = r.new_id;
	CHECK(tb_cursor(&t, c) != NULL);
	CHECK_EQ(tb_live_nodes(&t), 1);
	CHECK_REFUSED(&t, tb_open(&t, vs, 0x1000, 0x3000, 1), PTD_ERR_BUSY);
	CHECK_EQ(tb_drop_cursor(&t, c).status, PTD_OK);
	/* Two free frames are not enough for three nodes, and none is taken; two nodes fit. */
	free_first_page(&t, seg, 33);
	free_first_page(&t, seg, 34);
	CHECK_REFUSED(&t, tb_open(&t, vs, 0x1000, 0x3000, 1), PTD_ERR_WOULD_PANIC);
	CHECK_POOL_FREE(&t, 2);
	r = tb_open(&t, vs, 0, 4 * MIB, 1);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_NODE(&t, 33, vs, 1, 0);
	CHECK_NODE(&t, 34, vs, 2, 0);
	CHECK_POOL_FREE(&t, 0);
	CHECK_EQ(tb_drop_cursor(&t, r.new_id).status, PTD_OK);
	/* Now each of these needs only an L1 node, and none is free. */
	CHECK_REFUSED(&t, tb_open(&t, vs, 0x1000, 0x3000, 1), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_open(&t, vs, 0, 2 * MIB, 0), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_open(&t, vs, 2 * MIB, 4 * MIB, 1), PTD_ERR_WOULD_PANIC);
	/* Existing nodes need nothing. */
	r = tb_open(&t, vs, 0, 4 * MIB, 0);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(tb_drop_cursor(&t, r.new_id).status, PTD_OK);
	free_first_page(&t, seg, 35);
	r = tb_open(&t, vs, 0x1000, 0x3000, 1);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_NODE(&t, 35, vs, 3, 0);
	CHECK_EQ(tb_cursor(&t, r.new_id)->va, 0x1000);
	CHECK_POOL_FREE(&t, 0);
	CHECK_EQ(tb_drop_cursor(&t, r.new_id).status, PTD_OK);
	/* One missing node (a second L1 under the same L2), then nothing missing. */
	CHECK_REFUSED(&t, tb_open(&t, vs, 2 * MIB, 2 * MIB + 0x2000, 1), PTD_ERR_WOULD_PANIC);
	r = tb_open(&t, vs, 0x1000, 0x2000, 1);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(tb_drop_cursor(&t, r.new_id).status, PTD_OK);
	free_first_page(&t, seg, 36);
	r = tb_open(&t, vs, 2 * MIB, 2 * MIB + 0x2000, 1);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_NODE(&t, 36, vs, 3, 2 * MIB);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Map needs the level-1 node at va: refused when it is missing and the pool is full (after
 * READ_ONLY), the frame handle kept; fine without a missing node, replace-and-release
 * included; freed frames are taken top-down, usage Frame becoming PageTable. */
TEST(map_on_a_full_pool)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t vs1, vs2, c1, c2, f, s, g, f6, f7, f8;

	bt_init(&t);
	vs1 = tb_new_vs(&t).new_id;                       /* root at 32 */
	vs2 = tb_new_vs(&t).new_id;                       /* root at 33 */
	c1 = tb_open(&t, vs1, 0, PTD_USER_END, 1).new_id; /* guard at the root */
	c2 = tb_open(&t, vs2, 0, PTD_USER_END, 0).new_id;
	f = bt_frame(&t, 5);
	s = tb_segment(&t, 34 * PG, 30 * PG).new_id; /* pool full */
	CHECK_REFUSED(&t, tb_map(&t, c2, f, PROP_RW), PTD_ERR_READ_ONLY);
	CHECK_REFUSED(&t, tb_map(&t, c1, f, PROP_RW), PTD_ERR_WOULD_PANIC); /* needs 3 */
	CHECK(tb_has_frame(&t, f, 5 * PG));
	CHECK_EQ(tb_cursor(&t, c1)->va, 0);
	free_first_page(&t, s, 34);
	free_first_page(&t, s, 35);
	CHECK_REFUSED(&t, tb_map(&t, c1, f, PROP_RW), PTD_ERR_WOULD_PANIC);
	CHECK_EQ(tb_live_nodes(&t), 2);    /* no partial descent */
	g = tb_segment_next(&t, s).new_id; /* 36 */
	CHECK_EQ(tb_frame_drop(&t, g).status, PTD_OK);
	r = tb_map(&t, c1, f, PROP_RW);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_NODE(&t, 34, vs1, 1, 0);
	CHECK_NODE(&t, 35, vs1, 2, 0);
	CHECK_NODE(&t, 36, vs1, 3, 0);
	CHECK(tb_mapping(&t, vs1, 0) != NULL);
	CHECK(tb_has_path(&t, 5, vs1, 4, 0));
	CHECK_EQ(t.view.nframes, 0);
	CHECK_POOL_FREE(&t, 0);
	/* Pool full again: a Map under the same L1 needs nothing. */
	f6 = bt_frame(&t, 6);
	CHECK_EQ(tb_map(&t, c1, f6, PROP_RW).status, PTD_OK); /* at 0x1000 */
	/* Replace-and-release needs nothing either. */
	CHECK_EQ(tb_jump(&t, c1, 0).status, PTD_OK);
	f7 = bt_frame(&t, 7);
	CHECK_EQ(tb_map(&t, c1, f7, PROP_RW).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_SLOT_LIVE(&t, 7, 1, PTD_USAGE_FRAME);
	/* A new L1 (at 2 MiB) is one node too many. */
	CHECK_EQ(tb_jump(&t, c1, 2 * MIB).status, PTD_OK);
	f8 = bt_frame(&t, 8);
	CHECK_REFUSED(&t, tb_map(&t, c1, f8, PROP_RW), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_map_iomem(&t, c1, TB_IOMEM_BASE, PROP_RW), PTD_ERR_WOULD_PANIC);
	CHECK(tb_has_frame(&t, f8, 8 * PG));
	/* Unmap frees the level-1 node at 0 (wholly inside the range, not the guard): room
	 * again, and the node goes where the freed one was. */
	CHECK_EQ(tb_jump(&t, c1, 0).status, PTD_OK);
	CHECK_EQ(tb_unmap(&t, c1, 2 * MIB).count, 2);
	CHECK_SLOT_FREE(&t, 36, PTD_USAGE_PAGE_TABLE);
	CHECK_POOL_FREE(&t, 1);
	CHECK_EQ(tb_cursor(&t, c1)->va, 2 * MIB);
	CHECK_EQ(tb_map(&t, c1, f8, PROP_RW).status, PTD_OK);
	CHECK_NODE(&t, 36, vs1, 3, 2 * MIB);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* MapIoMem: READ_ONLY, NOT_ALIGNED, OUT_OF_BOUND first; the pool check last; then the same
 * top-down allocation as Map. */
TEST(map_iomem_on_a_full_pool)
{
	struct tb t;
	struct ptd_result r;
	const uint64_t io_end = TB_IOMEM_BASE + TB_IOMEM_PAGES * PG;
	const struct ptd_mapping_view *m;
	ptd_id_t vs1, vs2, c1, c2, s, right, g;

	bt_init(&t);
	vs1 = tb_new_vs(&t).new_id; /* root at 32 */
	vs2 = tb_new_vs(&t).new_id; /* root at 33 */
	c1 = tb_open(&t, vs1, 0, PTD_USER_END, 1).new_id;
	c2 = tb_open(&t, vs2, 0, PTD_USER_END, 0).new_id;
	CHECK_EQ(tb_map(&t, c1, bt_frame(&t, 5), PROP_RW).status, PTD_OK); /* 34, 35, 36 */
	s = tb_segment(&t, 37 * PG, 27 * PG).new_id;                       /* pool full */
	/* At 1 GiB: L3 at 0 exists; L2 and L1 at 1 GiB are absent (2 nodes). */
	CHECK_EQ(tb_jump(&t, c1, GIB).status, PTD_OK);
	CHECK_REFUSED(&t, tb_map_iomem(&t, c2, TB_IOMEM_BASE, PROP_RW), PTD_ERR_READ_ONLY);
	CHECK_REFUSED(&t, tb_map_iomem(&t, c1, TB_IOMEM_BASE + 8, PROP_RW), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_map_iomem(&t, c1, 5 * PG, PROP_RW), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_map_iomem(&t, c1, 0x1000, PROP_RW), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_map_iomem(&t, c1, io_end, PROP_RW), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_map_iomem(&t, c1, TB_IOMEM_BASE, PROP_RW), PTD_ERR_WOULD_PANIC);
	r = tb_segment_split(&t, s, PG);
	right = r.new_id2;
	CHECK_EQ(tb_segment_drop(&t, r.new_id).status, PTD_OK); /* 37 */
	CHECK_REFUSED(&t, tb_map_iomem(&t, c1, TB_IOMEM_BASE, PROP_RW), PTD_ERR_WOULD_PANIC);
	g = tb_segment_next(&t, right).new_id; /* 38 */
	CHECK_EQ(tb_frame_drop(&t, g).status, PTD_OK);
	r = tb_map_iomem(&t, c1, TB_IOMEM_BASE, PROP_RW);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_NODE(&t, 37, vs1, 2, GIB);
	CHECK_NODE(&t, 38, vs1, 3, GIB);
	m = tb_mapping(&t, vs1, GIB);
	CHECK(m != NULL && m->tracked == 0 && m->pa == TB_IOMEM_BASE);
	CHECK_EQ(tb_cursor(&t, c1)->va, GIB + PG);
	CHECK_POOL_FREE(&t, 0);
	/* Pool full again: the next page under the same L1 needs nothing. */
	CHECK_EQ(tb_map_iomem(&t, c1, TB_IOMEM_BASE + PG, PROP_RW).status, PTD_OK);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Map counts every missing level: three nodes under a guard at the root, two where the L3
 * exists; MapIoMem the same. */
TEST(map_counts_every_missing_level)
{
	struct tb t;
	ptd_id_t vs, c, seg, h;

	c = bt_start(&t, &vs, 0, PTD_USER_END, 1);                    /* root 32, guard L4 */
	seg = tb_segment(&t, 35 * PG, (TB_NFRAMES - 35) * PG).new_id; /* 33, 34 free */
	h = bt_frame(&t, 5);
	CHECK_POOL_FREE(&t, 2);
	CHECK_REFUSED(&t, tb_map(&t, c, h, PROP_RO), PTD_ERR_WOULD_PANIC);
	CHECK_EQ(tb_live_nodes(&t), 1); /* no partial descent */
	free_first_page(&t, seg, 35);
	CHECK_EQ(tb_map(&t, c, h, PROP_RO).status, PTD_OK);
	CHECK_NODE(&t, 33, vs, 1, 0);
	CHECK_NODE(&t, 34, vs, 2, 0);
	CHECK_NODE(&t, 35, vs, 3, 0);
	/* At 1 GiB the L3 node exists: L2 and L1 are missing (2). */
	CHECK_EQ(tb_jump(&t, c, GIB).status, PTD_OK);
	h = bt_frame(&t, 6);
	free_first_page(&t, seg, 36);
	CHECK_REFUSED(&t, tb_map(&t, c, h, PROP_RO), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_map_iomem(&t, c, TB_IOMEM_BASE, PROP_RO), PTD_ERR_WOULD_PANIC);
	free_first_page(&t, seg, 37);
	CHECK_EQ(tb_map_iomem(&t, c, TB_IOMEM_BASE, PROP_RO).status, PTD_OK);
	CHECK_NODE(&t, 36, vs, 2, GIB);
	CHECK_NODE(&t, 37, vs, 3, GIB);
	CHECK_POOL_FREE(&t, 0);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Unmap frees nodes back to the pool ([0, 512 GiB) holds the L3 node at 0 and everything under
 * it): a refused op becomes possible again. */
TEST(unmap_frees_pool_slots)
{
	struct tb t;
	ptd_id_t vs, vs2, c;

	bt_init(&t);
	vs = tb_new_vs(&t).new_id; /* root at 32 */
	c = tb_open(&t, vs, 0, PTD_USER_END, 1).new_id;
	CHECK_EQ(tb_map(&t, c, bt_frame(&t, 5), PROP_RW).status, PTD_OK); /* 33, 34, 35 */
	CHECK_EQ(tb_segment(&t, 36 * PG, 28 * PG).status, PTD_OK);        /* pool full */
	CHECK_REFUSED(&t, tb_new_vs(&t), PTD_ERR_WOULD_PANIC);
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	CHECK_EQ(tb_unmap(&t, c, 512 * GIB).count, 1);
	CHECK_SLOT_FREE(&t, 33, PTD_USAGE_PAGE_TABLE);
	CHECK_SLOT_FREE(&t, 34, PTD_USAGE_PAGE_TABLE);
	CHECK_SLOT_FREE(&t, 35, PTD_USAGE_PAGE_TABLE);
	CHECK_POOL_FREE(&t, 3);
	vs2 = tb_new_vs(&t).new_id;
	CHECK(vs2 != 0);
	CHECK_NODE(&t, 33, vs2, 0, 0);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

PTD_BACKEND_TEST_MAIN(PTD_TEST_ENTRY(new_vm_space_on_a_full_pool),
		      PTD_TEST_ENTRY(new_vm_space_every_claimer),
		      PTD_TEST_ENTRY(reset_refills_the_pool),
		      PTD_TEST_ENTRY(open_cursor_counts_the_missing_nodes),
		      PTD_TEST_ENTRY(map_on_a_full_pool), PTD_TEST_ENTRY(map_iomem_on_a_full_pool),
		      PTD_TEST_ENTRY(map_counts_every_missing_level),
		      PTD_TEST_ENTRY(unmap_frees_pool_slots))
