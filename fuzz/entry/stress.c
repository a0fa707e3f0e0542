/* SPDX-License-Identifier: MIT */
/*
 * ptdiff-stress: the second concurrency mode (docs/CONCURRENCY.md "Threads").  Every
 * Together group runs its cursor ops on POSIX threads at the same time, ordered by the
 * operating system instead of the input's schedule, and is checked exactly as ptdiff-replay
 * checks it: the results and the state must equal the oracle's on some order of the members.
 * Built under ThreadSanitizer (tools/stress.sh), it also reports the data races of core's
 * page-table accesses that no schedule of the deterministic mode can name.
 *
 * Inputs: the files under the paths given, round after round, alternating with random byte
 * strings (any byte string decodes) from a generator seeded by -s, until -t seconds passed or
 * -n inputs ran.  Exit status: 0 nothing found; 1 a divergence (reported, input saved);
 * 2 bad usage or an unreadable input.
 */
#define _POSIX_C_SOURCE 200809L /* strdup, clock_gettime */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "input.h"
#include "runner.h"

/* A data race under ThreadSanitizer (halt_on_error) or a core protocol violation ends the
 * process before ptdiff can save anything: each input is written to DIR/running-input before
 * it runs, so the one that stopped the run is left there (tools/stress.sh keeps it under a
 * name of its own); a run that ends normally removes it. */
#define STRESS_PATHS_MAX 4096u
#define RANDOM_LEN_MAX 512u

struct stress {
	struct ptd_runner runner;
	char *paths[STRESS_PATHS_MAX]; /* the corpus files, collected once */
	unsigned npaths;
	uint64_t rng;
	const char *crash_dir;
	uint64_t inputs, random_inputs, groups, groups_parallel;
};

static void usage(FILE *out)
{
	fputs("usage: ptdiff-stress [options] [FILE|DIR...]\n"
	      "Runs the cursor ops of every Together group on POSIX threads at the same time and\n"
	      "checks each group as ptdiff-replay does (results and state equal the oracle's on\n"
	      "some order of the members).  Inputs: the files under the paths given (folders\n"
	      "recursively, *.ops assembled), round after round, alternating with random byte\n"
	      "strings.  Build it with -DPTDIFF_SANITIZE=thread to catch data races too\n"
	      "(tools/stress.sh does).\n"
	      "  -t SECONDS  stop after this long (default 60)\n"
	      "  -n INPUTS   stop after this many inputs (default: no limit)\n"
	      "  -s SEED     seed of the random inputs (default 1)\n"
	      "  -o DIR      where a diverging input is saved (default out/stress/crashes)\n"
	      "  --no-random only the files given, no random inputs (e.g. to retry one input)\n"
	      "Each input is first written to DIR/running-input: when a data race (under\n"
	      "ThreadSanitizer) or a core protocol violation stops the process, that file\n"
	      "holds the input that stopped it.\n"
	      "A thread interleaving does not replay from the file: ptdiff-replay runs the saved\n"
	      "input under the deterministic scheduler; ptdiff-stress --no-random -n 1000 FILE\n"
	      "retries it on threads.\n"
	      "exit: 0 nothing found, 1 divergence, 2 bad usage or unreadable input\n",
	      out);
}

static int collect(const char *file, void *arg)
{
	struct stress *st = arg;

	if (st->npaths == STRESS_PATHS_MAX) {
		fprintf(stderr, "ptdiff-stress: more than %u inputs; using the first ones\n",
			STRESS_PATHS_MAX);
		return 1;
	}
	st->paths[st->npaths] = strdup(file);
	if (!st->paths[st->npaths]) {
		fputs("ptdiff-stress: out of memory\n", stderr);
		return -1;
	}
	st->npaths++;
	return 0;
}

static uint64_t next_random(struct stress *st)
{
	st->rng ^= st->rng << 13;
	st->rng ^= st->rng >> 7;
	st->rng ^= st->rng << 17;
	return st->rng;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* mkdir -p for the crash folder. */
static int make_dirs(const char *dir)
{
	char path[4096];
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof path)
		return -1;
	memcpy(path, dir, n + 1);
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(path, 0777) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(path, 0777) && errno != EEXIST ? -1 : 0;
}

/* Save a diverging input as DIR/stress-<signature id>, never over an existing file. */
static void save_crash(struct stress *st, const uint8_t *data, size_t size)
{
	char path[4352], err[512];
	FILE *f;

	if (make_dirs(st->crash_dir)) {
		fprintf(stderr, "ptdiff-stress: cannot create %s: %s\n", st->crash_dir,
			strerror(errno));
		return;
	}
	snprintf(path, sizeof path, "%s/stress-%s", st->crash_dir, st->runner.signature_id);
	f = ptd_create_output(path, 0, err, sizeof err);
	if (!f) {
		fprintf(stderr, "ptdiff-stress: input not saved: %s\n", err);
		return;
	}
	if (fwrite(data, 1, size, f) != size || fclose(f))
		fprintf(stderr, "ptdiff-stress: writing %s failed\n", path);
	else
		fprintf(stderr, "ptdiff-stress: input saved as %s\n", path);
}

/* DIR/running-input. */
static void running_path(const struct stress *st, char *path, size_t len)
{
	snprintf(path, len, "%s/running-input", st->crash_dir);
}

