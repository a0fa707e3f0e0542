/* SPDX-License-Identifier: MIT */
/*
 * The op-level minimiser: it reruns the runner on candidate streams (re-encoded to bytes) and
 * keeps a candidate when it still diverges with the same signature.  Rounds of delta debugging
 * over the ops, then of simpler arguments one at a time (selector 0, numbers at their base or
 * rounder, no flags, shorter schedules), until a round changes nothing.  Meanwhile reports go
 * to /dev/null and the trace is off.
 */
#include "minimize.h"

#include <stdio.h>
#include <string.h>
#include "decode.h"

size_t ptd_encode_stream(const struct ptd_raw_op *ops, size_t n, uint8_t *buf, size_t cap)
{
	size_t len = 0;
	for (size_t i = 0; i < n; i++)
		len += ptd_encode_op(&ops[i], buf + len, cap - len);
	return len;
}

int ptd_raw_stream_diverges(struct ptd_runner *r, const struct ptd_raw_op *ops, size_t n,
			    const char *sig)
{
	uint8_t buf[PTD_MAX_OPS * PTD_ENCODED_OP_MAX];
	size_t len = ptd_encode_stream(ops, n, buf, sizeof buf);
	return ptd_runner_run(r, buf, len) > 0 && !strcmp(r->signature, sig);
}

struct minimizer {
	struct ptd_runner *r;
	const char *sig;
	struct ptd_min_stats *st;
};

static int keeps(struct minimizer *m, const struct ptd_raw_op *ops, size_t n)
{
	m->st->runs++;
	return ptd_raw_stream_diverges(m->r, ops, n, m->sig);
}

/* Delta debugging over ops: try removing chunks, from halves down to single ops. */
static void drop_ops(struct minimizer *m, struct ptd_raw_op *ops, size_t *n)
{
	struct ptd_raw_op trial[PTD_MAX_OPS];
	for (size_t chunk = *n / 2 ? *n / 2 : 1; chunk >= 1; chunk /= 2) {
		for (size_t at = 0; at < *n;) {
			size_t len = at + chunk <= *n ? chunk : *n - at, k = 0;
			for (size_t i = 0; i < *n; i++)
				if (i < at || i >= at + len)
					trial[k++] = ops[i];
			/* A removed member may leave a non-member inside a Together's count. */
			ptd_groups_fit(trial, k);
			if (k < *n && keeps(m, trial, k)) {
				memcpy(ops, trial, k * sizeof *ops);
				*n = k;
			} else {
				at += len;
			}
		}
		if (chunk == 1)
			break;
	}
}

/* Simpler values for one number, most preferred first. */
static size_t simpler_numbers(struct ptd_num n, struct ptd_num *out)
{
	size_t k = 0;
	if (n.off) {
		out[k++] = (struct ptd_num){ .base = n.base, .off = 0 };
		if (n.base == PTD_NUM_ABS && n.off % PTD_PAGE_SIZE)
			out[k++] = (struct ptd_num){ .base = n.base,
						     .off = n.off & ~(PTD_PAGE_SIZE - 1) };
		if ((int64_t)n.off > (int64_t)PTD_PAGE_SIZE)
			out[k++] = (struct ptd_num){ .base = n.base,
						     .off = (n.off / 2) & ~(PTD_PAGE_SIZE - 1) };
	}
	return k;
}

/*
 * Simpler schedules (docs/CONCURRENCY.md), most preferred first: none (members one after
 * another), then the schedule cut to its first 1, 2, 4, 8 or 16 decisions (later steps run
 * each member on to its end), so the schedule kept is the shortest that still diverges.
 */
static size_t simpler_schedules(uint64_t s, struct ptd_num *out)
{
	size_t k = 0;

	if (!s)
		return 0;
	out[k++] = (struct ptd_num){ .base = PTD_NUM_ABS, .off = 0 };
	for (unsigned bits = 2; bits < 64; bits *= 2)
		if ((s & ((UINT64_C(1) << bits) - 1)) != s)
			out[k++] = (struct ptd_num){ .base = PTD_NUM_ABS,
						     .off = s & ((UINT64_C(1) << bits) - 1) };
	return k;
}

