/* SPDX-License-Identifier: MIT */
#include "trace.h"

#include <inttypes.h>
#include "rawop_text.h"
#include "registry.h"

const char *ptd_status_name(int status)
{
	static const char *const names[PTD_STATUS_COUNT] = {
		[PTD_OK] = "OK",
		[PTD_ERR_NOT_ALIGNED] = "ERR_NOT_ALIGNED",
		[PTD_ERR_OUT_OF_BOUND] = "ERR_OUT_OF_BOUND",
		[PTD_ERR_BAD_RANGE] = "ERR_BAD_RANGE",
		[PTD_ERR_OUT_OF_RANGE] = "ERR_OUT_OF_RANGE",
		[PTD_ERR_IN_USE] = "ERR_IN_USE",
		[PTD_ERR_UNUSED] = "ERR_UNUSED",
		[PTD_ERR_UNIQUE] = "ERR_UNIQUE",
		[PTD_ERR_NOT_FRAME] = "ERR_NOT_FRAME",
		[PTD_ERR_BUSY] = "ERR_BUSY",
		[PTD_ERR_READ_ONLY] = "ERR_READ_ONLY",
		[PTD_ERR_WOULD_PANIC] = "ERR_WOULD_PANIC",
		[PTD_ERR_SHARED] = "ERR_SHARED",
		[PTD_ERR_NOT_FRESH] = "ERR_NOT_FRESH",
		[PTD_ERR_FAULT] = "ERR_FAULT",
		[PTD_ERR_INVALID_ARGS] = "ERR_INVALID_ARGS",
	};
	return status >= 0 && status < PTD_STATUS_COUNT ? names[status] : "ERR_<invalid>";
}

void ptd_op_print(FILE *out, const struct ptd_op *op, uint64_t va_before, uint64_t frame_pa)
{
	fprintf(out, "%s(", ptd_op_name(op->kind));
	switch (op->kind) {
	case PTD_OP_NEW_VM_SPACE:
		break;
	case PTD_OP_DROP_VM_SPACE:
		fprintf(out, "vs%u", op->vs);
		break;
	case PTD_OP_OPEN_CURSOR:
	case PTD_OP_OPEN_CURSOR_MUT:
		fprintf(out, "vs%u, [0x%" PRIx64 ", 0x%" PRIx64 ")", op->vs, op->va, op->end);
		break;
	case PTD_OP_FRAME_FROM_UNUSED:
	case PTD_OP_FRAME_FROM_IN_USE:
		fprintf(out, "0x%" PRIx64, op->paddr);
		break;
	case PTD_OP_FRAME_DROP:
	case PTD_OP_TRY_FROM_SHARED:
		fprintf(out, "f%u=0x%" PRIx64, op->frame, frame_pa);
		break;
	case PTD_OP_SEGMENT_FROM_UNUSED:
		fprintf(out, "0x%" PRIx64 ", len 0x%" PRIx64, op->paddr, op->len);
		break;
	case PTD_OP_SEGMENT_DROP:
	case PTD_OP_SEGMENT_NEXT:
	case PTD_OP_SEGMENT_CLONE:
		fprintf(out, "s%u", op->segment);
		break;
	case PTD_OP_SEGMENT_SPLIT:
		fprintf(out, "s%u, at 0x%" PRIx64, op->segment, op->len);
		break;
	case PTD_OP_SEGMENT_SLICE:
		fprintf(out, "s%u, 0x%" PRIx64 ", len 0x%" PRIx64, op->segment, op->paddr, op->len);
		break;
	case PTD_OP_UNIQUE_FROM_UNUSED:
		fprintf(out, "0x%" PRIx64, op->paddr);
		break;
	case PTD_OP_UNIQUE_DROP:
	case PTD_OP_FROM_UNIQUE:
		fprintf(out, "u%u", op->unique);
		break;
	case PTD_OP_NEW_READER:
	case PTD_OP_NEW_WRITER:
		fprintf(out, "vs%u, 0x%" PRIx64 ", len 0x%" PRIx64, op->vs, op->va, op->len);
		break;
	case PTD_OP_IO_WRITE:
	case PTD_OP_WRITER_WRITE_VAL:
		fprintf(out, "io%u, len 0x%" PRIx64 ", seed 0x%" PRIx64, op->io, op->len, op->seed);
		break;
	case PTD_OP_IO_READ:
	case PTD_OP_READER_READ_VAL:
	case PTD_OP_IO_FILL_ZEROS:
	case PTD_OP_IO_SKIP:
	case PTD_OP_IO_LIMIT:
		fprintf(out, "io%u, len 0x%" PRIx64, op->io, op->len);
		break;
	case PTD_OP_IO_DROP:
	case PTD_OP_READER_COLLECT:
	case PTD_OP_READER_QUERY:
	case PTD_OP_WRITER_QUERY:
		fprintf(out, "io%u", op->io);
		break;
	case PTD_OP_NEW_KERNEL_READER:
	case PTD_OP_NEW_KERNEL_WRITER:
		fprintf(out, "kernel 0x%" PRIx64 ", len 0x%" PRIx64, op->va, op->len);
		break;
	case PTD_OP_IO_COPY:
		fprintf(out, "io%u -> io%u, len 0x%" PRIx64, op->io, op->io2, op->len);
		break;
	default: /* cursor ops */
		fprintf(out, "c%u@0x%" PRIx64, op->cursor, va_before);
		if (op->kind == PTD_OP_JUMP)
			fprintf(out, ", to 0x%" PRIx64, op->va);
		if (op->kind == PTD_OP_FIND_NEXT || op->kind == PTD_OP_UNMAP ||
		    op->kind == PTD_OP_PROTECT_NEXT)
			fprintf(out, ", len 0x%" PRIx64, op->len);
		if (op->kind == PTD_OP_MAP)
			fprintf(out, ", f%u=0x%" PRIx64, op->frame, frame_pa);
		if (op->kind == PTD_OP_MAP_IOMEM)
			fprintf(out, ", io 0x%" PRIx64, op->paddr);
		if (op->kind == PTD_OP_MAP || op->kind == PTD_OP_MAP_IOMEM) {
			fputs(", ", out);
			ptd_prop_print(out, op->prop);
		}
		if (op->kind == PTD_OP_PROTECT_NEXT)
			fprintf(out, ", set 0x%x clear 0x%x cache %s", op->change.set,
				op->change.clear, ptd_cache_name(op->change.cache));
		break;
	}
	fputc(')', out);
}

