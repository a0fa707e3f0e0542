/* SPDX-License-Identifier: MIT */
/*
 * Oracle unit tests: Map (node allocation, replace-and-release, error order), MapIoMem (error
 * order, untracked leaves), Unmap (count, release, which nodes are freed) and ProtectNext, each
 * against hand-computed results per docs/POLICY.md §3.
 */
#include "oracle_util.h"

/* Map: the handle is consumed, rc unchanged, (vs, 4, va) added, cursor + 4096, no new node. */
TEST(map_consumes_handle)
{
	struct tb t;
	struct ptd_result r;
	const struct ptd_mapping_view *m;
	const struct ptd_prop prop = { .flags = PTD_PF_W | PTD_PF_X, .cache = PTD_CACHE_WC };
	ptd_id_t vs, c, f;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0, 0x4000, 1).new_id;
	f = ou_frame(&t, 5);
	r = tb_map(&t, c, f, prop);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.found + r.tracked + r.new_id + r.paddr + r.va + r.va_end + r.count, 0);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_paths(&t, 5), 1);
	CHECK(tb_has_path(&t, 5, vs, 4, 0));
	CHECK_EQ(t.view.nframes, 0);
	m = tb_mapping(&t, vs, 0);
	CHECK(m != NULL);
	if (m) {
		CHECK_EQ(m->pa, 5 * PG);
		CHECK_EQ(m->tracked, 1);
		CHECK_EQ(m->prop.flags, PTD_PF_W | PTD_PF_X);
		CHECK_EQ(m->prop.cache, PTD_CACHE_WC);
	}
	CHECK_EQ(tb_cursor(&t, c)->va, 0x1000);
	CHECK_EQ(tb_live_nodes(&t), 4);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Map step 3: missing nodes down to level 1 are allocated top-down at aligned bases. */
TEST(map_allocates_missing_nodes_top_down)
{
	struct tb t;
	ptd_id_t vs, c;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0, 4 * MIB, 1).new_id;   /* L3 33, L2 34 */
	CHECK_EQ(tb_jump(&t, c, 2 * MIB + 0x3000).status, PTD_OK);
	CHECK_EQ(tb_map(&t, c, ou_frame(&t, 5), PROP_RW).status, PTD_OK);
	CHECK_NODE(&t, 35, vs, 3, 2 * MIB);
	CHECK_EQ(tb_live_nodes(&t), 4);
	CHECK_EQ(tb_map(&t, c, ou_frame(&t, 6), PROP_RW).status, PTD_OK);  /* same L1 */
	CHECK_EQ(tb_live_nodes(&t), 4);
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	CHECK_EQ(tb_map(&t, c, ou_frame(&t, 7), PROP_RW).status, PTD_OK);
	CHECK_NODE(&t, 36, vs, 3, 0);

	/* From a cursor with guard level 4: L3, L2, L1 allocated in that order. */
	CHECK_EQ(tb_drop_cursor(&t, c).status, PTD_OK);
	c = tb_open(&t, vs, 0, PTD_USER_END, 1).new_id;
	CHECK_EQ(tb_jump(&t, c, 513 * GIB + 4 * MIB).status, PTD_OK);
	CHECK_EQ(tb_map(&t, c, ou_frame(&t, 8), PROP_RW).status, PTD_OK);
	CHECK_NODE(&t, 37, vs, 1, 512 * GIB);
	CHECK_NODE(&t, 38, vs, 2, 513 * GIB);
	CHECK_NODE(&t, 39, vs, 3, 513 * GIB + 4 * MIB);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Map step 1: read-only -> ERR_READ_ONLY (even at be); the handle stays live. */
