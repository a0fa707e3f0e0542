/* SPDX-License-Identifier: MIT */
/*
 * Readers, writers and frame contents, on either side (docs/POLICY.md "Readers and writers",
 * DropVmSpace step 1, §4; vostd io.rs): NewReader/NewWriter ranges (every ERR_BAD_RANGE edge,
 * overflow included), IoRead/IoWrite/IoFillZeros byte by byte (partial counts and ERR_FAULT at
 * unmapped, I/O and read-only pages, across page boundaries; n = min(len, end - cursor)), the
 * same bytes through other mappings and spaces, read_val/collect/write_val and the queries,
 * IoSkip/IoLimit/IoDrop, DropVmSpace's ERR_BUSY, the view's contents[] surviving free, claim
 * and node reuse, reset clearing it, and overflow of ios[] and contents[].
 *
 * Expected frame bytes are kept in the model (bt.h) written with ptd_io_byte(); expected hashes
 * are tb_contents_hash() over it for the view's contents[] and tb_moved_hash() over the moved
 * bytes for results, plus a few literals of that hash (bt.h).  Test machine: 64 frames, pool =
 * frames 32..63, I/O window at 1 GiB.
 */
#include "bt.h"

#define MAXU PTD_MAX_USERSPACE_VADDR

/* A byte move through io of len bytes (seed for IoWrite). */
static struct ptd_result io(struct tb *t, enum ptd_op_kind kind, ptd_id_t id, uint64_t len,
			    uint64_t seed)
{
	return tb_io(t, kind, id, len, seed);
}

/* The value a ReaderReadVal of the n <= 8 bytes b reports (include/ptdiff/op.h). */
static uint64_t le_value(const uint8_t *b, size_t n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | b[n];
	return v;
}

/* IoWrite or WriterWriteVal of len bytes carrying the n bytes b as its data (op.h). */
static struct ptd_result write_bytes(struct tb *t, enum ptd_op_kind kind, ptd_id_t id, uint64_t len,
				     const uint8_t *b, size_t n)
{
	struct ptd_op op = { .kind = kind, .io = id, .len = len, .nbytes = (uint8_t)n };

	memcpy(op.bytes, b, n);
	return tb_apply(t, op);
}

/* ---- NewReader / NewWriter ---- */

/* Step 2: start = cursor = va, end = va + len, the kind recorded; len 0, an unaligned va and
 * va + len == MAX_USERSPACE_VADDR exactly are allowed; no slot is touched (vostd io.rs). */
TEST(new_io_registers)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	struct tb_snap before = tb_snap_take(t);

	CHECK_CREATED(tb_new_io(t, e.vs, 0x1000, 0x2000, 0), 3);
	CHECK_IO(t, 3, e.vs, PTD_IO_READER, 0x1000, 0x1000, 0x3000);
	CHECK_CREATED(tb_new_io(t, e.vs, 0x5000, 0, 1), 4);
	CHECK_IO(t, 4, e.vs, PTD_IO_WRITER, 0x5000, 0x5000, 0x5000);
	CHECK_IO(t, bt_new_io(t, e.vs, 0x1234, 0x100, 0), e.vs, PTD_IO_READER, 0x1234, 0x1234,
		 0x1334);
	CHECK_IO(t, bt_new_io(t, e.vs, 0x123, 5, 1), e.vs, PTD_IO_WRITER, 0x123, 0x123, 0x128);
	CHECK_IO(t, bt_new_io(t, e.vs, 0, MAXU, 0), e.vs, PTD_IO_READER, 0, 0, MAXU);
	CHECK_IO(t, bt_new_io(t, e.vs, MAXU, 0, 1), e.vs, PTD_IO_WRITER, MAXU, MAXU, MAXU);
	CHECK_IO(t, bt_new_io(t, e.vs, MAXU, 0, 0), e.vs, PTD_IO_READER, MAXU, MAXU, MAXU);
	CHECK_IO(t, bt_new_io(t, e.vs, MAXU - PG, PG, 0), e.vs, PTD_IO_READER, MAXU - PG, MAXU - PG,
		 MAXU);
	CHECK_IO(t, bt_new_io(t, e.vs, MAXU - 1, 1, 1), e.vs, PTD_IO_WRITER, MAXU - 1, MAXU - 1,
		 MAXU);
	CHECK_IO(t, bt_new_io(t, e.vs, MAXU - 10, 10, 1), e.vs, PTD_IO_WRITER, MAXU - 10, MAXU - 10,
		 MAXU);
	CHECK_EQ(t->view.nios, 10);
	CHECK(tb_snap_same_but_io(t, &before));
	CHECK_EQ(t->view.ncontents, 0);
	tb_snap_free(&before);
	tb_fini(t);
}

/* Step 1: ERR_BAD_RANGE when va + len > MAX_USERSPACE_VADDR = 2^47 - 4096, computed without
 * wrapping; the cursor bound 2^47 is not the reader bound. */
TEST(new_io_bad_range)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);

	for (int w = 0; w <= 1; w++) {
		CHECK_REFUSED(t, tb_new_io(t, e.vs, MAXU - PG, PG + 1, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(t, tb_new_io(t, e.vs, MAXU - 10, 11, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(t, tb_new_io(t, e.vs, 0, MAXU + 1, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(t, tb_new_io(t, e.vs, 1, MAXU, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(t, tb_new_io(t, e.vs, MAXU + 1, 0, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(t, tb_new_io(t, e.vs, MAXU, PG, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(t, tb_new_io(t, e.vs, 0, PTD_USER_END, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(t, tb_new_io(t, e.vs, PTD_USER_END - PG, PG, w), PTD_ERR_BAD_RANGE);
		/* Wrapping sums: va + len mod 2^64 would be small. */
		CHECK_REFUSED(t, tb_new_io(t, e.vs, 1, UINT64_MAX, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(t, tb_new_io(t, e.vs, 2, UINT64_MAX, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(t, tb_new_io(t, e.vs, UINT64_MAX, 1, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(t, tb_new_io(t, e.vs, UINT64_MAX, 2, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(t, tb_new_io(t, e.vs, UINT64_MAX - 0xfff, PG, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(t, tb_new_io(t, e.vs, UINT64_MAX, 0, w), PTD_ERR_BAD_RANGE);
	}
	CHECK_EQ(t->view.nios, 0);
	tb_fini(t);
}

/* ---- IoRead ---- */

/* Nothing mapped: the first byte faults; count 0, the hash of no bytes, nothing changes. */
TEST(read_unmapped_faults_at_once)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	struct tb_snap before;
	ptd_id_t rd = bt_new_io(t, e.vs, 0x3000, 0x100, 0);

	before = tb_snap_take(t);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 0x10, 0), PTD_ERR_FAULT, 0, HASH_EMPTY);
	CHECK(tb_snap_same(t, &before));
	tb_snap_free(&before);
	/* A huge reader over empty space: one page looked at, then a fault. */
	rd = bt_new_io(t, e.vs, 0, MAXU, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, UINT64_MAX, 0), PTD_ERR_FAULT, 0, HASH_EMPTY);
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0, 0, MAXU);
	tb_fini(t);
}

/* A mapped frame never written reads as zeros; count = min(len, end - cursor); len 0 and a
 * reader at its end move nothing and succeed; reads change no slot and no contents. */
TEST(read_never_written_frame_gives_zeros)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	struct tb_snap before;
	static const uint8_t zeros[PG];
	ptd_id_t rd;

	bt_map_slot(t, e.c, 0x1000, 5, PROP_RO);
	rd = bt_new_io(t, e.vs, 0x1000, PG, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 0, 0), PTD_OK, 0, HASH_EMPTY);
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x1000, 0x1000, 0x2000);
	before = tb_snap_take(t);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 1, 0), PTD_OK, 1, HASH_ZERO_BYTE);
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x1000, 0x1001, 0x2000);
	/* Capped at the end: 4095 bytes left, 10000 asked, all of them read. */
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 10000, 0), PTD_OK, PG - 1,
		   tb_moved_hash(zeros, PG - 1));
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x1000, 0x2000, 0x2000);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 5, 0), PTD_OK, 0, HASH_EMPTY);
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x1000, 0x2000, 0x2000);
	CHECK(tb_snap_same_but_io(t, &before));
	CHECK_EQ(t->view.ncontents, 0);
	tb_snap_free(&before);
	/* A whole page in one read. */
	rd = bt_new_io(t, e.vs, 0x1000, PG, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, PG, 0), PTD_OK, PG, HASH_ZERO_PAGE);
	CHECK_EQ(tb_moved_hash(zeros, PG), HASH_ZERO_PAGE);
	CHECK_EQ(tb_moved_hash(zeros, 1), HASH_ZERO_BYTE);
	tb_fini(t);
}

/* Readable = mapped to a tracked frame: across a page boundary into an unmapped page the read
 * stops at the boundary with the partial count and the hash of what was read; once the page
 * is mapped the rest reads. */
TEST(read_faults_at_unmapped_page_with_partial_count)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	static const uint8_t zeros[0x100];
	ptd_id_t wr, rd;

	bt_map_slot(t, e.c, 0x1000, 5, PROP_RW);
	wr = bt_new_io(t, e.vs, 0x1000, PG, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, PG, 11), PTD_OK, PG, 0);
	bt_model_write(5, 0, PG, 11, 0);

	rd = bt_new_io(t, e.vs, 0x1f00, 0x200, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 0x200, 0), PTD_ERR_FAULT, 0x100,
		   tb_moved_hash(&bt_frames[5][0xf00], 0x100));
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x1f00, 0x2000, 0x2100);
	/* Again from the boundary: nothing readable. */
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 0x100, 0), PTD_ERR_FAULT, 0, HASH_EMPTY);
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x1f00, 0x2000, 0x2100);
	/* Map the next page: the rest reads. */
	bt_map_slot(t, e.c, 0x2000, 6, PROP_RO);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 0x100, 0), PTD_OK, 0x100, tb_moved_hash(zeros, 0x100));
	CHECK(bt_contents_match(t));
	tb_fini(t);
}

