/* SPDX-License-Identifier: MIT */
/*
 * Oracle unit tests: OpenCursor/OpenCursorMut (range check, busy, guard-level node allocation),
 * DropCursor, Query (all four branches), FindNext, Jump and VirtAddr, each against hand-computed
 * results per docs/POLICY.md §3.
 */
#include "store.h"
#include "oracle_util.h"

/* POLICY.md example: [0x1000, 0x3000) on a fresh space allocates L3, L2, L1 (guard level 1). */
TEST(open_small_range_allocates_down_to_level_1)
{
	struct tb t;
	struct ptd_result r;
	const struct ptd_cursor_view *cv;
	ptd_id_t vs;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	r = tb_open(&t, vs, 0x1000, 0x3000, 0);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.new_id, 2);
	CHECK_NODE(&t, 33, vs, 1, 0);
	CHECK_NODE(&t, 34, vs, 2, 0);
	CHECK_NODE(&t, 35, vs, 3, 0);
	CHECK_SLOT_FREE(&t, 36, PTD_USAGE_UNUSED);
	CHECK_EQ(t.view.npaths, 4);
	cv = tb_cursor(&t, r.new_id);
	CHECK(cv != NULL);
	if (cv) {
		CHECK_EQ(cv->vs, vs);
		CHECK_EQ(cv->kind, PTD_CURSOR_READ_ONLY);
		CHECK_EQ(cv->start, 0x1000);
		CHECK_EQ(cv->end, 0x3000);
		CHECK_EQ(cv->va, 0x1000);
	}
	tb_fini(&t);
}

/* POLICY.md example: [0, 4 MiB) allocates L3 and L2 only (guard level 2). */
TEST(open_4mib_allocates_two_nodes)
{
	struct tb t;
	ptd_id_t vs;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	CHECK_EQ(tb_open(&t, vs, 0, 4 * MIB, 1).status, PTD_OK);
	CHECK_NODE(&t, 33, vs, 1, 0);
	CHECK_NODE(&t, 34, vs, 2, 0);
	CHECK_SLOT_FREE(&t, 35, PTD_USAGE_UNUSED);
	CHECK_EQ(tb_cursor(&t, 2)->kind, PTD_CURSOR_MUTABLE);
	tb_fini(&t);
}

/* Node bases are aligned down from start: a range inside the second GiB of the second 512 GiB. */
TEST(open_allocates_nodes_at_aligned_bases)
{
	struct tb t;
	ptd_id_t vs;
	uint64_t start = (512 * GIB) + GIB + 2 * MIB + 0x5000;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	CHECK_EQ(tb_open(&t, vs, start, start + 0x2000, 0).status, PTD_OK);
	CHECK_NODE(&t, 33, vs, 1, 512 * GIB);
	CHECK_NODE(&t, 34, vs, 2, 512 * GIB + GIB);
	CHECK_NODE(&t, 35, vs, 3, 512 * GIB + GIB + 2 * MIB);
	tb_fini(&t);
}

/* start and end-1 in different root entries: guard level 4, nothing allocated. */
TEST(open_across_root_entries_allocates_nothing)
{
	struct tb t;
	ptd_id_t vs;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	CHECK_EQ(tb_open(&t, vs, 512 * GIB - PG, 512 * GIB + PG, 0).status, PTD_OK);
	CHECK_EQ(tb_live_nodes(&t), 1);
	CHECK_EQ(t.view.npaths, 1);
	tb_fini(&t);
}

/* start and end-1 in different L3 entries: only the L3 node (guard level 3). */
TEST(open_across_l3_entries_allocates_l3_only)
{
	struct tb t;
	ptd_id_t vs;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	CHECK_EQ(tb_open(&t, vs, GIB - PG, GIB + PG, 0).status, PTD_OK);
	CHECK_NODE(&t, 33, vs, 1, 0);
	CHECK_EQ(tb_live_nodes(&t), 2);
	tb_fini(&t);
}

/* The whole user range [0, 2^47) is valid (end may equal 2^47) and allocates nothing. */
TEST(open_whole_user_range)
{
	struct tb t;
	ptd_id_t vs;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	CHECK_EQ(tb_open(&t, vs, 0, PTD_USER_END, 1).status, PTD_OK);
	CHECK_EQ(tb_live_nodes(&t), 1);
	tb_fini(&t);
}

