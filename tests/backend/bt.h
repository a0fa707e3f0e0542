/* SPDX-License-Identifier: MIT */
/*
 * Behaviour tests run against either backend: each tests/backend/test_*.c is one executable
 * whose first argument names the backend under test ("core" or "oracle"), so every behaviour
 * both sides must share is written once and run twice (ctest: backend/<file>/<side>).
 *
 * A side adds only what the interface cannot do: writing a slot directly, to reach states no op
 * sequence reaches in a test (a count at PTD_RC_MAX), and optional internal counters, checked
 * where the side keeps them (its free pool frames and a node's present entries, which must agree
 * with the view; its walk steps, which bound what a range op costs).  It also holds the expected
 * bytes of frames and kernel memory, which tests build by hand from ptd_io_byte() and
 * ptd_kernel_byte().
 */
#ifndef PTDIFF_TESTS_BACKEND_BT_H
#define PTDIFF_TESTS_BACKEND_BT_H

#include "tb_check.h"

struct bt_side {
	const char *name;
	const struct ptd_backend *be;
	/* Write slot idx directly: rc and usage, storage and vtable initialised iff rc is not
	 * UNUSED.  White box, for states out of reach of ops; the caller refreshes the view. */
	void (*poke_slot)(void *self, uint64_t idx, uint64_t rc, uint8_t usage);
	/* Optional (NULL: none): the side's own count of free page-table pool frames, which must
	 * equal what the view shows (tb_free_pool_slots). */
	uint64_t (*pool_free)(void *self);
	/* Optional: the side's own count of present entries in the node at slot idx, which must
	 * equal what the view shows (bt_node_entries). */
	uint64_t (*node_children)(void *self, uint64_t idx);
	/* Optional: the page-table entries the side's walks have visited so far, for bounds on
	 * what searching or unmapping empty space costs (CHECK_WALK_STEPS). */
	uint64_t (*walk_steps)(void *self);
};

extern const struct bt_side bt_side_core;
extern const struct bt_side bt_side_oracle;
/* The side under test, set by main from its first argument. */
extern const struct bt_side *bt_side;

/* A fresh machine (backend_util.h) of the side under test. */
static inline void bt_init(struct tb *t)
{
	tb_init(t, bt_side->be);
}

/* A fresh machine with the expected bytes reset, one space (id 1) and a mutable cursor (id 2)
 * over [0, 64 KiB) on it: root 32, L3 33, L2 34, L1 35 (guard level 1). */
struct bt_env {
	struct tb t;
	ptd_id_t vs, c;
};

struct tb *bt_env_init(struct bt_env *e);

/* Nothing is live: every slot UNUSED with usage Unused and nothing initialised, no paths, and
 * every list of the view empty (docs/POLICY.md §1, the initial state and what Reset leaves). */
void bt_check_empty(const struct tb *t);

/* White-box write of slot idx (struct bt_side), then a fresh view. */
void bt_poke(struct tb *t, uint64_t idx, uint64_t rc, uint8_t usage);

/* FrameFromUnused at slot idx, which must succeed; returns the handle. */
ptd_id_t bt_frame(struct tb *t, uint64_t idx);
/* NewReader (writer 0) or NewWriter, NewKernelReader or NewKernelWriter that must succeed. */
ptd_id_t bt_new_io(struct tb *t, ptd_id_t vs, uint64_t va, uint64_t len, int writer);
ptd_id_t bt_new_kio(struct tb *t, uint64_t offset, uint64_t len, int writer);
/* FrameFromUnused at slot idx and Map it at va through cursor c. */
void bt_map_slot(struct tb *t, ptd_id_t c, uint64_t va, uint64_t idx, struct ptd_prop prop);
/* NewVmSpace and a mutable cursor over [start, end) on it; returns the cursor. */
ptd_id_t bt_open_new(struct tb *t, ptd_id_t *vs, uint64_t start, uint64_t end);
/* A fresh machine (bt_init), a space (*vs = 1) and a cursor over [start, end) on it, mutable iff
 * mut (id 2), both of which must succeed; returns the cursor. */
ptd_id_t bt_start(struct tb *t, ptd_id_t *vs, uint64_t start, uint64_t end, int mut);
/* bt_start with a mutable cursor, then a frame at slot idx mapped at va (bt_map_slot: the frame
 * is handle 3, the cursor ends at va + 4 KiB); returns the cursor. */
