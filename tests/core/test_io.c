/* SPDX-License-Identifier: MIT */
/*
 * Readers, writers and frame contents (POLICY §3 "Readers and writers", DropVmSpace step 1,
 * §4; contract docs/CONTRACTS.md#io, vostd io.rs), against hand-computed expectations on the test
 * machine (64 frames, pool = frames 32..63, I/O window at 1 GiB).  Expected frame bytes are kept in
 * a model buffer written with ptd_io_byte(), and expected hashes are tb_contents_hash() over it
 * for the view's contents[] and tb_fnv1a() over the moved bytes for results; a few FNV-1a 64
 * values are literal (the empty string, one zero byte, a zero page).
 */
#include "core_tb.h"

#define MAXU PTD_MAX_USERSPACE_VADDR
#define FNV_EMPTY 0xcbf29ce484222325ull      /* FNV-1a 64 of no bytes: the offset basis */
#define FNV_ZERO_BYTE 0xaf63bd4c8601b7dfull  /* FNV-1a 64 of one zero byte */
#define FNV_ZERO_PAGE 0xb93a0c83ce3b6325ull  /* FNV-1a 64 of 4096 zero bytes */

#define RW prop_of(PTD_PF_W, PTD_CACHE_WB)
#define RO prop_of(0, PTD_CACHE_WB)

/* What each frame should hold; cleared by io_init(). */
static uint8_t model[TB_NFRAMES][PG];

/* The bytes IoWrite(seed) puts at frame offset off..off+n-1 when the first of them is byte k0
 * of the writer's range. */
static void model_write(uint64_t slot, uint64_t off, uint64_t n, uint64_t seed, uint64_t k0)
{
	for (uint64_t j = 0; j < n; j++) {
		model[slot][off + j] = ptd_io_byte(seed, k0 + j);
	}
}

static int model_zero(uint64_t slot)
{
	for (uint64_t i = 0; i < PG; i++) {
		if (model[slot][i]) {
			return 0;
		}
	}
	return 1;
}

/* The view's contents[] is exactly the model: every non-zero frame with its hash, nothing
 * else. */
static int contents_match(const struct tb *t)
{
	size_t want = 0;

	for (uint64_t s = 0; s < TB_NFRAMES; s++) {
		uint64_t h = 0;
		int listed = tb_content(t, s, &h);

		if (model_zero(s)) {
			if (listed) {
				return 0;
			}
			continue;
		}
		want++;
		if (!listed || h != tb_contents_hash(model[s], PG)) {
			return 0;
		}
	}
	return t->view.ncontents == want;
}

/* A fresh machine, one space and a mutable cursor over [0, 64 KiB) (guard level 1: root 32,
 * L3 33, L2 34, L1 35). */
static ptd_id_t io_init(struct tb *t, ptd_id_t *vs)
{
	memset(model, 0, sizeof model);
	tb_init(t, &ptd_core_backend);
	return open_new(t, vs, 0, 64 * KIB);
}

/* FrameFromUnused(paddr) and Map it at va with prop. */
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

/* A result with status st, count and hash, every other field zero. */
static int io_result(struct ptd_result r, enum ptd_status st, uint64_t count, uint64_t hash)
{
	r.count -= count;
	r.hash -= hash;
	return only_status(r, st);
}

/* ---- NewReader / NewWriter ---------------------------------------------------------------- */

/* Step 2: start = cursor = va, end = va + len; the kind is recorded; len 0 and an unaligned va
 * are allowed; nothing else changes. */
TEST(new_reader_and_writer_register_their_range)
{
	struct tb t;
	ptd_id_t vs;
	struct ptd_result r;
	ptd_id_t id;
	static struct slot_snap before;

	(void)io_init(&t, &vs);
	snap_take(&t, &before);
	id = t.next_id;
	r = tb_new_io(&t, vs, 0x1234, 0x100, 0);
	CHECK_EQ(r.new_id, id);
	r.new_id = 0;
	CHECK(only_status(r, PTD_OK)); /* new_id and nothing else */
	CHECK(io_is(&t, id, vs, PTD_IO_READER, 0x1234, 0x1234, 0x1334));
	r = tb_new_io(&t, vs, 0x5000, 0, 1);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(io_is(&t, r.new_id, vs, PTD_IO_WRITER, 0x5000, 0x5000, 0x5000));
	CHECK_EQ(t.view.nios, 2);
	CHECK(snap_same(&t, &before)); /* no slot, no path */
	CHECK_EQ(t.view.ncontents, 0);
	tb_fini(&t);
}

/* Step 1: va + len <= MAX_USERSPACE_VADDR = 2^47 - 4096, exactly, without overflow. */
TEST(new_reader_bad_range)
{
	struct tb t;
	ptd_id_t vs;
	struct ptd_result r;
	static struct view_snap before;

	(void)io_init(&t, &vs);
	view_snap_take(&t, &before);
	/* One byte past the top, for both kinds. */
	CHECK(only_status(tb_new_io(&t, vs, MAXU - 10, 11, 0), PTD_ERR_BAD_RANGE));
	CHECK(only_status(tb_new_io(&t, vs, MAXU - 10, 11, 1), PTD_ERR_BAD_RANGE));
	/* len alone too big; va alone too big with len 0. */
	CHECK(only_status(tb_new_io(&t, vs, 0, MAXU + 1, 0), PTD_ERR_BAD_RANGE));
	CHECK(only_status(tb_new_io(&t, vs, MAXU + 1, 0, 1), PTD_ERR_BAD_RANGE));
	/* va + len wraps around 2^64: still refused. */
	CHECK(only_status(tb_new_io(&t, vs, UINT64_MAX, 2, 0), PTD_ERR_BAD_RANGE));
	CHECK(only_status(tb_new_io(&t, vs, 2, UINT64_MAX, 1), PTD_ERR_BAD_RANGE));
	/* The user top (cursor ranges may reach 2^47, readers may not). */
	CHECK(only_status(tb_new_io(&t, vs, MAXU, PG, 0), PTD_ERR_BAD_RANGE));
	CHECK(view_snap_same(&t, &before));
	CHECK_EQ(t.view.nios, 0);

	/* Exactly at the bound: accepted. */
	r = tb_new_io(&t, vs, MAXU - 10, 10, 1);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(io_is(&t, r.new_id, vs, PTD_IO_WRITER, MAXU - 10, MAXU - 10, MAXU));
	r = tb_new_io(&t, vs, MAXU, 0, 0);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(io_is(&t, r.new_id, vs, PTD_IO_READER, MAXU, MAXU, MAXU));
	r = tb_new_io(&t, vs, 0, MAXU, 0);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(io_is(&t, r.new_id, vs, PTD_IO_READER, 0, 0, MAXU));
	tb_fini(&t);
}