/* An I/O (untracked) mapping is not readable: a read from a written frame into it stops at
 * the boundary with the hash of the written bytes; one starting inside it reads nothing. */
TEST(read_faults_at_io_memory)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	ptd_id_t wr, rd;

	bt_map_slot(t, e.c, 0x1000, 5, PROP_RW);
	CHECK_EQ(tb_map_iomem(t, e.c, TB_IOMEM_BASE, PROP_RW).status, PTD_OK); /* at 0x2000 */
	wr = bt_new_io(t, e.vs, 0x1e00, 0x200, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 0x200, 5), PTD_OK, 0x200, 0);
	bt_model_write(5, 0xe00, 0x200, 5, 0);

	rd = bt_new_io(t, e.vs, 0x1e80, 0x1000, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 0x300, 0), PTD_ERR_FAULT, 0x180,
		   tb_moved_hash(&bt_frames[5][0xe80], 0x180));
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x1e80, 0x2000, 0x2e80);
	rd = bt_new_io(t, e.vs, 0x2010, 0x10, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 0x10, 0), PTD_ERR_FAULT, 0, HASH_EMPTY);
	CHECK(bt_contents_match(t));
	tb_fini(t);
}

/*
 * The fault layout: 0x0 frame 5 RW, 0x1000 frame 6 read-only (X, A, D set, uncached: only W
 * makes a page writable), 0x2000 I/O memory (RW), 0x3000 unmapped, 0x4000 frame 7 RW,
 * 0x5000 unmapped.  Frame 5 is filled with seed 11.
 */
static struct tb *fault_layout(struct bt_env *e)
{
	struct tb *t = bt_env_init(e);
	const struct ptd_prop ro_xad = { .flags = PTD_PF_X | PTD_PF_A | PTD_PF_D,
					 .cache = PTD_CACHE_UC };
	ptd_id_t wr;

	bt_map_slot(t, e->c, 0, 5, PROP_RW);
	bt_map_slot(t, e->c, PG, 6, ro_xad);
	CHECK_EQ(tb_jump(t, e->c, 2 * PG).status, PTD_OK);
	CHECK_EQ(tb_map_iomem(t, e->c, TB_IOMEM_BASE, PROP_RW).status, PTD_OK);
	bt_map_slot(t, e->c, 4 * PG, 7, PROP_RW);
	wr = bt_new_io(t, e->vs, 0, PG, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, PG, 11), PTD_OK, PG, 0);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_DROP, wr, 0, 0), PTD_OK);
	bt_model_write(5, 0, PG, 11, 0);
	CHECK(bt_contents_match(t));
	return t;
}

/* Reads: read-only pages are readable; unmapped and I/O pages stop the read with ERR_FAULT and
 * the partial count, hash and cursor; a stop exactly at n is no fault. */
TEST(read_faults_partial)
{
	struct bt_env e;
	struct tb *t = fault_layout(&e);
	struct tb_snap before = tb_snap_take(t), again;
	static const uint8_t zeros[PG];
	static uint8_t buf[PG];
	ptd_id_t rd;

	/* RW then read-only: both readable, OK. */
	rd = bt_new_io(t, e.vs, 0xff0, PG, 0);
	memcpy(buf, &bt_frames[5][0xff0], 0x10);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, PG, 0), PTD_OK, PG, tb_moved_hash(buf, PG));
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0xff0, 0x1ff0, 0x1ff0);
	/* The whole read-only page. */
	rd = bt_new_io(t, e.vs, PG, PG, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, PG, 0), PTD_OK, PG, HASH_ZERO_PAGE);

	/* Read-only frame 6 then the I/O page: 16 bytes, then ERR_FAULT; cursor at the I/O page. */
	rd = bt_new_io(t, e.vs, 0x1ff0, PG, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 0x100, 0), PTD_ERR_FAULT, 0x10,
		   tb_moved_hash(zeros, 0x10));
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x1ff0, 0x2000, 0x2ff0);
	/* Again: nothing readable, ERR_FAULT with count 0, the empty hash, nothing moves. */
	again = tb_snap_take(t);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 0x100, 0), PTD_ERR_FAULT, 0, HASH_EMPTY);
	CHECK(tb_snap_same(t, &again));
	tb_snap_free(&again);

	/* I/O page then unmapped: count 0. */
	rd = bt_new_io(t, e.vs, 0x2ff0, 0x20, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 0x20, 0), PTD_ERR_FAULT, 0, HASH_EMPTY);
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x2ff0, 0x2ff0, 0x3010);

	/* Unmapped then frame 7: the read does not jump the hole; skip over it, then read. */
	rd = bt_new_io(t, e.vs, 0x3ff0, 0x20, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 0x20, 0), PTD_ERR_FAULT, 0, HASH_EMPTY);
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x3ff0, 0x3ff0, 0x4010);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_SKIP, rd, 0x10, 0), PTD_OK);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 0x20, 0), PTD_OK, 0x10, tb_moved_hash(zeros, 0x10));
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x3ff0, 0x4010, 0x4010);

	/* Frame 7 up to its end, range ends there: n = 0x10, all read, OK (the unmapped page
	 * after it is never reached); then n = 0: OK, count 0. */
	rd = bt_new_io(t, e.vs, 0x4ff0, 0x10, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 0x100, 0), PTD_OK, 0x10, tb_moved_hash(zeros, 0x10));
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 0x100, 0), PTD_OK, 0, HASH_EMPTY);
	/* The same with the range going on: ERR_FAULT after 0x10. */
	rd = bt_new_io(t, e.vs, 0x4ff0, 0x20, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 0x20, 0), PTD_ERR_FAULT, 0x10,
		   tb_moved_hash(zeros, 0x10));
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x4ff0, 0x5000, 0x5010);

	/* Frame 5 then frame 6 partially (len < remain): OK with exactly len. */
	rd = bt_new_io(t, e.vs, 0xffc, 0x100, 0);
	memset(buf, 0, 8);
	memcpy(buf, &bt_frames[5][0xffc], 4);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 8, 0), PTD_OK, 8, tb_moved_hash(buf, 8));

	/* Reads change no slot and no contents. */
	CHECK(tb_snap_same_but_io(t, &before));
	CHECK_EQ(t->view.ncontents, 1);
	CHECK(bt_contents_match(t));
	tb_snap_free(&before);
	tb_fini(t);
}

/* Writes: read-only, I/O and unmapped pages stop them with ERR_FAULT and the partial count
 * (the bytes before the fault written); again from the fault, a refusal in all but name;
 * mapping the missing page, or making the read-only one writable, lets the writes through. */
