/* SPDX-License-Identifier: MIT */
/*
 * The decoder: bytes -> raw ops.  Values are biased toward what makes operations collide and
 * take every branch: a 16-frame window of physical memory, the first 64 pages of virtual memory,
 * node boundaries (2 MiB, 1 GiB, 512 GiB), the top of user space, and now and then an unaligned
 * or out-of-bound value that must take an error path.  Nothing here knows any state: values that
 * depend on a cursor are left relative (struct ptd_num) for the runner to resolve.  What it knows
 * is the ops it decoded before in the same input, and from them it makes inputs hold several
 * cursors at once (struct decode_ctx).
 */
#include "decode.h"

#include <string.h>
#include "geometry.h"
#include "provider.h"

#define MIB2 (1ull << 21)
#define GIB1 (1ull << 30)
#define GIB512 (1ull << 39)
#define PAGE PTD_PAGE_SIZE

/* The kind byte is taken modulo the sum of the weights, so the sum is part of the byte format:
 * a new op's weight must come out of another's (or the corpus changes meaning). */
#define KIND_WEIGHT_SUM 64u

/* The kind bytes (modulo KIND_WEIGHT_SUM) of each op kind: as many as its weight (the op
 * table's weight column), after those of the rows above it; the first is its canonical byte. */
/* The X-macro line ends without a comma clang-format can see: it would indent the end. */
/* clang-format off */
enum kind_bytes {
#define PTD_OP_BYTES(e, n, stem, weight, ...) \
	KIND_FIRST_##e, KIND_LAST_##e = KIND_FIRST_##e + (weight)-1,
	PTD_OP_TABLE(PTD_OP_BYTES)
#undef PTD_OP_BYTES
	KIND_BYTES_END
};
/* clang-format on */
_Static_assert(KIND_BYTES_END == KIND_WEIGHT_SUM, "op table weights must sum to KIND_WEIGHT_SUM");

/* Looked up, not summed, for every op decoded: each byte's kind and each kind's first byte. */
static const uint8_t kind_of_byte[KIND_WEIGHT_SUM] = {
#define PTD_OP_KIND_OF(e, n, stem, weight, ...) [KIND_FIRST_##e... KIND_LAST_##e] = PTD_OP_##e,
	PTD_OP_TABLE(PTD_OP_KIND_OF)
#undef PTD_OP_KIND_OF
};

static const uint8_t first_kind_byte[PTD_OP_COUNT] = {
#define PTD_OP_FIRST(e, n, stem, weight, ...) [PTD_OP_##e] = KIND_FIRST_##e,
	PTD_OP_TABLE(PTD_OP_FIRST)
#undef PTD_OP_FIRST
};

enum ptd_op_kind ptd_decode_kind(uint8_t byte)
{
	return (enum ptd_op_kind)kind_of_byte[byte % KIND_WEIGHT_SUM];
}

uint8_t ptd_kind_byte(enum ptd_op_kind kind)
{
	return first_kind_byte[kind];
}

/*
 * What the decoder has decoded so far in this input: only the ops, not what they did (it knows
 * no state), so these counts are guesses.  A kind byte that is not the canonical byte of its
 * kind (ptd_kind_byte()) and an open's start not in explicit mode are decoded in their light,
 * so that random bytes routinely hold 2 to 4 cursors at once (docs/CONCURRENCY.md); the
 * canonical byte and the explicit mode, all that ptd_encode_op() writes, mean the same in
 * every context, so the text form and the corpus are unaffected.
 */
struct decode_ctx {
	unsigned spaces;       /* NewVmSpace decoded, less DropVmSpace */
	unsigned cursors;      /* opens decoded, less DropCursor */
	enum ptd_op_kind prev; /* the op before, PTD_OP_COUNT at the start */
	int have_start;        /* an open was decoded: last_start is its start */
	uint64_t last_start;
	uint64_t last_end;   /* its end */
	uint8_t last_vs_sel; /* and this its address-space selector */
	/* The members of the group being decoded contend for the nodes of the last open before
	 * it (contended_member()): its start and address-space selector. */
	int contended;
	int contended_unmap; /* an Unmap was decoded in it */
	uint64_t wide;       /* the start just decoded encloses the last open's node of this span */
	uint64_t target_start;
	uint8_t target_vs_sel;
};

/* No guess at all: every kind byte and number as in a stream where any handle may be live. */
static const struct decode_ctx no_context = { .spaces = 1, .cursors = 2, .prev = PTD_OP_COUNT };

