/* SPDX-License-Identifier: MIT */
/*
 * The store and the shared definitions of docs/POLICY.md §2: claiming, tearing down and
 * releasing slots, allocating and freeing page-table nodes, installing and removing mappings, and
 * the handle registries.  Invariant kept here: a slot's paths multiset holds exactly one position
 * per node that occupies it and one per mapping of it; a Frame slot's rc moves only through
 * oracle_slot_claim_frame/oracle_slot_release (plus the "+1" of Query, FrameFromInUse,
 * SegmentClone, SegmentSlice and the UNIQUE <-> 1 moves of unique.c).
 * Mirrors vostd `specs/mm/embedding/mod.rs` (VmStore) and `specs/mm/frame/meta_owners.rs`.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "store.h"
#include "planted.h"

_Noreturn void oracle_bug(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: ptdiff oracle-bug: %s\n", file, line, what);
	abort();
}

/** missing() - The runner passed an id that names no live handle: a harness error. */
_Noreturn static void missing(const char *kind, ptd_id_t id)
{
	fprintf(stderr, "ptdiff oracle: no live %s with id %u (harness error)\n", kind,
		(unsigned)id);
	abort();
}

void *oracle_grow(void *arr, size_t *cap, size_t need, size_t size)
{
	size_t new_cap = *cap ? *cap : 16;
	void *p;

	if (need <= *cap) {
		return arr;
	}
	while (new_cap < need)
		new_cap *= 2;
	p = realloc(arr, new_cap * size);
	if (!p) {
		fprintf(stderr, "ptdiff oracle: out of memory growing a table to %zu entries\n",
			new_cap);
		abort();
	}
	*cap = new_cap;
	return p;
}

/* ---- registries ---- */

_Static_assert(offsetof(struct oracle_vmspace, id) == 0 && offsetof(struct oracle_frame, id) == 0 &&
		       offsetof(struct oracle_segment, id) == 0 &&
		       offsetof(struct oracle_unique, id) == 0 &&
		       offsetof(struct oracle_io, id) == 0,
	       "registry entries begin with their id");

/**
 * registry_insert() - Room for a new entry of id @id in the registry *@arr of *@n entries of
 * @size bytes (capacity *@cap), each beginning with its id and kept in increasing id order
 * (the view's order, so that it lists them as they are): the entries of higher ids move up.
 * Return: the new entry, zeroed but for its id.
 */
static void *registry_insert(void **arr, size_t *n, size_t *cap, size_t size, ptd_id_t id)
{
	char *a;
	size_t i = *n;

	*arr = oracle_grow(*arr, cap, *n + 1, size);
	a = *arr;
	for (; i > 0; i--) {
		ptd_id_t before;

		memcpy(&before, a + (i - 1) * size, sizeof before);
		ORACLE_BUG_ON(before == id); /* ids are never reused */
		if (before < id)
			break;
	}
	memmove(a + (i + 1) * size, a + i * size, (*n - i) * size);
	(*n)++;
	memset(a + i * size, 0, size);
	memcpy(a + i * size, &id, sizeof id);
	return a + i * size;
}

/** registry_remove() - Remove entry @idx of the registry @arr of *@n entries, keeping order. */
static void registry_remove(void *arr, size_t *n, size_t size, size_t idx)
{
	char *a = arr;

	(*n)--;
	memmove(a + idx * size, a + (idx + 1) * size, (*n - idx) * size);
}

/* ---- lifetime ---- */

/* The length of kernel page p (POLICY.md "Kernel memory"; the last page may be short). */
static uint64_t kernel_page_len(uint64_t p)
{
	return p + 1 < ORACLE_KERNEL_PAGES ? PTD_PAGE_SIZE : PTD_KERNEL_BYTES - p * PTD_PAGE_SIZE;
}

/**
 * slot_init() - POLICY.md §1 initial slot: rc UNUSED, usage Unused, nothing initialised, and
 * (POLICY.md "Readers and writers") all-zero contents.
 */