/* ---- IoRead ----------------------------------------------------------------------------- */

/* Nothing mapped: the first byte faults; count 0, hash of no bytes, cursor unchanged. */
TEST(read_unmapped_faults_at_once)
{
	struct tb t;
	ptd_id_t vs, rd;
	static struct view_snap before;

	(void)io_init(&t, &vs);
	rd = tb_new_io(&t, vs, 0x3000, 0x100, 0).new_id;
	view_snap_take(&t, &before);
	CHECK(io_result(tb_io(&t, PTD_OP_IO_READ, rd, 0x10, 0), PTD_ERR_FAULT, 0, FNV_EMPTY));
	CHECK(view_snap_same(&t, &before));
	/* A huge reader over empty space: one page looked at, then a fault. */
	rd = tb_new_io(&t, vs, 0, MAXU, 0).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_READ, rd, UINT64_MAX, 0), PTD_ERR_FAULT, 0,
			FNV_EMPTY));
	CHECK(io_is(&t, rd, vs, PTD_IO_READER, 0, 0, MAXU));
	tb_fini(&t);
}

/* A mapped frame never written reads as zeros; count = min(len, end - cursor); at the end a
 * read moves nothing and succeeds. */
TEST(read_never_written_frame_gives_zeros)
{
	struct tb t;
	ptd_id_t vs, c, rd;
	static struct slot_snap before;

	c = io_init(&t, &vs);
	map_at(&t, c, 0x1000, 5 * PG, RO);
	rd = tb_new_io(&t, vs, 0x1000, PG, 0).new_id;
	snap_take(&t, &before);
	CHECK(io_result(tb_io(&t, PTD_OP_IO_READ, rd, 1, 0), PTD_OK, 1, FNV_ZERO_BYTE));
	CHECK(io_is(&t, rd, vs, PTD_IO_READER, 0x1000, 0x1001, 0x2000));
	/* Capped at the end: 4095 bytes asked 10000, all of them read. */
	{
		static const uint8_t zeros[PG];

		CHECK(io_result(tb_io(&t, PTD_OP_IO_READ, rd, 10000, 0), PTD_OK, PG - 1,
				tb_fnv1a(zeros, PG - 1)));
	}
	CHECK(io_is(&t, rd, vs, PTD_IO_READER, 0x1000, 0x2000, 0x2000));
	CHECK(io_result(tb_io(&t, PTD_OP_IO_READ, rd, 5, 0), PTD_OK, 0, FNV_EMPTY));
	CHECK(snap_same(&t, &before));
	CHECK_EQ(t.view.ncontents, 0);

	/* A whole page in one read. */
	rd = tb_new_io(&t, vs, 0x1000, PG, 0).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_READ, rd, PG, 0), PTD_OK, PG, FNV_ZERO_PAGE));
	tb_fini(&t);
}

/* Readable = mapped to a tracked frame: across a page boundary into an unmapped page the read
 * stops at the boundary with the partial count and the hash of what was read. */
TEST(read_faults_at_unmapped_page_with_partial_count)
{
	struct tb t;
	ptd_id_t vs, c, wr, rd;

	c = io_init(&t, &vs);
	map_at(&t, c, 0x1000, 5 * PG, RW);
	wr = tb_new_io(&t, vs, 0x1000, PG, 1).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, PG, 11), PTD_OK, PG, 0));
	model_write(5, 0, PG, 11, 0);

	rd = tb_new_io(&t, vs, 0x1f00, 0x200, 0).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_READ, rd, 0x200, 0), PTD_ERR_FAULT, 0x100,
			tb_fnv1a(&model[5][0xf00], 0x100)));
	CHECK(io_is(&t, rd, vs, PTD_IO_READER, 0x1f00, 0x2000, 0x2100));
	/* Again from the boundary: nothing readable. */
	CHECK(io_result(tb_io(&t, PTD_OP_IO_READ, rd, 0x100, 0), PTD_ERR_FAULT, 0, FNV_EMPTY));
	CHECK(io_is(&t, rd, vs, PTD_IO_READER, 0x1f00, 0x2000, 0x2100));
	/* Map the next page: the rest reads. */
	map_at(&t, c, 0x2000, 6 * PG, RO);
	{
		static const uint8_t zeros[0x100];

		CHECK(io_result(tb_io(&t, PTD_OP_IO_READ, rd, 0x100, 0), PTD_OK, 0x100,
				tb_fnv1a(zeros, 0x100)));
	}
	CHECK(contents_match(&t));
	tb_fini(&t);
}

/* An I/O (untracked) mapping is not readable either; a read-only tracked mapping is. */
TEST(read_faults_at_io_memory)
{
	struct tb t;
	ptd_id_t vs, c, wr, rd;

	c = io_init(&t, &vs);
	map_at(&t, c, 0x1000, 5 * PG, RW);
	CHECK_EQ(tb_map_iomem(&t, c, TB_IOMEM_BASE, RW).status, PTD_OK); /* at 0x2000 */
	wr = tb_new_io(&t, vs, 0x1e00, 0x200, 1).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, 0x200, 5), PTD_OK, 0x200, 0));
	model_write(5, 0xe00, 0x200, 5, 0);

	rd = tb_new_io(&t, vs, 0x1e80, 0x1000, 0).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_READ, rd, 0x300, 0), PTD_ERR_FAULT, 0x180,
			tb_fnv1a(&model[5][0xe80], 0x180)));
	CHECK(io_is(&t, rd, vs, PTD_IO_READER, 0x1e80, 0x2000, 0x2e80));
	/* Starting inside the I/O page: nothing. */
	rd = tb_new_io(&t, vs, 0x2010, 0x10, 0).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_READ, rd, 0x10, 0), PTD_ERR_FAULT, 0, FNV_EMPTY));
	CHECK(contents_match(&t));
	tb_fini(&t);
}