TEST(write_faults_partial)
{
	struct bt_env e;
	struct tb *t = fault_layout(&e);
	struct tb_snap before = tb_snap_take(t);
	const struct ptd_prop_change set_w = { .set = PTD_PF_W,
					       .clear = 0,
					       .cache = PTD_CACHE_KEEP };
	ptd_id_t wr;

	/* RW frame 5, then read-only frame 6: 8 bytes written, ERR_FAULT at 0x1000. */
	wr = bt_new_io(t, e.vs, 0xff8, 0x10, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 0x10, 13), PTD_ERR_FAULT, 8, 0);
	CHECK_IO(t, wr, e.vs, PTD_IO_WRITER, 0xff8, 0x1000, 0x1008);
	bt_model_write(5, 0xff8, 8, 13, 0);
	CHECK(bt_contents_match(t)); /* frame 6 untouched */
	CHECK_REFUSED(t, io(t, PTD_OP_IO_WRITE, wr, 0x10, 13), PTD_ERR_FAULT);
	CHECK_REFUSED(t, io(t, PTD_OP_IO_FILL_ZEROS, wr, 0x10, 0), PTD_ERR_FAULT);
	/* The same from the start of frame 5 over two pages: a whole page, then the fault. */
	wr = bt_new_io(t, e.vs, 0, 2 * PG, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 2 * PG, 3), PTD_ERR_FAULT, PG, 0);
	CHECK_IO(t, wr, e.vs, PTD_IO_WRITER, 0, PG, 2 * PG);
	bt_model_write(5, 0, PG, 3, 0);
	CHECK(bt_contents_match(t));

	/* Read-only then I/O; I/O then unmapped; unmapped then frame 7: count 0 each. */
	wr = bt_new_io(t, e.vs, 0x1ffc, 8, 1);
	CHECK_REFUSED(t, io(t, PTD_OP_IO_WRITE, wr, 8, 1), PTD_ERR_FAULT);
	wr = bt_new_io(t, e.vs, 0x2000, 0x10, 1);
	CHECK_REFUSED(t, io(t, PTD_OP_IO_WRITE, wr, 0x10, 4), PTD_ERR_FAULT);
	CHECK_REFUSED(t, io(t, PTD_OP_IO_FILL_ZEROS, wr, 0x10, 0), PTD_ERR_FAULT);
	CHECK_IO(t, wr, e.vs, PTD_IO_WRITER, 0x2000, 0x2000, 0x2010);
	wr = bt_new_io(t, e.vs, 0x2ffc, 8, 1);
	CHECK_REFUSED(t, io(t, PTD_OP_IO_WRITE, wr, 8, 1), PTD_ERR_FAULT);
	CHECK_REFUSED(t, io(t, PTD_OP_IO_FILL_ZEROS, wr, 8, 0), PTD_ERR_FAULT);
	wr = bt_new_io(t, e.vs, 0x3ff8, 0x10, 1);
	CHECK_REFUSED(t, io(t, PTD_OP_IO_WRITE, wr, 0x10, 1), PTD_ERR_FAULT);
	CHECK(bt_contents_match(t)); /* frame 7 untouched */

	/* RW frame 7 then unmapped: 4 bytes. */
	wr = bt_new_io(t, e.vs, 0x4ffc, 8, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 8, 17), PTD_ERR_FAULT, 4, 0);
	bt_model_write(7, 0xffc, 4, 17, 0);
	CHECK(bt_contents_match(t));
	CHECK(tb_snap_same_but_io(t, &before));
	/* Map the next page now: writing continues with k = 4 (the offset from start). */
	bt_map_slot(t, e.c, 5 * PG, 8, PROP_RW);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 4, 17), PTD_OK, 4, 0);
	bt_model_write(8, 0, 4, 17, 4);
	CHECK(bt_contents_match(t));

	/* Make frame 6's mapping writable (ProtectNext): a write to it now goes through. */
	CHECK_EQ(tb_jump(t, e.c, PG).status, PTD_OK);
	CHECK_EQ(tb_protect(t, e.c, PG, set_w).found, 1);
	wr = bt_new_io(t, e.vs, 0x1000, 8, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 8, 19), PTD_OK, 8, 0);
	bt_model_write(6, 0, 8, 19, 0);
	CHECK(bt_contents_match(t));
	CHECK_EQ(t->view.ncontents, 4);
	tb_snap_free(&before);
	tb_fini(t);
}

/* Access follows the current prop and mapping: ProtectNext setting W lets writes through,
 * clearing it makes them fault again; Unmap makes reads fault, and the freed frame (its only
 * reference was the mapping) keeps its bytes. */
TEST(access_follows_protect_and_unmap)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	const struct ptd_prop_change set_w = { .set = PTD_PF_W, .cache = PTD_CACHE_KEEP };
	const struct ptd_prop_change clear_w = { .clear = PTD_PF_W, .cache = PTD_CACHE_KEEP };
	ptd_id_t wr, rd;

	bt_map_slot(t, e.c, 0x1000, 5, PROP_RO);
	wr = bt_new_io(t, e.vs, 0x1000, 0x30, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 0x10, 2), PTD_ERR_FAULT, 0, 0);
	CHECK_EQ(tb_jump(t, e.c, 0x1000).status, PTD_OK);
	CHECK_EQ(tb_protect(t, e.c, PG, set_w).found, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 0x10, 2), PTD_OK, 0x10, 0);
	bt_model_write(5, 0, 0x10, 2, 0);
	CHECK_EQ(tb_jump(t, e.c, 0x1000).status, PTD_OK);
	CHECK_EQ(tb_protect(t, e.c, PG, clear_w).found, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 0x10, 2), PTD_ERR_FAULT, 0, 0);
	CHECK(bt_contents_match(t));

	rd = bt_new_io(t, e.vs, 0x1000, 0x20, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 0x10, 0), PTD_OK, 0x10,
		   tb_moved_hash(bt_frames[5], 0x10));
	CHECK_EQ(tb_jump(t, e.c, 0x1000).status, PTD_OK);
	CHECK_EQ(tb_unmap(t, e.c, PG).count, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 0x10, 0), PTD_ERR_FAULT, 0, HASH_EMPTY);
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x1000, 0x1010, 0x1020);
	CHECK_SLOT_FREE(t, 5, PTD_USAGE_FRAME);
	CHECK(bt_contents_match(t));
	tb_fini(t);
}

/* ---- IoWrite: bytes ---- */

/* The byte at address a is ptd_io_byte(seed, a - start): k counts from the writer's start, not
 * from its cursor, across several writes and a skip.  The frame's contents show in the view
 * with the contents hash of all 4096 bytes; no slot changes. */
TEST(write_offset_counts_from_start)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	struct tb_snap before;
	ptd_id_t wr, rd;
	uint64_t h;

	bt_map_slot(t, e.c, 0x1000, 5, PROP_RW);
	wr = bt_new_io(t, e.vs, 0x1100, 0x100, 1);
	before = tb_snap_take(t);
	CHECK_EQ(t->view.ncontents, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 0x10, 7), PTD_OK, 0x10, 0);
	bt_model_write(5, 0x100, 0x10, 7, 0);
	CHECK_IO(t, wr, e.vs, PTD_IO_WRITER, 0x1100, 0x1110, 0x1200);
	CHECK_EQ(bt_frames[5][0x100], ptd_io_byte(7, 0));
	CHECK(tb_content(t, 5, &h));
	CHECK_EQ(h, tb_contents_hash(bt_frames[5], PG));
	CHECK(bt_contents_match(t));
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 0x10, 2), PTD_OK, 0x10, 0);
	bt_model_write(5, 0x110, 0x10, 2, 0x10);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_SKIP, wr, 0x20, 0), PTD_OK);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 0x10, 3), PTD_OK, 0x10, 0);
	bt_model_write(5, 0x140, 0x10, 3, 0x40);
	CHECK_IO(t, wr, e.vs, PTD_IO_WRITER, 0x1100, 0x1150, 0x1200);
	CHECK(bt_contents_match(t));
	CHECK(tb_snap_same_but_io(t, &before));
	tb_snap_free(&before);
	rd = bt_new_io(t, e.vs, 0x1100, 0x50, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 0x50, 0), PTD_OK, 0x50,
		   tb_moved_hash(&bt_frames[5][0x100], 0x50));
	tb_fini(t);
}

/* One byte written and read back, against hand-computed literals: ptd_io_byte(1, 0) =
 * (0x9e3779b97f4a7c15 >> 8) & 0xff = 0x7c, hashed HASH_7C; and ptd_io_byte(73, 0) = 0x61, "a",
 * hashed HASH_A. */
TEST(write_read_one_byte_literal)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	ptd_id_t wr, rd;

	bt_map_slot(t, e.c, 0x1000, 5, PROP_RW);
	CHECK_EQ(ptd_io_byte(1, 0), 0x7c);
	CHECK_EQ(ptd_io_byte(73, 0), 0x61);
	wr = bt_new_io(t, e.vs, 0x1000, 1, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 1, 1), PTD_OK, 1, 0);
	CHECK_IO(t, wr, e.vs, PTD_IO_WRITER, 0x1000, 0x1001, 0x1001);
	rd = bt_new_io(t, e.vs, 0x1000, 1, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 1, 0), PTD_OK, 1, HASH_7C);
	bt_frames[5][0] = 0x7c;
	CHECK_EQ(t->view.ncontents, 1);
	CHECK(bt_contents_match(t));
	wr = bt_new_io(t, e.vs, 0x1001, 1, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 1, 73), PTD_OK, 1, 0);
	rd = bt_new_io(t, e.vs, 0x1001, 1, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 1, 0), PTD_OK, 1, HASH_A);
	bt_frames[5][1] = 0x61;
	CHECK(bt_contents_match(t));
	tb_fini(t);
}

/* One write over three frames, unaligned at both ends: every frame gets its slice; reading it
 * back, whole or in pieces, across a boundary or inside one frame, hashes the bytes in address
 * order.  No slot, path, mapping or other handle changes. */