static void slot_init(struct oracle *o, uint64_t i)
{
	struct oracle_slot *s = &o->slots[i];

	struct ptd_pos *paths = s->paths; /* its room is kept for the next input */
	size_t paths_cap = s->paths_cap;

	if (s->writes) {
		memset(o->mem + i * PTD_PAGE_SIZE, 0, PTD_PAGE_SIZE);
	}
	memset(s, 0, sizeof *s);
	s->paths = paths;
	s->paths_cap = paths_cap;
	s->rc = PTD_RC_UNUSED;
	s->usage = PTD_USAGE_UNUSED;
}

/**
 * slot_mark() - Slot @i is handed out (or written) by the store: it may change, so the next
 * report compares it with its copy (touched.c) and the next reset puts it back.
 */
static void slot_mark(struct oracle *o, uint64_t i)
{
	ptd_bit_set(o->accessed, i);
	if (!ptd_bit_test(o->on_reset_list, i)) {
		ptd_bit_set(o->on_reset_list, i);
		o->reset_list[o->nr_reset_list++] = i;
	}
}

struct oracle *oracle_create(const struct ptd_config *cfg)
{
	struct oracle *o = calloc(1, sizeof *o);
	size_t n = cfg->nframes ? cfg->nframes : 1, words = (cfg->nframes + 63) / 64 + 1;

	if (!o) {
		return NULL;
	}
	o->cfg = *cfg;
	o->slots = calloc(n, sizeof *o->slots);
	o->mem = calloc(n, PTD_PAGE_SIZE);
	o->shadow = calloc(n, sizeof *o->shadow);
	o->accessed = calloc(words, sizeof *o->accessed);
	o->reset_list = calloc(n, sizeof *o->reset_list);
	o->on_reset_list = calloc(words, sizeof *o->on_reset_list);
	if (!o->slots || !o->mem || !o->shadow || !o->accessed || !o->reset_list ||
	    !o->on_reset_list) {
		free(o->slots);
		free(o->mem);
		free(o->shadow);
		free(o->accessed);
		free(o->reset_list);
		free(o->on_reset_list);
		free(o);
		return NULL;
	}
	/* The initial state, once for every slot; after this, reset visits the listed ones. */
	for (uint64_t i = 0; i < cfg->nframes; i++) {
		slot_init(o, i);
		oracle_shadow_reset(o, i);
	}
	/* POLICY.md "Kernel memory": byte k = ptd_kernel_byte(k) initially and after reset. */
	for (uint64_t k = 0; k < PTD_KERNEL_BYTES; k++)
		o->kernel_initial[k] = ptd_kernel_byte(k);
	memcpy(o->kernel, o->kernel_initial, PTD_KERNEL_BYTES);
	for (uint64_t p = 0; p < ORACLE_KERNEL_PAGES; p++) {
		o->kernel_initial_page_hash[p] = oracle_contents_hash(
			o->kernel_initial + p * PTD_PAGE_SIZE, kernel_page_len(p));
		o->kernel_page_hash[p] = o->kernel_initial_page_hash[p];
	}
	return o;
}

void oracle_destroy(struct oracle *o)
{
	if (!o) {
		return;
	}
	oracle_reset(o);
	for (size_t i = 0; i < o->nr_spare_maps; i++)
		free(o->spare_maps[i].maps);
	free(o->spare_maps);
	for (uint64_t i = 0; i < o->cfg.nframes; i++) {
		free(o->shadow[i].paths);
		free(o->slots[i].paths);
	}
	free(o->vmspaces);
	free(o->nodes);
	free(o->cursors);
	free(o->frames);
	free(o->segments);
	free(o->uniques);
	free(o->ios);
	free(o->shadow);
	free(o->accessed);
	free(o->reset_list);
	free(o->on_reset_list);
	free(o->slots);
	free(o->mem);
	free(o);
}

/*
 * The mapping array of @vs (which holds no mapping, or is being reset) goes to the spare ones.
 * Freeing it and allocating anew for the next address space made most inputs allocate more
 * than they freed, and libFuzzer runs each such input a second time to look for a leak.
 */
