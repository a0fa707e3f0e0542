/* SPDX-License-Identifier: MIT */
/*
 * One function per vostd contract, named after it.  Sections cited are docs/CONTRACTS.md's; each
 * function states the `ensures` of the `_embedded` axiom over slot owners (rc, usage, in_list,
 * storage, vtable, paths_in_pt) and the handle registries, and nothing an implementation
 * could share with core/ or oracle/: it sees only the two views and the op.
 */
#include "contract.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "state.h"

const char *const ptd_contract_exemptions[] = {
	"unmap-release",        /* policy R: Unmap tears a frame down at its last reference */
	"map-replace-release",  /* policy R: Map over a mapped page releases the old frame */
	"drop-vmspace-release", /* policy R: DropVmSpace frees nodes and releases mappings */
	NULL
};

int ptd_contract_init(struct ptd_contract_checker *c, uint64_t nslots)
{
	c->nslots = nslots;
	c->strict = 0;
	c->may_change = calloc(nslots, 1);
	return c->may_change ? 0 : -1;
}

void ptd_contract_fini(struct ptd_contract_checker *c)
{
	free(c->may_change);
	c->may_change = NULL;
}

/* ---- reading views ---- */

struct ctx {
	struct ptd_contract_checker *c;
	const struct ptd_view *pre, *post;
	const struct ptd_op *op;
	const struct ptd_result *res;
	struct ptd_contract_failure *f;
	const char *contract;
};

static int fail(struct ctx *x, const char *clause, const char *fmt, ...)
{
	va_list ap;
	x->f->contract = x->contract;
	x->f->clause = clause;
	va_start(ap, fmt);
	vsnprintf(x->f->detail, sizeof x->f->detail, fmt, ap);
	va_end(ap);
	return -1;
}

static size_t npaths(const struct ptd_view *v, uint64_t i)
{
	size_t a, b;
	ptd_state_slot_paths(v, i, &a, &b);
	return b - a;
}

static int has_path(const struct ptd_view *v, uint64_t i, struct ptd_pos pos)
{
	size_t a, b;
	ptd_state_slot_paths(v, i, &a, &b);
	for (; a < b; a++)
		if (!ptd_pos_cmp(&v->paths[a].pos, &pos))
			return 1;
	return 0;
}

/* paths(post, i) == paths(pre, i) plus `added` (if non-NULL) minus `removed` (if non-NULL). */
static int paths_are(const struct ptd_view *pre, const struct ptd_view *post, uint64_t i,
		     const struct ptd_pos *added, const struct ptd_pos *removed)
{
	size_t want = npaths(pre, i) + (added != NULL) - (removed != NULL), a, b;
	if (removed && !has_path(pre, i, *removed))
		return 0;
	if (npaths(post, i) != want)
		return 0;
	ptd_state_slot_paths(post, i, &a, &b);
	for (; a < b; a++) { /* every post position was there before, or is the added one */
		const struct ptd_pos *p = &post->paths[a].pos;
		if (added && !ptd_pos_cmp(p, added))
			continue;
		if (!has_path(pre, i, *p))
			return 0;
	}
	return !added || has_path(post, i, *added);
}

static const struct ptd_slot_view *pre_slot(const struct ctx *x, uint64_t i)
{
	return &x->pre->slots[i];
}

static const struct ptd_slot_view *post_slot(const struct ctx *x, uint64_t i)
{
	return &x->post->slots[i];
}

static int frame_paddr(const struct ptd_view *v, ptd_id_t id, ptd_paddr_t *pa)
{
	for (size_t i = 0; i < v->nframes; i++)
		if (v->frames[i].id == id) {
			*pa = v->frames[i].paddr;
			return 1;
		}
	return 0;
}

static const struct ptd_cursor_view *cursor_of(const struct ptd_view *v, ptd_id_t id)
{
	for (size_t i = 0; i < v->ncursors; i++)
		if (v->cursors[i].id == id)
			return &v->cursors[i];
	return NULL;
}

static const struct ptd_segment_view *segment_of(const struct ptd_view *v, ptd_id_t id)
{
	for (size_t i = 0; i < v->nsegments; i++)
		if (v->segments[i].id == id)
			return &v->segments[i];
	return NULL;
}

static const struct ptd_mapping_view *mapping_of(const struct ptd_view *v, ptd_id_t vs,
						 ptd_vaddr_t va)
{
	for (size_t i = 0; i < v->nmaps; i++)
		if (v->maps[i].vs == vs && v->maps[i].va == va)
			return &v->maps[i];
	return NULL;
}

