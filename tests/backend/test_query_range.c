/* SPDX-License-Identifier: MIT */
/*
 * Query's result range on either side (docs/POLICY.md §3 Query): a mapped page's own range, and
 * on an absent address the span of the absent entry where OSTD's walk stops (`query` returns
 * `cur_va_range()` at the level it stopped), not clipped to the cursor's range; against
 * hand-computed ranges on the 64-frame test machine (pool = frames 32..63).
 */
#include "bt.h"

/* An absent Query: status OK, found 0, the range and nothing else, and no change anywhere. */
#define CHECK_ABSENT(t, c, want_va, want_end)                               \
	do {                                                                \
		struct tb_snap s_ = tb_snap_take(t);                        \
		struct ptd_result a_ = tb_query((t), (c));                  \
		CHECK_EQ(a_.status, PTD_OK);                                \
		CHECK_EQ(a_.found, 0);                                      \
		CHECK_EQ(a_.va, (want_va));                                 \
		CHECK_EQ(a_.va_end, (want_end));                            \
		CHECK(!a_.tracked && !a_.paddr && !a_.new_id && !a_.count); \
		CHECK(tb_snap_same((t), &s_));                              \
		tb_snap_free(&s_);                                          \
	} while (0)

/* [0, 4 MiB) has guard level 2 (nodes 33 L3, 34 L2): with no level-1 node, the level-2 entry
 * is absent and its 2 MiB are the range, wherever in them the cursor is; once the level-1 node
 * exists, an absent page is its own range. */
TEST(query_absent_reports_the_absent_entry)
{
	struct tb t;
	ptd_id_t vs, c;

	c = bt_start(&t, &vs, 0, 4 * MIB, 1);
	CHECK_ABSENT(&t, c, 0, 2 * MIB);
	CHECK_EQ(tb_jump(&t, c, 0x3000).status, PTD_OK);
	CHECK_ABSENT(&t, c, 0, 2 * MIB); /* starts below va */
	CHECK_EQ(tb_jump(&t, c, 3 * MIB).status, PTD_OK);
	CHECK_ABSENT(&t, c, 2 * MIB, 4 * MIB);
	bt_map_slot(&t, c, 0, 5, PROP_RW); /* level-1 node over [0, 2 MiB) at 35 */
	CHECK_NODE(&t, 35, vs, 3, 0);
	CHECK_EQ(tb_jump(&t, c, 0x3000).status, PTD_OK);
	CHECK_ABSENT(&t, c, 0x3000, 0x4000);
	CHECK_EQ(tb_jump(&t, c, 2 * MIB).status, PTD_OK);
	CHECK_ABSENT(&t, c, 2 * MIB, 4 * MIB);
	tb_fini(&t);
}

/* The range is the entry's, not clipped to the cursor's: [2 MiB - 4 KiB, 2 MiB + 4 KiB) has
 * guard level 2; at its first page the missing level-1 node's entry spans [0, 2 MiB).  A cursor
 * whose guard is the root sees a whole root entry: 512 GiB.  A read-only cursor whose open made
 * the nodes down to level 1 sees the page. */
TEST(query_absent_range_not_clipped)
{
	struct tb t;
	ptd_id_t vs, c;

	c = bt_start(&t, &vs, 2 * MIB - PG, 2 * MIB + PG, 1);
	CHECK_ABSENT(&t, c, 0, 2 * MIB);
	CHECK_EQ(tb_jump(&t, c, 2 * MIB).status, PTD_OK);
	CHECK_ABSENT(&t, c, 2 * MIB, 4 * MIB);
	c = tb_open(&t, tb_new_vs(&t).new_id, 0, PTD_USER_END, 0).new_id;
	CHECK_EQ(tb_jump(&t, c, 5 * GIB).status, PTD_OK);
	CHECK_ABSENT(&t, c, 0, 512 * GIB);
	c = tb_open(&t, tb_new_vs(&t).new_id, 0x2000, 0x4000, 0).new_id;
	CHECK_ABSENT(&t, c, 0x2000, 0x3000);
	tb_fini(&t);
}

/* A mapped page's range is the page, an I/O one's too. */
TEST(query_mapped_reports_the_page)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	struct ptd_result r;

	bt_map_slot(t, e.c, 0x5000, 5, PROP_RW);
	CHECK_EQ(tb_map_iomem(t, e.c, TB_IOMEM_BASE, PROP_RO).status, PTD_OK);
	CHECK_EQ(tb_jump(t, e.c, 0x5000).status, PTD_OK);
	r = tb_query(t, e.c);
	CHECK_EQ(r.found, 1);
	CHECK_EQ(r.va, 0x5000);
	CHECK_EQ(r.va_end, 0x6000);
	CHECK_EQ(tb_jump(t, e.c, 0x6000).status, PTD_OK);
	r = tb_query(t, e.c);
	CHECK_EQ(r.found, 1);
	CHECK_EQ(r.tracked, 0);
	CHECK_EQ(r.va, 0x6000);
	CHECK_EQ(r.va_end, 0x7000);
	tb_fini(t);
}

PTD_BACKEND_TEST_MAIN(PTD_TEST_ENTRY(query_absent_reports_the_absent_entry),
		      PTD_TEST_ENTRY(query_absent_range_not_clipped),
		      PTD_TEST_ENTRY(query_mapped_reports_the_page))
