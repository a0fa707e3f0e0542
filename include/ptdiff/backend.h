/* SPDX-License-Identifier: MIT */
/*
 * The interface both sides implement (one struct of function pointers, as bignum-fuzzer does).
 * The runner owns the handle ids; a backend registers a new handle under op->new_id and refers
 * to handles only by the ids it is given.
 */
#ifndef PTDIFF_BACKEND_H
#define PTDIFF_BACKEND_H

#include "ptdiff/group.h"
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
	/* Core only: run concurrent groups on POSIX threads, not on the deterministic scheduler
	 * (ptdiff-stress; docs/CONCURRENCY.md "Threads"). */
	uint32_t group_threads;
};

/*
 * What may have changed since a backend's last report (or reset), for incremental checking
 * (docs/POLICY.md §4).  slots is a bitmap of nslots bits the caller zeroed: a backend sets bit i
 * when slot i's record (rc, in_list, usage, storage_init, vtable_init), its paths multiset or
 * its contents may have changed.  parts: PTD_PART_BIT_* (view.h) of the non-slot parts that
 * may have changed.  all: anything may have changed (the runner then checks the full view).
 * Reporting too much is always allowed; reporting too little is caught by the next full check.
 */
/* The op table's parts column (include/ptdiff/op_table.h): what each group of ops may change
 * besides slots. */
#define PTD_PARTS_VMSPACES PTD_PART_BIT_VMSPACES /* a new space maps nothing */
#define PTD_PARTS_DROP_VMSPACE (PTD_PART_BIT_VMSPACES | PTD_PART_BIT_MAPS)
#define PTD_PARTS_CURSORS PTD_PART_BIT_CURSORS
#define PTD_PARTS_QUERY (PTD_PART_BIT_CURSORS | PTD_PART_BIT_FRAMES)
#define PTD_PARTS_MAPPING (PTD_PART_BIT_CURSORS | PTD_PART_BIT_MAPS | PTD_PART_BIT_FRAMES)
#define PTD_PARTS_FRAMES PTD_PART_BIT_FRAMES
#define PTD_PARTS_SEGMENTS (PTD_PART_BIT_SEGMENTS | PTD_PART_BIT_FRAMES)
#define PTD_PARTS_UNIQUES (PTD_PART_BIT_UNIQUES | PTD_PART_BIT_FRAMES)
#define PTD_PARTS_IO (PTD_PART_BIT_IOS | PTD_PART_BIT_KERNEL)

struct ptd_touched {
	uint64_t *slots; /* (nslots + 63) / 64 words */
	uint32_t parts;
	int all;
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
	/*
	 * Optional, both or neither (NULL: the runner checks the full view after every op).
	 * touched: OR into *t what may have changed since the last call or reset (struct
	 * ptd_touched), and forget it.  view_slots: a partial view: slots[i] for every bit i set
	 * in slots (other slots[] entries are not written), the paths and the contents entry of
	 * exactly those slots, and the whole of every part in parts (PTD_PART_BIT_*; kernel_hash
	 * for KERNEL); the lists of other parts are left empty.
	 */
	void (*touched)(void *self, struct ptd_touched *t);
	void (*view_slots)(void *self, struct ptd_view *out, const uint64_t *slots, uint32_t parts);
	/*
	 * Production side only (docs/CONCURRENCY.md): run the @n cursor ops @ops at the same
	 * time, interleaved at their steps by @schedule (include/ptdiff/group.h); res[i] is op
	 * i's result (zeroed by the caller); *log receives the steps, the order in which the
	 * ops returned and the nodes each allocated.
	 */
	void (*apply_group)(void *self, const struct ptd_op *ops, unsigned n, uint64_t schedule,
			    struct ptd_result *res, struct ptd_group_log *log);
	/*
	 * Sequential (oracle) side only: the page-table nodes the next op allocates go, in order,
	 * to slots @slots[0..@n) when those slots are free then, instead of the lowest free ones
	 * (docs/CONCURRENCY.md: which node a concurrent op gets depends on the interleaving).
	 * The hint lasts for one apply.
	 */
	void (*alloc_hint)(void *self, const uint64_t *slots, unsigned n);
};

static inline int ptd_bit_test(const uint64_t *bits, uint64_t i)
{
	return (int)((bits[i / 64] >> (i % 64)) & 1u);
}

static inline void ptd_bit_set(uint64_t *bits, uint64_t i)
{
	bits[i / 64] |= UINT64_C(1) << (i % 64);
}

extern const struct ptd_backend ptd_core_backend;
extern const struct ptd_backend ptd_oracle_backend;

#endif /* PTDIFF_BACKEND_H */
