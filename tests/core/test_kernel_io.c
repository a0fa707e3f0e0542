/* SPDX-License-Identifier: MIT */
/*
 * Kernel memory, NewKernelReader / NewKernelWriter and IoCopy (POLICY "Readers and writers":
 * "Kernel memory" and "IoCopy"; contract docs/CONTRACTS.md#io from_kernel_space and `Read`),
 * against hand-computed expectations on the test machine (64 frames, pool = frames 32..63).
 * Expected kernel memory and frame bytes are kept in model buffers; expected hashes are
 * tb_contents_hash() over them for the view, tb_fnv1a() over the moved bytes for results.
 */
#include "core_tb.h"

#define KB PTD_KERNEL_BYTES
#define FNV_EMPTY 0xcbf29ce484222325ull

#define RW prop_of(PTD_PF_W, PTD_CACHE_WB)
#define RO prop_of(0, PTD_CACHE_WB)

/* What kernel memory and each frame should hold; set by kio_init(). */
static uint8_t kmodel[KB];
static uint8_t fmodel[TB_NFRAMES][PG];

/* A fresh machine with the model initial, one space and a mutable cursor over [0, 64 KiB). */
static ptd_id_t kio_init(struct tb *t, ptd_id_t *vs)
{
	for (uint64_t i = 0; i < KB; i++) {
		kmodel[i] = ptd_kernel_byte(i);
	}
	memset(fmodel, 0, sizeof fmodel);
	tb_init(t, &ptd_core_backend);
	return open_new(t, vs, 0, 64 * KIB);
}

static void map_at(struct tb *t, ptd_id_t c, uint64_t va, uint64_t paddr, struct ptd_prop prop)
{
	CHECK_EQ(tb_jump(t, c, va).status, PTD_OK);
	CHECK_EQ(map_new(t, c, paddr, prop).status, PTD_OK);
}

static int io_is(const struct tb *t, ptd_id_t id, ptd_id_t vs, uint32_t kind, uint64_t start,
		 uint64_t cursor, uint64_t end)
{
	const struct ptd_io_view *v = tb_io_view(t, id);

	return v && v->vs == vs && v->kind == kind && v->start == start && v->cursor == cursor &&
	       v->end == end;
}

static int io_result(struct ptd_result r, enum ptd_status st, uint64_t count, uint64_t hash)
{
	r.count -= count;
	r.hash -= hash;
	return only_status(r, st);
}

static int kernel_matches(const struct tb *t)
{
	return t->view.kernel_hash == tb_contents_hash(kmodel, KB);
}

static int frame_matches(const struct tb *t, uint64_t slot)
{
	uint64_t h = 0;

	return tb_content(t, slot, &h) && h == tb_contents_hash(fmodel[slot], PG);
}

static int listed(const struct tb *t, uint64_t slot)
{
	uint64_t h;

	return tb_content(t, slot, &h);
}

/* The initial kernel_hash, and the model agrees with it. */
TEST(initial_kernel_hash)
{
	struct tb t;
	ptd_id_t vs;

	(void)kio_init(&t, &vs);
	CHECK(kernel_matches(&t));
	CHECK(t.view.kernel_hash != tb_contents_hash(kmodel, 0)); /* of the bytes, not of nothing */
	tb_fini(&t);
}

