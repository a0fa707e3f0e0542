/* SPDX-License-Identifier: MIT */
/*
 * Kernel memory, NewKernelReader / NewKernelWriter and IoCopy, on either side (docs/POLICY.md
 * "Readers and writers": "Kernel memory" and "IoCopy"; vostd io.rs from_kernel_space, `Read`):
 * the view's kernel_hash from the start, every ERR_BAD_RANGE edge of a kernel range,
 * IoRead/IoWrite/IoFillZeros/IoSkip/IoLimit/IoDrop on kernel handles, IoCopy kernel -> user and
 * user -> kernel, n clamped to the smallest of len and both remainders, faults mid-copy at
 * either end (partial count, both cursors), overlapping copies that see their own writes,
 * DropVmSpace ignoring kernel handles, and reset restoring kernel memory.
 *
 * Expected kernel memory and frame bytes are kept in the model (bt.h); expected hashes are
 * tb_contents_hash() over it for the view (kernel_hash, contents[]) and tb_moved_hash() over
 * the moved bytes for results.
 */
#include "bt.h"

#define KB ((uint64_t)PTD_KERNEL_BYTES)

static struct ptd_result io(struct tb *t, enum ptd_op_kind kind, ptd_id_t id, uint64_t len,
			    uint64_t seed)
{
	return tb_io(t, kind, id, len, seed);
}

/* The view's kernel_hash is the kernel hash (view.h: of the pages' contents hashes) of
 * ptd_kernel_byte(k) from the start (of the bytes, not of nothing, nor of all the bytes at
 * once); an op that touches no kernel byte keeps it. */
TEST(kernel_hash_initial)
{
	struct tb t;

	bt_model_reset();
	bt_init(&t);
	CHECK(bt_kernel_match(&t));
	CHECK(t.view.kernel_hash != tb_contents_hash(bt_kernel, 0));
	CHECK(t.view.kernel_hash != tb_contents_hash(bt_kernel, PTD_KERNEL_BYTES));
	CHECK_EQ(tb_new_vs(&t).status, PTD_OK);
	CHECK(bt_kernel_match(&t));
	tb_fini(&t);
}

/* Step 1: offset + len <= PTD_KERNEL_BYTES, without wrapping; step 2 registers a handle of
 * space 0 over [offset, offset + len); no slot is touched. */
