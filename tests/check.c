/* SPDX-License-Identifier: MIT */
#include "check.h"

int ptd_check_failures;
int ptd_check_count;

void ptd_check_fail(const char *file, int line, const char *what)
{
	ptd_check_failures++;
	fprintf(stderr, "  %s:%d: CHECK failed: %s\n", file, line, what);
}

void ptd_check_fail_u64(const char *file, int line, const char *expr, uint64_t got, uint64_t want)
{
	ptd_check_failures++;
	fprintf(stderr, "  %s:%d: CHECK failed: %s (got 0x%" PRIx64 ", want 0x%" PRIx64 ")\n", file,
		line, expr, got, want);
}

/* Runs every test, or only those named on the command line. */
int ptd_test_main(const struct ptd_test *tests, size_t n, int argc, char **argv)
{
	int passed = 0, failed = 0;
	for (size_t i = 0; i < n; i++) {
		if (argc > 1) {
			int wanted = 0;
			for (int a = 1; a < argc; a++)
				wanted |= strcmp(argv[a], tests[i].name) == 0;
			if (!wanted)
				continue;
		}
		ptd_check_failures = 0;
		ptd_check_count = 0;
		tests[i].fn();
		if (ptd_check_count == 0) {
			fprintf(stderr, "  %s: made no check\n", tests[i].name);
			ptd_check_failures++;
		}
		if (ptd_check_failures) {
			failed++;
			printf("FAIL %s\n", tests[i].name);
		} else {
			passed++;
			printf("ok   %s\n", tests[i].name);
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
