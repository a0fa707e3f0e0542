/* SPDX-License-Identifier: MIT */
/*
 * The cursor ops that change mappings, on either side (docs/POLICY.md §3), against
 * hand-computed results on the 64-frame test machine (pool = frames 32..63): Map (check order,
 * the consumed handle, node allocation top-down at aligned bases, replace-and-release),
 * MapIoMem (check order, the untracked leaf), Unmap (check order, count, release, and policy R:
 * every node wholly inside E = [va, va + len) is freed except the guard node, nodes only partly
 * inside stay even when emptied; unmapping huge empty ranges is cheap where the side counts walk
 * steps) and ProtectNext (the lowest mapping's prop rewritten as (flags & ~clear) | set masked to
 * PTD_PF_ALL, cache unless KEEP; slots, paddr and trackedness never change).
 */
#include "bt.h"

/* A ProtectNext result that found the page [va, va + PG): status OK, found, its range, every
 * other field zero. */
#define CHECK_PROTECTED(r_expr, want_va)                                 \
	do {                                                             \
		struct ptd_result p_ = (r_expr);                         \
		CHECK_EQ(p_.status, PTD_OK);                             \
		CHECK_EQ(p_.found, 1);                                   \
		CHECK_EQ(p_.va, (want_va));                              \
		CHECK_EQ(p_.va_end, (want_va) + PG);                     \
		p_.found = 0;                                            \
		p_.va = p_.va_end = 0;                                   \
		CHECK(tb_result_rest_zero(p_) && !p_.count && !p_.hash); \
	} while (0)

/* A change that changes nothing. */
#define KEEP_ALL ((struct ptd_prop_change){ 0, 0, PTD_CACHE_KEEP })

/* Map step 1: a read-only cursor -> ERR_READ_ONLY, also at its end; step 2: va >= end ->
 * ERR_WOULD_PANIC (no node allocated, at the end of a guard node too).  Each refusal changes
 * nothing and the handle stays live. */
TEST(map_errors_keep_the_handle)
{
	struct tb t;
	ptd_id_t vs, ro, rw, f;

	ro = bt_start(&t, &vs, 0x1000, 0x2000, 0);
	f = bt_frame(&t, 5);
	CHECK_REFUSED(&t, tb_map(&t, ro, f, PROP_RO), PTD_ERR_READ_ONLY);
	CHECK(tb_has_frame(&t, f, 5 * PG));
	CHECK_EQ(t.view.nmaps, 0);
	CHECK_EQ(tb_find_next(&t, ro, PG).status, PTD_OK); /* va = end */
	CHECK_REFUSED(&t, tb_map(&t, ro, f, PROP_RO), PTD_ERR_READ_ONLY);
	CHECK_EQ(tb_drop_cursor(&t, ro).status, PTD_OK);
	rw = tb_open(&t, vs, 0x1000, 0x2000, 1).new_id;
	CHECK_EQ(tb_map(&t, rw, f, PROP_RO).status, PTD_OK);
	CHECK_EQ(tb_cursor(&t, rw)->va, 0x2000);
	f = bt_frame(&t, 6);
	CHECK_REFUSED(&t, tb_map(&t, rw, f, PROP_RO), PTD_ERR_WOULD_PANIC);
	CHECK(tb_has_frame(&t, f, 6 * PG));
	CHECK_EQ(tb_cursor(&t, rw)->va, 0x2000);
	/* At the end of a range that ends where its level-1 node does. */
	CHECK_EQ(tb_drop_cursor(&t, rw).status, PTD_OK);
	rw = tb_open(&t, vs, 0x1fe000, 0x200000, 1).new_id;
	CHECK_EQ(tb_find_next(&t, rw, 0x2000).status, PTD_OK);
	CHECK_REFUSED(&t, tb_map(&t, rw, f, PROP_RO), PTD_ERR_WOULD_PANIC);
	CHECK(tb_has_frame(&t, f, 6 * PG));
	tb_fini(&t);
}

/* Map into the guard node: the PTE takes the handle's reference (rc stays 1), the slot gains
 * the leaf position, the handle is consumed, the result is the status alone, the cursor moves
 * one page, no node is allocated. */
TEST(map_moves_the_handle_reference_into_the_pte)
{
	const struct ptd_prop prop = { .flags = PTD_PF_W | PTD_PF_X, .cache = PTD_CACHE_WC };
	struct tb t;
	const struct ptd_mapping_view *m;
	ptd_id_t vs, c, f;

	c = bt_start(&t, &vs, 0x1000, 0x3000, 1);
	f = bt_frame(&t, 5);
	CHECK_ONLY_STATUS(tb_map(&t, c, f, prop), PTD_OK);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_paths(&t, 5), 1);
	CHECK(tb_has_path(&t, 5, vs, 4, 0x1000));
	CHECK_EQ(t.view.nframes, 0);
	m = tb_mapping(&t, vs, 0x1000);
	CHECK(m != NULL);
	if (m) {
		CHECK_EQ(m->pa, 5 * PG);
		CHECK_EQ(m->tracked, 1);
		CHECK_EQ(m->prop.flags, PTD_PF_W | PTD_PF_X);
		CHECK_EQ(m->prop.cache, PTD_CACHE_WC);
	}
	CHECK_EQ(tb_cursor(&t, c)->va, 0x2000);
	CHECK_EQ(tb_live_nodes(&t), 4); /* the guard is the level-1 node */
	CHECK_NODE_ENTRIES(&t, 35, 1);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* From a cursor whose guard is the root: the missing L3, L2, L1 are allocated top-down, lowest
 * pool slot first, at bases aligned to their span; the next page reuses the path; crossing into
 * the next 2 MiB allocates only a level-1 node. */
