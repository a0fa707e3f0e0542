/* SPDX-License-Identifier: MIT */
/*
 * Cursor mutation: Map, MapIoMem, Unmap, TakeNext, ProtectNext (vostd
 * `specs/mm/embedding/cursor.rs`, docs/CONTRACTS.md#mutation).  Only a mutable cursor may mutate
 * (the contract's op_pre does not check the kind; the Rust types do, POLICY.md: ERR_READ_ONLY).
 * Mappings are 4 KiB; a tracked one holds one reference to its frame and one position in the
 * frame's paths.  References are released when a mapping goes (policy R,
 * docs/CONTRACTS.md#policy-release), which is where ptdiff departs from the contracts.
 */
#include "ops.h"
#include "planted.h"

/* Apply ProtectNext's pure property change (include/ptdiff/types.h) to @prop. */
static struct ptd_prop change_prop(struct ptd_prop prop, struct ptd_prop_change change)
{
	prop.flags = (uint8_t)(((prop.flags & ~change.clear) | change.set) & PTD_PF_ALL);
	if (change.cache != PTD_CACHE_KEEP) {
		prop.cache = change.cache;
	}
	return prop;
}

/*
 * Steps 1-2 of Map and MapIoMem (POLICY.md): 1. a read-only cursor; 2. va at or past the end of the
 * locked range, where OSTD panics.  Sets res->status and returns 1 when refused.
 */
static int map_refused(const struct oracle_cursor *c, struct ptd_result *res)
{
	if (c->kind != PTD_CURSOR_MUTABLE) {
		res->status = PTD_ERR_READ_ONLY;
		return 1;
	}
	if (c->va >= c->end) {
		res->status = PTD_ERR_WOULD_PANIC;
		return 1;
	}
	return 0;
}

/*
 * The allocation step of Map (2b, 3) and MapIoMem (4b, 5): when the pool cannot hold the nodes
 * missing from the root to the level-1 node covering va, OSTD panics (POLICY.md §2 "Pool
 * exhaustion": res->status ERR_WOULD_PANIC, nothing changes, returns 1); else they are allocated,
 * top-down.
 */
static int leaf_table_refused(struct oracle *o, const struct oracle_cursor *c,
			      struct ptd_result *res)
{
	if (!oracle_pool_can_alloc(o, oracle_path_to_leaf_table_missing(o, c->vs, c->va))) {
		res->status = PTD_ERR_WOULD_PANIC;
		return 1;
	}
	oracle_path_to_leaf_table(o, c->vs, c->va);
	return 0;
}

/*
 * Map — `cursor_mut_map_embedded` (docs/CONTRACTS.md#map).  Contract: the Frame handle is consumed,
 * its reference moves into the PTE (rc unchanged, paths + the cursor's position), fresh nodes come
 * only from UNUSED slots, the cursor moves to va + 4096.  Departure (POLICY.md, policy R): a
 * mapping already at va is replaced and released (OSTD fc9f47a01), where the contract leaves the
 * old frame unchanged and current OSTD panics.  Allocation (3) happens before release (4).  The
 * contract cannot fail on allocation (docs/CONTRACTS.md#inc-15); POLICY.md §2 "Pool exhaustion"
 * makes it ERR_WOULD_PANIC (step 2b), the handle staying live.
 */
void oracle_cursor_map(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	struct oracle_cursor *c = oracle_cursor_get(o, op->cursor);
	struct oracle_vmspace *vs = oracle_vmspace_get(o, c->vs);
	size_t frame = oracle_frame_get(o, op->frame);
	ptd_paddr_t pa = o->frames[frame].paddr;
	long old;

	/* 1. Read-only cursor (the frame handle stays live); 2. at or past the end of the locked
	 * range: OSTD panics. */
	if (map_refused(c, res))
		return;
	/* 2b. Pool exhaustion for the nodes step 3 would allocate: OSTD panics.  3. The nodes from the
	 * root to the level-1 node covering va, top-down. */
	if (leaf_table_refused(o, c, res))
		return;
	/* 4. Replace-and-release a mapping already at va. */
	old = oracle_mapping_find(vs, c->va);
#if PTDIFF_PLANT_ORACLE_MAP_REPLACE_KEEP
	/* planted: the contract's "old frame unchanged" read literally: the mapping goes, its
	 * frame keeps the reference and the position */
	if (old >= 0)
		oracle_mapping_drop(vs, (size_t)old);
#else
	if (old >= 0)
		oracle_mapping_remove(o, vs, (size_t)old);
#endif
	/* 5. Install va -> frame, tracked; the handle's reference moves into the PTE. */
	oracle_mapping_install(o, vs, c->va, pa, true, op->prop);
	oracle_frame_unregister(o, frame);
	/* 6. The cursor sits after the page. */
	c->va += PTD_PAGE_SIZE;
	res->status = PTD_OK;
}