/* Ops that find nothing to work on without a live address space: opens, readers and writers
 * of user space, DropVmSpace, and every op on a cursor. */
static int needs_space(enum ptd_op_kind kind)
{
	return ptd_op_args[kind][0] == PTD_ARG_VS || ptd_op_args[kind][0] == PTD_ARG_CURSOR;
}

static int is_open(enum ptd_op_kind kind)
{
	return kind == PTD_OP_OPEN_CURSOR || kind == PTD_OP_OPEN_CURSOR_MUT;
}

/* An open chosen by @byte: read-only about one time in four, as in the op table's weights. */
static enum ptd_op_kind open_kind(uint8_t byte)
{
	return ((byte >> 6) + byte) % 4 == 1 ? PTD_OP_OPEN_CURSOR : PTD_OP_OPEN_CURSOR_MUT;
}

/*
 * @kind, which @byte selects, as @ctx makes it: ops that would find no handle (nothing to be
 * skipped for) become what makes one, and cursors are opened early and often:
 *  - before any NewVmSpace, an op that needs a space is NewVmSpace (not in a group: it cannot
 *    be a member);
 *  - an op on a cursor before any open, and half of them before a second open, open one;
 *  - right after a NewVmSpace, an op that needs a space opens a cursor (in it, if the selector
 *    picks it; a cursor of another space never blocks it);
 *  - with 3 or more cursors open, one op on a cursor in 8 drops one (an open enclosing an
 *    earlier one's region needs it gone: contended groups below);
 *  - right after an open, one op in 8 that needs a space begins a group (not inside one).
 * Every other op, and the canonical byte of any kind, is what the weights say.
 */
static enum ptd_op_kind in_context(const struct decode_ctx *ctx, uint8_t byte,
				   enum ptd_op_kind kind, int member)
{
	if (byte == ptd_kind_byte(kind) || !needs_space(kind))
		return kind;
	if (!ctx->spaces)
		return member ? kind : PTD_OP_NEW_VM_SPACE;
	if (is_open(kind))
		return kind;
	if (ctx->prev == PTD_OP_NEW_VM_SPACE)
		return open_kind(byte);
	if (ptd_op_args[kind][0] == PTD_ARG_CURSOR &&
	    (!ctx->cursors || (ctx->cursors < 2 && byte & 0x80)))
		return open_kind(byte);
	if (ptd_op_args[kind][0] == PTD_ARG_CURSOR && ctx->cursors >= 3 && (byte & 0xe0) == 0xe0)
		return PTD_OP_DROP_CURSOR;
	if (!member && is_open(ctx->prev) && (byte & 0xe0) == 0x40)
		return PTD_OP_TOGETHER;
	return kind;
}

static void ctx_after(struct decode_ctx *ctx, const struct ptd_raw_op *op)
{
	ctx->prev = op->kind;
	switch (op->kind) {
	case PTD_OP_NEW_VM_SPACE:
		ctx->spaces++;
		break;
	case PTD_OP_DROP_VM_SPACE:
		ctx->spaces -= ctx->spaces > 0;
		break;
	case PTD_OP_OPEN_CURSOR:
	case PTD_OP_OPEN_CURSOR_MUT:
		ctx->cursors++;
		ctx->have_start = 1;
		ctx->last_start = op->num[1].off; /* its start: absolute */
		ctx->last_end = op->num[2].off;
		ctx->last_vs_sel = op->sel[0];
		break;
	case PTD_OP_DROP_CURSOR:
		ctx->cursors -= ctx->cursors > 0;
		break;
	default:
		break;
	}
}

static struct ptd_num num(enum ptd_num_base base, uint64_t off)
{
	return (struct ptd_num){ .base = (uint8_t)base, .off = off };
}

static uint64_t align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

/* v's low 5 bits as a page offset in [-16, 15] pages around m * unit, m = 1 + (v >> 5). */
static uint64_t near_multiple(uint8_t v, uint64_t unit)
{
	uint64_t m = 1 + (v >> 5);
	return m * unit + ((uint64_t)(v & 31) - 16) * PAGE;
}

