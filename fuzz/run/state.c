/* SPDX-License-Identifier: MIT */
/*
 * One side's view as the runner keeps it: capture from a backend, canonical order (each list
 * sorted by its key; most arrive sorted, so the sort is cheap), xxHash digests per part, and
 * for incremental checking the capture of only the touched slots and parts and the patch that
 * merges them into the previous full view.
 */
#include "state.h"

#include <stdlib.h>
#include <string.h>
/* Inline: no call into an uninstrumented shared library, so MSan sees every byte. */
#define XXH_INLINE_ALL
#include <xxhash.h>

/* The largest entry that begins with its slot (sort_by_slot()). */
#define SLOT_ENTRY_MAX 32

int ptd_state_init(struct ptd_state *s, uint64_t nslots, size_t cap)
{
	struct ptd_view *v = &s->view;
	memset(s, 0, sizeof *s);
	/* Zeroed, so the reserved members a backend never writes stay zero and views hash as
	 * bytes (view.h). */
	v->nslots = nslots;
	v->slots = calloc(nslots, sizeof *v->slots);
	s->sort_room = calloc(cap > nslots ? cap : nslots, SLOT_ENTRY_MAX);
	s->sort_count = calloc(nslots + 1, sizeof *s->sort_count);
	if (!v->slots || !s->sort_room || !s->sort_count)
		goto fail;
	for (enum ptd_view_list_id l = 0; l < PTD_VIEW_NLISTS; l++) {
		/* At most one contents entry per slot. */
		size_t n = l == PTD_VIEW_CONTENTS ? nslots : cap;
		void *items = calloc(n, ptd_view_list(v, l).size);
		if (!items)
			goto fail;
		ptd_view_set_array(v, l, items, n);
	}
	return 0;
fail:
	ptd_state_fini(s);
	return -1;
}

