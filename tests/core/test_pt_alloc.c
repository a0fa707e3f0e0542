/* SPDX-License-Identifier: MIT */
/*
 * The page-table pool allocator (core/pt_alloc.c) and its rule from POLICY §2: a new node takes
 * the lowest pool frame whose rc is UNUSED, whatever its usage; frames claimed through
 * FrameFromUnused are skipped, frames torn down are reused.
 */
#include "core_tb.h"
#include "pt_alloc.h"

/* Directly: lowest free across a multi-level bitmap (5000 bits = 3 levels). */
TEST(pool_lowest_free_is_lowest_across_levels)
{
	struct core_pt_pool p;

	CHECK_EQ(core_pt_pool_init(&p, 10, 5010), 0);
	CHECK_EQ(p.nr_levels, 3);
	CHECK_EQ(core_pt_pool_lowest_free(&p), 10);
	for (uint64_t i = 10; i < 4110; i++) {
		core_pt_pool_mark_used(&p, i);
	}
	CHECK_EQ(core_pt_pool_lowest_free(&p), 4110);
	core_pt_pool_mark_free(&p, 700);
	CHECK_EQ(core_pt_pool_lowest_free(&p), 700);
	core_pt_pool_mark_free(&p, 700); /* idempotent */
	core_pt_pool_mark_used(&p, 700);
	CHECK_EQ(core_pt_pool_lowest_free(&p), 4110);
	core_pt_pool_mark_used(&p, 700); /* idempotent */
	CHECK_EQ(core_pt_pool_lowest_free(&p), 4110);
	for (uint64_t i = 4110; i < 5009; i++) {
		core_pt_pool_mark_used(&p, i);
	}
	CHECK_EQ(core_pt_pool_lowest_free(&p), 5009);
	core_pt_pool_mark_used(&p, 5009);
	CHECK_EQ(core_pt_pool_lowest_free(&p), CORE_PT_POOL_NONE);
	core_pt_pool_mark_free(&p, 4096 + 10);
	CHECK_EQ(core_pt_pool_lowest_free(&p), 4106);
	core_pt_pool_fini(&p);
}

/* An empty pool has nothing free; a one-frame pool has one. */
TEST(pool_edge_sizes)
{
	struct core_pt_pool p;

	CHECK_EQ(core_pt_pool_init(&p, 8, 8), 0);
	CHECK_EQ(core_pt_pool_lowest_free(&p), CORE_PT_POOL_NONE);
	core_pt_pool_fini(&p);
	CHECK_EQ(core_pt_pool_init(&p, 8, 9), 0);
	CHECK_EQ(p.nr_levels, 1);
	CHECK_EQ(core_pt_pool_lowest_free(&p), 8);
	core_pt_pool_mark_used(&p, 8);
	CHECK_EQ(core_pt_pool_lowest_free(&p), CORE_PT_POOL_NONE);
	core_pt_pool_fini(&p);
	CHECK_EQ(core_pt_pool_init(&p, 0, 64), 0); /* exactly one word: one level */
	CHECK_EQ(p.nr_levels, 1);
	core_pt_pool_fini(&p);
	CHECK_EQ(core_pt_pool_init(&p, 0, 65), 0); /* 65 bits: two words, two levels */
	CHECK_EQ(p.nr_levels, 2);
	core_pt_pool_mark_used(&p, 0);
	CHECK_EQ(core_pt_pool_lowest_free(&p), 1);
	core_pt_pool_fini(&p);
}

/* Through the backend: a pool slot claimed as a Frame is skipped; when it is torn down it is the
 * lowest free slot again, and its old usage (Frame) does not matter. */