static struct ptd_num decode_start(uint8_t mode, struct ptd_provider *p)
{
	uint8_t v = ptd_provider_u8(p);
	switch (mode) {
	case 0:
	case 1:
	case 2:
		return num(PTD_NUM_ABS, (uint64_t)(v % 64) * PAGE);
	case 3:
	case 4:
	case 5:
		/* One of the first eight 2 MiB regions: cursors there share the level-2 and
		 * level-3 nodes but not their level-1 node, so several can be live at once. */
		return num(PTD_NUM_ABS, (uint64_t)(v >> 5) * MIB2 + (uint64_t)(v & 31) * PAGE);
	case 6:
	case 7:
		return num(PTD_NUM_ABS, near_multiple(v, MIB2));
	case 8:
	case 9:
		return num(PTD_NUM_ABS, near_multiple(v, GIB1));
	case 10:
		return num(PTD_NUM_ABS, near_multiple(v, GIB512));
	case 11: /* around the top of user space; at or above it the range is invalid */
		return num(PTD_NUM_ABS, PTD_USER_END + ((uint64_t)(v & 31) - 16) * PAGE);
	case 12:
		return num(PTD_NUM_ABS, (uint64_t)(v % 64) * PAGE + 0x800);
	default: /* 13, 14 */
		return num(PTD_NUM_ABS, 0);
	}
}

static struct ptd_num decode_end(uint8_t mode, struct ptd_provider *p, uint64_t start)
{
	uint8_t v = ptd_provider_u8(p);
	switch (mode) {
	case 0:
	case 1:
	case 2:
	case 3:
	case 4:
	case 5:
		return num(PTD_NUM_ABS, start + (1 + (uint64_t)(v % 16)) * PAGE);
	case 6:
		return num(PTD_NUM_ABS, start + (1 + (uint64_t)v * 2) * PAGE);
	case 7:
		return num(PTD_NUM_ABS, align_up(start + 1, MIB2));
	case 8:
		return num(PTD_NUM_ABS, align_up(start + 1, GIB1));
	case 9:
		return num(PTD_NUM_ABS, align_up(start + 1, GIB512));
	case 10:
		return num(PTD_NUM_ABS, start + (1 + (uint64_t)(v % 4)) * MIB2);
	case 11:
		return num(PTD_NUM_ABS, PTD_USER_END + (v & 1) * PAGE);
	case 12:
		return num(PTD_NUM_ABS, start);
	case 13:
		return num(PTD_NUM_ABS, (v & 1) ? start - PAGE : start + 0x800);
	default: /* 14 */
		return num(PTD_NUM_ABS, start + (1 + (uint64_t)(v % 16)) * PAGE);
	}
}

static struct ptd_num decode_target(uint8_t mode, struct ptd_provider *p)
{
	uint8_t v = ptd_provider_u8(p);
	switch (mode) {
	case 0:
	case 1:
	case 2:
	case 3:
	case 4:
	case 5:
	case 6:
	case 7:
		return num(PTD_NUM_START, (uint64_t)(v % 32) * PAGE);
	case 8:
		return num(PTD_NUM_END, (v & 1) ? -PAGE : 0);
	case 9:
		return num(PTD_NUM_START, -PAGE);
	case 10:
		return num(PTD_NUM_START, (uint64_t)(v % 32) * PAGE + 0x800);
	case 11:
		return num(PTD_NUM_ABS, (uint64_t)(v % 64) * PAGE);
	case 12:
		return num(PTD_NUM_START, (uint64_t)(v % 4) * MIB2);
	case 13:
		return num(PTD_NUM_END, -((uint64_t)(v % 4) + 1) * PAGE);
	default: /* 14 */
		return num(PTD_NUM_START, 0);
	}
}

static struct ptd_num decode_len(uint8_t mode, struct ptd_provider *p)
{
	uint8_t v = ptd_provider_u8(p);
	switch (mode) {
	case 0:
	case 1:
	case 2:
	case 3:
		return num(PTD_NUM_REST, 0);
	case 4:
	case 5:
	case 6:
		return num(PTD_NUM_ABS, (1 + (uint64_t)(v % 4)) * PAGE);
	case 7:
		return num(PTD_NUM_ABS, 0);
	case 8:
		return num(PTD_NUM_TO_2M, 0);
	case 9:
		return num(PTD_NUM_TO_1G, 0);
	case 10:
		return num(PTD_NUM_REST, -((uint64_t)(v % 4) + 1) * PAGE);
	case 11:
		return num(PTD_NUM_ABS, (1 + (uint64_t)v * 2) * PAGE);
	case 12: /* unaligned: OSTD panics, both sides refuse */
		return num(PTD_NUM_ABS, (uint64_t)(v % 16) * PAGE + 0x800);
	case 13: /* one page past the end of the range: refused likewise */
		return num(PTD_NUM_REST, PAGE);
	default: /* 14 */
		return num(PTD_NUM_REST, 0);
	}
}

