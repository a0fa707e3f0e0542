/* SPDX-License-Identifier: MIT */
/*
 * AFL++ custom mutator (ptdiff-afl-mutator.so): the op-level mutation of fuzz/input/mutate.h,
 * the same code as ptdiff-fuzz-ops uses under libFuzzer.  afl-fuzz dlopen()s it when
 * AFL_CUSTOM_MUTATOR_LIBRARY names it and runs it as the "custom mutator" stage before havoc;
 * AFL's own havoc and splicing stay on (do not set AFL_CUSTOM_MUTATOR_ONLY).  Each call edits
 * the input op by op (ptd_mutate_ops) or, one time in four when AFL offers a second queue
 * entry, splices the two streams at op boundaries (ptd_crossover_ops).
 *
 * Built without AFL instrumentation or sanitizers (fuzz/CMakeLists.txt): it runs inside
 * afl-fuzz, not inside the target.  Implements the AFL++ 4.x C API: afl_custom_init,
 * afl_custom_fuzz, afl_custom_describe, afl_custom_deinit.
 *
 * PTDIFF_AFL_MUTATOR_STATS=1 in afl-fuzz's environment prints, when afl-fuzz exits, how many
 * mutants the library made (to show that it was used).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mutate.h"

/* A mutant is at most PTD_MAX_OPS re-encoded ops (fuzz/input/geometry.h: 64 ops of at most 32
 * bytes); the working buffer also holds the whole input, which ptd_mutate_ops edits in place. */
#define MUTANT_ROOM 4096u

struct ptd_afl_mutator {
	uint64_t rng;
	uint8_t *buf;
	size_t cap;
	const char *last; /* what the last call did, for afl_custom_describe */
	unsigned long long mutations, splices, calls;
	int print_stats;
};

/* The library is built with hidden visibility; only the AFL++ entry points are exported. */
#define PTD_AFL_API __attribute__((visibility("default")))
PTD_AFL_API void *afl_custom_init(void *afl, unsigned int seed);
PTD_AFL_API size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
				   uint8_t *add_buf, size_t add_buf_size, size_t max_size);
PTD_AFL_API const char *afl_custom_describe(void *data, size_t max_description_len);
PTD_AFL_API void afl_custom_deinit(void *data);

static unsigned next_seed(struct ptd_afl_mutator *m)
{
	/* splitmix64 */
	uint64_t z = (m->rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (unsigned)((z ^ (z >> 31)) >> 32);
}

static int reserve(struct ptd_afl_mutator *m, size_t need)
{
	uint8_t *p;
	if (need <= m->cap)
		return 0;
	p = realloc(m->buf, need);
	if (!p)
		return -1;
	m->buf = p;
	m->cap = need;
	return 0;
}

void *afl_custom_init(void *afl, unsigned int seed)
{
	struct ptd_afl_mutator *m = calloc(1, sizeof *m);
	const char *stats = getenv("PTDIFF_AFL_MUTATOR_STATS");
	(void)afl;
	if (!m || reserve(m, MUTANT_ROOM)) {
		if (m)
			free(m);
		perror("ptdiff-afl-mutator: afl_custom_init");
		return NULL;
	}
	m->rng = seed;
	m->last = "ptdiff-ops";
	m->print_stats = stats && *stats && strcmp(stats, "0");
	return m;
}

size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
		       uint8_t *add_buf, size_t add_buf_size, size_t max_size)
{
	struct ptd_afl_mutator *m = data;
	size_t size = buf_size < max_size ? buf_size : max_size, cap, out = 0;
	unsigned seed = next_seed(m);

	m->calls++;
	*out_buf = buf; /* never NULL, even on failure (afl-fuzz treats NULL as fatal) */
	if (reserve(m, size > MUTANT_ROOM ? size : MUTANT_ROOM))
		return 0; /* afl-fuzz skips an empty mutant */
	cap = m->cap < max_size ? m->cap : max_size;
	if (add_buf && add_buf_size && seed % 4 == 0) {
		out = ptd_crossover_ops(buf, size, add_buf, add_buf_size, m->buf, cap, seed >> 2);
		m->last = "ptdiff-splice";
		m->splices += out > 0;
	}
	if (!out) { /* no splice, or it came out empty */
		memcpy(m->buf, buf, size);
		out = ptd_mutate_ops(m->buf, size, cap, seed);
		m->last = "ptdiff-ops";
		m->mutations++;
	}
	*out_buf = m->buf;
	return out;
}

const char *afl_custom_describe(void *data, size_t max_description_len)
{
	struct ptd_afl_mutator *m = data;
	(void)max_description_len; /* both names are far shorter than AFL's limit */
	return m->last;
}

void afl_custom_deinit(void *data)
{
	struct ptd_afl_mutator *m = data;
	if (!m)
		return;
	if (m->print_stats)
		fprintf(stderr,
			"ptdiff-afl-mutator: %llu calls: %llu op-level mutants, %llu splices\n",
			m->calls, m->mutations, m->splices);
	free(m->buf);
	free(m);
}