/* One read spanning two frames hashes their bytes in address order. */
TEST(read_across_two_frames_hashes_in_order)
{
	struct tb t;
	ptd_id_t vs, c, wr, rd;
	uint8_t buf[0x100];

	c = io_init(&t, &vs);
	map_at(&t, c, 0x1000, 5 * PG, RW);
	map_at(&t, c, 0x2000, 6 * PG, RW);
	wr = tb_new_io(&t, vs, 0x1000, 2 * PG, 1).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, 2 * PG, 99), PTD_OK, 2 * PG, 0));
	model_write(5, 0, PG, 99, 0);
	model_write(6, 0, PG, 99, PG);
	memcpy(buf, &model[5][PG - 0x80], 0x80);
	memcpy(buf + 0x80, &model[6][0], 0x80);
	rd = tb_new_io(&t, vs, 0x2000 - 0x80, 0x100, 0).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_READ, rd, 0x100, 0), PTD_OK, 0x100,
			tb_fnv1a(buf, sizeof buf)));
	CHECK(contents_match(&t));
	tb_fini(&t);
}

/* ---- IoWrite ---------------------------------------------------------------------------- */

/* The byte at address a is ptd_io_byte(seed, a - start): the offset from the writer's start,
 * not from its cursor.  The frame's contents show in the view with the contents hash of all
 * 4096 bytes; no slot changes. */
TEST(write_bytes_follow_offset_from_start)
{
	struct tb t;
	ptd_id_t vs, c, wr;
	static struct slot_snap before;
	uint64_t h;

	c = io_init(&t, &vs);
	map_at(&t, c, 0x1000, 5 * PG, RW);
	wr = tb_new_io(&t, vs, 0x1100, 0x100, 1).new_id;
	snap_take(&t, &before);
	CHECK_EQ(t.view.ncontents, 0);
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, 0x10, 7), PTD_OK, 0x10, 0));
	model_write(5, 0x100, 0x10, 7, 0);
	CHECK(io_is(&t, wr, vs, PTD_IO_WRITER, 0x1100, 0x1110, 0x1200));
	CHECK_EQ(model[5][0x100], ptd_io_byte(7, 0));
	CHECK(tb_content(&t, 5, &h));
	CHECK_EQ(h, tb_contents_hash(model[5], PG));
	CHECK(contents_match(&t));
	/* After a skip, the next bytes are k = 0x20.. (a - start), with another seed. */
	CHECK(only_status(tb_io(&t, PTD_OP_IO_SKIP, wr, 0x10, 0), PTD_OK));
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, 4, 9), PTD_OK, 4, 0));
	model_write(5, 0x120, 4, 9, 0x20);
	CHECK(io_is(&t, wr, vs, PTD_IO_WRITER, 0x1100, 0x1124, 0x1200));
	CHECK(contents_match(&t));
	CHECK(snap_same(&t, &before));
	tb_fini(&t);
}

/* ptd_io_byte(1, 0) = (0x9e3779b97f4a7c15 >> 8) & 0xff = 0x7c, read back as a single byte:
 * FNV-1a("\x7c") = (basis ^ 0x7c) * prime. */
TEST(write_one_byte_literal)
{
	struct tb t;
	ptd_id_t vs, c, wr, rd;

	c = io_init(&t, &vs);
	map_at(&t, c, 0x1000, 5 * PG, RW);
	wr = tb_new_io(&t, vs, 0x1000, 1, 1).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, 1, 1), PTD_OK, 1, 0));
	CHECK_EQ(ptd_io_byte(1, 0), 0x7c);
	rd = tb_new_io(&t, vs, 0x1000, 1, 0).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_READ, rd, 1, 0), PTD_OK, 1,
			(FNV_EMPTY ^ 0x7cull) * 0x100000001b3ull));
	model[5][0] = 0x7c;
	CHECK(contents_match(&t));
	tb_fini(&t);
}

/* Writing three pages in one op, unaligned at both ends: every frame gets its slice. */
TEST(write_across_three_frames)
{
	struct tb t;
	ptd_id_t vs, c, wr;

	c = io_init(&t, &vs);
	map_at(&t, c, 0x1000, 5 * PG, RW);
	map_at(&t, c, 0x2000, 6 * PG, RW);
	map_at(&t, c, 0x3000, 7 * PG, RW);
	wr = tb_new_io(&t, vs, 0x1800, 0x2000, 1).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, 0x2000, 0x1234), PTD_OK, 0x2000, 0));
	model_write(5, 0x800, 0x800, 0x1234, 0);
	model_write(6, 0, PG, 0x1234, 0x800);
	model_write(7, 0, 0x800, 0x1234, 0x1800);
	CHECK(contents_match(&t));
	CHECK_EQ(t.view.ncontents, 3);
	CHECK(io_is(&t, wr, vs, PTD_IO_WRITER, 0x1800, 0x3800, 0x3800));
	tb_fini(&t);
}

/* Writable = tracked and PTD_PF_W: a read-only mapping (even with X, A, D) stops a write; the
 * bytes before it are written, the count is partial, the cursor stops at the boundary. */
TEST(write_faults_at_read_only_mapping)
{
	struct tb t;
	ptd_id_t vs, c, wr, rd;
	static struct slot_snap before;

	c = io_init(&t, &vs);
	map_at(&t, c, 0x1000, 5 * PG, RW);
	map_at(&t, c, 0x2000, 6 * PG, prop_of(PTD_PF_X | PTD_PF_A | PTD_PF_D, PTD_CACHE_UC));
	snap_take(&t, &before);
	wr = tb_new_io(&t, vs, 0x1000, 2 * PG, 1).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, 2 * PG, 3), PTD_ERR_FAULT, PG, 0));
	model_write(5, 0, PG, 3, 0);
	CHECK(io_is(&t, wr, vs, PTD_IO_WRITER, 0x1000, 0x2000, 0x3000));
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, 1, 3), PTD_ERR_FAULT, 0, 0));
	CHECK(io_result(tb_io(&t, PTD_OP_IO_FILL_ZEROS, wr, 1, 0), PTD_ERR_FAULT, 0, 0));
	CHECK(io_is(&t, wr, vs, PTD_IO_WRITER, 0x1000, 0x2000, 0x3000));
	CHECK(contents_match(&t)); /* frame 6 untouched */
	/* The read-only page is still readable. */
	rd = tb_new_io(&t, vs, 0x2000, PG, 0).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_READ, rd, PG, 0), PTD_OK, PG, FNV_ZERO_PAGE));
	CHECK(snap_same(&t, &before));
	tb_fini(&t);
}

