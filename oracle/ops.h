/* SPDX-License-Identifier: MIT */
/*
 * One function per operation of the ptdiff op algebra (include/ptdiff/op.h), each named after the
 * vostd contract it implements and citing its CONTRACTS.md section and docs/POLICY.md rule.
 * Every function receives the resolved op and a zeroed result and fills only the fields POLICY.md
 * lists for it.  Checks are made in POLICY.md's order; a failed check returns before any change.
 */
#ifndef PTDIFF_ORACLE_OPS_H
#define PTDIFF_ORACLE_OPS_H

#include "store.h"

/* vm_space.c */
/** oracle_new_vmspace() - NewVmSpace: `new_vmspace_embedded`, C§4.1. */
void oracle_new_vmspace(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/** oracle_drop_vmspace() - DropVmSpace: C§4.2 under policy R (C§5.1). */
void oracle_drop_vmspace(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);

/* cursor.c */
/** oracle_open_cursor() - OpenCursor/OpenCursorMut: `open_cursor_embedded`, C§4.3. */
void oracle_open_cursor(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/** oracle_drop_cursor() - DropCursor: `drop_cursor_embedded`, C§4.3. */
void oracle_drop_cursor(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/** oracle_cursor_query() - Query: `cursor_query_embedded` (the seed), C§4.4. */
void oracle_cursor_query(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/** oracle_cursor_find_next() - FindNext: `cursor_find_next_embedded`, C§4.4. */
void oracle_cursor_find_next(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/** oracle_cursor_jump() - Jump: `cursor_jump_embedded`, C§4.4 (current OSTD). */
void oracle_cursor_jump(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/** oracle_cursor_virt_addr() - VirtAddr, C§4.4. */
void oracle_cursor_virt_addr(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);

/* cursor_mut.c */
/** oracle_cursor_map() - Map: `cursor_map_embedded`, C§4.5, replace-and-release. */
void oracle_cursor_map(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/** oracle_cursor_map_iomem() - MapIoMem: OSTD `map_iomem` (not in the contract's Op list). */
void oracle_cursor_map_iomem(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/** oracle_cursor_unmap() - Unmap: `cursor_unmap_embedded`, C§4.5, policy R. */
void oracle_cursor_unmap(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/** oracle_cursor_protect_next() - ProtectNext: `cursor_protect_next_embedded`, C§4.5. */
void oracle_cursor_protect_next(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);

/* frame.c */
/** oracle_frame_from_unused() - FrameFromUnused: `frame_from_unused_embedded`, C§4.6. */
void oracle_frame_from_unused(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/** oracle_frame_from_in_use() - FrameFromInUse: `frame_from_in_use_embedded`, C§4.6. */
void oracle_frame_from_in_use(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/** oracle_frame_drop() - FrameDrop: `frame_drop_embedded`, C§4.6. */
void oracle_frame_drop(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);

/* view.c */
/**
 * oracle_view() - Fill @out (include/ptdiff/view.h) from the store: every slot, every path of
 * every slot's multiset, every mapping, address space, cursor and Frame handle.  Sets
 * @out->overflow when an array of @out is too small.
 */
void oracle_view(const struct oracle *o, struct ptd_view *out);

#endif /* PTDIFF_ORACLE_OPS_H */