static void maps_keep(struct oracle *o, struct oracle_vmspace *vs)
{
	if (!vs->maps)
		return;
	o->spare_maps = oracle_grow(o->spare_maps, &o->spare_maps_cap, o->nr_spare_maps + 1,
				    sizeof *o->spare_maps);
	o->spare_maps[o->nr_spare_maps++] = (struct oracle_maps_room){ vs->maps, vs->maps_cap };
	vs->maps = NULL;
	vs->maps_cap = 0;
}

void oracle_reset(struct oracle *o)
{
	/* Every slot that may differ from the initial state is on the reset list. */
	for (size_t n = 0; n < o->nr_reset_list; n++) {
		uint64_t i = o->reset_list[n];

		slot_init(o, i);
		oracle_shadow_reset(o, i);
		o->on_reset_list[i / 64] &= ~(UINT64_C(1) << (i % 64));
	}
	o->nr_reset_list = 0;
	o->nr_paths_all = 0;
	o->nr_written = 0;
	/* The registries keep their arrays (the next input fills them again), and so do the
	 * address spaces' mapping arrays (spare_maps). */
	for (size_t i = 0; i < o->nr_vmspaces; i++)
		maps_keep(o, &o->vmspaces[i]);
	o->nr_vmspaces = 0;
	o->nr_nodes = 0;
	o->nr_cursors = 0;
	o->nr_frames = 0;
	o->nr_segments = 0;
	o->nr_uniques = 0;
	o->nr_ios = 0;
	/* Kernel memory: the pages written since the last reset get their initial bytes back,
	 * and their initial hashes. */
	for (uint64_t p = 0; p < ORACLE_KERNEL_PAGES; p++) {
		if (o->kernel_page_written[p]) {
			memcpy(o->kernel + p * PTD_PAGE_SIZE, o->kernel_initial + p * PTD_PAGE_SIZE,
			       kernel_page_len(p));
			o->kernel_page_hash[p] = o->kernel_initial_page_hash[p];
			o->kernel_page_stale[p] = false;
			o->kernel_page_written[p] = false;
		}
	}
}

/* ---- slots ---- */

struct oracle_slot *oracle_slot_of(struct oracle *o, ptd_paddr_t paddr)
{
	ORACLE_BUG_ON(paddr % PTD_PAGE_SIZE != 0);
	ORACLE_BUG_ON(paddr / PTD_PAGE_SIZE >= o->cfg.nframes);
	slot_mark(o, paddr / PTD_PAGE_SIZE);
	return &o->slots[paddr / PTD_PAGE_SIZE];
}

static bool pos_equal(struct ptd_pos a, struct ptd_pos b)
{
	return a.vs == b.vs && a.depth == b.depth && a.va == b.va;
}

/** pos_before() - Whether @a comes before @b: by address space, then depth, then address. */
static bool pos_before(struct ptd_pos a, struct ptd_pos b)
{
	if (a.vs != b.vs) {
		return a.vs < b.vs;
	}
	if (a.depth != b.depth) {
		return a.depth < b.depth;
	}
	return a.va < b.va;
}

void oracle_path_add(struct oracle *o, struct oracle_slot *s, struct ptd_pos pos)
{
	size_t i = s->nr_paths;

	/* Kept in pos_before() order (the view's, so it lists them as they are): after the last
	 * position not after @pos. */
	s->paths = oracle_grow(s->paths, &s->paths_cap, s->nr_paths + 1, sizeof *s->paths);
	while (i > 0 && pos_before(pos, s->paths[i - 1])) {
		s->paths[i] = s->paths[i - 1];
		i--;
	}
	s->paths[i] = pos;
	s->nr_paths++;
	o->nr_paths_all++;
}

void oracle_path_remove(struct oracle *o, struct oracle_slot *s, struct ptd_pos pos)
{
	for (size_t i = 0; i < s->nr_paths; i++) {
		if (pos_equal(s->paths[i], pos)) {
			s->nr_paths--;
			memmove(&s->paths[i], &s->paths[i + 1],
				(s->nr_paths - i) * sizeof *s->paths);
			o->nr_paths_all--;
			return;
		}
	}
	ORACLE_BUG_ON(!"position to remove is not in the slot's paths");
}

