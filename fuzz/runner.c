/* SPDX-License-Identifier: MIT */
#include "runner.h"

#include <inttypes.h>
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
	memset(r, 0, sizeof *r);
	r->cfg = ptd_fuzz_config();
	r->report = stderr;
	r->side[PTD_SIDE_CORE].be = core;
	r->side[PTD_SIDE_ORACLE].be = oracle;
	for (int s = 0; s < PTD_SIDES; s++) {
		struct ptd_side *side = &r->side[s];
		side->self = side->be->create(&r->cfg);
		if (!side->self || ptd_state_init(&side->buf[0], r->cfg.nframes, VIEW_CAP) ||
		    ptd_state_init(&side->buf[1], r->cfg.nframes, VIEW_CAP)) {
			ptd_runner_fini(r);
			return -1;
		}
	}
	r->check_contracts = 1;
	if (ptd_checker_init(&r->checker, &r->cfg) ||
	    ptd_contract_init(&r->contract, r->cfg.nframes)) {
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
	}
	ptd_checker_fini(&r->checker);
	ptd_contract_fini(&r->contract);
}

static void print_entry(FILE *out, size_t i, const struct ptd_trace_entry *e)
{
	fprintf(out, "  #%-3zu ", i);
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
		fprintf(r->report, "\n          {status %d found %u tracked %u paddr 0x%" PRIx64
			" va 0x%" PRIx64 " va_end 0x%" PRIx64 " count %" PRIu64 " hash %016" PRIx64
			" prop %u/%u new_id %u new_id2 %u}\n", x->status, x->found, x->tracked,
			x->paddr, x->va, x->va_end, x->count, x->hash, x->prop.flags, x->prop.cache, x->new_id,
			x->new_id2);
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
	if (memcmp(a->digest, b->digest, sizeof a->digest)) {
		const char *label;
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
		fprintf(r->report, "Invariant '%s' fails after the op (both sides agree on the "
			"state):\n  %s\n", f.clause, f.detail);
		return report_tail(r, at, what);
	}
	/* Equal views again: the contract is checked once, on the oracle's pair of states. */
	if (r->check_contracts &&
	    ptd_check_contract(&r->contract, &oracle->buf[!oracle->cur].view, &b->view,
			       &r->trace[at].op, &res[PTD_SIDE_ORACLE], &cf)) {
		snprintf(what, sizeof what, "contract-%s", cf.clause);
		report_head(r, at, "contract");
		report_results(r, at, res);
		fprintf(r->report, "Contract %s, clause '%s', fails (both sides agree on the "
			"state):\n  %s\n", cf.contract, cf.clause, cf.detail);
		return report_tail(r, at, what);
	}
	return 0;
}

/* The new state goes into the older buffer, which then becomes the latest. */
static int capture_all(struct ptd_runner *r)
{
	for (int s = 0; s < PTD_SIDES; s++) {
		struct ptd_side *side = &r->side[s];
		side->cur = !side->cur;
		if (ptd_state_capture(ptd_side_state(side), side->be, side->self)) {
			fprintf(r->report, "ptdiff: internal error: %s view exceeds %u entries\n",
				side_names[s], VIEW_CAP);
			return -1;
		}
	}
	return 0;
}

static uint64_t cursor_va_of(const struct ptd_view *v, ptd_id_t id)
{
	for (size_t i = 0; i < v->ncursors; i++)
		if (v->cursors[i].id == id)
			return v->cursors[i].va;
	return 0;
}

static int run_op(struct ptd_runner *r, size_t i)
{
	struct ptd_trace_entry *e = &r->trace[i];
	struct ptd_op_stats *st;
	const struct ptd_view *agreed = &ptd_side_state(&r->side[PTD_SIDE_ORACLE])->view;
	const struct ptd_handle *frame;
	struct ptd_result res[PTD_SIDES];
	const char *label;
	int rc;

	memset(e, 0, sizeof *e);
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
	if ((label = ptd_diff_result(&res[0], &res[1]))) {
		report_head(r, i, "result");
		report_results(r, i, res);
		return report_tail(r, i, label);
	}
	if ((rc = capture_all(r)))
		return rc;
	if ((rc = compare_states(r, i, res)))
		return rc;
	ptd_registry_update(&r->reg, &e->op, &res[0]);
	return 0;
}

int ptd_runner_run(struct ptd_runner *r, const uint8_t *data, size_t size)
{
	int rc;
	r->signature[0] = 0;
	r->signature_id[0] = 0;
	r->stats.inputs++;
	r->nops = ptd_decode(data, size, r->ops, PTD_MAX_OPS);
	ptd_registry_reset(&r->reg);
	for (int s = 0; s < PTD_SIDES; s++)
		r->side[s].be->reset(r->side[s].self);
	if ((rc = capture_all(r)))
		return rc;
	for (size_t i = 0; i < r->nops; i++)
		if ((rc = run_op(r, i)))
			return rc;
	return 0;
}