TEST(new_kernel_io_ranges)
{
	struct tb t;
	uint64_t kh;
	ptd_id_t id;

	bt_model_reset();
	bt_init(&t);
	kh = t.view.kernel_hash;
	for (int w = 0; w <= 1; w++) {
		CHECK_REFUSED(&t, tb_new_kernel_io(&t, 0, KB + 1, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(&t, tb_new_kernel_io(&t, 1, KB, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(&t, tb_new_kernel_io(&t, KB - 10, 11, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(&t, tb_new_kernel_io(&t, KB, 1, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(&t, tb_new_kernel_io(&t, KB + 1, 0, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(&t, tb_new_kernel_io(&t, 1, UINT64_MAX, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(&t, tb_new_kernel_io(&t, 16, UINT64_MAX, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(&t, tb_new_kernel_io(&t, UINT64_MAX, 1, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(&t, tb_new_kernel_io(&t, UINT64_MAX, 2, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(&t, tb_new_kernel_io(&t, UINT64_MAX, UINT64_MAX, w),
			      PTD_ERR_BAD_RANGE);
	}
	CHECK_EQ(t.view.nios, 0);
	CHECK_EQ(t.view.kernel_hash, kh);
	/* The exact fits. */
	id = t.next_id;
	CHECK_CREATED(tb_new_kernel_io(&t, 0, KB, 0), id);
	CHECK_IO(&t, id, 0, PTD_IO_READER, 0, 0, KB);
	CHECK_IO(&t, bt_new_kio(&t, KB - 10, 10, 1), 0, PTD_IO_WRITER, KB - 10, KB - 10, KB);
	CHECK_IO(&t, bt_new_kio(&t, KB - 1, 1, 1), 0, PTD_IO_WRITER, KB - 1, KB - 1, KB);
	CHECK_IO(&t, bt_new_kio(&t, KB, 0, 1), 0, PTD_IO_WRITER, KB, KB, KB);
	CHECK_IO(&t, bt_new_kio(&t, 100, 0, 0), 0, PTD_IO_READER, 100, 100, 100);
	CHECK_EQ(t.view.nios, 5);
	CHECK_EQ(t.view.kernel_hash, kh);
	CHECK_EQ(t.view.nslots, TB_NFRAMES);
	for (uint64_t i = 0; i < TB_NFRAMES; i++)
		CHECK_SLOT_FREE(&t, i, PTD_USAGE_UNUSED);
	tb_fini(&t);
}

/* IoRead / IoWrite / IoFillZeros / IoSkip / IoLimit / IoDrop on kernel handles, across a
 * kernel page boundary; no frame changes; kernel handles do not keep a space busy. */
TEST(kernel_read_write_skip_limit_drop)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	ptd_id_t rd, wr, back;

	/* Read 0x1800 bytes across a kernel page boundary; then capped at the end; then none. */
	rd = bt_new_kio(t, 0xf00, 0x2000, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 0x1800, 0), PTD_OK, 0x1800,
		   tb_moved_hash(bt_kernel + 0xf00, 0x1800));
	CHECK_IO(t, rd, 0, PTD_IO_READER, 0xf00, 0x2700, 0x2f00);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, UINT64_MAX, 0), PTD_OK, 0x800,
		   tb_moved_hash(bt_kernel + 0x2700, 0x800));
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 5, 0), PTD_OK, 0, HASH_EMPTY);
	/* Write across the boundary at 0x2000: byte k of the range is ptd_io_byte(seed, k), k
	 * counted from the writer's start 0x1fe0, not from its cursor. */
	wr = bt_new_kio(t, 0x1fe0, 0x50, 1);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_SKIP, wr, 0x10, 0), PTD_OK);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 0x20, 77), PTD_OK, 0x20, 0);
	for (uint64_t j = 0; j < 0x20; j++)
		bt_kernel[0x1ff0 + j] = ptd_io_byte(77, 0x10 + j);
	CHECK_IO(t, wr, 0, PTD_IO_WRITER, 0x1fe0, 0x2010, 0x2030);
	CHECK(bt_kernel_match(t));
	CHECK_EQ(t->view.ncontents, 0); /* no frame changed */
	/* Read the written bytes back through another reader. */
	back = bt_new_kio(t, 0x1ff0, 0x20, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, back, 0x20, 0), PTD_OK, 0x20,
		   tb_moved_hash(bt_kernel + 0x1ff0, 0x20));
	/* Skip 8, more than is left, limit to 4, fill zeros (capped at 4), skip past the end. */
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_SKIP, wr, 8, 0), PTD_OK);
	CHECK_REFUSED(t, io(t, PTD_OP_IO_SKIP, wr, 0x19, 0), PTD_ERR_WOULD_PANIC);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_LIMIT, wr, 4, 0), PTD_OK);
	CHECK_IO(t, wr, 0, PTD_IO_WRITER, 0x1fe0, 0x2018, 0x201c);
	CHECK_MOVE(io(t, PTD_OP_IO_FILL_ZEROS, wr, 100, 0), PTD_OK, 4, 0);
	memset(bt_kernel + 0x2018, 0, 4);
	CHECK(bt_kernel_match(t));
	CHECK_REFUSED(t, io(t, PTD_OP_IO_SKIP, wr, 1, 0), PTD_ERR_WOULD_PANIC);
	/* A kernel handle does not keep the space busy. */
	CHECK_EQ(tb_drop_cursor(t, e.c).status, PTD_OK);
	CHECK_ONLY_STATUS(tb_drop_vs(t, e.vs), PTD_OK);
	CHECK_IO(t, wr, 0, PTD_IO_WRITER, 0x1fe0, 0x201c, 0x201c);
	/* Drop: gone; the kernel bytes stay. */
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_DROP, wr, 0, 0), PTD_OK);
	CHECK(tb_io_view(t, wr) == NULL);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_DROP, rd, 0, 0), PTD_OK);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_DROP, back, 0, 0), PTD_OK);
	CHECK_EQ(t->view.nios, 0);
	CHECK(bt_kernel_match(t));
	tb_fini(t);
}

