/* SPDX-License-Identifier: MIT */
/*
 * Oracle unit tests: the initial state, NewVmSpace and DropVmSpace (POLICY.md §1, §2 and the
 * NewVmSpace/DropVmSpace rules), against hand-computed slot states on the 64-frame test machine
 * (pool = frames 32..63).
 */
#include "oracle_util.h"

/* POLICY.md §1: every slot UNUSED/Unused, nothing initialised, no paths; nothing registered. */
TEST(initial_state_is_empty)
{
	struct tb t;
	tb_init(&t, &ptd_oracle_backend);
	for (uint64_t i = 0; i < TB_NFRAMES; i++)
		CHECK_SLOT_FREE(&t, i, PTD_USAGE_UNUSED);
	CHECK_EQ(t.view.npaths, 0);
	CHECK_EQ(t.view.nmaps, 0);
	CHECK_EQ(t.view.nvmspaces, 0);
	CHECK_EQ(t.view.ncursors, 0);
	CHECK_EQ(t.view.nframes, 0);
	tb_fini(&t);
}

/* The root takes the lowest UNUSED pool slot, 32, with rc 1, usage PageTable, path (vs, 0, 0). */
TEST(new_vmspace_takes_lowest_pool_slot)
{
	struct tb t;
	struct ptd_result r;
	tb_init(&t, &ptd_oracle_backend);

	r = tb_new_vs(&t);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.new_id, 1);
	CHECK_EQ(r.found + r.tracked + r.paddr + r.va + r.va_end + r.count, 0);
	CHECK_NODE(&t, TB_POOL_START, 1, 0, 0);
	CHECK_EQ(t.view.npaths, 1);
	CHECK(ou_has_vs(&t, 1));
	CHECK_EQ(t.view.nvmspaces, 1);
	for (uint64_t i = 0; i < TB_NFRAMES; i++)
		if (i != TB_POOL_START)
			CHECK_SLOT_FREE(&t, i, PTD_USAGE_UNUSED);

	r = tb_new_vs(&t);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.new_id, 2);
	CHECK_NODE(&t, TB_POOL_START + 1, 2, 0, 0);
	CHECK_EQ(t.view.nvmspaces, 2);
	tb_fini(&t);
}

/* Node allocation looks at rc only: a pool slot claimed as a data frame is skipped. */
TEST(new_vmspace_skips_pool_slot_claimed_as_frame)
{
	struct tb t;
	tb_init(&t, &ptd_oracle_backend);
	ou_frame(&t, TB_POOL_START);
	CHECK_EQ(tb_new_vs(&t).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, TB_POOL_START, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_paths(&t, TB_POOL_START), 0);
	CHECK_NODE(&t, TB_POOL_START + 1, 2, 0, 0);
	tb_fini(&t);
}

/* DropVmSpace step 1: a live cursor on the space -> ERR_BUSY and nothing changes. */
TEST(drop_vmspace_busy_while_cursor_lives)
{
	struct tb t;
	ptd_id_t vs, c;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0, 0x4000, 0).new_id;
	CHECK_REFUSED(&t, tb_drop_vs(&t, vs), PTD_ERR_BUSY);
	CHECK_EQ(tb_drop_cursor(&t, c).status, PTD_OK);
	CHECK_EQ(tb_drop_vs(&t, vs).status, PTD_OK);
	CHECK_EQ(t.view.nvmspaces, 0);
	CHECK_SLOT_FREE(&t, TB_POOL_START, PTD_USAGE_PAGE_TABLE);
	tb_fini(&t);
}

/* A cursor on another space does not make this one busy. */
TEST(drop_vmspace_ignores_other_spaces_cursor)
{
	struct tb t;
	ptd_id_t a, b;
	tb_init(&t, &ptd_oracle_backend);
	a = tb_new_vs(&t).new_id;
	b = tb_new_vs(&t).new_id;
	CHECK_EQ(tb_open(&t, b, 0, 0x1000, 1).status, PTD_OK);
	CHECK_EQ(tb_drop_vs(&t, a).status, PTD_OK);
	CHECK(!ou_has_vs(&t, a));
	CHECK(ou_has_vs(&t, b));
	CHECK_SLOT_FREE(&t, TB_POOL_START, PTD_USAGE_PAGE_TABLE);
	CHECK_NODE(&t, TB_POOL_START + 1, b, 0, 0);
	tb_fini(&t);
}

/*
 * DropVmSpace step 2 (policy R): every mapping of the space releases its reference (a frame at
 * its last reference is torn down, usage kept Frame), untracked mappings touch nothing, every
 * node is freed (usage kept PageTable), and another space's mappings and nodes are untouched.
 */
