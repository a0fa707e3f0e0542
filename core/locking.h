/* SPDX-License-Identifier: MIT */
/*
 * The page-table locking protocol of OSTD (ostd/src/mm/page_table/cursor/locking.rs), for the
 * cursors of one address space that may run at the same time (docs/CONCURRENCY.md).
 *
 * lock_range: walk from the root without locks while [start, end) lies in one entry; where an
 *   entry on the way is absent, lock the node holding it and create the missing nodes down to
 *   the guard level, each locked before it is linked; otherwise lock the node where start and
 *   end - 1 part (the guard node), retrying from the root if it was detached meanwhile
 *   (stray); then lock, in pre-order, every existing node below the guard that meets the range.
 * unlock_range: release those nodes (as the tree is now) in the reverse order.
 * A detached sub-tree is marked stray and unlocked at once; its nodes are freed when no op
 * that could have read a pointer to them without a lock is still running (the grace period).
 */
#ifndef PTDIFF_CORE_LOCKING_H
#define PTDIFF_CORE_LOCKING_H

#include "ptdiff/op.h"

struct core;
struct core_cursor;

/**
 * core_lock_range() - Lock [@start, @end) of address space @vs for cursor @owner.
 * On success *@guard and *@guard_level name the guard node.
 * Return: PTD_OK; PTD_ERR_BUSY when a node the protocol needs is held by a cursor that no
 * running op will drop (nothing stays locked); PTD_ERR_WOULD_PANIC when the pool cannot hold
 * the nodes to create (POLICY §2 "Pool exhaustion", checked before the first allocation).
 */
enum ptd_status core_lock_range(struct core *k, ptd_id_t vs, ptd_vaddr_t start, ptd_vaddr_t end,
				ptd_id_t owner, ptd_paddr_t *guard, unsigned *guard_level);

/** core_unlock_range() - Release every lock cursor @c holds (DropCursor). */
void core_unlock_range(struct core *k, ptd_id_t id, const struct core_cursor *c);

/**
 * core_lock_retire() - The acting cursor has unlinked a sub-tree and is done with its node
 * @node (children first): mark it stray and release its lock, then free it now or, while ops
 * that started before it are still running (they may hold a pointer to it read without a
 * lock), once they have all ended.  Outside cursor ops (DropVmSpace) it is freed at once.
 */
void core_lock_retire(struct core *k, ptd_paddr_t node);

/** core_lock_grace() - Free the retired nodes that no running op can still reach. */
void core_lock_grace(struct core *k);

#endif /* PTDIFF_CORE_LOCKING_H */