/* Step 1: offset + len <= PTD_KERNEL_BYTES, without overflow; step 2 registers vs 0. */
TEST(new_kernel_io_ranges)
{
	struct tb t;
	ptd_id_t vs, id;
	struct ptd_result r;
	static struct view_snap before;
	uint64_t kh;

	(void)kio_init(&t, &vs);
	view_snap_take(&t, &before);
	kh = t.view.kernel_hash;
	for (int w = 0; w < 2; w++) {
		CHECK(only_status(tb_new_kernel_io(&t, 0, KB + 1, w), PTD_ERR_BAD_RANGE));
		CHECK(only_status(tb_new_kernel_io(&t, 1, KB, w), PTD_ERR_BAD_RANGE));
		CHECK(only_status(tb_new_kernel_io(&t, KB - 10, 11, w), PTD_ERR_BAD_RANGE));
		CHECK(only_status(tb_new_kernel_io(&t, KB + 1, 0, w), PTD_ERR_BAD_RANGE));
		CHECK(only_status(tb_new_kernel_io(&t, 16, UINT64_MAX, w), PTD_ERR_BAD_RANGE));
		CHECK(only_status(tb_new_kernel_io(&t, UINT64_MAX, 2, w), PTD_ERR_BAD_RANGE));
	}
	CHECK(view_snap_same(&t, &before));
	CHECK_EQ(t.view.kernel_hash, kh);
	/* The exact fits. */
	id = t.next_id;
	r = tb_new_kernel_io(&t, 0, KB, 0);
	CHECK_EQ(r.new_id, id);
	r.new_id = 0;
	CHECK(only_status(r, PTD_OK));
	CHECK(io_is(&t, id, 0, PTD_IO_READER, 0, 0, KB));
	r = tb_new_kernel_io(&t, KB - 10, 10, 1);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(io_is(&t, r.new_id, 0, PTD_IO_WRITER, KB - 10, KB - 10, KB));
	r = tb_new_kernel_io(&t, KB, 0, 1);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(io_is(&t, r.new_id, 0, PTD_IO_WRITER, KB, KB, KB));
	CHECK_EQ(t.view.nios, 3);
	CHECK_EQ(t.view.kernel_hash, kh);
	tb_fini(&t);
}

/* IoRead / IoWrite / IoFillZeros / IoSkip / IoLimit / IoDrop on kernel handles; kernel handles
 * do not keep a space busy. */
TEST(kernel_read_write_skip_limit_drop)
{
	struct tb t;
	ptd_id_t vs, c, rd, wr;

	c = kio_init(&t, &vs);
	/* Read 0x1800 bytes across a kernel page boundary. */
	rd = tb_new_kernel_io(&t, 0xf00, 0x2000, 0).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_READ, rd, 0x1800, 0), PTD_OK, 0x1800,
			tb_fnv1a(kmodel + 0xf00, 0x1800)));
	CHECK(io_is(&t, rd, 0, PTD_IO_READER, 0xf00, 0x2700, 0x2f00));
	/* Capped at the end. */
	CHECK(io_result(tb_io(&t, PTD_OP_IO_READ, rd, UINT64_MAX, 0), PTD_OK, 0x800,
			tb_fnv1a(kmodel + 0x2700, 0x800)));
	/* Write with a seed: byte k of the range is ptd_io_byte(seed, k). */
	wr = tb_new_kernel_io(&t, 0x1ff0, 0x40, 1).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, 0x20, 77), PTD_OK, 0x20, 0));
	for (uint64_t j = 0; j < 0x20; j++) {
		kmodel[0x1ff0 + j] = ptd_io_byte(77, j);
	}
	CHECK(kernel_matches(&t));
	CHECK(t.view.ncontents == 0); /* no frame changed */
	/* Skip 8, limit to 4, fill zeros (capped at 4). */
	CHECK(only_status(tb_io(&t, PTD_OP_IO_SKIP, wr, 8, 0), PTD_OK));
	CHECK(only_status(tb_io(&t, PTD_OP_IO_SKIP, wr, 0x19, 0), PTD_ERR_WOULD_PANIC));
	CHECK(only_status(tb_io(&t, PTD_OP_IO_LIMIT, wr, 4, 0), PTD_OK));
	CHECK(io_is(&t, wr, 0, PTD_IO_WRITER, 0x1ff0, 0x2018, 0x201c));
	CHECK(io_result(tb_io(&t, PTD_OP_IO_FILL_ZEROS, wr, 100, 0), PTD_OK, 4, 0));
	memset(kmodel + 0x2018, 0, 4);
	CHECK(kernel_matches(&t));
	/* A kernel handle does not keep the space busy. */
	CHECK_EQ(tb_drop_cursor(&t, c).status, PTD_OK);
	CHECK(only_status(tb_drop_vs(&t, vs), PTD_OK));
	CHECK(io_is(&t, wr, 0, PTD_IO_WRITER, 0x1ff0, 0x201c, 0x201c));
	CHECK(only_status(tb_io(&t, PTD_OP_IO_DROP, wr, 0, 0), PTD_OK));
	CHECK(only_status(tb_io(&t, PTD_OP_IO_DROP, rd, 0, 0), PTD_OK));
	CHECK_EQ(t.view.nios, 0);
	CHECK(kernel_matches(&t));
	tb_fini(&t);
}

