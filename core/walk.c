/* SPDX-License-Identifier: MIT */
/*
 * Range walks (see walk.h).  Both recurse from a node down, at most four levels, visiting only
 * the entries that intersect the range; the child range is the intersection of the walk range
 * with the entry's span.
 */
#include "walk.h"

#include "planted.h"
#include "pt_node.h"

static ptd_vaddr_t max_va(ptd_vaddr_t a, ptd_vaddr_t b)
{
	return a > b ? a : b;
}

static ptd_vaddr_t min_va(ptd_vaddr_t a, ptd_vaddr_t b)
{
	return a < b ? a : b;
}

/** The child node a present entry of a level-@level node points at (checked). */
static ptd_paddr_t child_of(struct core *k, core_pte_t pte, unsigned level)
{
	ptd_paddr_t child = core_pte_paddr(pte);

	CORE_BUG_ON(core_pt_node_meta(k, child)->level != level - 1);
	return child;
}

core_pte_t core_walk_leaf(struct core *k, ptd_paddr_t root, ptd_vaddr_t va)
{
	ptd_paddr_t node = root;

	CORE_BUG_ON(core_pt_node_meta(k, root)->level != PTD_NR_LEVELS);
	for (unsigned level = PTD_NR_LEVELS;; level--) {
		const core_pte_t *ents = core_pt_node_entries(k, node);
		core_pte_t pte = core_pte_load(&ents[core_pte_index(va, level)]);

		if (level == 1 || !core_pte_present(pte)) {
			return core_pte_present(pte) ? pte : 0;
		}
		node = child_of(k, pte, level);
	}
}

#if PTDIFF_PLANT_FIND_NEXT_SKIP
/* planted: where the whole search started, set by core_walk_find() for walk_find() (a plant
 * build runs one search at a time) */
static ptd_vaddr_t planted_origin;
#endif

static int walk_find(struct core *k, ptd_paddr_t node, ptd_vaddr_t start, ptd_vaddr_t end,
		     ptd_paddr_t *path, ptd_vaddr_t *found)
{
	const struct core_pt_node_meta *m = core_pt_node_meta(k, node);
	const core_pte_t *ents = core_pt_node_entries(k, node);
	unsigned level = m->level;
	uint64_t span = PTD_ENTRY_SPAN(level);
	unsigned i = core_pte_index(start, level), last = core_pte_index(end - 1, level);

	CORE_BUG_ON(start < m->base_va || end - 1 - m->base_va >= PTD_ENTRY_SPAN(level + 1));
#if PTDIFF_PLANT_FIND_NEXT_SKIP
	if (level == 1 && planted_origin < m->base_va) {
		i = 1; /* planted: entered this node from the previous one, skips entry 0 */
	}
#endif
	for (;; i++) {
		core_pte_t pte;
		ptd_vaddr_t entry_va;
		ptd_paddr_t child;

		i = core_next_present_counted(k, m, ents, i, last);
		if (i > last) {
			return 0;
		}
		pte = core_pte_load(&ents[i]);
		entry_va = m->base_va + i * span;
		if (level == 1) {
			path[1] = node;
			*found = entry_va;
			return 1;
		}
		child = child_of(k, pte, level);
		if (core_pt_node_meta(k, child)->nr_children == 0) {
			continue; /* an empty sub-tree: skipped in one step */
		}
#if PTDIFF_PLANT_FIND_CHILD_FROM_BASE
		/* planted: the child searched from its own base, not from where the search range
		 * enters it */
		if (walk_find(k, child, entry_va, min_va(end, entry_va + span), path, found)) {
			path[level] = node;
			return 1;
		}
#else
		if (walk_find(k, child, max_va(start, entry_va), min_va(end, entry_va + span), path,
			      found)) {
			path[level] = node;
			return 1;
		}
#endif
	}
}

int core_walk_find(struct core *k, ptd_paddr_t node, ptd_vaddr_t start, ptd_vaddr_t end,
		   ptd_paddr_t *path, ptd_vaddr_t *found)
{
	CORE_BUG_ON(start >= end);
#if PTDIFF_PLANT_FIND_NEXT_SKIP
	planted_origin = start;
#endif
	return walk_find(k, node, start, end, path, found);
}