TEST(map_read_only)
{
	struct tb t;
	ptd_id_t vs, c, f;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0, 0x1000, 0).new_id;
	f = ou_frame(&t, 5);
	CHECK_REFUSED(&t, tb_map(&t, c, f, PROP_RW), PTD_ERR_READ_ONLY);
	CHECK(tb_has_frame(&t, f, 5 * PG));
	CHECK_EQ(tb_find_next(&t, c, 0x1000).status, PTD_OK);   /* va = be */
	CHECK_REFUSED(&t, tb_map(&t, c, f, PROP_RW), PTD_ERR_READ_ONLY);
	tb_fini(&t);
}

/* Map step 2: va >= be -> ERR_WOULD_PANIC, no node allocated, the handle stays live. */
TEST(map_at_end_would_panic)
{
	struct tb t;
	ptd_id_t vs, c, f;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0x1fe000, 0x200000, 1).new_id;
	f = ou_frame(&t, 5);
	CHECK_EQ(tb_find_next(&t, c, 0x2000).status, PTD_OK);
	CHECK_REFUSED(&t, tb_map(&t, c, f, PROP_RW), PTD_ERR_WOULD_PANIC);
	CHECK(tb_has_frame(&t, f, 5 * PG));
	tb_fini(&t);
}

/* Map step 4: the old frame at va is released; at its last reference it is torn down (usage Frame). */
TEST(map_replaces_and_releases_last_reference)
{
	struct tb t;
	ptd_id_t vs, c, fa, fb;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0, 0x4000, 1).new_id;
	fa = ou_frame(&t, 5);
	fb = ou_frame(&t, 6);
	CHECK_EQ(tb_map(&t, c, fa, PROP_RW).status, PTD_OK);
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	CHECK_EQ(tb_map(&t, c, fb, PROP_RW).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_SLOT_LIVE(&t, 6, 1, PTD_USAGE_FRAME);
	CHECK(tb_has_path(&t, 6, vs, 4, 0));
	CHECK_EQ(tb_mapping(&t, vs, 0)->pa, 6 * PG);
	CHECK_EQ(t.view.nmaps, 1);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x1000);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Map step 4 with other references: the old frame only loses one (rc - 1, its path). */
TEST(map_replaces_and_releases_one_reference)
{
	struct tb t;
	ptd_id_t vs, c, fa, ha, fb;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0, 0x4000, 1).new_id;
	fa = ou_frame(&t, 5);
	CHECK_EQ(tb_map(&t, c, fa, PROP_RW).status, PTD_OK);
	ha = tb_from_in_use(&t, 5 * PG).new_id;
	fb = ou_frame(&t, 6);
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	CHECK_EQ(tb_map(&t, c, fb, PROP_RW).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_paths(&t, 5), 0);
	CHECK(tb_has_frame(&t, ha, 5 * PG));
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Mapping a frame over its own mapping: one release then one install, rc = H + P. */
TEST(map_same_frame_over_itself)
{
	struct tb t;
	ptd_id_t vs, c, f, h;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0, 0x4000, 1).new_id;
	f = ou_frame(&t, 5);
	CHECK_EQ(tb_map(&t, c, f, PROP_RW).status, PTD_OK);
	h = tb_from_in_use(&t, 5 * PG).new_id;
	CHECK_EQ(tb_slot(&t, 5)->rc, 2);
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	CHECK_EQ(tb_map(&t, c, h, PROP_RW).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_paths(&t, 5), 1);
	CHECK_EQ(t.view.nframes, 0);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* The same frame mapped at two addresses: paths is a multiset of two, rc 2. */