static int valid_frame_paddr(const struct ctx *x, ptd_paddr_t pa)
{
	return pa % PTD_PAGE_SIZE == 0 && pa / PTD_PAGE_SIZE < x->pre->nslots;
}

/* ---- the shapes of clauses most contracts share ---- */

/* The first slot >= i a scan over all slots must visit (c->only: the slots that may differ). */
static uint64_t scan_from(const struct ctx *x, uint64_t i)
{
	const uint64_t *only = x->c->only;
	uint64_t n = x->pre->nslots, w, m;
	if (!only || i >= n)
		return i;
	w = i / 64;
	m = only[w] & (~UINT64_C(0) << (i % 64));
	while (!m) {
		if (++w * 64 >= n)
			return n;
		m = only[w];
	}
	i = w * 64 + (uint64_t)__builtin_ctzll(m);
	return i < n ? i : n;
}

#define FOR_EACH_SLOT(x, i) for (uint64_t i = scan_from(x, 0); i < (x)->pre->nslots; \
				 i = scan_from(x, i + 1))

/* Index of the next position in v->paths, from k on, of a slot the op may not change. */
static size_t next_fixed_path(const struct ctx *x, const struct ptd_view *v, size_t k)
{
	while (k < v->npaths && x->c->may_change[v->paths[k].slot])
		k++;
	return k;
}

static int paths_changed(struct ctx *x, uint64_t i)
{
	return fail(x, "others-unchanged", "slot %" PRIu64 "'s paths changed", i);
}

/* Slot i has the same multiset of paths in pre and post (both canonical: sorted by slot). */
static int slot_paths_kept(const struct ctx *x, uint64_t i)
{
	size_t a, b, c, d;
	ptd_state_slot_paths(x->pre, i, &a, &b);
	ptd_state_slot_paths(x->post, i, &c, &d);
	return b - a == d - c &&
	       !memcmp(&x->pre->paths[a], &x->post->paths[c], (b - a) * sizeof *x->pre->paths);
}

/* "forall i not in the op's slots: slot_owners[i] unchanged".  One pass over the slots and one
 * merge of the two canonical path lists, skipping the slots the op may change; with c->only,
 * the paths of those slots alone, looked up by binary search. */
static int others_unchanged(struct ctx *x)
{
	size_t a = 0, b = 0;
	FOR_EACH_SLOT(x, i) {
		if (x->c->may_change[i])
			continue;
		if (memcmp(&x->pre->slots[i], &x->post->slots[i], sizeof x->pre->slots[i]))
			return fail(x, "others-unchanged", "slot %" PRIu64 " changed", i);
		if (x->c->only && !slot_paths_kept(x, i))
			return paths_changed(x, i);
	}
	if (x->c->only)
		return 0;
	for (;;) {
		a = next_fixed_path(x, x->pre, a);
		b = next_fixed_path(x, x->post, b);
		if (a == x->pre->npaths || b == x->post->npaths)
			break;
		if (x->pre->paths[a].slot != x->post->paths[b].slot ||
		    ptd_pos_cmp(&x->pre->paths[a].pos, &x->post->paths[b].pos))
			break;
		a++, b++;
	}
	if (a != x->pre->npaths || b != x->post->npaths)
		return paths_changed(x, a < x->pre->npaths ? x->pre->paths[a].slot
							: x->post->paths[b].slot);
	return 0;
}

static int all_unchanged(struct ctx *x)
{
	memset(x->c->may_change, 0, x->pre->nslots);
	return others_unchanged(x);
}

/* Everything but slot t unchanged. */
static int only_slot_changed(struct ctx *x, uint64_t t)
{
	memset(x->c->may_change, 0, x->pre->nslots);
	x->c->may_change[t] = 1;
	return others_unchanged(x);
}

/* New page-table nodes (new_vmspace, open_cursor, map): a slot that was UNUSED may become a
 * live non-Frame slot; in_list stays. */
static int allow_new_nodes(struct ctx *x)
{
	FOR_EACH_SLOT(x, i) {
		const struct ptd_slot_view *a = pre_slot(x, i), *b = post_slot(x, i);
		if (a->rc != PTD_RC_UNUSED || b->rc == PTD_RC_UNUSED)
			continue;
		if (b->usage == PTD_USAGE_FRAME || b->in_list != a->in_list)
			return fail(x, "new-node", "slot %" PRIu64 " was UNUSED, now usage %u in_list %"
				    PRIu64, i, b->usage, b->in_list);
		x->c->may_change[i] = 1;
	}
	return 0;
}

