/* SPDX-License-Identifier: MIT */
/*
 * The machine every fuzz input runs on.  Small on purpose: 64 data frames and a 192-frame
 * page-table pool, so that fuzz-chosen frames collide and a full view stays cheap to compare
 * after every op.  A pool this size is rarely exhausted by accident (an op allocates at most three
 * nodes); running out is a checked error on both sides (docs/POLICY.md §2), reached on purpose
 * by segments that claim pool frames.
 */
#ifndef PTDIFF_FUZZ_GEOMETRY_H
#define PTDIFF_FUZZ_GEOMETRY_H

#include "ptdiff/backend.h"

#define PTD_FUZZ_NFRAMES 256u
#define PTD_FUZZ_POOL_START 64u
#define PTD_FUZZ_IOMEM_BASE 0xf0000000ull
#define PTD_FUZZ_IOMEM_PAGES 16u
#define PTD_MAX_OPS 64u
/* An op creates at most two handles (SegmentSplit), so ids stay below this. */
#define PTD_FUZZ_MAX_HANDLES (2u * PTD_MAX_OPS + 2u)

static inline struct ptd_config ptd_fuzz_config(void)
{
	struct ptd_config cfg = {
		.nframes = PTD_FUZZ_NFRAMES,
		.pt_pool_start = PTD_FUZZ_POOL_START,
		.iomem_base = PTD_FUZZ_IOMEM_BASE,
		.iomem_end = PTD_FUZZ_IOMEM_BASE + PTD_FUZZ_IOMEM_PAGES * PTD_PAGE_SIZE,
		.max_handles = PTD_FUZZ_MAX_HANDLES,
	};
	return cfg;
}

#endif