/* Writes fault on unmapped pages and on I/O memory. */
TEST(write_faults_at_unmapped_and_io_pages)
{
	struct tb t;
	ptd_id_t vs, c, wr;

	c = io_init(&t, &vs);
	map_at(&t, c, 0x1000, 5 * PG, RW);
	wr = tb_new_io(&t, vs, 0x1f00, 0x200, 1).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, 0x200, 4), PTD_ERR_FAULT, 0x100, 0));
	model_write(5, 0xf00, 0x100, 4, 0);
	CHECK(io_is(&t, wr, vs, PTD_IO_WRITER, 0x1f00, 0x2000, 0x2100));
	CHECK(contents_match(&t));
	/* Map the next page now: writing continues with k = 0x100 (offset from start). */
	map_at(&t, c, 0x2000, 6 * PG, RW);
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, 0x100, 4), PTD_OK, 0x100, 0));
	model_write(6, 0, 0x100, 4, 0x100);
	CHECK(contents_match(&t));

	CHECK_EQ(tb_jump(&t, c, 0x3000).status, PTD_OK);
	CHECK_EQ(tb_map_iomem(&t, c, TB_IOMEM_BASE + PG, RW).status, PTD_OK);
	wr = tb_new_io(&t, vs, 0x3000, 0x10, 1).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, 0x10, 4), PTD_ERR_FAULT, 0, 0));
	CHECK(io_result(tb_io(&t, PTD_OP_IO_FILL_ZEROS, wr, 0x10, 0), PTD_ERR_FAULT, 0, 0));
	CHECK(io_is(&t, wr, vs, PTD_IO_WRITER, 0x3000, 0x3000, 0x3010));
	CHECK(contents_match(&t));
	tb_fini(&t);
}

/* Writability follows the current prop: ProtectNext clearing W makes writes fault, setting W
 * makes them succeed; Unmap makes reads fault. */
TEST(access_follows_protect_and_unmap)
{
	struct tb t;
	ptd_id_t vs, c, wr, rd;

	c = io_init(&t, &vs);
	map_at(&t, c, 0x1000, 5 * PG, RO);
	wr = tb_new_io(&t, vs, 0x1000, 0x30, 1).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, 0x10, 2), PTD_ERR_FAULT, 0, 0));
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	CHECK_EQ(tb_protect(&t, c, PG, (struct ptd_prop_change){ .set = PTD_PF_W,
								  .cache = PTD_CACHE_KEEP })
			 .found, 1);
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, 0x10, 2), PTD_OK, 0x10, 0));
	model_write(5, 0, 0x10, 2, 0);
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	CHECK_EQ(tb_protect(&t, c, PG, (struct ptd_prop_change){ .clear = PTD_PF_W,
								  .cache = PTD_CACHE_KEEP })
			 .found, 1);
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, 0x10, 2), PTD_ERR_FAULT, 0, 0));
	CHECK(contents_match(&t));

	rd = tb_new_io(&t, vs, 0x1000, 0x20, 0).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_READ, rd, 0x10, 0), PTD_OK, 0x10,
			tb_fnv1a(model[5], 0x10)));
	CHECK_EQ(tb_jump(&t, c, 0x1000).status, PTD_OK);
	CHECK_EQ(tb_unmap(&t, c, PG).count, 1);
	CHECK(io_result(tb_io(&t, PTD_OP_IO_READ, rd, 0x10, 0), PTD_ERR_FAULT, 0, FNV_EMPTY));
	CHECK(io_is(&t, rd, vs, PTD_IO_READER, 0x1000, 0x1010, 0x1020));
	/* The frame is free now (rc 1 released); its bytes stay. */
	CHECK(slot_torn_down(&t, 5, PTD_USAGE_FRAME));
	CHECK(contents_match(&t));
	tb_fini(&t);
}

/* The same frame through a second mapping: another va of the same space, and another space
 * (read-only there), sees the bytes written through the first. */
TEST(bytes_read_back_through_other_mappings)
{
	struct tb t;
	ptd_id_t vs, c, vs2, c2, h, wr, rd;

	c = io_init(&t, &vs);
	map_at(&t, c, 0x1000, 5 * PG, RW);
	/* Second mapping of frame 5 in the same space, at 0x4000, read-only. */
	h = tb_from_in_use(&t, 5 * PG).new_id;
	CHECK_EQ(tb_jump(&t, c, 0x4000).status, PTD_OK);
	CHECK_EQ(tb_map(&t, c, h, RO).status, PTD_OK);
	/* Third, in another space at 0x7000. */
	c2 = open_new(&t, &vs2, 0x7000, 0x8000);
	h = tb_from_in_use(&t, 5 * PG).new_id;
	CHECK_EQ(tb_map(&t, c2, h, RO).status, PTD_OK);
	CHECK(slot_live(&t, 5, 3, PTD_USAGE_FRAME));

	wr = tb_new_io(&t, vs, 0x1010, 0x100, 1).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, 0x100, 0xabcdef), PTD_OK, 0x100, 0));
	model_write(5, 0x10, 0x100, 0xabcdef, 0);
	CHECK(slot_live(&t, 5, 3, PTD_USAGE_FRAME));

	rd = tb_new_io(&t, vs, 0x4010, 0x100, 0).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_READ, rd, 0x100, 0), PTD_OK, 0x100,
			tb_fnv1a(&model[5][0x10], 0x100)));
	rd = tb_new_io(&t, vs2, 0x7000, PG, 0).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_READ, rd, PG, 0), PTD_OK, PG,
			tb_fnv1a(model[5], PG)));
	CHECK(io_is(&t, rd, vs2, PTD_IO_READER, 0x7000, 0x8000, 0x8000));
	/* Writing through the read-only second mapping faults. */
	wr = tb_new_io(&t, vs2, 0x7000, 1, 1).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, 1, 1), PTD_ERR_FAULT, 0, 0));
	CHECK(contents_match(&t));
	CHECK(accounting_ok(&t));
	tb_fini(&t);
}

/* ---- IoFillZeros ------------------------------------------------------------------------ */

/* Zeros overwrite written bytes (the hash changes); a frame back to all zeros leaves contents[];
 * filling a frame never written succeeds and lists nothing. */