TEST(map_same_frame_twice)
{
	struct tb t;
	ptd_id_t vs, c, f, h;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0, 0x4000, 1).new_id;
	f = ou_frame(&t, 5);
	CHECK_EQ(tb_map(&t, c, f, PROP_RW).status, PTD_OK);
	h = tb_from_in_use(&t, 5 * PG).new_id;
	CHECK_EQ(tb_map(&t, c, h, PROP_RW).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 5, 2, PTD_USAGE_FRAME);
	CHECK_EQ(tb_paths(&t, 5), 2);
	CHECK(tb_has_path(&t, 5, vs, 4, 0));
	CHECK(tb_has_path(&t, 5, vs, 4, 0x1000));
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Map over an I/O mapping: nothing to release; the leaf becomes tracked. */
TEST(map_over_iomem)
{
	struct tb t;
	ptd_id_t vs, c, f;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0, 0x4000, 1).new_id;
	CHECK_EQ(tb_map_iomem(&t, c, TB_IOMEM_BASE, PROP_RW).status, PTD_OK);
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	f = ou_frame(&t, 5);
	CHECK_EQ(tb_map(&t, c, f, PROP_RW).status, PTD_OK);
	CHECK_EQ(t.view.nmaps, 1);
	CHECK_EQ(tb_mapping(&t, vs, 0)->tracked, 1);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	tb_fini(&t);
}

/* MapIoMem error order: READ_ONLY, WOULD_PANIC, NOT_ALIGNED, OUT_OF_BOUND; nothing changes. */
TEST(map_iomem_error_order)
{
	struct tb t;
	ptd_id_t vs, ro, rw;
	uint64_t end = TB_IOMEM_BASE + TB_IOMEM_PAGES * PG;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	ro = tb_open(&t, vs, 0, 0x2000, 0).new_id;
	CHECK_REFUSED(&t, tb_map_iomem(&t, ro, 1, PROP_RW), PTD_ERR_READ_ONLY);
	CHECK_REFUSED(&t, tb_map_iomem(&t, ro, TB_IOMEM_BASE, PROP_RW), PTD_ERR_READ_ONLY);
	CHECK_EQ(tb_drop_cursor(&t, ro).status, PTD_OK);

	rw = tb_open(&t, vs, 0, 0x2000, 1).new_id;
	CHECK_REFUSED(&t, tb_map_iomem(&t, rw, TB_IOMEM_BASE + 1, PROP_RW),
		      PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_map_iomem(&t, rw, 1, PROP_RW), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_map_iomem(&t, rw, TB_IOMEM_BASE - PG, PROP_RW),
		      PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_map_iomem(&t, rw, end, PROP_RW), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_map_iomem(&t, rw, 5 * PG, PROP_RW), PTD_ERR_OUT_OF_BOUND);
	CHECK_EQ(tb_map_iomem(&t, rw, end - PG, PROP_RW).status, PTD_OK);
	CHECK_EQ(tb_map_iomem(&t, rw, TB_IOMEM_BASE, PROP_RW).status, PTD_OK);
	/* va == be now: WOULD_PANIC comes before the paddr checks. */
	CHECK_REFUSED(&t, tb_map_iomem(&t, rw, 1, PROP_RW), PTD_ERR_WOULD_PANIC);
	tb_fini(&t);
}

/* MapIoMem success: an untracked leaf, no slot touched, nodes allocated as for Map. */
TEST(map_iomem_installs_untracked_leaf)
{
	struct tb t;
	struct ptd_result r;
	const struct ptd_mapping_view *m;
	ptd_id_t vs, c;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0, 4 * MIB, 1).new_id;   /* 33, 34 */
	CHECK_EQ(tb_jump(&t, c, 0x5000).status, PTD_OK);
	r = tb_map_iomem(&t, c, TB_IOMEM_BASE + 2 * PG, PROP_RW);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.found + r.tracked + r.new_id + r.paddr + r.va + r.va_end + r.count, 0);
	m = tb_mapping(&t, vs, 0x5000);
	CHECK(m != NULL);
	if (m) {
		CHECK_EQ(m->tracked, 0);
		CHECK_EQ(m->pa, TB_IOMEM_BASE + 2 * PG);
		CHECK_EQ(m->prop.flags, PTD_PF_W);
	}
	CHECK_NODE(&t, 35, vs, 3, 0);
	CHECK_EQ(t.view.npaths, 4); /* only the nodes */
	CHECK_EQ(tb_cursor(&t, c)->va, 0x6000);
	tb_fini(&t);
}

