/* SPDX-License-Identifier: MIT */
/*
 * Ops and results as traces and reports print them: status names, each argument by its kind,
 * and each op's result by the op table's result column.
 */
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

/* One argument of a resolved op as traces print it: handles by id (a cursor with its va before
 * the op, a frame with its paddr), numbers with the name of what they are. */
static void arg_print(FILE *out, const struct ptd_op *op, enum ptd_arg arg, int second_io,
		      uint64_t va_before, uint64_t frame_pa)
{
	switch (arg) {
	case PTD_ARG_VS:
		fprintf(out, "vs%u", op->vs);
		break;
	case PTD_ARG_CURSOR:
		fprintf(out, "c%u@0x%" PRIx64, op->cursor, va_before);
		break;
	case PTD_ARG_FRAME:
		fprintf(out, "f%u=0x%" PRIx64, op->frame, frame_pa);
		break;
	case PTD_ARG_SEGMENT:
		fprintf(out, "s%u", op->segment);
		break;
	case PTD_ARG_UNIQUE:
		fprintf(out, "u%u", op->unique);
		break;
	case PTD_ARG_READER:
	case PTD_ARG_WRITER:
	case PTD_ARG_IO:
		fprintf(out, "io%u", second_io ? op->io2 : op->io);
		break;
	case PTD_ARG_START:
		fprintf(out, "[0x%" PRIx64, op->va);
		break;
	case PTD_ARG_END:
		fprintf(out, "0x%" PRIx64 ")", op->end);
		break;
	case PTD_ARG_TARGET:
		fprintf(out, "to 0x%" PRIx64, op->va);
		break;
	case PTD_ARG_PADDR:
		fprintf(out, "0x%" PRIx64, op->paddr);
		break;
	case PTD_ARG_IOPADDR:
		fprintf(out, "io 0x%" PRIx64, op->paddr);
		break;
	case PTD_ARG_SUB_START:
		fprintf(out, "0x%" PRIx64, op->paddr);
		break;
	case PTD_ARG_SPLIT_AT:
		fprintf(out, "at 0x%" PRIx64, op->len);
		break;
	case PTD_ARG_LEN:
	case PTD_ARG_SEG_LEN:
	case PTD_ARG_SUB_LEN:
	case PTD_ARG_IO_LEN:
	case PTD_ARG_IO_COUNT:
		fprintf(out, "len 0x%" PRIx64, op->len);
		break;
	case PTD_ARG_IO_VA:
		fprintf(out, "0x%" PRIx64, op->va);
		break;
	case PTD_ARG_KOFF:
		fprintf(out, "kernel 0x%" PRIx64, op->va);
		break;
	case PTD_ARG_SEED:
		if (op->nbytes) {
			fputs("bytes ", out);
			ptd_bytes_print(out, op->bytes, op->nbytes);
		} else {
			fprintf(out, "seed 0x%" PRIx64, op->seed);
		}
		break;
	case PTD_ARG_GROUP_N:
		fprintf(out, "%" PRIu64 " ops", op->len);
		break;
	case PTD_ARG_SCHEDULE:
		fprintf(out, "schedule 0x%" PRIx64, op->seed);
		break;
	case PTD_ARG_PROP:
		ptd_prop_print(out, op->prop);
		break;
	case PTD_ARG_CHANGE:
		fprintf(out, "set 0x%x clear 0x%x cache %s", op->change.set, op->change.clear,
			ptd_cache_name(op->change.cache));
		break;
	default:
		break;
	}
}

void ptd_op_print(FILE *out, const struct ptd_op *op, uint64_t va_before, uint64_t frame_pa)
{
	int ios = 0;
	fprintf(out, "%s(", ptd_op_name(op->kind));
	for (unsigned i = 0; i < PTD_MAX_ARGS && ptd_op_args[op->kind][i] != PTD_ARG_NONE; i++) {
		enum ptd_arg arg = ptd_op_args[op->kind][i];
		int io = ptd_arg_handle(arg) == PTD_H_IO;
		/* IoCopy reads from its first handle into its second. */
		if (i)
			fputs(io && ios ? " -> " : ", ", out);
		arg_print(out, op, arg, io && ios, va_before, frame_pa);
		ios += io;
	}
	fputc(')', out);
}

/* The result fields each op determines (the op table's result column), as traces print them. */
enum ptd_result_shape {
	PTD_RES_NONE,
	PTD_RES_QUERY,
	PTD_RES_FOUND_VA,
	PTD_RES_RANGE,
	PTD_RES_VA,
	PTD_RES_PAGES,
	PTD_RES_FRAG,
	PTD_RES_FRAME,
	PTD_RES_BYTES_HASH,
	PTD_RES_BYTES_HASH_IF_OK,
	PTD_RES_VALUE_IF_OK, /* BYTES_HASH_IF_OK and a small value's bytes (op.h value) */
	PTD_RES_BYTES,
	PTD_RES_BYTES_IF_OK,
	PTD_RES_IO_QUERY,
};

