/* SPDX-License-Identifier: MIT */
/*
 * Oracle unit tests: readers and writers and frame contents (docs/POLICY.md "Readers and
 * writers", docs/CONTRACTS.md#io) — NewReader/NewWriter ranges (every ERR_BAD_RANGE edge, overflow
 * included), IoRead/IoWrite/IoFillZeros byte by byte (partial counts and ERR_FAULT at unmapped,
 * I/O and read-only pages, across page boundaries; n = min(len, end - cursor)), the same bytes
 * read back through another va and another address space, IoSkip/IoLimit/IoDrop, DropVmSpace's
 * ERR_BUSY, the view's contents[] (the XXH3-64 of each non-zero frame) surviving free, claim and
 * node reuse, reset clearing it, and overflow of ios[] and contents[].
 *
 * Expected bytes are built by hand in local page images from ptd_io_byte(); expected hashes are
 * tb_contents_hash() of those images for contents[], and tb_fnv1a() of the moved bytes, plus a
 * few literal FNV-1a constants, for results.
 */
#include "oracle_util.h"

#define MAXU PTD_MAX_USERSPACE_VADDR
#define FNV_EMPTY UINT64_C(0xcbf29ce484222325) /* FNV-1a 64 of no bytes: the offset basis */
#define FNV_ZERO_PAGE UINT64_C(0xb93a0c83ce3b6325) /* of 4096 zero bytes */
#define FNV_A UINT64_C(0xaf63dc4c8601ec8c)        /* of the one byte 'a' */

#define PROP_RO ((struct ptd_prop){ .flags = 0, .cache = PTD_CACHE_WB })

/* One address space (root 32) and a mutable cursor over [0, 4 MiB) (L3 33, L2 34). */
struct env {
	struct tb t;
	ptd_id_t vs, c;
};

static void env_init(struct env *e)
{
	tb_init(&e->t, &ptd_oracle_backend);
	e->vs = tb_new_vs(&e->t).new_id;
	e->c = tb_open(&e->t, e->vs, 0, 4 * MIB, 1).new_id;
	CHECK_EQ(e->vs, 1);
	CHECK_EQ(e->c, 2);
}

/* Map the Frame handle frame at va through cursor c with prop. */
static void map_handle(struct tb *t, ptd_id_t c, uint64_t va, ptd_id_t frame, struct ptd_prop prop)
{
	CHECK_EQ(tb_jump(t, c, va).status, PTD_OK);
	CHECK_EQ(tb_map(t, c, frame, prop).status, PTD_OK);
}

/* Claim slot and map it at va. */
static void map_slot(struct tb *t, ptd_id_t c, uint64_t va, uint64_t slot, struct ptd_prop prop)
{
	map_handle(t, c, va, ou_frame(t, slot), prop);
}

/* A new reader (writer = 0) or writer that must succeed; returns its id. */
static ptd_id_t new_io(struct tb *t, ptd_id_t vs, uint64_t va, uint64_t len, int writer)
{
	struct ptd_result r = tb_new_io(t, vs, va, len, writer);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(r.new_id != 0);
	return r.new_id;
}

/* A plain OK with every result field zero (skip, limit, drop). */
#define CHECK_PLAIN_OK(r_expr) CHECK_MOVE((r_expr), PTD_OK, 0, 0)

/* The view equals the snapshot except perhaps ios[] and contents[]: no slot, path, mapping or
 * other handle changed. */
static int same_but_io(const struct tb *t, const struct ou_snap *s)
{
	struct ou_snap x = *s;
	x.v.ios = t->view.ios;
	x.v.nios = t->view.nios;
	x.v.contents = t->view.contents;
	x.v.ncontents = t->view.ncontents;
	return ou_same(t, &x);
}

/* Slot's content hash in the view equals the FNV-1a 64 of img (4096 bytes). */
static int content_is(const struct tb *t, uint64_t slot, const uint8_t *img)
{
	uint64_t h = 0;
	return tb_content(t, slot, &h) && h == tb_contents_hash(img, PG);
}

static int no_content(const struct tb *t, uint64_t slot)
{
	uint64_t h;
	return !tb_content(t, slot, &h);
}

/* FNV-1a 64 of ptd_io_byte(seed, k) for k in [k0, k0 + n). */
static uint64_t fnv_seq(uint64_t seed, uint64_t k0, size_t n)
{
	uint8_t buf[8192];
	CHECK(n <= sizeof buf);
	for (size_t i = 0; i < n; i++)
		buf[i] = ptd_io_byte(seed, k0 + i);
	return tb_fnv1a(buf, n);
}

/* ---- NewReader / NewWriter ---- */

/* Success: start = cursor = va, end = va + len, kind; len 0, unaligned va and the very top. */
TEST(new_io_registers)
{
	struct env e;
	struct ou_snap before;
	struct ptd_result r;
	env_init(&e);
	before = ou_snap(&e.t);
	r = tb_new_io(&e.t, e.vs, 0x1000, 0x2000, 0);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.new_id, 3);
	CHECK_EQ(r.new_id2 + r.found + r.tracked + r.paddr + r.va + r.va_end + r.count + r.hash, 0);
	CHECK_IO(&e.t, 3, e.vs, PTD_IO_READER, 0x1000, 0x1000, 0x3000);
	r = tb_new_io(&e.t, e.vs, 0x5000, 0, 1);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.new_id, 4);
	CHECK_IO(&e.t, 4, e.vs, PTD_IO_WRITER, 0x5000, 0x5000, 0x5000);
	CHECK_IO(&e.t, new_io(&e.t, e.vs, 0x123, 5, 1), e.vs, PTD_IO_WRITER, 0x123, 0x123, 0x128);
	/* va + len == MAX_USERSPACE_VADDR exactly is allowed. */
	CHECK_IO(&e.t, new_io(&e.t, e.vs, 0, MAXU, 0), e.vs, PTD_IO_READER, 0, 0, MAXU);
	CHECK_IO(&e.t, new_io(&e.t, e.vs, MAXU, 0, 1), e.vs, PTD_IO_WRITER, MAXU, MAXU, MAXU);
	CHECK_IO(&e.t, new_io(&e.t, e.vs, MAXU - PG, PG, 0), e.vs, PTD_IO_READER, MAXU - PG,
		 MAXU - PG, MAXU);
	CHECK_IO(&e.t, new_io(&e.t, e.vs, MAXU - 1, 1, 1), e.vs, PTD_IO_WRITER, MAXU - 1, MAXU - 1,
		 MAXU);
	CHECK_EQ(e.t.view.nios, 7);
	/* Nothing else changed (docs/CONTRACTS.md#io: no slot is touched), and no contents
	 * appeared. */
	CHECK(same_but_io(&e.t, &before));
	CHECK_EQ(e.t.view.ncontents, 0);
	ou_snap_free(&before);
	tb_fini(&e.t);
}

