/* SPDX-License-Identifier: MIT */
#include "rawop.h"

const enum ptd_arg ptd_op_args[PTD_OP_COUNT][PTD_MAX_ARGS] = {
	[PTD_OP_NEW_VM_SPACE] = { PTD_ARG_NONE },
	[PTD_OP_DROP_VM_SPACE] = { PTD_ARG_VS },
	[PTD_OP_OPEN_CURSOR] = { PTD_ARG_VS, PTD_ARG_START, PTD_ARG_END },
	[PTD_OP_OPEN_CURSOR_MUT] = { PTD_ARG_VS, PTD_ARG_START, PTD_ARG_END },
	[PTD_OP_DROP_CURSOR] = { PTD_ARG_CURSOR },
	[PTD_OP_QUERY] = { PTD_ARG_CURSOR },
	[PTD_OP_FIND_NEXT] = { PTD_ARG_CURSOR, PTD_ARG_LEN },
	[PTD_OP_JUMP] = { PTD_ARG_CURSOR, PTD_ARG_TARGET },
	[PTD_OP_VIRT_ADDR] = { PTD_ARG_CURSOR },
	[PTD_OP_MAP] = { PTD_ARG_CURSOR, PTD_ARG_FRAME, PTD_ARG_PROP },
	[PTD_OP_MAP_IOMEM] = { PTD_ARG_CURSOR, PTD_ARG_IOPADDR, PTD_ARG_PROP },
	[PTD_OP_UNMAP] = { PTD_ARG_CURSOR, PTD_ARG_LEN },
	[PTD_OP_PROTECT_NEXT] = { PTD_ARG_CURSOR, PTD_ARG_LEN, PTD_ARG_CHANGE },
	[PTD_OP_FRAME_FROM_UNUSED] = { PTD_ARG_PADDR },
	[PTD_OP_FRAME_FROM_IN_USE] = { PTD_ARG_PADDR },
	[PTD_OP_FRAME_DROP] = { PTD_ARG_FRAME },
	[PTD_OP_SEGMENT_FROM_UNUSED] = { PTD_ARG_PADDR, PTD_ARG_SEG_LEN },
	[PTD_OP_SEGMENT_DROP] = { PTD_ARG_SEGMENT },
	[PTD_OP_SEGMENT_SPLIT] = { PTD_ARG_SEGMENT, PTD_ARG_SPLIT_AT },
	[PTD_OP_SEGMENT_NEXT] = { PTD_ARG_SEGMENT },
	[PTD_OP_SEGMENT_CLONE] = { PTD_ARG_SEGMENT },
	[PTD_OP_SEGMENT_SLICE] = { PTD_ARG_SEGMENT, PTD_ARG_SUB_START, PTD_ARG_SUB_LEN },
	[PTD_OP_UNIQUE_FROM_UNUSED] = { PTD_ARG_PADDR },
	[PTD_OP_UNIQUE_DROP] = { PTD_ARG_UNIQUE },
	[PTD_OP_FROM_UNIQUE] = { PTD_ARG_UNIQUE },
	[PTD_OP_TRY_FROM_SHARED] = { PTD_ARG_FRAME },
};

const char *ptd_op_name(enum ptd_op_kind kind)
{
	static const char *const names[PTD_OP_COUNT] = {
#define PTD_OP_NAME(e, n) [PTD_OP_##e] = #n,
		PTD_OP_KINDS(PTD_OP_NAME)
#undef PTD_OP_NAME
	};
	return (unsigned)kind < PTD_OP_COUNT ? names[kind] : "?";
}

int ptd_arg_is_selector(enum ptd_arg arg)
{
	return arg == PTD_ARG_VS || arg == PTD_ARG_CURSOR || arg == PTD_ARG_FRAME ||
	       arg == PTD_ARG_SEGMENT || arg == PTD_ARG_UNIQUE;
}

int ptd_arg_is_relative(enum ptd_arg arg)
{
	return arg == PTD_ARG_TARGET || arg == PTD_ARG_LEN || arg == PTD_ARG_SPLIT_AT ||
	       arg == PTD_ARG_SUB_START || arg == PTD_ARG_SUB_LEN;
}

int ptd_arg_is_number(enum ptd_arg arg)
{
	return ptd_arg_is_relative(arg) || arg == PTD_ARG_START || arg == PTD_ARG_END ||
	       arg == PTD_ARG_PADDR || arg == PTD_ARG_IOPADDR || arg == PTD_ARG_SEG_LEN;
}