/* The top page [2^47 - 4096, 2^47): the root index is 255, nodes down to level 1. */
TEST(open_top_user_page)
{
	struct tb t;
	ptd_id_t vs;
	uint64_t top = PTD_USER_END - PG;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	CHECK_EQ(tb_open(&t, vs, top, PTD_USER_END, 1).status, PTD_OK);
	CHECK_NODE(&t, 33, vs, 1, top - top % (512 * GIB));
	CHECK_NODE(&t, 34, vs, 2, top - top % GIB);
	CHECK_NODE(&t, 35, vs, 3, top - top % (2 * MIB));
	tb_fini(&t);
}

/* OpenCursor step 1: every malformed range -> ERR_BAD_RANGE, nothing changes. */
TEST(open_bad_ranges)
{
	struct tb t;
	ptd_id_t vs;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	CHECK_REFUSED(&t, tb_open(&t, vs, 0x1000, 0x1000, 0), PTD_ERR_BAD_RANGE);  /* empty */
	CHECK_REFUSED(&t, tb_open(&t, vs, 0x2000, 0x1000, 1), PTD_ERR_BAD_RANGE);  /* reversed */
	CHECK_REFUSED(&t, tb_open(&t, vs, 0x1001, 0x3000, 0), PTD_ERR_BAD_RANGE);  /* start */
	CHECK_REFUSED(&t, tb_open(&t, vs, 0x1000, 0x2fff, 0), PTD_ERR_BAD_RANGE);  /* end */
	CHECK_REFUSED(&t, tb_open(&t, vs, 0, PTD_USER_END + PG, 0), PTD_ERR_BAD_RANGE);
	CHECK_REFUSED(&t, tb_open(&t, vs, PTD_USER_END, PTD_USER_END + PG, 0),
		      PTD_ERR_BAD_RANGE);
	CHECK_REFUSED(&t, tb_open(&t, vs, 0x1000, 0, 0), PTD_ERR_BAD_RANGE);       /* end 0 */
	tb_fini(&t);
}

/* OpenCursor step 2: a node the open must lock is held -> ERR_BUSY; the range check comes
 * first, and the lock check before any allocation. */
TEST(open_busy_after_range_check)
{
	struct tb t;
	ptd_id_t a, b, c;
	tb_init(&t, &ptd_oracle_backend);
	a = tb_new_vs(&t).new_id;
	b = tb_new_vs(&t).new_id;
	c = tb_open(&t, a, 0, 0x1000, 0).new_id;
	/* A range whose guard is the level-2 node must lock c's level-1 node below it, and would
	 * allocate nothing: busy. */
	CHECK_REFUSED(&t, tb_open(&t, a, 0, 4 * MIB, 1), PTD_ERR_BUSY);
	CHECK_REFUSED(&t, tb_open(&t, a, 0x1000, 0x1000, 1), PTD_ERR_BAD_RANGE);
	/* Another space is free. */
	CHECK_EQ(tb_open(&t, b, 0, 0x1000, 0).status, PTD_OK);
	/* After the drop the same space opens again, reusing its existing nodes. */
	CHECK_EQ(tb_drop_cursor(&t, c).status, PTD_OK);
	CHECK_EQ(tb_live_nodes(&t), 8);
	CHECK_EQ(tb_open(&t, a, 0x3000, 0x5000, 1).status, PTD_OK);
	CHECK_EQ(tb_live_nodes(&t), 8);
	tb_fini(&t);
}

/* DropCursor: the cursor goes, slots and nodes stay. */
TEST(drop_cursor_keeps_slots)
{
	struct tb t;
	ptd_id_t vs, c;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0, 0x1000, 0).new_id;
	CHECK_EQ(tb_drop_cursor(&t, c).status, PTD_OK);
	CHECK_EQ(t.view.ncursors, 0);
	CHECK_EQ(tb_live_nodes(&t), 4);
	tb_fini(&t);
}

