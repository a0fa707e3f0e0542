/* SPDX-License-Identifier: MIT */
/*
 * Core's side of OpenCursor (tests/backend/test_vm_space.c has the behaviour both sides
 * share): the guard level core's cursor records for its range, which the view does not show.
 */
#include "core_tb.h"

/* [0x1000, 0x3000) shares every entry down to level 1. */
TEST(open_cursor_small_range_guards_at_level_1)
{
	struct tb t;
	struct ptd_result r;

	tb_init(&t, &ptd_core_backend);
	(void)tb_new_vs(&t);
	r = tb_open(&t, 1, 0x1000, 0x3000, 0);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(tb_core(&t)->cursors[r.new_id].guard_level, 1);
	tb_fini(&t);
}

/* [0, 4 MiB) stops at level 2, [0x1000, 2 MiB) and [0, 2 MiB) at level 1 (the span of the
 * level-1 node is a guard's whole range: tests/backend/test_cursor_mut.c unmaps all of it), a
 * range crossing a 512 GiB boundary at the root, a range inside one 1 GiB at level 2. */
TEST(open_cursor_guard_level_follows_range)
{
	struct tb t;
	struct ptd_result r;

	tb_init(&t, &ptd_core_backend);
	(void)tb_new_vs(&t);
	r = tb_open(&t, 1, 0, 4 * MIB, 1);
	CHECK_EQ(tb_core(&t)->cursors[r.new_id].guard_level, 2);
	CHECK_EQ(tb_drop_cursor(&t, r.new_id).status, PTD_OK);
	r = tb_open(&t, 1, 0x1000, 2 * MIB, 0);
	CHECK_EQ(tb_core(&t)->cursors[r.new_id].guard_level, 1);
	CHECK_EQ(tb_drop_cursor(&t, r.new_id).status, PTD_OK);
	r = tb_open(&t, 1, 0, 2 * MIB, 1);
	CHECK_EQ(tb_core(&t)->cursors[r.new_id].guard_level, 1);
	CHECK_EQ(tb_drop_cursor(&t, r.new_id).status, PTD_OK);
	r = tb_open(&t, 1, 0, PTD_USER_END, 0);
	CHECK_EQ(tb_core(&t)->cursors[r.new_id].guard_level, 4);
	CHECK_EQ(tb_drop_cursor(&t, r.new_id).status, PTD_OK);
	r = tb_open(&t, 1, 3 * 512 * GIB + 5 * GIB + 2 * MIB, 3 * 512 * GIB + 5 * GIB + 6 * MIB, 0);
	CHECK_EQ(tb_core(&t)->cursors[r.new_id].guard_level, 2);
	tb_fini(&t);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(open_cursor_small_range_guards_at_level_1),
	      PTD_TEST_ENTRY(open_cursor_guard_level_follows_range))
