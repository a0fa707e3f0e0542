/* SPDX-License-Identifier: MIT */
/*
 * A minimal unit-test framework: TEST(name) defines a test, CHECK* record failures with file and
 * line, and main() (from PTD_TEST_MAIN) runs every test and ends with the line
 * "N passed, N failed" that CI reads.  A test passes only if it made at least one check.
 */
#ifndef PTDIFF_TESTS_CHECK_H
#define PTDIFF_TESTS_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct ptd_test {
	const char *name;
	void (*fn)(void);
};

extern int ptd_check_failures; /* in the current test */
extern int ptd_check_count;

void ptd_check_fail(const char *file, int line, const char *what);
void ptd_check_fail_u64(const char *file, int line, const char *expr, uint64_t got, uint64_t want);
int ptd_test_main(const struct ptd_test *tests, size_t n, int argc, char **argv);

#define CHECK(cond)                                                \
	do {                                                       \
		ptd_check_count++;                                 \
		if (!(cond))                                       \
			ptd_check_fail(__FILE__, __LINE__, #cond); \
	} while (0)

/* Compare two integers (any width up to 64 bits) and print both on failure. */
#define CHECK_EQ(got, want)                                                                     \
	do {                                                                                    \
		uint64_t got_ = (uint64_t)(got), want_ = (uint64_t)(want);                      \
		ptd_check_count++;                                                              \
		if (got_ != want_)                                                              \
			ptd_check_fail_u64(__FILE__, __LINE__, #got " == " #want, got_, want_); \
	} while (0)

#define TEST(name) static void name(void)
#define PTD_TEST_ENTRY(name) \
	{                    \
#name, name  \
	}
#define PTD_TEST_MAIN(...)                                                                  \
	int main(int argc, char **argv)                                                     \
	{                                                                                   \
		static const struct ptd_test tests_[] = { __VA_ARGS__ };                    \
		return ptd_test_main(tests_, sizeof tests_ / sizeof tests_[0], argc, argv); \
	}

#endif /* PTDIFF_TESTS_CHECK_H */
