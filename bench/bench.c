/* SPDX-License-Identifier: MIT */
/*
 * ptdiff-bench: speed figures from one run (medians of repeated rounds; the set-ups compared
 * with each other are measured in turn within each round, so that a slow stretch of a shared
 * machine hits them alike).
 *   1. on each set of inputs (default: the seeds, corpus/seeds/bin, and bench/long, 308 inputs
 *      of 42 applied ops on average that a libFuzzer run grew from the seeds, half of their
 *      ops NewVmSpace): execs/s of (a) core + oracle alone (reset + apply, no check), (b)
 *      incremental checking (runner.h) and (c) full checking, with the ratios (a)/(b) and
 *      (a)/(c); then the cost of one reset of each side after an input of the set, and after
 *      an input that did nothing;
 *   2. (on the first set) the contract checker's cost and the slowest input, and ns per op of
 *      core alone and of the oracle alone on the same op streams;
 *   3. ns per page of query / map / unmap with 10^3, 10^4, 10^5 pages already mapped, core
 *      against oracle (core should stay flat).
 * Usage: ptdiff-bench [--full-every N] [--checking-only] [--profile MODE PASSES]
 *                     [CORPUS_DIR_OR_FILE ...]
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "decode.h"
#include "input.h"
#include "runner.h"

#define ROUNDS 5
#define CHECK_ROUNDS 9 /* the checking comparison: more rounds, the ratios are targets */

#ifndef PTDIFF_SOURCE_DIR
#define PTDIFF_SOURCE_DIR "."
#endif

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- the sets of inputs ---- */

struct input {
	uint8_t *data;
	size_t size;
};

/* Resolved op streams, as the runner applied them, for the measurements without the runner. */
struct stream {
	struct ptd_op ops[PTD_MAX_OPS];
	size_t n;
};

struct set {
	const char *name, *path;
	const char *shown; /* path as printed (the default sets: relative to the source tree) */
	struct input *in;
	size_t n, cap;
	struct stream *streams; /* one per input */
	size_t total_ops;       /* applied ops of all inputs */
	size_t nr_concurrent;   /* inputs left out: they hold a Together group */
};

/*
 * Whether the input holds a concurrent group (docs/CONCURRENCY.md).  The measurements without
 * the runner replay each side's op stream alone, and a group's ops only mean the same there
 * when they run together, so such inputs are left out (and counted): these figures are those
 * of sequential inputs.
 */
static int has_group(const struct input *in)
{
	struct ptd_raw_op ops[PTD_MAX_OPS];
	size_t n = ptd_decode(in->data, in->size, ops, PTD_MAX_OPS);

	for (size_t i = 0; i < n; i++)
		if (ops[i].kind == PTD_OP_TOGETHER)
			return 1;
	return 0;
}

static int add_input(const char *path, void *arg)
{
	struct set *c = arg;
	char err[256];
	struct input in;
	if (ptd_read_input(path, &in.data, &in.size, err, sizeof err)) {
		fprintf(stderr, "ptdiff-bench: %s\n", err);
		return 1;
	}
	if (has_group(&in)) {
		c->nr_concurrent++;
		free(in.data);
		return 0;
	}
	if (c->n == c->cap) {
		struct input *grown =
			realloc(c->in, (c->cap = c->cap ? 2 * c->cap : 64) * sizeof *grown);
		if (!grown) {
			free(in.data);
			return 1;
		}
		c->in = grown;
	}
	c->in[c->n++] = in;
	return 0;
}

/* Reads set @c from c->path; 0, or 2 with a message. */
static int load_set(struct set *c)
{
	char err[256] = "";
	if (ptd_for_each_input(c->path, add_input, c, err, sizeof err)) {
		fprintf(stderr, "ptdiff-bench: %s\n", err[0] ? err : "cannot read the corpus");
		return 2;
	}
	if (!c->n) {
		fprintf(stderr, "ptdiff-bench: no inputs without concurrent groups in %s\n",
			c->path);
		return 2;
	}
	if (c->nr_concurrent)
		printf("(%s: %zu inputs with concurrent groups left out: these figures are of "
		       "sequential inputs)\n",
		       c->shown, c->nr_concurrent);
	return 0;
}

/* Runs every input of @c once in full checking (a divergence ends the bench), keeps the op
 * streams as applied; returns the slowest input's time in ns. */
