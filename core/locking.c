/* SPDX-License-Identifier: MIT */
/*
 * lock_range / unlock_range and the retirement of detached nodes (locking.h), after OSTD
 * ostd/src/mm/page_table/cursor/locking.rs.  Every lock is taken through core_pt_lock(), which
 * waits inside a group of concurrent ops and refuses outside one; whatever a refused open had
 * locked is released before it returns, so a refusal changes nothing but the allocation of
 * nodes no one else can see yet (none: allocation happens only after the last lock that can
 * be refused).
 */
#include "locking.h"

#include "core.h"
#include "cursor.h"
#include "meta.h"
#include "planted.h"
#include "pt_lock.h"
#include "pt_node.h"
#include "scheduler.h"

/** node_end() - One past the last va the level-@level node based at @base covers. */
static ptd_vaddr_t node_end(ptd_vaddr_t base, unsigned level)
{
	return base + PTD_ENTRY_SPAN(level + 1u);
}

/*
 * unlock_subtree() - locking.rs `dfs_release_lock`: release @node and every table below it that
 * meets [@start, @end), as the tree is now, in post-order from the right (the reverse of
 * dfs_acquire's order).
 */
static void unlock_subtree(struct core *k, ptd_paddr_t node, ptd_vaddr_t start, ptd_vaddr_t end,
			   ptd_id_t owner)
{
	const struct core_pt_node_meta *m = core_pt_node_meta(k, node);

	if (m->level > 1) {
		const core_pte_t *ents = core_pt_node_entries(k, node);
		unsigned first = start <= m->base_va ? 0 : core_pte_index(start, m->level);
		unsigned last = end >= node_end(m->base_va, m->level)
					? PTD_NR_ENTRIES - 1
					: core_pte_index(end - 1, m->level);
		uint16_t present[PTD_NR_ENTRIES];
		unsigned n = 0;
		uint64_t steps = 0; /* not a range walk of an op: kept out of nr_walk_steps */

		/* The present entries (skipping empty groups, pt_node.h), released right to left. */
		for (unsigned i = first;
		     (i = core_pt_node_next_present(m, ents, i, last, &steps)) <= last; i++) {
			present[n++] = (uint16_t)i;
		}
		while (n--) {
			unlock_subtree(k, core_pte_paddr(core_pte_load(&ents[present[n]])), start,
				       end, owner);
		}
	}
	core_pt_unlock(k, node, owner);
}

/*
 * dfs_acquire() - locking.rs `dfs_acquire_lock`: lock, in pre-order and index order, every
 * existing table below the locked node @node that meets [@start, @end).  On failure the locks
 * this call took are released again (in reverse) and -1 is returned.
 */
static int dfs_acquire(struct core *k, ptd_paddr_t node, ptd_vaddr_t start, ptd_vaddr_t end,
		       ptd_id_t owner)
{
	const struct core_pt_node_meta *m = core_pt_node_meta(k, node);
	const core_pte_t *ents;
	unsigned first, last;
	uint64_t steps = 0; /* not a range walk of an op: kept out of nr_walk_steps */

	if (m->level == 1) {
		return 0;
	}
	ents = core_pt_node_entries(k, node);
	first = start <= m->base_va ? 0 : core_pte_index(start, m->level);
	last = end >= node_end(m->base_va, m->level) ? PTD_NR_ENTRIES - 1
						     : core_pte_index(end - 1, m->level);
	/* Present entries only: empty groups are skipped (pt_node.h live_groups). */
	for (unsigned i = first; (i = core_pt_node_next_present(m, ents, i, last, &steps)) <= last;
	     i++) {
		core_pte_t pte = core_pte_load(&ents[i]);
		ptd_paddr_t child = core_pte_paddr(pte);

#if PTDIFF_PLANT_CONC_DFS_SKIP_HELD
		if (!core_pt_lock_free(k, child)) {
			continue; /* planted: a child another cursor holds is left to it */
		}
#endif
		if (core_pt_lock(k, child, owner) == 0) {
			if (dfs_acquire(k, child, start, end, owner) == 0) {
				continue;
			}
			core_pt_unlock(k, child, owner);
		}
		/* Release what this level took, right to left. */
		while (i-- > first) {
			pte = core_pte_load(&core_pt_node_entries(k, node)[i]);
			if (core_pte_present(pte)) {
				unlock_subtree(k, core_pte_paddr(pte), start, end, owner);
			}
		}
		return -1;
	}
	return 0;
}