static int keep_running_input(const struct stress *st, const uint8_t *data, size_t size)
{
	char path[4352];
	FILE *f;

	running_path(st, path, sizeof path);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f)) {
		fprintf(stderr, "ptdiff-stress: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Runs one input; 1 on a divergence (reported and saved), -1 on an error. */
static int run_one(struct stress *st, const char *name, const uint8_t *data, size_t size)
{
	struct ptd_stats *s = &st->runner.stats;
	uint64_t groups = s->groups, parallel = s->groups_parallel;
	int rc;

	if (keep_running_input(st, data, size))
		return -1;
	rc = ptd_runner_run(&st->runner, data, size);

	st->inputs++;
	st->groups += s->groups - groups;
	st->groups_parallel += s->groups_parallel - parallel;
	if (rc > 0) {
		fprintf(stderr, "ptdiff-stress: %s: DIVERGENCE %s (groups on threads)\n", name,
			st->runner.signature);
		save_crash(st, data, size);
	}
	return rc;
}

static int run_file(struct stress *st, const char *path)
{
	char err[512];
	uint8_t *data;
	size_t size;
	int rc;

	if (ptd_read_input(path, &data, &size, err, sizeof err)) {
		fprintf(stderr, "ptdiff-stress: %s\n", err);
		return -1;
	}
	rc = run_one(st, path, data, size);
	free(data);
	return rc;
}

static int run_random(struct stress *st)
{
	uint8_t data[RANDOM_LEN_MAX];
	size_t size = 16 + next_random(st) % (RANDOM_LEN_MAX - 16);
	char name[64];

	for (size_t i = 0; i < size; i++)
		data[i] = (uint8_t)(next_random(st) >> 24);
	snprintf(name, sizeof name, "random input %" PRIu64, st->random_inputs++);
	return run_one(st, name, data, size);
}

/* Parses a positive number option; 0 on success. */
static int number(const char *opt, const char *arg, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = arg ? strtoull(arg, &end, 10) : 0;
	if (!arg || *end || !*arg || errno || v == 0 || v > max) {
		fprintf(stderr, "ptdiff-stress: %s needs a number from 1 to %" PRIu64 "\n", opt,
			max);
		return -1;
	}
	*out = v;
	return 0;
}

static void progress(const struct stress *st, double elapsed, const char *what)
{
	printf("ptdiff-stress: %s %.0f s: %" PRIu64 " inputs (%" PRIu64 " random), %" PRIu64
	       " groups on threads (%" PRIu64 " ran two or more ops at once), %.0f inputs/s\n",
	       what, elapsed, st->inputs, st->random_inputs, st->groups, st->groups_parallel,
	       elapsed > 0 ? (double)st->inputs / elapsed : 0.0);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	static struct stress st;
	struct ptd_config cfg = ptd_fuzz_config();
	uint64_t seconds = 60, max_inputs = UINT64_MAX, seed = 1;
	int no_random = 0;
	double start, last_report;
	char err[512];
	int status = 0;

	st.crash_dir = "out/stress/crashes";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "-t")) {
			if (number(a, v, 1000000, &seconds))
				return 2;
			i++;
		} else if (!strcmp(a, "-n")) {
			if (number(a, v, UINT64_MAX - 1, &max_inputs))
				return 2;
			i++;
		} else if (!strcmp(a, "-s")) {
			if (number(a, v, UINT64_MAX - 1, &seed))
				return 2;
			i++;
		} else if (!strcmp(a, "-o")) {
			if (!v || !*v) {
				fputs("ptdiff-stress: -o needs a folder\n", stderr);
				return 2;
			}
			st.crash_dir = v;
			i++;
		} else if (!strcmp(a, "--no-random")) {
			no_random = 1;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "ptdiff-stress: unknown option '%s'\n", a);
			usage(stderr);
			return 2;
		} else if (ptd_for_each_input(a, collect, &st, err, sizeof err) < 0) {
			fprintf(stderr, "ptdiff-stress: %s\n", err);
			return 2;
		}
	}
	if (no_random && !st.npaths) {
		fputs("ptdiff-stress: --no-random needs at least one input file or folder\n",
		      stderr);
		return 2;
	}
	if (make_dirs(st.crash_dir)) {
		fprintf(stderr, "ptdiff-stress: cannot create %s: %s\n", st.crash_dir,
			strerror(errno));
		return 2;
	}
	st.rng = seed * 0x9e3779b97f4a7c15ull | 1;
	cfg.group_threads = 1;
	if (ptd_runner_init_cfg(&st.runner, &ptd_core_backend, &ptd_oracle_backend, &cfg)) {
		fputs("ptdiff-stress: out of memory\n", stderr);
		return 2;
	}
	if (no_random)
		printf("ptdiff-stress: %u corpus inputs, groups on threads, for %" PRIu64 " s\n",
		       st.npaths, seconds);
	else
		printf("ptdiff-stress: %u corpus inputs and random inputs (seed %" PRIu64
		       "), groups "
		       "on threads, for %" PRIu64 " s\n",
		       st.npaths, seed, seconds);
	start = last_report = now();
	for (uint64_t n = 0; n < max_inputs && !status; n++) {
		double t = now();
		int rc;

		if (t - start >= (double)seconds)
			break;
		if (t - last_report >= 10) {
			progress(&st, t - start, "after");
			last_report = t;
		}
		/* Corpus and random inputs take turns; without a corpus, random only. */
		if (no_random)
			rc = run_file(&st, st.paths[n % st.npaths]);
		else if (st.npaths && n % 2 == 0)
			rc = run_file(&st, st.paths[(n / 2) % st.npaths]);
		else
			rc = run_random(&st);
		status = rc > 0 ? 1 : rc < 0 ? 2 : 0;
	}
	progress(&st, now() - start, "done in");
	printf("ptdiff-stress: %s\n", status == 1 ? "DIVERGENCE (see above)"
				      : status    ? "stopped by an error"
						  : "no divergence");
	{
		char path[4352];

		running_path(&st, path, sizeof path);
		remove(path); /* nothing stopped the run */
	}
	ptd_runner_fini(&st.runner);
	for (unsigned i = 0; i < st.npaths; i++)
		free(st.paths[i]);
	return status;
}