/* Query step 1: va >= be -> ERR_OUT_OF_RANGE, no slot change (the frame there keeps rc 1). */
TEST(query_out_of_range)
{
	struct tb t;
	ptd_id_t vs, c, f;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0, 0x1000, 1).new_id;
	f = ou_frame(&t, 5);
	CHECK_EQ(tb_map(&t, c, f, PROP_RW).status, PTD_OK);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x1000);
	CHECK_REFUSED(&t, tb_query(&t, c), PTD_ERR_OUT_OF_RANGE);
	CHECK_EQ(tb_slot(&t, 5)->rc, 1);
	tb_fini(&t);
}

/* Query step 2: nothing mapped -> OK, found 0, the absent entry's range (here the page: the
 * cursor's range made the nodes down to level 1), all else zero, nothing changes. */
TEST(query_absent)
{
	struct tb t;
	struct tb_snap before;
	struct ptd_result r;
	ptd_id_t vs, c;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0x2000, 0x4000, 0).new_id;
	before = tb_snap_take(&t);
	r = tb_query(&t, c);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.va, 0x2000);
	CHECK_EQ(r.va_end, 0x3000);
	r.va = r.va_end = 0;
	CHECK(tb_result_rest_zero(r) && !r.count && !r.hash);
	CHECK(tb_snap_same(&t, &before));
	tb_snap_free(&before);
	tb_fini(&t);
}

/* Query step 3: an I/O leaf -> found 1, tracked 0, paddr/prop/range, no handle, no slot change. */
TEST(query_iomem_leaf)
{
	struct tb t;
	struct ptd_result r;
	struct tb_snap before;
	const struct ptd_prop prop = { .flags = PTD_PF_W | PTD_PF_D, .cache = PTD_CACHE_UC };
	ptd_id_t vs, c;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0x2000, 0x4000, 1).new_id;
	CHECK_EQ(tb_map_iomem(&t, c, TB_IOMEM_BASE + 3 * PG, prop).status, PTD_OK);
	CHECK_EQ(tb_jump(&t, c, 0x2000).status, PTD_OK);
	before = tb_snap_take(&t);
	r = tb_query(&t, c);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.found, 1);
	CHECK_EQ(r.tracked, 0);
	CHECK_EQ(r.new_id, 0);
	CHECK_EQ(r.paddr, TB_IOMEM_BASE + 3 * PG);
	CHECK_EQ(r.prop.flags, PTD_PF_W | PTD_PF_D);
	CHECK_EQ(r.prop.cache, PTD_CACHE_UC);
	CHECK_EQ(r.va, 0x2000);
	CHECK_EQ(r.va_end, 0x3000);
	CHECK_EQ(r.count, 0);
	CHECK(tb_snap_same(&t, &before));
	tb_snap_free(&before);
	tb_fini(&t);
}

/* Query step 4: a tracked frame -> rc + 1, new handle at its paddr; the cursor does not move. */
TEST(query_tracked_frame_clones)
{
	struct tb t;
	struct ptd_result r;
	const struct ptd_prop prop = { .flags = PTD_PF_X | PTD_PF_A, .cache = PTD_CACHE_WT };
	ptd_id_t vs, c, f;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0, 0x4000, 1).new_id;
	f = ou_frame(&t, 5);
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	CHECK_EQ(tb_map(&t, c, f, prop).status, PTD_OK);
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	r = tb_query(&t, c);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.found, 1);
	CHECK_EQ(r.tracked, 1);
	CHECK_EQ(r.new_id, t.next_id - 1);
	CHECK_EQ(r.paddr, 5 * PG);
	CHECK_EQ(r.prop.flags, PTD_PF_X | PTD_PF_A);
	CHECK_EQ(r.prop.cache, PTD_CACHE_WT);
	CHECK_EQ(r.va, 0x1000);
	CHECK_EQ(r.va_end, 0x2000);
	CHECK_SLOT_LIVE(&t, 5, 2, PTD_USAGE_FRAME);
	CHECK_EQ(tb_paths(&t, 5), 1);
	CHECK(tb_has_frame(&t, r.new_id, 5 * PG));
	CHECK_EQ(t.view.nframes, 1);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x1000);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	/* A second query clones again. */
	CHECK_EQ(tb_query(&t, c).status, PTD_OK);
	CHECK_EQ(tb_slot(&t, 5)->rc, 3);
	CHECK_EQ(tb_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Query step 4 saturation (white box: rc forced to MAX) -> ERR_WOULD_PANIC, nothing changes. */
TEST(query_saturated_rc_would_panic)
{
	struct tb t;
	ptd_id_t vs, c, f;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0, 0x1000, 1).new_id;
	f = ou_frame(&t, 5);
	CHECK_EQ(tb_map(&t, c, f, PROP_RW).status, PTD_OK);
	((struct oracle *)t.self)->slots[5].rc = PTD_RC_MAX;
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	CHECK_REFUSED(&t, tb_query(&t, c), PTD_ERR_WOULD_PANIC);
	CHECK_EQ(tb_slot(&t, 5)->rc, PTD_RC_MAX);
	((struct oracle *)t.self)->slots[5].rc = PTD_RC_MAX - 1;
	CHECK_EQ(tb_query(&t, c).status, PTD_OK);
	CHECK_EQ(tb_slot(&t, 5)->rc, PTD_RC_MAX);
	((struct oracle *)t.self)->slots[5].rc = 2; /* back to H + P so the teardown is clean */
	tb_fini(&t);
}

