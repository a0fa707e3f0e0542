/* SPDX-License-Identifier: MIT */
/*
 * Abort paths of core/ (see diag.h).  The last line printed is the crash signature: names
 * only, no numbers, so ClusterFuzz files every instance of one failure as one bug.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

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

_Noreturn void core_protocol_violation(const char *what, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fail("locking protocol violated: ", "protocol-", what, fmt, ap);
}
