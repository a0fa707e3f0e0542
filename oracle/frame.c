/* SPDX-License-Identifier: MIT */
/*
 * Frame handle operations: FrameFromUnused, FrameFromInUse, FrameDrop (vostd
 * `specs/mm/embedding/frame.rs`, docs/CONTRACTS.md#frames).  A Frame handle holds one reference to
 * its slot; the accounting invariant rc == H + P + C (docs/CONTRACTS.md#accounting-inv) holds on
 * every Frame slot in use after each of them.
 */
#include "ops.h"

enum ptd_status oracle_valid_frame_paddr_status(const struct oracle *o, ptd_paddr_t paddr)
{
	if (paddr % PTD_PAGE_SIZE != 0) {
		return PTD_ERR_NOT_ALIGNED;
	}
	if (paddr >= o->cfg.nframes * PTD_PAGE_SIZE) {
		return PTD_ERR_OUT_OF_BOUND;
	}
	return PTD_OK;
}

/*
 * The checks every "from_unused" claim makes, in POLICY.md's order: 1-2. NOT_ALIGNED,
 * OUT_OF_BOUND; 3. rc not UNUSED: UNIQUE -> ERR_UNIQUE, else ERR_IN_USE.  PTD_OK with *slot
 * set when the slot may be claimed.
 */
enum ptd_status oracle_unused_slot_status(struct oracle *o, ptd_paddr_t paddr,
					  struct oracle_slot **slot)
{
	enum ptd_status st = oracle_valid_frame_paddr_status(o, paddr);
	struct oracle_slot *s;

	if (st != PTD_OK)
		return st;
	s = oracle_slot_of(o, paddr);
	if (s->rc == PTD_RC_UNIQUE)
		return PTD_ERR_UNIQUE;
	if (s->rc != PTD_RC_UNUSED)
		return PTD_ERR_IN_USE;
	*slot = s;
	return PTD_OK;
}

/*
 * FrameFromUnused — `frame_from_unused_embedded` (docs/CONTRACTS.md#frame-from-unused).  Contract:
 * Some only for a valid paddr whose slot is UNUSED; the slot becomes Frame with rc 1, storage and
 * vtable initialised, paths unchanged; a new FrameEntry.  Its nondeterministic failure is closed by
 * POLICY.md: success iff valid and UNUSED, with the exec error codes.  Usage before the call is not
 * checked.
 */
void oracle_frame_from_unused(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	struct oracle_slot *s = NULL;

	/* 1-3. A valid paddr whose slot is UNUSED. */
	res->status = oracle_unused_slot_status(o, op->paddr, &s);
	if (res->status != PTD_OK)
		return;
	oracle_slot_claim_frame(s);
	oracle_frame_register(o, op->new_id, op->paddr);
	res->status = PTD_OK;
	res->new_id = op->new_id;
}

/*
 * FrameFromInUse — `frame_from_in_use_embedded` (docs/CONTRACTS.md#frame-from-in-use).  Contract:
 * on Some, rc + 1 and the slot is a non-sentinel Frame with storage initialised (its "success =>
 * usage Frame" strengthening is checked here as ERR_NOT_FRAME, POLICY.md); a new FrameEntry.  Error
 * codes and order: POLICY.md (the exec's, plus NOT_FRAME; saturation panics in exec ->
 * ERR_WOULD_PANIC).
 */
void oracle_frame_from_in_use(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	enum ptd_status st = oracle_valid_frame_paddr_status(o, op->paddr);
	struct oracle_slot *s;

	/* 1-2. NOT_ALIGNED, OUT_OF_BOUND. */
	if (st != PTD_OK) {
		res->status = st;
		return;
	}
	s = oracle_slot_of(o, op->paddr);
	/* 3. UNUSED. */
	if (s->rc == PTD_RC_UNUSED) {
		res->status = PTD_ERR_UNUSED;
		return;
	}
	/* 4. UNIQUE. */
	if (s->rc == PTD_RC_UNIQUE) {
		res->status = PTD_ERR_UNIQUE;
		return;
	}
	/* 5. usage != Frame (e.g. a live page-table node). */
	if (s->usage != PTD_USAGE_FRAME) {
		res->status = PTD_ERR_NOT_FRAME;
		return;
	}
	/* 6. rc + 1 would pass MAX: OSTD aborts. */
	if (s->rc >= PTD_RC_MAX) {
		res->status = PTD_ERR_WOULD_PANIC;
		return;
	}
	/* 7. rc + 1, new handle. */
	s->rc += 1;
	oracle_frame_register(o, op->new_id, op->paddr);
	res->status = PTD_OK;
	res->new_id = op->new_id;
}

/*
 * FrameDrop — `frame_drop_embedded` (docs/CONTRACTS.md#frame-drop): remove the handle; rc - 1, or
 * at the last reference (rc 1) the slot is torn down to UNUSED with storage and vtable
 * uninitialised and usage kept.  Departure (POLICY.md FrameDrop, docs/CONTRACTS.md#inc-14): the
 * contract's op_pre excludes a slot a live segment covers (C > 0); the code allows it and so does
 * ptdiff.  The segment's own reference keeps rc >= 2 there, so it is a plain decrement.
 */
void oracle_frame_drop(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	size_t frame = oracle_frame_get(o, op->frame);
	ptd_paddr_t paddr = o->frames[frame].paddr;

	oracle_frame_unregister(o, frame);
	oracle_slot_release(oracle_slot_of(o, paddr));
	res->status = PTD_OK;
}
