/* SPDX-License-Identifier: MIT */
/*
 * The op-level mutator: the input is decoded, edited as ops (insert a freshly decoded op,
 * delete, duplicate, swap, tweak one argument, or put a Together before ops that can run as
 * one group) and re-encoded, cut to whole ops that fit; crossover splices two decoded streams
 * at op boundaries.  Its generator is a small LCG seeded by the caller, so a seed gives the
 * same mutant on every machine.
 */
#include "mutate.h"

#include <string.h>
#include "decode.h"
#include "geometry.h"
#include "minimize.h"

struct rng {
	uint64_t s;
};

static uint64_t next(struct rng *r)
{
	r->s = r->s * 6364136223846793005ull + 1442695040888963407ull;
	return r->s >> 17;
}

static unsigned below(struct rng *r, unsigned n)
{
	return n ? (unsigned)(next(r) % n) : 0;
}

/* A fresh op: random bytes through the decoder, so it is biased like any decoded op. */
static struct ptd_raw_op random_op(struct rng *r)
{
	uint8_t bytes[PTD_ENCODED_OP_MAX + 1];
	struct ptd_raw_op op;
	for (size_t i = 0; i < sizeof bytes; i++)
		bytes[i] = (uint8_t)next(r);
	ptd_decode_one(bytes, sizeof bytes, &op);
	return op;
}

/* Interesting replacements for one number argument. */
static struct ptd_num tweak_number(struct rng *r, struct ptd_num n, int relative)
{
	static const uint64_t abs_values[] = {
		0,          0x1000,       0x2000,         0x200000,       0x1ff000,
		0x40000000, 0x8000000000, 0x7ffffffff000, 0x800000000000, 0xf0000000,
		0x40000
	};
	switch (below(r, relative ? 5 : 3)) {
	case 0: /* one page more or less */
		n.off += below(r, 2) ? PTD_PAGE_SIZE : -PTD_PAGE_SIZE;
		break;
	case 1:
		n.base = PTD_NUM_ABS;
		n.off = abs_values[below(r, sizeof abs_values / sizeof abs_values[0])];
		break;
	case 2: /* an unaligned nudge */
		n.off += 1 + below(r, 0x7ff);
		break;
	case 3:
		n.base = (uint8_t)(1 + below(r, PTD_NUM_BASE_COUNT - 1));
		n.off = 0;
		break;
	default:
		n.off = -(uint64_t)PTD_PAGE_SIZE * below(r, 4);
		break;
	}
	return n;
}

/*
 * A write's data: a byte string where there was a seed, or one byte of the string changed, its
 * length changed, or the seed back (a number tweak).  New bytes are often 0x00, 0xff or 0x80,
 * the values a misplaced or half-written byte shows against.
 */
static void tweak_data(struct rng *r, struct ptd_raw_op *op, unsigned a)
{
	static const uint8_t plain[] = { 0x00, 0xff, 0x80, 0x7f, 0x01 };
	uint8_t b = below(r, 2) ? (uint8_t)next(r) : plain[below(r, sizeof plain)];

	switch (op->nbytes ? below(r, 3) : 1 + below(r, 2)) {
	case 0: /* one byte changed */
		op->bytes[below(r, op->nbytes)] = b;
		break;
	case 1: /* a new length, the string cut or continued with new bytes */
		for (unsigned n = 1 + below(r, PTD_OP_BYTES_MAX); op->nbytes != n;)
			if (op->nbytes < n)
				op->bytes[op->nbytes++] = b;
			else
				op->nbytes--;
		op->num[a] = (struct ptd_num){ 0 };
		break;
	default: /* a seed */
		op->nbytes = 0;
		op->num[a] = tweak_number(r, op->num[a], 0);
		break;
	}
}

static void tweak_arg(struct rng *r, struct ptd_raw_op *op)
{
	unsigned nargs = 0, a;
	while (nargs < PTD_MAX_ARGS && ptd_op_args[op->kind][nargs])
		nargs++;
	if (!nargs)
		return;
	a = below(r, nargs);
	switch (ptd_op_args[op->kind][a]) {
	case PTD_ARG_PROP:
		op->prop.flags ^= (uint8_t)(1u << below(r, 4));
		op->prop.cache = (uint8_t)below(r, PTD_CACHE_COUNT);
		break;
	case PTD_ARG_CHANGE:
		op->change.set = (uint8_t)below(r, 16);
		op->change.clear = (uint8_t)below(r, 16);
		break;
	case PTD_ARG_SEED:
		tweak_data(r, op, a);
		break;
	default:
		if (ptd_arg_is_selector(ptd_op_args[op->kind][a]))
			op->sel[a] = (uint8_t)below(r, 4);
		else
			op->num[a] = tweak_number(r, op->num[a],
						  ptd_arg_is_relative(ptd_op_args[op->kind][a]));
		break;
	}
}