/* ERR_BAD_RANGE: va + len > MAX_USERSPACE_VADDR, including where va + len wraps around. */
TEST(new_io_bad_range)
{
	struct env e;
	env_init(&e);
	for (int w = 0; w <= 1; w++) {
		CHECK_REFUSED(&e.t, tb_new_io(&e.t, e.vs, MAXU - PG, PG + 1, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(&e.t, tb_new_io(&e.t, e.vs, 0, MAXU + 1, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(&e.t, tb_new_io(&e.t, e.vs, 1, MAXU, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(&e.t, tb_new_io(&e.t, e.vs, MAXU + 1, 0, w), PTD_ERR_BAD_RANGE);
		/* The cursor bound 2^47 is not the reader bound (the top page is excluded). */
		CHECK_REFUSED(&e.t, tb_new_io(&e.t, e.vs, 0, PTD_USER_END, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(&e.t, tb_new_io(&e.t, e.vs, PTD_USER_END - PG, PG, w),
			      PTD_ERR_BAD_RANGE);
		/* Wrapping sums: va + len mod 2^64 would be small. */
		CHECK_REFUSED(&e.t, tb_new_io(&e.t, e.vs, 1, UINT64_MAX, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(&e.t, tb_new_io(&e.t, e.vs, UINT64_MAX, 1, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(&e.t, tb_new_io(&e.t, e.vs, UINT64_MAX - 0xfff, PG, w),
			      PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(&e.t, tb_new_io(&e.t, e.vs, UINT64_MAX, 0, w), PTD_ERR_BAD_RANGE);
	}
	CHECK_EQ(e.t.view.nios, 0);
	tb_fini(&e.t);
}

/* ---- IoRead / IoWrite: bytes ---- */

/* A never-written frame reads as 4096 zeros; an exhausted reader reads nothing, OK. */
TEST(read_zero_frame)
{
	struct env e;
	struct ou_snap before;
	ptd_id_t rd;
	static const uint8_t zeros[PG];
	env_init(&e);
	map_slot(&e.t, e.c, 0, 5, OU_PROP_RW);
	rd = new_io(&e.t, e.vs, 0, PG, 0);
	/* len 0: nothing to read, OK, the empty hash. */
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_READ, rd, 0, 0), PTD_OK, 0, FNV_EMPTY);
	CHECK_IO(&e.t, rd, e.vs, PTD_IO_READER, 0, 0, PG);
	before = ou_snap(&e.t);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_READ, rd, PG, 0), PTD_OK, PG, FNV_ZERO_PAGE);
	CHECK_EQ(tb_fnv1a(zeros, PG), FNV_ZERO_PAGE);
	CHECK_IO(&e.t, rd, e.vs, PTD_IO_READER, 0, PG, PG);
	CHECK(same_but_io(&e.t, &before));
	CHECK_EQ(e.t.view.ncontents, 0);
	/* At the end: n = min(len, 0) = 0, so OK with count 0. */
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_READ, rd, 10, 0), PTD_OK, 0, FNV_EMPTY);
	CHECK_IO(&e.t, rd, e.vs, PTD_IO_READER, 0, PG, PG);
	ou_snap_free(&before);
	tb_fini(&e.t);
}

/* One byte 'a' (ptd_io_byte(73, 0) == 0x61) written and read back: the literal FNV-1a of "a". */
TEST(write_read_one_byte_literal)
{
	struct env e;
	ptd_id_t wr, rd;
	static uint8_t img[PG];
	env_init(&e);
	map_slot(&e.t, e.c, 0, 5, OU_PROP_RW);
	CHECK_EQ(ptd_io_byte(73, 0), 0x61);
	wr = new_io(&e.t, e.vs, 0, 1, 1);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_WRITE, wr, 1, 73), PTD_OK, 1, 0);
	CHECK_IO(&e.t, wr, e.vs, PTD_IO_WRITER, 0, 1, 1);
	img[0] = 0x61;
	CHECK_EQ(e.t.view.ncontents, 1);
	CHECK(content_is(&e.t, 5, img));
	rd = new_io(&e.t, e.vs, 0, 1, 0);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_READ, rd, 1, 0), PTD_OK, 1, FNV_A);
	tb_fini(&e.t);
}

/* A write across a page boundary lands in two frames; reading it back in pieces matches. */
TEST(write_across_pages_and_read_back)
{
	struct env e;
	struct ou_snap before;
	ptd_id_t wr, rd, rd2;
	static uint8_t img5[PG], img6[PG];
	env_init(&e);
	map_slot(&e.t, e.c, 0, 5, OU_PROP_RW);
	map_slot(&e.t, e.c, PG, 6, OU_PROP_RW);
	before = ou_snap(&e.t);
	wr = new_io(&e.t, e.vs, 0x800, PG, 1);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_WRITE, wr, PG, 7), PTD_OK, PG, 0);
	CHECK_IO(&e.t, wr, e.vs, PTD_IO_WRITER, 0x800, 0x1800, 0x1800);
	for (uint64_t k = 0; k < 0x800; k++) {
		img5[0x800 + k] = ptd_io_byte(7, k);
		img6[k] = ptd_io_byte(7, 0x800 + k);
	}
	CHECK_EQ(e.t.view.ncontents, 2);
	CHECK(content_is(&e.t, 5, img5));
	CHECK(content_is(&e.t, 6, img6));
	/* Whole range at once. */
	rd = new_io(&e.t, e.vs, 0x800, PG, 0);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_READ, rd, PG, 0), PTD_OK, PG, fnv_seq(7, 0, PG));
	/* In pieces: 16 bytes, then more than is left (n = the rest). */
	rd2 = new_io(&e.t, e.vs, 0x800, PG, 0);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_READ, rd2, 16, 0), PTD_OK, 16, fnv_seq(7, 0, 16));
	CHECK_IO(&e.t, rd2, e.vs, PTD_IO_READER, 0x800, 0x810, 0x1800);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_READ, rd2, 2 * PG, 0), PTD_OK, PG - 16,
		   fnv_seq(7, 16, PG - 16));
	CHECK_IO(&e.t, rd2, e.vs, PTD_IO_READER, 0x800, 0x1800, 0x1800);
	/* A read from an unaligned start inside frame 6 only. */
	rd = new_io(&e.t, e.vs, 0x1003, 5, 0);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_READ, rd, 5, 0), PTD_OK, 5, tb_fnv1a(img6 + 3, 5));
	/* No slot, path, mapping or other handle changed. */
	CHECK(same_but_io(&e.t, &before));
	CHECK_EQ(ou_accounting_violations(&e.t), 0);
	ou_snap_free(&before);
	tb_fini(&e.t);
}

/* The byte at address a is ptd_io_byte(seed, a - start): k counts from the writer's start,
 * not from its cursor, across several writes and a skip. */