/* Kernel reader -> user writer: the bytes land in the frames (across two of them); n clamped
 * to the writer's rest; kernel memory unchanged; then nothing left to copy, OK. */
TEST(copy_kernel_to_user)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	ptd_id_t rd, wr;
	uint64_t kh;

	bt_map_slot(t, e.c, 0x1000, 5, PROP_RW);
	bt_map_slot(t, e.c, 0x2000, 6, PROP_RW);
	kh = t->view.kernel_hash;
	rd = bt_new_kio(t, 0x123, 0x2000, 0);
	wr = bt_new_io(t, e.vs, 0x1800, 0x1000, 1);
	CHECK_MOVE(tb_io_copy(t, rd, wr, 0x5000), PTD_OK, 0x1000,
		   tb_moved_hash(bt_kernel + 0x123, 0x1000));
	memcpy(&bt_frames[5][0x800], bt_kernel + 0x123, 0x800);
	memcpy(&bt_frames[6][0], bt_kernel + 0x123 + 0x800, 0x800);
	CHECK(bt_contents_match(t));
	CHECK_EQ(t->view.ncontents, 2);
	CHECK_IO(t, rd, 0, PTD_IO_READER, 0x123, 0x1123, 0x2123);
	CHECK_IO(t, wr, e.vs, PTD_IO_WRITER, 0x1800, 0x2800, 0x2800);
	CHECK_EQ(t->view.kernel_hash, kh); /* reading kernel memory changes nothing */
	CHECK_MOVE(tb_io_copy(t, rd, wr, 10), PTD_OK, 0, HASH_EMPTY);
	tb_fini(t);
}

/* User reader -> kernel writer: kernel_hash changes as computed by hand; a read-only mapping
 * is enough to read; n clamped to the reader's rest; a copy across a user page boundary reads
 * both frames in order. */
TEST(copy_user_to_kernel)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	ptd_id_t uw, rd, kw;
	uint8_t want[200];

	bt_map_slot(t, e.c, 0x2000, 6, PROP_RO); /* never written: zeros */
	bt_map_slot(t, e.c, 0x3000, 7, PROP_RO);
	CHECK_EQ(tb_jump(t, e.c, 0x4000).status, PTD_OK);
	CHECK_EQ(tb_map(t, e.c, tb_from_in_use(t, 7 * PG).new_id, PROP_RW).status, PTD_OK);
	/* Fill frame 7 through its writable alias. */
	uw = bt_new_io(t, e.vs, 0x4000, PG, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, uw, PG, 5), PTD_OK, PG, 0);
	bt_model_write(7, 0, PG, 5, 0);
	/* 0x30 bytes into a kernel range that crosses a kernel page. */
	rd = bt_new_io(t, e.vs, 0x3100, 0x50, 0);
	kw = bt_new_kio(t, 0x1ff0, 0x100, 1);
	CHECK_MOVE(tb_io_copy(t, rd, kw, 0x30), PTD_OK, 0x30,
		   tb_moved_hash(&bt_frames[7][0x100], 0x30));
	memcpy(bt_kernel + 0x1ff0, &bt_frames[7][0x100], 0x30);
	CHECK(bt_kernel_match(t));
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x3100, 0x3130, 0x3150);
	CHECK_IO(t, kw, 0, PTD_IO_WRITER, 0x1ff0, 0x2020, 0x20f0);
	CHECK(bt_contents_match(t));
	/* The reader's rest (after a skip) is the smallest. */
	rd = bt_new_io(t, e.vs, 0x2fce, 0x82, 0);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_SKIP, rd, 0x32, 0), PTD_OK);
	kw = bt_new_kio(t, 50, 1000, 1);
	CHECK_MOVE(tb_io_copy(t, rd, kw, 5000), PTD_OK, 0x50, tb_moved_hash(bt_frames[7], 0x50));
	memcpy(bt_kernel + 50, bt_frames[7], 0x50);
	CHECK(bt_kernel_match(t));
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x2fce, 0x3050, 0x3050);
	CHECK_IO(t, kw, 0, PTD_IO_WRITER, 50, 50 + 0x50, 1050);
	/* Across the page boundary: 50 zeros of frame 6, then 150 bytes of frame 7. */
	rd = bt_new_io(t, e.vs, 0x3000 - 50, 200, 0);
	memset(want, 0, 50);
	memcpy(want + 50, bt_frames[7], 150);
	CHECK_MOVE(tb_io_copy(t, rd, kw, 200), PTD_OK, 200, tb_moved_hash(want, 200));
	memcpy(bt_kernel + 50 + 0x50, want, 200);
	CHECK(bt_kernel_match(t));
	CHECK_IO(t, kw, 0, PTD_IO_WRITER, 50, 50 + 0x50 + 200, 1050);
	tb_fini(t);
}

