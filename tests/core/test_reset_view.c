/* SPDX-License-Identifier: MIT */
/*
 * Reset (back to the initial state at a cost proportional to what was touched) and the view
 * (the abstraction function: derived paths, overflow reporting).
 */
#include "core_tb.h"

/* A script touching every kind of state; ids restart at 1 so two runs are comparable. */
static void busy_script(struct tb *t)
{
	ptd_id_t vs, c, vs2, c2, h;

	t->next_id = 1;
	c = open_new(t, &vs, 0, 8 * MIB);
	CHECK_EQ(map_new(t, c, 0x5000, prop_of(PTD_PF_W, 0)).status, PTD_OK);
	CHECK_EQ(map_new(t, c, 0x6000, prop_of(0, PTD_CACHE_WT)).status, PTD_OK);
	CHECK_EQ(tb_map_iomem(t, c, TB_IOMEM_BASE, prop_of(0, 0)).status, PTD_OK);
	CHECK_EQ(tb_jump(t, c, 2 * MIB).status, PTD_OK);
	CHECK_EQ(map_new(t, c, 0x7000, prop_of(0, 0)).status, PTD_OK);
	CHECK_EQ(tb_jump(t, c, 2 * MIB).status, PTD_OK);
	CHECK_EQ(tb_unmap(t, c, 2 * MIB).count, 1); /* frees an L1 node */
	h = tb_from_in_use(t, 0x5000).new_id;
	CHECK(h != 0);
	(void)tb_query(t, c);
	c2 = open_new(t, &vs2, 0x1000, 0x2000);
	CHECK_EQ(tb_map(t, c2, h, prop_of(0, 0)).status, PTD_OK);
	CHECK_EQ(tb_frame(t, 40 * PG).status, PTD_OK); /* a pool frame as a Frame */
	CHECK_EQ(tb_drop_cursor(t, c2).status, PTD_OK);
	CHECK_EQ(tb_drop_vs(t, vs2).status, PTD_OK);
}

/* Copy of the list parts of a view, to compare two runs. */
struct view_copy {
	struct ptd_slot_view slots[TB_NFRAMES];
	struct ptd_path_view paths[64];
	struct ptd_mapping_view maps[64];
	size_t npaths, nmaps, nvmspaces, ncursors, nframes;
};

static void view_copy(const struct tb *t, struct view_copy *v)
{
	memset(v, 0, sizeof *v);
	memcpy(v->slots, t->view.slots, sizeof v->slots);
	v->npaths = t->view.npaths;
	v->nmaps = t->view.nmaps;
	memcpy(v->paths, t->view.paths, v->npaths * sizeof v->paths[0]);
	memcpy(v->maps, t->view.maps, v->nmaps * sizeof v->maps[0]);
	v->nvmspaces = t->view.nvmspaces;
	v->ncursors = t->view.ncursors;
	v->nframes = t->view.nframes;
}

/* After reset the view is the initial one; running the same ops again gives the same state
 * (the allocator's free set was restored: nodes land in the same slots). */
TEST(reset_returns_to_initial_state_and_replays_identically)
{
	struct tb t;
	static struct view_copy first, second;

	tb_init(&t, &ptd_core_backend);
	busy_script(&t);
	view_copy(&t, &first);
	CHECK(first.nmaps == 3 && first.nvmspaces == 1 && first.ncursors == 1);
	t.be->reset(t.self);
	tb_refresh(&t);
	for (uint64_t i = 0; i < TB_NFRAMES; i++) {
		CHECK_SLOT_FREE(&t, i, PTD_USAGE_UNUSED);
	}
	CHECK_EQ(t.view.npaths, 0);
	CHECK_EQ(t.view.nmaps, 0);
	CHECK_EQ(t.view.nvmspaces, 0);
	CHECK_EQ(t.view.ncursors, 0);
	CHECK_EQ(t.view.nframes, 0);
	CHECK_EQ(tb_core(&t)->nr_reset_list, 0);
	CHECK_EQ(core_pt_pool_lowest_free(&tb_core(&t)->pool), TB_POOL_START);
	busy_script(&t);
	view_copy(&t, &second);
	CHECK(memcmp(&first, &second, sizeof first) == 0);
	tb_fini(&t);
}