TEST(write_offset_counts_from_start)
{
	struct env e;
	ptd_id_t wr, rd;
	static uint8_t img[PG];
	env_init(&e);
	map_slot(&e.t, e.c, 0, 5, OU_PROP_RW);
	wr = new_io(&e.t, e.vs, 0x100, 0x100, 1);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_WRITE, wr, 0x10, 1), PTD_OK, 0x10, 0);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_WRITE, wr, 0x10, 2), PTD_OK, 0x10, 0);
	CHECK_PLAIN_OK(tb_io(&e.t, PTD_OP_IO_SKIP, wr, 0x20, 0));
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_WRITE, wr, 0x10, 3), PTD_OK, 0x10, 0);
	CHECK_IO(&e.t, wr, e.vs, PTD_IO_WRITER, 0x100, 0x150, 0x200);
	for (uint64_t j = 0; j < 0x10; j++) {
		img[0x100 + j] = ptd_io_byte(1, j);
		img[0x110 + j] = ptd_io_byte(2, 0x10 + j);
		img[0x140 + j] = ptd_io_byte(3, 0x40 + j);
	}
	CHECK(content_is(&e.t, 5, img));
	rd = new_io(&e.t, e.vs, 0x100, 0x50, 0);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_READ, rd, 0x50, 0), PTD_OK, 0x50,
		   tb_fnv1a(img + 0x100, 0x50));
	tb_fini(&e.t);
}

/*
 * The fault layout: 0x0 frame 5 RW, 0x1000 frame 6 read-only, 0x2000 I/O memory (RW),
 * 0x3000 unmapped, 0x4000 frame 7 RW, 0x5000 unmapped.  Frame 5 is filled with seed 11.
 */
static void fault_layout(struct env *e, uint8_t *img5)
{
	ptd_id_t wr;
	env_init(e);
	map_slot(&e->t, e->c, 0, 5, OU_PROP_RW);
	map_slot(&e->t, e->c, PG, 6, PROP_RO);
	CHECK_EQ(tb_jump(&e->t, e->c, 2 * PG).status, PTD_OK);
	CHECK_EQ(tb_map_iomem(&e->t, e->c, TB_IOMEM_BASE, OU_PROP_RW).status, PTD_OK);
	map_slot(&e->t, e->c, 4 * PG, 7, OU_PROP_RW);
	wr = new_io(&e->t, e->vs, 0, PG, 1);
	CHECK_MOVE(tb_io(&e->t, PTD_OP_IO_WRITE, wr, PG, 11), PTD_OK, PG, 0);
	CHECK_PLAIN_OK(tb_io(&e->t, PTD_OP_IO_DROP, wr, 0, 0));
	for (uint64_t k = 0; k < PG; k++)
		img5[k] = ptd_io_byte(11, k);
	CHECK(content_is(&e->t, 5, img5));
}

/* Reads: read-only pages are readable; unmapped and I/O pages stop the read with ERR_FAULT and
 * the partial count, hash and cursor; a stop exactly at n is no fault. */
TEST(read_faults_partial)
{
	struct env e;
	struct ou_snap before;
	ptd_id_t rd;
	static uint8_t img5[PG];
	static const uint8_t zeros[PG];
	fault_layout(&e, img5);
	before = ou_snap(&e.t);

	/* RW then read-only: both readable, OK. */
	rd = new_io(&e.t, e.vs, 0xff0, PG, 0);
	{
		uint8_t buf[PG];
		memcpy(buf, img5 + 0xff0, 0x10);
		memset(buf + 0x10, 0, PG - 0x10);
		CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_READ, rd, PG, 0), PTD_OK, PG, tb_fnv1a(buf, PG));
	}
	CHECK_IO(&e.t, rd, e.vs, PTD_IO_READER, 0xff0, 0x1ff0, 0x1ff0);

	/* Read-only frame 6 then the I/O page: 16 bytes, then ERR_FAULT; cursor at the I/O page. */
	rd = new_io(&e.t, e.vs, 0x1ff0, PG, 0);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_READ, rd, 0x100, 0), PTD_ERR_FAULT, 0x10,
		   tb_fnv1a(zeros, 0x10));
	CHECK_IO(&e.t, rd, e.vs, PTD_IO_READER, 0x1ff0, 0x2000, 0x2ff0);
	/* Again: nothing readable, ERR_FAULT with count 0, the empty hash, nothing moves. */
	{
		struct ou_snap s = ou_snap(&e.t);
		CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_READ, rd, 0x100, 0), PTD_ERR_FAULT, 0, FNV_EMPTY);
		CHECK(ou_same(&e.t, &s));
		ou_snap_free(&s);
	}

	/* I/O page then unmapped: count 0. */
	rd = new_io(&e.t, e.vs, 0x2ff0, 0x20, 0);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_READ, rd, 0x20, 0), PTD_ERR_FAULT, 0, FNV_EMPTY);
	CHECK_IO(&e.t, rd, e.vs, PTD_IO_READER, 0x2ff0, 0x2ff0, 0x3010);

	/* Unmapped then frame 7: the read does not jump the hole; skip over it, then read. */
	rd = new_io(&e.t, e.vs, 0x3ff0, 0x20, 0);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_READ, rd, 0x20, 0), PTD_ERR_FAULT, 0, FNV_EMPTY);
	CHECK_IO(&e.t, rd, e.vs, PTD_IO_READER, 0x3ff0, 0x3ff0, 0x4010);
	CHECK_PLAIN_OK(tb_io(&e.t, PTD_OP_IO_SKIP, rd, 0x10, 0));
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_READ, rd, 0x20, 0), PTD_OK, 0x10, tb_fnv1a(zeros, 0x10));
	CHECK_IO(&e.t, rd, e.vs, PTD_IO_READER, 0x3ff0, 0x4010, 0x4010);

	/* Frame 7 up to its end, range ends there: n = 0x10, all read, OK (the unmapped page
	 * after it is never reached); then n = 0: OK, count 0. */
	rd = new_io(&e.t, e.vs, 0x4ff0, 0x10, 0);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_READ, rd, 0x100, 0), PTD_OK, 0x10, tb_fnv1a(zeros, 0x10));
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_READ, rd, 0x100, 0), PTD_OK, 0, FNV_EMPTY);
	/* The same with the range going on: ERR_FAULT after 0x10. */
	rd = new_io(&e.t, e.vs, 0x4ff0, 0x20, 0);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_READ, rd, 0x20, 0), PTD_ERR_FAULT, 0x10,
		   tb_fnv1a(zeros, 0x10));
	CHECK_IO(&e.t, rd, e.vs, PTD_IO_READER, 0x4ff0, 0x5000, 0x5010);

	/* Frame 5 then frame 6 partially (len < remain): OK with exactly len. */
	rd = new_io(&e.t, e.vs, 0xffc, 0x100, 0);
	{
		uint8_t buf[8] = { img5[0xffc], img5[0xffd], img5[0xffe], img5[0xfff], 0, 0, 0, 0 };
		CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_READ, rd, 8, 0), PTD_OK, 8, tb_fnv1a(buf, 8));
	}

	/* Reads change no slot and no contents. */
	CHECK(same_but_io(&e.t, &before));
	CHECK_EQ(e.t.view.ncontents, 1);
	CHECK(content_is(&e.t, 5, img5));
	ou_snap_free(&before);
	tb_fini(&e.t);
}

/* Writes: read-only, I/O and unmapped pages stop them with ERR_FAULT and the partial count;
 * making the page writable (ProtectNext) lets the same write through. */
