/* SPDX-License-Identifier: MIT */
/*
 * One side's state view as the runner holds it: storage for a struct ptd_view, its canonical
 * order, and its xxHash digests (one per part, so a mismatch already says which part differs).
 */
#ifndef PTDIFF_FUZZ_STATE_H
#define PTDIFF_FUZZ_STATE_H

#include <stdint.h>
#include "ptdiff/backend.h"

enum ptd_state_part {
	PTD_PART_SLOTS = 0,
	PTD_PART_PATHS,
	PTD_PART_MAPS,
	PTD_PART_VMSPACES,
	PTD_PART_CURSORS,
	PTD_PART_FRAMES,
	PTD_PART_SEGMENTS,
	PTD_PART_UNIQUES,
	PTD_PART_IOS,
	PTD_PART_CONTENTS,
	PTD_PART_KERNEL,
	PTD_PART_COUNT
};

struct ptd_state {
	struct ptd_view view;
	uint64_t digest[PTD_PART_COUNT];
};

/* Allocates a view for nslots slots with room for cap entries of every list; 0 on success. */
int ptd_state_init(struct ptd_state *s, uint64_t nslots, size_t cap);
void ptd_state_fini(struct ptd_state *s);

/* Asks the backend for its view, sorts it into canonical order, and digests it.  Returns 0, or
 * -1 if the backend overflowed a capacity (a harness error, not a divergence). */
int ptd_state_capture(struct ptd_state *s, const struct ptd_backend *be, void *self);

/* Index range [*first, *last) of slot `slot`'s paths in the canonical path array. */
void ptd_state_slot_paths(const struct ptd_view *v, uint64_t slot, size_t *first, size_t *last);

int ptd_pos_cmp(const struct ptd_pos *a, const struct ptd_pos *b);

#endif
