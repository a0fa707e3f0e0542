/* SPDX-License-Identifier: MIT */
/* Test helpers over one backend's public interface (backend_util.h). */
#include "backend_util.h"

#include <inttypes.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#define TB_CAP 4096u

static void *tb_alloc(size_t n, size_t size)
{
	void *p = calloc(n, size);
	if (!p) {
		fprintf(stderr, "tests: out of memory\n");
		abort();
	}
	return p;
}

void tb_init(struct tb *t, const struct ptd_backend *be)
{
	const struct ptd_config cfg = {
		.nframes = TB_NFRAMES,
		.pt_pool_start = TB_POOL_START,
		.iomem_base = TB_IOMEM_BASE,
		.iomem_end = TB_IOMEM_BASE + TB_IOMEM_PAGES * PTD_PAGE_SIZE,
		.max_handles = TB_CAP,
	};
	memset(t, 0, sizeof *t);
	t->be = be;
	t->self = be->create(&cfg);
	if (!t->self) {
		fprintf(stderr, "tests: %s create failed\n", be->name);
		abort();
	}
	t->view.nslots = TB_NFRAMES;
	t->view.slots = tb_alloc(TB_NFRAMES, sizeof *t->view.slots);
	for (enum ptd_view_list_id l = 0; l < PTD_VIEW_NLISTS; l++)
		ptd_view_set_array(&t->view, l, tb_alloc(TB_CAP, ptd_view_list(&t->view, l).size),
				   TB_CAP);
	t->next_id = 1;
	be->view(t->self, &t->view);
}

void tb_fini(struct tb *t)
{
	t->be->destroy(t->self);
	free(t->view.slots);
	for (enum ptd_view_list_id l = 0; l < PTD_VIEW_NLISTS; l++)
		free(ptd_view_list(&t->view, l).items);
}

ptd_id_t tb_fresh_id(struct tb *t)
{
	return t->next_id++;
}

struct ptd_result tb_apply(struct tb *t, struct ptd_op op)
{
	struct ptd_result res;
	memset(&res, 0, sizeof res);
	t->be->apply(t->self, &op, &res);
	ptd_view_clear_lists(&t->view);
	t->view.overflow = 0;
	t->be->view(t->self, &t->view);
	if (t->view.overflow) {
		fprintf(stderr, "tests: view overflow\n");
		abort();
	}
	return res;
}

struct ptd_result tb_new_vs(struct tb *t)
{
	return tb_apply(t,
			(struct ptd_op){ .kind = PTD_OP_NEW_VM_SPACE, .new_id = tb_fresh_id(t) });
}

struct ptd_result tb_open(struct tb *t, ptd_id_t vs, uint64_t start, uint64_t end, int mut)
{
	return tb_apply(t,
			(struct ptd_op){ .kind = mut ? PTD_OP_OPEN_CURSOR_MUT : PTD_OP_OPEN_CURSOR,
					 .vs = vs,
					 .va = start,
					 .end = end,
					 .new_id = tb_fresh_id(t) });
}

struct ptd_result tb_frame(struct tb *t, uint64_t paddr)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_FRAME_FROM_UNUSED,
					    .paddr = paddr,
					    .new_id = tb_fresh_id(t) });
}

struct ptd_result tb_drop_vs(struct tb *t, ptd_id_t vs)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_DROP_VM_SPACE, .vs = vs });
}

struct ptd_result tb_drop_cursor(struct tb *t, ptd_id_t c)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_DROP_CURSOR, .cursor = c });
}

struct ptd_result tb_query(struct tb *t, ptd_id_t c)
{
	return tb_apply(
		t, (struct ptd_op){ .kind = PTD_OP_QUERY, .cursor = c, .new_id = tb_fresh_id(t) });
}

struct ptd_result tb_find_next(struct tb *t, ptd_id_t c, uint64_t len)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_FIND_NEXT, .cursor = c, .len = len });
}

