/* SPDX-License-Identifier: MIT */
/*
 * x86-64 page-table entry encoding (OSTD ostd/src/arch/x86/mm/mod.rs, PageTableEntry).  Every
 * read or write of a PTE in core goes through core_pte_load()/core_pte_store() and every
 * conversion between a PTE and (paddr, prop) through the encode/decode inlines here (FreeBSD
 * pmap_load/pmap_store rule), so the access and bit semantics live in one place.
 *
 * Bits used:  0 P, 1 R/W, 2 U/S, 3 PWT, 4 PCD, 5 A, 6 D, 7 PAT (4 KiB leaf; in a table entry
 * this bit is PS, which core never sets: user mappings are 4 KiB only,
 * docs/CONTRACTS.md#constants), 9 AVL = "untracked I/O leaf" (software bit), 12..51 physical
 * address, 63 NX.  Whether a present entry is a leaf or a child table is fixed by the level: level
 * 1 entries are leaves, every present entry above level 1 points at a child node.
 *
 * Cache policy -> PAT index bits (PAT:PCD:PWT), ptdiff's PAT layout (docs/POLICY.md, "Leaf PTE
 * bits"; OSTD's current pat.rs puts WC at PCD and has no WP):
 *   WB = 0, WT = PWT, UC = PCD|PWT, WC = PAT, WP = PAT|PWT.
 * A ptd_prop (flags W/X/A/D + cache) round-trips exactly through encode/decode.
 */
#ifndef PTDIFF_CORE_PTE_H
#define PTDIFF_CORE_PTE_H

#include <stdint.h>

#include "ptdiff/types.h"

#include "planted.h"

typedef uint64_t core_pte_t;

#define CORE_PTE_PRESENT (1ull << 0)
#define CORE_PTE_WRITABLE (1ull << 1)
#define CORE_PTE_USER (1ull << 2)
#define CORE_PTE_PWT (1ull << 3)
#define CORE_PTE_PCD (1ull << 4)
#define CORE_PTE_ACCESSED (1ull << 5)
#define CORE_PTE_DIRTY (1ull << 6)
#define CORE_PTE_PAT (1ull << 7) /* leaf only; PS (huge) in a table entry, never set */
#define CORE_PTE_HUGE CORE_PTE_PAT
#define CORE_PTE_IOMEM (1ull << 9) /* AVL: untracked I/O-memory leaf, no slot behind it */
#define CORE_PTE_NX (1ull << 63)
#define CORE_PTE_ADDR_MASK 0x000ffffffffff000ull
#define CORE_PTE_CACHE_MASK (CORE_PTE_PAT | CORE_PTE_PCD | CORE_PTE_PWT)

/* Largest physical address (exclusive) a PTE can hold: bits 12..51. */
#define CORE_PTE_PADDR_LIMIT (1ull << 52)

/*
 * core_pte_load() - Read one entry (the only PTE read in core).  Atomic with acquire order, as
 * OSTD reads PTEs (a cursor walks to its guard node without locks while another cursor may
 * store into the same node; the acquire pairs with the release of core_pte_store(), so a
 * child node published by a store is seen initialised).  On x86-64 both compile to plain moves.
 */
static inline core_pte_t core_pte_load(const core_pte_t *ptep)
{
	return __atomic_load_n(ptep, __ATOMIC_ACQUIRE);
}

/** core_pte_store() - Write one entry (the only PTE write in core); release order. */
static inline void core_pte_store(core_pte_t *ptep, core_pte_t pte)
{
	__atomic_store_n(ptep, pte, __ATOMIC_RELEASE);
}

static inline int core_pte_present(core_pte_t pte)
{
	return (pte & CORE_PTE_PRESENT) != 0;
}

static inline ptd_paddr_t core_pte_paddr(core_pte_t pte)
{
	return pte & CORE_PTE_ADDR_MASK;
}

/** core_pte_tracked() - A present leaf maps a tracked frame (has a slot), not I/O memory. */
static inline int core_pte_tracked(core_pte_t pte)
{
	return (pte & CORE_PTE_IOMEM) == 0;
}