static const enum ptd_result_shape result_shape[PTD_OP_COUNT] = {
#define PTD_OP_RESULT(e, n, stem, w, a0, a1, a2, cr, nn, co, parts, result, ...) \
	[PTD_OP_##e] = PTD_RES_##result,
	PTD_OP_TABLE(PTD_OP_RESULT)
#undef PTD_OP_RESULT
};

/* A small value read (ReaderReadVal): its bytes in address order, as a write's data is written
 * (`bytes=`), so that a round trip reads as one. */
static void value_print(FILE *out, const struct ptd_result *res)
{
	uint8_t bytes[PTD_VALUE_BYTES_MAX];

	for (uint64_t j = 0; j < res->count; j++)
		bytes[j] = (uint8_t)(res->value >> (8 * j));
	fputs(", value ", out);
	ptd_bytes_print(out, bytes, res->count);
}

void ptd_result_print(FILE *out, enum ptd_op_kind kind, const struct ptd_result *res)
{
	enum ptd_handle_kind created = ptd_op_creates(kind);
	int ok = res->status == PTD_OK;
	enum ptd_result_shape shape = (unsigned)kind < PTD_OP_COUNT ? result_shape[kind]
								    : PTD_RES_NONE;
	fputs(ptd_status_name(res->status), out);
	switch (shape) {
	case PTD_RES_QUERY:
		if (!res->found) {
			if (ok)
				fprintf(out, " absent [0x%" PRIx64 ", 0x%" PRIx64 ")", res->va,
					res->va_end);
			break;
		}
		fprintf(out, " %s 0x%" PRIx64 " [0x%" PRIx64 ", 0x%" PRIx64 ") ",
			res->tracked ? "frame" : "iomem", res->paddr, res->va, res->va_end);
		ptd_prop_print(out, res->prop);
		break;
	case PTD_RES_FOUND_VA:
		if (res->found)
			fprintf(out, " found 0x%" PRIx64, res->va);
		else if (ok)
			fputs(" none", out);
		break;
	case PTD_RES_RANGE:
		if (res->found)
			fprintf(out, " [0x%" PRIx64 ", 0x%" PRIx64 ")", res->va, res->va_end);
		else if (ok)
			fputs(" none", out);
		break;
	case PTD_RES_VA:
		fprintf(out, " 0x%" PRIx64, res->va);
		break;
	case PTD_RES_PAGES:
		if (ok)
			fprintf(out, " %" PRIu64 " pages", res->count);
		break;
	case PTD_RES_FRAG:
		if (res->found == PTD_FRAG_MAPPED) {
			fprintf(out, " mapped [0x%" PRIx64 ", 0x%" PRIx64 ") %s 0x%" PRIx64 " ",
				res->va, res->va_end, res->tracked ? "frame" : "iomem", res->paddr);
			ptd_prop_print(out, res->prop);
		} else if (res->found) {
			fprintf(out,
				" stray [0x%" PRIx64 ", 0x%" PRIx64 ") node 0x%" PRIx64 ", %" PRIu64
				" frames",
				res->va, res->va_end, res->paddr, res->count);
		} else if (ok) {
			fputs(" none", out);
		}
		break;
	case PTD_RES_FRAME:
		if (ok)
			fprintf(out, " frame 0x%" PRIx64, res->paddr);
		break;
	case PTD_RES_VALUE_IF_OK:
	case PTD_RES_BYTES_HASH_IF_OK:
		if (!ok)
			break;
		/* fall through */
	case PTD_RES_BYTES_HASH:
		fprintf(out, " %" PRIu64 " bytes, hash %016" PRIx64, res->count, res->hash);
		if (shape == PTD_RES_VALUE_IF_OK && res->count && res->count <= PTD_VALUE_BYTES_MAX)
			value_print(out, res);
		break;
	case PTD_RES_BYTES_IF_OK:
		if (!ok)
			break;
		/* fall through */
	case PTD_RES_BYTES:
		fprintf(out, " %" PRIu64 " bytes", res->count);
		break;
	case PTD_RES_IO_QUERY:
		fprintf(out, " cursor 0x%" PRIx64 ", %" PRIu64 " left", res->va, res->count);
		break;
	case PTD_RES_NONE:
		break;
	}
	if (created != PTD_H_NONE && res->new_id)
		fprintf(out, " -> %s%u", ptd_handle_prefix(created), res->new_id);
	if (res->new_id2)
		fprintf(out, ", %s%u", ptd_handle_prefix(created), res->new_id2);
}