/* MapIoMem over a tracked mapping releases the frame. */
TEST(map_iomem_replaces_tracked)
{
	struct tb t;
	ptd_id_t vs, c;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0, 0x4000, 1).new_id;
	CHECK_EQ(tb_map(&t, c, ou_frame(&t, 5), PROP_RW).status, PTD_OK);
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	CHECK_EQ(tb_map_iomem(&t, c, TB_IOMEM_BASE, PROP_RW).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_EQ(tb_mapping(&t, vs, 0)->tracked, 0);
	tb_fini(&t);
}

/* Unmap: count of tracked and untracked pages, each frame released, va = va + len, guard kept. */
TEST(unmap_counts_and_releases)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t vs, c, h6;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0, 0x8000, 1).new_id;     /* 33, 34, 35; guard = L1 at 0 */
	CHECK_EQ(tb_map(&t, c, ou_frame(&t, 5), PROP_RW).status, PTD_OK);   /* 0x0000 */
	CHECK_EQ(tb_map(&t, c, ou_frame(&t, 6), PROP_RW).status, PTD_OK);   /* 0x1000 */
	h6 = tb_from_in_use(&t, 6 * PG).new_id;
	CHECK_EQ(tb_map_iomem(&t, c, TB_IOMEM_BASE, PROP_RW).status, PTD_OK); /* 0x2000 */
	CHECK_EQ(tb_map(&t, c, ou_frame(&t, 7), PROP_RW).status, PTD_OK);   /* 0x3000 */
	CHECK_EQ(tb_map(&t, c, ou_frame(&t, 8), PROP_RW).status, PTD_OK);   /* 0x4000 */
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);

	r = tb_unmap(&t, c, 0x3000);                   /* [0x1000, 0x4000) */
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.count, 3);
	CHECK_EQ(r.found + r.tracked + r.new_id + r.paddr + r.va + r.va_end, 0);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);   /* outside */
	CHECK_SLOT_LIVE(&t, 6, 1, PTD_USAGE_FRAME);   /* handle h6 keeps it */
	CHECK_EQ(tb_paths(&t, 6), 0);
	CHECK(tb_has_frame(&t, h6, 6 * PG));
	CHECK_SLOT_FREE(&t, 7, PTD_USAGE_FRAME);      /* last reference */
	CHECK_SLOT_LIVE(&t, 8, 1, PTD_USAGE_FRAME);   /* at va + len: outside */
	CHECK_EQ(t.view.nmaps, 2);
	CHECK(tb_mapping(&t, vs, 0) != NULL);
	CHECK(tb_mapping(&t, vs, 0x4000) != NULL);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x4000);
	CHECK_EQ(tb_live_nodes(&t), 4);
	CHECK_EQ(tb_accounting_violations(&t), 0);

	/* Nothing mapped: count 0, the cursor still moves by len. */
	CHECK_EQ(tb_jump(&t, c, 0x5000).status, PTD_OK);
	r = tb_unmap(&t, c, 0x2000);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.count, 0);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x7000);
	/* len 0: nothing happens except status OK. */
	r = tb_unmap(&t, c, 0);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x7000);
	tb_fini(&t);
}

