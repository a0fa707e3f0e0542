/* SPDX-License-Identifier: MIT */
/*
 * UniqueFrame handles and their ops (see unique.h).  Checks follow POLICY §3 "Unique frames"
 * in order; each refusal returns before anything changes.  from_unused adds the contract's
 * "usage == Unused" condition (`unique_from_unused_embedded`, docs/CONTRACTS.md#unique-from-unused)
 * to OSTD's count-only check: usage is sticky, so a slot used once (and freed) is refused with
 * ERR_NOT_FRESH (docs/CONTRACTS.md#inc-8).
 */
#include "unique.h"
#include "planted.h"

#include "core.h"
#include "diag.h"
#include "frame.h"

ptd_paddr_t core_unique_get(struct core *k, ptd_id_t id)
{
	core_registry_check(&k->unique_ids, id);
	return k->uniques[id];
}

static void unique_register(struct core *k, ptd_id_t id, ptd_paddr_t paddr)
{
	core_registry_add(&k->unique_ids, id);
	k->uniques[id] = paddr;
}

enum ptd_status core_unique_from_unused(struct core *k, ptd_paddr_t paddr, ptd_id_t new_id)
{
	enum ptd_status st = core_frame_unused_check(k, paddr);
	uint64_t idx = paddr / PTD_PAGE_SIZE;

	/* OSTD get_from_unused: the CAS UNUSED -> UNIQUE, which fails as FrameFromUnused's. */
	if (st != PTD_OK) {
		return st;
	}
#if PTDIFF_PLANT_BOTH_UNIQUE_FRESH
	/* planted: the contract's "usage == Unused" left out (OSTD's count-only check) */
#else
	if (core_meta_slot(k, idx)->usage != PTD_USAGE_UNUSED) {
		return PTD_ERR_NOT_FRESH;
	}
#endif
	core_meta_claim_unique(k, idx);
	unique_register(k, new_id, paddr);
	return PTD_OK;
}

enum ptd_status core_unique_drop(struct core *k, ptd_id_t id)
{
	ptd_paddr_t paddr = core_unique_get(k, id);

	core_registry_remove(&k->unique_ids, id);
	/* OSTD Drop for UniqueFrame: store 0, then drop_last_in_place (usage stays Frame). */
	CORE_BUG_ON(core_meta_slot(k, paddr / PTD_PAGE_SIZE)->ref_count != PTD_RC_UNIQUE);
	core_meta_teardown(k, paddr / PTD_PAGE_SIZE);
	return PTD_OK;
}

enum ptd_status core_unique_into_frame(struct core *k, ptd_id_t id, ptd_id_t new_id)
{
	ptd_paddr_t paddr = core_unique_get(k, id);

	core_registry_remove(&k->unique_ids, id);
	core_meta_unique_to_shared(k, paddr / PTD_PAGE_SIZE);
	core_frame_register(k, new_id, paddr);
	return PTD_OK;
}

enum ptd_status core_unique_try_from_shared(struct core *k, ptd_id_t frame_id, ptd_id_t new_id)
{
	ptd_paddr_t paddr = core_frame_get(k, frame_id);
	uint64_t idx = paddr / PTD_PAGE_SIZE;

	/* The CAS 1 -> UNIQUE: rc 1 means this handle is the only reference (H = 1, P = C = 0). */
	if (core_meta_slot(k, idx)->ref_count != 1) {
#if PTDIFF_PLANT_TRY_FROM_SHARED_LOSE
		core_frame_forget(k, frame_id); /* planted: the Frame is not handed back */
#endif
		return PTD_ERR_SHARED; /* OSTD hands the Frame back: the handle stays live */
	}
	core_frame_forget(k, frame_id);
	core_meta_shared_to_unique(k, idx);
	unique_register(k, new_id, paddr);
	return PTD_OK;
}