void ptd_state_fini(struct ptd_state *s)
{
	free(s->view.slots);
	free(s->sort_room);
	free(s->sort_count);
	for (enum ptd_view_list_id l = 0; l < PTD_VIEW_NLISTS; l++)
		free(ptd_view_list(&s->view, l).items);
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

/* The canonical orders, one for each key of PTD_VIEW_LISTS (view.h). */
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

/* An id, or a handle entry, which begins with its id (view.h). */
static int cmp_id(const void *pa, const void *pb)
{
	return cmp_u64(*(const ptd_id_t *)pa, *(const ptd_id_t *)pb);
}

/* An entry that begins with its slot (view.h). */
static int cmp_slot(const void *pa, const void *pb)
{
	return cmp_u64(*(const uint64_t *)pa, *(const uint64_t *)pb);
}

/* The parts follow the lists' order: list l's digest is digest[PTD_PART_PATHS + l] (diff.c). */
#define PART_OF_LIST(name, NAME, type, part, key) \
	_Static_assert(PTD_PART_##NAME == PTD_PART_PATHS + PTD_VIEW_##NAME, "part of " #name);
PTD_VIEW_LISTS(PART_OF_LIST)
#undef PART_OF_LIST

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

/* The first i such that p[i - 1] > p[i], or n: p[0 .. i) is sorted. */
static size_t sorted_prefix(const char *p, size_t n, size_t size,
			    int (*cmp)(const void *, const void *))
{
	size_t i = 1;
	while (i < n && cmp(p + (i - 1) * size, p + i * size) <= 0)
		i++;
	return i;
}

/* Binary insertion of p[i .. n) into the sorted p[0 .. i). */
static void insert_from(char *p, size_t i, size_t n, size_t size,
			int (*cmp)(const void *, const void *))
{
	char tmp[ELEM_MAX];
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

static void sort_list(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	size_t i = sorted_prefix(base, n, size, cmp);
	if (i >= n)
		return;
	if (n > INSERTION_MAX || size > ELEM_MAX) {
		qsort(base, n, size, cmp);
		return;
	}
	insert_from(base, i, n, size, cmp);
}

/*
 * A list whose entries begin with their slot (paths, contents).  A whole view's paths arrive
 * in the order of the tree walk that found them (address space, address), not by slot: a
 * long unsorted list is distributed by slot (a stable counting sort, O(n + nslots)) and each
 * slot's run, mostly one entry and otherwise in walk order already, finished by insertion;
 * glibc's merge sort of it was 4 % of incremental checking on long inputs.
 */
_Static_assert(sizeof(struct ptd_path_view) <= SLOT_ENTRY_MAX &&
		       sizeof(struct ptd_content_view) <= SLOT_ENTRY_MAX,
	       "sort_room holds any entry that begins with its slot");

static uint64_t slot_at(const char *entry)
{
	uint64_t slot;
	memcpy(&slot, entry, sizeof slot);
	return slot;
}

static void sort_by_slot(struct ptd_state *s, void *base, size_t n, size_t size,
			 int (*cmp)(const void *, const void *))
{
	char *p = base, *room = s->sort_room;
	uint64_t nslots = s->view.nslots;
	uint32_t *count = s->sort_count;
	size_t i = sorted_prefix(p, n, size, cmp);
	if (i >= n)
		return;
	if (n <= INSERTION_MAX) {
		insert_from(p, i, n, size, cmp);
		return;
	}
	memset(count, 0, (nslots + 1) * sizeof *count);
	for (i = 0; i < n; i++) {
		uint64_t slot = slot_at(p + i * size);
		if (slot >= nslots) { /* not a slot of this view: the diff will say so */
			qsort(base, n, size, cmp);
			return;
		}
		count[slot + 1]++;
	}
	for (uint64_t k = 1; k <= nslots; k++)
		count[k] += count[k - 1];
	for (i = 0; i < n; i++)
		memcpy(room + count[slot_at(p + i * size)]++ * size, p + i * size, size);
	memcpy(p, room, n * size);
	insert_from(p, sorted_prefix(p, n, size, cmp), n, size, cmp);
}

/*
 * The hot paths below (every capture, every op of incremental checking) expand PTD_VIEW_LISTS
 * into one statement per list, so that each list's type, comparator and part are constants the
 * compiler specialises on.  A loop over list indexes (ptd_view_list()) dispatches on the index
 * for every list and calls the comparator through a pointer: 4 % more instructions in the
 * incremental check, measured on the shipped corpus.
 */
static void sort_view(struct ptd_state *s)
{
	struct ptd_view *v = &s->view;
#define SORT_LIST(name, NAME, type, part, key)                                 \
	if (cmp_##key == cmp_path || cmp_##key == cmp_slot)                    \
		sort_by_slot(s, v->name, v->n##name, sizeof(type), cmp_##key); \
	else                                                                   \
		sort_list(v->name, v->n##name, sizeof(type), cmp_##key);
	PTD_VIEW_LISTS(SORT_LIST)
#undef SORT_LIST
}

static void clear_counts(struct ptd_view *v)
{
	ptd_view_clear_lists(v);
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
	sort_view(part);
	return 0;
}

/* The list (dst, *dst_n) of capacity cap becomes (src, n); -1 when it does not fit. */
static inline int copy_list(void *dst, size_t *dst_n, size_t cap, const void *src, size_t n,
			    size_t size)
{
	if (n > cap)
		return -1;
	memcpy(dst, src, n * size);
	*dst_n = n;
	return 0;
}

/* d's lists of the parts in `parts` become s's. */
static int copy_parts(struct ptd_view *d, const struct ptd_view *s, uint32_t parts)
{
#define COPY_LIST(name, NAME, type, part, key)                                                 \
	if (((part)&parts) &&                                                                  \
	    copy_list(d->name, &d->n##name, d->name##_cap, s->name, s->n##name, sizeof(type))) \
		return -1;
	PTD_VIEW_LISTS(COPY_LIST)
#undef COPY_LIST
	if (parts & PTD_PART_BIT_KERNEL)
		d->kernel_hash = s->kernel_hash;
	return 0;
}

/* The first of the n entries from a (of size bytes, sorted by their leading slot) whose slot
 * is not below slot. */
static inline size_t slot_lower_bound(const char *a, size_t n, size_t size, uint64_t slot)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t at;
		memcpy(&at, a + mid * size, sizeof at);
		if (at < slot)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The list (dst, *dst_n) of capacity cap, of entries that begin with their slot, becomes
 * (a, na) with the entries of every slot in `slots` replaced by those of (b, nb), which holds
 * entries of those slots only (a partial view); both sorted by slot.  The entries of the other
 * slots are copied a run at a time, between two touched slots.
 */
static inline int merge_slot_list(void *dst, size_t *dst_n, size_t cap, const void *a, size_t na,
				  const void *b, size_t nb, size_t size, const uint64_t *slots,
				  uint64_t nslots)
{
	const char *x = a, *y = b;
	char *out = dst;
	size_t n = 0, ia = 0, ib = 0;

#define MERGE_COPY(from, count)                                        \
	do {                                                           \
		size_t count_ = (count);                               \
		if (count_ > cap - n)                                  \
			return -1;                                     \
		if (count_)                                            \
			memcpy(out + n * size, (from), count_ * size); \
		n += count_;                                           \
	} while (0)
	for (uint64_t w = 0; w < (nslots + 63) / 64; w++)
		for (uint64_t m = slots[w]; m; m &= m - 1) {
			uint64_t i = w * 64 + (uint64_t)__builtin_ctzll(m);
			size_t lo = ia + slot_lower_bound(x + ia * size, na - ia, size, i);
			size_t hi = lo + slot_lower_bound(x + lo * size, na - lo, size, i + 1);
			size_t jb = ib + slot_lower_bound(y + ib * size, nb - ib, size, i + 1);
			MERGE_COPY(x + ia * size, lo - ia); /* the slots before i, unchanged */
			MERGE_COPY(y + ib * size, jb - ib); /* slot i's new entries */
			ia = hi;
			ib = jb;
		}
	MERGE_COPY(x + ia * size, na - ia);
#undef MERGE_COPY
	if (ib != nb) /* b held a slot not in slots: not a partial view of them */
		return -1;
	*dst_n = n;
	return 0;
}

int ptd_state_patch(struct ptd_state *dst, const struct ptd_state *prev,
		    const struct ptd_state *part, const uint64_t *prev_slots, uint32_t prev_parts,
		    const uint64_t *slots, uint32_t parts)
{
	struct ptd_view *d = &dst->view;
	const struct ptd_view *p = &prev->view, *q = &part->view;
	size_t words = (size_t)(d->nslots + 63) / 64;

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
#define MERGE_LIST(name, NAME, type, part, key)                                                  \
	if (!(part) && merge_slot_list(d->name, &d->n##name, d->name##_cap, p->name, p->n##name, \
				       q->name, q->n##name, sizeof(type), slots, d->nslots))     \
		return -1;
	PTD_VIEW_LISTS(MERGE_LIST)
#undef MERGE_LIST
	if (copy_parts(d, p, prev_parts & ~parts) || copy_parts(d, q, parts))
		return -1;
	d->overflow = 0;
	return 0;
}

int ptd_state_lists_equal(const struct ptd_view *x, const struct ptd_view *y)
{
	/* Most lists of a partial view are empty: no call for them. */
#define LIST_DIFFERS(name, NAME, type, part, key)                                \
	if (x->n##name != y->n##name ||                                          \
	    (x->n##name && memcmp(x->name, y->name, x->n##name * sizeof(type)))) \
		return 0;
	PTD_VIEW_LISTS(LIST_DIFFERS)
#undef LIST_DIFFERS
	return 1;
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
	sort_view(s);
	return 0;
}

void ptd_state_digest(struct ptd_state *s)
{
	const struct ptd_view *v = &s->view;
	s->digest[PTD_PART_SLOTS] = XXH3_64bits(v->slots, v->nslots * sizeof *v->slots);
#define DIGEST_LIST(name, NAME, type, part, key) \
	s->digest[PTD_PART_##NAME] = XXH3_64bits(v->name, v->n##name * sizeof(type));
	PTD_VIEW_LISTS(DIGEST_LIST)
#undef DIGEST_LIST
	s->digest[PTD_PART_KERNEL] = v->kernel_hash;
}

int ptd_state_equal(const struct ptd_state *a, const struct ptd_state *b)
{
	const struct ptd_view *x = &a->view, *y = &b->view;
	return x->nslots == y->nslots && x->kernel_hash == y->kernel_hash &&
	       ptd_state_lists_equal(x, y) &&
	       !memcmp(x->slots, y->slots, x->nslots * sizeof *x->slots);
}

int ptd_state_copy(struct ptd_state *dst, const struct ptd_state *src)
{
	struct ptd_view *d = &dst->view;
	const struct ptd_view *v = &src->view;
	if (d->nslots != v->nslots || copy_parts(d, v, PTD_PART_BIT_ALL))
		return -1;
#define COPY_SLOT_LIST(name, NAME, type, part, key)                                            \
	if (!(part) &&                                                                         \
	    copy_list(d->name, &d->n##name, d->name##_cap, v->name, v->n##name, sizeof(type))) \
		return -1;
	PTD_VIEW_LISTS(COPY_SLOT_LIST)
#undef COPY_SLOT_LIST
	memcpy(d->slots, v->slots, v->nslots * sizeof *v->slots);
	memcpy(dst->digest, src->digest, sizeof dst->digest);
	d->overflow = 0;
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
