/* SPDX-License-Identifier: MIT */
/*
 * Printing the per-op statistics (`ptdiff-replay --stats`): one row per op kind, then the
 * concurrent groups and the inputs by the most cursors live at once; and the check behind
 * --check-ops that names every op kind that never succeeded.
 */
#include "stats.h"

#include <inttypes.h>
#include "rawop.h"
#include "trace.h"

void ptd_stats_print(FILE *out, const struct ptd_stats *s)
{
	fprintf(out, "%" PRIu64 " inputs\n", s->inputs);
	fprintf(out, "%-18s %9s %9s %9s %9s %9s  %s\n", "op", "skipped", "applied", "ok", "found",
		"errors", "error kinds seen");
	for (unsigned k = 0; k < PTD_OP_COUNT; k++) {
		const struct ptd_op_stats *o = &s->op[k];
		uint64_t errors = o->applied - o->status[PTD_OK];
		fprintf(out,
			"%-18s %9" PRIu64 " %9" PRIu64 " %9" PRIu64 " %9" PRIu64 " %9" PRIu64 " ",
			ptd_op_name((enum ptd_op_kind)k), o->skipped, o->applied, o->status[PTD_OK],
			o->found, errors);
		for (int st = 1; st < PTD_STATUS_COUNT; st++)
			if (o->status[st])
				fprintf(out, " %s", ptd_status_name(st) + 4); /* without "ERR_" */
		fputc('\n', out);
	}
	fprintf(out,
		"concurrent groups: %" PRIu64 " (%" PRIu64 " ops), %" PRIu64
		" interleaved, %" PRIu64 " with two or more ops in flight at once, %" PRIu64
		" explained only by an order other than the order of return\n",
		s->groups, s->group_members, s->groups_interleaved, s->groups_parallel,
		s->groups_reordered);
	fputs("inputs by the most cursors live at once:", out);
	for (unsigned b = 0; b < PTD_STATS_CURSOR_BUCKETS; b++)
		fprintf(out, " %u%s: %" PRIu64, b, b + 1 == PTD_STATS_CURSOR_BUCKETS ? "+" : "",
			s->inputs_by_cursors[b]);
	fputc('\n', out);
}

unsigned ptd_stats_never_ok(const struct ptd_stats *s, FILE *report)
{
	unsigned n = 0;
	for (unsigned k = 0; k < PTD_OP_COUNT; k++)
		if (!s->op[k].status[PTD_OK]) {
			n++;
			if (report)
				fprintf(report, "op %s never succeeded\n",
					ptd_op_name((enum ptd_op_kind)k));
		}
	return n;
}