/* n = min(len, both remainders): clamped by the reader, by the writer (its range, then a
 * limit), by len; an empty reader copies nothing, OK. */
TEST(copy_clamps_to_smaller_remainder)
{
	struct tb t;
	ptd_id_t rd, wr;

	bt_model_reset();
	bt_init(&t);
	rd = bt_new_kio(&t, 0, 10, 0);
	wr = bt_new_kio(&t, 0x100, 30, 1);
	CHECK_MOVE(tb_io_copy(&t, rd, wr, 100), PTD_OK, 10, tb_moved_hash(bt_kernel, 10));
	memcpy(bt_kernel + 0x100, bt_kernel, 10);
	CHECK(bt_kernel_match(&t));
	CHECK_IO(&t, rd, 0, PTD_IO_READER, 0, 10, 10);
	CHECK_IO(&t, wr, 0, PTD_IO_WRITER, 0x100, 0x10a, 0x11e);
	/* Reader empty now: nothing to copy, OK. */
	CHECK_MOVE(tb_io_copy(&t, rd, wr, 5), PTD_OK, 0, HASH_EMPTY);
	/* Writer's remainder (20) smaller than the reader's (100). */
	rd = bt_new_kio(&t, 0x200, 100, 0);
	CHECK_MOVE(tb_io_copy(&t, rd, wr, UINT64_MAX), PTD_OK, 20,
		   tb_moved_hash(bt_kernel + 0x200, 20));
	memcpy(bt_kernel + 0x10a, bt_kernel + 0x200, 20);
	CHECK(bt_kernel_match(&t));
	CHECK_IO(&t, rd, 0, PTD_IO_READER, 0x200, 0x214, 0x264);
	CHECK_IO(&t, wr, 0, PTD_IO_WRITER, 0x100, 0x11e, 0x11e);
	/* len the smallest. */
	wr = bt_new_kio(&t, 0x300, 100, 1);
	CHECK_MOVE(tb_io_copy(&t, rd, wr, 3), PTD_OK, 3, tb_moved_hash(bt_kernel + 0x214, 3));
	memcpy(bt_kernel + 0x300, bt_kernel + 0x214, 3);
	CHECK(bt_kernel_match(&t));
	CHECK_IO(&t, rd, 0, PTD_IO_READER, 0x200, 0x217, 0x264);
	CHECK_IO(&t, wr, 0, PTD_IO_WRITER, 0x300, 0x303, 0x364);
	/* The writer's rest after a limit the smallest. */
	CHECK_ONLY_STATUS(io(&t, PTD_OP_IO_LIMIT, wr, 7, 0), PTD_OK);
	CHECK_MOVE(tb_io_copy(&t, rd, wr, 50), PTD_OK, 7, tb_moved_hash(bt_kernel + 0x217, 7));
	memcpy(bt_kernel + 0x303, bt_kernel + 0x217, 7);
	CHECK(bt_kernel_match(&t));
	CHECK_IO(&t, rd, 0, PTD_IO_READER, 0x200, 0x21e, 0x264);
	CHECK_IO(&t, wr, 0, PTD_IO_WRITER, 0x300, 0x30a, 0x30a);
	tb_fini(&t);
}