void oracle_slot_claim_frame(struct oracle_slot *s)
{
	ORACLE_BUG_ON(s->rc != PTD_RC_UNUSED || s->nr_paths != 0);
	s->rc = 1;
	s->usage = PTD_USAGE_FRAME;
	s->storage_init = true;
	s->vtable_init = true;
	s->in_list = 0;
}

void oracle_slot_tear_down(struct oracle_slot *s)
{
	ORACLE_BUG_ON(s->nr_paths != 0);
	s->rc = PTD_RC_UNUSED;
	s->storage_init = false;
	s->vtable_init = false;
	s->in_list = 0;
	/* usage is kept: drop_last_in_place leaves it (docs/CONTRACTS.md#usage-sticky). */
#if PTDIFF_PLANT_BOTH_TEARDOWN_USAGE
	s->usage = PTD_USAGE_UNUSED;
#endif
}

void oracle_slot_release(struct oracle_slot *s)
{
	ORACLE_BUG_ON(s->usage != PTD_USAGE_FRAME);
	ORACLE_BUG_ON(s->rc == 0 || s->rc > PTD_RC_MAX);
	if (s->rc == 1) {
		oracle_slot_tear_down(s);
	} else {
		s->rc -= 1;
	}
}

/* ---- page-table nodes ---- */

uint64_t oracle_node_span(unsigned level)
{
	return PTD_ENTRY_SPAN(level + 1);
}

struct ptd_pos oracle_node_pos(ptd_id_t vs, unsigned level, ptd_vaddr_t base)
{
	struct ptd_pos pos = { .vs = vs, .depth = PTD_NR_LEVELS - level, .va = base };
	return pos;
}

/** node_before() - Whether node @n comes before (@vs, @level, @base) in o->nodes' order. */
static bool node_before(const struct oracle_node *n, ptd_id_t vs, unsigned level, ptd_vaddr_t base)
{
	if (n->vs != vs) {
		return n->vs < vs;
	}
	if (n->level != level) {
		return n->level < level;
	}
	return n->base < base;
}

/**
 * node_lower_bound() - The index in o->nodes (kept in increasing (vs, level, base) order) of the
 * first node not before (@vs, @level, @base): where it is, or where it would go.
 */
