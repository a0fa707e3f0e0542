/* SPDX-License-Identifier: MIT */
/*
 * Page-table node allocation, linking and freeing (see pt_node.h).  Node memory is zeroed at
 * allocation, so a freed node's memory never needs clearing (reset stays cheap).
 */
#include "pt_node.h"
#include "locking.h"
#include "planted.h"
#include "pt_lock.h"
#include "scheduler.h"

#include <inttypes.h>
#include <string.h>

ptd_paddr_t core_pt_node_alloc(struct core *k, unsigned level, ptd_id_t vs, ptd_vaddr_t base)
{
	uint64_t idx;
	struct core_pt_node_meta *m;
	core_pte_t *ents;

	/* Taking the lowest free frame and claiming it is one step for concurrent tasks. */
	core_book_lock();
	idx = core_pt_pool_lowest_free(&k->pool);
	/* POLICY §2 "Pool exhaustion": every allocating op checked core_pt_pool_has_free() for
	 * all the nodes it allocates before its first change, so the pool cannot be empty here. */
	CORE_BUG_ON(idx == CORE_PT_POOL_NONE);
	ents = core_pt_pool_mem(&k->pool, idx);
	CORE_HARNESS_CHECK(ents, "out-of-memory", "no memory for page-table node %" PRIu64, idx);
	core_meta_claim(k, idx, PTD_USAGE_PAGE_TABLE);
	core_book_unlock();
	/* Private to this cursor until a PTE store publishes it. */
	memset(ents, 0, PTD_NR_ENTRIES * sizeof *ents);
	core_sched_note_alloc(k, idx);
	m = &k->slots[idx].storage.pt;
	m->level = (uint8_t)level;
	m->vs = vs;
	m->base_va = base;
	m->nr_children = 0;
	/* Locked by the cursor creating it before anyone can see it (locking.rs: "lock before
	 * writing the PTE"); a root created by NewVmSpace is unlocked (no cursor acts). */
#if PTDIFF_PLANT_CONC_NEW_NODE_UNLOCKED
	m->lock = 0; /* planted: linked before it is locked */
#else
	m->lock = core_acting(k);
#endif
	m->stray = 0;
	return idx * PTD_PAGE_SIZE;
}

void core_pt_node_set_entry(struct core *k, ptd_paddr_t node, unsigned i, core_pte_t pte)
{
	struct core_pt_node_meta *m = core_pt_node_meta(k, node);
	core_pte_t *ents = core_pt_node_entries(k, node);
	unsigned first = i - i % CORE_PT_GROUP;
	core_pte_t any = 0;

	core_pte_t old;

	CORE_BUG_ON(i >= PTD_NR_ENTRIES);
	core_pt_lock_check(k, node, "stores into");
	/* Incremental checking: the slots the old and the new entry point at gain or lose a
	 * position (a child node or a tracked frame; I/O memory has no slot). */
	old = core_pte_load(&ents[i]);
	if (core_pte_present(old) && (m->level > 1 || core_pte_tracked(old))) {
		core_touch(k, core_pte_paddr(old) / PTD_PAGE_SIZE);
	}
	if (core_pte_present(pte) && (m->level > 1 || core_pte_tracked(pte))) {
		core_touch(k, core_pte_paddr(pte) / PTD_PAGE_SIZE);
	}
	core_pte_store(&ents[i], pte);
	for (unsigned j = first; j < first + CORE_PT_GROUP; j++) {
		any |= core_pte_load(&ents[j]);
	}
#if PTDIFF_PLANT_LIVE_GROUPS_CLEAR
	/* planted: the group's bit follows the entry just written, so clearing one entry hides
	 * the other present entries of its group from every scan */
	any = pte;
#endif
	if (core_pte_present(any)) {
		m->live_groups |= 1ull << (i / CORE_PT_GROUP);
	} else {
		m->live_groups &= ~(1ull << (i / CORE_PT_GROUP));
	}
	core_sched_step(k, PTD_STEP_STORE, m->level, node, i);
}

ptd_paddr_t core_pt_node_alloc_child(struct core *k, ptd_paddr_t parent, unsigned i)
{
	struct core_pt_node_meta *m = core_pt_node_meta(k, parent);
	const core_pte_t *ptep = &core_pt_node_entries(k, parent)[i];
	ptd_paddr_t child;

	CORE_BUG_ON(m->level <= 1 || core_pte_present(core_pte_load(ptep)));
	child = core_pt_node_alloc(k, m->level - 1u, m->vs,
				   m->base_va + (uint64_t)i * PTD_ENTRY_SPAN(m->level));
	core_pt_node_set_entry(k, parent, i, core_pte_make_table(child));
	m->nr_children++;
	return child;
}

void core_pt_node_release_leaf(struct core *k, core_pte_t pte)
{
	if (core_pte_tracked(pte)) {
#if PTDIFF_PLANT_RELEASE_NO_FREE
		/* planted: a bare decrement (dec_ref_count), not the put that tears the
		 * slot down at the last reference: the frame is left at rc 0 */
		core_meta_slot(k, core_pte_paddr(pte) / PTD_PAGE_SIZE)->ref_count--;
#else
		core_meta_put_ref(k, core_pte_paddr(pte) / PTD_PAGE_SIZE);
#endif
	}
}

void core_pt_node_remove_leaf(struct core *k, ptd_paddr_t node, unsigned i)
{
	struct core_pt_node_meta *m = core_pt_node_meta(k, node);
	core_pte_t pte = core_pte_load(&core_pt_node_entries(k, node)[i]);

	CORE_BUG_ON(m->level != 1 || !core_pte_present(pte) || m->nr_children == 0);
	core_pt_node_set_entry(k, node, i, 0);
	m->nr_children--;
	core_pt_node_release_leaf(k, pte);
}

uint64_t core_pt_node_remove_child(struct core *k, ptd_paddr_t node, unsigned i)
{
	struct core_pt_node_meta *m = core_pt_node_meta(k, node);
	core_pte_t pte = core_pte_load(&core_pt_node_entries(k, node)[i]);

	CORE_BUG_ON(m->level <= 1 || !core_pte_present(pte) || m->nr_children == 0);
	core_pt_node_set_entry(k, node, i, 0);
	m->nr_children--;
	return core_pt_node_free_tree(k, core_pte_paddr(pte));
}

uint64_t core_pt_node_free_tree(struct core *k, ptd_paddr_t node)
{
	const struct core_pt_node_meta *m = core_pt_node_meta(k, node);
	const core_pte_t *ents = core_pt_node_entries(k, node);
	unsigned left = m->nr_children;
	uint64_t nr_mapped = 0;

	/* OSTD's node destructor drops every present child; nr_children says when to stop. */
	for (unsigned i = 0; left; i++) {
		core_pte_t pte;

		i = core_next_present_counted(k, m, ents, i, PTD_NR_ENTRIES - 1);
		if (i == PTD_NR_ENTRIES) {
			break;
		}
		pte = core_pte_load(&ents[i]);
		left--;
#if PTDIFF_PLANT_TEARDOWN_LAST_CHILD
		if (!left) {
			break; /* planted: counted down before the drop, so the last child leaks */
		}
#endif
		if (m->level == 1) {
			core_pt_node_release_leaf(k, pte);
			nr_mapped++;
		} else {
			ptd_paddr_t child = core_pte_paddr(pte);

			CORE_BUG_ON(core_pt_node_meta(k, child)->level != m->level - 1);
			nr_mapped += core_pt_node_free_tree(k, child);
		}
	}
	core_lock_retire(k, node);
	return nr_mapped;
}