static double record_streams(struct ptd_runner *r, struct set *c)
{
	double slowest = 0;
	if (!(c->streams = calloc(c->n, sizeof *c->streams))) {
		fputs("ptdiff-bench: out of memory\n", stderr);
		exit(2);
	}
	c->total_ops = 0;
	for (size_t i = 0; i < c->n; i++) {
		double t0 = now_ns(), dt;
		if (ptd_runner_run(r, c->in[i].data, c->in[i].size)) {
			fprintf(stderr, "ptdiff-bench: input %zu of %s diverges; fix that first\n",
				i, c->path);
			exit(1);
		}
		dt = now_ns() - t0;
		slowest = dt > slowest ? dt : slowest;
		c->streams[i].n = 0;
		for (size_t k = 0; k < r->nops; k++)
			if (r->trace[k].applied)
				c->streams[i].ops[c->streams[i].n++] = r->trace[k].op;
		c->total_ops += c->streams[i].n;
	}
	return slowest;
}

/* ---- 1. checking ---- */

/* Inputs per second of the runner over the set, for one round of at least @min_ns. */
static double runner_round(struct ptd_runner *r, const struct set *c, double min_ns)
{
	size_t runs = 0;
	double t0 = now_ns(), dt;
	do {
		for (size_t i = 0; i < c->n; i++, runs++)
			ptd_runner_run(r, c->in[i].data, c->in[i].size);
	} while ((dt = now_ns() - t0) < min_ns);
	return (double)runs / (dt / 1e9);
}

/* Core and oracle side by side with no checking at all. */
struct bare_pair {
	const struct ptd_backend *be[2];
	void *self[2];
};

static void bare_create(struct bare_pair *p)
{
	struct ptd_config cfg = ptd_fuzz_config();
	p->be[0] = &ptd_core_backend;
	p->be[1] = &ptd_oracle_backend;
	for (int s = 0; s < 2; s++)
		if (!(p->self[s] = p->be[s]->create(&cfg))) {
			fputs("ptdiff-bench: out of memory\n", stderr);
			exit(2);
		}
}

static void bare_destroy(struct bare_pair *p)
{
	for (int s = 0; s < 2; s++)
		p->be[s]->destroy(p->self[s]);
}

/* Inputs per second of core and oracle applying the recorded streams, for one round of at
 * least @min_ns: reset both + apply each op to both, no views, no checks. */
static double bare_round(struct bare_pair *p, const struct set *c, double min_ns)
{
	struct ptd_result res;
	size_t runs = 0;
	double t0 = now_ns(), dt;
	do {
		for (size_t i = 0; i < c->n; i++, runs++) {
			const struct stream *st = &c->streams[i];
			for (int s = 0; s < 2; s++)
				p->be[s]->reset(p->self[s]);
			for (size_t k = 0; k < st->n; k++)
				for (int s = 0; s < 2; s++) {
					memset(&res, 0, sizeof res);
					p->be[s]->apply(p->self[s], &st->ops[k], &res);
				}
		}
	} while ((dt = now_ns() - t0) < min_ns);
	return (double)runs / (dt / 1e9);
}

/* (a) alone, (b) incremental, (c) full, in turn within each round; one line of the table. */
static void bench_checking(struct ptd_runner *r, const struct set *c)
{
	struct bare_pair p;
	double a[CHECK_ROUNDS], b[CHECK_ROUNDS], f[CHECK_ROUNDS], ab[CHECK_ROUNDS],
		af[CHECK_ROUNDS];
	bare_create(&p);
	for (int round = 0; round < CHECK_ROUNDS; round++) {
		a[round] = bare_round(&p, c, 2e8);
		r->incremental = 1;
		b[round] = runner_round(r, c, 2e8);
		r->incremental = 0;
		f[round] = runner_round(r, c, 2e8);
		ab[round] = a[round] / b[round];
		af[round] = a[round] / f[round];
	}
	bare_destroy(&p);
	printf("  %-7s %10.0f %14.0f %8.2fx %10.0f %8.2fx\n", c->name, median(a, CHECK_ROUNDS),
	       median(b, CHECK_ROUNDS), median(ab, CHECK_ROUNDS), median(f, CHECK_ROUNDS),
	       median(af, CHECK_ROUNDS));
}

/* ---- reset ---- */

/* ns per reset of one side (@s of @p) after each input of @c (or, with @empty, after a reset),
 * the mean over the set for one round, less the cost of reading the clock. */