ptd_id_t bt_open_mapped(struct tb *t, ptd_id_t *vs, uint64_t start, uint64_t end, uint64_t va,
			uint64_t idx, struct ptd_prop prop);

/* The number of free pool frames is n, in the view and, where the side counts them itself,
 * in the side's allocator. */
#define CHECK_POOL_FREE(t, n)                                         \
	do {                                                          \
		CHECK_EQ(tb_free_pool_slots(t), (n));                 \
		if (bt_side->pool_free)                               \
			CHECK_EQ(bt_side->pool_free((t)->self), (n)); \
	} while (0)

/* The present entries of the node at slot idx, from the view: for a level-1 node the mappings
 * of its space in its span, for a higher node the nodes one level down in its span.  The slot
 * must hold a node with one path. */
uint64_t bt_node_entries(const struct tb *t, uint64_t idx);

/* The node at slot idx has n present entries, in the view and, where the side counts them
 * itself, in the side's node. */
#define CHECK_NODE_ENTRIES(t, idx, n)                                            \
	do {                                                                     \
		CHECK_EQ(bt_node_entries((t), (idx)), (n));                      \
		if (bt_side->node_children)                                      \
			CHECK_EQ(bt_side->node_children((t)->self, (idx)), (n)); \
	} while (0)

/* The side's walk-step count, 0 where it keeps none. */
static inline uint64_t bt_walk_steps(const struct tb *t)
{
	return bt_side->walk_steps ? bt_side->walk_steps(t->self) : 0;
}

/* Since bt_walk_steps() returned since, the side's walks visited at most max entries (checked
 * where the side counts them). */
#define CHECK_WALK_STEPS(t, since, max)                             \
	do {                                                        \
		if (bt_side->walk_steps)                            \
			CHECK(bt_walk_steps(t) - (since) <= (max)); \
	} while (0)

/* The view's slots and paths equal the snapshot's (an op changed no slot, while it may move a
 * cursor, add a mapping or register a handle). */
int bt_slots_same(const struct tb *t, const struct tb_snap *s);

/* Literals of the hash ops return for the bytes they moved: XXH3-64, seed 0 (docs/POLICY.md
 * "Readers and writers"), computed once with XXH3_64bits(). */
#define HASH_EMPTY UINT64_C(0x2d06800538d394c2)     /* of no bytes */
#define HASH_ZERO_BYTE UINT64_C(0xc44bdff4074eecdb) /* of one zero byte */
#define HASH_ZERO_PAGE UINT64_C(0x93d76fe148c689ba) /* of 4096 zero bytes */
#define HASH_A UINT64_C(0xe6c632b61e964e1f)         /* of the one byte 'a' */
#define HASH_7C UINT64_C(0xd2c01b55883c7cd1)        /* of the one byte 0x7c */
#define HASH_5A UINT64_C(0x2753d05a8f320003)        /* of the one byte 0x5a */

/* Expected bytes: every frame (zero at first) and kernel memory (ptd_kernel_byte at first). */
extern uint8_t bt_frames[TB_NFRAMES][PTD_PAGE_SIZE];
extern uint8_t bt_kernel[PTD_KERNEL_BYTES];

void bt_model_reset(void);
/* The bytes IoWrite(seed) puts at frame offset off..off+n-1 when the first of them is byte k0
 * of the writer's range. */
void bt_model_write(uint64_t slot, uint64_t off, uint64_t n, uint64_t seed, uint64_t k0);
/* The view's contents[] is exactly the model: every non-zero frame with its contents hash,
 * nothing else. */
int bt_contents_match(const struct tb *t);
/* The view's kernel_hash is the contents hash of the model's kernel memory. */
int bt_kernel_match(const struct tb *t);
/* The moved-bytes hash (tb_moved_hash()) of ptd_io_byte(seed, k) for k in [k0, k0 + n),
 * n <= 8192. */
uint64_t bt_moved_hash_seq(uint64_t seed, uint64_t k0, size_t n);

int bt_main(const struct ptd_test *tests, size_t n, int argc, char **argv);

/* main(): argv[1] names the side, the rest (if any) the tests to run. */
#define PTD_BACKEND_TEST_MAIN(...)                                                    \
	int main(int argc, char **argv)                                               \
	{                                                                             \
		static const struct ptd_test tests_[] = { __VA_ARGS__ };              \
		return bt_main(tests_, sizeof tests_ / sizeof tests_[0], argc, argv); \
	}

#endif /* PTDIFF_TESTS_BACKEND_BT_H */
