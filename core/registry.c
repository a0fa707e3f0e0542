/* SPDX-License-Identifier: MIT */
/*
 * Handle registries (see registry.h).  Removal swaps the last live id into the hole, so every
 * operation is O(1) and the live list stays dense.  Concurrent tasks on threads (scheduler.h) hold
 * the bookkeeping lock for every lookup and change.
 */
#include "registry.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "scheduler.h"

int core_registry_init(struct core_registry *r, const char *kind, ptd_id_t max_id)
{
	memset(r, 0, sizeof *r);
	r->kind = kind;
	r->max_id = max_id;
	r->where = calloc((size_t)max_id + 1, sizeof *r->where);
	r->ids = calloc((size_t)max_id + 1, sizeof *r->ids);
	return r->where && r->ids ? 0 : -1;
}

void core_registry_fini(struct core_registry *r)
{
	free(r->where);
	free(r->ids);
	memset(r, 0, sizeof *r);
}

int core_registry_live(const struct core_registry *r, ptd_id_t id)
{
	return id != 0 && id <= r->max_id && r->where[id] != 0;
}

void core_registry_add(struct core_registry *r, ptd_id_t id)
{
	core_book_lock();
	CORE_HARNESS_CHECK(id != 0 && id <= r->max_id, "bad-new-id", "new %s id %u outside 1..%u",
			   r->kind, id, r->max_id);
	CORE_HARNESS_CHECK(!r->where[id], "bad-new-id", "new %s id %u is already live", r->kind,
			   id);
	r->ids[r->nr_live++] = id;
	r->where[id] = r->nr_live;
	core_book_unlock();
}

void core_registry_check(const struct core_registry *r, ptd_id_t id)
{
	core_book_lock();
	CORE_HARNESS_CHECK(core_registry_live(r, id), "dead-handle", "%s id %u is not live",
			   r->kind, id);
	core_book_unlock();
}

void core_registry_remove(struct core_registry *r, ptd_id_t id)
{
	uint32_t pos;
	ptd_id_t last;

	core_book_lock();
	core_registry_check(r, id);
	pos = r->where[id] - 1;
	last = r->ids[--r->nr_live];
	r->ids[pos] = last;
	r->where[last] = pos + 1;
	r->where[id] = 0;
	core_book_unlock();
}

void core_registry_clear(struct core_registry *r)
{
	for (uint32_t i = 0; i < r->nr_live; i++) {
		r->where[r->ids[i]] = 0;
	}
	r->nr_live = 0;
}
