/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the oracle's unit tests: one-line op shorthands over tb_apply(), a view
 * snapshot to prove "nothing changed", slot checks that report the caller's line, and the
 * accounting invariant rc == H + P + C (docs/CONTRACTS.md#accounting-inv) computed from the view.
 * Everything is static inline so each test file takes what it uses.
 */
#ifndef PTDIFF_TESTS_ORACLE_UTIL_H
#define PTDIFF_TESTS_ORACLE_UTIL_H

#include <stdlib.h>
#include <string.h>

#include "backend_util.h"
#include "check.h"

#define PG PTD_PAGE_SIZE
#define MIB (1024ull * 1024ull)
#define GIB (1024ull * MIB)

#define OU_PROP_RW ((struct ptd_prop){ .flags = PTD_PF_W, .cache = PTD_CACHE_WB })

/* A frame handle at slot idx, claimed with FrameFromUnused; returns its id. */
static inline ptd_id_t ou_frame(struct tb *t, uint64_t idx)
{
	struct ptd_result r = tb_frame(t, idx * PG);
	CHECK_EQ(r.status, PTD_OK);
	return r.new_id;
}

/* Whether Frame handle id is live at paddr. */
static inline int ou_has_handle(const struct tb *t, ptd_id_t id, uint64_t paddr)
{
	for (size_t i = 0; i < t->view.nframes; i++)
		if (t->view.frames[i].id == id)
			return t->view.frames[i].paddr == paddr;
	return 0;
}

static inline int ou_has_vs(const struct tb *t, ptd_id_t id)
{
	for (size_t i = 0; i < t->view.nvmspaces; i++)
		if (t->view.vmspaces[i] == id)
			return 1;
	return 0;
}

/* Slot idx is in use with rc, usage, storage and vtable initialised, in_list 0. */
#define CHECK_SLOT_LIVE(t, idx, want_rc, want_usage)                        \
	do {                                                                \
		const struct ptd_slot_view *s_ = tb_slot((t), (idx));       \
		CHECK_EQ(s_->rc, (want_rc));                                \
		CHECK_EQ(s_->usage, (want_usage));                          \
		CHECK_EQ(s_->storage_init, 1);                              \
		CHECK_EQ(s_->vtable_init, 1);                               \
		CHECK_EQ(s_->in_list, 0);                                   \
	} while (0)

/* Slot idx is free (UNUSED, nothing initialised, no paths) and remembers usage. */
#define CHECK_SLOT_FREE(t, idx, want_usage)                                 \
	do {                                                                \
		const struct ptd_slot_view *s_ = tb_slot((t), (idx));       \
		CHECK_EQ(s_->rc, PTD_RC_UNUSED);                            \
		CHECK_EQ(s_->usage, (want_usage));                          \
		CHECK_EQ(s_->storage_init, 0);                              \
		CHECK_EQ(s_->vtable_init, 0);                               \
		CHECK_EQ(s_->in_list, 0);                                   \
		CHECK_EQ(tb_paths((t), (idx)), 0);                          \
	} while (0)

/* A live page-table node at slot idx whose only path is (vs, depth, va). */
#define CHECK_NODE(t, idx, vs, depth, va)                                   \
	do {                                                                \
		CHECK_SLOT_LIVE((t), (idx), 1, PTD_USAGE_PAGE_TABLE);       \
		CHECK_EQ(tb_paths((t), (idx)), 1);                          \
		CHECK(tb_has_path((t), (idx), (vs), (depth), (va)));        \
	} while (0)

/*
 * Accounting invariant (docs/CONTRACTS.md#accounting-inv A1-A3, with the segment-cover term C) and
 * the handle clauses of structural_inv (docs/CONTRACTS.md#structural-inv items 5-7), from the view.
 * Per slot i: H = Frame handles at i, P = |paths(i)|, C = live segments covering i, U = unique
 * frames at i.
 *   A1: rc UNUSED => H = P = C = U = 0.
 *   A2/A3: usage Frame, rc neither UNUSED nor UNIQUE => rc == H + P + C > 0, storage init.
 *   item 7: U > 0 => U == 1, usage Frame, rc UNIQUE, in_list 0, H = P = C = 0; rc UNIQUE => U == 1.
 *   items 5-6: H > 0 or C > 0 => usage Frame.
 * Returns the number of slots that break it (printing each).
 */
static inline int ou_accounting_violations(const struct tb *t)
{
	int bad = 0;
	for (uint64_t i = 0; i < TB_NFRAMES; i++) {
		const struct ptd_slot_view *s = tb_slot(t, i);
		const uint64_t pa = i * PG;
		uint64_t h = 0, p = tb_paths(t, i), c = 0, u = 0;
		int ok = 1;
		for (size_t k = 0; k < t->view.nframes; k++)
			h += t->view.frames[k].paddr == pa;
		for (size_t k = 0; k < t->view.nsegments; k++)
			c += t->view.segments[k].start <= pa && pa < t->view.segments[k].end;
		for (size_t k = 0; k < t->view.nuniques; k++)
			u += t->view.uniques[k].paddr == pa;
		if (s->rc == PTD_RC_UNUSED) {
			ok = !h && !p && !c && !u;
		} else if (s->rc == PTD_RC_UNIQUE) {
			ok = u == 1 && !h && !p && !c && s->usage == PTD_USAGE_FRAME &&
			     s->in_list == 0 && s->storage_init;
		} else if (s->usage == PTD_USAGE_FRAME) {
			ok = !u && s->rc == h + p + c && h + p + c > 0 && s->storage_init;
		} else {
			ok = !u && !h && !c;
		}
		if (!ok) {
			fprintf(stderr, "  slot %" PRIu64 ": rc=%" PRIu64 " usage=%u H=%" PRIu64
				" P=%" PRIu64 " C=%" PRIu64 " U=%" PRIu64 "\n", i, s->rc,
				(unsigned)s->usage, h, p, c, u);
			bad++;
		}
	}
	return bad;
}

/* Whether segment id is live as [start, end). */
static inline int ou_has_segment(const struct tb *t, ptd_id_t id, uint64_t start, uint64_t end)
{
	const struct ptd_segment_view *v = tb_segment_view(t, id);
	return v && v->start == start && v->end == end;
}

/* Whether unique frame id is live at paddr. */
static inline int ou_has_unique(const struct tb *t, ptd_id_t id, uint64_t paddr)
{
	const struct ptd_unique_view *v = tb_unique_view(t, id);
	return v && v->paddr == paddr;
}

/* Re-take the view after a white-box write to the backend's state (not an op). */
static inline void ou_refresh(struct tb *t)
{
	t->view.npaths = t->view.nmaps = t->view.nvmspaces = 0;
	t->view.ncursors = t->view.nframes = t->view.nsegments = t->view.nuniques = 0;
	t->view.nios = t->view.ncontents = 0;
	t->view.overflow = 0;
	t->be->view(t->self, &t->view);
}

/* A copy of a view, to prove that a refused op changed nothing. */
struct ou_snap {
	struct ptd_view v;
};

static inline void *ou_dup(const void *p, size_t n, size_t size)
{
	void *q = malloc(n ? n * size : 1);
	if (!q)
		abort();
	if (n)
		memcpy(q, p, n * size);
	return q;
}

static inline struct ou_snap ou_snap(const struct tb *t)
{
	struct ou_snap s = { .v = t->view };
	s.v.slots = ou_dup(t->view.slots, TB_NFRAMES, sizeof *s.v.slots);
	s.v.paths = ou_dup(t->view.paths, t->view.npaths, sizeof *s.v.paths);
	s.v.maps = ou_dup(t->view.maps, t->view.nmaps, sizeof *s.v.maps);
	s.v.vmspaces = ou_dup(t->view.vmspaces, t->view.nvmspaces, sizeof *s.v.vmspaces);
	s.v.cursors = ou_dup(t->view.cursors, t->view.ncursors, sizeof *s.v.cursors);
	s.v.frames = ou_dup(t->view.frames, t->view.nframes, sizeof *s.v.frames);
	s.v.segments = ou_dup(t->view.segments, t->view.nsegments, sizeof *s.v.segments);
	s.v.uniques = ou_dup(t->view.uniques, t->view.nuniques, sizeof *s.v.uniques);
	s.v.ios = ou_dup(t->view.ios, t->view.nios, sizeof *s.v.ios);
	s.v.contents = ou_dup(t->view.contents, t->view.ncontents, sizeof *s.v.contents);
	return s;
}

static inline void ou_snap_free(struct ou_snap *s)
{
	free(s->v.slots);
	free(s->v.paths);
	free(s->v.maps);
	free(s->v.vmspaces);
	free(s->v.cursors);
	free(s->v.frames);
	free(s->v.segments);
	free(s->v.uniques);
	free(s->v.ios);
	free(s->v.contents);
}

/* Field-by-field equality of the current view and a snapshot (same order: nothing ran). */
static inline int ou_same(const struct tb *t, const struct ou_snap *s)
{
	const struct ptd_view *a = &t->view, *b = &s->v;
	if (a->npaths != b->npaths || a->nmaps != b->nmaps || a->nvmspaces != b->nvmspaces ||
	    a->ncursors != b->ncursors || a->nframes != b->nframes ||
	    a->nsegments != b->nsegments || a->nuniques != b->nuniques || a->nios != b->nios ||
	    a->ncontents != b->ncontents || a->kernel_hash != b->kernel_hash)
		return 0;
	for (uint64_t i = 0; i < TB_NFRAMES; i++) {
		const struct ptd_slot_view *x = &a->slots[i], *y = &b->slots[i];
		if (x->rc != y->rc || x->in_list != y->in_list || x->usage != y->usage ||
		    x->storage_init != y->storage_init || x->vtable_init != y->vtable_init)
			return 0;
	}
	for (size_t i = 0; i < a->npaths; i++) {
		const struct ptd_path_view *x = &a->paths[i], *y = &b->paths[i];
		if (x->slot != y->slot || x->pos.vs != y->pos.vs || x->pos.depth != y->pos.depth ||
		    x->pos.va != y->pos.va)
			return 0;
	}
	for (size_t i = 0; i < a->nmaps; i++) {
		const struct ptd_mapping_view *x = &a->maps[i], *y = &b->maps[i];
		if (x->vs != y->vs || x->tracked != y->tracked || x->va != y->va ||
		    x->pa != y->pa || x->prop.flags != y->prop.flags ||
		    x->prop.cache != y->prop.cache)
			return 0;
	}
	for (size_t i = 0; i < a->nvmspaces; i++)
		if (a->vmspaces[i] != b->vmspaces[i])
			return 0;
	for (size_t i = 0; i < a->ncursors; i++) {
		const struct ptd_cursor_view *x = &a->cursors[i], *y = &b->cursors[i];
		if (x->id != y->id || x->vs != y->vs || x->kind != y->kind ||
		    x->start != y->start || x->end != y->end || x->va != y->va)
			return 0;
	}
	for (size_t i = 0; i < a->nframes; i++)
		if (a->frames[i].id != b->frames[i].id || a->frames[i].paddr != b->frames[i].paddr)
			return 0;
	for (size_t i = 0; i < a->nsegments; i++)
		if (a->segments[i].id != b->segments[i].id ||
		    a->segments[i].start != b->segments[i].start ||
		    a->segments[i].end != b->segments[i].end)
			return 0;
	for (size_t i = 0; i < a->nuniques; i++)
		if (a->uniques[i].id != b->uniques[i].id ||
		    a->uniques[i].paddr != b->uniques[i].paddr)
			return 0;
	for (size_t i = 0; i < a->nios; i++) {
		const struct ptd_io_view *x = &a->ios[i], *y = &b->ios[i];
		if (x->id != y->id || x->vs != y->vs || x->kind != y->kind ||
		    x->start != y->start || x->cursor != y->cursor || x->end != y->end)
			return 0;
	}
	for (size_t i = 0; i < a->ncontents; i++)
		if (a->contents[i].slot != b->contents[i].slot ||
		    a->contents[i].hash != b->contents[i].hash)
			return 0;
	return 1;
}

/* A refused op: status want, every other result field zero, and the whole view unchanged. */
#define CHECK_REFUSED(t, op_expr, want)                                     \
	do {                                                                \
		struct ou_snap before_ = ou_snap(t);                        \
		struct ptd_result r_ = (op_expr);                           \
		CHECK_EQ(r_.status, (want));                                \
		CHECK_EQ(r_.found, 0);                                      \
		CHECK_EQ(r_.tracked, 0);                                    \
		CHECK_EQ(r_.new_id, 0);                                     \
		CHECK_EQ(r_.new_id2, 0);                                    \
		CHECK_EQ(r_.paddr, 0);                                      \
		CHECK_EQ(r_.va, 0);                                         \
		CHECK_EQ(r_.va_end, 0);                                     \
		CHECK_EQ(r_.count, 0);                                      \
		CHECK_EQ(r_.hash, 0);                                       \
		CHECK_EQ(r_.prop.flags, 0);                                 \
		CHECK_EQ(r_.prop.cache, 0);                                 \
		CHECK(ou_same((t), &before_));                              \
		ou_snap_free(&before_);                                     \
	} while (0)

/* Reader/writer id is live with exactly these fields. */
#define CHECK_IO(t, id, want_vs, want_kind, want_start, want_cursor, want_end)       \
	do {                                                                           \
		const struct ptd_io_view *v_ = tb_io_view((t), (id));                  \
		CHECK(v_ != NULL);                                                     \
		if (v_) {                                                              \
			CHECK_EQ(v_->vs, (want_vs));                                   \
			CHECK_EQ(v_->kind, (want_kind));                               \
			CHECK_EQ(v_->start, (want_start));                             \
			CHECK_EQ(v_->cursor, (want_cursor));                           \
			CHECK_EQ(v_->end, (want_end));                                 \
		}                                                                      \
	} while (0)

/* A byte move's result: status, count and hash; every other field zero. */
#define CHECK_MOVE(r_expr, want_status, want_count, want_hash)                        \
	do {                                                                           \
		struct ptd_result m_ = (r_expr);                                       \
		CHECK_EQ(m_.status, (want_status));                                    \
		CHECK_EQ(m_.count, (want_count));                                      \
		CHECK_EQ(m_.hash, (want_hash));                                        \
		CHECK_EQ(m_.new_id + m_.new_id2 + m_.found + m_.tracked + m_.paddr, 0); \
		CHECK_EQ(m_.va + m_.va_end + m_.prop.flags + m_.prop.cache, 0);        \
	} while (0)

#endif /* PTDIFF_TESTS_ORACLE_UTIL_H */