/* The unmap relation at one Frame slot (cursor_mut_unmap_embedded): rc and |paths| drop by the
 * same k >= 0, rc never 0; usage, in_list, vtable kept.  Reaching UNUSED is the contract's
 * weakness (docs/CONTRACTS.md#inc-4): allowed only as the named exemption, when every reference
 * left. */
static int released_together(struct ctx *x, uint64_t i, const char *exemption)
{
	const struct ptd_slot_view *a = pre_slot(x, i), *b = post_slot(x, i);
	uint64_t pa = npaths(x->pre, i), pb = npaths(x->post, i);
	if (b->usage != a->usage || b->in_list != a->in_list || pb > pa)
		return fail(x, "frame-kept", "slot %" PRIu64 ": usage/in_list changed or paths grew",
			    i);
	if (b->rc == PTD_RC_UNUSED && a->rc != PTD_RC_UNUSED) {
		if (x->c->strict)
			return fail(x, exemption, "slot %" PRIu64 " torn down (contract: rc never "
				    "reaches UNUSED here)", i);
		if (a->rc != pa - pb || pb || b->storage_init || b->vtable_init)
			return fail(x, "teardown", "slot %" PRIu64 ": torn down with rc %" PRIu64
				    " and %" PRIu64 " -> %" PRIu64 " paths", i, a->rc, pa, pb);
		return 0;
	}
	if (b->rc > a->rc || b->rc == 0 || b->rc + pa != a->rc + pb ||
	    b->vtable_init != a->vtable_init || b->storage_init != a->storage_init)
		return fail(x, "rc-paths-together", "slot %" PRIu64 ": rc %" PRIu64 " -> %" PRIu64
			    ", paths %" PRIu64 " -> %" PRIu64, i, a->rc, b->rc, pa, pb);
	return 0;
}

/* ---- one function per contract ---- */

/* cursor_query_embedded (the seed, docs/CONTRACTS.md#query): None => every slot unchanged; Some(pa)
 * => pa valid, was a Frame, rc + 1 <= MAX, every other field of that slot and every other slot
 * unchanged, and a new FrameEntry at pa. */
static int cursor_query_embedded(struct ctx *x)
{
	ptd_paddr_t pa = x->res->paddr, registered;
	uint64_t t = pa / PTD_PAGE_SIZE;
	const struct ptd_slot_view *a, *b;
	if (x->res->status != PTD_OK || !x->res->found || !x->res->tracked)
		return all_unchanged(x);
	if (!valid_frame_paddr(x, pa))
		return fail(x, "paddr-valid", "returned paddr 0x%" PRIx64, pa);
	a = pre_slot(x, t);
	b = post_slot(x, t);
	if (a->usage != PTD_USAGE_FRAME)
		return fail(x, "was-frame", "slot %" PRIu64 " usage %u", t, a->usage);
	if (a->rc > PTD_RC_MAX || b->rc != a->rc + 1 || b->rc > PTD_RC_MAX)
		return fail(x, "rc-plus-one", "slot %" PRIu64 " rc %" PRIu64 " -> %" PRIu64, t,
			    a->rc, b->rc);
	if (b->usage != a->usage || b->in_list != a->in_list ||
	    b->storage_init != a->storage_init || b->vtable_init != a->vtable_init ||
	    !paths_are(x->pre, x->post, t, NULL, NULL))
		return fail(x, "rest-unchanged", "slot %" PRIu64 " changed beyond rc", t);
	if (!frame_paddr(x->post, x->res->new_id, &registered) || registered != pa)
		return fail(x, "frame-entry", "no new FrameEntry f%u at 0x%" PRIx64, x->res->new_id,
			    pa);
	return only_slot_changed(x, t);
}

/* cursor_find_next / cursor_jump / virt_addr / protect_next / drop_cursor_step,
 * segment_split / segment_next (docs/CONTRACTS.md#cursor-lifecycle, #navigation, #mutation,
 * #segments): slots unchanged. */
static int slots_unchanged(struct ctx *x)
{
	return all_unchanged(x);
}

/* vm_space_new_embedded, vm_space_cursor_embedded (docs/CONTRACTS.md#new-vm-space,
 * #cursor-lifecycle): only UNUSED slots becoming live non-Frame slots (new page-table nodes). */
