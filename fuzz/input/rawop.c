/* SPDX-License-Identifier: MIT */
/*
 * Raw ops: the argument columns and names of the op table, which kinds of argument are
 * selectors, numbers or relative numbers, and the Together groups (which ops can be members,
 * how many a group takes, fitting counts to the members that follow).
 */
#include "rawop.h"

/* The argument columns of the op table (include/ptdiff/op_table.h). */
const enum ptd_arg ptd_op_args[PTD_OP_COUNT][PTD_MAX_ARGS] = {
#define PTD_OP_ARGS(e, n, stem, w, a0, a1, a2, ...) \
	[PTD_OP_##e] = { PTD_ARG_##a0, PTD_ARG_##a1, PTD_ARG_##a2 },
	PTD_OP_TABLE(PTD_OP_ARGS)
#undef PTD_OP_ARGS
};

const char *ptd_op_name(enum ptd_op_kind kind)
{
	static const char *const names[PTD_OP_COUNT] = {
#define PTD_OP_NAME(e, n, ...) [PTD_OP_##e] = #n,
		PTD_OP_TABLE(PTD_OP_NAME)
#undef PTD_OP_NAME
	};
	return (unsigned)kind < PTD_OP_COUNT ? names[kind] : "?";
}

int ptd_op_is_member(enum ptd_op_kind kind)
{
	return (unsigned)kind < PTD_OP_COUNT &&
	       (ptd_op_args[kind][0] == PTD_ARG_CURSOR ||
		(ptd_op_args[kind][0] == PTD_ARG_VS && ptd_op_args[kind][1] == PTD_ARG_START));
}

unsigned ptd_group_size(const struct ptd_raw_op *op)
{
	return op->num[0].off < PTD_GROUP_MEMBERS ? (unsigned)op->num[0].off : PTD_GROUP_MEMBERS;
}

unsigned ptd_groups_fit(struct ptd_raw_op *ops, size_t n)
{
	unsigned lowered = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned want, have = 0;

		if (ops[i].kind != PTD_OP_TOGETHER)
			continue;
		want = ptd_group_size(&ops[i]);
		while (have < want && i + 1 + have < n && ptd_op_is_member(ops[i + 1 + have].kind))
			have++;
		if (have < want) {
			ops[i].num[0].off = have;
			lowered++;
		}
		i += have;
	}
	return lowered;
}

int ptd_arg_is_selector(enum ptd_arg arg)
{
	return arg == PTD_ARG_VS || arg == PTD_ARG_CURSOR || arg == PTD_ARG_FRAME ||
	       arg == PTD_ARG_SEGMENT || arg == PTD_ARG_UNIQUE || arg == PTD_ARG_READER ||
	       arg == PTD_ARG_WRITER || arg == PTD_ARG_IO;
}

int ptd_arg_is_relative(enum ptd_arg arg)
{
	return arg == PTD_ARG_TARGET || arg == PTD_ARG_LEN || arg == PTD_ARG_SPLIT_AT ||
	       arg == PTD_ARG_SUB_START || arg == PTD_ARG_SUB_LEN || arg == PTD_ARG_IO_COUNT;
}

int ptd_arg_is_number(enum ptd_arg arg)
{
	return ptd_arg_is_relative(arg) || arg == PTD_ARG_START || arg == PTD_ARG_END ||
	       arg == PTD_ARG_PADDR || arg == PTD_ARG_IOPADDR || arg == PTD_ARG_SEG_LEN ||
	       arg == PTD_ARG_IO_VA || arg == PTD_ARG_IO_LEN || arg == PTD_ARG_SEED ||
	       arg == PTD_ARG_KOFF || arg == PTD_ARG_GROUP_N || arg == PTD_ARG_SCHEDULE;
}
