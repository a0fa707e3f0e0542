/* SPDX-License-Identifier: MIT */
/*
 * The decoder's form of an op: what the bytes say, before it meets any state.  Handles are
 * selectors ("the k-th live cursor"), and numbers are a base plus an offset where the base may
 * be state (the cursor's range or position).  The runner resolves a raw op into a struct ptd_op
 * (resolve.h).  The readable text form (rawop_text.h) prints and parses exactly this struct, so
 * text and bytes describe the same stream.
 */
#ifndef PTDIFF_FUZZ_RAWOP_H
#define PTDIFF_FUZZ_RAWOP_H

#include <stddef.h>
#include "ptdiff/group.h"
#include "ptdiff/op.h"

/* What a number is relative to: the op's cursor (its locked range and va), for segment ops
 * the op's segment (its physical range; va = start), for reader/writer ops the reader or
 * writer (its range and its cursor). */
enum ptd_num_base {
	PTD_NUM_ABS = 0, /* the offset itself */
	PTD_NUM_START,   /* range start + offset */
	PTD_NUM_END,     /* range end + offset */
	PTD_NUM_REST,    /* (end - va) + offset: a length reaching the end of the range */
	PTD_NUM_TO_2M,   /* length from va to the next 2 MiB boundary, at most REST, + offset */
	PTD_NUM_TO_1G,   /* same for 1 GiB */
	PTD_NUM_BASE_COUNT
};

struct ptd_num {
	uint8_t base; /* enum ptd_num_base */
	uint64_t off; /* wraps: a relative offset of -4096 is 2^64 - 4096 */
};

/* Argument types, in the order they appear in bytes and in text. */
enum ptd_arg {
	PTD_ARG_NONE = 0,
	PTD_ARG_VS,        /* selector of a live address space */
	PTD_ARG_CURSOR,    /* selector of a live cursor */
	PTD_ARG_FRAME,     /* selector of a live Frame handle */
	PTD_ARG_START,     /* OpenCursor range start (absolute) */
	PTD_ARG_END,       /* OpenCursor range end (absolute) */
	PTD_ARG_TARGET,    /* Jump target */
	PTD_ARG_LEN,       /* FindNext / Unmap / ProtectNext length */
	PTD_ARG_PADDR,     /* a frame paddr */
	PTD_ARG_IOPADDR,   /* an I/O-memory paddr */
	PTD_ARG_PROP,      /* page property */
	PTD_ARG_CHANGE,    /* ProtectNext property change */
	PTD_ARG_SEGMENT,   /* selector of a live Segment handle */
	PTD_ARG_UNIQUE,    /* selector of a live UniqueFrame handle */
	PTD_ARG_SEG_LEN,   /* SegmentFromUnused length */
	PTD_ARG_SPLIT_AT,  /* SegmentSplit offset (relative to the segment) */
	PTD_ARG_SUB_START, /* SegmentSlice start (relative to the segment) */
	PTD_ARG_SUB_LEN,   /* SegmentSlice length */
	PTD_ARG_READER,    /* selector of a live reader */
	PTD_ARG_WRITER,    /* selector of a live writer */
	PTD_ARG_IO,        /* selector of a live reader or writer */
	PTD_ARG_IO_VA,     /* NewReader/NewWriter user address (absolute) */
	PTD_ARG_IO_LEN,    /* NewReader/NewWriter range length (absolute) */
	PTD_ARG_IO_COUNT,  /* Io* byte count (relative to the reader/writer) */
	PTD_ARG_SEED,      /* IoWrite/WriterWriteVal data: a seed, or a byte string (bytes[]) */
	PTD_ARG_KOFF,      /* NewKernelReader/NewKernelWriter offset in kernel memory */
	PTD_ARG_GROUP_N,   /* Together: how many of the following ops form the group (2..4) */
	PTD_ARG_SCHEDULE,  /* Together: the schedule word (docs/CONCURRENCY.md) */
	PTD_ARG_COUNT
};

#define PTD_MAX_ARGS 3

struct ptd_raw_op {
	enum ptd_op_kind kind;
	uint8_t sel[PTD_MAX_ARGS];        /* by argument position, for selector args */
	struct ptd_num num[PTD_MAX_ARGS]; /* by argument position, for number args */
	struct ptd_prop prop;
	struct ptd_prop_change change;
	/* The SEED argument as a byte string: nbytes 1..PTD_OP_BYTES_MAX bytes written in place of
	 * ptd_io_byte(seed) (its num[] is then 0); 0: a seed, in num[] (op.h). */
	uint8_t nbytes;
	uint8_t bytes[PTD_OP_BYTES_MAX];
};

/* The argument list of each op kind (PTD_ARG_NONE-terminated). */
extern const enum ptd_arg ptd_op_args[PTD_OP_COUNT][PTD_MAX_ARGS];

const char *ptd_op_name(enum ptd_op_kind kind);
int ptd_arg_is_selector(enum ptd_arg arg);
/* Whether an op can be a member of a Together group: it opens a cursor or works on one. */
int ptd_op_is_member(enum ptd_op_kind kind);
/* How many ops after the Together @op belong to its group: its count, at most PTD_GROUP_MEMBERS. */
unsigned ptd_group_size(const struct ptd_raw_op *op);
/*
 * Lowers the count of every Together in ops[0..n) that more than the member ops following it
 * (up to the next op that cannot be a member, or the end) to that number: the group the runner
 * forms from these ops, written so that their bytes decode and their text assembles to the same
 * ops (a non-member inside a count would decode as a member; the text form refuses both).
 * Returns how many counts it lowered.
 */
unsigned ptd_groups_fit(struct ptd_raw_op *ops, size_t n);
int ptd_arg_is_number(enum ptd_arg arg);
/* Numbers that may be relative to the op's cursor or segment (any other number is absolute). */
int ptd_arg_is_relative(enum ptd_arg arg);

#endif