static struct ptd_num decode_paddr(uint8_t mode, struct ptd_provider *p)
{
	uint8_t v = ptd_provider_u8(p);
	switch (mode) {
	case 0:
	case 1:
	case 2:
	case 3:
	case 4:
	case 5:
	case 6:
	case 7:
		return num(PTD_NUM_ABS, (uint64_t)(v % 16) * PAGE);
	case 8:
	case 9: {
		uint64_t frame = v | (uint64_t)ptd_provider_u8(p) << 8;
		return num(PTD_NUM_ABS, (frame % PTD_FUZZ_NFRAMES) * PAGE);
	}
	case 10: /* page-table pool: live nodes answer "in use" / "not a frame" */
		return num(PTD_NUM_ABS, (PTD_FUZZ_POOL_START + (uint64_t)(v % 8)) * PAGE);
	case 11:
		return num(PTD_NUM_ABS, (uint64_t)(v % 16) * PAGE + 0x800);
	case 12:
		return num(PTD_NUM_ABS, (PTD_FUZZ_NFRAMES + (uint64_t)(v % 16)) * PAGE);
	case 13:
		return num(PTD_NUM_ABS, (PTD_FUZZ_NFRAMES - 1 - (uint64_t)(v % 4)) * PAGE);
	default: /* 14 */
		return num(PTD_NUM_ABS, (uint64_t)(v % 16) * PAGE);
	}
}

static struct ptd_num decode_iopaddr(uint8_t mode, struct ptd_provider *p)
{
	const uint64_t base = PTD_FUZZ_IOMEM_BASE;
	uint8_t v = ptd_provider_u8(p);
	switch (mode) {
	case 10:
		return num(PTD_NUM_ABS, base + (uint64_t)(v % 16) * PAGE + 0x800);
	case 11: /* RAM is not I/O memory */
		return num(PTD_NUM_ABS, (uint64_t)(v % 16) * PAGE);
	case 12:
		return num(PTD_NUM_ABS, base + PTD_FUZZ_IOMEM_PAGES * PAGE);
	case 13:
		return num(PTD_NUM_ABS, base - PAGE);
	default: /* 0-9, 14 */
		return num(PTD_NUM_ABS, base + (uint64_t)(v % PTD_FUZZ_IOMEM_PAGES) * PAGE);
	}
}

/* Segment lengths: mostly a few pages, now and then empty, unaligned or past memory. */
static struct ptd_num decode_seg_len(uint8_t mode, struct ptd_provider *p)
{
	uint8_t v = ptd_provider_u8(p);
	switch (mode) {
	case 8:
	case 9:
		return num(PTD_NUM_ABS, (1 + (uint64_t)(v % 16)) * PAGE);
	case 10:
		return num(PTD_NUM_ABS, 0);
	case 11:
		return num(PTD_NUM_ABS, (uint64_t)(v % 4) * PAGE + 0x800);
	case 12:
		return num(PTD_NUM_ABS, (uint64_t)PTD_FUZZ_NFRAMES * PAGE);
	case 13:
		return num(PTD_NUM_ABS, 64 * PAGE);
	default: /* 0-7, 14 */
		return num(PTD_NUM_ABS, (1 + (uint64_t)(v % 4)) * PAGE);
	}
}

/* Split offsets, relative to the segment: inside it, or at its ends (refused). */
static struct ptd_num decode_split_at(uint8_t mode, struct ptd_provider *p)
{
	uint8_t v = ptd_provider_u8(p);
	switch (mode) {
	case 8:
		return num(PTD_NUM_REST, -PAGE);
	case 9:
		return num(PTD_NUM_ABS, 0);
	case 10:
		return num(PTD_NUM_REST, 0);
	case 11:
		return num(PTD_NUM_ABS, (uint64_t)(v % 4) * PAGE + 0x800);
	default: /* 0-7, 12-14 */
		return num(PTD_NUM_ABS, (1 + (uint64_t)(v % 4)) * PAGE);
	}
}

/* Slice starts, relative to the segment. */
static struct ptd_num decode_sub_start(uint8_t mode, struct ptd_provider *p)
{
	uint8_t v = ptd_provider_u8(p);
	switch (mode) {
	case 0:
	case 1:
	case 2:
	case 3:
	case 4:
	case 5:
	case 6:
	case 7:
		return num(PTD_NUM_START, (uint64_t)(v % 4) * PAGE);
	case 8:
		return num(PTD_NUM_START, -PAGE);
	case 9:
		return num(PTD_NUM_END, 0);
	case 10:
		return num(PTD_NUM_START, 0x800);
	default: /* 11-14 */
		return num(PTD_NUM_START, 0);
	}
}

