/* SPDX-License-Identifier: MIT */
#include "state.h"

#include <stdlib.h>
#include <string.h>
/* Inline: no call into an uninstrumented shared library, so MSan sees every byte. */
#define XXH_INLINE_ALL
#include <xxhash.h>

int ptd_state_init(struct ptd_state *s, uint64_t nslots, size_t cap)
{
	struct ptd_view *v = &s->view;
	memset(s, 0, sizeof *s);
	/* Zeroed, so the reserved members a backend never writes stay zero and views hash as
	 * bytes (view.h). */
	v->nslots = nslots;
	v->slots = calloc(nslots, sizeof *v->slots);
	v->paths = calloc(cap, sizeof *v->paths);
	v->maps = calloc(cap, sizeof *v->maps);
	v->vmspaces = calloc(cap, sizeof *v->vmspaces);
	v->cursors = calloc(cap, sizeof *v->cursors);
	v->frames = calloc(cap, sizeof *v->frames);
	v->segments = calloc(cap, sizeof *v->segments);
	v->uniques = calloc(cap, sizeof *v->uniques);
	v->ios = calloc(cap, sizeof *v->ios);
	v->contents = calloc(nslots, sizeof *v->contents);
	v->paths_cap = v->maps_cap = v->vmspaces_cap = v->cursors_cap = v->frames_cap = cap;
	v->segments_cap = v->uniques_cap = v->ios_cap = cap;
	v->contents_cap = nslots;
	if (!v->slots || !v->paths || !v->maps || !v->vmspaces || !v->cursors || !v->frames ||
	    !v->segments || !v->uniques || !v->ios || !v->contents) {
		ptd_state_fini(s);
		return -1;
	}
	return 0;
}