void ptd_result_print(FILE *out, enum ptd_op_kind kind, const struct ptd_result *res)
{
	enum ptd_handle_kind created = ptd_op_creates(kind);
	fputs(ptd_status_name(res->status), out);
	switch (kind) {
	case PTD_OP_QUERY:
		if (!res->found) {
			if (res->status == PTD_OK)
				fputs(" absent", out);
			break;
		}
		fprintf(out, " %s 0x%" PRIx64 " [0x%" PRIx64 ", 0x%" PRIx64 ") ",
			res->tracked ? "frame" : "iomem", res->paddr, res->va, res->va_end);
		ptd_prop_print(out, res->prop);
		break;
	case PTD_OP_FIND_NEXT:
		if (res->found)
			fprintf(out, " found 0x%" PRIx64, res->va);
		else if (res->status == PTD_OK)
			fputs(" none", out);
		break;
	case PTD_OP_PROTECT_NEXT:
		if (res->found)
			fprintf(out, " [0x%" PRIx64 ", 0x%" PRIx64 ")", res->va, res->va_end);
		else if (res->status == PTD_OK)
			fputs(" none", out);
		break;
	case PTD_OP_VIRT_ADDR:
		fprintf(out, " 0x%" PRIx64, res->va);
		break;
	case PTD_OP_UNMAP:
		if (res->status == PTD_OK)
			fprintf(out, " %" PRIu64 " pages", res->count);
		break;
	case PTD_OP_SEGMENT_NEXT:
		if (res->status == PTD_OK)
			fprintf(out, " frame 0x%" PRIx64, res->paddr);
		break;
	case PTD_OP_IO_READ:
	case PTD_OP_IO_COPY:
		fprintf(out, " %" PRIu64 " bytes, hash %016" PRIx64, res->count, res->hash);
		break;
	case PTD_OP_READER_READ_VAL:
	case PTD_OP_READER_COLLECT:
		if (res->status == PTD_OK)
			fprintf(out, " %" PRIu64 " bytes, hash %016" PRIx64, res->count, res->hash);
		break;
	case PTD_OP_IO_WRITE:
	case PTD_OP_IO_FILL_ZEROS:
		fprintf(out, " %" PRIu64 " bytes", res->count);
		break;
	case PTD_OP_WRITER_WRITE_VAL:
		if (res->status == PTD_OK)
			fprintf(out, " %" PRIu64 " bytes", res->count);
		break;
	case PTD_OP_READER_QUERY:
	case PTD_OP_WRITER_QUERY:
		fprintf(out, " cursor 0x%" PRIx64 ", %" PRIu64 " left", res->va, res->count);
		break;
	default:
		break;
	}
	if (created != PTD_H_COUNT && res->new_id)
		fprintf(out, " -> %s%u", ptd_handle_prefix(created), res->new_id);
	if (res->new_id2)
		fprintf(out, ", %s%u", ptd_handle_prefix(created), res->new_id2);
}