TEST(node_allocation_skips_claimed_frames_and_reuses_torn_down_ones)
{
	struct tb t;
	struct ptd_result f, vs;

	tb_init(&t, &ptd_core_backend);
	f = tb_frame(&t, TB_POOL_START * PG); /* slot 32 becomes a Frame */
	CHECK_EQ(f.status, PTD_OK);
	vs = tb_new_vs(&t);
	CHECK_SLOT_LIVE(&t, TB_POOL_START + 1, 1, PTD_USAGE_PAGE_TABLE); /* root in 33 */
	CHECK(tb_has_path(&t, TB_POOL_START + 1, vs.new_id, 0, 0));
	CHECK_EQ(tb_frame_drop(&t, f.new_id).status, PTD_OK);
	CHECK_SLOT_FREE(&t, TB_POOL_START, PTD_USAGE_FRAME);
	vs = tb_new_vs(&t);
	CHECK_SLOT_LIVE(&t, TB_POOL_START, 1, PTD_USAGE_PAGE_TABLE); /* back to 32 */
	CHECK(tb_has_path(&t, TB_POOL_START, vs.new_id, 0, 0));
	vs = tb_new_vs(&t);
	CHECK_SLOT_LIVE(&t, TB_POOL_START + 2, 1, PTD_USAGE_PAGE_TABLE);
	tb_fini(&t);
}

/* A freed node's slot (usage PageTable kept) is reused lowest-first by the next allocation. */
TEST(freed_node_slots_are_reused_lowest_first)
{
	struct tb t;
	ptd_id_t a, b;

	tb_init(&t, &ptd_core_backend);
	a = tb_new_vs(&t).new_id; /* 32 */
	b = tb_new_vs(&t).new_id; /* 33 */
	(void)tb_new_vs(&t);      /* 34 */
	CHECK_EQ(tb_drop_vs(&t, b).status, PTD_OK);
	CHECK_EQ(tb_drop_vs(&t, a).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 32, PTD_USAGE_PAGE_TABLE);
	CHECK_SLOT_FREE(&t, 33, PTD_USAGE_PAGE_TABLE);
	CHECK_EQ(tb_new_vs(&t).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 32, 1, PTD_USAGE_PAGE_TABLE);
	CHECK_EQ(tb_new_vs(&t).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 33, 1, PTD_USAGE_PAGE_TABLE);
	CHECK_EQ(tb_new_vs(&t).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 35, 1, PTD_USAGE_PAGE_TABLE);
	tb_fini(&t);
}

/* A large machine: node memory exists only for pool frames that became nodes. */
TEST(large_machine_allocates_node_memory_lazily)
{
	const struct ptd_config cfg = { .nframes = 1u << 18, .pt_pool_start = 1u << 17,
					.iomem_base = 1ull << 32,
					.iomem_end = (1ull << 32) + 16 * PG, .max_handles = 64 };
	struct core *k = ptd_core_backend.create(&cfg);
	struct ptd_result r = { 0 };
	size_t nr_mem = 0;

	CHECK(k != NULL);
	if (!k) {
		return;
	}
	CHECK_EQ(k->pool.nr_levels, 3);
	ptd_core_backend.apply(k, &(struct ptd_op){ .kind = PTD_OP_NEW_VM_SPACE, .new_id = 1 }, &r);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(k->slots[1u << 17].ref_count, 1);
	CHECK_EQ(k->slots[1u << 17].usage, PTD_USAGE_PAGE_TABLE);
	for (uint64_t i = 0; i < k->pool.nr; i++) {
		nr_mem += k->pool.mem[i] != NULL;
	}
	CHECK_EQ(nr_mem, 1);
	ptd_core_backend.destroy(k);
}

/* Configurations core cannot represent are refused (create returns NULL). */
TEST(unusable_configs_are_refused)
{
	struct ptd_config cfg = { .nframes = 64, .pt_pool_start = 32, .iomem_base = 0x40000000,
				  .iomem_end = 0x40010000, .max_handles = 8 };

	cfg.pt_pool_start = 65;
	CHECK(ptd_core_backend.create(&cfg) == NULL);
	cfg.pt_pool_start = 32;
	cfg.iomem_base = 0x1000; /* inside physical memory */
	CHECK(ptd_core_backend.create(&cfg) == NULL);
	cfg.iomem_base = 0x40000800; /* unaligned */
	CHECK(ptd_core_backend.create(&cfg) == NULL);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(pool_lowest_free_is_lowest_across_levels),
	      PTD_TEST_ENTRY(pool_edge_sizes),
	      PTD_TEST_ENTRY(node_allocation_skips_claimed_frames_and_reuses_torn_down_ones),
	      PTD_TEST_ENTRY(freed_node_slots_are_reused_lowest_first),
	      PTD_TEST_ENTRY(large_machine_allocates_node_memory_lazily),
	      PTD_TEST_ENTRY(unusable_configs_are_refused))