void ptd_state_fini(struct ptd_state *s)
{
	free(s->view.slots);
	free(s->view.paths);
	free(s->view.maps);
	free(s->view.vmspaces);
	free(s->view.cursors);
	free(s->view.frames);
	free(s->view.segments);
	free(s->view.uniques);
	free(s->view.ios);
	free(s->view.contents);
	memset(s, 0, sizeof *s);
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

int ptd_pos_cmp(const struct ptd_pos *a, const struct ptd_pos *b)
{
	int c = cmp_u64(a->vs, b->vs);
	if (!c)
		c = cmp_u64(a->depth, b->depth);
	return c ? c : cmp_u64(a->va, b->va);
}

static int cmp_path(const void *pa, const void *pb)
{
	const struct ptd_path_view *a = pa, *b = pb;
	int c = cmp_u64(a->slot, b->slot);
	return c ? c : ptd_pos_cmp(&a->pos, &b->pos);
}

static int cmp_map(const void *pa, const void *pb)
{
	const struct ptd_mapping_view *a = pa, *b = pb;
	int c = cmp_u64(a->vs, b->vs);
	return c ? c : cmp_u64(a->va, b->va);
}

static int cmp_id(const void *pa, const void *pb)
{
	return cmp_u64(*(const ptd_id_t *)pa, *(const ptd_id_t *)pb);
}

static int cmp_cursor(const void *pa, const void *pb)
{
	return cmp_id(&((const struct ptd_cursor_view *)pa)->id,
		      &((const struct ptd_cursor_view *)pb)->id);
}

static int cmp_frame(const void *pa, const void *pb)
{
	return cmp_id(&((const struct ptd_frame_view *)pa)->id,
		      &((const struct ptd_frame_view *)pb)->id);
}

static int cmp_segment(const void *pa, const void *pb)
{
	return cmp_id(&((const struct ptd_segment_view *)pa)->id,
		      &((const struct ptd_segment_view *)pb)->id);
}

static int cmp_unique(const void *pa, const void *pb)
{
	return cmp_id(&((const struct ptd_unique_view *)pa)->id,
		      &((const struct ptd_unique_view *)pb)->id);
}

static int cmp_io(const void *pa, const void *pb)
{
	return cmp_id(&((const struct ptd_io_view *)pa)->id, &((const struct ptd_io_view *)pb)->id);
}

static int cmp_content(const void *pa, const void *pb)
{
	return cmp_u64(((const struct ptd_content_view *)pa)->slot,
		       ((const struct ptd_content_view *)pb)->slot);
}

/*
 * Sorts a list of the view.  Backends list most things in the canonical order already
 * (registries by id, mappings by address): measured on a grown corpus, more than 95 % of the
 * lists the incremental check captures are sorted, and most of the others are one swap-removal
 * away from it; qsort (merge sort in glibc, a copy through a buffer) was a tenth of the
 * incremental check's time.  So: nothing to do for a sorted list, binary insertion from the
 * first element out of order for a short one (each element moves once, by one memmove), qsort
 * for a long one.  Equal elements are equal bytes (view.h), so stability does not matter.
 */
#define INSERTION_MAX 64
#define ELEM_MAX 64

static void sort_list(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	char *p = base, tmp[ELEM_MAX];
	size_t i = 1;
	while (i < n && cmp(p + (i - 1) * size, p + i * size) <= 0)
		i++;
	if (i >= n)
		return;
	if (n > INSERTION_MAX || size > sizeof tmp) {
		qsort(base, n, size, cmp);
		return;
	}
	for (; i < n; i++) { /* p[0 .. i) is sorted */
		size_t lo = 0, hi = i;
		while (lo < hi) { /* first element greater than p[i] */
			size_t mid = lo + (hi - lo) / 2;
			if (cmp(p + mid * size, p + i * size) <= 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == i)
			continue;
		memcpy(tmp, p + i * size, size);
		memmove(p + (lo + 1) * size, p + lo * size, (i - lo) * size);
		memcpy(p + lo * size, tmp, size);
	}
}

#define SORT_LIST(v, arr, n, cmp) sort_list((v)->arr, (v)->n, sizeof *(v)->arr, cmp)

static void sort_view(struct ptd_view *v)
{
	SORT_LIST(v, paths, npaths, cmp_path);
	SORT_LIST(v, maps, nmaps, cmp_map);
	SORT_LIST(v, vmspaces, nvmspaces, cmp_id);
	SORT_LIST(v, cursors, ncursors, cmp_cursor);
	SORT_LIST(v, frames, nframes, cmp_frame);
	SORT_LIST(v, segments, nsegments, cmp_segment);
	SORT_LIST(v, uniques, nuniques, cmp_unique);
	SORT_LIST(v, ios, nios, cmp_io);
	SORT_LIST(v, contents, ncontents, cmp_content);
}

static void clear_counts(struct ptd_view *v)
{
	v->npaths = v->nmaps = v->nvmspaces = v->ncursors = v->nframes = 0;
	v->nsegments = v->nuniques = v->nios = v->ncontents = 0;
	v->kernel_hash = 0;
	v->overflow = 0;
}

int ptd_state_capture_part(struct ptd_state *part, const struct ptd_backend *be, void *self,
			   const uint64_t *slots, uint32_t parts)
{
	struct ptd_view *v = &part->view;
	clear_counts(v);
	be->view_slots(self, v, slots, parts);
	if (v->overflow)
		return -1;
	sort_view(v);
	return 0;
}

/* dst's list (n, array) becomes src's when the part bit is set. */
#define COPY_LIST(dst, src, arr, n, cap)                                          \
	do {                                                                       \
		if ((src)->n > (dst)->cap)                                         \
			return -1;                                                 \
		memcpy((dst)->arr, (src)->arr, (src)->n * sizeof *(src)->arr);     \
		(dst)->n = (src)->n;                                               \
	} while (0)

static int copy_parts(struct ptd_view *d, const struct ptd_view *s, uint32_t parts)
{
	if (parts & PTD_PART_BIT_MAPS)
		COPY_LIST(d, s, maps, nmaps, maps_cap);
	if (parts & PTD_PART_BIT_VMSPACES)
		COPY_LIST(d, s, vmspaces, nvmspaces, vmspaces_cap);
	if (parts & PTD_PART_BIT_CURSORS)
		COPY_LIST(d, s, cursors, ncursors, cursors_cap);
	if (parts & PTD_PART_BIT_FRAMES)
		COPY_LIST(d, s, frames, nframes, frames_cap);
	if (parts & PTD_PART_BIT_SEGMENTS)
		COPY_LIST(d, s, segments, nsegments, segments_cap);
	if (parts & PTD_PART_BIT_UNIQUES)
		COPY_LIST(d, s, uniques, nuniques, uniques_cap);
	if (parts & PTD_PART_BIT_IOS)
		COPY_LIST(d, s, ios, nios, ios_cap);
	if (parts & PTD_PART_BIT_KERNEL)
		d->kernel_hash = s->kernel_hash;
	return 0;
}

int ptd_state_patch(struct ptd_state *dst, const struct ptd_state *prev,
		    const struct ptd_state *part, const uint64_t *prev_slots, uint32_t prev_parts,
		    const uint64_t *slots, uint32_t parts)
{
	struct ptd_view *d = &dst->view;
	const struct ptd_view *p = &prev->view, *q = &part->view;
	size_t words = (size_t)(d->nslots + 63) / 64, n, a, b;

	for (size_t w = 0; w < words; w++) {
		uint64_t m = prev_slots[w] & ~slots[w];
		while (m) {
			uint64_t i = w * 64 + (uint64_t)__builtin_ctzll(m);
			if (i < d->nslots) /* prev_slots may be all ones */
				d->slots[i] = p->slots[i];
			m &= m - 1;
		}
		m = slots[w];
		while (m) {
			uint64_t i = w * 64 + (uint64_t)__builtin_ctzll(m);
			d->slots[i] = q->slots[i];
			m &= m - 1;
		}
	}
	/* Paths: prev's, minus those of the slots in `slots`, merged with part's (both sorted). */
	for (n = a = b = 0; a < p->npaths || b < q->npaths;) {
		if (a < p->npaths && ptd_bit_test(slots, p->paths[a].slot)) {
			a++;
			continue;
		}
		if (n == d->paths_cap)
			return -1;
		if (b == q->npaths || (a < p->npaths && cmp_path(&p->paths[a], &q->paths[b]) < 0))
			d->paths[n++] = p->paths[a++];
		else
			d->paths[n++] = q->paths[b++];
	}
	d->npaths = n;
	for (n = a = b = 0; a < p->ncontents || b < q->ncontents;) {
		if (a < p->ncontents && ptd_bit_test(slots, p->contents[a].slot)) {
			a++;
			continue;
		}
		if (n == d->contents_cap)
			return -1;
		if (b == q->ncontents ||
		    (a < p->ncontents && p->contents[a].slot < q->contents[b].slot))
			d->contents[n++] = p->contents[a++];
		else
			d->contents[n++] = q->contents[b++];
	}
	d->ncontents = n;
	if (copy_parts(d, p, prev_parts & ~parts) || copy_parts(d, q, parts))
		return -1;
	d->overflow = 0;
	return 0;
}

uint64_t ptd_state_slot_content(const struct ptd_view *v, uint64_t slot, int *present)
{
	size_t lo = 0, hi = v->ncontents;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v->contents[mid].slot == slot) {
			*present = 1;
			return v->contents[mid].hash;
		}
		if (v->contents[mid].slot < slot)
			lo = mid + 1;
		else
			hi = mid;
	}
	*present = 0;
	return 0;
}

