/* SPDX-License-Identifier: MIT */
/*
 * UniqueFrame operations: UniqueFromUnused, UniqueDrop, FromUnique, TryFromShared (vostd
 * `specs/mm/embedding/unique.rs`, `unique_*_embedded`, docs/CONTRACTS.md#unique-frames;
 * docs/POLICY.md "Unique frames").
 *
 * A unique frame is a UniqueEntry at a slot with usage Frame, rc UNIQUE, in_list 0 and no paths;
 * no two share a paddr (docs/CONTRACTS.md#structural-inv item 7).  It is outside the accounting
 * equation (A3 excludes UNIQUE), which is how "nobody else holds it" is expressed: H = P = C = 0
 * there.
 */
#include "ops.h"
#include "planted.h"

/*
 * UniqueFromUnused — docs/CONTRACTS.md#unique-from-unused (embedding/unique.rs:69-115).  Contract:
 * succeeds iff the paddr is a valid frame paddr, the slot's usage is Unused and its rc UNUSED; then
 * usage Frame, rc UNIQUE, storage initialised, in_list 0, paths unchanged (empty), a new
 * UniqueEntry; otherwise a no-op.  POLICY.md gives the codes (the exec's, as FrameFromUnused) and
 * keeps the contract's usage rule as ERR_NOT_FRESH, checked after the count: the exec checks only
 * the count (docs/CONTRACTS.md#inc-8), so a slot used before (usage is sticky,
 * docs/CONTRACTS.md#usage-sticky) is where exec and contract part.
 */
void oracle_unique_from_unused(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	struct oracle_slot *s = NULL;

	/* 1-3. A valid paddr whose slot is UNUSED, as FrameFromUnused. */
	res->status = oracle_unused_slot_status(o, op->paddr, &s);
	if (res->status != PTD_OK)
		return;
		/* 4. The contract's "usage == Unused": a slot never used before. */
#if PTDIFF_PLANT_BOTH_UNIQUE_FRESH
		/* planted: left out, as OSTD's count-only check does */
#else
	if (s->usage != PTD_USAGE_UNUSED) {
		res->status = PTD_ERR_NOT_FRESH;
		return;
	}
#endif
	/* 5. usage Frame, rc UNIQUE, storage and vtable initialised, in_list 0; new UniqueEntry. */
	ORACLE_BUG_ON(s->nr_paths != 0);
	s->usage = PTD_USAGE_FRAME;
	s->rc = PTD_RC_UNIQUE;
	s->storage_init = true;
	s->vtable_init = true;
	s->in_list = 0;
	oracle_unique_register(o, op->new_id, op->paddr);
	res->status = PTD_OK;
	res->new_id = op->new_id;
}

/*
 * UniqueDrop — docs/CONTRACTS.md#unique-drop (embedding/unique.rs:117-160): remove the entry; the
 * slot goes rc UNIQUE -> UNUSED with storage (and vtable) uninitialised; usage (Frame), paths and
 * in_list unchanged.  That is POLICY.md §2 "tear down".
 */
void oracle_unique_drop(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	size_t idx = oracle_unique_get(o, op->unique);
	struct oracle_slot *s = oracle_slot_of(o, o->uniques[idx].paddr);

	ORACLE_BUG_ON(s->rc != PTD_RC_UNIQUE || s->usage != PTD_USAGE_FRAME);
	oracle_unique_unregister(o, idx);
	oracle_slot_tear_down(s);
	res->status = PTD_OK;
}

/*
 * FromUnique — docs/CONTRACTS.md#from-unique (embedding/unique.rs:162-197, `Frame::from_unique`):
 * rc UNIQUE -> 1, everything else unchanged; the UniqueEntry is removed and a FrameEntry registered
 * at its paddr (H = 1, so rc == H + P + C holds again).
 */
void oracle_from_unique(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	size_t idx = oracle_unique_get(o, op->unique);
	const ptd_paddr_t paddr = o->uniques[idx].paddr;
	struct oracle_slot *s = oracle_slot_of(o, paddr);

	ORACLE_BUG_ON(s->rc != PTD_RC_UNIQUE || s->usage != PTD_USAGE_FRAME);
	oracle_unique_unregister(o, idx);
	s->rc = 1;
	oracle_frame_register(o, op->new_id, paddr);
	res->status = PTD_OK;
	res->new_id = op->new_id;
}

/*
 * TryFromShared — docs/CONTRACTS.md#try-from-shared (embedding/unique.rs:199-234,
 * `UniqueFrame::try_from_shared`): if rc == 1 (which with the handle means H = 1, P = 0, C = 0) the
 * slot becomes rc UNIQUE, the FrameEntry is removed and a UniqueEntry registered; otherwise nothing
 * changes and the handle stays valid (the exec hands the frame back).  POLICY.md names that failure
 * ERR_SHARED.
 */
void oracle_try_from_shared(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	size_t frame = oracle_frame_get(o, op->frame);
	const ptd_paddr_t paddr = o->frames[frame].paddr;
	struct oracle_slot *s = oracle_slot_of(o, paddr);

	/* 1. Others hold it too (rc != 1): the handle stays live, nothing changes. */
#if PTDIFF_PLANT_ORACLE_TRY_FROM_SHARED_HOLDER
	if (s->nr_paths != 0) { /* planted: only a page-table holder looked for */
		res->status = PTD_ERR_SHARED;
		return;
	}
#else
	if (s->rc != 1) {
		res->status = PTD_ERR_SHARED;
		return;
	}
#endif
	/* 2. The only reference is this handle's: it becomes the unique frame. */
	ORACLE_BUG_ON(s->usage != PTD_USAGE_FRAME || s->nr_paths != 0);
	oracle_frame_unregister(o, frame);
	s->rc = PTD_RC_UNIQUE;
	oracle_unique_register(o, op->new_id, paddr);
	res->status = PTD_OK;
	res->new_id = op->new_id;
}