TEST(write_and_read_across_frames)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	struct tb_snap before;
	uint8_t buf[0x100];
	ptd_id_t wr, rd;

	bt_map_slot(t, e.c, 0x1000, 5, PROP_RW);
	bt_map_slot(t, e.c, 0x2000, 6, PROP_RW);
	bt_map_slot(t, e.c, 0x3000, 7, PROP_RW);
	before = tb_snap_take(t);
	wr = bt_new_io(t, e.vs, 0x1800, 0x2000, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 0x2000, 0x1234), PTD_OK, 0x2000, 0);
	CHECK_IO(t, wr, e.vs, PTD_IO_WRITER, 0x1800, 0x3800, 0x3800);
	bt_model_write(5, 0x800, 0x800, 0x1234, 0);
	bt_model_write(6, 0, PG, 0x1234, 0x800);
	bt_model_write(7, 0, 0x800, 0x1234, 0x1800);
	CHECK(bt_contents_match(t));
	CHECK_EQ(t->view.ncontents, 3);
	/* Whole range at once. */
	rd = bt_new_io(t, e.vs, 0x1800, 0x2000, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 0x2000, 0), PTD_OK, 0x2000,
		   bt_moved_hash_seq(0x1234, 0, 0x2000));
	/* In pieces: 16 bytes, then more than is left (n = the rest). */
	rd = bt_new_io(t, e.vs, 0x1800, 0x2000, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 16, 0), PTD_OK, 16, bt_moved_hash_seq(0x1234, 0, 16));
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x1800, 0x1810, 0x3800);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 0x4000, 0), PTD_OK, 0x2000 - 16,
		   bt_moved_hash_seq(0x1234, 16, 0x2000 - 16));
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x1800, 0x3800, 0x3800);
	/* Across the boundary of frames 5 and 6. */
	memcpy(buf, &bt_frames[5][PG - 0x80], 0x80);
	memcpy(buf + 0x80, &bt_frames[6][0], 0x80);
	rd = bt_new_io(t, e.vs, 0x2000 - 0x80, 0x100, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 0x100, 0), PTD_OK, 0x100,
		   tb_moved_hash(buf, sizeof buf));
	/* From an unaligned start inside frame 6 only. */
	rd = bt_new_io(t, e.vs, 0x2003, 5, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 5, 0), PTD_OK, 5, tb_moved_hash(&bt_frames[6][3], 5));
	CHECK(tb_snap_same_but_io(t, &before));
	CHECK_EQ(tb_accounting_violations(t), 0);
	tb_snap_free(&before);
	tb_fini(t);
}

/* The same frame through a second va of the same space and through another space (read-only
 * there): bytes written through one mapping read back through the others; writing through the
 * read-only one faults at once; one frame's contents whatever the number of mappings. */
TEST(bytes_shared_across_mappings)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	ptd_id_t vs2, c2, wr, rd, h;

	bt_map_slot(t, e.c, 0, 5, PROP_RW);
	h = tb_from_in_use(t, 5 * PG).new_id;
	CHECK_EQ(tb_jump(t, e.c, 0x7000).status, PTD_OK);
	CHECK_EQ(tb_map(t, e.c, h, PROP_RW).status, PTD_OK);
	c2 = bt_open_new(t, &vs2, 0, 4 * MIB);
	h = tb_from_in_use(t, 5 * PG).new_id;
	CHECK_EQ(tb_jump(t, c2, 0x3000).status, PTD_OK);
	CHECK_EQ(tb_map(t, c2, h, PROP_RO).status, PTD_OK);
	CHECK_SLOT_LIVE(t, 5, 3, PTD_USAGE_FRAME);
	CHECK_EQ(tb_paths(t, 5), 3);

	/* Written through vs at 0x100 .. 0x1ff. */
	wr = bt_new_io(t, e.vs, 0x100, 0x100, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 0x100, 9), PTD_OK, 0x100, 0);
	bt_model_write(5, 0x100, 0x100, 9, 0);
	CHECK_SLOT_LIVE(t, 5, 3, PTD_USAGE_FRAME);
	/* Read through vs at 0x7100 and through vs2 (read-only mapping) at 0x3100. */
	rd = bt_new_io(t, e.vs, 0x7100, 0x100, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 0x100, 0), PTD_OK, 0x100,
		   bt_moved_hash_seq(9, 0, 0x100));
	rd = bt_new_io(t, vs2, 0x3100, 0x100, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 0x100, 0), PTD_OK, 0x100,
		   bt_moved_hash_seq(9, 0, 0x100));
	/* vs2's mapping is read-only: its writer faults at once. */
	wr = bt_new_io(t, vs2, 0x3000, 0x100, 1);
	CHECK_REFUSED(t, io(t, PTD_OP_IO_WRITE, wr, 0x100, 21), PTD_ERR_FAULT);
	/* Written through vs's second va 0x7000 .. 0x70ff, read through vs2: the whole frame. */
	wr = bt_new_io(t, e.vs, 0x7000, 0x100, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 0x100, 21), PTD_OK, 0x100, 0);
	bt_model_write(5, 0, 0x100, 21, 0);
	rd = bt_new_io(t, vs2, 0x3000, PG, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, PG, 0), PTD_OK, PG, tb_moved_hash(bt_frames[5], PG));
	CHECK_IO(t, rd, vs2, PTD_IO_READER, 0x3000, 0x4000, 0x4000);
	CHECK_EQ(t->view.ncontents, 1);
	CHECK(bt_contents_match(t));
	CHECK_SLOT_LIVE(t, 5, 3, PTD_USAGE_FRAME);
	CHECK_EQ(tb_accounting_violations(t), 0);
	tb_fini(t);
}

/* ---- IoFillZeros ---- */

/* Zeros overwrite written bytes (the hash changes); n is capped at the writer's end; a frame
 * back to all zeros leaves contents[]; filling a frame never written succeeds and lists
 * nothing; fill faults where writes fault. */
TEST(fill_zeros)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	ptd_id_t wr, z;

	bt_map_slot(t, e.c, 0x1000, 5, PROP_RW);
	bt_map_slot(t, e.c, 0x2000, 6, PROP_RW);
	wr = bt_new_io(t, e.vs, 0x1000, PG, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, PG, 77), PTD_OK, PG, 0);
	bt_model_write(5, 0, PG, 77, 0);
	CHECK(bt_contents_match(t));
	/* 0x10 .. 0x1f, capped at the writer's end. */
	z = bt_new_io(t, e.vs, 0x1010, 0x10, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_FILL_ZEROS, z, 0x100, 0), PTD_OK, 0x10, 0);
	CHECK_IO(t, z, e.vs, PTD_IO_WRITER, 0x1010, 0x1020, 0x1020);
	memset(&bt_frames[5][0x10], 0, 0x10);
	CHECK(bt_contents_match(t));

	z = bt_new_io(t, e.vs, 0x1100, 0x1000, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_FILL_ZEROS, z, 0x200, 0), PTD_OK, 0x200, 0);
	memset(&bt_frames[5][0x100], 0, 0x200);
	CHECK_IO(t, z, e.vs, PTD_IO_WRITER, 0x1100, 0x1300, 0x2100);
	CHECK(bt_contents_match(t));
	/* The rest of frame 5 and the first 0x100 bytes of frame 6 (never written). */
	CHECK_MOVE(io(t, PTD_OP_IO_FILL_ZEROS, z, 0x1000, 0), PTD_OK, 0xe00, 0);
	memset(&bt_frames[5][0x300], 0, PG - 0x300);
	CHECK(bt_contents_match(t));
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 0, 0), PTD_OK, 0, 0); /* at its end */
	z = bt_new_io(t, e.vs, 0x1000, 0x100, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_FILL_ZEROS, z, 0x100, 0), PTD_OK, 0x100, 0);
	memset(bt_frames[5], 0, 0x100);
	CHECK(bt_contents_match(t));
	CHECK_EQ(t->view.ncontents, 0);
	/* A never-written frame, all of it: still nothing to list. */
	z = bt_new_io(t, e.vs, 0x2000, PG, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_FILL_ZEROS, z, PG, 0), PTD_OK, PG, 0);
	CHECK_EQ(t->view.ncontents, 0);
	/* Into the unmapped page after frame 6: partial, ERR_FAULT. */
	z = bt_new_io(t, e.vs, 0x2ff0, 0x20, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_FILL_ZEROS, z, 0x20, 0), PTD_ERR_FAULT, 0x10, 0);
	CHECK_IO(t, z, e.vs, PTD_IO_WRITER, 0x2ff0, 0x3000, 0x3010);
	CHECK_SLOT_LIVE(t, 5, 1, PTD_USAGE_FRAME);
	tb_fini(t);
}