TEST(write_faults_partial)
{
	struct env e;
	struct ou_snap before;
	ptd_id_t wr;
	static uint8_t img5[PG], img6[PG];
	const struct ptd_prop_change set_w = { .set = PTD_PF_W, .clear = 0,
					       .cache = PTD_CACHE_KEEP };
	fault_layout(&e, img5);
	before = ou_snap(&e.t);

	/* RW frame 5, then read-only frame 6: 8 bytes written, ERR_FAULT at 0x1000. */
	wr = new_io(&e.t, e.vs, 0xff8, 0x10, 1);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_WRITE, wr, 0x10, 13), PTD_ERR_FAULT, 8, 0);
	CHECK_IO(&e.t, wr, e.vs, PTD_IO_WRITER, 0xff8, 0x1000, 0x1008);
	for (uint64_t k = 0; k < 8; k++)
		img5[0xff8 + k] = ptd_io_byte(13, k);
	CHECK(content_is(&e.t, 5, img5));
	CHECK(no_content(&e.t, 6));
	/* Again: count 0, a refusal in all but name (nothing changes, every field zero). */
	CHECK_REFUSED(&e.t, tb_io(&e.t, PTD_OP_IO_WRITE, wr, 0x10, 13), PTD_ERR_FAULT);
	CHECK_REFUSED(&e.t, tb_io(&e.t, PTD_OP_IO_FILL_ZEROS, wr, 0x10, 0), PTD_ERR_FAULT);

	/* Read-only then I/O; I/O then unmapped; unmapped then frame 7: count 0 each. */
	wr = new_io(&e.t, e.vs, 0x1ffc, 8, 1);
	CHECK_REFUSED(&e.t, tb_io(&e.t, PTD_OP_IO_WRITE, wr, 8, 1), PTD_ERR_FAULT);
	wr = new_io(&e.t, e.vs, 0x2ffc, 8, 1);
	CHECK_REFUSED(&e.t, tb_io(&e.t, PTD_OP_IO_WRITE, wr, 8, 1), PTD_ERR_FAULT);
	CHECK_REFUSED(&e.t, tb_io(&e.t, PTD_OP_IO_FILL_ZEROS, wr, 8, 0), PTD_ERR_FAULT);
	wr = new_io(&e.t, e.vs, 0x3ff8, 0x10, 1);
	CHECK_REFUSED(&e.t, tb_io(&e.t, PTD_OP_IO_WRITE, wr, 0x10, 1), PTD_ERR_FAULT);
	CHECK(no_content(&e.t, 7));

	/* RW frame 7 then unmapped: 4 bytes. */
	wr = new_io(&e.t, e.vs, 0x4ffc, 8, 1);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_WRITE, wr, 8, 17), PTD_ERR_FAULT, 4, 0);
	{
		static uint8_t img7[PG];
		for (uint64_t k = 0; k < 4; k++)
			img7[0xffc + k] = ptd_io_byte(17, k);
		CHECK(content_is(&e.t, 7, img7));
	}
	CHECK(same_but_io(&e.t, &before));

	/* Make frame 6's mapping writable (ProtectNext): a write to it now goes through. */
	CHECK_EQ(tb_jump(&e.t, e.c, PG).status, PTD_OK);
	CHECK_EQ(tb_protect(&e.t, e.c, PG, set_w).found, 1);
	wr = new_io(&e.t, e.vs, 0x1000, 8, 1);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_WRITE, wr, 8, 19), PTD_OK, 8, 0);
	for (uint64_t k = 0; k < 8; k++)
		img6[k] = ptd_io_byte(19, k);
	CHECK(content_is(&e.t, 6, img6));
	CHECK_EQ(e.t.view.ncontents, 3);
	ou_snap_free(&before);
	tb_fini(&e.t);
}

/* The same frame through a second va of the same space and through another space. */
TEST(bytes_shared_across_mappings)
{
	struct env e;
	ptd_id_t vs2, c2, wr, rd;
	uint8_t expect[0x200];
	env_init(&e);
	map_slot(&e.t, e.c, 0, 5, OU_PROP_RW);                       /* L1 at 35 */
	map_handle(&e.t, e.c, 0x7000, tb_from_in_use(&e.t, 5 * PG).new_id, OU_PROP_RW);
	vs2 = tb_new_vs(&e.t).new_id;                                /* root at 36 */
	c2 = tb_open(&e.t, vs2, 0, 4 * MIB, 1).new_id;               /* L3 37, L2 38 */
	map_handle(&e.t, c2, 0x3000, tb_from_in_use(&e.t, 5 * PG).new_id, PROP_RO); /* L1 39 */
	CHECK_SLOT_LIVE(&e.t, 5, 3, PTD_USAGE_FRAME);
	CHECK_EQ(tb_paths(&e.t, 5), 3);

	/* Written through vs 1 at 0x100 .. 0x1ff. */
	wr = new_io(&e.t, e.vs, 0x100, 0x100, 1);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_WRITE, wr, 0x100, 9), PTD_OK, 0x100, 0);
	/* Read through vs 1 at 0x7100 and through vs 2 (read-only mapping) at 0x3100. */
	rd = new_io(&e.t, e.vs, 0x7100, 0x100, 0);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_READ, rd, 0x100, 0), PTD_OK, 0x100, fnv_seq(9, 0, 0x100));
	rd = new_io(&e.t, vs2, 0x3100, 0x100, 0);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_READ, rd, 0x100, 0), PTD_OK, 0x100, fnv_seq(9, 0, 0x100));
	/* vs 2's mapping is read-only: its writer faults at once. */
	wr = new_io(&e.t, vs2, 0x3000, 0x100, 1);
	CHECK_REFUSED(&e.t, tb_io(&e.t, PTD_OP_IO_WRITE, wr, 0x100, 21), PTD_ERR_FAULT);
	/* Written through vs 1's second va 0x7000 .. 0x70ff, read through vs 2 from 0x3000. */
	wr = new_io(&e.t, e.vs, 0x7000, 0x100, 1);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_WRITE, wr, 0x100, 21), PTD_OK, 0x100, 0);
	for (uint64_t k = 0; k < 0x100; k++) {
		expect[k] = ptd_io_byte(21, k);
		expect[0x100 + k] = ptd_io_byte(9, k);
	}
	rd = new_io(&e.t, vs2, 0x3000, 0x200, 0);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_READ, rd, 0x200, 0), PTD_OK, 0x200,
		   tb_fnv1a(expect, 0x200));
	/* One frame's contents, whatever the number of mappings. */
	CHECK_EQ(e.t.view.ncontents, 1);
	{
		static uint8_t img[PG];
		memcpy(img, expect, 0x200);
		CHECK(content_is(&e.t, 5, img));
	}
	CHECK_SLOT_LIVE(&e.t, 5, 3, PTD_USAGE_FRAME);
	CHECK_EQ(ou_accounting_violations(&e.t), 0);
	tb_fini(&e.t);
}

/* ---- IoFillZeros ---- */

