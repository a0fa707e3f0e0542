/* SPDX-License-Identifier: MIT */
/*
 * The differential runner.  For every op: resolve it, apply it to both sides, compare the
 * results, capture and compare the two views, check the invariants on both and the op's
 * contract, and on the first problem write the report and stop.  Concurrent groups run their
 * members at once on the production side and look for an order the oracle agrees with.  By
 * default an input runs in incremental mode (only the slots and lists an op touched are
 * captured and checked, with a full check every few ops and at the end); when that finds a
 * difference the input runs again in full mode, which writes the report, so both modes give
 * the same report and signature (docs/POLICY.md §4).
 */
#include "runner.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "decode.h"
#include "diff.h"
#include "geometry.h"
#include "resolve.h"
#include "signature.h"
#include "trace.h"

/* Room for every list in a view: an input maps at most PTD_MAX_OPS pages and allocates at most
 * 3 nodes per op, so positions stay far below this. */
#define VIEW_CAP 1024u
#define DIFF_LIMIT 8u

static const char *const side_names[PTD_SIDES] = { "core", "oracle" };

int ptd_runner_init(struct ptd_runner *r, const struct ptd_backend *core,
		    const struct ptd_backend *oracle)
{
	struct ptd_config cfg = ptd_fuzz_config();

	return ptd_runner_init_cfg(r, core, oracle, &cfg);
}

int ptd_runner_init_cfg(struct ptd_runner *r, const struct ptd_backend *core,
			const struct ptd_backend *oracle, const struct ptd_config *cfg)
{
	memset(r, 0, sizeof *r);
	r->cfg = *cfg;
	r->report = stderr;
	r->side[PTD_SIDE_CORE].be = core;
	r->side[PTD_SIDE_ORACLE].be = oracle;
	for (int s = 0; s < PTD_SIDES; s++) {
		struct ptd_side *side = &r->side[s];
		side->self = side->be->create(&r->cfg);
		if (!side->self || ptd_state_init(&side->buf[0], r->cfg.nframes, VIEW_CAP) ||
		    ptd_state_init(&side->buf[1], r->cfg.nframes, VIEW_CAP) ||
		    ptd_state_init(&side->part, r->cfg.nframes, VIEW_CAP)) {
			ptd_runner_fini(r);
			return -1;
		}
	}
	if (ptd_state_init(&r->initial, r->cfg.nframes, VIEW_CAP) ||
	    ptd_state_capture(&r->initial, oracle, r->side[PTD_SIDE_ORACLE].self)) {
		ptd_runner_fini(r);
		return -1;
	}
	ptd_state_digest(&r->initial);
	r->check_contracts = 1;
	r->full_every = 32;
	r->touched = calloc((r->cfg.nframes + 63) / 64, sizeof *r->touched);
	r->prev_touched = calloc((r->cfg.nframes + 63) / 64, sizeof *r->prev_touched);
	if (!r->touched || !r->prev_touched || ptd_checker_init(&r->checker, &r->cfg) ||
	    ptd_contract_init(&r->contract, &r->cfg)) {
		ptd_runner_fini(r);
		return -1;
	}
	return 0;
}

void ptd_runner_fini(struct ptd_runner *r)
{
	for (int s = 0; s < PTD_SIDES; s++) {
		if (r->side[s].self)
			r->side[s].be->destroy(r->side[s].self);
		r->side[s].self = NULL;
		ptd_state_fini(&r->side[s].buf[0]);
		ptd_state_fini(&r->side[s].buf[1]);
		ptd_state_fini(&r->side[s].part);
	}
	ptd_state_fini(&r->initial);
	free(r->touched);
	free(r->prev_touched);
	r->touched = r->prev_touched = NULL;
	ptd_checker_fini(&r->checker);
	ptd_contract_fini(&r->contract);
}

int ptd_runner_mode_from_env(struct ptd_runner *r, const char *prog)
{
	const char *mode = getenv("PTDIFF_CHECK"), *groups = getenv("PTDIFF_GROUPS");

	if (groups && *groups && strcmp(groups, "on") && strcmp(groups, "off")) {
		fprintf(stderr, "%s: PTDIFF_GROUPS must be 'on' or 'off', not '%s'\n", prog,
			groups);
		return -1;
	}
	r->sequential = groups && !strcmp(groups, "off");
	r->incremental = 1;
	if (!mode || !*mode || !strcmp(mode, "incremental"))
		return 0;
	if (!strcmp(mode, "full")) {
		r->incremental = 0;
		return 0;
	}
	fprintf(stderr, "%s: PTDIFF_CHECK must be 'full' or 'incremental', not '%s'\n", prog, mode);
	return -1;
}