struct ptd_result tb_jump(struct tb *t, ptd_id_t c, uint64_t va)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_JUMP, .cursor = c, .va = va });
}

struct ptd_result tb_virt_addr(struct tb *t, ptd_id_t c)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_VIRT_ADDR, .cursor = c });
}

struct ptd_result tb_map(struct tb *t, ptd_id_t c, ptd_id_t frame, struct ptd_prop prop)
{
	return tb_apply(t, (struct ptd_op){
				   .kind = PTD_OP_MAP, .cursor = c, .frame = frame, .prop = prop });
}

struct ptd_result tb_map_iomem(struct tb *t, ptd_id_t c, uint64_t paddr, struct ptd_prop prop)
{
	return tb_apply(
		t, (struct ptd_op){
			   .kind = PTD_OP_MAP_IOMEM, .cursor = c, .paddr = paddr, .prop = prop });
}

struct ptd_result tb_unmap(struct tb *t, ptd_id_t c, uint64_t len)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_UNMAP, .cursor = c, .len = len });
}

struct ptd_result tb_take_next(struct tb *t, ptd_id_t c, uint64_t len)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_TAKE_NEXT, .cursor = c, .len = len });
}

struct ptd_result tb_protect(struct tb *t, ptd_id_t c, uint64_t len, struct ptd_prop_change change)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_PROTECT_NEXT,
					    .cursor = c,
					    .len = len,
					    .change = change });
}

struct ptd_result tb_from_in_use(struct tb *t, uint64_t paddr)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_FRAME_FROM_IN_USE,
					    .paddr = paddr,
					    .new_id = tb_fresh_id(t) });
}

struct ptd_result tb_frame_drop(struct tb *t, ptd_id_t frame)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_FRAME_DROP, .frame = frame });
}

struct ptd_result tb_segment(struct tb *t, uint64_t paddr, uint64_t len)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_SEGMENT_FROM_UNUSED,
					    .paddr = paddr,
					    .len = len,
					    .new_id = tb_fresh_id(t) });
}

struct ptd_result tb_segment_drop(struct tb *t, ptd_id_t seg)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_SEGMENT_DROP, .segment = seg });
}

struct ptd_result tb_segment_split(struct tb *t, ptd_id_t seg, uint64_t offset)
{
	ptd_id_t left = tb_fresh_id(t);
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_SEGMENT_SPLIT,
					    .segment = seg,
					    .len = offset,
					    .new_id = left,
					    .new_id2 = tb_fresh_id(t) });
}

struct ptd_result tb_segment_next(struct tb *t, ptd_id_t seg)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_SEGMENT_NEXT,
					    .segment = seg,
					    .new_id = tb_fresh_id(t) });
}

struct ptd_result tb_segment_clone(struct tb *t, ptd_id_t seg)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_SEGMENT_CLONE,
					    .segment = seg,
					    .new_id = tb_fresh_id(t) });
}

struct ptd_result tb_segment_slice(struct tb *t, ptd_id_t seg, uint64_t paddr, uint64_t len)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_SEGMENT_SLICE,
					    .segment = seg,
					    .paddr = paddr,
					    .len = len,
					    .new_id = tb_fresh_id(t) });
}

struct ptd_result tb_unique(struct tb *t, uint64_t paddr)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_UNIQUE_FROM_UNUSED,
					    .paddr = paddr,
					    .new_id = tb_fresh_id(t) });
}

struct ptd_result tb_unique_drop(struct tb *t, ptd_id_t unique)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_UNIQUE_DROP, .unique = unique });
}

struct ptd_result tb_from_unique(struct tb *t, ptd_id_t unique)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_FROM_UNIQUE,
					    .unique = unique,
					    .new_id = tb_fresh_id(t) });
}

struct ptd_result tb_try_from_shared(struct tb *t, ptd_id_t frame)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_TRY_FROM_SHARED,
					    .frame = frame,
					    .new_id = tb_fresh_id(t) });
}

