/* SPDX-License-Identifier: MIT */
/*
 * Leaf PTE bits in the view, on either side (docs/POLICY.md §4 "Leaf PTE bits"): the `pte` of
 * every mapping is the x86-64 4 KiB leaf its prop encodes to, masked by PTD_LEAF_PTE_COMPARED;
 * Map, MapIoMem and ProtectNext all write it.  Every expected value is written out by hand from
 * the Intel SDM's leaf format (P 0, R/W 1, U/S 2, PWT 3, PCD 4, A 5, D 6, PAT 7, XD 63) and the
 * PAT layout POLICY names (WB index 0, WT 1 = PWT, UC 3 = PCD|PWT, WC 4 = PAT, WP 5 = PAT|PWT),
 * never from either side's encoder.  In particular Uncacheable is PCD|PWT: PCD alone selects
 * index 2, UC-.
 */
#include "bt.h"

#define P UINT64_C(0x1)
#define RW UINT64_C(0x2)
#define US UINT64_C(0x4)
#define PWT UINT64_C(0x8)
#define PCD UINT64_C(0x10)
#define ACC UINT64_C(0x20)
#define DIRTY UINT64_C(0x40)
#define PAT UINT64_C(0x80)
#define XD UINT64_C(0x8000000000000000)

static struct ptd_prop prop(uint8_t flags, uint8_t cache)
{
	return (struct ptd_prop){ .flags = flags, .cache = cache };
}

/* The pte of the mapping at va of e's space. */
static uint64_t pte_at(const struct bt_env *e, uint64_t va)
{
	const struct ptd_mapping_view *m = tb_mapping(&e->t, e->vs, va);

	CHECK(m != NULL);
	return m ? m->pte : 0;
}

/* Each cache policy's PAT index, and each flag's bit, with frames mapped by Map. */
TEST(map_writes_each_policy_and_flag)
{
	static const struct {
		struct ptd_prop prop;
		uint64_t pte;
	} cases[] = {
		{ { 0, PTD_CACHE_WB }, P | US | XD },
		{ { PTD_PF_W, PTD_CACHE_WB }, P | RW | US | XD },
		{ { PTD_PF_X, PTD_CACHE_WB }, P | US },
		{ { PTD_PF_A | PTD_PF_D, PTD_CACHE_WB }, P | US | ACC | DIRTY | XD },
		{ { PTD_PF_ALL, PTD_CACHE_WB }, P | RW | US | ACC | DIRTY },
		{ { PTD_PF_X, PTD_CACHE_WT }, P | US | PWT },
		{ { PTD_PF_X, PTD_CACHE_UC }, P | US | PCD | PWT },
		{ { PTD_PF_X, PTD_CACHE_WC }, P | US | PAT },
		{ { PTD_PF_X, PTD_CACHE_WP }, P | US | PAT | PWT },
		{ { PTD_PF_W, PTD_CACHE_UC }, P | RW | US | PCD | PWT | XD },
	};
	struct bt_env e;
	struct tb *t = bt_env_init(&e);

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint64_t va = i * PG;

		bt_map_slot(t, e.c, va, 1 + i, cases[i].prop);
		CHECK_EQ(pte_at(&e, va), cases[i].pte);
		CHECK_EQ(tb_mapping(t, e.vs, va)->pa, (1 + i) * PG);
	}
	tb_fini(t);
}

/* An I/O mapping has the same bits: whatever marks it untracked is left out (`tracked` compares
 * that), and so is the frame address (`pa` compares it). */
TEST(map_iomem_writes_the_same_bits)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);

	CHECK_EQ(tb_map_iomem(t, e.c, TB_IOMEM_BASE + 3 * PG, prop(PTD_PF_W, PTD_CACHE_UC)).status,
		 PTD_OK);
	CHECK_EQ(tb_mapping(t, e.vs, 0)->tracked, 0);
	CHECK_EQ(pte_at(&e, 0), P | RW | US | PCD | PWT | XD);
	CHECK_EQ(pte_at(&e, 0) & ~PTD_LEAF_PTE_COMPARED, 0);
	tb_fini(t);
}

/* ProtectNext rewrites the bits: clearing W sets nothing but drops R/W, a new cache policy
 * replaces the old PAT index whole (UC -> WC clears PCD and PWT, sets PAT). */
TEST(protect_rewrites_the_bits)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);

	bt_map_slot(t, e.c, 0, 5, prop(PTD_PF_W | PTD_PF_X, PTD_CACHE_UC));
	CHECK_EQ(pte_at(&e, 0), P | RW | US | PCD | PWT);
	CHECK_EQ(tb_jump(t, e.c, 0).status, PTD_OK);
	CHECK_EQ(tb_protect(t, e.c, PG,
			    (struct ptd_prop_change){ .set = PTD_PF_D,
						      .clear = PTD_PF_W | PTD_PF_X,
						      .cache = PTD_CACHE_WC })
			 .status,
		 PTD_OK);
	CHECK_EQ(pte_at(&e, 0), P | US | DIRTY | PAT | XD);
	CHECK_EQ(tb_jump(t, e.c, 0).status, PTD_OK);
	CHECK_EQ(tb_protect(
			 t, e.c, PG,
			 (struct ptd_prop_change){ .set = 0, .clear = 0, .cache = PTD_CACHE_KEEP })
			 .status,
		 PTD_OK);
	CHECK_EQ(pte_at(&e, 0), P | US | DIRTY | PAT | XD);
	tb_fini(t);
}

PTD_BACKEND_TEST_MAIN(PTD_TEST_ENTRY(map_writes_each_policy_and_flag),
		      PTD_TEST_ENTRY(map_iomem_writes_the_same_bits),
		      PTD_TEST_ENTRY(protect_rewrites_the_bits))
