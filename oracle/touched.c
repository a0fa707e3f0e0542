/* SPDX-License-Identifier: MIT */
/*
 * Incremental checking (include/ptdiff/backend.h, struct ptd_touched): which slots changed since
 * the last report.  Each slot the store handed out since then (o->accessed, set by
 * oracle_slot_of() and the store's own writes) is compared with a copy taken at the last
 * report; it is reported only if it really differs.
 */
#include <string.h>

#include "store.h"

static void shadow_init(struct oracle_shadow *c)
{
	c->rc = PTD_RC_UNUSED;
	c->in_list = 0;
	c->usage = PTD_USAGE_UNUSED;
	c->storage_init = false;
	c->vtable_init = false;
	c->writes = 0;
	c->nr_paths = 0;
}

void oracle_shadow_reset(struct oracle *o, uint64_t i)
{
	shadow_init(&o->shadow[i]);
	o->accessed[i / 64] &= ~(UINT64_C(1) << (i % 64));
}

static bool shadow_equal(const struct oracle_shadow *c, const struct oracle_slot *s)
{
	return c->rc == s->rc && c->in_list == s->in_list && c->usage == s->usage &&
	       c->storage_init == s->storage_init && c->vtable_init == s->vtable_init &&
	       c->writes == s->writes && c->nr_paths == s->nr_paths &&
	       (s->nr_paths == 0 || !memcmp(c->paths, s->paths, s->nr_paths * sizeof *s->paths));
}

void oracle_touched(struct oracle *o, struct ptd_touched *t)
{
	/* Only slots the store handed out since the last report can differ (store.h): visit the
	 * set bits of o->accessed, not every slot. */
	for (uint64_t w = 0; w < (o->cfg.nframes + 63) / 64; w++) {
		for (; o->accessed[w]; o->accessed[w] &= o->accessed[w] - 1) {
			uint64_t i = w * 64 + (uint64_t)__builtin_ctzll(o->accessed[w]);
			struct oracle_shadow *c = &o->shadow[i];
			const struct oracle_slot *s = &o->slots[i];

			if (shadow_equal(c, s))
				continue;
			ptd_bit_set(t->slots, i);
			c->rc = s->rc;
			c->in_list = s->in_list;
			c->usage = s->usage;
			c->storage_init = s->storage_init;
			c->vtable_init = s->vtable_init;
			c->writes = s->writes;
			c->paths =
				oracle_grow(c->paths, &c->paths_cap, s->nr_paths, sizeof *c->paths);
			c->nr_paths = s->nr_paths;
			if (s->nr_paths)
				memcpy(c->paths, s->paths, s->nr_paths * sizeof *s->paths);
		}
	}
}
