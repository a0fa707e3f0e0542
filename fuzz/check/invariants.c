/* SPDX-License-Identifier: MIT */
/*
 * The invariants of docs/CONTRACTS.md#invariants on one canonical view: per-slot clauses
 * (MetaSlotOwner::inv, accounting_inv), handle ranges, the page-table shape, mappings against
 * the frames' positions, readers and writers, and cursors (no node locked by two cursors of
 * one space).  A full check visits only the slots that can break a clause (every other slot
 * holds the initial record), in order, so it finds the same first failure as a visit of all;
 * incremental checking looks at the slots and lists one op touched.  The per-slot counts
 * (handles, covering segments) live in struct ptd_checker and are undone after each check
 * rather than cleared.
 */
#include "invariants.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "state.h"

int ptd_checker_init(struct ptd_checker *c, const struct ptd_config *cfg)
{
	c->cfg = cfg;
	c->handles_at = calloc(cfg->nframes, sizeof *c->handles_at);
	c->cover = calloc(cfg->nframes + 1, sizeof *c->cover);
	c->uniques_at = calloc(cfg->nframes, sizeof *c->uniques_at);
	c->nodes_cap = cfg->nframes;
	c->nodes = calloc(c->nodes_cap, sizeof *c->nodes);
	c->visit = calloc((cfg->nframes + 63) / 64 + 1, sizeof *c->visit);
	if (!c->handles_at || !c->cover || !c->uniques_at || !c->nodes || !c->visit) {
		ptd_checker_fini(c);
		return -1;
	}
	return 0;
}

void ptd_checker_fini(struct ptd_checker *c)
{
	free(c->handles_at);
	free(c->cover);
	free(c->uniques_at);
	free(c->nodes);
	free(c->visit);
	c->visit = NULL;
	c->handles_at = NULL;
	c->cover = NULL;
	c->uniques_at = NULL;
	c->nodes = NULL;
}

static int fail(struct ptd_inv_failure *f, const char *clause, const char *fmt, ...)
{
	va_list ap;
	f->clause = clause;
	va_start(ap, fmt);
	vsnprintf(f->detail, sizeof f->detail, fmt, ap);
	va_end(ap);
	return -1;
}

/* Per-slot invariant, vostd meta_owners.rs MetaSlotOwner::inv (docs/CONTRACTS.md#slot-inv), plus
 * structural_inv item 3: no slot is on a free list. */
static int check_slot(uint64_t i, const struct ptd_slot_view *s, size_t npaths,
		      struct ptd_inv_failure *f)
{
	if (s->in_list != 0)
		return fail(f, "slot-in-list", "slot %" PRIu64 ": in_list %" PRIu64, i, s->in_list);
	if (s->rc == PTD_RC_UNUSED) {
		if (s->storage_init || s->vtable_init || npaths)
			return fail(f, "slot-unused",
				    "slot %" PRIu64 ": UNUSED but storage %u vtable %u paths %zu",
				    i, s->storage_init, s->vtable_init, npaths);
	} else if (s->rc == PTD_RC_UNIQUE) {
		if (!s->storage_init || !s->vtable_init || npaths)
			return fail(f, "slot-unique",
				    "slot %" PRIu64 ": UNIQUE but storage %u vtable %u paths %zu",
				    i, s->storage_init, s->vtable_init, npaths);
	} else if (s->rc == 0 || s->rc > PTD_RC_MAX) {
		return fail(f, "slot-rc-range", "slot %" PRIu64 ": rc 0x%" PRIx64, i, s->rc);
	} else if (!s->storage_init || !s->vtable_init) {
		return fail(f, "slot-shared",
			    "slot %" PRIu64 ": rc %" PRIu64 " but storage %u vtable %u", i, s->rc,
			    s->storage_init, s->vtable_init);
	}
	if (s->usage >= PTD_USAGE_COUNT)
		return fail(f, "slot-usage", "slot %" PRIu64 ": usage %u", i, s->usage);
	return 0;
}

