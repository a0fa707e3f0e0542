/* SPDX-License-Identifier: MIT */
#include "backend_util.h"

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
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_NEW_VM_SPACE, .new_id = tb_fresh_id(t) });
}

struct ptd_result tb_open(struct tb *t, ptd_id_t vs, uint64_t start, uint64_t end, int mut)
{
	return tb_apply(t, (struct ptd_op){ .kind = mut ? PTD_OP_OPEN_CURSOR_MUT : PTD_OP_OPEN_CURSOR,
					    .vs = vs, .va = start, .end = end,
					    .new_id = tb_fresh_id(t) });
}

struct ptd_result tb_frame(struct tb *t, uint64_t paddr)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_FRAME_FROM_UNUSED, .paddr = paddr,
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
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_QUERY, .cursor = c,
					    .new_id = tb_fresh_id(t) });
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
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_MAP, .cursor = c, .frame = frame,
					    .prop = prop });
}

struct ptd_result tb_map_iomem(struct tb *t, ptd_id_t c, uint64_t paddr, struct ptd_prop prop)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_MAP_IOMEM, .cursor = c,
					    .paddr = paddr, .prop = prop });
}

struct ptd_result tb_unmap(struct tb *t, ptd_id_t c, uint64_t len)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_UNMAP, .cursor = c, .len = len });
}

struct ptd_result tb_protect(struct tb *t, ptd_id_t c, uint64_t len,
			     struct ptd_prop_change change)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_PROTECT_NEXT, .cursor = c,
					    .len = len, .change = change });
}

struct ptd_result tb_from_in_use(struct tb *t, uint64_t paddr)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_FRAME_FROM_IN_USE, .paddr = paddr,
					    .new_id = tb_fresh_id(t) });
}

struct ptd_result tb_frame_drop(struct tb *t, ptd_id_t frame)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_FRAME_DROP, .frame = frame });
}

struct ptd_result tb_segment(struct tb *t, uint64_t paddr, uint64_t len)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_SEGMENT_FROM_UNUSED, .paddr = paddr,
					    .len = len, .new_id = tb_fresh_id(t) });
}

struct ptd_result tb_segment_drop(struct tb *t, ptd_id_t seg)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_SEGMENT_DROP, .segment = seg });
}

struct ptd_result tb_segment_split(struct tb *t, ptd_id_t seg, uint64_t offset)
{
	ptd_id_t left = tb_fresh_id(t);
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_SEGMENT_SPLIT, .segment = seg,
					    .len = offset, .new_id = left,
					    .new_id2 = tb_fresh_id(t) });
}

struct ptd_result tb_segment_next(struct tb *t, ptd_id_t seg)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_SEGMENT_NEXT, .segment = seg,
					    .new_id = tb_fresh_id(t) });
}

struct ptd_result tb_segment_clone(struct tb *t, ptd_id_t seg)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_SEGMENT_CLONE, .segment = seg,
					    .new_id = tb_fresh_id(t) });
}

struct ptd_result tb_segment_slice(struct tb *t, ptd_id_t seg, uint64_t paddr, uint64_t len)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_SEGMENT_SLICE, .segment = seg,
					    .paddr = paddr, .len = len,
					    .new_id = tb_fresh_id(t) });
}

struct ptd_result tb_unique(struct tb *t, uint64_t paddr)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_UNIQUE_FROM_UNUSED, .paddr = paddr,
					    .new_id = tb_fresh_id(t) });
}

struct ptd_result tb_unique_drop(struct tb *t, ptd_id_t unique)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_UNIQUE_DROP, .unique = unique });
}

struct ptd_result tb_from_unique(struct tb *t, ptd_id_t unique)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_FROM_UNIQUE, .unique = unique,
					    .new_id = tb_fresh_id(t) });
}

struct ptd_result tb_try_from_shared(struct tb *t, ptd_id_t frame)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_TRY_FROM_SHARED, .frame = frame,
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
					    .vs = vs, .va = va, .len = len,
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
					    .va = offset, .len = len, .new_id = tb_fresh_id(t) });
}

struct ptd_result tb_io_copy(struct tb *t, ptd_id_t reader, ptd_id_t writer, uint64_t len)
{
	return tb_apply(t, (struct ptd_op){ .kind = PTD_OP_IO_COPY, .io = reader, .io2 = writer,
					    .len = len });
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

uint64_t tb_fnv1a(const uint8_t *bytes, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ bytes[i]) * 0x100000001b3ull;
	return h;
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
