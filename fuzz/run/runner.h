/* SPDX-License-Identifier: MIT */
/*
 * The differential runner: decodes an input, applies each op to core and to the oracle, and
 * after every op compares the results, compares the two state views (digests first, field by
 * field on mismatch) and checks the invariants on both.  The first divergence is written as a
 * report (trace, diverging op, both results, differences, and a last line
 * "ASSERTION FAILURE: ptdiff <Op>-<what>") and ends the input.  Nothing is printed while the two
 * sides agree.
 */
#ifndef PTDIFF_FUZZ_RUNNER_H
#define PTDIFF_FUZZ_RUNNER_H

#include <stddef.h>
#include <stdio.h>
#include "contract.h"
#include "group.h"
#include "invariants.h"
#include "rawop.h"
#include "registry.h"
#include "state.h"
#include "stats.h"

enum { PTD_SIDE_CORE = 0, PTD_SIDE_ORACLE = 1, PTD_SIDES = 2 };

struct ptd_side {
	const struct ptd_backend *be;
	void *self;
	struct ptd_state buf[2]; /* the state after the last op, and the one before it */
	int cur;                 /* buf[cur] is the latest */
	struct ptd_state part;   /* incremental mode: the partial view of the last op */
};

static inline struct ptd_state *ptd_side_state(struct ptd_side *s)
{
	return &s->buf[s->cur];
}

struct ptd_trace_entry {
	struct ptd_op op;
	struct ptd_result res;
	uint64_t va_before; /* the cursor's va before a cursor op */
	uint64_t frame_pa;  /* the paddr of op.frame, if any */
	int applied;        /* 0: a selector found no live handle */
	int group;          /* Together and its members: index in ptd_runner.groups, else -1 */
};

struct ptd_runner {
	struct ptd_config cfg;
	struct ptd_side side[PTD_SIDES];
	struct ptd_registry reg;
	struct ptd_checker checker;
	struct ptd_contract_checker contract;
	/* The oracle's view of the initial state (POLICY.md §1), captured once: every input starts
	 * from it, and reset must bring both sides back to it. */
	struct ptd_state initial;
	int check_contracts; /* run the contract checker after every op (default 1) */
	/*
	 * Incremental mode (docs/POLICY.md §4), when both backends support it: after each op only
	 * what either side reports touched is compared (and the contract checked on the patched
	 * views); the full check (digests of full views, invariants, contract) runs every
	 * full_every applied ops and after the last op.  Any problem found reruns the input in full
	 * mode, so reports and signatures are those of full mode.  Default 0 (full mode); the fuzz
	 * targets turn it on (ptd_runner_mode_from_env).
	 */
	int incremental;
	unsigned full_every; /* default 32 */
	/* Together groups switched off (PTDIFF_GROUPS=off, replay --sequential): the marker is
	 * skipped and its members run as ordinary ops, one after another. */
	int sequential;
	uint64_t *touched, *prev_touched; /* scratch bitmaps, (nframes + 63) / 64 words */
	uint32_t prev_parts;
	uint64_t incr_reruns; /* inputs the incremental pass sent to a full rerun */
	/* The last input's rerun: the op at which the incremental pass first saw a difference
	 * (SIZE_MAX: no rerun), and whether a full check saw it (1) or the per-op check of what
	 * that op touched (0). */
	size_t incr_at;
	int incr_by_full;
	struct ptd_stats saved_stats; /* stats before the incremental pass (restored on a rerun) */
	struct ptd_stats stats;
	struct ptd_raw_op ops[PTD_MAX_OPS];
	struct ptd_trace_entry trace[PTD_MAX_OPS];
	size_t nops;
	/* Concurrent groups of the current input (fuzz/run/group.h), and the last one's schedule. */
	struct ptd_group groups[PTD_MAX_OPS];
	unsigned ngroups;
	size_t max_cursors; /* the most cursors live at once in the current input */
	struct ptd_group_log glog;
	FILE *report;           /* where divergence reports go */
	FILE *trace_out;        /* if set, every op and result is printed as it runs */
	char signature[128];    /* of the last divergence (signature.h) */
	char signature_id[160]; /* its id: signature and XXH3 hash, for file names */
};

/* 0 on success, -1 when memory runs out. */
int ptd_runner_init(struct ptd_runner *r, const struct ptd_backend *core,
		    const struct ptd_backend *oracle);
/* The same with a configuration other than ptd_fuzz_config() (ptdiff-stress: group_threads). */
int ptd_runner_init_cfg(struct ptd_runner *r, const struct ptd_backend *core,
			const struct ptd_backend *oracle, const struct ptd_config *cfg);
void ptd_runner_fini(struct ptd_runner *r);

/*
 * The checking mode of the fuzz targets: incremental, unless the environment says
 * PTDIFF_CHECK=full (PTDIFF_CHECK=incremental, unset or empty: incremental).  Measured with the
 * kill matrix (docs/kill-matrix/2026-11-26-libfuzzer-*.md), incremental checking kills the same
 * planted bugs sooner, at 1.6x the executions per second.  Any other value is an error: a
 * message naming @prog goes to stderr and -1 is returned.
 */
int ptd_runner_mode_from_env(struct ptd_runner *r, const char *prog);

/* Runs one input from the initial state.  Returns 0 when both sides agreed after every op and
 * every invariant held, 1 on a divergence (report written, r->signature set), -1 on a harness
 * error (message written; not a divergence). */
int ptd_runner_run(struct ptd_runner *r, const uint8_t *data, size_t size);

#endif
