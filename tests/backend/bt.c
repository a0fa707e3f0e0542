/* SPDX-License-Identifier: MIT */
/* The side under test, its shorthands and the expected-bytes model (bt.h). */
#include "bt.h"

#include <stdio.h>
#include <string.h>

const struct bt_side *bt_side;
uint8_t bt_frames[TB_NFRAMES][PTD_PAGE_SIZE];
uint8_t bt_kernel[PTD_KERNEL_BYTES];

int bt_main(const struct ptd_test *tests, size_t n, int argc, char **argv)
{
	static const struct bt_side *const sides[] = { &bt_side_core, &bt_side_oracle };

	for (size_t i = 0; argc > 1 && i < sizeof sides / sizeof sides[0]; i++)
		if (strcmp(argv[1], sides[i]->name) == 0)
			bt_side = sides[i];
	if (!bt_side) {
		fprintf(stderr, "usage: %s core|oracle [TEST...]\n", argv[0]);
		return 2;
	}
	printf("backend %s\n", bt_side->name);
	/* argv[1] takes the place of the program name: the rest are test names. */
	return ptd_test_main(tests, n, argc - 1, argv + 1);
}

void bt_poke(struct tb *t, uint64_t idx, uint64_t rc, uint8_t usage)
{
	bt_side->poke_slot(t->self, idx, rc, usage);
	tb_refresh(t);
}

ptd_id_t bt_frame(struct tb *t, uint64_t idx)
{
	struct ptd_result r = tb_frame(t, idx * PTD_PAGE_SIZE);
	CHECK_EQ(r.status, PTD_OK);
	return r.new_id;
}

ptd_id_t bt_new_io(struct tb *t, ptd_id_t vs, uint64_t va, uint64_t len, int writer)
{
	struct ptd_result r = tb_new_io(t, vs, va, len, writer);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(r.new_id != 0);
	return r.new_id;
}

ptd_id_t bt_new_kio(struct tb *t, uint64_t offset, uint64_t len, int writer)
{
	struct ptd_result r = tb_new_kernel_io(t, offset, len, writer);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(r.new_id != 0);
	return r.new_id;
}

void bt_map_slot(struct tb *t, ptd_id_t c, uint64_t va, uint64_t idx, struct ptd_prop prop)
{
	ptd_id_t f = bt_frame(t, idx);
	CHECK_EQ(tb_jump(t, c, va).status, PTD_OK);
	CHECK_EQ(tb_map(t, c, f, prop).status, PTD_OK);
}

static ptd_id_t open_on_new_vs(struct tb *t, ptd_id_t *vs, uint64_t start, uint64_t end, int mut)
{
	struct ptd_result r = tb_new_vs(t);
	CHECK_EQ(r.status, PTD_OK);
	*vs = r.new_id;
	r = tb_open(t, *vs, start, end, mut);
	CHECK_EQ(r.status, PTD_OK);
	return r.new_id;
}

ptd_id_t bt_open_new(struct tb *t, ptd_id_t *vs, uint64_t start, uint64_t end)
{
	return open_on_new_vs(t, vs, start, end, 1);
}

ptd_id_t bt_start(struct tb *t, ptd_id_t *vs, uint64_t start, uint64_t end, int mut)
{
	bt_init(t);
	return open_on_new_vs(t, vs, start, end, mut);
}

ptd_id_t bt_open_mapped(struct tb *t, ptd_id_t *vs, uint64_t start, uint64_t end, uint64_t va,
			uint64_t idx, struct ptd_prop prop)
{
	ptd_id_t c = bt_start(t, vs, start, end, 1);

	bt_map_slot(t, c, va, idx, prop);
	return c;
}

struct tb *bt_env_init(struct bt_env *e)
{
	bt_model_reset();
	e->c = bt_start(&e->t, &e->vs, 0, 64 * KIB, 1);
	CHECK_EQ(e->vs, 1);
	CHECK_EQ(e->c, 2);
	return &e->t;
}

