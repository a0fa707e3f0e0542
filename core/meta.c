/* SPDX-License-Identifier: MIT */
/*
 * MetaSlot state changes (see meta.h).  Every transition into or out of rc == UNUSED passes
 * through slot_enter_unused()/slot_leave_unused(), which keep the pool's free set exact, and
 * every change first puts the slot on the reset list.  Each public change holds the
 * bookkeeping lock (scheduler.h core_book_lock(): concurrent tasks on threads share the slots, the
 * pool and the reset list).
 */
#include "meta.h"
#include "planted.h"

#include <string.h>

#include "core.h"
#include "diag.h"
#include "scheduler.h"

/** Remember that slot @idx differs (or may differ) from the initial state. */
static void slot_touch(struct core *k, uint64_t idx, struct core_meta_slot *s)
{
	core_touch(k, idx);
	if (!s->on_reset_list) {
		s->on_reset_list = 1;
		k->reset_list[k->nr_reset_list++] = idx;
	}
}

static void slot_enter_unused(struct core *k, uint64_t idx, struct core_meta_slot *s)
{
	s->ref_count = PTD_RC_UNUSED;
	if (core_pt_pool_contains(&k->pool, idx)) {
		core_pt_pool_mark_free(&k->pool, idx);
	}
}

static void slot_leave_unused(struct core *k, uint64_t idx, struct core_meta_slot *s, uint64_t rc)
{
	s->ref_count = rc;
	if (core_pt_pool_contains(&k->pool, idx)) {
		core_pt_pool_mark_used(&k->pool, idx);
	}
}

/** The initial state of a slot (POLICY §1), with no bookkeeping. */
static void slot_init(struct core_meta_slot *s)
{
	memset(s, 0, sizeof *s);
	s->ref_count = PTD_RC_UNUSED;
	s->usage = PTD_USAGE_UNUSED;
}

void core_meta_init(struct core *k)
{
	for (uint64_t i = 0; i < k->cfg.nframes; i++) {
		slot_init(&k->slots[i]);
	}
	k->nr_reset_list = 0;
}

void core_meta_reset(struct core *k)
{
	for (uint64_t n = 0; n < k->nr_reset_list; n++) {
		uint64_t idx = k->reset_list[n];

		slot_init(&k->slots[idx]);
		if (core_pt_pool_contains(&k->pool, idx)) {
			core_pt_pool_mark_free(&k->pool, idx);
		}
	}
	k->nr_reset_list = 0;
}

struct core_meta_slot *core_meta_slot(struct core *k, uint64_t idx)
{
	CORE_BUG_ON(idx >= k->cfg.nframes);
	return &k->slots[idx];
}

/** Claim UNUSED slot @idx with @usage and count @rc (1, or UNIQUE for a UniqueFrame). */
static void slot_claim(struct core *k, uint64_t idx, enum ptd_usage usage, uint64_t rc)
{
	struct core_meta_slot *s = core_meta_slot(k, idx);

	CORE_BUG_ON(s->ref_count != PTD_RC_UNUSED);
	slot_touch(k, idx, s);
	memset(&s->storage, 0, sizeof s->storage);
	s->usage = (uint8_t)usage;
	s->storage_init = 1;
	s->vtable_init = 1;
	s->in_list = 0;
	slot_leave_unused(k, idx, s, rc);
}

void core_meta_claim(struct core *k, uint64_t idx, enum ptd_usage usage)
{
	core_book_lock();
	slot_claim(k, idx, usage, 1);
	core_book_unlock();
}

void core_meta_claim_unique(struct core *k, uint64_t idx)
{
	core_book_lock();
	slot_claim(k, idx, PTD_USAGE_FRAME, PTD_RC_UNIQUE);
	core_book_unlock();
}

void core_meta_unique_to_shared(struct core *k, uint64_t idx)
{
	struct core_meta_slot *s = core_meta_slot(k, idx);

	core_book_lock();
	CORE_BUG_ON(s->ref_count != PTD_RC_UNIQUE);
	slot_touch(k, idx, s);
	s->ref_count = 1;
	core_book_unlock();
}

void core_meta_shared_to_unique(struct core *k, uint64_t idx)
{
	struct core_meta_slot *s = core_meta_slot(k, idx);

	core_book_lock();
	CORE_BUG_ON(s->ref_count != 1);
	slot_touch(k, idx, s);
	s->ref_count = PTD_RC_UNIQUE;
	core_book_unlock();
}

void core_meta_get_ref(struct core *k, uint64_t idx)
{
	struct core_meta_slot *s = core_meta_slot(k, idx);

	/* OSTD inc_ref_count: only a live shared count may be cloned (hyp_page_ref_inc rule). */
	core_book_lock();
	CORE_BUG_ON(s->ref_count == 0 || s->ref_count >= PTD_RC_MAX);
	slot_touch(k, idx, s);
	s->ref_count++;
	core_book_unlock();
}

void core_meta_put_ref(struct core *k, uint64_t idx)
{
	struct core_meta_slot *s = core_meta_slot(k, idx);

	core_book_lock();
	CORE_BUG_ON(s->ref_count == 0 || s->ref_count > PTD_RC_MAX);
	if (s->ref_count == 1) {
		core_meta_teardown(k, idx);
	} else {
		slot_touch(k, idx, s);
		s->ref_count--;
	}
	core_book_unlock();
}

void core_meta_teardown(struct core *k, uint64_t idx)
{
	struct core_meta_slot *s = core_meta_slot(k, idx);

	core_book_lock();
	CORE_BUG_ON(s->ref_count == PTD_RC_UNUSED);
	slot_touch(k, idx, s);
	/* drop_last_in_place: metadata dropped, vtable forgotten; usage is kept
	 * (docs/CONTRACTS.md#usage-sticky). */
	memset(&s->storage, 0, sizeof s->storage);
	s->storage_init = 0;
	s->vtable_init = 0;
	s->in_list = 0;
#if PTDIFF_PLANT_BOTH_TEARDOWN_USAGE
	s->usage = PTD_USAGE_UNUSED;
#endif
	slot_enter_unused(k, idx, s);
	core_book_unlock();
}
