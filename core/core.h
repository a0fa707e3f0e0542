/* SPDX-License-Identifier: MIT */
/*
 * struct core - one instance of the production backend: the MetaSlot array (one slot per
 * simulated frame, OSTD frame/meta.rs), the page-table node pool, the live handles the harness
 * ids index (address spaces, cursors, Frame, Segment and UniqueFrame handles, readers and
 * writers), the contents of data frames and of kernel memory, and the list of slots changed since the last reset.
 * backend.c adapts it to struct ptd_backend; view.c derives the comparable view from it.
 */
#ifndef PTDIFF_CORE_CORE_H
#define PTDIFF_CORE_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "ptdiff/backend.h"

#include "cursor.h"
#include "io.h"
#include "meta.h"
#include "phys_mem.h"
#include "pt_alloc.h"
#include "registry.h"
#include "scheduler.h"
#include "segment.h"
#include "vm_space.h"

struct core {
	struct ptd_config cfg;
	struct core_meta_slot *slots; /* [cfg.nframes] */
	struct core_pt_pool pool;     /* frames [pt_pool_start, nframes) */

	struct core_registry vm_space_ids;
	struct core_registry cursor_ids;
	struct core_registry frame_ids;
	struct core_registry segment_ids;
	struct core_registry unique_ids;
	struct core_registry io_ids;     /* readers and writers share one id space */
	struct core_vm_space *vm_spaces; /* [max_handles + 1], by id */
	struct core_cursor *cursors;     /* [max_handles + 1], by id */
	ptd_paddr_t *frames;             /* [max_handles + 1]: Frame handle -> paddr */
	struct core_segment *segments;   /* [max_handles + 1]: Segment handle -> range */
	ptd_paddr_t *uniques;            /* [max_handles + 1]: UniqueFrame handle -> paddr */
	struct core_io *ios;             /* [max_handles + 1]: reader or writer, by id */

	struct core_phys_mem mem;     /* frame contents (POLICY "Readers and writers") */
	struct core_kernel_mem *kmem; /* kernel memory (POLICY "Kernel memory") */

	/* Bitmap [(nframes + 63) / 64]: slots whose view (record, paths, contents) may have
	 * changed since the last report (ptd_backend.touched); set by core_touch(). */
	uint64_t *touched;

	uint64_t *reset_list; /* [cfg.nframes]: slots changed since the last reset */
	uint64_t nr_reset_list;

	/* Concurrent cursor ops (scheduler.h): the scheduler, and the cursor whose op is running
	 * (0 outside cursor ops; pt_lock.h checks its stores against the locks it holds). */
	struct core_sched *sched;
	ptd_id_t acting;
	/* Nodes unlinked and unlocked but not yet freed (locking.h core_lock_retire): each with
	 * the tasks that were running when it was retired. */
	struct core_retired {
		ptd_paddr_t node;
		uint8_t waiters; /* bit t: task t */
	} * retired;             /* [cfg.nframes] */
	uint64_t nr_retired;

	/* Entries examined by range walks (find, unmap, teardown); tests assert on it to prove
	 * that empty space is skipped.  Not part of the state, never reset. */
	uint64_t nr_walk_steps;
};

/**
 * core_create() - A fresh instance in the initial state (POLICY §1).
 * Return: the instance, or NULL when @cfg is unusable or memory runs out.
 */
struct core *core_create(const struct ptd_config *cfg);

void core_destroy(struct core *k);

/**
 * core_reset() - Back to the initial state, at a cost proportional to what the inputs since
 * the last reset touched: changed slots, live handles and frames written.  Node memory is not
 * cleared; a node is zeroed when it is allocated.
 */
void core_reset(struct core *k);

/**
 * core_view() - The abstraction function: fill @out (include/ptdiff/view.h) from the concrete
 * state.  Paths are derived by walking every address space's tree.  Sets out->overflow when a
 * capacity is too small.
 */
void core_view(struct core *k, struct ptd_view *out);

/**
 * core_acting() - The cursor whose op the calling task runs (0 outside cursor ops): pt_lock.h
 * checks its stores against the locks it holds.  core_set_acting() (scheduler.h) changes it.
 */
static inline ptd_id_t core_acting(const struct core *k)
{
	return core_task_thread ? core_task_thread->acting : k->acting;
}

/** core_touch() - Slot @idx's view may have changed (incremental checking, backend.h). */
static inline void core_touch(struct core *k, uint64_t idx)
{
	if (idx >= k->cfg.nframes) {
		return;
	}
	/* The tasks of a threaded group touch slots at the same time (scheduler.h); elsewhere a
	 * plain or is enough and cheaper. */
	if (core_task_thread) {
		__atomic_fetch_or(&k->touched[idx / 64], 1ull << (idx % 64), __ATOMIC_RELAXED);
	} else {
		ptd_bit_set(k->touched, idx);
	}
}

/**
 * core_view_slots() - The partial view of struct ptd_backend.view_slots: records, paths and
 * contents of the slots set in @slots, and the whole of each part in @parts.
 */
void core_view_slots(struct core *k, struct ptd_view *out, const uint64_t *slots, uint32_t parts);

/**
 * core_paddr_in_memory() - @paddr < nframes * 4096 (the bound of valid_frame_paddr
 * (docs/CONTRACTS.md#valid-frame-paddr)).
 */
static inline int core_paddr_in_memory(const struct core *k, ptd_paddr_t paddr)
{
	return paddr / PTD_PAGE_SIZE < k->cfg.nframes;
}

#endif /* PTDIFF_CORE_CORE_H */