/* Unmap step 4: a node wholly inside E is freed, a partially covered one stays (even if empty). */
TEST(unmap_frees_nodes_wholly_inside)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t vs, c;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0, 6 * MIB, 1).new_id;    /* L3 33, L2 34 = guard */
	CHECK_EQ(tb_map(&t, c, ou_frame(&t, 5), PROP_RW).status, PTD_OK);     /* L1 35 @0 */
	CHECK_EQ(tb_jump(&t, c, 2 * MIB).status, PTD_OK);
	CHECK_EQ(tb_map(&t, c, ou_frame(&t, 6), PROP_RW).status, PTD_OK);     /* L1 36 @2M */
	CHECK_EQ(tb_jump(&t, c, 4 * MIB).status, PTD_OK);
	CHECK_EQ(tb_map_iomem(&t, c, TB_IOMEM_BASE, PROP_RW).status, PTD_OK); /* L1 37 @4M */

	/* [0x1000, 2 MiB + 0x1000): covers the L1 at 0 only partly; nothing freed. */
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	r = tb_unmap(&t, c, 2 * MIB);
	CHECK_EQ(r.count, 1);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	CHECK_SLOT_FREE(&t, 6, PTD_USAGE_FRAME);
	CHECK_EQ(tb_live_nodes(&t), 6);
	CHECK_NODE(&t, 36, vs, 3, 2 * MIB);          /* empty but not wholly inside */

	/* [0, 4 MiB): both L1 nodes lie inside; freed.  The guard L2 and the L3 stay. */
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	r = tb_unmap(&t, c, 4 * MIB);
	CHECK_EQ(r.count, 1);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_SLOT_FREE(&t, 35, PTD_USAGE_PAGE_TABLE);
	CHECK_SLOT_FREE(&t, 36, PTD_USAGE_PAGE_TABLE);
	CHECK_NODE(&t, 33, vs, 1, 0);
	CHECK_NODE(&t, 34, vs, 2, 0);
	CHECK_NODE(&t, 37, vs, 3, 4 * MIB);
	CHECK_EQ(tb_cursor(&t, c)->va, 4 * MIB);
	CHECK_EQ(t.view.nmaps, 1);

	/* A later Map reallocates the lowest free pool slot. */
	CHECK_EQ(tb_jump(&t, c, 2 * MIB).status, PTD_OK);
	CHECK_EQ(tb_map(&t, c, ou_frame(&t, 7), PROP_RW).status, PTD_OK);
	CHECK_NODE(&t, 35, vs, 3, 2 * MIB);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* The guard node is never freed, even when E is exactly its span. */
TEST(unmap_keeps_guard_node)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t vs, c;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0, 2 * MIB, 1).new_id;    /* 33, 34, 35; guard = L1 at 0 */
	CHECK_EQ(tb_map(&t, c, ou_frame(&t, 5), PROP_RW).status, PTD_OK);
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	r = tb_unmap(&t, c, 2 * MIB);
	CHECK_EQ(r.count, 1);
	CHECK_NODE(&t, 35, vs, 3, 0);
	CHECK_EQ(tb_live_nodes(&t), 4);
	CHECK_EQ(tb_cursor(&t, c)->va, 2 * MIB);
	tb_fini(&t);
}

/* A guard L2 node equal to E: its L1 children are freed, it stays. */
TEST(unmap_whole_guard_span_frees_children_only)
{
	struct tb t;
	ptd_id_t vs, c;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, GIB, 2 * GIB, 1).new_id;  /* L3 33 @0, L2 34 @1G = guard */
	CHECK_EQ(tb_map(&t, c, ou_frame(&t, 5), PROP_RW).status, PTD_OK);   /* L1 35 */
	CHECK_EQ(tb_jump(&t, c, 2 * GIB - PG).status, PTD_OK);
	CHECK_EQ(tb_map(&t, c, ou_frame(&t, 6), PROP_RW).status, PTD_OK);   /* L1 36 */
	CHECK_NODE(&t, 36, vs, 3, 2 * GIB - 2 * MIB);
	CHECK_EQ(tb_jump(&t, c, GIB).status, PTD_OK);
	CHECK_EQ(tb_unmap(&t, c, GIB).count, 2);
	CHECK_SLOT_FREE(&t, 35, PTD_USAGE_PAGE_TABLE);
	CHECK_SLOT_FREE(&t, 36, PTD_USAGE_PAGE_TABLE);
	CHECK_NODE(&t, 33, vs, 1, 0);
	CHECK_NODE(&t, 34, vs, 2, GIB);
	CHECK_EQ(t.view.npaths, 3);
	tb_fini(&t);
}