/* Kernel reader -> user writer: the bytes land in the frames (across two of them). */
TEST(copy_kernel_to_user)
{
	struct tb t;
	ptd_id_t vs, c, rd, wr;
	uint64_t kh;

	c = kio_init(&t, &vs);
	map_at(&t, c, 0x1000, 5 * PG, RW);
	map_at(&t, c, 0x2000, 6 * PG, RW);
	kh = t.view.kernel_hash;
	rd = tb_new_kernel_io(&t, 0x123, 0x2000, 0).new_id;
	wr = tb_new_io(&t, vs, 0x1800, 0x1000, 1).new_id;
	CHECK(io_result(tb_io_copy(&t, rd, wr, 0x1000), PTD_OK, 0x1000,
			tb_fnv1a(kmodel + 0x123, 0x1000)));
	memcpy(&fmodel[5][0x800], kmodel + 0x123, 0x800);
	memcpy(&fmodel[6][0], kmodel + 0x123 + 0x800, 0x800);
	CHECK(frame_matches(&t, 5));
	CHECK(frame_matches(&t, 6));
	CHECK_EQ(t.view.ncontents, 2);
	CHECK(io_is(&t, rd, 0, PTD_IO_READER, 0x123, 0x1123, 0x2123));
	CHECK(io_is(&t, wr, vs, PTD_IO_WRITER, 0x1800, 0x2800, 0x2800));
	CHECK_EQ(t.view.kernel_hash, kh); /* reading kernel memory changes nothing */
	tb_fini(&t);
}

/* User reader -> kernel writer: kernel_hash changes as computed by hand. */
TEST(copy_user_to_kernel)
{
	struct tb t;
	ptd_id_t vs, c, uw, rd, kw;

	c = kio_init(&t, &vs);
	map_at(&t, c, 0x3000, 7 * PG, RO); /* read-only is enough to read */
	CHECK_EQ(tb_jump(&t, c, 0x4000).status, PTD_OK);
	CHECK_EQ(tb_map(&t, c, tb_from_in_use(&t, 7 * PG).new_id, RW).status, PTD_OK);
	/* Fill frame 7 through its writable alias. */
	uw = tb_new_io(&t, vs, 0x4000, PG, 1).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, uw, PG, 5), PTD_OK, PG, 0));
	for (uint64_t j = 0; j < PG; j++) {
		fmodel[7][j] = ptd_io_byte(5, j);
	}
	rd = tb_new_io(&t, vs, 0x3100, 0x50, 0).new_id;
	kw = tb_new_kernel_io(&t, 0x1ff0, 0x100, 1).new_id; /* crosses a kernel page */
	CHECK(io_result(tb_io_copy(&t, rd, kw, 0x30), PTD_OK, 0x30,
			tb_fnv1a(&fmodel[7][0x100], 0x30)));
	memcpy(kmodel + 0x1ff0, &fmodel[7][0x100], 0x30);
	CHECK(kernel_matches(&t));
	CHECK(io_is(&t, rd, vs, PTD_IO_READER, 0x3100, 0x3130, 0x3150));
	CHECK(io_is(&t, kw, 0, PTD_IO_WRITER, 0x1ff0, 0x2020, 0x20f0));
	CHECK(frame_matches(&t, 7));
	tb_fini(&t);
}