/*
 * MapIoMem — OSTD `map_iomem` (not in the contract's Op list; ptdiff adds it,
 * docs/CONTRACTS.md#map-iomem, so Query's MMIO branch is reachable).  An untracked leaf: no slot is
 * ever touched.  Error order (pool exhaustion last, step 4b) and the replace rule are POLICY.md's.
 */
void oracle_cursor_map_iomem(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	struct oracle_cursor *c = oracle_cursor_get(o, op->cursor);
	struct oracle_vmspace *vs = oracle_vmspace_get(o, c->vs);
	long old;

	/* 1. Read-only cursor; 2. at or past the end of the locked range. */
	if (map_refused(c, res))
		return;
	/* 3. Unaligned paddr. */
	if (op->paddr % PTD_PAGE_SIZE != 0) {
		res->status = PTD_ERR_NOT_ALIGNED;
		return;
	}
	/* 4. Outside the I/O window. */
	if (op->paddr < o->cfg.iomem_base || op->paddr >= o->cfg.iomem_end) {
		res->status = PTD_ERR_OUT_OF_BOUND;
		return;
	}
	/* 4b. Pool exhaustion for the nodes step 5 would allocate: OSTD panics.  5. As Map steps
	 * 3-4, then install untracked. */
	if (leaf_table_refused(o, c, res))
		return;
	old = oracle_mapping_find(vs, c->va);
	if (old >= 0) {
		oracle_mapping_remove(o, vs, (size_t)old);
	}
	oracle_mapping_install(o, vs, c->va, op->paddr, false, op->prop);
	c->va += PTD_PAGE_SIZE;
	res->status = PTD_OK;
}

/*
 * remove_range() - Unmap steps 3-4 on [@start, @end) for cursor @c of space @vs: remove every
 * mapping whose va is in it, tracked or not (a tracked one releases its reference, policy R),
 * and free every node of the space whose whole span lies inside it, except the guard node.  The
 * set of nodes freed is closed under "child of", so freeing each one frees whole sub-trees.
 * Return: how many mappings went.
 */
static uint64_t remove_range(struct oracle *o, const struct oracle_cursor *c,
			     struct oracle_vmspace *vs, ptd_vaddr_t start, ptd_vaddr_t end)
{
	uint64_t count = 0;

	for (size_t i = 0; i < vs->nr_maps;) {
		if (vs->maps[i].va >= start && vs->maps[i].va < end) {
			oracle_mapping_remove(o, vs, i);
			count++;
		} else {
			i++;
		}
	}
	for (size_t i = 0; i < o->nr_nodes;) {
		const struct oracle_node *n = &o->nodes[i];
#if PTDIFF_PLANT_ORACLE_UNMAP_GUARD
		bool is_guard = false; /* planted: the guard-node exception forgotten */
#else
		bool is_guard = n->level == c->guard_level && n->base == c->guard_base;
#endif
		if (n->vs == c->vs && !is_guard && n->base >= start &&
		    n->base + oracle_node_span(n->level) <= end) {
			oracle_node_free(o, i);
		} else {
			i++;
		}
	}
	return count;
}

/*
 * Steps 1-2 of Unmap, TakeNext and ProtectNext, which refuse alike (POLICY.md): 1. a read-only
 * cursor; 2. len % 4096 != 0 or len > be - va, where OSTD panics (ProtectNext: "len as FindNext
 * step 1").  Sets res->status and returns 1 when refused.
 */
static int range_op_refused(const struct oracle_cursor *c, uint64_t len, struct ptd_result *res)
{
	if (c->kind != PTD_CURSOR_MUTABLE) {
		res->status = PTD_ERR_READ_ONLY;
		return 1;
	}
	if (len % PTD_PAGE_SIZE != 0 || len > c->end - c->va) {
		res->status = PTD_ERR_WOULD_PANIC;
		return 1;
	}
	return 0;
}

/*
 * Unmap — `cursor_mut_unmap_embedded` (docs/CONTRACTS.md#unmap).  Contract: every mapping in [va,
 * va + len) goes; at a Frame slot rc and |paths| drop together and rc never reaches UNUSED; PT-node
 * slots are unconstrained.  Departures (POLICY.md, policy R): each removed tracked mapping releases
 * its reference, so a frame whose last reference was the PTE is torn down (the contract's formula
 * forbids it, docs/CONTRACTS.md#inc-4); the nodes wholly inside the range are freed, except the
 * guard node — a history-independent rule where OSTD fc9f47a01 depends on the cursor's level
 * history.  The cursor ends at exactly va + len (the contract: at least).
 */