static int nodes_only(struct ctx *x)
{
	memset(x->c->may_change, 0, x->pre->nslots);
	return allow_new_nodes(x) || others_unchanged(x);
}

/* cursor_mut_map_embedded (docs/CONTRACTS.md#map): at the frame t, rc and usage and storage kept,
 * paths gain the cursor's position; every other slot that was live is unchanged (except, as the
 * exemption map-replace-release, the frame mapped there before losing that position and one
 * reference); UNUSED slots may only become new nodes.  MapIoMem follows the same clauses
 * without t. */
static int cursor_mut_map_embedded(struct ctx *x)
{
	const struct ptd_cursor_view *cur = cursor_of(x->pre, x->op->cursor);
	const struct ptd_mapping_view *old;
	struct ptd_pos pos;
	ptd_paddr_t pa = 0;
	int tracked = x->op->kind == PTD_OP_MAP;
	uint64_t t = UINT64_MAX, o = UINT64_MAX; /* the mapped frame's slot, the replaced one's */
	int replaced;
	if (x->res->status != PTD_OK)
		return all_unchanged(x);
	if (!cur || (tracked && !frame_paddr(x->pre, x->op->frame, &pa)))
		return fail(x, "handles", "cursor c%u or frame f%u not live before", x->op->cursor,
			    x->op->frame);
	pos = (struct ptd_pos){ .vs = cur->vs, .depth = PTD_LEAF_DEPTH, .va = cur->va };
	old = mapping_of(x->pre, cur->vs, cur->va);
	replaced = old && old->tracked;
	memset(x->c->may_change, 0, x->pre->nslots);
	if (allow_new_nodes(x))
		return -1;
	if (replaced) {
		o = old->pa / PTD_PAGE_SIZE;
		if (x->c->strict)
			return fail(x, "map-replace-release", "va 0x%" PRIx64 " was mapped to 0x%"
				    PRIx64 " (contract: the old frame stays unchanged)", cur->va,
				    old->pa);
	}
	if (tracked) {
		const struct ptd_slot_view *a, *b;
		t = pa / PTD_PAGE_SIZE;
		a = pre_slot(x, t);
		b = post_slot(x, t);
		if (replaced && o == t) { /* the same frame again: one reference released */
			if (b->rc + 1 != a->rc || !paths_are(x->pre, x->post, t, NULL, NULL))
				return fail(x, "map-replace-release", "slot %" PRIu64 " remapped at "
					    "its own va: rc %" PRIu64 " -> %" PRIu64, t, a->rc, b->rc);
		} else if (b->rc != a->rc || !paths_are(x->pre, x->post, t, &pos, NULL)) {
			return fail(x, "frame-gains-path", "slot %" PRIu64 ": rc %" PRIu64 " -> %"
				    PRIu64 ", paths %zu -> %zu", t, a->rc, b->rc, npaths(x->pre, t),
				    npaths(x->post, t));
		}
		if (b->usage != a->usage || b->storage_init != a->storage_init ||
		    b->in_list != a->in_list)
			return fail(x, "frame-kept", "slot %" PRIu64 " usage/storage changed", t);
		x->c->may_change[t] = 1;
	}
	if (replaced && o != t) {
		if (!paths_are(x->pre, x->post, o, NULL, &pos) &&
		    !(post_slot(x, o)->rc == PTD_RC_UNUSED && !npaths(x->post, o)))
			return fail(x, "map-replace-release", "slot %" PRIu64 " kept its position",
				    o);
		if (released_together(x, o, "map-replace-release"))
			return -1;
		x->c->may_change[o] = 1;
	}
	return others_unchanged(x);
}

/* cursor_mut_unmap_embedded (docs/CONTRACTS.md#unmap): at every Frame slot rc and |paths| drop
 * together; slots of other usage may change (page-table nodes freed), keeping usage and in_list. */
static int cursor_mut_unmap_embedded(struct ctx *x)
{
	if (x->res->status != PTD_OK)
		return all_unchanged(x);
	memset(x->c->may_change, 0, x->pre->nslots);
	FOR_EACH_SLOT(x, i) {
		const struct ptd_slot_view *a = pre_slot(x, i), *b = post_slot(x, i);
		/* A slot whose fields are unchanged must keep its paths too (others_unchanged):
		 * a frame cannot lose a position without losing the reference with it. */
		if (!memcmp(a, b, sizeof *a))
			continue;
		if (b->rc == PTD_RC_UNIQUE && a->rc != PTD_RC_UNIQUE)
			return fail(x, "no-new-unique", "slot %" PRIu64 " became UNIQUE", i);
		if (a->usage == PTD_USAGE_FRAME) {
			if (released_together(x, i, "unmap-release"))
				return -1;
		} else if (b->usage != a->usage || b->in_list != a->in_list) {
			return fail(x, "node-kept", "slot %" PRIu64 " usage %u -> %u", i, a->usage,
				    b->usage);
		}
		x->c->may_change[i] = 1;
	}
	return others_unchanged(x);
}

