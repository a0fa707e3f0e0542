/* SPDX-License-Identifier: MIT */
/*
 * Cursor operations (POLICY §3, OSTD page_table/cursor/mod.rs).  Each op makes its checks in
 * POLICY order and returns on the first refusal before changing anything; the ops that allocate
 * nodes (open, map, map_iomem) count the nodes they need first and refuse with ERR_WOULD_PANIC
 * when the pool has fewer free frames (POLICY §2 "Pool exhaustion").  Lookups at one va (query,
 * map) reuse the cached path: pop to the lowest cached node that covers the va, then descend, so
 * nearby addresses cost O(1) levels; range ops (find_next, protect_next, unmap, take_next) start
 * their walk (walk.c) from the lowest cached node covering the whole range.
 */
#include "cursor.h"

#include <string.h>

#include "core.h"
#include "frame.h"
#include "locking.h"
#include "planted.h"
#include "pt_node.h"
#include "walk.h"

struct core_cursor *core_cursor_get(struct core *k, ptd_id_t id)
{
	core_registry_check(&k->cursor_ids, id);
	return &k->cursors[id];
}

/**
 * vostd exec success condition (docs/CONTRACTS.md#open-cursor): non-empty, page-aligned, inside [0,
 * 2^47].
 */
static int cursor_range_ok(ptd_vaddr_t start, ptd_vaddr_t end)
{
#if PTDIFF_PLANT_CURSOR_USER_END
	/* planted: the readers' bound (top page excluded) used for cursors */
	return start < end && start % PTD_PAGE_SIZE == 0 && end % PTD_PAGE_SIZE == 0 &&
	       end <= PTD_MAX_USERSPACE_VADDR;
#else
	return start < end && start % PTD_PAGE_SIZE == 0 && end % PTD_PAGE_SIZE == 0 &&
	       end <= PTD_USER_END;
#endif
}

enum ptd_status core_cursor_open(struct core *k, ptd_id_t vs, ptd_vaddr_t start, ptd_vaddr_t end,
				 int is_mut, ptd_id_t new_id)
{
	struct core_vm_space *space = core_vm_space_get(k, vs);
	ptd_paddr_t guard;
	unsigned level;
	enum ptd_status st;
	struct core_cursor *c;

	if (!cursor_range_ok(start, end)) {
		return PTD_ERR_BAD_RANGE;
	}
	/* Steps 2-4 (locking.rs lock_range): lock the guard node and what is below it in the
	 * range, creating missing nodes down to the guard level; a lock another cursor holds
	 * refuses the open (ERR_BUSY), the pool short of the nodes to create refuses it before
	 * the first allocation (ERR_WOULD_PANIC). */
	core_set_acting(k, new_id);
	st = core_lock_range(k, vs, start, end, new_id, &guard, &level);
	if (st != PTD_OK) {
		return st;
	}
	core_registry_add(&k->cursor_ids, new_id);
	c = &k->cursors[new_id];
	memset(c, 0, sizeof *c);
	c->vs = vs;
	c->is_mut = (uint8_t)(is_mut != 0);
	c->guard_level = (uint8_t)level;
	c->level = (uint8_t)level;
	c->start = start;
	c->end = end;
	c->va = start;
	c->path[level] = guard;
	__atomic_fetch_add(&space->nr_cursors, 1, __ATOMIC_RELAXED); /* concurrent opens */
	return PTD_OK;
}

enum ptd_status core_cursor_drop(struct core *k, ptd_id_t id)
{
	struct core_cursor *c = core_cursor_get(k, id);

	core_unlock_range(k, id, c);
	__atomic_fetch_sub(&core_vm_space_get(k, c->vs)->nr_cursors, 1, __ATOMIC_RELAXED);
	core_registry_remove(&k->cursor_ids, id);
	return PTD_OK;
}

/**
 * cursor_cover() - Pop the cached path until path[level] covers [@start, @end); with
 * @not_inside, also until its span is not wholly inside that range.  The guard node always
 * qualifies (it covers the locked range and is never freed).
 * Return: path[level].
 */
