/* SPDX-License-Identifier: MIT */
/*
 * One function per vostd contract, named after it.  Sections cited are docs/CONTRACTS.md's; each
 * function states the `ensures` of the `_embedded` axiom (or of the store step, where the op has
 * none) over slot owners (rc, usage, in_list, storage, vtable, paths_in_pt), one named check per
 * clause; store_effect() states what the store step does to the handle maps (frames, segments,
 * unique frames, cursors, readers and writers, address spaces), and refusal_reason() what a
 * refused call must have: a reason its precondition or docs/POLICY.md gives.  Nothing here is
 * shared with core/ or oracle/: it sees only the two views and the op.
 */
#include "contract.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rawop.h"
#include "registry.h"
#include "state.h"

/* Each departure from a contract that docs/POLICY.md makes on purpose, admitted under its name
 * unless strict (docs/FINDINGS.md has a stream for each). */
const char *const ptd_contract_exemptions[] = {
	"unmap-release",        /* policy R: Unmap tears a frame down at its last reference */
	"unmap-free-node",      /* Unmap frees page-table nodes (their vtable goes) */
	"map-replace-release",  /* policy R: Map over a mapped page releases the old frame */
	"drop-vmspace-release", /* policy R: DropVmSpace frees nodes and releases mappings */
	"frame-drop-covered",   /* FrameDrop outside op_pre: a segment covers the slot */
	"path-multiset",        /* positions are a multiset of (space, depth, va), not a set */
	NULL
};