const struct ptd_segment_view *tb_segment_view(const struct tb *t, ptd_id_t id)
{
	for (size_t i = 0; i < t->view.nsegments; i++)
		if (t->view.segments[i].id == id)
			return &t->view.segments[i];
	return NULL;
}

const struct ptd_unique_view *tb_unique_view(const struct tb *t, ptd_id_t id)
{
	for (size_t i = 0; i < t->view.nuniques; i++)
		if (t->view.uniques[i].id == id)
			return &t->view.uniques[i];
	return NULL;
}

struct ptd_result tb_new_io(struct tb *t, ptd_id_t vs, uint64_t va, uint64_t len, int writer)
{
	return tb_apply(t, (struct ptd_op){ .kind = writer ? PTD_OP_NEW_WRITER : PTD_OP_NEW_READER,
					    .vs = vs,
					    .va = va,
					    .len = len,
					    .new_id = tb_fresh_id(t) });
}

struct ptd_result tb_io(struct tb *t, enum ptd_op_kind kind, ptd_id_t io, uint64_t len,
			uint64_t seed)
{
	return tb_apply(t, (struct ptd_op){ .kind = kind, .io = io, .len = len, .seed = seed });
}

struct ptd_result tb_new_kernel_io(struct tb *t, uint64_t offset, uint64_t len, int writer)
{
	return tb_apply(t, (struct ptd_op){ .kind = writer ? PTD_OP_NEW_KERNEL_WRITER
							   : PTD_OP_NEW_KERNEL_READER,
					    .va = offset,
					    .len = len,
					    .new_id = tb_fresh_id(t) });
}

struct ptd_result tb_io_copy(struct tb *t, ptd_id_t reader, ptd_id_t writer, uint64_t len)
{
	return tb_apply(
		t,
		(struct ptd_op){ .kind = PTD_OP_IO_COPY, .io = reader, .io2 = writer, .len = len });
}

const struct ptd_io_view *tb_io_view(const struct tb *t, ptd_id_t id)
{
	for (size_t i = 0; i < t->view.nios; i++)
		if (t->view.ios[i].id == id)
			return &t->view.ios[i];
	return NULL;
}

int tb_content(const struct tb *t, uint64_t slot, uint64_t *hash)
{
	for (size_t i = 0; i < t->view.ncontents; i++)
		if (t->view.contents[i].slot == slot) {
			*hash = t->view.contents[i].hash;
			return 1;
		}
	return 0;
}

uint64_t tb_contents_hash(const uint8_t *bytes, size_t n)
{
	return XXH3_64bits(bytes, n);
}

uint64_t tb_kernel_hash(const uint8_t *kernel)
{
	uint64_t pages[(PTD_KERNEL_BYTES + PTD_PAGE_SIZE - 1) / PTD_PAGE_SIZE];

	for (size_t p = 0, k = 0; k < PTD_KERNEL_BYTES; p++, k += PTD_PAGE_SIZE)
		pages[p] = tb_contents_hash(kernel + k, PTD_KERNEL_BYTES - k < PTD_PAGE_SIZE
								? PTD_KERNEL_BYTES - k
								: PTD_PAGE_SIZE);
	return tb_contents_hash((const uint8_t *)pages, sizeof pages);
}

uint64_t tb_moved_hash(const uint8_t *bytes, size_t n)
{
	return XXH3_64bits(bytes, n);
}

const struct ptd_slot_view *tb_slot(const struct tb *t, uint64_t idx)
{
	return &t->view.slots[idx];
}

size_t tb_paths(const struct tb *t, uint64_t idx)
{
	size_t n = 0;
	for (size_t i = 0; i < t->view.npaths; i++)
		n += t->view.paths[i].slot == idx;
	return n;
}

int tb_has_path(const struct tb *t, uint64_t idx, ptd_id_t vs, uint32_t depth, uint64_t va)
{
	for (size_t i = 0; i < t->view.npaths; i++) {
		const struct ptd_path_view *p = &t->view.paths[i];
		if (p->slot == idx && p->pos.vs == vs && p->pos.depth == depth && p->pos.va == va)
			return 1;
	}
	return 0;
}