/*
 * How many nodes the walk creates when the entry it stopped at, in a level-@level node, is
 * absent: one per level down to the guard level of [start, last].
 */
static unsigned nodes_to_create(ptd_vaddr_t start, ptd_vaddr_t last, unsigned level)
{
	unsigned n = 0;

	while (level > 1 && core_pte_index(start, level) == core_pte_index(last, level)) {
		n++;
		level--;
	}
	return n;
}

/* One attempt of core_lock_range(); a lock it cannot have refuses it (ERR_BUSY). */
static enum ptd_status lock_range_walk(struct core *k, ptd_id_t vs, ptd_vaddr_t start,
				       ptd_vaddr_t end, ptd_id_t owner, ptd_paddr_t *guard,
				       unsigned *guard_level)
{
	const ptd_paddr_t root = core_vm_space_get(k, vs)->root;
#if PTDIFF_PLANT_OPEN_GUARD_END
	const ptd_vaddr_t last = end; /* planted: the exclusive end taken as the last byte */
#else
	const ptd_vaddr_t last = end - 1;
#endif

retry:
	/* The walk knows each node's level from its depth: a node reached without its lock is
	 * not read beyond its entries until it is locked (core_pt_lock checks it is live). */
	for (ptd_paddr_t node = root, level = PTD_NR_LEVELS;;) {
		unsigned i = core_pte_index(start, (unsigned)level);
		core_pte_t pte;

#if PTDIFF_PLANT_CONC_GUARD_HIGH
		/* planted: the descent stops one level early (guard one level too high) */
		if (level > 2 && i == core_pte_index(last, (unsigned)level)) {
#else
		if (level > 1 && i == core_pte_index(last, (unsigned)level)) {
#endif
			/* Lock-free read: the child may be detached before we lock it. */
			pte = core_pte_load(&core_pt_node_entries(k, node)[i]);
			core_sched_step(k, PTD_STEP_READ, level, node, i);
			if (core_pte_present(pte)) {
				node = core_pte_paddr(pte);
				level--;
				continue;
			}
			/* Absent: lock the node holding the entry to create the missing ones. */
			if (core_pt_lock(k, node, owner)) {
				return PTD_ERR_BUSY;
			}
			if (core_pt_node_meta(k, node)->stray) {
				core_pt_unlock(k, node, owner);
				goto retry;
			}
#if !PTDIFF_PLANT_CONC_NO_RECHECK
			/* planted CONC_NO_RECHECK: the entry read before the lock taken as still absent */
			pte = core_pte_load(&core_pt_node_entries(k, node)[i]);
#endif
			if (core_pte_present(pte)) { /* someone created it meanwhile */
				core_pt_unlock(k, node, owner);
				node = core_pte_paddr(pte);
				level--;
				continue;
			}
			if (!core_pt_pool_has_free(&k->pool,
						   nodes_to_create(start, last, (unsigned)level))) {
				core_pt_unlock(k, node, owner);
				return PTD_ERR_WOULD_PANIC;
			}
			/* Create down to the guard level, hand over hand: each child is locked
			 * before it is linked (core_pt_node_alloc gives it to k->acting), its
			 * parent released after.  The guard is new, so nothing below it exists. */
			while (level > 1 && i == core_pte_index(last, (unsigned)level)) {
#if PTDIFF_PLANT_CONC_UNLOCK_BEFORE_LINK
				/* planted: the parent released before the child's PTE is stored */
				ptd_paddr_t child;

				core_pt_unlock(k, node, owner);
				child = core_pt_node_alloc_child(k, node, i);
#else
				ptd_paddr_t child = core_pt_node_alloc_child(k, node, i);

				core_pt_unlock(k, node, owner);
#endif
				node = child;
				level--;
				i = core_pte_index(start, (unsigned)level);
			}
			*guard = node;
			*guard_level = (unsigned)level;
			return PTD_OK;
		}
		/* The guard node: lock it, check it is still in the tree, lock what is below. */
		if (core_pt_lock(k, node, owner)) {
			return PTD_ERR_BUSY;
		}
#if !PTDIFF_PLANT_CONC_NO_STRAY_CHECK
		/* planted CONC_NO_STRAY_CHECK: a guard detached meanwhile is used as it is */
		if (core_pt_node_meta(k, node)->stray) {
			core_pt_unlock(k, node, owner);
			goto retry;
		}
#endif
		if (dfs_acquire(k, node, start, end, owner)) {
			core_pt_unlock(k, node, owner);
			return PTD_ERR_BUSY;
		}
		*guard = node;
		*guard_level = (unsigned)level;
		return PTD_OK;
	}
}

enum ptd_status core_lock_range(struct core *k, ptd_id_t vs, ptd_vaddr_t start, ptd_vaddr_t end,
				ptd_id_t owner, ptd_paddr_t *guard, unsigned *guard_level)
{
	enum ptd_status st = lock_range_walk(k, vs, start, end, owner, guard, guard_level);

	/* In a group, a lock no running op will release means OSTD blocks until its cursor is
	 * dropped: this open holds nothing now, goes last and tries once more without waiting
	 * (scheduler.h core_sched_defer()), as the sequential rule decides it after the others. */
	if (st == PTD_ERR_BUSY && core_sched_defer(k)) {
		st = lock_range_walk(k, vs, start, end, owner, guard, guard_level);
	}
	return st;
}

void core_unlock_range(struct core *k, ptd_id_t id, const struct core_cursor *c)
{
	unlock_subtree(k, c->path[c->guard_level], c->start, c->end, id);
}

void core_lock_retire(struct core *k, ptd_paddr_t node)
{
	uint64_t idx = node / PTD_PAGE_SIZE;
	unsigned waiters, level;
	ptd_id_t acting = core_acting(k);

	if (acting) {
		struct core_pt_node_meta *m = core_pt_node_meta(k, node);

		core_pt_lock_check(k, node, "frees");
#if PTDIFF_PLANT_CONC_STRAY_LEAF_ONLY
		m->stray = m->level == 1; /* planted: the level test inverted, tables above stay */
#else
		m->stray = 1;
#endif
		core_pt_unlock(k, node, acting);
	}
#if PTDIFF_PLANT_CONC_FREE_NO_GRACE
	waiters = 0; /* planted: freed at once, while other ops may still hold a pointer */
#elif PTDIFF_PLANT_CONC_GRACE_OWN_END
	waiters = core_sched_self_running(k); /* planted: the grace period ends with this op */
#else
	waiters = core_sched_others_running(k);
#endif
	if (waiters) {
		core_book_lock();
		k->retired[k->nr_retired].node = node;
		k->retired[k->nr_retired].waiters = (uint8_t)waiters;
		k->nr_retired++;
		core_book_unlock();
		return;
	}
	level = core_pt_node_meta(k, node)->level;
	core_meta_teardown(k, idx);
	core_sched_step(k, PTD_STEP_FREE, level, node, 0);
}

void core_lock_grace(struct core *k)
{
	unsigned running;
	uint64_t kept = 0;

	core_book_lock();
	running = core_sched_others_running(k) | core_sched_self_running(k);
	for (uint64_t r = 0; r < k->nr_retired; r++) {
		if (k->retired[r].waiters & running) {
			k->retired[kept++] = k->retired[r];
			continue;
		}
		core_meta_teardown(k, k->retired[r].node / PTD_PAGE_SIZE);
	}
	k->nr_retired = kept;
	core_book_unlock();
}
