/* SPDX-License-Identifier: MIT */
/*
 * Core's side of reset and the view (tests/backend/test_reset_view.c has the behaviour both
 * sides share), side-specific because it reads core's internals: reset's cost is its list of
 * touched slots, it empties the registries and puts back every byte of kernel memory and the
 * pool allocator's lowest free slot; and what core's view keeps of a list that does not fit
 * (the oracle's keeps nothing).
 */
#include "core_tb.h"

/* Reset work is the list of slots touched: here exactly the six slots the ops changed; after
 * it the list is empty and the allocator's lowest free slot is the pool's first again. */
TEST(reset_cost_is_what_was_touched)
{
	struct tb t;
	ptd_id_t vs, c;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0x1000, 0x3000);                          /* 32, 33, 34, 35 */
	CHECK_EQ(map_new(&t, c, 0x5000, prop_of(0, 0)).status, PTD_OK); /* 5 */
	CHECK_EQ(tb_frame_drop(&t, tb_frame(&t, 0x6000).new_id).status, PTD_OK); /* 6 */
	(void)tb_query(&t, c);
	CHECK_EQ(tb_core(&t)->nr_reset_list, 6);
	t.be->reset(t.self);
	tb_refresh(&t);
	CHECK_EQ(tb_core(&t)->nr_reset_list, 0);
	CHECK_EQ(core_pt_pool_lowest_free(&tb_core(&t)->pool), TB_POOL_START);
	CHECK_SLOT_FREE(&t, 6, PTD_USAGE_UNUSED);
	/* Ids may be reused after a reset. */
	t.next_id = 1;
	c = open_new(&t, &vs, 0x1000, 0x3000);
	CHECK_EQ(vs, 1);
	CHECK_SLOT_LIVE(&t, 32, 1, PTD_USAGE_PAGE_TABLE);
	tb_fini(&t);
}

/* Reset puts back every byte of core's kernel memory, not only the hash the view shows
 * (tests/backend/test_kernel_io.c checks the view on both sides). */
TEST(reset_restores_kernel_bytes)
{
	struct tb t;
	ptd_id_t kw;

	tb_init(&t, &ptd_core_backend);
	kw = tb_new_kernel_io(&t, 0x2ff0, 0x100, 1).new_id;
	CHECK_EQ(tb_io(&t, PTD_OP_IO_WRITE, kw, 0x20, 9).count, 0x20);
	CHECK_EQ(tb_io(&t, PTD_OP_IO_FILL_ZEROS, kw, 0x20, 0).count, 0x20);
	CHECK(tb_core(&t)->kmem->bytes[0x2ff0] != ptd_kernel_byte(0x2ff0) ||
	      tb_core(&t)->kmem->bytes[0x2ff1] != ptd_kernel_byte(0x2ff1));
	t.be->reset(t.self);
	for (uint64_t i = 0; i < PTD_KERNEL_BYTES; i++) {
		if (tb_core(&t)->kmem->bytes[i] != ptd_kernel_byte(i)) {
			CHECK_EQ(tb_core(&t)->kmem->bytes[i], ptd_kernel_byte(i));
			break;
		}
	}
	CHECK_EQ(tb_core(&t)->kmem->bytes[0x3000], ptd_kernel_byte(0x3000));
	tb_fini(&t);
}

/* Reset drops segments and unique frames at the cost of what was touched: the reset list
 * holds exactly the slots they claimed, and the registries and the pool are empty after. */