const struct ptd_mapping_view *tb_mapping(const struct tb *t, ptd_id_t vs, uint64_t va)
{
	for (size_t i = 0; i < t->view.nmaps; i++)
		if (t->view.maps[i].vs == vs && t->view.maps[i].va == va)
			return &t->view.maps[i];
	return NULL;
}

const struct ptd_cursor_view *tb_cursor(const struct tb *t, ptd_id_t id)
{
	for (size_t i = 0; i < t->view.ncursors; i++)
		if (t->view.cursors[i].id == id)
			return &t->view.cursors[i];
	return NULL;
}

size_t tb_live_nodes(const struct tb *t)
{
	size_t n = 0;
	for (uint64_t i = TB_POOL_START; i < TB_NFRAMES; i++)
		n += t->view.slots[i].rc != PTD_RC_UNUSED &&
		     t->view.slots[i].usage == PTD_USAGE_PAGE_TABLE;
	return n;
}

size_t tb_free_pool_slots(const struct tb *t)
{
	size_t n = 0;
	for (uint64_t i = TB_POOL_START; i < TB_NFRAMES; i++)
		n += t->view.slots[i].rc == PTD_RC_UNUSED;
	return n;
}

void tb_refresh(struct tb *t)
{
	t->view.npaths = t->view.nmaps = t->view.nvmspaces = 0;
	t->view.ncursors = t->view.nframes = t->view.nsegments = t->view.nuniques = 0;
	t->view.nios = t->view.ncontents = 0;
	t->view.overflow = 0;
	t->be->view(t->self, &t->view);
}

int tb_has_frame(const struct tb *t, ptd_id_t id, uint64_t paddr)
{
	for (size_t i = 0; i < t->view.nframes; i++)
		if (t->view.frames[i].id == id)
			return t->view.frames[i].paddr == paddr;
	return 0;
}

int tb_has_vs(const struct tb *t, ptd_id_t id)
{
	for (size_t i = 0; i < t->view.nvmspaces; i++)
		if (t->view.vmspaces[i] == id)
			return 1;
	return 0;
}

int tb_has_segment(const struct tb *t, ptd_id_t id, uint64_t start, uint64_t end)
{
	const struct ptd_segment_view *v = tb_segment_view(t, id);
	return v && v->start == start && v->end == end;
}

int tb_has_unique(const struct tb *t, ptd_id_t id, uint64_t paddr)
{
	const struct ptd_unique_view *v = tb_unique_view(t, id);
	return v && v->paddr == paddr;
}

int tb_result_rest_zero(struct ptd_result r)
{
	return !r.found && !r.tracked && !r.new_id && !r.new_id2 && !r.paddr && !r.va &&
	       !r.va_end && !r.value && !r.prop.flags && !r.prop.cache;
}

int tb_accounting_violations(const struct tb *t)
{
	int bad = 0;
	for (uint64_t i = 0; i < TB_NFRAMES; i++) {
		const struct ptd_slot_view *s = tb_slot(t, i);
		const uint64_t pa = i * PTD_PAGE_SIZE;
		uint64_t h = 0, p = tb_paths(t, i), c = 0, u = 0;
		int ok;
		for (size_t k = 0; k < t->view.nframes; k++)
			h += t->view.frames[k].paddr == pa;
		for (size_t k = 0; k < t->view.nsegments; k++)
			c += t->view.segments[k].start <= pa && pa < t->view.segments[k].end;
		for (size_t k = 0; k < t->view.nuniques; k++)
			u += t->view.uniques[k].paddr == pa;
		if (s->rc == PTD_RC_UNUSED)
			ok = !h && !p && !c && !u;
		else if (s->rc == PTD_RC_UNIQUE)
			ok = u == 1 && !h && !p && !c && s->usage == PTD_USAGE_FRAME &&
			     s->in_list == 0 && s->storage_init;
		else if (s->usage == PTD_USAGE_FRAME)
			ok = !u && s->rc == h + p + c && h + p + c > 0 && s->storage_init;
		else
			ok = !u && !h && !c;
		if (!ok) {
			fprintf(stderr,
				"  slot %" PRIu64 ": rc=%" PRIu64 " usage=%u H=%" PRIu64
				" P=%" PRIu64 " C=%" PRIu64 " U=%" PRIu64 "\n",
				i, s->rc, (unsigned)s->usage, h, p, c, u);
			bad++;
		}
	}
	return bad;
}