static double reset_round(struct bare_pair *p, int s, const struct set *c, int empty)
{
	struct ptd_result res;
	double total = 0, clock_cost, t0;
	size_t n = 0;

	t0 = now_ns();
	for (int k = 0; k < 1000; k++)
		(void)now_ns();
	clock_cost = (now_ns() - t0) / 1000;
	t0 = now_ns();
	while (now_ns() - t0 < 1e8) {
		for (size_t i = 0; i < c->n; i++, n++) {
			const struct stream *st = &c->streams[i];
			double r0;
			p->be[s]->reset(p->self[s]);
			for (size_t k = 0; !empty && k < st->n; k++) {
				memset(&res, 0, sizeof res);
				p->be[s]->apply(p->self[s], &st->ops[k], &res);
			}
			r0 = now_ns();
			p->be[s]->reset(p->self[s]);
			total += now_ns() - r0 - clock_cost;
		}
	}
	return total / (double)n;
}

static void bench_reset(const struct set *c)
{
	struct bare_pair p;
	double v[4][ROUNDS];
	bare_create(&p);
	for (int round = 0; round < ROUNDS; round++)
		for (int k = 0; k < 4; k++) /* core, oracle after the set; the same after nothing */
			v[k][round] = reset_round(&p, k % 2, c, k / 2);
	bare_destroy(&p);
	printf("  %-7s %8.0f %8.0f %14.0f %8.0f\n", c->name, median(v[0], ROUNDS),
	       median(v[1], ROUNDS), median(v[2], ROUNDS), median(v[3], ROUNDS));
}

/* ---- 2. the contract checker, one side alone ---- */

/* Contract checker on and off in turn within each round, as in bench_checking(). */
static void bench_contract(struct ptd_runner *r, const struct set *c, double slowest)
{
	double on[ROUNDS], off[ROUNDS], cost[ROUNDS];
	for (int round = 0; round < ROUNDS; round++) {
		on[round] = runner_round(r, c, 2e8);
		r->check_contracts = 0;
		off[round] = runner_round(r, c, 2e8);
		r->check_contracts = 1;
		cost[round] = 100.0 * (off[round] - on[round]) / off[round];
	}
	printf("full checking on %s, contract checker on and off (medians of %d rounds, on and "
	       "off in turn):\n",
	       c->name, ROUNDS);
	printf("  contract checker on:  %.0f execs/s\n", median(on, ROUNDS));
	printf("  contract checker off: %.0f execs/s (on costs %.0f%%)\n", median(off, ROUNDS),
	       median(cost, ROUNDS));
	printf("  slowest input %.3f ms (checker on, first run)\n", slowest / 1e6);
}

/* ns per op of one backend applying the recorded streams (reset + ops, no views). */
static double bench_side(const struct ptd_backend *be, const struct stream *streams, size_t n,
			 size_t total_ops)
{
	struct ptd_config cfg = ptd_fuzz_config();
	void *self = be->create(&cfg);
	double per_op[ROUNDS];
	struct ptd_result res;
	if (!self)
		exit(1);
	for (int round = 0; round < ROUNDS; round++) {
		size_t reps = 0;
		double t0 = now_ns(), dt;
		do {
			for (size_t i = 0; i < n; i++) {
				be->reset(self);
				for (size_t k = 0; k < streams[i].n; k++) {
					memset(&res, 0, sizeof res);
					be->apply(self, &streams[i].ops[k], &res);
				}
			}
			reps++;
		} while ((dt = now_ns() - t0) < 2e8);
		per_op[round] = dt / (double)(reps * (total_ops ? total_ops : 1));
	}
	be->destroy(self);
	return median(per_op, ROUNDS);
}

/* ---- 3. scaling ---- */

#define SCALE_POOL 2048u
#define SCALE_K 1000u /* pages measured per operation kind */

struct scale {
	const struct ptd_backend *be;
	void *self;
	ptd_id_t next_id;
};

static struct ptd_result apply(struct scale *s, struct ptd_op op)
{
	struct ptd_result res;
	memset(&res, 0, sizeof res);
	s->be->apply(s->self, &op, &res);
	return res;
}

static uint64_t pick(uint64_t *seed, uint64_t n)
{
	*seed = *seed * 6364136223846793005ull + 1442695040888963407ull;
	return (*seed >> 33) % n;
}