/* Unmap only touches the cursor's space: same layout elsewhere keeps nodes and mappings. */
TEST(unmap_only_this_space)
{
	struct tb t;
	ptd_id_t a, b, ca, cb, h;
	tb_init(&t, &ptd_oracle_backend);
	a = tb_new_vs(&t).new_id;                       /* 32 */
	b = tb_new_vs(&t).new_id;                       /* 33 */
	ca = tb_open(&t, a, 0, 4 * MIB, 1).new_id;      /* 34, 35 */
	cb = tb_open(&t, b, 0, 4 * MIB, 1).new_id;      /* 36, 37 */
	CHECK_EQ(tb_map(&t, ca, ou_frame(&t, 5), PROP_RW).status, PTD_OK);  /* L1 38 */
	h = tb_from_in_use(&t, 5 * PG).new_id;
	CHECK_EQ(tb_map(&t, cb, h, PROP_RW).status, PTD_OK);                /* L1 39 */
	CHECK_EQ(tb_slot(&t, 5)->rc, 2);
	CHECK_EQ(tb_jump(&t, ca, 0).status, PTD_OK);
	CHECK_EQ(tb_unmap(&t, ca, 2 * MIB).count, 1);
	CHECK_SLOT_FREE(&t, 38, PTD_USAGE_PAGE_TABLE);
	CHECK_NODE(&t, 39, b, 3, 0);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_paths(&t, 5), 1);
	CHECK(tb_has_path(&t, 5, b, 4, 0));
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Unmap errors: READ_ONLY first, then WOULD_PANIC for an unaligned or too long len. */
TEST(unmap_error_order)
{
	struct tb t;
	ptd_id_t vs, ro, rw;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	ro = tb_open(&t, vs, 0, 0x4000, 0).new_id;
	CHECK_REFUSED(&t, tb_unmap(&t, ro, 0x1000), PTD_ERR_READ_ONLY);
	CHECK_REFUSED(&t, tb_unmap(&t, ro, 0x123), PTD_ERR_READ_ONLY);
	CHECK_EQ(tb_drop_cursor(&t, ro).status, PTD_OK);
	rw = tb_open(&t, vs, 0, 0x4000, 1).new_id;
	CHECK_EQ(tb_map(&t, rw, ou_frame(&t, 5), PROP_RW).status, PTD_OK);
	CHECK_EQ(tb_jump(&t, rw, 0).status, PTD_OK);
	CHECK_REFUSED(&t, tb_unmap(&t, rw, 0x1001), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_unmap(&t, rw, 0x5000), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_unmap(&t, rw, UINT64_MAX & ~0xfffull), PTD_ERR_WOULD_PANIC);
	CHECK_EQ(tb_unmap(&t, rw, 0x4000).count, 1);
	tb_fini(&t);
}

