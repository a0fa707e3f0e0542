/* SPDX-License-Identifier: MIT */
/*
 * ptdiff public types: the constants of docs/CONTRACTS.md#constants, page properties, slot usage,
 * reference-count sentinels and status codes.  This header (with op.h, view.h, backend.h) is the
 * only code that core/ and oracle/ share.  The normative meaning of every value is docs/POLICY.md.
 */
#ifndef PTDIFF_TYPES_H
#define PTDIFF_TYPES_H

#include <stdint.h>

typedef uint64_t ptd_paddr_t; /* simulated physical address */
typedef uint64_t ptd_vaddr_t; /* user virtual address */
typedef uint32_t ptd_id_t;    /* harness-assigned handle id; 0 = no handle */

/* Paging geometry (x86-64 user page table, docs/CONTRACTS.md#constants). */
#define PTD_PAGE_SIZE UINT64_C(4096)
#define PTD_PAGE_SHIFT 12
#define PTD_NR_LEVELS 4    /* level 1 = leaf table, level 4 = root */
#define PTD_NR_ENTRIES 512 /* PTEs per node */
#define PTD_ENTRY_BITS 9

/* Bytes covered by one entry of a level-`level` node (level 1: 4 KiB ... level 4: 512 GiB);
 * level 5 gives the span of the root node itself. */
#define PTD_ENTRY_SPAN(level) (PTD_PAGE_SIZE << (PTD_ENTRY_BITS * ((level)-1)))

/* Cursor ranges may reach 2^47 (docs/CONTRACTS.md#user-range, is_valid_range_spec). */
#define PTD_USER_END (UINT64_C(1) << 47)
/* The top user page is excluded for readers/writers (OSTD MAX_USERSPACE_VADDR). */
#define PTD_MAX_USERSPACE_VADDR (PTD_USER_END - PTD_PAGE_SIZE)

/* Reference-count encoding (docs/CONTRACTS.md#rc-encoding). */
#define PTD_RC_UNUSED UINT64_MAX       /* free slot */
#define PTD_RC_UNIQUE (UINT64_MAX - 1) /* held by one UniqueFrame */
#define PTD_RC_MAX ((UINT64_MAX >> 1)) /* largest legal shared count, 2^63 - 1 */

/* OSTD PageUsage (vostd meta_owners.rs).  Usage is sticky: only allocation writes it. */
enum ptd_usage {
	PTD_USAGE_UNUSED = 0,
	PTD_USAGE_RESERVED,
	PTD_USAGE_FRAME,
	PTD_USAGE_PAGE_TABLE,
	PTD_USAGE_META,
	PTD_USAGE_KERNEL,
	PTD_USAGE_MMIO,
	PTD_USAGE_COUNT
};

/* Page flags a user mapping can carry.  Readable is implied by a present x86 PTE, and USER is
 * implied by the user page table, so neither is a flag here. */
enum ptd_page_flag {
	PTD_PF_W = 1u << 0, /* writable */
	PTD_PF_X = 1u << 1, /* executable (clear = no-execute) */
	PTD_PF_A = 1u << 2, /* accessed */
	PTD_PF_D = 1u << 3, /* dirty */
	PTD_PF_ALL = 0xfu
};

/* OSTD CachePolicy subset that x86 user pages can encode. */
enum ptd_cache {
	PTD_CACHE_WB = 0, /* write-back */
	PTD_CACHE_WT,     /* write-through */
	PTD_CACHE_UC,     /* uncacheable */
	PTD_CACHE_WC,     /* write-combining */
	PTD_CACHE_WP,     /* write-protected */
	PTD_CACHE_COUNT
};

struct ptd_prop {
	uint8_t flags; /* enum ptd_page_flag bits, only PTD_PF_ALL */
	uint8_t cache; /* enum ptd_cache, < PTD_CACHE_COUNT */
};

/* ProtectNext's change: new.flags = (old.flags & ~clear) | set; new.cache = cache unless
 * cache == PTD_CACHE_KEEP.  A pure function, so both sides apply the same change. */
#define PTD_CACHE_KEEP 0xffu
struct ptd_prop_change {
	uint8_t set;
	uint8_t clear;
	uint8_t cache;
};

/*
 * Status of an operation.  Both sides must return the same status for the same op in the same
 * state; docs/POLICY.md gives, per op, the order in which the checks are made.
 */
enum ptd_status {
	PTD_OK = 0,
	PTD_ERR_NOT_ALIGNED,  /* a paddr/va that must be page-aligned is not */
	PTD_ERR_OUT_OF_BOUND, /* a paddr outside physical memory (or the I/O window) */
	PTD_ERR_BAD_RANGE,    /* cursor range empty, unaligned or outside user space */
	PTD_ERR_OUT_OF_RANGE, /* cursor va (or a jump target) outside the locked range */
	PTD_ERR_IN_USE,       /* from_unused on a slot that is in use */
	PTD_ERR_UNUSED,       /* from_in_use on a free slot */
	PTD_ERR_UNIQUE,       /* slot held by a UniqueFrame */
	PTD_ERR_NOT_FRAME,    /* from_in_use on a live slot whose usage is not Frame */
	PTD_ERR_BUSY,         /* address space already has a cursor / still has one at drop */
	PTD_ERR_READ_ONLY,    /* mutation through a read-only cursor */
	PTD_ERR_WOULD_PANIC,  /* a call OSTD panics on, refused identically by both sides */
	PTD_ERR_SHARED,       /* try_from_shared on a frame others also hold */
	PTD_ERR_NOT_FRESH,    /* unique from_unused on a slot used before (usage is sticky) */
	PTD_ERR_FAULT,        /* a reader/writer reached an unmapped, I/O or read-only page */
	PTD_ERR_INVALID_ARGS, /* read_val/write_val of more than remains (OSTD InvalidArgs) */
	PTD_STATUS_COUNT
};

#endif /* PTDIFF_TYPES_H */
