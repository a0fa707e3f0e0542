/* SPDX-License-Identifier: MIT */
/*
 * UniqueFrame handles (OSTD ostd/src/mm/frame/unique.rs: the sole owner of a frame, marked by
 * rc == UNIQUE) and the ops of POLICY §3 "Unique frames" (docs/CONTRACTS.md#unique-frames, vostd
 * `unique_*_embedded`): from_unused, drop, and the two conversions to and from a shared Frame.  All
 * O(1).
 */
#ifndef PTDIFF_CORE_UNIQUE_H
#define PTDIFF_CORE_UNIQUE_H

#include "ptdiff/types.h"

struct core;

/** core_unique_get() - Paddr of live UniqueFrame handle @id (harness error if not live). */
ptd_paddr_t core_unique_get(struct core *k, ptd_id_t id);

/**
 * core_unique_from_unused() - UniqueFromUnused, `unique_from_unused_embedded`.  Besides the
 * count, refuses a slot whose sticky usage is not Unused (the contract's "never used before").
 * Return: PTD_OK, PTD_ERR_NOT_ALIGNED, PTD_ERR_OUT_OF_BOUND, PTD_ERR_UNIQUE, PTD_ERR_IN_USE or
 * PTD_ERR_NOT_FRESH.
 */
enum ptd_status core_unique_from_unused(struct core *k, ptd_paddr_t paddr, ptd_id_t new_id);

/** core_unique_drop() - UniqueDrop: unregister @id, tear its slot down.  Return: PTD_OK. */
enum ptd_status core_unique_drop(struct core *k, ptd_id_t id);

/**
 * core_unique_into_frame() - FromUnique (`Frame::from_unique`): unregister @id, rc UNIQUE -> 1,
 * register Frame handle @new_id at the same paddr.  Return: PTD_OK.
 */
enum ptd_status core_unique_into_frame(struct core *k, ptd_id_t id, ptd_id_t new_id);

/**
 * core_unique_try_from_shared() - TryFromShared (`UniqueFrame::try_from_shared`): if Frame
 * handle @frame_id is the only reference (rc == 1), it becomes UniqueFrame @new_id.
 * Return: PTD_OK or PTD_ERR_SHARED (the frame handle stays live).
 */
enum ptd_status core_unique_try_from_shared(struct core *k, ptd_id_t frame_id, ptd_id_t new_id);

#endif /* PTDIFF_CORE_UNIQUE_H */