TEST(fill_zeros)
{
	struct env e;
	ptd_id_t wr;
	static uint8_t img[PG];
	env_init(&e);
	map_slot(&e.t, e.c, 0, 5, OU_PROP_RW);
	map_slot(&e.t, e.c, PG, 6, OU_PROP_RW);
	wr = new_io(&e.t, e.vs, 0, PG, 1);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_WRITE, wr, PG, 7), PTD_OK, PG, 0);
	for (uint64_t k = 0; k < PG; k++)
		img[k] = ptd_io_byte(7, k);
	CHECK(content_is(&e.t, 5, img));
	/* Part of it: 0x10 .. 0x1f become zero. */
	wr = new_io(&e.t, e.vs, 0x10, 0x10, 1);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_FILL_ZEROS, wr, 0x100, 0), PTD_OK, 0x10, 0);
	CHECK_IO(&e.t, wr, e.vs, PTD_IO_WRITER, 0x10, 0x20, 0x20);
	memset(img + 0x10, 0, 0x10);
	CHECK(content_is(&e.t, 5, img));
	/* All of it: the frame is all zero again and leaves contents[]. */
	wr = new_io(&e.t, e.vs, 0, PG, 1);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_FILL_ZEROS, wr, PG, 0), PTD_OK, PG, 0);
	CHECK_EQ(e.t.view.ncontents, 0);
	/* A never-written frame: still nothing to list. */
	wr = new_io(&e.t, e.vs, PG, PG, 1);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_FILL_ZEROS, wr, PG, 0), PTD_OK, PG, 0);
	CHECK_EQ(e.t.view.ncontents, 0);
	/* Into the unmapped page after frame 6: partial, ERR_FAULT. */
	wr = new_io(&e.t, e.vs, 2 * PG - 0x10, 0x20, 1);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_FILL_ZEROS, wr, 0x20, 0), PTD_ERR_FAULT, 0x10, 0);
	CHECK_IO(&e.t, wr, e.vs, PTD_IO_WRITER, 2 * PG - 0x10, 2 * PG, 2 * PG + 0x10);
	CHECK_SLOT_LIVE(&e.t, 5, 1, PTD_USAGE_FRAME);
	tb_fini(&e.t);
}

/* ---- ReaderReadVal, ReaderCollect, WriterWriteVal, ReaderQuery, WriterQuery ---- */

/* write_val: exactly len bytes or, on a fault, the writer as it was (the bytes before the fault
 * stay written); len > end - cursor is ERR_INVALID_ARGS with nothing written. */
TEST(write_val)
{
	struct env e;
	ptd_id_t wr;
	static uint8_t img[PG];
	env_init(&e);
	map_slot(&e.t, e.c, 0, 5, OU_PROP_RW);
	wr = new_io(&e.t, e.vs, PG - 0x10, 0x30, 1);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_WRITER_WRITE_VAL, wr, 4, 0x21), PTD_OK, 4, 0);
	for (uint64_t k = 0; k < 4; k++)
		img[PG - 0x10 + k] = ptd_io_byte(0x21, k);
	CHECK(content_is(&e.t, 5, img));
	CHECK_IO(&e.t, wr, e.vs, PTD_IO_WRITER, PG - 0x10, PG - 0xc, PG + 0x20);
	CHECK_REFUSED(&e.t, tb_io(&e.t, PTD_OP_WRITER_WRITE_VAL, wr, 0x2d, 0x22),
		      PTD_ERR_INVALID_ARGS);
	/* 0x10 bytes from PG - 0xc: 0xc land in slot 5, then page 1 is unmapped. */
	CHECK_MOVE(tb_io(&e.t, PTD_OP_WRITER_WRITE_VAL, wr, 0x10, 0x23), PTD_ERR_FAULT, 0, 0);
	for (uint64_t k = 4; k < 0x10; k++)
		img[PG - 0x10 + k] = ptd_io_byte(0x23, k);
	CHECK(content_is(&e.t, 5, img));
	CHECK_IO(&e.t, wr, e.vs, PTD_IO_WRITER, PG - 0x10, PG - 0xc, PG + 0x20);
	CHECK_SLOT_LIVE(&e.t, 5, 1, PTD_USAGE_FRAME);
	tb_fini(&e.t);
}

/* read_val and collect: the hash of exactly the value's bytes; ERR_INVALID_ARGS past the end;
 * a fault anywhere in the value leaves the reader where it was and returns nothing. */
TEST(read_val_and_collect)
{
	struct env e;
	ptd_id_t wr, rd;
	env_init(&e);
	map_slot(&e.t, e.c, 0, 5, OU_PROP_RW);
	map_slot(&e.t, e.c, 2 * PG, 6, OU_PROP_RW);
	wr = new_io(&e.t, e.vs, 0, PG, 1);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_WRITE, wr, PG, 0x31), PTD_OK, PG, 0);
	rd = new_io(&e.t, e.vs, 0x100, 0x20, 0);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_READER_READ_VAL, rd, 8, 0), PTD_OK, 8,
		   fnv_seq(0x31, 0x100, 8));
	CHECK_IO(&e.t, rd, e.vs, PTD_IO_READER, 0x100, 0x108, 0x120);
	CHECK_REFUSED(&e.t, tb_io(&e.t, PTD_OP_READER_READ_VAL, rd, 0x19, 0), PTD_ERR_INVALID_ARGS);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_READER_COLLECT, rd, 0, 0), PTD_OK, 0x18,
		   fnv_seq(0x31, 0x108, 0x18));
	CHECK_IO(&e.t, rd, e.vs, PTD_IO_READER, 0x100, 0x120, 0x120);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_READER_COLLECT, rd, 0, 0), PTD_OK, 0, FNV_EMPTY);
	/* Across the unmapped page 1: collect and a long value fault, a short one fits. */
	rd = new_io(&e.t, e.vs, PG - 8, PG + 0x10, 0);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_READER_COLLECT, rd, 0, 0), PTD_ERR_FAULT, 0, 0);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_READER_READ_VAL, rd, 9, 0), PTD_ERR_FAULT, 0, 0);
	CHECK_IO(&e.t, rd, e.vs, PTD_IO_READER, PG - 8, PG - 8, 2 * PG + 8);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_READER_READ_VAL, rd, 8, 0), PTD_OK, 8,
		   fnv_seq(0x31, PG - 8, 8));
	CHECK_EQ(ou_accounting_violations(&e.t), 0);
	tb_fini(&e.t);
}

/* The queries: cursor, what is left and whether anything is; nothing changes. */
TEST(reader_and_writer_queries)
{
	struct env e;
	struct ou_snap before;
	struct ptd_result r;
	ptd_id_t rd, wr;
	env_init(&e);
	rd = new_io(&e.t, e.vs, 0x3000, 0x100, 0);
	CHECK_PLAIN_OK(tb_io(&e.t, PTD_OP_IO_SKIP, rd, 0x40, 0));
	before = ou_snap(&e.t);
	r = tb_io(&e.t, PTD_OP_READER_QUERY, rd, 0, 0);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.va, 0x3040);
	CHECK_EQ(r.count, 0xc0);
	CHECK_EQ(r.found, 1);
	CHECK(ou_same(&e.t, &before));
	ou_snap_free(&before);
	wr = tb_new_kernel_io(&e.t, 0x200, 0x10, 1).new_id;
	CHECK_PLAIN_OK(tb_io(&e.t, PTD_OP_IO_SKIP, wr, 0x10, 0));
	r = tb_io(&e.t, PTD_OP_WRITER_QUERY, wr, 0, 0);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.va, 0x210);
	CHECK_EQ(r.count, 0);
	CHECK_EQ(r.found, 0);
	CHECK_EQ(r.hash + r.new_id + r.paddr + r.va_end, 0);
	tb_fini(&e.t);
}

