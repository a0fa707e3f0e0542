/* SPDX-License-Identifier: MIT */
/*
 * Page-table nodes (OSTD ostd/src/mm/page_table/node/): a node is a pool frame whose slot has
 * usage PageTable; its 512 PTEs are the frame's node memory (pt_alloc.h), kept apart from the
 * frame's bytes (phys_mem.h, docs/POLICY.md "Readers and writers").  A node is named by its
 * paddr, as a child PTE names it; its metadata (level, nr_children, owning space, base va) lives
 * in its MetaSlot.
 * These functions are the only code that links or unlinks entries in a way that changes
 * nr_children or a frame's references: allocation of a child, removal of a leaf (releasing
 * its reference), removal of a whole sub-tree.
 */
#ifndef PTDIFF_CORE_PT_NODE_H
#define PTDIFF_CORE_PT_NODE_H

#include <stdint.h>

#include "core.h"
#include "diag.h"
#include "pte.h"

/** core_pt_node_meta() - Metadata of the live node at @node. */
static inline struct core_pt_node_meta *core_pt_node_meta(struct core *k, ptd_paddr_t node)
{
	struct core_meta_slot *s = core_meta_slot(k, node / PTD_PAGE_SIZE);

	CORE_BUG_ON(s->usage != PTD_USAGE_PAGE_TABLE || s->ref_count == PTD_RC_UNUSED);
	return &s->storage.pt;
}

/** core_pt_node_entries() - The 512 entries of the live node at @node. */
static inline core_pte_t *core_pt_node_entries(struct core *k, ptd_paddr_t node)
{
	uint64_t idx = node / PTD_PAGE_SIZE;

	CORE_BUG_ON(!core_pt_pool_contains(&k->pool, idx) || !k->pool.mem[idx - k->pool.start]);
	return k->pool.mem[idx - k->pool.start];
}

#define CORE_PT_GROUP 8u /* entries per live_groups bit: one 64-byte cache line */

/**
 * core_pt_node_next_present() - Index of the first present entry among @ents[@i .. @last] of
 * the node described by @m, or @last + 1 when there is none.  Only groups that live_groups
 * names are read, so a sparse node costs one step per non-empty group, not 512.  Each group
 * examined adds one to *@nr_steps.
 */
static inline unsigned core_pt_node_next_present(const struct core_pt_node_meta *m,
						 const core_pte_t *ents, unsigned i, unsigned last,
						 uint64_t *nr_steps)
{
	while (i <= last) {
		unsigned g = i / CORE_PT_GROUP;
		uint64_t groups = m->live_groups >> g;
		unsigned group_end;

		if (!groups) {
			break;
		}
		g += (unsigned)__builtin_ctzll(groups);
		if (g * CORE_PT_GROUP > i) {
			i = g * CORE_PT_GROUP;
		}
		group_end = g * CORE_PT_GROUP + CORE_PT_GROUP;
		(*nr_steps)++;
		for (; i < group_end && i <= last; i++) {
			if (core_pte_present(core_pte_load(&ents[i]))) {
				return i;
			}
		}
	}
	return last + 1;
}

/**
 * core_next_present_counted() - core_pt_node_next_present() for a range walk of an op, its
 * steps added to k->nr_walk_steps (atomically when tasks of a threaded group walk at once).
 */
static inline unsigned core_next_present_counted(struct core *k, const struct core_pt_node_meta *m,
						 const core_pte_t *ents, unsigned i, unsigned last)
{
	uint64_t steps = 0;

	i = core_pt_node_next_present(m, ents, i, last, &steps);
	if (core_task_thread) {
		__atomic_fetch_add(&k->nr_walk_steps, steps, __ATOMIC_RELAXED);
	} else {
		k->nr_walk_steps += steps;
	}
	return i;
}

/**
 * core_pt_node_set_entry() - Write entry @i of node @node (the only writer of node entries):
 * stores @pte and keeps live_groups exact.  nr_children is the caller's business, since only
 * the caller knows whether a child was added, removed or replaced.
 */
void core_pt_node_set_entry(struct core *k, ptd_paddr_t node, unsigned i, core_pte_t pte);

/**
 * core_pt_node_alloc() - POLICY §2: a new node in the lowest free pool frame, all entries
 * absent, rc 1, usage PageTable.  The caller has made sure the pool has a free frame
 * (core_pt_pool_has_free(), POLICY §2 "Pool exhaustion"); an empty pool here is a core bug.
 * @level: 1..4; @vs: owning space; @base: first va it covers (aligned to its span)
 * Return: the node's paddr.
 */
ptd_paddr_t core_pt_node_alloc(struct core *k, unsigned level, ptd_id_t vs, ptd_vaddr_t base);

/**
 * core_pt_node_alloc_child() - Allocate the child of absent entry @i of @parent (level >= 2)
 * and link it.  Return: the child's paddr.
 */
ptd_paddr_t core_pt_node_alloc_child(struct core *k, ptd_paddr_t parent, unsigned i);

/**
 * core_pt_node_release_leaf() - The reference a leaf PTE held: one put on a tracked frame's
 * slot (POLICY §2 "release"), nothing for an I/O leaf.  The PTE is already gone.
 */
void core_pt_node_release_leaf(struct core *k, core_pte_t pte);

/**
 * core_pt_node_remove_leaf() - Clear present leaf entry @i of level-1 node @node and release
 * what it mapped.
 */
void core_pt_node_remove_leaf(struct core *k, ptd_paddr_t node, unsigned i);

/**
 * core_pt_node_remove_child() - Clear present entry @i of @node (level >= 2) and free the child
 * sub-tree (core_pt_node_free_tree).
 * Return: the number of mappings the sub-tree held.
 */
uint64_t core_pt_node_remove_child(struct core *k, ptd_paddr_t node, unsigned i);

/**
 * core_pt_node_free_tree() - Free @node and everything below it: release every mapping (one
 * reference per tracked leaf) and tear down every node's slot (usage stays PageTable).  The
 * caller has unlinked @node or is dropping its whole space.
 * Return: the number of mappings the tree held.
 */
uint64_t core_pt_node_free_tree(struct core *k, ptd_paddr_t node);

#endif /* PTDIFF_CORE_PT_NODE_H */
