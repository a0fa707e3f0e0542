/* SPDX-License-Identifier: MIT */
/*
 * Concurrent groups (docs/CONCURRENCY.md): what the production side reports after running a
 * group of cursor ops at the same time, so that the harness can check the group against the
 * sequential oracle and print the interleaving that ran.
 *
 * A member's *steps* are the points where another CPU could interleave with it in OSTD: a
 * lock-free PTE read on the way to the guard node, a node's lock taken, waited for, given up
 * on or released, a PTE stored, a sub-tree detached, a node freed.  The schedule word picks,
 * at each step, which member runs next (2 bits per step: 0 keeps the member that just
 * stepped, k > 0 takes the k-th other runnable member; 0 once the bits run out).
 */
#ifndef PTDIFF_GROUP_H
#define PTDIFF_GROUP_H

#include <stdint.h>

#include "ptdiff/types.h"

#define PTD_GROUP_MEMBERS 4u     /* members of a group, at most */
#define PTD_GROUP_NODE_ALLOCS 8u /* nodes one member may allocate (open or map: 3) */
#define PTD_GROUP_STEPS 512u     /* steps recorded (more are counted, not kept) */

enum ptd_step_kind {
	PTD_STEP_BEGIN = 0, /* the op starts */
	PTD_STEP_READ,      /* lock-free PTE read on the walk to the guard node */
	PTD_STEP_LOCK,      /* took a node's lock */
	PTD_STEP_WAIT,      /* found a node's lock held by another cursor */
	PTD_STEP_GIVE_UP,   /* no running member can release it: the open goes last */
	PTD_STEP_UNLOCK,    /* released a node's lock */
	PTD_STEP_STORE,     /* stored a PTE */
	PTD_STEP_FREE,      /* freed a node (after every member that could reach it ended) */
	PTD_STEP_END,       /* the op returned */
	PTD_STEP_KIND_COUNT
};

/* How reports name a step: "member 1 <name> L2 node 0x...". */
static inline const char *ptd_step_name(unsigned kind)
{
	static const char *const names[PTD_STEP_KIND_COUNT] = {
		[PTD_STEP_BEGIN] = "begins",        [PTD_STEP_READ] = "reads",
		[PTD_STEP_LOCK] = "locks",          [PTD_STEP_WAIT] = "waits for",
		[PTD_STEP_GIVE_UP] = "gives up on", [PTD_STEP_UNLOCK] = "unlocks",
		[PTD_STEP_STORE] = "stores into",   [PTD_STEP_FREE] = "frees",
		[PTD_STEP_END] = "returns",
	};

	return kind < PTD_STEP_KIND_COUNT ? names[kind] : "?";
}

struct ptd_group_step {
	uint8_t member;
	uint8_t kind;  /* enum ptd_step_kind */
	uint8_t level; /* of the node, 0 when none */
	uint8_t reserved;
	uint32_t index; /* entry index for READ and STORE */
	ptd_paddr_t node;
};

struct ptd_group_log {
	uint8_t order[PTD_GROUP_MEMBERS]; /* members in the order their ops returned */
	unsigned ndone;
	/* Slot index of every page-table node each member allocated, in order. */
	uint64_t allocs[PTD_GROUP_MEMBERS][PTD_GROUP_NODE_ALLOCS];
	unsigned nallocs[PTD_GROUP_MEMBERS];
	struct ptd_group_step steps[PTD_GROUP_STEPS];
	unsigned nsteps;      /* recorded */
	uint64_t total_steps; /* taken */
	/* The most members that had begun and not yet returned at one time (on threads: ran at
	 * the same time; under the scheduler: were interleaved). */
	unsigned max_running;
};

#endif /* PTDIFF_GROUP_H */