static void *tb_dup(const void *p, size_t n, size_t size)
{
	void *q = tb_alloc(n ? n : 1, size);
	if (n)
		memcpy(q, p, n * size);
	return q;
}

struct tb_snap tb_snap_take(const struct tb *t)
{
	struct tb_snap s = { .v = t->view };
	s.v.slots = tb_dup(t->view.slots, TB_NFRAMES, sizeof *s.v.slots);
	s.v.paths = tb_dup(t->view.paths, t->view.npaths, sizeof *s.v.paths);
	s.v.maps = tb_dup(t->view.maps, t->view.nmaps, sizeof *s.v.maps);
	s.v.vmspaces = tb_dup(t->view.vmspaces, t->view.nvmspaces, sizeof *s.v.vmspaces);
	s.v.cursors = tb_dup(t->view.cursors, t->view.ncursors, sizeof *s.v.cursors);
	s.v.frames = tb_dup(t->view.frames, t->view.nframes, sizeof *s.v.frames);
	s.v.segments = tb_dup(t->view.segments, t->view.nsegments, sizeof *s.v.segments);
	s.v.uniques = tb_dup(t->view.uniques, t->view.nuniques, sizeof *s.v.uniques);
	s.v.ios = tb_dup(t->view.ios, t->view.nios, sizeof *s.v.ios);
	s.v.contents = tb_dup(t->view.contents, t->view.ncontents, sizeof *s.v.contents);
	return s;
}

void tb_snap_free(struct tb_snap *s)
{
	free(s->v.slots);
	free(s->v.paths);
	free(s->v.maps);
	free(s->v.vmspaces);
	free(s->v.cursors);
	free(s->v.frames);
	free(s->v.segments);
	free(s->v.uniques);
	free(s->v.ios);
	free(s->v.contents);
}

/* Lists compare as bytes: the view's structs have no padding and their reserved members are
 * zero (view.h). */
#define TB_SAME_LIST(a, b, list, n) \
	((a)->n == (b)->n &&        \
	 (!(a)->n || memcmp((a)->list, (b)->list, (a)->n * sizeof *(a)->list) == 0))

static int tb_same_but_io(const struct ptd_view *a, const struct ptd_view *b)
{
	return a->kernel_hash == b->kernel_hash &&
	       memcmp(a->slots, b->slots, TB_NFRAMES * sizeof *a->slots) == 0 &&
	       TB_SAME_LIST(a, b, paths, npaths) && TB_SAME_LIST(a, b, maps, nmaps) &&
	       TB_SAME_LIST(a, b, vmspaces, nvmspaces) && TB_SAME_LIST(a, b, cursors, ncursors) &&
	       TB_SAME_LIST(a, b, frames, nframes) && TB_SAME_LIST(a, b, segments, nsegments) &&
	       TB_SAME_LIST(a, b, uniques, nuniques);
}

int tb_snap_same_but_io(const struct tb *t, const struct tb_snap *s)
{
	return tb_same_but_io(&t->view, &s->v);
}

int tb_snap_same(const struct tb *t, const struct tb_snap *s)
{
	return tb_same_but_io(&t->view, &s->v) && TB_SAME_LIST(&t->view, &s->v, ios, nios) &&
	       TB_SAME_LIST(&t->view, &s->v, contents, ncontents);
}