/* Reset work is the list of slots touched: here exactly the six slots the ops changed. */
TEST(reset_cost_is_what_was_touched)
{
	struct tb t;
	ptd_id_t vs, c;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0x1000, 0x3000);                         /* 32, 33, 34, 35 */
	CHECK_EQ(map_new(&t, c, 0x5000, prop_of(0, 0)).status, PTD_OK); /* 5 */
	CHECK_EQ(tb_frame_drop(&t, tb_frame(&t, 0x6000).new_id).status, PTD_OK); /* 6 */
	(void)tb_query(&t, c);
	CHECK_EQ(tb_core(&t)->nr_reset_list, 6);
	t.be->reset(t.self);
	tb_refresh(&t);
	CHECK_EQ(tb_core(&t)->nr_reset_list, 0);
	CHECK_SLOT_FREE(&t, 6, PTD_USAGE_UNUSED);
	/* Ids may be reused after a reset. */
	t.next_id = 1;
	c = open_new(&t, &vs, 0x1000, 0x3000);
	CHECK_EQ(vs, 1);
	CHECK_SLOT_LIVE(&t, 32, 1, PTD_USAGE_PAGE_TABLE);
	tb_fini(&t);
}

/* The view derives every path by walking: nodes at (vs, 4 - level, base), leaves at
 * (vs, 4, va), one path per mapping of a frame, across spaces. */
TEST(view_paths_are_derived_from_the_trees)
{
	struct tb t;
	ptd_id_t vs, c, vs2, c2;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0x1000, 0x3000);
	c2 = open_new(&t, &vs2, 0x1000, 0x3000);
	CHECK_EQ(map_new(&t, c, 0x5000, prop_of(0, 0)).status, PTD_OK);
	CHECK_EQ(tb_map(&t, c, tb_from_in_use(&t, 0x5000).new_id, prop_of(0, 0)).status, PTD_OK);
	CHECK_EQ(tb_map(&t, c2, tb_from_in_use(&t, 0x5000).new_id, prop_of(0, 0)).status, PTD_OK);
	CHECK_EQ(tb_map_iomem(&t, c2, TB_IOMEM_BASE, prop_of(0, 0)).status, PTD_OK);
	CHECK_EQ(t.view.npaths, 8 + 3);
	CHECK_EQ(tb_paths(&t, 5), 3);
	CHECK(tb_has_path(&t, 5, vs, 4, 0x1000));
	CHECK(tb_has_path(&t, 5, vs, 4, 0x2000));
	CHECK(tb_has_path(&t, 5, vs2, 4, 0x1000));
	CHECK(tb_has_path(&t, 36, vs2, 0, 0));
	CHECK(tb_has_path(&t, 39, vs2, 3, 0));
	CHECK_SLOT_LIVE(&t, 5, 3, PTD_USAGE_FRAME);
	CHECK_EQ(t.view.nmaps, 4);
	CHECK_EQ(tb_mapping(&t, vs2, 0x2000)->tracked, 0);
	CHECK_EQ(t.view.ncursors, 2);
	tb_fini(&t);
}

/* A capacity too small for the state sets overflow instead of writing past it. */
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
	ptd_id_t vs, c;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0x1000, 0x3000);
	CHECK_EQ(map_new(&t, c, 0x5000, prop_of(0, 0)).status, PTD_OK);
	memset(&v, 0, sizeof v);
	v.nslots = TB_NFRAMES;
	v.slots = slots;
	v.paths = paths;
	v.paths_cap = 2;
	v.maps = maps;
	v.maps_cap = 1;
	v.vmspaces = ids;
	v.vmspaces_cap = 1;
	v.cursors = cursors;
	v.cursors_cap = 1;
	v.frames = frames;
	v.frames_cap = 1;
	t.be->view(t.self, &v);
	CHECK_EQ(v.overflow, 1);
	CHECK_EQ(v.npaths, 2);
	CHECK_EQ(v.nmaps, 1);
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
	v = t.view;
	v.contents = one;
	v.contents_cap = 1;
	v.ios = io1;
	v.ios_cap = 1;
	v.npaths = v.nmaps = v.nvmspaces = v.ncursors = v.nframes = 0;
	v.nsegments = v.nuniques = v.nios = v.ncontents = 0;
	v.overflow = 0;
	t.be->view(t.self, &v);
	CHECK_EQ(v.overflow, 1);
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

PTD_TEST_MAIN(PTD_TEST_ENTRY(reset_returns_to_initial_state_and_replays_identically),
	      PTD_TEST_ENTRY(reset_cost_is_what_was_touched),
	      PTD_TEST_ENTRY(view_paths_are_derived_from_the_trees),
	      PTD_TEST_ENTRY(view_reports_overflow),
	      PTD_TEST_ENTRY(reset_restores_kernel_bytes),
	      PTD_TEST_ENTRY(reset_clears_segment_and_unique_registries),
	      PTD_TEST_ENTRY(view_overflow_keeps_what_fits))
