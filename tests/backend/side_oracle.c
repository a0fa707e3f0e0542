/* SPDX-License-Identifier: MIT */
/* The oracle as a side of the behaviour tests (bt.h): its slot writes. */
#include "bt.h"
#include "store.h"

static void oracle_poke_slot(void *self, uint64_t idx, uint64_t rc, uint8_t usage)
{
	struct oracle_slot *s = &((struct oracle *)self)->slots[idx];

	s->rc = rc;
	s->usage = usage;
	s->storage_init = s->vtable_init = rc != PTD_RC_UNUSED;
}

const struct bt_side bt_side_oracle = {
	.name = "oracle",
	.be = &ptd_oracle_backend,
	.poke_slot = oracle_poke_slot,
};