/* contents[] is by value: writing zero bytes (seed 0 gives zeros for k < 5) lists nothing. */
TEST(zero_bytes_written_are_no_content)
{
	struct env e;
	ptd_id_t wr;
	static uint8_t img[PG];
	env_init(&e);
	map_slot(&e.t, e.c, 0, 5, OU_PROP_RW);
	for (uint64_t k = 0; k < 5; k++)
		CHECK_EQ(ptd_io_byte(0, k), 0);
	CHECK_EQ(ptd_io_byte(0, 5), 1);
	wr = new_io(&e.t, e.vs, 0, 5, 1);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_WRITE, wr, 5, 0), PTD_OK, 5, 0);
	CHECK_EQ(e.t.view.ncontents, 0);
	wr = new_io(&e.t, e.vs, 0, 6, 1);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_WRITE, wr, 6, 0), PTD_OK, 6, 0);
	img[5] = 1;
	CHECK_EQ(e.t.view.ncontents, 1);
	CHECK(content_is(&e.t, 5, img));
	tb_fini(&e.t);
}

/* ---- IoSkip / IoLimit / IoDrop ---- */

/* Skip needs no mapping; more than is left is ERR_WOULD_PANIC with nothing changed. */
TEST(skip)
{
	struct env e;
	ptd_id_t rd, wr;
	env_init(&e);
	rd = new_io(&e.t, e.vs, 0, 0x100, 0);
	wr = new_io(&e.t, e.vs, 0x10000, 0x100, 1);
	CHECK_PLAIN_OK(tb_io(&e.t, PTD_OP_IO_SKIP, rd, 0x40, 0));
	CHECK_IO(&e.t, rd, e.vs, PTD_IO_READER, 0, 0x40, 0x100);
	CHECK_REFUSED(&e.t, tb_io(&e.t, PTD_OP_IO_SKIP, rd, 0xc1, 0), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&e.t, tb_io(&e.t, PTD_OP_IO_SKIP, rd, UINT64_MAX, 0), PTD_ERR_WOULD_PANIC);
	CHECK_PLAIN_OK(tb_io(&e.t, PTD_OP_IO_SKIP, rd, 0xc0, 0));
	CHECK_IO(&e.t, rd, e.vs, PTD_IO_READER, 0, 0x100, 0x100);
	CHECK_PLAIN_OK(tb_io(&e.t, PTD_OP_IO_SKIP, rd, 0, 0));
	CHECK_REFUSED(&e.t, tb_io(&e.t, PTD_OP_IO_SKIP, rd, 1, 0), PTD_ERR_WOULD_PANIC);
	/* Writers the same. */
	CHECK_PLAIN_OK(tb_io(&e.t, PTD_OP_IO_SKIP, wr, 0x100, 0));
	CHECK_IO(&e.t, wr, e.vs, PTD_IO_WRITER, 0x10000, 0x10100, 0x10100);
	CHECK_REFUSED(&e.t, tb_io(&e.t, PTD_OP_IO_SKIP, wr, 1, 0), PTD_ERR_WOULD_PANIC);
	/* A zero-length range: only skip 0 is allowed. */
	rd = new_io(&e.t, e.vs, 0x5000, 0, 0);
	CHECK_PLAIN_OK(tb_io(&e.t, PTD_OP_IO_SKIP, rd, 0, 0));
	CHECK_REFUSED(&e.t, tb_io(&e.t, PTD_OP_IO_SKIP, rd, 1, 0), PTD_ERR_WOULD_PANIC);
	CHECK_EQ(e.t.view.ncontents, 0);
	tb_fini(&e.t);
}

/* Limit lowers end to cursor + min(len, end - cursor); it never raises it and never fails. */
TEST(limit)
{
	struct env e;
	ptd_id_t rd, wr;
	static uint8_t img[PG];
	env_init(&e);
	rd = new_io(&e.t, e.vs, 0, 0x100, 0);
	CHECK_PLAIN_OK(tb_io(&e.t, PTD_OP_IO_SKIP, rd, 0x10, 0));
	CHECK_PLAIN_OK(tb_io(&e.t, PTD_OP_IO_LIMIT, rd, 0x20, 0));
	CHECK_IO(&e.t, rd, e.vs, PTD_IO_READER, 0, 0x10, 0x30);
	CHECK_PLAIN_OK(tb_io(&e.t, PTD_OP_IO_LIMIT, rd, 0x1000, 0));
	CHECK_IO(&e.t, rd, e.vs, PTD_IO_READER, 0, 0x10, 0x30);
	CHECK_PLAIN_OK(tb_io(&e.t, PTD_OP_IO_LIMIT, rd, UINT64_MAX, 0));
	CHECK_IO(&e.t, rd, e.vs, PTD_IO_READER, 0, 0x10, 0x30);
	CHECK_PLAIN_OK(tb_io(&e.t, PTD_OP_IO_LIMIT, rd, 0x20, 0));
	CHECK_IO(&e.t, rd, e.vs, PTD_IO_READER, 0, 0x10, 0x30);
	CHECK_PLAIN_OK(tb_io(&e.t, PTD_OP_IO_LIMIT, rd, 0, 0));
	CHECK_IO(&e.t, rd, e.vs, PTD_IO_READER, 0, 0x10, 0x10);
	/* Nothing left: skip 1 panics, a read of an unmapped page is OK with count 0 (n = 0). */
	CHECK_REFUSED(&e.t, tb_io(&e.t, PTD_OP_IO_SKIP, rd, 1, 0), PTD_ERR_WOULD_PANIC);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_READ, rd, 5, 0), PTD_OK, 0, FNV_EMPTY);
	CHECK_IO(&e.t, rd, e.vs, PTD_IO_READER, 0, 0x10, 0x10);
	/* A limited writer stops at its new end: OK with count = the limit. */
	map_slot(&e.t, e.c, 0, 5, OU_PROP_RW);
	wr = new_io(&e.t, e.vs, 0, PG, 1);
	CHECK_PLAIN_OK(tb_io(&e.t, PTD_OP_IO_LIMIT, wr, 4, 0));
	CHECK_IO(&e.t, wr, e.vs, PTD_IO_WRITER, 0, 0, 4);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_WRITE, wr, 0x100, 7), PTD_OK, 4, 0);
	CHECK_IO(&e.t, wr, e.vs, PTD_IO_WRITER, 0, 4, 4);
	for (uint64_t k = 0; k < 4; k++)
		img[k] = ptd_io_byte(7, k);
	CHECK(content_is(&e.t, 5, img));
	tb_fini(&e.t);
}