/** core_pte_cache_bits() - PAT:PCD:PWT for @cache (< PTD_CACHE_COUNT). */
static inline core_pte_t core_pte_cache_bits(uint8_t cache)
{
	static const core_pte_t bits[PTD_CACHE_COUNT] = {
		[PTD_CACHE_WB] = 0,
		[PTD_CACHE_WT] = CORE_PTE_PWT,
#if PTDIFF_PLANT_PTE_UC_PCD
		[PTD_CACHE_UC] = CORE_PTE_PCD, /* planted: PAT index 2 (UC-) instead of 3 (UC) */
#else
		[PTD_CACHE_UC] = CORE_PTE_PCD | CORE_PTE_PWT,
#endif
		[PTD_CACHE_WC] = CORE_PTE_PAT,
		[PTD_CACHE_WP] = CORE_PTE_PAT | CORE_PTE_PWT,
	};
	return bits[cache];
}

/**
 * core_pte_cache() - Cache policy of a leaf.
 * Return: enum ptd_cache, or PTD_CACHE_COUNT for a bit pattern no policy encodes to.
 */
static inline uint8_t core_pte_cache(core_pte_t pte)
{
	switch (pte & CORE_PTE_CACHE_MASK) {
	case 0:
		return PTD_CACHE_WB;
	case CORE_PTE_PWT:
		return PTD_CACHE_WT;
#if PTDIFF_PLANT_PTE_UC_PCD
	case CORE_PTE_PCD: /* planted: reads back what the encoder writes, so props round-trip */
#else
	case CORE_PTE_PCD | CORE_PTE_PWT:
#endif
		return PTD_CACHE_UC;
	case CORE_PTE_PAT:
		return PTD_CACHE_WC;
	case CORE_PTE_PAT | CORE_PTE_PWT:
#if PTDIFF_PLANT_PTE_CACHE_WP
		return PTD_CACHE_WC; /* planted: PAT index 5 read as 4 (PWT ignored under PAT) */
#else
		return PTD_CACHE_WP;
#endif
	default:
		return PTD_CACHE_COUNT;
	}
}

/**
 * core_pte_make_leaf() - A present, user 4 KiB leaf.
 * @paddr: page-aligned, < CORE_PTE_PADDR_LIMIT
 * @prop: flags within PTD_PF_ALL, cache < PTD_CACHE_COUNT (callers check)
 * @tracked: 1 for a frame with a slot, 0 for I/O memory
 */
static inline core_pte_t core_pte_make_leaf(ptd_paddr_t paddr, struct ptd_prop prop, int tracked)
{
	core_pte_t pte = CORE_PTE_PRESENT | CORE_PTE_USER | (paddr & CORE_PTE_ADDR_MASK);

	if (prop.flags & PTD_PF_W) {
		pte |= CORE_PTE_WRITABLE;
	}
	if (!(prop.flags & PTD_PF_X)) {
		pte |= CORE_PTE_NX;
	}
	if (prop.flags & PTD_PF_A) {
		pte |= CORE_PTE_ACCESSED;
	}
	if (prop.flags & PTD_PF_D) {
		pte |= CORE_PTE_DIRTY;
	}
	pte |= core_pte_cache_bits(prop.cache);
	if (!tracked) {
		pte |= CORE_PTE_IOMEM;
	}
	return pte;
}

/** core_pte_prop() - Decode a leaf's property (inverse of core_pte_make_leaf). */
static inline struct ptd_prop core_pte_prop(core_pte_t pte)
{
	struct ptd_prop prop = { .flags = 0, .cache = core_pte_cache(pte) };

	if (pte & CORE_PTE_WRITABLE) {
		prop.flags |= PTD_PF_W;
	}
	if (!(pte & CORE_PTE_NX)) {
		prop.flags |= PTD_PF_X;
	}
	if (pte & CORE_PTE_ACCESSED) {
		prop.flags |= PTD_PF_A;
	}
	if (pte & CORE_PTE_DIRTY) {
		prop.flags |= PTD_PF_D;
	}
	return prop;
}

/**
 * core_pte_make_table() - An entry pointing at a child node, as OSTD's PageTableEntry::new_pt:
 * present, writable, user (the leaf decides the real permissions).
 */
static inline core_pte_t core_pte_make_table(ptd_paddr_t child)
{
	return CORE_PTE_PRESENT | CORE_PTE_WRITABLE | CORE_PTE_USER | (child & CORE_PTE_ADDR_MASK);
}

/** core_pte_index() - Index of @va's entry in a level-@level node (bits 12+9(L-1) .. 12+9L). */
static inline unsigned core_pte_index(ptd_vaddr_t va, unsigned level)
{
	return (unsigned)(va >> (PTD_PAGE_SHIFT + PTD_ENTRY_BITS * (level - 1))) &
	       (PTD_NR_ENTRIES - 1);
}

#endif /* PTDIFF_CORE_PTE_H */
