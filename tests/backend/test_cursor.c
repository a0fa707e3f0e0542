/* SPDX-License-Identifier: MIT */
/*
 * The cursor ops that change no mapping, on either side (docs/POLICY.md §3): Query (every
 * branch: out of range, absent, I/O leaf, tracked frame, saturated count), FindNext, Jump and
 * VirtAddr, against hand-computed results on the 64-frame test machine (pool = frames 32..63).
 * The absent Query's range has its own file, test_query_range.c.  FindNext returns the lowest
 * mapping in [va, va + len) and stops the cursor there, or moves it to exactly va + len;
 * searching empty space costs a handful of entry visits where the side counts them.
 */
#include "bt.h"

/* A result with status OK and va, every other field zero (VirtAddr). */
#define CHECK_VA_ONLY(r_expr, want_va)                                   \
	do {                                                             \
		struct ptd_result v_ = (r_expr);                         \
		CHECK_EQ(v_.status, PTD_OK);                             \
		CHECK_EQ(v_.va, (want_va));                              \
		v_.va = 0;                                               \
		CHECK(tb_result_rest_zero(v_) && !v_.count && !v_.hash); \
	} while (0)

/* A FindNext result: status OK, found and va, every other field zero. */
#define CHECK_FOUND(r_expr, want_found, want_va)                         \
	do {                                                             \
		struct ptd_result f_ = (r_expr);                         \
		CHECK_EQ(f_.status, PTD_OK);                             \
		CHECK_EQ(f_.found, (want_found));                        \
		CHECK_EQ(f_.va, (want_va));                              \
		f_.found = 0;                                            \
		f_.va = 0;                                               \
		CHECK(tb_result_rest_zero(f_) && !f_.count && !f_.hash); \
	} while (0)

/* Query step 1: va >= end -> ERR_OUT_OF_RANGE, every other field zero (no handle), the whole
 * view unchanged: the frame mapped there keeps rc 1. */
TEST(query_past_end_is_out_of_range)
{
	struct tb t;
	ptd_id_t vs, c;

	c = bt_open_mapped(&t, &vs, 0x1000, 0x2000, 0x1000, 5, PROP_RW);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x2000);
	CHECK_REFUSED(&t, tb_query(&t, c), PTD_ERR_OUT_OF_RANGE);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	CHECK_EQ(t.view.nframes, 0);
	tb_fini(&t);
}

/* Query step 3: an I/O leaf -> found 1, tracked 0, its paddr, prop and page, no handle, and
 * the whole view unchanged (no slot, no handle, the cursor stays). */
TEST(query_iomem_leaf_is_untracked)
{
	const struct ptd_prop prop = { .flags = PTD_PF_W | PTD_PF_D, .cache = PTD_CACHE_UC };
	struct tb t;
	struct tb_snap before;
	struct ptd_result r;
	ptd_id_t vs, c;

	c = bt_start(&t, &vs, 0x1000, 0x3000, 1);
	CHECK_EQ(tb_map_iomem(&t, c, TB_IOMEM_BASE + 3 * PG, prop).status, PTD_OK);
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	before = tb_snap_take(&t);
	r = tb_query(&t, c);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.found, 1);
	CHECK_EQ(r.tracked, 0);
	CHECK_EQ(r.new_id, 0);
	CHECK_EQ(r.paddr, TB_IOMEM_BASE + 3 * PG);
	CHECK_EQ(r.prop.flags, PTD_PF_W | PTD_PF_D);
	CHECK_EQ(r.prop.cache, PTD_CACHE_UC);
	CHECK_EQ(r.va, 0x1000);
	CHECK_EQ(r.va_end, 0x2000);
	CHECK_EQ(r.count, 0);
	CHECK(tb_snap_same(&t, &before));
	tb_snap_free(&before);
	CHECK_EQ(t.view.nframes, 0);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x1000);
	tb_fini(&t);
}

/* Query step 4: a tracked frame -> rc + 1 and a new Frame handle at its paddr, with its prop
 * and page; its paths stay, the cursor does not move.  Again: one more reference and handle. */
