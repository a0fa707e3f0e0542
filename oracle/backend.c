/* SPDX-License-Identifier: MIT */
/*
 * ptd_oracle_backend: the struct ptd_backend adapter (include/ptdiff/backend.h).  apply()
 * dispatches each op kind of include/ptdiff/op.h to the one function that implements its
 * contract; nothing else in oracle/ knows about the backend table.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ops.h"

static void *backend_create(const struct ptd_config *cfg)
{
	return oracle_create(cfg);
}

static void backend_destroy(void *self)
{
	oracle_destroy(self);
}

static void backend_reset(void *self)
{
	oracle_reset(self);
}

static void backend_apply(void *self, const struct ptd_op *op, struct ptd_result *res)
{
	struct oracle *o = self;

	switch (op->kind) {
	case PTD_OP_NEW_VM_SPACE:
		oracle_new_vmspace(o, op, res);
		return;
	case PTD_OP_DROP_VM_SPACE:
		oracle_drop_vmspace(o, op, res);
		return;
	case PTD_OP_OPEN_CURSOR:
	case PTD_OP_OPEN_CURSOR_MUT:
		oracle_open_cursor(o, op, res);
		return;
	case PTD_OP_DROP_CURSOR:
		oracle_drop_cursor(o, op, res);
		return;
	case PTD_OP_QUERY:
		oracle_cursor_query(o, op, res);
		return;
	case PTD_OP_FIND_NEXT:
		oracle_cursor_find_next(o, op, res);
		return;
	case PTD_OP_JUMP:
		oracle_cursor_jump(o, op, res);
		return;
	case PTD_OP_VIRT_ADDR:
		oracle_cursor_virt_addr(o, op, res);
		return;
	case PTD_OP_MAP:
		oracle_cursor_map(o, op, res);
		return;
	case PTD_OP_MAP_IOMEM:
		oracle_cursor_map_iomem(o, op, res);
		return;
	case PTD_OP_UNMAP:
		oracle_cursor_unmap(o, op, res);
		return;
	case PTD_OP_PROTECT_NEXT:
		oracle_cursor_protect_next(o, op, res);
		return;
	case PTD_OP_FRAME_FROM_UNUSED:
		oracle_frame_from_unused(o, op, res);
		return;
	case PTD_OP_FRAME_FROM_IN_USE:
		oracle_frame_from_in_use(o, op, res);
		return;
	case PTD_OP_FRAME_DROP:
		oracle_frame_drop(o, op, res);
		return;
	case PTD_OP_SEGMENT_FROM_UNUSED:
		oracle_segment_from_unused(o, op, res);
		return;
	case PTD_OP_SEGMENT_DROP:
		oracle_segment_drop(o, op, res);
		return;
	case PTD_OP_SEGMENT_SPLIT:
		oracle_segment_split(o, op, res);
		return;
	case PTD_OP_SEGMENT_NEXT:
		oracle_segment_next(o, op, res);
		return;
	case PTD_OP_SEGMENT_CLONE:
		oracle_segment_clone(o, op, res);
		return;
	case PTD_OP_SEGMENT_SLICE:
		oracle_segment_slice(o, op, res);
		return;
	case PTD_OP_UNIQUE_FROM_UNUSED:
		oracle_unique_from_unused(o, op, res);
		return;
	case PTD_OP_UNIQUE_DROP:
		oracle_unique_drop(o, op, res);
		return;
	case PTD_OP_FROM_UNIQUE:
		oracle_from_unique(o, op, res);
		return;
	case PTD_OP_TRY_FROM_SHARED:
		oracle_try_from_shared(o, op, res);
		return;
	case PTD_OP_NEW_READER:
		oracle_new_reader(o, op, res);
		return;
	case PTD_OP_NEW_WRITER:
		oracle_new_writer(o, op, res);
		return;
	case PTD_OP_IO_READ:
		oracle_io_read(o, op, res);
		return;
	case PTD_OP_IO_WRITE:
		oracle_io_write(o, op, res);
		return;
	case PTD_OP_IO_FILL_ZEROS:
		oracle_io_fill_zeros(o, op, res);
		return;
	case PTD_OP_IO_SKIP:
		oracle_io_skip(o, op, res);
		return;
	case PTD_OP_IO_LIMIT:
		oracle_io_limit(o, op, res);
		return;
	case PTD_OP_IO_DROP:
		oracle_io_drop(o, op, res);
		return;
	case PTD_OP_NEW_KERNEL_READER:
		oracle_new_kernel_reader(o, op, res);
		return;
	case PTD_OP_NEW_KERNEL_WRITER:
		oracle_new_kernel_writer(o, op, res);
		return;
	case PTD_OP_IO_COPY:
		oracle_io_copy(o, op, res);
		return;
	case PTD_OP_READER_READ_VAL:
		oracle_reader_read_val(o, op, res);
		return;
	case PTD_OP_READER_COLLECT:
		oracle_reader_collect(o, op, res);
		return;
	case PTD_OP_WRITER_WRITE_VAL:
		oracle_writer_write_val(o, op, res);
		return;
	case PTD_OP_READER_QUERY:
		oracle_reader_query(o, op, res);
		return;
	case PTD_OP_WRITER_QUERY:
		oracle_writer_query(o, op, res);
		return;
	case PTD_OP_COUNT:
		break;
	}
	fprintf(stderr, "ptdiff oracle: unknown op kind %d (harness error)\n", (int)op->kind);
	abort();
}

static void backend_view(void *self, struct ptd_view *out)
{
	oracle_view(self, out);
}

static void backend_touched(void *self, struct ptd_touched *t)
{
	oracle_touched(self, t);
}

static void backend_view_slots(void *self, struct ptd_view *out, const uint64_t *slots,
			       uint32_t parts)
{
	oracle_view_slots(self, out, slots, parts);
}

const struct ptd_backend ptd_oracle_backend = {
	.name = "oracle",
	.create = backend_create,
	.destroy = backend_destroy,
	.reset = backend_reset,
	.apply = backend_apply,
	.view = backend_view,
	.touched = backend_touched,
	.view_slots = backend_view_slots,
};
