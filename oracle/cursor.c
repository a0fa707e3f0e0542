/* SPDX-License-Identifier: MIT */
/*
 * Cursor lifecycle and navigation: OpenCursor/OpenCursorMut, DropCursor, Query, FindNext, Jump,
 * VirtAddr (vostd `specs/mm/embedding/cursor.rs`, docs/CONTRACTS.md#cursor-lifecycle, #navigation).
 * None of these changes a mapping; only OpenCursor allocates nodes and only Query changes a slot
 * (rc + 1).  A cursor's position stays in [start, end] (POLICY.md fixes "after nothing found" to
 * exactly old va + len, which never passes end because len <= end - va is checked first).
 */
#include "ops.h"

/** entry_index() - Index of the entry of a level-@level node that covers @va. */
static unsigned entry_index(ptd_vaddr_t va, unsigned level)
{
	return (unsigned)((va / PTD_ENTRY_SPAN(level)) % PTD_NR_ENTRIES);
}

/**
 * guard_descent() - POLICY.md OpenCursor step 4: from the root, for L = 4, 3, 2, while [start, end)
 * stays inside one level-L entry, descend into it; the node reached is the guard node (*@level,
 * *@base).  With @allocate, absent nodes on the way are allocated (top-down); without, nothing
 * changes.  Return: how many nodes on the way were absent (= how many step 4 allocates).
 */
static uint64_t guard_descent(struct oracle *o, ptd_id_t vs, ptd_vaddr_t start, ptd_vaddr_t end,
			      bool allocate, unsigned *level, ptd_vaddr_t *base)
{
	uint64_t absent = 0;

	*level = PTD_NR_LEVELS;
	*base = 0;
	while (*level > 1 && entry_index(start, *level) == entry_index(end - 1, *level)) {
		*base = start - start % PTD_ENTRY_SPAN(*level);
		if (oracle_node_find(o, vs, *level - 1, *base) < 0) {
			absent++;
			if (allocate) {
				oracle_node_alloc(o, vs, *level - 1, *base);
			}
		}
		*level -= 1;
	}
	return absent;
}

/* A page-table node by position: level 1..4 and base va (the root: level 4, base 0). */
struct node_pos {
	unsigned level;
	ptd_vaddr_t base;
};

/** node_span() - The va span a level-@level node covers (512 entries of its level). */
static uint64_t node_span(unsigned level)
{
	return PTD_ENTRY_SPAN(level + 1);
}

/** node_meets() - Whether node @n's span intersects [@start, @end). */
static bool node_meets(struct node_pos n, ptd_vaddr_t start, ptd_vaddr_t end)
{
	return n.base < end && start < n.base + node_span(n.level);
}

/** node_below() - Whether node @n lies strictly below node @g (inside its span, lower level). */
static bool node_below(struct node_pos n, struct node_pos g)
{
	return n.level < g.level && g.base <= n.base && n.base < g.base + node_span(g.level);
}

/*
 * The page-table nodes a cursor over [start, end) holds locked (docs/POLICY.md "Several cursors",
 * OSTD ostd/src/mm/page_table/cursor/locking.rs `lock_range` and `dfs_acquire_lock`): its guard
 * node and every existing node below the guard whose span meets the range.  held() says whether
 * node @n is one of them for the live cursor @c.
 */
static bool held(const struct oracle_cursor *c, struct node_pos n)
{
	struct node_pos g = { c->guard_level, c->guard_base };

	if (n.level == g.level && n.base == g.base)
		return true;
	return node_below(n, g) && node_meets(n, c->start, c->end);
}

/*
 * needs_held() - Whether opening a cursor over [start, end) in @vs needs a node that a live cursor
 * of @vs holds.  The open needs (locking.rs `try_traverse_and_lock_subtree_root`, then
 * `dfs_acquire_lock`): when an entry on the way down to its guard is absent, the node holding that
 * entry (locked to allocate the missing nodes, which nobody else can hold); otherwise the guard
 * node and every existing node below it whose span meets the range.  A cursor never waits for
 * itself, and nodes of other address spaces are never shared.
 */
static bool needs_held(struct oracle *o, ptd_id_t vs, ptd_vaddr_t start, ptd_vaddr_t end)
{
	struct node_pos guard = { PTD_NR_LEVELS, 0 };

	while (guard.level > 1 &&
	       entry_index(start, guard.level) == entry_index(end - 1, guard.level)) {
		struct node_pos child = { guard.level - 1,
					  start - start % PTD_ENTRY_SPAN(guard.level) };

		if (oracle_node_find(o, vs, child.level, child.base) < 0) {
			/* Only the node holding the absent entry is needed. */
			for (size_t i = 0; i < o->nr_cursors; i++)
				if (o->cursors[i].vs == vs && held(&o->cursors[i], guard))
					return true;
			return false;
		}
		guard = child;
	}
	for (size_t i = 0; i < o->nr_cursors; i++) {
		if (o->cursors[i].vs != vs)
			continue;
		if (held(&o->cursors[i], guard))
			return true;
		for (size_t k = 0; k < o->nr_nodes; k++) {
			struct node_pos n = { o->nodes[k].level, o->nodes[k].base };

			if (o->nodes[k].vs == vs && node_below(n, guard) &&
			    node_meets(n, start, end) && held(&o->cursors[i], n))
				return true;
		}
	}
	return false;
}

