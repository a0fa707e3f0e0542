/* SPDX-License-Identifier: MIT */
/*
 * Core's page-table pool allocator (tests/backend/test_pool_exhaustion.c has the behaviour
 * both sides share, POLICY §2 "Pool exhaustion"): its free count and lowest-free search,
 * driven directly and after reset.  Test machine: pool = frames 32..63.
 */
#include "core_tb.h"
#include "pt_alloc.h"

/* Directly: the free count follows the bitmap, idempotent marks count once. */
TEST(pool_counts_free_frames)
{
	struct core_pt_pool p;

	CHECK_EQ(core_pt_pool_init(&p, 10, 5010), 0);
	CHECK_EQ(p.nr_free, 5000);
	CHECK(core_pt_pool_has_free(&p, 5000));
	CHECK(!core_pt_pool_has_free(&p, 5001));
	for (uint64_t i = 10; i < 4110; i++) {
		core_pt_pool_mark_used(&p, i);
	}
	CHECK_EQ(p.nr_free, 900);
	core_pt_pool_mark_used(&p, 10); /* idempotent */
	CHECK_EQ(p.nr_free, 900);
	core_pt_pool_mark_free(&p, 700);
	core_pt_pool_mark_free(&p, 700);
	CHECK_EQ(p.nr_free, 901);
	CHECK(core_pt_pool_has_free(&p, 901));
	CHECK(!core_pt_pool_has_free(&p, 902));
	for (uint64_t i = 4110; i < 5010; i++) {
		core_pt_pool_mark_used(&p, i);
	}
	core_pt_pool_mark_used(&p, 700);
	CHECK_EQ(p.nr_free, 0);
	CHECK(core_pt_pool_has_free(&p, 0));
	CHECK(!core_pt_pool_has_free(&p, 1));
	CHECK_EQ(core_pt_pool_lowest_free(&p), CORE_PT_POOL_NONE);
	core_pt_pool_fini(&p);
	CHECK_EQ(core_pt_pool_init(&p, 8, 8), 0); /* an empty pool */
	CHECK_EQ(p.nr_free, 0);
	CHECK(!core_pt_pool_has_free(&p, 1));
	core_pt_pool_fini(&p);
}

/* Reset gives every frame back to the allocator, lowest first again. */
TEST(reset_refills_the_allocator)
{
	struct tb t;

	tb_init(&t, &ptd_core_backend);
	for (uint64_t i = TB_POOL_START; i < TB_NFRAMES - 1; i++)
		CHECK_EQ(tb_frame(&t, i * PG).status, PTD_OK);
	CHECK_EQ(tb_unique(&t, (TB_NFRAMES - 1) * PG).status, PTD_OK);
	CHECK_EQ(tb_core(&t)->pool.nr_free, 0);
	CHECK_EQ(core_pt_pool_lowest_free(&tb_core(&t)->pool), CORE_PT_POOL_NONE);
	t.be->reset(t.self);
	CHECK_EQ(tb_core(&t)->pool.nr_free, TB_NFRAMES - TB_POOL_START);
	CHECK_EQ(core_pt_pool_lowest_free(&tb_core(&t)->pool), TB_POOL_START);
	tb_fini(&t);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(pool_counts_free_frames), PTD_TEST_ENTRY(reset_refills_the_allocator))