/*
 * Put a Together before ops[i] over the 2 to 4 consecutive ops from i that can run in a group
 * (docs/CONCURRENCY.md), with schedule 0 (in turn) or a random one: an op sequence the fuzzer
 * found one op after another is tried interleaved.  Nothing happens when fewer than two follow.
 */
static void group_from(struct rng *r, struct ptd_raw_op *ops, size_t *n, size_t i)
{
	unsigned members = 0;

	while (i + members < *n && members < PTD_GROUP_MEMBERS &&
	       ptd_op_is_member(ops[i + members].kind))
		members++;
	if (members < 2 || *n == PTD_MAX_OPS)
		return;
	memmove(&ops[i + 1], &ops[i], (*n - i) * sizeof *ops);
	memset(&ops[i], 0, sizeof ops[i]);
	ops[i].kind = PTD_OP_TOGETHER;
	ops[i].num[0] = (struct ptd_num){ .base = PTD_NUM_ABS, .off = 2 + below(r, members - 1) };
	ops[i].num[1] = (struct ptd_num){ .base = PTD_NUM_ABS, .off = below(r, 2) ? next(r) : 0 };
	(*n)++;
}

static void mutate_once(struct rng *r, struct ptd_raw_op *ops, size_t *n)
{
	size_t i = below(r, (unsigned)*n), j = below(r, (unsigned)*n);
	struct ptd_raw_op tmp;
	switch (below(r, *n ? 7 : 1)) {
	case 0: /* insert a new op */
		if (*n == PTD_MAX_OPS)
			break;
		i = below(r, (unsigned)*n + 1);
		memmove(&ops[i + 1], &ops[i], (*n - i) * sizeof *ops);
		ops[i] = random_op(r);
		(*n)++;
		break;
	case 1: /* delete */
		memmove(&ops[i], &ops[i + 1], (*n - i - 1) * sizeof *ops);
		(*n)--;
		break;
	case 2: /* duplicate */
		if (*n == PTD_MAX_OPS)
			break;
		memmove(&ops[i + 1], &ops[i], (*n - i) * sizeof *ops);
		(*n)++;
		break;
	case 3: /* swap */
		tmp = ops[i];
		ops[i] = ops[j];
		ops[j] = tmp;
		break;
	case 6: /* run ops at the same time: a Together over the cursor ops from i on */
		group_from(r, ops, n, i);
		break;
	default: /* tweak one argument */
		tweak_arg(r, &ops[i]);
		break;
	}
}

/* The encoded stream, cut to whole ops that fit in max_size. */
static size_t encode_fitting(const struct ptd_raw_op *ops, size_t n, uint8_t *out, size_t max_size)
{
	uint8_t one[PTD_ENCODED_OP_MAX];
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		size_t k = ptd_encode_op(&ops[i], one, sizeof one);
		if (len + k > max_size)
			break;
		memcpy(out + len, one, k);
		len += k;
	}
	return len;
}

size_t ptd_mutate_ops(uint8_t *data, size_t size, size_t max_size, unsigned seed)
{
	struct ptd_raw_op ops[PTD_MAX_OPS];
	struct rng r = { .s = seed * 0x9e3779b97f4a7c15ull + 1 };
	size_t n = ptd_decode(data, size, ops, PTD_MAX_OPS);
	for (unsigned k = 1 + below(&r, 3); k; k--)
		mutate_once(&r, ops, &n);
	return encode_fitting(ops, n, data, max_size);
}

size_t ptd_crossover_ops(const uint8_t *a, size_t asize, const uint8_t *b, size_t bsize,
			 uint8_t *out, size_t max_out, unsigned seed)
{
	struct ptd_raw_op x[PTD_MAX_OPS], y[PTD_MAX_OPS];
	struct rng r = { .s = seed * 0x9e3779b97f4a7c15ull + 7 };
	size_t nx = ptd_decode(a, asize, x, PTD_MAX_OPS);
	size_t ny = ptd_decode(b, bsize, y, PTD_MAX_OPS);
	size_t cut = below(&r, (unsigned)nx + 1), from = below(&r, (unsigned)ny + 1), n = cut;
	for (size_t i = from; i < ny && n < PTD_MAX_OPS; i++)
		x[n++] = y[i];
	return encode_fitting(x, n, out, max_out);
}
