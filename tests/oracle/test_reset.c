/* SPDX-License-Identifier: MIT */
/*
 * The oracle's side of the view and its tables (tests/backend/test_reset_view.c has the reset
 * and view behaviour both sides share), side-specific because core does otherwise: a view too
 * small for the store writes no list at all (core keeps what fits), and the oracle's flat,
 * growing tables reach benchmark sizes (10^5 mappings), a cost of its own data structures.
 */
#include "oracle_util.h"

/*
 * The oracle's own way with a list that does not fit (tests/backend checks the overflow flag
 * on both sides): it writes nothing at all.
 */
TEST(view_overflow_lists_nothing)
{
	struct tb t;
	ptd_id_t vs, c, wr;
	struct ptd_view v;
	static struct ptd_slot_view slots[TB_NFRAMES];
	static struct ptd_path_view paths[64];
	static struct ptd_mapping_view maps[8];
	ptd_id_t vmspaces[4];
	struct ptd_cursor_view cursors[4];
	struct ptd_frame_view frames[4];
	struct ptd_io_view ios[1];
	struct ptd_content_view contents[2];
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0, 4 * MIB, 1).new_id;
	CHECK_EQ(tb_map(&t, c, ou_frame(&t, 5), PROP_RW).status, PTD_OK);
	CHECK_EQ(tb_map(&t, c, ou_frame(&t, 6), PROP_RW).status, PTD_OK);
	wr = tb_new_io(&t, vs, 0, 2 * PG, 1).new_id;
	CHECK_MOVE(tb_io(&t, PTD_OP_IO_WRITE, wr, 2 * PG, 7), PTD_OK, 2 * PG, 0);
	v = (struct ptd_view){ .nslots = TB_NFRAMES,
			       .slots = slots,
			       .paths = paths,
			       .paths_cap = 64,
			       .maps = maps,
			       .maps_cap = 8,
			       .vmspaces = vmspaces,
			       .vmspaces_cap = 4,
			       .cursors = cursors,
			       .cursors_cap = 4,
			       .frames = frames,
			       .frames_cap = 4,
			       .ios = ios,
			       .ios_cap = 1,
			       .contents = contents,
			       .contents_cap = 1 };
	/* paths[] is too small: no list is written. */
	v.paths_cap = 2;
	t.be->view(t.self, &v);
	CHECK_EQ(v.overflow, 1);
	CHECK_EQ(v.npaths + v.nmaps + v.nvmspaces + v.ncursors + v.nframes, 0);
	/* One io, two written frames: contents[] is too small. */
	v.paths_cap = 64;
	v.overflow = 0;
	t.be->view(t.self, &v);
	CHECK_EQ(v.overflow, 1);
	CHECK_EQ(v.nios + v.ncontents + v.npaths + v.nmaps, 0);
	/* Two ios, contents fitting: ios[] is too small. */
	(void)tb_new_io(&t, vs, 0, 1, 0);
	v.contents_cap = 2;
	v.overflow = 0;
	t.be->view(t.self, &v);
	CHECK_EQ(v.overflow, 1);
	CHECK_EQ(v.nios + v.ncontents, 0);
	tb_fini(&t);

	/* Segments, then unique frames, one too many. */
	tb_init(&t, &ptd_oracle_backend);
	CHECK_EQ(tb_segment(&t, 4 * PG, 2 * PG).status, PTD_OK);
	CHECK_EQ(tb_segment(&t, 8 * PG, PG).status, PTD_OK);
	CHECK_EQ(tb_unique(&t, 12 * PG).status, PTD_OK);
	CHECK_EQ(tb_unique(&t, 13 * PG).status, PTD_OK);
	t.view.segments_cap = 1;
	tb_refresh(&t);
	CHECK_EQ(t.view.overflow, 1);
	CHECK_EQ(t.view.nsegments, 0);
	t.view.segments_cap = 2;
	t.view.uniques_cap = 1;
	tb_refresh(&t);
	CHECK_EQ(t.view.overflow, 1);
	CHECK_EQ(t.view.nuniques, 0);
	tb_fini(&t);
}

/*
 * Benchmark-sized tables: 10^5 frames each mapped once across many L1 nodes, queried, then
 * everything unmapped; on a machine of 2^18 frames with max_handles 2^20.  Drives the backend
 * directly (one view at the end) so the cost is the oracle's.
 */