void oracle_cursor_unmap(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	struct oracle_cursor *c = oracle_cursor_get(o, op->cursor);
	struct oracle_vmspace *vs = oracle_vmspace_get(o, c->vs);
	ptd_vaddr_t start, end;
	uint64_t count = 0;

	if (range_op_refused(c, op->len, res))
		return;
	start = c->va;
	end = c->va + op->len;
	/* 3-4. Remove every mapping in E = [start, end) and free the nodes wholly inside it. */
	count = remove_range(o, c, vs, start, end);
	/* 5. The cursor moves to exactly va + len. */
	c->va = end;
	res->status = PTD_OK;
	res->count = count;
}

/*
 * TakeNext — OSTD `CursorMut::take_next` (ostd/src/mm/page_table/cursor/mod.rs), and the
 * fragment it returns dropped at once, as `VmSpace::unmap` drops each one
 * (docs/CONTRACTS.md#take-next).  vostd has no `_embedded` contract for it; vostd exec's
 * `take_next` ensures say what the result is (the first fragment of [va, va + len): the
 * mappings before it untouched, the fragment's mappings removed, num_frames = how many).  Which
 * fragment is POLICY.md's rule, as for Unmap history-independent: OSTD's walk from the guard
 * node stops at the first entry, in address order, that is a mapped page or whose child node
 * lies wholly inside the range.  Dropping it is Unmap on the fragment's range (policy R).
 */
void oracle_cursor_take_next(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	struct oracle_cursor *c = oracle_cursor_get(o, op->cursor);
	struct oracle_vmspace *vs = oracle_vmspace_get(o, c->vs);
	ptd_vaddr_t start, end;
	long node = -1, m;

	if (range_op_refused(c, op->len, res))
		return;
	start = c->va;
	end = c->va + op->len;
	res->status = PTD_OK;
	/* 3. The candidates: every node of vs but the guard node whose whole span lies inside E,
	 * and every mapping in E.  The fragment starts lowest; at one va a node comes before a
	 * mapping and a higher node before a lower one (the walk meets the widest entry first). */
	for (size_t i = 0; i < o->nr_nodes; i++) {
		const struct oracle_node *n = &o->nodes[i];

		if (n->vs != c->vs || (n->level == c->guard_level && n->base == c->guard_base) ||
		    n->base < start || n->base + oracle_node_span(n->level) > end)
			continue;
		if (node < 0 || n->base < o->nodes[node].base ||
		    (n->base == o->nodes[node].base && n->level > o->nodes[node].level))
			node = (long)i;
	}
	m = oracle_mapping_lowest(vs, start, end);
	if (m >= 0 && (node < 0 || vs->maps[m].va < o->nodes[node].base)) {
		/* 4a. A mapped page: reported with its item, then dropped (policy R). */
		const struct oracle_mapping *mp = &vs->maps[m];

		res->found = PTD_FRAG_MAPPED;
		res->va = mp->va;
		res->va_end = mp->va + PTD_PAGE_SIZE;
		res->paddr = mp->pa;
		res->tracked = mp->tracked;
		res->prop = mp->prop;
		oracle_mapping_remove(o, vs, (size_t)m);
	} else if (node >= 0) {
		/* 4b. A stray sub-tree: its top node, its range and the mappings in it
		 * (num_frames); all of them removed and all its nodes freed. */
		res->found = PTD_FRAG_STRAY;
		res->va = o->nodes[node].base;
		res->va_end = res->va + oracle_node_span(o->nodes[node].level);
		res->paddr = o->nodes[node].slot * PTD_PAGE_SIZE;
		res->count = remove_range(o, c, vs, res->va, res->va_end);
	} else {
		/* 4c. Nothing: the cursor at exactly va + len (POLICY.md; exec: at least). */
		c->va = end;
		return;
	}
	/* 5. The cursor moves past the fragment. */
	c->va = res->va_end;
}

/*
 * ProtectNext — `cursor_protect_next_step` (docs/CONTRACTS.md#protect-next): slots unchanged.  The
 * contract carries no closure (model gap, docs/CONTRACTS.md#gap-3); ptdiff's change is a pure
 * function of the op.  Found: the first mapping in [va, va + len) gets the new property and the
 * cursor moves past it.  None: cursor at exactly va + len (POLICY.md; the contract: at least).
 */
void oracle_cursor_protect_next(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	struct oracle_cursor *c = oracle_cursor_get(o, op->cursor);
	struct oracle_vmspace *vs = oracle_vmspace_get(o, c->vs);
	struct oracle_mapping *m;
	long i;

	/* 1. Read-only cursor; 2. len as FindNext step 1. */
	if (range_op_refused(c, op->len, res))
		return;
	/* 3. Lowest mapped va in [va, va + len), as FindNext step 2. */
	i = oracle_cursor_next_mapping(vs, c, op->len, res);
	if (i < 0)
		return;
	m = &vs->maps[i];
	m->prop = change_prop(m->prop, op->change);
	c->va = m->va + PTD_PAGE_SIZE;
	res->found = 1;
	res->va = m->va;
	res->va_end = m->va + PTD_PAGE_SIZE;
}
