/* SPDX-License-Identifier: MIT */
/*
 * Per-frame metadata slots, modelled on OSTD's MetaSlot (ostd/src/mm/frame/meta.rs): one
 * 64-byte record per simulated physical frame, indexed by paddr / 4096.  These functions are
 * the only code that changes a slot's ref_count, usage or initialised flags (KVM's break/make
 * rule), so that three things stay in sync with every state change:
 *   - the slot invariant of docs/CONTRACTS.md#slot-inv (UNUSED <=> storage/vtable uninitialised,
 *     in_list 0);
 *   - the page-table pool's free set (pt_alloc.h), for slots inside the pool;
 *   - the reset list: every slot changed since the last reset, so reset touches only those.
 */
#ifndef PTDIFF_CORE_META_H
#define PTDIFF_CORE_META_H

#include <stdint.h>

#include "ptdiff/types.h"

struct core;

/*
 * Page-table node metadata, kept in the slot's storage as OSTD keeps PageTablePageMeta there.
 * Rule for nr_children: the number of present entries of the node (0..512), maintained by
 * every store that turns an entry present or absent.  A node with nr_children == 0 is empty and
 * range walks skip it without reading its entries.
 * Rule for live_groups: bit g is set iff one of entries [8g, 8g + 8) is present; exact after
 * every store (core_pt_node_set_entry() is the only writer of entries).  Scans read only the
 * groups it names, one cache line each, instead of the whole 4 KiB node.
 */
struct core_pt_node_meta {
	ptd_vaddr_t base_va;  /* first va the node covers, aligned to its span */
	uint64_t live_groups; /* groups of 8 entries holding a present entry */
	ptd_id_t vs;          /* owning address space (harness id) */
	uint16_t nr_children; /* present entries */
	uint8_t level;        /* 1 = leaf table ... 4 = root */
	uint8_t stray;        /* detached from its tree (pt_lock.h) */
	ptd_id_t lock;        /* cursor holding the node's lock, 0 = free (pt_lock.h) */
};

#define CORE_SLOT_STORAGE_SIZE 40

union core_slot_storage {
	struct core_pt_node_meta pt;
	uint8_t bytes[CORE_SLOT_STORAGE_SIZE];
};

/*
 * struct core_meta_slot - one frame's metadata (64 bytes, like OSTD's META_SLOT_SIZE).
 * @storage:      the typed metadata; a PT node's core_pt_node_meta, nothing for a Frame.
 * @ref_count:    PTD_RC_UNUSED (free), PTD_RC_UNIQUE, or 1..PTD_RC_MAX.
 * @in_list:      free-list membership word; no operation here sets it (always 0).
 * @usage:        enum ptd_usage; written only when the slot is claimed (sticky,
 *                docs/CONTRACTS.md#usage-sticky).
 * @storage_init: storage written (OSTD: metadata constructed).
 * @vtable_init:  vtable pointer written (OSTD: vtable_ptr initialised).
 * @on_reset_list: bookkeeping for cheap reset, not OSTD state: the slot is on core's list of
 *                slots changed since the last reset.
 */
struct core_meta_slot {
	union core_slot_storage storage;
	uint64_t ref_count;
	uint64_t in_list;
	uint8_t usage;
	uint8_t storage_init;
	uint8_t vtable_init;
	uint8_t on_reset_list;
	uint8_t reserved[4];
};

_Static_assert(sizeof(struct core_meta_slot) == 64, "a MetaSlot is 64 bytes (META_SLOT_SIZE)");

/**
 * core_meta_init() - Put every slot in the initial state (rc UNUSED, usage Unused).
 * Called once at create: O(nframes).  Reset uses core_meta_reset().
 */
void core_meta_init(struct core *k);

/**
 * core_meta_reset() - Return every slot changed since the last reset to the initial state.
 * Cost: proportional to the number of slots changed, not to nframes.
 */
void core_meta_reset(struct core *k);

/**
 * core_meta_slot() - The slot of frame @idx (bounds-checked).
 */
struct core_meta_slot *core_meta_slot(struct core *k, uint64_t idx);

/**
 * core_meta_claim() - POLICY §2 "claim": an UNUSED slot becomes in use with rc 1.
 * @idx: frame index; its rc must be PTD_RC_UNUSED
 * @usage: PTD_USAGE_FRAME (from_unused) or PTD_USAGE_PAGE_TABLE (node allocation)
 *
 * Sets rc = 1, usage, storage and vtable initialised, in_list = 0, storage zeroed.
 */
void core_meta_claim(struct core *k, uint64_t idx, enum ptd_usage usage);

/**
 * core_meta_claim_unique() - POLICY §3 UniqueFromUnused step 5
 * (docs/CONTRACTS.md#unique-from-unused `unique_from_unused_embedded`): an UNUSED slot becomes rc
 * UNIQUE, usage Frame, storage and vtable initialised, in_list 0, storage zeroed.
 */
void core_meta_claim_unique(struct core *k, uint64_t idx);

/**
 * core_meta_unique_to_shared() - FromUnique (`Frame::from_unique`): rc UNIQUE -> 1, every
 * other field unchanged.
 */
void core_meta_unique_to_shared(struct core *k, uint64_t idx);

/**
 * core_meta_shared_to_unique() - TryFromShared step 2 (`UniqueFrame::try_from_shared`, the CAS
 * 1 -> UNIQUE): rc 1 -> UNIQUE, every other field unchanged.  The caller checked rc == 1.
 */
void core_meta_shared_to_unique(struct core *k, uint64_t idx);

/**
 * core_meta_get_ref() - Take one more reference on an in-use slot (OSTD inc_ref_count).
 * The caller has already refused rc >= PTD_RC_MAX (ERR_WOULD_PANIC).
 */
void core_meta_get_ref(struct core *k, uint64_t idx);

/**
 * core_meta_put_ref() - POLICY §2 "release a reference": rc 1 -> tear down, else rc - 1.
 */
void core_meta_put_ref(struct core *k, uint64_t idx);

/**
 * core_meta_teardown() - POLICY §2 "tear down": rc UNUSED, storage and vtable uninitialised,
 * in_list 0, usage kept (drop_last_in_place keeps it, docs/CONTRACTS.md#usage-sticky).  From a
 * shared count of 1 (the last reference) or from UNIQUE (UniqueDrop).
 */
void core_meta_teardown(struct core *k, uint64_t idx);

#endif /* PTDIFF_CORE_META_H */