static ptd_paddr_t cursor_cover(struct core *k, struct core_cursor *c, ptd_vaddr_t start,
				ptd_vaddr_t end, int not_inside)
{
	while (c->level < c->guard_level) {
		const struct core_pt_node_meta *m = core_pt_node_meta(k, c->path[c->level]);
		ptd_vaddr_t node_end = m->base_va + PTD_ENTRY_SPAN(c->level + 1u);
		int covers = m->base_va <= start && end <= node_end;
		int inside = start <= m->base_va && node_end <= end;

		if (covers && !(not_inside && inside)) {
			break;
		}
		c->level++;
	}
	return c->path[c->level];
}

/**
 * cursor_descend() - Walk the cached path down to the level-1 node covering c->va.
 * @alloc: allocate absent nodes top-down (Map step 3); else stop at an absent entry
 * Return: 1 when path[1] covers c->va (c->level == 1), 0 at an absent entry.
 */
static int cursor_descend(struct core *k, struct core_cursor *c, int alloc)
{
#if PTDIFF_PLANT_DESCEND_COVER_END
	/* planted: the page at va passed as [va, va], so a cached node that ends exactly at va
	 * still "covers" it and va's index wraps to that node's entry 0 */
	(void)cursor_cover(k, c, c->va, c->va, 0);
#else
	(void)cursor_cover(k, c, c->va, c->va + PTD_PAGE_SIZE, 0);
#endif
	while (c->level > 1) {
		ptd_paddr_t node = c->path[c->level];
		unsigned i = core_pte_index(c->va, c->level);
		core_pte_t pte = core_pte_load(&core_pt_node_entries(k, node)[i]);
		ptd_paddr_t child;

		if (core_pte_present(pte)) {
			child = core_pte_paddr(pte);
		} else if (alloc) {
			child = core_pt_node_alloc_child(k, node, i);
		} else {
			return 0;
		}
		c->path[c->level - 1] = child;
		c->level--;
	}
	return 1;
}

/**
 * cursor_nodes_missing() - How many nodes Map step 3 would allocate at c->va: descend the
 * cached path without allocating; stopped at an absent entry of a level-L node, the L - 1
 * nodes below it are missing.  Moves only the cursor's path cache (not part of the state).
 */
static unsigned cursor_nodes_missing(struct core *k, struct core_cursor *c)
{
	return cursor_descend(k, c, 0) ? 0 : c->level - 1u;
}

/** The level-1 entry of c->va; valid right after cursor_descend() returned 1. */
static const core_pte_t *cursor_leaf_entry(struct core *k, const struct core_cursor *c)
{
	return &core_pt_node_entries(k, c->path[1])[core_pte_index(c->va, 1)];
}

enum ptd_status core_cursor_query(struct core *k, struct core_cursor *c, ptd_id_t new_id,
				  struct ptd_result *res)
{
	core_pte_t pte;
	ptd_paddr_t paddr;
	uint64_t idx, span;

	if (c->va >= c->end) {
		return PTD_ERR_OUT_OF_RANGE; /* contract: None, slots unchanged */
	}
	if (!cursor_descend(k, c, 0)) {
		/* The walk stopped at an absent entry of path[level]: OSTD returns that entry's
		 * whole span (cur_va_range() at the level it stopped), not clipped to the range. */
		span = PTD_ENTRY_SPAN(c->level);
		res->va = c->va - c->va % span;
		res->va_end = res->va + span;
		return PTD_OK;
	}
	pte = core_pte_load(cursor_leaf_entry(k, c));
	if (!core_pte_present(pte)) {
		res->va = c->va;
		res->va_end = c->va + PTD_PAGE_SIZE;
		return PTD_OK;
	}
#if PTDIFF_PLANT_QUERY_IOMEM_NONE
	if (!core_pte_tracked(pte)) {
		return PTD_OK; /* planted: the contract's None for an I/O leaf taken as "not found" */
	}
#endif
	paddr = core_pte_paddr(pte);
	if (core_pte_tracked(pte)) {
		idx = paddr / PTD_PAGE_SIZE;
		if (core_meta_slot(k, idx)->ref_count >= PTD_RC_MAX) {
			return PTD_ERR_WOULD_PANIC;
		}
		/* The seed's clone of the item: one more reference, returned as a new Frame. */
		core_meta_get_ref(k, idx);
#if PTDIFF_PLANT_QUERY_RC
		core_meta_get_ref(k, idx); /* planted: the clone counted twice */
#endif
		core_frame_register(k, new_id, paddr);
		res->tracked = 1;
		res->new_id = new_id;
	}
	res->found = 1;
	res->paddr = paddr;
	res->prop = core_pte_prop(pte);
	CORE_BUG_ON(res->prop.cache >= PTD_CACHE_COUNT);
	res->va = c->va;
	res->va_end = c->va + PTD_PAGE_SIZE;
	return PTD_OK;
}

