/* SPDX-License-Identifier: MIT */
/*
 * Concurrent groups (docs/CONCURRENCY.md): a Together op and the cursor ops after it run at the
 * same time on the production side, interleaved by the schedule, and the sequential oracle must
 * explain the outcome by *some* order of the same ops (linearizability).
 *
 * The members are resolved against the state before the group (none sees another's handles).
 * The oracle first runs them in the order in which they returned on the production side; ops on
 * disjoint locked ranges commute, so that order almost always explains the outcome.  Only when
 * it does not are the other orders tried (at most 4! = 24), each from the state before the
 * group, rebuilt by replaying the oracle from the start of the input (the oracle keeps no
 * snapshots; the replay costs only on that rare path).  An order explains the outcome when every
 * member's result and the whole state after the group agree; invariants are then checked on it.
 * The contract checker judges single ops and is not run on groups.
 *
 * Which slot a new page-table node takes depends on the interleaving (allocations of two
 * members interleave, and a node freed by one member stays allocated until the others end), so
 * the oracle is told, per member, the slots the production side gave its nodes (alloc_hint) and
 * takes them when they are free at that point of the order.
 */
#include "group.h"

#include <inttypes.h>
#include <string.h>
#include "diff.h"
#include "resolve.h"
#include "trace.h"

/* The most nodes one member can allocate (an open or a map down to a level-1 node). */
#define MEMBER_MAX_NODES 3u

void ptd_group_print_steps(FILE *out, const struct ptd_group_log *log,
			   const size_t member_at[PTD_GROUP_MEMBERS])
{
	fprintf(out, "Schedule (%" PRIu64 " steps, in the order they ran):\n", log->total_steps);
	for (unsigned s = 0; s < log->nsteps; s++) {
		const struct ptd_group_step *st = &log->steps[s];

		fprintf(out, "    %3u  #%-3zu %s", s, member_at[st->member],
			ptd_step_name(st->kind));
		if (st->kind == PTD_STEP_READ || st->kind == PTD_STEP_STORE)
			fprintf(out, " entry %u of", st->index);
		if (st->kind != PTD_STEP_BEGIN && st->kind != PTD_STEP_END)
			fprintf(out, " L%u node 0x%" PRIx64, st->level, st->node);
		fputc('\n', out);
	}
	if (log->nsteps < log->total_steps)
		fprintf(out, "    ... %" PRIu64 " more\n", log->total_steps - log->nsteps);
}

/* Free slots of the node pool in @v. */
static uint64_t pool_free(const struct ptd_config *cfg, const struct ptd_view *v)
{
	uint64_t n = 0;

	for (uint64_t i = cfg->pt_pool_start; i < v->nslots; i++)
		n += v->slots[i].rc == PTD_RC_UNUSED;
	return n;
}

/* Whether member @op uses a cursor or frame handle an earlier member of @g uses. */
static int shares_handle(const struct ptd_group *g, const struct ptd_op *op)
{
	for (unsigned m = 0; m < g->n; m++) {
		const struct ptd_op *o = &g->ops[m];

		if ((op->cursor && op->cursor == o->cursor) || (op->frame && op->frame == o->frame))
			return 1;
	}
	return 0;
}

size_t ptd_group_resolve(struct ptd_group *g, const struct ptd_raw_op *ops, size_t at, size_t nops,
			 struct ptd_registry *reg, const struct ptd_view *agreed,
			 const struct ptd_config *cfg)
{
	unsigned want = ptd_group_size(&ops[at]);
	size_t j = at + 1;

	memset(g, 0, sizeof *g);
	g->schedule = ops[at].num[1].off;
	for (; j < nops && j - at - 1 < want && ptd_op_is_member(ops[j].kind); j++) {
		struct ptd_op op;
		enum ptd_handle_kind creates;

		if (!ptd_resolve(&ops[j], reg, agreed, &op)) {
			g->skipped[j - at - 1] = 1;
			continue;
		}
		/* One op per cursor and per frame handle: a member that shares one ends the group
		 * (it runs after it, on its own). */
		if (shares_handle(g, &op))
			break;
		/* The ids members create are handed out now, as if each ran first. */
		creates = ptd_op_creates(op.kind);
		if (creates != PTD_H_COUNT && op.new_id)
			ptd_registry_reserve(reg, creates, op.new_id);
		g->at[g->n] = j;
		g->ops[g->n++] = op;
	}
	/* Interleaving may only change which slots nodes take, not whether there are enough: with
	 * fewer free than every member could take, the members run one after the other. */
	if (pool_free(cfg, agreed) < (uint64_t)g->n * MEMBER_MAX_NODES)
		g->schedule = 0;
	return j - at - 1;
}

int ptd_group_oracle_run(struct ptd_group *g, const struct ptd_backend *be, void *self,
			 const uint8_t *order)
{
	int same = 1;

	for (unsigned p = 0; p < g->n; p++) {
		unsigned m = order[p];

		memset(&g->res[m], 0, sizeof g->res[m]);
		be->alloc_hint(self, g->allocs[m], g->nallocs[m]);
		be->apply(self, &g->ops[m], &g->res[m]);
		same &= ptd_diff_result(&g->core_res[m], &g->res[m]) == NULL;
	}
	return same;
}

int ptd_group_next_order(uint8_t *order, unsigned n)
{
	/* Next permutation in lexicographic order; 0 after the last. */
	unsigned i = n - 1, j = n - 1;

	while (i > 0 && order[i - 1] >= order[i])
		i--;
	if (i == 0)
		return 0;
	while (order[j] <= order[i - 1])
		j--;
	uint8_t t = order[i - 1];
	order[i - 1] = order[j];
	order[j] = t;
	for (j = n - 1; i < j; i++, j--) {
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	return 1;
}
