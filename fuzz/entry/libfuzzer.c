/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target (ptdiff-fuzz, and with entry/libfuzzer_ops.c ptdiff-fuzz-ops): one
 * differential run per input; a divergence aborts after its report, so libFuzzer saves the
 * input as a crash.  PTDIFF_CHECK and PTDIFF_GROUPS choose the checking mode
 * (ptd_runner_mode_from_env()).
 */
#include <stdio.h>
#include <stdlib.h>
#include "runner.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ptd_runner runner;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (ptd_runner_init(&runner, &ptd_core_backend, &ptd_oracle_backend)) {
		fputs("ptdiff-fuzz: out of memory\n", stderr);
		abort();
	}
	if (ptd_runner_mode_from_env(&runner, "ptdiff-fuzz"))
		exit(2);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (ptd_runner_run(&runner, data, size))
		abort(); /* the report, ending in "ASSERTION FAILURE: ...", is already written */
	return 0;
}
