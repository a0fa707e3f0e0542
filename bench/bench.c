/* SPDX-License-Identifier: MIT */
/*
 * ptdiff-bench: speed figures from one run (medians of repeated rounds).
 *   1. execs/s of the full differential check (runner: both sides, views, digests,
 *      invariants) over a corpus, and the slowest single input;
 *      the same with incremental checking (runner.h), and core + oracle applying the same
 *      op streams with no check at all, with the ratios of both checks to that;
 *   2. ns per op of core alone and of the oracle alone on the same op streams;
 *   3. ns per page of query / map / unmap with 10^3, 10^4, 10^5 pages already mapped, core
 *      against oracle (core should stay flat, the oracle's linear scans grow).
 * Usage: ptdiff-bench [--full-every N] [--checking-only] [CORPUS_DIR_OR_FILE ...]
 *        (default corpus: corpus/seeds/bin)
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
#define CHECK_ROUNDS 9 /* the checking comparison: more rounds, the ratio is a target */

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

/* ---- 1. the corpus ---- */

struct input {
	uint8_t *data;
	size_t size;
};

struct corpus {
	struct input *in;
	size_t n, cap;
	size_t nr_concurrent; /* inputs left out: they hold a Together group */
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
	struct corpus *c = arg;
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
		struct input *grown = realloc(c->in, (c->cap = c->cap ? 2 * c->cap : 64) * sizeof *grown);
		if (!grown) {
			free(in.data);
			return 1;
		}
		c->in = grown;
	}
	c->in[c->n++] = in;
	return 0;
}

/* Resolved op streams, as the runner applied them, for the one-side measurements. */
struct stream {
	struct ptd_op ops[PTD_MAX_OPS];
	size_t n;
};

/* Inputs per second of the whole differential run over the corpus, for one round of at least
 * 0.2 s. */
static double runner_round(struct ptd_runner *r, const struct corpus *c)
{
	size_t runs = 0;
	double t0 = now_ns(), dt;
	do {
		for (size_t i = 0; i < c->n; i++, runs++)
			ptd_runner_run(r, c->in[i].data, c->in[i].size);
	} while ((dt = now_ns() - t0) < 2e8);
	return (double)runs / (dt / 1e9);
}

/* Core and oracle side by side with no checking at all. */
struct bare_pair {
	const struct ptd_backend *be[2];
	void *self[2];
};

/* Inputs per second of core and oracle applying the recorded streams, for one round of at
 * least 0.2 s: reset both + apply each op to both, no views, no checks. */
static double bare_round(struct bare_pair *p, const struct stream *streams, size_t n)
{
	struct ptd_result res;
	size_t runs = 0;
	double t0 = now_ns(), dt;
	do {
		for (size_t i = 0; i < n; i++, runs++) {
			for (int s = 0; s < 2; s++)
				p->be[s]->reset(p->self[s]);
			for (size_t k = 0; k < streams[i].n; k++)
				for (int s = 0; s < 2; s++) {
					memset(&res, 0, sizeof res);
					p->be[s]->apply(p->self[s], &streams[i].ops[k], &res);
				}
		}
	} while ((dt = now_ns() - t0) < 2e8);
	return (double)runs / (dt / 1e9);
}

/*
 * (a) core + oracle alone, (b) full checking, (c) incremental checking, measured in turn within
 * each round, so that a slower or faster stretch of a shared machine hits all three alike; the
 * ratios are the medians of the per-round ratios.
 */
static void bench_checking(struct ptd_runner *r, const struct corpus *c,
			   const struct stream *streams)
{
	struct ptd_config cfg = ptd_fuzz_config();
	struct bare_pair p = { .be = { &ptd_core_backend, &ptd_oracle_backend } };
	double a[CHECK_ROUNDS], b[CHECK_ROUNDS], i[CHECK_ROUNDS], ab[CHECK_ROUNDS],
		ai[CHECK_ROUNDS];
	for (int s = 0; s < 2; s++)
		if (!(p.self[s] = p.be[s]->create(&cfg)))
			exit(1);
	for (int round = 0; round < CHECK_ROUNDS; round++) {
		a[round] = bare_round(&p, streams, c->n);
		b[round] = runner_round(r, c);
		r->incremental = 1;
		i[round] = runner_round(r, c);
		r->incremental = 0;
		ab[round] = a[round] / b[round];
		ai[round] = a[round] / i[round];
	}
	for (int s = 0; s < 2; s++)
		p.be[s]->destroy(p.self[s]);
	printf("full vs incremental checking (contract checker on; incremental: full check every "
	       "%u ops and at the end; medians of %d rounds, (a) (b) (c) in turn in each):\n",
	       r->full_every, CHECK_ROUNDS);
	printf("  (a) core + oracle alone:  %8.0f execs/s (apply only, no views)\n",
	       median(a, CHECK_ROUNDS));
	printf("  (b) full checking:        %8.0f execs/s  (a)/(b) = %.2fx\n",
	       median(b, CHECK_ROUNDS), median(ab, CHECK_ROUNDS));
	printf("  (c) incremental checking: %8.0f execs/s  (a)/(c) = %.2fx\n",
	       median(i, CHECK_ROUNDS), median(ai, CHECK_ROUNDS));
}