/** FindNext step 1 (also Unmap and ProtectNext): OSTD panics on these lengths. */
static int cursor_len_ok(const struct core_cursor *c, uint64_t len)
{
	return len % PTD_PAGE_SIZE == 0 && len <= c->end - c->va;
}

/**
 * cursor_find() - Lowest mapped va in [@start, @end) of c's space (@start <= @end).  On success
 * the cached path leads to it (c->level == 1).
 */
static int cursor_find(struct core *k, struct core_cursor *c, ptd_vaddr_t start, ptd_vaddr_t end,
		       ptd_vaddr_t *found)
{
	ptd_paddr_t path[PTD_NR_LEVELS + 1];
	ptd_paddr_t node;
	unsigned top;

	if (start == end) {
		return 0;
	}
#if PTDIFF_PLANT_FIND_NEXT_CACHED
	/* planted: start at the cached node covering the first page and search only its span,
	 * as if the range could not leave the node the cursor is in */
	node = cursor_cover(k, c, start, start + PTD_PAGE_SIZE, 0);
	if (end > core_pt_node_meta(k, node)->base_va + PTD_ENTRY_SPAN(c->level + 1u)) {
		end = core_pt_node_meta(k, node)->base_va + PTD_ENTRY_SPAN(c->level + 1u);
	}
#else
	node = cursor_cover(k, c, start, end, 0);
#endif
	top = c->level;
	if (!core_walk_find(k, node, start, end, path, found)) {
		return 0;
	}
	for (unsigned level = 1; level < top; level++) {
		c->path[level] = path[level];
	}
	c->level = 1;
	return 1;
}

enum ptd_status core_cursor_find_next(struct core *k, struct core_cursor *c, uint64_t len,
				      struct ptd_result *res)
{
	ptd_vaddr_t found;

	if (!cursor_len_ok(c, len)) {
		return PTD_ERR_WOULD_PANIC;
	}
	if (cursor_find(k, c, c->va, c->va + len, &found)) {
		c->va = found; /* exec stops at the mapping's start (docs/CONTRACTS.md#find-next) */
		res->found = 1;
		res->va = found;
	} else {
		c->va += len; /* exactly old va + len (docs/CONTRACTS.md#policy-cursor-position) */
	}
	return PTD_OK;
}

enum ptd_status core_cursor_jump(struct core_cursor *c, ptd_vaddr_t va)
{
	if (va % PTD_PAGE_SIZE) {
		return PTD_ERR_WOULD_PANIC;
	}
#if PTDIFF_PLANT_JUMP_END
	if (va < c->start || va > c->end) {
		return PTD_ERR_OUT_OF_RANGE; /* planted: a target at the end accepted */
	}
#else
	if (va < c->start || va >= c->end) {
		return PTD_ERR_OUT_OF_RANGE;
	}
#endif
	c->va = va; /* the path is popped lazily by the next lookup (current OSTD pops to fit) */
	return PTD_OK;
}

/**
 * cursor_install_leaf() - Map steps 3-5 at c->va: build the path (allocating top-down), drop
 * what is mapped there (replace-and-release), write @pte.
 */
