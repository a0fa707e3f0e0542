/* SPDX-License-Identifier: MIT */
/*
 * Oracle unit tests: docs/POLICY.md §2 "Pool exhaustion" on each op that allocates page-table
 * nodes (NewVmSpace, OpenCursor*, Map, MapIoMem).  The pool (frames 32..63) is filled with
 * segments, frames and unique frames; an op that needs more nodes than there are UNUSED pool
 * slots returns ERR_WOULD_PANIC and changes nothing, every other check of the op coming first;
 * with exactly enough slots freed it succeeds and takes them lowest first, top-down.
 */
#include "oracle_util.h"

#define POOL_PAGES (TB_NFRAMES - TB_POOL_START)

/* NewVmSpace: no UNUSED pool slot -> WOULD_PANIC; one freed slot (usage Frame) becomes the root. */
TEST(new_vmspace)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t s, vs;
	tb_init(&t, &ptd_oracle_backend);
	s = tb_segment(&t, TB_POOL_START * PG, POOL_PAGES * PG).new_id;
	CHECK(s != 0);
	/* Slots 0..31 are all UNUSED: only the pool counts. */
	CHECK_REFUSED(&t, tb_new_vs(&t), PTD_ERR_WOULD_PANIC);
	CHECK_EQ(t.view.nvmspaces, 0);

	r = tb_segment_split(&t, s, (POOL_PAGES - 1) * PG);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(tb_segment_drop(&t, r.new_id2).status, PTD_OK); /* slot 63 freed */
	CHECK_SLOT_FREE(&t, TB_NFRAMES - 1, PTD_USAGE_FRAME);
	r = tb_new_vs(&t);
	vs = r.new_id;
	CHECK_EQ(r.status, PTD_OK);
	CHECK_NODE(&t, TB_NFRAMES - 1, vs, 0, 0);
	CHECK(ou_has_vs(&t, vs));
	CHECK_REFUSED(&t, tb_new_vs(&t), PTD_ERR_WOULD_PANIC);
	/* DropVmSpace gives the slot back. */
	CHECK_EQ(tb_drop_vs(&t, vs).status, PTD_OK);
	CHECK_SLOT_FREE(&t, TB_NFRAMES - 1, PTD_USAGE_PAGE_TABLE);
	CHECK_EQ(tb_new_vs(&t).status, PTD_OK);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Frames, unique frames and segments all take pool slots; each one freed is a node again. */