/* Slice lengths. */
static struct ptd_num decode_sub_len(uint8_t mode, struct ptd_provider *p)
{
	uint8_t v = ptd_provider_u8(p);
	switch (mode) {
	case 8:
		return num(PTD_NUM_ABS, 0);
	case 9:
		return num(PTD_NUM_REST, 0);
	case 10:
		return num(PTD_NUM_ABS, (uint64_t)(v % 4) * PAGE + 0x800);
	default: /* 0-7, 11-14 */
		return num(PTD_NUM_ABS, (1 + (uint64_t)(v % 4)) * PAGE);
	}
}

/* Reader/writer range lengths in bytes: within a page, across pages, empty, past the top. */
static struct ptd_num decode_io_len(uint8_t mode, struct ptd_provider *p)
{
	uint8_t v = ptd_provider_u8(p);
	switch (mode) {
	case 8:
	case 9:
		return num(PTD_NUM_ABS, (1 + (uint64_t)(v % 4)) * PAGE);
	case 10:
		return num(PTD_NUM_ABS, 0);
	case 11:
		return num(PTD_NUM_ABS, PTD_USER_END);
	case 12:
		return num(PTD_NUM_ABS, (uint64_t)v * 97);
	default: /* 0-7, 13, 14 */
		return num(PTD_NUM_ABS, 1 + (uint64_t)v * 29);
	}
}

/* Byte counts for reader/writer ops, relative to what is left. */
static struct ptd_num decode_io_count(uint8_t mode, struct ptd_provider *p)
{
	uint8_t v = ptd_provider_u8(p);
	switch (mode) {
	case 0:
	case 1:
	case 2:
	case 3:
		return num(PTD_NUM_REST, 0);
	case 8:
		return num(PTD_NUM_REST, 1); /* one past what is left: skip refuses */
	case 9:
		return num(PTD_NUM_ABS, 0);
	case 10:
		return num(PTD_NUM_ABS, PAGE + (uint64_t)v);
	default: /* 4-7, 11-14 */
		return num(PTD_NUM_ABS, 1 + (uint64_t)v * 13);
	}
}

/* Offsets into kernel memory: near its start, a page boundary, its end, or past it. */
static struct ptd_num decode_koff(uint8_t mode, struct ptd_provider *p)
{
	uint8_t v = ptd_provider_u8(p);
	switch (mode) {
	case 8:
	case 9:
		return num(PTD_NUM_ABS, PAGE - (uint64_t)(v % 64));
	case 10:
		return num(PTD_NUM_ABS, PTD_KERNEL_BYTES - (uint64_t)v);
	case 11:
		return num(PTD_NUM_ABS, PTD_KERNEL_BYTES + (uint64_t)v);
	default: /* 0-7, 12-14 */
		return num(PTD_NUM_ABS, (uint64_t)v * 97);
	}
}

/*
 * An open's start next to the last open's: 1 or 2 regions of 2 MiB below or above its region,
 * in the same 1 GiB where it can be, at one of the first 32 pages.  The two cursors then share
 * the level-2 and level-3 nodes but not a level-1 node, so both can be live.
 */
static struct ptd_num neighbour_start(const struct decode_ctx *ctx, uint8_t v)
{
	uint64_t region = ctx->last_start / MIB2, step = 1 + (v & 1);

	if (v & 2 && region % 512 >= step)
		region -= step;
	else
		region += step;
	return num(PTD_NUM_ABS, region * MIB2 + (uint64_t)((v >> 2) & 31) * PAGE);
}

/*
 * Contended groups (docs/CONCURRENCY.md#contended-groups): a group whose count was decoded in
 * one of the modes from CONTENDED_MODE on (a third of random counts; from
 * CONTENDED_MODE_AFTER_OPEN on right after an open, most of them) is made of the ops that
 * contend for one cursor's nodes, the race the locking protocol exists for
 * (ostd/src/mm/page_table/cursor/locking.rs): opens of a few pages from the start of the last
 * open before the group, in its address space (they must wait for the nodes that cursor holds,
 * after reading the way there without locks), and Unmaps of the rest of the newest cursor's
 * range, which detach and retire every node wholly inside it, maybe the one an open waits for.
 * Kind bytes that are canonical, explicit numbers and the count in explicit mode mean what
 * they mean elsewhere, so encoded ops (ptd_encode_op()) decode the same in any context.
 */