TEST(fill_zeros)
{
	struct tb t;
	ptd_id_t vs, c, wr, z;

	c = io_init(&t, &vs);
	map_at(&t, c, 0x1000, 5 * PG, RW);
	map_at(&t, c, 0x2000, 6 * PG, RW);
	wr = tb_new_io(&t, vs, 0x1000, PG, 1).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, PG, 77), PTD_OK, PG, 0));
	model_write(5, 0, PG, 77, 0);
	CHECK(contents_match(&t));

	z = tb_new_io(&t, vs, 0x1100, 0x1000, 1).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_FILL_ZEROS, z, 0x200, 0), PTD_OK, 0x200, 0));
	memset(&model[5][0x100], 0, 0x200);
	CHECK(io_is(&t, z, vs, PTD_IO_WRITER, 0x1100, 0x1300, 0x2100));
	CHECK(contents_match(&t));
	/* The rest of frame 5 and the first 0x100 bytes of frame 6 (never written). */
	CHECK(io_result(tb_io(&t, PTD_OP_IO_FILL_ZEROS, z, 0x1000, 0), PTD_OK, 0xe00, 0));
	memset(&model[5][0x300], 0, PG - 0x300);
	CHECK(contents_match(&t));
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, 0, 0), PTD_OK, 0, 0)); /* at its end */
	z = tb_new_io(&t, vs, 0x1000, 0x100, 1).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_FILL_ZEROS, z, 0x100, 0), PTD_OK, 0x100, 0));
	memset(model[5], 0, 0x100);
	CHECK(model_zero(5));
	CHECK(contents_match(&t));
	CHECK_EQ(t.view.ncontents, 0);
	/* Fill zeros faults where writes fault: unmapped page. */
	z = tb_new_io(&t, vs, 0x2ff0, 0x20, 1).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_FILL_ZEROS, z, 0x20, 0), PTD_ERR_FAULT, 0x10, 0));
	CHECK(io_is(&t, z, vs, PTD_IO_WRITER, 0x2ff0, 0x3000, 0x3010));
	tb_fini(&t);
}

/* A written byte that is zero (ptd_io_byte(0, 0) = 0) leaves the frame all zero: not listed. */
TEST(written_but_zero_frame_not_listed)
{
	struct tb t;
	ptd_id_t vs, c, wr;

	c = io_init(&t, &vs);
	map_at(&t, c, 0x1000, 5 * PG, RW);
	CHECK_EQ(ptd_io_byte(0, 0), 0);
	wr = tb_new_io(&t, vs, 0x1000, 1, 1).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, 1, 0), PTD_OK, 1, 0));
	CHECK_EQ(t.view.ncontents, 0);
	tb_fini(&t);
}

/* ---- ReaderReadVal, ReaderCollect, WriterWriteVal (read_val, collect, write_val) ---------- */

/* A value that fits moves exactly its size and advances the cursor; one larger than what
 * remains is ERR_INVALID_ARGS and moves nothing; one that faults part-way leaves the handle as
 * it was and returns nothing, but the bytes write_val got to stay written (OSTD rolls back the
 * cursor only). */
TEST(write_val_all_or_nothing_for_the_handle)
{
	struct tb t;
	ptd_id_t vs, c, wr;
	static struct slot_snap before;

	c = io_init(&t, &vs);
	map_at(&t, c, 0x1000, 5 * PG, RW);
	wr = tb_new_io(&t, vs, 0x1ff0, 0x20, 1).new_id;
	snap_take(&t, &before);
	CHECK(io_result(tb_io(&t, PTD_OP_WRITER_WRITE_VAL, wr, 8, 3), PTD_OK, 8, 0));
	model_write(5, 0xff0, 8, 3, 0);
	CHECK(io_is(&t, wr, vs, PTD_IO_WRITER, 0x1ff0, 0x1ff8, 0x2010));
	CHECK(contents_match(&t));
	/* 0x18 remain: a 0x19-byte value is refused before anything moves. */
	CHECK(io_result(tb_io(&t, PTD_OP_WRITER_WRITE_VAL, wr, 0x19, 4), PTD_ERR_INVALID_ARGS, 0,
			0));
	CHECK(io_is(&t, wr, vs, PTD_IO_WRITER, 0x1ff0, 0x1ff8, 0x2010));
	CHECK(contents_match(&t));
	/* 0x10 bytes from 0x1ff8: 8 land in frame 5, then 0x2000 is unmapped. */
	CHECK(io_result(tb_io(&t, PTD_OP_WRITER_WRITE_VAL, wr, 0x10, 4), PTD_ERR_FAULT, 0, 0));
	model_write(5, 0xff8, 8, 4, 8);
	CHECK(io_is(&t, wr, vs, PTD_IO_WRITER, 0x1ff0, 0x1ff8, 0x2010));
	CHECK(contents_match(&t));
	/* A zero-sized value always fits. */
	CHECK(io_result(tb_io(&t, PTD_OP_WRITER_WRITE_VAL, wr, 0, 4), PTD_OK, 0, 0));
	CHECK(snap_same(&t, &before));
	tb_fini(&t);
}

/* read_val: OK with the hash of exactly its bytes; ERR_INVALID_ARGS past the end; a fault
 * leaves the cursor; collect reads everything left, or nothing when any of it faults. */
