/* SPDX-License-Identifier: MIT */
/*
 * Core's page-table pool allocator (core/pt_alloc.c), side-specific because the oracle keeps no
 * such structure: its multi-level bitmap's lowest-free search driven directly, node memory
 * allocated lazily, and the configurations core refuses.  The rule it implements (POLICY §2: a
 * new node takes the lowest pool frame whose rc is UNUSED, whatever its usage) is checked on
 * both sides in tests/backend/test_vm_space.c and test_pool_exhaustion.c.
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

/* A large machine: node memory exists only for pool frames that became nodes. */
TEST(large_machine_allocates_node_memory_lazily)
{
	const struct ptd_config cfg = { .nframes = 1u << 18,
					.pt_pool_start = 1u << 17,
					.iomem_base = 1ull << 32,
					.iomem_end = (1ull << 32) + 16 * PG,
					.max_handles = 64 };
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
	struct ptd_config cfg = { .nframes = 64,
				  .pt_pool_start = 32,
				  .iomem_base = 0x40000000,
				  .iomem_end = 0x40010000,
				  .max_handles = 8 };

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
	      PTD_TEST_ENTRY(large_machine_allocates_node_memory_lazily),
	      PTD_TEST_ENTRY(unusable_configs_are_refused))