static void print_entry(FILE *out, size_t i, const struct ptd_trace_entry *e)
{
	/* A group's members are indented under its Together. */
	fprintf(out, e->group >= 0 && e->op.kind != PTD_OP_TOGETHER ? "  #%-3zu   | " : "  #%-3zu ",
		i);
	ptd_op_print(out, &e->op, e->va_before, e->frame_pa);
	if (!e->applied) {
		fputs("  -- not applied: no live handle\n", out);
		return;
	}
	fputs(" = ", out);
	ptd_result_print(out, e->op.kind, &e->res);
	fputc('\n', out);
}

static void report_head(struct ptd_runner *r, size_t at, const char *what)
{
	FILE *out = r->report;
	fprintf(out, "\n==== ptdiff: divergence at op #%zu %s (%s) ====\n", at,
		ptd_op_name(r->trace[at].op.kind), what);
	fputs("Trace:\n", out);
	for (size_t i = 0; i < at; i++)
		print_entry(out, i, &r->trace[i]);
	fputs("Diverging op:\n  ", out);
	fprintf(out, "#%-3zu ", at);
	ptd_op_print(out, &r->trace[at].op, r->trace[at].va_before, r->trace[at].frame_pa);
	fputc('\n', out);
}

static void report_results(struct ptd_runner *r, size_t at, const struct ptd_result res[2])
{
	for (int s = 0; s < PTD_SIDES; s++) {
		const struct ptd_result *x = &res[s];
		fprintf(r->report, "  %-7s ", side_names[s]);
		ptd_result_print(r->report, r->trace[at].op.kind, x);
		fprintf(r->report,
			"\n          {status %d found %u tracked %u paddr 0x%" PRIx64
			" va 0x%" PRIx64 " va_end 0x%" PRIx64 " count %" PRIu64 " hash %016" PRIx64
			" value 0x%" PRIx64 " prop %u/%u new_id %u new_id2 %u}\n",
			x->status, x->found, x->tracked, x->paddr, x->va, x->va_end, x->count,
			x->hash, x->value, x->prop.flags, x->prop.cache, x->new_id, x->new_id2);
	}
}

static int report_tail(struct ptd_runner *r, size_t at, const char *what)
{
	snprintf(r->signature, sizeof r->signature, "%s-%s", ptd_op_name(r->trace[at].op.kind),
		 what);
	ptd_signature_id(r->signature, r->signature_id, sizeof r->signature_id);
	fprintf(r->report, "Signature id: %s\n", r->signature_id);
	fprintf(r->report, "ASSERTION FAILURE: ptdiff %s\n", r->signature);
	fflush(r->report);
	return 1;
}

/* Both views, the invariants, the op's contract.  Returns 1 (reported) on any problem. */
static int compare_states(struct ptd_runner *r, size_t at, const struct ptd_result res[2])
{
	struct ptd_side *oracle = &r->side[PTD_SIDE_ORACLE];
	struct ptd_state *a = ptd_side_state(&r->side[PTD_SIDE_CORE]), *b = ptd_side_state(oracle);
	struct ptd_inv_failure f;
	struct ptd_contract_failure cf;
	char what[96];
	if (!ptd_state_equal(a, b)) {
		const char *label;
		ptd_state_digest(a); /* which parts differ */
		ptd_state_digest(b);
		report_head(r, at, "state");
		report_results(r, at, res);
		fputs("Differences (core vs oracle) after the op:\n", r->report);
		label = ptd_diff_states(r->report, a, b, side_names, DIFF_LIMIT);
		return report_tail(r, at, label ? label : "state-digest");
	}
	/* The views are equal, so one check covers both sides. */
	if (ptd_check_invariants(&r->checker, &b->view, &f)) {
		snprintf(what, sizeof what, "invariant-%s", f.clause);
		report_head(r, at, "invariant");
		report_results(r, at, res);
		fprintf(r->report,
			"Invariant '%s' fails after the op (both sides agree on the "
			"state):\n  %s\n",
			f.clause, f.detail);
		return report_tail(r, at, what);
	}
	/* Equal views again: the contract is checked once, on the oracle's pair of states. */
	if (r->check_contracts &&
	    ptd_check_contract(&r->contract, &oracle->buf[!oracle->cur].view, &b->view,
			       &r->trace[at].op, &res[PTD_SIDE_ORACLE], &cf)) {
		snprintf(what, sizeof what, "contract-%s", cf.clause);
		report_head(r, at, "contract");
		report_results(r, at, res);
		fprintf(r->report,
			"Contract %s, clause '%s', fails (both sides agree on the "
			"state):\n  %s\n",
			cf.contract, cf.clause, cf.detail);
		return report_tail(r, at, what);
	}
	return 0;
}

