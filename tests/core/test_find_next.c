/* SPDX-License-Identifier: MIT */
/*
 * FindNext, Jump and VirtAddr (POLICY §3).  FindNext returns the lowest mapping in
 * [va, va + len) and stops the cursor there, or moves it to exactly va + len; searching empty
 * space costs a handful of entry visits, counted by core's nr_walk_steps.
 */
#include "core_tb.h"

/* Error checks: unaligned len, len past the locked range; the cursor does not move. */
TEST(find_next_bad_len_would_panic)
{
	struct tb t;
	ptd_id_t vs, c;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0x1000, 0x5000);
	CHECK_EQ(tb_find_next(&t, c, 0x800).status, PTD_ERR_WOULD_PANIC);
	CHECK_EQ(tb_find_next(&t, c, 0x5000).status, PTD_ERR_WOULD_PANIC);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x1000);
	CHECK_EQ(tb_find_next(&t, c, 0x4000).status, PTD_OK); /* exactly to the end */
	CHECK_EQ(tb_cursor(&t, c)->va, 0x5000);
	CHECK_EQ(tb_find_next(&t, c, PG).status, PTD_ERR_WOULD_PANIC);
	CHECK_EQ(tb_find_next(&t, c, 0).status, PTD_OK); /* len 0 at the end is fine */
	CHECK_EQ(tb_cursor(&t, c)->va, 0x5000);
	tb_fini(&t);
}

/* Found: the lowest mapping, cursor stops at it; a second find from there finds it again. Not
 * found: cursor at exactly va + len. len 0: nothing found, cursor unchanged. */
TEST(find_next_finds_lowest_and_positions_cursor)
{
	struct tb t;
	struct slot_snap before;
	struct ptd_result r;
	ptd_id_t vs, c;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0, 8 * MIB);
	CHECK_EQ(tb_jump(&t, c, 0x7000).status, PTD_OK);
	CHECK_EQ(map_new(&t, c, 0x5000, prop_of(0, 0)).status, PTD_OK);
	CHECK_EQ(tb_jump(&t, c, 0x3000).status, PTD_OK);
	CHECK_EQ(tb_map_iomem(&t, c, TB_IOMEM_BASE, prop_of(0, 0)).status, PTD_OK);
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	snap_take(&t, &before);
	r = tb_find_next(&t, c, 0x10000);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.found, 1);
	CHECK_EQ(r.va, 0x3000); /* untracked mappings count */
	CHECK_EQ(r.va_end, 0);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x3000);
	r = tb_find_next(&t, c, PG);
	CHECK_EQ(r.found, 1);
	CHECK_EQ(r.va, 0x3000);
	CHECK_EQ(tb_jump(&t, c, 0x4000).status, PTD_OK);
	r = tb_find_next(&t, c, 0x3000); /* [0x4000, 0x7000): nothing */
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.found, 0);
	CHECK_EQ(r.va, 0);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x7000);
	r = tb_find_next(&t, c, 0);
	CHECK_EQ(r.found, 0);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x7000);
	r = tb_find_next(&t, c, 0x1000);
	CHECK_EQ(r.found, 1);
	CHECK_EQ(r.va, 0x7000);
	CHECK(snap_same(&t, &before));
	tb_fini(&t);
}

/* Across level-1 node boundaries: the first entry of the next level-1 node is found (the
 * FIND_NEXT_SKIP plant misses it), and so is a mapping past a level-2 boundary. */
TEST(find_next_crosses_node_boundaries)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t vs, c;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0, 4 * GIB);
	CHECK_EQ(map_new(&t, c, 0x5000, prop_of(0, 0)).status, PTD_OK); /* va 0: L1 node [0,2M) */
	CHECK_EQ(tb_jump(&t, c, 2 * MIB).status, PTD_OK);
	CHECK_EQ(map_new(&t, c, 0x6000, prop_of(0, 0)).status, PTD_OK); /* first entry of [2M,4M) */
	CHECK_EQ(tb_jump(&t, c, 1 * GIB).status, PTD_OK);
	CHECK_EQ(map_new(&t, c, 0x7000, prop_of(0, 0)).status, PTD_OK); /* first page of GiB 1 */
	CHECK_EQ(tb_jump(&t, c, 2 * GIB - PG).status, PTD_OK);
	CHECK_EQ(map_new(&t, c, 0x8000, prop_of(0, 0)).status, PTD_OK); /* last page of GiB 1 */

	CHECK_EQ(tb_jump(&t, c, PG).status, PTD_OK);
	r = tb_find_next(&t, c, 4 * GIB - PG);
	CHECK_EQ(r.found, 1);
	CHECK_EQ(r.va, 2 * MIB);
	CHECK_EQ(tb_jump(&t, c, 2 * MIB + PG).status, PTD_OK);
	r = tb_find_next(&t, c, 4 * GIB - 2 * MIB - PG);
	CHECK_EQ(r.found, 1);
	CHECK_EQ(r.va, 1 * GIB);
	CHECK_EQ(tb_jump(&t, c, 1 * GIB + PG).status, PTD_OK);
	r = tb_find_next(&t, c, 3 * GIB - PG);
	CHECK_EQ(r.found, 1);
	CHECK_EQ(r.va, 2 * GIB - PG);
	/* The search window stops one page short: not found, cursor at exactly va + len. */
	CHECK_EQ(tb_jump(&t, c, 1 * GIB + PG).status, PTD_OK);
	r = tb_find_next(&t, c, 1 * GIB - 2 * PG);
	CHECK_EQ(r.found, 0);
	CHECK_EQ(tb_cursor(&t, c)->va, 2 * GIB - PG);
	tb_fini(&t);
}