void bt_check_empty(const struct tb *t)
{
	for (uint64_t i = 0; i < TB_NFRAMES; i++)
		CHECK_SLOT_FREE(t, i, PTD_USAGE_UNUSED);
	CHECK_EQ(t->view.npaths, 0);
	CHECK_EQ(t->view.nmaps, 0);
	CHECK_EQ(t->view.nvmspaces, 0);
	CHECK_EQ(t->view.ncursors, 0);
	CHECK_EQ(t->view.nframes, 0);
	CHECK_EQ(t->view.nsegments + t->view.nuniques + t->view.nios + t->view.ncontents, 0);
}

uint64_t bt_node_entries(const struct tb *t, uint64_t idx)
{
	/* The span of a node at depth 0..3: 256 TiB, 512 GiB, 1 GiB, 2 MiB. */
	static const uint64_t span[PTD_LEAF_DEPTH] = { 512 * 512 * GIB, 512 * GIB, GIB, 2 * MIB };
	const struct ptd_pos *node = NULL;
	uint64_t n = 0;

	for (size_t i = 0; i < t->view.npaths; i++)
		if (t->view.paths[i].slot == idx)
			node = &t->view.paths[i].pos;
	CHECK(node != NULL && node->depth < PTD_LEAF_DEPTH && tb_paths(t, idx) == 1);
	if (!node || node->depth >= PTD_LEAF_DEPTH)
		return UINT64_MAX;
	if (node->depth == PTD_LEAF_DEPTH - 1) {
		for (size_t i = 0; i < t->view.nmaps; i++) {
			const struct ptd_mapping_view *m = &t->view.maps[i];
			n += m->vs == node->vs && m->va - node->va < span[node->depth];
		}
		return n;
	}
	for (size_t i = 0; i < t->view.npaths; i++) {
		const struct ptd_pos *p = &t->view.paths[i].pos;
		n += p->vs == node->vs && p->depth == node->depth + 1 &&
		     p->va - node->va < span[node->depth];
	}
	return n;
}

int bt_slots_same(const struct tb *t, const struct tb_snap *s)
{
	return memcmp(t->view.slots, s->v.slots, TB_NFRAMES * sizeof *t->view.slots) == 0 &&
	       t->view.npaths == s->v.npaths &&
	       memcmp(t->view.paths, s->v.paths, t->view.npaths * sizeof *t->view.paths) == 0;
}

void bt_model_reset(void)
{
	memset(bt_frames, 0, sizeof bt_frames);
	for (uint64_t k = 0; k < PTD_KERNEL_BYTES; k++)
		bt_kernel[k] = ptd_kernel_byte(k);
}

void bt_model_write(uint64_t slot, uint64_t off, uint64_t n, uint64_t seed, uint64_t k0)
{
	for (uint64_t j = 0; j < n; j++)
		bt_frames[slot][off + j] = ptd_io_byte(seed, k0 + j);
}

static int model_zero(uint64_t slot)
{
	for (uint64_t i = 0; i < PTD_PAGE_SIZE; i++)
		if (bt_frames[slot][i])
			return 0;
	return 1;
}

int bt_contents_match(const struct tb *t)
{
	size_t want = 0;
	for (uint64_t s = 0; s < TB_NFRAMES; s++) {
		uint64_t h = 0;
		int listed = tb_content(t, s, &h);
		if (model_zero(s)) {
			if (listed)
				return 0;
			continue;
		}
		want++;
		if (!listed || h != tb_contents_hash(bt_frames[s], PTD_PAGE_SIZE))
			return 0;
	}
	return t->view.ncontents == want;
}

int bt_kernel_match(const struct tb *t)
{
	return t->view.kernel_hash == tb_kernel_hash(bt_kernel);
}

uint64_t bt_moved_hash_seq(uint64_t seed, uint64_t k0, size_t n)
{
	uint8_t buf[8192];
	CHECK(n <= sizeof buf);
	if (n > sizeof buf)
		n = sizeof buf;
	for (size_t i = 0; i < n; i++)
		buf[i] = ptd_io_byte(seed, k0 + i);
	return tb_moved_hash(buf, n);
}