/* A source fault mid-copy (a user reader into an unmapped page): the partial count and its
 * hash, both cursors advanced by it, ERR_FAULT; again at the fault, nothing moves; len 0 is
 * OK even there. */
TEST(copy_faults_at_source)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	ptd_id_t uw, rd, kw;

	bt_map_slot(t, e.c, 0x1000, 5, PROP_RW); /* 0x2000 unmapped */
	uw = bt_new_io(t, e.vs, 0x1ff0, 0x10, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, uw, 0x10, 4), PTD_OK, 0x10, 0);
	bt_model_write(5, 0xff0, 0x10, 4, 0);
	rd = bt_new_io(t, e.vs, 0x1f00, 0x200, 0);
	kw = bt_new_kio(t, 0x40, 0x400, 1);
	CHECK_MOVE(tb_io_copy(t, rd, kw, 0x180), PTD_ERR_FAULT, 0x100,
		   tb_moved_hash(&bt_frames[5][0xf00], 0x100));
	memcpy(bt_kernel + 0x40, &bt_frames[5][0xf00], 0x100);
	CHECK(bt_kernel_match(t));
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x1f00, 0x2000, 0x2100);
	CHECK_IO(t, kw, 0, PTD_IO_WRITER, 0x40, 0x140, 0x440);
	CHECK_MOVE(tb_io_copy(t, rd, kw, 0x10), PTD_ERR_FAULT, 0, HASH_EMPTY);
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x1f00, 0x2000, 0x2100);
	CHECK_IO(t, kw, 0, PTD_IO_WRITER, 0x40, 0x140, 0x440);
	CHECK(bt_kernel_match(t));
	CHECK_MOVE(tb_io_copy(t, rd, kw, 0), PTD_OK, 0, HASH_EMPTY);
	tb_fini(t);
}

/* A destination fault mid-copy (a user writer into a read-only page): the byte read but not
 * written is not counted; kernel memory unchanged, the read-only frame untouched. */
TEST(copy_faults_at_destination)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	ptd_id_t kr, wr;
	uint64_t h;

	bt_map_slot(t, e.c, 0x5000, 6, PROP_RW);
	bt_map_slot(t, e.c, 0x6000, 8, PROP_RO);
	kr = bt_new_kio(t, KB - 64, 64, 0);
	wr = bt_new_io(t, e.vs, 0x6000 - 20, 100, 1);
	CHECK_MOVE(tb_io_copy(t, kr, wr, 100), PTD_ERR_FAULT, 20,
		   tb_moved_hash(bt_kernel + KB - 64, 20));
	memcpy(&bt_frames[6][PG - 20], bt_kernel + KB - 64, 20);
	CHECK_IO(t, kr, 0, PTD_IO_READER, KB - 64, KB - 44, KB);
	CHECK_IO(t, wr, e.vs, PTD_IO_WRITER, 0x6000 - 20, 0x6000, 0x6000 + 80);
	CHECK(bt_contents_match(t));
	CHECK(!tb_content(t, 8, &h));
	CHECK_EQ(t->view.ncontents, 1);
	CHECK(bt_kernel_match(t));
	tb_fini(t);
}

/* Byte-by-byte semantics when the ranges overlap: in kernel memory forward (every byte read is
 * the first one) and backward (a plain move), and within one frame reached through two
 * mappings (a never-written frame first, then a written one). */