/*
 * OpenCursor / OpenCursorMut — `vm_space_cursor_embedded` (docs/CONTRACTS.md#open-cursor).  The
 * contract does not say when the open succeeds nor which nodes it allocates (only "UNUSED slots may
 * become PT nodes"); POLICY.md closes both: the vostd exec range check, the lock conflict with
 * live cursors of the space (docs/POLICY.md "Several cursors"), and the OSTD lock_range descent
 * that allocates missing nodes down to the guard level.  The contract cannot fail on allocation
 * (docs/CONTRACTS.md#inc-15); POLICY.md §2 "Pool exhaustion" makes it ERR_WOULD_PANIC.
 */
void oracle_open_cursor(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	ptd_vaddr_t start = op->va, end = op->end;
	unsigned level;
	ptd_vaddr_t base;
	struct oracle_cursor c;

	(void)oracle_vmspace_get(o, op->vs);

	/* 1. start < end, both 4096-aligned, end <= 2^47. */
	if (!(start < end && start % PTD_PAGE_SIZE == 0 && end % PTD_PAGE_SIZE == 0 &&
	      end <= PTD_USER_END)) {
		res->status = PTD_ERR_BAD_RANGE;
		return;
	}
	/* 2. A node the open must lock is held by a live cursor of the space: OSTD would wait
	 * for that cursor to be dropped; both sides refuse instead. */
	if (needs_held(o, op->vs, start, end)) {
		res->status = PTD_ERR_BUSY;
		return;
	}
	/* 3. Pool exhaustion for the nodes step 4 would allocate (a dry run of the descent). */
	if (!oracle_pool_can_alloc(o, guard_descent(o, op->vs, start, end, false, &level, &base))) {
		res->status = PTD_ERR_WOULD_PANIC;
		return;
	}
	/* 4. For L = 4, 3, 2: while start and end-1 share the level-L entry, descend into it,
	 * allocating the level L-1 node at align_down(start, ENTRY_SPAN(L)) if it is absent. */
	(void)guard_descent(o, op->vs, start, end, true, &level, &base);
	/* 5. Register the cursor at va = start; level/base are its guard node. */
	c = (struct oracle_cursor){
		.id = op->new_id,
		.vs = op->vs,
		.kind = op->kind == PTD_OP_OPEN_CURSOR_MUT ? PTD_CURSOR_MUTABLE
							   : PTD_CURSOR_READ_ONLY,
		.start = start,
		.end = end,
		.va = start,
		.guard_level = level,
		.guard_base = base,
	};
	ORACLE_BUG_ON(op->new_id == 0);
	o->cursors =
		oracle_grow(o->cursors, &o->cursors_cap, o->nr_cursors + 1, sizeof *o->cursors);
	o->cursors[o->nr_cursors++] = c;
	res->status = PTD_OK;
	res->new_id = op->new_id;
}

/* DropCursor — `drop_cursor_step` (docs/CONTRACTS.md#drop-cursor): unregister; every slot
 * unchanged. */
void oracle_drop_cursor(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	struct oracle_cursor *c = oracle_cursor_get(o, op->cursor);

	*c = o->cursors[--o->nr_cursors];
	res->status = PTD_OK;
}

/** report_item() - Query's result for the 4 KiB item @m: OK, found, paddr, prop, [va, va+4096). */
static void report_item(struct ptd_result *res, const struct oracle_mapping *m)
{
	res->status = PTD_OK;
	res->found = 1;
	res->paddr = m->pa;
	res->prop = m->prop;
	res->va = m->va;
	res->va_end = m->va + PTD_PAGE_SIZE;
}

/*
 * absent_range() - The range Query reports when nothing is mapped at @va (POLICY.md Query step 2,
 * OSTD `query`: the range of the entry its walk stops at).  From the root, for L = 4, 3, 2: the
 * level-L entry covering va leads to the level L-1 node with base align_down(va, ENTRY_SPAN(L));
 * if that node does not exist the walk stops there, with the entry's whole span; past level 2 it
 * stops at the level-1 entry, the page itself.  (OSTD starts at the cursor's level, not the root,
 * but every node from the root down to the guard node exists, so the walk stops at the same
 * entry.)
 */
static void absent_range(struct oracle *o, ptd_id_t vs, ptd_vaddr_t va, struct ptd_result *res)
{
	unsigned level = PTD_NR_LEVELS;

	while (level > 1 &&
	       oracle_node_find(o, vs, level - 1, va - va % PTD_ENTRY_SPAN(level)) >= 0)
		level--;
	res->va = va - va % PTD_ENTRY_SPAN(level);
	res->va_end = res->va + PTD_ENTRY_SPAN(level);
}