TEST(read_val_and_collect)
{
	struct tb t;
	ptd_id_t vs, c, wr, rd;
	static struct slot_snap before;
	uint8_t val[8];

	c = io_init(&t, &vs);
	map_at(&t, c, 0x1000, 5 * PG, RW);
	map_at(&t, c, 0x2000, 6 * PG, RO);
	wr = tb_new_io(&t, vs, 0x1000, PG, 1).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, PG, 9), PTD_OK, PG, 0));
	model_write(5, 0, PG, 9, 0);
	rd = tb_new_io(&t, vs, 0x1ffc, 0x1008, 0).new_id;
	snap_take(&t, &before);
	/* 4 bytes of frame 5, 4 zero bytes of frame 6 (read-only is readable). */
	memcpy(val, &model[5][0xffc], 4);
	memcpy(val + 4, model[6], 4);
	CHECK(io_result(tb_io(&t, PTD_OP_READER_READ_VAL, rd, 8, 0), PTD_OK, 8,
			tb_fnv1a(val, 8)));
	CHECK(io_is(&t, rd, vs, PTD_IO_READER, 0x1ffc, 0x2004, 0x3004));
	CHECK(io_result(tb_io(&t, PTD_OP_READER_READ_VAL, rd, 0x1001, 0), PTD_ERR_INVALID_ARGS,
			0, 0));
	/* The last 4 bytes (0x3000..0x3003) are unmapped: collect returns nothing. */
	CHECK(io_result(tb_io(&t, PTD_OP_READER_COLLECT, rd, 0, 0), PTD_ERR_FAULT, 0, 0));
	CHECK(io_is(&t, rd, vs, PTD_IO_READER, 0x1ffc, 0x2004, 0x3004));
	CHECK(io_result(tb_io(&t, PTD_OP_READER_READ_VAL, rd, 0x1000, 0), PTD_ERR_FAULT, 0, 0));
	CHECK(io_result(tb_io(&t, PTD_OP_READER_READ_VAL, rd, 0xffc, 0), PTD_OK, 0xffc,
			tb_fnv1a(&model[6][4], 0xffc)));
	CHECK(io_is(&t, rd, vs, PTD_IO_READER, 0x1ffc, 0x3000, 0x3004));
	/* Collect of what is left of a mapped range: all of it, then nothing left (OK, empty). */
	rd = tb_new_io(&t, vs, 0x1800, 0x800, 0).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_READER_COLLECT, rd, 0, 0), PTD_OK, 0x800,
			tb_fnv1a(&model[5][0x800], 0x800)));
	CHECK(io_is(&t, rd, vs, PTD_IO_READER, 0x1800, 0x2000, 0x2000));
	CHECK(io_result(tb_io(&t, PTD_OP_READER_COLLECT, rd, 0, 0), PTD_OK, 0, FNV_EMPTY));
	CHECK(snap_same(&t, &before));
	CHECK(contents_match(&t));
	tb_fini(&t);
}

/* ReaderQuery / WriterQuery: remain or avail, has_*, cursor; nothing changes. */
TEST(queries_report_the_handle)
{
	struct tb t;
	ptd_id_t vs, rd, wr;
	struct ptd_result r;

	(void)io_init(&t, &vs);
	rd = tb_new_io(&t, vs, 0x1000, 0x30, 0).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_SKIP, rd, 0x10, 0), PTD_OK, 0, 0));
	r = tb_io(&t, PTD_OP_READER_QUERY, rd, 0, 0);
	CHECK(r.found == 1 && r.va == 0x1010 && r.count == 0x20);
	r.found = 0, r.va = 0, r.count = 0;
	CHECK(only_status(r, PTD_OK));
	CHECK(io_is(&t, rd, vs, PTD_IO_READER, 0x1000, 0x1010, 0x1030));
	wr = tb_new_kernel_io(&t, 0x40, 0, 1).new_id;
	r = tb_io(&t, PTD_OP_WRITER_QUERY, wr, 0, 0);
	CHECK(r.found == 0 && r.va == 0x40 && r.count == 0);
	r.va = 0;
	CHECK(only_status(r, PTD_OK));
	tb_fini(&t);
}

/* ---- IoSkip, IoLimit, IoDrop ------------------------------------------------------------ */

TEST(skip)
{
	struct tb t;
	ptd_id_t vs, rd, wr;
	static struct view_snap before;

	(void)io_init(&t, &vs);
	rd = tb_new_io(&t, vs, 0x1000, 100, 0).new_id;
	wr = tb_new_io(&t, vs, 0x2000, 0, 1).new_id;
	view_snap_take(&t, &before);
	CHECK(only_status(tb_io(&t, PTD_OP_IO_SKIP, rd, 101, 0), PTD_ERR_WOULD_PANIC));
	CHECK(only_status(tb_io(&t, PTD_OP_IO_SKIP, rd, UINT64_MAX, 0), PTD_ERR_WOULD_PANIC));
	CHECK(only_status(tb_io(&t, PTD_OP_IO_SKIP, wr, 1, 0), PTD_ERR_WOULD_PANIC));
	CHECK(view_snap_same(&t, &before));
	CHECK(only_status(tb_io(&t, PTD_OP_IO_SKIP, rd, 40, 0), PTD_OK));
	CHECK(io_is(&t, rd, vs, PTD_IO_READER, 0x1000, 0x1028, 0x1064));
	CHECK(only_status(tb_io(&t, PTD_OP_IO_SKIP, rd, 61, 0), PTD_ERR_WOULD_PANIC));
	CHECK(only_status(tb_io(&t, PTD_OP_IO_SKIP, rd, 60, 0), PTD_OK));
	CHECK(io_is(&t, rd, vs, PTD_IO_READER, 0x1000, 0x1064, 0x1064));
	CHECK(only_status(tb_io(&t, PTD_OP_IO_SKIP, rd, 0, 0), PTD_OK));
	CHECK(only_status(tb_io(&t, PTD_OP_IO_SKIP, wr, 0, 0), PTD_OK));
	CHECK(io_is(&t, wr, vs, PTD_IO_WRITER, 0x2000, 0x2000, 0x2000));
	/* Skipping over unmapped memory is fine: skip does not translate. */
	CHECK_EQ(t.view.nmaps, 0);
	tb_fini(&t);
}

TEST(limit)
{
	struct tb t;
	ptd_id_t vs, c, rd, wr;

	c = io_init(&t, &vs);
	map_at(&t, c, 0x1000, 5 * PG, RW);
	rd = tb_new_io(&t, vs, 0x1000, 0x100, 0).new_id;
	CHECK(only_status(tb_io(&t, PTD_OP_IO_SKIP, rd, 0x10, 0), PTD_OK));
	/* end = cursor + min(len, end - cursor). */
	CHECK(only_status(tb_io(&t, PTD_OP_IO_LIMIT, rd, 0x20, 0), PTD_OK));
	CHECK(io_is(&t, rd, vs, PTD_IO_READER, 0x1000, 0x1010, 0x1030));
	CHECK(only_status(tb_io(&t, PTD_OP_IO_LIMIT, rd, 0x1000, 0), PTD_OK)); /* never raises */
	CHECK(io_is(&t, rd, vs, PTD_IO_READER, 0x1000, 0x1010, 0x1030));
	CHECK(only_status(tb_io(&t, PTD_OP_IO_LIMIT, rd, UINT64_MAX, 0), PTD_OK));
	CHECK(io_is(&t, rd, vs, PTD_IO_READER, 0x1000, 0x1010, 0x1030));
	/* A read is capped at the new end: asked 0x100, 0x20 read, OK. */
	{
		static const uint8_t zeros[0x20];

		CHECK(io_result(tb_io(&t, PTD_OP_IO_READ, rd, 0x100, 0), PTD_OK, 0x20,
				tb_fnv1a(zeros, 0x20)));
	}
	CHECK(io_is(&t, rd, vs, PTD_IO_READER, 0x1000, 0x1030, 0x1030));
	CHECK(only_status(tb_io(&t, PTD_OP_IO_SKIP, rd, 1, 0), PTD_ERR_WOULD_PANIC));

	/* limit(0) empties a writer: writes then move nothing and succeed. */
	wr = tb_new_io(&t, vs, 0x1008, 0x100, 1).new_id;
	CHECK(only_status(tb_io(&t, PTD_OP_IO_LIMIT, wr, 0, 0), PTD_OK));
	CHECK(io_is(&t, wr, vs, PTD_IO_WRITER, 0x1008, 0x1008, 0x1008));
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, 0x10, 5), PTD_OK, 0, 0));
	CHECK(io_result(tb_io(&t, PTD_OP_IO_FILL_ZEROS, wr, 0x10, 0), PTD_OK, 0, 0));
	CHECK_EQ(t.view.ncontents, 0);
	/* A write limited to 3 bytes writes 3 and succeeds. */
	wr = tb_new_io(&t, vs, 0x1008, 0x100, 1).new_id;
	CHECK(only_status(tb_io(&t, PTD_OP_IO_LIMIT, wr, 3, 0), PTD_OK));
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, 0x10, 5), PTD_OK, 3, 0));
	model_write(5, 8, 3, 5, 0);
	CHECK(contents_match(&t));
	tb_fini(&t);
}