TEST(drop_vmspace_releases_mappings_and_frees_nodes)
{
	struct tb t;
	ptd_id_t a, b, ca, cb, f5, f6, h6, h6b, f7, h7;
	tb_init(&t, &ptd_oracle_backend);

	a = tb_new_vs(&t).new_id;                    /* root 32 */
	ca = tb_open(&t, a, 0, 0x8000, 1).new_id;    /* L3 33, L2 34, L1 35 */
	f5 = ou_frame(&t, 5);
	f6 = ou_frame(&t, 6);
	f7 = ou_frame(&t, 7);
	CHECK_EQ(tb_map(&t, ca, f5, OU_PROP_RW).status, PTD_OK);              /* 0x0000 */
	CHECK_EQ(tb_map(&t, ca, f6, OU_PROP_RW).status, PTD_OK);              /* 0x1000 */
	h6 = tb_from_in_use(&t, 6 * PG).new_id;                               /* slot 6 rc 2 */
	CHECK_EQ(tb_map_iomem(&t, ca, TB_IOMEM_BASE, OU_PROP_RW).status, PTD_OK); /* 0x2000 */
	CHECK_EQ(tb_map(&t, ca, f7, OU_PROP_RW).status, PTD_OK);              /* 0x3000 */
	h7 = tb_from_in_use(&t, 7 * PG).new_id;
	CHECK_EQ(tb_map(&t, ca, h7, OU_PROP_RW).status, PTD_OK);              /* 0x4000 */
	CHECK_EQ(tb_slot(&t, 7)->rc, 2);
	CHECK_EQ(tb_paths(&t, 7), 2);

	b = tb_new_vs(&t).new_id;                    /* root 36 */
	cb = tb_open(&t, b, 0, 0x1000, 1).new_id;    /* 37, 38, 39 */
	h6b = tb_from_in_use(&t, 6 * PG).new_id;
	CHECK_EQ(tb_map(&t, cb, h6b, OU_PROP_RW).status, PTD_OK);
	CHECK_EQ(tb_slot(&t, 6)->rc, 3);
	CHECK_EQ(ou_accounting_violations(&t), 0);

	CHECK_EQ(tb_drop_cursor(&t, ca).status, PTD_OK);
	CHECK_EQ(tb_drop_vs(&t, a).status, PTD_OK);

	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_SLOT_FREE(&t, 7, PTD_USAGE_FRAME);
	CHECK_SLOT_LIVE(&t, 6, 2, PTD_USAGE_FRAME); /* handle h6 + b's mapping */
	CHECK_EQ(tb_paths(&t, 6), 1);
	CHECK(tb_has_path(&t, 6, b, 4, 0));
	CHECK(ou_has_handle(&t, h6, 6 * PG));
	for (uint64_t i = 32; i <= 35; i++)
		CHECK_SLOT_FREE(&t, i, PTD_USAGE_PAGE_TABLE);
	CHECK_NODE(&t, 36, b, 0, 0);
	CHECK_NODE(&t, 37, b, 1, 0);
	CHECK_NODE(&t, 38, b, 2, 0);
	CHECK_NODE(&t, 39, b, 3, 0);
	CHECK(!ou_has_vs(&t, a));
	CHECK_EQ(t.view.nvmspaces, 1);
	CHECK_EQ(t.view.nmaps, 1);
	CHECK(tb_mapping(&t, b, 0) != NULL);
	CHECK_EQ(ou_accounting_violations(&t), 0);

	/* A freed node slot is reused by the next allocation: lowest UNUSED is 32 again. */
	CHECK_EQ(tb_new_vs(&t).status, PTD_OK);
	CHECK_NODE(&t, 32, t.next_id - 1, 0, 0);
	tb_fini(&t);
}

/* A freshly created space holds only its root: dropping it frees that one slot. */
TEST(drop_empty_vmspace_frees_root)
{
	struct tb t;
	ptd_id_t vs;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	CHECK_EQ(tb_drop_vs(&t, vs).status, PTD_OK);
	CHECK_SLOT_FREE(&t, TB_POOL_START, PTD_USAGE_PAGE_TABLE);
	CHECK_EQ(t.view.npaths, 0);
	CHECK_EQ(t.view.nvmspaces, 0);
	tb_fini(&t);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(initial_state_is_empty),
	      PTD_TEST_ENTRY(new_vmspace_takes_lowest_pool_slot),
	      PTD_TEST_ENTRY(new_vmspace_skips_pool_slot_claimed_as_frame),
	      PTD_TEST_ENTRY(drop_vmspace_busy_while_cursor_lives),
	      PTD_TEST_ENTRY(drop_vmspace_ignores_other_spaces_cursor),
	      PTD_TEST_ENTRY(drop_vmspace_releases_mappings_and_frees_nodes),
	      PTD_TEST_ENTRY(drop_empty_vmspace_frees_root))