/* contents[] is by value: writing zero bytes (seed 0 gives zeros for k < 5) lists nothing. */
TEST(zero_bytes_written_are_no_content)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	ptd_id_t wr;

	bt_map_slot(t, e.c, 0, 5, PROP_RW);
	for (uint64_t k = 0; k < 5; k++)
		CHECK_EQ(ptd_io_byte(0, k), 0);
	CHECK_EQ(ptd_io_byte(0, 5), 1);
	wr = bt_new_io(t, e.vs, 0, 1, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 1, 0), PTD_OK, 1, 0);
	CHECK_EQ(t->view.ncontents, 0);
	wr = bt_new_io(t, e.vs, 0, 5, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 5, 0), PTD_OK, 5, 0);
	CHECK_EQ(t->view.ncontents, 0);
	wr = bt_new_io(t, e.vs, 0, 6, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 6, 0), PTD_OK, 6, 0);
	bt_frames[5][5] = 1;
	CHECK_EQ(t->view.ncontents, 1);
	CHECK(bt_contents_match(t));
	tb_fini(t);
}

/* ---- ReaderReadVal, ReaderCollect, WriterWriteVal, ReaderQuery, WriterQuery ---- */

/* write_val: a value that fits moves exactly its size and advances the cursor; one larger than
 * what remains is ERR_INVALID_ARGS and changes nothing; one that faults part-way leaves the
 * handle as it was and returns nothing, but the bytes it got to stay written (OSTD rolls back
 * the cursor only); a zero-sized value always fits. */
TEST(write_val)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	struct tb_snap before;
	ptd_id_t wr;

	bt_map_slot(t, e.c, 0x1000, 5, PROP_RW);
	wr = bt_new_io(t, e.vs, 0x1ff0, 0x20, 1);
	before = tb_snap_take(t);
	CHECK_MOVE(io(t, PTD_OP_WRITER_WRITE_VAL, wr, 8, 3), PTD_OK, 8, 0);
	bt_model_write(5, 0xff0, 8, 3, 0);
	CHECK_IO(t, wr, e.vs, PTD_IO_WRITER, 0x1ff0, 0x1ff8, 0x2010);
	CHECK(bt_contents_match(t));
	/* 0x18 remain: a 0x19-byte value is refused before anything moves. */
	CHECK_REFUSED(t, io(t, PTD_OP_WRITER_WRITE_VAL, wr, 0x19, 4), PTD_ERR_INVALID_ARGS);
	/* 0x10 bytes from 0x1ff8: 8 land in frame 5, then 0x2000 is unmapped. */
	CHECK_MOVE(io(t, PTD_OP_WRITER_WRITE_VAL, wr, 0x10, 4), PTD_ERR_FAULT, 0, 0);
	bt_model_write(5, 0xff8, 8, 4, 8);
	CHECK_IO(t, wr, e.vs, PTD_IO_WRITER, 0x1ff0, 0x1ff8, 0x2010);
	CHECK(bt_contents_match(t));
	CHECK_MOVE(io(t, PTD_OP_WRITER_WRITE_VAL, wr, 0, 4), PTD_OK, 0, 0);
	CHECK(tb_snap_same_but_io(t, &before));
	CHECK_SLOT_LIVE(t, 5, 1, PTD_USAGE_FRAME);
	tb_snap_free(&before);
	tb_fini(t);
}

/* read_val: OK with the hash of exactly its bytes (and, up to 8 of them, their value; none for
 * a larger one); ERR_INVALID_ARGS past the end, changing nothing; a fault anywhere in the value
 * leaves the reader where it was and returns nothing.  collect reads everything left, or
 * nothing when any of it faults. */
TEST(read_val_and_collect)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	struct tb_snap before;
	uint8_t val[8];
	ptd_id_t wr, rd;

	bt_map_slot(t, e.c, 0x1000, 5, PROP_RW);
	bt_map_slot(t, e.c, 0x2000, 6, PROP_RO);
	wr = bt_new_io(t, e.vs, 0x1000, PG, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, PG, 9), PTD_OK, PG, 0);
	bt_model_write(5, 0, PG, 9, 0);
	rd = bt_new_io(t, e.vs, 0x1ffc, 0x1008, 0);
	before = tb_snap_take(t);
	/* 4 bytes of frame 5, 4 zero bytes of frame 6 (read-only is readable). */
	memcpy(val, &bt_frames[5][0xffc], 4);
	memcpy(val + 4, bt_frames[6], 4);
	CHECK_READ_VAL(io(t, PTD_OP_READER_READ_VAL, rd, 8, 0), 8, tb_moved_hash(val, 8),
		       le_value(val, 8));
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x1ffc, 0x2004, 0x3004);
	CHECK_REFUSED(t, io(t, PTD_OP_READER_READ_VAL, rd, 0x1001, 0), PTD_ERR_INVALID_ARGS);
	/* The last 4 bytes (0x3000..0x3003) are unmapped: collect returns nothing. */
	CHECK_MOVE(io(t, PTD_OP_READER_COLLECT, rd, 0, 0), PTD_ERR_FAULT, 0, 0);
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x1ffc, 0x2004, 0x3004);
	CHECK_MOVE(io(t, PTD_OP_READER_READ_VAL, rd, 0x1000, 0), PTD_ERR_FAULT, 0, 0);
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x1ffc, 0x2004, 0x3004);
	CHECK_MOVE(io(t, PTD_OP_READER_READ_VAL, rd, 0xffc, 0), PTD_OK, 0xffc,
		   tb_moved_hash(&bt_frames[6][4], 0xffc));
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x1ffc, 0x3000, 0x3004);
	/* Collect after a value: exactly what is left, then nothing left (OK, empty). */
	rd = bt_new_io(t, e.vs, 0x1100, 0x20, 0);
	CHECK_READ_VAL(io(t, PTD_OP_READER_READ_VAL, rd, 8, 0), 8, bt_moved_hash_seq(9, 0x100, 8),
		       le_value(&bt_frames[5][0x100], 8));
	CHECK_MOVE(io(t, PTD_OP_READER_COLLECT, rd, 0, 0), PTD_OK, 0x18,
		   bt_moved_hash_seq(9, 0x108, 0x18));
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x1100, 0x1120, 0x1120);
	CHECK_MOVE(io(t, PTD_OP_READER_COLLECT, rd, 0, 0), PTD_OK, 0, HASH_EMPTY);
	/* Collect of a whole range. */
	rd = bt_new_io(t, e.vs, 0x1800, 0x800, 0);
	CHECK_MOVE(io(t, PTD_OP_READER_COLLECT, rd, 0, 0), PTD_OK, 0x800,
		   tb_moved_hash(&bt_frames[5][0x800], 0x800));
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x1800, 0x2000, 0x2000);
	CHECK(tb_snap_same_but_io(t, &before));
	CHECK(bt_contents_match(t));
	CHECK_EQ(tb_accounting_violations(t), 0);
	tb_snap_free(&before);
	tb_fini(t);
}

/*
 * A write carrying its own bytes (POLICY.md IoWrite, op.h) puts them from the writer's cursor
 * on, repeated: read back value by value, every byte is the one chosen, across a page boundary,
 * with a string whose length does not divide the page, the longest string, a fill of one byte
 * and in kernel memory.  The values and hashes are literals of the chosen bytes.
 */
