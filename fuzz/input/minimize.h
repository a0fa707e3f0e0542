/* SPDX-License-Identifier: MIT */
/*
 * Op-level minimisation of a diverging input, keeping the same divergence (same signature):
 * delta debugging over the ops, then simpler arguments (selector 0, numbers at their base,
 * rounder numbers, no flags).  The result is a raw op stream; ptd_encode_op turns it into bytes
 * and ptd_raw_op_print into its text form, which assemble to each other exactly (every
 * candidate's Together counts are fitted to the members that follow, ptd_groups_fit()).
 */
#ifndef PTDIFF_FUZZ_MINIMIZE_H
#define PTDIFF_FUZZ_MINIMIZE_H

#include <stddef.h>
#include "runner.h"

struct ptd_min_stats {
	size_t ops_before, ops_after;
	unsigned runs; /* candidate streams tried */
};

/* Minimises ops[0..*n) in place.  Returns 0 when the stream still diverges with signature sig
 * at the end (it always does if it did at the start), -1 if it did not diverge so to begin. */
int ptd_minimize(struct ptd_runner *r, struct ptd_raw_op *ops, size_t *n, const char *sig,
		 struct ptd_min_stats *st);

/* Runs a raw op stream (encoded to bytes) and reports whether it diverges with signature
 * sig.  The runner's report output is discarded while minimising. */
int ptd_raw_stream_diverges(struct ptd_runner *r, const struct ptd_raw_op *ops, size_t n,
			    const char *sig);

/* Encodes a raw op stream; returns the byte count (buf must hold n * 32 bytes). */
size_t ptd_encode_stream(const struct ptd_raw_op *ops, size_t n, uint8_t *buf, size_t cap);

#endif