/* n = min(len, both remainders): clamped by the reader, then by the writer, then by len. */
TEST(copy_clamps_to_smaller_remainder)
{
	struct tb t;
	ptd_id_t vs, rd, wr;

	(void)kio_init(&t, &vs);
	rd = tb_new_kernel_io(&t, 0, 10, 0).new_id;
	wr = tb_new_kernel_io(&t, 0x100, 30, 1).new_id;
	CHECK(io_result(tb_io_copy(&t, rd, wr, 100), PTD_OK, 10, tb_fnv1a(kmodel, 10)));
	memcpy(kmodel + 0x100, kmodel, 10);
	CHECK(kernel_matches(&t));
	CHECK(io_is(&t, rd, 0, PTD_IO_READER, 0, 10, 10));
	CHECK(io_is(&t, wr, 0, PTD_IO_WRITER, 0x100, 0x10a, 0x11e));
	/* Reader empty now: nothing to copy, OK. */
	CHECK(io_result(tb_io_copy(&t, rd, wr, 5), PTD_OK, 0, FNV_EMPTY));
	/* Writer's remainder (20) smaller than the reader's (100). */
	rd = tb_new_kernel_io(&t, 0x200, 100, 0).new_id;
	CHECK(io_result(tb_io_copy(&t, rd, wr, UINT64_MAX), PTD_OK, 20,
			tb_fnv1a(kmodel + 0x200, 20)));
	memcpy(kmodel + 0x10a, kmodel + 0x200, 20);
	CHECK(kernel_matches(&t));
	CHECK(io_is(&t, rd, 0, PTD_IO_READER, 0x200, 0x214, 0x264));
	CHECK(io_is(&t, wr, 0, PTD_IO_WRITER, 0x100, 0x11e, 0x11e));
	/* len the smallest. */
	wr = tb_new_kernel_io(&t, 0x300, 100, 1).new_id;
	CHECK(io_result(tb_io_copy(&t, rd, wr, 3), PTD_OK, 3, tb_fnv1a(kmodel + 0x214, 3)));
	memcpy(kmodel + 0x300, kmodel + 0x214, 3);
	CHECK(kernel_matches(&t));
	CHECK(io_is(&t, rd, 0, PTD_IO_READER, 0x200, 0x217, 0x264));
	CHECK(io_is(&t, wr, 0, PTD_IO_WRITER, 0x300, 0x303, 0x364));
	tb_fini(&t);
}

/* A fault in the middle: an unmapped source page, then a read-only destination page.  The
 * partial count, its hash and both cursors. */
TEST(copy_faults_midway)
{
	struct tb t;
	ptd_id_t vs, c, rd, wr, kr, kw;

	c = kio_init(&t, &vs);
	map_at(&t, c, 0x1000, 5 * PG, RW); /* 0x2000 unmapped */
	map_at(&t, c, 0x5000, 6 * PG, RW);
	map_at(&t, c, 0x6000, 8 * PG, RO);
	/* Source fault: user reader 0x1f00.. crosses into unmapped 0x2000. */
	rd = tb_new_io(&t, vs, 0x1f00, 0x200, 0).new_id;
	kw = tb_new_kernel_io(&t, 0x40, 0x400, 1).new_id;
	CHECK(io_result(tb_io_copy(&t, rd, kw, 0x180), PTD_ERR_FAULT, 0x100,
			tb_fnv1a(&fmodel[5][0xf00], 0x100)));
	memset(kmodel + 0x40, 0, 0x100); /* frame 5 was never written: zeros */
	CHECK(kernel_matches(&t));
	CHECK(io_is(&t, rd, vs, PTD_IO_READER, 0x1f00, 0x2000, 0x2100));
	CHECK(io_is(&t, kw, 0, PTD_IO_WRITER, 0x40, 0x140, 0x440));
	/* Faults at once now: count 0, hash of nothing, cursors unchanged. */
	CHECK(io_result(tb_io_copy(&t, rd, kw, 0x10), PTD_ERR_FAULT, 0, FNV_EMPTY));
	CHECK(io_is(&t, rd, vs, PTD_IO_READER, 0x1f00, 0x2000, 0x2100));
	CHECK(io_is(&t, kw, 0, PTD_IO_WRITER, 0x40, 0x140, 0x440));
	/* Destination fault: user writer 0x5ff0.. crosses into read-only 0x6000. */
	kr = tb_new_kernel_io(&t, 0x3000, 0x100, 0).new_id;
	wr = tb_new_io(&t, vs, 0x5ff0, 0x100, 1).new_id;
	CHECK(io_result(tb_io_copy(&t, kr, wr, 0x100), PTD_ERR_FAULT, 0x10,
			tb_fnv1a(kmodel + 0x3000, 0x10)));
	memcpy(&fmodel[6][0xff0], kmodel + 0x3000, 0x10);
	CHECK(frame_matches(&t, 6));
	CHECK(!listed(&t, 8));
	CHECK(io_is(&t, kr, 0, PTD_IO_READER, 0x3000, 0x3010, 0x3100));
	CHECK(io_is(&t, wr, vs, PTD_IO_WRITER, 0x5ff0, 0x6000, 0x60f0));
	tb_fini(&t);
}

