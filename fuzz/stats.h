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
	uint64_t skipped;               /* decoded, but a selector found no live handle */
	uint64_t applied;
	uint64_t found;                 /* OK with found = 1 */
	uint64_t status[PTD_STATUS_COUNT];
};

struct ptd_stats {
	uint64_t inputs;
	struct ptd_op_stats op[PTD_OP_COUNT];
};

void ptd_stats_print(FILE *out, const struct ptd_stats *s);
/* Number of op kinds that never returned PTD_OK. */
unsigned ptd_stats_never_ok(const struct ptd_stats *s, FILE *report);

#endif