/* Drop unregisters just that reader or writer; no slot changes. */
TEST(drop)
{
	struct env e;
	struct ou_snap before;
	ptd_id_t r1, r2, w1;
	env_init(&e);
	map_slot(&e.t, e.c, 0, 5, OU_PROP_RW);
	before = ou_snap(&e.t);
	r1 = new_io(&e.t, e.vs, 0, 0x10, 0);
	r2 = new_io(&e.t, e.vs, 0x10, 0x10, 0);
	w1 = new_io(&e.t, e.vs, 0, 0x10, 1);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_WRITE, w1, 1, 73), PTD_OK, 1, 0);
	CHECK_PLAIN_OK(tb_io(&e.t, PTD_OP_IO_DROP, r1, 0, 0));
	CHECK(tb_io_view(&e.t, r1) == NULL);
	CHECK_IO(&e.t, r2, e.vs, PTD_IO_READER, 0x10, 0x10, 0x20);
	CHECK_IO(&e.t, w1, e.vs, PTD_IO_WRITER, 0, 1, 0x10);
	CHECK_PLAIN_OK(tb_io(&e.t, PTD_OP_IO_DROP, w1, 0, 0));
	CHECK_EQ(e.t.view.nios, 1);
	CHECK_PLAIN_OK(tb_io(&e.t, PTD_OP_IO_DROP, r2, 0, 0));
	CHECK_EQ(e.t.view.nios, 0);
	/* The bytes stay; everything else is as before the readers and writers. */
	CHECK_EQ(e.t.view.ncontents, 1);
	CHECK(same_but_io(&e.t, &before));
	ou_snap_free(&before);
	tb_fini(&e.t);
}

/* DropVmSpace: ERR_BUSY while a reader or writer of that space is live (even an empty one),
 * after the cursor check; readers of other spaces do not count. */
TEST(drop_vmspace_busy)
{
	struct env e;
	ptd_id_t vs2, rd, wr, rd2;
	static uint8_t img[PG];
	env_init(&e);
	map_slot(&e.t, e.c, 0, 5, OU_PROP_RW);
	vs2 = tb_new_vs(&e.t).new_id;
	rd = new_io(&e.t, e.vs, 0x10, 0, 0);
	/* Cursor and reader both live: ERR_BUSY. */
	CHECK_REFUSED(&e.t, tb_drop_vs(&e.t, e.vs), PTD_ERR_BUSY);
	CHECK_EQ(tb_drop_cursor(&e.t, e.c).status, PTD_OK);
	/* Reader alone. */
	CHECK_REFUSED(&e.t, tb_drop_vs(&e.t, e.vs), PTD_ERR_BUSY);
	/* A writer alone (it wrote frame 5 first). */
	wr = new_io(&e.t, e.vs, 0, PG, 1);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_WRITE, wr, PG, 3), PTD_OK, PG, 0);
	CHECK_PLAIN_OK(tb_io(&e.t, PTD_OP_IO_DROP, rd, 0, 0));
	CHECK_REFUSED(&e.t, tb_drop_vs(&e.t, e.vs), PTD_ERR_BUSY);
	/* vs2 has none: a reader of vs2 does not block vs and vice versa. */
	rd2 = new_io(&e.t, vs2, 0, PG, 0);
	CHECK_PLAIN_OK(tb_io(&e.t, PTD_OP_IO_DROP, wr, 0, 0));
	CHECK_EQ(tb_drop_vs(&e.t, e.vs).status, PTD_OK);
	CHECK(!ou_has_vs(&e.t, e.vs));
	CHECK_REFUSED(&e.t, tb_drop_vs(&e.t, vs2), PTD_ERR_BUSY);
	CHECK_PLAIN_OK(tb_io(&e.t, PTD_OP_IO_DROP, rd2, 0, 0));
	CHECK_EQ(tb_drop_vs(&e.t, vs2).status, PTD_OK);
	/* Frame 5 was released with vs (policy R) and keeps its bytes. */
	CHECK_SLOT_FREE(&e.t, 5, PTD_USAGE_FRAME);
	for (uint64_t k = 0; k < PG; k++)
		img[k] = ptd_io_byte(3, k);
	CHECK(content_is(&e.t, 5, img));
	CHECK_EQ(tb_live_nodes(&e.t), 0);
	tb_fini(&e.t);
}

/* ---- contents: lifetime ---- */

/* Contents survive unmap (slot freed), re-claim, a segment over the slot, and a remap. */
TEST(contents_survive_free_and_claim)
{
	struct env e;
	ptd_id_t wr, rd, f, seg;
	static uint8_t img[PG];
	env_init(&e);
	map_slot(&e.t, e.c, 0, 5, OU_PROP_RW);
	wr = new_io(&e.t, e.vs, 0, PG, 1);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_WRITE, wr, PG, 5), PTD_OK, PG, 0);
	CHECK_PLAIN_OK(tb_io(&e.t, PTD_OP_IO_DROP, wr, 0, 0));
	for (uint64_t k = 0; k < PG; k++)
		img[k] = ptd_io_byte(5, k);
	CHECK_EQ(tb_jump(&e.t, e.c, 0).status, PTD_OK);
	CHECK_EQ(tb_unmap(&e.t, e.c, PG).count, 1);
	CHECK_SLOT_FREE(&e.t, 5, PTD_USAGE_FRAME);
	CHECK(content_is(&e.t, 5, img));
	/* A reader over the now unmapped page faults at once. */
	rd = new_io(&e.t, e.vs, 0, PG, 0);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_READ, rd, PG, 0), PTD_ERR_FAULT, 0, FNV_EMPTY);
	/* Claimed again: same bytes. */
	f = ou_frame(&e.t, 5);
	CHECK(content_is(&e.t, 5, img));
	CHECK_EQ(tb_frame_drop(&e.t, f).status, PTD_OK);
	seg = tb_segment(&e.t, 4 * PG, 3 * PG).new_id;
	CHECK(content_is(&e.t, 5, img));
	CHECK_EQ(tb_segment_drop(&e.t, seg).status, PTD_OK);
	CHECK(content_is(&e.t, 5, img));
	CHECK_EQ(e.t.view.ncontents, 1);
	/* Mapped somewhere else and read back. */
	map_slot(&e.t, e.c, 0x9000, 5, PROP_RO);
	rd = new_io(&e.t, e.vs, 0x9000, PG, 0);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_READ, rd, PG, 0), PTD_OK, PG, tb_fnv1a(img, PG));
	tb_fini(&e.t);
}

/* A written frame in the pool, freed, then reused as a page-table node: its bytes stay
 * (POLICY.md: only IoWrite and IoFillZeros change contents). */