/*
 * Query — `cursor_query_embedded`, the seed contract (docs/CONTRACTS.md#query).  The contract's
 * None covers three cases, all with every slot unchanged: out of range (POLICY.md:
 * ERR_OUT_OF_RANGE), no leaf (found 0), an untracked I/O leaf (found 1, tracked 0, no handle).  Its
 * Some(paddr): the leaf's slot gets rc + 1 (<= MAX), every other field and slot unchanged, and a
 * new FrameEntry at paddr.  The contract does not tie the result to the mappings; POLICY.md takes
 * the exec rule (a hit iff va is mapped) and OSTD's range (of the absent entry when nothing is
 * mapped, docs/CONTRACTS.md#inc-13).  The cursor does not move.
 */
void oracle_cursor_query(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	struct oracle_cursor *c = oracle_cursor_get(o, op->cursor);
	struct oracle_vmspace *vs = oracle_vmspace_get(o, c->vs);
	struct oracle_mapping m;
	struct oracle_slot *s;
	long i;

	/* 1. va >= be -> error, slots unchanged. */
	if (c->va >= c->end) {
		res->status = PTD_ERR_OUT_OF_RANGE;
		return;
	}
	/* 2. No mapping at va -> None, with the range of the absent entry. */
	i = oracle_mapping_find(vs, c->va);
	if (i < 0) {
		res->status = PTD_OK;
		absent_range(o, c->vs, c->va, res);
		return;
	}
	m = vs->maps[i];
	/* 3. Untracked (I/O) leaf -> the contract's None: no slot change, no handle. */
	if (!m.tracked) {
		report_item(res, &m);
		return;
	}
	/* 4. Tracked frame: rc + 1 must stay <= MAX, else OSTD panics (clone saturation). */
	s = oracle_slot_of(o, m.pa);
	if (s->rc >= PTD_RC_MAX) {
		res->status = PTD_ERR_WOULD_PANIC;
		return;
	}
	s->rc += 1;
	oracle_frame_register(o, op->new_id, m.pa);
	report_item(res, &m);
	res->tracked = 1;
	res->new_id = op->new_id;
}

long oracle_cursor_next_mapping(const struct oracle_vmspace *vs, struct oracle_cursor *c,
				uint64_t len, struct ptd_result *res)
{
	long i = oracle_mapping_lowest(vs, c->va, c->va + len);

	res->status = PTD_OK;
	if (i < 0)
		c->va += len;
	return i;
}

/*
 * FindNext — `cursor_find_next_step` (docs/CONTRACTS.md#find-next): slots unchanged.  OSTD panics
 * on an unaligned len or one past the locked range (POLICY.md: ERR_WOULD_PANIC).  Found: cursor at
 * the lowest mapped va (exec, not the spec helper's "end of mapping", docs/CONTRACTS.md#inc-12).
 * None: the contract only says "at least va + len"; POLICY.md fixes exactly va + len.
 */
void oracle_cursor_find_next(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	struct oracle_cursor *c = oracle_cursor_get(o, op->cursor);
	struct oracle_vmspace *vs = oracle_vmspace_get(o, c->vs);
	long i;

	/* 1. len % 4096 != 0 or len > be - va (va <= be always, so no overflow). */
	if (op->len % PTD_PAGE_SIZE != 0 || op->len > c->end - c->va) {
		res->status = PTD_ERR_WOULD_PANIC;
		return;
	}
	/* 2. Lowest mapping (tracked or not) in [va, va + len). */
	i = oracle_cursor_next_mapping(vs, c, op->len, res);
	if (i < 0)
		return;
	c->va = vs->maps[i].va;
	res->found = 1;
	res->va = c->va;
}

/*
 * Jump — `lemma_cursor_jump_embedded` (docs/CONTRACTS.md#jump), current OSTD: an unaligned target
 * panics (ERR_WOULD_PANIC), a target outside [bs, be) is an error, otherwise va = t.  Slots
 * unchanged.
 */
void oracle_cursor_jump(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	struct oracle_cursor *c = oracle_cursor_get(o, op->cursor);

	if (op->va % PTD_PAGE_SIZE != 0) {
		res->status = PTD_ERR_WOULD_PANIC;
		return;
	}
	if (op->va < c->start || op->va >= c->end) {
		res->status = PTD_ERR_OUT_OF_RANGE;
		return;
	}
	c->va = op->va;
	res->status = PTD_OK;
}

/* VirtAddr — docs/CONTRACTS.md#virt-addr: the cursor's va.  Pure. */
void oracle_cursor_virt_addr(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	struct oracle_cursor *c = oracle_cursor_get(o, op->cursor);

	res->status = PTD_OK;
	res->va = c->va;
}
