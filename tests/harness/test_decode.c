/* SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* fmemopen */
/* The decoder is total and its text form and byte form round-trip exactly; the text form
 * refuses what the bytes could not say. */
#include <stdlib.h>
#include <unistd.h>
#include "check.h"
#include "decode.h"
#include "geometry.h"
#include "input.h"
#include "prng.h"
#include "rawop_text.h"

static int raw_equal(const struct ptd_raw_op *a, const struct ptd_raw_op *b)
{
	if (a->kind != b->kind || a->prop.flags != b->prop.flags ||
	    a->prop.cache != b->prop.cache || a->change.set != b->change.set ||
	    a->change.clear != b->change.clear || a->change.cache != b->change.cache)
		return 0;
	for (unsigned i = 0; i < PTD_MAX_ARGS; i++)
		if (a->sel[i] != b->sel[i] || a->num[i].base != b->num[i].base ||
		    a->num[i].off != b->num[i].off)
			return 0;
	return a->nbytes == b->nbytes && !memcmp(a->bytes, b->bytes, a->nbytes);
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
	return op->nbytes <= PTD_OP_BYTES_MAX;
}

/* Fill @buf with a random number (below @cap) of random bytes; returns the number. */
static size_t random_bytes(uint64_t *seed, uint8_t *buf, size_t cap)
{
	size_t len = prng_next(seed) % cap;

	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)prng_next(seed);
	return len;
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

/* The byte format: of every 64 kind bytes, each kind has as many as its op-table weight, in
 * one run in table order, the first its canonical byte (summed here, looked up in decode.c). */
TEST(kind_bytes_follow_the_op_table_weights)
{
	static const unsigned weight[PTD_OP_COUNT] = {
#define WEIGHT(e, n, stem, w, ...) [PTD_OP_##e] = w,
		PTD_OP_TABLE(WEIGHT)
#undef WEIGHT
	};
	unsigned first = 0;
	for (unsigned k = 0; k < PTD_OP_COUNT; k++) {
		CHECK_EQ(ptd_kind_byte((enum ptd_op_kind)k), first);
		for (unsigned b = first; b < first + weight[k]; b++) {
			CHECK_EQ(ptd_decode_kind((uint8_t)b), k);
			CHECK_EQ(ptd_decode_kind((uint8_t)(b + 64)), k);
			CHECK_EQ(ptd_decode_kind((uint8_t)(b + 192)), k);
		}
		first += weight[k];
	}
	CHECK_EQ(first, 64);
}

