/* SPDX-License-Identifier: MIT */
/*
 * The invariants of docs/CONTRACTS.md#invariants checked on one side's canonical view after every
 * op: the per-slot invariant (vostd MetaSlotOwner::inv), structural_inv and accounting_inv of the
 * VmStore, and the shape of the page table the positions describe.  The same checks run on core
 * and on the oracle; a failure names the clause.
 */
#ifndef PTDIFF_FUZZ_INVARIANTS_H
#define PTDIFF_FUZZ_INVARIANTS_H

#include <stddef.h>
#include "ptdiff/backend.h"

struct ptd_inv_failure {
	const char *clause; /* short name used in the crash signature, e.g. "accounting" */
	char detail[256];
};

struct ptd_checker {
	const struct ptd_config *cfg;
	uint32_t *handles_at;  /* scratch: Frame handles per slot */
	int64_t *cover;        /* scratch: segments covering each slot (nframes + 1 entries) */
	uint32_t *uniques_at;  /* scratch: UniqueFrame handles per slot */
	struct ptd_pos *nodes; /* scratch: positions of live page-table nodes, sorted */
	size_t nodes_cap;
	uint64_t *visit; /* scratch: bitmap of the slots the per-slot clauses look at */
};

int ptd_checker_init(struct ptd_checker *c, const struct ptd_config *cfg);
void ptd_checker_fini(struct ptd_checker *c);

/* 0 when every invariant holds; otherwise -1 and *f names the first clause that failed. */
int ptd_check_invariants(struct ptd_checker *c, const struct ptd_view *v,
			 struct ptd_inv_failure *f);

/* Incremental checking (docs/POLICY.md §4): the invariants about what an op touched, on the
 * whole view v after it: the per-slot clauses at the slots set in `slots` (a bitmap of
 * v->nslots bits) and the clauses about the parts in `parts` (PTD_PART_BIT_*).  What it does
 * not look at is left to the next full check.  0, or -1 with *f as ptd_check_invariants(). */
int ptd_check_invariants_touched(struct ptd_checker *c, const struct ptd_view *v,
				 const uint64_t *slots, uint32_t parts, struct ptd_inv_failure *f);

#endif