/* FindNext found: the lowest mapping in [va, va + len), the cursor stops on it. */
TEST(find_next_found)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t vs, c;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0, 0x10000, 1).new_id;
	CHECK_EQ(tb_jump(&t, c, 0x5000).status, PTD_OK);
	CHECK_EQ(tb_map(&t, c, ou_frame(&t, 5), PROP_RW).status, PTD_OK);
	CHECK_EQ(tb_jump(&t, c, 0x3000).status, PTD_OK);
	CHECK_EQ(tb_map_iomem(&t, c, TB_IOMEM_BASE, PROP_RW).status, PTD_OK); /* untracked */
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);

	r = tb_find_next(&t, c, 0x6000);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.found, 1);
	CHECK_EQ(r.va, 0x3000);
	CHECK_EQ(r.va_end, 0);
	CHECK_EQ(r.paddr, 0);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x3000);
	/* A mapping at va itself is found. */
	r = tb_find_next(&t, c, 0x1000);
	CHECK_EQ(r.found, 1);
	CHECK_EQ(r.va, 0x3000);
	/* The next one after skipping a page. */
	CHECK_EQ(tb_jump(&t, c, 0x4000).status, PTD_OK);
	r = tb_find_next(&t, c, 0xc000);
	CHECK_EQ(r.found, 1);
	CHECK_EQ(r.va, 0x5000);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x5000);
	CHECK_EQ(tb_slot(&t, 5)->rc, 1);
	tb_fini(&t);
}

/* FindNext none: the cursor moves to exactly va + len; len 0 leaves it. */
TEST(find_next_none_moves_by_len)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t vs, c;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0x1000, 0x9000, 0).new_id;
	r = tb_find_next(&t, c, 0x3000);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.found, 0);
	CHECK_EQ(r.va, 0);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x4000);
	r = tb_find_next(&t, c, 0);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.found, 0);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x4000);
	/* Exactly the rest of the range: to be. */
	r = tb_find_next(&t, c, 0x5000);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x9000);
	/* At be, len 0 is still fine. */
	CHECK_EQ(tb_find_next(&t, c, 0).status, PTD_OK);
	tb_fini(&t);
}

/* A mapping at va + len is outside [va, va + len). */
TEST(find_next_window_is_half_open)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t vs, c;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0, 0x8000, 1).new_id;
	CHECK_EQ(tb_jump(&t, c, 0x4000).status, PTD_OK);
	CHECK_EQ(tb_map(&t, c, ou_frame(&t, 5), PROP_RW).status, PTD_OK);
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	r = tb_find_next(&t, c, 0x4000);
	CHECK_EQ(r.found, 0);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x4000);
	tb_fini(&t);
}

/* FindNext step 1: unaligned len or len > be - va -> ERR_WOULD_PANIC, nothing changes. */
TEST(find_next_bad_len_would_panic)
{
	struct tb t;
	ptd_id_t vs, c;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0x1000, 0x5000, 0).new_id;
	CHECK_REFUSED(&t, tb_find_next(&t, c, 0x800), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_find_next(&t, c, 0x5000), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_find_next(&t, c, UINT64_MAX - 0xfff), PTD_ERR_WOULD_PANIC);
	CHECK_EQ(tb_jump(&t, c, 0x4000).status, PTD_OK);
	CHECK_REFUSED(&t, tb_find_next(&t, c, 0x2000), PTD_ERR_WOULD_PANIC);
	tb_fini(&t);
}