/* accounting_inv A1-A3 (docs/CONTRACTS.md#accounting-inv): H = Frame handles,
 * P = |paths_in_pt|, C = live segments covering the slot. */
static int check_accounting(uint64_t i, const struct ptd_slot_view *s, uint64_t h, uint64_t p,
			    uint64_t c, struct ptd_inv_failure *f)
{
	int sentinel = s->rc == PTD_RC_UNUSED || s->rc == PTD_RC_UNIQUE;
	if (s->rc == PTD_RC_UNUSED && (h || p || c))
		return fail(f, "accounting-free",
			    "slot %" PRIu64 ": UNUSED with H %" PRIu64 " P %" PRIu64 " C %" PRIu64,
			    i, h, p, c);
	if (s->usage != PTD_USAGE_FRAME)
		return 0;
	if (!sentinel && h + p + c == 0)
		return fail(f, "accounting-orphan",
			    "slot %" PRIu64 ": live Frame rc %" PRIu64
			    " with no handle, mapping or segment",
			    i, s->rc);
	if (h + p + c && (sentinel || s->rc != h + p + c))
		return fail(f, "accounting",
			    "slot %" PRIu64 ": rc 0x%" PRIx64 " != H %" PRIu64 " + P %" PRIu64
			    " + C %" PRIu64,
			    i, s->rc, h, p, c);
	return 0;
}

/* structural_inv 6 and 7 (docs/CONTRACTS.md#structural-inv): segments are page-aligned, non-empty,
 * inside physical memory; unique handles name valid frames, one per slot.  Fills c->cover (a
 * running sum over slots gives the number of segments covering each) and c->uniques_at, which
 * are all zero before (clear_handle_counts()). */
static int check_handle_ranges(struct ptd_checker *c, const struct ptd_view *v,
			       struct ptd_inv_failure *f)
{
	const uint64_t limit = v->nslots * PTD_PAGE_SIZE;
	for (size_t i = 0; i < v->nsegments; i++) {
		const struct ptd_segment_view *sg = &v->segments[i];
		if (sg->start >= sg->end || sg->start % PTD_PAGE_SIZE || sg->end % PTD_PAGE_SIZE ||
		    sg->end > limit)
			return fail(f, "segment-range",
				    "segment s%u [0x%" PRIx64 ", 0x%" PRIx64 ")", sg->id, sg->start,
				    sg->end);
		c->cover[sg->start / PTD_PAGE_SIZE]++;
		c->cover[sg->end / PTD_PAGE_SIZE]--;
	}
	for (size_t i = 0; i < v->nuniques; i++) {
		const struct ptd_unique_view *u = &v->uniques[i];
		if (u->paddr % PTD_PAGE_SIZE || u->paddr >= limit ||
		    c->uniques_at[u->paddr / PTD_PAGE_SIZE]++)
			return fail(f, "unique-handle",
				    "unique handle u%u at 0x%" PRIx64 " (invalid or shared)", u->id,
				    u->paddr);
	}
	return 0;
}

/* A slot a unique handle holds: Frame, UNIQUE, off every list, unmapped (structural_inv 7). */
static int check_unique_slot(uint64_t i, const struct ptd_slot_view *s, size_t npaths,
			     struct ptd_inv_failure *f)
{
	if (s->usage != PTD_USAGE_FRAME || s->rc != PTD_RC_UNIQUE || s->in_list || npaths)
		return fail(f, "unique-slot",
			    "slot %" PRIu64 " of a unique handle: usage %u rc 0x%" PRIx64
			    " paths %zu",
			    i, s->usage, s->rc, npaths);
	return 0;
}

