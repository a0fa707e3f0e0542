/* SPDX-License-Identifier: MIT */
/*
 * The interface both sides implement (one struct of function pointers, as bignum-fuzzer does).
 * The runner owns the handle ids; a backend registers a new handle under op->new_id and refers
 * to handles only by the ids it is given.
 */
#ifndef PTDIFF_BACKEND_H
#define PTDIFF_BACKEND_H

#include "ptdiff/op.h"
#include "ptdiff/view.h"

/*
 * Run parameters, identical for both sides.
 *   nframes        physical memory = frames [0, nframes); a valid frame paddr is 4 KiB-aligned
 *                  and < nframes * 4096
 *   pt_pool_start  page-table nodes are allocated only from frames [pt_pool_start, nframes),
 *                  lowest free index first (docs/POLICY.md "Page-table nodes")
 *   iomem_base, iomem_end  the I/O-memory window MapIoMem accepts: page-aligned, outside
 *                  physical memory, no slots
 *   max_handles    the largest id the runner will assign for any handle kind
 */
struct ptd_config {
	uint64_t nframes;
	uint64_t pt_pool_start;
	ptd_paddr_t iomem_base;
	ptd_paddr_t iomem_end;
	uint32_t max_handles;
};

struct ptd_backend {
	const char *name;
	/* NULL when memory runs out. */
	void *(*create)(const struct ptd_config *cfg);
	void (*destroy)(void *self);
	/* Back to the initial state (every slot UNUSED/Unused, no handles).  Must be cheap: cost in
	 * proportion to what the previous input touched, not to physical memory. */
	void (*reset)(void *self);
	/* Apply one op; *res was zeroed by the caller. */
	void (*apply)(void *self, const struct ptd_op *op, struct ptd_result *res);
	/* Describe the whole current state; arrays are the caller's (struct ptd_view). */
	void (*view)(void *self, struct ptd_view *out);
};

extern const struct ptd_backend ptd_core_backend;
extern const struct ptd_backend ptd_oracle_backend;

#endif /* PTDIFF_BACKEND_H */