TEST(chosen_bytes_round_trip)
{
	static const uint8_t beef[] = { 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04 };
	static const uint8_t abc[] = { 0xaa, 0xbb, 0xcc };
	static const uint8_t hex16[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
					   0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
	static const uint8_t fill[] = { 0x5a };
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	ptd_id_t wr, rd;

	bt_map_slot(t, e.c, 0x1000, 5, PROP_RW);
	bt_map_slot(t, e.c, 0x2000, 6, PROP_RW);
	wr = bt_new_io(t, e.vs, 0x1ffc, 0x40, 1);
	/* One value over the page boundary: 4 bytes in frame 5, 4 in frame 6. */
	CHECK_MOVE(write_bytes(t, PTD_OP_WRITER_WRITE_VAL, wr, 8, beef, 8), PTD_OK, 8, 0);
	memcpy(&bt_frames[5][0xffc], beef, 4);
	memcpy(&bt_frames[6][0], beef + 4, 4);
	/* 3 bytes over 16: they start again at the write's first byte (0x2004), not at the
	 * writer's start: aa bb cc aa bb cc ... aa. */
	CHECK_MOVE(write_bytes(t, PTD_OP_IO_WRITE, wr, 16, abc, 3), PTD_OK, 16, 0);
	for (unsigned j = 0; j < 16; j++)
		bt_frames[6][4 + j] = abc[j % 3];
	/* The longest string, as one 16-byte value. */
	CHECK_MOVE(write_bytes(t, PTD_OP_WRITER_WRITE_VAL, wr, 16, hex16, 16), PTD_OK, 16, 0);
	memcpy(&bt_frames[6][0x14], hex16, 16);
	CHECK_IO(t, wr, e.vs, PTD_IO_WRITER, 0x1ffc, 0x2024, 0x203c);
	CHECK(bt_contents_match(t));

	rd = bt_new_io(t, e.vs, 0x1ffc, 0x40, 0);
	CHECK_READ_VAL(io(t, PTD_OP_READER_READ_VAL, rd, 8, 0), 8, tb_moved_hash(beef, 8),
		       UINT64_C(0x04030201efbeadde));
	CHECK_READ_VAL(io(t, PTD_OP_READER_READ_VAL, rd, 4, 0), 4,
		       tb_moved_hash((const uint8_t[]){ 0xaa, 0xbb, 0xcc, 0xaa }, 4),
		       UINT64_C(0xaaccbbaa));
	CHECK_READ_VAL(
		io(t, PTD_OP_READER_READ_VAL, rd, 8, 0), 8,
		tb_moved_hash((const uint8_t[]){ 0xbb, 0xcc, 0xaa, 0xbb, 0xcc, 0xaa, 0xbb, 0xcc },
			      8),
		UINT64_C(0xccbbaaccbbaaccbb));
	CHECK_READ_VAL(io(t, PTD_OP_READER_READ_VAL, rd, 4, 0), 4,
		       tb_moved_hash((const uint8_t[]){ 0xaa, 0xbb, 0xcc, 0xaa }, 4),
		       UINT64_C(0xaaccbbaa));
	CHECK_READ_VAL(io(t, PTD_OP_READER_READ_VAL, rd, 8, 0), 8, tb_moved_hash(hex16, 8),
		       UINT64_C(0x7766554433221100));
	CHECK_READ_VAL(io(t, PTD_OP_READER_READ_VAL, rd, 8, 0), 8, tb_moved_hash(hex16 + 8, 8),
		       UINT64_C(0xffeeddccbbaa9988));
	/* A one-byte value; then more than 8 bytes: a hash, no value. */
	wr = bt_new_io(t, e.vs, 0x1100, 0x100, 1);
	CHECK_MOVE(write_bytes(t, PTD_OP_IO_WRITE, wr, 0x100, fill, 1), PTD_OK, 0x100, 0);
	memset(&bt_frames[5][0x100], 0x5a, 0x100);
	rd = bt_new_io(t, e.vs, 0x1100, 0x100, 0);
	CHECK_READ_VAL(io(t, PTD_OP_READER_READ_VAL, rd, 1, 0), 1, HASH_5A, 0x5a);
	CHECK_MOVE(io(t, PTD_OP_READER_READ_VAL, rd, 0xff, 0), PTD_OK, 0xff,
		   tb_moved_hash(&bt_frames[5][0x101], 0xff));
	/* A write that faults at the unmapped 0x3000 has put the string's first two bytes. */
	wr = bt_new_io(t, e.vs, 0x2ffe, 8, 1);
	CHECK_MOVE(write_bytes(t, PTD_OP_IO_WRITE, wr, 8, abc, 3), PTD_ERR_FAULT, 2, 0);
	bt_frames[6][0xffe] = 0xaa;
	bt_frames[6][0xfff] = 0xbb;
	rd = bt_new_io(t, e.vs, 0x2ffe, 2, 0);
	CHECK_READ_VAL(io(t, PTD_OP_READER_READ_VAL, rd, 2, 0), 2,
		       tb_moved_hash((const uint8_t[]){ 0xaa, 0xbb }, 2), 0xbbaa);
	CHECK(bt_contents_match(t));

	/* Kernel memory: written and read back the same way. */
	wr = bt_new_kio(t, 0x100, 8, 1);
	CHECK_MOVE(write_bytes(t, PTD_OP_WRITER_WRITE_VAL, wr, 8, beef, 8), PTD_OK, 8, 0);
	memcpy(&bt_kernel[0x100], beef, 8);
	CHECK(bt_kernel_match(t));
	rd = bt_new_kio(t, 0x100, 8, 0);
	CHECK_READ_VAL(io(t, PTD_OP_READER_READ_VAL, rd, 8, 0), 8, tb_moved_hash(beef, 8),
		       UINT64_C(0x04030201efbeadde));
	tb_fini(t);
}

/* A query's result: status OK, found, va, count, nothing else. */
#define CHECK_QUERY(r_expr, want_found, want_va, want_count) \
	do {                                                 \
		struct ptd_result q_ = (r_expr);             \
		CHECK_EQ(q_.found, (want_found));            \
		CHECK_EQ(q_.va, (want_va));                  \
		q_.found = 0;                                \
		q_.va = 0;                                   \
		CHECK_MOVE(q_, PTD_OK, (want_count), 0);     \
	} while (0)

/* ReaderQuery / WriterQuery: the cursor, what is left (remain / avail) and whether anything is
 * (has_remain / has_avail); nothing changes. */
TEST(reader_and_writer_queries)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	struct tb_snap before;
	ptd_id_t rd, wr;

	rd = bt_new_io(t, e.vs, 0x3000, 0x100, 0);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_SKIP, rd, 0x40, 0), PTD_OK);
	before = tb_snap_take(t);
	CHECK_QUERY(io(t, PTD_OP_READER_QUERY, rd, 0, 0), 1, 0x3040, 0xc0);
	CHECK(tb_snap_same(t, &before));
	tb_snap_free(&before);
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x3000, 0x3040, 0x3100);
	wr = bt_new_io(t, e.vs, 0x1000, 0x30, 1);
	CHECK_QUERY(io(t, PTD_OP_WRITER_QUERY, wr, 0, 0), 1, 0x1000, 0x30);
	/* Kernel writers: an empty one, and one a skip emptied. */
	wr = bt_new_kio(t, 0x40, 0, 1);
	CHECK_QUERY(io(t, PTD_OP_WRITER_QUERY, wr, 0, 0), 0, 0x40, 0);
	wr = bt_new_kio(t, 0x200, 0x10, 1);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_SKIP, wr, 0x10, 0), PTD_OK);
	CHECK_QUERY(io(t, PTD_OP_WRITER_QUERY, wr, 0, 0), 0, 0x210, 0);
	tb_fini(t);
}

/* ---- IoSkip / IoLimit / IoDrop ---- */

/* Skip needs no mapping; more than is left is ERR_WOULD_PANIC with nothing changed. */
TEST(skip)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	ptd_id_t rd, wr;

	rd = bt_new_io(t, e.vs, 0, 0x100, 0);
	wr = bt_new_io(t, e.vs, 0x10000, 0x100, 1);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_SKIP, rd, 0x40, 0), PTD_OK);
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0, 0x40, 0x100);
	CHECK_REFUSED(t, io(t, PTD_OP_IO_SKIP, rd, 0xc1, 0), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(t, io(t, PTD_OP_IO_SKIP, rd, UINT64_MAX, 0), PTD_ERR_WOULD_PANIC);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_SKIP, rd, 0xc0, 0), PTD_OK);
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0, 0x100, 0x100);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_SKIP, rd, 0, 0), PTD_OK);
	CHECK_REFUSED(t, io(t, PTD_OP_IO_SKIP, rd, 1, 0), PTD_ERR_WOULD_PANIC);
	/* Writers the same. */
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_SKIP, wr, 0x100, 0), PTD_OK);
	CHECK_IO(t, wr, e.vs, PTD_IO_WRITER, 0x10000, 0x10100, 0x10100);
	CHECK_REFUSED(t, io(t, PTD_OP_IO_SKIP, wr, 1, 0), PTD_ERR_WOULD_PANIC);
	/* A zero-length range: only skip 0 is allowed. */
	rd = bt_new_io(t, e.vs, 0x5000, 0, 0);
	wr = bt_new_io(t, e.vs, 0x2000, 0, 1);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_SKIP, rd, 0, 0), PTD_OK);
	CHECK_REFUSED(t, io(t, PTD_OP_IO_SKIP, rd, 1, 0), PTD_ERR_WOULD_PANIC);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_SKIP, wr, 0, 0), PTD_OK);
	CHECK_REFUSED(t, io(t, PTD_OP_IO_SKIP, wr, 1, 0), PTD_ERR_WOULD_PANIC);
	CHECK_IO(t, wr, e.vs, PTD_IO_WRITER, 0x2000, 0x2000, 0x2000);
	/* Skipping over unmapped memory is fine: skip does not translate. */
	CHECK_EQ(t->view.nmaps, 0);
	CHECK_EQ(t->view.ncontents, 0);
	tb_fini(t);
}

/* Limit lowers end to cursor + min(len, end - cursor); it never raises it and never fails;
 * reads and writes then stop at the new end, OK. */