TEST(copy_overlapping_sees_its_own_writes)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	ptd_id_t rd, wr, uw;
	uint8_t want[0x20];
	uint64_t h;

	/* Kernel [0x10, 0x30) -> [0x11, 0x31). */
	rd = bt_new_kio(t, 0x10, 0x20, 0);
	wr = bt_new_kio(t, 0x11, 0x20, 1);
	memset(want, bt_kernel[0x10], sizeof want);
	CHECK_MOVE(tb_io_copy(t, rd, wr, 0x20), PTD_OK, 0x20, tb_moved_hash(want, 0x20));
	memset(bt_kernel + 0x11, bt_kernel[0x10], 0x20);
	CHECK(bt_kernel_match(t));
	/* Backwards overlap [0x101, ..) -> [0x100, ..): a plain forward move. */
	rd = bt_new_kio(t, 0x101, 0x10, 0);
	wr = bt_new_kio(t, 0x100, 0x10, 1);
	CHECK_MOVE(tb_io_copy(t, rd, wr, 0x10), PTD_OK, 0x10,
		   tb_moved_hash(bt_kernel + 0x101, 0x10));
	memmove(bt_kernel + 0x100, bt_kernel + 0x101, 0x10);
	CHECK(bt_kernel_match(t));
	/* Frame 9 at 0x1000 (read-only) and 0x2000 (writable). */
	bt_map_slot(t, e.c, 0x1000, 9, PROP_RO);
	CHECK_EQ(tb_jump(t, e.c, 0x2000).status, PTD_OK);
	CHECK_EQ(tb_map(t, e.c, tb_from_in_use(t, 9 * PG).new_id, PROP_RW).status, PTD_OK);
	/* Never written: copying zeros onto itself keeps zeros; not listed. */
	rd = bt_new_io(t, e.vs, 0x1000, 0x10, 0);
	wr = bt_new_io(t, e.vs, 0x2001, 0x10, 1);
	memset(want, 0, sizeof want);
	CHECK_MOVE(tb_io_copy(t, rd, wr, 0x10), PTD_OK, 0x10, tb_moved_hash(want, 0x10));
	CHECK(!tb_content(t, 9, &h));
	/* A byte at frame offset 0, then frame [0, 0x10) -> [1, 0x11): all become that byte. */
	uw = bt_new_io(t, e.vs, 0x2000, 1, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, uw, 1, 3), PTD_OK, 1, 0);
	bt_frames[9][0] = ptd_io_byte(3, 0);
	CHECK(bt_frames[9][0] != 0);
	rd = bt_new_io(t, e.vs, 0x1000, 0x10, 0);
	wr = bt_new_io(t, e.vs, 0x2001, 0x10, 1);
	memset(want, bt_frames[9][0], sizeof want);
	CHECK_MOVE(tb_io_copy(t, rd, wr, 0x10), PTD_OK, 0x10, tb_moved_hash(want, 0x10));
	memset(&bt_frames[9][1], bt_frames[9][0], 0x10);
	CHECK(bt_contents_match(t));
	tb_fini(t);
}

/* DropVmSpace counts the user readers and writers of that space only. */
TEST(drop_vm_space_ignores_kernel_io)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	ptd_id_t kr, kw, vs2, ur;

	kr = bt_new_kio(t, 0, 10, 0);
	kw = bt_new_kio(t, 0, 10, 1);
	CHECK_EQ(tb_drop_cursor(t, e.c).status, PTD_OK);
	vs2 = tb_new_vs(t).new_id;
	ur = bt_new_io(t, vs2, 0, 10, 0);
	CHECK_REFUSED(t, tb_drop_vs(t, vs2), PTD_ERR_BUSY);
	CHECK_ONLY_STATUS(tb_drop_vs(t, e.vs), PTD_OK);
	CHECK(!tb_has_vs(t, e.vs));
	CHECK_IO(t, kr, 0, PTD_IO_READER, 0, 0, 10);
	CHECK_IO(t, kw, 0, PTD_IO_WRITER, 0, 0, 10);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_DROP, ur, 0, 0), PTD_OK);
	CHECK_ONLY_STATUS(tb_drop_vs(t, vs2), PTD_OK);
	CHECK_EQ(t->view.nvmspaces, 0);
	CHECK_EQ(t->view.nios, 2);
	tb_fini(t);
}

