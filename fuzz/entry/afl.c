/* SPDX-License-Identifier: MIT */
/*
 * AFL++ target in persistent shared-memory mode (build with afl-clang-fast).  Each loop
 * iteration runs one input from the initial state (ptd_runner_run resets both sides), so
 * nothing leaks from one input to the next.  Given a file argument it runs that file once.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h> /* read(), used by __AFL_FUZZ_INIT */
#include "input.h"
#include "runner.h"

__AFL_FUZZ_INIT();

static struct ptd_runner runner;

static int run_file(const char *path)
{
	char err[512];
	uint8_t *data;
	size_t size;
	int rc;
	if (ptd_read_file(path, &data, &size, err, sizeof err)) {
		fprintf(stderr, "ptdiff-afl: %s\n", err);
		return 2;
	}
	rc = ptd_runner_run(&runner, data, size);
	free(data);
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	unsigned char *buf;
	int rc = 0;
	if (ptd_runner_init(&runner, &ptd_core_backend, &ptd_oracle_backend)) {
		fputs("ptdiff-afl: out of memory\n", stderr);
		return 2;
	}
	if (ptd_runner_mode_from_env(&runner, "ptdiff-afl")) {
		ptd_runner_fini(&runner);
		return 2;
	}
	if (argc > 1) {
		rc = run_file(argv[1]);
		ptd_runner_fini(&runner);
		return rc;
	}
	__AFL_INIT();
	buf = __AFL_FUZZ_TESTCASE_BUF;
	while (__AFL_LOOP(100000)) {
		int len = __AFL_FUZZ_TESTCASE_LEN;
		if (ptd_runner_run(&runner, buf, (size_t)len))
			abort();
	}
	ptd_runner_fini(&runner);
	return 0;
}