/* lemma_step_drop_vm_space (docs/CONTRACTS.md#drop-vm-space): the contract leaves every slot
 * unchanged (a model gap: the page table leaks).  Exemption drop-vmspace-release: the space's nodes
 * are torn down and its mappings released, each Frame slot losing only positions in that space. */
static int lemma_step_drop_vm_space(struct ctx *x)
{
	if (x->res->status != PTD_OK)
		return all_unchanged(x);
	if (x->c->strict && all_unchanged(x)) {
		x->f->clause = "drop-vmspace-release";
		return -1;
	}
	memset(x->c->may_change, 0, x->pre->nslots);
	FOR_EACH_SLOT(x, i) {
		const struct ptd_slot_view *a = pre_slot(x, i), *b = post_slot(x, i);
		size_t p, e;
		if (!memcmp(a, b, sizeof *a)) /* then its paths must be kept: others_unchanged */
			continue;
		x->c->may_change[i] = 1;
		ptd_state_slot_paths(x->pre, i, &p, &e);
		for (; p < e; p++) /* what it lost must all be in the dropped space */
			if (x->pre->paths[p].pos.vs != x->op->vs &&
			    !has_path(x->post, i, x->pre->paths[p].pos))
				return fail(x, "drop-vmspace-release", "slot %" PRIu64 " lost a "
					    "position of another space", i);
		if (a->usage == PTD_USAGE_FRAME) {
			if (released_together(x, i, "drop-vmspace-release"))
				return -1;
		} else if (b->rc != PTD_RC_UNUSED || b->usage != a->usage || npaths(x->post, i)) {
			return fail(x, "drop-vmspace-release", "node slot %" PRIu64 " not torn down",
				    i);
		}
	}
	return others_unchanged(x);
}

/* frame_from_unused_embedded (docs/CONTRACTS.md#frame-from-unused): Some only at a valid UNUSED
 * slot, which becomes Frame, rc 1, storage and vtable initialised, paths kept; a new FrameEntry;
 * else nothing changes. */
static int frame_from_unused_embedded(struct ctx *x)
{
	uint64_t t = x->op->paddr / PTD_PAGE_SIZE;
	const struct ptd_slot_view *a, *b;
	ptd_paddr_t registered;
	if (x->res->status != PTD_OK)
		return all_unchanged(x);
	if (!valid_frame_paddr(x, x->op->paddr))
		return fail(x, "paddr-valid", "succeeded at 0x%" PRIx64, x->op->paddr);
	a = pre_slot(x, t);
	b = post_slot(x, t);
	if (a->rc != PTD_RC_UNUSED || b->rc != 1 || b->usage != PTD_USAGE_FRAME ||
	    !b->storage_init || !b->vtable_init || b->in_list ||
	    !paths_are(x->pre, x->post, t, NULL, NULL))
		return fail(x, "claimed", "slot %" PRIu64 ": rc %" PRIu64 " -> %" PRIu64
			    ", usage %u", t, a->rc, b->rc, b->usage);
	if (!frame_paddr(x->post, x->res->new_id, &registered) || registered != x->op->paddr)
		return fail(x, "frame-entry", "no FrameEntry f%u", x->res->new_id);
	return only_slot_changed(x, t);
}

/* frame_from_in_use_embedded (docs/CONTRACTS.md#frame-from-in-use): Some => rc + 1, the slot a
 * non-sentinel Frame with storage initialised, all else unchanged; None => nothing changes. */
