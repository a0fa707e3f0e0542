/* SPDX-License-Identifier: MIT */
/*
 * Raw op + harness state -> the concrete op both sides run.  Selectors become live ids, relative
 * numbers become values (using the cursor's locked range from the registry and its current va
 * from the last agreed view, or the segment's physical range), and an op that creates a handle
 * gets the next id (SegmentSplit the next two).
 */
#ifndef PTDIFF_FUZZ_RESOLVE_H
#define PTDIFF_FUZZ_RESOLVE_H

#include "ptdiff/view.h"
#include "rawop.h"
#include "registry.h"

/* Returns 0 when a selector finds no live handle of its kind: the op is not applied. */
int ptd_resolve(const struct ptd_raw_op *raw, const struct ptd_registry *reg,
		const struct ptd_view *view, struct ptd_op *op);

#endif
