/* SPDX-License-Identifier: MIT */
/*
 * ProtectNext (POLICY §3): finds the lowest mapping in [va, va + len), rewrites its prop as
 * (flags & ~clear) | set masked to PTD_PF_ALL and cache unless KEEP, moves past it; slots and
 * paddr/trackedness never change.
 */
#include "core_tb.h"

/* A change that changes nothing. */
#define KEEP_ALL ((struct ptd_prop_change){ 0, 0, PTD_CACHE_KEEP })

TEST(protect_next_errors_in_order)
{
	struct tb t;
	ptd_id_t vs, ro, rw;

	tb_init(&t, &ptd_core_backend);
	vs = tb_new_vs(&t).new_id;
	ro = tb_open(&t, vs, 0x1000, 0x3000, 0).new_id;
	CHECK_EQ(tb_protect(&t, ro, 0x123, KEEP_ALL).status, PTD_ERR_READ_ONLY);
	CHECK_EQ(tb_protect(&t, ro, PG, KEEP_ALL).status, PTD_ERR_READ_ONLY);
	CHECK_EQ(tb_drop_cursor(&t, ro).status, PTD_OK);
	rw = tb_open(&t, vs, 0x1000, 0x3000, 1).new_id;
	CHECK_EQ(tb_protect(&t, rw, 0x123, KEEP_ALL).status, PTD_ERR_WOULD_PANIC);
	CHECK_EQ(tb_protect(&t, rw, 0x3000, KEEP_ALL).status, PTD_ERR_WOULD_PANIC);
	CHECK_EQ(tb_cursor(&t, rw)->va, 0x1000);
	tb_fini(&t);
}

/* Found: the lowest mapping changes, the cursor moves past it, result = its va range. */
TEST(protect_next_changes_the_first_mapping_only)
{
	struct tb t;
	struct slot_snap before;
	struct ptd_result r;
	ptd_id_t vs, c;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0x1000, 0x6000);
	CHECK_EQ(tb_jump(&t, c, 0x2000).status, PTD_OK);
	CHECK_EQ(map_new(&t, c, 0x5000, prop_of(PTD_PF_W | PTD_PF_A, PTD_CACHE_WB)).status, PTD_OK);
	CHECK_EQ(map_new(&t, c, 0x6000, prop_of(PTD_PF_W, PTD_CACHE_WB)).status, PTD_OK);
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	snap_take(&t, &before);
	r = tb_protect(&t, c, 0x4000, (struct ptd_prop_change){ PTD_PF_D, PTD_PF_W, PTD_CACHE_UC });
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.found, 1);
	CHECK_EQ(r.va, 0x2000);
	CHECK_EQ(r.va_end, 0x3000);
	CHECK_EQ(r.paddr, 0);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x3000);
	CHECK_EQ(tb_mapping(&t, vs, 0x2000)->prop.flags, PTD_PF_A | PTD_PF_D);
	CHECK_EQ(tb_mapping(&t, vs, 0x2000)->prop.cache, PTD_CACHE_UC);
	CHECK_EQ(tb_mapping(&t, vs, 0x2000)->pa, 0x5000);
	CHECK_EQ(tb_mapping(&t, vs, 0x3000)->prop.flags, PTD_PF_W);
	CHECK(snap_same(&t, &before));
	/* KEEP keeps the cache; set bits outside PTD_PF_ALL are masked away. */
	r = tb_protect(&t, c, 0x1000, (struct ptd_prop_change){ 0xf0 | PTD_PF_X, 0, PTD_CACHE_KEEP });
	CHECK_EQ(r.found, 1);
	CHECK_EQ(r.va, 0x3000);
	CHECK_EQ(tb_mapping(&t, vs, 0x3000)->prop.flags, PTD_PF_W | PTD_PF_X);
	CHECK_EQ(tb_mapping(&t, vs, 0x3000)->prop.cache, PTD_CACHE_WB);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x4000);
	/* Not found: the cursor moves exactly len. */
	r = tb_protect(&t, c, 0x2000, (struct ptd_prop_change){ PTD_PF_ALL, 0, PTD_CACHE_WT });
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.found, 0);
	CHECK_EQ(r.va, 0);
	CHECK_EQ(tb_cursor(&t, c)->va, 0x6000);
	CHECK(snap_same(&t, &before));
	tb_fini(&t);
}

/* An I/O leaf keeps its paddr and stays untracked; the search crosses empty nodes. */
TEST(protect_next_on_iomem_and_across_nodes)
{
	struct tb t;
	struct ptd_result r;
	const struct ptd_mapping_view *m;
	ptd_id_t vs, c;

	tb_init(&t, &ptd_core_backend);
	c = open_new(&t, &vs, 0, 4 * GIB);
	CHECK_EQ(tb_jump(&t, c, 3 * GIB + 2 * MIB).status, PTD_OK);
	CHECK_EQ(tb_map_iomem(&t, c, TB_IOMEM_BASE + PG, prop_of(0, PTD_CACHE_WC)).status, PTD_OK);
	CHECK_EQ(tb_jump(&t, c, PG).status, PTD_OK);
	r = tb_protect(&t, c, 4 * GIB - PG,
		       (struct ptd_prop_change){ PTD_PF_W | PTD_PF_A, 0, PTD_CACHE_WP });
	CHECK_EQ(r.found, 1);
	CHECK_EQ(r.va, 3 * GIB + 2 * MIB);
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

PTD_TEST_MAIN(PTD_TEST_ENTRY(protect_next_errors_in_order),
	      PTD_TEST_ENTRY(protect_next_changes_the_first_mapping_only),
	      PTD_TEST_ENTRY(protect_next_on_iomem_and_across_nodes))