/* Side s's new state goes into its older buffer, which then becomes the latest. */
static int capture_side(struct ptd_runner *r, int s)
{
	struct ptd_side *side = &r->side[s];
	side->cur = !side->cur;
	if (ptd_state_capture(ptd_side_state(side), side->be, side->self)) {
		fprintf(r->report, "ptdiff: internal error: %s view exceeds %u entries\n",
			side_names[s], VIEW_CAP);
		return -1;
	}
	return 0;
}

static int capture_all(struct ptd_runner *r)
{
	for (int s = 0; s < PTD_SIDES; s++)
		if (capture_side(r, s))
			return -1;
	return 0;
}

static uint64_t cursor_va_of(const struct ptd_view *v, ptd_id_t id)
{
	for (size_t i = 0; i < v->ncursors; i++)
		if (v->cursors[i].id == id)
			return v->cursors[i].va;
	return 0;
}

/* The handles after an op that both sides agree on, read from the agreed (oracle's) view. */
static void registry_update(struct ptd_runner *r, const struct ptd_op *op,
			    const struct ptd_result *res)
{
	ptd_registry_update(&r->reg, op, res, &ptd_side_state(&r->side[PTD_SIDE_ORACLE])->view);
	if (r->reg.nlive[PTD_H_CURSOR] > r->max_cursors)
		r->max_cursors = r->reg.nlive[PTD_H_CURSOR];
}

/* Applies op i to both sides (trace entry, stats, the --trace line).  Returns 0 when not
 * applied (*applied 0), 1 when the results differ, else 0 with *applied 1 and res filled. */
static int apply_op(struct ptd_runner *r, size_t i, struct ptd_result res[PTD_SIDES], int *applied)
{
	struct ptd_trace_entry *e = &r->trace[i];
	struct ptd_op_stats *st;
	const struct ptd_view *agreed = &ptd_side_state(&r->side[PTD_SIDE_ORACLE])->view;
	const struct ptd_handle *frame;

	memset(e, 0, sizeof *e);
	e->group = -1;
	*applied = 0;
	e->applied = ptd_resolve(&r->ops[i], &r->reg, agreed, &e->op);
	if (!e->applied)
		e->op.kind = r->ops[i].kind;
	st = &r->stats.op[e->op.kind];
	e->va_before = cursor_va_of(agreed, e->op.cursor);
	frame = ptd_registry_find(&r->reg, PTD_H_FRAME, e->op.frame);
	e->frame_pa = frame ? frame->paddr : 0;
	if (!e->applied) {
		st->skipped++;
		if (r->trace_out)
			print_entry(r->trace_out, i, e);
		return 0;
	}
	for (int s = 0; s < PTD_SIDES; s++) {
		memset(&res[s], 0, sizeof res[s]);
		r->side[s].be->apply(r->side[s].self, &e->op, &res[s]);
	}
	e->res = res[PTD_SIDE_ORACLE];
	st->applied++;
	if (res[0].status >= 0 && res[0].status < PTD_STATUS_COUNT)
		st->status[res[0].status]++;
	st->found += res[0].status == PTD_OK && res[0].found;
	if (r->trace_out)
		print_entry(r->trace_out, i, e);
	*applied = 1;
	return ptd_diff_result(&res[0], &res[1]) != NULL;
}

/* Full checking of op i: results, then both whole views, invariants and contract. */
static int run_op(struct ptd_runner *r, size_t i)
{
	struct ptd_result res[PTD_SIDES];
	int applied, rc;

	if (apply_op(r, i, res, &applied)) {
		report_head(r, i, "result");
		report_results(r, i, res);
		return report_tail(r, i, ptd_diff_result(&res[0], &res[1]));
	}
	if (!applied)
		return 0;
	if ((rc = capture_all(r)))
		return rc;
	if ((rc = compare_states(r, i, res)))
		return rc;
	registry_update(r, &r->trace[i].op, &res[0]);
	return 0;
}