TEST(reset_clears_segment_and_unique_registries)
{
	struct tb t;
	ptd_id_t seg;

	tb_init(&t, &ptd_core_backend);
	seg = tb_segment(&t, 2 * PG, 4 * PG).new_id;                /* slots 2..5 */
	CHECK_EQ(tb_segment_split(&t, seg, 2 * PG).status, PTD_OK); /* no slot change */
	CHECK_EQ(tb_unique(&t, 10 * PG).status, PTD_OK);            /* slot 10 */
	CHECK_EQ(tb_segment(&t, 40 * PG, 2 * PG).status, PTD_OK);   /* pool slots 40, 41 */
	CHECK_EQ(tb_core(&t)->nr_reset_list, 7);
	t.be->reset(t.self);
	CHECK_EQ(tb_core(&t)->nr_reset_list, 0);
	CHECK_EQ(tb_core(&t)->segment_ids.nr_live, 0);
	CHECK_EQ(tb_core(&t)->unique_ids.nr_live, 0);
	CHECK_EQ(tb_core(&t)->pool.nr_free, TB_NFRAMES - TB_POOL_START);
	tb_fini(&t);
}

/*
 * Core's own way with a list that does not fit (tests/backend checks the overflow flag on both
 * sides): it stops at the capacity, keeping what fits.
 */
TEST(view_overflow_keeps_what_fits)
{
	struct tb t;
	ptd_id_t vs, c, wr;
	struct ptd_view v;
	struct ptd_content_view one[1];
	struct ptd_io_view io1[1];
	static struct ptd_slot_view slots[TB_NFRAMES];
	struct ptd_segment_view segs[1];
	struct ptd_unique_view uniqs[1];

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0, 64 * KIB);
	CHECK_EQ(map_new(&t, c, 5 * PG, prop_of(PTD_PF_W, PTD_CACHE_WB)).status, PTD_OK);
	CHECK_EQ(tb_jump(&t, c, PG).status, PTD_OK);
	CHECK_EQ(map_new(&t, c, 6 * PG, prop_of(PTD_PF_W, PTD_CACHE_WB)).status, PTD_OK);
	wr = tb_new_io(&t, vs, 0, 2 * PG, 1).new_id;
	(void)tb_new_io(&t, vs, 0, 2 * PG, 0);
	CHECK_EQ(tb_io(&t, PTD_OP_IO_WRITE, wr, 2 * PG, 6).count, 2 * PG);
	CHECK_EQ(t.view.ncontents, 2);
	CHECK_EQ(t.view.npaths, 6); /* 4 nodes, 2 leaves */
	v = t.view;
	v.paths_cap = 2;
	v.maps_cap = 1;
	v.contents = one;
	v.contents_cap = 1;
	v.ios = io1;
	v.ios_cap = 1;
	v.npaths = v.nmaps = v.nvmspaces = v.ncursors = v.nframes = 0;
	v.nsegments = v.nuniques = v.nios = v.ncontents = 0;
	v.overflow = 0;
	t.be->view(t.self, &v);
	CHECK_EQ(v.overflow, 1);
	CHECK_EQ(v.npaths, 2);
	CHECK_EQ(v.nmaps, 1);
	CHECK_EQ(v.ncontents, 1);
	CHECK_EQ(v.nios, 1);
	tb_fini(&t);

	/* Segments and unique frames. */
	tb_init(&t, &ptd_core_backend);
	CHECK_EQ(tb_segment(&t, 0, PG).status, PTD_OK);
	CHECK_EQ(tb_segment(&t, 4 * PG, 2 * PG).status, PTD_OK);
	CHECK_EQ(tb_unique(&t, 9 * PG).status, PTD_OK);
	memset(&v, 0, sizeof v);
	v.nslots = TB_NFRAMES;
	v.slots = slots;
	v.segments = segs;
	v.segments_cap = 1;
	v.uniques = uniqs;
	v.uniques_cap = 0;
	t.be->view(t.self, &v);
	CHECK_EQ(v.overflow, 1);
	CHECK_EQ(v.nsegments, 1);
	CHECK_EQ(v.nuniques, 0);
	tb_fini(&t);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(reset_cost_is_what_was_touched),
	      PTD_TEST_ENTRY(reset_restores_kernel_bytes),
	      PTD_TEST_ENTRY(reset_clears_segment_and_unique_registries),
	      PTD_TEST_ENTRY(view_overflow_keeps_what_fits))