static int frame_from_in_use_embedded(struct ctx *x)
{
	uint64_t t = x->op->paddr / PTD_PAGE_SIZE;
	const struct ptd_slot_view *a, *b;
	if (x->res->status != PTD_OK)
		return all_unchanged(x);
	if (!valid_frame_paddr(x, x->op->paddr))
		return fail(x, "paddr-valid", "succeeded at 0x%" PRIx64, x->op->paddr);
	a = pre_slot(x, t);
	b = post_slot(x, t);
	if (a->rc == PTD_RC_UNUSED || a->rc == PTD_RC_UNIQUE || b->rc != a->rc + 1 ||
	    b->rc > PTD_RC_MAX || b->usage != PTD_USAGE_FRAME || !b->storage_init ||
	    b->usage != a->usage || !paths_are(x->pre, x->post, t, NULL, NULL))
		return fail(x, "rc-plus-one", "slot %" PRIu64 ": rc %" PRIu64 " -> %" PRIu64
			    ", usage %u", t, a->rc, b->rc, b->usage);
	return only_slot_changed(x, t);
}

/* One reference less at slot t: rc - 1, or UNUSED (storage uninitialised) from rc 1; usage,
 * paths and in_list kept (frame_drop_embedded, lemma_segment_drop_embedded, unique_drop_embedded). */
static int dropped_one(struct ctx *x, uint64_t t, uint64_t from_rc_one_to)
{
	const struct ptd_slot_view *a = pre_slot(x, t), *b = post_slot(x, t);
	int ok = b->usage == a->usage && b->in_list == a->in_list &&
		 paths_are(x->pre, x->post, t, NULL, NULL);
	if (a->rc == 1 || a->rc == PTD_RC_UNIQUE)
		ok = ok && b->rc == from_rc_one_to && !b->storage_init && !b->vtable_init;
	else
		ok = ok && a->rc <= PTD_RC_MAX && b->rc + 1 == a->rc &&
		     b->storage_init == a->storage_init;
	if (!ok)
		return fail(x, "drop-one", "slot %" PRIu64 ": rc %" PRIu64 " -> %" PRIu64, t, a->rc,
			    b->rc);
	x->c->may_change[t] = 1;
	return 0;
}

/* frame_drop_embedded (docs/CONTRACTS.md#frame-drop). */
static int frame_drop_embedded(struct ctx *x)
{
	ptd_paddr_t pa;
	if (x->res->status != PTD_OK)
		return all_unchanged(x);
	if (!frame_paddr(x->pre, x->op->frame, &pa))
		return fail(x, "handles", "frame f%u not live before", x->op->frame);
	memset(x->c->may_change, 0, x->pre->nslots);
	return dropped_one(x, pa / PTD_PAGE_SIZE, PTD_RC_UNUSED) || others_unchanged(x);
}

/* segment_from_unused_embedded (docs/CONTRACTS.md#segment-from-unused): every covered slot was
 * UNUSED and becomes Frame with rc 1, storage initialised, paths kept; nothing else changes;
 * failure changes nothing. */
static int segment_from_unused_embedded(struct ctx *x)
{
	const struct ptd_segment_view *s;
	if (x->res->status != PTD_OK)
		return all_unchanged(x);
	s = segment_of(x->post, x->res->new_id);
	if (!s || s->start != x->op->paddr || s->end != x->op->paddr + x->op->len)
		return fail(x, "segment-entry", "no SegmentEntry s%u for the range", x->res->new_id);
	memset(x->c->may_change, 0, x->pre->nslots);
	for (uint64_t t = s->start / PTD_PAGE_SIZE; t < s->end / PTD_PAGE_SIZE; t++) {
		const struct ptd_slot_view *a = pre_slot(x, t), *b = post_slot(x, t);
		if (a->rc != PTD_RC_UNUSED || b->rc != 1 || b->usage != PTD_USAGE_FRAME ||
		    !b->storage_init || !b->vtable_init ||
		    !paths_are(x->pre, x->post, t, NULL, NULL))
			return fail(x, "claimed", "slot %" PRIu64 ": rc %" PRIu64 " -> %" PRIu64, t,
				    a->rc, b->rc);
		x->c->may_change[t] = 1;
	}
	return others_unchanged(x);
}

/* lemma_segment_drop_embedded (docs/CONTRACTS.md#segment-drop): each covered page one reference
 * less. */
static int lemma_segment_drop_embedded(struct ctx *x)
{
	const struct ptd_segment_view *s = segment_of(x->pre, x->op->segment);
	if (x->res->status != PTD_OK)
		return all_unchanged(x);
	if (!s)
		return fail(x, "handles", "segment s%u not live before", x->op->segment);
	memset(x->c->may_change, 0, x->pre->nslots);
	for (uint64_t t = s->start / PTD_PAGE_SIZE; t < s->end / PTD_PAGE_SIZE; t++)
		if (dropped_one(x, t, PTD_RC_UNUSED))
			return -1;
	return others_unchanged(x);
}