/* ---- concurrent groups (fuzz/run/group.h, docs/CONCURRENCY.md) ---- */

/*
 * The oracle from the initial state through every op before @at, groups in the order that
 * explained them: the state before the group at @at, for trying another order.
 */
static void oracle_replay_before(struct ptd_runner *r, size_t at)
{
	struct ptd_side *o = &r->side[PTD_SIDE_ORACLE];

	o->be->reset(o->self);
	for (size_t j = 0; j < at; j++) {
		const struct ptd_trace_entry *e = &r->trace[j];
		struct ptd_result res;

		if (e->group >= 0) {
			struct ptd_group *g = &r->groups[e->group];

			if (e->op.kind == PTD_OP_TOGETHER)
				(void)ptd_group_oracle_run(g, o->be, o->self, g->order);
			continue;
		}
		if (!e->applied)
			continue;
		memset(&res, 0, sizeof res);
		o->be->apply(o->self, &e->op, &res);
	}
}

/* Run @g's members on the oracle in @order: 1 when every result and the whole state after
 * them equal the production side's, 0 when not, -1 on a harness error. */
static int group_try_order(struct ptd_runner *r, struct ptd_group *g, const uint8_t *order)
{
	struct ptd_side *o = &r->side[PTD_SIDE_ORACLE];
	int same = ptd_group_oracle_run(g, o->be, o->self, order);

	if (capture_side(r, PTD_SIDE_ORACLE))
		return -1;
	return same && ptd_state_equal(ptd_side_state(&r->side[PTD_SIDE_CORE]), ptd_side_state(o));
}

/* Report a group no order explains: its members with both sides' results in the order they
 * returned, the schedule as it ran, and the state difference after that order. */
static int report_group(struct ptd_runner *r, size_t at, struct ptd_group *g, unsigned tried)
{
	const char *label = NULL;
	char what[96];

	for (unsigned p = 0; p < g->n && !label; p++) {
		unsigned m = r->glog.order[p];

		if ((label = ptd_diff_result(&g->core_res[m], &g->res[m])))
			snprintf(what, sizeof what, "%s-%s", ptd_op_name(g->ops[m].kind), label);
	}
	report_head(r, at, label ? "result" : "state");
	fputs("Members, in the order they returned on the production side (the oracle ran them in "
	      "that order):\n",
	      r->report);
	for (unsigned p = 0; p < g->n; p++) {
		unsigned m = r->glog.order[p];
		struct ptd_result pair[PTD_SIDES] = { g->core_res[m], g->res[m] };

		fputs("  ", r->report);
		print_entry(r->report, g->at[m], &r->trace[g->at[m]]);
		report_results(r, g->at[m], pair);
	}
	ptd_group_print_steps(r->report, &r->glog, g->at);
	fprintf(r->report, "No order of the %u members explains the outcome (%u orders tried).\n",
		g->n, tried);
	if (!label) {
		ptd_state_digest(ptd_side_state(&r->side[PTD_SIDE_CORE])); /* which parts differ */
		ptd_state_digest(ptd_side_state(&r->side[PTD_SIDE_ORACLE]));
		fputs("Differences (core vs oracle) after the group:\n", r->report);
		label = ptd_diff_states(r->report, ptd_side_state(&r->side[PTD_SIDE_CORE]),
					ptd_side_state(&r->side[PTD_SIDE_ORACLE]), side_names,
					DIFF_LIMIT);
		snprintf(what, sizeof what, "%s", label ? label : "state-digest");
	}
	return report_tail(r, at, what);
}

/* The trace entries of the Together at @at and of the @consumed raw ops after it. */
static void group_trace(struct ptd_runner *r, size_t at, size_t consumed, int gi,
			const struct ptd_view *before)
{
	struct ptd_group *g = &r->groups[gi];

	for (size_t j = at; j <= at + consumed; j++) {
		memset(&r->trace[j], 0, sizeof r->trace[j]);
		r->trace[j].group = gi;
		r->trace[j].op.kind = r->ops[j].kind;
	}
	r->trace[at].applied = 1;
	r->trace[at].op.len = ptd_group_size(&r->ops[at]);
	r->trace[at].op.seed = r->ops[at].num[1].off;
	for (unsigned m = 0; m < g->n; m++) {
		struct ptd_trace_entry *e = &r->trace[g->at[m]];
		const struct ptd_handle *frame =
			ptd_registry_find(&r->reg, PTD_H_FRAME, g->ops[m].frame);

		e->op = g->ops[m];
		e->applied = 1;
		e->va_before = cursor_va_of(before, e->op.cursor);
		e->frame_pa = frame ? frame->paddr : 0;
	}
	for (size_t j = at + 1; j <= at + consumed; j++)
		if (!r->trace[j].applied)
			r->stats.op[r->trace[j].op.kind].skipped++;
}

