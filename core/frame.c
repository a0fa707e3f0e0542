/* SPDX-License-Identifier: MIT */
/*
 * Frame handles and their constructors/destructor (see frame.h).  Checks follow POLICY §3 in
 * order; each refusal returns before anything changes.  from_in_use also refuses a live slot
 * whose usage is not Frame: the contract's "success => usage Frame" (docs/CONTRACTS.md#frames),
 * which OSTD's count-only check lacks, added to production as POLICY asks.
 */
#include "frame.h"

#include "core.h"
#include "planted.h"

ptd_paddr_t core_frame_get(struct core *k, ptd_id_t id)
{
	core_registry_check(&k->frame_ids, id);
	return k->frames[id];
}

void core_frame_register(struct core *k, ptd_id_t id, ptd_paddr_t paddr)
{
	core_registry_add(&k->frame_ids, id);
	k->frames[id] = paddr;
}

void core_frame_forget(struct core *k, ptd_id_t id)
{
	core_registry_remove(&k->frame_ids, id);
}

/**
 * Steps 1-2 shared by both constructors (valid_frame_paddr (docs/CONTRACTS.md#valid-frame-paddr),
 * split into two codes).
 */
static enum ptd_status frame_paddr_check(const struct core *k, ptd_paddr_t paddr)
{
	if (paddr % PTD_PAGE_SIZE) {
		return PTD_ERR_NOT_ALIGNED;
	}
	if (!core_paddr_in_memory(k, paddr)) {
		return PTD_ERR_OUT_OF_BOUND;
	}
	return PTD_OK;
}

enum ptd_status core_frame_unused_check(struct core *k, ptd_paddr_t paddr)
{
	enum ptd_status st = frame_paddr_check(k, paddr);
	uint64_t rc;

	if (st != PTD_OK) {
		return st;
	}
	rc = core_meta_slot(k, paddr / PTD_PAGE_SIZE)->ref_count;
	if (rc == PTD_RC_UNIQUE) {
		return PTD_ERR_UNIQUE;
	}
	if (rc != PTD_RC_UNUSED) {
		return PTD_ERR_IN_USE;
	}
	return PTD_OK;
}

enum ptd_status core_frame_from_unused(struct core *k, ptd_paddr_t paddr, ptd_id_t new_id)
{
	enum ptd_status st = core_frame_unused_check(k, paddr);
	uint64_t idx = paddr / PTD_PAGE_SIZE;

	/* OSTD get_from_unused: the CAS UNUSED -> 0.  Usage is not checked: a freed node or frame
	 * slot is reused (docs/CONTRACTS.md#frames). */
	if (st != PTD_OK) {
		return st;
	}
#if PTDIFF_PLANT_FROM_UNUSED_OLD_NODE
	if (core_meta_slot(k, idx)->usage == PTD_USAGE_PAGE_TABLE) {
		return PTD_ERR_IN_USE; /* planted: the sticky usage of a freed node read as "in use" */
	}
#endif
	core_meta_claim(k, idx, PTD_USAGE_FRAME);
	core_frame_register(k, new_id, paddr);
	return PTD_OK;
}

enum ptd_status core_frame_from_in_use(struct core *k, ptd_paddr_t paddr, ptd_id_t new_id)
{
	enum ptd_status st = frame_paddr_check(k, paddr);
	const struct core_meta_slot *s;
	uint64_t idx = paddr / PTD_PAGE_SIZE;

	if (st != PTD_OK) {
		return st;
	}
	s = core_meta_slot(k, idx);
	if (s->ref_count == PTD_RC_UNUSED) {
		return PTD_ERR_UNUSED;
	}
	if (s->ref_count == PTD_RC_UNIQUE) {
		return PTD_ERR_UNIQUE;
	}
#if PTDIFF_PLANT_FROM_IN_USE_NODE
	/* planted: the usage check left out (OSTD's count-only check) */
#else
	if (s->usage != PTD_USAGE_FRAME) {
		return PTD_ERR_NOT_FRAME;
	}
#endif
	if (s->ref_count >= PTD_RC_MAX) {
		return PTD_ERR_WOULD_PANIC; /* OSTD inc_ref_count aborts on overflow */
	}
	core_meta_get_ref(k, idx);
	core_frame_register(k, new_id, paddr);
	return PTD_OK;
}

enum ptd_status core_frame_drop(struct core *k, ptd_id_t id)
{
	ptd_paddr_t paddr = core_frame_get(k, id);

	core_registry_remove(&k->frame_ids, id);
	core_meta_put_ref(k, paddr / PTD_PAGE_SIZE);
	return PTD_OK;
}