/* Maps `mapped` pages at va 0.. (frames 0..), then times SCALE_K steps of: jump to a random
 * mapped page + query (q), jump to consecutive mapped pages + query (qs: the same work with a
 * cache-friendly access pattern), map past the end (m), jump to a random page + unmap one page
 * (u); returns ns per page for each. */
static int bench_scale(const struct ptd_backend *be, uint64_t mapped, double *q, double *qs,
		       double *m, double *u)
{
	const uint64_t page = PTD_PAGE_SIZE, top = mapped + SCALE_K;
	struct ptd_config cfg = { .nframes = top + SCALE_POOL,
				  .pt_pool_start = top,
				  .iomem_base = 1ull << 40,
				  .iomem_end = (1ull << 40) + page,
				  .max_handles = (uint32_t)(3 * top + 2 * SCALE_K + 16) };
	struct scale s = { .be = be, .self = be->create(&cfg), .next_id = 1 };
	ptd_id_t vs, c;
	uint64_t seed = 42;
	double t0;
	if (!s.self)
		return -1;
	vs = s.next_id++;
	apply(&s, (struct ptd_op){ .kind = PTD_OP_NEW_VM_SPACE, .new_id = vs });
	c = s.next_id++;
	apply(&s, (struct ptd_op){ .kind = PTD_OP_OPEN_CURSOR_MUT,
				   .vs = vs,
				   .va = 0,
				   .end = 1ull << 40,
				   .new_id = c });
	for (uint64_t i = 0; i < top; i++) { /* frames for everything, mapped or not */
		apply(&s, (struct ptd_op){ .kind = PTD_OP_FRAME_FROM_UNUSED,
					   .paddr = i * page,
					   .new_id = s.next_id });
		s.next_id++;
	}
	for (uint64_t i = 0; i < mapped; i++) /* frame handle ids 3.. in paddr order */
		apply(&s, (struct ptd_op){
				  .kind = PTD_OP_MAP, .cursor = c, .frame = (ptd_id_t)(3 + i) });

	t0 = now_ns();
	for (unsigned k = 0; k < SCALE_K; k++) {
		apply(&s, (struct ptd_op){ .kind = PTD_OP_JUMP,
					   .cursor = c,
					   .va = pick(&seed, mapped) * page });
		apply(&s,
		      (struct ptd_op){ .kind = PTD_OP_QUERY, .cursor = c, .new_id = s.next_id++ });
	}
	*q = (now_ns() - t0) / SCALE_K;

	t0 = now_ns();
	for (unsigned k = 0; k < SCALE_K; k++) {
		apply(&s, (struct ptd_op){ .kind = PTD_OP_JUMP,
					   .cursor = c,
					   .va = (mapped - SCALE_K + k) * page });
		apply(&s,
		      (struct ptd_op){ .kind = PTD_OP_QUERY, .cursor = c, .new_id = s.next_id++ });
	}
	*qs = (now_ns() - t0) / SCALE_K;

	apply(&s, (struct ptd_op){ .kind = PTD_OP_JUMP, .cursor = c, .va = mapped * page });
	t0 = now_ns();
	for (unsigned k = 0; k < SCALE_K; k++)
		apply(&s, (struct ptd_op){ .kind = PTD_OP_MAP,
					   .cursor = c,
					   .frame = (ptd_id_t)(3 + mapped + k) });
	*m = (now_ns() - t0) / SCALE_K;

	t0 = now_ns();
	for (unsigned k = 0; k < SCALE_K; k++) {
		apply(&s, (struct ptd_op){ .kind = PTD_OP_JUMP,
					   .cursor = c,
					   .va = pick(&seed, mapped) * page });
		apply(&s, (struct ptd_op){ .kind = PTD_OP_UNMAP, .cursor = c, .len = page });
	}
	*u = (now_ns() - t0) / SCALE_K;
	be->destroy(s.self);
	return 0;
}

static void bench_scaling(void)
{
	static const uint64_t sizes[] = { 1000, 10000, 100000 };
	const struct ptd_backend *sides[2] = { &ptd_core_backend, &ptd_oracle_backend };
	printf("cost per page with N pages mapped (ns, median of %d rounds of %u pages):\n", ROUNDS,
	       SCALE_K);
	printf("  %-7s %8s %12s %12s %10s %10s\n", "side", "N", "query(rand)", "query(seq)", "map",
	       "unmap");
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
			double q[ROUNDS], qs[ROUNDS], m[ROUNDS], u[ROUNDS];
			int rounds = s == 0 ? ROUNDS : 1; /* the oracle is slow by design */
			for (int r = 0; r < rounds; r++)
				if (bench_scale(sides[s], sizes[i], &q[r], &qs[r], &m[r], &u[r])) {
					fputs("ptdiff-bench: out of memory\n", stderr);
					exit(1);
				}
			printf("  %-7s %8" PRIu64 " %12.0f %12.0f %10.0f %10.0f%s\n",
			       sides[s]->name, sizes[i], median(q, (size_t)rounds),
			       median(qs, (size_t)rounds), median(m, (size_t)rounds),
			       median(u, (size_t)rounds), rounds == 1 ? "  (1 round)" : "");
		}
}