/*
 * The Together at raw op @at: resolve its members, run them at once on the production side,
 * find an order of them the oracle agrees with (docs/CONCURRENCY.md "Linearizability"), check
 * the invariants on the state after them.  *@consumed: raw ops after the Together that were
 * part of the group.  Returns 0 (agreed), 1 (a problem, reported unless @quiet) or -1 (harness
 * error).
 */
static int run_group(struct ptd_runner *r, size_t at, size_t *consumed, int quiet)
{
	struct ptd_side *core = &r->side[PTD_SIDE_CORE], *o = &r->side[PTD_SIDE_ORACLE];
	const struct ptd_view *before = &ptd_side_state(o)->view;
	int gi = (int)r->ngroups++;
	struct ptd_group *g = &r->groups[gi];
	uint8_t perm[PTD_GROUP_MEMBERS] = { 0, 1, 2, 3 };
	unsigned tried = 1;
	struct ptd_inv_failure f;
	int ok;

	if (!core->be->apply_group || !o->be->alloc_hint) {
		fputs("ptdiff: internal error: a backend cannot run concurrent groups\n",
		      r->report);
		return -1;
	}
	*consumed = ptd_group_resolve(g, r->ops, at, r->nops, &r->reg, before, &r->cfg);
	group_trace(r, at, *consumed, gi, before);
	r->stats.groups++;
	r->stats.group_members += g->n;
	if (g->n == 0)
		return 0;
	r->stats.op[PTD_OP_TOGETHER].applied++;
	r->stats.op[PTD_OP_TOGETHER].status[PTD_OK]++;
	core->be->apply_group(core->self, g->ops, g->n, g->schedule, g->core_res, &r->glog);
	memcpy(g->allocs, r->glog.allocs, sizeof g->allocs);
	memcpy(g->nallocs, r->glog.nallocs, sizeof g->nallocs);
	memcpy(g->order, r->glog.order, g->n);
	if (capture_side(r, PTD_SIDE_CORE))
		return -1;
	/* The order they returned in first; then every other order, from the state before. */
	ok = group_try_order(r, g, g->order);
	for (int more = 1; !ok && more; more = ptd_group_next_order(perm, g->n)) {
		if (!memcmp(perm, r->glog.order, g->n))
			continue;
		tried++;
		oracle_replay_before(r, at);
		if ((ok = group_try_order(r, g, perm)) == 1)
			memcpy(g->order, perm, g->n);
	}
	if (ok < 0)
		return -1;
	for (unsigned p = 0; p < g->n; p++) {
		unsigned m = g->order[p];
		struct ptd_op_stats *st = &r->stats.op[g->ops[m].kind];

		r->trace[g->at[m]].res = g->core_res[m];
		st->applied++;
		if (g->core_res[m].status >= 0 && g->core_res[m].status < PTD_STATUS_COUNT)
			st->status[g->core_res[m].status]++;
		st->found += g->core_res[m].status == PTD_OK && g->core_res[m].found;
	}
	r->stats.groups_interleaved += r->glog.total_steps > 0 && g->schedule != 0;
	r->stats.groups_parallel += r->glog.max_running >= 2;
	r->stats.groups_reordered += memcmp(g->order, r->glog.order, g->n) != 0;
	if (r->trace_out) {
		print_entry(r->trace_out, at, &r->trace[at]);
		for (size_t j = at + 1; j <= at + *consumed; j++)
			print_entry(r->trace_out, j, &r->trace[j]);
		fprintf(r->trace_out,
			"             | %" PRIu64 " steps%s; returned:", r->glog.total_steps,
			g->schedule ? "" : " (schedule 0: members in turn)");
		for (unsigned p = 0; p < g->n; p++)
			fprintf(r->trace_out, " #%zu", g->at[r->glog.order[p]]);
		if (memcmp(g->order, r->glog.order, g->n)) {
			fputs("; explained in the order", r->trace_out);
			for (unsigned p = 0; p < g->n; p++)
				fprintf(r->trace_out, " #%zu", g->at[g->order[p]]);
		}
		fputc('\n', r->trace_out);
	}
	if (!ok && quiet)
		return 1;
	if (!ok) {
		/* For the report: the oracle in the order the members returned. */
		oracle_replay_before(r, at);
		if (group_try_order(r, g, r->glog.order) < 0)
			return -1;
		return report_group(r, at, g, tried);
	}
	if (ptd_check_invariants(&r->checker, &ptd_side_state(o)->view, &f)) {
		char what[96];

		if (quiet)
			return 1;
		snprintf(what, sizeof what, "invariant-%s", f.clause);
		report_head(r, at, "invariant");
		ptd_group_print_steps(r->report, &r->glog, g->at);
		fprintf(r->report,
			"Invariant '%s' fails after the group (both sides agree on the "
			"state):\n  %s\n",
			f.clause, f.detail);
		return report_tail(r, at, what);
	}
	for (unsigned p = 0; p < g->n; p++) {
		unsigned m = g->order[p];

		registry_update(r, &g->ops[m], &g->core_res[m]);
	}
	return 0;
}

