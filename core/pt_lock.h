/* SPDX-License-Identifier: MIT */
/*
 * Page-table node locks (OSTD ostd/src/mm/page_table/node/mod.rs: `PageTablePageMeta.lock`,
 * `stray`).  Each node's metadata holds the id of the cursor that has it locked (0: free) and
 * whether it has been detached from its tree (stray).  A cursor locks its guard node and every
 * node below it that meets its range when it opens (cursor.c, locking.rs `lock_range`), locks
 * the nodes it creates before it links them, and releases all of them when it is dropped.
 *
 * Every PTE store a cursor makes goes through core_pt_lock_check(): a store into a node the
 * acting cursor does not hold is a protocol violation, reported as a core bug with its own
 * signature ("protocol-...").
 */
#ifndef PTDIFF_CORE_PT_LOCK_H
#define PTDIFF_CORE_PT_LOCK_H

#include "ptdiff/types.h"

struct core;

/**
 * core_pt_lock() - Take @node's lock for cursor @owner, waiting (in a group of concurrent ops)
 * while another cursor holds it.  A stray node is locked like any other: the caller checks.
 * Return: 0 when taken, -1 when the lock can never be had (outside a group a held lock is
 * never released while the op runs; in a group, no running op can release it).
 */
int core_pt_lock(struct core *k, ptd_paddr_t node, ptd_id_t owner);

/** core_pt_unlock() - Release @node's lock, which @owner holds. */
void core_pt_unlock(struct core *k, ptd_paddr_t node, ptd_id_t owner);

/** core_pt_lock_free() - Whether nobody holds @node's lock (or @node is no longer a node). */
int core_pt_lock_free(struct core *k, ptd_paddr_t node);

/** core_pt_lock_owner() - The cursor holding @node's lock, 0 if none. */
ptd_id_t core_pt_lock_owner(struct core *k, ptd_paddr_t node);

/**
 * core_pt_lock_check() - The acting cursor (k->acting) is about to change @node: it must hold
 * the node's lock.  Nothing is checked outside cursor ops (k->acting 0: address-space
 * creation and teardown, which no cursor can race with).
 */
void core_pt_lock_check(struct core *k, ptd_paddr_t node, const char *what);

#endif /* PTDIFF_CORE_PT_LOCK_H */
