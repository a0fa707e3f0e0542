/* SPDX-License-Identifier: MIT */
/*
 * Oracle unit tests: kernel memory, NewKernelReader / NewKernelWriter and IoCopy (docs/POLICY.md
 * "Readers and writers", "Kernel memory", "IoCopy"; docs/CONTRACTS.md#io) — every ERR_BAD_RANGE
 * edge of a kernel range, the view's kernel_hash from the start, IoRead/IoWrite/IoFillZeros/
 * IoSkip/IoLimit/IoDrop on kernel handles, IoCopy kernel -> user (bytes land in the frame) and
 * user -> kernel (kernel_hash), clamping n to the smaller remainder, faults mid-copy at either
 * end (partial count, both cursors), an overlapping kernel copy that sees its own writes,
 * DropVmSpace ignoring kernel handles, and reset restoring kernel memory.
 *
 * Expected bytes are kept by hand in a local image of kernel memory (from ptd_kernel_byte())
 * and local frame images; expected hashes are tb_contents_hash() of those images (the view's
 * kernel_hash and contents[]) and tb_fnv1a() of the bytes an op moved (its result).
 */
#include "oracle_util.h"

#define KB ((uint64_t)PTD_KERNEL_BYTES)
#define FNV_EMPTY UINT64_C(0xcbf29ce484222325)

#define PROP_RO ((struct ptd_prop){ .flags = 0, .cache = PTD_CACHE_WB })

/* The expected kernel memory, kept by hand. */
static uint8_t km[PTD_KERNEL_BYTES];

static void km_init(void)
{
	for (uint64_t k = 0; k < KB; k++)
		km[k] = ptd_kernel_byte(k);
}

static uint64_t km_hash(void)
{
	return tb_contents_hash(km, sizeof km);
}

/* One address space (root 32) and a mutable cursor over [0, 4 MiB). */
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
	km_init();
}

static void map_slot(struct tb *t, ptd_id_t c, uint64_t va, uint64_t slot, struct ptd_prop prop)
{
	CHECK_EQ(tb_jump(t, c, va).status, PTD_OK);
	CHECK_EQ(tb_map(t, c, ou_frame(t, slot), prop).status, PTD_OK);
}

static ptd_id_t new_io(struct tb *t, ptd_id_t vs, uint64_t va, uint64_t len, int writer)
{
	struct ptd_result r = tb_new_io(t, vs, va, len, writer);
	CHECK_EQ(r.status, PTD_OK);
	return r.new_id;
}

static ptd_id_t new_kio(struct tb *t, uint64_t off, uint64_t len, int writer)
{
	struct ptd_result r = tb_new_kernel_io(t, off, len, writer);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(r.new_id != 0);
	return r.new_id;
}

static int content_is(const struct tb *t, uint64_t slot, const uint8_t *img)
{
	uint64_t h = 0;
	return tb_content(t, slot, &h) && h == tb_contents_hash(img, PG);
}

/* The view's kernel_hash is the contents hash of ptd_kernel_byte(k) from the start. */
TEST(kernel_hash_initial)
{
	struct tb t;
	tb_init(&t, &ptd_oracle_backend);
	km_init();
	CHECK_EQ(t.view.kernel_hash, km_hash());
	CHECK(t.view.kernel_hash != tb_contents_hash(km, 0)); /* of the bytes, not of nothing */
	/* An op that touches no kernel byte keeps it. */
	CHECK_EQ(tb_new_vs(&t).status, PTD_OK);
	CHECK_EQ(t.view.kernel_hash, km_hash());
	tb_fini(&t);
}

