/* SPDX-License-Identifier: MIT */
/*
 * ptdiff-replay: runs inputs without a fuzzing engine, for reproducing crashes and for CI.
 * Exit status: 0 every input agreed; 1 at least one divergence (each reported); 2 bad usage,
 * an unreadable path or a folder without any input; 3 with --check-ops, an op kind never
 * succeeded.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "decode.h"
#include "input.h"
#include "rawop_text.h"
#include "runner.h"

struct replay {
	struct ptd_runner runner;
	int print, quiet, no_contract, strict_contract, ids, incremental, sequential;
	unsigned full_every;
	unsigned inputs, divergences, errors;
};

static void usage(FILE *out)
{
	fputs("usage: ptdiff-replay [options] FILE|DIR...\n"
	      "Runs each input on core and oracle and compares them.  A folder stands for\n"
	      "every file in it and its sub-folders (in name order, skipping names that start\n"
	      "with '.'); a folder without any file is an error.  A file named *.ops is the\n"
	      "text form (see ptdiff-asm) and is assembled first; any other file is bytes.\n"
	      "  --print      list each input's decoded ops in text form (see ptdiff-asm)\n"
	      "  --trace      print every op and its result while running\n"
	      "  --stats      print per-op counts (applied, succeeded, errors) at the end\n"
	      "  --check-ops  exit 3 unless every op kind succeeded at least once\n"
	      "  --no-contract      do not run the contract checker\n"
	      "  --strict-contract  contract checker without exemptions: report every place\n"
	      "                     where ptdiff's policy follows the code, not the contract\n"

	      "  --full         compare the full views after every op (the default)\n"
	      "  --incremental  compare only what each op touched; full check every N ops\n"
	      "                 and at the end (any difference reruns the input in full mode,\n"
	      "                 and a line says at which op the incremental check saw it)\n"
	      "  --full-every N with --incremental: ops between full checks (default 32)\n"
	      "  --sequential   run the ops of Together groups one after another, in input order\n"
	      "  --quiet      print nothing but divergence reports and errors\n"
	      "  --ids        print '<signature id> <file>' on stdout for each diverging input\n"
	      "               (the id names and groups crashes: see tools/triage.sh)\n"
	      "exit: 0 all agree, 1 divergence, 2 bad usage or unreadable input, 3 --check-ops\n",
	      out);
}

static int replay_one(const char *path, void *arg)
{
	struct replay *rp = arg;
	char err[512];
	uint8_t *data;
	size_t size;
	int rc;

	if (ptd_read_input(path, &data, &size, err, sizeof err)) {
		fprintf(stderr, "ptdiff-replay: %s\n", err);
		rp->errors++;
		return 0;
	}
	rp->inputs++;
	if (rp->print) {
		struct ptd_raw_op ops[PTD_MAX_OPS];
		size_t n = ptd_decode(data, size, ops, PTD_MAX_OPS);
		printf("# %s: %zu ops\n", path, n);
		for (size_t i = 0; i < n; i++)
			ptd_raw_op_print(stdout, &ops[i]);
	}
	if (rp->runner.trace_out)
		printf("# trace of %s\n", path);
	rc = ptd_runner_run(&rp->runner, data, size);
	free(data);
	if (rc > 0) {
		rp->divergences++;
		fprintf(stderr, "ptdiff-replay: %s: DIVERGENCE %s\n", path, rp->runner.signature);
		if (rp->runner.incr_at != SIZE_MAX)
			fprintf(stderr,
				"ptdiff-replay: %s: the incremental check first saw it at op "
				"#%zu (%s)\n",
				path, rp->runner.incr_at,
				rp->runner.incr_by_full ? "full check" : "per-op check");
		if (rp->ids)
			printf("%s %s\n", rp->runner.signature_id, path);
	} else if (rc < 0) {
		rp->errors++;
	} else if (!rp->quiet && !rp->print) {
		printf("%s: agree\n", path);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct replay rp;
	int stats = 0, check_ops = 0, npaths = 0, status;
	char err[512];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--print"))
			rp.print = 1;
		else if (!strcmp(argv[i], "--trace"))
			rp.runner.trace_out = stdout; /* set again after init below */
		else if (!strcmp(argv[i], "--stats"))
			stats = 1;
		else if (!strcmp(argv[i], "--check-ops"))
			check_ops = 1;
		else if (!strcmp(argv[i], "--no-contract"))
			rp.no_contract = 1;
		else if (!strcmp(argv[i], "--strict-contract"))
			rp.strict_contract = 1;

		else if (!strcmp(argv[i], "--ids"))
			rp.ids = 1;
		else if (!strcmp(argv[i], "--incremental"))
			rp.incremental = 1;
		else if (!strcmp(argv[i], "--sequential"))
			rp.sequential = 1;
		else if (!strcmp(argv[i], "--full"))
			rp.incremental = 0;
		else if (!strcmp(argv[i], "--full-every") && i + 1 == argc) {
			fputs("ptdiff-replay: --full-every needs a number of ops\n", stderr);
			return 2;
		} else if (!strcmp(argv[i], "--full-every")) {
			char *end;
			unsigned long n = strtoul(argv[++i], &end, 10);
			if (*end || !n || n > 1000000) {
				fprintf(stderr, "ptdiff-replay: bad --full-every '%s'\n", argv[i]);
				return 2;
			}
			rp.full_every = (unsigned)n;
			argv[i] = argv[i - 1]; /* skipped as an option below */
		} else if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q"))
			rp.quiet = 1;
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "ptdiff-replay: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		} else
			npaths++;
	}
	if (!npaths) {
		usage(stderr);
		return 2;
	}
	{
		FILE *trace = rp.runner.trace_out;
		if (ptd_runner_init(&rp.runner, &ptd_core_backend, &ptd_oracle_backend)) {
			fputs("ptdiff-replay: out of memory\n", stderr);
			return 2;
		}
		rp.runner.trace_out = trace;
		rp.runner.check_contracts = !rp.no_contract;
		rp.runner.contract.strict = rp.strict_contract;
		rp.runner.incremental = rp.incremental;
		rp.runner.sequential = rp.sequential;
		if (rp.full_every)
			rp.runner.full_every = rp.full_every;
	}
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1])
			continue;
		if (ptd_for_each_input(argv[i], replay_one, &rp, err, sizeof err) < 0) {
			fprintf(stderr, "ptdiff-replay: %s\n", err);
			rp.errors++;
		}
	}
	if (stats)
		ptd_stats_print(stdout, &rp.runner.stats);
	if (!rp.quiet)
		printf("ptdiff-replay: %u inputs, %u divergences, %u errors\n", rp.inputs,
		       rp.divergences, rp.errors);
	status = rp.divergences ? 1 : rp.errors ? 2 : 0;
	if (!status && check_ops && ptd_stats_never_ok(&rp.runner.stats, stderr))
		status = 3;
	ptd_runner_fini(&rp.runner);
	return status;
}
