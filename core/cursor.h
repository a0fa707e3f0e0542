/* SPDX-License-Identifier: MIT */
/*
 * Cursors, shaped like OSTD's page_table::cursor::Cursor (cursor/mod.rs): a locked range
 * (barrier_va), a guard level, the current va and level, and a cached path of nodes from the
 * guard node down.  Every navigation and mutation op of POLICY §3 is a function here; the
 * range searches they share live in walk.c.
 */
#ifndef PTDIFF_CORE_CURSOR_H
#define PTDIFF_CORE_CURSOR_H

#include <stdint.h>

#include "ptdiff/op.h"

struct core;

/*
 * struct core_cursor - one live cursor, stored at its harness id.
 * @vs:          owning address space id.
 * @is_mut:      CursorMut (1) or read-only Cursor (0).
 * @guard_level: level of the guard node, the lowest node whose span covers [start, end)
 *               (POLICY §3 OpenCursor step 4).  The cursor never looks above it.
 * @level:       current level.  Cache invariant: path[level .. guard_level] are live nodes,
 *               path[L] the child of path[L + 1] through the entry covering some recent
 *               lookup address; path[guard_level] is always the guard node.  Entries below
 *               @level are stale.  Before a lookup the cursor pops levels until path[level]
 *               covers the address (cursor_cover()), so nearby lookups reuse the path.  The
 *               path's nodes cover addresses of the range, so this cursor holds their locks
 *               (locking.h) and no other cursor can free them; unmap leaves @level at a node
 *               it did not free.
 * @start, @end: the locked range [start, end), page-aligned (OSTD barrier_va).
 * @va:          current position, page-aligned, start <= va <= end.
 * @path:        @path[L] = paddr of the level-L node (index 0 unused).
 */
struct core_cursor {
	ptd_id_t vs;
	uint8_t is_mut;
	uint8_t guard_level;
	uint8_t level;
	ptd_vaddr_t start, end;
	ptd_vaddr_t va;
	ptd_paddr_t path[PTD_NR_LEVELS + 1];
};

/** core_cursor_get() - The live cursor @id (harness error if not live). */
struct core_cursor *core_cursor_get(struct core *k, ptd_id_t id);

/**
 * core_cursor_open() - POLICY §3 OpenCursor / OpenCursorMut, `open_cursor_embedded`.
 * @vs: live address space; @start, @end: requested range; @is_mut: CursorMut;
 * @new_id: id to register.
 * Return: PTD_OK, PTD_ERR_BAD_RANGE, PTD_ERR_BUSY or PTD_ERR_WOULD_PANIC (pool exhausted).
 */
enum ptd_status core_cursor_open(struct core *k, ptd_id_t vs, ptd_vaddr_t start, ptd_vaddr_t end,
				 int is_mut, ptd_id_t new_id);

/** core_cursor_drop() - POLICY §3 DropCursor, `drop_cursor_embedded`.  Return: PTD_OK. */
enum ptd_status core_cursor_drop(struct core *k, ptd_id_t id);

/**
 * core_cursor_query() - POLICY §3 Query, `cursor_query_embedded` (the seed).  Fills @res
 * (found, tracked, paddr, prop, va, va_end, new_id) on success.
 * Return: PTD_OK, PTD_ERR_OUT_OF_RANGE or PTD_ERR_WOULD_PANIC.
 */
enum ptd_status core_cursor_query(struct core *k, struct core_cursor *c, ptd_id_t new_id,
				  struct ptd_result *res);

/**
 * core_cursor_find_next() - POLICY §3 FindNext, `cursor_find_next_embedded`.
 * @len: bytes to search from the cursor's va.  Fills res->found and res->va.
 * Return: PTD_OK or PTD_ERR_WOULD_PANIC.
 */
enum ptd_status core_cursor_find_next(struct core *k, struct core_cursor *c, uint64_t len,
				      struct ptd_result *res);

/** core_cursor_jump() - POLICY §3 Jump, `cursor_jump_embedded` (current OSTD). */
enum ptd_status core_cursor_jump(struct core_cursor *c, ptd_vaddr_t va);

/**
 * core_cursor_map() - POLICY §3 Map, `cursor_map_embedded`, replace-and-release: consumes
 * the Frame handle @frame_id on success.
 * Return: PTD_OK, PTD_ERR_READ_ONLY or PTD_ERR_WOULD_PANIC (va at the end, or the pool too
 * short for the missing nodes).
 */
enum ptd_status core_cursor_map(struct core *k, struct core_cursor *c, ptd_id_t frame_id,
				struct ptd_prop prop);

/**
 * core_cursor_map_iomem() - POLICY §3 MapIoMem (OSTD map_iomem): an untracked leaf.
 * Return: PTD_OK, PTD_ERR_READ_ONLY, PTD_ERR_WOULD_PANIC (va at the end; pool exhausted),
 * PTD_ERR_NOT_ALIGNED or PTD_ERR_OUT_OF_BOUND.
 */
enum ptd_status core_cursor_map_iomem(struct core *k, struct core_cursor *c, ptd_paddr_t paddr,
				      struct ptd_prop prop);

/**
 * core_cursor_unmap() - POLICY §3 Unmap, `cursor_unmap_embedded`, policy R.  Sets res->count.
 * Return: PTD_OK, PTD_ERR_READ_ONLY or PTD_ERR_WOULD_PANIC.
 */
enum ptd_status core_cursor_unmap(struct core *k, struct core_cursor *c, uint64_t len,
				  struct ptd_result *res);

/**
 * core_cursor_take_next() - POLICY §3 TakeNext, OSTD CursorMut::take_next followed by dropping
 * the fragment (as VmSpace::unmap does): take the first fragment of [va, va + @len) (a mapped
 * page, or a sub-tree of nodes wholly inside it), release it, and move past it.  Fills @res
 * (found = PTD_FRAG_MAPPED with va, va_end, paddr, tracked, prop; PTD_FRAG_STRAY with va,
 * va_end, paddr of the top node and count = num_frames; 0 when nothing was found).
 * Return: PTD_OK, PTD_ERR_READ_ONLY or PTD_ERR_WOULD_PANIC.
 */
enum ptd_status core_cursor_take_next(struct core *k, struct core_cursor *c, uint64_t len,
				      struct ptd_result *res);

/**
 * core_cursor_protect_next() - POLICY §3 ProtectNext, `cursor_protect_next_embedded`.
 * Fills res->found, va, va_end.
 * Return: PTD_OK, PTD_ERR_READ_ONLY or PTD_ERR_WOULD_PANIC.
 */
enum ptd_status core_cursor_protect_next(struct core *k, struct core_cursor *c, uint64_t len,
					 struct ptd_prop_change change, struct ptd_result *res);

#endif /* PTDIFF_CORE_CURSOR_H */