/* Groups switched off: the Together marker is traced as not run; its members follow as
 * ordinary ops. */
static int skip_together(struct ptd_runner *r, size_t at)
{
	struct ptd_trace_entry *e = &r->trace[at];

	memset(e, 0, sizeof *e);
	e->group = -1;
	e->op.kind = PTD_OP_TOGETHER;
	e->op.len = ptd_group_size(&r->ops[at]);
	e->op.seed = r->ops[at].num[1].off;
	r->stats.op[PTD_OP_TOGETHER].skipped++;
	if (r->trace_out)
		fprintf(r->trace_out,
			"  #%-3zu Together -- groups off: its ops run one after another\n", at);
	return 0;
}

/*
 * Both sides back to the initial state.  The oracle's latest view (the agreed state the first
 * op is resolved in and the contract's state before it) becomes a copy of the initial view
 * captured once at init, and with @both its other buffer too (incremental mode patches one
 * into the other).  Core's views are taken only after ops.
 */
static int reset_all(struct ptd_runner *r, int both)
{
	struct ptd_side *o = &r->side[PTD_SIDE_ORACLE];
	ptd_registry_reset(&r->reg);
	r->ngroups = 0;
	r->max_cursors = 0;
	for (int s = 0; s < PTD_SIDES; s++)
		r->side[s].be->reset(r->side[s].self);
	if (ptd_state_copy(ptd_side_state(o), &r->initial) ||
	    (both && ptd_state_copy(&o->buf[!o->cur], &r->initial))) {
		fputs("ptdiff: internal error: the initial view does not fit\n", r->report);
		return -1;
	}
	return 0;
}

static int run_full(struct ptd_runner *r)
{
	int rc;
	if ((rc = reset_all(r, 0)))
		return rc;
	for (size_t i = 0; i < r->nops; i++) {
		size_t consumed = 0;

		if (r->ops[i].kind == PTD_OP_TOGETHER && r->sequential)
			rc = skip_together(r, i);
		else if (r->ops[i].kind == PTD_OP_TOGETHER)
			rc = run_group(r, i, &consumed, 0);
		else
			rc = run_op(r, i);
		if (rc)
			return rc;
		i += consumed;
	}
	return 0;
}

/* ---- incremental mode ---- */

/* Non-slot parts an op kind may change: the op table's parts column (a superset; what it
 * misses the full check finds). */