/*
 * --profile MODE PASSES: only one set-up, PASSES times over the first set, so that a profiler
 * (perf record, valgrind --tool=callgrind --toggle-collect=profile) sees little else: alone,
 * incremental, full, or core / oracle (one side alone).
 */
static int profile(struct ptd_runner *r, const struct set *c, const char *mode,
		   unsigned long passes)
{
	double t0 = now_ns(), runs = 0;
	struct bare_pair p;
	bare_create(&p);
	for (unsigned long pass = 0; pass < passes; pass++) {
		if (!strcmp(mode, "alone")) {
			runs += bare_round(&p, c, 0) > 0 ? (double)c->n : 0;
		} else if (!strcmp(mode, "incremental") || !strcmp(mode, "full")) {
			r->incremental = !strcmp(mode, "incremental");
			runs += runner_round(r, c, 0) > 0 ? (double)c->n : 0;
		} else if (!strcmp(mode, "core") || !strcmp(mode, "oracle")) {
			const struct ptd_backend *be = p.be[!strcmp(mode, "oracle")];
			void *self = p.self[!strcmp(mode, "oracle")];
			struct ptd_result res;
			for (size_t i = 0; i < c->n; i++, runs++) {
				be->reset(self);
				for (size_t k = 0; k < c->streams[i].n; k++) {
					memset(&res, 0, sizeof res);
					be->apply(self, &c->streams[i].ops[k], &res);
				}
			}
		} else {
			fprintf(stderr,
				"ptdiff-bench: unknown --profile mode '%s' (alone, incremental, "
				"full, core, oracle)\n",
				mode);
			bare_destroy(&p);
			return 2;
		}
	}
	bare_destroy(&p);
	printf("profile %s on %s: %.0f inputs in %.1f s (%.0f execs/s)\n", mode, c->name, runs,
	       (now_ns() - t0) / 1e9, runs / ((now_ns() - t0) / 1e9));
	return 0;
}

static void usage(void)
{
	puts("usage: ptdiff-bench [--full-every N] [--checking-only] [--profile MODE PASSES] "
	     "[CORPUS_DIR_OR_FILE ...]\n"
	     "  default sets: the seeds (corpus/seeds/bin) and longer inputs (bench/long)\n"
	     "  --full-every N   incremental checking: ops between full checks "
	     "(default: the runner's, 32)\n"
	     "  --checking-only  only the checking and reset figures (part 1)\n"
	     "  --profile MODE PASSES  only MODE (alone, incremental, full, core, oracle), PASSES "
	     "times over the first set, for a profiler");
}

#define MAX_SETS 16