TEST(limit)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	static const uint8_t zeros[0x20];
	ptd_id_t rd, wr;

	bt_map_slot(t, e.c, 0x1000, 5, PROP_RW);
	rd = bt_new_io(t, e.vs, 0x1000, 0x100, 0);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_SKIP, rd, 0x10, 0), PTD_OK);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_LIMIT, rd, 0x20, 0), PTD_OK);
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x1000, 0x1010, 0x1030);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_LIMIT, rd, 0x1000, 0), PTD_OK);
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x1000, 0x1010, 0x1030);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_LIMIT, rd, UINT64_MAX, 0), PTD_OK);
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x1000, 0x1010, 0x1030);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_LIMIT, rd, 0x20, 0), PTD_OK);
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x1000, 0x1010, 0x1030);
	/* A read is capped at the new end: asked 0x100, 0x20 read, OK. */
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 0x100, 0), PTD_OK, 0x20, tb_moved_hash(zeros, 0x20));
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x1000, 0x1030, 0x1030);
	CHECK_REFUSED(t, io(t, PTD_OP_IO_SKIP, rd, 1, 0), PTD_ERR_WOULD_PANIC);

	/* limit(0) over unmapped memory: nothing left, so a read is OK with count 0 (n = 0). */
	rd = bt_new_io(t, e.vs, 0x8000, 0x100, 0);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_SKIP, rd, 0x10, 0), PTD_OK);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_LIMIT, rd, 0, 0), PTD_OK);
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x8000, 0x8010, 0x8010);
	CHECK_REFUSED(t, io(t, PTD_OP_IO_SKIP, rd, 1, 0), PTD_ERR_WOULD_PANIC);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, 5, 0), PTD_OK, 0, HASH_EMPTY);
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0x8000, 0x8010, 0x8010);

	/* limit(0) empties a writer: writes then move nothing and succeed. */
	wr = bt_new_io(t, e.vs, 0x1008, 0x100, 1);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_LIMIT, wr, 0, 0), PTD_OK);
	CHECK_IO(t, wr, e.vs, PTD_IO_WRITER, 0x1008, 0x1008, 0x1008);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 0x10, 5), PTD_OK, 0, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_FILL_ZEROS, wr, 0x10, 0), PTD_OK, 0, 0);
	CHECK_EQ(t->view.ncontents, 0);
	/* A writer limited to 3 bytes writes 3 and succeeds. */
	wr = bt_new_io(t, e.vs, 0x1008, 0x100, 1);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_LIMIT, wr, 3, 0), PTD_OK);
	CHECK_IO(t, wr, e.vs, PTD_IO_WRITER, 0x1008, 0x1008, 0x100b);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 0x10, 5), PTD_OK, 3, 0);
	CHECK_IO(t, wr, e.vs, PTD_IO_WRITER, 0x1008, 0x100b, 0x100b);
	bt_model_write(5, 8, 3, 5, 0);
	CHECK(bt_contents_match(t));
	tb_fini(t);
}

/* Drop unregisters just that reader or writer; the bytes stay, no slot changes. */
TEST(drop)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	struct tb_snap before;
	ptd_id_t r1, r2, w1;

	bt_map_slot(t, e.c, 0, 5, PROP_RW);
	before = tb_snap_take(t);
	r1 = bt_new_io(t, e.vs, 0, 0x10, 0);
	r2 = bt_new_io(t, e.vs, 0x10, 0x10, 0);
	w1 = bt_new_io(t, e.vs, 0, 0x10, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, w1, 1, 73), PTD_OK, 1, 0);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_DROP, r1, 0, 0), PTD_OK);
	CHECK(tb_io_view(t, r1) == NULL);
	CHECK_IO(t, r2, e.vs, PTD_IO_READER, 0x10, 0x10, 0x20);
	CHECK_IO(t, w1, e.vs, PTD_IO_WRITER, 0, 1, 0x10);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_DROP, w1, 0, 0), PTD_OK);
	CHECK_EQ(t->view.nios, 1);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_DROP, r2, 0, 0), PTD_OK);
	CHECK_EQ(t->view.nios, 0);
	CHECK_EQ(t->view.ncontents, 1);
	CHECK(tb_snap_same_but_io(t, &before));
	tb_snap_free(&before);
	tb_fini(t);
}

/* DropVmSpace: ERR_BUSY while a reader or writer of that space is live (even an empty one),
 * after the cursor check; readers of other spaces do not count.  The space's frames are then
 * released (policy R) and keep their bytes; a space created later with the same id starts
 * with no readers. */
TEST(drop_vm_space_busy)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	ptd_id_t vs2, c2, rd, wr, rd2;

	bt_map_slot(t, e.c, 0, 5, PROP_RW);
	c2 = bt_open_new(t, &vs2, 0, PG);
	CHECK_EQ(tb_drop_cursor(t, c2).status, PTD_OK);
	rd = bt_new_io(t, e.vs, 0x10, 0, 0);
	/* Cursor and reader both live. */
	CHECK_REFUSED(t, tb_drop_vs(t, e.vs), PTD_ERR_BUSY);
	CHECK_EQ(tb_drop_cursor(t, e.c).status, PTD_OK);
	/* Reader alone. */
	CHECK_REFUSED(t, tb_drop_vs(t, e.vs), PTD_ERR_BUSY);
	/* A reader and a writer (it wrote frame 5 first); then the writer alone. */
	wr = bt_new_io(t, e.vs, 0, PG, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, PG, 3), PTD_OK, PG, 0);
	bt_model_write(5, 0, PG, 3, 0);
	CHECK_REFUSED(t, tb_drop_vs(t, e.vs), PTD_ERR_BUSY);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_DROP, rd, 0, 0), PTD_OK);
	CHECK(tb_io_view(t, rd) == NULL);
	CHECK_EQ(t->view.nios, 1);
	CHECK_REFUSED(t, tb_drop_vs(t, e.vs), PTD_ERR_BUSY);
	/* A reader of vs2 does not keep vs busy, and vice versa. */
	rd2 = bt_new_io(t, vs2, 0, 0x10, 0);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_DROP, wr, 0, 0), PTD_OK);
	CHECK_ONLY_STATUS(tb_drop_vs(t, e.vs), PTD_OK);
	CHECK(!tb_has_vs(t, e.vs));
	CHECK_REFUSED(t, tb_drop_vs(t, vs2), PTD_ERR_BUSY);
	CHECK_IO(t, rd2, vs2, PTD_IO_READER, 0, 0, 0x10);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_DROP, rd2, 0, 0), PTD_OK);
	CHECK_EQ(t->view.nios, 0);
	CHECK_ONLY_STATUS(tb_drop_vs(t, vs2), PTD_OK);
	/* Frame 5 was released with vs and keeps its bytes; every slot is free. */
	CHECK_SLOT_FREE(t, 5, PTD_USAGE_FRAME);
	CHECK(bt_contents_match(t));
	for (uint64_t i = 0; i < TB_NFRAMES; i++)
		CHECK_EQ(tb_slot(t, i)->rc, PTD_RC_UNUSED);
	CHECK_EQ(tb_live_nodes(t), 0);
	/* A space created after the drop starts with no readers (its id is reused here). */
	CHECK_EQ(tb_apply(t, (struct ptd_op){ .kind = PTD_OP_NEW_VM_SPACE, .new_id = e.vs }).status,
		 PTD_OK);
	CHECK_ONLY_STATUS(tb_drop_vs(t, e.vs), PTD_OK);
	tb_fini(t);
}

/* ---- contents: lifetime ---- */

/* Contents survive unmap (slot freed), re-claim, a segment over the slot, and a remap; a
 * reader over the unmapped page faults at once. */
TEST(contents_survive_free_and_claim)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	ptd_id_t wr, rd, f, seg;

	bt_map_slot(t, e.c, 0, 5, PROP_RW);
	wr = bt_new_io(t, e.vs, 0, PG, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, PG, 5), PTD_OK, PG, 0);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_DROP, wr, 0, 0), PTD_OK);
	bt_model_write(5, 0, PG, 5, 0);
	CHECK_EQ(tb_jump(t, e.c, 0).status, PTD_OK);
	CHECK_EQ(tb_unmap(t, e.c, PG).count, 1);
	CHECK_SLOT_FREE(t, 5, PTD_USAGE_FRAME);
	CHECK(bt_contents_match(t));
	rd = bt_new_io(t, e.vs, 0, PG, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, PG, 0), PTD_ERR_FAULT, 0, HASH_EMPTY);
	/* Claimed again: same bytes. */
	f = bt_frame(t, 5);
	CHECK(bt_contents_match(t));
	CHECK_EQ(tb_frame_drop(t, f).status, PTD_OK);
	seg = tb_segment(t, 4 * PG, 3 * PG).new_id;
	CHECK(bt_contents_match(t));
	CHECK_EQ(tb_segment_drop(t, seg).status, PTD_OK);
	CHECK(bt_contents_match(t));
	CHECK_EQ(t->view.ncontents, 1);
	/* Mapped somewhere else and read back. */
	bt_map_slot(t, e.c, 0x9000, 5, PROP_RO);
	rd = bt_new_io(t, e.vs, 0x9000, PG, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, PG, 0), PTD_OK, PG, tb_moved_hash(bt_frames[5], PG));
	tb_fini(t);
}

/* A written frame in the pool, freed, becomes a page-table node and keeps its bytes (contents
 * are not node memory: only IoWrite and IoFillZeros change them); after that node is freed and
 * the frame claimed again, the bytes read back. */
