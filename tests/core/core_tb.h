/* SPDX-License-Identifier: MIT */
/*
 * Shorthands for core's own unit tests (what tests/backend cannot see: PTE encoding, the
 * allocator, recorded guard levels, reset's cost): access to core's internals behind the backend
 * (struct core) and one-line op shorthands.  The CHECK macros over a view are tests/tb_check.h.
 * Header-only so that each test file stays one executable; every helper is static inline.
 */
#ifndef PTDIFF_TESTS_CORE_TB_H
#define PTDIFF_TESTS_CORE_TB_H

#include <stdlib.h>
#include <string.h>

#include "tb_check.h"
#include "core.h"

static inline struct core *tb_core(struct tb *t)
{
	return t->self;
}

static inline struct ptd_prop prop_of(uint8_t flags, uint8_t cache)
{
	return (struct ptd_prop){ .flags = flags, .cache = cache };
}

/* FrameFromUnused(paddr) then Map at the cursor; returns the Map result. */
static inline struct ptd_result map_new(struct tb *t, ptd_id_t c, uint64_t paddr,
					struct ptd_prop prop)
{
	struct ptd_result r = tb_frame(t, paddr);

	CHECK_EQ(r.status, PTD_OK);
	return tb_map(t, c, r.new_id, prop);
}

/* A fresh space and a mutable cursor over [start, end) on it. */
static inline ptd_id_t open_new(struct tb *t, ptd_id_t *vs, uint64_t start, uint64_t end)
{
	struct ptd_result r = tb_new_vs(t);

	*vs = r.new_id;
	r = tb_open(t, *vs, start, end, 1);
	CHECK_EQ(r.status, PTD_OK);
	return r.new_id;
}

#endif /* PTDIFF_TESTS_CORE_TB_H */