#define CONTENDED_MODE 10u
#define CONTENDED_MODE_AFTER_OPEN 4u /* right after an open: most counts */
/* A cursor selector that picks the newest of up to 6 live cursors (pick: sel % live). */
#define NEWEST_CURSOR 59u
_Static_assert(NEWEST_CURSOR % 4 == 3 && NEWEST_CURSOR % 5 == 4 && NEWEST_CURSOR % 6 == 5,
	       "NEWEST_CURSOR % n must be n - 1 for n up to 6");

/*
 * Where a contended group's opens go in the range [@start, @end) of the last open: at the first
 * 2 MiB region wholly inside it, whose level-1 node an Unmap of the rest of that range from
 * its start detaches; at @start when there is none.
 */
static uint64_t contended_target(uint64_t start, uint64_t end)
{
	uint64_t region = align_up(start, MIB2);

	return region > start && region <= end && end - region >= MIB2 ? region : start;
}

/* Make @op, a member of a contended group decoded from a non-canonical kind byte with its
 * numbers in @mode[], what the group needs; explicit numbers stay as they are. */
static void contended_member(struct decode_ctx *ctx, struct ptd_raw_op *op, const uint8_t *mode)
{
	if (is_open(op->kind)) {
		op->sel[0] = ctx->target_vs_sel;
		if (mode[1] != PTD_NUM_MODE_EXPLICIT)
			op->num[1] = num(PTD_NUM_ABS,
					 ctx->target_start + (op->num[1].off >> 12) % 16 * PAGE);
		/* A few pages (its guard is a level-1 node) or 1 or 2 regions (a level-2 one). */
		if (mode[2] != PTD_NUM_MODE_EXPLICIT) {
			uint64_t e = op->num[2].off >> 12; /* its page number: any bit may be set */

			op->num[2] =
				num(PTD_NUM_ABS, op->num[1].off + (e & 8 ? (1 + e % 2) * MIB2
									 : (1 + e % 4) * PAGE));
		}
	} else if (op->kind == PTD_OP_UNMAP) {
		ctx->contended_unmap = 1;
		op->sel[0] = NEWEST_CURSOR;
		if (mode[1] != PTD_NUM_MODE_EXPLICIT)
			op->num[1] = num(PTD_NUM_REST, 0);
	}
}

/* A number argument @arg in @mode (its first byte, already read, & 15). */
static struct ptd_num decode_number(enum ptd_arg arg, uint8_t mode, struct ptd_provider *p,
				    uint64_t start, struct decode_ctx *ctx)
{
	if (mode == PTD_NUM_MODE_EXPLICIT) {
		uint8_t base = ptd_provider_u8(p) % PTD_NUM_BASE_COUNT;
		/* Only cursor and segment arguments have anything to be relative to. */
		if (!ptd_arg_is_relative(arg))
			base = PTD_NUM_ABS;
		return num(base, ptd_provider_u64(p, 8));
	}
	switch (arg) {
	case PTD_ARG_START:
		if (mode < 2 && ctx->have_start)
			return neighbour_start(ctx, ptd_provider_u8(p));
		if (mode == 2 && ctx->have_start) {
			/* Enclosing: from the start of the last open's 2 MiB region or 1 GiB */
			ctx->wide = ptd_provider_u8(p) & 1 ? GIB1 : MIB2;
			return num(PTD_NUM_ABS, ctx->last_start / ctx->wide * ctx->wide);
		}
		return decode_start(mode, p);
	case PTD_ARG_END:
		if (ctx->wide) {
			uint64_t unit = ctx->wide;

			ctx->wide = 0;
			return num(PTD_NUM_ABS,
				   start + (2 + (uint64_t)(ptd_provider_u8(p) % 3)) * unit);
		}
		return decode_end(mode, p, start);
	case PTD_ARG_TARGET:
		return decode_target(mode, p);
	case PTD_ARG_LEN:
		return decode_len(mode, p);
	case PTD_ARG_PADDR:
		return decode_paddr(mode, p);
	case PTD_ARG_SEG_LEN:
		return decode_seg_len(mode, p);
	case PTD_ARG_SPLIT_AT:
		return decode_split_at(mode, p);
	case PTD_ARG_SUB_START:
		return decode_sub_start(mode, p);
	case PTD_ARG_SUB_LEN:
		return decode_sub_len(mode, p);
	case PTD_ARG_IO_VA:
		return decode_start(mode, p);
	case PTD_ARG_IO_LEN:
		return decode_io_len(mode, p);
	case PTD_ARG_IO_COUNT:
		return decode_io_count(mode, p);
	case PTD_ARG_SEED: /* explicit mode: decode_explicit_data() */
		return num(PTD_NUM_ABS, ptd_provider_u8(p));
	case PTD_ARG_KOFF:
		return decode_koff(mode, p);
	case PTD_ARG_GROUP_N:
		/* The mode byte of a count picks a contended group (contended_member()). */
		if (ctx->have_start &&
		    (mode >= CONTENDED_MODE ||
		     (is_open(ctx->prev) && mode >= CONTENDED_MODE_AFTER_OPEN))) {
			ctx->contended = 1;
			ctx->contended_unmap = 0;
			ctx->target_start = contended_target(ctx->last_start, ctx->last_end);
			ctx->target_vs_sel = ctx->last_vs_sel;
		}
		return num(PTD_NUM_ABS, 2 + ptd_provider_u8(p) % (PTD_GROUP_MEMBERS - 1));
	case PTD_ARG_SCHEDULE:
		/* A contended group switches members at its first 4 steps at most, then lets each
		 * run until it waits or returns: an open's lock-free reads then come before the
		 * other member's stores often, not once in 4^n schedules. */
		if (ctx->contended)
			return num(PTD_NUM_ABS, ptd_provider_u8(p));
		return num(PTD_NUM_ABS, ptd_provider_u64(p, 8));
	default:
		return decode_iopaddr(mode, p);
	}
}

