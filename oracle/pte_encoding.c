/* SPDX-License-Identifier: MIT */
/*
 * The oracle's x86-64 4 KiB leaf PTE encoding (docs/POLICY.md §4, "Leaf PTE bits"), written
 * from the architecture and kept apart from core's encoder (core/pte.h) on purpose: the view
 * compares core's raw leaf bits with these, so a slip that core encodes and decodes consistently
 * (its props round-trip) still shows.  It is tables and one search, not a switch:
 *
 * - Bit positions: Intel SDM Vol. 3A, "Format of a Page-Table Entry that Maps a 4-KByte Page";
 *   OSTD names the same positions (PteFlags, ostd/src/arch/x86/mm/mod.rs).
 * - Memory type: the SDM's PAT rules ("Page Attribute Table (PAT)"): a 4 KiB leaf selects entry
 *   4*PAT + 2*PCD + PWT of the IA32_PAT MSR, whose byte is a memory-type code ("Memory Types
 *   That Can Be Encoded With PAT").  The oracle holds the MSR the model assumes (pat_msr[]),
 *   maps each cache policy to its memory type, and writes the lowest index that holds that
 *   type.  With this MSR, PCD alone (index 2) is UC-, not UC: the two differ (WC may override
 *   UC- from the MTRRs), which is why an Uncacheable page needs PCD and PWT.
 */
#include "pte_encoding.h"

#include <stddef.h>

#include "store.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(n) (UINT64_C(1) << (n))

/* Memory-type codes of an IA32_PAT entry (SDM, "Memory Types That Can Be Encoded With PAT"). */
enum sdm_memory_type {
	MT_UC = 0x00,       /* strong uncacheable */
	MT_WC = 0x01,       /* write combining */
	MT_WT = 0x04,       /* write through */
	MT_WP = 0x05,       /* write protected */
	MT_WB = 0x06,       /* write back */
	MT_UC_MINUS = 0x07, /* uncached, overridable by WC in the MTRRs */
};

/*
 * The IA32_PAT the model assumes is programmed (docs/POLICY.md §4): the power-on value
 * (0x0007040600070406: WB, WT, UC-, UC, then the same again) with entries 4 and 5 made WC and
 * WP, so each of the five policies has an index of its own.
 */
static const uint8_t pat_msr[8] = {
	MT_WB, MT_WT, MT_UC_MINUS, MT_UC, MT_WC, MT_WP, MT_UC_MINUS, MT_UC,
};

/* The memory type each cache policy asks for (OSTD CachePolicy, ostd/src/mm/page_prop.rs). */
static const uint8_t policy_memory_type[PTD_CACHE_COUNT] = {
	[PTD_CACHE_WB] = MT_WB, [PTD_CACHE_WT] = MT_WT, [PTD_CACHE_UC] = MT_UC,
	[PTD_CACHE_WC] = MT_WC, [PTD_CACHE_WP] = MT_WP,
};

/* Which PTE bit carries each bit of the PAT index in a 4 KiB leaf (in a 2 MiB or 1 GiB leaf the
 * PAT bit is bit 12 instead; ptdiff maps 4 KiB pages only). */
static const struct {
	unsigned index_bit, pte_bit;
} pat_index_bits[] = {
	{ 0, 3 }, /* PWT */
	{ 1, 4 }, /* PCD */
	{ 2, 7 }, /* PAT */
};

/* Bits every user leaf has: P (present; readable is implied) and U/S (user). */
static const unsigned always_set[] = { 0, 2 };

/* The page flags: each sets its bit when the flag is present, or (inverted) when absent. */
static const struct {
	uint8_t flag;
	unsigned pte_bit;
	int inverted;
} flag_bits[] = {
	{ PTD_PF_W, 1, 0 },  /* R/W */
	{ PTD_PF_A, 5, 0 },  /* accessed */
	{ PTD_PF_D, 6, 0 },  /* dirty */
	{ PTD_PF_X, 63, 1 }, /* XD: execute-disable when the page is not executable */
};

/* The lowest PAT index whose entry holds memory type @type. */
static unsigned pat_index(uint8_t type)
{
	unsigned i = 0;

	while (i < ARRAY_SIZE(pat_msr) && pat_msr[i] != type)
		i++;
	ORACLE_BUG_ON(i == ARRAY_SIZE(pat_msr)); /* a policy the PAT cannot express */
	return i;
}

uint64_t oracle_leaf_pte(struct ptd_prop prop)
{
	uint64_t pte = 0;
	unsigned index;

	ORACLE_BUG_ON(prop.cache >= PTD_CACHE_COUNT || (prop.flags & ~PTD_PF_ALL));
	for (size_t i = 0; i < ARRAY_SIZE(always_set); i++)
		pte |= BIT(always_set[i]);
	for (size_t i = 0; i < ARRAY_SIZE(flag_bits); i++)
		if (((prop.flags & flag_bits[i].flag) != 0) != flag_bits[i].inverted)
			pte |= BIT(flag_bits[i].pte_bit);
	index = pat_index(policy_memory_type[prop.cache]);
	for (size_t i = 0; i < ARRAY_SIZE(pat_index_bits); i++)
		if (index & (1u << pat_index_bits[i].index_bit))
			pte |= BIT(pat_index_bits[i].pte_bit);
	/* G (bit 8) stays clear: OSTD sets it only for kernel mappings (PrivilegedPageFlags). */
	return pte & PTD_LEAF_PTE_COMPARED;
}