/* Jump: unaligned -> WOULD_PANIC (before the range check), outside [bs, be) -> OUT_OF_RANGE. */
TEST(jump_error_order_and_success)
{
	struct tb t;
	ptd_id_t vs, c;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0x2000, 0x6000, 0).new_id;
	CHECK_REFUSED(&t, tb_jump(&t, c, 0x3001), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_jump(&t, c, 0x10001), PTD_ERR_WOULD_PANIC); /* unaligned and out */
	CHECK_REFUSED(&t, tb_jump(&t, c, 0x1000), PTD_ERR_OUT_OF_RANGE);
	CHECK_REFUSED(&t, tb_jump(&t, c, 0x6000), PTD_ERR_OUT_OF_RANGE);  /* be itself */
	CHECK_REFUSED(&t, tb_jump(&t, c, 0x7000), PTD_ERR_OUT_OF_RANGE);
	CHECK_EQ(tb_jump(&t, c, 0x5000).status, PTD_OK);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x5000);
	CHECK_EQ(tb_jump(&t, c, 0x2000).status, PTD_OK);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x2000);
	tb_fini(&t);
}

/* Jump back after the cursor reached be at the end of its guard node (current OSTD behaviour). */
TEST(jump_after_reaching_guard_node_end)
{
	struct tb t;
	ptd_id_t vs, c;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0x1fc000, 0x200000, 1).new_id;
	CHECK_EQ(tb_find_next(&t, c, 0x4000).status, PTD_OK);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x200000);
	CHECK_EQ(tb_jump(&t, c, 0x1fc000).status, PTD_OK);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x1fc000);
	tb_fini(&t);
}

/* VirtAddr: OK with the cursor's va; pure. */
TEST(virt_addr_reports_va)
{
	struct tb t;
	struct ptd_result r;
	struct tb_snap before;
	ptd_id_t vs, c;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0x2000, 0x6000, 0).new_id;
	CHECK_EQ(tb_jump(&t, c, 0x4000).status, PTD_OK);
	before = tb_snap_take(&t);
	r = tb_virt_addr(&t, c);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.va, 0x4000);
	CHECK_EQ(r.found + r.tracked + r.new_id + r.paddr + r.va_end + r.count, 0);
	CHECK(tb_snap_same(&t, &before));
	tb_snap_free(&before);
	tb_fini(&t);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(open_small_range_allocates_down_to_level_1),
	      PTD_TEST_ENTRY(open_4mib_allocates_two_nodes),
	      PTD_TEST_ENTRY(open_allocates_nodes_at_aligned_bases),
	      PTD_TEST_ENTRY(open_across_root_entries_allocates_nothing),
	      PTD_TEST_ENTRY(open_across_l3_entries_allocates_l3_only),
	      PTD_TEST_ENTRY(open_whole_user_range),
	      PTD_TEST_ENTRY(open_top_user_page),
	      PTD_TEST_ENTRY(open_bad_ranges),
	      PTD_TEST_ENTRY(open_busy_after_range_check),
	      PTD_TEST_ENTRY(drop_cursor_keeps_slots),
	      PTD_TEST_ENTRY(query_out_of_range),
	      PTD_TEST_ENTRY(query_absent),
	      PTD_TEST_ENTRY(query_iomem_leaf),
	      PTD_TEST_ENTRY(query_tracked_frame_clones),
	      PTD_TEST_ENTRY(query_saturated_rc_would_panic),
	      PTD_TEST_ENTRY(find_next_found),
	      PTD_TEST_ENTRY(find_next_none_moves_by_len),
	      PTD_TEST_ENTRY(find_next_window_is_half_open),
	      PTD_TEST_ENTRY(find_next_bad_len_would_panic),
	      PTD_TEST_ENTRY(jump_error_order_and_success),
	      PTD_TEST_ENTRY(jump_after_reaching_guard_node_end),
	      PTD_TEST_ENTRY(virt_addr_reports_va))