/* Reset restores kernel memory (kernel_hash back to its initial value, every byte read back
 * initial) and forgets kernel handles; again after a second round of writes. */
TEST(reset_restores_kernel_memory)
{
	struct tb t;
	ptd_id_t kw, kr;
	uint64_t initial;

	bt_model_reset();
	bt_init(&t);
	initial = t.view.kernel_hash;
	kw = bt_new_kio(&t, 0, KB, 1);
	CHECK_MOVE(io(&t, PTD_OP_IO_FILL_ZEROS, kw, 4096, 0), PTD_OK, 4096, 0);
	memset(bt_kernel, 0, 4096);
	CHECK_ONLY_STATUS(io(&t, PTD_OP_IO_SKIP, kw, 0x2ffe - 4096, 0), PTD_OK);
	CHECK_MOVE(io(&t, PTD_OP_IO_WRITE, kw, 0x10, 9), PTD_OK, 0x10, 0);
	for (uint64_t j = 0; j < 0x10; j++)
		bt_kernel[0x2ffe + j] = ptd_io_byte(9, 0x2ffe + j);
	CHECK_ONLY_STATUS(io(&t, PTD_OP_IO_SKIP, kw, KB - 0x3010, 0), PTD_OK);
	CHECK_MOVE(io(&t, PTD_OP_IO_FILL_ZEROS, kw, 100, 0), PTD_OK, 2, 0);
	bt_kernel[KB - 2] = bt_kernel[KB - 1] = 0;
	CHECK(bt_kernel_match(&t));
	CHECK(t.view.kernel_hash != initial);

	t.be->reset(t.self);
	tb_refresh(&t);
	bt_model_reset();
	CHECK_EQ(t.view.kernel_hash, initial);
	CHECK_EQ(t.view.nios, 0);
	/* Reads after the reset see the initial bytes. */
	t.next_id = 1;
	kr = bt_new_kio(&t, 0, KB, 0);
	CHECK_MOVE(io(&t, PTD_OP_IO_READ, kr, KB, 0), PTD_OK, KB, tb_moved_hash(bt_kernel, KB));
	kr = bt_new_kio(&t, 0x2ff0, 0x20, 0);
	CHECK_MOVE(io(&t, PTD_OP_IO_READ, kr, 0x20, 0), PTD_OK, 0x20,
		   tb_moved_hash(bt_kernel + 0x2ff0, 0x20));
	/* A second round of writes and a reset. */
	kw = bt_new_kio(&t, 0x10, 4, 1);
	CHECK_MOVE(io(&t, PTD_OP_IO_FILL_ZEROS, kw, 4, 0), PTD_OK, 4, 0);
	CHECK(t.view.kernel_hash != initial);
	t.be->reset(t.self);
	tb_refresh(&t);
	CHECK_EQ(t.view.kernel_hash, initial);
	tb_fini(&t);
}

PTD_BACKEND_TEST_MAIN(PTD_TEST_ENTRY(kernel_hash_initial), PTD_TEST_ENTRY(new_kernel_io_ranges),
		      PTD_TEST_ENTRY(kernel_read_write_skip_limit_drop),
		      PTD_TEST_ENTRY(copy_kernel_to_user), PTD_TEST_ENTRY(copy_user_to_kernel),
		      PTD_TEST_ENTRY(copy_clamps_to_smaller_remainder),
		      PTD_TEST_ENTRY(copy_faults_at_source),
		      PTD_TEST_ENTRY(copy_faults_at_destination),
		      PTD_TEST_ENTRY(copy_overlapping_sees_its_own_writes),
		      PTD_TEST_ENTRY(drop_vm_space_ignores_kernel_io),
		      PTD_TEST_ENTRY(reset_restores_kernel_memory))