/* Byte-by-byte semantics when the ranges overlap: in kernel memory, and within one frame
 * reached through two mappings (a never-written frame first, then a written one). */
TEST(copy_overlapping_sees_its_own_writes)
{
	struct tb t;
	ptd_id_t vs, c, rd, wr, uw;
	uint8_t want[0x20];

	c = kio_init(&t, &vs);
	/* Kernel [0x10, 0x30) -> [0x11, 0x31): every byte read is kernel byte 0x10. */
	rd = tb_new_kernel_io(&t, 0x10, 0x20, 0).new_id;
	wr = tb_new_kernel_io(&t, 0x11, 0x20, 1).new_id;
	memset(want, kmodel[0x10], sizeof want);
	CHECK(io_result(tb_io_copy(&t, rd, wr, 0x20), PTD_OK, 0x20, tb_fnv1a(want, 0x20)));
	memset(kmodel + 0x11, kmodel[0x10], 0x20);
	CHECK(kernel_matches(&t));
	/* Backwards overlap [0x101, ..) -> [0x100, ..): a plain forward move. */
	rd = tb_new_kernel_io(&t, 0x101, 0x10, 0).new_id;
	wr = tb_new_kernel_io(&t, 0x100, 0x10, 1).new_id;
	CHECK(io_result(tb_io_copy(&t, rd, wr, 0x10), PTD_OK, 0x10,
			tb_fnv1a(kmodel + 0x101, 0x10)));
	memmove(kmodel + 0x100, kmodel + 0x101, 0x10);
	CHECK(kernel_matches(&t));
	/* Frame 9 at 0x1000 (RO) and 0x2000 (RW).  First a kernel byte at frame offset 0, then copy
	 * frame [0, 0x10) -> [1, 0x11): all become that byte. */
	map_at(&t, c, 0x1000, 9 * PG, RO);
	CHECK_EQ(tb_jump(&t, c, 0x2000).status, PTD_OK);
	CHECK_EQ(tb_map(&t, c, tb_from_in_use(&t, 9 * PG).new_id, RW).status, PTD_OK);
	/* Never written: copying zeros onto itself keeps zeros; not listed. */
	rd = tb_new_io(&t, vs, 0x1000, 0x10, 0).new_id;
	wr = tb_new_io(&t, vs, 0x2001, 0x10, 1).new_id;
	memset(want, 0, sizeof want);
	CHECK(io_result(tb_io_copy(&t, rd, wr, 0x10), PTD_OK, 0x10, tb_fnv1a(want, 0x10)));
	CHECK(!listed(&t, 9));
	uw = tb_new_io(&t, vs, 0x2000, 1, 1).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, uw, 1, 3), PTD_OK, 1, 0));
	fmodel[9][0] = ptd_io_byte(3, 0);
	CHECK(fmodel[9][0] != 0);
	rd = tb_new_io(&t, vs, 0x1000, 0x10, 0).new_id;
	wr = tb_new_io(&t, vs, 0x2001, 0x10, 1).new_id;
	memset(want, fmodel[9][0], sizeof want);
	CHECK(io_result(tb_io_copy(&t, rd, wr, 0x10), PTD_OK, 0x10, tb_fnv1a(want, 0x10)));
	memset(&fmodel[9][1], fmodel[9][0], 0x10);
	CHECK(frame_matches(&t, 9));
	tb_fini(&t);
}

