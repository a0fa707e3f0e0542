/* SPDX-License-Identifier: MIT */
/*
 * Walks of a radix tree.  Single-address translation (readers and writers): root to leaf, one
 * entry per level.  Range walks over one sub-tree: the search for the next mapping (FindNext,
 * ProtectNext; OSTD find_next_impl), for the next fragment to take (TakeNext; find_next_impl
 * with find_unmap_subtree) and the removal of a range (Unmap).  Holes are handled at
 * the level where they occur: an absent entry or an empty node (nr_children == 0) costs one
 * step however much va it spans, so walking 1 GiB of empty space takes a handful of steps, not
 * 262144.  Every entry a range walk examines counts one k->nr_walk_steps.
 */
#ifndef PTDIFF_CORE_WALK_H
#define PTDIFF_CORE_WALK_H

#include "core.h"

/**
 * core_walk_find() - Lowest mapped va (tracked or not) in [@start, @end) below @node.
 * @node: a live node whose span contains [@start, @end), @start < @end
 * @path: on success, path[L] for L = 1 .. level of @node are the nodes down to the leaf
 * @found: on success, the va found
 * Return: 1 if found, else 0.
 */
int core_walk_find(struct core *k, ptd_paddr_t node, ptd_vaddr_t start, ptd_vaddr_t end,
		   ptd_paddr_t *path, ptd_vaddr_t *found);

/**
 * core_walk_leaf() - The level-1 entry that maps page @va in the tree under root node @root:
 * one entry read per level from the root down, stopping at the first absent entry.  Readers
 * and writers translate through it page by page (POLICY §3 "Readers and writers").
 * @va: a user address (< 2^48); its page offset is ignored
 * Return: the leaf PTE, or 0 (not present) when no mapping covers @va.
 */
core_pte_t core_walk_leaf(struct core *k, ptd_paddr_t root, ptd_vaddr_t va);

/**
 * core_walk_unmap() - POLICY §3 Unmap steps 3-4 below @node: remove every mapping in
 * E = [@start, @end) (releasing tracked ones) and free every node below @node whose whole span
 * lies inside E.  @node itself is kept (the caller picks a node not wholly inside E, or the
 * guard node).
 * Return: the number of mappings removed.
 */
uint64_t core_walk_unmap(struct core *k, ptd_paddr_t node, ptd_vaddr_t start, ptd_vaddr_t end);

/*
 * struct core_walk_frag - Where core_walk_frag() found a fragment: the entry @index of the
 * level-@level node @node (a leaf when @level is 1, else a child node), covering va @va.
 */
struct core_walk_frag {
	ptd_paddr_t node;
	unsigned level;
	unsigned index;
	ptd_vaddr_t va;
};

/**
 * core_walk_frag() - POLICY §3 TakeNext step 3 below @node: the first fragment of
 * [@start, @end) in address order, as OSTD's find_next_impl with find_unmap_subtree finds it
 * from the guard node: a present leaf, or a child node whose whole span lies inside the range
 * (empty or not); a child partly inside is searched, an empty one skipped.
 * @node: a live node whose span contains [@start, @end) without lying inside it (or the
 *        guard node), @start < @end
 * @path: on success, path[L] for L = @frag->level .. level of @node are the nodes down to the
 *        node holding the fragment's entry
 * Return: 1 if found (*@frag filled), else 0.
 */
int core_walk_frag(struct core *k, ptd_paddr_t node, ptd_vaddr_t start, ptd_vaddr_t end,
		   ptd_paddr_t *path, struct core_walk_frag *frag);

#endif /* PTDIFF_CORE_WALK_H */