int main(int argc, char **argv)
{
	static struct ptd_runner runner;
	static struct set sets[MAX_SETS];
	size_t nsets = 0;
	unsigned long full_every = 0, profile_passes = 0;
	int checking_only = 0, rc = 0;
	const char *profile_mode = NULL;
	double slowest;

	for (int i = 1; i < argc; i++) {
		char *end;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage();
			return 0;
		}
		if (!strcmp(argv[i], "--checking-only")) {
			checking_only = 1;
		} else if (!strcmp(argv[i], "--full-every")) {
			if (++i == argc) {
				fputs("ptdiff-bench: --full-every needs a number of ops\n", stderr);
				return 2;
			}
			full_every = strtoul(argv[i], &end, 10);
			if (*end || !*argv[i] || argv[i][0] == '-' || !full_every ||
			    full_every > PTD_MAX_OPS) {
				fprintf(stderr, "ptdiff-bench: bad --full-every '%s' (1..%u)\n",
					argv[i], PTD_MAX_OPS);
				return 2;
			}
		} else if (!strcmp(argv[i], "--profile")) {
			if (i + 2 >= argc) {
				fputs("ptdiff-bench: --profile needs a mode and a number of passes\n",
				      stderr);
				return 2;
			}
			profile_mode = argv[++i];
			profile_passes = strtoul(argv[++i], &end, 10);
			if (*end || !*argv[i] || argv[i][0] == '-' || !profile_passes) {
				fprintf(stderr, "ptdiff-bench: bad --profile passes '%s'\n",
					argv[i]);
				return 2;
			}
		} else if (!strncmp(argv[i], "--", 2)) {
			fprintf(stderr, "ptdiff-bench: unknown option '%s' (see --help)\n",
				argv[i]);
			return 2;
		} else if (nsets == MAX_SETS) {
			fprintf(stderr, "ptdiff-bench: at most %d sets of inputs\n", MAX_SETS);
			return 2;
		} else {
			sets[nsets].name = sets[nsets].path = sets[nsets].shown = argv[i];
			nsets++;
		}
	}
	if (!nsets) {
		sets[0] = (struct set){ .name = "seeds",
					.shown = "corpus/seeds/bin",
					.path = PTDIFF_SOURCE_DIR "/corpus/seeds/bin" };
		sets[1] = (struct set){ .name = "long",
					.shown = "bench/long",
					.path = PTDIFF_SOURCE_DIR "/bench/long" };
		nsets = 2;
	}
	for (size_t s = 0; s < nsets; s++)
		if ((rc = load_set(&sets[s])))
			return rc;
	if (ptd_runner_init(&runner, &ptd_core_backend, &ptd_oracle_backend)) {
		fputs("ptdiff-bench: out of memory\n", stderr);
		return 2;
	}
	if (full_every)
		runner.full_every = (unsigned)full_every;
	if (profile_mode) {
		/* The runner's modes need no streams: the profile then holds nothing else. */
		if (strcmp(profile_mode, "incremental") && strcmp(profile_mode, "full"))
			(void)record_streams(&runner, &sets[0]);
		rc = profile(&runner, &sets[0], profile_mode, profile_passes);
		goto out;
	}
	slowest = record_streams(&runner, &sets[0]);
	for (size_t s = 1; s < nsets; s++)
		(void)record_streams(&runner, &sets[s]);
	printf("sets of inputs (applied ops; the runner's checks: contract checker on, "
	       "incremental with a full check every %u ops and at the end):\n",
	       runner.full_every);
	for (size_t s = 0; s < nsets; s++)
		printf("  %-7s %5zu inputs, %6zu ops, %5.1f ops per input  (%s)\n", sets[s].name,
		       sets[s].n, sets[s].total_ops, (double)sets[s].total_ops / (double)sets[s].n,
		       sets[s].shown);
	printf("checking (execs/s; medians of %d rounds, (a) (b) (c) in turn in each, ratios the "
	       "medians of the rounds' ratios):\n",
	       CHECK_ROUNDS);
	printf("  %-7s %10s %14s %9s %10s %9s\n", "set", "(a) alone", "(b) incremental", "(a)/(b)",
	       "(c) full", "(a)/(c)");
	for (size_t s = 0; s < nsets; s++)
		bench_checking(&runner, &sets[s]);
	printf("reset (ns per reset, mean over the set's inputs, median of %d rounds):\n", ROUNDS);
	printf("  %-7s %8s %8s %14s %8s\n", "after", "core", "oracle", "nothing: core", "oracle");
	for (size_t s = 0; s < nsets; s++)
		bench_reset(&sets[s]);
	if (!checking_only) {
		double core_ns, oracle_ns;
		bench_contract(&runner, &sets[0], slowest);
		core_ns = bench_side(&ptd_core_backend, sets[0].streams, sets[0].n,
				     sets[0].total_ops);
		oracle_ns = bench_side(&ptd_oracle_backend, sets[0].streams, sets[0].n,
				       sets[0].total_ops);
		printf("one side alone on %s, same op streams (reset + apply, no views):\n",
		       sets[0].name);
		printf("  core   %8.1f ns/op\n  oracle %8.1f ns/op  (oracle/core %.1fx)\n", core_ns,
		       oracle_ns, oracle_ns / core_ns);
		bench_scaling();
	}
out:
	ptd_runner_fini(&runner);
	for (size_t s = 0; s < nsets; s++) {
		for (size_t i = 0; i < sets[s].n; i++)
			free(sets[s].in[i].data);
		free(sets[s].in);
		free(sets[s].streams);
	}
	return rc;
}