TEST(query_tracked_frame_clones_a_reference)
{
	const struct ptd_prop prop = { .flags = PTD_PF_X | PTD_PF_A, .cache = PTD_CACHE_WT };
	struct tb t;
	struct ptd_result r;
	ptd_id_t vs, c;

	c = bt_open_mapped(&t, &vs, 0x1000, 0x3000, 0x2000, 5, prop);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_jump(&t, c, 0x2000).status, PTD_OK);
	r = tb_query(&t, c);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.found, 1);
	CHECK_EQ(r.tracked, 1);
	CHECK_EQ(r.new_id, t.next_id - 1);
	CHECK_EQ(r.paddr, 5 * PG);
	CHECK_EQ(r.prop.flags, PTD_PF_X | PTD_PF_A);
	CHECK_EQ(r.prop.cache, PTD_CACHE_WT);
	CHECK_EQ(r.va, 0x2000);
	CHECK_EQ(r.va_end, 0x3000);
	CHECK_SLOT_LIVE(&t, 5, 2, PTD_USAGE_FRAME);
	CHECK_EQ(tb_paths(&t, 5), 1);
	CHECK(tb_has_path(&t, 5, vs, 4, 0x2000));
	CHECK(tb_has_frame(&t, r.new_id, 5 * PG));
	CHECK_EQ(t.view.nframes, 1);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x2000);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	CHECK_EQ(tb_query(&t, c).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 5, 3, PTD_USAGE_FRAME);
	CHECK_EQ(t.view.nframes, 2);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Query step 4 saturation (white box: rc written to MAX) -> ERR_WOULD_PANIC and nothing
 * changes; from MAX - 1 the clone reaches MAX. */
TEST(query_at_max_rc_would_panic)
{
	struct tb t;
	ptd_id_t vs, c;

	c = bt_open_mapped(&t, &vs, 0x1000, 0x3000, 0x1000, 5, PROP_RO);
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	bt_poke(&t, 5, PTD_RC_MAX, PTD_USAGE_FRAME);
	CHECK_REFUSED(&t, tb_query(&t, c), PTD_ERR_WOULD_PANIC);
	CHECK_EQ(tb_slot(&t, 5)->rc, PTD_RC_MAX);
	CHECK_EQ(t.view.nframes, 0);
	bt_poke(&t, 5, PTD_RC_MAX - 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_query(&t, c).status, PTD_OK);
	CHECK_EQ(tb_slot(&t, 5)->rc, PTD_RC_MAX);
	bt_poke(&t, 5, 2, PTD_USAGE_FRAME); /* back to H + P for a clean teardown */
	tb_fini(&t);
}

/* The walk follows the cursor: after a far jump the query finds the other sub-tree's page,
 * and back again; pages beside them and the same page 512 GiB on are absent. */
TEST(query_after_far_jump_walks_the_right_subtree)
{
	struct tb t;
	ptd_id_t vs, c;

	c = bt_open_mapped(&t, &vs, 0, PTD_USER_END, 0x1000, 5, PROP_RO);
	bt_map_slot(&t, c, 300 * GIB + 0x1000, 6, PROP_RO);
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	CHECK_EQ(tb_query(&t, c).paddr, 5 * PG);
	CHECK_EQ(tb_jump(&t, c, 300 * GIB + 0x1000).status, PTD_OK);
	CHECK_EQ(tb_query(&t, c).paddr, 6 * PG);
	CHECK_EQ(tb_jump(&t, c, 300 * GIB + 0x2000).status, PTD_OK);
	CHECK_EQ(tb_query(&t, c).found, 0);
	CHECK_EQ(tb_jump(&t, c, 0x1000 + 512 * GIB).status, PTD_OK);
	CHECK_EQ(tb_query(&t, c).found, 0);
	tb_fini(&t);
}

/* FindNext step 1: an unaligned len or one past the locked range -> ERR_WOULD_PANIC, nothing
 * changes (the cursor stays); exactly to the end is fine, and len 0 at the end too. */