/* Reset restores kernel memory: kernel_hash back to the initial value, bytes initial. */
TEST(reset_restores_kernel_memory)
{
	struct tb t;
	ptd_id_t vs, kw, kr;
	uint64_t initial;

	(void)kio_init(&t, &vs);
	initial = t.view.kernel_hash;
	kw = tb_new_kernel_io(&t, 0, KB, 1).new_id;
	CHECK(only_status(tb_io(&t, PTD_OP_IO_SKIP, kw, 0x2ffe, 0), PTD_OK));
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, kw, 0x10, 9), PTD_OK, 0x10, 0));
	for (uint64_t j = 0; j < 0x10; j++) {
		kmodel[0x2ffe + j] = ptd_io_byte(9, 0x2ffe + j);
	}
	CHECK(only_status(tb_io(&t, PTD_OP_IO_SKIP, kw, KB - 0x3010, 0), PTD_OK));
	CHECK(io_result(tb_io(&t, PTD_OP_IO_FILL_ZEROS, kw, 100, 0), PTD_OK, 2, 0));
	kmodel[KB - 2] = kmodel[KB - 1] = 0;
	CHECK(kernel_matches(&t));
	CHECK(t.view.kernel_hash != initial);

	t.be->reset(t.self);
	tb_refresh(&t);
	CHECK_EQ(t.view.kernel_hash, initial);
	CHECK_EQ(t.view.nios, 0);
	for (uint64_t i = 0; i < KB; i++) {
		if (tb_core(&t)->kmem->bytes[i] != ptd_kernel_byte(i)) {
			CHECK_EQ(tb_core(&t)->kmem->bytes[i], ptd_kernel_byte(i));
			break;
		}
	}
	/* Reads after the reset see the initial bytes. */
	t.next_id = 1;
	for (uint64_t i = 0; i < KB; i++) {
		kmodel[i] = ptd_kernel_byte(i);
	}
	kr = tb_new_kernel_io(&t, 0x2ff0, 0x20, 0).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_READ, kr, 0x20, 0), PTD_OK, 0x20,
			tb_fnv1a(kmodel + 0x2ff0, 0x20)));
	/* A second round of writes and a reset. */
	kw = tb_new_kernel_io(&t, 0x10, 4, 1).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_FILL_ZEROS, kw, 4, 0), PTD_OK, 4, 0));
	CHECK(t.view.kernel_hash != initial);
	t.be->reset(t.self);
	tb_refresh(&t);
	CHECK_EQ(t.view.kernel_hash, initial);
	tb_fini(&t);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(initial_kernel_hash),
	      PTD_TEST_ENTRY(new_kernel_io_ranges),
	      PTD_TEST_ENTRY(kernel_read_write_skip_limit_drop),
	      PTD_TEST_ENTRY(copy_kernel_to_user),
	      PTD_TEST_ENTRY(copy_user_to_kernel),
	      PTD_TEST_ENTRY(copy_clamps_to_smaller_remainder),
	      PTD_TEST_ENTRY(copy_faults_midway),
	      PTD_TEST_ENTRY(copy_overlapping_sees_its_own_writes),
	      PTD_TEST_ENTRY(reset_restores_kernel_memory))