static void cursor_install_leaf(struct core *k, struct core_cursor *c, core_pte_t pte)
{
	core_pte_t old;
#if PTDIFF_PLANT_MAP_PATH
	/* planted: whether the descent below will allocate the level-1 node (it then allocates
	 * every node from the first absent entry down, the level-1 node included) */
	int fresh_l1 = cursor_nodes_missing(k, c) != 0;
#endif

	(void)cursor_descend(k, c, 1); /* step 3, before any release (step 4) */
	old = core_pte_load(cursor_leaf_entry(k, c));
	core_pt_node_set_entry(k, c->path[1], core_pte_index(c->va, 1), pte);
	if (core_pte_present(old)) {
#if PTDIFF_PLANT_MAP_RELEASE_NEW
		/* planted: the PTE just written is released instead of the one it replaced */
		core_pt_node_release_leaf(k, pte);
#else
		core_pt_node_release_leaf(k, old); /* step 4: the replaced mapping's reference */
#endif
	} else {
#if PTDIFF_PLANT_MAP_PATH
		if (fresh_l1) {
			/* planted: counted only in a node this call allocated */
			core_pt_node_meta(k, c->path[1])->nr_children++;
		}
#else
		core_pt_node_meta(k, c->path[1])->nr_children++;
#endif
	}
}

enum ptd_status core_cursor_map(struct core *k, struct core_cursor *c, ptd_id_t frame_id,
				struct ptd_prop prop)
{
	ptd_paddr_t paddr = core_frame_get(k, frame_id);

	if (!c->is_mut) {
		return PTD_ERR_READ_ONLY; /* the handle stays live */
	}
	if (c->va >= c->end) {
		return PTD_ERR_WOULD_PANIC;
	}
	if (!core_pt_pool_has_free(&k->pool, cursor_nodes_missing(k, c))) {
		return PTD_ERR_WOULD_PANIC; /* step 2b, POLICY §2 "Pool exhaustion": handle kept */
	}
	cursor_install_leaf(k, c, core_pte_make_leaf(paddr, prop, 1));
	core_frame_forget(k, frame_id); /* step 5: the handle's reference is now the PTE's */
	c->va += PTD_PAGE_SIZE;
	return PTD_OK;
}

enum ptd_status core_cursor_map_iomem(struct core *k, struct core_cursor *c, ptd_paddr_t paddr,
				      struct ptd_prop prop)
{
	if (!c->is_mut) {
		return PTD_ERR_READ_ONLY;
	}
	if (c->va >= c->end) {
		return PTD_ERR_WOULD_PANIC;
	}
	if (paddr % PTD_PAGE_SIZE) {
		return PTD_ERR_NOT_ALIGNED;
	}
#if PTDIFF_PLANT_IOMEM_END_INCLUSIVE
	if (paddr < k->cfg.iomem_base || paddr > k->cfg.iomem_end) {
		return PTD_ERR_OUT_OF_BOUND; /* planted: the window's end taken as inside it */
	}
#else
	if (paddr < k->cfg.iomem_base || paddr >= k->cfg.iomem_end) {
		return PTD_ERR_OUT_OF_BOUND;
	}
#endif
	if (!core_pt_pool_has_free(&k->pool, cursor_nodes_missing(k, c))) {
		return PTD_ERR_WOULD_PANIC; /* step 4b, POLICY §2 "Pool exhaustion" */
	}
	cursor_install_leaf(k, c, core_pte_make_leaf(paddr, prop, 0));
	c->va += PTD_PAGE_SIZE;
	return PTD_OK;
}

enum ptd_status core_cursor_unmap(struct core *k, struct core_cursor *c, uint64_t len,
				  struct ptd_result *res)
{
	ptd_vaddr_t start = c->va, end;

	if (!c->is_mut) {
		return PTD_ERR_READ_ONLY;
	}
	if (!cursor_len_ok(c, len)) {
		return PTD_ERR_WOULD_PANIC;
	}
	end = start + len;
#if PTDIFF_PLANT_UNMAP_LEN
	if (len) {
		end -= PTD_PAGE_SIZE; /* planted: the last page is never looked at */
	}
#endif
	if (start < end) {
		/* Start below every node that could be freed: the lowest cached node covering E
		 * that is not wholly inside E (or the guard node, which is never freed).  Freed
		 * nodes are all below it, so the cache stays valid from c->level up. */
#if PTDIFF_PLANT_UNMAP_CACHE_LEVEL
		/* planted: any cached node covering E will do, even one wholly inside E, which
		 * the walk then empties but cannot free */
		ptd_paddr_t node = cursor_cover(k, c, start, end, 0);
#else
		ptd_paddr_t node = cursor_cover(k, c, start, end, 1);
#endif

		res->count = core_walk_unmap(k, node, start, end);
	}
	c->va += len;
	return PTD_OK;
}

