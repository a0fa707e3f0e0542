/* SPDX-License-Identifier: MIT */
/*
 * PTE encoding (core/pte.h): exact bits for each flag and cache policy, round-trip of every
 * prop, table entries, and the per-level index.  Expected values are computed by hand from the
 * x86-64 layout (P=0, RW=1, US=2, PWT=3, PCD=4, A=5, D=6, PAT=7, AVL=9, NX=63), not from the
 * encoder.  Side-specific: these are core's encoder functions, called directly (the oracle has
 * its own, oracle/pte_encoding.c); the leaf bits both sides must show in the view are checked
 * on both in tests/backend/test_pte_bits.c.
 */
#include "check.h"
#include "pte.h"

static struct ptd_prop pp(uint8_t flags, uint8_t cache)
{
	return (struct ptd_prop){ .flags = flags, .cache = cache };
}

/* Every flag combination and every cache policy, tracked and untracked, round-trips. */
TEST(pte_prop_round_trips_for_every_flag_and_cache)
{
	for (unsigned tracked = 0; tracked < 2; tracked++) {
		for (unsigned flags = 0; flags <= PTD_PF_ALL; flags++) {
			for (unsigned cache = 0; cache < PTD_CACHE_COUNT; cache++) {
				core_pte_t pte = core_pte_make_leaf(
					0x123456789000ull, pp((uint8_t)flags, (uint8_t)cache),
					(int)tracked);
				struct ptd_prop q = core_pte_prop(pte);

				CHECK_EQ(q.flags, flags);
				CHECK_EQ(q.cache, cache);
				CHECK_EQ(core_pte_paddr(pte), 0x123456789000ull);
				CHECK_EQ(core_pte_tracked(pte), tracked);
				CHECK(core_pte_present(pte));
				CHECK(!(pte & CORE_PTE_HUGE) || cache == PTD_CACHE_WC ||
				      cache == PTD_CACHE_WP);
			}
		}
	}
}

/* One flag at a time, write-back: present | user | addr, NX unless X. */
TEST(pte_leaf_flag_bits_are_x86_64)
{
	const core_pte_t base = 0x5000ull | 0x1 | 0x4;
	const core_pte_t nx = 1ull << 63;

	CHECK_EQ(core_pte_make_leaf(0x5000, pp(0, PTD_CACHE_WB), 1), base | nx);
	CHECK_EQ(core_pte_make_leaf(0x5000, pp(PTD_PF_W, PTD_CACHE_WB), 1), base | nx | 0x2);
	CHECK_EQ(core_pte_make_leaf(0x5000, pp(PTD_PF_X, PTD_CACHE_WB), 1), base);
	CHECK_EQ(core_pte_make_leaf(0x5000, pp(PTD_PF_A, PTD_CACHE_WB), 1), base | nx | 0x20);
	CHECK_EQ(core_pte_make_leaf(0x5000, pp(PTD_PF_D, PTD_CACHE_WB), 1), base | nx | 0x40);
	CHECK_EQ(core_pte_make_leaf(0x5000, pp(PTD_PF_ALL, PTD_CACHE_WB), 1), base | 0x2 | 0x60);
	/* Untracked I/O leaf: software bit 9. */
	CHECK_EQ(core_pte_make_leaf(0x5000, pp(0, PTD_CACHE_WB), 0), base | nx | 0x200);
}

/* Cache policies: WB=0, WT=PWT, UC=PCD|PWT, WC=PAT, WP=PAT|PWT. */
TEST(pte_cache_bits_are_pat_layout)
{
	const core_pte_t base = 0x7000ull | 0x1 | 0x4 | (1ull << 63);

	CHECK_EQ(core_pte_make_leaf(0x7000, pp(0, PTD_CACHE_WB), 1), base);
	CHECK_EQ(core_pte_make_leaf(0x7000, pp(0, PTD_CACHE_WT), 1), base | 0x8);
	CHECK_EQ(core_pte_make_leaf(0x7000, pp(0, PTD_CACHE_UC), 1), base | 0x18);
	CHECK_EQ(core_pte_make_leaf(0x7000, pp(0, PTD_CACHE_WC), 1), base | 0x80);
	CHECK_EQ(core_pte_make_leaf(0x7000, pp(0, PTD_CACHE_WP), 1), base | 0x88);
	/* Patterns no policy encodes to decode as invalid. */
	CHECK_EQ(core_pte_cache(base | 0x10), PTD_CACHE_COUNT); /* PCD alone */
	CHECK_EQ(core_pte_cache(base | 0x98), PTD_CACHE_COUNT); /* PAT|PCD|PWT */
}

/* Physical address bits 12..51 only; the low and high bits do not leak into the address. */
TEST(pte_address_field_is_bits_12_to_51)
{
	core_pte_t pte = core_pte_make_leaf(0x000ffffffffff000ull, pp(PTD_PF_ALL, PTD_CACHE_WP), 0);

	CHECK_EQ(core_pte_paddr(pte), 0x000ffffffffff000ull);
	CHECK_EQ(core_pte_paddr(CORE_PTE_NX | CORE_PTE_IOMEM | 0xfffull), 0);
}

/* A table entry: present, writable, user, child address; never huge, never NX. */
TEST(pte_table_entry_is_present_writable_user)
{
	core_pte_t pte = core_pte_make_table(0x21000);

	CHECK_EQ(pte, 0x21000ull | 0x7);
	CHECK(core_pte_present(pte));
	CHECK_EQ(core_pte_paddr(pte), 0x21000);
	CHECK(!core_pte_present(0));
}

/* Index of a va at each level: bits 12+9(L-1) .. 12+9L. */
TEST(pte_index_per_level)
{
	ptd_vaddr_t va = (5ull << 39) | (7ull << 30) | (9ull << 21) | (11ull << 12) | 0x123;

	CHECK_EQ(core_pte_index(va, 1), 11);
	CHECK_EQ(core_pte_index(va, 2), 9);
	CHECK_EQ(core_pte_index(va, 3), 7);
	CHECK_EQ(core_pte_index(va, 4), 5);
	CHECK_EQ(core_pte_index(PTD_USER_END - PTD_PAGE_SIZE, 4), 255);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(pte_prop_round_trips_for_every_flag_and_cache),
	      PTD_TEST_ENTRY(pte_leaf_flag_bits_are_x86_64),
	      PTD_TEST_ENTRY(pte_cache_bits_are_pat_layout),
	      PTD_TEST_ENTRY(pte_address_field_is_bits_12_to_51),
	      PTD_TEST_ENTRY(pte_table_entry_is_present_writable_user),
	      PTD_TEST_ENTRY(pte_index_per_level))
