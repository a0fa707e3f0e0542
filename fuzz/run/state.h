/* SPDX-License-Identifier: MIT */
/*
 * One side's state view as the runner holds it: storage for a struct ptd_view, its canonical
 * order, and its xxHash digests (one per part, so a mismatch already says which part differs).
 */
#ifndef PTDIFF_FUZZ_STATE_H
#define PTDIFF_FUZZ_STATE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
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
	/* Room for sorting the lists whose entries begin with their slot (state.c) */
	void *sort_room;      /* the longest such list */
	uint32_t *sort_count; /* nslots + 1 counters */
};

/* Allocates a view for nslots slots with room for cap entries of every list; 0 on success. */
int ptd_state_init(struct ptd_state *s, uint64_t nslots, size_t cap);
void ptd_state_fini(struct ptd_state *s);

/* Asks the backend for its view and sorts it into canonical order.  Returns 0, or -1 if the
 * backend overflowed a capacity (a harness error, not a divergence).  The digests are not
 * computed (ptd_state_digest()). */
int ptd_state_capture(struct ptd_state *s, const struct ptd_backend *be, void *self);

/* Computes the digests of a captured view (only a report of which parts differ needs them:
 * two states are compared with ptd_state_equal()). */
void ptd_state_digest(struct ptd_state *s);

/* Whether two canonical views are equal: their slots, every list and the kernel hash, as bytes
 * (what equal digests say, without hashing). */
int ptd_state_equal(const struct ptd_state *a, const struct ptd_state *b);

/* dst (of the same number of slots) becomes a copy of src, digests included; -1 when a list of
 * src does not fit in dst. */
int ptd_state_copy(struct ptd_state *dst, const struct ptd_state *src);

/* Whether two slot records are equal, padding included (as memcmp says; the checks compare
 * every slot of a whole view, so this is two words and the byte-wide fields as a third). */
static inline int ptd_slot_equal(const struct ptd_slot_view *a, const struct ptd_slot_view *b)
{
	uint64_t wa, wb;
	_Static_assert(offsetof(struct ptd_slot_view, usage) == 2 * sizeof(uint64_t) &&
			       sizeof *a == offsetof(struct ptd_slot_view, usage) + sizeof wa,
		       "a slot view is two words and 8 bytes");
	memcpy(&wa, &a->usage, sizeof wa);
	memcpy(&wb, &b->usage, sizeof wb);
	return a->rc == b->rc && a->in_list == b->in_list && wa == wb;
}

/* Whether the n bytes at a and b are equal (memcmp's answer), compared in place a word at a
 * time: for the short records of the view lists, one at a time, a call to memcmp cost more than
 * the comparison (and under AddressSanitizer its interceptor checks both ranges first). */
static inline int ptd_bytes_equal(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;
	for (; n >= sizeof(uint64_t); n -= sizeof(uint64_t)) {
		uint64_t x, y;
		memcpy(&x, p, sizeof x);
		memcpy(&y, q, sizeof y);
		if (x != y)
			return 0;
		p += sizeof x;
		q += sizeof y;
	}
	for (; n; n--)
		if (*p++ != *q++)
			return 0;
	return 1;
}

/* Index range [*first, *last) of slot `slot`'s paths in the canonical path array. */
void ptd_state_slot_paths(const struct ptd_view *v, uint64_t slot, size_t *first, size_t *last);

int ptd_pos_cmp(const struct ptd_pos *a, const struct ptd_pos *b);

/*
 * Incremental checking (docs/POLICY.md §4).  ptd_state_capture_part() asks the backend for the
 * partial view of `slots` and `parts` (struct ptd_backend.view_slots) into the scratch state
 * `part` and sorts it; -1 on overflow.  ptd_state_patch() makes `dst`, which holds the state
 * before `prev`, equal to the state `part` describes: every slot in prev_slots / part of
 * prev_parts is first copied from `prev` (what changed between dst and prev), then every slot in
 * slots / part of parts is taken from `part`.  Digests of dst are not updated (they are
 * computed only by ptd_state_capture).  -1 when a list would exceed its capacity.
 */
int ptd_state_capture_part(struct ptd_state *part, const struct ptd_backend *be, void *self,
			   const uint64_t *slots, uint32_t parts);
int ptd_state_patch(struct ptd_state *dst, const struct ptd_state *prev,
		    const struct ptd_state *part, const uint64_t *prev_slots, uint32_t prev_parts,
		    const uint64_t *slots, uint32_t parts);
/* Whether every list of x (not the slots, not the kernel hash) is equal to y's, as bytes. */
int ptd_state_lists_equal(const struct ptd_view *x, const struct ptd_view *y);
/* Content hash of `slot` (0 with *present 0 when the frame is all zero). */
uint64_t ptd_state_slot_content(const struct ptd_view *v, uint64_t slot, int *present);

#endif
