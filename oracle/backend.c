/* SPDX-License-Identifier: MIT */
/*
 * ptd_oracle_backend: the struct ptd_backend adapter (include/ptdiff/backend.h).  apply()
 * dispatches each op kind through the op table to the one function that implements its
 * contract; nothing else in oracle/ knows about the backend table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"

static void *backend_create(const struct ptd_config *cfg)
{
	return oracle_create(cfg);
}

static void backend_destroy(void *self)
{
	oracle_destroy(self);
}

static void backend_reset(void *self)
{
	oracle_reset(self);
}

typedef void (*oracle_op_fn)(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);

/* Together marks a group; the harness applies its members one by one, never the marker. */
static void oracle_together(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	(void)o, (void)op, (void)res;
	fprintf(stderr, "ptdiff oracle: Together applied as an op (harness error)\n");
	abort();
}

/* The dispatch table: the op table's handler column (include/ptdiff/op_table.h). */
static const oracle_op_fn handlers[PTD_OP_COUNT] = {
#define PTD_OP_HANDLER(e, n, stem, ...) [PTD_OP_##e] = oracle_##stem,
	PTD_OP_TABLE(PTD_OP_HANDLER)
#undef PTD_OP_HANDLER
};

static void backend_apply(void *self, const struct ptd_op *op, struct ptd_result *res)
{
	if ((unsigned)op->kind >= PTD_OP_COUNT) {
		fprintf(stderr, "ptdiff oracle: unknown op kind %d (harness error)\n",
			(int)op->kind);
		abort();
	}
	handlers[op->kind](self, op, res);
	((struct oracle *)self)->nr_alloc_hint = 0;
	((struct oracle *)self)->next_alloc_hint = 0;
}

static void backend_alloc_hint(void *self, const uint64_t *slots, unsigned n)
{
	struct oracle *o = self;

	if (n > PTD_GROUP_NODE_ALLOCS) {
		fprintf(stderr, "ptdiff oracle: %u allocation hints (harness error)\n", n);
		abort();
	}
	memcpy(o->alloc_hint, slots, n * sizeof *slots);
	o->nr_alloc_hint = n;
	o->next_alloc_hint = 0;
}

static void backend_view(void *self, struct ptd_view *out)
{
	oracle_view(self, out);
}

static void backend_touched(void *self, struct ptd_touched *t)
{
	oracle_touched(self, t);
}

static void backend_view_slots(void *self, struct ptd_view *out, const uint64_t *slots,
			       uint32_t parts)
{
	oracle_view_slots(self, out, slots, parts);
}

const struct ptd_backend ptd_oracle_backend = {
	.name = "oracle",
	.create = backend_create,
	.destroy = backend_destroy,
	.reset = backend_reset,
	.apply = backend_apply,
	.view = backend_view,
	.touched = backend_touched,
	.view_slots = backend_view_slots,
	.alloc_hint = backend_alloc_hint,
};