static const uint32_t op_parts[PTD_OP_COUNT] = {
#define PTD_OP_PARTS(e, n, stem, w, a0, a1, a2, cr, nn, co, parts, ...) \
	[PTD_OP_##e] = PTD_PARTS_##parts,
	PTD_OP_TABLE(PTD_OP_PARTS)
#undef PTD_OP_PARTS
};

/*
 * The two sides' partial views of one op agree.  Both were taken of the same slots and parts,
 * so their path and contents lists hold exactly those slots' entries, in canonical order, and
 * the lists of other parts are empty on both: every list compares as a whole.
 */
static int partial_equal(const struct ptd_view *x, const struct ptd_view *y, const uint64_t *slots)
{
	size_t words = (size_t)(x->nslots + 63) / 64;
	for (size_t w = 0; w < words; w++)
		for (uint64_t m = slots[w]; m; m &= m - 1) {
			uint64_t i = w * 64 + (uint64_t)__builtin_ctzll(m);
			if (memcmp(&x->slots[i], &y->slots[i], sizeof x->slots[i]))
				return 0;
		}
	return ptd_state_lists_equal(x, y) && x->kernel_hash == y->kernel_hash;
}

/* The full check of compare_states(), silently: 1 on any problem. */
static int full_check_fails(struct ptd_runner *r, size_t at, const struct ptd_result *res,
			    int with_contract)
{
	struct ptd_side *oracle = &r->side[PTD_SIDE_ORACLE];
	struct ptd_state *a = ptd_side_state(&r->side[PTD_SIDE_CORE]), *b = ptd_side_state(oracle);
	struct ptd_inv_failure f;
	struct ptd_contract_failure cf;
	if (!ptd_state_equal(a, b) || ptd_check_invariants(&r->checker, &b->view, &f))
		return 1;
	return with_contract && r->check_contracts &&
	       ptd_check_contract(&r->contract, &oracle->buf[!oracle->cur].view, &b->view,
				  &r->trace[at].op, res, &cf);
}

/* Where the incremental pass first saw a difference: at op `at`, by a full check or not. */
static int seen(struct ptd_runner *r, size_t at, int by_full_check)
{
	r->incr_at = at;
	r->incr_by_full = by_full_check;
	return 1;
}

/* The oracle's view of the state before the next op: every slot and part may differ from the
 * other buffer (after a full check or a group; before the first op nothing does). */
static void forget_touched(struct ptd_runner *r, int all)
{
	size_t words = (size_t)(r->cfg.nframes + 63) / 64;

	memset(r->prev_touched, all ? 0xff : 0, words * sizeof *r->prev_touched);
	r->prev_parts = all ? PTD_PART_BIT_ALL : 0;
}

/* What op @at touched, as both sides report it, and the parts its kind may change. */
static void collect_touched(struct ptd_runner *r, size_t at, struct ptd_touched *t)
{
	memset(r->touched, 0, (size_t)(r->cfg.nframes + 63) / 64 * sizeof *r->touched);
	for (int s = 0; s < PTD_SIDES; s++)
		r->side[s].be->touched(r->side[s].self, t);
	t->parts |= op_parts[r->trace[at].op.kind];
}

static int view_exceeds(struct ptd_runner *r, const char *side)
{
	fprintf(r->report, "ptdiff: internal error: %s view exceeds %u entries\n", side, VIEW_CAP);
	return -1;
}

/*
 * The per-op check of incremental mode, after op @at touched @t: both sides' views of what it
 * touched agree; the oracle's whole view is patched with them (the contract's state after, and
 * the state the next ops' handles are resolved in; core's is taken afresh at the next full
 * check); the invariants about what it touched hold; its contract holds.  0 all hold, 1 one
 * fails (the caller reruns in full mode to report it), -1 harness error.
 */
static int check_touched(struct ptd_runner *r, size_t at, const struct ptd_result *res,
			 const struct ptd_touched *t)
{
	struct ptd_side *o = &r->side[PTD_SIDE_ORACLE];
	struct ptd_contract_failure cf;
	struct ptd_inv_failure inv;
	int bad;

	for (int s = 0; s < PTD_SIDES; s++) {
		struct ptd_side *side = &r->side[s];

		if (ptd_state_capture_part(&side->part, side->be, side->self, t->slots, t->parts))
			return view_exceeds(r, side_names[s]);
	}
	if (!partial_equal(&r->side[PTD_SIDE_CORE].part.view, &o->part.view, t->slots))
		return 1;
	if (ptd_state_patch(&o->buf[!o->cur], &o->buf[o->cur], &o->part, r->prev_touched,
			    r->prev_parts, t->slots, t->parts))
		return view_exceeds(r, "oracle");
	o->cur = !o->cur;
	if (ptd_check_invariants_touched(&r->checker, &ptd_side_state(o)->view, t->slots, t->parts,
					 &inv))
		return 1;
	r->contract.only = t->slots;
	r->contract.parts = t->parts;
	bad = r->check_contracts &&
	      ptd_check_contract(&r->contract, &o->buf[!o->cur].view, &ptd_side_state(o)->view,
				 &r->trace[at].op, res, &cf);
	r->contract.only = NULL;
	if (bad)
		return 1;
	memcpy(r->prev_touched, r->touched,
	       (size_t)(r->cfg.nframes + 63) / 64 * sizeof *r->touched);
	r->prev_parts = t->parts;
	return 0;
}

/* The whole check: both whole states, after op @at (its contract too, @res non-NULL). */
static int check_all(struct ptd_runner *r, size_t at, const struct ptd_result *res)
{
	if (capture_all(r))
		return -1;
	if (full_check_fails(r, at, res, res != NULL))
		return 1;
	forget_touched(r, 1);
	return 0;
}

/*
 * Incremental mode: each applied op is checked on what it touched (check_touched()), and the
 * whole states are compared every full_every ops, after an op that touched everything, and at
 * the end (check_all()); a group checks both whole states itself (run_group()).  0 all agreed,
 * 1 something differs (the caller reruns in full mode to report it; seen() records where), -1
 * harness error.
 */
static int run_incremental(struct ptd_runner *r)
{
	unsigned since_full = 0;
	int checked = 1; /* the state after the last applied op was checked whole (or no op yet) */
	int rc;

	/* Both of the oracle's buffers hold the initial state: the first patch copies nothing. */
	if (reset_all(r, 1))
		return -1;
	forget_touched(r, 0);
	for (size_t i = 0; i < r->nops; i++) {
		struct ptd_result res[PTD_SIDES];
		struct ptd_touched t = { .slots = r->touched, .parts = 0, .all = 0 };
		size_t consumed = 0;
		int applied;

		if (r->ops[i].kind == PTD_OP_TOGETHER && r->sequential) {
			(void)skip_together(r, i);
			continue;
		}
		if (r->ops[i].kind == PTD_OP_TOGETHER) {
			if ((rc = run_group(r, i, &consumed, 1)))
				return rc > 0 ? seen(r, i, 0) : rc;
			/* Checked whole: what the members touched is forgotten. */
			for (int s = 0; s < PTD_SIDES; s++)
				r->side[s].be->touched(r->side[s].self, &t);
			i += consumed;
			since_full = 0;
			checked = 1;
			forget_touched(r, 1);
			continue;
		}
		if (apply_op(r, i, res, &applied))
			return seen(r, i, 0);
		if (!applied)
			continue;
		collect_touched(r, i, &t);
		checked = t.all || ++since_full >= r->full_every || i + 1 == r->nops;
		rc = checked ? check_all(r, i, &res[PTD_SIDE_ORACLE])
			     : check_touched(r, i, &res[PTD_SIDE_ORACLE], &t);
		if (rc)
			return rc > 0 ? seen(r, i, checked) : rc;
		since_full = checked ? 0 : since_full;
		registry_update(r, &r->trace[i].op, &res[0]);
	}
	if (!checked) { /* the last op was not applied: the final full check */
		if ((rc = check_all(r, r->nops - 1, NULL)))
			return rc > 0 ? seen(r, r->nops - 1, 1) : rc;
	}
	return 0;
}

static int run_input(struct ptd_runner *r);

int ptd_runner_run(struct ptd_runner *r, const uint8_t *data, size_t size)
{
	int rc;

	r->nops = ptd_decode(data, size, r->ops, PTD_MAX_OPS);
	rc = run_input(r);
	r->stats.inputs_by_cursors[r->max_cursors < PTD_STATS_CURSOR_BUCKETS
					   ? r->max_cursors
					   : PTD_STATS_CURSOR_BUCKETS - 1]++;
	return rc;
}

/* Run the decoded input r->ops, incrementally checked when possible. */
static int run_input(struct ptd_runner *r)
{
	int rc;
	r->signature[0] = 0;
	r->signature_id[0] = 0;
	r->incr_at = SIZE_MAX;
	r->incr_by_full = 0;
	r->stats.inputs++;
	if (r->incremental && !r->trace_out && r->full_every &&
	    r->side[PTD_SIDE_CORE].be->touched && r->side[PTD_SIDE_CORE].be->view_slots &&
	    r->side[PTD_SIDE_ORACLE].be->touched && r->side[PTD_SIDE_ORACLE].be->view_slots) {
		r->saved_stats = r->stats;
		rc = run_incremental(r);
		if (rc <= 0)
			return rc;
		/* Something differs: run the input again in full mode, which reports the first
		 * divergence exactly as it always does (same report, same signature). */
		r->stats = r->saved_stats;
		r->incr_reruns++;
		rc = run_full(r);
		if (rc == 0) {
			fputs("ptdiff: internal error: the incremental check found a difference the "
			      "full check does not\n",
			      r->report);
			return -1;
		}
		return rc;
	}
	return run_full(r);
}