TEST(find_next_bad_len_would_panic)
{
	struct tb t;
	ptd_id_t vs, c;

	c = bt_start(&t, &vs, 0x1000, 0x5000, 0);
	CHECK_REFUSED(&t, tb_find_next(&t, c, 0x800), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_find_next(&t, c, 0x5000), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_find_next(&t, c, UINT64_MAX - 0xfff), PTD_ERR_WOULD_PANIC);
	CHECK_EQ(tb_jump(&t, c, 0x4000).status, PTD_OK);
	CHECK_REFUSED(&t, tb_find_next(&t, c, 0x2000), PTD_ERR_WOULD_PANIC);
	CHECK_FOUND(tb_find_next(&t, c, 0x1000), 0, 0); /* exactly to the end */
	CHECK_EQ(tb_cursor(&t, c)->va, 0x5000);
	CHECK_REFUSED(&t, tb_find_next(&t, c, PG), PTD_ERR_WOULD_PANIC);
	CHECK_FOUND(tb_find_next(&t, c, 0), 0, 0);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x5000);
	tb_fini(&t);
}

/* Found: the lowest mapping, tracked or not; the cursor stops on it and a find from there
 * finds it again; slots never change.  Not found: the cursor at exactly va + len, and a mapping
 * at va + len is outside [va, va + len).  len 0: nothing found, the cursor stays. */
TEST(find_next_finds_lowest_and_positions_cursor)
{
	struct tb t;
	struct tb_snap before;
	ptd_id_t vs, c;

	c = bt_open_mapped(&t, &vs, 0, 8 * MIB, 0x7000, 5, PROP_RO);
	CHECK_EQ(tb_jump(&t, c, 0x3000).status, PTD_OK);
	CHECK_EQ(tb_map_iomem(&t, c, TB_IOMEM_BASE, PROP_RO).status, PTD_OK);
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	before = tb_snap_take(&t);
	CHECK_FOUND(tb_find_next(&t, c, 0x10000), 1, 0x3000); /* untracked mappings count */
	CHECK_EQ(tb_cursor(&t, c)->va, 0x3000);
	CHECK_FOUND(tb_find_next(&t, c, PG), 1, 0x3000);
	CHECK_EQ(tb_jump(&t, c, 0x4000).status, PTD_OK);
	CHECK_FOUND(tb_find_next(&t, c, 0x3000), 0, 0); /* [0x4000, 0x7000): nothing */
	CHECK_EQ(tb_cursor(&t, c)->va, 0x7000);
	CHECK_FOUND(tb_find_next(&t, c, 0), 0, 0);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x7000);
	CHECK_FOUND(tb_find_next(&t, c, 0x1000), 1, 0x7000);
	/* Past a page: the next mapping, further on. */
	CHECK_EQ(tb_jump(&t, c, 0x4000).status, PTD_OK);
	CHECK_FOUND(tb_find_next(&t, c, 0xc000), 1, 0x7000);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x7000);
	CHECK(bt_slots_same(&t, &before));
	tb_snap_free(&before);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	tb_fini(&t);
}

/* Nothing mapped: a read-only cursor moves by exactly len each time, up to the end. */
TEST(find_next_none_moves_by_len)
{
	struct tb t;
	ptd_id_t vs, c;

	c = bt_start(&t, &vs, 0x1000, 0x9000, 0);
	CHECK_FOUND(tb_find_next(&t, c, 0x3000), 0, 0);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x4000);
	CHECK_FOUND(tb_find_next(&t, c, 0), 0, 0);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x4000);
	CHECK_FOUND(tb_find_next(&t, c, 0x5000), 0, 0); /* exactly the rest of the range */
	CHECK_EQ(tb_cursor(&t, c)->va, 0x9000);
	tb_fini(&t);
}

/* Across node boundaries: the first entry of the next level-1 node is found (the
 * FIND_NEXT_SKIP plant misses it), and so are mappings past a level-2 boundary and on the last
 * page of a GiB; a window one page short of a mapping finds nothing. */
