/* SPDX-License-Identifier: MIT */
/*
 * Shorthands for the core unit tests: one function per op (built on tb_apply from
 * backend_util.h), access to core's internals behind the backend (struct core), and
 * snapshots to prove "nothing changed".  Header-only so that each test file stays one
 * executable; every helper is static inline.
 */
#ifndef PTDIFF_TESTS_CORE_TB_H
#define PTDIFF_TESTS_CORE_TB_H

#include <stdlib.h>
#include <string.h>

#include "backend_util.h"
#include "check.h"
#include "core.h"

#define KIB 0x400ull
#define MIB 0x100000ull
#define GIB 0x40000000ull
#define PG PTD_PAGE_SIZE

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

static inline int frame_live(const struct tb *t, ptd_id_t id, uint64_t paddr)
{
	for (size_t i = 0; i < t->view.nframes; i++) {
		if (t->view.frames[i].id == id) {
			return t->view.frames[i].paddr == paddr;
		}
	}
	return 0;
}

static inline int vs_live(const struct tb *t, ptd_id_t vs)
{
	for (size_t i = 0; i < t->view.nvmspaces; i++) {
		if (t->view.vmspaces[i] == vs) {
			return 1;
		}
	}
	return 0;
}

/* The slot is exactly as in the initial state. */
static inline int slot_initial(const struct tb *t, uint64_t idx)
{
	const struct ptd_slot_view *s = tb_slot(t, idx);

	return s->rc == PTD_RC_UNUSED && s->usage == PTD_USAGE_UNUSED && !s->storage_init &&
	       !s->vtable_init && s->in_list == 0 && tb_paths(t, idx) == 0;
}

/* A torn-down slot (POLICY §2): UNUSED, uninitialised, usage kept. */
static inline int slot_torn_down(const struct tb *t, uint64_t idx, uint8_t usage)
{
	const struct ptd_slot_view *s = tb_slot(t, idx);

	return s->rc == PTD_RC_UNUSED && s->usage == usage && !s->storage_init &&
	       !s->vtable_init && s->in_list == 0 && tb_paths(t, idx) == 0;
}

/* A live slot with rc and usage, initialised. */
static inline int slot_live(const struct tb *t, uint64_t idx, uint64_t rc, uint8_t usage)
{
	const struct ptd_slot_view *s = tb_slot(t, idx);

	return s->rc == rc && s->usage == usage && s->storage_init && s->vtable_init &&
	       s->in_list == 0;
}

/* Snapshot of every slot and every path, to prove an op changed no slot. */
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