TEST(map_allocates_missing_nodes_top_down)
{
	const uint64_t base = 3 * 512 * GIB + 5 * GIB;
	struct tb t;
	ptd_id_t vs, c;

	c = bt_open_mapped(&t, &vs, 0, PTD_USER_END, base + 7 * MIB + 0x3000, 5, PROP_RO);
	CHECK_NODE(&t, 33, vs, 1, 3 * 512 * GIB);
	CHECK_NODE(&t, 34, vs, 2, base);
	CHECK_NODE(&t, 35, vs, 3, base + 6 * MIB);
	CHECK(tb_has_path(&t, 5, vs, 4, base + 7 * MIB + 0x3000));
	CHECK_EQ(tb_live_nodes(&t), 4);
	CHECK_EQ(tb_map(&t, c, bt_frame(&t, 6), PROP_RO).status, PTD_OK);
	CHECK_EQ(tb_live_nodes(&t), 4);
	CHECK(tb_has_path(&t, 6, vs, 4, base + 7 * MIB + 0x4000));
	bt_map_slot(&t, c, base + 8 * MIB, 7, PROP_RO);
	CHECK_EQ(tb_live_nodes(&t), 5);
	CHECK_NODE(&t, 36, vs, 3, base + 8 * MIB);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* From a cursor whose guard is a level-2 node: only the level-1 node is missing, allocated at
 * its 2 MiB base; a second level-1 node below the guard takes the next slot. */
TEST(map_allocates_below_a_level_2_guard)
{
	struct tb t;
	ptd_id_t vs, c;

	c = bt_open_mapped(&t, &vs, 0, 4 * MIB, 2 * MIB + 0x3000, 5, PROP_RW); /* L3 33, L2 34 */
	CHECK_NODE(&t, 35, vs, 3, 2 * MIB);
	CHECK_EQ(tb_live_nodes(&t), 4);
	CHECK_EQ(tb_map(&t, c, bt_frame(&t, 6), PROP_RW).status, PTD_OK); /* the same L1 */
	CHECK_EQ(tb_live_nodes(&t), 4);
	bt_map_slot(&t, c, 0, 7, PROP_RW);
	CHECK_NODE(&t, 36, vs, 3, 0);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Map step 4: the old frame at va is released; at its last reference it is torn down (usage
 * kept Frame); the new mapping has the new frame and prop. */
TEST(map_replaces_and_releases_last_reference)
{
	struct tb t;
	ptd_id_t vs, c;

	c = bt_open_mapped(&t, &vs, 0x1000, 0x3000, 0x1000, 5, PROP_RO);
	bt_map_slot(&t, c, 0x1000, 6, PROP_RW);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_SLOT_LIVE(&t, 6, 1, PTD_USAGE_FRAME);
	CHECK(tb_has_path(&t, 6, vs, 4, 0x1000));
	CHECK_EQ(tb_mapping(&t, vs, 0x1000)->pa, 6 * PG);
	CHECK_EQ(tb_mapping(&t, vs, 0x1000)->prop.flags, PTD_PF_W);
	CHECK_EQ(t.view.nmaps, 1);
	CHECK_NODE_ENTRIES(&t, 35, 1);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x2000);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Map step 4 with other references: the old frame only loses one (rc - 1, its path); its
 * handle stays live. */
TEST(map_replaces_and_releases_one_reference)
{
	struct tb t;
	ptd_id_t vs, c, h;

	c = bt_open_mapped(&t, &vs, 0x1000, 0x3000, 0x1000, 5, PROP_RW);
	h = tb_from_in_use(&t, 5 * PG).new_id;
	bt_map_slot(&t, c, 0x1000, 6, PROP_RW);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_paths(&t, 5), 0);
	CHECK(tb_has_frame(&t, h, 5 * PG));
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Mapping a frame over its own mapping: one release then one install, rc = H + P = 1, the
 * handle consumed, the new prop in place. */
TEST(map_same_frame_over_itself)
{
	struct tb t;
	ptd_id_t vs, c, h;

	c = bt_open_mapped(&t, &vs, 0x1000, 0x3000, 0x1000, 5, PROP_RW);
	h = tb_from_in_use(&t, 5 * PG).new_id;
	CHECK_EQ(tb_slot(&t, 5)->rc, 2);
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	CHECK_EQ(tb_map(&t, c, h, (struct ptd_prop){ .flags = PTD_PF_D }).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_paths(&t, 5), 1);
	CHECK_EQ(tb_mapping(&t, vs, 0x1000)->prop.flags, PTD_PF_D);
	CHECK_EQ(t.view.nframes, 0);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* The same frame at two addresses: paths is a multiset of two, rc 2.  Here the second mapping
 * replaces another frame, which goes at its last reference. */
TEST(map_same_frame_twice)
{
	struct tb t;
	ptd_id_t vs, c;

	c = bt_open_mapped(&t, &vs, 0x1000, 0x3000, 0x1000, 5, PROP_RW);
	bt_map_slot(&t, c, 0x2000, 6, PROP_RW);
	CHECK_EQ(tb_jump(&t, c, 0x2000).status, PTD_OK);
	CHECK_EQ(tb_map(&t, c, tb_from_in_use(&t, 5 * PG).new_id, PROP_RW).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 5, 2, PTD_USAGE_FRAME);
	CHECK_EQ(tb_paths(&t, 5), 2);
	CHECK(tb_has_path(&t, 5, vs, 4, 0x1000));
	CHECK(tb_has_path(&t, 5, vs, 4, 0x2000));
	CHECK_SLOT_FREE(&t, 6, PTD_USAGE_FRAME);
	CHECK_NODE_ENTRIES(&t, 35, 2);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Map over an I/O leaf: nothing to release; the leaf becomes tracked. */
TEST(map_over_iomem)
{
	struct tb t;
	ptd_id_t vs, c;

	c = bt_start(&t, &vs, 0x1000, 0x3000, 1);
	CHECK_EQ(tb_map_iomem(&t, c, TB_IOMEM_BASE, PROP_RW).status, PTD_OK);
	bt_map_slot(&t, c, 0x2000, 6, PROP_RW);
	bt_map_slot(&t, c, 0x1000, 5, PROP_RW);
	CHECK_EQ(t.view.nmaps, 2);
	CHECK_EQ(tb_mapping(&t, vs, 0x1000)->tracked, 1);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	CHECK_SLOT_LIVE(&t, 6, 1, PTD_USAGE_FRAME);
	CHECK_NODE_ENTRIES(&t, 35, 2);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* MapIoMem check order: READ_ONLY (whatever the paddr), then on a mutable cursor NOT_ALIGNED,
 * OUT_OF_BOUND (in physical memory, below or past the window), and at va >= end WOULD_PANIC,
 * before the paddr checks.  Each refusal changes nothing. */
TEST(map_iomem_errors_in_order)
{
	const uint64_t end = TB_IOMEM_BASE + TB_IOMEM_PAGES * PG;
	struct tb t;
	ptd_id_t vs, ro, rw;

	ro = bt_start(&t, &vs, 0x1000, 0x3000, 0);
	CHECK_REFUSED(&t, tb_map_iomem(&t, ro, 0x123, PROP_RW), PTD_ERR_READ_ONLY);
	CHECK_REFUSED(&t, tb_map_iomem(&t, ro, TB_IOMEM_BASE, PROP_RW), PTD_ERR_READ_ONLY);
	CHECK_EQ(tb_drop_cursor(&t, ro).status, PTD_OK);
	rw = tb_open(&t, vs, 0x1000, 0x3000, 1).new_id;
	CHECK_REFUSED(&t, tb_map_iomem(&t, rw, 0x123, PROP_RW), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_map_iomem(&t, rw, 1, PROP_RW), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_map_iomem(&t, rw, TB_IOMEM_BASE + 1, PROP_RW), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_map_iomem(&t, rw, 0x1000, PROP_RW), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_map_iomem(&t, rw, 5 * PG, PROP_RW), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_map_iomem(&t, rw, TB_IOMEM_BASE - PG, PROP_RW), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_map_iomem(&t, rw, end, PROP_RW), PTD_ERR_OUT_OF_BOUND);
	CHECK_EQ(t.view.nmaps, 0);
	CHECK_EQ(tb_cursor(&t, rw)->va, 0x1000);
	CHECK_EQ(tb_map_iomem(&t, rw, end - PG, PROP_RW).status, PTD_OK);
	CHECK_EQ(tb_map_iomem(&t, rw, TB_IOMEM_BASE, PROP_RW).status, PTD_OK);
	CHECK_REFUSED(&t, tb_map_iomem(&t, rw, 0x123, PROP_RW), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_map_iomem(&t, rw, 1, PROP_RW), PTD_ERR_WOULD_PANIC);
	tb_fini(&t);
}

/* MapIoMem success: an untracked leaf with its paddr and prop; the result is the status alone
 * and the cursor moves a page.  In an existing level-1 node no slot changes; below a level-2
 * guard the level-1 node is allocated as for Map, and the leaf adds no path. */
TEST(map_iomem_installs_untracked_leaf)
{
	const struct ptd_prop prop = { .flags = PTD_PF_W, .cache = PTD_CACHE_UC };
	struct tb t;
	struct tb_snap before;
	const struct ptd_mapping_view *m;
	ptd_id_t vs, c;

	c = bt_start(&t, &vs, 0x1000, 0x3000, 1);
	before = tb_snap_take(&t);
	CHECK_ONLY_STATUS(tb_map_iomem(&t, c, TB_IOMEM_BASE, prop), PTD_OK);
	CHECK(bt_slots_same(&t, &before));
	tb_snap_free(&before);
	m = tb_mapping(&t, vs, 0x1000);
	CHECK(m != NULL);
	if (m) {
		CHECK_EQ(m->tracked, 0);
		CHECK_EQ(m->pa, TB_IOMEM_BASE);
		CHECK_EQ(m->prop.flags, PTD_PF_W);
		CHECK_EQ(m->prop.cache, PTD_CACHE_UC);
	}
	CHECK_EQ(tb_cursor(&t, c)->va, 0x2000);

	c = bt_open_new(&t, &vs, 0, 4 * MIB); /* root 36, L3 37, L2 38 */
	CHECK_EQ(tb_jump(&t, c, 0x5000).status, PTD_OK);
	CHECK_ONLY_STATUS(tb_map_iomem(&t, c, TB_IOMEM_BASE + 2 * PG, PROP_RW), PTD_OK);
	m = tb_mapping(&t, vs, 0x5000);
	CHECK(m != NULL);
	if (m) {
		CHECK_EQ(m->tracked, 0);
		CHECK_EQ(m->pa, TB_IOMEM_BASE + 2 * PG);
	}
	CHECK_NODE(&t, 39, vs, 3, 0);
	CHECK_EQ(t.view.npaths, 8); /* only the two spaces' nodes */
	CHECK_EQ(tb_cursor(&t, c)->va, 0x6000);
	tb_fini(&t);
}

/* MapIoMem over a tracked mapping releases the frame; the leaf becomes untracked. */
TEST(map_iomem_replaces_tracked)
{
	struct tb t;
	ptd_id_t vs, c;

	c = bt_open_mapped(&t, &vs, 0x1000, 0x3000, 0x2000, 5, PROP_RW);
	CHECK_EQ(tb_jump(&t, c, 0x2000).status, PTD_OK);
	CHECK_EQ(tb_map_iomem(&t, c, TB_IOMEM_BASE, PROP_RW).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_EQ(tb_mapping(&t, vs, 0x2000)->tracked, 0);
	CHECK_EQ(t.view.nmaps, 1);
	tb_fini(&t);
}

/* Unmap: READ_ONLY first (whatever the len), then WOULD_PANIC for an unaligned len or one past
 * the locked range; each refusal changes nothing.  len 0 is OK and changes nothing either. */
TEST(unmap_errors_in_order)
{
	struct tb t;
	struct tb_snap before;
	ptd_id_t vs, ro, rw;

	ro = bt_start(&t, &vs, 0x1000, 0x3000, 0);
	CHECK_REFUSED(&t, tb_unmap(&t, ro, 0x123), PTD_ERR_READ_ONLY);
	CHECK_REFUSED(&t, tb_unmap(&t, ro, PG), PTD_ERR_READ_ONLY);
	CHECK_REFUSED(&t, tb_unmap(&t, ro, 0x10000), PTD_ERR_READ_ONLY);
	CHECK_EQ(tb_drop_cursor(&t, ro).status, PTD_OK);
	rw = tb_open(&t, vs, 0x1000, 0x3000, 1).new_id;
	bt_map_slot(&t, rw, 0x1000, 5, PROP_RW);
	CHECK_EQ(tb_jump(&t, rw, 0x1000).status, PTD_OK);
	CHECK_REFUSED(&t, tb_unmap(&t, rw, 0x800), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_unmap(&t, rw, 0x1001), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_unmap(&t, rw, 0x3000), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_unmap(&t, rw, UINT64_MAX & ~0xfffull), PTD_ERR_WOULD_PANIC);
	before = tb_snap_take(&t);
	CHECK_ONLY_STATUS(tb_unmap(&t, rw, 0), PTD_OK);
	CHECK(tb_snap_same(&t, &before));
	tb_snap_free(&before);
	CHECK_MOVE(tb_unmap(&t, rw, 0x2000), PTD_OK, 1, 0);
	tb_fini(&t);
}

/* Unmap counts tracked and untracked pages; each frame is released once (a handle keeps one
 * alive, the last reference tears one down); pages outside [va, va + len) stay; the cursor
 * ends at va + len and the guard node stays.  With nothing mapped the count is 0 and the cursor
 * still moves by len. */
TEST(unmap_counts_and_releases)
{
	struct tb t;
	ptd_id_t vs, c, h6;

	c = bt_start(&t, &vs, 0, 0x8000, 1); /* 33, 34, 35; guard = L1 at 0 */
	CHECK_EQ(tb_map(&t, c, bt_frame(&t, 5), PROP_RW).status, PTD_OK); /* 0x0000 */
	CHECK_EQ(tb_map(&t, c, bt_frame(&t, 6), PROP_RW).status, PTD_OK); /* 0x1000 */
	h6 = tb_from_in_use(&t, 6 * PG).new_id;
	CHECK_EQ(tb_map_iomem(&t, c, TB_IOMEM_BASE, PROP_RW).status, PTD_OK); /* 0x2000 */
	CHECK_EQ(tb_map(&t, c, bt_frame(&t, 7), PROP_RW).status, PTD_OK);     /* 0x3000 */
	CHECK_EQ(tb_map(&t, c, bt_frame(&t, 8), PROP_RW).status, PTD_OK);     /* 0x4000 */
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);

	CHECK_MOVE(tb_unmap(&t, c, 0x3000), PTD_OK, 3, 0); /* [0x1000, 0x4000) */
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);        /* before va */
	CHECK_SLOT_LIVE(&t, 6, 1, PTD_USAGE_FRAME);        /* h6 keeps it */
	CHECK_EQ(tb_paths(&t, 6), 0);
	CHECK(tb_has_frame(&t, h6, 6 * PG));
	CHECK_SLOT_FREE(&t, 7, PTD_USAGE_FRAME);    /* last reference */
	CHECK_SLOT_LIVE(&t, 8, 1, PTD_USAGE_FRAME); /* at va + len: outside */
	CHECK_EQ(t.view.nmaps, 2);
	CHECK(tb_mapping(&t, vs, 0) != NULL);
	CHECK(tb_mapping(&t, vs, 0x4000) != NULL);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x4000);
	CHECK_EQ(tb_live_nodes(&t), 4);
	CHECK_EQ(tb_accounting_violations(&t), 0);

	CHECK_EQ(tb_jump(&t, c, 0x5000).status, PTD_OK);
	CHECK_MOVE(tb_unmap(&t, c, 0x2000), PTD_OK, 0, 0);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x7000);
	tb_fini(&t);
}

/* Mappings with other references drop by one each; a frame mapped twice in E drops by two. */
TEST(unmap_releases_one_reference_per_mapping)
{
	struct tb t;
	ptd_id_t vs, c, h;

	c = bt_open_mapped(&t, &vs, 0x1000, 0x5000, 0x1000, 5, PROP_RO);
	h = tb_from_in_use(&t, 5 * PG).new_id;
	CHECK_EQ(tb_map(&t, c, tb_from_in_use(&t, 5 * PG).new_id, PROP_RO).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 5, 3, PTD_USAGE_FRAME);
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	CHECK_EQ(tb_unmap(&t, c, 0x4000).count, 2);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_paths(&t, 5), 0);
	CHECK(tb_has_frame(&t, h, 5 * PG));
	CHECK_EQ(tb_frame_drop(&t, h).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	tb_fini(&t);
}

/*
 * Cursor [0, 8 MiB): guard level 2 (root 32, L3 33, L2 34).  Mappings at 0 and 0x1000 (L1 node
 * 35 for [0, 2M)), 2M (L1 36 for [2M, 4M)), an I/O leaf at 4M (L1 37 for [4M, 6M)).
 */
static ptd_id_t unmap_fixture(struct tb *t, ptd_id_t *vs)
{
	ptd_id_t c = bt_open_new(t, vs, 0, 8 * MIB);

	bt_map_slot(t, c, 0, 5, PROP_RO);
	bt_map_slot(t, c, 0x1000, 6, PROP_RO);
	bt_map_slot(t, c, 2 * MIB, 7, PROP_RO);
	CHECK_EQ(tb_jump(t, c, 4 * MIB).status, PTD_OK);
	CHECK_EQ(tb_map_iomem(t, c, TB_IOMEM_BASE, PROP_RO).status, PTD_OK);
	CHECK_EQ(tb_live_nodes(t), 6);
	return c;
}

/* E = [0, 2M + 4K): three mappings removed and released; L1 35 (wholly inside) freed, L1 36
 * (partly inside) kept though empty; the cursor ends at exactly va + len.  E = [4M, 6M) is
 * exactly L1 37: the I/O leaf counts, the node is freed.  E = the whole locked range = the
 * guard node's span: L1 36 freed, the guard L2 kept. */
TEST(unmap_frees_whole_nodes_keeps_partial_ones)
{
	struct tb t;
	ptd_id_t vs, c;

	bt_init(&t);
	c = unmap_fixture(&t, &vs);
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	CHECK_MOVE(tb_unmap(&t, c, 2 * MIB + PG), PTD_OK, 3, 0);
	CHECK_EQ(tb_cursor(&t, c)->va, 2 * MIB + PG);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_SLOT_FREE(&t, 6, PTD_USAGE_FRAME);
	CHECK_SLOT_FREE(&t, 7, PTD_USAGE_FRAME);
	CHECK_SLOT_FREE(&t, 35, PTD_USAGE_PAGE_TABLE);
	CHECK_NODE(&t, 36, vs, 3, 2 * MIB);
	CHECK_NODE_ENTRIES(&t, 36, 0);
	CHECK_EQ(tb_live_nodes(&t), 5);
	CHECK_EQ(t.view.nmaps, 1);
	CHECK_EQ(tb_jump(&t, c, 4 * MIB).status, PTD_OK);
	CHECK_EQ(tb_unmap(&t, c, 2 * MIB).count, 1);
	CHECK_SLOT_FREE(&t, 37, PTD_USAGE_PAGE_TABLE);
	CHECK_EQ(t.view.nmaps, 0);
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	CHECK_EQ(tb_unmap(&t, c, 8 * MIB).count, 0);
	CHECK_SLOT_FREE(&t, 36, PTD_USAGE_PAGE_TABLE);
	CHECK_NODE(&t, 34, vs, 2, 0);
	CHECK_EQ(tb_live_nodes(&t), 3);
	CHECK_EQ(tb_cursor(&t, c)->va, 8 * MIB);
	tb_fini(&t);
}

/* Page-sized unmaps never free nodes; an unmap that ends inside a level-1 node keeps it, one
 * that starts inside a level-1 node keeps that one: E = [2M - 4K, 4M) frees L1 36 only. */
TEST(unmap_partial_nodes_stay)
{
	struct tb t;
	ptd_id_t vs, c;

	bt_init(&t);
	c = unmap_fixture(&t, &vs);
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	CHECK_EQ(tb_unmap(&t, c, PG).count, 1);
	CHECK_EQ(tb_unmap(&t, c, PG).count, 1);
	CHECK_EQ(tb_live_nodes(&t), 6);
	CHECK_NODE_ENTRIES(&t, 35, 0);
	CHECK_EQ(tb_jump(&t, c, 2 * MIB - PG).status, PTD_OK);
	CHECK_EQ(tb_unmap(&t, c, 2 * MIB + PG).count, 1);
	CHECK_NODE(&t, 35, vs, 3, 0);
	CHECK_SLOT_FREE(&t, 36, PTD_USAGE_PAGE_TABLE);
	tb_fini(&t);
}

/* Cursor [0, 6 MiB), guard L2 34: E = [4K, 2M + 4K) covers both L1 nodes only in part, and
 * frees neither, though the one of [2M, 4M) is left empty; E = [0, 4M) covers both whole and
 * frees them, keeping the guard, the L3 and the L1 node beyond E.  A later Map takes the lowest
 * free pool slot again. */
TEST(unmap_frees_nodes_wholly_inside)
{
	struct tb t;
	ptd_id_t vs, c;

	c = bt_start(&t, &vs, 0, 6 * MIB, 1);    /* L3 33, L2 34 = guard */
	bt_map_slot(&t, c, 0, 5, PROP_RW);       /* L1 35 at 0 */
	bt_map_slot(&t, c, 2 * MIB, 6, PROP_RW); /* L1 36 at 2M */
	CHECK_EQ(tb_jump(&t, c, 4 * MIB).status, PTD_OK);
	CHECK_EQ(tb_map_iomem(&t, c, TB_IOMEM_BASE, PROP_RW).status, PTD_OK); /* L1 37 at 4M */

	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	CHECK_EQ(tb_unmap(&t, c, 2 * MIB).count, 1);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	CHECK_SLOT_FREE(&t, 6, PTD_USAGE_FRAME);
	CHECK_EQ(tb_live_nodes(&t), 6);
	CHECK_NODE(&t, 36, vs, 3, 2 * MIB);

	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	CHECK_EQ(tb_unmap(&t, c, 4 * MIB).count, 1);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_SLOT_FREE(&t, 35, PTD_USAGE_PAGE_TABLE);
	CHECK_SLOT_FREE(&t, 36, PTD_USAGE_PAGE_TABLE);
	CHECK_NODE(&t, 33, vs, 1, 0);
	CHECK_NODE(&t, 34, vs, 2, 0);
	CHECK_NODE(&t, 37, vs, 3, 4 * MIB);
	CHECK_EQ(tb_cursor(&t, c)->va, 4 * MIB);
	CHECK_EQ(t.view.nmaps, 1);

	bt_map_slot(&t, c, 2 * MIB, 7, PROP_RW);
	CHECK_NODE(&t, 35, vs, 3, 2 * MIB);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* A guard node at level 1 is kept even when E is exactly its span; its mappings go. */
TEST(unmap_keeps_the_guard_node)
{
	struct tb t;
	ptd_id_t vs, c;

	c = bt_open_mapped(&t, &vs, 0, 2 * MIB, 0, 5, PROP_RO); /* root, L3, L2, L1 = 32..35 */
	bt_map_slot(&t, c, 2 * MIB - PG, 6, PROP_RO);
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	CHECK_EQ(tb_unmap(&t, c, 2 * MIB).count, 2);
	CHECK_NODE(&t, 35, vs, 3, 0);
	CHECK_EQ(tb_live_nodes(&t), 4);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_SLOT_FREE(&t, 6, PTD_USAGE_FRAME);
	CHECK_EQ(tb_cursor(&t, c)->va, 2 * MIB);
	tb_fini(&t);
}

/* A guard L2 node whose span is E: its L1 children are freed, it stays. */
TEST(unmap_whole_guard_span_frees_children_only)
{
	struct tb t;
	ptd_id_t vs, c;

	c = bt_start(&t, &vs, GIB, 2 * GIB, 1);       /* L3 33 at 0, L2 34 at 1G = guard */
	bt_map_slot(&t, c, GIB, 5, PROP_RW);          /* L1 35 */
	bt_map_slot(&t, c, 2 * GIB - PG, 6, PROP_RW); /* L1 36 */
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

/* Unmap only touches the cursor's space: the same layout in another space keeps its nodes and
 * its mapping of the same frame. */
TEST(unmap_only_this_space)
{
	struct tb t;
	ptd_id_t a, b, ca, cb, h;

	bt_init(&t);
	a = tb_new_vs(&t).new_id;                                          /* 32 */
	b = tb_new_vs(&t).new_id;                                          /* 33 */
	ca = tb_open(&t, a, 0, 4 * MIB, 1).new_id;                         /* 34, 35 */
	cb = tb_open(&t, b, 0, 4 * MIB, 1).new_id;                         /* 36, 37 */
	CHECK_EQ(tb_map(&t, ca, bt_frame(&t, 5), PROP_RW).status, PTD_OK); /* L1 38 */
	h = tb_from_in_use(&t, 5 * PG).new_id;
	CHECK_EQ(tb_map(&t, cb, h, PROP_RW).status, PTD_OK); /* L1 39 */
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

/* The level-1 node the cursor last walked through is freed by an unmap that starts in it; the
 * cursor keeps working and the next map allocates a fresh node in the lowest free slot. */
TEST(unmap_then_map_through_a_freed_node)
{
	struct tb t;
	ptd_id_t vs, c;

	bt_init(&t);
	c = unmap_fixture(&t, &vs);
	CHECK_EQ(tb_jump(&t, c, 4 * MIB).status, PTD_OK);
	CHECK_EQ(tb_query(&t, c).found, 1); /* through L1 37 */
	CHECK_EQ(tb_unmap(&t, c, 2 * MIB).count, 1);
	CHECK_SLOT_FREE(&t, 37, PTD_USAGE_PAGE_TABLE);
	CHECK_EQ(tb_jump(&t, c, 4 * MIB + PG).status, PTD_OK);
	CHECK_EQ(tb_query(&t, c).found, 0);
	CHECK_EQ(tb_map(&t, c, bt_frame(&t, 8), PROP_RO).status, PTD_OK);
	CHECK_NODE(&t, 37, vs, 3, 4 * MIB);
	CHECK(tb_has_path(&t, 8, vs, 4, 4 * MIB + PG));
	tb_fini(&t);
}

/* Unmapping huge empty ranges (cheap where the side counts walk steps: absent entries and
 * nodes wholly inside E are dropped whole); a node wholly inside E goes even when E starts
 * before it, and an empty L3 node goes once E covers all of it. */
TEST(unmap_huge_ranges)
{
	struct tb t;
	ptd_id_t vs, c;
	uint64_t steps;

	c = bt_start(&t, &vs, 0, PTD_USER_END, 1);
	steps = bt_walk_steps(&t);
	CHECK_MOVE(tb_unmap(&t, c, 1 * GIB), PTD_OK, 0, 0);
	CHECK_WALK_STEPS(&t, steps, 2);
	bt_map_slot(&t, c, 1 * GIB + PG, 5, PROP_RO);
	CHECK_EQ(tb_live_nodes(&t), 4);
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	steps = bt_walk_steps(&t);
	CHECK_EQ(tb_unmap(&t, c, 1 * GIB).count, 0); /* the GiB before the mapping */
	CHECK_WALK_STEPS(&t, steps, 3);
	CHECK_EQ(tb_live_nodes(&t), 4);
	/* From 1 GiB: the L2 node of GiB 1 lies inside E, the L3 node (from 0) does not. */
	steps = bt_walk_steps(&t);
	CHECK_EQ(tb_unmap(&t, c, 100 * 512 * GIB - 1 * GIB).count, 1);
	CHECK_WALK_STEPS(&t, steps, 2 * 512);
	CHECK_EQ(tb_live_nodes(&t), 2);
	CHECK_NODE(&t, 33, vs, 1, 0);
	CHECK_SLOT_FREE(&t, 34, PTD_USAGE_PAGE_TABLE);
	CHECK_SLOT_FREE(&t, 35, PTD_USAGE_PAGE_TABLE);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_EQ(tb_cursor(&t, c)->va, 100 * 512 * GIB);
	/* From 0 over 512 GiB: now the (empty) L3 node is wholly inside and is freed. */
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	steps = bt_walk_steps(&t);
	CHECK_EQ(tb_unmap(&t, c, 512 * GIB).count, 0);
	CHECK_WALK_STEPS(&t, steps, 2);
	CHECK_EQ(tb_live_nodes(&t), 1);
	CHECK_SLOT_FREE(&t, 33, PTD_USAGE_PAGE_TABLE);
	tb_fini(&t);
}

/* ProtectNext: READ_ONLY first (whatever the len), then WOULD_PANIC for an unaligned len or one
 * past the locked range; each refusal changes nothing (the cursor stays). */
TEST(protect_next_errors_in_order)
{
	struct tb t;
	ptd_id_t vs, ro, rw;

	ro = bt_start(&t, &vs, 0x1000, 0x3000, 0);
	CHECK_REFUSED(&t, tb_protect(&t, ro, 0x123, KEEP_ALL), PTD_ERR_READ_ONLY);
	CHECK_REFUSED(&t, tb_protect(&t, ro, PG, KEEP_ALL), PTD_ERR_READ_ONLY);
	CHECK_REFUSED(&t, tb_protect(&t, ro, 0x10000, KEEP_ALL), PTD_ERR_READ_ONLY);
	CHECK_EQ(tb_drop_cursor(&t, ro).status, PTD_OK);
	rw = tb_open(&t, vs, 0x1000, 0x3000, 1).new_id;
	CHECK_REFUSED(&t, tb_protect(&t, rw, 0x10, KEEP_ALL), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_protect(&t, rw, 0x123, KEEP_ALL), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_protect(&t, rw, 0x3000, KEEP_ALL), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_protect(&t, rw, 0x5000, KEEP_ALL), PTD_ERR_WOULD_PANIC);
	CHECK_EQ(tb_cursor(&t, rw)->va, 0x1000);
	tb_fini(&t);
}

/* Found: only the lowest mapping changes, its paddr and trackedness kept, the cursor moves past
 * it, the result is its page.  KEEP keeps the cache, set bits outside PTD_PF_ALL are masked
 * away; an I/O leaf is changed alike.  Not found: the cursor moves exactly len.  No slot ever
 * changes. */
TEST(protect_next_changes_the_first_mapping_only)
{
	const struct ptd_prop prop = { .flags = PTD_PF_W | PTD_PF_A, .cache = PTD_CACHE_WB };
	struct tb t;
	struct tb_snap before;
	const struct ptd_mapping_view *m;
	ptd_id_t vs, c;

	c = bt_open_mapped(&t, &vs, 0x1000, 0x8000, 0x2000, 5, prop);
	CHECK_EQ(tb_map_iomem(&t, c, TB_IOMEM_BASE, prop).status, PTD_OK); /* 0x3000 */
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	before = tb_snap_take(&t);
	CHECK_PROTECTED(tb_protect(&t, c, 0x4000,
				   (struct ptd_prop_change){ .set = PTD_PF_D,
							     .clear = PTD_PF_W,
							     .cache = PTD_CACHE_UC }),
			0x2000);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x3000);
	m = tb_mapping(&t, vs, 0x2000);
	CHECK_EQ(m->prop.flags, PTD_PF_A | PTD_PF_D);
	CHECK_EQ(m->prop.cache, PTD_CACHE_UC);
	CHECK_EQ(m->pa, 5 * PG);
	CHECK_EQ(m->tracked, 1);
	CHECK_EQ(tb_mapping(&t, vs, 0x3000)->prop.flags, PTD_PF_W | PTD_PF_A);
	CHECK(bt_slots_same(&t, &before));

	CHECK_PROTECTED(tb_protect(&t, c, 0x1000,
				   (struct ptd_prop_change){ .set = 0xf0 | PTD_PF_X,
							     .clear = 0,
							     .cache = PTD_CACHE_KEEP }),
			0x3000);
	m = tb_mapping(&t, vs, 0x3000);
	CHECK_EQ(m->prop.flags, PTD_PF_W | PTD_PF_A | PTD_PF_X);
	CHECK_EQ(m->prop.cache, PTD_CACHE_WB);
	CHECK_EQ(m->pa, TB_IOMEM_BASE);
	CHECK_EQ(m->tracked, 0);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x4000);

	CHECK_MOVE(tb_protect(&t, c, 0x3000,
			      (struct ptd_prop_change){ .set = PTD_PF_ALL, .cache = PTD_CACHE_WT }),
		   PTD_OK, 0, 0);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x7000);
	CHECK(bt_slots_same(&t, &before));
	tb_snap_free(&before);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	tb_fini(&t);
}

/* The search crosses empty space and node boundaries to an I/O leaf GiBs away, which keeps its
 * paddr and stays untracked. */
TEST(protect_next_on_iomem_and_across_nodes)
{
	struct tb t;
	const struct ptd_mapping_view *m;
	ptd_id_t vs, c;

	c = bt_start(&t, &vs, 0, 4 * GIB, 1);
	CHECK_EQ(tb_jump(&t, c, 3 * GIB + 2 * MIB).status, PTD_OK);
	CHECK_EQ(tb_map_iomem(&t, c, TB_IOMEM_BASE + PG,
			      (struct ptd_prop){ .flags = 0, .cache = PTD_CACHE_WC })
			 .status,
		 PTD_OK);
	CHECK_EQ(tb_jump(&t, c, PG).status, PTD_OK);
	CHECK_PROTECTED(
		tb_protect(&t, c, 4 * GIB - PG,
			   (struct ptd_prop_change){ PTD_PF_W | PTD_PF_A, 0, PTD_CACHE_WP }),
		3 * GIB + 2 * MIB);
	m = tb_mapping(&t, vs, 3 * GIB + 2 * MIB);
	CHECK(m != NULL);
	if (m) {
		CHECK_EQ(m->tracked, 0);
		CHECK_EQ(m->pa, TB_IOMEM_BASE + PG);
		CHECK_EQ(m->prop.flags, PTD_PF_W | PTD_PF_A);
		CHECK_EQ(m->prop.cache, PTD_CACHE_WP);
	}
	CHECK_EQ(tb_cursor(&t, c)->va, 3 * GIB + 2 * MIB + PG);
	tb_fini(&t);
}

PTD_BACKEND_TEST_MAIN(
	PTD_TEST_ENTRY(map_errors_keep_the_handle),
	PTD_TEST_ENTRY(map_moves_the_handle_reference_into_the_pte),
	PTD_TEST_ENTRY(map_allocates_missing_nodes_top_down),
	PTD_TEST_ENTRY(map_allocates_below_a_level_2_guard),
	PTD_TEST_ENTRY(map_replaces_and_releases_last_reference),
	PTD_TEST_ENTRY(map_replaces_and_releases_one_reference),
	PTD_TEST_ENTRY(map_same_frame_over_itself), PTD_TEST_ENTRY(map_same_frame_twice),
	PTD_TEST_ENTRY(map_over_iomem), PTD_TEST_ENTRY(map_iomem_errors_in_order),
	PTD_TEST_ENTRY(map_iomem_installs_untracked_leaf),
	PTD_TEST_ENTRY(map_iomem_replaces_tracked), PTD_TEST_ENTRY(unmap_errors_in_order),
	PTD_TEST_ENTRY(unmap_counts_and_releases),
	PTD_TEST_ENTRY(unmap_releases_one_reference_per_mapping),
	PTD_TEST_ENTRY(unmap_frees_whole_nodes_keeps_partial_ones),
	PTD_TEST_ENTRY(unmap_partial_nodes_stay), PTD_TEST_ENTRY(unmap_frees_nodes_wholly_inside),
	PTD_TEST_ENTRY(unmap_keeps_the_guard_node),
	PTD_TEST_ENTRY(unmap_whole_guard_span_frees_children_only),
	PTD_TEST_ENTRY(unmap_only_this_space), PTD_TEST_ENTRY(unmap_then_map_through_a_freed_node),
	PTD_TEST_ENTRY(unmap_huge_ranges), PTD_TEST_ENTRY(protect_next_errors_in_order),
	PTD_TEST_ENTRY(protect_next_changes_the_first_mapping_only),
	PTD_TEST_ENTRY(protect_next_on_iomem_and_across_nodes))
