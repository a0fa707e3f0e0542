/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the oracle's own unit tests (what tests/backend does not cover: what its view
 * holds when a list does not fit, and its tables at scale).  The CHECK macros, view snapshots
 * and the accounting invariant are shared with every unit test: tests/tb_check.h and
 * tests/backend_util.h.
 */
#ifndef PTDIFF_TESTS_ORACLE_UTIL_H
#define PTDIFF_TESTS_ORACLE_UTIL_H

#include <stdlib.h>
#include <string.h>

#include "tb_check.h"

/* A frame handle at slot idx, claimed with FrameFromUnused; returns its id. */
static inline ptd_id_t ou_frame(struct tb *t, uint64_t idx)
{
	struct ptd_result r = tb_frame(t, idx * PG);
	CHECK_EQ(r.status, PTD_OK);
	return r.new_id;
}

#endif /* PTDIFF_TESTS_ORACLE_UTIL_H */
