/* SPDX-License-Identifier: MIT */
/*
 * AFL++ target in persistent shared-memory mode (build with afl-clang-fast).  Each loop
 * iteration runs one input from the initial state (ptd_runner_run resets both sides), so
 * nothing leaks from one input to the next.  Given a file argument it runs that file once.
 */
#include <stdio.h>
#include <stdlib.h>
#include "runner.h"

__AFL_FUZZ_INIT();

static struct ptd_runner runner;

static int run_file(const char *path)
{
	static uint8_t buf[1 << 20];
	size_t n;
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 2;
	}
	n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	return ptd_runner_run(&runner, buf, n) ? 1 : 0;
}

int main(int argc, char **argv)
{
	unsigned char *buf;
	if (ptd_runner_init(&runner, &ptd_core_backend, &ptd_oracle_backend)) {
		fputs("ptdiff-afl: out of memory\n", stderr);
		return 2;
	}
	if (argc > 1)
		return run_file(argv[1]);
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
