/* SPDX-License-Identifier: MIT */
/*
 * Concurrent groups: resolving a Together op's members, running them on the oracle in a given
 * order, and printing the schedule (group.c, docs/CONCURRENCY.md).  The runner drives the
 * linearizability check with these.
 */
#ifndef PTDIFF_FUZZ_GROUP_H
#define PTDIFF_FUZZ_GROUP_H

#include <stddef.h>
#include <stdio.h>
#include "ptdiff/backend.h"
#include "ptdiff/group.h"
#include "rawop.h"
#include "registry.h"

struct ptd_group {
	unsigned n;                           /* members that run */
	size_t at[PTD_GROUP_MEMBERS];         /* their raw-op indices */
	struct ptd_op ops[PTD_GROUP_MEMBERS]; /* resolved */
	struct ptd_result core_res[PTD_GROUP_MEMBERS];
	struct ptd_result res[PTD_GROUP_MEMBERS]; /* the oracle's, in the last order run */
	uint8_t skipped[PTD_GROUP_MEMBERS];       /* by position after the Together: no handle */
	uint64_t schedule;                        /* 0 when the pool forces one after another */
	uint8_t order[PTD_GROUP_MEMBERS];         /* the order that explained the outcome */
	/* The node slots each member got on the production side (the oracle's hints). */
	uint64_t allocs[PTD_GROUP_MEMBERS][PTD_GROUP_NODE_ALLOCS];
	unsigned nallocs[PTD_GROUP_MEMBERS];
};

/*
 * ptd_group_resolve() - Resolve the members of the Together at @ops[@at] against @reg and the
 * agreed state @agreed before the group: up to its count of following cursor ops, each on a
 * cursor and frame no earlier member uses (a member that shares one ends the group); ids the
 * members create are reserved in @reg.  Return: how many raw ops after the Together belong to
 * the group (skipped ones included); the runner goes on after them.
 */
size_t ptd_group_resolve(struct ptd_group *g, const struct ptd_raw_op *ops, size_t at, size_t nops,
			 struct ptd_registry *reg, const struct ptd_view *agreed,
			 const struct ptd_config *cfg);

/*
 * ptd_group_oracle_run() - Apply the members to the sequential side @be/@self in @order, each
 * with the production side's node slots as allocation hint.  Return: 1 when every result
 * equals the production side's (g->core_res), else 0.
 */
int ptd_group_oracle_run(struct ptd_group *g, const struct ptd_backend *be, void *self,
			 const uint8_t *order);

/* ptd_group_next_order() - Advance @order (a permutation of 0..@n-1); 0 after the last. */
int ptd_group_next_order(uint8_t *order, unsigned n);

/* ptd_group_print_steps() - The schedule as it ran, one step per line, members by op index. */
void ptd_group_print_steps(FILE *out, const struct ptd_group_log *log,
			   const size_t member_at[PTD_GROUP_MEMBERS]);

#endif