TEST(new_vmspace_every_claimer)
{
	struct tb t;
	ptd_id_t u, f, vs;
	tb_init(&t, &ptd_oracle_backend);
	u = tb_unique(&t, TB_POOL_START * PG).new_id;
	f = ou_frame(&t, TB_POOL_START + 1);
	CHECK_EQ(tb_segment(&t, (TB_POOL_START + 2) * PG, (POOL_PAGES - 2) * PG).status, PTD_OK);
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
	CHECK_EQ(ou_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* OpenCursor: BAD_RANGE and BUSY first; then the count of absent nodes on the descent. */
TEST(open_cursor)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t vs, s, c, left, right, g;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;                       /* root at 32 */
	s = tb_segment(&t, 33 * PG, 31 * PG).new_id;    /* pool full */
	/* [0x1000, 0x3000) needs L3, L2, L1. */
	CHECK_REFUSED(&t, tb_open(&t, vs, 0x1000, 0x3000, 1), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_open(&t, vs, 0x1000, 0x3000, 0), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_open(&t, vs, 0, 4 * MIB, 1), PTD_ERR_WOULD_PANIC);
	/* Step 1 before step 3. */
	CHECK_REFUSED(&t, tb_open(&t, vs, 0x3000, 0x1000, 1), PTD_ERR_BAD_RANGE);
	CHECK_REFUSED(&t, tb_open(&t, vs, 0x1001, 0x3000, 1), PTD_ERR_BAD_RANGE);
	/* A range over several L4 entries needs no node: guard level 4. */
	c = tb_open(&t, vs, 0, PTD_USER_END, 0).new_id;
	CHECK(tb_cursor(&t, c) != NULL);
	CHECK_EQ(tb_live_nodes(&t), 1);
	/* Step 2 before step 3. */
	CHECK_REFUSED(&t, tb_open(&t, vs, 0x1000, 0x3000, 1), PTD_ERR_BUSY);
	CHECK_EQ(tb_drop_cursor(&t, c).status, PTD_OK);

	/* Two slots free: three nodes still too many; exactly two fit. */
	r = tb_segment_split(&t, s, 2 * PG);
	left = r.new_id;
	right = r.new_id2;
	CHECK_EQ(tb_segment_drop(&t, left).status, PTD_OK); /* 33, 34 */
	CHECK_REFUSED(&t, tb_open(&t, vs, 0x1000, 0x3000, 1), PTD_ERR_WOULD_PANIC);
	r = tb_open(&t, vs, 0, 4 * MIB, 1);              /* L3 and L2 */
	CHECK_EQ(r.status, PTD_OK);
	CHECK_NODE(&t, 33, vs, 1, 0);
	CHECK_NODE(&t, 34, vs, 2, 0);
	CHECK_EQ(tb_drop_cursor(&t, r.new_id).status, PTD_OK);
	/* Now each of these needs only an L1 node, and none is free. */
	CHECK_REFUSED(&t, tb_open(&t, vs, 0x1000, 0x3000, 1), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_open(&t, vs, 0, 2 * MIB, 0), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_open(&t, vs, 2 * MIB, 4 * MIB, 1), PTD_ERR_WOULD_PANIC);
	/* Existing nodes need nothing. */
	r = tb_open(&t, vs, 0, 4 * MIB, 0);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(tb_drop_cursor(&t, r.new_id).status, PTD_OK);
	/* One more slot (a frame taken from the segment and dropped). */
	g = tb_segment_next(&t, right).new_id;          /* frame at 35 */
	CHECK_EQ(tb_frame_drop(&t, g).status, PTD_OK);
	r = tb_open(&t, vs, 0x1000, 0x3000, 1);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_NODE(&t, 35, vs, 3, 0);
	CHECK_EQ(tb_cursor(&t, r.new_id)->va, 0x1000);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Map: READ_ONLY first; WOULD_PANIC with the handle live until enough slots are free. */
TEST(map)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t vs1, vs2, c1, c2, f, s, right, g, f6, f7, f8;
	tb_init(&t, &ptd_oracle_backend);
	vs1 = tb_new_vs(&t).new_id;                      /* root at 32 */
	vs2 = tb_new_vs(&t).new_id;                      /* root at 33 */
	c1 = tb_open(&t, vs1, 0, PTD_USER_END, 1).new_id;
	c2 = tb_open(&t, vs2, 0, PTD_USER_END, 0).new_id;
	f = ou_frame(&t, 5);
	s = tb_segment(&t, 34 * PG, 30 * PG).new_id;    /* pool full */
	CHECK_REFUSED(&t, tb_map(&t, c2, f, OU_PROP_RW), PTD_ERR_READ_ONLY);
	CHECK_REFUSED(&t, tb_map(&t, c1, f, OU_PROP_RW), PTD_ERR_WOULD_PANIC); /* needs 3 */
	CHECK(ou_has_handle(&t, f, 5 * PG));
	r = tb_segment_split(&t, s, 2 * PG);
	right = r.new_id2;
	CHECK_EQ(tb_segment_drop(&t, r.new_id).status, PTD_OK); /* 34, 35 */
	CHECK_REFUSED(&t, tb_map(&t, c1, f, OU_PROP_RW), PTD_ERR_WOULD_PANIC);
	g = tb_segment_next(&t, right).new_id;          /* 36 */
	CHECK_EQ(tb_frame_drop(&t, g).status, PTD_OK);
	/* Three free: L3, L2, L1 take 34, 35, 36 top-down; usage Frame becomes PageTable. */
	r = tb_map(&t, c1, f, OU_PROP_RW);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_NODE(&t, 34, vs1, 1, 0);
	CHECK_NODE(&t, 35, vs1, 2, 0);
	CHECK_NODE(&t, 36, vs1, 3, 0);
	CHECK(tb_mapping(&t, vs1, 0) != NULL);
	CHECK(tb_has_path(&t, 5, vs1, 4, 0));
	CHECK_EQ(t.view.nframes, 0);
	/* Pool full again: a Map under the same L1 needs nothing. */
	f6 = ou_frame(&t, 6);
	CHECK_EQ(tb_map(&t, c1, f6, OU_PROP_RW).status, PTD_OK);   /* at 0x1000 */
	/* Replace-and-release needs nothing either. */
	CHECK_EQ(tb_jump(&t, c1, 0).status, PTD_OK);
	f7 = ou_frame(&t, 7);
	CHECK_EQ(tb_map(&t, c1, f7, OU_PROP_RW).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	/* A new L1 (at 2 MiB) is one node too many. */
	CHECK_EQ(tb_jump(&t, c1, 2 * MIB).status, PTD_OK);
	f8 = ou_frame(&t, 8);
	CHECK_REFUSED(&t, tb_map(&t, c1, f8, OU_PROP_RW), PTD_ERR_WOULD_PANIC);
	CHECK(ou_has_handle(&t, f8, 8 * PG));
	CHECK_EQ(ou_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* MapIoMem: READ_ONLY, NOT_ALIGNED, OUT_OF_BOUND first; the pool check last. */
TEST(map_iomem)
{
	struct tb t;
	struct ptd_result r;
	const uint64_t io_end = TB_IOMEM_BASE + TB_IOMEM_PAGES * PG;
	ptd_id_t vs1, vs2, c1, c2, s, right, g;
	const struct ptd_mapping_view *m;
	tb_init(&t, &ptd_oracle_backend);
	vs1 = tb_new_vs(&t).new_id;                      /* root at 32 */
	vs2 = tb_new_vs(&t).new_id;                      /* root at 33 */
	c1 = tb_open(&t, vs1, 0, PTD_USER_END, 1).new_id;
	c2 = tb_open(&t, vs2, 0, PTD_USER_END, 0).new_id;
	CHECK_EQ(tb_map(&t, c1, ou_frame(&t, 5), OU_PROP_RW).status, PTD_OK); /* 34, 35, 36 */
	s = tb_segment(&t, 37 * PG, 27 * PG).new_id;    /* pool full */
	/* At 1 GiB: L3 at 0 exists; L2 and L1 at 1 GiB are absent (2 nodes). */
	CHECK_EQ(tb_jump(&t, c1, GIB).status, PTD_OK);
	CHECK_REFUSED(&t, tb_map_iomem(&t, c2, TB_IOMEM_BASE, OU_PROP_RW), PTD_ERR_READ_ONLY);
	CHECK_REFUSED(&t, tb_map_iomem(&t, c1, TB_IOMEM_BASE + 8, OU_PROP_RW),
		      PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_map_iomem(&t, c1, 5 * PG, OU_PROP_RW), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_map_iomem(&t, c1, io_end, OU_PROP_RW), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_map_iomem(&t, c1, TB_IOMEM_BASE, OU_PROP_RW), PTD_ERR_WOULD_PANIC);
	r = tb_segment_split(&t, s, PG);
	right = r.new_id2;
	CHECK_EQ(tb_segment_drop(&t, r.new_id).status, PTD_OK); /* 37 */
	CHECK_REFUSED(&t, tb_map_iomem(&t, c1, TB_IOMEM_BASE, OU_PROP_RW), PTD_ERR_WOULD_PANIC);
	g = tb_segment_next(&t, right).new_id;          /* 38 */
	CHECK_EQ(tb_frame_drop(&t, g).status, PTD_OK);
	r = tb_map_iomem(&t, c1, TB_IOMEM_BASE, OU_PROP_RW);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_NODE(&t, 37, vs1, 2, GIB);
	CHECK_NODE(&t, 38, vs1, 3, GIB);
	m = tb_mapping(&t, vs1, GIB);
	CHECK(m != NULL && m->tracked == 0 && m->pa == TB_IOMEM_BASE);
	CHECK_EQ(tb_cursor(&t, c1)->va, GIB + PG);
	/* Pool full again: the next page under the same L1 needs nothing. */
	CHECK_EQ(tb_map_iomem(&t, c1, TB_IOMEM_BASE + PG, OU_PROP_RW).status, PTD_OK);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Unmap frees nodes back to the pool; a refused op becomes possible again. */
TEST(unmap_frees_pool_slots)
{
	struct tb t;
	ptd_id_t vs, vs2, c;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;                       /* root at 32 */
	c = tb_open(&t, vs, 0, PTD_USER_END, 1).new_id;
	CHECK_EQ(tb_map(&t, c, ou_frame(&t, 5), OU_PROP_RW).status, PTD_OK); /* 33, 34, 35 */
	CHECK_EQ(tb_segment(&t, 36 * PG, 28 * PG).status, PTD_OK);          /* pool full */
	CHECK_REFUSED(&t, tb_new_vs(&t), PTD_ERR_WOULD_PANIC);
	/* Unmap [0, 512 GiB): the L3 node at 0 and everything under it lie inside E. */
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	CHECK_EQ(tb_unmap(&t, c, 512 * GIB).count, 1);
	CHECK_SLOT_FREE(&t, 33, PTD_USAGE_PAGE_TABLE);
	CHECK_SLOT_FREE(&t, 34, PTD_USAGE_PAGE_TABLE);
	CHECK_SLOT_FREE(&t, 35, PTD_USAGE_PAGE_TABLE);
	vs2 = tb_new_vs(&t).new_id;
	CHECK(vs2 != 0);
	CHECK_NODE(&t, 33, vs2, 0, 0);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	tb_fini(&t);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(new_vmspace),
	      PTD_TEST_ENTRY(new_vmspace_every_claimer),
	      PTD_TEST_ENTRY(open_cursor),
	      PTD_TEST_ENTRY(map),
	      PTD_TEST_ENTRY(map_iomem),
	      PTD_TEST_ENTRY(unmap_frees_pool_slots))
