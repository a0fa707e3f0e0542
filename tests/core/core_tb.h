/* SPDX-License-Identifier: MIT */
/*
 * Shorthands for core's own unit tests (what tests/backend cannot see: PTE encoding, the
 * allocator, the cached path, recorded guard levels): access to core's internals behind the
 * backend (struct core), one-line op shorthands, and a snapshot of slots and paths to prove an
 * op changed neither.  The CHECK macros over a view are tests/tb_check.h.  Header-only so that
 * each test file stays one executable; every helper is static inline.
 */
#ifndef PTDIFF_TESTS_CORE_TB_H
#define PTDIFF_TESTS_CORE_TB_H

#include <stdlib.h>
#include <string.h>

#include "tb_check.h"
#include "core.h"

static inline struct core *tb_core(struct tb *t)
{
	return t->self;
}

static inline struct ptd_prop prop_of(uint8_t flags, uint8_t cache)
{
	return (struct ptd_prop){ .flags = flags, .cache = cache };
}

/* FrameFromUnused(paddr) then Map at the cursor; returns the Map result. */
static inline struct ptd_result map_new(struct tb *t, ptd_id_t c, uint64_t paddr,
					struct ptd_prop prop)
{
	struct ptd_result r = tb_frame(t, paddr);

	CHECK_EQ(r.status, PTD_OK);
	return tb_map(t, c, r.new_id, prop);
}

/* A fresh space and a mutable cursor over [start, end) on it. */
static inline ptd_id_t open_new(struct tb *t, ptd_id_t *vs, uint64_t start, uint64_t end)
{
	struct ptd_result r = tb_new_vs(t);

	*vs = r.new_id;
	r = tb_open(t, *vs, start, end, 1);
	CHECK_EQ(r.status, PTD_OK);
	return r.new_id;
}

/* Snapshot of every slot and every path, to prove an op changed no slot (while it may move a
 * cursor or register a handle). */
struct slot_snap {
	struct ptd_slot_view slots[TB_NFRAMES];
	size_t npaths;
	struct ptd_path_view paths[256];
};

static inline void snap_take(const struct tb *t, struct slot_snap *s)
{
	memcpy(s->slots, t->view.slots, sizeof s->slots);
	s->npaths = t->view.npaths < 256 ? t->view.npaths : 256;
	memcpy(s->paths, t->view.paths, s->npaths * sizeof s->paths[0]);
}

static inline int snap_same(const struct tb *t, const struct slot_snap *s)
{
	if (memcmp(s->slots, t->view.slots, sizeof s->slots) != 0 || s->npaths != t->view.npaths) {
		return 0;
	}
	/* Paths are in walk order, which an op that changes nothing leaves as it was. */
	return memcmp(s->paths, t->view.paths, s->npaths * sizeof s->paths[0]) == 0;
}

#endif /* PTDIFF_TESTS_CORE_TB_H */