TEST(contents_survive_node_reuse)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	ptd_id_t wr, rd, vs2, h;

	CHECK_NODE(t, 35, e.vs, 3, 0);
	/* Frame 36 (the next pool frame) as data at va 0, written. */
	bt_map_slot(t, e.c, 0, 36, PROP_RW);
	wr = bt_new_io(t, e.vs, 0x10, 0x40, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 0x40, 21), PTD_OK, 0x40, 0);
	bt_model_write(36, 0x10, 0x40, 21, 0);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_DROP, wr, 0, 0), PTD_OK);
	/* Unmap: rc 1 -> torn down; the bytes stay. */
	CHECK_EQ(tb_jump(t, e.c, 0).status, PTD_OK);
	CHECK_EQ(tb_unmap(t, e.c, PG).count, 1);
	CHECK_SLOT_FREE(t, 36, PTD_USAGE_FRAME);
	CHECK(bt_contents_match(t));
	/* A new space's root takes the lowest free pool slot: 36. */
	vs2 = tb_new_vs(t).new_id;
	CHECK_NODE(t, 36, vs2, 0, 0);
	CHECK(bt_contents_match(t));
	CHECK_EQ(t->view.ncontents, 1);
	CHECK_EQ(tb_drop_vs(t, vs2).status, PTD_OK);
	CHECK_SLOT_FREE(t, 36, PTD_USAGE_PAGE_TABLE);
	CHECK(bt_contents_match(t));
	/* Claim it as a Frame again, map it, read it back. */
	h = bt_frame(t, 36);
	CHECK_EQ(tb_jump(t, e.c, 0x5000).status, PTD_OK);
	CHECK_EQ(tb_map(t, e.c, h, PROP_RO).status, PTD_OK);
	rd = bt_new_io(t, e.vs, 0x5000, PG, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, PG, 0), PTD_OK, PG, tb_moved_hash(bt_frames[36], PG));
	CHECK(bt_contents_match(t));
	tb_fini(t);
}

/* Reset forgets every byte and every reader and writer; every slot is back to the initial
 * state; frames mapped afresh read as zeros and hold only what is written after. */
TEST(reset_clears_contents)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	ptd_id_t vs, c, wr, rd;

	bt_map_slot(t, e.c, 0x1000, 5, PROP_RW);
	bt_map_slot(t, e.c, 0x2000, 6, PROP_RW);
	wr = bt_new_io(t, e.vs, 0x1000, 2 * PG, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 2 * PG, 8), PTD_OK, 2 * PG, 0);
	rd = bt_new_io(t, e.vs, 0, 1, 0);
	CHECK_EQ(t->view.ncontents, 2);
	CHECK_EQ(t->view.nios, 2);
	CHECK_IO(t, rd, e.vs, PTD_IO_READER, 0, 0, 1);

	t->be->reset(t->self);
	tb_refresh(t);
	bt_model_reset();
	CHECK_EQ(t->view.overflow, 0);
	CHECK_EQ(t->view.ncontents, 0);
	CHECK_EQ(t->view.nios, 0);
	CHECK_EQ(t->view.nvmspaces, 0);
	for (uint64_t i = 0; i < TB_NFRAMES; i++)
		CHECK_SLOT_FREE(t, i, PTD_USAGE_UNUSED);

	/* The same script from scratch: ids restart; frames read as zeros. */
	t->next_id = 1;
	c = bt_open_new(t, &vs, 0, 64 * KIB);
	bt_map_slot(t, c, 0x1000, 5, PROP_RW);
	bt_map_slot(t, c, 0x2000, 7, PROP_RW);
	rd = bt_new_io(t, vs, 0x1000, PG, 0);
	CHECK_MOVE(io(t, PTD_OP_IO_READ, rd, PG, 0), PTD_OK, PG, HASH_ZERO_PAGE);
	/* A frame written after the reset holds just the new bytes. */
	wr = bt_new_io(t, vs, 0x2000, 0x10, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 0x10, 1), PTD_OK, 0x10, 0);
	bt_model_write(7, 0, 0x10, 1, 0);
	CHECK(bt_contents_match(t));
	CHECK_EQ(t->view.ncontents, 1);
	/* The space is droppable once its handles are gone; dropping it keeps the bytes. */
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_DROP, rd, 0, 0), PTD_OK);
	CHECK_ONLY_STATUS(io(t, PTD_OP_IO_DROP, wr, 0, 0), PTD_OK);
	CHECK_EQ(tb_drop_cursor(t, c).status, PTD_OK);
	CHECK_ONLY_STATUS(tb_drop_vs(t, vs), PTD_OK);
	CHECK(bt_contents_match(t));
	tb_fini(t);
}

/* The view reports overflow when ios[] or contents[] is too small for the state (what the
 * lists then hold is each side's own: tests/core and tests/oracle), none when both are large
 * enough; views in a row give the same hashes, and a later write changes them. */
TEST(view_overflow_ios_contents)
{
	struct bt_env e;
	struct tb *t = bt_env_init(&e);
	struct ptd_content_view contents[2];
	struct ptd_io_view ios[2];
	struct ptd_view v;
	ptd_id_t wr;
	uint64_t h;

	bt_map_slot(t, e.c, 0x1000, 5, PROP_RW);
	bt_map_slot(t, e.c, 0x2000, 6, PROP_RW);
	wr = bt_new_io(t, e.vs, 0x1000, 2 * PG, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 2 * PG, 6), PTD_OK, 2 * PG, 0);
	bt_model_write(5, 0, PG, 6, 0);
	bt_model_write(6, 0, PG, 6, PG);
	(void)bt_new_io(t, e.vs, 0x1000, 2 * PG, 0);
	CHECK(bt_contents_match(t));
	CHECK_EQ(t->view.nios, 2);

	/* Two ios, two written frames: contents[] too small, then ios[], then neither. */
	v = t->view;
	v.contents = contents;
	v.ios = ios;
	for (int round = 0; round < 3; round++) {
		v.contents_cap = round == 0 ? 1 : 2;
		v.ios_cap = round == 1 ? 1 : 2;
		v.npaths = v.nmaps = v.nvmspaces = v.ncursors = v.nframes = 0;
		v.nsegments = v.nuniques = v.nios = v.ncontents = 0;
		v.overflow = 0;
		t->be->view(t->self, &v);
		CHECK_EQ(v.overflow, round < 2);
	}
	CHECK_EQ(v.nios, 2);
	CHECK_EQ(v.ncontents, 2);
	CHECK_EQ(t->view.overflow, 0);

	/* Views in a row give the same hash; a later write changes it. */
	tb_refresh(t);
	tb_refresh(t);
	CHECK(tb_content(t, 6, &h));
	CHECK_EQ(h, tb_contents_hash(bt_frames[6], PG));
	wr = bt_new_io(t, e.vs, 0x2fff, 1, 1);
	CHECK_MOVE(io(t, PTD_OP_IO_WRITE, wr, 1, 200), PTD_OK, 1, 0);
	bt_model_write(6, PG - 1, 1, 200, 0);
	CHECK(bt_contents_match(t));
	tb_fini(t);
}

PTD_BACKEND_TEST_MAIN(
	PTD_TEST_ENTRY(new_io_registers), PTD_TEST_ENTRY(new_io_bad_range),
	PTD_TEST_ENTRY(read_unmapped_faults_at_once),
	PTD_TEST_ENTRY(read_never_written_frame_gives_zeros),
	PTD_TEST_ENTRY(read_faults_at_unmapped_page_with_partial_count),
	PTD_TEST_ENTRY(read_faults_at_io_memory), PTD_TEST_ENTRY(read_faults_partial),
	PTD_TEST_ENTRY(write_faults_partial), PTD_TEST_ENTRY(access_follows_protect_and_unmap),
	PTD_TEST_ENTRY(write_offset_counts_from_start), PTD_TEST_ENTRY(write_read_one_byte_literal),
	PTD_TEST_ENTRY(write_and_read_across_frames), PTD_TEST_ENTRY(bytes_shared_across_mappings),
	PTD_TEST_ENTRY(fill_zeros), PTD_TEST_ENTRY(zero_bytes_written_are_no_content),
	PTD_TEST_ENTRY(write_val), PTD_TEST_ENTRY(read_val_and_collect),
	PTD_TEST_ENTRY(chosen_bytes_round_trip), PTD_TEST_ENTRY(reader_and_writer_queries),
	PTD_TEST_ENTRY(skip), PTD_TEST_ENTRY(limit), PTD_TEST_ENTRY(drop),
	PTD_TEST_ENTRY(drop_vm_space_busy), PTD_TEST_ENTRY(contents_survive_free_and_claim),
	PTD_TEST_ENTRY(contents_survive_node_reuse), PTD_TEST_ENTRY(reset_clears_contents),
	PTD_TEST_ENTRY(view_overflow_ios_contents))