/* segment_clone / segment_slice (docs/CONTRACTS.md#segment-clone): every page of the new segment rc
 * + 1, nothing else. */
static int segment_clone_embedded(struct ctx *x)
{
	const struct ptd_segment_view *s;
	if (x->res->status != PTD_OK)
		return all_unchanged(x);
	if (!(s = segment_of(x->post, x->res->new_id)))
		return fail(x, "segment-entry", "no SegmentEntry s%u", x->res->new_id);
	memset(x->c->may_change, 0, x->pre->nslots);
	for (uint64_t t = s->start / PTD_PAGE_SIZE; t < s->end / PTD_PAGE_SIZE; t++) {
		const struct ptd_slot_view *a = pre_slot(x, t), *b = post_slot(x, t);
		if (a->rc > PTD_RC_MAX || b->rc != a->rc + 1 || b->usage != a->usage ||
		    !paths_are(x->pre, x->post, t, NULL, NULL))
			return fail(x, "rc-plus-one", "slot %" PRIu64 ": rc %" PRIu64 " -> %" PRIu64,
				    t, a->rc, b->rc);
		x->c->may_change[t] = 1;
	}
	return others_unchanged(x);
}

/* unique_from_unused_embedded (docs/CONTRACTS.md#unique-from-unused): succeeds iff valid, usage
 * Unused and UNUSED; the slot becomes a Frame at UNIQUE with storage initialised; a new
 * UniqueEntry. */
static int unique_from_unused_embedded(struct ctx *x)
{
	uint64_t t = x->op->paddr / PTD_PAGE_SIZE;
	const struct ptd_slot_view *a, *b;
	if (x->res->status != PTD_OK)
		return all_unchanged(x);
	if (!valid_frame_paddr(x, x->op->paddr))
		return fail(x, "paddr-valid", "succeeded at 0x%" PRIx64, x->op->paddr);
	a = pre_slot(x, t);
	b = post_slot(x, t);
	if (a->rc != PTD_RC_UNUSED || a->usage != PTD_USAGE_UNUSED || b->rc != PTD_RC_UNIQUE ||
	    b->usage != PTD_USAGE_FRAME || !b->storage_init || !b->vtable_init || b->in_list)
		return fail(x, "fresh-to-unique", "slot %" PRIu64 ": rc %" PRIu64 " usage %u -> rc %"
			    PRIu64 " usage %u", t, a->rc, a->usage, b->rc, b->usage);
	return only_slot_changed(x, t);
}

/* unique_drop_embedded, from_unique_embedded, try_from_shared_embedded
 * (docs/CONTRACTS.md#unique-frames): one slot moves between UNIQUE and another count; all else
 * unchanged. */
static int unique_transition(struct ctx *x, ptd_paddr_t pa, uint64_t from, uint64_t to)
{
	uint64_t t = pa / PTD_PAGE_SIZE;
	const struct ptd_slot_view *a = pre_slot(x, t), *b = post_slot(x, t);
	if (a->rc != from || b->rc != to || b->usage != a->usage ||
	    !paths_are(x->pre, x->post, t, NULL, NULL))
		return fail(x, "transition", "slot %" PRIu64 ": rc 0x%" PRIx64 " -> 0x%" PRIx64
			    " (want 0x%" PRIx64 " -> 0x%" PRIx64 ")", t, a->rc, b->rc, from, to);
	return only_slot_changed(x, t);
}

static int unique_paddr(const struct ptd_view *v, ptd_id_t id, ptd_paddr_t *pa)
{
	for (size_t i = 0; i < v->nuniques; i++)
		if (v->uniques[i].id == id) {
			*pa = v->uniques[i].paddr;
			return 1;
		}
	return 0;
}

static int unique_drop_embedded(struct ctx *x)
{
	ptd_paddr_t pa;
	if (x->res->status != PTD_OK)
		return all_unchanged(x);
	if (!unique_paddr(x->pre, x->op->unique, &pa))
		return fail(x, "handles", "handle not live before");
	memset(x->c->may_change, 0, x->pre->nslots);
	return dropped_one(x, pa / PTD_PAGE_SIZE, PTD_RC_UNUSED) || others_unchanged(x);
}

static int from_unique_embedded(struct ctx *x)
{
	ptd_paddr_t pa;
	if (x->res->status != PTD_OK)
		return all_unchanged(x);
	if (!unique_paddr(x->pre, x->op->unique, &pa))
		return fail(x, "handles", "handle not live before");
	return unique_transition(x, pa, PTD_RC_UNIQUE, 1);
}

