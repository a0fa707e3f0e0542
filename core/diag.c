/* SPDX-License-Identifier: MIT */
/*
 * Abort paths of core/ (see diag.h): reached only when core or its caller is wrong, so
 * tools/coverage.sh leaves this file out of the shipped corpus's coverage.  The last line
 * printed is the crash signature: names only, no numbers, so ClusterFuzz files every instance
 * of one failure as one bug.
 */
#include "diag.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "core.h"

_Noreturn void core_bug(const char *func, const char *file, int line, const char *cond)
{
	fprintf(stderr, "ptdiff core: internal error in %s (%s:%d): %s\n", func, file, line, cond);
	fprintf(stderr, "ASSERTION FAILURE: ptdiff core-bug %s\n", func);
	fflush(stderr);
	abort();
}

/* "ptdiff core: <head><message>", then the signature line "<sig_prefix><what>", and abort. */
_Noreturn static void fail(const char *head, const char *sig_prefix, const char *what,
			   const char *fmt, va_list ap)
{
	fprintf(stderr, "ptdiff core: %s", head);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\nASSERTION FAILURE: ptdiff core %s%s\n", sig_prefix, what);
	fflush(stderr);
	abort();
}

_Noreturn void core_harness_error(const char *what, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fail("harness error: ", "harness-error ", what, fmt, ap);
}

/* Inside a concurrent group: the steps taken so far, members numbered as the ops after the
 * Together (scheduler.h). */
static void print_schedule(const struct core *k)
{
	const struct core_sched *s = k->sched;

	if (!s || !s->running) {
		return;
	}
	if (s->threads) {
		fprintf(stderr,
			"ptdiff core: concurrent group of %u ops on threads (member i = the "
			"i-th op after the Together); the interleaving is not recorded, run the input "
			"with ptdiff-replay to look for a schedule that shows it\n",
			s->ntasks);
		return;
	}
	fprintf(stderr,
		"ptdiff core: concurrent group of %u ops (member i = the i-th op after the "
		"Together; replay with --trace for the ops), steps so far:\n",
		s->ntasks);
	for (unsigned i = 0; i < s->log->nsteps; i++) {
		const struct ptd_group_step *st = &s->log->steps[i];

		fprintf(stderr, "    %3u  member %u %s", i, st->member, ptd_step_name(st->kind));
		if (st->kind != PTD_STEP_BEGIN && st->kind != PTD_STEP_END) {
			fprintf(stderr, " L%u node 0x%" PRIx64, st->level, st->node);
		}
		fputc('\n', stderr);
	}
	fprintf(stderr, "    now: member %u\n", s->current);
}

_Noreturn void core_protocol_violation(const struct core *k, const char *what, const char *fmt, ...)
{
	va_list ap;

	print_schedule(k);
	va_start(ap, fmt);
	fail("locking protocol violated: ", "protocol-", what, fmt, ap);
}