/* A live page-table node: rc 1 (its parent's reference), one position: its own. */
static int check_node_slot(uint64_t i, const struct ptd_slot_view *s,
			   const struct ptd_path_view *first, size_t npaths,
			   struct ptd_inv_failure *f)
{
	if (s->rc == PTD_RC_UNUSED || s->usage != PTD_USAGE_PAGE_TABLE)
		return 0;
	if (s->rc != 1 || npaths != 1 || first->pos.depth >= PTD_LEAF_DEPTH)
		return fail(f, "pt-node",
			    "slot %" PRIu64 ": page-table node rc %" PRIu64 " with %zu positions",
			    i, s->rc, npaths);
	return 0;
}

static int bsearch_pos(const struct ptd_pos *arr, size_t n, const struct ptd_pos *key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = ptd_pos_cmp(&arr[mid], key);
		if (!c)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int cmp_pos(const void *a, const void *b)
{
	return ptd_pos_cmp(a, b);
}

/* Sorts the n positions p: by insertion when there are few (qsort's set-up costs more than the
 * sort of the handful of nodes an input has), else by qsort. */
static void sort_pos(struct ptd_pos *p, size_t n)
{
	if (n > 32) {
		qsort(p, n, sizeof *p, cmp_pos);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		struct ptd_pos x = p[i];
		size_t j = i;
		for (; j > 0 && ptd_pos_cmp(&p[j - 1], &x) > 0; j--)
			p[j] = p[j - 1];
		p[j] = x;
	}
}

static int has_vs(const struct ptd_view *v, ptd_id_t vs)
{
	for (size_t i = 0; i < v->nvmspaces; i++)
		if (v->vmspaces[i] == vs)
			return 1;
	return 0;
}

/* Node (vs, depth) covering va, whose base is va aligned down to the node's span. */
static struct ptd_pos node_pos(ptd_id_t vs, uint32_t depth, uint64_t va)
{
	uint64_t span = PTD_ENTRY_SPAN(5 - depth); /* depth d is a level 4-d node */
	return (struct ptd_pos){ .vs = vs, .depth = depth, .va = va & ~(span - 1) };
}

/* Page-table shape: every address space has a root; every node's parent exists; every
 * mapping hangs off a complete path of nodes. */
static int check_tree(struct ptd_checker *c, const struct ptd_view *v, struct ptd_inv_failure *f)
{
	size_t n = 0;
	for (size_t i = 0; i < v->npaths; i++) {
		const struct ptd_path_view *p = &v->paths[i];
		if (p->pos.depth >= PTD_LEAF_DEPTH)
			continue;
		if (v->slots[p->slot].usage != PTD_USAGE_PAGE_TABLE || n == c->nodes_cap)
			return fail(f, "pt-node",
				    "slot %" PRIu64 " (usage %u) holds node position "
				    "(vs%u,%u,0x%" PRIx64 ")",
				    p->slot, v->slots[p->slot].usage, p->pos.vs, p->pos.depth,
				    p->pos.va);
		c->nodes[n++] = p->pos;
	}
	sort_pos(c->nodes, n);
	for (size_t i = 0; i < v->nvmspaces; i++) {
		struct ptd_pos root = { .vs = v->vmspaces[i], .depth = 0, .va = 0 };
		if (!bsearch_pos(c->nodes, n, &root))
			return fail(f, "pt-root", "address space vs%u has no root node",
				    v->vmspaces[i]);
	}
	for (size_t i = 0; i < n; i++) {
		const struct ptd_pos *p = &c->nodes[i];
		struct ptd_pos parent;
		if (!has_vs(v, p->vs))
			return fail(f, "pt-owner",
				    "node (vs%u,%u,0x%" PRIx64 ") of a dead address space", p->vs,
				    p->depth, p->va);
		if (p->depth == 0)
			continue;
		parent = node_pos(p->vs, p->depth - 1, p->va);
		if (!bsearch_pos(c->nodes, n, &parent))
			return fail(f, "pt-parent", "node (vs%u,%u,0x%" PRIx64 ") has no parent",
				    p->vs, p->depth, p->va);
	}
	for (size_t i = 0; i < v->nmaps; i++) {
		struct ptd_pos l1 = node_pos(v->maps[i].vs, PTD_LEAF_DEPTH - 1, v->maps[i].va);
		if (!bsearch_pos(c->nodes, n, &l1))
			return fail(f, "pt-leaf-node",
				    "mapping vs%u 0x%" PRIx64 " has no level-1 node", v->maps[i].vs,
				    v->maps[i].va);
	}
	return 0;
}

static const struct ptd_mapping_view *find_map(const struct ptd_view *v, ptd_id_t vs, uint64_t va)
{
	size_t lo = 0, hi = v->nmaps;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ptd_mapping_view *m = &v->maps[mid];
		if (m->vs == vs && m->va == va)
			return m;
		if (m->vs < vs || (m->vs == vs && m->va < va))
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Every mapping is well formed and its frame's paths hold it; every leaf position of a slot is
 * a mapping of that frame (metaregion_sound, docs/CONTRACTS.md#structural-inv). */
static int check_mappings(const struct ptd_checker *c, const struct ptd_view *v,
			  struct ptd_inv_failure *f)
{
	for (size_t i = 0; i < v->nmaps; i++) {
		const struct ptd_mapping_view *m = &v->maps[i];
		if (m->va % PTD_PAGE_SIZE || m->va >= PTD_USER_END || m->pa % PTD_PAGE_SIZE ||
		    !has_vs(v, m->vs))
			return fail(f, "mapping-shape", "mapping vs%u 0x%" PRIx64 " -> 0x%" PRIx64,
				    m->vs, m->va, m->pa);
		if (!m->tracked) {
			if (m->pa < c->cfg->iomem_base || m->pa >= c->cfg->iomem_end)
				return fail(f, "mapping-iomem",
					    "untracked mapping of 0x%" PRIx64
					    " outside the I/O window",
					    m->pa);
		} else {
			uint64_t slot = m->pa / PTD_PAGE_SIZE;
			const struct ptd_slot_view *s;
			struct ptd_pos want = { .vs = m->vs, .depth = PTD_LEAF_DEPTH, .va = m->va };
			size_t a, b, k;
			if (slot >= v->nslots)
				return fail(f, "mapping-shape",
					    "mapping of 0x%" PRIx64 " beyond physical memory",
					    m->pa);
			s = &v->slots[slot];
			if (s->usage != PTD_USAGE_FRAME || s->rc == 0 || s->rc > PTD_RC_MAX)
				return fail(f, "mapping-frame",
					    "mapped slot %" PRIu64 " usage %u rc 0x%" PRIx64, slot,
					    s->usage, s->rc);
			ptd_state_slot_paths(v, slot, &a, &b);
			for (k = a; k < b && ptd_pos_cmp(&v->paths[k].pos, &want); k++)
				;
			if (k == b)
				return fail(f, "mapping-path",
					    "slot %" PRIu64 " lacks position (vs%u,4,0x%" PRIx64
					    ")",
					    slot, m->vs, m->va);
		}
	}
	for (size_t i = 0; i < v->npaths; i++) {
		const struct ptd_path_view *p = &v->paths[i];
		const struct ptd_mapping_view *m;
		if (p->pos.depth != PTD_LEAF_DEPTH)
			continue;
		m = find_map(v, p->pos.vs, p->pos.va);
		if (!m || !m->tracked || m->pa / PTD_PAGE_SIZE != p->slot)
			return fail(f, "mapping-stale-path",
				    "slot %" PRIu64 " has position (vs%u,4,0x%" PRIx64
				    ") that maps something else",
				    p->slot, p->pos.vs, p->pos.va);
	}
	return 0;
}

/* Readers and writers (docs/CONTRACTS.md#structural-inv item 4): a live address space (none for
 * kernel ones), start <= cursor <= end, the range below MAX_USERSPACE_VADDR (inside kernel memory
 * for kernel ones); frame contents name real frames. */
static int check_ios(const struct ptd_view *v, struct ptd_inv_failure *f)
{
	for (size_t i = 0; i < v->nios; i++) {
		const struct ptd_io_view *io = &v->ios[i];
		uint64_t limit = io->vs ? PTD_MAX_USERSPACE_VADDR : PTD_KERNEL_BYTES;
		if ((io->vs && !has_vs(v, io->vs)) || io->start > io->cursor ||
		    io->cursor > io->end || io->end > limit || io->kind > PTD_IO_WRITER)
			return fail(f, "reader-writer",
				    "io%u: vs%u [0x%" PRIx64 ", 0x%" PRIx64 ") at 0x%" PRIx64,
				    io->id, io->vs, io->start, io->end, io->cursor);
	}
	for (size_t i = 0; i < v->ncontents; i++)
		if (v->contents[i].slot >= v->nslots)
			return fail(f, "contents", "contents of slot %" PRIu64 " beyond memory",
				    v->contents[i].slot);
	return 0;
}

/* A cursor's guard node: the lowest node whose span holds its whole range (docs/POLICY.md
 * OpenCursor step 4); it exists as long as the cursor lives. */
struct guard_pos {
	unsigned level;
	ptd_vaddr_t base, end;
};

static struct guard_pos cursor_guard(const struct ptd_cursor_view *cu)
{
	unsigned level = 1;

	while (level < PTD_NR_LEVELS &&
	       cu->start / PTD_ENTRY_SPAN(level + 1) != (cu->end - 1) / PTD_ENTRY_SPAN(level + 1))
		level++;
	/* span(NR_LEVELS + 1) = 2^48: the root covers every user address. */
	return (struct guard_pos){ level, cu->start - cu->start % PTD_ENTRY_SPAN(level + 1),
				   cu->start - cu->start % PTD_ENTRY_SPAN(level + 1) +
					   PTD_ENTRY_SPAN(level + 1) };
}

/*
 * Whether live cursor @b holds the lock of @a's guard node (docs/POLICY.md "Several cursors"):
 * it is @b's own guard, or lies below @b's guard and meets @b's range.  Two cursors of one
 * space holding a node in common would both hold its lock, so this is the whole check: a
 * shared node lies below both guards, so the lower guard lies below the higher one and meets
 * the other cursor's range.
 */
static int holds_guard_of(const struct ptd_cursor_view *b, const struct ptd_cursor_view *a)
{
	struct guard_pos ga = cursor_guard(a), gb = cursor_guard(b);

	if (ga.level == gb.level)
		return ga.base == gb.base;
	return ga.level < gb.level && gb.base <= ga.base && ga.end <= gb.end && ga.base < b->end &&
	       b->start < ga.end;
}

/* Cursors: live address space, well-formed range, va inside [start, end], and no node locked
 * by two cursors of one space. */
static int check_cursors(const struct ptd_view *v, struct ptd_inv_failure *f)
{
	for (size_t i = 0; i < v->ncursors; i++) {
		const struct ptd_cursor_view *cu = &v->cursors[i];
		if (!has_vs(v, cu->vs) || cu->start >= cu->end || cu->start % PTD_PAGE_SIZE ||
		    cu->end % PTD_PAGE_SIZE || cu->end > PTD_USER_END || cu->va < cu->start ||
		    cu->va > cu->end || cu->va % PTD_PAGE_SIZE)
			return fail(f, "cursor",
				    "cursor c%u: vs%u [0x%" PRIx64 ", 0x%" PRIx64 ") va 0x%" PRIx64,
				    cu->id, cu->vs, cu->start, cu->end, cu->va);
		for (size_t j = 0; j < i; j++) {
			const struct ptd_cursor_view *o = &v->cursors[j];

			if (o->vs == cu->vs && (holds_guard_of(o, cu) || holds_guard_of(cu, o)))
				return fail(f, "cursor-exclusive",
					    "cursors c%u [0x%" PRIx64 ", 0x%" PRIx64
					    ") and c%u [0x%" PRIx64 ", 0x%" PRIx64
					    ") of vs%u hold a node in common",
					    o->id, o->start, o->end, cu->id, cu->start, cu->end,
					    cu->vs);
		}
	}
	return 0;
}

/*
 * Undoes what a check counted (handles_at, cover, uniques_at), so that the next check starts
 * from all zeros without clearing every slot's counters: what was set is found from the
 * handles that set it.
 */
static void clear_handle_counts(struct ptd_checker *c, const struct ptd_view *v)
{
	for (size_t i = 0; i < v->nframes; i++)
		if (v->frames[i].paddr / PTD_PAGE_SIZE < v->nslots)
			c->handles_at[v->frames[i].paddr / PTD_PAGE_SIZE] = 0;
	for (size_t i = 0; i < v->nsegments; i++) {
		if (v->segments[i].start / PTD_PAGE_SIZE <= v->nslots)
			c->cover[v->segments[i].start / PTD_PAGE_SIZE] = 0;
		if (v->segments[i].end / PTD_PAGE_SIZE <= v->nslots)
			c->cover[v->segments[i].end / PTD_PAGE_SIZE] = 0;
	}
	for (size_t i = 0; i < v->nuniques; i++)
		if (v->uniques[i].paddr / PTD_PAGE_SIZE < v->nslots)
			c->uniques_at[v->uniques[i].paddr / PTD_PAGE_SIZE] = 0;
}

/*
 * Marks in c->visit the slots the per-slot clauses must look at: every slot whose record is not
 * the one POLICY.md §1 gives every slot (rc UNUSED, usage Unused, nothing initialised, off every
 * list), and every slot that a position, a Frame or unique handle or a segment names (a segment:
 * every slot it covers, and the one after it, where the count of covering segments changes).
 * Every per-slot clause holds at any other slot (an initial record, no path, no handle, no
 * segment), so visiting only these, in order, finds the same first failure as visiting all.
 */
static void mark_slots_to_visit(struct ptd_checker *c, const struct ptd_view *v)
{
	static const struct ptd_slot_view initial = { .rc = PTD_RC_UNUSED,
						      .usage = PTD_USAGE_UNUSED };
	const uint64_t n = v->nslots;

	memset(c->visit, 0, (n + 63) / 64 * sizeof *c->visit);
	for (uint64_t i = 0; i < n; i++)
		if (!ptd_slot_equal(&v->slots[i], &initial))
			ptd_bit_set(c->visit, i);
	for (size_t k = 0; k < v->npaths; k++)
		if (v->paths[k].slot < n)
			ptd_bit_set(c->visit, v->paths[k].slot);
	for (size_t k = 0; k < v->nframes; k++)
		if (v->frames[k].paddr / PTD_PAGE_SIZE < n)
			ptd_bit_set(c->visit, v->frames[k].paddr / PTD_PAGE_SIZE);
	for (size_t k = 0; k < v->nuniques; k++)
		if (v->uniques[k].paddr / PTD_PAGE_SIZE < n)
			ptd_bit_set(c->visit, v->uniques[k].paddr / PTD_PAGE_SIZE);
	for (size_t k = 0; k < v->nsegments; k++) /* ranges checked: check_handle_ranges() */
		for (uint64_t i = v->segments[k].start / PTD_PAGE_SIZE;
		     i <= v->segments[k].end / PTD_PAGE_SIZE && i < n; i++)
			ptd_bit_set(c->visit, i);
}

/* The next slot from i on to visit (mark_slots_to_visit()), or nslots. */
static uint64_t next_visit(const struct ptd_checker *c, uint64_t nslots, uint64_t i)
{
	while (i < nslots) {
		uint64_t rest = c->visit[i / 64] >> (i % 64);
		if (rest) {
			i += (uint64_t)__builtin_ctzll(rest);
			break;
		}
		i = (i / 64 + 1) * 64;
	}
	return i < nslots ? i : nslots;
}

/* The per-slot clauses at slot i: its record s, its npaths positions from first, h Frame handles,
 * covering segments, u unique handles. */
static int check_one_slot(uint64_t i, const struct ptd_slot_view *s,
			  const struct ptd_path_view *first, size_t npaths, uint64_t h,
			  uint64_t covering, uint64_t u, struct ptd_inv_failure *f)
{
	/* structural_inv 6: every page a segment covers is a Frame. */
	if (covering && s->usage != PTD_USAGE_FRAME)
		return fail(f, "segment-frame",
			    "slot %" PRIu64 " covered by a segment has "
			    "usage %u",
			    i, s->usage);
	if (check_slot(i, s, npaths, f) || check_accounting(i, s, h, npaths, covering, f) ||
	    check_node_slot(i, s, first, npaths, f) || (u && check_unique_slot(i, s, npaths, f)))
		return -1;
	/* UNIQUE means held by exactly one UniqueFrame (meta.rs REF_COUNT_UNIQUE). */
	if (s->rc == PTD_RC_UNIQUE && !u)
		return fail(f, "unique-orphan",
			    "slot %" PRIu64 " is UNIQUE but no unique "
			    "handle holds it",
			    i);
	return 0;
}

/* structural_inv 5: a Frame handle names a valid frame whose usage is Frame.  With count,
 * handles_at counts them per slot. */
static int check_frame_handles(struct ptd_checker *c, const struct ptd_view *v, int count,
			       struct ptd_inv_failure *f)
{
	for (size_t i = 0; i < v->nframes; i++) {
		uint64_t pa = v->frames[i].paddr, slot = pa / PTD_PAGE_SIZE;
		if (pa % PTD_PAGE_SIZE || slot >= v->nslots ||
		    v->slots[slot].usage != PTD_USAGE_FRAME)
			return fail(f, "frame-handle", "frame handle f%u at 0x%" PRIx64,
				    v->frames[i].id, pa);
		if (count)
			c->handles_at[slot]++;
	}
	return 0;
}

static int check_invariants(struct ptd_checker *c, const struct ptd_view *v,
			    struct ptd_inv_failure *f)
{
	size_t pi = 0;
	int64_t covering = 0;
	if (check_handle_ranges(c, v, f) || check_frame_handles(c, v, 1, f))
		return -1;
	mark_slots_to_visit(c, v);
	/* Paths are sorted by slot and every slot with a path is visited, so pi reaches each
	 * visited slot's paths; cover[] is 0 at every slot not visited, so covering is exact. */
	for (uint64_t i = next_visit(c, v->nslots, 0); i < v->nslots;
	     i = next_visit(c, v->nslots, i + 1)) {
		const struct ptd_slot_view *s = &v->slots[i];
		size_t first = pi;
		while (pi < v->npaths && v->paths[pi].slot == i)
			pi++;
		covering += c->cover[i];
		if (check_one_slot(i, s, &v->paths[first], pi - first, c->handles_at[i],
				   (uint64_t)covering, c->uniques_at[i], f))
			return -1;
	}
	if (pi != v->npaths)
		return fail(f, "path-slot",
			    "position recorded for slot %" PRIu64 " beyond physical memory",
			    v->paths[pi].slot);
	if (check_tree(c, v, f) || check_mappings(c, v, f) || check_cursors(v, f) ||
	    check_ios(v, f))
		return -1;
	return 0;
}

int ptd_check_invariants(struct ptd_checker *c, const struct ptd_view *v, struct ptd_inv_failure *f)
{
	int rc = check_invariants(c, v, f);
	clear_handle_counts(c, v);
	return rc;
}

/* The clauses about slot i's positions: a node position at a page-table slot, a leaf position
 * at a tracked mapping of this frame (metaregion_sound, as check_tree() and check_mappings()
 * say it from the other side). */
static int check_slot_positions(const struct ptd_view *v, uint64_t i, size_t a, size_t b,
				struct ptd_inv_failure *f)
{
	for (size_t k = a; k < b; k++) {
		const struct ptd_path_view *p = &v->paths[k];
		const struct ptd_mapping_view *m;
		if (p->pos.depth < PTD_LEAF_DEPTH) {
			if (v->slots[i].usage != PTD_USAGE_PAGE_TABLE)
				return fail(f, "pt-node",
					    "slot %" PRIu64 " (usage %u) holds node "
					    "position (vs%u,%u,0x%" PRIx64 ")",
					    i, v->slots[i].usage, p->pos.vs, p->pos.depth,
					    p->pos.va);
			continue;
		}
		m = find_map(v, p->pos.vs, p->pos.va);
		if (!m || !m->tracked || m->pa / PTD_PAGE_SIZE != i)
			return fail(f, "mapping-stale-path",
				    "slot %" PRIu64 " has position (vs%u,4,0x%" PRIx64
				    ") that maps something else",
				    i, p->pos.vs, p->pos.va);
	}
	return 0;
}

/*
 * Incremental checking: the clauses about what one op touched.  The per-slot clauses at every
 * slot in @slots, with its handles, positions and covering segments counted from the lists,
 * and the clauses about its positions; the handles' own clauses when the op may change a
 * handle list; the cursors, the readers and writers when it may change them.  The shape of the
 * whole tree (every node's parent, every mapping's leaf node) is left to the full checks: it
 * needs every node sorted, more than an op costs.
 */
static int check_touched(struct ptd_checker *c, const struct ptd_view *v, const uint64_t *slots,
			 uint32_t parts, struct ptd_inv_failure *f)
{
	if ((parts & (PTD_PART_BIT_FRAMES | PTD_PART_BIT_SEGMENTS | PTD_PART_BIT_UNIQUES)) &&
	    (check_handle_ranges(c, v, f) || check_frame_handles(c, v, 0, f)))
		return -1;
	for (uint64_t w = 0; w < (v->nslots + 63) / 64; w++)
		for (uint64_t m = slots[w]; m; m &= m - 1) {
			uint64_t i = w * 64 + (uint64_t)__builtin_ctzll(m), h = 0, covering = 0,
				 u = 0;
			size_t a, b;
			if (i >= v->nslots)
				break;
			for (size_t k = 0; k < v->nframes; k++)
				h += v->frames[k].paddr == i * PTD_PAGE_SIZE;
			for (size_t k = 0; k < v->nsegments; k++)
				covering += v->segments[k].start <= i * PTD_PAGE_SIZE &&
					    i * PTD_PAGE_SIZE < v->segments[k].end;
			for (size_t k = 0; k < v->nuniques; k++)
				u += v->uniques[k].paddr == i * PTD_PAGE_SIZE;
			ptd_state_slot_paths(v, i, &a, &b);
			if (check_one_slot(i, &v->slots[i], &v->paths[a], b - a, h, covering, u,
					   f) ||
			    check_slot_positions(v, i, a, b, f))
				return -1;
		}
	if (((parts & PTD_PART_BIT_CURSORS) && check_cursors(v, f)) ||
	    ((parts & PTD_PART_BIT_IOS) && check_ios(v, f)))
		return -1;
	return 0;
}

int ptd_check_invariants_touched(struct ptd_checker *c, const struct ptd_view *v,
				 const uint64_t *slots, uint32_t parts, struct ptd_inv_failure *f)
{
	int rc = check_touched(c, v, slots, parts, f);
	/* Only the handle lists' own clauses count anything (check_handle_ranges()). */
	if (parts & (PTD_PART_BIT_FRAMES | PTD_PART_BIT_SEGMENTS | PTD_PART_BIT_UNIQUES))
		clear_handle_counts(c, v);
	return rc;
}
