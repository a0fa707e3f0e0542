/* SPDX-License-Identifier: MIT */
/*
 * Handle registries: the set of live harness ids of one handle kind (address spaces, cursors,
 * Frame handles).  Ids are assigned by the harness (POLICY §1 "Ids") and are at most
 * max_handles, so per-kind data lives in plain arrays indexed by id; the registry adds the
 * list of live ids, so that reset and the view cost O(live handles), not O(max_handles).
 */
#ifndef PTDIFF_CORE_REGISTRY_H
#define PTDIFF_CORE_REGISTRY_H

#include <stdint.h>

#include "ptdiff/types.h"

struct core_registry {
	const char *kind; /* "address space", "cursor", "frame": for harness-error messages */
	uint32_t *where;  /* [max_id + 1]: 1 + position of the id in ids[], 0 = not live */
	ptd_id_t *ids;    /* [max_id]: the live ids, unordered */
	uint32_t nr_live;
	ptd_id_t max_id;
};

/** core_registry_init() - Empty registry for ids 1..@max_id.  Return: 0 or -1 (no memory). */
int core_registry_init(struct core_registry *r, const char *kind, ptd_id_t max_id);

void core_registry_fini(struct core_registry *r);

/** core_registry_live() - @id is registered. */
int core_registry_live(const struct core_registry *r, ptd_id_t id);

/**
 * core_registry_add() - Register @id.  An id of 0, above max_id or already live is a harness
 * error (the harness hands out fresh ids only).
 */
void core_registry_add(struct core_registry *r, ptd_id_t id);

/** core_registry_check() - Abort with a harness error unless @id is live. */
void core_registry_check(const struct core_registry *r, ptd_id_t id);

/** core_registry_remove() - Unregister live @id. */
void core_registry_remove(struct core_registry *r, ptd_id_t id);

/** core_registry_clear() - Unregister every id; O(live ids). */
void core_registry_clear(struct core_registry *r);

#endif /* PTDIFF_CORE_REGISTRY_H */