/*
 * A write's data in explicit mode (decode.h): after the base byte PTD_NUM_BASE_BYTES a byte
 * string, after any other an 8-byte seed, as every explicit number reads (a seed is absolute,
 * so that base byte chose nothing).
 */
static void decode_explicit_data(struct ptd_provider *p, struct ptd_raw_op *op, unsigned i)
{
	if (ptd_provider_u8(p) != PTD_NUM_BASE_BYTES) {
		op->num[i] = num(PTD_NUM_ABS, ptd_provider_u64(p, 8));
		return;
	}
	op->nbytes = (uint8_t)(1 + ptd_provider_u8(p) % PTD_OP_BYTES_MAX);
	for (unsigned b = 0; b < op->nbytes; b++)
		op->bytes[b] = ptd_provider_u8(p);
}

/*
 * The kind of a group member (the ops after a Together): every kind byte decodes to an op that
 * can run in a group (ptd_op_is_member()), the canonical byte of such an op (ptd_kind_byte())
 * to that op, so encoding needs no context and the text form reads the same either way.
 */
static enum ptd_op_kind decode_member_kind(const struct decode_ctx *ctx, uint8_t byte)
{
	static enum ptd_op_kind members[PTD_OP_COUNT];
	static unsigned nmembers;
	enum ptd_op_kind kind = ptd_decode_kind(byte);

	if (!ptd_op_is_member(kind)) {
		if (!nmembers)
			for (unsigned k = 0; k < PTD_OP_COUNT; k++)
				if (ptd_op_is_member((enum ptd_op_kind)k))
					members[nmembers++] = (enum ptd_op_kind)k;
		kind = members[byte % nmembers];
	}
	if (ctx->contended && byte != ptd_kind_byte(kind))
		return byte & 1 || ctx->contended_unmap ? open_kind(byte) : PTD_OP_UNMAP;
	return in_context(ctx, byte, kind, 1);
}

static void decode_op(struct ptd_provider *p, struct ptd_raw_op *op, int member,
		      struct decode_ctx *ctx)
{
	uint8_t byte = ptd_provider_u8(p), mode[PTD_MAX_ARGS] = { 0 };