TEST(contents_survive_node_reuse)
{
	struct tb t;
	ptd_id_t f, vs, c, wr;
	static uint8_t img[PG];
	tb_init(&t, &ptd_oracle_backend);
	f = ou_frame(&t, TB_POOL_START);                 /* slot 32 as a frame */
	vs = tb_new_vs(&t).new_id;                       /* root 33 */
	c = tb_open(&t, vs, 0, PG, 1).new_id;            /* L3 34, L2 35, L1 36 (guard level 1) */
	CHECK_NODE(&t, TB_POOL_START + 4, vs, 3, 0);
	CHECK_EQ(tb_map(&t, c, f, OU_PROP_RW).status, PTD_OK);
	wr = new_io(&t, vs, 0, PG, 1);
	CHECK_MOVE(tb_io(&t, PTD_OP_IO_WRITE, wr, PG, 23), PTD_OK, PG, 0);
	CHECK_PLAIN_OK(tb_io(&t, PTD_OP_IO_DROP, wr, 0, 0));
	for (uint64_t k = 0; k < PG; k++)
		img[k] = ptd_io_byte(23, k);
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	CHECK_EQ(tb_unmap(&t, c, PG).count, 1);
	CHECK_SLOT_FREE(&t, TB_POOL_START, PTD_USAGE_FRAME);
	CHECK_EQ(tb_drop_cursor(&t, c).status, PTD_OK);
	/* The next root takes slot 32, the lowest UNUSED pool slot. */
	vs = tb_new_vs(&t).new_id;
	CHECK_NODE(&t, TB_POOL_START, vs, 0, 0);
	CHECK(content_is(&t, TB_POOL_START, img));
	CHECK_EQ(t.view.ncontents, 1);
	tb_fini(&t);
}

/* reset forgets every byte and every reader and writer. */
TEST(reset_clears_contents)
{
	struct env e;
	ptd_id_t wr, rd;
	env_init(&e);
	map_slot(&e.t, e.c, 0, 5, OU_PROP_RW);
	wr = new_io(&e.t, e.vs, 0, PG, 1);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_WRITE, wr, PG, 7), PTD_OK, PG, 0);
	rd = new_io(&e.t, e.vs, 0, PG, 0);
	CHECK_EQ(e.t.view.ncontents, 1);
	CHECK_EQ(e.t.view.nios, 2);
	CHECK_IO(&e.t, rd, e.vs, PTD_IO_READER, 0, 0, PG);
	e.t.be->reset(e.t.self);
	ou_refresh(&e.t);
	CHECK_EQ(e.t.view.overflow, 0);
	CHECK_EQ(e.t.view.ncontents, 0);
	CHECK_EQ(e.t.view.nios, 0);
	for (uint64_t i = 0; i < TB_NFRAMES; i++)
		CHECK_SLOT_FREE(&e.t, i, PTD_USAGE_UNUSED);
	/* The same frame, mapped afresh, reads as zeros. */
	e.t.next_id = 1;
	{
		ptd_id_t vs = tb_new_vs(&e.t).new_id;
		ptd_id_t c = tb_open(&e.t, vs, 0, 4 * MIB, 1).new_id;
		map_slot(&e.t, c, 0, 5, OU_PROP_RW);
		rd = new_io(&e.t, vs, 0, PG, 0);
		CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_READ, rd, PG, 0), PTD_OK, PG, FNV_ZERO_PAGE);
	}
	tb_fini(&e.t);
}

/* ios[] or contents[] too small for the store: overflow set, the view left empty. */
TEST(view_overflow_ios_contents)
{
	struct env e;
	ptd_id_t wr;
	struct ptd_view v;
	static struct ptd_slot_view slots[TB_NFRAMES];
	static struct ptd_path_view paths[64];
	static struct ptd_mapping_view maps[8];
	ptd_id_t vmspaces[4];
	struct ptd_cursor_view cursors[4];
	struct ptd_frame_view frames[4];
	struct ptd_io_view ios[1];
	struct ptd_content_view contents[1];
	env_init(&e);
	map_slot(&e.t, e.c, 0, 5, OU_PROP_RW);
	map_slot(&e.t, e.c, PG, 6, OU_PROP_RW);
	wr = new_io(&e.t, e.vs, 0, 2 * PG, 1);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_WRITE, wr, 2 * PG, 7), PTD_OK, 2 * PG, 0);
	v = (struct ptd_view){ .nslots = TB_NFRAMES, .slots = slots, .paths = paths,
			       .paths_cap = 64, .maps = maps, .maps_cap = 8,
			       .vmspaces = vmspaces, .vmspaces_cap = 4, .cursors = cursors,
			       .cursors_cap = 4, .frames = frames, .frames_cap = 4,
			       .ios = ios, .ios_cap = 1, .contents = contents,
			       .contents_cap = 1 };
	/* One io, two written frames: contents[] is too small. */
	e.t.be->view(e.t.self, &v);
	CHECK_EQ(v.overflow, 1);
	CHECK_EQ(v.nios + v.ncontents + v.npaths + v.nmaps, 0);
	/* Two ios, contents fitting: ios[] is too small. */
	new_io(&e.t, e.vs, 0, 1, 0);
	v.contents_cap = 2;
	v.contents = (struct ptd_content_view[2]){ { 0 } };
	v.overflow = 0;
	e.t.be->view(e.t.self, &v);
	CHECK_EQ(v.overflow, 1);
	CHECK_EQ(v.nios + v.ncontents, 0);
	/* Both large enough: no overflow, everything listed. */
	v.ios_cap = 2;
	v.ios = (struct ptd_io_view[2]){ { 0 } };
	e.t.be->view(e.t.self, &v);
	CHECK_EQ(v.overflow, 0);
	CHECK_EQ(v.nios, 2);
	CHECK_EQ(v.ncontents, 2);
	/* Large enough (the test harness's own view): no overflow. */
	CHECK_EQ(e.t.view.overflow, 0);
	CHECK_EQ(e.t.view.nios, 2);
	CHECK_EQ(e.t.view.ncontents, 2);
	tb_fini(&e.t);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(new_io_registers), PTD_TEST_ENTRY(new_io_bad_range),
	      PTD_TEST_ENTRY(read_zero_frame), PTD_TEST_ENTRY(write_read_one_byte_literal),
	      PTD_TEST_ENTRY(write_across_pages_and_read_back),
	      PTD_TEST_ENTRY(write_offset_counts_from_start), PTD_TEST_ENTRY(read_faults_partial),
	      PTD_TEST_ENTRY(write_faults_partial), PTD_TEST_ENTRY(bytes_shared_across_mappings),
	      PTD_TEST_ENTRY(fill_zeros), PTD_TEST_ENTRY(write_val),
	      PTD_TEST_ENTRY(read_val_and_collect), PTD_TEST_ENTRY(reader_and_writer_queries),
	      PTD_TEST_ENTRY(zero_bytes_written_are_no_content),
	      PTD_TEST_ENTRY(skip), PTD_TEST_ENTRY(limit), PTD_TEST_ENTRY(drop),
	      PTD_TEST_ENTRY(drop_vmspace_busy), PTD_TEST_ENTRY(contents_survive_free_and_claim),
	      PTD_TEST_ENTRY(contents_survive_node_reuse), PTD_TEST_ENTRY(reset_clears_contents),
	      PTD_TEST_ENTRY(view_overflow_ios_contents))