/* IoDrop unregisters; DropVmSpace refuses while a reader or writer of the space is live (after
 * the cursor check), and not because of another space's. */
TEST(drop_and_drop_vm_space_busy)
{
	struct tb t;
	ptd_id_t vs, c, vs2, c2, rd, wr, other;
	static struct view_snap before;

	c = io_init(&t, &vs);
	c2 = open_new(&t, &vs2, 0, PG);
	CHECK_EQ(tb_drop_cursor(&t, c2).status, PTD_OK);
	rd = tb_new_io(&t, vs, 0x1000, 0x10, 0).new_id;
	wr = tb_new_io(&t, vs, 0x1000, 0x10, 1).new_id;
	other = tb_new_io(&t, vs2, 0, 0x10, 0).new_id;

	/* Cursor and readers live: busy. */
	view_snap_take(&t, &before);
	CHECK(only_status(tb_drop_vs(&t, vs), PTD_ERR_BUSY));
	CHECK(view_snap_same(&t, &before));
	CHECK_EQ(tb_drop_cursor(&t, c).status, PTD_OK);
	/* No cursor, a reader and a writer: busy. */
	view_snap_take(&t, &before);
	CHECK(only_status(tb_drop_vs(&t, vs), PTD_ERR_BUSY));
	CHECK(view_snap_same(&t, &before));
	CHECK(only_status(tb_io(&t, PTD_OP_IO_DROP, rd, 0, 0), PTD_OK));
	CHECK(tb_io_view(&t, rd) == NULL);
	CHECK_EQ(t.view.nios, 2);
	/* The writer alone: still busy. */
	CHECK(only_status(tb_drop_vs(&t, vs), PTD_ERR_BUSY));
	CHECK(only_status(tb_io(&t, PTD_OP_IO_DROP, wr, 0, 0), PTD_OK));
	/* vs2's reader does not keep vs busy. */
	CHECK(only_status(tb_drop_vs(&t, vs), PTD_OK));
	CHECK(!vs_live(&t, vs));
	CHECK(only_status(tb_drop_vs(&t, vs2), PTD_ERR_BUSY));
	CHECK(io_is(&t, other, vs2, PTD_IO_READER, 0, 0, 0x10));
	CHECK(only_status(tb_io(&t, PTD_OP_IO_DROP, other, 0, 0), PTD_OK));
	CHECK_EQ(t.view.nios, 0);
	CHECK(only_status(tb_drop_vs(&t, vs2), PTD_OK));
	for (uint64_t i = 0; i < TB_NFRAMES; i++) {
		CHECK(tb_slot(&t, i)->rc == PTD_RC_UNUSED);
	}
	/* A space created after the drop starts with no readers (its id is reused here). */
	CHECK_EQ(tb_apply(&t, (struct ptd_op){ .kind = PTD_OP_NEW_VM_SPACE, .new_id = vs })
			 .status, PTD_OK);
	CHECK(only_status(tb_drop_vs(&t, vs), PTD_OK));
	tb_fini(&t);
}

/* ---- Contents across claim, free, node allocation and reset ----------------------------- */

/* Freeing and re-claiming a frame keeps its bytes; so does its becoming a page-table node
 * (contents are not node memory), and after that node is freed the bytes read back. */
TEST(contents_survive_free_claim_and_node_use)
{
	struct tb t;
	ptd_id_t vs, c, wr, rd, vs2, h;

	c = io_init(&t, &vs); /* nodes 32..35 */
	/* Frame 36 (the next pool frame) as data at va 0, written. */
	map_at(&t, c, 0, 36 * PG, RW);
	wr = tb_new_io(&t, vs, 0x10, 0x40, 1).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, 0x40, 21), PTD_OK, 0x40, 0));
	model_write(36, 0x10, 0x40, 21, 0);
	CHECK(only_status(tb_io(&t, PTD_OP_IO_DROP, wr, 0, 0), PTD_OK));
	/* Unmap: rc 1 -> torn down; the bytes stay. */
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	CHECK_EQ(tb_unmap(&t, c, PG).count, 1);
	CHECK(slot_torn_down(&t, 36, PTD_USAGE_FRAME));
	CHECK(contents_match(&t));
	/* A new space's root takes the lowest free pool slot: 36. */
	vs2 = tb_new_vs(&t).new_id;
	CHECK(slot_live(&t, 36, 1, PTD_USAGE_PAGE_TABLE));
	CHECK(tb_has_path(&t, 36, vs2, 0, 0));
	CHECK(contents_match(&t));
	CHECK_EQ(tb_drop_vs(&t, vs2).status, PTD_OK);
	CHECK(slot_torn_down(&t, 36, PTD_USAGE_PAGE_TABLE));
	CHECK(contents_match(&t));
	/* Claim it as a Frame again, map it, read it back. */
	h = tb_frame(&t, 36 * PG).new_id;
	CHECK(h != 0);
	CHECK_EQ(tb_jump(&t, c, 0x5000).status, PTD_OK);
	CHECK_EQ(tb_map(&t, c, h, RO).status, PTD_OK);
	rd = tb_new_io(&t, vs, 0x5000, PG, 0).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_READ, rd, PG, 0), PTD_OK, PG,
			tb_fnv1a(model[36], PG)));
	CHECK(contents_match(&t));
	tb_fini(&t);
}