int ptd_state_capture(struct ptd_state *s, const struct ptd_backend *be, void *self)
{
	struct ptd_view *v = &s->view;
	clear_counts(v);
	be->view(self, v);
	if (v->overflow)
		return -1;
	sort_view(v);
	s->digest[PTD_PART_SLOTS] = XXH3_64bits(v->slots, v->nslots * sizeof *v->slots);
	s->digest[PTD_PART_PATHS] = XXH3_64bits(v->paths, v->npaths * sizeof *v->paths);
	s->digest[PTD_PART_MAPS] = XXH3_64bits(v->maps, v->nmaps * sizeof *v->maps);
	s->digest[PTD_PART_VMSPACES] =
		XXH3_64bits(v->vmspaces, v->nvmspaces * sizeof *v->vmspaces);
	s->digest[PTD_PART_CURSORS] = XXH3_64bits(v->cursors, v->ncursors * sizeof *v->cursors);
	s->digest[PTD_PART_FRAMES] = XXH3_64bits(v->frames, v->nframes * sizeof *v->frames);
	s->digest[PTD_PART_SEGMENTS] =
		XXH3_64bits(v->segments, v->nsegments * sizeof *v->segments);
	s->digest[PTD_PART_UNIQUES] = XXH3_64bits(v->uniques, v->nuniques * sizeof *v->uniques);
	s->digest[PTD_PART_IOS] = XXH3_64bits(v->ios, v->nios * sizeof *v->ios);
	s->digest[PTD_PART_CONTENTS] =
		XXH3_64bits(v->contents, v->ncontents * sizeof *v->contents);
	s->digest[PTD_PART_KERNEL] = v->kernel_hash;
	return 0;
}

void ptd_state_slot_paths(const struct ptd_view *v, uint64_t slot, size_t *first, size_t *last)
{
	size_t lo = 0, hi = v->npaths;
	while (lo < hi) { /* first path with .slot >= slot */
		size_t mid = lo + (hi - lo) / 2;
		if (v->paths[mid].slot < slot)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	while (lo < v->npaths && v->paths[lo].slot == slot)
		lo++;
	*last = lo;
}
