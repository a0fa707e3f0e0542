/* SPDX-License-Identifier: MIT */
/*
 * Field-by-field differences between the two sides, used only after a mismatch: a short label
 * for the crash signature ("result-paddr", "slot-rc", "mapping", ...) and a readable listing.
 */
#ifndef PTDIFF_FUZZ_DIFF_H
#define PTDIFF_FUZZ_DIFF_H

#include <stdio.h>
#include "state.h"

/* Label of the first differing result field, NULL when equal. */
const char *ptd_diff_result(const struct ptd_result *a, const struct ptd_result *b);

/* Prints up to `limit` differences between the two states (names: the two sides' names) and
 * returns the label of the first one, NULL when the states are equal. */
const char *ptd_diff_states(FILE *out, const struct ptd_state *a, const struct ptd_state *b,
			    const char *const names[2], unsigned limit);

#endif