	memset(op, 0, sizeof *op);
	op->kind = member ? decode_member_kind(ctx, byte)
			  : in_context(ctx, byte, ptd_decode_kind(byte), 0);
	for (unsigned i = 0; i < PTD_MAX_ARGS; i++) {
		enum ptd_arg arg = ptd_op_args[op->kind][i];
		uint8_t b;
		if (arg == PTD_ARG_NONE)
			break;
		if (ptd_arg_is_selector(arg)) {
			op->sel[i] = ptd_provider_u8(p);
		} else if (ptd_arg_is_number(arg)) {
			/* An end is decoded relative to the start just before it (absolute). */
			uint64_t start = i > 0 ? op->num[i - 1].off : 0;

			mode[i] = ptd_provider_u8(p) & 15;
			if (arg == PTD_ARG_SEED && mode[i] == PTD_NUM_MODE_EXPLICIT)
				decode_explicit_data(p, op, i);
			else
				op->num[i] = decode_number(arg, mode[i], p, start, ctx);
		} else if (arg == PTD_ARG_PROP) {
			b = ptd_provider_u8(p);
			op->prop =
				(struct ptd_prop){ .flags = b & PTD_PF_ALL,
						   .cache = (uint8_t)((b >> 4) % PTD_CACHE_COUNT) };
		} else { /* PTD_ARG_CHANGE */
			b = ptd_provider_u8(p);
			op->change.set = b & PTD_PF_ALL;
			op->change.clear = b >> 4;
			b = ptd_provider_u8(p) % (PTD_CACHE_COUNT + 1);
			op->change.cache = b == PTD_CACHE_COUNT ? PTD_CACHE_KEEP : b;
		}
	}
	if (member && ctx->contended && byte != ptd_kind_byte(op->kind))
		contended_member(ctx, op, mode);
	ctx->wide = 0; /* an enclosing start whose end came in explicit mode */
}

size_t ptd_decode(const uint8_t *data, size_t size, struct ptd_raw_op *ops, size_t max_ops)
{
	struct ptd_provider p = { .data = data, .size = size, .pos = 0 };
	size_t n = 0;
	uint64_t members = 0; /* of the last Together still to come */
	struct decode_ctx ctx = { .prev = PTD_OP_COUNT };
	while (n < max_ops && !ptd_provider_empty(&p)) {
		decode_op(&p, &ops[n], members > 0, &ctx);
		ctx_after(&ctx, &ops[n]);
		members = members ? members - 1 : 0;
		ctx.contended &= members > 0 || ops[n].kind == PTD_OP_TOGETHER;
		if (ops[n].kind == PTD_OP_TOGETHER)
			members = ptd_group_size(&ops[n]);
		n++;
	}
	return n;
}

void ptd_decode_one(const uint8_t *data, size_t size, struct ptd_raw_op *op)
{
	struct ptd_provider p = { .data = data, .size = size, .pos = 0 };
	struct decode_ctx ctx = no_context;

	decode_op(&p, op, 0, &ctx);
}

static size_t put_u8(uint8_t *buf, size_t cap, size_t pos, uint8_t b)
{
	if (pos < cap)
		buf[pos] = b;
	return pos + 1;
}

size_t ptd_encode_op(const struct ptd_raw_op *op, uint8_t *buf, size_t cap)
{
	size_t pos = put_u8(buf, cap, 0, ptd_kind_byte(op->kind));
	for (unsigned i = 0; i < PTD_MAX_ARGS; i++) {
		enum ptd_arg arg = ptd_op_args[op->kind][i];
		if (arg == PTD_ARG_NONE)
			break;
		if (ptd_arg_is_selector(arg)) {
			pos = put_u8(buf, cap, pos, op->sel[i]);
		} else if (arg == PTD_ARG_SEED && op->nbytes) {
			pos = put_u8(buf, cap, pos, PTD_NUM_MODE_EXPLICIT);
			pos = put_u8(buf, cap, pos, PTD_NUM_BASE_BYTES);
			pos = put_u8(buf, cap, pos, (uint8_t)(op->nbytes - 1));
			for (unsigned b = 0; b < op->nbytes; b++)
				pos = put_u8(buf, cap, pos, op->bytes[b]);
		} else if (ptd_arg_is_number(arg)) {
			pos = put_u8(buf, cap, pos, PTD_NUM_MODE_EXPLICIT);
			pos = put_u8(buf, cap, pos, op->num[i].base);
			for (unsigned b = 0; b < 8; b++)
				pos = put_u8(buf, cap, pos, (uint8_t)(op->num[i].off >> (8 * b)));
		} else if (arg == PTD_ARG_PROP) {
			pos = put_u8(buf, cap, pos,
				     (uint8_t)(op->prop.flags | op->prop.cache << 4));
		} else {
			uint8_t cache = op->change.cache == PTD_CACHE_KEEP ? PTD_CACHE_COUNT
									   : op->change.cache;
			pos = put_u8(buf, cap, pos,
				     (uint8_t)(op->change.set | op->change.clear << 4));
			pos = put_u8(buf, cap, pos, cache);
		}
	}
	return pos <= cap ? pos : 0;
}