TEST(random_bytes_decode_to_well_formed_ops)
{
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	static uint8_t buf[4096];
	struct ptd_raw_op ops[PTD_MAX_OPS];
	unsigned bad = 0, capped = 0;
	for (int iter = 0; iter < 20000; iter++) {
		size_t len = random_bytes(&seed, buf, sizeof buf), n;
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

/* Whatever the bytes, the ops inside a Together's count are ops that can be members (the text
 * form refuses anything else there, so --print output must assemble again). */
TEST(random_groups_hold_only_members)
{
	uint64_t seed = 0x5eed;
	static uint8_t buf[2048];
	struct ptd_raw_op ops[PTD_MAX_OPS];
	unsigned bad = 0, groups = 0;

	for (int iter = 0; iter < 5000; iter++) {
		size_t len = random_bytes(&seed, buf, sizeof buf), n;

		n = ptd_decode(buf, len, ops, PTD_MAX_OPS);
		for (size_t i = 0; i < n; i++) {
			if (ops[i].kind != PTD_OP_TOGETHER)
				continue;
			groups++;
			for (size_t j = i + 1; j < n && j <= i + ptd_group_size(&ops[i]); j++)
				bad += !ptd_op_is_member(ops[j].kind);
		}
	}
	CHECK_EQ(bad, 0);
	CHECK(groups > 1000);
}

TEST(text_and_bytes_round_trip)
{
	uint64_t seed = 12345;
	uint8_t buf[512], enc[64];
	struct ptd_raw_op ops[PTD_MAX_OPS], back, again;
	char text[1024], err[256];
	unsigned mismatches = 0, checked = 0;
	for (int iter = 0; iter < 3000; iter++) {
		size_t len = random_bytes(&seed, buf, sizeof buf), n;
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

/*
 * The decoder guesses from the ops before (fuzz/input/decode.c), but the canonical byte of every
 * kind and the explicit mode, all that encoding writes, decode the same after any of them, in a
 * group and outside one.
 */
TEST(canonical_bytes_mean_the_same_in_every_context)
{
	static const char *const before[] = {
		"",
		"NewVmSpace",
		"NewVmSpace\nOpenCursorMut vs=#0 start=0x0 end=0x1000",
		"NewVmSpace\nOpenCursor vs=#0 start=0x0 end=0x1000\nDropCursor c=#0",
		("NewVmSpace\nOpenCursorMut vs=#0 start=0x0 end=0x1000\n"
		 "OpenCursorMut vs=#0 start=0x200000 end=0x201000\nDropVmSpace vs=#0"),
		"Together ops=4 schedule=0x0",
		"NewVmSpace\nTogether ops=2 schedule=0x0",
	};
	uint8_t bytes[1024];
	struct ptd_raw_op ops[PTD_MAX_OPS], op;
	unsigned bad = 0, checked = 0;
	char err[256];

	for (size_t c = 0; c < sizeof before / sizeof before[0]; c++) {
		for (unsigned k = 0; k < PTD_OP_COUNT; k++) {
			char line[256];
			const char *s = before[c], *nl;
			size_t len = 0, n, want;
			int in_group = strstr(s, "Together") != NULL;

			if (in_group && !ptd_op_is_member((enum ptd_op_kind)k))
				continue;
			for (; *s; s = nl ? nl + 1 : s + strlen(s)) {
				nl = strchr(s, '\n');
				snprintf(line, sizeof line, "%.*s",
					 nl ? (int)(nl - s) : (int)strlen(s), s);
				if (ptd_raw_op_parse(line, &op, err, sizeof err) == 1)
					len += ptd_encode_op(&op, bytes + len, sizeof bytes - len);
			}
			want = ptd_decode(bytes, len, ops, PTD_MAX_OPS);
			/* The op: selector #1, every number 0x1000 in explicit mode. */
			memset(&op, 0, sizeof op);
			op.kind = (enum ptd_op_kind)k;
			for (unsigned i = 0; i < PTD_MAX_ARGS; i++) {
				if (ptd_arg_is_number(ptd_op_args[k][i]))
					op.num[i].off = 0x1000;
				else if (ptd_arg_is_selector(ptd_op_args[k][i]))
					op.sel[i] = 1;
			}
			len += ptd_encode_op(&op, bytes + len, sizeof bytes - len);
			n = ptd_decode(bytes, len, ops, PTD_MAX_OPS);
			if (n != want + 1 || !raw_equal(&ops[want], &op)) {
				if (bad++ < 3)
					fprintf(stderr, "  %s after '%s' decodes as %s\n",
						ptd_op_name(op.kind), before[c],
						ptd_op_name(ops[want].kind));
			}
			checked++;
		}
	}
	CHECK_EQ(bad, 0);
	CHECK(checked > 200);
}

/* @op as ptd_raw_op_print() prints it, into @text. */
static void reprint(const struct ptd_raw_op *op, char *text, size_t cap)
{
	FILE *f;

	memset(text, 0, cap); /* MSan: libc fills it uninstrumented */
	f = fmemopen(text, cap, "w");
	ptd_raw_op_print(f, op);
	fclose(f);
}

/*
 * A write's data as bytes (decode.h): `bytes=` in text, the explicit mode with base byte
 * PTD_NUM_BASE_BYTES, a length byte and the bytes in the byte form; the two say the same.
 */
TEST(write_data_bytes_text_and_byte_form)
{
	uint8_t want[] = {
		0,    0x01,                                                 /* IoWrite w=#1 */
		0x0f, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* len=0x10 */
		0x0f, 0x62, 0x03, 0xde, 0xad, 0xbe, 0xef,                   /* bytes= */
	};
	struct ptd_raw_op op, back;
	uint8_t enc[64];
	char text[256], err[256];
	size_t n;

	want[0] = ptd_kind_byte(PTD_OP_IO_WRITE);
	CHECK_EQ(ptd_raw_op_parse("IoWrite w=#1 len=0x10 bytes=de:ad:BE:ef", &op, err, sizeof err),
		 1);
	CHECK_EQ(op.kind, PTD_OP_IO_WRITE);
	CHECK_EQ(op.nbytes, 4);
	CHECK(!memcmp(op.bytes, "\xde\xad\xbe\xef", 4));
	CHECK_EQ(op.num[2].off, 0);
	reprint(&op, text, sizeof text);
	CHECK(!strcmp(text, "IoWrite w=#1 len=0x10 bytes=de:ad:be:ef\n"));
	n = ptd_encode_op(&op, enc, sizeof enc);
	CHECK_EQ(n, sizeof want);
	CHECK(!memcmp(enc, want, sizeof want));
	CHECK_EQ(ptd_decode(enc, n, &back, 1), 1);
	CHECK(raw_equal(&back, &op));
	/* The longest string: 16 bytes, length byte 15, an op of PTD_ENCODED_OP_MAX bytes. */
	CHECK_EQ(ptd_raw_op_parse("WriterWriteVal w=#0 len=0x10 bytes=00:11:22:33:44:55:66:77:88:"
				  "99:aa:bb:cc:dd:ee:ff",
				  &op, err, sizeof err),
		 1);
	CHECK_EQ(op.nbytes, PTD_OP_BYTES_MAX);
	CHECK_EQ(op.bytes[15], 0xff);
	n = ptd_encode_op(&op, enc, sizeof enc);
	CHECK_EQ(n, PTD_ENCODED_OP_MAX);
	CHECK_EQ(enc[14], 15);
	CHECK_EQ(ptd_decode(enc, n, &back, 1), 1);
	CHECK(raw_equal(&back, &op));
	/* No op of any kind, with every number explicit, is longer. */
	for (unsigned k = 0; k < PTD_OP_COUNT; k++) {
		memset(&back, 0, sizeof back);
		back.kind = (enum ptd_op_kind)k;
		back.nbytes = PTD_OP_BYTES_MAX;
		CHECK(ptd_encode_op(&back, enc, sizeof enc) <= PTD_ENCODED_OP_MAX);
	}
	CHECK_EQ(ptd_raw_op_parse("IoWrite w=#0 len=0x1 bytes=7f", &op, err, sizeof err), 1);
	CHECK_EQ(op.nbytes, 1);
	CHECK_EQ(op.bytes[0], 0x7f);
	/* Refused: no byte, 17 bytes, one digit, three digits, a stray separator, not hex, and
	 * bytes for an argument that is not a write's data. */
	static const char *const bad[] = {
		"IoWrite w=#0 len=0x1 bytes=",
		"IoWrite w=#0 len=0x1 bytes=00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00",
		"IoWrite w=#0 len=0x1 bytes=d",
		"IoWrite w=#0 len=0x1 bytes=dea",
		"IoWrite w=#0 len=0x1 bytes=de:",
		"IoWrite w=#0 len=0x1 bytes=de::ad",
		"IoWrite w=#0 len=0x1 bytes=de-ad",
		"IoWrite w=#0 len=0x1 bytes=0x",
		"IoWrite w=#0 len=0x1 bytes=zz",
		"IoRead r=#0 bytes=de",
		"IoWrite w=#0 bytes=de len=0x1",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = 0;
		if (ptd_raw_op_parse(bad[i], &op, err, sizeof err) != -1)
			fprintf(stderr, "  accepted: %s\n", bad[i]);
		CHECK(strstr(err, "bad argument") != NULL);
	}
	CHECK_EQ(ptd_raw_op_parse("IoWrite w=#0 len=0x1 bytes=zz", &op, err, sizeof err), -1);
	CHECK(strstr(err, "expected seed=... or bytes=xx:xx:..., 1 to 16 bytes") != NULL);
}

/*
 * The explicit mode of a write's data: base byte PTD_NUM_BASE_BYTES only makes it bytes, with
 * n = 1 + length byte % 16 and missing bytes read as zero; any other base byte is the 8-byte
 * seed it always was (canonical bytes write 0; the rest are what random inputs hold).
 */
TEST(write_data_explicit_base_byte)
{
	static const uint8_t others[] = { 0x00, 0x01, 0x05, 0x06, 0x5f, 0x61, 0x63, 0xe2, 0xff };
	/* IoWrite w=#0, its count in mode 0 (rest) with one payload byte, then its data. */
	uint8_t b[32] = { ptd_kind_byte(PTD_OP_IO_WRITE), 0x00, 0x00, 0x07 };
	struct ptd_raw_op op;

	for (size_t i = 0; i < sizeof others; i++) {
		b[4] = PTD_NUM_MODE_EXPLICIT | 0x40; /* the mode is the low 4 bits */
		b[5] = others[i];
		for (unsigned j = 0; j < 8; j++)
			b[6 + j] = (uint8_t)(0x11 * (j + 1));
		CHECK_EQ(ptd_decode(b, 14, &op, 1), 1);
		CHECK_EQ(op.kind, PTD_OP_IO_WRITE);
		CHECK_EQ(op.nbytes, 0);
		CHECK_EQ(op.num[2].base, PTD_NUM_ABS);
		CHECK_EQ(op.num[2].off, UINT64_C(0x8877665544332211));
	}
	b[5] = PTD_NUM_BASE_BYTES;
	b[6] = 0x12; /* 1 + 0x12 % 16 = 3 bytes */
	b[7] = 0xca;
	b[8] = 0xfe;
	b[9] = 0x01;
	CHECK_EQ(ptd_decode(b, 10, &op, 1), 1);
	CHECK_EQ(op.nbytes, 3);
	CHECK(!memcmp(op.bytes, "\xca\xfe\x01", 3));
	CHECK_EQ(op.num[2].off, 0);
	/* 16 bytes asked, 2 there: the rest read as zero, and nothing follows. */
	b[6] = 0xff;
	CHECK_EQ(ptd_decode(b, 9, &op, 1), 1);
	CHECK_EQ(op.nbytes, 16);
	CHECK(!memcmp(op.bytes, "\xca\xfe\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16));
	/* The modes before explicit read one byte of seed, as always. */
	b[4] = 0x0e;
	b[5] = PTD_NUM_BASE_BYTES;
	CHECK_EQ(ptd_decode(b, 6, &op, 1), 1);
	CHECK_EQ(op.nbytes, 0);
	CHECK_EQ(op.num[2].off, PTD_NUM_BASE_BYTES);
}

/* Every length and random contents, after any context: text and bytes give the same op. */
TEST(write_data_bytes_round_trip)
{
	static const char *const before[] = { "NewVmSpace",
					      "OpenCursorMut vs=#0 start=0x0 end=0x1000" };
	uint64_t seed = 0xb17e5;
	unsigned bad = 0;

	for (unsigned iter = 0; iter < 2000; iter++) {
		struct ptd_raw_op op = { .kind = iter % 2 ? PTD_OP_IO_WRITE
							  : PTD_OP_WRITER_WRITE_VAL },
				  again, back, ops[4];
		uint8_t enc[128];
		char text[256], err[256];
		size_t len = 0;

		op.sel[0] = (uint8_t)prng_next(&seed);
		op.num[1] = (struct ptd_num){ .base = (uint8_t)(prng_next(&seed) % 4),
					      .off = prng_next(&seed) % 0x3000 };
		op.nbytes = (uint8_t)(1 + iter % PTD_OP_BYTES_MAX);
		for (unsigned j = 0; j < op.nbytes; j++)
			op.bytes[j] = (uint8_t)prng_next(&seed);
		reprint(&op, text, sizeof text);
		bad += ptd_raw_op_parse(text, &back, err, sizeof err) != 1 ||
		       !raw_equal(&back, &op);
		if (iter % 3 == 0) { /* after ops that set the decoder's guesses */
			for (size_t i = 0; i < 2; i++) {
				CHECK_EQ(ptd_raw_op_parse(before[i], &again, err, sizeof err), 1);
				len += ptd_encode_op(&again, enc + len, sizeof enc - len);
			}
		}
		len += ptd_encode_op(&op, enc + len, sizeof enc - len);
		bad += ptd_decode(enc, len, ops, 4) != 1 + 2 * (iter % 3 == 0) ||
		       !raw_equal(&ops[iter % 3 == 0 ? 2 : 0], &op);
	}
	CHECK_EQ(bad, 0);
}

/* Explicit mode (PTD_NUM_MODE_EXPLICIT, absolute) for @v at @b: 10 bytes. */
static size_t put_explicit(uint8_t *b, uint64_t v)
{
	b[0] = PTD_NUM_MODE_EXPLICIT;
	b[1] = PTD_NUM_ABS;
	for (unsigned i = 0; i < 8; i++)
		b[2 + i] = (uint8_t)(v >> (8 * i));
	return 10;
}

/*
 * A Together whose count is read in a contended mode (fuzz/input/decode.c contended_member()):
 * its members with non-canonical kind bytes are opens of a few pages in the last open's space,
 * at its first whole 2 MiB region, and one Unmap of the rest of the newest cursor's range; the
 * same member bytes after a count in explicit mode decode as they always do.
 */
TEST(contended_groups_contend_for_the_last_open)
{
	uint8_t b[128];
	size_t len = 0, group_at;
	struct ptd_raw_op ops[16];
	size_t n;

	b[len++] = ptd_kind_byte(PTD_OP_NEW_VM_SPACE);
	b[len++] = ptd_kind_byte(PTD_OP_OPEN_CURSOR_MUT);
	b[len++] = 7; /* its space selector */
	len += put_explicit(b + len, 0x1000);
	len += put_explicit(b + len, 0x600000);
	group_at = len;
	b[len++] = ptd_kind_byte(PTD_OP_TOGETHER);
	b[len++] = 10; /* count mode: contended */
	b[len++] = 1;  /* 3 members */
	b[len++] = 0;  /* schedule mode */
	b[len++] = 5;  /* schedule: one byte */
	/* Member 1: non-canonical odd kind byte: an open; selector, start and end mode 0. */
	b[len++] = 0x41;
	b[len++] = 0;
	b[len++] = 0;
	b[len++] = 3;
	b[len++] = 0;
	b[len++] = 9;
	/* Member 2: even: the group's Unmap; selector 3, length mode 4. */
	b[len++] = 0x40;
	b[len++] = 3;
	b[len++] = 4;
	b[len++] = 1;
	/* Member 3: even, but the group has its Unmap: an open. */
	b[len++] = 0x42;
	b[len++] = 0;
	b[len++] = 0;
	b[len++] = 0;
	b[len++] = 8; /* end mode 8 */
	b[len++] = 0;

	n = ptd_decode(b, len, ops, 16);
	CHECK_EQ(n, 6);
	CHECK_EQ(ops[2].kind, PTD_OP_TOGETHER);
	CHECK_EQ(ops[2].num[1].off, 5);
	/* The opens: in space selector 7, from 0x200000 (the first whole region of
	 * [0x1000, 0x600000)), a few pages or one or two regions long. */
	for (size_t i = 3; i <= 5; i += 2) {
		CHECK(ops[i].kind == PTD_OP_OPEN_CURSOR || ops[i].kind == PTD_OP_OPEN_CURSOR_MUT);
		CHECK_EQ(ops[i].sel[0], 7);
		CHECK(ops[i].num[1].off >= 0x200000 && ops[i].num[1].off < 0x210000);
		CHECK(ops[i].num[2].off > ops[i].num[1].off &&
		      ops[i].num[2].off <= ops[i].num[1].off + 0x400000);
	}
	CHECK_EQ(ops[4].kind, PTD_OP_UNMAP);
	CHECK_EQ(ops[4].sel[0], 59); /* the newest of up to 6 live cursors */
	CHECK_EQ(ops[4].num[1].base, PTD_NUM_REST);
	CHECK_EQ(ops[4].num[1].off, 0);
	/* The same member bytes after a count in explicit mode: ordinary members (member 2's
	 * byte 0x40 is not an Unmap, member 1 keeps its own selector). */
	{
		uint8_t members[16];
		size_t m = len - (group_at + 5);

		memcpy(members, b + group_at + 5, m);
		len = group_at + 1;
		len += put_explicit(b + len, 1);
		len += put_explicit(b + len, 5);
		memcpy(b + len, members, m);
		n = ptd_decode(b, len + m, ops, 16);
		CHECK(n >= 4);
		CHECK_EQ(ops[2].num[1].off, 5);
		CHECK(ops[3].kind != PTD_OP_OPEN_CURSOR_MUT || ops[3].sel[0] != 7);
		CHECK(ops[4].kind != PTD_OP_UNMAP);
	}
}

/* A kind byte that is not canonical is guessed from the ops before; ptd_decode_one() guesses
 * nothing. */
TEST(decode_guesses_from_the_ops_before)
{
	/* Query's kind byte + 64 (not canonical): an op on a cursor */
	uint8_t query = (uint8_t)(ptd_kind_byte(PTD_OP_QUERY) + 64), sel = 0;
	uint8_t bytes[2] = { query, sel };
	struct ptd_raw_op ops[4];

	CHECK_EQ(ptd_decode_kind(query), PTD_OP_QUERY);
	/* Before any space it could find no cursor: NewVmSpace (one byte; the next is another op) */
	CHECK_EQ(ptd_decode(bytes, 1, ops, 4), 1);
	CHECK_EQ(ops[0].kind, PTD_OP_NEW_VM_SPACE);
	/* Right after one: a cursor is opened */
	{
		uint8_t two[] = { ptd_kind_byte(PTD_OP_NEW_VM_SPACE), query };
		CHECK_EQ(ptd_decode(two, 2, ops, 4), 2);
		CHECK(ops[1].kind == PTD_OP_OPEN_CURSOR || ops[1].kind == PTD_OP_OPEN_CURSOR_MUT);
	}
	/* Without context it is what the weights say */
	ptd_decode_one(bytes, sizeof bytes, &ops[0]);
	CHECK_EQ(ops[0].kind, PTD_OP_QUERY);
}

/* ptd_read_input() on @text as a file NAME.ops: 0 with the decoded ops in ops[0..*n), or -1
 * with the message in err. */
static int read_text(const char *text, struct ptd_raw_op *ops, size_t *n, char *err, size_t errlen)
{
	char dir[] = "/tmp/ptdiff-test-XXXXXX", path[64];
	uint8_t *data = NULL;
	size_t size = 0;
	FILE *f;
	int rc;

	*n = 0;
	if (!mkdtemp(dir)) {
		snprintf(err, errlen, "mkdtemp failed");
		return -2;
	}
	snprintf(path, sizeof path, "%s/in.ops", dir);
	if (!(f = fopen(path, "w"))) {
		snprintf(err, errlen, "cannot write %s", path);
		return -2;
	}
	fputs(text, f);
	fclose(f);
	rc = ptd_read_input(path, &data, &size, err, errlen);
	if (!rc)
		*n = ptd_decode(data, size, ops, PTD_MAX_OPS);
	free(data);
	unlink(path);
	rmdir(dir);
	return rc;
}

/*
 * An op that cannot be a group member, written inside a Together's count, is refused with the
 * line and the reason: in bytes it would decode as some member op, so the text would not say
 * what runs.
 */
TEST(together_refuses_a_non_member)
{
	struct ptd_raw_op ops[PTD_MAX_OPS];
	char err[512] = "";
	size_t n;

	CHECK_EQ(read_text("NewVmSpace\n"
			   "OpenCursorMut vs=#0 start=0x0 end=0x2000\n"
			   "Together ops=2 schedule=0x0\n"
			   "Query c=#0\n"
			   "FrameFromUnused paddr=0x1000\n",
			   ops, &n, err, sizeof err),
		 (uint64_t)-1);
	CHECK(strstr(err,
		     "in.ops:5: FrameFromUnused cannot be member 2 of the Together on line 3") !=
	      NULL);
	CHECK(strstr(err, "only opens and ops on a cursor") != NULL);
	/* A Together inside another's count is not a member either. */
	CHECK_EQ(read_text("Together ops=3 schedule=0x0\n"
			   "# comments and blank lines do not count\n"
			   "\n"
			   "OpenCursor vs=#0 start=0x0 end=0x1000\n"
			   "Together ops=2 schedule=0x0\n",
			   ops, &n, err, sizeof err),
		 (uint64_t)-1);
	CHECK(strstr(err, "in.ops:5: Together cannot be member 2 of the Together on line 1") !=
	      NULL);
}

/* A Together whose count runs past the end of the text is refused, naming its line. */
TEST(together_refuses_a_count_past_the_end)
{
	struct ptd_raw_op ops[PTD_MAX_OPS];
	char err[512] = "";
	size_t n;

	CHECK_EQ(read_text("NewVmSpace\n"
			   "Together ops=3 schedule=0x0\n"
			   "OpenCursor vs=#0 start=0x0 end=0x1000\n"
			   "OpenCursor vs=#0 start=0x200000 end=0x201000\n",
			   ops, &n, err, sizeof err),
		 (uint64_t)-1);
	CHECK(strstr(err, "in.ops:2: this Together has ops=3 but the text ends after 2 of its "
			  "members") != NULL);
}

/* What the checks must let through: a count that ends before a non-member, a count of 0, a
 * count above 4 (4 members), and the same in bytes. */
TEST(together_accepts_well_formed_groups)
{
	struct ptd_raw_op ops[PTD_MAX_OPS];
	char err[512] = "";
	size_t n;

	CHECK_EQ(read_text("NewVmSpace\n"
			   "Together ops=2 schedule=0x0\n"
			   "OpenCursorMut vs=#0 start=0x0 end=0x1000\n"
			   "OpenCursorMut vs=#0 start=0x200000 end=0x201000\n"
			   "FrameFromUnused paddr=0x1000\n"
			   "Together ops=0 schedule=0x0\n"
			   "FrameFromUnused paddr=0x2000\n"
			   "Together ops=9 schedule=0x0\n"
			   "Query c=#0\n"
			   "Query c=#1\n"
			   "VirtAddr c=#0\n"
			   "VirtAddr c=#1\n"
			   "DropVmSpace vs=#0\n",
			   ops, &n, err, sizeof err),
		 0);
	CHECK_EQ(n, 13);
	CHECK_EQ(ops[4].kind, PTD_OP_FRAME_FROM_UNUSED);
	CHECK_EQ(ops[6].kind, PTD_OP_FRAME_FROM_UNUSED);
	CHECK_EQ(ops[7].num[0].off, 9);
	CHECK_EQ(ops[12].kind, PTD_OP_DROP_VM_SPACE);
}

/* The minimiser's streams: each Together's count lowered to the members that follow it. */
TEST(groups_fit_lowers_counts)
{
	struct ptd_raw_op ops[8];
	const enum ptd_op_kind kinds[8] = {
		PTD_OP_TOGETHER, PTD_OP_QUERY,   PTD_OP_FRAME_FROM_UNUSED,
		PTD_OP_TOGETHER, PTD_OP_QUERY,   PTD_OP_QUERY,
		PTD_OP_QUERY,    PTD_OP_TOGETHER
	};

	memset(ops, 0, sizeof ops);
	for (unsigned i = 0; i < 8; i++)
		ops[i].kind = kinds[i];
	ops[0].num[0].off = 3; /* one member before FrameFromUnused */
	ops[3].num[0].off = 2; /* fits: the third Query runs after the group */
	ops[7].num[0].off = 4; /* the end cuts it to none */
	CHECK_EQ(ptd_groups_fit(ops, 8), 2);
	CHECK_EQ(ops[0].num[0].off, 1);
	CHECK_EQ(ops[3].num[0].off, 2);
	CHECK_EQ(ops[7].num[0].off, 0);
	/* A count above 4 means 4 members: left as it is when they are there. */
	ops[3].num[0].off = 9;
	ops[7].kind = PTD_OP_QUERY;
	CHECK_EQ(ptd_groups_fit(ops, 8), 0);
	CHECK_EQ(ops[3].num[0].off, 9);
}

/* The count of a Together is printed in decimal, and read back as hex or decimal. */
TEST(together_count_is_decimal)
{
	struct ptd_raw_op op = { .kind = PTD_OP_TOGETHER }, back;
	char text[256], err[256];
	FILE *f;

	op.num[0].off = 3;
	op.num[1].off = 0x9e37;
	memset(text, 0, sizeof text);
	f = fmemopen(text, sizeof text, "w");
	ptd_raw_op_print(f, &op);
	fclose(f);
	CHECK(!strcmp(text, "Together ops=3 schedule=0x9e37\n"));
	CHECK_EQ(ptd_raw_op_parse(text, &back, err, sizeof err), 1);
	CHECK_EQ(back.num[0].off, 3);
	CHECK_EQ(ptd_raw_op_parse("Together ops=0x3 schedule=0x0", &back, err, sizeof err), 1);
	CHECK_EQ(back.num[0].off, 3);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(empty_input_decodes_to_nothing),
	      PTD_TEST_ENTRY(every_kind_byte_maps_back),
	      PTD_TEST_ENTRY(kind_bytes_follow_the_op_table_weights),
	      PTD_TEST_ENTRY(random_bytes_decode_to_well_formed_ops),
	      PTD_TEST_ENTRY(random_groups_hold_only_members),
	      PTD_TEST_ENTRY(text_and_bytes_round_trip), PTD_TEST_ENTRY(parse_reports_errors),
	      PTD_TEST_ENTRY(together_refuses_a_non_member),
	      PTD_TEST_ENTRY(together_refuses_a_count_past_the_end),
	      PTD_TEST_ENTRY(together_accepts_well_formed_groups),
	      PTD_TEST_ENTRY(groups_fit_lowers_counts), PTD_TEST_ENTRY(together_count_is_decimal),
	      PTD_TEST_ENTRY(canonical_bytes_mean_the_same_in_every_context),
	      PTD_TEST_ENTRY(contended_groups_contend_for_the_last_open),
	      PTD_TEST_ENTRY(decode_guesses_from_the_ops_before),
	      PTD_TEST_ENTRY(write_data_bytes_text_and_byte_form),
	      PTD_TEST_ENTRY(write_data_explicit_base_byte),
	      PTD_TEST_ENTRY(write_data_bytes_round_trip))