int core_walk_frag(struct core *k, ptd_paddr_t node, ptd_vaddr_t start, ptd_vaddr_t end,
		   ptd_paddr_t *path, struct core_walk_frag *frag)
{
	const struct core_pt_node_meta *m = core_pt_node_meta(k, node);
	const core_pte_t *ents = core_pt_node_entries(k, node);
	unsigned level = m->level;
	uint64_t span = PTD_ENTRY_SPAN(level);
	unsigned i = core_pte_index(start, level), last = core_pte_index(end - 1, level);

	CORE_BUG_ON(start >= end || start < m->base_va ||
		    end - 1 - m->base_va >= PTD_ENTRY_SPAN(level + 1));
	for (;; i++) {
		ptd_vaddr_t entry_va;
		ptd_paddr_t child;

		i = core_next_present_counted(k, m, ents, i, last);
		if (i > last) {
			return 0;
		}
		entry_va = m->base_va + i * span;
		/* A leaf always fits (pages are aligned); a child fits when its whole span does:
		 * the range seen here is E clipped to this node, which a child's span lies inside
		 * exactly when it lies inside E. */
		if (level == 1 || (start <= entry_va && entry_va + span <= end)) {
			*frag = (struct core_walk_frag){ node, level, i, entry_va };
			path[level] = node;
			return 1;
		}
		child = child_of(k, core_pte_load(&ents[i]), level);
		if (core_pt_node_meta(k, child)->nr_children == 0) {
			continue; /* partly inside and empty: nothing to take there */
		}
		if (core_walk_frag(k, child, max_va(start, entry_va), min_va(end, entry_va + span),
				   path, frag)) {
			path[level] = node;
			return 1;
		}
	}
}

uint64_t core_walk_unmap(struct core *k, ptd_paddr_t node, ptd_vaddr_t start, ptd_vaddr_t end)
{
	const struct core_pt_node_meta *m = core_pt_node_meta(k, node);
	const core_pte_t *ents = core_pt_node_entries(k, node);
	unsigned level = m->level;
	uint64_t span = PTD_ENTRY_SPAN(level);
	unsigned i = core_pte_index(start, level), last = core_pte_index(end - 1, level);
	uint64_t nr_unmapped = 0;

	CORE_BUG_ON(start >= end || start < m->base_va ||
		    end - 1 - m->base_va >= PTD_ENTRY_SPAN(level + 1));
	for (;; i++) {
		core_pte_t pte;
		ptd_vaddr_t entry_va;

		if (m->nr_children == 0) {
			break; /* nothing left to remove in this node */
		}
		i = core_next_present_counted(k, m, ents, i, last);
		if (i > last) {
			break;
		}
		pte = core_pte_load(&ents[i]);
		entry_va = m->base_va + i * span;

		if (level == 1) {
			core_pt_node_remove_leaf(k, node, i);
			nr_unmapped++;
		} else if (start <= entry_va && entry_va + span <= end) {
			/* Step 4: the child's whole span lies inside E: free the sub-tree. */
			(void)child_of(k, pte, level);
			nr_unmapped += core_pt_node_remove_child(k, node, i);
		} else {
			/* Partly inside E: recurse; the child stays even if it becomes empty. */
			ptd_vaddr_t child_end = min_va(end, entry_va + span);

#if PTDIFF_PLANT_UNMAP_FREE_PARTIAL
			if (entry_va + span <= end) {
				/* planted: only the child's end compared with E's, so a child that
				 * starts before E and ends inside it is freed whole */
				(void)child_of(k, pte, level);
				nr_unmapped += core_pt_node_remove_child(k, node, i);
				continue;
			}
#endif
#if PTDIFF_PLANT_UNMAP_NODE_END
			if (child_end == entry_va + span) {
				/* planted: the child's end taken as its last page (inclusive) */
				child_end -= PTD_PAGE_SIZE;
			}
#endif
			if (max_va(start, entry_va) < child_end) {
				nr_unmapped += core_walk_unmap(k, child_of(k, pte, level),
							       max_va(start, entry_va), child_end);
			}
		}
	}
	return nr_unmapped;
}
