/* SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* fmemopen */
/* The decoder is total and its text form and byte form round-trip exactly. */
#include <stdlib.h>
#include "check.h"
#include "decode.h"
#include "geometry.h"
#include "prng.h"
#include "rawop_text.h"

static int raw_equal(const struct ptd_raw_op *a, const struct ptd_raw_op *b)
{
	if (a->kind != b->kind || a->prop.flags != b->prop.flags || a->prop.cache != b->prop.cache ||
	    a->change.set != b->change.set || a->change.clear != b->change.clear ||
	    a->change.cache != b->change.cache)
		return 0;
	for (unsigned i = 0; i < PTD_MAX_ARGS; i++)
		if (a->sel[i] != b->sel[i] || a->num[i].base != b->num[i].base ||
		    a->num[i].off != b->num[i].off)
			return 0;
	return 1;
}

static int raw_well_formed(const struct ptd_raw_op *op)
{
	if ((unsigned)op->kind >= PTD_OP_COUNT || op->prop.flags & ~PTD_PF_ALL ||
	    op->prop.cache >= PTD_CACHE_COUNT || op->change.set & ~PTD_PF_ALL ||
	    op->change.clear & ~PTD_PF_ALL ||
	    (op->change.cache >= PTD_CACHE_COUNT && op->change.cache != PTD_CACHE_KEEP))
		return 0;
	for (unsigned i = 0; i < PTD_MAX_ARGS; i++)
		if (op->num[i].base >= PTD_NUM_BASE_COUNT)
			return 0;
	return 1;
}

TEST(empty_input_decodes_to_nothing)
{
	struct ptd_raw_op ops[PTD_MAX_OPS];
	CHECK_EQ(ptd_decode(NULL, 0, ops, PTD_MAX_OPS), 0);
}

TEST(every_kind_byte_maps_back)
{
	for (unsigned k = 0; k < PTD_OP_COUNT; k++)
		CHECK_EQ(ptd_decode_kind(ptd_kind_byte((enum ptd_op_kind)k)), k);
	/* every op kind is reachable from some byte */
	uint64_t seen = 0;
	for (unsigned b = 0; b < 256; b++)
		seen |= 1ull << ptd_decode_kind((uint8_t)b);
	CHECK_EQ(seen, (1ull << PTD_OP_COUNT) - 1);
}

TEST(random_bytes_decode_to_well_formed_ops)
{
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	static uint8_t buf[4096];
	struct ptd_raw_op ops[PTD_MAX_OPS];
	unsigned bad = 0, capped = 0;
	for (int iter = 0; iter < 20000; iter++) {
		size_t len = prng_next(&seed) % sizeof buf, n;
		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)prng_next(&seed);
		n = ptd_decode(buf, len, ops, PTD_MAX_OPS);
		capped += n == PTD_MAX_OPS;
		if (n > PTD_MAX_OPS || (len && !n))
			bad++;
		for (size_t i = 0; i < n; i++)
			bad += !raw_well_formed(&ops[i]);
	}
	CHECK_EQ(bad, 0);
	CHECK(capped > 0); /* long inputs hit the op cap */
}

TEST(text_and_bytes_round_trip)
{
	uint64_t seed = 12345;
	uint8_t buf[512], enc[64];
	struct ptd_raw_op ops[PTD_MAX_OPS], back, again;
	char text[1024], err[256];
	unsigned mismatches = 0, checked = 0;
	for (int iter = 0; iter < 3000; iter++) {
		size_t len = prng_next(&seed) % sizeof buf, n;
		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)prng_next(&seed);
		n = ptd_decode(buf, len, ops, PTD_MAX_OPS);
		for (size_t i = 0; i < n; i++) {
			FILE *f;
			memset(text, 0, sizeof text); /* MSan: libc fills it uninstrumented */
			f = fmemopen(text, sizeof text, "w");
			size_t elen;
			ptd_raw_op_print(f, &ops[i]);
			fclose(f);
			if (ptd_raw_op_parse(text, &back, err, sizeof err) != 1 ||
			    !raw_equal(&back, &ops[i])) {
				if (mismatches++ < 3)
					fprintf(stderr, "  text mismatch: %s  (%s)\n", text, err);
				continue;
			}
			elen = ptd_encode_op(&ops[i], enc, sizeof enc);
			if (!elen || ptd_decode(enc, elen, &again, 1) != 1 ||
			    !raw_equal(&again, &ops[i]))
				mismatches++;
			checked++;
		}
	}
	CHECK_EQ(mismatches, 0);
	CHECK(checked > 10000);
}

TEST(parse_reports_errors)
{
	struct ptd_raw_op op;
	char err[256];
	CHECK_EQ(ptd_raw_op_parse("  # a comment\n", &op, err, sizeof err), 0);
	CHECK_EQ(ptd_raw_op_parse("\n", &op, err, sizeof err), 0);
	CHECK_EQ(ptd_raw_op_parse("Frobnicate c=#0", &op, err, sizeof err), -1);
	CHECK_EQ(ptd_raw_op_parse("Query", &op, err, sizeof err), -1);
	CHECK(strstr(err, "c=") != NULL);
	CHECK_EQ(ptd_raw_op_parse("Query c=0", &op, err, sizeof err), -1);
	CHECK_EQ(ptd_raw_op_parse("Map c=#0 f=#1 prop=Q/WB", &op, err, sizeof err), -1);
	CHECK_EQ(ptd_raw_op_parse("Map c=#0 f=#1 prop=W/XX", &op, err, sizeof err), -1);
	CHECK_EQ(ptd_raw_op_parse("Query c=#0 extra=1", &op, err, sizeof err), -1);
	CHECK_EQ(ptd_raw_op_parse("Unmap c=#1 len=rest-0x1000", &op, err, sizeof err), 1);
	CHECK_EQ(op.kind, PTD_OP_UNMAP);
	CHECK_EQ(op.sel[0], 1);
	CHECK_EQ(op.num[1].base, PTD_NUM_REST);
	CHECK_EQ(op.num[1].off, (uint64_t)-0x1000);
	/* A base is only accepted where there is a cursor to be relative to. */
	CHECK_EQ(ptd_raw_op_parse("FrameFromUnused paddr=rest", &op, err, sizeof err), -1);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(empty_input_decodes_to_nothing),
	      PTD_TEST_ENTRY(every_kind_byte_maps_back),
	      PTD_TEST_ENTRY(random_bytes_decode_to_well_formed_ops),
	      PTD_TEST_ENTRY(text_and_bytes_round_trip), PTD_TEST_ENTRY(parse_reports_errors))
