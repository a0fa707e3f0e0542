/* SPDX-License-Identifier: MIT */
/*
 * The runner's canonical order of a view (fuzz/run/state.c): whatever order a backend lists paths
 * and address spaces in, the captured state holds them sorted (paths by slot, then position;
 * ids ascending) and holds the same multiset.  Lists are sorted, reversed, random, one
 * swap-removal away from sorted, full of duplicates, and shorter and longer than the length at
 * which sorting switches from insertion to qsort.  The expected list is a qsort of a copy with
 * a comparator written here.  Each shape is captured into a view with room for every slot the
 * paths name (long path lists are then distributed by slot) and into one of a single slot (the
 * paths name slots it does not have: the general sort).  And the byte comparison of records,
 * ptd_bytes_equal(), against memcmp.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "prng.h"
#include "ptdiff/backend.h"
#include "state.h"

#define CAP 512

/* What the fake backend lists, in the order it lists them. */
static struct ptd_path_view src_paths[CAP];
static ptd_id_t src_ids[CAP];
static size_t src_n;

static void fake_view(void *self, struct ptd_view *out)
{
	(void)self;
	memcpy(out->paths, src_paths, src_n * sizeof *src_paths);
	out->npaths = src_n;
	memcpy(out->vmspaces, src_ids, src_n * sizeof *src_ids);
	out->nvmspaces = src_n;
}

static const struct ptd_backend fake = { .name = "fake", .view = fake_view };

static int path_order(const void *pa, const void *pb)
{
	const struct ptd_path_view *a = pa, *b = pb;
	if (a->slot != b->slot)
		return a->slot < b->slot ? -1 : 1;
	if (a->pos.vs != b->pos.vs)
		return a->pos.vs < b->pos.vs ? -1 : 1;
	if (a->pos.depth != b->pos.depth)
		return a->pos.depth < b->pos.depth ? -1 : 1;
	return a->pos.va < b->pos.va ? -1 : a->pos.va > b->pos.va;
}

static int id_order(const void *pa, const void *pb)
{
	ptd_id_t a = *(const ptd_id_t *)pa, b = *(const ptd_id_t *)pb;
	return a < b ? -1 : a > b;
}

enum shape { SORTED, REVERSED, RANDOM, SWAP_REMOVED, DUPLICATES, NR_SHAPES };

/* Fills src_* with n entries of the given shape (a few distinct values for DUPLICATES). */
static void fill(enum shape shape, size_t n, uint64_t *seed)
{
	uint64_t range = shape == DUPLICATES ? 3 : 1000;
	src_n = n;
	for (size_t i = 0; i < n; i++) {
		memset(&src_paths[i], 0, sizeof src_paths[i]);
		src_paths[i].slot = prng_next(seed) % range;
		src_paths[i].pos.vs = (ptd_id_t)(prng_next(seed) % 2 + 1);
		src_paths[i].pos.depth = (uint32_t)(prng_next(seed) % 4);
		src_paths[i].pos.va = (prng_next(seed) % range) * PTD_PAGE_SIZE;
		src_ids[i] = (ptd_id_t)(prng_next(seed) % range + 1);
	}
	if (shape == RANDOM || shape == DUPLICATES)
		return;
	qsort(src_paths, n, sizeof *src_paths, path_order);
	qsort(src_ids, n, sizeof *src_ids, id_order);
	if (shape == REVERSED) {
		for (size_t i = 0; i < n / 2; i++) {
			struct ptd_path_view p = src_paths[i];
			ptd_id_t id = src_ids[i];
			src_paths[i] = src_paths[n - 1 - i];
			src_paths[n - 1 - i] = p;
			src_ids[i] = src_ids[n - 1 - i];
			src_ids[n - 1 - i] = id;
		}
	} else if (shape == SWAP_REMOVED && n > 2) { /* the last entry moves into a hole */
		size_t hole = (size_t)(prng_next(seed) % (n - 1));
		src_paths[hole] = src_paths[n - 1];
		src_ids[hole] = src_ids[n - 1];
		src_n = n - 1;
	}
}

TEST(capture_sorts_every_shape)
{
	static const size_t lengths[] = { 0, 1, 2, 3, 10, 63, 64, 65, 200, CAP };
	static struct ptd_path_view want_paths[CAP];
	static ptd_id_t want_ids[CAP];
	static const uint64_t nslots[] = { 1000, 1 };
	struct ptd_state s;
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	for (size_t v = 0; v < sizeof nslots / sizeof nslots[0]; v++) {
		CHECK(ptd_state_init(&s, nslots[v], CAP) == 0);
		for (int shape = 0; shape < NR_SHAPES; shape++)
			for (size_t l = 0; l < sizeof lengths / sizeof lengths[0]; l++)
				for (int round = 0; round < 8; round++) {
					fill((enum shape)shape, lengths[l], &seed);
					memcpy(want_paths, src_paths, src_n * sizeof *src_paths);
					memcpy(want_ids, src_ids, src_n * sizeof *src_ids);
					qsort(want_paths, src_n, sizeof *want_paths, path_order);
					qsort(want_ids, src_n, sizeof *want_ids, id_order);
					CHECK(ptd_state_capture(&s, &fake, NULL) == 0);
					CHECK_EQ(s.view.npaths, src_n);
					CHECK_EQ(s.view.nvmspaces, src_n);
					CHECK(!memcmp(s.view.paths, want_paths,
						      src_n * sizeof *want_paths));
					CHECK(!memcmp(s.view.vmspaces, want_ids,
						      src_n * sizeof *want_ids));
				}
		ptd_state_fini(&s);
	}
}

/* ptd_bytes_equal() gives memcmp's answer for every length up to five words and a byte, every
 * position of a difference (word part and tail) and unaligned starts. */
TEST(bytes_equal_is_memcmp)
{
	unsigned char a[48], b[48];

	for (size_t off = 0; off < 3; off++)
		for (size_t n = 0; n <= 41; n++) {
			for (size_t i = 0; i < sizeof a; i++)
				a[i] = b[i] = (unsigned char)(i * 37 + 1);
			CHECK(ptd_bytes_equal(a + off, b + off, n));
			for (size_t at = 0; at < n; at++) {
				b[off + at] ^= 0x80;
				CHECK(!ptd_bytes_equal(a + off, b + off, n));
				CHECK_EQ(memcmp(a + off, b + off, n) != 0, 1);
				b[off + at] ^= 0x80;
			}
			/* A difference just past the range is not seen. */
			b[off + n] ^= 1;
			CHECK(ptd_bytes_equal(a + off, b + off, n));
		}
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(capture_sorts_every_shape), PTD_TEST_ENTRY(bytes_equal_is_memcmp))
