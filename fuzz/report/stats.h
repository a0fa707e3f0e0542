/* SPDX-License-Identifier: MIT */
/*
 * Per op kind: how often it was decoded, applied, and with which status; how often a query-like
 * op found something.  A differential fuzzer that quietly stops exercising an op tests nothing,
 * so `ptdiff-replay --stats` prints this and a test fails when an op kind never succeeds.
 */
#ifndef PTDIFF_FUZZ_STATS_H
#define PTDIFF_FUZZ_STATS_H

#include <stdint.h>
#include <stdio.h>
#include "ptdiff/op.h"

struct ptd_op_stats {
	uint64_t skipped; /* decoded, but a selector found no live handle */
	uint64_t applied;
	uint64_t found; /* OK with found = 1 */
	uint64_t status[PTD_STATUS_COUNT];
};

/* Inputs by the most cursors live at once: 0, 1, 2, 3, 4 and more. */
#define PTD_STATS_CURSOR_BUCKETS 5u

struct ptd_stats {
	uint64_t inputs;
	/* Concurrent groups (docs/CONCURRENCY.md): how many ran, their members, how many were
	 * interleaved (a non-zero schedule), and how many only an order other than the order of
	 * return explained; groups_parallel: two or more members in flight at one time (begun,
	 * not returned). */
	uint64_t groups, group_members, groups_interleaved, groups_reordered, groups_parallel;
	uint64_t inputs_by_cursors[PTD_STATS_CURSOR_BUCKETS];
	struct ptd_op_stats op[PTD_OP_COUNT];
};

void ptd_stats_print(FILE *out, const struct ptd_stats *s);
/* Number of op kinds that never returned PTD_OK. */
unsigned ptd_stats_never_ok(const struct ptd_stats *s, FILE *report);

#endif