enum ptd_status core_cursor_take_next(struct core *k, struct core_cursor *c, uint64_t len,
				      struct ptd_result *res)
{
	ptd_paddr_t path[PTD_NR_LEVELS + 1];
	struct core_walk_frag f;
	core_pte_t pte;
	unsigned top;

	if (!c->is_mut) {
		return PTD_ERR_READ_ONLY;
	}
	if (!cursor_len_ok(c, len)) {
		return PTD_ERR_WOULD_PANIC;
	}
	/* Search from the lowest cached node covering E that is not wholly inside it (as Unmap):
	 * every node wholly inside E lies below it, so the first fragment is found there, and it
	 * survives the take (the taken sub-tree is inside E). */
	if (!len || !core_walk_frag(k, cursor_cover(k, c, c->va, c->va + len, 1), c->va,
				    c->va + len, path, &f)) {
		c->va += len; /* nothing found: exactly old va + len (POLICY §3 TakeNext) */
		return PTD_OK;
	}
	top = c->level;
	for (unsigned level = f.level; level < top; level++) {
		c->path[level] = path[level];
	}
	c->level = (uint8_t)f.level; /* the holder stays: only what is below it goes */
	pte = core_pte_load(&core_pt_node_entries(k, f.node)[f.index]);
	res->va = f.va;
	res->va_end = f.va + PTD_ENTRY_SPAN(f.level);
	res->paddr = core_pte_paddr(pte);
	if (f.level == 1) {
		res->found = PTD_FRAG_MAPPED;
		res->tracked = (uint8_t)core_pte_tracked(pte);
		res->prop = core_pte_prop(pte);
		core_pt_node_remove_leaf(k, f.node, f.index);
	} else {
		res->found = PTD_FRAG_STRAY;
#if PTDIFF_PLANT_TAKE_NEXT_FRAMES
		/* planted: num_frames read off the sub-tree's top node, as
		 * dfs_mark_stray_and_unlock does for a level-1 node, for a sub-tree of any level
		 * (its child nodes counted) */
		res->count = core_pt_node_meta(k, res->paddr)->nr_children;
		(void)core_pt_node_remove_child(k, f.node, f.index);
#else
		res->count = core_pt_node_remove_child(k, f.node, f.index);
#endif
	}
	c->va = res->va_end; /* move_forward() past the taken entry */
	return PTD_OK;
}

enum ptd_status core_cursor_protect_next(struct core *k, struct core_cursor *c, uint64_t len,
					 struct ptd_prop_change change, struct ptd_result *res)
{
	ptd_vaddr_t found;
	core_pte_t pte;
	struct ptd_prop prop;

	if (!c->is_mut) {
		return PTD_ERR_READ_ONLY;
	}
	if (!cursor_len_ok(c, len)) {
		return PTD_ERR_WOULD_PANIC;
	}
#if PTDIFF_PLANT_PROTECT_PAST_LEN
	/* planted: the search runs to the end of the locked range */
	if (!cursor_find(k, c, c->va, c->end, &found)) {
		c->va += len;
		return PTD_OK;
	}
#else
	if (!cursor_find(k, c, c->va, c->va + len, &found)) {
		c->va += len;
		return PTD_OK;
	}
#endif
	c->va = found;
	pte = core_pte_load(cursor_leaf_entry(k, c));
	prop = core_pte_prop(pte);
#if PTDIFF_PLANT_PROTECT_ORDER
	/* planted: set applied before clear, so a flag in both ends up cleared */
	prop.flags = (uint8_t)(((prop.flags | change.set) & ~change.clear) & PTD_PF_ALL);
#else
	prop.flags = (uint8_t)(((prop.flags & ~change.clear) | change.set) & PTD_PF_ALL);
#endif
	if (change.cache != PTD_CACHE_KEEP) {
		prop.cache = change.cache;
	}
	pte = core_pte_make_leaf(core_pte_paddr(pte), prop, core_pte_tracked(pte));
	core_pt_node_set_entry(k, c->path[1], core_pte_index(found, 1), pte);
	c->va = found + PTD_PAGE_SIZE;
	res->found = 1;
	res->va = found;
	res->va_end = found + PTD_PAGE_SIZE;
	return PTD_OK;
}