/* Reset: no readers or writers, every frame zero again; pages reused after reset start zero. */
TEST(reset_clears_contents_and_handles)
{
	struct tb t;
	ptd_id_t vs, c, wr, rd;

	c = io_init(&t, &vs);
	map_at(&t, c, 0x1000, 5 * PG, RW);
	map_at(&t, c, 0x2000, 6 * PG, RW);
	wr = tb_new_io(&t, vs, 0x1000, 2 * PG, 1).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, 2 * PG, 8), PTD_OK, 2 * PG, 0));
	(void)tb_new_io(&t, vs, 0, 1, 0);
	CHECK_EQ(t.view.ncontents, 2);
	CHECK_EQ(t.view.nios, 2);

	t.be->reset(t.self);
	tb_refresh(&t);
	CHECK_EQ(t.view.ncontents, 0);
	CHECK_EQ(t.view.nios, 0);
	CHECK_EQ(t.view.nvmspaces, 0);
	memset(model, 0, sizeof model);

	/* The same script from scratch: ids restart; frames read as zeros. */
	t.next_id = 1;
	c = open_new(&t, &vs, 0, 64 * KIB);
	map_at(&t, c, 0x1000, 5 * PG, RW);
	map_at(&t, c, 0x2000, 7 * PG, RW);
	rd = tb_new_io(&t, vs, 0x1000, PG, 0).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_READ, rd, PG, 0), PTD_OK, PG, FNV_ZERO_PAGE));
	/* A frame written after the reset (on a recycled page) holds just the new bytes. */
	wr = tb_new_io(&t, vs, 0x2000, 0x10, 1).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, 0x10, 1), PTD_OK, 0x10, 0));
	model_write(7, 0, 0x10, 1, 0);
	CHECK(contents_match(&t));
	CHECK_EQ(t.view.ncontents, 1);
	/* The space is droppable only once its handles are gone. */
	CHECK(only_status(tb_io(&t, PTD_OP_IO_DROP, rd, 0, 0), PTD_OK));
	CHECK(only_status(tb_io(&t, PTD_OP_IO_DROP, wr, 0, 0), PTD_OK));
	CHECK_EQ(tb_drop_cursor(&t, c).status, PTD_OK);
	CHECK(only_status(tb_drop_vs(&t, vs), PTD_OK));
	CHECK(contents_match(&t)); /* dropping the space keeps the bytes */
	tb_fini(&t);
}

/* The view reports overflow when ios[] or contents[] is too small, and the hash cache stays
 * right across views. */
TEST(view_overflow_and_hash_cache)
{
	struct tb t;
	ptd_id_t vs, c, wr;
	struct ptd_view v;
	struct ptd_content_view one[1];
	struct ptd_io_view io1[1];
	uint64_t h;

	c = io_init(&t, &vs);
	map_at(&t, c, 0x1000, 5 * PG, RW);
	map_at(&t, c, 0x2000, 6 * PG, RW);
	wr = tb_new_io(&t, vs, 0x1000, 2 * PG, 1).new_id;
	(void)tb_new_io(&t, vs, 0x1000, 2 * PG, 0);
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, 2 * PG, 6), PTD_OK, 2 * PG, 0));
	model_write(5, 0, PG, 6, 0);
	model_write(6, 0, PG, 6, PG);
	CHECK(contents_match(&t));

	v = t.view;
	v.contents = one;
	v.contents_cap = 1;
	v.ios = io1;
	v.ios_cap = 1;
	v.overflow = 0;
	t.be->view(t.self, &v);
	CHECK_EQ(v.overflow, 1);
	CHECK_EQ(v.ncontents, 1);
	CHECK_EQ(v.nios, 1);

	/* Views in a row give the same hash; a later write changes it. */
	tb_refresh(&t);
	CHECK(tb_content(&t, 6, &h));
	CHECK_EQ(h, tb_contents_hash(model[6], PG));
	wr = tb_new_io(&t, vs, 0x2fff, 1, 1).new_id;
	CHECK(io_result(tb_io(&t, PTD_OP_IO_WRITE, wr, 1, 200), PTD_OK, 1, 0));
	model_write(6, PG - 1, 1, 200, 0);
	CHECK(contents_match(&t));
	tb_fini(&t);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(new_reader_and_writer_register_their_range),
	      PTD_TEST_ENTRY(new_reader_bad_range),
	      PTD_TEST_ENTRY(read_unmapped_faults_at_once),
	      PTD_TEST_ENTRY(read_never_written_frame_gives_zeros),
	      PTD_TEST_ENTRY(read_faults_at_unmapped_page_with_partial_count),
	      PTD_TEST_ENTRY(read_faults_at_io_memory),
	      PTD_TEST_ENTRY(read_across_two_frames_hashes_in_order),
	      PTD_TEST_ENTRY(write_bytes_follow_offset_from_start),
	      PTD_TEST_ENTRY(write_one_byte_literal),
	      PTD_TEST_ENTRY(write_across_three_frames),
	      PTD_TEST_ENTRY(write_faults_at_read_only_mapping),
	      PTD_TEST_ENTRY(write_faults_at_unmapped_and_io_pages),
	      PTD_TEST_ENTRY(access_follows_protect_and_unmap),
	      PTD_TEST_ENTRY(bytes_read_back_through_other_mappings),
	      PTD_TEST_ENTRY(fill_zeros),
	      PTD_TEST_ENTRY(written_but_zero_frame_not_listed),
	      PTD_TEST_ENTRY(write_val_all_or_nothing_for_the_handle),
	      PTD_TEST_ENTRY(read_val_and_collect),
	      PTD_TEST_ENTRY(queries_report_the_handle),
	      PTD_TEST_ENTRY(skip),
	      PTD_TEST_ENTRY(limit),
	      PTD_TEST_ENTRY(drop_and_drop_vm_space_busy),
	      PTD_TEST_ENTRY(contents_survive_free_claim_and_node_use),
	      PTD_TEST_ENTRY(reset_clears_contents_and_handles),
	      PTD_TEST_ENTRY(view_overflow_and_hash_cache))