/* Simpler data for a write carrying bytes, most preferred first: a seed of 0 (no bytes), then
 * its first byte alone. */
static size_t simpler_data(const struct ptd_raw_op *op, struct ptd_raw_op *out)
{
	size_t k = 0;

	if (!op->nbytes)
		return 0;
	out[k] = *op;
	out[k++].nbytes = 0;
	if (op->nbytes > 1) {
		out[k] = *op;
		out[k++].nbytes = 1;
	}
	return k;
}

/* Try each simplification of one argument; keep the first that keeps the divergence. */
static int simplify_arg(struct minimizer *m, struct ptd_raw_op *ops, size_t n, size_t i, unsigned a)
{
	struct ptd_raw_op saved = ops[i];
	enum ptd_arg arg = ptd_op_args[ops[i].kind][a];
	struct ptd_num cand[8];
	struct ptd_raw_op data[2];
	size_t nc;
	if (arg == PTD_ARG_SEED && ops[i].nbytes) {
		nc = simpler_data(&ops[i], data);
		for (size_t c = 0; c < nc; c++) {
			ops[i] = data[c];
			if (keeps(m, ops, n))
				return 1;
		}
	} else if (ptd_arg_is_selector(arg)) {
		if (!ops[i].sel[a])
			return 0;
		ops[i].sel[a] = 0;
		if (keeps(m, ops, n))
			return 1;
	} else if (ptd_arg_is_number(arg)) {
		nc = arg == PTD_ARG_SCHEDULE ? simpler_schedules(ops[i].num[a].off, cand)
					     : simpler_numbers(ops[i].num[a], cand);
		for (size_t c = 0; c < nc; c++) {
			ops[i].num[a] = cand[c];
			if (keeps(m, ops, n))
				return 1;
		}
	} else if (arg == PTD_ARG_PROP) {
		if (!ops[i].prop.flags && !ops[i].prop.cache)
			return 0;
		ops[i].prop = (struct ptd_prop){ 0 };
		if (keeps(m, ops, n))
			return 1;
	} else if (arg == PTD_ARG_CHANGE) {
		if (!ops[i].change.set && !ops[i].change.clear &&
		    ops[i].change.cache == PTD_CACHE_KEEP)
			return 0;
		ops[i].change = (struct ptd_prop_change){ .cache = PTD_CACHE_KEEP };
		if (keeps(m, ops, n))
			return 1;
	}
	ops[i] = saved;
	return 0;
}

static int simplify_args(struct minimizer *m, struct ptd_raw_op *ops, size_t n)
{
	int changed = 0;
	for (size_t i = 0; i < n; i++)
		for (unsigned a = 0; a < PTD_MAX_ARGS && ptd_op_args[ops[i].kind][a]; a++)
			changed |= simplify_arg(m, ops, n, i, a);
	return changed;
}

int ptd_minimize(struct ptd_runner *r, struct ptd_raw_op *ops, size_t *n, const char *sig,
		 struct ptd_min_stats *st)
{
	struct minimizer m = { .r = r, .sig = sig, .st = st };
	FILE *report = r->report, *trace = r->trace_out;
	FILE *null = fopen("/dev/null", "w");
	int rc = 0;
	memset(st, 0, sizeof *st);
	st->ops_before = *n;
	r->report = null ? null : report;
	r->trace_out = NULL;
	/* A group the input's end cut short: its count as the ops there are (same run). */
	ptd_groups_fit(ops, *n);
	if (!keeps(&m, ops, *n)) {
		rc = -1;
	} else {
		/* Until a whole round changes nothing (each round only shrinks, so this ends). */
		for (int round = 0; round < 8; round++) {
			size_t before = *n;
			drop_ops(&m, ops, n);
			if (!simplify_args(&m, ops, *n) && *n == before)
				break;
		}
	}
	st->ops_after = *n;
	r->report = report;
	r->trace_out = trace;
	if (null)
		fclose(null);
	return rc;
}