TEST(large_tables_grow)
{
	enum { N = 100000 };
	const uint64_t nframes = 1u << 18, pool = nframes - 4096;
	const struct ptd_config cfg = { .nframes = nframes,
					.pt_pool_start = pool,
					.iomem_base = 1ull << 40,
					.iomem_end = (1ull << 40) + PG,
					.max_handles = 1u << 20 };
	const struct ptd_backend *be = &ptd_oracle_backend;
	void *o = be->create(&cfg);
	struct ptd_result r;
	struct ptd_view v = { 0 };
	ptd_id_t id = 1, vs, c;
	uint64_t live_nodes = 0, bad = 0;

	CHECK(o != NULL);
	if (!o)
		return;
#define APPLY(...) (memset(&r, 0, sizeof r), be->apply(o, &(struct ptd_op){ __VA_ARGS__ }, &r), r)
	vs = id++;
	CHECK_EQ(APPLY(.kind = PTD_OP_NEW_VM_SPACE, .new_id = vs).status, PTD_OK);
	c = id++;
	CHECK_EQ(APPLY(.kind = PTD_OP_OPEN_CURSOR_MUT, .vs = vs, .va = 0, .end = 4 * GIB,
		       .new_id = c)
			 .status,
		 PTD_OK);
	for (uint64_t i = 0; i < N; i++) {
		ptd_id_t f = id++;
		bad += APPLY(.kind = PTD_OP_FRAME_FROM_UNUSED, .paddr = i * PG, .new_id = f)
			       .status != PTD_OK;
		bad += APPLY(.kind = PTD_OP_MAP, .cursor = c, .frame = f, .prop = PROP_RW).status !=
		       PTD_OK;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(APPLY(.kind = PTD_OP_JUMP, .cursor = c, .va = (N - 1) * PG).status, PTD_OK);
	CHECK_EQ(APPLY(.kind = PTD_OP_QUERY, .cursor = c, .new_id = id++).paddr, (N - 1) * PG);

	v.nslots = nframes;
	v.slots = calloc(nframes, sizeof *v.slots);
	v.paths_cap = v.maps_cap = v.frames_cap = 2 * N;
	v.vmspaces_cap = v.cursors_cap = 4;
	v.paths = calloc(v.paths_cap, sizeof *v.paths);
	v.maps = calloc(v.maps_cap, sizeof *v.maps);
	v.frames = calloc(v.frames_cap, sizeof *v.frames);
	v.vmspaces = calloc(v.vmspaces_cap, sizeof *v.vmspaces);
	v.cursors = calloc(v.cursors_cap, sizeof *v.cursors);
	be->view(o, &v);
	CHECK_EQ(v.overflow, 0);
	CHECK_EQ(v.nmaps, N);
	/* [0, 4 GiB) spans four L3 entries: the guard is the L3 node at 0.  Map added one L2 node
	 * (N pages < 1 GiB) and ceil(N / 512) L1 nodes.  Paths: N leaves + root + L3 + L2 + L1s. */
	CHECK_EQ(v.npaths, N + 3 + (N + 511) / 512);
	CHECK_EQ(v.nframes, 1);
	CHECK_EQ(v.slots[N - 1].rc, 2);

	CHECK_EQ(APPLY(.kind = PTD_OP_JUMP, .cursor = c, .va = 0).status, PTD_OK);
	r = APPLY(.kind = PTD_OP_UNMAP, .cursor = c, .len = 4 * GIB);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.count, N);
	be->view(o, &v);
	CHECK_EQ(v.nmaps, 0);
	CHECK_EQ(v.nframes, 1);
	for (uint64_t i = pool; i < nframes; i++)
		live_nodes += v.slots[i].rc != PTD_RC_UNUSED;
	CHECK_EQ(live_nodes, 2); /* root and the guard L3; the L2 and L1s lay inside E */
	CHECK_EQ(v.slots[0].rc, PTD_RC_UNUSED);
	CHECK_EQ(v.slots[N - 1].rc, 1);
#undef APPLY
	free(v.slots);
	free(v.paths);
	free(v.maps);
	free(v.frames);
	free(v.vmspaces);
	free(v.cursors);
	be->destroy(o);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(view_overflow_lists_nothing), PTD_TEST_ENTRY(large_tables_grow))