TEST(find_next_crosses_node_boundaries)
{
	struct tb t;
	ptd_id_t vs, c;

	c = bt_start(&t, &vs, 0, 4 * GIB, 1);
	bt_map_slot(&t, c, 0, 5, PROP_RO);            /* level-1 node [0, 2 MiB) */
	bt_map_slot(&t, c, 2 * MIB, 6, PROP_RO);      /* first entry of [2 MiB, 4 MiB) */
	bt_map_slot(&t, c, 1 * GIB, 7, PROP_RO);      /* first page of GiB 1 */
	bt_map_slot(&t, c, 2 * GIB - PG, 8, PROP_RO); /* last page of GiB 1 */

	CHECK_EQ(tb_jump(&t, c, PG).status, PTD_OK);
	CHECK_FOUND(tb_find_next(&t, c, 4 * GIB - PG), 1, 2 * MIB);
	CHECK_EQ(tb_jump(&t, c, 2 * MIB + PG).status, PTD_OK);
	CHECK_FOUND(tb_find_next(&t, c, 4 * GIB - 2 * MIB - PG), 1, 1 * GIB);
	CHECK_EQ(tb_jump(&t, c, 1 * GIB + PG).status, PTD_OK);
	CHECK_FOUND(tb_find_next(&t, c, 3 * GIB - PG), 1, 2 * GIB - PG);
	CHECK_EQ(tb_jump(&t, c, 1 * GIB + PG).status, PTD_OK);
	CHECK_FOUND(tb_find_next(&t, c, 1 * GIB - 2 * PG), 0, 0);
	CHECK_EQ(tb_cursor(&t, c)->va, 2 * GIB - PG);
	tb_fini(&t);
}

/* Huge empty ranges: an absent root entry, an empty level-2 node (made by a cursor's lock),
 * a sparse level-2 node with one mapping on its last page, and 511 GiB of absent root entries
 * after it.  Where the side counts walk steps, absent entries and empty nodes are skipped whole:
 * a handful of visits, at most one per entry of the nodes on the way. */
TEST(find_next_over_empty_space)
{
	struct tb t;
	ptd_id_t vs, c, c2;
	uint64_t steps;

	c = bt_start(&t, &vs, 0, PTD_USER_END, 1);
	steps = bt_walk_steps(&t);
	CHECK_FOUND(tb_find_next(&t, c, 1 * GIB), 0, 0); /* root entry absent */
	CHECK_EQ(tb_cursor(&t, c)->va, 1 * GIB);
	CHECK_WALK_STEPS(&t, steps, 2);
	CHECK_EQ(tb_drop_cursor(&t, c).status, PTD_OK);
	c2 = tb_open(&t, vs, 4 * GIB, 4 * GIB + 4 * MIB, 0).new_id; /* L3, L2 at 4 GiB */
	CHECK_EQ(tb_drop_cursor(&t, c2).status, PTD_OK);
	CHECK_EQ(tb_live_nodes(&t), 3);
	c = tb_open(&t, vs, 0, PTD_USER_END, 1).new_id;
	CHECK_EQ(tb_jump(&t, c, 4 * GIB).status, PTD_OK);
	steps = bt_walk_steps(&t);
	CHECK_FOUND(tb_find_next(&t, c, 1 * GIB), 0, 0);
	CHECK_EQ(tb_cursor(&t, c)->va, 5 * GIB);
	CHECK_WALK_STEPS(&t, steps, 3);
	/* A single mapping on the last page of the GiB: at most 1 + 1 + 512 + 512 entries. */
	bt_map_slot(&t, c, 5 * GIB - PG, 5, PROP_RO);
	CHECK_EQ(tb_jump(&t, c, 4 * GIB).status, PTD_OK);
	steps = bt_walk_steps(&t);
	CHECK_FOUND(tb_find_next(&t, c, 1 * GIB), 1, 5 * GIB - PG);
	CHECK_WALK_STEPS(&t, steps, 1026);
	CHECK_EQ(tb_jump(&t, c, 5 * GIB).status, PTD_OK);
	steps = bt_walk_steps(&t);
	CHECK_FOUND(tb_find_next(&t, c, 100 * 512 * GIB), 0, 0);
	CHECK_EQ(tb_cursor(&t, c)->va, 5 * GIB + 100 * 512 * GIB);
	CHECK_WALK_STEPS(&t, steps, 2 * 512);
	tb_fini(&t);
}