/* ProtectNext found: the first mapping's prop changes, cursor past it; slots unchanged. */
TEST(protect_next_changes_first_mapping)
{
	struct tb t;
	struct ptd_result r;
	const struct ptd_prop prop = { .flags = PTD_PF_W | PTD_PF_A, .cache = PTD_CACHE_WB };
	const struct ptd_mapping_view *m;
	ptd_id_t vs, c;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0, 0x8000, 1).new_id;
	CHECK_EQ(tb_jump(&t, c, 0x2000).status, PTD_OK);
	CHECK_EQ(tb_map(&t, c, ou_frame(&t, 5), prop).status, PTD_OK);       /* 0x2000 */
	CHECK_EQ(tb_map_iomem(&t, c, TB_IOMEM_BASE, prop).status, PTD_OK);   /* 0x3000 */
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);

	r = tb_protect(&t, c, 0x8000,
		       (struct ptd_prop_change){ .set = PTD_PF_X, .clear = PTD_PF_W,
						 .cache = PTD_CACHE_UC });
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.found, 1);
	CHECK_EQ(r.va, 0x2000);
	CHECK_EQ(r.va_end, 0x3000);
	CHECK_EQ(r.tracked + r.new_id + r.paddr + r.count + r.prop.flags + r.prop.cache, 0);
	m = tb_mapping(&t, vs, 0x2000);
	CHECK_EQ(m->prop.flags, PTD_PF_X | PTD_PF_A);
	CHECK_EQ(m->prop.cache, PTD_CACHE_UC);
	CHECK_EQ(tb_mapping(&t, vs, 0x3000)->prop.flags, PTD_PF_W | PTD_PF_A);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x3000);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);

	/* Next: the I/O mapping; cache KEEP keeps WB; set bits outside PTD_PF_ALL are masked. */
	r = tb_protect(&t, c, 0x5000,
		       (struct ptd_prop_change){ .set = 0xf0 | PTD_PF_D, .clear = 0,
						 .cache = PTD_CACHE_KEEP });
	CHECK_EQ(r.found, 1);
	CHECK_EQ(r.va, 0x3000);
	m = tb_mapping(&t, vs, 0x3000);
	CHECK_EQ(m->prop.flags, PTD_PF_W | PTD_PF_A | PTD_PF_D);
	CHECK_EQ(m->prop.cache, PTD_CACHE_WB);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x4000);

	/* None: the cursor moves to exactly va + len. */
	r = tb_protect(&t, c, 0x3000, (struct ptd_prop_change){ .set = PTD_PF_W });
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.found, 0);
	CHECK_EQ(r.va + r.va_end, 0);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x7000);
	tb_fini(&t);
}

/* ProtectNext errors: READ_ONLY first, then WOULD_PANIC. */
TEST(protect_next_error_order)
{
	struct tb t;
	ptd_id_t vs, ro, rw;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	ro = tb_open(&t, vs, 0, 0x4000, 0).new_id;
	CHECK_REFUSED(&t, tb_protect(&t, ro, 0x1000, (struct ptd_prop_change){ 0 }),
		      PTD_ERR_READ_ONLY);
	CHECK_REFUSED(&t, tb_protect(&t, ro, 0x10000, (struct ptd_prop_change){ 0 }),
		      PTD_ERR_READ_ONLY);
	CHECK_EQ(tb_drop_cursor(&t, ro).status, PTD_OK);
	rw = tb_open(&t, vs, 0, 0x4000, 1).new_id;
	CHECK_REFUSED(&t, tb_protect(&t, rw, 0x10, (struct ptd_prop_change){ 0 }),
		      PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_protect(&t, rw, 0x5000, (struct ptd_prop_change){ 0 }),
		      PTD_ERR_WOULD_PANIC);
	tb_fini(&t);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(map_consumes_handle),
	      PTD_TEST_ENTRY(map_allocates_missing_nodes_top_down),
	      PTD_TEST_ENTRY(map_read_only),
	      PTD_TEST_ENTRY(map_at_end_would_panic),
	      PTD_TEST_ENTRY(map_replaces_and_releases_last_reference),
	      PTD_TEST_ENTRY(map_replaces_and_releases_one_reference),
	      PTD_TEST_ENTRY(map_same_frame_over_itself),
	      PTD_TEST_ENTRY(map_same_frame_twice),
	      PTD_TEST_ENTRY(map_over_iomem),
	      PTD_TEST_ENTRY(map_iomem_error_order),
	      PTD_TEST_ENTRY(map_iomem_installs_untracked_leaf),
	      PTD_TEST_ENTRY(map_iomem_replaces_tracked),
	      PTD_TEST_ENTRY(unmap_counts_and_releases),
	      PTD_TEST_ENTRY(unmap_frees_nodes_wholly_inside),
	      PTD_TEST_ENTRY(unmap_keeps_guard_node),
	      PTD_TEST_ENTRY(unmap_whole_guard_span_frees_children_only),
	      PTD_TEST_ENTRY(unmap_only_this_space),
	      PTD_TEST_ENTRY(unmap_error_order),
	      PTD_TEST_ENTRY(protect_next_changes_first_mapping),
	      PTD_TEST_ENTRY(protect_next_error_order))
