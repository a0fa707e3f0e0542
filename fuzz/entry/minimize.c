/* SPDX-License-Identifier: MIT */
/*
 * ptdiff-minimize: shrinks a diverging input at the level of ops (ptd_minimize) while keeping
 * its divergence signature, and writes the result as bytes and, with --ops, as text (the two
 * assemble to each other exactly).  Never overwrites a file unless --force.
 * Exit: 0 minimised; 1 the input does not diverge with this build; 2 bad usage or I/O error.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "decode.h"
#include "input.h"
#include "minimize.h"
#include "rawop_text.h"

static int usage(FILE *out, int status)
{
	fputs("usage: ptdiff-minimize [--force] CRASH -o OUT [--ops OUT.ops]\n"
	      "Deletes ops and simplifies arguments while the same divergence remains.\n",
	      out);
	return status;
}

/* Opens path for writing unless it exists and force is off. */
static FILE *create(const char *path, int force)
{
	char err[512];
	FILE *f = ptd_create_output(path, force, err, sizeof err);
	if (!f)
		fprintf(stderr, "ptdiff-minimize: %s\n", err);
	return f;
}

int main(int argc, char **argv)
{
	static struct ptd_runner runner;
	const char *in = NULL, *out = NULL, *ops_out = NULL;
	struct ptd_raw_op ops[PTD_MAX_OPS];
	uint8_t *data, bytes[PTD_MAX_OPS * PTD_ENCODED_OP_MAX];
	struct ptd_min_stats st;
	struct timespec t0, t1;
	char err[512], sig[128];
	size_t size, n, len;
	int force = 0, rc;
	FILE *f;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--force"))
			force = 1;
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--ops") && i + 1 < argc)
			ops_out = argv[++i];
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return usage(stdout, 0);
		else if (argv[i][0] != '-' && !in)
			in = argv[i];
		else
			return usage(stderr, 2);
	}
	if (!in || !out)
		return usage(stderr, 2);
	if (ptd_read_file(in, &data, &size, err, sizeof err)) {
		fprintf(stderr, "ptdiff-minimize: %s\n", err);
		return 2;
	}
	if (ptd_runner_init(&runner, &ptd_core_backend, &ptd_oracle_backend)) {
		fputs("ptdiff-minimize: out of memory\n", stderr);
		free(data);
		return 2;
	}
	n = ptd_decode(data, size, ops, PTD_MAX_OPS);
	runner.report = fopen("/dev/null", "w");
	rc = ptd_runner_run(&runner, data, size);
	free(data);
	if (runner.report)
		fclose(runner.report);
	runner.report = stderr;
	if (rc <= 0) {
		fprintf(stderr, "ptdiff-minimize: '%s' does not diverge with this build\n", in);
		ptd_runner_fini(&runner);
		return 1;
	}
	snprintf(sig, sizeof sig, "%s", runner.signature);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ptd_minimize(&runner, ops, &n, sig, &st);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	len = ptd_encode_stream(ops, n, bytes, sizeof bytes);
	rc = 0;
	if (!(f = create(out, force)) || fwrite(bytes, 1, len, f) != len || fclose(f))
		rc = 2;
	if (!rc && ops_out) {
		if (!(f = create(ops_out, force))) {
			rc = 2;
		} else {
			fprintf(f, "# Minimised from %s: ASSERTION FAILURE: ptdiff %s\n", in, sig);
			for (size_t i = 0; i < n; i++)
				ptd_raw_op_print(f, &ops[i]);
			rc = fclose(f) ? 2 : 0;
		}
	}
	if (!rc) {
		printf("%s: %zu ops -> %zu ops, %u runs, %.2f s; signature %s\n", in, st.ops_before,
		       st.ops_after, st.runs,
		       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
		       sig);
		/* The interleavings kept (docs/CONCURRENCY.md). */
		for (size_t i = 0; i < n; i++)
			if (ops[i].kind == PTD_OP_TOGETHER)
				printf("  op %zu: Together ops=%u schedule=0x%" PRIx64 "\n", i,
				       ptd_group_size(&ops[i]), ops[i].num[1].off);
	}
	ptd_runner_fini(&runner);
	return rc;
}