static int try_from_shared_embedded(struct ctx *x)
{
	ptd_paddr_t pa;
	if (x->res->status != PTD_OK)
		return all_unchanged(x);
	if (!frame_paddr(x->pre, x->op->frame, &pa))
		return fail(x, "handles", "handle not live before");
	return unique_transition(x, pa, 1, PTD_RC_UNIQUE);
}

/* ---- readers and writers: the exec specs of ostd/src/mm/io.rs (the embedding steps are
 * no-ops on the store, docs/CONTRACTS.md#io) ---- */

static const struct ptd_io_view *io_of(const struct ptd_view *v, ptd_id_t id)
{
	for (size_t i = 0; i < v->nios; i++)
		if (v->ios[i].id == id)
			return &v->ios[i];
	return NULL;
}

/* VmReader::read_val / collect, VmWriter::write_val: `final(self).end == old(self).end`,
 * `r is Err ==> *final(self) == *old(self)`; on Ok the cursor advances by the value's size
 * (collect: to the end); no slot changes. */
static int vm_io_fallible_value(struct ctx *x)
{
	const struct ptd_io_view *a = io_of(x->pre, x->op->io), *b = io_of(x->post, x->op->io);
	uint64_t want;
	if (!a || !b)
		return fail(x, "handle", "io%u not live before and after", x->op->io);
	if (b->end != a->end || b->start != a->start || b->vs != a->vs || b->kind != a->kind)
		return fail(x, "end-kept", "io%u range [0x%" PRIx64 ", 0x%" PRIx64 ") -> [0x%" PRIx64
			    ", 0x%" PRIx64 ")", x->op->io, a->start, a->end, b->start, b->end);
	if (x->res->status != PTD_OK) {
		if (b->cursor != a->cursor)
			return fail(x, "err-unchanged", "io%u cursor 0x%" PRIx64 " -> 0x%" PRIx64
				    " on an error", x->op->io, a->cursor, b->cursor);
		return all_unchanged(x);
	}
	want = x->op->kind == PTD_OP_READER_COLLECT ? a->end - a->cursor : x->op->len;
	if (b->cursor - a->cursor != want || x->res->count != want)
		return fail(x, "ok-advances", "io%u cursor 0x%" PRIx64 " -> 0x%" PRIx64 ", count %"
			    PRIu64 ", value of %" PRIu64 " bytes", x->op->io, a->cursor, b->cursor,
			    x->res->count, want);
	return all_unchanged(x);
}

/* remain / has_remain / cursor and avail / has_avail / cursor: pure reads of the handle. */
static int vm_io_query(struct ctx *x)
{
	const struct ptd_io_view *a = io_of(x->pre, x->op->io), *b = io_of(x->post, x->op->io);
	if (!a || !b || memcmp(a, b, sizeof *a))
		return fail(x, "handle-unchanged", "io%u changed", x->op->io);
	if (x->res->va != a->cursor || x->res->count != a->end - a->cursor ||
	    x->res->found != (a->end > a->cursor))
		return fail(x, "reports-handle", "io%u: cursor 0x%" PRIx64 " left %" PRIu64
			    ", reported 0x%" PRIx64 " left %" PRIu64, x->op->io, a->cursor,
			    a->end - a->cursor, x->res->va, x->res->count);
	return all_unchanged(x);
}

struct contract {
	const char *name;
	int (*check)(struct ctx *x);
};

/* Each op's contract and the function that states it: the op table's last two columns. */
static const struct contract contracts[PTD_OP_COUNT] = {
#define PTD_OP_CONTRACT(e, n, stem, w, a0, a1, a2, cr, nn, co, parts, res, contract, check) \
	[PTD_OP_##e] = { contract, check },
	PTD_OP_TABLE(PTD_OP_CONTRACT)
#undef PTD_OP_CONTRACT
};

int ptd_check_contract(struct ptd_contract_checker *c, const struct ptd_view *pre,
		       const struct ptd_view *post, const struct ptd_op *op,
		       const struct ptd_result *res, struct ptd_contract_failure *f)
{
	struct ctx x = { .c = c, .pre = pre, .post = post, .op = op, .res = res, .f = f };
	if ((unsigned)op->kind >= PTD_OP_COUNT || !contracts[op->kind].check)
		return 0;
	x.contract = contracts[op->kind].name;
	return contracts[op->kind].check(&x);
}