static void bench_differential(struct ptd_runner *r, const struct corpus *c,
			       struct stream *streams, size_t *total_ops)
{
	double slowest = 0, with, without;
	*total_ops = 0;
	for (size_t i = 0; i < c->n; i++) { /* record the streams and the slowest input */
		double t0 = now_ns(), dt;
		if (ptd_runner_run(r, c->in[i].data, c->in[i].size)) {
			fprintf(stderr, "ptdiff-bench: input %zu diverges; fix that first\n", i);
			exit(1);
		}
		dt = now_ns() - t0;
		slowest = dt > slowest ? dt : slowest;
		streams[i].n = 0;
		for (size_t k = 0; k < r->nops; k++)
			if (r->trace[k].applied)
				streams[i].ops[streams[i].n++] = r->trace[k].op;
		*total_ops += streams[i].n;
	}
	{ /* on and off in turn within each round, as in bench_checking() */
		double on[ROUNDS], off[ROUNDS], cost[ROUNDS];
		for (int round = 0; round < ROUNDS; round++) {
			on[round] = runner_round(r, c);
			r->check_contracts = 0;
			off[round] = runner_round(r, c);
			r->check_contracts = 1;
			cost[round] = 100.0 * (off[round] - on[round]) / off[round];
		}
		with = median(on, ROUNDS);
		without = median(off, ROUNDS);
		printf("differential check in full (core + oracle + views + invariants), %zu inputs, "
		       "%zu ops:\n", c->n, *total_ops);
		printf("  contract checker on:  %.0f execs/s (median of %d rounds, on and off in "
		       "turn)\n", with, ROUNDS);
		printf("  contract checker off: %.0f execs/s (on costs %.0f%%)\n", without,
		       median(cost, ROUNDS));
	}
	printf("  slowest input %.3f ms (checker on)\n", slowest / 1e6);
	bench_checking(r, c, streams);
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
	struct ptd_config cfg = { .nframes = top + SCALE_POOL, .pt_pool_start = top,
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
	apply(&s, (struct ptd_op){ .kind = PTD_OP_OPEN_CURSOR_MUT, .vs = vs, .va = 0,
				   .end = 1ull << 40, .new_id = c });
	for (uint64_t i = 0; i < top; i++) { /* frames for everything, mapped or not */
		apply(&s, (struct ptd_op){ .kind = PTD_OP_FRAME_FROM_UNUSED, .paddr = i * page,
					   .new_id = s.next_id });
		s.next_id++;
	}
	for (uint64_t i = 0; i < mapped; i++) /* frame handle ids 3.. in paddr order */
		apply(&s, (struct ptd_op){ .kind = PTD_OP_MAP, .cursor = c, .frame = (ptd_id_t)(3 + i) });

	t0 = now_ns();
	for (unsigned k = 0; k < SCALE_K; k++) {
		apply(&s, (struct ptd_op){ .kind = PTD_OP_JUMP, .cursor = c,
					   .va = pick(&seed, mapped) * page });
		apply(&s, (struct ptd_op){ .kind = PTD_OP_QUERY, .cursor = c, .new_id = s.next_id++ });
	}
	*q = (now_ns() - t0) / SCALE_K;

	t0 = now_ns();
	for (unsigned k = 0; k < SCALE_K; k++) {
		apply(&s, (struct ptd_op){ .kind = PTD_OP_JUMP, .cursor = c,
					   .va = (mapped - SCALE_K + k) * page });
		apply(&s, (struct ptd_op){ .kind = PTD_OP_QUERY, .cursor = c, .new_id = s.next_id++ });
	}
	*qs = (now_ns() - t0) / SCALE_K;