/* NewKernelReader/Writer: every ERR_BAD_RANGE edge (overflow included), then the OK edges. */
TEST(new_kernel_io_ranges)
{
	struct tb t;
	ptd_id_t id;
	tb_init(&t, &ptd_oracle_backend);
	for (int w = 0; w <= 1; w++) {
		CHECK_REFUSED(&t, tb_new_kernel_io(&t, 0, KB + 1, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(&t, tb_new_kernel_io(&t, 1, KB, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(&t, tb_new_kernel_io(&t, KB + 1, 0, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(&t, tb_new_kernel_io(&t, KB, 1, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(&t, tb_new_kernel_io(&t, UINT64_MAX, 1, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(&t, tb_new_kernel_io(&t, 1, UINT64_MAX, w), PTD_ERR_BAD_RANGE);
		CHECK_REFUSED(&t, tb_new_kernel_io(&t, UINT64_MAX, UINT64_MAX, w),
			      PTD_ERR_BAD_RANGE);
	}
	CHECK_EQ(t.view.nios, 0);
	id = new_kio(&t, 0, KB, 0);
	CHECK_IO(&t, id, 0, PTD_IO_READER, 0, 0, KB);
	id = new_kio(&t, KB, 0, 1);
	CHECK_IO(&t, id, 0, PTD_IO_WRITER, KB, KB, KB);
	id = new_kio(&t, KB - 1, 1, 1);
	CHECK_IO(&t, id, 0, PTD_IO_WRITER, KB - 1, KB - 1, KB);
	id = new_kio(&t, 100, 0, 0);
	CHECK_IO(&t, id, 0, PTD_IO_READER, 100, 100, 100);
	CHECK_EQ(t.view.nios, 4);
	CHECK_EQ(t.view.nslots, TB_NFRAMES);
	for (uint64_t i = 0; i < TB_NFRAMES; i++)
		CHECK_SLOT_FREE(&t, i, PTD_USAGE_UNUSED);
	tb_fini(&t);
}

/* IoRead/IoWrite/IoFillZeros/IoSkip/IoLimit/IoDrop on kernel handles. */
TEST(kernel_read_write_skip_limit_drop)
{
	struct tb t;
	ptd_id_t rd, wr;
	uint8_t buf[300];
	tb_init(&t, &ptd_oracle_backend);
	km_init();
	/* Read 300 of [1000, 1500): the initial bytes. */
	rd = new_kio(&t, 1000, 500, 0);
	CHECK_MOVE(tb_io(&t, PTD_OP_IO_READ, rd, 300, 0), PTD_OK, 300, tb_fnv1a(km + 1000, 300));
	CHECK_IO(&t, rd, 0, PTD_IO_READER, 1000, 1300, 1500);
	/* Past the end: n = 200. */
	CHECK_MOVE(tb_io(&t, PTD_OP_IO_READ, rd, 1000, 0), PTD_OK, 200, tb_fnv1a(km + 1300, 200));
	CHECK_MOVE(tb_io(&t, PTD_OP_IO_READ, rd, 5, 0), PTD_OK, 0, FNV_EMPTY);
	/* Write 300 bytes at offset 2000 (k counted from the writer's start 1990). */
	wr = new_kio(&t, 1990, 400, 1);
	CHECK_EQ(tb_io(&t, PTD_OP_IO_SKIP, wr, 10, 0).status, PTD_OK);
	CHECK_MOVE(tb_io(&t, PTD_OP_IO_WRITE, wr, 300, 9), PTD_OK, 300, 0);
	for (uint64_t k = 0; k < 300; k++)
		km[2000 + k] = ptd_io_byte(9, 10 + k);
	CHECK_IO(&t, wr, 0, PTD_IO_WRITER, 1990, 2300, 2390);
	CHECK_EQ(t.view.kernel_hash, km_hash());
	CHECK_EQ(t.view.ncontents, 0); /* no frame changed */
	/* Read the written bytes back through another reader. */
	rd = new_kio(&t, 2000, 300, 0);
	for (size_t k = 0; k < 300; k++)
		buf[k] = ptd_io_byte(9, 10 + k);
	CHECK_MOVE(tb_io(&t, PTD_OP_IO_READ, rd, 300, 0), PTD_OK, 300, tb_fnv1a(buf, 300));
	/* Limit then fill zeros: only up to the new end. */
	CHECK_EQ(tb_io(&t, PTD_OP_IO_LIMIT, wr, 50, 0).status, PTD_OK);
	CHECK_IO(&t, wr, 0, PTD_IO_WRITER, 1990, 2300, 2350);
	CHECK_MOVE(tb_io(&t, PTD_OP_IO_FILL_ZEROS, wr, 100, 0), PTD_OK, 50, 0);
	memset(km + 2300, 0, 50);
	CHECK_EQ(t.view.kernel_hash, km_hash());
	/* Skip past the end would panic; nothing changes. */
	CHECK_REFUSED(&t, tb_io(&t, PTD_OP_IO_SKIP, wr, 1, 0), PTD_ERR_WOULD_PANIC);
	/* Drop: gone; the kernel bytes stay. */
	CHECK_EQ(tb_io(&t, PTD_OP_IO_DROP, wr, 0, 0).status, PTD_OK);
	CHECK(tb_io_view(&t, wr) == NULL);
	CHECK_EQ(t.view.kernel_hash, km_hash());
	tb_fini(&t);
}

/* Kernel reader -> user writer: the bytes land in the frame; n clamped to the writer's rest. */
TEST(copy_kernel_to_user)
{
	struct env e;
	ptd_id_t rd, wr;
	static uint8_t img[PG];
	env_init(&e);
	map_slot(&e.t, e.c, 0, 5, OU_PROP_RW);
	wr = new_io(&e.t, e.vs, 100, 300, 1);
	rd = new_kio(&e.t, 1000, 500, 0);
	CHECK_MOVE(tb_io_copy(&e.t, rd, wr, 1000), PTD_OK, 300, tb_fnv1a(km + 1000, 300));
	CHECK_IO(&e.t, rd, 0, PTD_IO_READER, 1000, 1300, 1500);
	CHECK_IO(&e.t, wr, e.vs, PTD_IO_WRITER, 100, 400, 400);
	memset(img, 0, sizeof img);
	memcpy(img + 100, km + 1000, 300);
	CHECK_EQ(e.t.view.ncontents, 1);
	CHECK(content_is(&e.t, 5, img));
	CHECK_EQ(e.t.view.kernel_hash, km_hash()); /* a read leaves kernel memory */
	/* Both exhausted now on the writer side: n = 0, OK, empty hash. */
	CHECK_MOVE(tb_io_copy(&e.t, rd, wr, 10), PTD_OK, 0, FNV_EMPTY);
	tb_fini(&e.t);
}

/* User reader -> kernel writer: kernel_hash by hand; n clamped to the reader's rest. */
TEST(copy_user_to_kernel)
{
	struct env e;
	ptd_id_t uw, ur, kw;
	uint8_t src[200];
	env_init(&e);
	map_slot(&e.t, e.c, 0, 5, PROP_RO); /* reading needs no PTD_PF_W */
	map_slot(&e.t, e.c, PG, 6, OU_PROP_RW);
	/* Fill [PG, PG + 200) with ptd_io_byte(3, k). */
	uw = new_io(&e.t, e.vs, PG, 200, 1);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_WRITE, uw, 200, 3), PTD_OK, 200, 0);
	for (size_t k = 0; k < 200; k++)
		src[k] = ptd_io_byte(3, k);
	/* Reader over [PG - 50, PG + 200): 50 zero bytes of slot 5, then src. */
	ur = new_io(&e.t, e.vs, PG - 50, 250, 0);
	CHECK_EQ(tb_io(&e.t, PTD_OP_IO_SKIP, ur, 50, 0).status, PTD_OK);
	kw = new_kio(&e.t, 50, 1000, 1);
	CHECK_MOVE(tb_io_copy(&e.t, ur, kw, 5000), PTD_OK, 200, tb_fnv1a(src, 200));
	memcpy(km + 50, src, 200);
	CHECK_EQ(e.t.view.kernel_hash, km_hash());
	CHECK_IO(&e.t, ur, e.vs, PTD_IO_READER, PG - 50, PG + 200, PG + 200);
	CHECK_IO(&e.t, kw, 0, PTD_IO_WRITER, 50, 250, 1050);
	/* Across the page boundary: 50 zeros of slot 5 then 150 of src, at kernel 250. */
	ur = new_io(&e.t, e.vs, PG - 50, 200, 0);
	{
		uint8_t exp[200];
		memset(exp, 0, 50);
		memcpy(exp + 50, src, 150);
		CHECK_MOVE(tb_io_copy(&e.t, ur, kw, 200), PTD_OK, 200, tb_fnv1a(exp, 200));
		memcpy(km + 250, exp, 200);
	}
	CHECK_EQ(e.t.view.kernel_hash, km_hash());
	CHECK_IO(&e.t, kw, 0, PTD_IO_WRITER, 50, 450, 1050);
	tb_fini(&e.t);
}

/* A source fault mid-copy: partial count, both cursors advanced by it, ERR_FAULT. */
TEST(copy_faults_at_source)
{
	struct env e;
	ptd_id_t ur, kw, uw;
	uint8_t src[10];
	env_init(&e);
	map_slot(&e.t, e.c, 0, 5, OU_PROP_RW);
	/* [PG, 2 PG) unmapped. */
	uw = new_io(&e.t, e.vs, PG - 10, 10, 1);
	CHECK_MOVE(tb_io(&e.t, PTD_OP_IO_WRITE, uw, 10, 4), PTD_OK, 10, 0);
	for (size_t k = 0; k < 10; k++)
		src[k] = ptd_io_byte(4, k);
	ur = new_io(&e.t, e.vs, PG - 10, 100, 0);
	kw = new_kio(&e.t, 7, 100, 1);
	CHECK_MOVE(tb_io_copy(&e.t, ur, kw, 100), PTD_ERR_FAULT, 10, tb_fnv1a(src, 10));
	memcpy(km + 7, src, 10);
	CHECK_EQ(e.t.view.kernel_hash, km_hash());
	CHECK_IO(&e.t, ur, e.vs, PTD_IO_READER, PG - 10, PG, PG + 90);
	CHECK_IO(&e.t, kw, 0, PTD_IO_WRITER, 7, 17, 107);
	/* Again at the unmapped byte: nothing copied, nothing moves. */
	CHECK_MOVE(tb_io_copy(&e.t, ur, kw, 100), PTD_ERR_FAULT, 0, FNV_EMPTY);
	CHECK_IO(&e.t, ur, e.vs, PTD_IO_READER, PG - 10, PG, PG + 90);
	CHECK_IO(&e.t, kw, 0, PTD_IO_WRITER, 7, 17, 107);
	CHECK_EQ(e.t.view.kernel_hash, km_hash());
	/* len 0: n = 0, OK even at the fault. */
	CHECK_MOVE(tb_io_copy(&e.t, ur, kw, 0), PTD_OK, 0, FNV_EMPTY);
	tb_fini(&e.t);
}

/* A destination fault mid-copy (read-only page): the byte read but not written is not counted. */
TEST(copy_faults_at_destination)
{
	struct env e;
	ptd_id_t kr, uw;
	static uint8_t img5[PG];
	env_init(&e);
	map_slot(&e.t, e.c, 0, 5, OU_PROP_RW);
	map_slot(&e.t, e.c, PG, 6, PROP_RO);
	uw = new_io(&e.t, e.vs, PG - 20, 100, 1);
	kr = new_kio(&e.t, KB - 64, 64, 0);
	CHECK_MOVE(tb_io_copy(&e.t, kr, uw, 100), PTD_ERR_FAULT, 20, tb_fnv1a(km + KB - 64, 20));
	CHECK_IO(&e.t, kr, 0, PTD_IO_READER, KB - 64, KB - 44, KB);
	CHECK_IO(&e.t, uw, e.vs, PTD_IO_WRITER, PG - 20, PG, PG + 80);
	memset(img5, 0, sizeof img5);
	memcpy(img5 + PG - 20, km + KB - 64, 20);
	CHECK_EQ(e.t.view.ncontents, 1);
	CHECK(content_is(&e.t, 5, img5));
	CHECK_EQ(e.t.view.kernel_hash, km_hash());
	tb_fini(&e.t);
}

/* Clamping: n = min(len, reader rest, writer rest), each in turn the smallest. */
TEST(copy_clamps_to_smaller_rest)
{
	struct tb t;
	ptd_id_t rd, wr;
	tb_init(&t, &ptd_oracle_backend);
	km_init();
	/* Reader's rest smallest. */
	rd = new_kio(&t, 0, 30, 0);
	wr = new_kio(&t, 10000, 100, 1);
	CHECK_MOVE(tb_io_copy(&t, rd, wr, 50), PTD_OK, 30, tb_fnv1a(km, 30));
	memcpy(km + 10000, km, 30);
	CHECK_IO(&t, rd, 0, PTD_IO_READER, 0, 30, 30);
	CHECK_IO(&t, wr, 0, PTD_IO_WRITER, 10000, 10030, 10100);
	CHECK_EQ(t.view.kernel_hash, km_hash());
	/* len smallest. */
	rd = new_kio(&t, 500, 100, 0);
	CHECK_MOVE(tb_io_copy(&t, rd, wr, 5), PTD_OK, 5, tb_fnv1a(km + 500, 5));
	memcpy(km + 10030, km + 500, 5);
	CHECK_IO(&t, rd, 0, PTD_IO_READER, 500, 505, 600);
	CHECK_IO(&t, wr, 0, PTD_IO_WRITER, 10000, 10035, 10100);
	/* Writer's rest smallest (after a limit). */
	CHECK_EQ(tb_io(&t, PTD_OP_IO_LIMIT, wr, 7, 0).status, PTD_OK);
	CHECK_MOVE(tb_io_copy(&t, rd, wr, 50), PTD_OK, 7, tb_fnv1a(km + 505, 7));
	memcpy(km + 10035, km + 505, 7);
	CHECK_IO(&t, rd, 0, PTD_IO_READER, 500, 512, 600);
	CHECK_IO(&t, wr, 0, PTD_IO_WRITER, 10000, 10042, 10042);
	CHECK_EQ(t.view.kernel_hash, km_hash());
	tb_fini(&t);
}

/* An overlapping kernel copy forward by one sees its own writes: every byte becomes km[0]. */
TEST(copy_overlap_sees_own_writes)
{
	struct tb t;
	ptd_id_t rd, wr;
	uint8_t exp[10];
	tb_init(&t, &ptd_oracle_backend);
	km_init();
	rd = new_kio(&t, 0, 10, 0);
	wr = new_kio(&t, 1, 10, 1);
	memset(exp, km[0], sizeof exp);
	CHECK_MOVE(tb_io_copy(&t, rd, wr, 10), PTD_OK, 10, tb_fnv1a(exp, 10));
	memset(km + 1, km[0], 10);
	CHECK_EQ(t.view.kernel_hash, km_hash());
	tb_fini(&t);
}

/* DropVmSpace counts user readers/writers of that space only. */
TEST(drop_vmspace_ignores_kernel_io)
{
	struct env e;
	ptd_id_t kr, kw, vs2, ur;
	env_init(&e);
	kr = new_kio(&e.t, 0, 10, 0);
	kw = new_kio(&e.t, 0, 10, 1);
	CHECK_EQ(tb_drop_cursor(&e.t, e.c).status, PTD_OK);
	vs2 = tb_new_vs(&e.t).new_id;
	ur = new_io(&e.t, vs2, 0, 10, 0);
	CHECK_REFUSED(&e.t, tb_drop_vs(&e.t, vs2), PTD_ERR_BUSY);
	CHECK_EQ(tb_drop_vs(&e.t, e.vs).status, PTD_OK);
	CHECK(!ou_has_vs(&e.t, e.vs));
	CHECK_IO(&e.t, kr, 0, PTD_IO_READER, 0, 0, 10);
	CHECK_IO(&e.t, kw, 0, PTD_IO_WRITER, 0, 0, 10);
	CHECK_EQ(tb_io(&e.t, PTD_OP_IO_DROP, ur, 0, 0).status, PTD_OK);
	CHECK_EQ(tb_drop_vs(&e.t, vs2).status, PTD_OK);
	CHECK_EQ(e.t.view.nvmspaces, 0);
	CHECK_EQ(e.t.view.nios, 2);
	tb_fini(&e.t);
}

/* reset restores kernel memory (and forgets kernel handles). */
TEST(reset_restores_kernel_memory)
{
	struct tb t;
	ptd_id_t wr, rd;
	tb_init(&t, &ptd_oracle_backend);
	km_init();
	const uint64_t initial = km_hash();
	wr = new_kio(&t, 0, KB, 1);
	CHECK_MOVE(tb_io(&t, PTD_OP_IO_FILL_ZEROS, wr, 4096, 0), PTD_OK, 4096, 0);
	CHECK(t.view.kernel_hash != initial);
	t.be->reset(t.self);
	ou_refresh(&t);
	CHECK_EQ(t.view.kernel_hash, initial);
	CHECK_EQ(t.view.nios, 0);
	/* The bytes read back are the initial ones. */
	t.next_id = 1;
	rd = new_kio(&t, 0, 4096, 0);
	CHECK_MOVE(tb_io(&t, PTD_OP_IO_READ, rd, 4096, 0), PTD_OK, 4096, tb_fnv1a(km, 4096));
	tb_fini(&t);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(kernel_hash_initial), PTD_TEST_ENTRY(new_kernel_io_ranges),
	      PTD_TEST_ENTRY(kernel_read_write_skip_limit_drop),
	      PTD_TEST_ENTRY(copy_kernel_to_user), PTD_TEST_ENTRY(copy_user_to_kernel),
	      PTD_TEST_ENTRY(copy_faults_at_source), PTD_TEST_ENTRY(copy_faults_at_destination),
	      PTD_TEST_ENTRY(copy_clamps_to_smaller_rest),
	      PTD_TEST_ENTRY(copy_overlap_sees_own_writes),
	      PTD_TEST_ENTRY(drop_vmspace_ignores_kernel_io),
	      PTD_TEST_ENTRY(reset_restores_kernel_memory))
