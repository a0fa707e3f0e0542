/* SPDX-License-Identifier: MIT */
/* The op-level mutator keeps inputs well formed, within size, and deterministic. */
#include <string.h>
#include "check.h"
#include "decode.h"
#include "geometry.h"
#include "mutate.h"
#include "prng.h"
#include "rawop_text.h"

TEST(mutants_stay_within_size_and_decode)
{
	uint64_t seed = 77;
	uint8_t buf[512];
	struct ptd_raw_op ops[PTD_MAX_OPS + 1];
	unsigned bad = 0, changed = 0, grew_from_empty = 0;
	for (unsigned iter = 0; iter < 5000; iter++) {
		size_t len = prng_next(&seed) % 200, max = 64 + prng_next(&seed) % 448, out;
		uint8_t before[512];
		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)prng_next(&seed);
		len = len < max ? len : max;
		memcpy(before, buf, len);
		out = ptd_mutate_ops(buf, len, max, iter);
		bad += out > max || ptd_decode(buf, out, ops, PTD_MAX_OPS + 1) > PTD_MAX_OPS;
		changed += out != len || memcmp(before, buf, len);
		grew_from_empty += len == 0 && out > 0;
	}
	CHECK_EQ(bad, 0);
	CHECK(changed > 4000);
	CHECK(grew_from_empty > 0); /* an empty input gets an op inserted */
}

TEST(mutation_is_deterministic)
{
	uint8_t a[256] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, b[256];
	size_t na, nb;
	memcpy(b, a, sizeof a);
	na = ptd_mutate_ops(a, 10, sizeof a, 1234);
	nb = ptd_mutate_ops(b, 10, sizeof b, 1234);
	CHECK_EQ(na, nb);
	CHECK(!memcmp(a, b, na));
}

TEST(crossover_splices_ops)
{
	static const char *const text[] = { "NewVmSpace", "FrameFromUnused paddr=0x1000" };
	struct ptd_raw_op x, y, ops[PTD_MAX_OPS];
	uint8_t a[64], b[64], out[256];
	size_t na, nb, n, total_x = 0, total_y = 0;
	char err[128];
	ptd_raw_op_parse(text[0], &x, err, sizeof err);
	ptd_raw_op_parse(text[1], &y, err, sizeof err);
	na = nb = 0;
	for (int i = 0; i < 3; i++) {
		na += ptd_encode_op(&x, a + na, sizeof a - na);
		nb += ptd_encode_op(&y, b + nb, sizeof b - nb);
	}
	for (unsigned seed = 0; seed < 200; seed++) {
		n = ptd_decode(out, ptd_crossover_ops(a, na, b, nb, out, sizeof out, seed), ops,
			       PTD_MAX_OPS);
		for (size_t i = 0; i < n; i++) {
			total_x += ops[i].kind == PTD_OP_NEW_VM_SPACE;
			total_y += ops[i].kind == PTD_OP_FRAME_FROM_UNUSED;
			/* a prefix of a's ops, then a suffix of b's */
			if (i && ops[i].kind == PTD_OP_NEW_VM_SPACE)
				CHECK(ops[i - 1].kind == PTD_OP_NEW_VM_SPACE);
		}
		CHECK(n <= 6);
	}
	CHECK(total_x > 0 && total_y > 0);
}

/* The n lines of @text parsed into in[] and encoded into @bytes; returns the byte count. */
static size_t assemble(const char *const *text, size_t n, struct ptd_raw_op *in, uint8_t *bytes,
		       size_t cap)
{
	size_t len = 0;
	char err[128];

	for (size_t i = 0; i < n; i++) {
		CHECK_EQ(ptd_raw_op_parse(text[i], &in[i], err, sizeof err), 1);
		len += ptd_encode_op(&in[i], bytes + len, cap - len);
	}
	return len;
}

/* Cursor ops found one after another get wrapped in a Together: the group's members are the
 * same ops, decoded back unchanged after the marker. */
TEST(mutation_groups_cursor_ops)
{
	static const char *const text[] = { "OpenCursor vs=#0 start=0x1000 end=0x2000",
					    "Unmap c=#0 len=0x200000", "Query c=#1" };
	struct ptd_raw_op in[3], ops[PTD_MAX_OPS];
	uint8_t bytes[128], buf[256];
	size_t len = assemble(text, 3, in, bytes, sizeof bytes), n;
	unsigned grouped = 0;

	for (unsigned seed = 0; seed < 400; seed++) {
		memcpy(buf, bytes, len);
		n = ptd_decode(buf, ptd_mutate_ops(buf, len, sizeof buf, seed), ops, PTD_MAX_OPS);
		if (n != 4 || ops[0].kind != PTD_OP_TOGETHER)
			continue;
		grouped += ptd_group_size(&ops[0]) >= 2;
		for (int i = 0; i < 3; i++)
			CHECK(ops[i + 1].kind == in[i].kind);
	}
	CHECK(grouped > 0);
}

/* A write's data is tweaked too: a seed becomes bytes, bytes change or become a seed again,
 * always 1 to PTD_OP_BYTES_MAX of them. */
TEST(mutation_tweaks_write_data)
{
	static const char *const text[] = { "NewVmSpace", "NewWriter vs=#0 va=0x0 len=0x1000",
					    "IoWrite w=#0 len=0x10 seed=0x3",
					    "WriterWriteVal w=#0 len=0x8 bytes=de:ad:be:ef" };
	struct ptd_raw_op in[4], ops[PTD_MAX_OPS];
	uint8_t bytes[128], buf[256];
	size_t len = assemble(text, 4, in, bytes, sizeof bytes), n;
	unsigned to_bytes = 0, changed = 0, to_seed = 0, bad = 0;

	for (unsigned seed = 0; seed < 2000; seed++) {
		memcpy(buf, bytes, len);
		n = ptd_decode(buf, ptd_mutate_ops(buf, len, sizeof buf, seed), ops, PTD_MAX_OPS);
		for (size_t i = 0; i < n; i++)
			bad += ops[i].nbytes > PTD_OP_BYTES_MAX;
		/* Only the mutants whose ops are still the four in order count below. */
		if (n != 4 || ops[0].kind != in[0].kind || ops[1].kind != in[1].kind ||
		    ops[2].kind != in[2].kind || ops[3].kind != in[3].kind)
			continue;
		to_bytes += ops[2].nbytes > 0;
		to_seed += ops[3].nbytes == 0;
		changed += ops[3].nbytes &&
			   (ops[3].nbytes != 4 || memcmp(ops[3].bytes, in[3].bytes, 4));
	}
	CHECK_EQ(bad, 0);
	CHECK(to_bytes > 10);
	CHECK(to_seed > 10);
	CHECK(changed > 10);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(mutants_stay_within_size_and_decode),
	      PTD_TEST_ENTRY(mutation_groups_cursor_ops), PTD_TEST_ENTRY(mutation_is_deterministic),
	      PTD_TEST_ENTRY(crossover_splices_ops), PTD_TEST_ENTRY(mutation_tweaks_write_data))