/* 1 GiB of empty space costs a handful of steps: absent entries and empty nodes are skipped
 * whole.  A sparse level-2 node costs at most one visit per entry of the nodes on the way. */
TEST(find_next_over_empty_gib_is_cheap)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t vs, c, c2;
	uint64_t steps;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0, PTD_USER_END);
	steps = tb_core(&t)->nr_walk_steps;
	r = tb_find_next(&t, c, 1 * GIB); /* root entry absent */
	CHECK_EQ(r.found, 0);
	CHECK_EQ(tb_cursor(&t, c)->va, 1 * GIB);
	CHECK(tb_core(&t)->nr_walk_steps - steps <= 2);
	/* An empty level-2 node (made by a cursor's lock) is skipped in one step too. */
	CHECK_EQ(tb_drop_cursor(&t, c).status, PTD_OK);
	c2 = tb_open(&t, vs, 4 * GIB, 4 * GIB + 4 * MIB, 0).new_id; /* L3, L2 at 4 GiB */
	CHECK_EQ(tb_drop_cursor(&t, c2).status, PTD_OK);
	c = tb_open(&t, vs, 0, PTD_USER_END, 1).new_id;
	CHECK_EQ(tb_jump(&t, c, 4 * GIB).status, PTD_OK);
	steps = tb_core(&t)->nr_walk_steps;
	r = tb_find_next(&t, c, 1 * GIB);
	CHECK_EQ(r.found, 0);
	CHECK(tb_core(&t)->nr_walk_steps - steps <= 3);
	/* A single mapping on the last page of the GiB: at most 1 + 1 + 512 + 512 entries. */
	CHECK_EQ(tb_jump(&t, c, 5 * GIB - PG).status, PTD_OK);
	CHECK_EQ(map_new(&t, c, 0x5000, prop_of(0, 0)).status, PTD_OK);
	CHECK_EQ(tb_jump(&t, c, 4 * GIB).status, PTD_OK);
	steps = tb_core(&t)->nr_walk_steps;
	r = tb_find_next(&t, c, 1 * GIB);
	CHECK_EQ(r.found, 1);
	CHECK_EQ(r.va, 5 * GIB - PG);
	CHECK(tb_core(&t)->nr_walk_steps - steps <= 1026);
	/* 511 GiB of nothing after it: the remaining root entries are absent. */
	CHECK_EQ(tb_jump(&t, c, 5 * GIB).status, PTD_OK);
	steps = tb_core(&t)->nr_walk_steps;
	r = tb_find_next(&t, c, 100 * 512 * GIB);
	CHECK_EQ(r.found, 0);
	CHECK(tb_core(&t)->nr_walk_steps - steps <= 2 * 512);
	tb_fini(&t);
}

/* Jump: unaligned first (even out of range), then out of range; the cursor does not move. */
TEST(jump_errors_in_order)
{
	struct tb t;
	ptd_id_t vs, c;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0x2000, 0x6000);
	CHECK_EQ(tb_jump(&t, c, 0x3001).status, PTD_ERR_WOULD_PANIC);
	CHECK_EQ(tb_jump(&t, c, 0x9001).status, PTD_ERR_WOULD_PANIC);
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_ERR_OUT_OF_RANGE);
	CHECK_EQ(tb_jump(&t, c, 0x6000).status, PTD_ERR_OUT_OF_RANGE);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x2000);
	CHECK_EQ(tb_jump(&t, c, 0x5000).status, PTD_OK);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x5000);
	CHECK_EQ(tb_jump(&t, c, 0x2000).status, PTD_OK);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x2000);
	tb_fini(&t);
}

/* VirtAddr reports the cursor's va and changes nothing; also at va == end. */
TEST(virt_addr_reports_va)
{
	struct tb t;
	struct slot_snap before;
	struct ptd_result r;
	ptd_id_t vs, c;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0x2000, 0x4000);
	snap_take(&t, &before);
	r = tb_virt_addr(&t, c);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.va, 0x2000);
	CHECK_EQ(tb_find_next(&t, c, 0x2000).status, PTD_OK);
	r = tb_virt_addr(&t, c);
	CHECK_EQ(r.va, 0x4000);
	CHECK(snap_same(&t, &before));
	tb_fini(&t);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(find_next_bad_len_would_panic),
	      PTD_TEST_ENTRY(find_next_finds_lowest_and_positions_cursor),
	      PTD_TEST_ENTRY(find_next_crosses_node_boundaries),
	      PTD_TEST_ENTRY(find_next_over_empty_gib_is_cheap),
	      PTD_TEST_ENTRY(jump_errors_in_order),
	      PTD_TEST_ENTRY(virt_addr_reports_va))