/* Jump: unaligned -> ERR_WOULD_PANIC, before the range check (even when out of range); outside
 * [start, end), end itself included -> ERR_OUT_OF_RANGE; each refusal changes nothing.  Inside:
 * the cursor moves there, forwards or back. */
TEST(jump_errors_in_order)
{
	struct tb t;
	ptd_id_t vs, c;

	c = bt_start(&t, &vs, 0x2000, 0x6000, 0);
	CHECK_REFUSED(&t, tb_jump(&t, c, 0x3001), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_jump(&t, c, 0x9001), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_jump(&t, c, 0x1000), PTD_ERR_OUT_OF_RANGE);
	CHECK_REFUSED(&t, tb_jump(&t, c, 0x6000), PTD_ERR_OUT_OF_RANGE);
	CHECK_REFUSED(&t, tb_jump(&t, c, 0x7000), PTD_ERR_OUT_OF_RANGE);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x2000);
	CHECK_ONLY_STATUS(tb_jump(&t, c, 0x5000), PTD_OK);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x5000);
	CHECK_ONLY_STATUS(tb_jump(&t, c, 0x2000), PTD_OK);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x2000);
	tb_fini(&t);
}

/* Jump back after the cursor reached its end at the end of its guard node (current OSTD). */
TEST(jump_after_reaching_guard_node_end)
{
	struct tb t;
	ptd_id_t vs, c;

	c = bt_start(&t, &vs, 0x1fc000, 0x200000, 1);
	CHECK_EQ(tb_find_next(&t, c, 0x4000).status, PTD_OK);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x200000);
	CHECK_EQ(tb_jump(&t, c, 0x1fc000).status, PTD_OK);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x1fc000);
	tb_fini(&t);
}

/* VirtAddr: OK with the cursor's va and nothing else, the whole view unchanged; also at
 * va == end. */
TEST(virt_addr_reports_va)
{
	struct tb t;
	struct tb_snap before;
	ptd_id_t vs, c;

	c = bt_start(&t, &vs, 0x2000, 0x6000, 0);
	before = tb_snap_take(&t);
	CHECK_VA_ONLY(tb_virt_addr(&t, c), 0x2000);
	CHECK(tb_snap_same(&t, &before));
	tb_snap_free(&before);
	CHECK_EQ(tb_jump(&t, c, 0x4000).status, PTD_OK);
	before = tb_snap_take(&t);
	CHECK_VA_ONLY(tb_virt_addr(&t, c), 0x4000);
	CHECK(tb_snap_same(&t, &before));
	tb_snap_free(&before);
	CHECK_EQ(tb_find_next(&t, c, 0x2000).status, PTD_OK);
	CHECK_VA_ONLY(tb_virt_addr(&t, c), 0x6000);
	tb_fini(&t);
}

PTD_BACKEND_TEST_MAIN(PTD_TEST_ENTRY(query_past_end_is_out_of_range),
		      PTD_TEST_ENTRY(query_iomem_leaf_is_untracked),
		      PTD_TEST_ENTRY(query_tracked_frame_clones_a_reference),
		      PTD_TEST_ENTRY(query_at_max_rc_would_panic),
		      PTD_TEST_ENTRY(query_after_far_jump_walks_the_right_subtree),
		      PTD_TEST_ENTRY(find_next_bad_len_would_panic),
		      PTD_TEST_ENTRY(find_next_finds_lowest_and_positions_cursor),
		      PTD_TEST_ENTRY(find_next_none_moves_by_len),
		      PTD_TEST_ENTRY(find_next_crosses_node_boundaries),
		      PTD_TEST_ENTRY(find_next_over_empty_space),
		      PTD_TEST_ENTRY(jump_errors_in_order),
		      PTD_TEST_ENTRY(jump_after_reaching_guard_node_end),
		      PTD_TEST_ENTRY(virt_addr_reports_va))