	apply(&s, (struct ptd_op){ .kind = PTD_OP_JUMP, .cursor = c, .va = mapped * page });
	t0 = now_ns();
	for (unsigned k = 0; k < SCALE_K; k++)
		apply(&s, (struct ptd_op){ .kind = PTD_OP_MAP, .cursor = c,
					   .frame = (ptd_id_t)(3 + mapped + k) });
	*m = (now_ns() - t0) / SCALE_K;

	t0 = now_ns();
	for (unsigned k = 0; k < SCALE_K; k++) {
		apply(&s, (struct ptd_op){ .kind = PTD_OP_JUMP, .cursor = c,
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
	printf("  %-7s %8s %12s %12s %10s %10s\n", "side", "N", "query(rand)", "query(seq)",
	       "map", "unmap");
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
			double q[ROUNDS], qs[ROUNDS], m[ROUNDS], u[ROUNDS];
			int rounds = s == 0 ? ROUNDS : 1; /* the oracle is slow by design */
			for (int r = 0; r < rounds; r++)
				if (bench_scale(sides[s], sizes[i], &q[r], &qs[r], &m[r], &u[r])) {
					fputs("ptdiff-bench: out of memory\n", stderr);
					exit(1);
				}
			printf("  %-7s %8" PRIu64 " %12.0f %12.0f %10.0f %10.0f%s\n", sides[s]->name,
			       sizes[i], median(q, (size_t)rounds), median(qs, (size_t)rounds),
			       median(m, (size_t)rounds), median(u, (size_t)rounds),
			       rounds == 1 ? "  (1 round)" : "");
		}
}

int main(int argc, char **argv)
{
	static struct ptd_runner runner;
	struct corpus c = { 0 };
	struct stream *streams;
	size_t total_ops;
	char err[256] = "";

	unsigned long full_every = 0;
	int checking_only = 0, npaths = 0;

	for (int i = 1; i < argc; i++) {
		char *end;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			puts("usage: ptdiff-bench [--full-every N] [--checking-only] "
			     "[CORPUS_DIR_OR_FILE ...]  (default corpus/seeds/bin)\n"
			     "  --full-every N   incremental checking: ops between full checks "
			     "(default: the runner's, 32)\n"
			     "  --checking-only  only the checking figures (part 1), not parts 2 and 3");
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
		} else if (!strncmp(argv[i], "--", 2)) {
			fprintf(stderr, "ptdiff-bench: unknown option '%s' (see --help)\n", argv[i]);
			return 2;
		} else {
			npaths++;
			if (ptd_for_each_input(argv[i], add_input, &c, err, sizeof err)) {
				fprintf(stderr, "ptdiff-bench: %s\n",
					err[0] ? err : "cannot read the corpus");
				return 2;
			}
		}
	}
	if (!npaths && ptd_for_each_input("corpus/seeds/bin", add_input, &c, err, sizeof err)) {
		fprintf(stderr, "ptdiff-bench: %s\n", err[0] ? err : "cannot read the corpus");
		return 2;
	}
	if (!c.n) {
		fputs("ptdiff-bench: no inputs (without concurrent groups)\n", stderr);
		return 2;
	}
	if (c.nr_concurrent)
		printf("(%zu inputs with concurrent groups left out: these figures are of sequential "
		       "inputs)\n", c.nr_concurrent);
	if (ptd_runner_init(&runner, &ptd_core_backend, &ptd_oracle_backend) ||
	    !(streams = calloc(c.n, sizeof *streams))) {
		fputs("ptdiff-bench: out of memory\n", stderr);
		return 2;
	}
	if (full_every)
		runner.full_every = (unsigned)full_every;
	bench_differential(&runner, &c, streams, &total_ops);
	if (!checking_only) {
		double core_ns = bench_side(&ptd_core_backend, streams, c.n, total_ops);
		double oracle_ns = bench_side(&ptd_oracle_backend, streams, c.n, total_ops);
		printf("one side alone, same op streams (reset + apply, no views):\n");
		printf("  core   %8.1f ns/op\n  oracle %8.1f ns/op  (oracle/core %.1fx)\n", core_ns,
		       oracle_ns, oracle_ns / core_ns);
		bench_scaling();
	}
	ptd_runner_fini(&runner);
	for (size_t i = 0; i < c.n; i++)
		free(c.in[i].data);
	free(c.in);
	free(streams);
	return 0;
}
