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

static inline int seg_live(const struct tb *t, ptd_id_t id, uint64_t start, uint64_t end)
{
	const struct ptd_segment_view *v = tb_segment_view(t, id);

	return v && v->start == start && v->end == end;
}

static inline int unique_live(const struct tb *t, ptd_id_t id, uint64_t paddr)
{
	const struct ptd_unique_view *v = tb_unique_view(t, id);

	return v && v->paddr == paddr;
}

/* H, P and C of slot idx (POLICY §3 "Segments"): Frame handles at it, paths to it, live
 * segments covering it. */
static inline uint64_t slot_hpc(const struct tb *t, uint64_t idx)
{
	uint64_t n = tb_paths(t, idx);

	for (size_t i = 0; i < t->view.nframes; i++) {
		n += t->view.frames[i].paddr == idx * PG;
	}
	for (size_t i = 0; i < t->view.nsegments; i++) {
		n += t->view.segments[i].start <= idx * PG && idx * PG < t->view.segments[i].end;
	}
	return n;
}

/* The accounting invariant on every slot: a live Frame slot has rc == H + P + C; a UNIQUE
 * slot is a Frame held by exactly one UniqueFrame and nothing else; an UNUSED slot is held by
 * nothing. */
static inline int accounting_ok(const struct tb *t)
{
	for (uint64_t i = 0; i < TB_NFRAMES; i++) {
		const struct ptd_slot_view *s = tb_slot(t, i);
		size_t u = 0;

		for (size_t j = 0; j < t->view.nuniques; j++) {
			u += t->view.uniques[j].paddr == i * PG;
		}
		if (u != (s->rc == PTD_RC_UNIQUE)) {
			return 0;
		}
		if (s->rc == PTD_RC_UNIQUE) {
			if (s->usage != PTD_USAGE_FRAME || slot_hpc(t, i) != 0) {
				return 0;
			}
		} else if (s->rc == PTD_RC_UNUSED) {
			if (slot_hpc(t, i) != 0) {
				return 0;
			}
		} else if (s->usage == PTD_USAGE_FRAME && s->rc != slot_hpc(t, i)) {
			return 0;
		}
	}
	return 1;
}

/* Snapshot of the whole view (slots, paths, mappings, handles of every kind, frame contents),
 * to prove that a refused op changed nothing.  Lists compare in view order, which an op that
 * changes nothing leaves as it was. */
#define VIEW_SNAP_CAP 256
struct view_snap {
	struct slot_snap slots;
	size_t nmaps, nvmspaces, ncursors, nframes, nsegments, nuniques, nios, ncontents;
	struct ptd_mapping_view maps[VIEW_SNAP_CAP];
	ptd_id_t vmspaces[VIEW_SNAP_CAP];
	struct ptd_cursor_view cursors[VIEW_SNAP_CAP];
	struct ptd_frame_view frames[VIEW_SNAP_CAP];
	struct ptd_segment_view segments[VIEW_SNAP_CAP];
	struct ptd_unique_view uniques[VIEW_SNAP_CAP];
	struct ptd_io_view ios[VIEW_SNAP_CAP];
	struct ptd_content_view contents[VIEW_SNAP_CAP];
};

#define VIEW_SNAP_LIST(op, s, t, list, n)                                                  \
	op((s)->list, (t)->view.list,                                                     \
	   ((t)->view.n < VIEW_SNAP_CAP ? (t)->view.n : VIEW_SNAP_CAP) * sizeof (s)->list[0])

static inline void view_snap_take(const struct tb *t, struct view_snap *s)
{
	memset(s, 0, sizeof *s);
	snap_take(t, &s->slots);
	s->nmaps = t->view.nmaps;
	s->nvmspaces = t->view.nvmspaces;
	s->ncursors = t->view.ncursors;
	s->nframes = t->view.nframes;
	s->nsegments = t->view.nsegments;
	s->nuniques = t->view.nuniques;
	s->nios = t->view.nios;
	s->ncontents = t->view.ncontents;
	VIEW_SNAP_LIST(memcpy, s, t, maps, nmaps);
	VIEW_SNAP_LIST(memcpy, s, t, vmspaces, nvmspaces);
	VIEW_SNAP_LIST(memcpy, s, t, cursors, ncursors);
	VIEW_SNAP_LIST(memcpy, s, t, frames, nframes);
	VIEW_SNAP_LIST(memcpy, s, t, segments, nsegments);
	VIEW_SNAP_LIST(memcpy, s, t, uniques, nuniques);
	VIEW_SNAP_LIST(memcpy, s, t, ios, nios);
	VIEW_SNAP_LIST(memcpy, s, t, contents, ncontents);
}

static inline int view_snap_same(const struct tb *t, const struct view_snap *s)
{
	return snap_same(t, &s->slots) && s->nmaps == t->view.nmaps &&
	       s->nvmspaces == t->view.nvmspaces && s->ncursors == t->view.ncursors &&
	       s->nframes == t->view.nframes && s->nsegments == t->view.nsegments &&
	       s->nuniques == t->view.nuniques && s->nios == t->view.nios &&
	       s->ncontents == t->view.ncontents && VIEW_SNAP_LIST(memcmp, s, t, maps, nmaps) == 0 &&
	       VIEW_SNAP_LIST(memcmp, s, t, vmspaces, nvmspaces) == 0 &&
	       VIEW_SNAP_LIST(memcmp, s, t, cursors, ncursors) == 0 &&
	       VIEW_SNAP_LIST(memcmp, s, t, frames, nframes) == 0 &&
	       VIEW_SNAP_LIST(memcmp, s, t, segments, nsegments) == 0 &&
	       VIEW_SNAP_LIST(memcmp, s, t, uniques, nuniques) == 0 &&
	       VIEW_SNAP_LIST(memcmp, s, t, ios, nios) == 0 &&
	       VIEW_SNAP_LIST(memcmp, s, t, contents, ncontents) == 0;
}

/* Status st and every other result field zero: a refused op (POLICY §3: nothing changes, no
 * handle registered), or an op whose result is only its status. */
static inline int only_status(struct ptd_result r, enum ptd_status st)
{
	return r.status == (int32_t)st && !r.found && !r.tracked && !r.new_id && !r.new_id2 &&
	       !r.paddr && !r.va && !r.va_end && !r.count && !r.hash && !r.prop.flags &&
	       !r.prop.cache;
}

#endif /* PTDIFF_TESTS_CORE_TB_H */
