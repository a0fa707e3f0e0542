/* SPDX-License-Identifier: MIT */
/*
 * The harness's registry of live handles.  Ids are the harness's
 * (docs/CONTRACTS.md#policy-fresh-ids): one counter per handle kind, starting at 1, never reused
 * within an input.  Both sides register the same id for the same new handle, so the registry is
 * updated once, from the agreed results.  Live handles are kept in creation order: a selector k
 * picks the (k mod n)-th.
 */
#ifndef PTDIFF_FUZZ_REGISTRY_H
#define PTDIFF_FUZZ_REGISTRY_H

#include <stddef.h>
#include "geometry.h"
#include "ptdiff/op.h"
#include "ptdiff/view.h"

enum ptd_handle_kind {
	PTD_H_VS = 0,
	PTD_H_CURSOR,
	PTD_H_FRAME,
	PTD_H_SEGMENT,
	PTD_H_UNIQUE,
	PTD_H_IO,
	PTD_H_COUNT,
	PTD_H_NONE = PTD_H_COUNT /* the op table's NONE: no handle */
};

struct ptd_handle {
	ptd_id_t id;
	ptd_id_t vs;         /* cursors, readers, writers: their address space */
	uint64_t start, end; /* cursors: locked range; segments: physical range; readers,
				 * writers: user range */
	ptd_paddr_t paddr;   /* frames, unique frames: the frame */
	int writer;          /* readers (0) and writers (1) */
};

struct ptd_registry {
	struct ptd_handle live[PTD_H_COUNT][PTD_FUZZ_MAX_HANDLES];
	size_t nlive[PTD_H_COUNT];
	ptd_id_t last_id[PTD_H_COUNT];
};

void ptd_registry_reset(struct ptd_registry *reg);
/* Id @id of @kind is taken: the next new handle of that kind gets a higher one. */
void ptd_registry_reserve(struct ptd_registry *reg, enum ptd_handle_kind kind, ptd_id_t id);
/* The handle a selector picks, NULL when none of that kind is live. */
const struct ptd_handle *ptd_registry_pick(const struct ptd_registry *reg,
					   enum ptd_handle_kind kind, uint8_t sel);
/* The reader (writer = 0), writer (1) or either (-1) a selector picks, NULL if none. */
const struct ptd_handle *ptd_registry_pick_io(const struct ptd_registry *reg, int writer,
					      uint8_t sel);
const struct ptd_handle *ptd_registry_find(const struct ptd_registry *reg,
					   enum ptd_handle_kind kind, ptd_id_t id);
/* The id the next new handle of this kind gets. */
ptd_id_t ptd_registry_next_id(const struct ptd_registry *reg, enum ptd_handle_kind kind);
/* Record what an op did (called with the result both sides agreed on and the agreed view
 * after it). */
void ptd_registry_update(struct ptd_registry *reg, const struct ptd_op *op,
			 const struct ptd_result *res, const struct ptd_view *post);
/* The handle kind an op creates when it succeeds, or PTD_H_NONE, and how many ids it takes
 * (SegmentSplit: 2, op.new_id and op.new_id2). */
enum ptd_handle_kind ptd_op_creates(enum ptd_op_kind kind);
unsigned ptd_op_new_ids(enum ptd_op_kind kind);
/* The kind of handle a selector argument (enum ptd_arg) picks, or PTD_H_NONE. */
enum ptd_handle_kind ptd_arg_handle(int arg);
/* Short name of a handle kind as traces print it: "vs", "c", "f", "s", "u", "io". */
const char *ptd_handle_prefix(enum ptd_handle_kind kind);

#endif