static size_t node_lower_bound(const struct oracle *o, ptd_id_t vs, unsigned level,
			       ptd_vaddr_t base)
{
	size_t lo = 0, hi = o->nr_nodes;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (node_before(&o->nodes[mid], vs, level, base)) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

long oracle_node_find(const struct oracle *o, ptd_id_t vs, unsigned level, ptd_vaddr_t base)
{
	size_t i = node_lower_bound(o, vs, level, base);

	if (i < o->nr_nodes && o->nodes[i].vs == vs && o->nodes[i].level == level &&
	    o->nodes[i].base == base) {
		return (long)i;
	}
	return -1;
}

bool oracle_pool_can_alloc(const struct oracle *o, uint64_t need)
{
	uint64_t unused = 0;

	/* POLICY.md §2 "Pool exhaustion": count the pool slots with rc UNUSED, whatever usage,
	 * until there are enough. */
	for (uint64_t i = o->cfg.pt_pool_start; i < o->cfg.nframes && unused < need; i++)
		unused += o->slots[i].rc == PTD_RC_UNUSED;
	return unused >= need;
}

void oracle_node_alloc(struct oracle *o, ptd_id_t vs, unsigned level, ptd_vaddr_t base)
{
	uint64_t i = o->cfg.pt_pool_start;
	struct oracle_slot *s;
	size_t at;

	ORACLE_BUG_ON(level < 1 || level > PTD_NR_LEVELS);
	ORACLE_BUG_ON(base % oracle_node_span(level) != 0);
	ORACLE_BUG_ON(oracle_node_find(o, vs, level, base) >= 0);
	/* Top-down: a non-root node's parent exists already. */
	ORACLE_BUG_ON(
		level < PTD_NR_LEVELS &&
		oracle_node_find(o, vs, level + 1, base - base % oracle_node_span(level + 1)) < 0);
	/* Lowest index in [pt_pool_start, nframes) whose rc is UNUSED, whatever its usage. */
#if PTDIFF_PLANT_ORACLE_NODE_ALLOC_FRESH
	/* planted: a never-used slot preferred; a freed one only when none is left */
	while (i < o->cfg.nframes &&
	       (o->slots[i].rc != PTD_RC_UNUSED || o->slots[i].usage != PTD_USAGE_UNUSED))
		i++;
	if (i >= o->cfg.nframes)
		i = o->cfg.pt_pool_start;
#endif
	while (i < o->cfg.nframes && o->slots[i].rc != PTD_RC_UNUSED)
		i++;
	/* An op of a concurrent group: the slot the production side gave this node, if it is a
	 * free pool slot here too (docs/CONCURRENCY.md "Which slots new nodes take"); a slot
	 * that is not free leaves the lowest free one, and the state comparison reports it. */
	if (o->next_alloc_hint < o->nr_alloc_hint) {
		uint64_t h = o->alloc_hint[o->next_alloc_hint++];

		if (h >= o->cfg.pt_pool_start && h < o->cfg.nframes &&
		    o->slots[h].rc == PTD_RC_UNUSED)
			i = h;
	}
	/* Every allocating op checked the pool for its whole count first (POLICY.md §2). */
	ORACLE_BUG_ON(i >= o->cfg.nframes);
	s = &o->slots[i];
	slot_mark(o, i);
	ORACLE_BUG_ON(s->nr_paths != 0);
	s->rc = 1;
	s->usage = PTD_USAGE_PAGE_TABLE;
	s->storage_init = true;
	s->vtable_init = true;
	s->in_list = 0;
	oracle_path_add(o, s, oracle_node_pos(vs, level, base));

	o->nodes = oracle_grow(o->nodes, &o->nodes_cap, o->nr_nodes + 1, sizeof *o->nodes);
	at = node_lower_bound(o, vs, level, base);
	memmove(&o->nodes[at + 1], &o->nodes[at], (o->nr_nodes - at) * sizeof *o->nodes);
	o->nr_nodes++;
	o->nodes[at] = (struct oracle_node){ .vs = vs, .level = level, .base = base, .slot = i };
}

void oracle_node_ensure(struct oracle *o, ptd_id_t vs, unsigned level, ptd_vaddr_t base)
{
	if (oracle_node_find(o, vs, level, base) < 0) {
		oracle_node_alloc(o, vs, level, base);
	}
}

void oracle_node_free(struct oracle *o, size_t idx)
{
	struct oracle_node n = o->nodes[idx];
	struct oracle_slot *s = &o->slots[n.slot];

	slot_mark(o, n.slot);
	ORACLE_BUG_ON(s->rc != 1 || s->usage != PTD_USAGE_PAGE_TABLE);
	oracle_path_remove(o, s, oracle_node_pos(n.vs, n.level, n.base));
	oracle_slot_tear_down(s);
	o->nr_nodes--;
	memmove(&o->nodes[idx], &o->nodes[idx + 1], (o->nr_nodes - idx) * sizeof *o->nodes);
}

uint64_t oracle_path_to_leaf_table_missing(const struct oracle *o, ptd_id_t vs, ptd_vaddr_t va)
{
	uint64_t missing_nodes = 0;

	for (unsigned level = PTD_NR_LEVELS - 1; level >= 1; level--) {
		uint64_t span = oracle_node_span(level);
		missing_nodes += oracle_node_find(o, vs, level, va - va % span) < 0;
	}
	return missing_nodes;
}

void oracle_path_to_leaf_table(struct oracle *o, ptd_id_t vs, ptd_vaddr_t va)
{
	/* The root (level 4) exists while vs lives; the higher level is allocated first. */
	for (unsigned level = PTD_NR_LEVELS - 1; level >= 1; level--) {
		uint64_t span = oracle_node_span(level);
		oracle_node_ensure(o, vs, level, va - va % span);
	}
}

/* ---- address spaces and mappings ---- */

void oracle_vmspace_register(struct oracle *o, ptd_id_t id)
{
	struct oracle_vmspace *vs;

	ORACLE_BUG_ON(id == 0);
	vs = registry_insert((void **)&o->vmspaces, &o->nr_vmspaces, &o->vmspaces_cap,
			     sizeof *o->vmspaces, id);
	if (o->nr_spare_maps) {
		struct oracle_maps_room r = o->spare_maps[--o->nr_spare_maps];

		vs->maps = r.maps;
		vs->maps_cap = r.cap;
	}
}

void oracle_vmspace_unregister(struct oracle *o, struct oracle_vmspace *vs)
{
	ORACLE_BUG_ON(vs->nr_maps != 0);
	maps_keep(o, vs);
	registry_remove(o->vmspaces, &o->nr_vmspaces, sizeof *o->vmspaces,
			(size_t)(vs - o->vmspaces));
}

struct oracle_vmspace *oracle_vmspace_get(struct oracle *o, ptd_id_t id)
{
	for (size_t i = 0; i < o->nr_vmspaces; i++) {
		if (o->vmspaces[i].id == id) {
			return &o->vmspaces[i];
		}
	}
	missing("address space", id);
}

/**
 * mapping_lower_bound() - The index in @vs->maps (kept in increasing va order) of the first
 * mapping whose va is >= @va: where @va is mapped, or where its mapping would go.
 */
static size_t mapping_lower_bound(const struct oracle_vmspace *vs, ptd_vaddr_t va)
{
	size_t lo = 0, hi = vs->nr_maps;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (vs->maps[mid].va < va) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

long oracle_mapping_find(const struct oracle_vmspace *vs, ptd_vaddr_t va)
{
	size_t i = mapping_lower_bound(vs, va);

	return i < vs->nr_maps && vs->maps[i].va == va ? (long)i : -1;
}

long oracle_mapping_lowest(const struct oracle_vmspace *vs, ptd_vaddr_t start, ptd_vaddr_t end)
{
	/* The first mapping at or above start is the lowest in the range, if it is in it. */
	size_t i = mapping_lower_bound(vs, start);

	if (i == vs->nr_maps) {
		return -1;
	}
#if PTDIFF_PLANT_ORACLE_LOWEST_END_INCLUSIVE
	/* planted: the range's end taken as inside it */
	return vs->maps[i].va <= end ? (long)i : -1;
#else
	return vs->maps[i].va < end ? (long)i : -1;
#endif
}

void oracle_mapping_install(struct oracle *o, struct oracle_vmspace *vs, ptd_vaddr_t va,
			    ptd_paddr_t pa, bool tracked, struct ptd_prop prop)
{
	size_t at = mapping_lower_bound(vs, va);

	/* At most one mapping per va. */
	ORACLE_BUG_ON(at < vs->nr_maps && vs->maps[at].va == va);
	vs->maps = oracle_grow(vs->maps, &vs->maps_cap, vs->nr_maps + 1, sizeof *vs->maps);
	memmove(&vs->maps[at + 1], &vs->maps[at], (vs->nr_maps - at) * sizeof *vs->maps);
	vs->nr_maps++;
	vs->maps[at] =
		(struct oracle_mapping){ .va = va, .pa = pa, .tracked = tracked, .prop = prop };
	if (tracked) {
		struct ptd_pos pos = { .vs = vs->id, .depth = PTD_LEAF_DEPTH, .va = va };
		oracle_path_add(o, oracle_slot_of(o, pa), pos);
	}
}

void oracle_mapping_drop(struct oracle_vmspace *vs, size_t idx)
{
	vs->nr_maps--;
	memmove(&vs->maps[idx], &vs->maps[idx + 1], (vs->nr_maps - idx) * sizeof *vs->maps);
}

void oracle_mapping_remove(struct oracle *o, struct oracle_vmspace *vs, size_t idx)
{
	struct oracle_mapping m = vs->maps[idx];

	oracle_mapping_drop(vs, idx);
	if (m.tracked) {
		struct ptd_pos pos = { .vs = vs->id, .depth = PTD_LEAF_DEPTH, .va = m.va };
		struct oracle_slot *s = oracle_slot_of(o, m.pa);
		oracle_path_remove(o, s, pos);
		oracle_slot_release(s);
	}
}

/* ---- cursors, Frame handles, segments, unique frames, readers and writers ---- */

struct oracle_cursor *oracle_cursor_get(struct oracle *o, ptd_id_t id)
{
	for (size_t i = 0; i < o->nr_cursors; i++) {
		if (o->cursors[i].id == id) {
			return &o->cursors[i];
		}
	}
	missing("cursor", id);
}

size_t oracle_frame_get(const struct oracle *o, ptd_id_t id)
{
	for (size_t i = 0; i < o->nr_frames; i++) {
		if (o->frames[i].id == id) {
			return i;
		}
	}
	missing("Frame handle", id);
}

void oracle_frame_register(struct oracle *o, ptd_id_t id, ptd_paddr_t paddr)
{
	struct oracle_frame *f;

	ORACLE_BUG_ON(id == 0);
	f = registry_insert((void **)&o->frames, &o->nr_frames, &o->frames_cap, sizeof *f, id);
	f->paddr = paddr;
}

void oracle_frame_unregister(struct oracle *o, size_t idx)
{
	registry_remove(o->frames, &o->nr_frames, sizeof *o->frames, idx);
}

size_t oracle_segment_get(const struct oracle *o, ptd_id_t id)
{
	for (size_t i = 0; i < o->nr_segments; i++) {
		if (o->segments[i].id == id) {
			return i;
		}
	}
	missing("Segment", id);
}

void oracle_segment_register(struct oracle *o, ptd_id_t id, ptd_paddr_t start, ptd_paddr_t end)
{
	struct oracle_segment *seg;

	ORACLE_BUG_ON(id == 0);
	/* docs/CONTRACTS.md#structural-inv item 6: page-aligned, non-empty. */
	ORACLE_BUG_ON(start % PTD_PAGE_SIZE != 0 || end % PTD_PAGE_SIZE != 0 || start >= end);
	seg = registry_insert((void **)&o->segments, &o->nr_segments, &o->segments_cap, sizeof *seg,
			      id);
	seg->start = start;
	seg->end = end;
}

void oracle_segment_unregister(struct oracle *o, size_t idx)
{
	registry_remove(o->segments, &o->nr_segments, sizeof *o->segments, idx);
}

size_t oracle_unique_get(const struct oracle *o, ptd_id_t id)
{
	for (size_t i = 0; i < o->nr_uniques; i++) {
		if (o->uniques[i].id == id) {
			return i;
		}
	}
	missing("UniqueFrame", id);
}

void oracle_unique_register(struct oracle *o, ptd_id_t id, ptd_paddr_t paddr)
{
	struct oracle_unique *u;

	ORACLE_BUG_ON(id == 0);
	/* docs/CONTRACTS.md#structural-inv item 7: no two UniqueEntrys share a paddr. */
	for (size_t i = 0; i < o->nr_uniques; i++)
		ORACLE_BUG_ON(o->uniques[i].paddr == paddr);
	u = registry_insert((void **)&o->uniques, &o->nr_uniques, &o->uniques_cap, sizeof *u, id);
	u->paddr = paddr;
}

void oracle_unique_unregister(struct oracle *o, size_t idx)
{
	registry_remove(o->uniques, &o->nr_uniques, sizeof *o->uniques, idx);
}

size_t oracle_io_get(const struct oracle *o, ptd_id_t id)
{
	for (size_t i = 0; i < o->nr_ios; i++) {
		if (o->ios[i].id == id) {
			return i;
		}
	}
	missing("reader or writer", id);
}

/** io_register() - Register reader/writer @id: user (address space @vs) or @kernel. */
static void io_register(struct oracle *o, ptd_id_t id, ptd_id_t vs, bool kernel,
			enum ptd_io_kind kind, ptd_vaddr_t start, ptd_vaddr_t end)
{
	struct oracle_io *io;

	ORACLE_BUG_ON(id == 0);
	ORACLE_BUG_ON(start > end);
	io = registry_insert((void **)&o->ios, &o->nr_ios, &o->ios_cap, sizeof *io, id);
	*io = (struct oracle_io){ .id = id,
				  .vs = vs,
				  .kernel = kernel,
				  .kind = kind,
				  .start = start,
				  .cursor = start,
				  .end = end };
}

void oracle_io_register(struct oracle *o, ptd_id_t id, ptd_id_t vs, enum ptd_io_kind kind,
			ptd_vaddr_t start, ptd_vaddr_t end)
{
	io_register(o, id, vs, false, kind, start, end);
}

void oracle_io_register_kernel(struct oracle *o, ptd_id_t id, enum ptd_io_kind kind, uint64_t start,
			       uint64_t end)
{
	ORACLE_BUG_ON(end > PTD_KERNEL_BYTES);
	io_register(o, id, 0, true, kind, start, end);
}

void oracle_io_unregister(struct oracle *o, size_t idx)
{
	registry_remove(o->ios, &o->nr_ios, sizeof *o->ios, idx);
}

/* ---- frame contents ---- */

const uint8_t *oracle_frame_bytes(const struct oracle *o, uint64_t slot)
{
	ORACLE_BUG_ON(slot >= o->cfg.nframes);
	return o->mem + slot * PTD_PAGE_SIZE;
}

uint8_t *oracle_frame_bytes_for_write(struct oracle *o, uint64_t slot, uint64_t n)
{
	ORACLE_BUG_ON(slot >= o->cfg.nframes || n > PTD_PAGE_SIZE);
	slot_mark(o, slot);
	o->nr_written += o->slots[slot].writes == 0;
	o->slots[slot].writes += n;
	return o->mem + slot * PTD_PAGE_SIZE;
}

bool oracle_frame_contents(struct oracle *o, uint64_t slot, uint64_t *hash)
{
	struct oracle_slot *s;

	ORACLE_BUG_ON(slot >= o->cfg.nframes);
	s = &o->slots[slot];
	/* Unchanged since the last call (and never written since reset: all zero). */
	if (s->hashed_writes != s->writes) {
		const uint8_t *bytes = oracle_frame_bytes(o, slot);
		uint8_t any = 0;

		for (uint64_t k = 0; k < PTD_PAGE_SIZE; k++)
			any |= bytes[k];
		s->nonzero = any != 0;
		s->hash = s->nonzero ? oracle_contents_hash(bytes, PTD_PAGE_SIZE) : 0;
		s->hashed_writes = s->writes;
	}
	*hash = s->hash;
	return s->nonzero;
}

/* ---- kernel memory ---- */

const uint8_t *oracle_kernel_bytes(const struct oracle *o)
{
	return o->kernel;
}

uint8_t *oracle_kernel_bytes_for_write(struct oracle *o, uint64_t k, uint64_t n)
{
	ORACLE_BUG_ON(k > PTD_KERNEL_BYTES || n > PTD_KERNEL_BYTES - k);
	for (uint64_t p = k / PTD_PAGE_SIZE; n && p <= (k + n - 1) / PTD_PAGE_SIZE; p++) {
		o->kernel_page_written[p] = true;
		o->kernel_page_stale[p] = true;
	}
	return o->kernel;
}

/* The view's kernel_hash (include/ptdiff/view.h): the XXH3-64 of the pages' hashes, each page
 * rehashed only if written since its hash was taken. */
uint64_t oracle_kernel_hash(struct oracle *o)
{
	for (uint64_t p = 0; p < ORACLE_KERNEL_PAGES; p++) {
		if (o->kernel_page_stale[p]) {
			o->kernel_page_hash[p] = oracle_contents_hash(o->kernel + p * PTD_PAGE_SIZE,
								      kernel_page_len(p));
			o->kernel_page_stale[p] = false;
		}
	}
	return oracle_contents_hash((const uint8_t *)o->kernel_page_hash,
				    sizeof o->kernel_page_hash);
}

uint64_t oracle_contents_hash(const uint8_t *bytes, size_t n)
{
	return XXH3_64bits(bytes, n);
}