int ptd_contract_init(struct ptd_contract_checker *c, const struct ptd_config *cfg)
{
	c->nslots = cfg->nframes;
	c->pool_start = cfg->pt_pool_start;
	c->iomem_base = cfg->iomem_base;
	c->iomem_end = cfg->iomem_end;
	c->strict = 0;
	c->only = NULL;
	c->may_change = calloc(cfg->nframes, 1);
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

/*
 * |paths_in_pt| as the contract writes it: a set of tree paths, which name no address space
 * (docs/CONTRACTS.md#paths), so positions that differ only in the space count once.  ptdiff's
 * multiset tells them apart; the difference is the exemption path-multiset.
 */
static size_t path_set_len(const struct ptd_view *v, uint64_t i)
{
	size_t a, b, n = 0;
	ptd_state_slot_paths(v, i, &a, &b);
	for (size_t k = a; k < b; k++) {
		size_t j = a;
		while (j < k && (v->paths[j].pos.depth != v->paths[k].pos.depth ||
				 v->paths[j].pos.va != v->paths[k].pos.va))
			j++;
		n += j == k;
	}
	return n;
}

/* A page-table root: its slot permission is not parked in the region (vm_space_new_embedded
 * takes it out), so the contracts call it unparked and leave it alone. */
static int is_root(const struct ptd_view *v, uint64_t i)
{
	size_t a, b;
	ptd_state_slot_paths(v, i, &a, &b);
	for (; a < b; a++)
		if (v->paths[a].pos.depth == 0)
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

/* Every field of slot i but rc equal in pre and post (paths included): the "only ref_count
 * changes" of the rc transitions (get_from_in_use_success, segment_clone_embedded, ...). */
static int rest_kept(const struct ctx *x, uint64_t i)
{
	const struct ptd_slot_view *a = pre_slot(x, i), *b = post_slot(x, i);
	return b->usage == a->usage && b->in_list == a->in_list &&
	       b->storage_init == a->storage_init && b->vtable_init == a->vtable_init &&
	       paths_are(x->pre, x->post, i, NULL, NULL);
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

static int unique_paddr(const struct ptd_view *v, ptd_id_t id, ptd_paddr_t *pa)
{
	for (size_t i = 0; i < v->nuniques; i++)
		if (v->uniques[i].id == id) {
			*pa = v->uniques[i].paddr;
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

static const struct ptd_io_view *io_of(const struct ptd_view *v, ptd_id_t id)
{
	for (size_t i = 0; i < v->nios; i++)
		if (v->ios[i].id == id)
			return &v->ios[i];
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

/* segment_cover_count: live segments whose range covers slot i. */
static size_t cover_count(const struct ptd_view *v, uint64_t i)
{
	ptd_paddr_t pa = i * PTD_PAGE_SIZE;
	size_t n = 0;
	for (size_t k = 0; k < v->nsegments; k++)
		n += v->segments[k].start <= pa && pa < v->segments[k].end;
	return n;
}

/*
 * What the op table (include/ptdiff/op_table.h) says of each op that the generic clauses need:
 * its argument kinds, the handle kind it uses up and the non-slot parts it may change.  From
 * these refusal_reason() and store_effect() know an op's own cursor or reader/writer, whether it
 * is a page-table mutation and whether it takes a length, with no case for the op.
 */
struct op_shape {
	enum ptd_arg arg[PTD_MAX_ARGS];
	enum ptd_handle_kind consumes;
	uint32_t parts;
};

static const struct op_shape op_shapes[PTD_OP_COUNT] = {
#define PTD_OP_SHAPE(e, n, stem, w, a0, a1, a2, cr, nn, co, parts, ...) \
	[PTD_OP_##e] = { { PTD_ARG_##a0, PTD_ARG_##a1, PTD_ARG_##a2 },  \
			 PTD_H_##co,                                    \
			 PTD_PARTS_##parts },
	PTD_OP_TABLE(PTD_OP_SHAPE)
#undef PTD_OP_SHAPE
};

/* Argument @i of the op is a reader or writer selector. */
static int io_arg(enum ptd_op_kind kind, unsigned i)
{
	enum ptd_arg a = op_shapes[kind].arg[i];
	return a == PTD_ARG_READER || a == PTD_ARG_WRITER || a == PTD_ARG_IO;
}

/* The op works on a cursor it leaves live (every cursor op but DropCursor). */
static int on_own_cursor(enum ptd_op_kind kind)
{
	return op_shapes[kind].arg[0] == PTD_ARG_CURSOR && op_shapes[kind].consumes != PTD_H_CURSOR;
}

/* The op changes mappings: a page-table mutation (Map, MapIoMem, Unmap, TakeNext, ProtectNext,
 * DropVmSpace). */
static int mutates_maps(enum ptd_op_kind kind)
{
	return (op_shapes[kind].parts & PTD_PART_BIT_MAPS) != 0;
}

static int takes_len(enum ptd_op_kind kind)
{
	for (unsigned i = 0; i < PTD_MAX_ARGS; i++)
		if (op_shapes[kind].arg[i] == PTD_ARG_LEN)
			return 1;
	return 0;
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

#define FOR_EACH_SLOT(x, i) \
	for (uint64_t i = scan_from(x, 0); i < (x)->pre->nslots; i = scan_from(x, i + 1))

/* Slot i's fields are the same in pre and post. */
static int slot_kept(const struct ctx *x, uint64_t i)
{
	return ptd_slot_equal(pre_slot(x, i), post_slot(x, i));
}

/* Slots a whole check compares at a time while they are equal: most slots are unchanged by an
 * op, and one memcmp of a block costs a few times that of one slot. */
#define SLOT_BLOCK 16u

/* The first slot >= i a scan visits whose fields differ between pre and post (nslots: none). */
static uint64_t changed_from(const struct ctx *x, uint64_t i)
{
	const struct ptd_slot_view *a = x->pre->slots, *b = x->post->slots;
	uint64_t n = x->pre->nslots;
	for (i = scan_from(x, i); i < n; i = scan_from(x, i + 1)) {
		while (!x->c->only && n - i >= SLOT_BLOCK &&
		       !memcmp(&a[i], &b[i], SLOT_BLOCK * sizeof *a))
			i += SLOT_BLOCK;
		if (i < n && !slot_kept(x, i))
			return i;
	}
	return n;
}

/* The slots of the scan (FOR_EACH_SLOT) whose fields changed, in order. */
#define FOR_EACH_CHANGED_SLOT(x, i) \
	for (uint64_t i = changed_from(x, 0); i < (x)->pre->nslots; i = changed_from(x, i + 1))

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
	return b - a == d - c && ptd_bytes_equal(&x->pre->paths[a], &x->post->paths[c],
						 (b - a) * sizeof *x->pre->paths);
}

/* "forall i not in the op's slots: slot_owners[i] unchanged".  One pass over the slots and one
 * merge of the two canonical path lists, skipping the slots the op may change; with c->only,
 * the paths of those slots alone, looked up by binary search. */
static int others_unchanged(struct ctx *x)
{
	size_t a = 0, b = 0;
	if (x->c->only) { /* the few touched slots, each with its paths */
		FOR_EACH_SLOT(x, i)
		{
			if (x->c->may_change[i])
				continue;
			if (!slot_kept(x, i))
				return fail(x, "others-unchanged", "slot %" PRIu64 " changed", i);
			if (!slot_paths_kept(x, i))
				return paths_changed(x, i);
		}
		return 0;
	}
	FOR_EACH_CHANGED_SLOT(x, i)
	{
		if (!x->c->may_change[i])
			return fail(x, "others-unchanged", "slot %" PRIu64 " changed", i);
	}
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

/* New page-table nodes (vm_space_cursor_embedded, cursor_mut_map_embedded): a slot that was
 * UNUSED may become a live slot of usage other than Frame (`page_table` for NewVmSpace); in_list
 * stays.  `except` is a slot the caller checks itself. */
static int allow_new_nodes(struct ctx *x, int page_table, uint64_t except)
{
	FOR_EACH_CHANGED_SLOT(x, i)
	{
		const struct ptd_slot_view *a = pre_slot(x, i), *b = post_slot(x, i);
		if (i == except || a->rc != PTD_RC_UNUSED || b->rc == PTD_RC_UNUSED)
			continue;
		if (b->usage == PTD_USAGE_FRAME || b->in_list != a->in_list ||
		    (page_table && b->usage != PTD_USAGE_PAGE_TABLE))
			return fail(x, "new-node",
				    "slot %" PRIu64 " was UNUSED, now usage %u in_list %" PRIu64, i,
				    b->usage, b->in_list);
		x->c->may_change[i] = 1;
	}
	return 0;
}

/* The unmap relation at one Frame slot (cursor_mut_unmap_embedded): rc and |paths| drop by the
 * same k >= 0, rc never 0; usage, in_list, vtable kept, storage kept while live.  Reaching
 * UNUSED is the contract's weakness (docs/CONTRACTS.md#inc-4): allowed only as the named
 * exemption, when every reference left. */
static int released_together(struct ctx *x, uint64_t i, const char *exemption)
{
	const struct ptd_slot_view *a = pre_slot(x, i), *b = post_slot(x, i);
	uint64_t pa = npaths(x->pre, i), pb = npaths(x->post, i);
	if (b->usage != a->usage || b->in_list != a->in_list || pb > pa)
		return fail(x, "frame-kept",
			    "slot %" PRIu64 ": usage/in_list changed or paths grew", i);
	if (b->rc == PTD_RC_UNUSED && a->rc != PTD_RC_UNUSED) {
		if (x->c->strict)
			return fail(x, exemption,
				    "slot %" PRIu64 " torn down (contract: rc never "
				    "reaches UNUSED here)",
				    i);
		if (a->rc != pa - pb || pb || b->storage_init || b->vtable_init)
			return fail(x, "teardown",
				    "slot %" PRIu64 ": torn down with rc %" PRIu64 " and %" PRIu64
				    " -> %" PRIu64 " paths",
				    i, a->rc, pa, pb);
		return 0;
	}
	if (b->rc > a->rc || b->rc == 0 || b->rc + pa != a->rc + pb ||
	    b->vtable_init != a->vtable_init || b->storage_init != a->storage_init)
		return fail(x, "rc-paths-together",
			    "slot %" PRIu64 ": rc %" PRIu64 " -> %" PRIu64 ", paths %" PRIu64
			    " -> %" PRIu64,
			    i, a->rc, b->rc, pa, pb);
	/* As written, |paths_in_pt| counts tree paths: two spaces' positions at one va are one. */
	if (x->c->strict && b->rc + path_set_len(x->pre, i) != a->rc + path_set_len(x->post, i))
		return fail(x, "path-multiset",
			    "slot %" PRIu64 ": rc %" PRIu64 " -> %" PRIu64
			    " but the set of tree paths shrank by %zu",
			    i, a->rc, b->rc, path_set_len(x->pre, i) - path_set_len(x->post, i));
	return 0;
}

/* ---- one function per contract ---- */

/* cursor_query_embedded (the seed, docs/CONTRACTS.md#query): None => every slot unchanged; Some(pa)
 * => pa valid, was a Frame, rc + 1 <= MAX, every other field of that slot and every other slot
 * unchanged; lemma_step_query registers a FrameEntry at pa (store_effect). */
static int cursor_query_embedded(struct ctx *x)
{
	ptd_paddr_t pa = x->res->paddr;
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
	if (!rest_kept(x, t))
		return fail(x, "rest-unchanged", "slot %" PRIu64 " changed beyond rc", t);
	return only_slot_changed(x, t);
}

/* cursor_find_next_step / cursor_jump_step / virt_addr / cursor_protect_next_step /
 * drop_cursor_step, lemma_step_segment_split / segment_next_embedded, the reader and writer
 * steps (docs/CONTRACTS.md#cursor-lifecycle, #navigation, #mutation, #segments, #io): slots
 * unchanged; what they do to handles is store_effect's. */
static int slots_unchanged(struct ctx *x)
{
	return all_unchanged(x);
}

/* vm_space_new_embedded (docs/CONTRACTS.md#new-vm-space): every changed slot was UNUSED and is
 * now a live PageTable slot, in_list kept (`new-node`); the new space's root is one of them
 * (`root`). */
static int vm_space_new_embedded(struct ctx *x)
{
	struct ptd_pos root = { .vs = x->res->new_id, .depth = 0, .va = 0 };
	uint64_t b = x->pre->nslots;
	if (x->res->status != PTD_OK)
		return all_unchanged(x);
	memset(x->c->may_change, 0, x->pre->nslots);
	if (allow_new_nodes(x, 1, UINT64_MAX) || others_unchanged(x))
		return -1;
	/* The paths of every other slot are those before, where the new space has none: the root
	 * is at one of the new nodes, found among their paths alone. */
	FOR_EACH_SLOT(x, i)
	{
		size_t p, end;
		if (!x->c->may_change[i])
			continue;
		ptd_state_slot_paths(x->post, i, &p, &end);
		for (; p < end && b == x->pre->nslots; p++)
			if (!ptd_pos_cmp(&x->post->paths[p].pos, &root))
				b = i;
	}
	if (b == x->pre->nslots)
		return fail(x, "root", "no root node of vs%u", root.vs);
	if (pre_slot(x, b)->rc != PTD_RC_UNUSED || post_slot(x, b)->usage != PTD_USAGE_PAGE_TABLE ||
	    post_slot(x, b)->rc == PTD_RC_UNUSED)
		return fail(x, "root",
			    "root of vs%u at slot %" PRIu64 " was not UNUSED or is not a live "
			    "PageTable slot",
			    root.vs, b);
	return 0;
}

/* vm_space_cursor_embedded, vm_space_cursor_mut_embedded (docs/CONTRACTS.md#cursor-lifecycle):
 * only UNUSED slots becoming live non-Frame slots (new page-table nodes), in_list kept. */
static int nodes_only(struct ctx *x)
{
	memset(x->c->may_change, 0, x->pre->nslots);
	return allow_new_nodes(x, 0, UINT64_MAX) || others_unchanged(x);
}

/* cursor_mut_map_embedded (docs/CONTRACTS.md#map): at the frame t, rc, usage and storage kept,
 * paths gain the cursor's position (`frame-gains-path`: one more, and that one); every other slot
 * that was live is unchanged and stays live (except, as the exemption map-replace-release, the
 * frame mapped there before, losing that position and one reference); UNUSED slots stay unchanged
 * or become new non-Frame nodes; in_list everywhere kept.  MapIoMem follows the same clauses
 * without t.  The FrameEntry is consumed (store_effect). */
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
	if (tracked)
		t = pa / PTD_PAGE_SIZE;
	memset(x->c->may_change, 0, x->pre->nslots);
	if (allow_new_nodes(x, 0, t))
		return -1;
	if (replaced) {
		o = old->pa / PTD_PAGE_SIZE;
		if (x->c->strict)
			return fail(x, "map-replace-release",
				    "va 0x%" PRIx64 " was mapped to 0x%" PRIx64
				    " (contract: the old frame stays unchanged)",
				    cur->va, old->pa);
	}
	if (tracked) {
		const struct ptd_slot_view *a = pre_slot(x, t), *b = post_slot(x, t);
		if (replaced && o == t) { /* the same frame again: one reference released */
			if (b->rc + 1 != a->rc || !paths_are(x->pre, x->post, t, NULL, NULL))
				return fail(x, "map-replace-release",
					    "slot %" PRIu64 " remapped at "
					    "its own va: rc %" PRIu64 " -> %" PRIu64,
					    t, a->rc, b->rc);
		} else if (b->rc != a->rc || !paths_are(x->pre, x->post, t, &pos, NULL)) {
			return fail(x, "frame-gains-path",
				    "slot %" PRIu64 ": rc %" PRIu64 " -> %" PRIu64
				    ", paths %zu -> %zu",
				    t, a->rc, b->rc, npaths(x->pre, t), npaths(x->post, t));
		}
		if (b->usage != a->usage || b->storage_init != a->storage_init ||
		    b->in_list != a->in_list)
			return fail(x, "frame-kept", "slot %" PRIu64 " usage/storage changed", t);
		/* As written, paths_in_pt is a set of tree paths, which cannot grow when the frame
		 * is already mapped at that va in another space (docs/CONTRACTS.md#inc-3). */
		if (x->c->strict && path_set_len(x->post, t) != path_set_len(x->pre, t) + 1)
			return fail(x, "path-multiset",
				    "slot %" PRIu64 " is already mapped at va 0x%" PRIx64
				    " in another space: its set of tree paths cannot grow",
				    t, cur->va);
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

/* Whether node slot i, torn down by an Unmap, is a page-table node wholly inside the unmapped
 * range [lo, hi) of the cursor's space (docs/POLICY.md Unmap step 4): what the exemption
 * unmap-free-node admits. */
static int node_freed_in(struct ctx *x, uint64_t i, const struct ptd_cursor_view *cur,
			 ptd_vaddr_t lo, ptd_vaddr_t hi)
{
	const struct ptd_slot_view *a = pre_slot(x, i), *b = post_slot(x, i);
	size_t p, e;
	uint64_t span;
	const struct ptd_pos *pos;
	ptd_state_slot_paths(x->pre, i, &p, &e);
	if (a->usage != PTD_USAGE_PAGE_TABLE || a->rc != 1 || e - p != 1 || b->storage_init ||
	    b->vtable_init || npaths(x->post, i) || !cur)
		return 0;
	pos = &x->pre->paths[p].pos;
	if (pos->vs != cur->vs || pos->depth == 0 || pos->depth >= PTD_LEAF_DEPTH)
		return 0;
	span = PTD_ENTRY_SPAN(5 - pos->depth); /* a node at depth d is of level 4 - d */
	return pos->va >= lo && span <= hi - lo && pos->va - lo <= hi - lo - span;
}

/* cursor_mut_unmap_embedded's slot clauses for the range [lo, hi) of cursor cur's space. */
static int unmap_slots(struct ctx *x, const struct ptd_cursor_view *cur, ptd_vaddr_t lo,
		       ptd_vaddr_t hi)
{
	memset(x->c->may_change, 0, x->pre->nslots);
	/* A slot whose fields are unchanged must keep its paths too (others_unchanged): a frame
	 * cannot lose a position without losing the reference with it. */
	FOR_EACH_CHANGED_SLOT(x, i)
	{
		const struct ptd_slot_view *a = pre_slot(x, i), *b = post_slot(x, i);
		if (is_root(x->pre, i))
			return fail(x, "root-kept", "slot %" PRIu64 ", a page-table root, changed",
				    i);
		if (b->rc == PTD_RC_UNIQUE && a->rc != PTD_RC_UNIQUE)
			return fail(x, "no-new-unique", "slot %" PRIu64 " became UNIQUE", i);
		if (a->usage == PTD_USAGE_FRAME) {
			if (released_together(x, i, "unmap-release"))
				return -1;
		} else if (b->rc == PTD_RC_UNUSED && a->rc != PTD_RC_UNUSED) {
			if (x->c->strict)
				return fail(x, "unmap-free-node",
					    "slot %" PRIu64 " (usage %u) freed: "
					    "its vtable goes (contract: vtable kept)",
					    i, a->usage);
			if (!node_freed_in(x, i, cur, lo, hi))
				return fail(x, "node-free",
					    "slot %" PRIu64 " freed but not a node "
					    "wholly inside the range, or not torn down",
					    i);
		} else if (b->usage != a->usage || b->in_list != a->in_list ||
			   b->vtable_init != a->vtable_init ||
			   (b->rc != PTD_RC_UNUSED && b->storage_init != a->storage_init)) {
			return fail(x, "node-kept",
				    "slot %" PRIu64 " usage %u -> %u, vtable %u -> %u", i, a->usage,
				    b->usage, a->vtable_init, b->vtable_init);
		}
		x->c->may_change[i] = 1;
	}
	return others_unchanged(x);
}

/* cursor_mut_unmap_embedded (docs/CONTRACTS.md#unmap).  Every slot: usage, in_list and vtable
 * kept, no new UNIQUE, storage kept where it ends live; unparked slots (page-table roots)
 * unchanged; at every Frame slot rc and |paths| drop together, rc never 0.  A node freed (its
 * vtable goes) is the exemption unmap-free-node; a frame torn down, unmap-release. */
static int cursor_mut_unmap_embedded(struct ctx *x)
{
	const struct ptd_cursor_view *cur = cursor_of(x->pre, x->op->cursor);
	if (x->res->status != PTD_OK)
		return all_unchanged(x);
	return unmap_slots(x, cur, cur ? cur->va : 0, cur ? cur->va + x->op->len : 0);
}

/* Whether post's mappings are pre's less those of space vs in [lo, hi) (both in canonical order,
 * docs/CONTRACTS.md#take-next `frag-removed`); *n: how many went. */
static int maps_less_range(const struct ctx *x, ptd_id_t vs, ptd_vaddr_t lo, ptd_vaddr_t hi,
			   uint64_t *n)
{
	size_t j = 0;
	*n = 0;
	for (size_t i = 0; i < x->pre->nmaps; i++) {
		const struct ptd_mapping_view *m = &x->pre->maps[i];
		if (m->vs == vs && m->va >= lo && m->va < hi) {
			++*n;
			continue;
		}
		if (j == x->post->nmaps || memcmp(m, &x->post->maps[j], sizeof *m))
			return 0;
		j++;
	}
	return j == x->post->nmaps;
}

/* A mapping of space vs in [lo, hi) in view v. */
static const struct ptd_mapping_view *mapping_in(const struct ptd_view *v, ptd_id_t vs,
						 ptd_vaddr_t lo, ptd_vaddr_t hi)
{
	for (size_t i = 0; i < v->nmaps; i++)
		if (v->maps[i].vs == vs && v->maps[i].va >= lo && v->maps[i].va < hi)
			return &v->maps[i];
	return NULL;
}

/*
 * TakeNext (docs/CONTRACTS.md#take-next): vostd has no `_embedded` axiom for take_next; its exec
 * spec (`CursorMut::take_next`, ostd/src/mm/page_table/cursor/mod.rs) ensures what the
 * fragment is, and dropping it is Unmap on the fragment's range.  None: no mapping in
 * [va, va + len) (`none-empty`), mappings and slots unchanged, cursor at or past va + len
 * (`cursor-moved`).  Some: the fragment inside the range (`frag-in-range`), no mapping before it
 * (`frag-first`), a Mapped item as it was mapped (`frag-item`), a stray sub-tree's top node a
 * node of the space at that range (`stray-node`); the mappings less exactly the fragment's
 * (`frag-removed`), num_frames of them (`num-frames`); the cursor past va, at most va + len
 * (`cursor-moved`); the slots as Unmap of the fragment's range leaves them.
 */
static int cursor_mut_take_next(struct ctx *x)
{
	const struct ptd_cursor_view *cur = cursor_of(x->pre, x->op->cursor);
	const struct ptd_cursor_view *after = cursor_of(x->post, x->op->cursor);
	const struct ptd_result *r = x->res;
	const struct ptd_mapping_view *m;
	ptd_vaddr_t end;
	uint64_t n;
	if (r->status != PTD_OK)
		return all_unchanged(x);
	if (!cur || !after)
		return fail(x, "handles", "cursor c%u not live before and after", x->op->cursor);
	end = cur->va + x->op->len;
	if (!r->found) {
		if ((m = mapping_in(x->pre, cur->vs, cur->va, end)))
			return fail(x, "none-empty", "None, but 0x%" PRIx64 " is mapped", m->va);
		if (!maps_less_range(x, cur->vs, 0, 0, &n))
			return fail(x, "frag-removed", "None, but the mappings changed");
		if (after->va < end)
			return fail(x, "cursor-moved",
				    "None, cursor at 0x%" PRIx64 " before 0x%" PRIx64, after->va,
				    end);
		return all_unchanged(x);
	}
	if (r->va < cur->va || r->va_end <= r->va || r->va_end > end ||
	    (r->found == PTD_FRAG_MAPPED && r->va_end - r->va != PTD_PAGE_SIZE))
		return fail(x, "frag-in-range",
			    "[0x%" PRIx64 ", 0x%" PRIx64 ") not a fragment of "
			    "[0x%" PRIx64 ", 0x%" PRIx64 ")",
			    r->va, r->va_end, cur->va, end);
	if ((m = mapping_in(x->pre, cur->vs, cur->va, r->va)))
		return fail(x, "frag-first", "0x%" PRIx64 " is mapped before the fragment", m->va);
	if (r->found == PTD_FRAG_MAPPED) {
		m = mapping_of(x->pre, cur->vs, r->va);
		if (!m || m->pa != r->paddr || m->tracked != r->tracked ||
		    m->prop.flags != r->prop.flags || m->prop.cache != r->prop.cache)
			return fail(x, "frag-item", "0x%" PRIx64 " was not mapped to that item",
				    r->va);
	} else {
		struct ptd_pos pos = { .vs = cur->vs, .va = r->va };
		uint64_t t = r->paddr / PTD_PAGE_SIZE;
		int found = 0;
		/* A node at depth d is of level 4 - d and spans ENTRY_SPAN(5 - d); not a root. */
		for (pos.depth = 1; pos.depth < PTD_LEAF_DEPTH && valid_frame_paddr(x, r->paddr);
		     pos.depth++)
			found |= PTD_ENTRY_SPAN(5 - pos.depth) == r->va_end - r->va &&
				 has_path(x->pre, t, pos);
		if (!found)
			return fail(x, "stray-node",
				    "0x%" PRIx64 " held no node of vs%u over [0x%" PRIx64
				    ", 0x%" PRIx64 ")",
				    r->paddr, cur->vs, r->va, r->va_end);
	}
	if (!maps_less_range(x, cur->vs, r->va, r->va_end, &n))
		return fail(x, "frag-removed",
			    "the mappings are not those before less the "
			    "fragment's");
	if (r->found == PTD_FRAG_STRAY && r->count != n)
		return fail(x, "num-frames",
			    "num_frames %" PRIu64 ", but %" PRIu64 " mappings went", r->count, n);
	if (after->va <= cur->va || after->va > end)
		return fail(x, "cursor-moved",
			    "cursor 0x%" PRIx64 " -> 0x%" PRIx64 " (len 0x%" PRIx64 ")", cur->va,
			    after->va, x->op->len);
	return unmap_slots(x, cur, r->va, r->va_end);
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
	FOR_EACH_CHANGED_SLOT(x, i) /* an unchanged slot must keep its paths: others_unchanged */
	{
		const struct ptd_slot_view *a = pre_slot(x, i), *b = post_slot(x, i);
		size_t p, e;
		x->c->may_change[i] = 1;
		ptd_state_slot_paths(x->pre, i, &p, &e);
		for (; p < e; p++) /* what it lost must all be in the dropped space */
			if (x->pre->paths[p].pos.vs != x->op->vs &&
			    !has_path(x->post, i, x->pre->paths[p].pos))
				return fail(x, "drop-vmspace-release",
					    "slot %" PRIu64 " lost a "
					    "position of another space",
					    i);
		if (a->usage == PTD_USAGE_FRAME) {
			if (released_together(x, i, "drop-vmspace-release"))
				return -1;
		} else if (b->rc != PTD_RC_UNUSED || b->usage != a->usage || npaths(x->post, i)) {
			return fail(x, "drop-vmspace-release",
				    "node slot %" PRIu64 " not torn down", i);
		}
	}
	return others_unchanged(x);
}

/* The clauses frame_from_unused_embedded, frame_from_in_use_embedded and
 * unique_from_unused_embedded share (docs/CONTRACTS.md#frame-from-unused): None => nothing
 * changes; Some only at a valid frame paddr (`paddr-valid`) whose slot t is parked
 * (`unparked-no-op`: lemma_step_frame_from_unused leaves an unparked root alone).  Returns 1 when
 * the op succeeded and the caller's own clauses on slot t follow (*a and *b: the slot before and
 * after), else the verdict (0 holds, -1 fails). */
static int from_slot_preconditions(struct ctx *x, uint64_t t, const struct ptd_slot_view **a,
				   const struct ptd_slot_view **b)
{
	if (x->res->status != PTD_OK)
		return all_unchanged(x);
	if (!valid_frame_paddr(x, x->op->paddr))
		return fail(x, "paddr-valid", "succeeded at 0x%" PRIx64, x->op->paddr);
	if (is_root(x->pre, t))
		return fail(x, "unparked-no-op", "succeeded at slot %" PRIu64 ", a root", t);
	*a = pre_slot(x, t);
	*b = post_slot(x, t);
	return 1;
}

/* frame_from_unused_embedded (docs/CONTRACTS.md#frame-from-unused): Some only at a valid, parked
 * slot (lemma_step_frame_from_unused: an unparked root is a no-op) that was UNUSED
 * (get_from_unused_spec), which becomes Frame, rc 1, storage and vtable initialised, in_list 0,
 * paths kept; every other slot unchanged; a new FrameEntry (store_effect). */
static int frame_from_unused_embedded(struct ctx *x)
{
	uint64_t t = x->op->paddr / PTD_PAGE_SIZE;
	const struct ptd_slot_view *a = NULL, *b = NULL;
	int go = from_slot_preconditions(x, t, &a, &b);
	if (go <= 0)
		return go;
	if (a->rc != PTD_RC_UNUSED || b->rc != 1 || b->usage != PTD_USAGE_FRAME ||
	    !b->storage_init || !b->vtable_init || b->in_list ||
	    !paths_are(x->pre, x->post, t, NULL, NULL))
		return fail(x, "claimed",
			    "slot %" PRIu64 ": rc %" PRIu64 " -> %" PRIu64 ", usage %u", t, a->rc,
			    b->rc, b->usage);
	return only_slot_changed(x, t);
}

/* frame_from_in_use_embedded (docs/CONTRACTS.md#frame-from-in-use): Some only at a parked slot;
 * then rc + 1 (`rc-plus-one`, get_from_in_use_success), the slot non-sentinel with storage
 * initialised and usage Frame (`is-frame`, the axiom's strengthening), every other field kept
 * (`rest-unchanged`), all else unchanged; None => nothing changes. */
static int frame_from_in_use_embedded(struct ctx *x)
{
	uint64_t t = x->op->paddr / PTD_PAGE_SIZE;
	const struct ptd_slot_view *a = NULL, *b = NULL;
	int go = from_slot_preconditions(x, t, &a, &b);
	if (go <= 0)
		return go;
	if (b->rc != a->rc + 1 || b->rc > PTD_RC_MAX)
		return fail(x, "rc-plus-one", "slot %" PRIu64 ": rc %" PRIu64 " -> %" PRIu64, t,
			    a->rc, b->rc);
	if (b->rc == PTD_RC_UNUSED || b->rc == PTD_RC_UNIQUE || !b->storage_init ||
	    b->usage != PTD_USAGE_FRAME)
		return fail(x, "is-frame", "slot %" PRIu64 ": usage %u, storage %u after success",
			    t, b->usage, b->storage_init);
	if (!rest_kept(x, t))
		return fail(x, "rest-unchanged", "slot %" PRIu64 " changed beyond rc", t);
	return only_slot_changed(x, t);
}

/* One reference less at slot t (frame_drop_embedded, lemma_segment_drop_embedded,
 * unique_drop_embedded): from rc 1 (or UNIQUE) to UNUSED, storage and vtable uninitialised; from
 * rc > 1 (<= MAX) to rc - 1, storage kept; usage, paths and in_list kept. */
static int dropped_one(struct ctx *x, uint64_t t)
{
	const struct ptd_slot_view *a = pre_slot(x, t), *b = post_slot(x, t);
	int ok = b->usage == a->usage && b->in_list == a->in_list &&
		 paths_are(x->pre, x->post, t, NULL, NULL);
	if (a->rc == 1 || a->rc == PTD_RC_UNIQUE)
		ok = ok && b->rc == PTD_RC_UNUSED && !b->storage_init && !b->vtable_init;
	else
		ok = ok && a->rc <= PTD_RC_MAX && a->rc > 1 && b->rc + 1 == a->rc &&
		     b->storage_init == a->storage_init;
	if (!ok)
		return fail(x, "drop-one", "slot %" PRIu64 ": rc %" PRIu64 " -> %" PRIu64, t, a->rc,
			    b->rc);
	x->c->may_change[t] = 1;
	return 0;
}

/* frame_drop_embedded (docs/CONTRACTS.md#frame-drop).  op_pre[FrameDrop] also asks that no live
 * segment covers the slot; the code allows the call (docs/CONTRACTS.md#inc-14), which is the
 * exemption frame-drop-covered. */
static int frame_drop_embedded(struct ctx *x)
{
	ptd_paddr_t pa;
	if (x->res->status != PTD_OK)
		return all_unchanged(x);
	if (!frame_paddr(x->pre, x->op->frame, &pa))
		return fail(x, "handles", "frame f%u not live before", x->op->frame);
	if (x->c->strict && cover_count(x->pre, pa / PTD_PAGE_SIZE))
		return fail(x, "frame-drop-covered",
			    "f%u at 0x%" PRIx64 " is covered by %zu live "
			    "segments (op_pre: none)",
			    x->op->frame, pa, cover_count(x->pre, pa / PTD_PAGE_SIZE));
	if (pre_slot(x, pa / PTD_PAGE_SIZE)->rc == 1 && npaths(x->pre, pa / PTD_PAGE_SIZE))
		return fail(x, "drop-pre", "f%u: rc 1 but the frame is mapped", x->op->frame);
	memset(x->c->may_change, 0, x->pre->nslots);
	return dropped_one(x, pa / PTD_PAGE_SIZE) || others_unchanged(x);
}

/* segment_from_unused_embedded (docs/CONTRACTS.md#segment-from-unused): success only for an
 * aligned, non-empty range in memory whose every slot was UNUSED (the step's guard); each covered
 * slot becomes Frame with rc 1, storage initialised, in_list 0, no paths; unparked slots and
 * every slot outside the range unchanged; failure changes nothing. */
static int segment_from_unused_embedded(struct ctx *x)
{
	ptd_paddr_t start = x->op->paddr, end = x->op->paddr + x->op->len;
	if (x->res->status != PTD_OK)
		return all_unchanged(x);
	if (start % PTD_PAGE_SIZE || x->op->len % PTD_PAGE_SIZE || !x->op->len || end < start ||
	    end / PTD_PAGE_SIZE > x->pre->nslots)
		return fail(x, "range-valid", "succeeded for [0x%" PRIx64 ", 0x%" PRIx64 ")", start,
			    end);
	memset(x->c->may_change, 0, x->pre->nslots);
	for (uint64_t t = start / PTD_PAGE_SIZE; t < end / PTD_PAGE_SIZE; t++) {
		const struct ptd_slot_view *a = pre_slot(x, t), *b = post_slot(x, t);
		if (a->rc != PTD_RC_UNUSED || b->rc != 1 || b->usage != PTD_USAGE_FRAME ||
		    !b->storage_init || !b->vtable_init || b->in_list ||
		    !paths_are(x->pre, x->post, t, NULL, NULL))
			return fail(x, "claimed", "slot %" PRIu64 ": rc %" PRIu64 " -> %" PRIu64, t,
				    a->rc, b->rc);
		x->c->may_change[t] = 1;
	}
	return others_unchanged(x);
}

/* lemma_segment_drop_embedded (docs/CONTRACTS.md#segment-drop): each covered page one reference
 * less (`drop-one`), every other slot unchanged. */
static int lemma_segment_drop_embedded(struct ctx *x)
{
	const struct ptd_segment_view *s = segment_of(x->pre, x->op->segment);
	if (x->res->status != PTD_OK)
		return all_unchanged(x);
	if (!s)
		return fail(x, "handles", "segment s%u not live before", x->op->segment);
	memset(x->c->may_change, 0, x->pre->nslots);
	for (uint64_t t = s->start / PTD_PAGE_SIZE; t < s->end / PTD_PAGE_SIZE; t++)
		if (dropped_one(x, t))
			return -1;
	return others_unchanged(x);
}

/* segment_clone_embedded, for SegmentClone (the segment's range) and SegmentSlice (the
 * sub-range, lemma_step_segment_slice) (docs/CONTRACTS.md#segment-clone): every covered slot was
 * a live Frame with room for one more reference and gets rc + 1 (`rc-plus-one`), its usage,
 * paths, in_list, storage and vtable kept (`rest-unchanged`); every other slot unchanged. */
static int segment_clone_embedded(struct ctx *x)
{
	const struct ptd_segment_view *s = segment_of(x->pre, x->op->segment);
	ptd_paddr_t start, end;
	if (x->res->status != PTD_OK)
		return all_unchanged(x);
	if (!s)
		return fail(x, "handles", "segment s%u not live before", x->op->segment);
	start = x->op->kind == PTD_OP_SEGMENT_SLICE ? x->op->paddr : s->start;
	end = x->op->kind == PTD_OP_SEGMENT_SLICE ? x->op->paddr + x->op->len : s->end;
	if (start < s->start || end > s->end || start >= end)
		return fail(x, "range-valid", "slice [0x%" PRIx64 ", 0x%" PRIx64 ") of s%u", start,
			    end, s->id);
	memset(x->c->may_change, 0, x->pre->nslots);
	for (uint64_t t = start / PTD_PAGE_SIZE; t < end / PTD_PAGE_SIZE; t++) {
		const struct ptd_slot_view *a = pre_slot(x, t), *b = post_slot(x, t);
		if (a->usage != PTD_USAGE_FRAME || a->rc < 1 || a->rc >= PTD_RC_MAX ||
		    b->rc != a->rc + 1)
			return fail(x, "rc-plus-one",
				    "slot %" PRIu64 ": rc %" PRIu64 " -> %" PRIu64, t, a->rc,
				    b->rc);
		if (!rest_kept(x, t))
			return fail(x, "rest-unchanged", "slot %" PRIu64 " changed beyond rc", t);
		x->c->may_change[t] = 1;
	}
	return others_unchanged(x);
}

/* unique_from_unused_embedded (docs/CONTRACTS.md#unique-from-unused): succeeds only at a valid,
 * parked slot whose usage is Unused and rc UNUSED (`fresh-to-unique`, the step's guard); it
 * becomes a Frame at UNIQUE with storage (and vtable) initialised and in_list 0 (`claimed`),
 * paths kept; all else unchanged. */
static int unique_from_unused_embedded(struct ctx *x)
{
	uint64_t t = x->op->paddr / PTD_PAGE_SIZE;
	const struct ptd_slot_view *a = NULL, *b = NULL;
	int go = from_slot_preconditions(x, t, &a, &b);
	if (go <= 0)
		return go;
	if (a->rc != PTD_RC_UNUSED || a->usage != PTD_USAGE_UNUSED)
		return fail(x, "fresh-to-unique",
			    "slot %" PRIu64 ": rc 0x%" PRIx64 " usage %u "
			    "before (must be UNUSED and Unused)",
			    t, a->rc, a->usage);
	if (b->rc != PTD_RC_UNIQUE || b->usage != PTD_USAGE_FRAME || !b->storage_init ||
	    !b->vtable_init || b->in_list || !paths_are(x->pre, x->post, t, NULL, NULL))
		return fail(x, "claimed", "slot %" PRIu64 ": rc 0x%" PRIx64 " usage %u after", t,
			    b->rc, b->usage);
	return only_slot_changed(x, t);
}

/* from_unique_embedded, try_from_shared_embedded (docs/CONTRACTS.md#unique-frames): the slot's
 * rc moves from `from` to `to` (`transition`), usage, paths, in_list, storage (and vtable, by the
 * docstring and the invariant) kept (`rest-unchanged`); all else unchanged. */
static int unique_transition(struct ctx *x, ptd_paddr_t pa, uint64_t from, uint64_t to)
{
	uint64_t t = pa / PTD_PAGE_SIZE;
	const struct ptd_slot_view *a = pre_slot(x, t), *b = post_slot(x, t);
	if (a->rc != from || b->rc != to)
		return fail(x, "transition",
			    "slot %" PRIu64 ": rc 0x%" PRIx64 " -> 0x%" PRIx64 " (want 0x%" PRIx64
			    " -> 0x%" PRIx64 ")",
			    t, a->rc, b->rc, from, to);
	if (!rest_kept(x, t))
		return fail(x, "rest-unchanged", "slot %" PRIu64 " changed beyond rc", t);
	return only_slot_changed(x, t);
}

/* The clauses unique_drop_embedded, from_unique_embedded and try_from_shared_embedded share
 * (docs/CONTRACTS.md#unique-frames): None => nothing changes; Some only for the op's handle live
 * before (`handles`), its UniqueFrame (unique) or its Frame (try_from_shared).  Returns 1 when the
 * op succeeded and the caller's own clauses follow (*pa: the handle's paddr), else the verdict
 * (0 holds, -1 fails). */
static int handle_preconditions(struct ctx *x, int unique, ptd_paddr_t *pa)
{
	if (x->res->status != PTD_OK)
		return all_unchanged(x);
	if (unique ? !unique_paddr(x->pre, x->op->unique, pa)
		   : !frame_paddr(x->pre, x->op->frame, pa))
		return fail(x, "handles", "handle not live before");
	return 1;
}

/* unique_drop_embedded: UNIQUE to UNUSED (`drop-one`, which keeps usage, paths and in_list). */
static int unique_drop_embedded(struct ctx *x)
{
	ptd_paddr_t pa = 0;
	int go = handle_preconditions(x, 1, &pa);
	if (go <= 0)
		return go;
	if (pre_slot(x, pa / PTD_PAGE_SIZE)->rc != PTD_RC_UNIQUE)
		return fail(x, "drop-one", "slot %" PRIu64 " of a unique handle not UNIQUE before",
			    pa / PTD_PAGE_SIZE);
	memset(x->c->may_change, 0, x->pre->nslots);
	return dropped_one(x, pa / PTD_PAGE_SIZE) || others_unchanged(x);
}

static int from_unique_embedded(struct ctx *x)
{
	ptd_paddr_t pa = 0;
	int go = handle_preconditions(x, 1, &pa);
	if (go <= 0)
		return go;
	return unique_transition(x, pa, PTD_RC_UNIQUE, 1);
}

/* try_from_shared_embedded requires rc 1, usage Frame and no paths; lemma_step_try_from_shared
 * takes the success branch exactly when rc is 1 (refusal_reason checks the other way). */
static int try_from_shared_embedded(struct ctx *x)
{
	ptd_paddr_t pa = 0;
	int go = handle_preconditions(x, 0, &pa);
	if (go <= 0)
		return go;
	if (pre_slot(x, pa / PTD_PAGE_SIZE)->usage != PTD_USAGE_FRAME ||
	    npaths(x->pre, pa / PTD_PAGE_SIZE))
		return fail(x, "transition", "slot %" PRIu64 " not an unmapped Frame before",
			    pa / PTD_PAGE_SIZE);
	return unique_transition(x, pa, 1, PTD_RC_UNIQUE);
}

/* ---- readers and writers: the exec specs of ostd/src/mm/io.rs (the embedding steps are
 * no-ops on the store, docs/CONTRACTS.md#io) ---- */

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
		return fail(x, "end-kept",
			    "io%u range [0x%" PRIx64 ", 0x%" PRIx64 ") -> [0x%" PRIx64
			    ", 0x%" PRIx64 ")",
			    x->op->io, a->start, a->end, b->start, b->end);
	if (x->res->status != PTD_OK) {
		if (b->cursor != a->cursor)
			return fail(x, "err-unchanged",
				    "io%u cursor 0x%" PRIx64 " -> 0x%" PRIx64 " on an error",
				    x->op->io, a->cursor, b->cursor);
		return all_unchanged(x);
	}
	want = x->op->kind == PTD_OP_READER_COLLECT ? a->end - a->cursor : x->op->len;
	if (b->cursor - a->cursor != want || x->res->count != want)
		return fail(x, "ok-advances",
			    "io%u cursor 0x%" PRIx64 " -> 0x%" PRIx64 ", count %" PRIu64
			    ", value of %" PRIu64 " bytes",
			    x->op->io, a->cursor, b->cursor, x->res->count, want);
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
		return fail(x, "reports-handle",
			    "io%u: cursor 0x%" PRIx64 " left %" PRIu64 ", reported 0x%" PRIx64
			    " left %" PRIu64,
			    x->op->io, a->cursor, a->end - a->cursor, x->res->va, x->res->count);
	return all_unchanged(x);
}

/* ---- refusals: the reason docs/POLICY.md gives for each status ---- */

/* Free slots of the page-table pool, and the nodes an op would allocate (docs/POLICY.md §2). */
static uint64_t free_pool(const struct ctx *x)
{
	uint64_t n = 0;
	for (uint64_t i = x->c->pool_start; i < x->pre->nslots; i++)
		n += x->pre->slots[i].rc == PTD_RC_UNUSED;
	return n;
}

static int node_exists(const struct ptd_view *v, ptd_id_t vs, uint32_t depth, ptd_vaddr_t base)
{
	struct ptd_pos pos = { .vs = vs, .depth = depth, .va = base };
	for (size_t i = 0; i < v->npaths; i++)
		if (!ptd_pos_cmp(&v->paths[i].pos, &pos))
			return 1;
	return 0;
}

/* Nodes on the way from the root to the level-1 node over va that do not exist (Map). */
static uint64_t map_needs(const struct ptd_view *v, ptd_id_t vs, ptd_vaddr_t va)
{
	for (uint32_t d = 1; d < PTD_LEAF_DEPTH; d++) {
		uint64_t span = PTD_ENTRY_SPAN(5 - d);
		if (!node_exists(v, vs, d, va / span * span))
			return PTD_LEAF_DEPTH - d;
	}
	return 0;
}

/* Nodes the guard-level descent of OpenCursor over [start, end) would allocate. */
static uint64_t open_needs(const struct ptd_view *v, ptd_id_t vs, ptd_vaddr_t start,
			   ptd_vaddr_t end)
{
	uint64_t need = 0;
	for (int level = PTD_NR_LEVELS; level > 1; level--) {
		uint64_t span = PTD_ENTRY_SPAN(level);
		if (start / span != (end - 1) / span)
			break;
		if (need || !node_exists(v, vs, (uint32_t)(5 - level), start / span * span))
			need++;
	}
	return need;
}

/* Whether the byte at addr of reader/writer io can be moved (docs/POLICY.md "Readers and
 * writers": a tracked mapping, writable for a writer; kernel memory always). */
static int io_byte_ok(const struct ptd_view *v, const struct ptd_io_view *io, ptd_vaddr_t addr)
{
	const struct ptd_mapping_view *m;
	if (!io->vs)
		return 1;
	m = mapping_of(v, io->vs, addr / PTD_PAGE_SIZE * PTD_PAGE_SIZE);
	return m && m->tracked && (io->kind == PTD_IO_READER || (m->prop.flags & PTD_PF_W));
}

/* Some byte of [from, from + n) of io cannot be moved.  More pages than mappings means one is
 * unmapped, so the page-by-page walk is bounded by the mapping count. */
static int io_range_faults(const struct ptd_view *v, const struct ptd_io_view *io, ptd_vaddr_t from,
			   uint64_t n)
{
	uint64_t first, last;
	if (!n || !io->vs)
		return 0;
	first = from / PTD_PAGE_SIZE;
	last = (from + n - 1) / PTD_PAGE_SIZE;
	if (last - first >= v->nmaps)
		return 1;
	for (uint64_t p = first; p <= last; p++)
		if (!io_byte_ok(v, io, p * PTD_PAGE_SIZE))
			return 1;
	return 0;
}

static uint64_t min3(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t m = a < b ? a : b;
	return m < c ? m : c;
}

/* The reason a frame op on paddr gives for st holds (FrameFromUnused, FrameFromInUse,
 * UniqueFromUnused: docs/POLICY.md steps 1-6). */
static int frame_reason(const struct ctx *x, int st)
{
	ptd_paddr_t pa = x->op->paddr;
	const struct ptd_slot_view *s;
	int live;
	if (st == PTD_ERR_NOT_ALIGNED)
		return pa % PTD_PAGE_SIZE != 0;
	if (st == PTD_ERR_OUT_OF_BOUND)
		return pa / PTD_PAGE_SIZE >= x->pre->nslots;
	if (!valid_frame_paddr(x, pa))
		return 0;
	s = pre_slot(x, pa / PTD_PAGE_SIZE);
	live = s->rc != PTD_RC_UNUSED && s->rc != PTD_RC_UNIQUE;
	switch (x->op->kind) {
	case PTD_OP_FRAME_FROM_IN_USE:
		return (st == PTD_ERR_UNUSED && s->rc == PTD_RC_UNUSED) ||
		       (st == PTD_ERR_UNIQUE && s->rc == PTD_RC_UNIQUE) ||
		       (st == PTD_ERR_NOT_FRAME && live && s->usage != PTD_USAGE_FRAME) ||
		       (st == PTD_ERR_WOULD_PANIC && live && s->rc >= PTD_RC_MAX);
	case PTD_OP_UNIQUE_FROM_UNUSED:
		if (st == PTD_ERR_NOT_FRESH)
			return s->rc == PTD_RC_UNUSED && s->usage != PTD_USAGE_UNUSED;
		/* fall through */
	default:
		return (st == PTD_ERR_UNIQUE && s->rc == PTD_RC_UNIQUE) ||
		       (st == PTD_ERR_IN_USE && live);
	}
}

static int segment_from_unused_reason(const struct ctx *x, int st)
{
	ptd_paddr_t pa = x->op->paddr, mem = x->pre->nslots * PTD_PAGE_SIZE;
	uint64_t len = x->op->len;
	if (st == PTD_ERR_NOT_ALIGNED)
		return pa % PTD_PAGE_SIZE || len % PTD_PAGE_SIZE;
	if (st == PTD_ERR_OUT_OF_BOUND)
		return pa >= mem || len > mem - pa;
	if (st == PTD_ERR_WOULD_PANIC)
		return !len;
	if (pa % PTD_PAGE_SIZE || len % PTD_PAGE_SIZE || pa >= mem || len > mem - pa)
		return 0;
	for (uint64_t t = pa / PTD_PAGE_SIZE; t < (pa + len) / PTD_PAGE_SIZE; t++) {
		uint64_t rc = pre_slot(x, t)->rc; /* the lowest slot in use decides */
		if (rc != PTD_RC_UNUSED)
			return st == (rc == PTD_RC_UNIQUE ? PTD_ERR_UNIQUE : PTD_ERR_IN_USE);
	}
	return 0;
}

/* Some slot of [start, end) cannot take one more reference. */
static int saturated(const struct ctx *x, ptd_paddr_t start, ptd_paddr_t end)
{
	for (uint64_t t = start / PTD_PAGE_SIZE; t < end / PTD_PAGE_SIZE && t < x->pre->nslots; t++)
		if (pre_slot(x, t)->rc >= PTD_RC_MAX && pre_slot(x, t)->rc != PTD_RC_UNUSED &&
		    pre_slot(x, t)->rc != PTD_RC_UNIQUE)
			return 1;
	return 0;
}

static int cursor_reason(const struct ctx *x, const struct ptd_cursor_view *c, int st)
{
	const struct ptd_op *op = x->op;
	const struct ptd_mapping_view *m;
	int len_bad = op->len % PTD_PAGE_SIZE || op->len > c->end - c->va;
	if (st == PTD_ERR_READ_ONLY)
		return c->kind == PTD_CURSOR_READ_ONLY && mutates_maps(op->kind);
	switch (op->kind) {
	case PTD_OP_QUERY:
		if (st == PTD_ERR_OUT_OF_RANGE)
			return c->va >= c->end;
		m = mapping_of(x->pre, c->vs, c->va);
		return st == PTD_ERR_WOULD_PANIC && m && m->tracked &&
		       m->pa / PTD_PAGE_SIZE < x->pre->nslots &&
		       pre_slot(x, m->pa / PTD_PAGE_SIZE)->rc >= PTD_RC_MAX;
	case PTD_OP_JUMP:
		return (st == PTD_ERR_WOULD_PANIC && op->va % PTD_PAGE_SIZE) ||
		       (st == PTD_ERR_OUT_OF_RANGE && (op->va < c->start || op->va >= c->end));
	case PTD_OP_MAP_IOMEM:
		if (st == PTD_ERR_NOT_ALIGNED)
			return op->paddr % PTD_PAGE_SIZE != 0;
		if (st == PTD_ERR_OUT_OF_BOUND)
			return op->paddr < x->c->iomem_base || op->paddr >= x->c->iomem_end;
		/* fall through */
	case PTD_OP_MAP:
		return st == PTD_ERR_WOULD_PANIC &&
		       (c->va >= c->end || free_pool(x) < map_needs(x->pre, c->vs, c->va));
	default: /* FindNext, Unmap, TakeNext, ProtectNext: OSTD panics on a bad length */
		return st == PTD_ERR_WOULD_PANIC && takes_len(op->kind) && len_bad;
	}
}

static int io_reason(const struct ctx *x, int st)
{
	const struct ptd_op *op = x->op;
	const struct ptd_io_view *io = io_of(x->pre, op->io), *w;
	uint64_t left, n;
	if (!io)
		return 0;
	left = io->end - io->cursor;
	switch (op->kind) {
	case PTD_OP_IO_READ:
	case PTD_OP_IO_WRITE:
	case PTD_OP_IO_FILL_ZEROS:
		n = op->len < left ? op->len : left;
		return st == PTD_ERR_FAULT && x->res->count < n &&
		       !io_byte_ok(x->pre, io, io->cursor + x->res->count);
	case PTD_OP_IO_COPY:
		if (!(w = io_of(x->pre, op->io2)))
			return 0;
		n = min3(op->len, left, w->end - w->cursor);
		return st == PTD_ERR_FAULT && x->res->count < n &&
		       (!io_byte_ok(x->pre, io, io->cursor + x->res->count) ||
			!io_byte_ok(x->pre, w, w->cursor + x->res->count));
	case PTD_OP_IO_SKIP:
		return st == PTD_ERR_WOULD_PANIC && op->len > left;
	case PTD_OP_READER_READ_VAL:
	case PTD_OP_WRITER_WRITE_VAL:
		if (st == PTD_ERR_INVALID_ARGS)
			return op->len > left;
		return st == PTD_ERR_FAULT && op->len <= left &&
		       io_range_faults(x->pre, io, io->cursor, op->len);
	case PTD_OP_READER_COLLECT:
		return st == PTD_ERR_FAULT && io_range_faults(x->pre, io, io->cursor, left);
	default:
		return 0;
	}
}

/*
 * A refused call has a reason: the status is one docs/POLICY.md gives the op, for a condition
 * that holds in the state before (the contract's own precondition failing is such a reason:
 * SegmentSplit's offset, SegmentClone's saturation, DropVmSpace's live cursor...).  A call the
 * precondition allows, refused for no reason, fails `refusal-reason`; so does a status the op
 * never returns.
 */
static int refusal_reason(struct ctx *x)
{
	const struct ptd_op *op = x->op;
	const struct ptd_view *v = x->pre;
	const struct ptd_cursor_view *c;
	const struct ptd_segment_view *s;
	int st = x->res->status, why = 0;
	ptd_paddr_t pa;
	switch (op->kind) {
	case PTD_OP_NEW_VM_SPACE:
		why = st == PTD_ERR_WOULD_PANIC && free_pool(x) < 1;
		break;
	case PTD_OP_DROP_VM_SPACE:
		for (size_t i = 0; i < v->ncursors; i++)
			why |= v->cursors[i].vs == op->vs;
		for (size_t i = 0; i < v->nios; i++)
			why |= v->ios[i].vs == op->vs;
		why &= st == PTD_ERR_BUSY;
		break;
	case PTD_OP_OPEN_CURSOR:
	case PTD_OP_OPEN_CURSOR_MUT:
		if (st == PTD_ERR_BAD_RANGE)
			why = !(op->va < op->end && op->va % PTD_PAGE_SIZE == 0 &&
				op->end % PTD_PAGE_SIZE == 0 && op->end <= PTD_USER_END);
		else if (st == PTD_ERR_BUSY)
			for (size_t i = 0; i < v->ncursors; i++)
				why |= v->cursors[i].vs == op->vs;
		else if (st == PTD_ERR_WOULD_PANIC)
			why = op->va < op->end &&
			      free_pool(x) < open_needs(v, op->vs, op->va, op->end);
		break;
	case PTD_OP_FRAME_FROM_UNUSED:
	case PTD_OP_FRAME_FROM_IN_USE:
	case PTD_OP_UNIQUE_FROM_UNUSED:
		why = frame_reason(x, st);
		break;
	case PTD_OP_SEGMENT_FROM_UNUSED:
		why = segment_from_unused_reason(x, st);
		break;
	case PTD_OP_SEGMENT_SPLIT:
		why = st == PTD_ERR_WOULD_PANIC && (s = segment_of(v, op->segment)) &&
		      (op->len % PTD_PAGE_SIZE || !op->len || op->len >= s->end - s->start);
		break;
	case PTD_OP_SEGMENT_CLONE:
		why = st == PTD_ERR_WOULD_PANIC && (s = segment_of(v, op->segment)) &&
		      saturated(x, s->start, s->end);
		break;
	case PTD_OP_SEGMENT_SLICE:
		why = st == PTD_ERR_WOULD_PANIC && (s = segment_of(v, op->segment)) &&
		      (op->paddr % PTD_PAGE_SIZE || op->len % PTD_PAGE_SIZE || !op->len ||
		       op->paddr < s->start || op->paddr >= s->end ||
		       op->len > s->end - op->paddr ||
		       saturated(x, op->paddr, op->paddr + op->len));
		break;
	case PTD_OP_TRY_FROM_SHARED:
		why = st == PTD_ERR_SHARED && frame_paddr(v, op->frame, &pa) &&
		      pre_slot(x, pa / PTD_PAGE_SIZE)->rc != 1;
		break;
	case PTD_OP_NEW_READER:
	case PTD_OP_NEW_WRITER:
		why = st == PTD_ERR_BAD_RANGE && (op->len > PTD_MAX_USERSPACE_VADDR ||
						  op->va > PTD_MAX_USERSPACE_VADDR - op->len);
		break;
	case PTD_OP_NEW_KERNEL_READER:
	case PTD_OP_NEW_KERNEL_WRITER:
		why = st == PTD_ERR_BAD_RANGE &&
		      (op->len > PTD_KERNEL_BYTES || op->va > PTD_KERNEL_BYTES - op->len);
		break;
	default: /* an op on its own cursor, or on a reader or writer */
		if (on_own_cursor(op->kind))
			why = (c = cursor_of(v, op->cursor)) && cursor_reason(x, c, st);
		else
			why = io_reason(x, st);
		break;
	}
	if (why)
		return 0;
	return fail(x, "refusal-reason",
		    "refused with status %d, whose reason (docs/POLICY.md) "
		    "does not hold before the op",
		    st);
}

/* ---- the store step: what each op does to the handle maps ---- */

static ptd_id_t id_at(const unsigned char *entry)
{
	ptd_id_t id;
	memcpy(&id, entry, sizeof id);
	return id;
}

/*
 * The id-sorted list post is pre with the entry of id `del` (0: none) removed and the n entries
 * of `add` (ascending ids) inserted, every other entry unchanged; the entries of ids skip[0] and
 * skip[1] (0: none) are left out of both, for the caller to check.  `del` must have been in pre.
 */
static int list_is(const void *pre, size_t npre, const void *post, size_t npost, size_t size,
		   ptd_id_t del, const void *add, size_t nadd, const ptd_id_t skip[2])
{
	const unsigned char *a = pre, *b = post, *c = add;
	size_t i = 0, j = 0, k = 0;
	int deleted = !del;
#define SKIPPED(id) ((id) && ((id) == skip[0] || (id) == skip[1]))
	for (;;) {
		const unsigned char *want;
		if (i < npre && (id_at(a + i * size) == del || SKIPPED(id_at(a + i * size)))) {
			deleted |= id_at(a + i * size) == del;
			i++;
			continue;
		}
		if (j < npost && SKIPPED(id_at(b + j * size))) {
			j++;
			continue;
		}
		if (i < npre && (k == nadd || id_at(a + i * size) < id_at(c + k * size)))
			want = a + i++ * size;
		else if (k < nadd)
			want = c + k++ * size;
		else
			break;
		if (j == npost || !ptd_bytes_equal(want, b + j++ * size, size))
			return 0;
	}
	while (j < npost && SKIPPED(id_at(b + j * size)))
		j++;
#undef SKIPPED
	return deleted && j == npost;
}

/*
 * A list the step must leave as it was (nothing deleted, nothing added) in a part the op did
 * not touch: in incremental checking pre's and post's lists of such a part are the same copy,
 * so comparing them would prove nothing.  A list the step changes is always compared: a change
 * in a part the op table says the op cannot touch fails here.
 */
#define KNOWN_KEPT(x, PART, del, nadd) \
	((x)->c->only && !((x)->c->parts & PTD_PART_BIT_##PART) && !(del) && !(nadd))

#define LIST_IS(x, name, del, add, nadd, skip)                                          \
	list_is((x)->pre->name, (x)->pre->n##name, (x)->post->name, (x)->post->n##name, \
		sizeof *(x)->pre->name, del, add, nadd, skip)

/* The op's own cursor keeps its space, kind and locked range (every cursor step's
 * `final(entry).vm_space/kind/va == old(entry)...`). */
static int cursor_kept(struct ctx *x, ptd_id_t id)
{
	const struct ptd_cursor_view *a = cursor_of(x->pre, id), *b = cursor_of(x->post, id);
	if (!a || !b || a->vs != b->vs || a->kind != b->kind || a->start != b->start ||
	    a->end != b->end)
		return fail(x, "cursor-entry", "cursor c%u lost its space, kind or range", id);
	return 0;
}

/* The op's own reader or writer keeps its space, kind and start (vm_io_method_step, read_step);
 * its end only shrinks, by IoLimit (ptdiff's end is the limit); its cursor never moves back and
 * stays inside (`final.range.start >= old.range.start`, `final.range.end == old.range.end`). */
static int io_kept(struct ctx *x, ptd_id_t id)
{
	const struct ptd_io_view *a = io_of(x->pre, id), *b = io_of(x->post, id);
	int limit = x->op->kind == PTD_OP_IO_LIMIT;
	if (!a || !b || a->vs != b->vs || a->kind != b->kind || a->start != b->start ||
	    (limit ? b->end > a->end : b->end != a->end) || b->cursor < a->cursor ||
	    b->cursor > b->end)
		return fail(x, "io-entry",
			    "io%u: [0x%" PRIx64 ", 0x%" PRIx64 ") at 0x%" PRIx64 " -> [0x%" PRIx64
			    ", 0x%" PRIx64 ") at 0x%" PRIx64,
			    id, a ? a->start : 0, a ? a->end : 0, a ? a->cursor : 0,
			    b ? b->start : 0, b ? b->end : 0, b ? b->cursor : 0);
	return 0;
}

/*
 * lemma_step's store effect for the op (ostd/specs/mm/embedding/mod.rs): which FrameEntry,
 * SegmentEntry, UniqueEntry, CursorEntry, VmIoEntry and address space it registers or removes;
 * every other entry unchanged, and the mappings unchanged unless the op is a page-table
 * mutation.  A refused call registers and removes nothing.
 */
static int store_effect(struct ctx *x)
{
	const struct ptd_op *op = x->op;
	const struct ptd_segment_view *s = segment_of(x->pre, op->segment);
	struct ptd_frame_view fa = { 0 };
	struct ptd_segment_view sa[2] = { { 0 } };
	struct ptd_unique_view ua = { 0 };
	struct ptd_cursor_view ca = { 0 };
	struct ptd_io_view ia = { 0 };
	ptd_id_t fdel = 0, sdel = 0, udel = 0, cdel = 0, idel = 0, vdel = 0, vadd = 0;
	ptd_id_t none[2] = { 0, 0 }, cskip[2] = { 0, 0 }, iskip[2] = { 0, 0 };
	size_t nfa = 0, nsa = 0, nua = 0, nca = 0, nia = 0;
	int maps_may_change = 0;
	ptd_paddr_t pa = 0;

	/* The op's own cursor or readers/writers (not used up): checked alone below. */
	if (on_own_cursor(op->kind))
		cskip[0] = op->cursor;
	if (io_arg(op->kind, 0) && op_shapes[op->kind].consumes != PTD_H_IO)
		iskip[0] = op->io;
	if (io_arg(op->kind, 1)) /* IoCopy's writer */
		iskip[1] = op->io2;
	if (x->res->status == PTD_OK) {
		/* Only page-table mutations change mappings. */
		maps_may_change = mutates_maps(op->kind);
		switch (op->kind) {
		case PTD_OP_NEW_VM_SPACE:
			vadd = x->res->new_id;
			break;
		case PTD_OP_DROP_VM_SPACE:
			vdel = op->vs;
			break;
		case PTD_OP_OPEN_CURSOR:
		case PTD_OP_OPEN_CURSOR_MUT:
			ca = (struct ptd_cursor_view){ .id = x->res->new_id,
						       .vs = op->vs,
						       .start = op->va,
						       .end = op->end,
						       .va = op->va,
						       .kind = op->kind == PTD_OP_OPEN_CURSOR_MUT
								       ? PTD_CURSOR_MUTABLE
								       : PTD_CURSOR_READ_ONLY };
			nca = 1;
			break;
		case PTD_OP_DROP_CURSOR:
			cdel = op->cursor;
			break;
		case PTD_OP_QUERY:
			if (x->res->found && x->res->tracked) {
				fa = (struct ptd_frame_view){ .id = x->res->new_id,
							      .paddr = x->res->paddr };
				nfa = 1;
			}
			break;
		case PTD_OP_MAP:
			fdel = op->frame; /* consumed: its reference moved into the PTE */
			break;
		case PTD_OP_FRAME_FROM_UNUSED:
		case PTD_OP_FRAME_FROM_IN_USE:
			fa = (struct ptd_frame_view){ .id = x->res->new_id, .paddr = op->paddr };
			nfa = 1;
			break;
		case PTD_OP_FRAME_DROP:
			fdel = op->frame;
			break;
		case PTD_OP_SEGMENT_FROM_UNUSED:
			sa[0] = (struct ptd_segment_view){ .id = x->res->new_id,
							   .start = op->paddr,
							   .end = op->paddr + op->len };
			nsa = 1;
			break;
		case PTD_OP_SEGMENT_DROP:
			sdel = op->segment;
			break;
		case PTD_OP_SEGMENT_SPLIT: /* two new ids for the halves, left first */
			if (!s)
				break;
			sdel = op->segment;
			sa[0] = (struct ptd_segment_view){ .id = x->res->new_id,
							   .start = s->start,
							   .end = s->start + op->len };
			sa[1] = (struct ptd_segment_view){ .id = x->res->new_id2,
							   .start = s->start + op->len,
							   .end = s->end };
			nsa = 2;
			break;
		case PTD_OP_SEGMENT_NEXT: /* a FrameEntry at the front page; the rest, if any */
			if (!s)
				break;
			fa = (struct ptd_frame_view){ .id = x->res->new_id, .paddr = s->start };
			nfa = 1;
			sdel = op->segment;
			sa[0] = (struct ptd_segment_view){ .id = s->id,
							   .start = s->start + PTD_PAGE_SIZE,
							   .end = s->end };
			nsa = sa[0].start < sa[0].end;
			break;
		case PTD_OP_SEGMENT_CLONE:
		case PTD_OP_SEGMENT_SLICE:
			if (!s)
				break;
			sa[0] = (struct ptd_segment_view){ .id = x->res->new_id,
							   .start = s->start,
							   .end = s->end };
			if (op->kind == PTD_OP_SEGMENT_SLICE)
				sa[0].start = op->paddr, sa[0].end = op->paddr + op->len;
			nsa = 1;
			break;
		case PTD_OP_UNIQUE_FROM_UNUSED:
			ua = (struct ptd_unique_view){ .id = x->res->new_id, .paddr = op->paddr };
			nua = 1;
			break;
		case PTD_OP_UNIQUE_DROP:
			udel = op->unique;
			break;
		case PTD_OP_FROM_UNIQUE:
			udel = op->unique;
			unique_paddr(x->pre, op->unique, &pa);
			fa = (struct ptd_frame_view){ .id = x->res->new_id, .paddr = pa };
			nfa = 1;
			break;
		case PTD_OP_TRY_FROM_SHARED:
			fdel = op->frame;
			frame_paddr(x->pre, op->frame, &pa);
			ua = (struct ptd_unique_view){ .id = x->res->new_id, .paddr = pa };
			nua = 1;
			break;
		case PTD_OP_NEW_READER:
		case PTD_OP_NEW_WRITER:
		case PTD_OP_NEW_KERNEL_READER:
		case PTD_OP_NEW_KERNEL_WRITER:
			ia = (struct ptd_io_view){
				.id = x->res->new_id,
				.start = op->va,
				.cursor = op->va,
				.end = op->va + op->len,
				.vs = op->kind == PTD_OP_NEW_READER || op->kind == PTD_OP_NEW_WRITER
					      ? op->vs
					      : 0,
				.kind = op->kind == PTD_OP_NEW_READER ||
							op->kind == PTD_OP_NEW_KERNEL_READER
						? PTD_IO_READER
						: PTD_IO_WRITER
			};
			nia = 1;
			break;
		case PTD_OP_IO_DROP:
			idel = op->io;
			break;
		default:
			break;
		}
	}
	if (nsa == 2 && sa[0].id > sa[1].id) { /* list_is inserts in id order */
		struct ptd_segment_view tmp = sa[0];
		sa[0] = sa[1];
		sa[1] = tmp;
	}
	if (!KNOWN_KEPT(x, FRAMES, fdel, nfa) && !LIST_IS(x, frames, fdel, &fa, nfa, none))
		return fail(x, "frame-entry", "Frame handles are not those before%s%s",
			    fdel ? " less the one used up" : "", nfa ? " plus the new one" : "");
	if (!KNOWN_KEPT(x, SEGMENTS, sdel, nsa) && !LIST_IS(x, segments, sdel, sa, nsa, none))
		return fail(x, "segment-entry", "segments are not those the step leaves");
	if (!KNOWN_KEPT(x, UNIQUES, udel, nua) && !LIST_IS(x, uniques, udel, &ua, nua, none))
		return fail(x, "unique-entry", "unique handles are not those the step leaves");
	if (!KNOWN_KEPT(x, VMSPACES, vdel, vadd) &&
	    !LIST_IS(x, vmspaces, vdel, &vadd, vadd != 0, none))
		return fail(x, "vm-space-entry", "address spaces are not those the step leaves");
	if (!KNOWN_KEPT(x, CURSORS, cdel, nca) && !LIST_IS(x, cursors, cdel, &ca, nca, cskip))
		return fail(x, "cursor-entry", "cursors are not those the step leaves");
	if (cskip[0] && cursor_kept(x, cskip[0]))
		return -1;
	if (!KNOWN_KEPT(x, IOS, idel, nia) && !LIST_IS(x, ios, idel, &ia, nia, iskip))
		return fail(x, "io-entry", "readers and writers are not those the step leaves");
	for (int k = 0; k < 2; k++)
		if (iskip[k] && io_kept(x, iskip[k]))
			return -1;
	if (!maps_may_change && !KNOWN_KEPT(x, MAPS, 0, 0) &&
	    (x->pre->nmaps != x->post->nmaps ||
	     memcmp(x->pre->maps, x->post->maps, x->pre->nmaps * sizeof *x->pre->maps)))
		return fail(x, "mappings-unchanged", "the mappings changed");
	return 0;
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
	if (res->status != PTD_OK && refusal_reason(&x))
		return -1;
	return contracts[op->kind].check(&x) || store_effect(&x);
}
