/* SPDX-License-Identifier: MIT */
/* Core as a side of the behaviour tests (bt.h): its slot writes and its counters (free pool
 * frames, a node's present entries, walk steps). */
#include "bt.h"
#include "core.h"

static void core_poke_slot(void *self, uint64_t idx, uint64_t rc, uint8_t usage)
{
	struct core_meta_slot *s = &((struct core *)self)->slots[idx];

	s->ref_count = rc;
	s->usage = usage;
	s->storage_init = s->vtable_init = rc != PTD_RC_UNUSED;
}

static uint64_t core_pool_free(void *self)
{
	return ((struct core *)self)->pool.nr_free;
}

static uint64_t core_node_children(void *self, uint64_t idx)
{
	return ((struct core *)self)->slots[idx].storage.pt.nr_children;
}

static uint64_t core_walk_steps(void *self)
{
	return ((struct core *)self)->nr_walk_steps;
}

const struct bt_side bt_side_core = {
	.name = "core",
	.be = &ptd_core_backend,
	.poke_slot = core_poke_slot,
	.pool_free = core_pool_free,
	.node_children = core_node_children,
	.walk_steps = core_walk_steps,
};
