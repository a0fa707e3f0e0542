/* SPDX-License-Identifier: MIT */
/*
 * Frame handles (OSTD ostd/src/mm/frame/mod.rs: a Frame is just the paddr of a slot it holds
 * one reference to) and the ops that make and drop them: from_unused, from_in_use, drop.
 */
#ifndef PTDIFF_CORE_FRAME_H
#define PTDIFF_CORE_FRAME_H

#include "ptdiff/types.h"

struct core;

/** core_frame_get() - Paddr of live Frame handle @id (harness error if not live). */
ptd_paddr_t core_frame_get(struct core *k, ptd_id_t id);

/**
 * core_frame_register() - Register Frame handle @id at @paddr.  The caller has already taken
 * the reference the handle holds.
 */
void core_frame_register(struct core *k, ptd_id_t id, ptd_paddr_t paddr);

/**
 * core_frame_forget() - Unregister @id without releasing: its reference moved elsewhere (Map
 * consumes the handle, POLICY §3 Map step 5).
 */
void core_frame_forget(struct core *k, ptd_id_t id);

/**
 * core_frame_unused_check() - Steps 1-3 of FrameFromUnused and UniqueFromUnused (POLICY §3): a
 * valid paddr (valid_frame_paddr, docs/CONTRACTS.md#valid-frame-paddr, split into two codes), then
 * OSTD get_from_unused's CAS from UNUSED, which fails with Unique or InUse.  Changes nothing.
 * Return: PTD_OK, PTD_ERR_NOT_ALIGNED, PTD_ERR_OUT_OF_BOUND, PTD_ERR_UNIQUE or PTD_ERR_IN_USE.
 */
enum ptd_status core_frame_unused_check(struct core *k, ptd_paddr_t paddr);

/**
 * core_frame_from_unused() - POLICY §3 FrameFromUnused, `frame_from_unused_embedded`.
 * Return: PTD_OK, PTD_ERR_NOT_ALIGNED, PTD_ERR_OUT_OF_BOUND, PTD_ERR_UNIQUE or PTD_ERR_IN_USE.
 */
enum ptd_status core_frame_from_unused(struct core *k, ptd_paddr_t paddr, ptd_id_t new_id);

/**
 * core_frame_from_in_use() - POLICY §3 FrameFromInUse, `frame_from_in_use_embedded`.
 * Return: PTD_OK, PTD_ERR_NOT_ALIGNED, PTD_ERR_OUT_OF_BOUND, PTD_ERR_UNUSED, PTD_ERR_UNIQUE,
 * PTD_ERR_NOT_FRAME or PTD_ERR_WOULD_PANIC.
 */
enum ptd_status core_frame_from_in_use(struct core *k, ptd_paddr_t paddr, ptd_id_t new_id);

/** core_frame_drop() - POLICY §3 FrameDrop, `frame_drop_embedded`.  Return: PTD_OK. */
enum ptd_status core_frame_drop(struct core *k, ptd_id_t id);

#endif /* PTDIFF_CORE_FRAME_H */
